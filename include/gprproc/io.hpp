#pragma once
// HDF5 input and output (the gprproc::io component, which links HDF5; the
// compute core does not). Our own layout is documented in docs/FORMAT.md;
// gprMax output files are read as gprMax writes them.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/error.hpp"  // the exceptions these functions throw
#include "gprproc/image.hpp"

namespace gprproc {

// The most samples one read allocates unless the caller raises it: 2^30
// float32 values, 4 GiB (docs/FORMAT.md, "Limits"). A file's claimed shape is
// checked against it, and against the bytes the file really stores, before
// any memory is taken.
constexpr std::size_t default_max_read_samples = std::size_t{1} << 30;

struct ReadOptions {
  // NaN/Inf samples are an error (naming the first one) unless allowed here.
  bool allow_non_finite = false;
  // A dataset of more values is refused (InvalidArgument invalid_shape).
  std::size_t max_samples = default_max_read_samples;
};

struct WriteOptions {
  // Writing a group that already exists in the file is an error unless this is set.
  bool overwrite_group = false;
  int compression_level = 4;  // gzip (deflate) level 0..9; 0 stores uncompressed
};

// What `list_groups` finds in a file: our B-scans and images, or a gprMax output.
struct GroupInfo {
  std::string name;     // group path, e.g. "/bscan", "/line_007", "/rxs/rx1/Ez"
  std::string kind;     // "bscan", "depth_image", "cube", "depth_image_3d" or "gprmax"
  std::size_t rows = 0;     // n_samples or n_z
  std::size_t columns = 0;  // n_traces or n_x
  std::size_t lines = 0;    // n_lines of a cube or 3-D image ("cube", "depth_image_3d"); 0 otherwise
};

// True when the file starts with the HDF5 signature (does not throw for missing files).
bool is_hdf5_file(const std::string& path);
std::vector<GroupInfo> list_groups(const std::string& path);

// Our layout. An empty group name picks the file's only B-scan (or "/bscan"
// when there are several, or a "/bscan" group written without gprproc_kind);
// otherwise the group is named, with or without "/" ("line_007",
// "survey/line_007"). Errors: FileError file_not_found (missing file),
// file_format (not HDF5, truncated, invalid metadata such as dt <= 0),
// missing_entry (group, `data`, dt or dx absent; the message lists what the
// file holds), io_failure (a read failing part-way); InvalidArgument
// invalid_shape (`data` not a non-empty 2-D floating-point array, or larger
// than options.max_samples) and non_finite (NaN/Inf samples, naming sample
// and trace, unless allowed). A `data` whose chunks were never written (all
// or some), that is stored in fewer bytes than its shape needs, or whose
// compression ratio passes 2048:1 is FileError file_format: nothing is
// allocated for it. Running out of memory is FileError io_failure.
BScan read_bscan(const std::string& path, const std::string& group = "", const ReadOptions& options = {});
DepthImage read_image(const std::string& path, const std::string& group = "", const ReadOptions& options = {});

// Adds (or, when allowed, replaces) one group; nested names create their
// parent groups. The new file (a copy of every other object of an existing
// target plus the group) is assembled in memory, written under a temporary
// name beside the target (".NAME.tmp-<pid>-<random>") and renamed over it only
// when complete and flushed, so a failure leaves
// the original file as it was and no partial file behind. Errors:
// InvalidArgument for invalid data or metadata, a bad group name or
// compression level, or an existing group without overwrite_group; FileError
// file_format when the target exists but is not (intact) HDF5,
// file_not_found when its folder is missing, io_failure when writing fails.
void write_bscan(const std::string& path, const BScan& bscan, const std::string& group = "bscan",
                 const WriteOptions& options = {});
void write_image(const std::string& path, const DepthImage& image, const std::string& group = "migrated",
                 const WriteOptions& options = {});

struct GprMaxOptions {
  std::string component = "Ez";  // Ex, Ey, Ez, Hx, Hy, Hz (or Ix, Iy, Iz where written)
  int receiver = 1;              // /rxs/rx<receiver>
  // Trace spacing (m). Taken from rxsteps x cell size where the file has them;
  // a positive value here overrides the file; required where the file lacks it
  // (merged files of several traces without rxsteps).
  double dx = 0.0;
  bool allow_non_finite = false;
  std::size_t max_samples = default_max_read_samples;  // as ReadOptions::max_samples
};

// A merged B-scan (v3 *_merged.out, v4 *_merged.h5), a single A-scan (one
// trace), or a numbered series: `path` naming "runs/scene" (or
// "runs/scene1.out" when runs/scene2.out exists) reads runs/scene1.out ...
// runs/sceneN.out, in numeric order, as one B-scan with per-trace positions.
// dt from the file, t0 = 0; dx as documented in docs/FORMAT.md (caller,
// series positions, rxsteps x cell size); InvalidArgument asking for dx when
// a file of several traces gives no way to know it.
BScan read_gprmax(const std::string& path, const GprMaxOptions& options = {});

// True when the file is a gprMax output (an HDF5 file with /rxs and a gprMax attribute).
bool is_gprmax_file(const std::string& path);

// Reads any B-scan the library knows by its content: gprMax output when the
// file has a /rxs group (or `path` names a numbered series), with default
// GprMaxOptions plus `gprmax_dx`, where `group` may name the component ("Ey")
// or output ("/rxs/rx2/Ey"); a field instrument file (GSSI DZT, pulseEKKO
// DT1/HD, MALA rd3/rd7, SEG-Y; vendor_formats.hpp) with `gprmax_dx` as its
// trace spacing where the file lacks one; our layout otherwise.
BScan read(const std::string& path, const std::string& group = "", double gprmax_dx = 0.0);

}  // namespace gprproc
