#pragma once
// PNG quick-looks of a B-scan or depth image: a diverging colour map clipped at
// a percentile of |amplitude|, axes with ticks in physical units, a title and
// a colour bar.
#include <cstddef>
#include <string>

namespace gprproc::cli {

struct QuicklookAxes {
  std::string title;
  std::string x_label = "x (m)";
  double x_first = 0.0, x_step = 1.0;  // physical value of column 0 and per column
  std::string y_label = "t (ns)";
  double y_first = 0.0, y_step = 1.0;  // physical value of row 0 and per row (already in display units)
  double clip_percentile = 99.0;       // colour scale saturates at this percentile of |value|
};

// Writes `rows` x `cols` row-major float values to a PNG (temporary name, then
// rename). Throws FileError when the file cannot be written.
void write_quicklook_png(const std::string& path, const float* values, std::size_t rows, std::size_t cols,
                         const QuicklookAxes& axes);

}  // namespace gprproc::cli
