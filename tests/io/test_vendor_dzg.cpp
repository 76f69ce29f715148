// GSSI DZG GPS side files: NMEA parsing and per-trace positions. The shared
// data holds no DZG, so the file here is SYNTHETIC: written in the form a
// SIR-3000/4000 with a GPS receiver records ($GSSIS scan line, then the
// receiver's $GPRMC and $GPGGA for that scan), with real checksums, placed
// on the real SIR-3000 DZT. Expected values are worked out by hand from the
// sentences with the WGS84 meridian and prime-vertical radii of curvature,
// not from the reader's ECEF path.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"
#include "test_data.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

// "$" + body + "*hh" with the NMEA checksum (XOR of the body's bytes).
std::string sentence(const std::string& body, bool corrupt = false) {
  unsigned sum = 0;
  for (char c : body) sum ^= static_cast<unsigned char>(c);
  if (corrupt) sum ^= 0x01u;
  char tail[8];
  std::snprintf(tail, sizeof tail, "*%02X", sum);
  return "$" + body + tail + "\r\n";
}

constexpr double kPi = 3.14159265358979323846;
constexpr double kA = 6378137.0, kF = 1.0 / 298.257223563, kE2 = kF * (2.0 - kF);
double meridian_radius(double lat_deg) {
  const double s = std::sin(lat_deg * kPi / 180.0);
  return kA * (1.0 - kE2) / std::pow(1.0 - kE2 * s * s, 1.5);
}
double prime_vertical_radius(double lat_deg) {
  const double s = std::sin(lat_deg * kPi / 180.0);
  return kA / std::sqrt(1.0 - kE2 * s * s);
}

}  // namespace

TEST_CASE("DZG: GGA and RMC sentences become per-trace positions on a local tangent plane", "[vendor][dzt][dzg]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  ScratchFolder folder;
  const std::string dzt = folder.file("LINE01.DZT");
  gprproc_test::write_bytes(dzt, gprproc_test::file_bytes(path));
  // Scans 0, 100, 200, 300: latitude 45deg 00.0000'N + 0.0100' per fix (one
  // fix moves 0.01/60 deg north); the last step also moves 0.0100' east.
  std::string dzg;
  const char* lat[] = {"4500.0000", "4500.0100", "4500.0200", "4500.0300"};
  const char* lon[] = {"00730.0000", "00730.0000", "00730.0000", "00730.0100"};
  const char* alt[] = {"100.0", "101.0", "102.0", "104.0"};
  for (int k = 0; k < 4; ++k) {
    dzg += "$GSSIS," + std::to_string(100 * k) + "," + std::to_string(5000 + 100 * k) + "\r\n";
    dzg += sentence(std::string("GPRMC,10000") + std::to_string(k) + ".00,A," + lat[k] + ",N," + lon[k] +
                    ",E,0.5,0.0,210317,,,A");
    dzg += sentence(std::string("GPGGA,10000") + std::to_string(k) + ".00," + lat[k] + ",N," + lon[k] + ",E,1,09,0.8," +
                    alt[k] + ",M,47.0,M,,");
  }
  // Scan 400: a GGA whose checksum is wrong; scan 500: a GGA without a fix.
  dzg += "$GSSIS,400,5400\r\n" + sentence("GPGGA,100004.00,4500.0400,N,00730.0100,E,1,09,0.8,105.0,M,47.0,M,,", true);
  dzg += "$GSSIS,500,5500\r\n" + sentence("GPGGA,100005.00,4500.0500,N,00730.0100,E,0,00,99.9,,M,,M,,");
  gprproc_test::write_bytes(folder.file("LINE01.DZG"), std::vector<char>(dzg.begin(), dzg.end()));

  const VendorFile f = read_dzt(dzt);
  REQUIRE(f.gps.size() == 4);
  CHECK(f.header_value("dzg fixes") == "4");
  CHECK(f.header_value("dzg sentences skipped") == "2");
  CHECK(f.gps[1].trace == 100.0);
  CHECK(f.gps[1].latitude == Approx(45.0 + 0.01 / 60.0).epsilon(1e-12));
  CHECK(f.gps[3].longitude == Approx(7.5 + 0.01 / 60.0).epsilon(1e-12));
  CHECK(f.gps[2].altitude == 102.0);
  CHECK(f.gps[2].has_altitude);
  CHECK(f.gps[2].date == "210317");

  const BScan& b = f.bscan;
  REQUIRE(b.positions.size() == 3 * b.n_traces());
  const auto x = [&](std::size_t j) { return b.positions[3 * j]; };
  const auto y = [&](std::size_t j) { return b.positions[3 * j + 1]; };
  const auto z = [&](std::size_t j) { return b.positions[3 * j + 2]; };
  // One fix step north: M(45 deg) x (0.01/60 deg in radians) = 18.5 m.
  const double step_north = meridian_radius(45.0) * (0.01 / 60.0) * kPi / 180.0;
  CHECK(step_north == Approx(18.52).margin(0.01));
  CHECK(x(0) == Approx(0.0).margin(1e-9));
  CHECK(y(0) == Approx(0.0).margin(1e-9));
  CHECK(z(0) == 100.0);
  CHECK(y(100) == Approx(step_north).margin(1e-3));
  CHECK(x(100) == Approx(0.0).margin(1e-3));
  // Trace 50 lies halfway between the fixes of scans 0 and 100.
  CHECK(y(50) == Approx(0.5 * step_north).margin(1e-3));
  CHECK(z(50) == Approx(100.5).margin(1e-9));
  CHECK(y(200) == Approx(2.0 * step_north).margin(1e-3));
  // Scan 300: 3 steps north and N(lat) cos(lat) x (0.01/60 deg) east.
  const double lat3 = 45.0 + 0.03 / 60.0;
  const double step_east = prime_vertical_radius(lat3) * std::cos(lat3 * kPi / 180.0) * (0.01 / 60.0) * kPi / 180.0;
  CHECK(x(300) == Approx(step_east).margin(2e-3));
  CHECK(y(300) == Approx(3.0 * step_north).margin(2e-3));
  CHECK(z(250) == Approx(103.0).margin(1e-9));
  // Traces after the last good fix (scan 300) keep its position; the count is in the history.
  CHECK(x(1039) == x(300));
  CHECK(z(1039) == 104.0);
  REQUIRE(b.history.size() == 1);
  const std::string& p = b.history[0].parameters_json;
  CHECK(p.find("\"gps_traces_after_last_fix\": 739") != std::string::npos);
  CHECK(p.find("\"gps_traces_before_first_fix\": 0") != std::string::npos);
  CHECK(p.find("\"gps_origin_latitude\": 45") != std::string::npos);
}

TEST_CASE("DZG: sentences out of place, repeated scans and other talkers", "[vendor][dzt][dzg]") {
  const std::string path = gprproc_test::shared_data_or_skip("field/gssi_sir3000_400MHz.DZT");
  if (path.empty()) return;
  ScratchFolder folder;
  const std::string dzt = folder.file("L.DZT");
  gprproc_test::write_bytes(dzt, gprproc_test::file_bytes(path));
  std::string dzg;
  dzg += sentence("GPGGA,100000.00,4500.0000,N,00730.0000,E,1,09,0.8,100.0,M,47.0,M,,");  // before any $GSSIS
  dzg += "$GSSIS,10,1\r\n" + sentence("GNGGA,100001.00,4500.0000,S,00730.0000,W,2,09,0.8,-3.5,M,47.0,M,,");
  dzg += "$GSSIS,10,2\r\n" + sentence("GNGGA,100002.00,4500.0000,S,00730.0000,W,2,09,0.8,-3.5,M,47.0,M,,");  // repeat
  dzg += "$GSSIS,20,3\r\n" + sentence("GPRMC,100003.00,A,4500.0000,S,00730.0000,W,0.0,0.0,010124,,,A");  // RMC only
  dzg += "$GSSIS,30,4\r\n" + sentence("GPGGA,100004.00,9100.0000,N,00730.0000,E,1,09,0.8,1.0,M,47.0,M,,");  // lat > 90
  gprproc_test::write_bytes(folder.file("L.DZG"), std::vector<char>(dzg.begin(), dzg.end()));
  const VendorFile f = read_dzt(dzt);
  REQUIRE(f.gps.size() == 2);
  CHECK(f.gps[0].trace == 10.0);
  CHECK(f.gps[0].latitude == Approx(-45.0));
  CHECK(f.gps[0].longitude == Approx(-7.5));
  CHECK(f.gps[0].altitude == -3.5);
  CHECK(f.gps[1].trace == 20.0);
  CHECK_FALSE(f.gps[1].has_altitude);  // RMC holds none: z is 0 for every trace
  CHECK(f.header_value("dzg sentences skipped") == "3");
  const BScan& b = f.bscan;
  REQUIRE(b.positions.size() == 3 * b.n_traces());
  CHECK(b.positions[2] == 0.0);
  CHECK(b.history[0].parameters_json.find("\"gps_traces_before_first_fix\": 10") != std::string::npos);
  CHECK(b.history[0].parameters_json.find("\"gps_altitude\": false") != std::string::npos);
  // read_dzg = false ignores the side file.
  DztOptions o;
  o.read_dzg = false;
  CHECK(read_dzt(dzt, o).bscan.positions.empty());
}

TEST_CASE("SEG-Y: geographic trace coordinates (degrees) become positions on the same tangent plane", "[vendor][segy][gps]") {
  ScratchFolder folder;
  const std::string path = folder.file("geo.sgy");
  // rev 1 big-endian, int16, 4 samples; trace j at lon 7.5 + 0.0001 j, lat 45,
  // elevation 300 + j; coordinate scalar -10000 (divide), units 3 (degrees).
  std::vector<char> b(3600 + 3 * (240 + 8), '\0');
  const auto be16 = [&](std::size_t at, int v) {
    b[at] = static_cast<char>((v >> 8) & 0xff);
    b[at + 1] = static_cast<char>(v & 0xff);
  };
  const auto be32 = [&](std::size_t at, long v) {
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<char>((static_cast<unsigned long>(v) >> (24 - 8 * k)) & 0xff);
  };
  std::memcpy(&b[0], "C 1 GPR", 7);
  be16(3216, 100);
  be16(3220, 4);
  be16(3224, 3);
  for (int j = 0; j < 3; ++j) {
    const std::size_t at = 3600 + static_cast<std::size_t>(j) * 248;
    be32(at + 44, 300 + j);
    be16(at + 68, 1);
    be16(at + 70, -10000);
    be32(at + 72, 75000 + j);
    be32(at + 76, 450000);
    be16(at + 88, 3);
    be16(at + 114, 4);
  }
  gprproc_test::write_bytes(path, b);
  SegyOptions o;
  o.dx = 0.5;
  const VendorFile f = read_segy(path, o);
  REQUIRE(f.gps.size() == 3);
  CHECK(f.gps[2].longitude == Approx(7.5002).epsilon(1e-12));
  const BScan& s = f.bscan;
  REQUIRE(s.positions.size() == 9);
  const double east = prime_vertical_radius(45.0) * std::cos(45.0 * kPi / 180.0) * 0.0001 * kPi / 180.0;
  CHECK(east == Approx(7.88).margin(0.01));
  CHECK(s.positions[3] == Approx(east).margin(1e-3));
  CHECK(s.positions[6] == Approx(2.0 * east).margin(1e-3));
  CHECK(s.positions[4] == Approx(0.0).margin(1e-3));  // north: the same latitude
  CHECK(s.positions[8] == 302.0);
  // A "latitude" of 4500 degrees (the scalar forgotten) is refused.
  be16(3600 + 70, 1);
  gprproc_test::write_bytes(path, b);
  CHECK_THROWS_AS(read_segy(path, o), FileError);
}
