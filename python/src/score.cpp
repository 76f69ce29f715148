// Bindings of scoring (gprproc/score.hpp) and truth files
// (gprproc/truth_file.hpp, with the I/O component); python/gprproc/score.py wraps them.
#include <string>
#include <vector>

#include "bindings.hpp"
#include "gprproc/score.hpp"
#if GPRPROC_PYTHON_HAS_IO
#include "gprproc/truth_file.hpp"
#endif

namespace gprproc::python {

namespace {

std::vector<Alarm> alarms_from(const std::vector<std::vector<double>>& rows) {
  std::vector<Alarm> alarms;
  alarms.reserve(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (rows[k].size() != 4)
      throw InvalidArgument("alarm " + std::to_string(k + 1) + " must be (x, y, depth, confidence), got " +
                            std::to_string(rows[k].size()) + " values");
    alarms.push_back({rows[k][0], rows[k][1], rows[k][2], rows[k][3]});
  }
  return alarms;
}

ScoreOptions options(double hit_radius, double lateral_reach) {
  ScoreOptions o;
  o.hit_radius = hit_radius;
  o.lateral_reach = lateral_reach;
  return o;
}

}  // namespace

void register_score(py::module_& m) {
  py::enum_<ObjectShape>(m, "ObjectShape")
      .value("box", ObjectShape::box)
      .value("circle", ObjectShape::circle)
      .value("cylinder", ObjectShape::cylinder)
      .value("sphere", ObjectShape::sphere)
      .value("cuboid", ObjectShape::cuboid);
  py::class_<TruthObject>(m, "TruthObject", "An object of a scene's truth: kind and body.")
      .def(py::init<>())
      .def_readwrite("id", &TruthObject::id)
      .def_readwrite("kind", &TruthObject::kind)
      .def_readwrite("shape", &TruthObject::shape)
      .def_readwrite("x_left", &TruthObject::x_left)
      .def_readwrite("x_right", &TruthObject::x_right)
      .def_readwrite("y_front", &TruthObject::y_front)
      .def_readwrite("y_back", &TruthObject::y_back)
      .def_readwrite("depth_top", &TruthObject::depth_top)
      .def_readwrite("depth_bottom", &TruthObject::depth_bottom)
      .def_readwrite("x_centre", &TruthObject::x_centre)
      .def_readwrite("y_centre", &TruthObject::y_centre)
      .def_readwrite("depth_centre", &TruthObject::depth_centre)
      .def_readwrite("radius", &TruthObject::radius)
      .def_property_readonly("must_find", &TruthObject::must_find)
      .def("distance", &TruthObject::distance, py::arg("x"), py::arg("y"), py::arg("depth"))
      .def("lateral_distance", &TruthObject::lateral_distance, py::arg("x"), py::arg("y"));
  py::class_<SceneTruth>(m, "SceneTruth", "A scene's objects and surveyed lane.")
      .def(py::init<>())
      .def_readwrite("scene", &SceneTruth::scene)
      .def_readwrite("objects", &SceneTruth::objects)
      .def_readwrite("three_dimensional", &SceneTruth::three_dimensional)
      .def_readwrite("x_first", &SceneTruth::x_first)
      .def_readwrite("x_last", &SceneTruth::x_last)
      .def_readwrite("y_first", &SceneTruth::y_first)
      .def_readwrite("y_last", &SceneTruth::y_last)
      .def_property_readonly("lane_length", &SceneTruth::lane_length)
      .def_property_readonly("lane_area", &SceneTruth::lane_area);
  py::class_<ObjectScore>(m, "ObjectScore")
      .def_readonly("id", &ObjectScore::id)
      .def_readonly("kind", &ObjectScore::kind)
      .def_readonly("must_find", &ObjectScore::must_find)
      .def_readonly("found", &ObjectScore::found)
      .def_readonly("distance", &ObjectScore::distance)
      .def_readonly("nearest_alarm", &ObjectScore::nearest_alarm);
  py::class_<SceneScore>(m, "SceneScore")
      .def_readonly("scene", &SceneScore::scene)
      .def_readonly("objects", &SceneScore::objects)
      .def_readonly("alarms", &SceneScore::alarms)
      .def_readonly("detections", &SceneScore::detections)
      .def_readonly("near_misses", &SceneScore::near_misses)
      .def_readonly("false_alarm_alarms", &SceneScore::false_alarm_alarms)
      .def_readonly("false_alarms", &SceneScore::false_alarms)
      .def_property_readonly("false_alarm_positions",
                             [](const SceneScore& s) {
                               py::list out;
                               for (const Alarm& a : s.false_alarm_positions)
                                 out.append(py::make_tuple(a.x, a.y, a.depth, a.confidence));
                               return out;
                             })
      .def_readonly("to_find", &SceneScore::to_find)
      .def_readonly("found", &SceneScore::found)
      .def_readonly("mines", &SceneScore::mines)
      .def_readonly("mines_found", &SceneScore::mines_found)
      .def_readonly("lane", &SceneScore::lane)
      .def_readonly("three_dimensional", &SceneScore::three_dimensional)
      .def_property_readonly("false_alarm_rate", &SceneScore::false_alarm_rate);
  py::class_<Interval>(m, "Interval")
      .def_readonly("estimate", &Interval::estimate)
      .def_readonly("low", &Interval::low)
      .def_readonly("high", &Interval::high)
      .def("__repr__", [](const Interval& i) {
        return std::to_string(i.estimate) + " [" + std::to_string(i.low) + ", " + std::to_string(i.high) + "]";
      });
  py::class_<ScoreSummary>(m, "ScoreSummary")
      .def_readonly("scenes", &ScoreSummary::scenes)
      .def_readonly("to_find", &ScoreSummary::to_find)
      .def_readonly("found", &ScoreSummary::found)
      .def_readonly("mines", &ScoreSummary::mines)
      .def_readonly("mines_found", &ScoreSummary::mines_found)
      .def_readonly("false_alarms", &ScoreSummary::false_alarms)
      .def_readonly("lane_length", &ScoreSummary::lane_length)
      .def_readonly("lane_area", &ScoreSummary::lane_area)
      .def_readonly("pd", &ScoreSummary::pd)
      .def_readonly("pd_mines", &ScoreSummary::pd_mines)
      .def_readonly("false_alarms_per_metre", &ScoreSummary::false_alarms_per_metre)
      .def_readonly("false_alarms_per_square_metre", &ScoreSummary::false_alarms_per_square_metre)
      .def_readonly("max_false_alarms_per_lane", &ScoreSummary::max_false_alarms_per_lane)
      .def_readonly("max_alarms_on_mine_free_lane", &ScoreSummary::max_alarms_on_mine_free_lane);
  py::class_<RocPoint>(m, "RocPoint")
      .def_readonly("threshold", &RocPoint::threshold)
      .def_readonly("found", &RocPoint::found)
      .def_readonly("to_find", &RocPoint::to_find)
      .def_readonly("false_alarms", &RocPoint::false_alarms)
      .def_readonly("pd", &RocPoint::pd)
      .def_readonly("false_alarm_rate", &RocPoint::false_alarm_rate);

  m.def(
      "score",
      [](const std::vector<std::vector<double>>& alarms, const SceneTruth& truth, double hit_radius,
         double lateral_reach) { return gprproc::score(alarms_from(alarms), truth, options(hit_radius, lateral_reach)); },
      py::arg("alarms"), py::arg("truth"), py::arg("hit_radius") = 0.03, py::arg("lateral_reach") = 0.05,
      "Scores alarms [(x, y, depth, confidence), ...] against a SceneTruth.");
  m.def("summarize", &gprproc::summarize, py::arg("scores"));
  m.def(
      "roc",
      [](const std::vector<std::vector<std::vector<double>>>& alarms, const std::vector<SceneTruth>& truths,
         double hit_radius, double lateral_reach) {
        std::vector<std::vector<Alarm>> lists;
        for (const auto& rows : alarms) lists.push_back(alarms_from(rows));
        return gprproc::roc(lists, truths, options(hit_radius, lateral_reach));
      },
      py::arg("alarms"), py::arg("truths"), py::arg("hit_radius") = 0.03, py::arg("lateral_reach") = 0.05);
  m.def("wilson_interval", &gprproc::wilson_interval, py::arg("successes"), py::arg("trials"));
  m.def("poisson_rate_interval", &gprproc::poisson_rate_interval, py::arg("count"), py::arg("exposure"));
#if GPRPROC_PYTHON_HAS_IO
  m.def("read_truth", &gprproc::read_truth, py::arg("path"), "Reads a scene's truth file (JSON).");
#endif
}

}  // namespace gprproc::python
