#pragma once
// Scoring detections against a scene's truth the way humanitarian demining
// counts them (docs/DETECTION.md, "Scoring"):
// - an object that must be found (a mine or a piece of metal debris) is found
//   when an alarm lies within `hit_radius` of its body (0 inside it);
// - an alarm on a mine or on debris is a detection of that object; an alarm
//   within `lateral_reach` (horizontally) of a mine or debris that hits none is
//   neither a detection nor a false alarm (digging there finds the object);
// - every other alarm (on a stone, a root or empty ground) is a false alarm;
//   false alarms within `lateral_reach` of each other count once (one
//   excavation), per metre of lane (B-scans) or per square metre (cubes).
// Pd and false-alarm rates summed over many scenes come with 95 % confidence
// intervals (Wilson for Pd, exact Poisson for the false-alarm count).
#include <cstddef>
#include <string>
#include <vector>

namespace gprproc {

enum class ObjectShape {
  box,       // 2-D: x_left..x_right, depth_top..depth_bottom
  circle,    // 2-D: x_centre, depth_centre, radius (a cylinder across the line)
  cylinder,  // 3-D: vertical axis at (x_centre, y_centre), radius, depth_top..depth_bottom (a disc mine)
  sphere,    // 3-D: x_centre, y_centre, depth_centre, radius
  cuboid,    // 3-D: x_left..x_right, y_front..y_back, depth_top..depth_bottom
};

struct TruthObject {
  std::string id;
  std::string kind;  // "mine", "metal debris", "stone", "root" (anything else counts as clutter)
  ObjectShape shape = ObjectShape::box;
  double x_left = 0, x_right = 0, y_front = 0, y_back = 0, depth_top = 0, depth_bottom = 0;
  double x_centre = 0, y_centre = 0, depth_centre = 0, radius = 0;

  // Mines and metal debris must be found; stones and roots must not alarm.
  bool must_find() const { return kind == "mine" || kind == "metal debris"; }
  bool three_dimensional() const {
    return shape == ObjectShape::cylinder || shape == ObjectShape::sphere || shape == ObjectShape::cuboid;
  }
  // Distance (m) from a point to the body (0 inside); y is ignored for 2-D shapes.
  double distance(double x, double y, double depth) const;
  // Horizontal distance (m) to the body's footprint: |x| beyond its x extent
  // in 2-D, the (x, y) distance beyond its footprint in 3-D.
  double lateral_distance(double x, double y) const;
};

struct SceneTruth {
  std::string scene;
  std::vector<TruthObject> objects;
  bool three_dimensional = false;
  // The surveyed lane: x_first..x_last (and y_first..y_last for cubes), m.
  double x_first = 0, x_last = 0, y_first = 0, y_last = 0;
  double lane_length() const { return x_last - x_first; }                       // m
  double lane_area() const { return (x_last - x_first) * (y_last - y_first); }  // m^2 (cubes)
};

struct Alarm {
  double x = 0.0, y = 0.0, depth = 0.0;
  double confidence = 0.0;  // ranks alarms (the ROC sweeps it)
};

struct ScoreOptions {
  double hit_radius = 0.03;     // m
  double lateral_reach = 0.05;  // m
  // Only alarms with confidence >= this count (the ROC sweeps it).
  double min_confidence = -1e300;
};

struct ObjectScore {
  std::string id, kind;
  bool must_find = false;
  bool found = false;          // an alarm within hit_radius
  double distance = 0.0;       // of the nearest alarm (m); infinity without alarms
  long long nearest_alarm = -1;
};

struct SceneScore {
  std::string scene;
  std::vector<ObjectScore> objects;
  std::size_t alarms = 0;               // alarms considered (confidence >= min_confidence)
  std::size_t detections = 0;           // alarms on a mine or debris
  std::size_t near_misses = 0;          // alarms within lateral_reach of one, but on none
  std::size_t false_alarm_alarms = 0;   // alarms that are false alarms, before grouping
  std::size_t false_alarms = 0;         // groups of false alarms (excavations)
  std::vector<Alarm> false_alarm_positions;  // one per group (its most confident alarm)
  std::size_t to_find = 0, found = 0;   // mines + debris, and how many were found
  std::size_t mines = 0, mines_found = 0;
  double lane = 0.0;                    // m (2-D) or m^2 (3-D)
  bool three_dimensional = false;
  double false_alarm_rate() const { return lane > 0 ? double(false_alarms) / lane : 0.0; }
};

// Throws InvalidArgument for non-finite alarms, non-positive radii, or a
// truth without a lane extent.
SceneScore score(const std::vector<Alarm>& alarms, const SceneTruth& truth, const ScoreOptions& options = {});

struct Interval {
  double estimate = 0.0, low = 0.0, high = 0.0;
};
// Wilson score interval of a binomial proportion k / n at 95 % (n = 0: all zeros).
Interval wilson_interval(std::size_t successes, std::size_t trials);
// Exact (Garwood) 95 % interval of a Poisson count, divided by `exposure`.
Interval poisson_rate_interval(std::size_t count, double exposure);

struct ScoreSummary {
  std::size_t scenes = 0;
  std::size_t to_find = 0, found = 0, mines = 0, mines_found = 0;
  std::size_t false_alarms = 0;
  double lane_length = 0.0, lane_area = 0.0;  // summed over 2-D and 3-D scenes
  std::size_t false_alarms_2d = 0, false_alarms_3d = 0;
  Interval pd;               // mines and debris
  Interval pd_mines;         // mines only
  Interval false_alarms_per_metre;          // 2-D scenes
  Interval false_alarms_per_square_metre;   // 3-D scenes
  std::size_t max_false_alarms_per_lane = 0;
  std::size_t max_alarms_on_mine_free_lane = 0;
};
ScoreSummary summarize(const std::vector<SceneScore>& scores);

// A receiver operating characteristic over the alarms' confidence: for each
// distinct confidence (and one above all), Pd and the false alarms per metre
// (2-D) or per m^2 (3-D) summed over the scenes. Points from the highest
// threshold (fewest alarms) down.
struct RocPoint {
  double threshold = 0.0;
  std::size_t found = 0, to_find = 0, false_alarms = 0;
  double pd = 0.0, false_alarm_rate = 0.0;
};
std::vector<RocPoint> roc(const std::vector<std::vector<Alarm>>& alarms, const std::vector<SceneTruth>& truths,
                          const ScoreOptions& options = {});

}  // namespace gprproc
