#include "recipe.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "gprproc/error.hpp"
#include "recipe_text.hpp"
#include "units.hpp"

namespace gprproc::cli {

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::time_zero: return "time_zero";
    case StepKind::dc: return "dc";
    case StepKind::dewow: return "dewow";
    case StepKind::bandpass: return "bandpass";
    case StepKind::gain: return "gain";
    case StepKind::background: return "background";
    case StepKind::migrate: return "migrate";
    case StepKind::detect: return "detect";
  }
  return "?";
}

namespace {

// Reads the keys of one table, remembering which were used, so that the rest
// can be reported as unknown; every error names file, line and key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string where)
      : table_(table), path_(std::move(path)), where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    const toml::node* node = table_.get(key);
    const int line = node ? int(node->source().begin.line) : int(table_.source().begin.line);
    throw InvalidArgument(path_ + ":" + std::to_string(line) + ": " + where_ + ", key '" + key + "': " + what);
  }
  bool has(const std::string& key) { return used(key) != nullptr; }

  // A physical quantity: a string with a unit ("2ns") or a bare number (SI).
  std::optional<double> quantity(const std::string& key, Quantity kind) {
    const toml::node* node = used(key);
    if (!node) return std::nullopt;
    if (auto s = node->value_exact<std::string>()) {
      try {
        return parse_quantity(*s, kind, key);
      } catch (const InvalidArgument& e) {
        fail(key, e.what());
      }
    }
    if (node->is_integer() || node->is_floating_point()) {
      const double v = *node->value<double>();
      if (!std::isfinite(v)) fail(key, "must be a finite number");
      return v;
    }
    fail(key, "expected a number or a quantity string such as \"2ns\", got a " + type_name(*node));
  }
  double quantity_in(const std::string& key, Quantity kind, double fallback, double lo, double hi,
                     const std::string& range) {
    const auto v = quantity(key, kind);
    if (!v) return fallback;
    if (!(*v >= lo && *v <= hi)) fail(key, "value " + format(*v) + " is out of range: " + range);
    return *v;
  }
  std::optional<long long> integer(const std::string& key, long long lo, long long hi) {
    const toml::node* node = used(key);
    if (!node) return std::nullopt;
    if (!node->is_integer()) fail(key, "expected an integer, got a " + type_name(*node));
    const long long v = *node->value<long long>();
    if (v < lo || v > hi) fail(key, "value " + std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " +
                                        std::to_string(hi) + "]");
    return v;
  }
  std::optional<bool> boolean(const std::string& key) {
    const toml::node* node = used(key);
    if (!node) return std::nullopt;
    if (!node->is_boolean()) fail(key, "expected true or false, got a " + type_name(*node));
    return *node->value<bool>();
  }
  std::optional<std::string> text(const std::string& key) {
    const toml::node* node = used(key);
    if (!node) return std::nullopt;
    if (!node->is_string()) fail(key, "expected a string, got a " + type_name(*node));
    return *node->value<std::string>();
  }
  std::string choice(const std::string& key, const std::vector<std::string>& allowed, const std::string& fallback) {
    const auto v = text(key);
    if (!v) return fallback;
    for (const auto& a : allowed)
      if (*v == a) return a;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(key, "unknown value '" + *v + "' (expected one of: " + list + ")");
  }
  void reject_unknown() const {
    for (auto&& [key, node] : table_) {
      const std::string k(key.str());
      if (!allowed_.count(k)) {
        std::string list;
        for (const auto& u : allowed_) list += (list.empty() ? "" : ", ") + u;
        fail(k, "unknown key (allowed here: " + list + ")");
      }
    }
  }
  void allow(std::initializer_list<const char*> keys) {
    for (const char* k : keys) allowed_.insert(k);
  }
  int line() const { return int(table_.source().begin.line); }

  static std::string format(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }

 private:
  const toml::node* used(const std::string& key) {
    used_.insert(key);
    return table_.get(key);
  }
  static std::string type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::string: return "string";
      case toml::node_type::integer: return "integer";
      case toml::node_type::floating_point: return "number";
      case toml::node_type::boolean: return "boolean";
      case toml::node_type::table: return "table";
      case toml::node_type::array: return "array";
      default: return "date/time";
    }
  }
  const toml::table& table_;
  std::string path_, where_;
  std::set<std::string> used_;
  std::set<std::string> allowed_;
};

// `text` with control and non-ASCII bytes as \xNN, for messages.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char ch : text) {
    if (ch >= 0x20 && ch < 0x7f) {
      out += static_cast<char>(ch);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", ch);
      out += escaped;
    }
  }
  return out;
}

constexpr double c = 299792458.0;
constexpr double inf = std::numeric_limits<double>::infinity();

void read_input(TableReader& r, InputGeometry& g) {
  r.allow({"component", "dx", "x0", "t0", "antenna_offset", "antenna_height", "center_frequency"});
  r.reject_unknown();
  g.component = r.choice("component", {"Ex", "Ey", "Ez", "Hx", "Hy", "Hz", "Ix", "Iy", "Iz"}, "Ez");
  if (r.has("dx")) g.dx = r.quantity_in("dx", Quantity::length, 0, 1e-5, 10, "0.01 mm .. 10 m");
  if (r.has("x0")) g.x0 = r.quantity_in("x0", Quantity::length, 0, -1e6, 1e6, "|x0| <= 1000 km");
  if (r.has("t0")) g.t0 = r.quantity_in("t0", Quantity::time, 0, -1e-6, 1e-6, "|t0| <= 1 us");
  if (r.has("antenna_offset"))
    g.antenna_offset = r.quantity_in("antenna_offset", Quantity::length, 0, 0, 100, "0 .. 100 m");
  if (r.has("antenna_height"))
    g.antenna_height = r.quantity_in("antenna_height", Quantity::length, 0, 0, 100, "0 .. 100 m");
  if (r.has("center_frequency"))
    g.center_frequency = r.quantity_in("center_frequency", Quantity::frequency, 0, 1e6, 1e11, "1 MHz .. 100 GHz");
  r.reject_unknown();
}

// Why `name` cannot be a saved group ("" when it can). It names an HDF5
// group and, in OUT_<name>.png, a file: letters, digits, '_' and '-' only.
std::string save_name_problem(const std::string& name) {
  if (name.empty()) return "a group name must not be empty";
  if (name.size() > 64) return "group name of " + std::to_string(name.size()) + " characters; at most 64";
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '-')
      return "group name '" + printable(name) + "' may hold only letters, digits, '_' and '-' (it also names the " +
             "picture OUT_" + printable(name) + ".png)";
  if (name[0] == '-') return "group name '" + name + "' must not start with '-'";
  if (name == "raw") return "group name 'raw' is reserved: process writes the input B-scan there";
  return "";
}

void read_step(TableReader& r, Step& s, const std::string& type) {
  r.allow({"type", "save"});
  if (auto save = r.text("save")) {
    if (const std::string problem = save_name_problem(*save); !problem.empty()) r.fail("save", problem);
    s.save = *save;
  }
  if (type == "time_zero") {
    s.kind = StepKind::time_zero;
    r.allow({"time_zero", "method", "threshold", "first_break_time"});
    r.reject_unknown();
    if (r.has("time_zero")) {
      s.time_zero = r.quantity_in("time_zero", Quantity::time, 0, -1e-6, 1e-6, "|time_zero| <= 1 us");
      if (r.has("method")) r.fail("method", "give either time_zero (a fixed shift) or method (a pick), not both");
    } else {
      const std::string m =
          r.choice("method", {"amplitude_threshold", "envelope_threshold", "direct_wave_peak"}, "amplitude_threshold");
      s.time_zero_pick.method = m == "amplitude_threshold" ? FirstBreakMethod::amplitude_threshold
                                : m == "envelope_threshold" ? FirstBreakMethod::envelope_threshold
                                                            : FirstBreakMethod::direct_wave_peak;
      s.time_zero_pick.threshold = r.quantity_in("threshold", Quantity::number, 0.1, 1e-6, 1, "(0, 1]");
      s.time_zero_pick.first_break_time =
          r.quantity_in("first_break_time", Quantity::time, 0.0, -1e-6, 1e-6, "|first_break_time| <= 1 us");
    }
  } else if (type == "dc") {
    s.kind = StepKind::dc;
  } else if (type == "dewow") {
    s.kind = StepKind::dewow;
    r.allow({"window"});
    r.reject_unknown();
    if (!r.has("window")) r.fail("window", "required (e.g. window = \"2ns\")");
    s.dewow_window = r.quantity_in("window", Quantity::time, 0, 1e-12, 1e-3, "1 ps .. 1 ms");
  } else if (type == "bandpass") {
    s.kind = StepKind::bandpass;
    r.allow({"low", "high", "shape", "low_taper", "high_taper", "order"});
    r.reject_unknown();
    if (!r.has("high")) r.fail("high", "required (e.g. high = \"3GHz\")");
    s.bandpass.low = r.quantity_in("low", Quantity::frequency, 0.0, 0, 1e11, "0 .. 100 GHz");
    s.bandpass.high = r.quantity_in("high", Quantity::frequency, 0.0, 1e3, 1e11, "1 kHz .. 100 GHz");
    if (!(s.bandpass.high > s.bandpass.low)) r.fail("high", "must be above low");
    s.bandpass.shape = r.choice("shape", {"cosine_taper", "butterworth"}, "cosine_taper") == "butterworth"
                           ? BandpassShape::butterworth
                           : BandpassShape::cosine_taper;
    s.bandpass.low_taper = r.quantity_in("low_taper", Quantity::frequency, 0.0, 0, 1e11, "0 .. 100 GHz");
    s.bandpass.high_taper = r.quantity_in("high_taper", Quantity::frequency, 0.0, 0, 1e11, "0 .. 100 GHz");
    s.bandpass.order = int(r.integer("order", 1, 32).value_or(4));
  } else if (type == "gain") {
    s.kind = StepKind::gain;
    r.allow({"kind", "power", "exponent", "reference_time", "window", "floor"});
    r.reject_unknown();
    const std::string k = r.choice("kind", {"power", "exponential", "sec", "agc"}, "power");
    s.gain = k == "power" ? GainKind::power : k == "exponential" ? GainKind::exponential : k == "sec" ? GainKind::sec
                                                                                                      : GainKind::agc;
    if (s.gain == GainKind::agc) {
      if (!r.has("window")) r.fail("window", "required for kind = \"agc\" (e.g. window = \"2ns\")");
      s.agc.window = r.quantity_in("window", Quantity::time, 0, 1e-12, 1e-3, "1 ps .. 1 ms");
      s.agc.floor = r.quantity_in("floor", Quantity::number, 1e-3, 1e-9, 1, "(0, 1]");
    } else {
      s.time_gain.power = r.quantity_in("power", Quantity::number, s.gain == GainKind::exponential ? 0.0 : 1.0, -4, 4,
                                        "-4 .. 4");
      s.time_gain.exponent = r.quantity_in("exponent", Quantity::number, 0.0, -1e11, 1e11, "|exponent| <= 1e11 1/s");
      s.time_gain.reference_time =
          r.quantity_in("reference_time", Quantity::time, 1e-9, 1e-15, 1, "1 fs .. 1 s (default 1 ns)");
    }
  } else if (type == "background") {
    s.kind = StepKind::background;
    r.allow({"method", "window_traces", "first_component", "last_component", "automatic_rank", "max_rank"});
    r.reject_unknown();
    s.background.method = parse_background_method(
        r.choice("method", {"mean", "moving_mean", "moving_median", "svd", "rpca"}, "mean"));
    if (auto w = r.integer("window_traces", 1, 100001)) {
      if (*w % 2 == 0) r.fail("window_traces", "must be odd");
      s.background.window_traces = std::size_t(*w);
    }
    s.background.first_component = std::size_t(r.integer("first_component", 1, 1000).value_or(1));
    s.background.last_component =
        std::size_t(r.integer("last_component", 1, 1000).value_or(static_cast<long long>(s.background.first_component)));
    if (s.background.last_component < s.background.first_component)
      r.fail("last_component", "must be >= first_component");
    s.background.automatic_rank = r.boolean("automatic_rank").value_or(false);
    s.background.max_automatic_rank = std::size_t(r.integer("max_rank", 1, 100).value_or(5));
  } else if (type == "migrate") {
    s.kind = StepKind::migrate;
    r.allow({"method", "velocity", "permittivity", "scan_min", "scan_max", "scan_count", "scan_min_depth", "fallback_velocity", "dz",
             "depth", "aperture", "max_angle", "oversampling", "antialias", "correct_offset", "dip_moveout"});
    r.reject_unknown();
    s.migration = parse_migration_method(r.choice("method", {"kirchhoff", "stolt", "phase_shift"}, "kirchhoff"));
    if (r.has("permittivity")) {
      if (r.has("velocity")) r.fail("permittivity", "give velocity or permittivity, not both");
      s.velocity.velocity = c / std::sqrt(r.quantity_in("permittivity", Quantity::number, 1, 1, 100, "1 .. 100"));
    } else if (const auto v = r.text("velocity"); v && *v == "auto") {
      s.velocity.automatic = true;
    } else if (r.has("velocity")) {
      s.velocity.velocity = r.quantity_in("velocity", Quantity::velocity, 0, 1e6, c, "0.001 m/ns .. c (0.2998 m/ns)");
    } else {
      r.fail("velocity", "required: a velocity (\"0.1m/ns\"), \"auto\" (a velocity scan), or give permittivity");
    }
    s.velocity.scan_min = r.quantity_in("scan_min", Quantity::velocity, 0.05e9, 1e6, c, "0.001 m/ns .. c");
    s.velocity.scan_max = r.quantity_in("scan_max", Quantity::velocity, 0.2e9, 1e6, c, "0.001 m/ns .. c");
    if (!(s.velocity.scan_max > s.velocity.scan_min)) r.fail("scan_max", "must be above scan_min");
    s.velocity.scan_count = int(r.integer("scan_count", 3, 1000).value_or(31));
    s.velocity.scan_min_depth = r.quantity_in("scan_min_depth", Quantity::length, 0.02, 0, 1e4, "0 .. 10 km");
    s.velocity.fallback_velocity =
        r.quantity_in("fallback_velocity", Quantity::velocity, 0.0, 1e6, c, "0.001 m/ns .. c (0.2998 m/ns)");
    if (!s.velocity.automatic)
      for (const char* k : {"scan_min", "scan_max", "scan_count", "scan_min_depth", "fallback_velocity"})
        if (r.has(k)) r.fail(k, "only used with velocity = \"auto\"");
    s.depth_axis.dz = r.quantity_in("dz", Quantity::length, 0.002, 1e-5, 10, "0.01 mm .. 10 m");
    if (!r.has("depth")) r.fail("depth", "required: the deepest image row (e.g. depth = \"30cm\")");
    s.depth_axis.depth = r.quantity_in("depth", Quantity::length, 0, 1e-4, 1e4, "0.1 mm .. 10 km");
    if (s.depth_axis.depth / s.depth_axis.dz > 1e6) r.fail("dz", "gives more than a million depth rows");
    if (s.velocity.automatic && !(s.velocity.scan_min_depth < s.depth_axis.depth))
      r.fail("scan_min_depth", "must be shallower than depth");
    s.kirchhoff.aperture = r.quantity_in("aperture", Quantity::length, inf, 1e-4, inf, "> 0.1 mm");
    const double angle = r.quantity_in("max_angle", Quantity::number, 70, 1, 89, "1 .. 89 degrees");
    s.kirchhoff.max_angle = angle * M_PI / 180.0;
    s.kirchhoff.oversampling = int(r.integer("oversampling", 1, 16).value_or(4));
    s.kirchhoff.antialias = r.boolean("antialias").value_or(false);
    s.correct_offset = r.boolean("correct_offset").value_or(true);
    s.dip_moveout = r.boolean("dip_moveout").value_or(true);
    if (s.migration == MigrationMethod::kirchhoff)
      for (const char* k : {"correct_offset", "dip_moveout"})
        if (r.has(k)) r.fail(k, "only used with method = \"stolt\" or \"phase_shift\" (Kirchhoff uses the exact offset)");
  } else if (type == "detect") {
    s.kind = StepKind::detect;
    r.allow({"threshold", "relative_threshold", "min_separation", "min_depth", "max_depth", "edge_margin",
             "max_targets", "envelope"});
    r.reject_unknown();
    auto& d = s.detect;
    d.threshold = r.quantity_in("threshold", Quantity::number, d.threshold, 0.1, 1e6, "0.1 .. 1e6");
    d.relative_threshold = r.quantity_in("relative_threshold", Quantity::number, 0.0, 0, 1, "[0, 1]");
    d.min_separation = r.quantity_in("min_separation", Quantity::length, d.min_separation, 1e-4, 1e4, "0.1 mm .. 10 km");
    d.min_depth = r.quantity_in("min_depth", Quantity::length, 0.0, 0, 1e4, "0 .. 10 km");
    d.max_depth = r.quantity_in("max_depth", Quantity::length, inf, 1e-4, inf, "> 0.1 mm");
    if (!(d.max_depth > d.min_depth)) r.fail("max_depth", "must be deeper than min_depth");
    d.edge_margin = r.quantity_in("edge_margin", Quantity::length, 0.0, 0, 1e4, "0 .. 10 km");
    d.max_targets = std::size_t(r.integer("max_targets", 1, 100000).value_or(20));
    d.use_envelope = r.boolean("envelope").value_or(true);
  } else {
    r.fail("type", "unknown step type '" + type +
                       "' (known: time_zero, dc, dewow, bandpass, gain, background, migrate, detect)");
  }
  r.reject_unknown();
}

// A recipe is a short text file; anything far larger is not one.
constexpr std::size_t max_recipe_bytes = std::size_t{1} << 20;

}  // namespace

Recipe parse_recipe(const std::string& text, const std::string& path) {
  Recipe recipe;
  recipe.path = path;
  recipe.text = text;
  if (text.size() > max_recipe_bytes) {
    throw InvalidArgument(path + ": more than 1 MiB of text: not a recipe (a recipe is a small TOML file)");
  }
  const std::string safe_text = toml_text_for_parser(text, path);  // (recipe_text.hpp)
  toml::table root;
  try {
    root = toml::parse(safe_text, path);
  } catch (const toml::parse_error& e) {
    throw InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                          std::string(e.description()));
  }
  TableReader top(root, path, "recipe");
  top.allow({"name", "description", "input", "step"});
  recipe.name = top.text("name").value_or("");
  recipe.description = top.text("description").value_or("");
  top.has("input");  // read below; marked as known here
  top.has("step");
  if (const toml::node* input = root.get("input")) {
    if (!input->is_table()) top.fail("input", "expected a table [input]");
    TableReader r(*input->as_table(), path, "[input]");
    read_input(r, recipe.input);
  }
  const toml::node* steps = root.get("step");
  if (!steps) top.fail("step", "the recipe has no steps; add [[step]] tables with type = \"...\"");
  if (!steps->is_array_of_tables()) top.fail("step", "expected [[step]] tables");
  top.reject_unknown();
  bool migrated = false, detected = false;
  std::map<std::string, int> saved;  // group -> line of the step saving it
  for (const toml::node& node : *steps->as_array()) {
    const toml::table& table = *node.as_table();
    TableReader r(table, path, "[[step]] #" + std::to_string(recipe.steps.size() + 1));
    const auto type = r.text("type");
    if (!type) r.fail("type", "every step needs a type");
    Step s;
    s.line = r.line();
    read_step(r, s, *type);
    if (s.kind == StepKind::migrate && migrated) r.fail("type", "a recipe migrates once");
    if (s.kind == StepKind::detect && !migrated) r.fail("type", "detect works on the migrated image: put it after migrate");
    if (s.kind == StepKind::detect && detected) r.fail("type", "a recipe detects once");
    if (s.kind != StepKind::migrate && s.kind != StepKind::detect && migrated)
      r.fail("type", "step '" + *type + "' works on B-scans: put it before migrate");
    if (s.kind == StepKind::detect && !s.save.empty()) r.fail("save", "detect saves no group (its targets go to CSV/JSON)");
    if (!s.save.empty() && !saved.emplace(s.save, s.line).second)
      r.fail("save", "group '" + s.save + "' is saved twice (also by the step at line " +
                         std::to_string(saved[s.save]) + ")");
    if (s.kind == StepKind::migrate && s.save.empty() && saved.count("migrated"))
      r.fail("type", "the migrated image goes to group 'migrated', which the step at line " +
                         std::to_string(saved["migrated"]) +
                         " already saves; give this step save = \"...\" or rename that group");
    migrated = migrated || s.kind == StepKind::migrate;
    detected = detected || s.kind == StepKind::detect;
    recipe.steps.push_back(s);
  }
  if (recipe.steps.empty()) top.fail("step", "the recipe has no steps");
  return recipe;
}

Recipe load_recipe(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(ErrorCode::file_not_found, "cannot read recipe '" + path + "'");
  // Read at most one byte more than a recipe may hold, so a huge file is refused unread.
  std::string text(max_recipe_bytes + 1, '\0');
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw FileError(ErrorCode::io_failure, "reading recipe '" + path + "' failed");
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_recipe(text, path);
}

}  // namespace gprproc::cli
