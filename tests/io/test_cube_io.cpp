// Cubes and 3-D images in our HDF5 layout: bit-exact round trips, the layout
// as plain HDF5 reads it (chunked by line), partial reads of lines, and
// cubes assembled from per-line gprMax files.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gprproc/cube.hpp"
#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "gprproc/io_cube.hpp"
#include "io_test_support.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

Cube make_cube(std::size_t lines = 4, std::size_t samples = 50, std::size_t traces = 30) {
  CubeMetadata m;
  m.line.dt = 2.5e-11;
  m.line.t0 = -0.3e-9;
  m.line.dx = 0.01;
  m.line.x0 = 0.05;
  m.line.antenna_offset = 0.04;
  m.line.antenna_height = 0.02;
  m.line.center_frequency = 1e9;
  m.line.component = "Ez";
  m.line.source = "test";
  m.dy = 0.02;
  m.y0 = 0.07;
  Cube cube(lines, samples, traces, m);
  std::mt19937 rng(4);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (std::size_t k = 0; k < cube.size(); ++k) cube.data()[k] = g(rng);
  for (std::size_t j = 0; j < lines; ++j)
    for (std::size_t t = 0; t < traces; ++t) {
      cube.positions.push_back(0.05 + 0.01 * double(t));
      cube.positions.push_back(0.07 + 0.02 * double(j));
      cube.positions.push_back(0.0);
    }
  append_history(cube.history, "made_by_test", HistoryParameters().add("seed", 4));
  return cube;
}

}  // namespace

TEST_CASE("a cube round-trips bit-exactly with metadata, positions and history", "[io][cube]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  const Cube cube = make_cube();
  write_cube(path, cube);
  const Cube back = read_cube(path);
  REQUIRE(back.n_lines() == 4);
  REQUIRE(back.n_samples() == 50);
  REQUIRE(back.n_traces() == 30);
  CHECK(std::memcmp(back.data(), cube.data(), cube.size() * sizeof(float)) == 0);
  CHECK(back.metadata.dy == cube.metadata.dy);
  CHECK(back.metadata.y0 == cube.metadata.y0);
  CHECK(back.metadata.line.t0 == cube.metadata.line.t0);
  CHECK(back.metadata.line.antenna_offset == cube.metadata.line.antenna_offset);
  CHECK(back.metadata.line.component == "Ez");
  CHECK(back.positions == cube.positions);
  REQUIRE(back.history.size() == 1);
  CHECK(back.history[0].operation == "made_by_test");
  // What plain HDF5 reads: a (4, 50, 30) float dataset with the samples.
  const gprproc_test::RawArray raw = gprproc_test::raw_read_float(path, "/cube/data");
  CHECK(raw.dims == std::vector<hsize_t>{4, 50, 30});
  CHECK(std::memcmp(raw.values.data(), cube.data(), cube.size() * sizeof(float)) == 0);
  // Chunks never span two lines.
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t data = H5Dopen2(file, "/cube/data", H5P_DEFAULT);
  const hid_t plist = H5Dget_create_plist(data);
  hsize_t chunk[3] = {0, 0, 0};
  REQUIRE(H5Pget_chunk(plist, 3, chunk) == 3);
  CHECK(chunk[0] == 1);
  H5Pclose(plist);
  H5Dclose(data);
  H5Fclose(file);
  // Listed as a cube with its line count.
  const auto groups = list_groups(path);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].kind == "cube");
  CHECK(groups[0].lines == 4);
  CHECK(groups[0].rows == 50);
}

TEST_CASE("a range of lines reads alone, with y0 of its first line", "[io][cube]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  const Cube cube = make_cube();
  write_cube(path, cube, "survey/cube");
  const Cube part = read_cube(path, "survey/cube", LineRange{1, 2});
  REQUIRE(part.n_lines() == 2);
  CHECK(std::memcmp(part.data(), cube.data() + 1 * 50 * 30, 2 * 50 * 30 * sizeof(float)) == 0);
  CHECK(part.metadata.y0 == Approx(0.09));
  CHECK(part.positions.size() == 2 * 30 * 3);
  CHECK(part.positions[1] == Approx(0.09));
  CHECK(part.history.back().operation == "read_lines");
  const Cube tail = read_cube(path, "survey/cube", LineRange{3, 0});
  CHECK(tail.n_lines() == 1);
  CHECK_THROWS_AS(read_cube(path, "survey/cube", LineRange{4, 0}), InvalidArgument);
  CHECK_THROWS_AS(read_cube(path, "survey/cube", LineRange{2, 3}), InvalidArgument);
}

TEST_CASE("a 3-D depth image round-trips and B-scan readers refuse a cube by name", "[io][cube]") {
  ScratchFolder folder;
  const std::string path = folder.file("image.h5");
  ImageGrid3D grid;
  grid.plane = ImageGrid{2e-3, 0.004, 0.01, 0.05};
  grid.dy = 0.02;
  grid.y0 = 0.07;
  DepthImage3D image(3, 20, 10, grid, VelocityModel::layered({0.0, 0.1}, {1.2e8, 1.0e8}));
  for (std::size_t k = 0; k < image.size(); ++k) image.data()[k] = float(k) * 0.5f;
  write_image_3d(path, image);
  write_cube(path, make_cube(), "cube");
  const DepthImage3D back = read_image_3d(path);
  CHECK(std::memcmp(back.data(), image.data(), image.size() * sizeof(float)) == 0);
  CHECK(back.grid.plane.z0 == 0.004);
  CHECK(back.grid.dy == 0.02);
  CHECK(back.velocity.velocities == image.velocity.velocities);
  try {
    read_bscan(path, "cube");
    FAIL("read_bscan read a cube");
  } catch (const FileError& e) {
    CHECK(std::string(e.what()).find("read_cube") != std::string::npos);
  }
  CHECK_THROWS_AS(read_cube(path, "migrated_3d"), FileError);
}

TEST_CASE("writing a cube checks it before touching the file", "[io][cube][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("bad.h5");
  Cube cube = make_cube();
  cube.metadata.dy = 0.0;
  CHECK_THROWS_AS(write_cube(path, cube), InvalidArgument);
  Cube positions = make_cube();
  positions.positions.pop_back();
  CHECK_THROWS_AS(write_cube(path, positions), InvalidArgument);
  CHECK(folder.names().empty());
}

TEST_CASE("a cube assembles from one gprMax file per line and names a line that differs", "[io][cube]") {
  const std::string loam = std::string(GPRPROC_SOURCE_DIR) + "/data/pmn_loam_rough_merged.out";
  const std::string clay = std::string(GPRPROC_SOURCE_DIR) + "/data/pmn_wet_clay_rough_merged.out";
  GprMaxOptions options;
  options.dx = 0.01;
  const Cube cube = read_cube_from_lines({clay, clay, clay}, 0.05, 0.0, options);
  REQUIRE(cube.n_lines() == 3);
  const BScan alone = read_gprmax(clay, options);
  CHECK(std::memcmp(cube.line_view(1).samples, alone.data(), alone.size() * sizeof(float)) == 0);
  CHECK(cube.metadata.line.dt == alone.metadata.dt);
  CHECK(cube.history.back().operation == "read_cube_from_lines");
  // The loam file (gprMax 4, with positions) starts at another x0 than the clay file.
  try {
    read_cube_from_lines({clay, loam}, 0.05, 0.0, options);
    FAIL("lines of different geometry made a cube");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()).find("line 1") != std::string::npos);
    CHECK(std::string(e.what()).find("x0") != std::string::npos);
  }
  CHECK_THROWS_AS(read_cube_from_lines({}, 0.05), InvalidArgument);
}
