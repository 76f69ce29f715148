// Scoring detections against a scene truth (gprproc/score.hpp): hits,
// near misses, false alarms grouped as excavations, Pd and false-alarm rate
// with confidence intervals, and ROC curves over the alarms' confidence.
#include "gprproc/score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "gprproc/error.hpp"

namespace gprproc {

namespace {

double beyond(double value, double low, double high) { return std::max({low - value, 0.0, value - high}); }

}  // namespace

double TruthObject::distance(double x, double y, double depth) const {
  switch (shape) {
    case ObjectShape::box: return std::hypot(beyond(x, x_left, x_right), beyond(depth, depth_top, depth_bottom));
    case ObjectShape::circle: return std::max(0.0, std::hypot(x - x_centre, depth - depth_centre) - radius);
    case ObjectShape::cylinder: {
      const double radial = std::max(0.0, std::hypot(x - x_centre, y - y_centre) - radius);
      return std::hypot(radial, beyond(depth, depth_top, depth_bottom));
    }
    case ObjectShape::sphere: {
      const double dx = x - x_centre, dy = y - y_centre, dz = depth - depth_centre;
      return std::max(0.0, std::sqrt(dx * dx + dy * dy + dz * dz) - radius);
    }
    case ObjectShape::cuboid: {
      const double dx = beyond(x, x_left, x_right), dy = beyond(y, y_front, y_back),
                   dz = beyond(depth, depth_top, depth_bottom);
      return std::sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return std::numeric_limits<double>::infinity();
}

double TruthObject::lateral_distance(double x, double y) const {
  switch (shape) {
    case ObjectShape::box: return beyond(x, x_left, x_right);
    case ObjectShape::circle: return std::max(0.0, std::abs(x - x_centre) - radius);
    case ObjectShape::cylinder:
    case ObjectShape::sphere: return std::max(0.0, std::hypot(x - x_centre, y - y_centre) - radius);
    case ObjectShape::cuboid: return std::hypot(beyond(x, x_left, x_right), beyond(y, y_front, y_back));
  }
  return std::numeric_limits<double>::infinity();
}

namespace {

void check(const std::vector<Alarm>& alarms, const SceneTruth& truth, const ScoreOptions& o) {
  if (!(std::isfinite(o.hit_radius) && o.hit_radius > 0))
    throw InvalidArgument("score: hit_radius must be positive and finite (m), got " + std::to_string(o.hit_radius));
  if (!(std::isfinite(o.lateral_reach) && o.lateral_reach >= 0))
    throw InvalidArgument("score: lateral_reach must be finite and >= 0 (m), got " + std::to_string(o.lateral_reach));
  if (!(truth.lane_length() > 0) || (truth.three_dimensional && !(truth.lane_area() > 0)))
    throw InvalidArgument("score: the truth of scene '" + truth.scene +
                          "' has no surveyed lane extent (x_first < x_last" +
                          std::string(truth.three_dimensional ? ", y_first < y_last" : "") + ")");
  for (std::size_t k = 0; k < alarms.size(); ++k) {
    const Alarm& a = alarms[k];
    if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(a.depth) || std::isnan(a.confidence))
      throw InvalidArgument("score: alarm " + std::to_string(k + 1) + " has a non-finite position or confidence");
  }
}

double horizontal_gap(const Alarm& a, const Alarm& b, bool three_d) {
  return three_d ? std::hypot(a.x - b.x, a.y - b.y) : std::abs(a.x - b.x);
}

}  // namespace

SceneScore score(const std::vector<Alarm>& all_alarms, const SceneTruth& truth, const ScoreOptions& o) {
  check(all_alarms, truth, o);
  std::vector<Alarm> alarms;
  for (const Alarm& a : all_alarms)
    if (a.confidence >= o.min_confidence) alarms.push_back(a);
  SceneScore s;
  s.scene = truth.scene;
  s.alarms = alarms.size();
  s.three_dimensional = truth.three_dimensional;
  s.lane = truth.three_dimensional ? truth.lane_area() : truth.lane_length();
  for (const TruthObject& t : truth.objects) {
    ObjectScore r;
    r.id = t.id;
    r.kind = t.kind;
    r.must_find = t.must_find();
    r.distance = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < alarms.size(); ++k) {
      const double d = t.distance(alarms[k].x, alarms[k].y, alarms[k].depth);
      if (d < r.distance) r.distance = d, r.nearest_alarm = static_cast<long long>(k);
    }
    r.found = r.distance <= o.hit_radius;
    if (r.must_find) {
      ++s.to_find;
      s.found += r.found;
      if (t.kind == "mine") ++s.mines, s.mines_found += r.found;
    }
    s.objects.push_back(r);
  }
  std::vector<Alarm> false_alarms;
  for (const Alarm& a : alarms) {
    bool on = false, near = false;
    for (const TruthObject& t : truth.objects) {
      if (!t.must_find()) continue;
      on = on || t.distance(a.x, a.y, a.depth) <= o.hit_radius;
      near = near || t.lateral_distance(a.x, a.y) <= o.lateral_reach;
    }
    if (on) ++s.detections;
    else if (near) ++s.near_misses;
    else false_alarms.push_back(a);
  }
  s.false_alarm_alarms = false_alarms.size();
  // Group false alarms within lateral_reach of each other (single linkage):
  // one excavation each, represented by its most confident alarm.
  std::vector<std::size_t> group(false_alarms.size());
  std::iota(group.begin(), group.end(), 0);
  const auto root = [&](std::size_t k) {
    while (group[k] != k) k = group[k] = group[group[k]];
    return k;
  };
  for (std::size_t a = 0; a < false_alarms.size(); ++a)
    for (std::size_t b = a + 1; b < false_alarms.size(); ++b)
      if (horizontal_gap(false_alarms[a], false_alarms[b], truth.three_dimensional) <= o.lateral_reach)
        group[root(b)] = root(a);
  std::vector<long long> best(false_alarms.size(), -1);
  for (std::size_t k = 0; k < false_alarms.size(); ++k) {
    const std::size_t g = root(k);
    if (best[g] < 0 || false_alarms[k].confidence > false_alarms[static_cast<std::size_t>(best[g])].confidence)
      best[g] = static_cast<long long>(k);
  }
  for (std::size_t g = 0; g < false_alarms.size(); ++g)
    if (best[g] >= 0) s.false_alarm_positions.push_back(false_alarms[static_cast<std::size_t>(best[g])]);
  s.false_alarms = s.false_alarm_positions.size();
  return s;
}

Interval wilson_interval(std::size_t successes, std::size_t trials) {
  if (trials == 0) return {};
  const double z = 1.959963984540054, n = double(trials), p = double(successes) / n;
  const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {

// P(X <= k) for X ~ Poisson(mu), summed in log space.
double poisson_cdf(std::size_t k, double mu) {
  if (mu <= 0) return 1.0;
  double sum = 0.0;
  for (std::size_t i = 0; i <= k; ++i) sum += std::exp(double(i) * std::log(mu) - mu - std::lgamma(double(i) + 1.0));
  return std::min(1.0, sum);
}

// The mu at which f(mu) (monotone decreasing in mu) crosses `level`, by bisection.
template <class F>
double solve_decreasing(F f, double level, double low, double high) {
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (low + high);
    if (f(mid) > level) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

}  // namespace

Interval poisson_rate_interval(std::size_t count, double exposure) {
  if (!(exposure > 0)) return {};
  const double k = double(count);
  const double top = 10.0 * (k + 10.0);
  // Upper: P(X <= k; mu) = 0.025. Lower (k > 0): P(X >= k; mu) = 0.025, i.e. P(X <= k - 1; mu) = 0.975.
  const double upper = solve_decreasing([&](double mu) { return poisson_cdf(count, mu); }, 0.025, 0.0, top);
  const double lower =
      count == 0 ? 0.0 : solve_decreasing([&](double mu) { return poisson_cdf(count - 1, mu); }, 0.975, 0.0, top);
  return {k / exposure, lower / exposure, upper / exposure};
}

ScoreSummary summarize(const std::vector<SceneScore>& scores) {
  ScoreSummary m;
  m.scenes = scores.size();
  for (const SceneScore& s : scores) {
    m.to_find += s.to_find;
    m.found += s.found;
    m.mines += s.mines;
    m.mines_found += s.mines_found;
    m.false_alarms += s.false_alarms;
    if (s.three_dimensional) m.lane_area += s.lane, m.false_alarms_3d += s.false_alarms;
    else m.lane_length += s.lane, m.false_alarms_2d += s.false_alarms;
    m.max_false_alarms_per_lane = std::max(m.max_false_alarms_per_lane, s.false_alarms);
    if (s.to_find == 0) m.max_alarms_on_mine_free_lane = std::max(m.max_alarms_on_mine_free_lane, s.alarms);
  }
  m.pd = wilson_interval(m.found, m.to_find);
  m.pd_mines = wilson_interval(m.mines_found, m.mines);
  m.false_alarms_per_metre = poisson_rate_interval(m.false_alarms_2d, m.lane_length);
  m.false_alarms_per_square_metre = poisson_rate_interval(m.false_alarms_3d, m.lane_area);
  return m;
}

std::vector<RocPoint> roc(const std::vector<std::vector<Alarm>>& alarms, const std::vector<SceneTruth>& truths,
                          const ScoreOptions& options) {
  if (alarms.size() != truths.size())
    throw InvalidArgument("roc: " + std::to_string(alarms.size()) + " alarm lists for " +
                          std::to_string(truths.size()) + " truths; give one list per scene");
  for (const SceneTruth& t : truths)
    if (t.three_dimensional != truths.front().three_dimensional)
      throw InvalidArgument("roc: scene '" + t.scene + "' is " + (t.three_dimensional ? "3-D" : "2-D") +
                            " but scene '" + truths.front().scene +
                            "' is not; false alarms per metre and per square metre do not add: make one ROC each");
  std::vector<double> thresholds;
  for (const auto& list : alarms)
    for (const Alarm& a : list) thresholds.push_back(a.confidence);
  std::sort(thresholds.begin(), thresholds.end(), std::greater<double>());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  thresholds.insert(thresholds.begin(), std::numeric_limits<double>::infinity());
  std::vector<RocPoint> curve;
  for (double t : thresholds) {
    ScoreOptions o = options;
    o.min_confidence = t;
    RocPoint p;
    p.threshold = t;
    double lane = 0.0;
    for (std::size_t k = 0; k < truths.size(); ++k) {
      const SceneScore s = score(alarms[k], truths[k], o);
      p.found += s.found;
      p.to_find += s.to_find;
      p.false_alarms += s.false_alarms;
      lane += s.lane;
    }
    p.pd = p.to_find ? double(p.found) / double(p.to_find) : 0.0;
    p.false_alarm_rate = lane > 0 ? double(p.false_alarms) / lane : 0.0;
    curve.push_back(p);
  }
  return curve;
}

}  // namespace gprproc
