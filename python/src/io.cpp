// HDF5 and gprMax I/O for Python. Samples read in C++ move into numpy without
// a copy (the vector goes into a capsule the array owns). Writing copies the
// samples once into the C++ B-scan/image the writer takes.
//
// HDF5 (a serial build) is not thread-safe: every call holds hdf5_mutex, with
// the GIL released so other Python threads keep running meanwhile.
#include <algorithm>
#include <mutex>
#include <utility>

#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/io.hpp"
#include "gprproc/io_cube.hpp"

namespace gprproc::python {

namespace {

std::mutex hdf5_mutex;

// Runs `call` with the GIL released and HDF5 to ourselves.
template <class Call>
auto with_hdf5(Call&& call) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(hdf5_mutex);
  return call();
}

py::object positions_to_python(std::vector<double>&& positions) {
  if (positions.empty()) return py::none();
  const auto rows = static_cast<py::ssize_t>(positions.size() / 3);
  return to_numpy(std::move(positions), {rows, 3});
}

py::dict bscan_to_python(BScan&& bscan) {
  const auto rows = static_cast<py::ssize_t>(bscan.n_samples());
  const auto columns = static_cast<py::ssize_t>(bscan.n_traces());
  py::dict out;
  out["metadata"] = bscan.metadata;
  out["history"] = history_to_python(bscan.history);
  out["positions"] = positions_to_python(std::move(bscan.positions));
  out["marks"] = bscan.marks.empty() ? py::object(py::none()) : py::object(py::cast(bscan.marks));
  out["data"] = to_numpy(bscan.release_samples(), {rows, columns});
  return out;
}

py::dict image_to_python(DepthImage&& image) {
  const auto rows = static_cast<py::ssize_t>(image.n_z());
  const auto columns = static_cast<py::ssize_t>(image.n_x());
  py::dict out;
  out["grid"] = image.grid;
  out["velocity"] = image.velocity;
  out["history"] = history_to_python(image.history);
  out["data"] = to_numpy(image.release_pixels(), {rows, columns});
  return out;
}

// A host float32 array to write (the Python layer copies CuPy data to the host first).
ConstBScanView host_view(const py::handle& array, const char* name) {
  const ConstBScanView view = input_view(array, name);
  if (view.memory != Memory::host)
    throw InvalidArgument(std::string("argument '") + name +
                          "' must be in host memory to be written; copy it first (cupy.asnumpy)");
  return view;
}

std::vector<std::size_t> marks_from_python(const py::object& marks) {
  if (marks.is_none()) return {};
  return marks.cast<std::vector<std::size_t>>();
}

std::vector<double> positions_from_python(const py::object& positions, std::size_t n_traces) {
  if (positions.is_none()) return {};
  using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
  const Doubles array = Doubles::ensure(positions);
  if (!array || array.ndim() != 2 || array.shape(0) != static_cast<py::ssize_t>(n_traces) || array.shape(1) != 3)
    throw InvalidArgument("positions must be an array of shape (n_traces, 3) = (" + std::to_string(n_traces) +
                              ", 3) in metres",
                          ErrorCode::invalid_shape);
  return std::vector<double>(array.data(), array.data() + array.size());
}

py::dict cube_to_python(Cube&& cube) {
  const auto lines = static_cast<py::ssize_t>(cube.n_lines()), rows = static_cast<py::ssize_t>(cube.n_samples()),
             columns = static_cast<py::ssize_t>(cube.n_traces());
  py::dict out;
  out["metadata"] = cube.metadata.line;
  out["dy"] = cube.metadata.dy;
  out["y0"] = cube.metadata.y0;
  out["history"] = history_to_python(cube.history);
  out["positions"] = cube.positions.empty() ? py::object(py::none())
                                            : py::object(to_numpy(std::move(cube.positions), {lines, columns, 3}));
  out["data"] = to_numpy(cube.release_samples(), {lines, rows, columns});
  return out;
}

// A (n_lines * rows, columns) host view of a C-contiguous 3-D array (the Python
// layer passes the joined 2-D view) as a stack of n_lines.
ConstBScanStackView host_stack(const py::handle& array, std::size_t n_lines, const char* name) {
  const ConstBScanView joined = host_view(array, name);
  if (n_lines == 0 || joined.n_samples % n_lines != 0)
    throw InvalidArgument(std::string("argument '") + name + "': " + std::to_string(joined.n_samples) +
                              " rows do not split into " + std::to_string(n_lines) + " lines",
                          ErrorCode::invalid_shape);
  return {joined.samples, n_lines, joined.n_samples / n_lines, joined.n_traces, Memory::host};
}

}  // namespace

void register_io(py::module_& m) {
  m.def("is_hdf5_file", [](const std::string& path) { return with_hdf5([&] { return is_hdf5_file(path); }); },
        py::arg("path"));
  m.def("is_gprmax_file", [](const std::string& path) { return with_hdf5([&] { return is_gprmax_file(path); }); },
        py::arg("path"));

  m.def(
      "list_groups",
      [](const std::string& path) {
        const std::vector<GroupInfo> groups = with_hdf5([&] { return list_groups(path); });
        py::list out;
        for (const GroupInfo& g : groups) {
          py::dict entry;
          entry["name"] = g.name;
          entry["kind"] = g.kind;
          if (g.lines) entry["shape"] = py::make_tuple(g.lines, g.rows, g.columns);
          else entry["shape"] = py::make_tuple(g.rows, g.columns);
          out.append(entry);
        }
        return out;
      },
      py::arg("path"), "The B-scans and images in a file: a list of {'name', 'kind', 'shape'}.");

  m.def(
      "read",
      [](const std::string& path, const std::string& group, double gprmax_dx) {
        return bscan_to_python(with_hdf5([&] { return read(path, group, gprmax_dx); }));
      },
      py::arg("path"), py::arg("group") = "", py::arg("gprmax_dx") = 0.0,
      "Reads a B-scan by content (our layout, gprMax, a field file): {'data', 'metadata', 'history', 'positions', 'marks'}.");

  m.def(
      "read_bscan",
      [](const std::string& path, const std::string& group, bool allow_non_finite) {
        ReadOptions options;
        options.allow_non_finite = allow_non_finite;
        return bscan_to_python(with_hdf5([&] { return read_bscan(path, group, options); }));
      },
      py::arg("path"), py::arg("group") = "", py::arg("allow_non_finite") = false);

  m.def(
      "read_gprmax",
      [](const std::string& path, const std::string& component, int receiver, double dx, bool allow_non_finite) {
        GprMaxOptions options;
        options.component = component;
        options.receiver = receiver;
        options.dx = dx;
        options.allow_non_finite = allow_non_finite;
        return bscan_to_python(with_hdf5([&] { return read_gprmax(path, options); }));
      },
      py::arg("path"), py::arg("component") = "Ez", py::arg("receiver") = 1, py::arg("dx") = 0.0,
      py::arg("allow_non_finite") = false);

  m.def(
      "read_image",
      [](const std::string& path, const std::string& group, bool allow_non_finite) {
        ReadOptions options;
        options.allow_non_finite = allow_non_finite;
        return image_to_python(with_hdf5([&] { return read_image(path, group, options); }));
      },
      py::arg("path"), py::arg("group") = "", py::arg("allow_non_finite") = false,
      "Reads a depth image: {'data', 'grid', 'velocity', 'history'}.");

  m.def(
      "write_bscan",
      [](const std::string& path, const py::object& data, const BScanMetadata& metadata, const py::iterable& history,
         const py::object& positions, const std::string& group, bool overwrite, int compression_level,
         const py::object& marks) {
        const ConstBScanView samples = host_view(data, "data");
        BScan bscan(std::vector<float>(samples.samples, samples.samples + samples.size()), samples.n_samples,
                    samples.n_traces, metadata);
        bscan.history = history_from_python(history);
        bscan.positions = positions_from_python(positions, samples.n_traces);
        bscan.marks = marks_from_python(marks);
        WriteOptions options;
        options.overwrite_group = overwrite;
        options.compression_level = compression_level;
        with_hdf5([&] { write_bscan(path, bscan, group, options); });
      },
      py::arg("path"), py::arg("data"), py::arg("metadata"), py::arg("history"), py::arg("positions") = py::none(),
      py::arg("group") = "bscan", py::arg("overwrite") = false, py::arg("compression_level") = 4,
      py::arg("marks") = py::none());

  m.def(
      "write_image",
      [](const std::string& path, const py::object& data, const ImageGrid& grid, const VelocityModel& velocity,
         const py::iterable& history, const std::string& group, bool overwrite, int compression_level) {
        const ConstBScanView pixels = host_view(data, "data");
        DepthImage image(pixels.n_samples, pixels.n_traces, grid, velocity);
        std::copy(pixels.samples, pixels.samples + pixels.size(), image.data());
        image.history = history_from_python(history);
        WriteOptions options;
        options.overwrite_group = overwrite;
        options.compression_level = compression_level;
        with_hdf5([&] { write_image(path, image, group, options); });
      },
      py::arg("path"), py::arg("data"), py::arg("grid"), py::arg("velocity"), py::arg("history"),
      py::arg("group") = "migrated", py::arg("overwrite") = false, py::arg("compression_level") = 4);

  m.def(
      "write_cube",
      [](const std::string& path, const py::object& data, std::size_t n_lines, const BScanMetadata& line, double dy,
         double y0, const py::iterable& history, const py::object& positions, const std::string& group, bool overwrite,
         int compression_level) {
        const ConstBScanStackView v = host_stack(data, n_lines, "data");
        Cube cube(std::vector<float>(v.samples, v.samples + v.size()), v.n_bscans, v.n_samples, v.n_traces,
                  CubeMetadata{line, dy, y0});
        cube.history = history_from_python(history);
        if (!positions.is_none()) {
          using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
          const Doubles p = Doubles::ensure(positions);
          if (!p || p.size() != static_cast<py::ssize_t>(3 * v.n_bscans * v.n_traces))
            throw InvalidArgument("cube positions must have shape (n_lines, n_traces, 3)", ErrorCode::invalid_shape);
          cube.positions.assign(p.data(), p.data() + p.size());
        }
        WriteOptions options;
        options.overwrite_group = overwrite;
        options.compression_level = compression_level;
        with_hdf5([&] { write_cube(path, cube, group, options); });
      },
      py::arg("path"), py::arg("data"), py::arg("n_lines"), py::arg("metadata"), py::arg("dy"), py::arg("y0"),
      py::arg("history"), py::arg("positions") = py::none(), py::arg("group") = "cube", py::arg("overwrite") = false,
      py::arg("compression_level") = 4);

  m.def(
      "read_cube",
      [](const std::string& path, const std::string& group, std::size_t first_line, std::size_t line_count,
         bool allow_non_finite) {
        ReadOptions options;
        options.allow_non_finite = allow_non_finite;
        return cube_to_python(with_hdf5([&] { return read_cube(path, group, LineRange{first_line, line_count}, options); }));
      },
      py::arg("path"), py::arg("group") = "", py::arg("first_line") = 0, py::arg("line_count") = 0,
      py::arg("allow_non_finite") = false,
      "Reads a cube (lines [first_line, first_line + line_count), 0: to the end): {'data', 'metadata', 'dy', 'y0', "
      "'history', 'positions'}.");

  m.def(
      "read_cube_from_lines",
      [](const std::vector<std::string>& paths, double dy, double y0, const std::string& component, double dx) {
        GprMaxOptions gprmax;
        gprmax.component = component;
        gprmax.dx = dx;
        return cube_to_python(with_hdf5([&] { return read_cube_from_lines(paths, dy, y0, gprmax); }));
      },
      py::arg("paths"), py::arg("dy"), py::arg("y0") = 0.0, py::arg("component") = "Ez", py::arg("dx") = 0.0,
      "A cube from one B-scan file per line (gprMax or ours), in order.");

  m.def(
      "write_image_3d",
      [](const std::string& path, const py::object& data, std::size_t n_lines, const ImageGrid& plane, double dy,
         double y0, const VelocityModel& velocity, const py::iterable& history, const std::string& group,
         bool overwrite, int compression_level) {
        const ConstBScanStackView v = host_stack(data, n_lines, "data");
        ImageGrid3D grid;
        grid.plane = plane;
        grid.dy = dy;
        grid.y0 = y0;
        DepthImage3D image(v.n_bscans, v.n_samples, v.n_traces, grid, velocity);
        std::copy(v.samples, v.samples + v.size(), image.data());
        image.history = history_from_python(history);
        WriteOptions options;
        options.overwrite_group = overwrite;
        options.compression_level = compression_level;
        with_hdf5([&] { write_image_3d(path, image, group, options); });
      },
      py::arg("path"), py::arg("data"), py::arg("n_lines"), py::arg("grid"), py::arg("dy"), py::arg("y0"),
      py::arg("velocity"), py::arg("history"), py::arg("group") = "migrated_3d", py::arg("overwrite") = false,
      py::arg("compression_level") = 4);

  m.def(
      "read_image_3d",
      [](const std::string& path, const std::string& group, bool allow_non_finite) {
        ReadOptions options;
        options.allow_non_finite = allow_non_finite;
        DepthImage3D image = with_hdf5([&] { return read_image_3d(path, group, options); });
        const auto lines = static_cast<py::ssize_t>(image.n_lines()), rows = static_cast<py::ssize_t>(image.n_z()),
                   columns = static_cast<py::ssize_t>(image.n_x());
        py::dict out;
        out["grid"] = image.grid.plane;
        out["dy"] = image.grid.dy;
        out["y0"] = image.grid.y0;
        out["velocity"] = image.velocity;
        out["history"] = history_to_python(image.history);
        out["data"] = to_numpy(image.release_pixels(), {lines, rows, columns});
        return out;
      },
      py::arg("path"), py::arg("group") = "", py::arg("allow_non_finite") = false,
      "Reads a 3-D depth image: {'data', 'grid', 'dy', 'y0', 'velocity', 'history'}.");
}

}  // namespace gprproc::python
