#pragma once
// PNG quick-looks of a B-scan or depth image: a diverging colour map clipped at
// a percentile of |amplitude|, axes with ticks in physical units, a title and
// a colour bar.
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace gprproc::cli {

struct QuicklookAxes {
  std::string title;
  std::string x_label = "x (m)";
  double x_first = 0.0, x_step = 1.0;  // physical value of column 0 and per column
  std::string y_label = "t (ns)";
  double y_first = 0.0, y_step = 1.0;  // physical value of row 0 and per row (already in display units)
  double clip_percentile = 99.0;       // colour scale saturates at this percentile of |value|
  bool magnitude = false;              // values >= 0 (an envelope): white-to-black scale from 0
  struct Marker {
    double x = 0.0, y = 0.0;  // physical position (x and y units of the axes)
    std::string label;
  };
  std::vector<Marker> markers;  // detections: drawn as rings with labels
};

// A line plot of y against x (e.g. a velocity scan's focusing curve), with an
// optional vertical line at `mark_x` (NaN: none).
struct CurveAxes {
  std::string title, x_label, y_label;
  double mark_x = std::numeric_limits<double>::quiet_NaN();
  std::string mark_label;
};
// The PNG file's bytes; written by the caller through the output writer.
std::string curve_png(const std::vector<double>& x, const std::vector<double>& y, const CurveAxes& axes);

// `rows` x `cols` row-major float values drawn as a PNG file's bytes.
std::string quicklook_png(const float* values, std::size_t rows, std::size_t cols, const QuicklookAxes& axes);

}  // namespace gprproc::cli
