// Crop: the kept values are the input's, at the same times and positions
// (checked against the input's own axes), ranges outside the data are errors,
// and positions, marks and history follow.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gprproc/crop.hpp"
#include "gprproc/error.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using gprproc_test::throws_naming;

namespace {

// Sample i of trace j holds 1000 i + j: every value names its position.
BScan ramp(std::size_t n_samples = 40, std::size_t n_traces = 12) {
  BScanMetadata m;
  m.dt = 1e-10;
  m.t0 = -0.5e-9;
  m.dx = 0.02;
  m.x0 = 0.3;
  m.antenna_offset = 0.04;
  BScan b(n_samples, n_traces, m);
  for (std::size_t i = 0; i < n_samples; ++i)
    for (std::size_t j = 0; j < n_traces; ++j) b(i, j) = static_cast<float>(1000 * i + j);
  for (std::size_t j = 0; j < n_traces; ++j) b.positions.insert(b.positions.end(), {m.position_of_trace(j), 0.0, 0.03});
  b.marks = {1, 4, 7, 11};
  append_history(b.history, "read", HistoryParameters());
  return b;
}

}  // namespace

TEST_CASE("crop keeps the window's values at their own times and positions", "[crop]") {
  const BScan b = ramp();
  const BScan c = crop(b, {5, 17, 1}, {2, 10, 1});
  REQUIRE(c.n_samples() == 12);
  REQUIRE(c.n_traces() == 8);
  for (std::size_t i = 0; i < 12; ++i)
    for (std::size_t j = 0; j < 8; ++j) {
      REQUIRE(c(i, j) == b(i + 5, j + 2));
      // The value keeps its time and position.
      CHECK(c.metadata.time_of_sample(i) == Approx(b.metadata.time_of_sample(i + 5)).margin(1e-22));
      CHECK(c.metadata.position_of_trace(j) == Approx(b.metadata.position_of_trace(j + 2)).margin(1e-15));
    }
  CHECK(c.metadata.dt == b.metadata.dt);
  CHECK(c.metadata.dx == b.metadata.dx);
  CHECK(c.metadata.antenna_offset == b.metadata.antenna_offset);
  REQUIRE(c.positions.size() == 3 * 8);
  CHECK(c.positions[0] == Approx(b.metadata.position_of_trace(2)));
  CHECK(c.marks == std::vector<std::size_t>{2, 5});  // marks on traces 4 and 7
  REQUIRE(c.history.size() == 2);
  CHECK(c.history.back().operation == "crop");
  CHECK_THAT(c.history.back().parameters_json,
             Catch::Contains("\"sample_begin\": 5") && Catch::Contains("\"trace_end\": 10"));
}

TEST_CASE("a trace step multiplies dx and moves marks to the nearest kept trace", "[crop]") {
  const BScan b = ramp();
  const BScan c = crop(b, IndexRange::all(40), {1, 12, 3});  // traces 1, 4, 7, 10
  REQUIRE(c.n_traces() == 4);
  for (std::size_t j = 0; j < 4; ++j) {
    CHECK(c(7, j) == b(7, 1 + 3 * j));
    CHECK(c.metadata.position_of_trace(j) == Approx(b.metadata.position_of_trace(1 + 3 * j)));
  }
  CHECK(c.metadata.dx == Approx(0.06));
  CHECK(c.marks == std::vector<std::size_t>{0, 1, 2, 3});  // 11 lies nearest the kept trace 10
  BScan d = ramp();
  d.marks = {2, 3, 5};
  CHECK(crop(d, IndexRange::all(40), {0, 12, 2}).marks == std::vector<std::size_t>{1, 2, 3});  // ties go later
}

TEST_CASE("crop ranges outside the data, empty or stepped in time are errors, not clamps", "[crop][errors]") {
  const BScan b = ramp();
  throws_naming([&] { crop(b, {0, 41, 1}, IndexRange::all(12)); }, "reaches outside");
  throws_naming([&] { crop(b, IndexRange::all(40), {3, 13, 1}); }, "traces");
  throws_naming([&] { crop(b, {5, 5, 1}, IndexRange::all(12)); }, "empty");
  throws_naming([&] { crop(b, IndexRange::all(40), {0, 12, 0}); }, "step");
  throws_naming([&] { crop(b, {0, 40, 2}, IndexRange::all(12)); }, "alias");
  BScan out(5, 5, b.metadata);
  throws_naming([&] { crop(b.view(), {0, 4, 1}, {0, 5, 1}, out.view()); }, "shape");
#ifndef GPRPROC_HAS_CUDA
  const float* fake = b.data();
  CHECK_THROWS_AS(crop(ConstBScanView{fake, 40, 12, Memory::device}, {0, 5, 1}, {0, 5, 1}, out.view()), CudaError);
#endif
}

TEST_CASE("crop of a depth image moves z0 and x0", "[crop]") {
  ImageGrid grid;
  grid.dz = 0.005;
  grid.z0 = 0.01;
  grid.dx = 0.02;
  grid.x0 = 0.1;
  DepthImage img(30, 8, grid, VelocityModel::constant(1e8));
  for (std::size_t i = 0; i < 30; ++i)
    for (std::size_t j = 0; j < 8; ++j) img(i, j) = static_cast<float>(100 * i + j);
  const DepthImage c = crop(img, {8, 18, 1}, {2, 8, 2});
  REQUIRE(c.n_z() == 10);
  REQUIRE(c.n_x() == 3);
  CHECK(c(0, 0) == img(8, 2));
  CHECK(c(9, 2) == img(17, 6));
  CHECK(c.grid.depth_of_row(0) == Approx(img.grid.depth_of_row(8)));
  CHECK(c.grid.position_of_column(1) == Approx(img.grid.position_of_column(4)));
  CHECK(c.velocity.velocities == img.velocity.velocities);
  CHECK(c.history.back().operation == "crop");
}
