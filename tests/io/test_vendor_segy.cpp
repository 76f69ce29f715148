// SEG-Y: small files written here byte by byte for every variant (byte order,
// IBM float, IEEE float, int16, int32, rev 1 and rev 2, picosecond intervals,
// EBCDIC text), read back and checked against exact round values. The IBM
// float encoder below is written independently of the reader's decoder.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "gprproc/vendor_formats.hpp"
#include "io_test_support.hpp"

using namespace gprproc;
using gprproc_test::ScratchFolder;

namespace {

// IBM System/360 single: sign | 7-bit base-16 exponent biased 64 | 24-bit fraction, value = 0.F x 16^(E-64).
std::uint32_t ibm_bits(double v) {
  if (v == 0.0) return 0;
  const std::uint32_t sign = v < 0 ? 0x80000000u : 0u;
  double m = std::fabs(v);
  int e = 64;
  while (m >= 1.0) { m /= 16.0; ++e; }
  while (m < 1.0 / 16.0) { m *= 16.0; --e; }
  const auto fraction = static_cast<std::uint32_t>(std::lround(m * 16777216.0));
  return sign | (static_cast<std::uint32_t>(e) << 24) | fraction;
}

struct SegySpec {
  bool big = true;
  int revision = 1;            // 1 or 2
  int format = 5;              // 1 IBM, 2 int32, 3 int16, 5 IEEE
  std::uint16_t interval = 50;  // in the file's unit
  std::string text = "C 1 GPR LINE, SAMPLE INTERVAL IN PICOSECONDS";
  bool ebcdic = false;
  bool order_constant = false;  // rev 2 byte-order word 0x01020304
  double extended_interval = 0.0;
  bool samples_only_in_extended = false;
  std::int16_t coordinate_scalar = -100;
  int trace_samples_override = -1;  // write another count into trace 1's header
};

class Writer {
 public:
  explicit Writer(bool big) : big_(big) {}
  std::vector<char> bytes;
  void at_least(std::size_t n) {
    if (bytes.size() < n) bytes.resize(n, '\0');
  }
  void put(std::size_t offset, std::uint64_t v, int n) {
    at_least(offset + static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) {
      const int shift = 8 * (big_ ? n - 1 - k : k);
      bytes[offset + static_cast<std::size_t>(k)] = static_cast<char>((v >> shift) & 0xffu);
    }
  }

 private:
  bool big_;
};

char to_ebcdic(char c) {
  if (c >= 'A' && c <= 'I') return static_cast<char>(0xc1 + (c - 'A'));
  if (c >= 'J' && c <= 'R') return static_cast<char>(0xd1 + (c - 'J'));
  if (c >= 'S' && c <= 'Z') return static_cast<char>(0xe2 + (c - 'S'));
  if (c >= '0' && c <= '9') return static_cast<char>(0xf0 + (c - '0'));
  if (c == ',') return static_cast<char>(0x6b);
  return static_cast<char>(0x40);
}

std::vector<char> make_segy(const SegySpec& s, const std::vector<std::vector<double>>& traces) {
  Writer w(s.big);
  w.at_least(3600);
  for (std::size_t k = 0; k < 3200; ++k) {
    const char c = k < s.text.size() ? s.text[k] : ' ';
    w.bytes[k] = s.ebcdic ? to_ebcdic(c) : c;
  }
  const auto ns = static_cast<std::uint16_t>(traces[0].size());
  w.put(3216, s.interval, 2);
  w.put(3220, s.samples_only_in_extended ? 0 : ns, 2);
  w.put(3224, static_cast<std::uint16_t>(s.format), 2);
  if (s.revision == 2) {
    w.bytes[3500] = 2;
    w.bytes[3501] = 0;
    if (s.order_constant) w.put(3296, 0x01020304u, 4);
    if (s.samples_only_in_extended) w.put(3268, ns, 4);
    if (s.extended_interval > 0) {
      std::uint64_t bits;
      std::memcpy(&bits, &s.extended_interval, 8);
      w.put(3272, bits, 8);
    }
  } else {
    w.put(3500, 0x0100, 2);
  }
  w.put(3502, 1, 2);  // fixed-length traces
  const int bytes_per_sample = s.format == 3 ? 2 : 4;
  std::size_t at = 3600;
  for (std::size_t j = 0; j < traces.size(); ++j) {
    w.at_least(at + 240);
    w.put(at, j + 1, 4);
    w.put(at + 70, static_cast<std::uint16_t>(s.coordinate_scalar), 2);
    w.put(at + 72, static_cast<std::uint32_t>(10 * j), 4);  // source X in 1/100 m with scalar -100
    const int trace_ns = (j == 1 && s.trace_samples_override >= 0) ? s.trace_samples_override : ns;
    w.put(at + 114, static_cast<std::uint16_t>(trace_ns), 2);
    w.put(at + 116, s.interval, 2);
    at += 240;
    for (double v : traces[j]) {
      std::uint32_t bits = 0;
      switch (s.format) {
        case 1: bits = ibm_bits(v); break;
        case 2: bits = static_cast<std::uint32_t>(static_cast<std::int32_t>(v)); break;
        case 3: bits = static_cast<std::uint16_t>(static_cast<std::int16_t>(v)); break;
        default: {
          const float f = static_cast<float>(v);
          std::memcpy(&bits, &f, 4);
        }
      }
      w.put(at, bits, bytes_per_sample);
      at += static_cast<std::size_t>(bytes_per_sample);
    }
  }
  return w.bytes;
}

const std::vector<std::vector<double>> kTraces = {
    {1.0, -2.5, 0.15625, 100.0}, {0.0, -1024.0, 3.0, 0.5}, {7.0, -7.0, 32.0, -0.25}};
const std::vector<std::vector<double>> kIntegerTraces = {
    {1.0, -2.0, 300.0, -32768.0}, {0.0, 32767.0, 5.0, -1.0}, {7.0, -7.0, 12.0, 4.0}};

VendorFile write_and_read(const SegySpec& spec, const std::vector<std::vector<double>>& traces, SegyOptions options = {}) {
  ScratchFolder folder;
  const std::string path = folder.file("line.sgy");
  gprproc_test::write_bytes(path, make_segy(spec, traces));
  return read_segy(path, options);
}

void check_values(const BScan& b, const std::vector<std::vector<double>>& traces) {
  REQUIRE(b.n_traces() == traces.size());
  REQUIRE(b.n_samples() == traces[0].size());
  for (std::size_t j = 0; j < traces.size(); ++j)
    for (std::size_t i = 0; i < traces[j].size(); ++i) CHECK(b(i, j) == static_cast<float>(traces[j][i]));
}

}  // namespace

TEST_CASE("SEG-Y: the test's IBM encoder gives the textbook bit patterns", "[vendor][segy]") {
  CHECK(ibm_bits(1.0) == 0x41100000u);
  CHECK(ibm_bits(-118.625) == 0xc276a000u);  // the classic example
  CHECK(ibm_bits(0.15625) == 0x40280000u);
}

TEST_CASE("SEG-Y: every sample format in both byte orders, rev 1 and rev 2", "[vendor][segy]") {
  for (bool big : {true, false}) {
    for (int revision : {1, 2}) {
      for (int format : {1, 2, 3, 5}) {
        SegySpec spec;
        spec.big = big;
        spec.revision = revision;
        spec.format = format;
        spec.order_constant = revision == 2;
        INFO("big " << big << " revision " << revision << " format " << format);
        const auto& traces = (format == 2 || format == 3) ? kIntegerTraces : kTraces;
        const VendorFile f = write_and_read(spec, traces);
        check_values(f.bscan, traces);
        CHECK(f.header_value("byte order") == (big ? "big-endian" : "little-endian"));
        CHECK(f.header_value("revision") == (revision == 2 ? "2.0" : "1.0"));
        // 50 in bytes 3217-3218; the text says GPR: picoseconds.
        CHECK(f.bscan.metadata.dt == Approx(50e-12).epsilon(1e-12));
        // source X 0, 10, 20 with scalar -100: 0, 0.1, 0.2 m.
        CHECK(f.bscan.metadata.dx == Approx(0.1));
        REQUIRE(f.bscan.positions.size() == 9);
        CHECK(f.bscan.positions[6] == Approx(0.2));
      }
    }
  }
}

TEST_CASE("SEG-Y: interval units, EBCDIC text and rev 2 extended fields", "[vendor][segy]") {
  SegySpec spec;
  spec.text = "C 1 SEISMIC LINE";
  spec.interval = 4000;
  const VendorFile us = write_and_read(spec, kTraces);
  CHECK(us.bscan.metadata.dt == Approx(4e-3));  // microseconds, the standard
  SegyOptions ps;
  ps.interval_unit = SegyIntervalUnit::picoseconds;
  CHECK(write_and_read(spec, kTraces, ps).bscan.metadata.dt == Approx(4e-9));
  ps.interval_unit = SegyIntervalUnit::nanoseconds;
  CHECK(write_and_read(spec, kTraces, ps).bscan.metadata.dt == Approx(4e-6));

  spec.text = "C 1 GPR 500 MHZ";
  spec.ebcdic = true;
  spec.interval = 100;
  const VendorFile eb = write_and_read(spec, kTraces);
  CHECK(eb.bscan.metadata.dt == Approx(100e-12));
  CHECK(eb.header_value("textual header").rfind("C 1 GPR 500 MHZ", 0) == 0);

  SegySpec rev2;
  rev2.revision = 2;
  rev2.big = false;
  rev2.order_constant = true;
  rev2.format = 5;
  rev2.interval = 0;
  rev2.extended_interval = 12.5;  // ps, only representable in the rev 2 double
  rev2.samples_only_in_extended = true;
  const VendorFile f = write_and_read(rev2, kTraces);
  check_values(f.bscan, kTraces);
  CHECK(f.bscan.metadata.dt == Approx(12.5e-12));
}

TEST_CASE("SEG-Y: truncated and inconsistent files are rejected", "[vendor][segy]") {
  ScratchFolder folder;
  const std::string path = folder.file("bad.sgy");
  SegySpec spec;
  const auto good = make_segy(spec, kTraces);
  for (std::size_t cut : {std::size_t{0}, std::size_t{100}, std::size_t{3599}, std::size_t{3600 + 239},
                          good.size() - 1, good.size() - 17}) {
    gprproc_test::write_bytes(path, std::vector<char>(good.begin(), good.begin() + static_cast<long>(cut)));
    INFO("cut at " << cut);
    try {
      read_segy(path);
      FAIL("a truncated file was accepted");
    } catch (const FileError& e) {
      CHECK(e.code() == ErrorCode::file_format);
      CHECK(std::string(e.what()).find("bad.sgy") != std::string::npos);
    }
  }
  spec.trace_samples_override = 5;  // trace 1 claims 5 samples, the others 4
  gprproc_test::write_bytes(path, make_segy(spec, kTraces));
  CHECK_THROWS_AS(read_segy(path), FileError);
  spec.trace_samples_override = -1;
  spec.format = 4;  // fixed-point with gain: not supported
  gprproc_test::write_bytes(path, make_segy(spec, kTraces));
  CHECK_THROWS_AS(read_segy(path), FileError);
  CHECK_THROWS_AS(read_segy(folder.file("absent.sgy")), FileError);
}
