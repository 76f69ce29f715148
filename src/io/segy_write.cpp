// SEG-Y rev 2 writer of a B-scan (include/gprproc/segy_write.hpp): headers in
// the GPR convention documented in docs/GEOMETRY.md, big-endian IEEE float
// samples, written through the library's one output writer (io/output_file.hpp).
#include "gprproc/segy_write.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/version.hpp"
#include "io/output_file.hpp"

namespace gprproc {

namespace {

constexpr std::size_t kText = 3200, kBinary = 400, kTraceHeader = 240;
constexpr double kInt32Max = 2147483647.0;

// ---- big-endian stores
void put16(std::uint8_t* p, std::int64_t v) {
  const auto u = static_cast<std::uint16_t>(v);
  p[0] = static_cast<std::uint8_t>(u >> 8);
  p[1] = static_cast<std::uint8_t>(u);
}
void put32(std::uint8_t* p, std::int64_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (int k = 0; k < 4; ++k) p[k] = static_cast<std::uint8_t>(u >> (24 - 8 * k));
}
void put64(std::uint8_t* p, std::uint64_t u) {
  for (int k = 0; k < 8; ++k) p[k] = static_cast<std::uint8_t>(u >> (56 - 8 * k));
}
void put_f32(std::uint8_t* p, float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  put32(p, u);
}
void put_f64(std::uint8_t* p, double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  put64(p, u);
}

// The finest of mm, cm, dm and m at which every value fits a signed 32-bit
// field; the SEG-Y scalar for it (negative: divide by it).
std::int16_t choose_scalar(const std::vector<double>& values, const std::string& what) {
  double largest = 0.0;
  for (double v : values) largest = std::max(largest, std::abs(v));
  for (int factor : {1000, 100, 10, 1})
    if (largest * factor <= kInt32Max - 1.0) return static_cast<std::int16_t>(factor == 1 ? 1 : -factor);
  std::ostringstream msg;
  msg.precision(12);
  msg << "write_segy: " << what << " up to " << largest << " m do not fit a 32-bit SEG-Y field even in whole "
      << "metres; subtract a local origin first";
  throw InvalidArgument(msg.str());
}

std::int64_t scaled(double v, std::int16_t scalar) {
  const double factor = scalar < 0 ? -static_cast<double>(scalar) : 1.0 / static_cast<double>(scalar);
  return static_cast<std::int64_t>(std::llround(v * factor));
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// EBCDIC (code page 037) of a printable ASCII character; '?' for others.
std::uint8_t ebcdic(unsigned char c) {
  if (c >= 'a' && c <= 'i') return static_cast<std::uint8_t>(0x81 + (c - 'a'));
  if (c >= 'j' && c <= 'r') return static_cast<std::uint8_t>(0x91 + (c - 'j'));
  if (c >= 's' && c <= 'z') return static_cast<std::uint8_t>(0xa2 + (c - 's'));
  if (c >= 'A' && c <= 'I') return static_cast<std::uint8_t>(0xc1 + (c - 'A'));
  if (c >= 'J' && c <= 'R') return static_cast<std::uint8_t>(0xd1 + (c - 'J'));
  if (c >= 'S' && c <= 'Z') return static_cast<std::uint8_t>(0xe2 + (c - 'S'));
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(0xf0 + (c - '0'));
  struct Pair {
    char ascii;
    std::uint8_t code;
  };
  static constexpr Pair punctuation[] = {
      {' ', 0x40}, {'.', 0x4b}, {'<', 0x4c}, {'(', 0x4d}, {'+', 0x4e}, {'|', 0x4f}, {'&', 0x50}, {'!', 0x5a},
      {'$', 0x5b}, {'*', 0x5c}, {')', 0x5d}, {';', 0x5e}, {'-', 0x60}, {'/', 0x61}, {',', 0x6b}, {'%', 0x6c},
      {'_', 0x6d}, {'>', 0x6e}, {'?', 0x6f}, {'`', 0x79}, {':', 0x7a}, {'#', 0x7b}, {'@', 0x7c}, {'\'', 0x7d},
      {'=', 0x7e}, {'"', 0x7f}, {'\\', 0xe0}, {'[', 0xba}, {']', 0xbb}, {'{', 0xc0}, {'}', 0xd0}, {'^', 0xb0},
      {'~', 0xa1}};
  for (const Pair& p : punctuation)
    if (static_cast<unsigned char>(p.ascii) == c) return p.code;
  return 0x6f;  // '?'
}

// 40 lines of 80 characters, "C 1 " ... "C40 ", in EBCDIC: the encoding SEG-Y
// rev 1 prescribes and segyio (which decodes the header as EBCDIC) expects.
std::vector<std::uint8_t> textual_header(const std::vector<std::string>& lines) {
  std::vector<std::uint8_t> text(kText, ' ');
  for (std::size_t k = 0; k < 40; ++k) {
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "C%2zu ", k + 1);
    std::string line = prefix + (k < lines.size() ? lines[k] : std::string());
    line.resize(80, ' ');
    for (std::size_t c = 0; c < 80; ++c) {
      const unsigned char ch = static_cast<unsigned char>(line[c]);
      text[80 * k + c] = ebcdic(ch);
    }
  }
  return text;
}

}  // namespace

std::string segy_file_bytes(ConstBScanView samples, const BScanMetadata& m, const std::vector<double>& positions,
                            const History& history) {
  const std::string op = "write_segy";
  // ---- what SEG-Y can hold
  validate(samples, "write_segy samples");
  if (samples.memory != Memory::host)
    throw InvalidArgument(op + ": the samples are in device memory; copy them to the host first");
  check_finite(samples, "write_segy samples");
  const std::size_t ns = samples.n_samples, nt = samples.n_traces;
  if (ns > 65535)
    throw InvalidArgument(op + ": " + std::to_string(ns) + " samples per trace do not fit SEG-Y's 16-bit count "
                               "(at most 65535); decimate in time or split the traces");
  if (!(std::isfinite(m.dt) && m.dt > 0.0))
    throw InvalidArgument(op + ": dt = " + number(m.dt) + " s; the sample interval must be positive and finite");
  const double dt_ps = m.dt * 1e12;
  const double dt_field = std::round(dt_ps);
  if (dt_field < 1.0 || dt_field > 65535.0)
    throw InvalidArgument(op + ": dt = " + number(m.dt) + " s is " + number(dt_ps) +
                          " ps; SEG-Y's 16-bit interval (ps, GPR convention) holds 1..65535 ps");
  if (!std::isfinite(m.t0)) throw InvalidArgument(op + ": t0 = " + number(m.t0) + " s is not finite");
  const double delay_ns = std::round(m.t0 * 1e9);
  if (std::abs(delay_ns) > 32767.0)
    throw InvalidArgument(op + ": t0 = " + number(m.t0) + " s does not fit the 16-bit delay (ns, GPR convention)");
  if (!std::isfinite(m.x0) || !(std::isfinite(m.dx) && m.dx >= 0.0))
    throw InvalidArgument(op + ": x0 = " + number(m.x0) + ", dx = " + number(m.dx) + " m must be finite (dx >= 0)");
  if (!positions.empty() && positions.size() != 3 * nt)
    throw InvalidArgument(op + ": " + std::to_string(positions.size()) + " position values for " +
                              std::to_string(nt) + " traces; positions are n_traces x 3 (m)",
                          ErrorCode::invalid_shape);
  std::vector<double> xy, z;
  xy.reserve(2 * nt);
  z.reserve(nt);
  for (std::size_t j = 0; j < nt; ++j) {
    const bool given = !positions.empty();
    const double x = given ? positions[3 * j] : m.x0 + m.dx * static_cast<double>(j);
    const double y = given ? positions[3 * j + 1] : 0.0, e = given ? positions[3 * j + 2] : 0.0;
    if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(e))
      throw InvalidArgument(op + ": the position of trace " + std::to_string(j) + " is not finite");
    xy.push_back(x);
    xy.push_back(y);
    z.push_back(e);
  }
  const std::int16_t xy_scalar = choose_scalar(xy, "coordinates"), z_scalar = choose_scalar(z, "elevations");

  // ---- textual header
  std::vector<std::string> lines;
  lines.push_back("GPR LINE (GROUND-PENETRATING RADAR), WRITTEN BY GPRPROC " + std::string(version_string));
  lines.push_back("SEG-Y REV 2.0, BIG-ENDIAN, IEEE FLOAT32 SAMPLES (FORMAT 5), " + std::to_string(nt) + " TRACES OF " +
                  std::to_string(ns) + " SAMPLES");
  lines.push_back("TIME UNITS, GPR CONVENTION: SAMPLE INTERVAL IN PICOSECONDS (BYTES 3217-3218,");
  lines.push_back("  TRACE BYTES 117-118: " + number(dt_field) + " PS), EXACT IN REV 2 BYTES 3273-3280 (DOUBLE, PS)");
  lines.push_back("DELAY RECORDING TIME (TRACE BYTES 109-110) IN NANOSECONDS, ROUNDED");
  lines.push_back("DT = " + number(m.dt) + " S");
  lines.push_back("T0 (TIME OF SAMPLE 0) = " + number(m.t0) + " S");
  lines.push_back("X0 = " + number(m.x0) + " M, DX = " + number(m.dx) + " M");
  lines.push_back("COORDINATES IN METRES, SCALAR " + std::to_string(xy_scalar) + " (BYTES 71-72), ELEVATIONS SCALAR " +
                  std::to_string(z_scalar) + " (69-70)");
  lines.push_back(positions.empty() ? "TRACE X = X0 + J DX (THE LINE HAD NO POSITIONS), Y = 0, ELEVATION 0"
                                    : "TRACE X, Y, ELEVATION FROM THE LINE'S POSITIONS (SOURCE = GROUP = CDP)");
  lines.push_back("ANTENNA OFFSET = " + number(m.antenna_offset) + " M, ANTENNA HEIGHT = " + number(m.antenna_height) +
                  " M");
  lines.push_back("CENTRE FREQUENCY = " + number(m.center_frequency) + " HZ" +
                  (m.component.empty() ? std::string() : ", COMPONENT " + m.component));
  lines.push_back("SOURCE: " + m.source);
  lines.push_back("PROCESSING HISTORY (" + std::to_string(history.size()) + " STEPS, LAST ONES SHOWN):");
  const std::size_t room = 38 - lines.size();
  const std::size_t first = history.size() > room ? history.size() - room : 0;
  for (std::size_t k = first; k < history.size(); ++k)
    lines.push_back("  " + std::to_string(k + 1) + ". " + history[k].operation + " " + history[k].parameters_json);
  lines.resize(39);
  lines.push_back("END TEXTUAL HEADER");
  const std::vector<std::uint8_t> text = textual_header(lines);

  // ---- binary header (byte positions as in the standard, 1-based, minus 3201)
  std::vector<std::uint8_t> bin(kBinary, 0);
  auto at = [&](std::size_t byte) { return bin.data() + (byte - 3201); };
  put32(at(3201), 1);   // job
  put32(at(3205), 1);   // line number
  put32(at(3209), 1);   // reel
  put16(at(3213), 1);   // traces per ensemble
  put16(at(3217), static_cast<std::int64_t>(dt_field));
  put16(at(3219), static_cast<std::int64_t>(dt_field));
  put16(at(3221), static_cast<std::int64_t>(ns));
  put16(at(3223), static_cast<std::int64_t>(ns));
  put16(at(3225), 5);   // IEEE float32
  put16(at(3227), 1);   // fold
  put16(at(3229), 1);   // as recorded
  put16(at(3255), 1);   // metres
  put32(at(3261), 1);   // extended traces per ensemble
  put32(at(3269), static_cast<std::int64_t>(ns));
  put_f64(at(3273), dt_ps);  // extended sample interval, same unit (ps)
  put_f64(at(3281), dt_ps);
  put32(at(3289), static_cast<std::int64_t>(ns));
  put32(at(3293), 1);
  put32(at(3297), 0x01020304);  // byte-order constant
  bin[3501 - 3201] = 2;         // rev 2.0
  bin[3502 - 3201] = 0;
  put16(at(3503), 1);  // fixed trace length
  put16(at(3505), 0);  // no extended textual headers
  put64(at(3513), static_cast<std::uint64_t>(nt));
  put64(at(3521), kText + kBinary);  // first trace

  // ---- the file: headers, then the traces
  const std::size_t trace_bytes = kTraceHeader + 4 * ns;
  std::string file(text.size() + bin.size() + nt * trace_bytes, '\0');
  std::memcpy(&file[0], text.data(), text.size());
  std::memcpy(&file[text.size()], bin.data(), bin.size());
  for (std::size_t j = 0; j < nt; ++j) {
    std::uint8_t* h = reinterpret_cast<std::uint8_t*>(&file[text.size() + bin.size() + j * trace_bytes]);
    auto th = [&](std::size_t byte) { return h + (byte - 1); };
    const auto number_1 = static_cast<std::int64_t>(j + 1);
    put32(th(1), number_1);   // trace sequence number within line
    put32(th(5), number_1);   // within file
    put32(th(9), 1);          // field record
    put32(th(13), number_1);  // trace number within the field record
    put32(th(17), number_1);  // energy source point
    put32(th(21), number_1);  // CDP ensemble
    put32(th(25), 1);         // trace within the ensemble
    put16(th(29), 1);         // time-domain data
    put16(th(31), 1);
    put16(th(33), 1);
    put16(th(35), 1);         // production
    put32(th(41), scaled(z[j], z_scalar));  // receiver group elevation
    put32(th(45), scaled(z[j], z_scalar));  // surface elevation at source
    put16(th(69), z_scalar);
    put16(th(71), xy_scalar);
    const std::int64_t x = scaled(xy[2 * j], xy_scalar), y = scaled(xy[2 * j + 1], xy_scalar);
    put32(th(73), x);  // source
    put32(th(77), y);
    put32(th(81), x);  // group
    put32(th(85), y);
    put16(th(89), 1);  // coordinate units: length
    put16(th(109), static_cast<std::int64_t>(delay_ns));
    put16(th(115), static_cast<std::int64_t>(ns));
    put16(th(117), static_cast<std::int64_t>(dt_field));
    put32(th(181), x);  // CDP
    put32(th(185), y);
    put32(th(189), 1);         // inline (one line)
    put32(th(193), number_1);  // crossline: the trace, so segyio finds a 1 x n_traces geometry
    std::uint8_t* s = h + kTraceHeader;
    for (std::size_t i = 0; i < ns; ++i) put_f32(s + 4 * i, samples.samples[i * nt + j]);
  }
  return file;
}

void write_segy(const std::string& path, ConstBScanView samples, const BScanMetadata& metadata,
                const std::vector<double>& positions, const History& history, const SegyWriteOptions& options) {
  if (path.empty()) throw InvalidArgument("write_segy: the output path is empty");
  const std::string bytes = segy_file_bytes(samples, metadata, positions, history);
  // The library's one writer: checked target, temporary, checked writes, fsync, rename.
  io_detail::write_output_file(path, bytes,
                               io_detail::OutputRules{options.overwrite, "choose another name or allow replacing it (overwrite)"});
}

void write_segy(const std::string& path, const BScan& bscan, const SegyWriteOptions& options) {
  write_segy(path, bscan.view(), bscan.metadata, bscan.positions, bscan.history, options);
}

}  // namespace gprproc
