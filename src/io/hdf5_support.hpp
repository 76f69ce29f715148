#pragma once
// Private helpers of the I/O component over the HDF5 C API: RAII handles for
// every hid_t, HDF5 failures turned into gprproc exceptions (with HDF5's own
// message), and typed attribute and dataset access with checks that name the
// file, object, shape and type when something is not as expected.
#include <hdf5.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gprproc/error.hpp"
#include "io/memory_guard.hpp"

namespace gprproc::io_detail {

using Closer = herr_t (*)(hid_t);

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now and reports a failed close (e.g. a file whose final flush fails).
  void close(ErrorCode code, const std::string& what);
  void reset() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Turns off HDF5's printing of its error stack for the life of the object and
// restores the caller's setting afterwards; every public entry point holds one.
class QuietHdf5Errors {
 public:
  QuietHdf5Errors();
  ~QuietHdf5Errors();
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
  bool saved_ = false;
};

// The current HDF5 error stack in one line ("" when empty).
std::string hdf5_error_text();
[[noreturn]] void throw_hdf5(ErrorCode code, const std::string& what);
Handle checked(hid_t id, Closer closer, ErrorCode code, const std::string& what);
void check(herr_t status, ErrorCode code, const std::string& what);

// "'path'" for messages.
std::string in_quotes(const std::string& text);
std::string describe_dims(const std::vector<hsize_t>& dims);  // "(637, 64)"

// Opens a file read-only. Missing: file_not_found; a folder, no HDF5 signature,
// or an HDF5 file that does not open (truncated, damaged): file_format.
Handle open_file_for_reading(const std::string& path);

// Joins "/a" and "b" into "/a/b".
std::string join_path(const std::string& parent, const std::string& name);

enum class ObjectKind { none, group, dataset, other };
// What `path` (absolute, or relative to loc) names; none where any part is missing.
ObjectKind object_kind(hid_t loc, const std::string& path);

struct LinkEntry {
  std::string name;
  H5L_type_t type = H5L_TYPE_ERROR;
};
// The links of a group in name order.
std::vector<LinkEntry> list_links(hid_t group, const std::string& where);
std::vector<std::string> child_names(hid_t group, const std::string& where);

bool has_attribute(hid_t object, const char* name);
// Numbers of any integer or float type, converted to double; nullopt when absent.
std::optional<double> read_number_attribute(hid_t object, const char* name, const std::string& where);
std::optional<std::vector<double>> read_number_array_attribute(hid_t object, const char* name,
                                                               const std::string& where);
// Fixed-length or variable-length strings (scalar or one element), any encoding.
std::optional<std::string> read_string_attribute(hid_t object, const char* name, const std::string& where);

void write_number_attribute(hid_t object, const char* name, double value, const std::string& where);
void write_number_array_attribute(hid_t object, const char* name, const std::vector<double>& values,
                                  const std::string& where);
// Variable-length UTF-8 (h5py reads these as str).
void write_string_attribute(hid_t object, const char* name, const std::string& value, const std::string& where);

// Shape of a dataset; invalid_shape naming it when it is not a plain array.
std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& where);

struct FloatArray {
  std::vector<float> values;
  std::vector<hsize_t> dims;
};

// The highest ratio of a dataset's size to the bytes it occupies in the file
// that a filtered (compressed) dataset may show: deflate cannot pass about
// 1032:1, so anything beyond twice that is a crafted file, not a recording.
constexpr double max_compression_ratio = 2048.0;
// Bounds on the attributes we read: numbers per array, bytes per string.
constexpr std::size_t max_attribute_numbers = std::size_t{1} << 20;
constexpr std::size_t max_attribute_string_bytes = std::size_t{64} << 20;

// Refuses, before anything is allocated, a dataset of `count` elements whose
// storage cannot hold them: FileError(file_format) when its chunks were never
// written (none, or only some: a sparse or unfinished file), when it is
// unfiltered but stored in fewer bytes than its size, when its compression
// ratio exceeds max_compression_ratio, and InvalidArgument(invalid_shape)
// when count exceeds `max_count` (ReadOptions::max_samples).
void check_dataset_storage(hid_t dataset, std::size_t count, std::size_t max_count, const std::string& where);

// Reads a floating-point dataset (float16/32/64 in either byte order,
// converted to float32 by value) whose rank is within [min_rank, max_rank],
// whose every extent is non-zero and whose storage passes
// check_dataset_storage; invalid_shape naming the dataset, its shape and type
// otherwise. Running out of memory is FileError(io_failure) naming it.
FloatArray read_float_dataset(hid_t loc, const std::string& name, int min_rank, int max_rank,
                              const std::string& where, std::size_t max_count);
// The same for float64 data (positions), kept as double.
std::vector<double> read_double_dataset(hid_t loc, const std::string& name, const std::vector<hsize_t>& expected_dims,
                                        const std::string& where, std::size_t max_count);

// A 1-D integer dataset (any integer type and byte order; negative values
// are refused) as unsigned 64-bit indices.
std::vector<unsigned long long> read_index_dataset(hid_t loc, const std::string& name, const std::string& where,
                                                   std::size_t max_count);
void write_index_vector(hid_t group, const char* name, const std::vector<std::size_t>& values,
                        const std::string& where);

// Chunk shape for a (rows, columns) float32 array: all rows x up to 64
// columns, capped near 1 MiB per chunk.
std::vector<hsize_t> chunk_shape(std::size_t rows, std::size_t columns);
// Writes a 2-D float32 dataset, chunked along columns, shuffle + deflate when
// compression_level > 0.
void write_float_matrix(hid_t group, const char* name, const float* values, std::size_t rows, std::size_t columns,
                        int compression_level, const std::string& where);
void write_double_matrix(hid_t group, const char* name, const double* values, std::size_t rows,
                         std::size_t columns, const std::string& where);

}  // namespace gprproc::io_detail
