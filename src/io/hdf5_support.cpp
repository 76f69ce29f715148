#include "io/hdf5_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "gprproc/io.hpp"
#include "io/input_file.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(ErrorCode code, const std::string& what) {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;
  if (closer_ != nullptr && closer_(id) < 0) throw_hdf5(code, what);
}

QuietHdf5Errors::QuietHdf5Errors() {
  if (H5Eget_auto2(H5E_DEFAULT, &function_, &data_) >= 0) saved_ = true;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietHdf5Errors::~QuietHdf5Errors() {
  if (saved_) H5Eset_auto2(H5E_DEFAULT, function_, data_);
}

namespace {
herr_t collect_error(unsigned /*n*/, const H5E_error2_t* error, void* client) {
  auto* lines = static_cast<std::vector<std::string>*>(client);
  if (error != nullptr && error->desc != nullptr && error->desc[0] != '\0') lines->emplace_back(error->desc);
  return 0;
}
}  // namespace

std::string hdf5_error_text() {
  std::vector<std::string> lines;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &lines);
  H5Eclear2(H5E_DEFAULT);
  if (lines.empty()) return "";
  // The outermost line says what was attempted, the innermost why it failed.
  if (lines.size() == 1 || lines.front() == lines.back()) return lines.front();
  return lines.front() + ": " + lines.back();
}

void throw_hdf5(ErrorCode code, const std::string& what) {
  const std::string detail = hdf5_error_text();
  const std::string message = detail.empty() ? what : what + " (HDF5: " + detail + ")";
  if (code == ErrorCode::invalid_argument || code == ErrorCode::invalid_shape || code == ErrorCode::non_finite)
    throw InvalidArgument(message, code);
  throw FileError(code, message);
}

Handle checked(hid_t id, Closer closer, ErrorCode code, const std::string& what) {
  if (id < 0) throw_hdf5(code, what);
  return Handle(id, closer);
}

void check(herr_t status, ErrorCode code, const std::string& what) {
  if (status < 0) throw_hdf5(code, what);
}

std::string in_quotes(const std::string& text) { return "'" + text + "'"; }

std::string describe_dims(const std::vector<hsize_t>& dims) {
  std::ostringstream out;
  out << "(";
  for (std::size_t i = 0; i < dims.size(); ++i) out << (i ? ", " : "") << dims[i];
  if (dims.size() == 1) out << ",";
  out << ")";
  return out.str();
}

namespace {
std::string quoted_path_unreadable(const std::string& path) {
  return in_quotes(path) + " exists but cannot be opened for reading (permissions?)";
}
}  // namespace

Handle open_file_for_reading(const std::string& path) {
  check_no_nul(path, "file");  // a NUL would silently open the shorter name
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw FileError(ErrorCode::file_not_found, "file not found: " + in_quotes(path));
  if (fs::is_directory(status))
    throw FileError(ErrorCode::file_format, in_quotes(path) + " is a folder, not an HDF5 file");
  check_input_file(path);  // a FIFO would block the open below, a device is no file
  if (!std::ifstream(path, std::ios::binary)) {
    throw FileError(ErrorCode::io_failure, quoted_path_unreadable(path));
  }
  if (!is_hdf5_file(path)) {
    throw FileError(ErrorCode::file_format,
                    in_quotes(path) + " is not an HDF5 file (no HDF5 signature); expected our HDF5 layout or gprMax output");
  }
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    throw_hdf5(ErrorCode::file_format,
               in_quotes(path) + " has an HDF5 signature but could not be opened; it may be truncated or damaged");
  }
  return Handle(id, H5Fclose);
}

std::string join_path(const std::string& parent, const std::string& name) {
  if (parent.empty() || parent == "/") return "/" + name;
  return parent + "/" + name;
}

ObjectKind object_kind(hid_t loc, const std::string& path) {
  // Walk the parts: H5Lexists fails (rather than answering false) when an
  // intermediate part is missing.
  const bool absolute = path.rfind('/', 0) == 0;
  std::string partial;
  std::stringstream parts(path);
  std::string part;
  bool any = false;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    partial += (absolute || any) ? "/" + part : part;
    const htri_t exists = H5Lexists(loc, partial.c_str(), H5P_DEFAULT);
    if (exists <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return ObjectKind::none;
    }
    any = true;
  }
  if (!any) partial = absolute ? "/" : ".";
  const hid_t object = H5Oopen(loc, partial.c_str(), H5P_DEFAULT);
  if (object < 0) {  // a dangling soft or external link
    H5Eclear2(H5E_DEFAULT);
    return ObjectKind::none;
  }
  Handle owner(object, H5Oclose);
  switch (H5Iget_type(object)) {
    case H5I_GROUP: return ObjectKind::group;
    case H5I_DATASET: return ObjectKind::dataset;
    default: return ObjectKind::other;
  }
}

namespace {
herr_t collect_link(hid_t /*group*/, const char* name, const H5L_info_t* info, void* client) {
  auto* links = static_cast<std::vector<LinkEntry>*>(client);
  links->push_back({name, info != nullptr ? info->type : H5L_TYPE_ERROR});
  return 0;
}
}  // namespace

std::vector<LinkEntry> list_links(hid_t group, const std::string& where) {
  std::vector<LinkEntry> links;
  hsize_t index = 0;
  check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_link, &links), ErrorCode::io_failure,
        "listing the contents of " + where + " failed");
  return links;
}

std::vector<std::string> child_names(hid_t group, const std::string& where) {
  std::vector<std::string> names;
  for (const auto& link : list_links(group, where)) names.push_back(link.name);
  return names;
}

bool has_attribute(hid_t object, const char* name) {
  const htri_t exists = H5Aexists(object, name);
  if (exists < 0) H5Eclear2(H5E_DEFAULT);
  return exists > 0;
}

namespace {
struct OpenAttribute {
  Handle attribute;
  Handle type;
  Handle space;
  hssize_t points = 0;
  H5T_class_t type_class = H5T_NO_CLASS;
};

OpenAttribute open_attribute(hid_t object, const char* name, const std::string& where) {
  OpenAttribute a;
  const std::string what = "attribute " + in_quotes(name) + " of " + where;
  a.attribute = checked(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, ErrorCode::file_format, "opening " + what + " failed");
  a.type = checked(H5Aget_type(a.attribute.get()), H5Tclose, ErrorCode::file_format, "reading the type of " + what + " failed");
  a.space = checked(H5Aget_space(a.attribute.get()), H5Sclose, ErrorCode::file_format, "reading the shape of " + what + " failed");
  a.points = H5Sget_simple_extent_npoints(a.space.get());
  if (a.points < 0) throw_hdf5(ErrorCode::file_format, "reading the shape of " + what + " failed");
  a.type_class = H5Tget_class(a.type.get());
  return a;
}
}  // namespace

std::optional<std::vector<double>> read_number_array_attribute(hid_t object, const char* name,
                                                               const std::string& where) {
  if (!has_attribute(object, name)) return std::nullopt;
  OpenAttribute a = open_attribute(object, name, where);
  if (a.type_class != H5T_INTEGER && a.type_class != H5T_FLOAT) {
    throw FileError(ErrorCode::file_format,
                    "attribute " + in_quotes(name) + " of " + where + " should hold numbers but holds another type");
  }
  if (static_cast<std::size_t>(a.points) > max_attribute_numbers) {
    throw FileError(ErrorCode::file_format, "attribute " + in_quotes(name) + " of " + where + " claims " +
                                                std::to_string(a.points) + " numbers; more than the " +
                                                std::to_string(max_attribute_numbers) + " an attribute may hold");
  }
  std::vector<double> values(static_cast<std::size_t>(a.points));
  if (!values.empty()) {
    check(H5Aread(a.attribute.get(), H5T_NATIVE_DOUBLE, values.data()), ErrorCode::file_format,
          "reading attribute " + in_quotes(name) + " of " + where + " failed");
  }
  return values;
}

std::optional<double> read_number_attribute(hid_t object, const char* name, const std::string& where) {
  auto values = read_number_array_attribute(object, name, where);
  if (!values) return std::nullopt;
  if (values->size() != 1) {
    throw FileError(ErrorCode::file_format, "attribute " + in_quotes(name) + " of " + where + " should be one number, found " +
                                                std::to_string(values->size()));
  }
  return values->front();
}

std::optional<std::string> read_string_attribute(hid_t object, const char* name, const std::string& where) {
  if (!has_attribute(object, name)) return std::nullopt;
  OpenAttribute a = open_attribute(object, name, where);
  const std::string what = "attribute " + in_quotes(name) + " of " + where;
  if (a.type_class != H5T_STRING) throw FileError(ErrorCode::file_format, what + " should be a string but holds another type");
  if (a.points != 1) {
    throw FileError(ErrorCode::file_format, what + " should be one string, found " + std::to_string(a.points));
  }
  const htri_t variable = H5Tis_variable_str(a.type.get());
  if (variable < 0) throw_hdf5(ErrorCode::file_format, "reading the type of " + what + " failed");
  if (variable > 0) {
    Handle memory_type = checked(H5Tcopy(H5T_C_S1), H5Tclose, ErrorCode::io_failure, "HDF5 string type");
    check(H5Tset_size(memory_type.get(), H5T_VARIABLE), ErrorCode::io_failure, "HDF5 string type");
    check(H5Tset_cset(memory_type.get(), H5Tget_cset(a.type.get())), ErrorCode::io_failure, "HDF5 string type");
    char* text = nullptr;
    check(H5Aread(a.attribute.get(), memory_type.get(), &text), ErrorCode::file_format, "reading " + what + " failed");
    std::string value = text != nullptr ? std::string(text) : std::string();
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(a.type.get());
  if (size > max_attribute_string_bytes) {
    throw FileError(ErrorCode::file_format, what + " claims a string of " + std::to_string(size) +
                                                " bytes; more than the " + std::to_string(max_attribute_string_bytes) +
                                                " an attribute may hold");
  }
  std::vector<char> buffer(size + 1, '\0');
  if (size > 0)
    check(H5Aread(a.attribute.get(), a.type.get(), buffer.data()), ErrorCode::file_format, "reading " + what + " failed");
  std::string value(buffer.data(), std::strlen(buffer.data()));  // null-terminated or null-padded
  if (H5Tget_strpad(a.type.get()) == H5T_STR_SPACEPAD) {
    while (!value.empty() && value.back() == ' ') value.pop_back();
  }
  return value;
}

void write_number_attribute(hid_t object, const char* name, double value, const std::string& where) {
  const std::string what = "writing attribute " + in_quotes(name) + " of " + where + " failed";
  Handle space = checked(H5Screate(H5S_SCALAR), H5Sclose, ErrorCode::io_failure, what);
  Handle attribute = checked(H5Acreate2(object, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose, ErrorCode::io_failure, what);
  check(H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value), ErrorCode::io_failure, what);
}

void write_number_array_attribute(hid_t object, const char* name, const std::vector<double>& values,
                                  const std::string& where) {
  const std::string what = "writing attribute " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[1] = {values.size()};
  Handle space = checked(H5Screate_simple(1, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle attribute = checked(H5Acreate2(object, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose, ErrorCode::io_failure, what);
  if (!values.empty()) check(H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, values.data()), ErrorCode::io_failure, what);
}

void write_string_attribute(hid_t object, const char* name, const std::string& value, const std::string& where) {
  const std::string what = "writing attribute " + in_quotes(name) + " of " + where + " failed";
  Handle type = checked(H5Tcopy(H5T_C_S1), H5Tclose, ErrorCode::io_failure, what);
  check(H5Tset_size(type.get(), H5T_VARIABLE), ErrorCode::io_failure, what);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), ErrorCode::io_failure, what);
  Handle space = checked(H5Screate(H5S_SCALAR), H5Sclose, ErrorCode::io_failure, what);
  Handle attribute = checked(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                             ErrorCode::io_failure, what);
  const char* text = value.c_str();
  check(H5Awrite(attribute.get(), type.get(), &text), ErrorCode::io_failure, what);
}

std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& where) {
  Handle space = checked(H5Dget_space(dataset), H5Sclose, ErrorCode::file_format, "reading the shape of " + where + " failed");
  const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  if (space_class != H5S_SIMPLE) {
    throw InvalidArgument(where + " is " + (space_class == H5S_SCALAR ? "a scalar" : "empty (null dataspace)") +
                              ", not an array",
                          ErrorCode::invalid_shape);
  }
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) throw_hdf5(ErrorCode::file_format, "reading the shape of " + where + " failed");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    throw_hdf5(ErrorCode::file_format, "reading the shape of " + where + " failed");
  return dims;
}

namespace {
std::string describe_type(hid_t type) {
  const H5T_class_t type_class = H5Tget_class(type);
  const std::size_t bits = 8 * H5Tget_size(type);
  switch (type_class) {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_FLOAT: return "float" + std::to_string(bits);
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    default: return "a non-numeric type";
  }
}

struct OpenDataset {
  Handle dataset;
  std::vector<hsize_t> dims;
  std::size_t count = 0;
};

OpenDataset open_checked_dataset(hid_t loc, const std::string& name, H5T_class_t wanted, int min_rank, int max_rank,
                                 const std::string& where, bool allow_empty = false) {
  OpenDataset d;
  if (object_kind(loc, name) != ObjectKind::dataset)
    throw FileError(ErrorCode::missing_entry, where + " does not exist or is not a dataset");
  d.dataset = checked(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, ErrorCode::file_format, "opening " + where + " failed");
  d.dims = dataset_dims(d.dataset.get(), where);
  Handle type = checked(H5Dget_type(d.dataset.get()), H5Tclose, ErrorCode::file_format, "reading the type of " + where + " failed");
  const int rank = static_cast<int>(d.dims.size());
  const bool type_ok = H5Tget_class(type.get()) == wanted;
  if (!type_ok || rank < min_rank || rank > max_rank) {
    std::ostringstream msg;
    msg << where << " has shape " << describe_dims(d.dims) << " and type " << describe_type(type.get()) << "; expected ";
    if (min_rank == max_rank)
      msg << "a " << min_rank << "-D";
    else
      msg << "a " << min_rank << "-D to " << max_rank << "-D";
    msg << (wanted == H5T_FLOAT ? " floating-point array" : wanted == H5T_INTEGER ? " integer array" : " array");
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  // The product saturates: a forged shape must not wrap around to a small count.
  d.count = 1;
  const bool any_zero = std::find(d.dims.begin(), d.dims.end(), hsize_t{0}) != d.dims.end();
  for (hsize_t n : d.dims) {
    if (any_zero) {
      d.count = 0;
    } else if (n > std::numeric_limits<std::size_t>::max() / d.count) {
      d.count = std::numeric_limits<std::size_t>::max();
    } else {
      d.count *= static_cast<std::size_t>(n);
    }
  }
  if (d.count == 0 && !allow_empty) {
    throw InvalidArgument(where + " is empty: shape " + describe_dims(d.dims) + "; it needs at least one sample and one trace",
                          ErrorCode::invalid_shape);
  }
  return d;
}
}  // namespace

void check_dataset_storage(hid_t dataset, std::size_t count, std::size_t max_count, const std::string& where) {
  Handle plist = checked(H5Dget_create_plist(dataset), H5Pclose, ErrorCode::file_format,
                         "reading the storage of " + where + " failed");
  const H5D_layout_t layout = H5Pget_layout(plist.get());
  if (layout == H5D_VIRTUAL) {
    throw FileError(ErrorCode::file_format, where + " is a virtual dataset (its samples live in other files); "
                                                "copy it into a plain dataset first");
  }
  const std::string unwritten = ": the unwritten part would read as fill values, not samples; a sparse or unfinished file";
  if (layout == H5D_CHUNKED) {
    // H5Dget_space_status cannot tell a compressed dataset from a partly
    // written one (it compares compressed bytes with the full size), so the
    // chunks are counted: every chunk the shape needs must be in the file.
    const int rank = H5Pget_chunk(plist.get(), 0, nullptr);
    std::vector<hsize_t> chunk(static_cast<std::size_t>(std::max(rank, 0)));
    Handle space = checked(H5Dget_space(dataset), H5Sclose, ErrorCode::file_format, "reading the shape of " + where + " failed");
    std::vector<hsize_t> dims(chunk.size());
    if (rank <= 0 || H5Pget_chunk(plist.get(), rank, chunk.data()) != rank ||
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) != rank)
      throw_hdf5(ErrorCode::file_format, "reading the chunk shape of " + where + " failed");
    double needed = 1.0;
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (chunk[k] == 0) throw FileError(ErrorCode::file_format, where + " has a chunk extent of 0");
      needed *= std::ceil(static_cast<double>(dims[k]) / static_cast<double>(chunk[k]));
    }
    hsize_t written = 0;
    check(H5Dget_num_chunks(dataset, space.get(), &written), ErrorCode::file_format, "counting the chunks of " + where + " failed");
    if (written == 0)
      throw FileError(ErrorCode::file_format, where + " holds no data: its chunks were never written" + unwritten);
    if (static_cast<double>(written) < needed) {
      std::ostringstream msg;
      msg << where << " is only partly written: " << written << " of the " << needed << " chunks its shape needs are in the file"
          << unwritten;
      throw FileError(ErrorCode::file_format, msg.str());
    }
  } else if (layout == H5D_CONTIGUOUS) {
    H5D_space_status_t status = H5D_SPACE_STATUS_ERROR;
    check(H5Dget_space_status(dataset, &status), ErrorCode::file_format, "reading the storage of " + where + " failed");
    if (status != H5D_SPACE_STATUS_ALLOCATED)
      throw FileError(ErrorCode::file_format, where + " holds no data: it was created but never written" + unwritten);
  }
  if (count > max_count) {
    throw InvalidArgument(where + " holds " + std::to_string(count) + " values, more than the " +
                              std::to_string(max_count) + " a read may allocate (ReadOptions::max_samples)",
                          ErrorCode::invalid_shape);
  }
  // Compact data (in the object header, at most 64 KiB) is unfiltered: its
  // stored size must cover the shape too (libhdf5 1.10 does not check that,
  // and copies past the stored bytes otherwise).
  Handle type = checked(H5Dget_type(dataset), H5Tclose, ErrorCode::file_format, "reading the type of " + where + " failed");
  const double logical = static_cast<double>(count) * static_cast<double>(H5Tget_size(type.get()));
  const double stored = static_cast<double>(H5Dget_storage_size(dataset));
  const int filters = H5Pget_nfilters(plist.get());
  if (filters <= 0 && stored < logical) {
    throw FileError(ErrorCode::file_format, where + " is stored uncompressed in " + std::to_string(H5Dget_storage_size(dataset)) +
                                                " bytes but its shape needs " +
                                                std::to_string(static_cast<unsigned long long>(logical)) +
                                                " bytes: a sparse or damaged file");
  }
  if (filters > 0 && logical > max_compression_ratio * stored) {
    std::ostringstream msg;
    msg << where << " would expand from " << H5Dget_storage_size(dataset) << " stored bytes to " << logical
        << " bytes, a compression ratio of " << (stored > 0.0 ? logical / stored : logical) << ":1 beyond the "
        << max_compression_ratio << ":1 any real recording reaches; a crafted or damaged file";
    throw FileError(ErrorCode::file_format, msg.str());
  }
}

FloatArray read_float_dataset(hid_t loc, const std::string& name, int min_rank, int max_rank, const std::string& where,
                              std::size_t max_count) {
  OpenDataset d = open_checked_dataset(loc, name, H5T_FLOAT, min_rank, max_rank, where);
  check_dataset_storage(d.dataset.get(), d.count, max_count, where);
  FloatArray out;
  out.dims = d.dims;
  guard_memory(where + " (" + std::to_string(d.count) + " values)", [&] { out.values.resize(d.count); });
  check(H5Dread(d.dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()),
        ErrorCode::io_failure, "reading " + where + " failed; the file may be truncated or damaged");
  return out;
}

std::vector<double> read_double_dataset(hid_t loc, const std::string& name, const std::vector<hsize_t>& expected_dims,
                                        const std::string& where, std::size_t max_count) {
  OpenDataset d = open_checked_dataset(loc, name, H5T_FLOAT, static_cast<int>(expected_dims.size()),
                                       static_cast<int>(expected_dims.size()), where);
  if (d.dims != expected_dims) {
    throw InvalidArgument(where + " has shape " + describe_dims(d.dims) + "; expected " + describe_dims(expected_dims),
                          ErrorCode::invalid_shape);
  }
  check_dataset_storage(d.dataset.get(), d.count, max_count, where);
  std::vector<double> values;
  guard_memory(where + " (" + std::to_string(d.count) + " values)", [&] { values.resize(d.count); });
  check(H5Dread(d.dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), ErrorCode::io_failure,
        "reading " + where + " failed; the file may be truncated or damaged");
  return values;
}

std::vector<unsigned long long> read_index_dataset(hid_t loc, const std::string& name, const std::string& where,
                                                   std::size_t max_count) {
  OpenDataset d = open_checked_dataset(loc, name, H5T_INTEGER, 1, 1, where, /*allow_empty=*/true);
  std::vector<unsigned long long> values;
  if (d.count == 0) return values;
  check_dataset_storage(d.dataset.get(), d.count, max_count, where);
  // Read as signed 64-bit so that negative stored values are seen (an
  // unsigned read would clip them to 0 silently).
  std::vector<long long> raw;
  guard_memory(where + " (" + std::to_string(d.count) + " values)", [&] { raw.resize(d.count); });
  check(H5Dread(d.dataset.get(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), ErrorCode::io_failure,
        "reading " + where + " failed; the file may be truncated or damaged");
  values.reserve(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw[k] < 0)
      throw FileError(ErrorCode::file_format, where + " holds the negative index " + std::to_string(raw[k]) +
                                                  " at position " + std::to_string(k));
    values.push_back(static_cast<unsigned long long>(raw[k]));
  }
  return values;
}

void write_index_vector(hid_t group, const char* name, const std::vector<std::size_t>& values, const std::string& where) {
  const std::string what = "writing dataset " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[1] = {values.size()};
  Handle space = checked(H5Screate_simple(1, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle dataset = checked(
      H5Dcreate2(group, name, H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
      ErrorCode::io_failure, what);
  std::vector<unsigned long long> out(values.begin(), values.end());
  if (!out.empty())
    check(H5Dwrite(dataset.get(), H5T_NATIVE_ULLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), ErrorCode::io_failure,
          what);
  dataset.close(ErrorCode::io_failure, what);
}

std::vector<hsize_t> chunk_shape(std::size_t rows, std::size_t columns) {
  constexpr std::size_t cap_bytes = std::size_t{1} << 20;
  constexpr std::size_t cap_values = cap_bytes / sizeof(float);
  const std::size_t chunk_rows = std::max<std::size_t>(1, std::min(rows, cap_values));
  const std::size_t columns_in_cap = std::max<std::size_t>(1, cap_values / chunk_rows);
  const std::size_t chunk_columns = std::max<std::size_t>(1, std::min({columns, std::size_t{64}, columns_in_cap}));
  return {static_cast<hsize_t>(chunk_rows), static_cast<hsize_t>(chunk_columns)};
}

void write_float_matrix(hid_t group, const char* name, const float* values, std::size_t rows, std::size_t columns,
                        int compression_level, const std::string& where) {
  const std::string what = "writing dataset " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[2] = {rows, columns};
  Handle space = checked(H5Screate_simple(2, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle properties = checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, ErrorCode::io_failure, what);
  const std::vector<hsize_t> chunk = chunk_shape(rows, columns);
  check(H5Pset_chunk(properties.get(), 2, chunk.data()), ErrorCode::io_failure, what);
  if (compression_level > 0) {
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0) {
      throw FileError(ErrorCode::not_implemented,
                      "this HDF5 library lacks the deflate or shuffle filter; write with compression_level = 0");
    }
    check(H5Pset_shuffle(properties.get()), ErrorCode::io_failure, what);
    check(H5Pset_deflate(properties.get(), static_cast<unsigned>(compression_level)), ErrorCode::io_failure, what);
  }
  Handle dataset = checked(
      H5Dcreate2(group, name, H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT), H5Dclose,
      ErrorCode::io_failure, what);
  check(H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), ErrorCode::io_failure, what);
  dataset.close(ErrorCode::io_failure, what);
}

void write_double_matrix(hid_t group, const char* name, const double* values, std::size_t rows, std::size_t columns,
                         const std::string& where) {
  const std::string what = "writing dataset " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[2] = {rows, columns};
  Handle space = checked(H5Screate_simple(2, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle dataset = checked(
      H5Dcreate2(group, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
      ErrorCode::io_failure, what);
  check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), ErrorCode::io_failure, what);
  dataset.close(ErrorCode::io_failure, what);
}

}  // namespace gprproc::io_detail
