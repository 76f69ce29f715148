// Binding of the SEG-Y writer (gprproc/segy_write.hpp); python/gprproc/segy_write.py
// wraps it. Part of the I/O component: empty in a compute-only build.
#include <string>
#include <vector>

#include "array_support.hpp"
#include "bindings.hpp"

#if GPRPROC_PYTHON_HAS_IO
#include "gprproc/segy_write.hpp"
#endif

namespace gprproc::python {

void register_segy_write(py::module_& m) {
#if GPRPROC_PYTHON_HAS_IO
  m.def(
      "write_segy",
      [](const std::string& path, const py::object& data, const BScanMetadata& metadata, const py::object& positions,
         const py::iterable& history, bool overwrite) {
        const ConstBScanView samples = input_view(data, "data");
        if (samples.memory != Memory::host)
          throw InvalidArgument("write_segy: argument 'data' is a device array; copy it to the host first");
        std::vector<double> xyz;
        if (!positions.is_none()) {
          const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(positions);
          if (!array) throw InvalidArgument("write_segy: positions must be a float array (n_traces, 3)");
          xyz.assign(array.data(), array.data() + array.size());
        }
        const History steps = history_from_python(history);
        SegyWriteOptions options;
        options.overwrite = overwrite;
        py::gil_scoped_release release;
        gprproc::write_segy(path, samples, metadata, xyz, steps, options);
      },
      py::arg("path"), py::arg("data"), py::arg("metadata"), py::arg("positions"), py::arg("history"),
      py::arg("overwrite") = false, "Writes a B-scan as SEG-Y rev 2 (IEEE float, GPR picosecond convention).");
#else
  (void)m;
#endif
}

}  // namespace gprproc::python
