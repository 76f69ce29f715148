// Our layout for cubes and 3-D depth images: one 3-D dataset chunked by line,
// metadata as attributes (docs/FORMAT.md, "Cubes"). Reads take a range of
// lines as an HDF5 hyperslab, so a survey larger than memory reads in parts.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "gprproc/io.hpp"
#include "gprproc/io_cube.hpp"
#include "gprproc/version.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/hdf5_support.hpp"
#include "io/history_json.hpp"
#include "io/layout_common.hpp"
#include "io/layout_groups.hpp"
#include "io/safe_write.hpp"

namespace gprproc {

using namespace io_detail;

namespace {

// (1, rows, columns) chunks: the 2-D chunk of one line, never two lines.
void write_float_volume(hid_t group, const char* name, const float* values, std::size_t lines, std::size_t rows,
                        std::size_t columns, int compression_level, const std::string& where) {
  const std::string what = "writing dataset " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[3] = {lines, rows, columns};
  Handle space = checked(H5Screate_simple(3, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle properties = checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, ErrorCode::io_failure, what);
  const std::vector<hsize_t> plane = chunk_shape(rows, columns);
  const hsize_t chunk[3] = {1, plane[0], plane[1]};
  check(H5Pset_chunk(properties.get(), 3, chunk), ErrorCode::io_failure, what);
  if (compression_level > 0) {
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0)
      throw FileError(ErrorCode::not_implemented,
                      "this HDF5 library lacks the deflate or shuffle filter; write with compression_level = 0");
    check(H5Pset_shuffle(properties.get()), ErrorCode::io_failure, what);
    check(H5Pset_deflate(properties.get(), static_cast<unsigned>(compression_level)), ErrorCode::io_failure, what);
  }
  Handle dataset = checked(
      H5Dcreate2(group, name, H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT), H5Dclose,
      ErrorCode::io_failure, what);
  check(H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), ErrorCode::io_failure, what);
  dataset.close(ErrorCode::io_failure, what);
}

void write_double_volume(hid_t group, const char* name, const double* values, std::size_t a, std::size_t b,
                         std::size_t c, const std::string& where) {
  const std::string what = "writing dataset " + in_quotes(name) + " of " + where + " failed";
  const hsize_t dims[3] = {a, b, c};
  Handle space = checked(H5Screate_simple(3, dims, nullptr), H5Sclose, ErrorCode::io_failure, what);
  Handle dataset =
      checked(H5Dcreate2(group, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
              ErrorCode::io_failure, what);
  check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), ErrorCode::io_failure, what);
  dataset.close(ErrorCode::io_failure, what);
}

struct Volume {
  std::vector<float> values;
  std::size_t lines = 0, rows = 0, columns = 0;  // of what was read
  std::size_t total_lines = 0;                   // in the file
};

// Lines [first, first + count) of a 3-D floating-point dataset (count 0: to
// the end), read as a hyperslab and converted to float32.
Volume read_float_volume(hid_t group, const char* name, const LineRange& range, std::size_t max_samples,
                         const std::string& where) {
  if (object_kind(group, name) != ObjectKind::dataset)
    throw FileError(ErrorCode::missing_entry, where + " has no dataset " + in_quotes(name));
  Handle dataset = checked(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose, ErrorCode::file_format,
                           "opening dataset " + in_quotes(name) + " of " + where + " failed");
  Handle type = checked(H5Dget_type(dataset.get()), H5Tclose, ErrorCode::file_format, where);
  if (H5Tget_class(type.get()) != H5T_FLOAT)
    throw InvalidArgument("dataset " + in_quotes(name) + " of " + where + " must hold floating-point samples",
                          ErrorCode::invalid_shape);
  const std::vector<hsize_t> dims = dataset_dims(dataset.get(), where);
  if (dims.size() != 3 || dims[0] == 0 || dims[1] == 0 || dims[2] == 0)
    throw InvalidArgument("dataset " + in_quotes(name) + " of " + where + " has shape " + describe_dims(dims) +
                              "; a cube needs a non-empty 3-D (n_lines, n_samples, n_traces) array",
                          ErrorCode::invalid_shape);
  Volume v;
  v.total_lines = static_cast<std::size_t>(dims[0]);
  v.rows = static_cast<std::size_t>(dims[1]);
  v.columns = static_cast<std::size_t>(dims[2]);
  if (range.first >= v.total_lines || (range.count != 0 && range.count > v.total_lines - range.first))
    throw InvalidArgument("lines " + std::to_string(range.first) + " .. " +
                          std::to_string(range.first + (range.count ? range.count : 1) - 1) + " are outside the " +
                          std::to_string(v.total_lines) + " lines of " + where);
  v.lines = range.count ? range.count : v.total_lines - range.first;
  // Sized from the file: its storage must hold what it claims (no unwritten
  // chunks, no compression bomb), and what is read stays within max_samples.
  const double total = double(v.total_lines) * double(v.rows) * double(v.columns);
  if (total > double(std::numeric_limits<std::size_t>::max() / sizeof(float)))
    throw FileError(ErrorCode::file_format, where + " claims a cube of " + describe_dims(dims) + " samples; too large");
  check_dataset_storage(dataset.get(), static_cast<std::size_t>(total), std::numeric_limits<std::size_t>::max(), where);
  const std::size_t samples = v.lines * v.rows * v.columns;
  if (samples > max_samples)
    throw InvalidArgument(where + ": reading " + std::to_string(v.lines) + " lines is " + std::to_string(samples) +
                              " samples, more than ReadOptions::max_samples = " + std::to_string(max_samples) +
                              "; read fewer lines at a time (LineRange) or raise the limit",
                          ErrorCode::invalid_shape);
  try {
    v.values.resize(samples);
  } catch (const std::bad_alloc&) {
    throw FileError(ErrorCode::io_failure, "out of memory reading " + std::to_string(samples) + " samples of " + where);
  }
  Handle file_space = checked(H5Dget_space(dataset.get()), H5Sclose, ErrorCode::file_format, where);
  const hsize_t start[3] = {range.first, 0, 0};
  const hsize_t count[3] = {v.lines, v.rows, v.columns};
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), ErrorCode::io_failure,
        "selecting lines of " + where);
  Handle memory_space = checked(H5Screate_simple(3, count, nullptr), H5Sclose, ErrorCode::io_failure, where);
  check(H5Dread(dataset.get(), H5T_NATIVE_FLOAT, memory_space.get(), file_space.get(), H5P_DEFAULT, v.values.data()),
        ErrorCode::io_failure, "reading " + where + " failed; the file may be truncated or damaged");
  return v;
}

std::vector<double> read_positions(hid_t group, const LineRange& range, std::size_t lines, std::size_t traces,
                                   std::size_t total_lines, std::size_t max_samples, const std::string& where) {
  if (object_kind(group, "positions") == ObjectKind::none) return {};
  const std::vector<double> all = read_double_dataset(group, "positions", {total_lines, traces, 3},
                                                      "dataset 'positions' of " + where, max_samples);
  const auto begin = all.begin() + static_cast<std::ptrdiff_t>(range.first * traces * 3);
  return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(lines * traces * 3));
}

void write_line_metadata(hid_t g, const BScanMetadata& m, const std::string& where) {
  write_number_attribute(g, "dt", m.dt, where);
  write_number_attribute(g, "t0", m.t0, where);
  write_number_attribute(g, "dx", m.dx, where);
  write_number_attribute(g, "x0", m.x0, where);
  write_number_attribute(g, "antenna_offset", m.antenna_offset, where);
  write_number_attribute(g, "antenna_height", m.antenna_height, where);
  write_number_attribute(g, "center_frequency", m.center_frequency, where);
  write_string_attribute(g, "component", m.component, where);
  write_string_attribute(g, "source", m.source, where);
}

Handle open_group(hid_t file, const std::string& path, const std::string& group, const std::string& kind,
                  std::string& name, std::string& where) {
  name = resolve_group(file, path, group, kind);
  where = "group " + in_quotes(name) + " of " + in_quotes(path);
  Handle g = checked(H5Gopen2(file, name.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                     "opening " + where + " failed");
  check_kind(g.get(), kind, where);
  return g;
}

}  // namespace

void write_cube(const std::string& path, const Cube& cube, const std::string& group, const WriteOptions& options) {
  QuietHdf5Errors quiet;
  validate(cube.view(), "cube to write");
  validate(cube.metadata);
  check_compression_level(options.compression_level);
  if (!cube.positions.empty() && cube.positions.size() != 3 * cube.n_lines() * cube.n_traces())
    throw InvalidArgument("cube positions hold " + std::to_string(cube.positions.size()) + " values; expected " +
                              std::to_string(cube.n_lines()) + " lines x " + std::to_string(cube.n_traces()) +
                              " traces x 3",
                          ErrorCode::invalid_shape);
  const std::string history = history_to_json(cube.history);
  write_group_safely(path, group, options.overwrite_group, [&](hid_t file, const std::string& name) {
    const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
    Handle g = create_group(file, name, in_quotes(path));
    write_float_volume(g.get(), "data", cube.data(), cube.n_lines(), cube.n_samples(), cube.n_traces(),
                       options.compression_level, where);
    if (!cube.positions.empty())
      write_double_volume(g.get(), "positions", cube.positions.data(), cube.n_lines(), cube.n_traces(), 3, where);
    write_string_attribute(g.get(), "gprproc_kind", "cube", where);
    write_string_attribute(g.get(), "gprproc_version", version_string, where);
    write_line_metadata(g.get(), cube.metadata.line, where);
    write_number_attribute(g.get(), "dy", cube.metadata.dy, where);
    write_number_attribute(g.get(), "y0", cube.metadata.y0, where);
    write_string_attribute(g.get(), "history", history, where);
  });
}

Cube read_cube(const std::string& path, const std::string& group, const LineRange& lines, const ReadOptions& options) {
  QuietHdf5Errors quiet;
  Handle file = open_file_for_reading(path);
  check_global_heaps(path, file.get());
  std::string name, where;
  Handle g = open_group(file.get(), path, group, "cube", name, where);
  CubeMetadata m;
  m.line.dt = required_number(g.get(), "dt", where);
  m.line.dx = required_number(g.get(), "dx", where);
  m.line.t0 = optional_number(g.get(), "t0", where);
  m.line.x0 = optional_number(g.get(), "x0", where);
  m.line.antenna_offset = optional_number(g.get(), "antenna_offset", where);
  m.line.antenna_height = optional_number(g.get(), "antenna_height", where);
  m.line.center_frequency = optional_number(g.get(), "center_frequency", where);
  m.line.component = read_string_attribute(g.get(), "component", where).value_or("");
  m.line.source = read_string_attribute(g.get(), "source", where).value_or("");
  m.dy = required_number(g.get(), "dy", where);
  m.y0 = optional_number(g.get(), "y0", where);
  try {
    validate(m);
  } catch (const InvalidArgument& e) {
    throw FileError(ErrorCode::file_format, where + " has invalid metadata: " + e.what());
  }
  History history;
  if (const auto text = read_string_attribute(g.get(), "history", where))
    history = history_from_json(*text, "attribute 'history' of " + where);
  const std::string data_where = "dataset " + in_quotes(name + "/data") + " of " + in_quotes(path);
  Volume v = read_float_volume(g.get(), "data", lines, options.max_samples, data_where);
  std::vector<double> positions =
      read_positions(g.get(), lines, v.lines, v.columns, v.total_lines, options.max_samples, where);
  m.y0 = m.position_of_line(lines.first);
  Cube cube(std::move(v.values), v.lines, v.rows, v.columns, std::move(m));
  cube.history = std::move(history);
  cube.positions = std::move(positions);
  if (lines.first != 0 || v.lines != v.total_lines) {
    HistoryParameters p;
    p.add("first_line", lines.first).add("lines", v.lines).add("of", v.total_lines);
    append_history(cube.history, "read_lines", p);
  }
  if (!options.allow_non_finite) check_finite(std::as_const(cube).view(), data_where.c_str());
  return cube;
}

void write_image_3d(const std::string& path, const DepthImage3D& image, const std::string& group,
                    const WriteOptions& options) {
  QuietHdf5Errors quiet;
  validate(image.view(), "3-D depth image to write");
  const ImageGrid& g = image.grid.plane;
  if (!(std::isfinite(g.dz) && g.dz > 0) || !(std::isfinite(g.dx) && g.dx > 0) ||
      !(std::isfinite(image.grid.dy) && image.grid.dy > 0) || !std::isfinite(g.z0) || !std::isfinite(g.x0) ||
      !std::isfinite(image.grid.y0))
    throw InvalidArgument("3-D image grid needs positive, finite dz, dx and dy and finite z0, x0 and y0");
  image.velocity.validate();
  check_compression_level(options.compression_level);
  const std::string history = history_to_json(image.history);
  write_group_safely(path, group, options.overwrite_group, [&](hid_t file, const std::string& name) {
    const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
    Handle h = create_group(file, name, in_quotes(path));
    write_float_volume(h.get(), "data", image.data(), image.n_lines(), image.n_z(), image.n_x(),
                       options.compression_level, where);
    write_string_attribute(h.get(), "gprproc_kind", "depth_image_3d", where);
    write_string_attribute(h.get(), "gprproc_version", version_string, where);
    write_number_attribute(h.get(), "dz", g.dz, where);
    write_number_attribute(h.get(), "z0", g.z0, where);
    write_number_attribute(h.get(), "dx", g.dx, where);
    write_number_attribute(h.get(), "x0", g.x0, where);
    write_number_attribute(h.get(), "dy", image.grid.dy, where);
    write_number_attribute(h.get(), "y0", image.grid.y0, where);
    write_number_array_attribute(h.get(), "velocity_layer_tops", image.velocity.layer_tops, where);
    write_number_array_attribute(h.get(), "velocity_interval", image.velocity.velocities, where);
    write_string_attribute(h.get(), "history", history, where);
  });
}

DepthImage3D read_image_3d(const std::string& path, const std::string& group, const ReadOptions& options) {
  QuietHdf5Errors quiet;
  Handle file = open_file_for_reading(path);
  check_global_heaps(path, file.get());
  std::string name, where;
  Handle h = open_group(file.get(), path, group, "depth_image_3d", name, where);
  ImageGrid3D grid;
  grid.plane.dz = required_number(h.get(), "dz", where);
  grid.plane.dx = required_number(h.get(), "dx", where);
  grid.plane.z0 = optional_number(h.get(), "z0", where);
  grid.plane.x0 = optional_number(h.get(), "x0", where);
  grid.dy = required_number(h.get(), "dy", where);
  grid.y0 = optional_number(h.get(), "y0", where);
  VelocityModel velocity;
  const auto tops = read_number_array_attribute(h.get(), "velocity_layer_tops", where);
  const auto velocities = read_number_array_attribute(h.get(), "velocity_interval", where);
  if (!velocities) throw FileError(ErrorCode::missing_entry, where + " has no attribute 'velocity_interval'");
  velocity.velocities = *velocities;
  velocity.layer_tops = tops ? *tops : std::vector<double>{0.0};
  const ImageGrid& g = grid.plane;
  if (!(std::isfinite(g.dz) && g.dz > 0) || !(std::isfinite(g.dx) && g.dx > 0) || !(std::isfinite(grid.dy) && grid.dy > 0) ||
      !std::isfinite(g.z0) || !std::isfinite(g.x0) || !std::isfinite(grid.y0))
    throw FileError(ErrorCode::file_format, where + " has an invalid grid (dz, dx, dy must be positive, origins finite)");
  try {
    velocity.validate();
  } catch (const InvalidArgument& e) {
    throw FileError(ErrorCode::file_format, where + " has an invalid velocity model: " + e.what());
  }
  History history;
  if (const auto text = read_string_attribute(h.get(), "history", where))
    history = history_from_json(*text, "attribute 'history' of " + where);
  const std::string data_where = "dataset " + in_quotes(name + "/data") + " of " + in_quotes(path);
  Volume v = read_float_volume(h.get(), "data", LineRange{}, options.max_samples, data_where);
  DepthImage3D image(v.lines, v.rows, v.columns, grid, std::move(velocity));
  std::copy(v.values.begin(), v.values.end(), image.data());
  image.history = std::move(history);
  if (!options.allow_non_finite) check_finite(std::as_const(image).view(), data_where.c_str());
  return image;
}

Cube read_cube_from_lines(const std::vector<std::string>& paths, double dy, double y0, const GprMaxOptions& gprmax) {
  if (paths.empty()) throw InvalidArgument("read_cube_from_lines needs at least one file");
  std::vector<BScan> lines;
  lines.reserve(paths.size());
  for (const std::string& p : paths) {
    lines.push_back(is_gprmax_file(p) || !is_hdf5_file(p) ? read_gprmax(p, gprmax) : read_bscan(p));
  }
  Cube cube = Cube::from_lines(lines, dy, y0);
  HistoryParameters q;
  q.add("files", static_cast<long long>(paths.size())).add("first", paths.front()).add("last", paths.back());
  append_history(cube.history, "read_cube_from_lines", q);
  return cube;
}

}  // namespace gprproc
