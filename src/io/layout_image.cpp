// Our layout for depth images: a group with dataset `data` (n_z, n_x), the grid
// and the velocity model as attributes (docs/FORMAT.md).
#include <cmath>

#include <utility>

#include "gprproc/io.hpp"
#include "gprproc/version.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/hdf5_support.hpp"
#include "io/history_json.hpp"
#include "io/layout_common.hpp"
#include "io/layout_groups.hpp"
#include "io/layout_read.hpp"
#include "io/safe_write.hpp"

namespace gprproc {

using namespace io_detail;

namespace {
void validate_grid(const ImageGrid& grid) {
  const auto positive = [](double value, const char* name) {
    if (!(std::isfinite(value) && value > 0.0))
      throw InvalidArgument(std::string("image grid '") + name + "' must be positive and finite (m), got " +
                            std::to_string(value));
  };
  const auto finite = [](double value, const char* name) {
    if (!std::isfinite(value))
      throw InvalidArgument(std::string("image grid '") + name + "' must be finite (m), got " + std::to_string(value));
  };
  positive(grid.dz, "dz");
  positive(grid.dx, "dx");
  finite(grid.z0, "z0");
  finite(grid.x0, "x0");
}
}  // namespace

void write_image(const std::string& path, const DepthImage& image, const std::string& group, const WriteOptions& options) {
  QuietHdf5Errors quiet;
  validate(image.view(), "depth image to write");
  validate_grid(image.grid);
  image.velocity.validate();
  check_compression_level(options.compression_level);
  const std::string history = history_to_json(image.history);

  write_group_safely(path, group, options.overwrite_group, [&](hid_t file, const std::string& name) {
    const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
    Handle g = create_group(file, name, in_quotes(path));
    write_float_matrix(g.get(), "data", image.data(), image.n_z(), image.n_x(), options.compression_level, where);
    write_string_attribute(g.get(), "gprproc_kind", "depth_image", where);
    write_string_attribute(g.get(), "gprproc_version", version_string, where);
    write_number_attribute(g.get(), "dz", image.grid.dz, where);
    write_number_attribute(g.get(), "z0", image.grid.z0, where);
    write_number_attribute(g.get(), "dx", image.grid.dx, where);
    write_number_attribute(g.get(), "x0", image.grid.x0, where);
    write_number_array_attribute(g.get(), "velocity_layer_tops", image.velocity.layer_tops, where);
    write_number_array_attribute(g.get(), "velocity_interval", image.velocity.velocities, where);
    write_string_attribute(g.get(), "history", history, where);
  });
}

namespace io_detail {

DepthImage read_image_open(hid_t file, const std::string& path, const std::string& group, const ReadOptions& options) {
  const std::string name = resolve_group(file, path, group, "depth_image");
  const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
  Handle g = checked(H5Gopen2(file, name.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                     "opening " + where + " failed");
  check_kind(g.get(), "depth_image", where);
  if (object_kind(g.get(), "data") != ObjectKind::dataset)
    throw FileError(ErrorCode::missing_entry, where + " has no dataset 'data'; " + describe_contents(file, path));

  ImageGrid grid;
  grid.dz = required_number(g.get(), "dz", where);
  grid.dx = required_number(g.get(), "dx", where);
  grid.z0 = optional_number(g.get(), "z0", where);
  grid.x0 = optional_number(g.get(), "x0", where);
  VelocityModel velocity;
  const auto tops = read_number_array_attribute(g.get(), "velocity_layer_tops", where);
  const auto velocities = read_number_array_attribute(g.get(), "velocity_interval", where);
  if (!velocities) throw FileError(ErrorCode::missing_entry, where + " has no attribute 'velocity_interval'");
  velocity.velocities = *velocities;
  velocity.layer_tops = tops ? *tops : std::vector<double>{0.0};
  try {
    validate_grid(grid);
    velocity.validate();
  } catch (const InvalidArgument& e) {
    throw FileError(ErrorCode::file_format, where + " has an invalid grid or velocity model: " + e.what());
  }
  History history;
  if (const auto text = read_string_attribute(g.get(), "history", where))
    history = history_from_json(*text, "attribute 'history' of " + where);

  const std::string data_where = "dataset " + in_quotes(name + "/data") + " of " + in_quotes(path);
  FloatArray data = read_float_dataset(g.get(), "data", 2, 2, data_where, options.max_samples);
  DepthImage image(static_cast<std::size_t>(data.dims[0]), static_cast<std::size_t>(data.dims[1]), grid,
                   std::move(velocity));
  std::copy(data.values.begin(), data.values.end(), image.data());
  image.history = std::move(history);
  if (!options.allow_non_finite) check_finite(std::as_const(image).view(), data_where.c_str());
  return image;
}

}  // namespace io_detail

DepthImage read_image(const std::string& path, const std::string& group, const ReadOptions& options) {
  QuietHdf5Errors quiet;
  Handle file = open_file_for_reading(path);
  check_global_heaps(path, file.get());
  return guard_memory(in_quotes(path), [&] { return read_image_open(file.get(), path, group, options); });
}

}  // namespace gprproc
