#include "png_quicklook.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bitmap_font.hpp"
#include "gprproc/error.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace gprproc::cli {

namespace {

struct Rgb {
  std::uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int width, int height) : width_(width), height_(height), pixels_(std::size_t(width) * height * 3, 255) {}
  int width() const { return width_; }
  int height() const { return height_; }
  void set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    std::uint8_t* p = &pixels_[(std::size_t(y) * width_ + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  void line(int x0, int y0, int x1, int y1, Rgb c) {  // axis-aligned only
    for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y)
      for (int x = std::min(x0, x1); x <= std::max(x0, x1); ++x) set(x, y, c);
  }
  void segment(int x0, int y0, int x1, int y1, Rgb c) {  // any direction (Bresenham)
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      set(x0, y0, c);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) err += dy, x0 += sx;
      if (e2 <= dx) err += dx, y0 += sy;
    }
  }
  void ring(int cx, int cy, int radius, int thickness, Rgb c) {
    for (int y = -radius - thickness; y <= radius + thickness; ++y)
      for (int x = -radius - thickness; x <= radius + thickness; ++x) {
        const double r = std::hypot(double(x), double(y));
        if (r >= radius - thickness / 2.0 && r <= radius + thickness / 2.0) set(cx + x, cy + y, c);
      }
  }
  int text_width(const std::string& s, int scale) const { return int(s.size()) * (glyph_width + 1) * scale; }
  void text(int x, int y, const std::string& s, int scale, Rgb c) {
    for (char ch : s) {
      const std::uint8_t* rows = glyph_rows(ch);
      for (int gy = 0; gy < glyph_height; ++gy)
        for (int gx = 0; gx < glyph_width; ++gx)
          if (rows[gy] & (0x10 >> gx))
            for (int sy = 0; sy < scale; ++sy)
              for (int sx = 0; sx < scale; ++sx) set(x + gx * scale + sx, y + gy * scale + sy, c);
      x += (glyph_width + 1) * scale;
    }
  }
  // Text turned 90 degrees counter-clockwise, read bottom to top, starting at (x, y) going up.
  void text_vertical(int x, int y, const std::string& s, int scale, Rgb c) {
    for (char ch : s) {
      const std::uint8_t* rows = glyph_rows(ch);
      for (int gy = 0; gy < glyph_height; ++gy)
        for (int gx = 0; gx < glyph_width; ++gx)
          if (rows[gy] & (0x10 >> gx))
            for (int sy = 0; sy < scale; ++sy)
              for (int sx = 0; sx < scale; ++sx) set(x + gy * scale + sx, y - gx * scale - sy, c);
      y -= (glyph_width + 1) * scale;
    }
  }
  const std::uint8_t* data() const { return pixels_.data(); }

 private:
  int width_, height_;
  std::vector<std::uint8_t> pixels_;
};

// Diverging blue-white-red map: u in [-1, 1].
Rgb diverging(double u) {
  u = std::clamp(u, -1.0, 1.0);
  const double a = std::abs(u);
  const auto mix = [&](double from, double to) { return std::uint8_t(std::lround(from + (to - from) * a)); };
  if (u < 0) return {mix(255, 20), mix(255, 40), mix(255, 160)};
  return {mix(255, 170), mix(255, 15), mix(255, 20)};
}

// Sequential white-to-black map for magnitudes: u in [0, 1].
Rgb sequential(double u) {
  const auto v = std::uint8_t(std::lround(255.0 * (1.0 - std::clamp(u, 0.0, 1.0))));
  return {v, v, v};
}

// The canvas encoded as PNG bytes (written to a file by the caller, through
// the library's output writer).
std::string encode_png(const Canvas& canvas);

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`.
double nice_step(double span, int count) {
  const double raw = std::abs(span) / std::max(count, 1);
  if (!(raw > 0) || !std::isfinite(raw)) return 1.0;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10.0 * power;
}

std::string format_tick(double value, double step) {
  const int decimals = std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(value) < step * 1e-6 ? 0.0 : value);
  return buf;
}

}  // namespace

std::string quicklook_png(const float* values, std::size_t rows, std::size_t cols, const QuicklookAxes& axes) {
  if (rows == 0 || cols == 0) throw InvalidArgument("quick-look of an empty array", ErrorCode::invalid_shape);
  // Plot area: at least 3 pixels per column for narrow B-scans, at most 900 wide.
  const int plot_w = int(std::clamp<std::size_t>(cols * std::max<std::size_t>(1, 600 / cols), 300, 900));
  const int plot_h = int(std::clamp<std::size_t>(rows, 300, 700));
  const int left = 80, right = 110, top = 40, bottom = 60;
  Canvas canvas(left + plot_w + right, top + plot_h + bottom);
  const Rgb black{0, 0, 0};

  std::vector<float> magnitudes;
  magnitudes.reserve(rows * cols);
  for (std::size_t k = 0; k < rows * cols; ++k)
    if (std::isfinite(values[k])) magnitudes.push_back(std::abs(values[k]));
  double clip = 1.0;
  if (!magnitudes.empty()) {
    const std::size_t at = std::min(magnitudes.size() - 1,
                                    std::size_t(axes.clip_percentile / 100.0 * double(magnitudes.size() - 1)));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + at, magnitudes.end());
    clip = magnitudes[at] > 0 ? magnitudes[at] : 1.0;
  }

  for (int py = 0; py < plot_h; ++py) {
    const std::size_t i = std::min(rows - 1, std::size_t(double(py) * rows / plot_h));
    for (int px = 0; px < plot_w; ++px) {
      const std::size_t j = std::min(cols - 1, std::size_t(double(px) * cols / plot_w));
      const float v = values[i * cols + j];
      const Rgb colour = axes.magnitude ? sequential(v / clip) : diverging(v / clip);
      canvas.set(left + px, top + py, std::isfinite(v) ? colour : Rgb{128, 128, 128});
    }
  }
  canvas.line(left - 1, top - 1, left + plot_w, top - 1, black);
  canvas.line(left - 1, top + plot_h, left + plot_w, top + plot_h, black);
  canvas.line(left - 1, top - 1, left - 1, top + plot_h, black);
  canvas.line(left + plot_w, top - 1, left + plot_w, top + plot_h, black);

  // x ticks (bottom); values at column centres map to pixel centres.
  const double x_last = axes.x_first + axes.x_step * double(cols - 1);
  const double x_tick = nice_step(x_last - axes.x_first, 6);
  for (double v = std::ceil(std::min(axes.x_first, x_last) / x_tick) * x_tick; v <= std::max(axes.x_first, x_last) + 1e-12;
       v += x_tick) {
    const double col = (v - axes.x_first) / axes.x_step;
    const int px = left + int(std::lround((col + 0.5) * plot_w / double(cols)));
    canvas.line(px, top + plot_h, px, top + plot_h + 5, black);
    const std::string label = format_tick(v, x_tick);
    canvas.text(px - canvas.text_width(label, 1) / 2, top + plot_h + 9, label, 1, black);
  }
  canvas.text(left + plot_w / 2 - canvas.text_width(axes.x_label, 2) / 2, top + plot_h + 28, axes.x_label, 2, black);

  // y ticks (left), increasing downwards.
  const double y_last = axes.y_first + axes.y_step * double(rows - 1);
  const double y_tick = nice_step(y_last - axes.y_first, 8);
  for (double v = std::ceil(std::min(axes.y_first, y_last) / y_tick) * y_tick; v <= std::max(axes.y_first, y_last) + 1e-12;
       v += y_tick) {
    const double row = (v - axes.y_first) / axes.y_step;
    const int py = top + int(std::lround((row + 0.5) * plot_h / double(rows)));
    canvas.line(left - 6, py, left - 1, py, black);
    const std::string label = format_tick(v, y_tick);
    canvas.text(left - 9 - canvas.text_width(label, 1), py - 3, label, 1, black);
  }
  canvas.text_vertical(12, top + plot_h / 2 + canvas.text_width(axes.y_label, 2) / 2, axes.y_label, 2, black);

  canvas.text(left, 12, axes.title, 2, black);

  // Colour bar from -clip (bottom) to +clip (top).
  const int bar_x = left + plot_w + 20, bar_w = 16;
  for (int py = 0; py < plot_h; ++py) {
    const double u = 1.0 - 2.0 * py / double(plot_h - 1);
    canvas.line(bar_x, top + py, bar_x + bar_w, top + py, axes.magnitude ? sequential((u + 1.0) / 2.0) : diverging(u));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2e", clip);
  canvas.text(bar_x - 2, top - 12, buf, 1, black);
  std::snprintf(buf, sizeof buf, "%+.2e", axes.magnitude ? 0.0 : -clip);
  canvas.text(bar_x - 2, top + plot_h + 5, buf, 1, black);
  if (!axes.magnitude) canvas.text(bar_x + bar_w + 4, top + plot_h / 2 - 3, "0", 1, black);

  // Detections: a green ring with a black outline and a label, at the pixel
  // of the marker's physical position.
  for (const auto& m : axes.markers) {
    const double col = (m.x - axes.x_first) / axes.x_step, row = (m.y - axes.y_first) / axes.y_step;
    const int px = left + int(std::lround((col + 0.5) * plot_w / double(cols)));
    const int py = top + int(std::lround((row + 0.5) * plot_h / double(rows)));
    canvas.ring(px, py, 11, 4, black);
    canvas.ring(px, py, 11, 2, Rgb{0, 200, 60});
    if (!m.label.empty()) {
      canvas.text(px + 15, py - 4, m.label, 2, black);
    }
  }
  return encode_png(canvas);
}

namespace {
void append_bytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string encode_png(const Canvas& canvas) {
  std::string bytes;
  if (!stbi_write_png_to_func(append_bytes, &bytes, canvas.width(), canvas.height(), 3, canvas.data(),
                              canvas.width() * 3))
    throw FileError(ErrorCode::io_failure, "encoding a PNG picture failed (out of memory?)");
  return bytes;
}
}  // namespace

std::string curve_png(const std::vector<double>& xs, const std::vector<double>& ys, const CurveAxes& axes) {
  if (xs.size() != ys.size() || xs.size() < 2)
    throw InvalidArgument("curve plot needs at least two (x, y) points", ErrorCode::invalid_shape);
  const int plot_w = 640, plot_h = 360, left = 80, right = 30, top = 40, bottom = 60;
  Canvas canvas(left + plot_w + right, top + plot_h + bottom);
  const Rgb black{0, 0, 0}, blue{20, 60, 200}, red{200, 30, 30};
  const auto [xmin_it, xmax_it] = std::minmax_element(xs.begin(), xs.end());
  double ymin = *std::min_element(ys.begin(), ys.end()), ymax = *std::max_element(ys.begin(), ys.end());
  if (!(ymax > ymin)) ymin -= 0.5, ymax += 0.5;
  const double pad = 0.05 * (ymax - ymin);
  ymin -= pad, ymax += pad;
  const double xmin = *xmin_it, xmax = *xmax_it > *xmin_it ? *xmax_it : *xmin_it + 1.0;
  const auto to_px = [&](double x) { return left + int(std::lround((x - xmin) / (xmax - xmin) * (plot_w - 1))); };
  const auto to_py = [&](double y) { return top + int(std::lround((ymax - y) / (ymax - ymin) * (plot_h - 1))); };
  canvas.line(left - 1, top - 1, left + plot_w, top - 1, black);
  canvas.line(left - 1, top + plot_h, left + plot_w, top + plot_h, black);
  canvas.line(left - 1, top - 1, left - 1, top + plot_h, black);
  canvas.line(left + plot_w, top - 1, left + plot_w, top + plot_h, black);
  const double xt = nice_step(xmax - xmin, 6);
  for (double v = std::ceil(xmin / xt) * xt; v <= xmax + 1e-12 * std::abs(xmax); v += xt) {
    const int px = to_px(v);
    canvas.line(px, top + plot_h, px, top + plot_h + 5, black);
    const std::string label = format_tick(v, xt);
    canvas.text(px - canvas.text_width(label, 1) / 2, top + plot_h + 9, label, 1, black);
  }
  const double yt = nice_step(ymax - ymin, 6);
  for (double v = std::ceil(ymin / yt) * yt; v <= ymax; v += yt) {
    const int py = to_py(v);
    canvas.line(left - 6, py, left - 1, py, black);
    const std::string label = format_tick(v, yt);
    canvas.text(left - 9 - canvas.text_width(label, 1), py - 3, label, 1, black);
  }
  canvas.text(left + plot_w / 2 - canvas.text_width(axes.x_label, 2) / 2, top + plot_h + 28, axes.x_label, 2, black);
  canvas.text_vertical(12, top + plot_h / 2 + canvas.text_width(axes.y_label, 2) / 2, axes.y_label, 2, black);
  canvas.text(left, 12, axes.title, 2, black);
  if (std::isfinite(axes.mark_x)) {
    const int px = to_px(axes.mark_x);
    for (int py = top; py < top + plot_h; py += 6) canvas.line(px, py, px, py + 2, red);
    canvas.text(px + 4, top + 6, axes.mark_label, 1, red);
  }
  for (std::size_t k = 0; k + 1 < xs.size(); ++k) {
    canvas.segment(to_px(xs[k]), to_py(ys[k]), to_px(xs[k + 1]), to_py(ys[k + 1]), blue);
    canvas.segment(to_px(xs[k]), to_py(ys[k]) + 1, to_px(xs[k + 1]), to_py(ys[k + 1]) + 1, blue);
  }
  for (std::size_t k = 0; k < xs.size(); ++k) canvas.ring(to_px(xs[k]), to_py(ys[k]), 2, 2, blue);
  return encode_png(canvas);
}

}  // namespace gprproc::cli
