// GSSI DZT on the real SIR-3000 400 MHz file. Expected values were worked
// out by hand from the bytes (xxd) and the DZT header description in
// docs/FORMAT_VENDORS.md, not from our reader.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

TEST_CASE("DZT: SIR-3000 400 MHz header, shape, dt, dx and first samples", "[vendor][dzt]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  const VendorFile f = read_dzt(path);
  const BScan& b = f.bscan;
  // bytes 4..5 = 00 02 -> rh_nsamp 512; bytes 6..7 = 10 00 -> 16 bits;
  // bytes 52..53 = 01 00 -> 1 channel; bytes 2..3 = 00 04 -> rh_data 1024 (>= 1024,
  // so data start at 1024 * nchan = 1024); (1065984 - 1024) / (512 * 2) = 1040 scans.
  CHECK(f.format == "dzt");
  // The first 2 words of each scan (scan counter, mark word) are not radar
  // samples: 512 - 2 = 510 remain.
  CHECK(b.n_samples() == 510);
  CHECK(b.n_traces() == 1040);
  // bytes 26..29 = 00 00 40 42 -> float 48.0 ns range over 512 samples: dt = 93.75 ps.
  CHECK(b.metadata.dt == Approx(48e-9 / 512).epsilon(1e-12));
  // bytes 14..17 = 00 00 48 42 -> 50.0 scans per metre: dx = 0.02 m.
  CHECK(b.metadata.dx == Approx(0.02).epsilon(1e-7));
  // bytes 22..25 = 0 -> rhf_position 0 ns is the time of word 0; the first
  // sample kept is word 2: t0 = 2 x 93.75 ps = 0.1875 ns.
  CHECK(b.metadata.t0 == Approx(0.1875e-9).epsilon(1e-12));
  // bytes 98.. = "400MHz".
  CHECK(f.header_value("rh_ant") == "400MHz");
  CHECK(b.metadata.center_frequency == Approx(400e6));
  // bytes 54..57 = 00 00 c0 40 -> dielectric 6.0; 10..13 = 00 00 c8 42 -> 100 scans/s.
  CHECK(f.header_value("rhf_epsr") == "6");
  CHECK(f.header_value("rhf_sps") == "100");
  // bytes 32..35 = 97 04 75 4a -> 0x4a750497: year 0x25+1980 = 2017, month 3, day 21,
  // hour 0, minute 0x24 = 36, seconds 0x17 * 2 = 46.
  CHECK(f.header_value("created") == "2017-03-21T00:36:46");
  CHECK(f.header_value("rh_name") == "FILE____032");
  // Trace 0 at byte 1024: 00 00 | 00 64 | ff 7f | ff 7f | 00 80 | ff 7f ->
  // words 0x0000 (scan counter), 0x6400 (mark word), then radar samples
  // 0x7fff, 0x7fff, 0x8000, 0x7fff minus 32768 = -1, -1, 0, -1.
  CHECK(b(0, 0) == -1.0f);
  CHECK(b(1, 0) == -1.0f);
  CHECK(b(2, 0) == 0.0f);
  CHECK(b(3, 0) == -1.0f);
  // Trace 1 at byte 2048: 01 00 | 00 00 | 00 80 | 00 80 -> counter 1, no mark, samples 0, 0.
  CHECK(b(0, 1) == 0.0f);
  CHECK(b(1, 1) == 0.0f);
  // No header word is left: the scan counter reached 1039 - 32768 in row 0
  // of the last trace before; nothing near +-32768 remains anywhere.
  float peak = 0.0f;
  for (float v : b.samples()) peak = std::max(peak, std::fabs(v));
  CHECK(peak < 32000.0f);
  // Word 1 (the mark word) is nonzero (0x6400) in scans 0, 100, ..., 1000 only.
  REQUIRE(f.marks.size() == 11);
  CHECK(f.marks.front() == 0);
  CHECK(f.marks[1] == 100);
  CHECK(f.marks.back() == 1000);
  CHECK(b.marks == f.marks);  // carried by the B-scan itself
  CHECK(f.gps.empty());  // no DZG beside it
  CHECK(b.positions.empty());
  // The read is in the history, with the header values as parameters.
  REQUIRE(b.history.size() == 1);
  CHECK(b.history[0].operation == "read_dzt");
  const std::string& p = b.history[0].parameters_json;
  CHECK(p.find("\"header_samples_removed\": 2") != std::string::npos);
  CHECK(p.find("\"rhf_epsr\": \"6\"") != std::string::npos);
  CHECK(p.find("\"rh_ant\": \"400MHz\"") != std::string::npos);
  CHECK(p.find("\"created\": \"2017-03-21T00:36:46\"") != std::string::npos);
  CHECK(p.find("\"dx_from\": \"file\"") != std::string::npos);
}

TEST_CASE("DZT: dx override, channel range and the DZG side file", "[vendor][dzt]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  DztOptions o;
  o.dx = 0.05;
  CHECK(read_dzt(path, o).bscan.metadata.dx == 0.05);
  o.channel = 1;
  CHECK_THROWS_AS(read_dzt(path, o), InvalidArgument);

  ScratchFolder folder;
  const std::string copy = folder.file("LINE.DZT");
  gprproc_test::write_bytes(copy, gprproc_test::file_bytes(path));
  const std::string dzg =
      "$GSSIS,0,1234\r\n"
      "$GPGGA,120000.00,4807.0380,N,01131.0000,E,1,08,0.9,545.4,M,46.9,M,,*67\r\n"
      "$GSSIS,500,5678\r\n"
      "$GPGGA,120010.00,4807.0500,S,01131.5000,W,1,08,0.9,546.0,M,46.9,M,,*65\r\n";
  gprproc_test::write_bytes(folder.file("LINE.DZG"), std::vector<char>(dzg.begin(), dzg.end()));
  const VendorFile f = read_dzt(copy);
  REQUIRE(f.gps.size() == 2);
  CHECK(f.gps[0].trace == 0.0);
  CHECK(f.gps[0].latitude == Approx(48.0 + 7.038 / 60.0));  // ddmm.mmmm
  CHECK(f.gps[0].longitude == Approx(11.0 + 31.0 / 60.0));
  CHECK(f.gps[0].altitude == Approx(545.4));
  CHECK(f.gps[0].time == "120000.00");
  CHECK(f.gps[1].trace == 500.0);
  CHECK(f.gps[1].latitude == Approx(-(48.0 + 7.05 / 60.0)));
  CHECK(f.gps[1].longitude == Approx(-(11.0 + 31.5 / 60.0)));
}

TEST_CASE("DZT: read_vendor dispatches by extension and by content", "[vendor][dzt]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  CHECK(vendor_format_of(path) == "dzt");
  ScratchFolder folder;
  const std::string renamed = folder.file("scan.bin");
  gprproc_test::write_bytes(renamed, gprproc_test::file_bytes(path));
  CHECK(vendor_format_of(renamed) == "dzt");
  CHECK(read_vendor(renamed).bscan.n_traces() == 1040);
  CHECK_THROWS_AS(read_vendor(folder.file("absent.DZT")), FileError);
}
