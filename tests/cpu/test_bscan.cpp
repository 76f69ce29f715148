// The data model: B-scan, views, metadata validation, history, devices.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "gprproc/gprproc.hpp"

using namespace gprproc;

namespace {
BScanMetadata sample_metadata() {
  BScanMetadata m;
  m.dt = 4.7e-12;
  m.dx = 0.01;
  m.t0 = -0.94e-9;
  m.x0 = 0.1;
  return m;
}
}  // namespace

TEST_CASE("BScan holds (n_samples, n_traces) row-major", "[bscan]") {
  BScan b(3, 4, sample_metadata());
  REQUIRE(b.n_samples() == 3);
  REQUIRE(b.n_traces() == 4);
  b(2, 1) = 7.0f;
  REQUIRE(b.data()[2 * 4 + 1] == 7.0f);
  REQUIRE(b.view().at(2, 1) == 7.0f);
  REQUIRE(b.metadata.time_of_sample(2) == Approx(-0.94e-9 + 2 * 4.7e-12));
  REQUIRE(b.metadata.position_of_trace(3) == Approx(0.13));
}

TEST_CASE("BScan rejects a sample count that does not match its shape", "[bscan][errors]") {
  try {
    BScan b(std::vector<float>(11), 3, 4, sample_metadata());
    FAIL("no exception");
  } catch (const InvalidArgument& e) {
    REQUIRE(e.code() == ErrorCode::invalid_shape);
    REQUIRE_THAT(e.what(), Catch::Contains("(3, 4)") && Catch::Contains("12"));
  }
}

TEST_CASE("release_samples gives the buffer away without copying", "[bscan]") {
  BScan b(std::vector<float>(12, 1.0f), 3, 4, sample_metadata());
  const float* before = b.data();
  std::vector<float> taken = b.release_samples();
  REQUIRE(taken.data() == before);
  REQUIRE(b.empty());
}

TEST_CASE("metadata validation names the offending field", "[bscan][errors]") {
  auto m = sample_metadata();
  REQUIRE_NOTHROW(validate(m));
  m.dt = 0.0;
  REQUIRE_THROWS_WITH(validate(m), Catch::Contains("'dt'") && Catch::Contains("positive"));
  m = sample_metadata();
  m.dx = -0.01;
  REQUIRE_THROWS_WITH(validate(m), Catch::Contains("'dx'"));
  m = sample_metadata();
  m.t0 = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_WITH(validate(m), Catch::Contains("'t0'") && Catch::Contains("finite"));
  m = sample_metadata();
  m.antenna_height = -0.03;
  REQUIRE_THROWS_AS(validate(m), InvalidArgument);
}

TEST_CASE("empty views and non-finite samples are rejected with their position", "[bscan][errors]") {
  ConstBScanView empty{nullptr, 0, 5};
  REQUIRE_THROWS_WITH(validate(empty), Catch::Contains("empty") && Catch::Contains("(0, 5)"));
  std::vector<float> v(6, 0.0f);
  v[4] = std::numeric_limits<float>::infinity();
  ConstBScanView view{v.data(), 2, 3};
  try {
    check_finite(view);
    FAIL("no exception");
  } catch (const InvalidArgument& e) {
    REQUIRE(e.code() == ErrorCode::non_finite);
    REQUIRE_THAT(e.what(), Catch::Contains("sample 1, trace 1"));
  }
}

TEST_CASE("history steps record parameters as JSON and the version", "[history]") {
  History h;
  append_history(h, "dewow", HistoryParameters().add("window", 1e-9).add("method", "mean").add("n", 3));
  REQUIRE(h.size() == 1);
  REQUIRE(h[0].operation == "dewow");
  REQUIRE(h[0].parameters_json == R"({"window": 1.0000000000000001e-09, "method": "mean", "n": 3})");
  REQUIRE(h[0].library_version == std::string(version_string));
  REQUIRE(json_escape("a\"b\\c\n") == "a\\\"b\\\\c\\n");
}

TEST_CASE("device choice parses, and cuda without a device is a clear error", "[device]") {
  REQUIRE(parse_device("CPU") == Device::cpu);
  REQUIRE(parse_device("gpu") == Device::cuda);
  REQUIRE(parse_device("auto") == Device::automatic);
  REQUIRE_THROWS_WITH(parse_device("tpu"), Catch::Contains("'tpu'"));
  REQUIRE(resolve_device(Device::cpu) == Device::cpu);
  if (cuda_available()) {
    REQUIRE(resolve_device(Device::automatic) == Device::cuda);
  } else {
    REQUIRE(resolve_device(Device::automatic) == Device::cpu);
    try {
      resolve_device(Device::cuda);
      FAIL("no exception");
    } catch (const CudaError& e) {
      REQUIRE(e.code() == ErrorCode::cuda_unavailable);
    }
  }
}

TEST_CASE("velocity and permittivity convert both ways", "[velocity_model]") {
  REQUIRE(velocity_from_permittivity(4.0) == Approx(0.1499e9).epsilon(1e-3));
  REQUIRE(permittivity_from_velocity(velocity_from_permittivity(6.0)) == Approx(6.0));
  REQUIRE_THROWS_AS(velocity_from_permittivity(0.5), InvalidArgument);
  REQUIRE_THROWS_AS(permittivity_from_velocity(4e8), InvalidArgument);
  auto m = VelocityModel::layered({0.0, 0.1}, {1.5e8, 1.0e8});
  REQUIRE(m.velocity_at(0.05) == 1.5e8);
  REQUIRE(m.velocity_at(0.2) == 1.0e8);
  REQUIRE_THROWS_WITH(VelocityModel::layered({0.0, 0.0}, {1e8, 1e8}), Catch::Contains("increase"));
  REQUIRE_THROWS_AS(VelocityModel::constant(0.0), InvalidArgument);
}
