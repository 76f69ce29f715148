// Scoring against a truth, the way demining counts: hits within the hit
// radius of a body, near misses beside a mine or debris, false alarms on
// stones, roots or empty ground grouped within the lateral reach; interval
// estimates against tabulated values; the ROC over the alarms' confidence.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/score.hpp"

using namespace gprproc;

namespace {

TruthObject box(const char* id, const char* kind, double x0, double x1, double z0, double z1) {
  TruthObject t;
  t.id = id;
  t.kind = kind;
  t.shape = ObjectShape::box;
  t.x_left = x0, t.x_right = x1, t.depth_top = z0, t.depth_bottom = z1;
  return t;
}

TruthObject circle(const char* id, const char* kind, double x, double z, double r) {
  TruthObject t;
  t.id = id;
  t.kind = kind;
  t.shape = ObjectShape::circle;
  t.x_centre = x, t.depth_centre = z, t.radius = r;
  return t;
}

SceneTruth lane() {
  SceneTruth s;
  s.scene = "test";
  s.x_first = 0.0;
  s.x_last = 1.0;
  s.objects = {box("mine", "mine", 0.40, 0.50, 0.05, 0.10), box("can", "metal debris", 0.80, 0.82, 0.03, 0.034),
               circle("stone", "stone", 0.20, 0.08, 0.01), circle("root", "root", 0.65, 0.07, 0.008)};
  return s;
}

}  // namespace

TEST_CASE("distances to bodies: 0 inside, Euclidean outside, lateral distance beside", "[score]") {
  const TruthObject b = box("b", "mine", 0.4, 0.5, 0.05, 0.1);
  CHECK(b.distance(0.45, 0, 0.07) == 0.0);
  CHECK(b.distance(0.45, 0, 0.02) == Approx(0.03));
  CHECK(b.distance(0.53, 0, 0.01) == Approx(0.05));  // 3-4-5
  CHECK(b.lateral_distance(0.53, 0) == Approx(0.03));
  CHECK(b.lateral_distance(0.45, 0) == 0.0);
  const TruthObject c = circle("c", "stone", 0.2, 0.08, 0.01);
  CHECK(c.distance(0.2, 0, 0.08) == 0.0);
  CHECK(c.distance(0.23, 0, 0.08) == Approx(0.02));
  TruthObject disc;
  disc.kind = "mine";
  disc.shape = ObjectShape::cylinder;
  disc.x_centre = 0.2, disc.y_centre = 0.15, disc.radius = 0.056, disc.depth_top = 0.05, disc.depth_bottom = 0.106;
  CHECK(disc.distance(0.2, 0.15, 0.05) == 0.0);
  CHECK(disc.distance(0.2 + 0.056 + 0.03, 0.15, 0.07) == Approx(0.03));
  CHECK(disc.distance(0.2, 0.15 + 0.056 + 0.03, 0.02) == Approx(std::hypot(0.03, 0.03)));
  CHECK(disc.lateral_distance(0.2, 0.15 + 0.1) == Approx(0.044));
}

TEST_CASE("hits, near misses and grouped false alarms", "[score]") {
  const SceneTruth truth = lane();
  const std::vector<Alarm> alarms = {
      {0.45, 0, 0.04, 9.0},   // on the mine (1 cm above its top)
      {0.47, 0, 0.13, 5.0},   // 3 cm below the mine: still on it
      {0.54, 0, 0.30, 4.0},   // 4 cm beside the mine, deep: a near miss (digging there finds it)
      {0.81, 0, 0.035, 8.0},  // on the debris: a detection of it
      {0.20, 0, 0.08, 7.0},   // on a stone: a false alarm
      {0.23, 0, 0.10, 3.0},   // 3 cm from the first false alarm: the same excavation
      {0.65, 0, 0.07, 6.0},   // on the root: a false alarm
      {0.95, 0, 0.20, 2.0},   // empty ground, 13 cm from the debris: a false alarm
  };
  const SceneScore s = score(alarms, truth);
  CHECK(s.alarms == 8);
  CHECK(s.detections == 3);
  CHECK(s.near_misses == 1);
  CHECK(s.false_alarm_alarms == 4);
  CHECK(s.false_alarms == 3);  // {0.20, 0.23}, {0.65}, {0.95}
  CHECK(s.to_find == 2);
  CHECK(s.found == 2);
  CHECK(s.mines == 1);
  CHECK(s.mines_found == 1);
  CHECK(s.lane == Approx(1.0));
  CHECK(s.false_alarm_rate() == Approx(3.0));
  REQUIRE(s.objects.size() == 4);
  CHECK(s.objects[0].found);
  CHECK(s.objects[0].distance == Approx(0.01));  // the nearest alarm, 1 cm above its top
  CHECK_FALSE(s.objects[2].must_find);  // a stone is not to be found
  // The group's representative is its most confident alarm.
  bool has_stone_group = false;
  for (const Alarm& a : s.false_alarm_positions) has_stone_group = has_stone_group || (a.x == 0.20 && a.confidence == 7.0);
  CHECK(has_stone_group);

  // A missed mine: the only alarm 4 cm above its top.
  const SceneScore missed = score({{0.45, 0, 0.01, 5.0}}, truth);
  CHECK(missed.mines_found == 0);
  CHECK(missed.objects[0].distance == Approx(0.04));
  // Alarms below the confidence cut do not count.
  ScoreOptions strict;
  strict.min_confidence = 8.5;
  const SceneScore cut = score(alarms, truth, strict);
  CHECK(cut.alarms == 1);
  CHECK(cut.found == 1);  // the mine (9.0), not the debris (8.0)
}

TEST_CASE("bad scoring input is refused naming the problem", "[score]") {
  SceneTruth empty = lane();
  empty.x_last = empty.x_first;
  CHECK_THROWS_AS(score({}, empty), InvalidArgument);
  ScoreOptions o;
  o.hit_radius = 0;
  CHECK_THROWS_AS(score({}, lane(), o), InvalidArgument);
  CHECK_THROWS_AS(score({{std::nan(""), 0, 0, 1}}, lane()), InvalidArgument);
}

TEST_CASE("confidence intervals match tabulated values", "[score]") {
  // Wilson 95 %: 10/10 -> [0.7225, 1]; 5/10 -> [0.2366, 0.7634] (Newcombe 1998, table I).
  const Interval all = wilson_interval(10, 10);
  CHECK(all.estimate == 1.0);
  CHECK(all.low == Approx(0.7225).margin(2e-4));
  CHECK(all.high == Approx(1.0));
  const Interval half = wilson_interval(5, 10);
  CHECK(half.low == Approx(0.2366).margin(2e-4));
  CHECK(half.high == Approx(0.7634).margin(2e-4));
  // Exact Poisson (Garwood 1936): 0 -> [0, 3.689]; 1 -> [0.0253, 5.572]; 5 -> [1.6235, 11.6683].
  const Interval zero = poisson_rate_interval(0, 1.0);
  CHECK(zero.low == 0.0);
  CHECK(zero.high == Approx(3.689).margin(1e-3));
  const Interval one = poisson_rate_interval(1, 1.0);
  CHECK(one.low == Approx(0.0253).margin(1e-4));
  CHECK(one.high == Approx(5.572).margin(1e-3));
  const Interval five = poisson_rate_interval(5, 2.0);
  CHECK(five.estimate == Approx(2.5));
  CHECK(five.low == Approx(1.6235 / 2).margin(1e-3));
  CHECK(five.high == Approx(11.6683 / 2).margin(1e-3));
}

TEST_CASE("the summary and the ROC over confidence", "[score]") {
  const SceneTruth truth = lane();
  SceneTruth empty_lane = lane();
  empty_lane.scene = "empty";
  empty_lane.objects = {circle("stone", "stone", 0.2, 0.08, 0.01)};
  const std::vector<std::vector<Alarm>> alarms = {{{0.45, 0, 0.06, 9.0}, {0.81, 0, 0.03, 3.0}, {0.2, 0, 0.08, 5.0}},
                                                  {{0.2, 0, 0.08, 4.0}, {0.7, 0, 0.1, 1.0}}};
  const std::vector<SceneTruth> truths = {truth, empty_lane};
  std::vector<SceneScore> scores;
  for (std::size_t k = 0; k < 2; ++k) scores.push_back(score(alarms[k], truths[k]));
  const ScoreSummary m = summarize(scores);
  CHECK(m.scenes == 2);
  CHECK(m.to_find == 2);
  CHECK(m.found == 2);
  CHECK(m.false_alarms == 3);
  CHECK(m.lane_length == Approx(2.0));
  CHECK(m.false_alarms_per_metre.estimate == Approx(1.5));
  CHECK(m.max_false_alarms_per_lane == 2);
  CHECK(m.max_alarms_on_mine_free_lane == 2);
  const std::vector<RocPoint> curve = roc(alarms, truths);
  REQUIRE(curve.size() == 6);  // above everything, then 9, 5, 4, 3, 1
  CHECK(curve.front().found == 0);
  CHECK(curve.front().false_alarms == 0);
  CHECK(curve[1].threshold == 9.0);
  CHECK(curve[1].pd == Approx(0.5));
  CHECK(curve[1].false_alarms == 0);
  CHECK(curve.back().pd == Approx(1.0));
  CHECK(curve.back().false_alarms == 3);
  for (std::size_t k = 1; k < curve.size(); ++k) {
    CHECK(curve[k].pd >= curve[k - 1].pd);
    CHECK(curve[k].false_alarms >= curve[k - 1].false_alarms);
  }
  SceneTruth cube = lane();
  cube.three_dimensional = true;
  cube.y_last = 1.0;
  CHECK_THROWS_AS(roc({{}, {}}, {truth, cube}), InvalidArgument);
}
