// MALÅ rd3 + rad on the real 500 MHz file. Expected values worked out by
// hand from the bytes and the rad text; the dt choice is documented in
// docs/FORMAT_VENDORS.md.
#include <catch2/catch.hpp>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

TEST_CASE("MALA rd3: shape, dt both ways, spacing and first samples", "[vendor][mala]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/ten_col.rd3");
  if (path.empty()) return;
  // DISTANCE INTERVAL: 0 (TIME FLAG:1, a time-triggered line): no spacing in the file.
  CHECK_THROWS_AS(read_mala(path), InvalidArgument);
  MalaOptions o;
  o.dx = 0.1;
  const VendorFile f = read_mala(path, o);
  const BScan& b = f.bscan;
  // SAMPLES:512; 10240 bytes / (512 x 2) = 10 traces = LAST TRACE:10.
  CHECK(b.n_samples() == 512);
  CHECK(b.n_traces() == 10);
  CHECK(b.metadata.dx == 0.1);
  // TIMEWINDOW:422.061312 ns / 512 samples = 0.824338500 ns (the default time base).
  CHECK(b.metadata.dt == Approx(422.061312e-9 / 512).epsilon(1e-12));
  CHECK(b.metadata.antenna_offset == Approx(0.18));       // ANTENNA SEPARATION: 0.180000
  CHECK(b.metadata.center_frequency == Approx(500e6));    // ANTENNAS:500_shielded_egrip
  CHECK(f.header_value("STACKS") == "4");
  // Bytes 0..7: 0e 08 04 08 03 08 00 08 -> int16 2062, 2052, 2051, 2048 (trace 0).
  CHECK(b(0, 0) == 2062.0f);
  CHECK(b(1, 0) == 2052.0f);
  CHECK(b(2, 0) == 2051.0f);
  CHECK(b(3, 0) == 2048.0f);
  // Trace 1 starts at byte 512 x 2 = 1024: 10 08 17 08 -> 2064, 2071.
  CHECK(b(0, 1) == 2064.0f);
  CHECK(b(1, 1) == 2071.0f);
  // FREQUENCY:2426.187744 MHz: 1/f = 0.412169 ns, half the TIMEWINDOW-based dt.
  o.time_base = MalaTimeBase::sampling_frequency;
  CHECK(read_mala(path, o).bscan.metadata.dt == Approx(1.0 / 2426.187744e6).epsilon(1e-12));
  CHECK(read_vendor(path, 0.1).format == "mala");
}

TEST_CASE("MALA: a missing rad file is named; rd7 is int32", "[vendor][mala]") {
  ScratchFolder folder;
  const std::string rd3 = folder.file("x.rd3");
  gprproc_test::write_bytes(rd3, std::vector<char>(8, 0));
  try {
    read_mala(rd3);
    FAIL("expected FileError");
  } catch (const FileError& e) {
    CHECK(e.code() == ErrorCode::file_not_found);
    CHECK(std::string(e.what()).find("x.rad") != std::string::npos);
  }
  // rd7: 2 traces x 2 int32 samples, little-endian: -2, 70000 | 5, -1.
  const std::vector<char> rd7 = {'\xfe', '\xff', '\xff', '\xff', '\x70', '\x11', '\x01', '\x00',
                                 '\x05', '\x00', '\x00', '\x00', '\xff', '\xff', '\xff', '\xff'};
  gprproc_test::write_bytes(folder.file("y.rd7"), rd7);
  const std::string rad = "SAMPLES:2\r\nTIMEWINDOW:2.0\r\nDISTANCE INTERVAL:0.05\r\nLAST TRACE:2\r\n";
  gprproc_test::write_bytes(folder.file("y.rad"), std::vector<char>(rad.begin(), rad.end()));
  const VendorFile f = read_mala(folder.file("y.rd7"));
  CHECK(f.bscan(0, 0) == -2.0f);
  CHECK(f.bscan(1, 0) == 70000.0f);
  CHECK(f.bscan(0, 1) == 5.0f);
  CHECK(f.bscan(1, 1) == -1.0f);
  CHECK(f.bscan.metadata.dt == Approx(1e-9));
  CHECK(f.bscan.metadata.dx == Approx(0.05));
}
