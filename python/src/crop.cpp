// Bindings of crop (gprproc/crop.hpp), view level; python/gprproc/crop.py
// turns coordinates and slices into index ranges and builds the result.
#include "array_support.hpp"
#include "bindings.hpp"
#include "gprproc/crop.hpp"

namespace gprproc::python {

namespace {

// Indices arrive as Python ints: a negative one is a ValueError naming it.
std::size_t index(long long value, const char* name) {
  if (value < 0)
    throw InvalidArgument(std::string("crop: '") + name + "' must not be negative, got " + std::to_string(value));
  return static_cast<std::size_t>(value);
}

}  // namespace

void register_crop(py::module_& m) {
  m.def(
      "crop",
      [](py::object input, py::object output, long long row_begin, long long row_end, long long column_begin,
         long long column_end, long long column_step) {
        const ConstBScanView in = input_view(input, "input");
        const BScanView out = output_view(output, "output");
        const IndexRange rows{index(row_begin, "row_begin"), index(row_end, "row_end"), 1};
        const IndexRange columns{index(column_begin, "column_begin"), index(column_end, "column_end"),
                                 index(column_step, "column_step")};
        py::gil_scoped_release release;
        gprproc::crop(in, rows, columns, out);
      },
      py::arg("input"), py::arg("output"), py::arg("row_begin"), py::arg("row_end"), py::arg("column_begin"),
      py::arg("column_end"), py::arg("column_step") = 1,
      "Copies rows [row_begin, row_end) and columns column_begin, column_begin + column_step, ... < column_end "
      "of `input` into `output` (host or device arrays).");
}

}  // namespace gprproc::python
