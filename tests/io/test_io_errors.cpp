// Bad input of every kind gets an exception with the right code and a message
// that names the problem (file, group, dataset, shape, sample), never a crash.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::RawFile;
using gprproc_test::ScratchFolder;

namespace {

// Runs `action`, requires a gprproc::Error with `code`, and returns its message.
template <class Action>
std::string error_of(Action&& action, ErrorCode code) {
  try {
    action();
  } catch (const Error& e) {
    INFO("message: " << e.what());
    CHECK(to_string(e.code()) == std::string(to_string(code)));
    return e.what();
  } catch (const std::exception& e) {
    FAIL("not a gprproc::Error: " << e.what());
  }
  FAIL("no exception");
  return "";
}

std::vector<float> ramp(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = static_cast<float>(k) * 0.5f;
  return v;
}

// A minimal gprMax-like file: root dt, gprMax version, /rxs/rx1/Ez.
void write_gprmax_like(const std::string& path, const std::vector<hsize_t>& dims, const std::vector<float>& samples,
                       double dt = 1e-11) {
  RawFile f(path);
  f.floats("/rxs/rx1/Ez", dims, samples);
  f.number("/", "dt", dt);
  f.text("/", "gprMax", "3.1.7", true);
}

// A minimal B-scan group of ours written by hand.
void write_our_like(const std::string& path, const std::vector<hsize_t>& dims, const std::vector<float>& samples,
                    double dt = 1e-11, double dx = 0.01) {
  RawFile f(path);
  f.floats("/bscan/data", dims, samples);
  f.number("/bscan", "dt", dt);
  f.number("/bscan", "dx", dx);
}

}  // namespace

TEST_CASE("a missing file is file_not_found naming the path", "[io][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("nowhere.h5");
  for (int which = 0; which < 5; ++which) {
    const std::string message = error_of(
        [&] {
          if (which == 0) read_bscan(path);
          if (which == 1) read_gprmax(path);
          if (which == 2) read(path);
          if (which == 3) list_groups(path);
          if (which == 4) read_image(path);
        },
        ErrorCode::file_not_found);
    CHECK_THAT(message, Catch::Contains("nowhere.h5"));
  }
  CHECK_FALSE(is_hdf5_file(path));
  CHECK_FALSE(is_gprmax_file(path));
}

TEST_CASE("a file that is not HDF5 is file_format", "[io][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("scan.out");
  gprproc_test::write_bytes(path, std::vector<char>(4000, 'x'));
  CHECK_THAT(error_of([&] { read_gprmax(path); }, ErrorCode::file_format), Catch::Contains("not an HDF5 file"));
  CHECK_THAT(error_of([&] { read_bscan(path); }, ErrorCode::file_format), Catch::Contains("scan.out"));
  error_of([&] { read(path); }, ErrorCode::file_format);
  error_of([&] { read_bscan(folder.path().string()); }, ErrorCode::file_format);  // a folder
  const std::string empty = folder.file("empty.h5");
  gprproc_test::write_bytes(empty, {});
  error_of([&] { list_groups(empty); }, ErrorCode::file_format);
  CHECK_FALSE(is_hdf5_file(path));
  CHECK_FALSE(is_gprmax_file(path));
}

TEST_CASE("truncated HDF5 files are file_format or io_failure, never a crash", "[io][errors]") {
  ScratchFolder folder;
  std::vector<std::string> sources;
  const std::string ours = folder.file("ours.h5");
  {
    BScanMetadata m;
    m.dt = 1e-11;
    m.dx = 0.01;
    BScan b(ramp(300 * 200), 300, 200, m);
    write_bscan(ours, b, "bscan", WriteOptions{false, 0});
  }
  sources.push_back(ours);
  const std::string real = gprproc_test::shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (!real.empty()) sources.push_back(real);
  for (const std::string& source : sources) {
    const auto bytes = gprproc_test::file_bytes(source);
    for (double fraction : {0.5, 0.1, 0.9, 0.999}) {
      const std::string cut = folder.file("cut.h5");
      gprproc_test::write_bytes(cut, std::vector<char>(bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() * fraction)));
      INFO("source " << source << " cut at " << fraction);
      for (int which = 0; which < 3; ++which) {
        try {
          if (which == 0) read(cut, "", 0.01);
          if (which == 1) list_groups(cut);
          if (which == 2) read_bscan(cut);
          FAIL("a truncated file read without error");
        } catch (const Error& e) {
          INFO("message: " << e.what());
          const bool expected = e.code() == ErrorCode::file_format || e.code() == ErrorCode::io_failure ||
                                e.code() == ErrorCode::missing_entry;
          CHECK(expected);
        }
      }
      // Writing into a damaged file is refused and leaves it as it was.
      BScanMetadata m;
      m.dt = 1e-11;
      m.dx = 0.01;
      const auto before = gprproc_test::file_bytes(cut);
      CHECK_THROWS_AS(write_bscan(cut, BScan(4, 2, m), "new"), FileError);
      CHECK(gprproc_test::file_bytes(cut) == before);
    }
  }
}

TEST_CASE("a missing group names what the file holds", "[io][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  BScanMetadata m;
  m.dt = 1e-11;
  m.dx = 0.01;
  write_bscan(path, BScan(ramp(20), 10, 2, m), "line_001");
  const std::string message = error_of([&] { read_bscan(path, "line_002"); }, ErrorCode::missing_entry);
  CHECK_THAT(message, Catch::Contains("'/line_002'") && Catch::Contains("/line_001 (bscan, 10 x 2)"));
  CHECK_THAT(error_of([&] { read_image(path); }, ErrorCode::missing_entry), Catch::Contains("no depth image"));

  const std::string other = folder.file("other.h5");
  {
    RawFile f(other);
    f.floats("/something/values", {3}, {1, 2, 3});
  }
  CHECK_THAT(error_of([&] { read_bscan(other); }, ErrorCode::missing_entry), Catch::Contains("/something"));
  CHECK_THAT(error_of([&] { read_bscan(other, "something"); }, ErrorCode::missing_entry), Catch::Contains("'data'"));
}

TEST_CASE("datasets of the wrong rank or type are invalid_shape naming dataset and shape", "[io][errors]") {
  ScratchFolder folder;
  const std::string ints = folder.file("ints.out");
  {
    RawFile f(ints);
    f.dataset<int>("/rxs/rx1/Ez", {50, 4}, std::vector<int>(200, 7), H5T_STD_I32LE, H5T_NATIVE_INT);
    f.number("/", "dt", 1e-11);
  }
  CHECK_THAT(error_of([&] { read_gprmax(ints, GprMaxOptions{"Ez", 1, 0.01, false}); }, ErrorCode::invalid_shape),
             Catch::Contains("/rxs/rx1/Ez") && Catch::Contains("(50, 4)") && Catch::Contains("int32"));

  const std::string cube = folder.file("cube.out");
  write_gprmax_like(cube, {10, 4, 3}, ramp(120));
  CHECK_THAT(error_of([&] { read_gprmax(cube, GprMaxOptions{"Ez", 1, 0.01, false}); }, ErrorCode::invalid_shape),
             Catch::Contains("(10, 4, 3)"));

  const std::string ours_1d = folder.file("ours_1d.h5");
  write_our_like(ours_1d, {30}, ramp(30));
  CHECK_THAT(error_of([&] { read_bscan(ours_1d); }, ErrorCode::invalid_shape),
             Catch::Contains("/bscan/data") && Catch::Contains("(30,)") && Catch::Contains("2-D"));

  const std::string ours_int = folder.file("ours_int.h5");
  {
    RawFile f(ours_int);
    f.dataset<short>("/bscan/data", {5, 2}, std::vector<short>(10, 1), H5T_STD_I16LE, H5T_NATIVE_SHORT);
    f.number("/bscan", "dt", 1e-11);
    f.number("/bscan", "dx", 0.01);
  }
  CHECK_THAT(error_of([&] { read_bscan(ours_int); }, ErrorCode::invalid_shape), Catch::Contains("int16"));

  const std::string bad_positions = folder.file("positions.h5");
  {
    RawFile f(bad_positions);
    f.floats("/bscan/data", {5, 2}, ramp(10));
    f.number("/bscan", "dt", 1e-11);
    f.number("/bscan", "dx", 0.01);
    f.dataset<double>("/bscan/positions", {3, 3}, std::vector<double>(9, 0.0), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
  }
  CHECK_THAT(error_of([&] { read_bscan(bad_positions); }, ErrorCode::invalid_shape), Catch::Contains("(2, 3)"));
}

TEST_CASE("zero traces or zero samples are invalid_shape", "[io][errors]") {
  ScratchFolder folder;
  const std::string no_traces = folder.file("no_traces.out");
  write_gprmax_like(no_traces, {100, 0}, {});
  CHECK_THAT(error_of([&] { read_gprmax(no_traces); }, ErrorCode::invalid_shape), Catch::Contains("(100, 0)"));
  const std::string no_samples = folder.file("no_samples.out");
  write_gprmax_like(no_samples, {0}, {});
  error_of([&] { read_gprmax(no_samples); }, ErrorCode::invalid_shape);
  const std::string ours = folder.file("ours.h5");
  write_our_like(ours, {0, 5}, {});
  CHECK_THAT(error_of([&] { read_bscan(ours); }, ErrorCode::invalid_shape), Catch::Contains("(0, 5)"));
}

TEST_CASE("NaN or Inf samples are an error naming sample and trace unless allowed", "[io][errors]") {
  ScratchFolder folder;
  std::vector<float> samples = ramp(40 * 5);
  samples[3 * 5 + 2] = std::numeric_limits<float>::quiet_NaN();
  const std::string gprmax = folder.file("nan.out");
  write_gprmax_like(gprmax, {40, 5}, samples);
  CHECK_THAT(error_of([&] { read_gprmax(gprmax, GprMaxOptions{"Ez", 1, 0.01, false}); }, ErrorCode::non_finite),
             Catch::Contains("sample 3, trace 2") && Catch::Contains("nan.out"));
  const BScan allowed = read_gprmax(gprmax, GprMaxOptions{"Ez", 1, 0.01, true});
  CHECK(std::isnan(allowed(3, 2)));

  samples[3 * 5 + 2] = 1.0f;
  samples[39 * 5 + 4] = -std::numeric_limits<float>::infinity();
  const std::string ours = folder.file("inf.h5");
  write_our_like(ours, {40, 5}, samples);
  CHECK_THAT(error_of([&] { read_bscan(ours); }, ErrorCode::non_finite), Catch::Contains("sample 39, trace 4"));
  ReadOptions allow;
  allow.allow_non_finite = true;
  CHECK(std::isinf(read_bscan(ours, "", allow)(39, 4)));

  // Writing keeps them (they can be read back when allowed).
  BScan with_nan = read_bscan(ours, "", allow);
  write_bscan(folder.file("copy.h5"), with_nan);
  CHECK(std::isinf(read_bscan(folder.file("copy.h5"), "", allow)(39, 4)));
}

TEST_CASE("non-positive dt or dx in a file or given are errors", "[io][errors]") {
  ScratchFolder folder;
  for (double dt : {0.0, -1e-11, std::nan("")}) {
    const std::string gprmax = folder.file("dt.out");
    write_gprmax_like(gprmax, {10}, ramp(10), dt);
    CHECK_THAT(error_of([&] { read_gprmax(gprmax); }, ErrorCode::file_format), Catch::Contains("dt"));
    const std::string ours = folder.file("dt.h5");
    write_our_like(ours, {10, 2}, ramp(20), dt);
    CHECK_THAT(error_of([&] { read_bscan(ours); }, ErrorCode::file_format), Catch::Contains("dt"));
  }
  const std::string ours = folder.file("dx.h5");
  write_our_like(ours, {10, 2}, ramp(20), 1e-11, 0.0);
  CHECK_THAT(error_of([&] { read_bscan(ours); }, ErrorCode::file_format), Catch::Contains("dx"));

  const std::string gprmax = folder.file("ok.out");
  write_gprmax_like(gprmax, {10, 3}, ramp(30));
  for (double dx : {-0.01, std::nan(""), std::numeric_limits<double>::infinity()}) {
    CHECK_THAT(error_of([&] { read_gprmax(gprmax, GprMaxOptions{"Ez", 1, dx, false}); }, ErrorCode::invalid_argument),
               Catch::Contains("dx"));
  }
  CHECK_THAT(error_of([&] { read_gprmax(gprmax, GprMaxOptions{"Ez", 0, 0.01, false}); }, ErrorCode::invalid_argument),
             Catch::Contains("receiver"));
  CHECK_THAT(error_of([&] { read_gprmax(gprmax, GprMaxOptions{"", 1, 0.01, false}); }, ErrorCode::invalid_argument),
             Catch::Contains("component"));
  // Several traces, no rxsteps, no dx given: the user is told to pass dx.
  CHECK_THAT(error_of([&] { read_gprmax(gprmax); }, ErrorCode::invalid_argument), Catch::Contains("dx="));

  const std::string no_dt = folder.file("no_dt.out");
  {
    RawFile f(no_dt);
    f.floats("/rxs/rx1/Ez", {10}, ramp(10));
  }
  CHECK_THAT(error_of([&] { read_gprmax(no_dt); }, ErrorCode::missing_entry), Catch::Contains("'dt'"));
  const std::string ours_no_dx = folder.file("no_dx.h5");
  {
    RawFile f(ours_no_dx);
    f.floats("/bscan/data", {4, 2}, ramp(8));
    f.number("/bscan", "dt", 1e-11);
  }
  CHECK_THAT(error_of([&] { read_bscan(ours_no_dx); }, ErrorCode::missing_entry), Catch::Contains("'dx'"));
}

TEST_CASE("gprMax attribute spellings, string kinds and rxsteps in any direction", "[io][gprmax]") {
  ScratchFolder folder;
  const std::string old_names = folder.file("old.out");
  {
    RawFile f(old_names);
    f.floats("/rxs/rx1/Ey", {20, 6}, ramp(120));
    f.number("/", "dt", 2e-12);
    f.text("/", "gprMax", "3.0.0", false);  // fixed-length string
    f.numbers("/", "dx, dy, dz", {0.001, 0.003, 0.001});
    f.integers("/", "rxsteps", {0, 2, 0});  // stepping along y
  }
  const BScan b = read_gprmax(old_names, GprMaxOptions{"Ey", 1, 0.0, false});
  CHECK(b.n_traces() == 6);
  CHECK(b.metadata.dx == Approx(0.006));
  CHECK(b.metadata.component == "Ey");
  CHECK_THAT(b.history.back().parameters_json, Catch::Contains("\"gprmax_version\": \"3.0.0\""));
  CHECK(is_gprmax_file(old_names));
}

TEST_CASE("numbered series: gaps, mismatches and several traces per file are errors", "[io][gprmax][errors]") {
  ScratchFolder folder;
  const auto run = [&](const std::string& name, std::size_t samples, double dt, double x) {
    RawFile f(folder.file(name));
    f.floats("/rxs/rx1/Ez", {samples}, ramp(samples));
    f.number("/", "dt", dt);
    f.text("/", "gprMax", "3.1.7", true);
    f.numbers("/rxs/rx1", "Position", {x, 0.3, 0.0});
  };
  run("scene1.out", 30, 1e-11, 0.10);
  run("scene2.out", 30, 1e-11, 0.12);
  run("scene3.out", 30, 1e-11, 0.14);
  run("scene_merged.out", 30, 1e-11, 0.10);  // not part of the series
  const BScan ok = read_gprmax(folder.file("scene"));
  CHECK(ok.n_traces() == 3);
  CHECK(ok.metadata.dx == Approx(0.02));
  CHECK(ok.metadata.x0 == Approx(0.10));  // no source: the receiver position

  run("scene5.out", 30, 1e-11, 0.18);
  CHECK_THAT(error_of([&] { read_gprmax(folder.file("scene")); }, ErrorCode::file_not_found),
             Catch::Contains("scene4.out"));
  run("scene4.out", 31, 1e-11, 0.16);
  CHECK_THAT(error_of([&] { read_gprmax(folder.file("scene1.out")); }, ErrorCode::file_format),
             Catch::Contains("scene4.out") && Catch::Contains("31 samples"));
  run("scene4.out", 30, 1e-11, 0.17);  // irregular spacing
  CHECK_THAT(error_of([&] { read_gprmax(folder.file("scene")); }, ErrorCode::invalid_argument),
             Catch::Contains("equally spaced"));
  CHECK(read_gprmax(folder.file("scene"), GprMaxOptions{"Ez", 1, 0.02, false}).n_traces() == 5);

  {
    RawFile f(folder.file("pair1.out"));
    f.floats("/rxs/rx1/Ez", {10, 2}, ramp(20));
    f.number("/", "dt", 1e-11);
  }
  {
    RawFile f(folder.file("pair2.out"));
    f.floats("/rxs/rx1/Ez", {10, 2}, ramp(20));
    f.number("/", "dt", 1e-11);
  }
  CHECK_THAT(error_of([&] { read_gprmax(folder.file("pair"), GprMaxOptions{"Ez", 1, 0.01, false}); },
                      ErrorCode::invalid_shape),
             Catch::Contains("one trace"));
  // A path that names neither a file nor a series.
  CHECK_THAT(error_of([&] { read_gprmax(folder.file("nothing")); }, ErrorCode::file_not_found),
             Catch::Contains("nothing"));
}

TEST_CASE("a broken history attribute is file_format", "[io][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("history.h5");
  {
    RawFile f(path);
    f.floats("/bscan/data", {4, 2}, ramp(8));
    f.number("/bscan", "dt", 1e-11);
    f.number("/bscan", "dx", 0.01);
    f.text("/bscan", "history", "[{\"operation\": 3}]", true);
  }
  CHECK_THAT(error_of([&] { read_bscan(path); }, ErrorCode::file_format), Catch::Contains("history"));
}

TEST_CASE("a plain group written by hand (data, dt, dx) reads with defaults", "[io][layout]") {
  ScratchFolder folder;
  const std::string path = folder.file("hand.h5");
  write_our_like(path, {6, 3}, ramp(18), 2e-11, 0.05);
  const BScan b = read(path);
  CHECK(b.n_samples() == 6);
  CHECK(b.n_traces() == 3);
  CHECK(b.metadata.dt == 2e-11);
  CHECK(b.metadata.dx == 0.05);
  CHECK(b.metadata.t0 == 0.0);
  CHECK(b.history.empty());
  CHECK(b(5, 2) == 8.5f);
}
