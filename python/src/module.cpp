// The gprproc._core extension module: the low-level, view-level bindings that
// the pure-Python package python/gprproc/ wraps. Users import gprproc, never
// gprproc._core directly.
//
// Adding an area (e.g. "filters"):
//   1. python/src/filters.cpp defines
//        namespace gprproc::python { void register_filters(py::module_& m) { m.def(...); } }
//      following the example at the top of bindings.hpp (input_view/output_view
//      from array_support.hpp, GIL released around the C++ call, no try/catch:
//      errors.cpp translates gprproc::Error).
//   2. One line below in register_all(): GPRPROC_REGISTER(filters);
//   3. The wrapper python/gprproc/filters.py built on gprproc._wrap, exported
//      from python/gprproc/__init__.py, and tests in tests/python/test_filters.py.
// Every python/src/*.cpp is compiled in (python/CMakeLists.txt globs them).
#include "bindings.hpp"
#include "gprproc/version.hpp"

// Declares gprproc::python::register_<area> and calls it: one line per area.
#define GPRPROC_REGISTER(area)                  \
  do {                                          \
    void register_##area(pybind11::module_& m); \
    register_##area(module);                    \
  } while (false)

namespace gprproc::python {

static void register_all(py::module_& module) {
  GPRPROC_REGISTER(errors);  // first: exception classes and translators
  GPRPROC_REGISTER(types);   // BScanMetadata, ImageGrid, VelocityModel
  GPRPROC_REGISTER(device);
#if GPRPROC_PYTHON_HAS_IO
  GPRPROC_REGISTER(io);
#endif
  GPRPROC_REGISTER(background);
  GPRPROC_REGISTER(filters);
  GPRPROC_REGISTER(gain);
  GPRPROC_REGISTER(migration);
  GPRPROC_REGISTER(migration_3d);
#if GPRPROC_PYTHON_HAS_IO
  GPRPROC_REGISTER(vendor_formats);
#endif
  GPRPROC_REGISTER(detect);
  GPRPROC_REGISTER(cube);
  GPRPROC_REGISTER(score);
  GPRPROC_REGISTER(geometry);
  GPRPROC_REGISTER(segy_write);  // empty without the I/O component
  GPRPROC_REGISTER(crop);
  GPRPROC_REGISTER(plausibility);
  // Areas add their line here, e.g. GPRPROC_REGISTER(filters);
}

}  // namespace gprproc::python

PYBIND11_MODULE(_core, module) {
  module.doc() = "gprproc compiled core (view-level bindings; use the gprproc package)";
  module.attr("__version__") = gprproc::version_string;
#if GPRPROC_PYTHON_HAS_IO
  module.attr("has_io") = true;
#else
  module.attr("has_io") = false;  // compute-only build: python/gprproc/io.py says so on use
#endif
  gprproc::python::register_all(module);
}
