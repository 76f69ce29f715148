// Truth files: the "objects" list of the scene set, the shared scenes' older
// "targets"/"clutter" lists, 3-D surveys, and hostile files refused cleanly.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "gprproc/error.hpp"
#include "gprproc/truth_file.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {
std::string write_text(const ScratchFolder& folder, const std::string& name, const std::string& text) {
  const std::string path = folder.file(name);
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("the shipped sample's truth: the mine box and its stones, the lane from the antenna", "[io][truth]") {
  const SceneTruth t = read_truth(std::string(GPRPROC_SOURCE_DIR) + "/data/pmn_loam_rough_truth.json");
  CHECK(t.scene == "pmn_loam_rough");
  CHECK_FALSE(t.three_dimensional);
  REQUIRE(!t.objects.empty());
  CHECK(t.objects[0].kind == "mine");
  CHECK(t.objects[0].shape == ObjectShape::box);
  CHECK(t.objects[0].x_left == Approx(0.394));
  CHECK(t.objects[0].depth_bottom == Approx(0.106));
  for (std::size_t k = 1; k < t.objects.size(); ++k) CHECK(t.objects[k].kind == "stone");
  // 70 traces 1 cm apart from x = 0.10: a lane of 0.70 m.
  CHECK(t.x_first == Approx(0.095));
  CHECK(t.lane_length() == Approx(0.70));
}

TEST_CASE("a shared scene's truth (older layout) reads the same way", "[io][truth]") {
  const std::string path = gprproc_test::shared_data_or_skip("landmines/pmn_wet_clay_rough_truth.json");
  if (path.empty()) return;
  const SceneTruth t = read_truth(path);
  CHECK(t.objects[0].kind == "mine");
  std::size_t stones = 0;
  for (const TruthObject& o : t.objects) stones += o.kind == "stone";
  CHECK(stones == 12);
  CHECK(t.lane_length() == Approx(0.70));
}

TEST_CASE("a 3-D truth gives discs and the surveyed area", "[io][truth]") {
  ScratchFolder folder;
  const std::string path = write_text(folder, "cube_truth.json", R"({
    "scenario": "cube", "dimensions": 3,
    "survey": {"lines": 9, "line_y_first": 0.07, "dy": 0.02, "traces": 25, "trace_midpoint_x_first": 0.09, "dx": 0.01},
    "objects": [{"id": "pmn", "kind": "mine", "shape": "cylinder", "x_centre": 0.21, "y_centre": 0.15,
                 "radius": 0.056, "depth_top": 0.05, "depth_bottom": 0.106},
                {"id": "s", "kind": "stone", "shape": "sphere", "x_centre": 0.1, "y_centre": 0.1,
                 "depth_centre": 0.1, "radius": 0.01}]})");
  const SceneTruth t = read_truth(path);
  CHECK(t.three_dimensional);
  CHECK(t.objects[0].shape == ObjectShape::cylinder);
  CHECK(t.lane_length() == Approx(0.25));
  CHECK(t.lane_area() == Approx(0.25 * 0.18));
}

TEST_CASE("bad truth files are refused naming the problem", "[io][truth][errors]") {
  ScratchFolder folder;
  auto refused = [&](const std::string& text, const std::string& word) {
    const std::string path = write_text(folder, "t.json", text);
    try {
      read_truth(path);
      FAIL("accepted: " << text.substr(0, 80));
    } catch (const FileError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(word) != std::string::npos);
    }
  };
  refused("[1, 2]", "not a JSON object");
  refused("{\"objects\": [{\"kind\": \"mine\", \"shape\": \"box\", \"x_left\": 0.1}]}", "x_right");
  refused("{\"objects\": [{\"shape\": \"box\"}]}", "kind");
  refused("{\"objects\": [{\"kind\": \"mine\", \"shape\": \"blob\"}]}", "blob");
  refused("{\"lane\": {\"x_first\": 1, \"x_last\": 0}, \"objects\": []}", "empty lane");
  refused("{\"objects\": []}", "antenna");
  refused(std::string(100000, '[') + std::string(100000, ']'), "nests deeper");
  CHECK_THROWS_AS(read_truth(folder.file("missing.json")), FileError);
}
