// The gprMax reader against real gprMax output files: values equal to what
// the HDF5 file holds (read independently with the C API), shapes, dt, trace
// spacing, and the numbered series equal to its merged file.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::raw_read_float;
using gprproc_test::shared_data_or_skip;

namespace {
double raw_root_double(const std::string& path, const char* name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t attribute = H5Aopen(file, name, H5P_DEFAULT);
  double value = 0.0;
  H5Aread(attribute, H5T_NATIVE_DOUBLE, &value);
  H5Aclose(attribute);
  H5Fclose(file);
  return value;
}

void require_equal_samples(const BScan& b, const gprproc_test::RawArray& raw) {
  REQUIRE(b.size() == raw.values.size());
  REQUIRE(std::memcmp(b.data(), raw.values.data(), b.size() * sizeof(float)) == 0);
}

std::string step_parameters(const BScan& b) {
  REQUIRE(!b.history.empty());
  CHECK(b.history.back().operation == "read_gprmax");
  return b.history.back().parameters_json;
}
}  // namespace

TEST_CASE("gprMax v4 merged B-scan: shape, dt, values and dx from rxsteps x cell size", "[io][gprmax]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (path.empty()) return;
  const BScan b = read_gprmax(path);
  REQUIRE(b.n_samples() == 637);
  REQUIRE(b.n_traces() == 64);
  require_equal_samples(b, raw_read_float(path, "/rxs/rx1/Ez"));
  CHECK(b.metadata.dt == raw_root_double(path, "dt"));
  CHECK(b.metadata.dt == Approx(4.7173e-12).epsilon(1e-4));
  CHECK(b.metadata.dx == 0.002);  // rxsteps [1, 0, 0] x dx_dy_dz 0.002
  CHECK(b.metadata.t0 == 0.0);
  CHECK(b.metadata.component == "Ez");
  CHECK(b.metadata.source == path);
  CHECK(b.positions.empty());  // a merged file carries no per-trace positions
  const std::string parameters = step_parameters(b);
  CHECK_THAT(parameters, Catch::Contains("\"gprmax_version\": \"4.0.0b0\"") && Catch::Contains("\"component\": \"Ez\"") &&
                             Catch::Contains("\"dx_from\": \"rxsteps\""));

  GprMaxOptions hy;
  hy.component = "Hy";
  require_equal_samples(read_gprmax(path, hy), raw_read_float(path, "/rxs/rx1/Hy"));
  // A caller's dx overrides the file.
  GprMaxOptions given;
  given.dx = 0.005;
  CHECK(read_gprmax(path, given).metadata.dx == 0.005);
}

TEST_CASE("gprMax v3.0 A-scan with the old attribute names reads as one trace", "[io][gprmax]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Ascan_2D_v3.0.6.out");
  if (path.empty()) return;
  const BScan b = read_gprmax(path);
  REQUIRE(b.n_samples() == 637);
  REQUIRE(b.n_traces() == 1);
  require_equal_samples(b, raw_read_float(path, "/rxs/rx1/Ez"));
  CHECK(b.metadata.dt == raw_root_double(path, "dt"));
  CHECK(b.metadata.dx == 0.002);  // placeholder from "dx, dy, dz": one trace has no spacing
  CHECK(b.metadata.x0 == Approx(0.12));  // midpoint of src x 0.10 and rx x 0.14
  CHECK(b.metadata.antenna_offset == Approx(0.04));
  CHECK_THAT(step_parameters(b), Catch::Contains("3.0.6"));
  GprMaxOptions current;
  current.component = "Iz";
  require_equal_samples(read_gprmax(path, current), raw_read_float(path, "/rxs/rx1/Iz"));
}

TEST_CASE("gprMax landmine merged file needs dx from the caller", "[io][gprmax]") {
  const std::string path = shared_data_or_skip("landmines/pmn_dry_sand_merged.out");
  if (path.empty()) return;
  try {
    read_gprmax(path);
    FAIL("expected an error");
  } catch (const InvalidArgument& e) {
    CHECK(e.code() == ErrorCode::invalid_argument);
    CHECK_THAT(e.what(), Catch::Contains("70 traces") && Catch::Contains("dx"));
  }
  CHECK_THROWS_AS(read(path), InvalidArgument);
  GprMaxOptions options;
  options.dx = 0.01;
  const BScan b = read_gprmax(path, options);
  REQUIRE(b.n_samples() == 1697);
  REQUIRE(b.n_traces() == 70);
  CHECK(b.metadata.dx == 0.01);
  CHECK(b.metadata.dt == raw_root_double(path, "dt"));
  require_equal_samples(b, raw_read_float(path, "/rxs/rx1/Ez"));
  const BScan same = read(path, "", 0.01);
  CHECK(std::memcmp(same.data(), b.data(), b.size() * sizeof(float)) == 0);
}

TEST_CASE("a numbered gprMax series equals its merged file, with dx from positions", "[io][gprmax]") {
  const std::string merged_path = shared_data_or_skip("landmines/pmn_dry_sand_merged.out");
  if (merged_path.empty()) return;
  const std::string stem = shared_data_or_skip("landmines/pmn_dry_sand_traces/pmn_dry_sand1.out");
  const std::string series_path = stem.substr(0, stem.size() - 5);  // ".../pmn_dry_sand"
  GprMaxOptions options;
  options.dx = 0.01;
  const BScan merged = read_gprmax(merged_path, options);

  for (const std::string& path : {series_path, stem}) {
    const BScan series = read_gprmax(path);
    REQUIRE(series.n_samples() == 1697);
    REQUIRE(series.n_traces() == 70);
    REQUIRE(std::memcmp(series.data(), merged.data(), merged.size() * sizeof(float)) == 0);
    CHECK(series.metadata.dt == merged.metadata.dt);
    CHECK(series.metadata.dx == Approx(0.01).epsilon(1e-12));
    CHECK(series.metadata.x0 == Approx(0.10));  // midpoint of src 0.08 and rx 0.12
    CHECK(series.metadata.antenna_offset == Approx(0.04));
    CHECK(series.metadata.source == path);
    REQUIRE(series.positions.size() == 70 * 3);
    CHECK(series.positions[0] == Approx(0.12));
    CHECK(series.positions[3 * 69] == Approx(0.81));
    CHECK(series.positions[1] == Approx(0.38));
    CHECK_THAT(step_parameters(series), Catch::Contains("\"n_files\": 70") && Catch::Contains("\"dx_from\": \"positions\""));
  }
  // Trace 10 is file 11, read on its own with the C API.
  const auto raw = raw_read_float(series_path + "11.out", "/rxs/rx1/Ez");
  const BScan series = read(series_path);
  for (std::size_t i = 0; i < raw.values.size(); ++i) REQUIRE(series(i, 10) == raw.values[i]);
}

TEST_CASE("list_groups and read() see gprMax outputs by content", "[io][gprmax]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (path.empty()) return;
  const auto groups = list_groups(path);
  REQUIRE(groups.size() == 6);
  CHECK(groups[0].name == "/rxs/rx1/Ex");
  CHECK(groups[2].name == "/rxs/rx1/Ez");
  CHECK(groups[2].kind == "gprmax");
  CHECK(groups[2].rows == 637);
  CHECK(groups[2].columns == 64);
  CHECK(is_gprmax_file(path));
  CHECK(is_hdf5_file(path));
  require_equal_samples(read(path), raw_read_float(path, "/rxs/rx1/Ez"));
  require_equal_samples(read(path, "/rxs/rx1/Hz"), raw_read_float(path, "/rxs/rx1/Hz"));
  require_equal_samples(read(path, "Ex"), raw_read_float(path, "/rxs/rx1/Ex"));
  CHECK_THROWS_AS(read(path, "rxs/rxA/Ez"), InvalidArgument);

  const std::string ascan = shared_data_or_skip("gprmax/cylinder_Ascan_2D_v3.0.6.out");
  const auto ascan_groups = list_groups(ascan);
  REQUIRE(ascan_groups.size() == 9);
  CHECK(ascan_groups[8].name == "/rxs/rx1/Iz");
  CHECK(ascan_groups[8].rows == 637);
  CHECK(ascan_groups[8].columns == 1);
}

TEST_CASE("gprMax files without the component or receiver name what exists", "[io][gprmax][errors]") {
  const std::string path = shared_data_or_skip("gprmax/cylinder_Bscan_2D_v4_merged.h5");
  if (path.empty()) return;
  GprMaxOptions options;
  options.component = "Iz";  // v4 B-scan has no currents
  try {
    read_gprmax(path, options);
    FAIL("expected an error");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::missing_entry);
    CHECK_THAT(e.what(), Catch::Contains("'Iz'") && Catch::Contains("Ex, Ey, Ez, Hx, Hy, Hz"));
  }
  options.component = "Ez";
  options.receiver = 2;
  try {
    read_gprmax(path, options);
    FAIL("expected an error");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::missing_entry);
    CHECK_THAT(e.what(), Catch::Contains("/rxs/rx2") && Catch::Contains("rx1"));
  }
  // Our reader on a gprMax file points at the right function.
  try {
    read_bscan(path);
    FAIL("expected an error");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::missing_entry);
    CHECK_THAT(e.what(), Catch::Contains("gprMax"));
  }
}
