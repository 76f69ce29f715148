#pragma once
// Processing recipes (docs/RECIPES.md): a TOML file of an [input] table and an
// ordered list of [[step]] tables. The whole recipe is parsed and checked
// (unknown step or key, wrong type, absurd value: an InvalidArgument naming
// the file, line and key) before any data is read.
#include <optional>
#include <string>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "gprproc/migration.hpp"

namespace gprproc::cli {

// Geometry a gprMax file lacks (applied to gprMax input only; the command line overrides).
struct InputGeometry {
  std::string component = "Ez";
  std::optional<double> dx, x0, t0, antenna_offset, antenna_height, center_frequency;
};

enum class StepKind { time_zero, dc, dewow, bandpass, gain, background, migrate, detect };
const char* to_string(StepKind kind);

enum class GainKind { power, exponential, sec, agc };

struct VelocityChoice {
  bool automatic = false;  // velocity scan over [scan_min, scan_max]
  double velocity = 0.0;   // m/s when not automatic
  double scan_min = 0.05e9, scan_max = 0.2e9;
  int scan_count = 31;
  double scan_min_depth = 0.02;  // m: the scan's images start here, below the ground-bounce residue
  // m/s, 0 = none: used when the scan's best focus lies at either end of its
  // range, i.e. the scan did not find a velocity (flat-topped targets focus
  // about equally at every velocity: docs/MIGRATION.md).
  double fallback_velocity = 0.0;
};

struct Step {
  StepKind kind = StepKind::dc;
  int line = 0;        // line of the [[step]] header in the recipe
  std::string save;    // group to write this step's result to ("" = not saved)
  // time_zero: a fixed shift (the event at `time_zero` goes to 0) or a pick.
  std::optional<double> time_zero;
  TimeZeroOptions time_zero_pick;
  double dewow_window = 0.0;
  BandpassOptions bandpass;
  GainKind gain = GainKind::power;
  TimeGain time_gain;
  AgcOptions agc;
  BackgroundOptions background;
  MigrationMethod migration = MigrationMethod::kirchhoff;
  VelocityChoice velocity;
  DepthAxis depth_axis;
  KirchhoffOptions kirchhoff;
  // Stolt and phase shift: the antenna-offset remap and its dip moveout.
  bool correct_offset = true;
  bool dip_moveout = true;
  DetectOptions detect;
};

struct Recipe {
  std::string path;
  std::string text;  // verbatim, recorded in the output's history
  std::string name, description;
  InputGeometry input;
  std::vector<Step> steps;
};

// Parses and checks a recipe file; throws InvalidArgument ("RECIPE:LINE: key 'k': ...")
// or FileError when it cannot be read.
Recipe load_recipe(const std::string& path);
Recipe parse_recipe(const std::string& text, const std::string& path);

}  // namespace gprproc::cli
