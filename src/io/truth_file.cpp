// Truth files of gprMax scenes (JSON), for scoring. Parsed with nlohmann/json
// after a bound on size and nesting, so a crafted file cannot exhaust the
// stack or memory.
#include "gprproc/truth_file.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "gprproc/error.hpp"

namespace gprproc {

namespace {

using Json = nlohmann::json;

constexpr std::size_t max_truth_bytes = std::size_t{16} << 20;
constexpr int max_truth_depth = 32;

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw FileError(ErrorCode::file_format, "truth file '" + path + "': " + what);
}

// Nesting depth of JSON text (brackets outside strings).
int nesting_depth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

double number(const Json& object, const char* key, const std::string& path, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) bad(path, where + " needs a number '" + key + "'");
  const double v = it->get<double>();
  if (!std::isfinite(v)) bad(path, where + " has a non-finite '" + key + "'");
  return v;
}

double number_or(const Json& object, const char* key, double fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string text_or(const Json& object, const char* key, const std::string& fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

TruthObject parse_object(const Json& o, const std::string& path, const std::string& where) {
  if (!o.is_object()) bad(path, where + " is not a JSON object");
  TruthObject t;
  t.id = text_or(o, "id", where);
  t.kind = text_or(o, "kind", "");
  if (t.kind.empty()) bad(path, where + " has no 'kind' (mine, metal debris, stone or root)");
  const std::string shape = text_or(o, "shape", "");
  if (shape == "box") {
    t.shape = ObjectShape::box;
    t.x_left = number(o, "x_left", path, where), t.x_right = number(o, "x_right", path, where);
    t.depth_top = number(o, "depth_top", path, where), t.depth_bottom = number(o, "depth_bottom", path, where);
  } else if (shape == "circle") {
    t.shape = ObjectShape::circle;
    t.x_centre = number(o, "x_centre", path, where), t.depth_centre = number(o, "depth_centre", path, where);
    t.radius = number(o, "radius", path, where);
  } else if (shape == "cylinder") {
    t.shape = ObjectShape::cylinder;
    t.x_centre = number(o, "x_centre", path, where), t.y_centre = number(o, "y_centre", path, where);
    t.radius = number(o, "radius", path, where);
    t.depth_top = number(o, "depth_top", path, where), t.depth_bottom = number(o, "depth_bottom", path, where);
  } else if (shape == "sphere") {
    t.shape = ObjectShape::sphere;
    t.x_centre = number(o, "x_centre", path, where), t.y_centre = number(o, "y_centre", path, where);
    t.depth_centre = number(o, "depth_centre", path, where), t.radius = number(o, "radius", path, where);
  } else if (shape == "cuboid") {
    t.shape = ObjectShape::cuboid;
    t.x_left = number(o, "x_left", path, where), t.x_right = number(o, "x_right", path, where);
    t.y_front = number(o, "y_front", path, where), t.y_back = number(o, "y_back", path, where);
    t.depth_top = number(o, "depth_top", path, where), t.depth_bottom = number(o, "depth_bottom", path, where);
  } else {
    bad(path, where + " has shape '" + shape + "'; expected box, circle, cylinder, sphere or cuboid");
  }
  if (t.radius < 0 || t.x_right < t.x_left || t.depth_bottom < t.depth_top || t.y_back < t.y_front)
    bad(path, where + " has an empty or inverted extent");
  return t;
}

// The shared scenes' older lists: "targets" (mines, boxes) and "clutter"
// (stones and roots as circles, metal as boxes).
void parse_legacy(const Json& j, const std::string& path, SceneTruth& truth) {
  if (const auto targets = j.find("targets"); targets != j.end() && targets->is_array()) {
    for (std::size_t k = 0; k < targets->size(); ++k) {
      Json o = (*targets)[k];
      const std::string where = "targets[" + std::to_string(k) + "]";
      if (!o.is_object()) bad(path, where + " is not a JSON object");
      o["kind"] = "mine";
      if (!o.contains("shape")) o["shape"] = o.contains("radius") && !o.contains("x_left") ? "circle" : "box";
      truth.objects.push_back(parse_object(o, path, where));
    }
  }
  if (const auto clutter = j.find("clutter"); clutter != j.end() && clutter->is_array()) {
    for (std::size_t k = 0; k < clutter->size(); ++k) {
      Json o = (*clutter)[k];
      const std::string where = "clutter[" + std::to_string(k) + "]";
      if (!o.is_object()) bad(path, where + " is not a JSON object");
      const std::string material = text_or(o, "material", "");
      o["kind"] = material == "pec" || material.find("metal") != std::string::npos ? "metal debris"
                  : material.find("root") != std::string::npos                     ? "root"
                                                                                   : "stone";
      if (!o.contains("shape")) o["shape"] = o.contains("radius") ? "circle" : "box";
      truth.objects.push_back(parse_object(o, path, where));
    }
  }
}

}  // namespace

SceneTruth read_truth(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(ErrorCode::file_not_found, "truth file '" + path + "' cannot be opened");
  std::string text;
  text.reserve(4096);
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_truth_bytes) bad(path, "is larger than 16 MiB; a truth file lists a scene's objects");
  }
  if (nesting_depth(text) > max_truth_depth) bad(path, "nests deeper than 32 levels");
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) bad(path, "is not a JSON object");
  SceneTruth truth;
  truth.scene = text_or(j, "scenario", text_or(j, "scene", path));
  truth.three_dimensional = number_or(j, "dimensions", 2) == 3;
  if (const auto objects = j.find("objects"); objects != j.end()) {
    if (!objects->is_array()) bad(path, "'objects' is not a list");
    for (std::size_t k = 0; k < objects->size(); ++k)
      truth.objects.push_back(parse_object((*objects)[k], path, "objects[" + std::to_string(k) + "]"));
  } else {
    parse_legacy(j, path, truth);
  }
  for (const TruthObject& t : truth.objects)
    if (t.three_dimensional() != truth.three_dimensional)
      bad(path, "object '" + t.id + "' has a " + (t.three_dimensional() ? "3-D" : "2-D") + " shape in a " +
                    (truth.three_dimensional ? "3-D" : "2-D") + " scene");
  if (const auto lane = j.find("lane"); lane != j.end() && lane->is_object()) {
    truth.x_first = number(*lane, "x_first", path, "lane"), truth.x_last = number(*lane, "x_last", path, "lane");
    if (truth.three_dimensional)
      truth.y_first = number(*lane, "y_first", path, "lane"), truth.y_last = number(*lane, "y_last", path, "lane");
  } else if (truth.three_dimensional) {
    const auto survey = j.find("survey");
    if (survey == j.end() || !survey->is_object()) bad(path, "a 3-D truth needs 'survey' or 'lane'");
    const double x0 = number(*survey, "trace_midpoint_x_first", path, "survey");
    const double dx = number(*survey, "dx", path, "survey"), dy = number(*survey, "dy", path, "survey");
    const double traces = number(*survey, "traces", path, "survey"), lines = number(*survey, "lines", path, "survey");
    const double y0 = number(*survey, "line_y_first", path, "survey");
    // Each trace and line stands for a cell of its spacing: n dx long.
    truth.x_first = x0 - dx / 2, truth.x_last = x0 + dx * (traces - 0.5);
    truth.y_first = y0 - dy / 2, truth.y_last = y0 + dy * (lines - 0.5);
  } else {
    const auto antenna = j.find("antenna");
    if (antenna == j.end() || !antenna->is_object()) bad(path, "needs 'antenna' (or 'lane') for the lane's length");
    const double step = number(*antenna, "trace_step", path, "antenna");
    const double traces = number(*antenna, "n_traces", path, "antenna");
    double first = number_or(*antenna, "midpoint_x_first", std::nan(""));
    if (std::isnan(first))
      first = 0.5 * (number(*antenna, "tx_x_first", path, "antenna") + number(*antenna, "rx_x_first", path, "antenna"));
    truth.x_first = first - step / 2, truth.x_last = first + step * (traces - 0.5);
  }
  if (!(truth.x_last > truth.x_first)) bad(path, "has an empty lane");
  return truth;
}

}  // namespace gprproc
