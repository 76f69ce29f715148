#include "targets_output.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "gprproc/error.hpp"
#include "gprproc/history.hpp"

namespace gprproc::cli {

namespace {
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

std::string targets_csv(const Detection& d) {
  std::ostringstream s;
  s << "rank,x_m,depth_m,amplitude,snr\n";
  for (std::size_t k = 0; k < d.targets.size(); ++k) {
    const Target& t = d.targets[k];
    s << k + 1 << ',' << number(t.x) << ',' << number(t.depth) << ',' << number(t.amplitude) << ',' << number(t.snr)
      << '\n';
  }
  return s.str();
}

std::string targets_json(const Detection& d, const DetectOptions& o, const std::string& source) {
  std::ostringstream s;
  s << "{\n  \"source\": \"" << json_escape(source) << "\",\n"
    << "  \"rule\": \"local maxima of the depth-wise Hilbert envelope with envelope >= max(median + threshold * "
       "1.4826 MAD, relative_threshold * max) over the search window, strongest first, min_separation apart\",\n"
    << "  \"background_median\": " << number(d.background_median) << ",\n"
    << "  \"background_sigma\": " << number(d.background_sigma) << ",\n"
    << "  \"level\": " << number(d.level) << ",\n"
    << "  \"candidates\": " << d.candidates << ",\n"
    << "  \"options\": {\"threshold\": " << number(o.threshold) << ", \"relative_threshold\": "
    << number(o.relative_threshold) << ", \"min_separation\": " << number(o.min_separation)
    << ", \"min_depth\": " << number(o.min_depth) << ", \"max_depth\": " << number(o.max_depth)
    << ", \"edge_margin\": " << number(o.edge_margin) << ", \"max_targets\": " << o.max_targets
    << ", \"envelope\": " << (o.use_envelope ? "true" : "false") << "},\n  \"targets\": [";
  for (std::size_t k = 0; k < d.targets.size(); ++k) {
    const Target& t = d.targets[k];
    s << (k ? ",\n" : "\n") << "    {\"rank\": " << k + 1 << ", \"x\": " << number(t.x)
      << ", \"depth\": " << number(t.depth) << ", \"amplitude\": " << number(t.amplitude)
      << ", \"snr\": " << number(t.snr) << "}";
  }
  s << (d.targets.empty() ? "]\n}\n" : "\n  ]\n}\n");
  return s.str();
}

void print_targets(const Detection& d) {
  std::printf("%zu target(s) (background median %.3g, sigma %.3g, level %.3g)\n", d.targets.size(),
              d.background_median, d.background_sigma, d.level);
  if (d.targets.empty()) return;
  std::printf("  rank      x (m)  depth (m)    amplitude      snr\n");
  for (std::size_t k = 0; k < d.targets.size(); ++k) {
    const Target& t = d.targets[k];
    std::printf("  %4zu  %9.3f  %9.3f  %11.4g  %7.1f\n", k + 1, t.x, t.depth, t.amplitude, t.snr);
  }
}

}  // namespace gprproc::cli
