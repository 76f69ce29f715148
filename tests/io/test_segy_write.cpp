// The SEG-Y writer: files read back by the library's reader (samples bit for
// bit, geometry to the millimetre), header fields checked byte by byte against
// the standard's positions (independently of the reader), the GPR time
// convention, and the safe-write rules (no overwrite unless asked, nothing
// left behind on failure).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "gprproc/error.hpp"
#include "gprproc/segy_write.hpp"
#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

// Big-endian fields of the file, 1-based byte positions as the standard gives them.
std::int64_t be(const std::vector<char>& f, std::size_t byte, int size) {
  std::uint64_t v = 0;
  for (int k = 0; k < size; ++k) v = (v << 8) | static_cast<std::uint8_t>(f[byte - 1 + k]);
  if (size == 2) return static_cast<std::int16_t>(v);
  if (size == 4) return static_cast<std::int32_t>(v);
  return static_cast<std::int64_t>(v);
}
double be_f64(const std::vector<char>& f, std::size_t byte) {
  const auto u = static_cast<std::uint64_t>(be(f, byte, 8));
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}
std::size_t trace_start(std::size_t j, std::size_t ns) { return 3600 + j * (240 + 4 * ns); }

BScan random_line(std::size_t ns, std::size_t nt, unsigned seed) {
  BScanMetadata m;
  m.dt = 93.75e-12;
  m.t0 = -1.2e-9;
  m.dx = 0.02;
  m.x0 = 1.5;
  m.antenna_offset = 0.06;
  m.center_frequency = 400e6;
  m.source = "test line";
  BScan b(ns, nt, m);
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1000.0f);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = g(rng);
  b.data()[3] = std::numeric_limits<float>::denorm_min();  // every bit pattern survives, subnormals too
  b.data()[4] = -0.0f;
  append_history(b.history, "dewow", HistoryParameters().add("window", 1e-9));
  return b;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("write_segy round trip through the library's reader: samples bit for bit, geometry to the millimetre",
          "[io][segy_write]") {
  ScratchFolder dir;
  BScan b = random_line(300, 57, 1);
  b.positions.resize(3 * b.n_traces());
  for (std::size_t j = 0; j < b.n_traces(); ++j) {
    b.positions[3 * j] = 612.3456 + 0.0201 * j;
    b.positions[3 * j + 1] = -20.5 + 0.0003 * j;
    b.positions[3 * j + 2] = 102.4567 - 0.001 * j;
  }
  const std::string path = dir.file("line.sgy");
  write_segy(path, b);
  const VendorFile f = read_segy(path);
  REQUIRE(f.bscan.n_samples() == b.n_samples());
  REQUIRE(f.bscan.n_traces() == b.n_traces());
  CHECK(same_bits(f.bscan.samples(), b.samples()));
  CHECK(f.bscan.metadata.dt == b.metadata.dt);  // exact: the rev 2 extended interval
  CHECK(f.header_value("sample interval unit") == "ps");
  REQUIRE(f.bscan.positions.size() == b.positions.size());
  for (std::size_t k = 0; k < b.positions.size(); ++k) CHECK(std::abs(f.bscan.positions[k] - b.positions[k]) <= 0.0005 + 1e-9);  // half a millimetre
  CHECK(dir.names().size() == 1);  // no temporary file left

  // The fields, byte by byte, as the standard places them.
  const std::vector<char> bytes = gprproc_test::file_bytes(path);
  REQUIRE(bytes.size() == 3600 + 57 * (240 + 4 * 300));
  CHECK(static_cast<std::uint8_t>(bytes[0]) == 0xc3);  // EBCDIC "C"
  CHECK(f.header_value("textual header").find("PICOSECONDS") != std::string::npos);
  CHECK(be(bytes, 3217, 2) == 94);  // 93.75 ps, rounded, in the 16-bit field
  CHECK(be_f64(bytes, 3273) == 93.75);
  CHECK(be(bytes, 3221, 2) == 300);
  CHECK(be(bytes, 3225, 2) == 5);  // IEEE float32
  CHECK(be(bytes, 3255, 2) == 1);  // metres
  CHECK(be(bytes, 3297, 4) == 0x01020304);
  CHECK(static_cast<std::uint8_t>(bytes[3500]) == 2);
  CHECK(be(bytes, 3513, 8) == 57);
  const std::size_t t = trace_start(10, 300);
  CHECK(be(bytes, t + 1, 4) == 11);    // trace sequence number within line
  CHECK(be(bytes, t + 5, 4) == 11);    // within file
  CHECK(be(bytes, t + 21, 4) == 11);   // CDP
  CHECK(be(bytes, t + 71, 2) == -1000);  // coordinates in mm
  CHECK(be(bytes, t + 69, 2) == -1000);
  CHECK(be(bytes, t + 181, 4) == std::llround((612.3456 + 0.201) * 1000));  // CDP X
  CHECK(be(bytes, t + 185, 4) == std::llround((-20.5 + 0.003) * 1000));
  CHECK(be(bytes, t + 45, 4) == std::llround((102.4567 - 0.01) * 1000));   // surface elevation
  CHECK(be(bytes, t + 109, 2) == -1);  // t0 = -1.2 ns, in whole ns
  CHECK(be(bytes, t + 115, 2) == 300);
  CHECK(be(bytes, t + 117, 2) == 94);
  std::uint32_t bits;
  std::memcpy(&bits, &b.samples()[7 * 57 + 10], 4);
  CHECK(static_cast<std::uint32_t>(be(bytes, t + 240 + 4 * 7 + 1, 4)) == bits);  // sample 7, big-endian IEEE
}

TEST_CASE("write_segy without positions: x0 + j dx; a non-integer picosecond interval stays exact",
          "[io][segy_write]") {
  ScratchFolder dir;
  BScan b = random_line(64, 20, 2);
  b.metadata.dt = 4.7e-12;  // gprMax-like: the 16-bit field holds 5 ps, rev 2's double the exact value
  const std::string path = dir.file("line.segy");
  write_segy(path, b);
  const VendorFile f = read_segy(path);
  CHECK(f.bscan.metadata.dt == 4.7e-12);
  CHECK(f.bscan.metadata.dx == Approx(0.02).epsilon(1e-9));
  for (std::size_t j = 0; j < 20; ++j) CHECK(f.bscan.positions[3 * j] == Approx(1.5 + 0.02 * j).margin(0.0005));
  const std::vector<char> bytes = gprproc_test::file_bytes(path);
  CHECK(be(bytes, 3217, 2) == 5);
}

TEST_CASE("write_segy: coordinates too large for millimetres get a coarser scalar", "[io][segy_write]") {
  ScratchFolder dir;
  BScan b = random_line(16, 5, 3);
  b.positions.resize(15);
  for (std::size_t j = 0; j < 5; ++j) {
    b.positions[3 * j] = 431234.567 + j;    // UTM easting
    b.positions[3 * j + 1] = 5412345.678;   // northing: 5.4e9 mm do not fit 32 bits
    b.positions[3 * j + 2] = 1234.5;
  }
  write_segy(dir.file("utm.sgy"), b);
  const std::vector<char> bytes = gprproc_test::file_bytes(dir.file("utm.sgy"));
  CHECK(be(bytes, trace_start(0, 16) + 71, 2) == -100);
  const VendorFile f = read_segy(dir.file("utm.sgy"));
  for (std::size_t k = 0; k < 15; ++k) CHECK(std::abs(f.bscan.positions[k] - b.positions[k]) <= 0.005);
  b.positions[1] = 3e9;  // beyond 32 bits even in metres
  gprproc_test::ScratchFolder other;
  CHECK_THROWS_AS(write_segy(other.file("far.sgy"), b), InvalidArgument);
  CHECK(other.names().empty());
}

TEST_CASE("write_segy never overwrites unless asked, and leaves nothing behind on failure", "[io][segy_write]") {
  ScratchFolder dir;
  const BScan b = random_line(32, 8, 4);
  const std::string path = dir.file("line.sgy");
  gprproc_test::write_bytes(path, std::vector<char>{'k', 'e', 'e', 'p'});
  try {
    write_segy(path, b);
    FAIL("an existing file was replaced");
  } catch (const InvalidArgument& e) {  // as every output of the library (io/output_file.hpp)
    CHECK(std::string(e.what()).find("exists") != std::string::npos);
  }
  CHECK(gprproc_test::file_bytes(path) == std::vector<char>{'k', 'e', 'e', 'p'});
  SegyWriteOptions o;
  o.overwrite = true;
  write_segy(path, b, o);
  CHECK(same_bits(read_segy(path).bscan.samples(), b.samples()));
  CHECK(dir.names().size() == 1);

  try {
    write_segy(dir.file("no/such/folder/line.sgy"), b);
    FAIL("no error for a missing folder");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::file_not_found);
  }
  CHECK_THROWS_AS(write_segy(dir.path().string(), b, o), FileError);  // a folder

  BScan bad = b;
  bad(3, 2) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(write_segy(dir.file("nan.sgy"), bad), InvalidArgument);
  BScan fast = b;
  fast.metadata.dt = 1e-13;  // 0.1 ps: the 16-bit ps field cannot hold it
  CHECK_THROWS_WITH(write_segy(dir.file("fast.sgy"), fast), Catch::Contains("1..65535 ps"));
  BScan slow = b;
  slow.metadata.dt = 1e-6;  // a microsecond: a unit mistake for GPR
  CHECK_THROWS_AS(write_segy(dir.file("slow.sgy"), slow), InvalidArgument);
  BScan tall(70000, 2, b.metadata);
  CHECK_THROWS_WITH(write_segy(dir.file("tall.sgy"), tall), Catch::Contains("65535"));
  BScan shape = b;
  shape.positions.assign(5, 0.0);
  CHECK_THROWS_AS(write_segy(dir.file("shape.sgy"), shape), InvalidArgument);
  CHECK(dir.names().size() == 1);  // only line.sgy
}

TEST_CASE("write_segy round trip of a real field line (pulseEKKO DT1)", "[io][segy_write][field]") {
  const std::string dt1 = gprproc_test::shared_data_or_skip("field/LINE00.DT1");
  if (dt1.empty()) return;
  const VendorFile in = read_dt1(dt1);
  ScratchFolder dir;
  write_segy(dir.file("line00.sgy"), in.bscan);
  const VendorFile out = read_segy(dir.file("line00.sgy"));
  CHECK(same_bits(out.bscan.samples(), in.bscan.samples()));
  CHECK(out.bscan.metadata.dt == in.bscan.metadata.dt);
  CHECK(out.bscan.metadata.dx == Approx(in.bscan.metadata.dx).epsilon(1e-9));
}
