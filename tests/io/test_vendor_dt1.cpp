// pulseEKKO DT1 + HD on the real 100 MHz line (Frenke, 2014). Expected values
// worked out by hand from the bytes (xxd) and the DT1/HD description in
// docs/FORMAT_VENDORS.md.
#include <catch2/catch.hpp>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

TEST_CASE("DT1: pulseEKKO 100 MHz shape, dt, dx, metadata and first samples", "[vendor][dt1]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/LINE00.DT1");
  if (path.empty()) return;
  const VendorFile f = read_dt1(path);
  const BScan& b = f.bscan;
  // HD: NUMBER OF TRACES = 223, NUMBER OF PTS/TRC = 1000; 474544 bytes = 223 x (128 + 1000 x 2).
  CHECK(b.n_samples() == 1000);
  CHECK(b.n_traces() == 223);
  // TOTAL TIME WINDOW = 400 ns over 1000 points: dt = 0.4 ns.
  CHECK(b.metadata.dt == Approx(0.4e-9).epsilon(1e-12));
  // TIMEZERO AT POINT = 131.460007: t0 = -131.460007 x 0.4 ns.
  CHECK(b.metadata.t0 == Approx(-131.460007 * 0.4e-9).epsilon(1e-9));
  // STEP SIZE USED = 0.25, POSITION UNITS = m, STARTING POSITION = 0.
  CHECK(b.metadata.dx == Approx(0.25));
  CHECK(b.metadata.x0 == 0.0);
  CHECK(b.metadata.antenna_offset == Approx(1.0));      // ANTENNA SEPARATION = 1.0 m
  CHECK(b.metadata.center_frequency == Approx(100e6));  // NOMINAL FREQUENCY = 100 MHz
  CHECK(f.header_value("NUMBER OF STACKS") == "16");
  CHECK(f.header_value("line 3") == "2014-04-25");
  CHECK(f.header_value("sample type") == "int16");
  // Trace 0 header: bytes 8..11 = 00 00 7a 44 -> 1000.0 points; 20..23 = 00 00 00 40 -> 2.0 bytes
  // per point; 24..27 = 00 00 c8 43 -> 400.0 (the time window in ns in this file).
  CHECK(f.header_value("trace 0 time window (ns)") == "400");
  // Trace 0 samples at byte 128: 4e fd 53 fc 39 fc 2a fc -> int16 -690, -941, -967, -982.
  CHECK(b(0, 0) == -690.0f);
  CHECK(b(1, 0) == -941.0f);
  CHECK(b(2, 0) == -967.0f);
  CHECK(b(3, 0) == -982.0f);
  // Trace 1 header at 2128: position bytes 2132..2135 = 00 00 80 3e -> 0.25 m; samples at
  // 2256: 59 fc 56 fc -> -935, -938.
  CHECK(b(0, 1) == -935.0f);
  CHECK(b(1, 1) == -938.0f);
  REQUIRE(b.positions.size() == 3 * 223);
  CHECK(b.positions[3] == Approx(0.25));
  CHECK(b.positions[3 * 222] == Approx(55.5));  // FINAL POSITION = 55.5
}

TEST_CASE("DT1: HD with CR-only line ends, feet, and a missing HD", "[vendor][dt1]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/LINE00.DT1");
  if (path.empty()) return;
  ScratchFolder folder;
  const std::string copy = folder.file("L.DT1");
  gprproc_test::write_bytes(copy, gprproc_test::file_bytes(path));
  // No HD beside it: the error names the missing HD.
  try {
    read_dt1(copy);
    FAIL("expected FileError");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::file_not_found);
    CHECK(std::string(e.what()).find("L.HD") != std::string::npos);
  }
  auto hd = gprproc_test::file_bytes(gprproc_test::shared_data_or_skip("field/LINE00.HD"));
  std::string text(hd.begin(), hd.end());
  std::string cr_only;
  for (char c : text)
    if (c != '\n') cr_only += c;
  const auto units = cr_only.find("POSITION UNITS     = m");
  REQUIRE(units != std::string::npos);
  cr_only.replace(units, 22, "POSITION UNITS     = ft");
  gprproc_test::write_bytes(folder.file("L.HD"), std::vector<char>(cr_only.begin(), cr_only.end()));
  const VendorFile f = read_dt1(copy);
  CHECK(f.bscan.n_traces() == 223);
  CHECK(f.bscan.metadata.dx == Approx(0.25 * 0.3048));
  CHECK(f.bscan.metadata.antenna_offset == Approx(0.3048));
  CHECK(vendor_format_of(copy) == "dt1");
}

TEST_CASE("DT1: float32 samples (4 bytes per point)", "[vendor][dt1]") {
  ScratchFolder folder;
  // Two traces of three float32 points, headers as the format describes.
  std::vector<char> bytes;
  auto put_f32 = [&](float v) {
    const char* p = reinterpret_cast<const char*>(&v);  // little-endian host
    bytes.insert(bytes.end(), p, p + 4);
  };
  for (int j = 0; j < 2; ++j) {
    const std::size_t start = bytes.size();
    put_f32(static_cast<float>(j + 1));  // trace number
    put_f32(0.5f * static_cast<float>(j));
    put_f32(3.0f);  // points
    put_f32(0.0f);
    put_f32(0.0f);
    put_f32(4.0f);  // bytes per point
    put_f32(12.0f);
    put_f32(1.0f);
    bytes.resize(start + 128, '\0');
    for (int i = 0; i < 3; ++i) put_f32(0.25f * static_cast<float>(i) - static_cast<float>(j));
  }
  gprproc_test::write_bytes(folder.file("F.DT1"), bytes);
  const std::string hd = "1234\nNUMBER OF TRACES = 2\nNUMBER OF PTS/TRC = 3\nTOTAL TIME WINDOW = 12\nSTEP SIZE USED = 0.5\n";
  gprproc_test::write_bytes(folder.file("F.HD"), std::vector<char>(hd.begin(), hd.end()));
  const VendorFile f = read_dt1(folder.file("F.DT1"));
  CHECK(f.header_value("sample type") == "float32");
  CHECK(f.bscan.metadata.dt == Approx(4e-9));
  CHECK(f.bscan(2, 0) == 0.5f);
  CHECK(f.bscan(1, 1) == -0.75f);
}
