// Sensors & Software pulseEKKO: NAME.HD (text, "KEY = value" lines, any of
// CR, LF, CRLF or CR CR LF line ends) and NAME.DT1 (per trace: a 128-byte
// header, little-endian `<8f3d11f28s`, then int16 or float32 samples).
#include <cmath>
#include <sstream>
#include <utility>

#include "io/memory_guard.hpp"
#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

constexpr std::size_t kTraceHeader = 128;

struct HdFile {
  std::vector<std::pair<std::string, std::string>> entries;  // upper-case keys
  std::vector<std::string> free_lines;                       // lines without "=" (tag, title, date)

  const std::string* find(const std::string& key) const {
    for (const auto& e : entries)
      if (e.first == key) return &e.second;
    return nullptr;
  }
};

HdFile parse_hd(const ByteReader& hd) {
  check_text_header_size(hd);
  const std::string text = decode_text(std::string(reinterpret_cast<const char*>(hd.span(0, hd.size(), "HD text")), hd.size()));
  HdFile out;
  for (const std::string& line : split_lines(text)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      out.free_lines.push_back(trim(line));
    } else {
      out.entries.emplace_back(upper(trim(line.substr(0, eq))), trim(line.substr(eq + 1)));
    }
  }
  return out;
}

double hd_number(const HdFile& hd, const ByteReader& file, const std::string& key, bool required, double fallback = 0.0) {
  const std::string* text = hd.find(key);
  if (text == nullptr) {
    if (required) file.fail(quoted(key), "required key missing from the HD file");
    return fallback;
  }
  double value = 0.0;
  if (!parse_number(*text, value)) file.fail(quoted(key), "value " + quoted(*text) + " is not a number");
  return value;
}

// Metres per position unit.
double unit_length(const HdFile& hd, const ByteReader& file) {
  const std::string* text = hd.find("POSITION UNITS");
  if (text == nullptr) return 1.0;
  const std::string unit = upper(*text);
  if (unit == "M" || unit == "METRES" || unit == "METERS" || unit == "METRE" || unit == "METER") return 1.0;
  if (unit == "FT" || unit == "FEET" || unit == "FOOT") return 0.3048;
  if (unit == "CM") return 0.01;
  file.fail("\"POSITION UNITS\"", "unit " + quoted(*text) + " is not m, ft or cm");
}

bool whole_count(double value, double max) { return std::isfinite(value) && value >= 1.0 && value <= max && value == std::floor(value); }

}  // namespace

namespace vendor_detail {

VendorFile parse_dt1(const ByteReader& dt1, const ByteReader& hd_bytes, const Dt1Options& options) {
  const Endian le = Endian::little;
  const HdFile hd = parse_hd(hd_bytes);
  const double traces_hd = hd_number(hd, hd_bytes, "NUMBER OF TRACES", true);
  const double points_hd = hd_number(hd, hd_bytes, "NUMBER OF PTS/TRC", true);
  const double window_ns = hd_number(hd, hd_bytes, "TOTAL TIME WINDOW", true);
  if (!whole_count(traces_hd, 1e9))
    hd_bytes.fail("\"NUMBER OF TRACES\"", "value " + number_text(traces_hd) + " is not a whole number in 1 .. 1e9");
  if (!whole_count(points_hd, 1e6))
    hd_bytes.fail("\"NUMBER OF PTS/TRC\"", "value " + number_text(points_hd) + " is not a whole number in 1 .. 1e6");
  if (!(window_ns > 0.0)) hd_bytes.fail("\"TOTAL TIME WINDOW\"", "time window " + number_text(window_ns) + " ns is not positive");
  bounded(window_ns, 0.01, 1e5, hd_bytes, "\"TOTAL TIME WINDOW\"", "ns");
  const auto n_traces = static_cast<std::size_t>(traces_hd);
  const auto n_points = static_cast<std::size_t>(points_hd);
  const double unit = unit_length(hd, hd_bytes);

  // The first trace header gives the sample type; every trace must agree.
  const float bytes_per_point = dt1.f32(5 * 4, le, "trace 0 bytes per point (byte 20)");
  if (bytes_per_point != 2.0f && bytes_per_point != 4.0f)
    dt1.fail("trace 0 bytes per point (byte 20)", "value " + number_text(bytes_per_point) + " is not 2 (int16) or 4 (float32)");
  const std::size_t bpp = bytes_per_point == 2.0f ? 2 : 4;
  const std::size_t trace_bytes = kTraceHeader + n_points * bpp;
  const std::size_t expected = checked_product(trace_bytes, n_traces, dt1, "file size");
  if (dt1.size() != expected) {
    std::ostringstream msg;
    msg << "file holds " << dt1.size() << " bytes but the HD file's NUMBER OF TRACES (" << n_traces
        << ") x (128-byte header + " << n_points << " points x " << bpp << " bytes) needs " << expected
        << (dt1.size() < expected ? ": the file is truncated" : ": the files are inconsistent");
    dt1.fail("data size", msg.str());
  }

  std::vector<float> samples(n_points * n_traces);
  std::vector<double> positions(3 * n_traces);
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::size_t at = j * trace_bytes;
    const std::string trace = "trace " + std::to_string(j);
    const float points = dt1.f32(at + 8, le, trace + " number of points (byte 8)");
    const float bytes = dt1.f32(at + 20, le, trace + " bytes per point (byte 20)");
    if (points != static_cast<float>(n_points))
      dt1.fail(trace + " number of points (byte 8)",
               number_text(points) + " differs from the HD file's NUMBER OF PTS/TRC " + std::to_string(n_points));
    if (bytes != bytes_per_point)
      dt1.fail(trace + " bytes per point (byte 20)", number_text(bytes) + " differs from trace 0's " + number_text(bytes_per_point));
    const float position = dt1.f32(at + 4, le, trace + " position (byte 4)");
    const float topography = dt1.f32(at + 12, le, trace + " topography (byte 12)");
    bounded(position, -1e7, 1e7, dt1, trace + " position (byte 4)", "position units");
    bounded(topography, -1e5, 1e5, dt1, trace + " topography (byte 12)", "position units");
    positions[3 * j + 0] = position * unit;
    positions[3 * j + 2] = topography * unit;
    const std::uint8_t* p = dt1.span(at + kTraceHeader, n_points * bpp, trace + " samples");
    for (std::size_t i = 0; i < n_points; ++i) {
      samples[i * n_traces + j] =
          bpp == 2 ? static_cast<float>(static_cast<std::int16_t>(load_u16(p + 2 * i, le))) : load_f32(p + 4 * i, le);
    }
  }

  BScanMetadata meta;
  meta.dt = window_ns * 1e-9 / static_cast<double>(n_points);
  const double points = static_cast<double>(n_points);
  const double time_zero_point =
      bounded(hd_number(hd, hd_bytes, "TIMEZERO AT POINT", false), -points, points, hd_bytes, "\"TIMEZERO AT POINT\"", "points");
  meta.t0 = -time_zero_point * meta.dt;
  meta.x0 = bounded(hd_number(hd, hd_bytes, "STARTING POSITION", false), -1e7, 1e7, hd_bytes, "\"STARTING POSITION\"",
                    "position units") * unit;
  const double step = bounded(hd_number(hd, hd_bytes, "STEP SIZE USED", false), 0.0, 1e4, hd_bytes,
                              "\"STEP SIZE USED\"", "position units");
  VendorFile out;
  out.format = "dt1";
  meta.dx = choose_spacing(options.dx, step * unit, hd_bytes, "STEP SIZE USED is absent or 0", options.require_dx,
                           out.dx_from);
  meta.antenna_offset = bounded(hd_number(hd, hd_bytes, "ANTENNA SEPARATION", false), 0.0, 1e3, hd_bytes,
                                "\"ANTENNA SEPARATION\"", "position units") * unit;
  meta.center_frequency =
      bounded(hd_number(hd, hd_bytes, "NOMINAL FREQUENCY", false), 0.0, 1e5, hd_bytes, "\"NOMINAL FREQUENCY\"", "MHz") * 1e6;
  meta.source = "Sensors & Software DT1 " + dt1.file();
  check_metadata(meta, hd_bytes);

  for (std::size_t k = 0; k < hd.free_lines.size(); ++k) put(out, "line " + std::to_string(k + 1), hd.free_lines[k]);
  for (const auto& e : hd.entries) put(out, e.first, e.second);
  put(out, "sample type", bpp == 2 ? "int16" : "float32");
  put(out, "trace 0 time window (ns)", dt1.f32(24, le, "trace 0 time window (byte 24)"));
  put(out, "trace 0 stacks", dt1.f32(28, le, "trace 0 stacks (byte 28)"));
  put(out, "trace 0 time of day (s)", dt1.f32(88, le, "trace 0 time of day (byte 88)"));

  out.bscan = BScan(std::move(samples), n_points, n_traces, meta);
  out.bscan.positions = std::move(positions);
  if (bpp == 4) check_finite(std::as_const(out.bscan).view(), ("samples of " + quoted(dt1.file())).c_str());
  HistoryParameters step_parameters;
  step_parameters.add("file", dt1.file())
      .add("header_file", hd_bytes.file())
      .add("dt", meta.dt)
      .add("t0", meta.t0)
      .add("dx", meta.dx)
      .add("dx_from", out.dx_from)
      .add("positions", "trace header: x = position, y = 0, z = topography (m)");
  add_read_step(out, "read_dt1", step_parameters);
  return out;
}

}  // namespace vendor_detail

VendorFile read_dt1(const std::string& path, const Dt1Options& options) {
  return io_detail::guard_memory(quoted(path), [&] {
    const auto data = read_file_bytes(path, "DT1 file");
    const std::string hd_path = companion_path(path, ".HD", "header file");
    const auto header = read_file_bytes(hd_path, "header file");
    return parse_dt1(ByteReader(data.data(), data.size(), path), ByteReader(header.data(), header.size(), hd_path), options);
  });
}

}  // namespace gprproc
