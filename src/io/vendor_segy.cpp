// SEG-Y rev 0/1/2: a 3200-byte textual header (EBCDIC or ASCII), a 400-byte
// binary header, optional extended textual headers, then traces of a 240-byte
// header and samples. Byte order from the rev 2 constant 0x01020304 (bytes
// 3297-3300) or, failing that, from which reading of the format code makes sense.
#include <cmath>
#include <sstream>
#include <utility>

#include "io/vendor_gps.hpp"
#include "io/memory_guard.hpp"
#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

constexpr std::size_t kText = 3200, kBinary = 400, kTraceHeader = 240;

char ebcdic_to_ascii(std::uint8_t c) {
  switch (c) {
    case 0x40: return ' ';
    case 0x4b: return '.';
    case 0x4c: return '<';
    case 0x4d: return '(';
    case 0x4e: return '+';
    case 0x4f: return '|';
    case 0x50: return '&';
    case 0x5a: return '!';
    case 0x5b: return '$';
    case 0x5c: return '*';
    case 0x5d: return ')';
    case 0x5e: return ';';
    case 0x60: return '-';
    case 0x61: return '/';
    case 0x6b: return ',';
    case 0x6c: return '%';
    case 0x6d: return '_';
    case 0x6e: return '>';
    case 0x6f: return '?';
    case 0x7a: return ':';
    case 0x7b: return '#';
    case 0x7c: return '@';
    case 0x7d: return '\'';
    case 0x7e: return '=';
    case 0x7f: return '"';
    default: break;
  }
  if (c >= 0x81 && c <= 0x89) return static_cast<char>('a' + (c - 0x81));
  if (c >= 0x91 && c <= 0x99) return static_cast<char>('j' + (c - 0x91));
  if (c >= 0xa2 && c <= 0xa9) return static_cast<char>('s' + (c - 0xa2));
  if (c >= 0xc1 && c <= 0xc9) return static_cast<char>('A' + (c - 0xc1));
  if (c >= 0xd1 && c <= 0xd9) return static_cast<char>('J' + (c - 0xd1));
  if (c >= 0xe2 && c <= 0xe9) return static_cast<char>('S' + (c - 0xe2));
  if (c >= 0xf0 && c <= 0xf9) return static_cast<char>('0' + (c - 0xf0));
  return ' ';
}

// The textual header as ASCII: EBCDIC when it starts with EBCDIC 'C' or most bytes are >= 0x80.
std::string textual_header(const std::uint8_t* p, std::size_t n) {
  std::size_t high = 0;
  for (std::size_t k = 0; k < n; ++k) high += p[k] >= 0x80 ? 1 : 0;
  const bool ebcdic = p[0] == 0xc3 || high > n / 2;
  std::string text(n, ' ');
  for (std::size_t k = 0; k < n; ++k) {
    const char c = ebcdic ? ebcdic_to_ascii(p[k]) : static_cast<char>(p[k]);
    text[k] = (c >= 32 && c < 127) ? c : ' ';
  }
  return text;
}

std::size_t bytes_of_format(int code) {
  switch (code) {
    case 1: case 2: case 5: case 10: return 4;
    case 3: case 11: return 2;
    case 6: return 8;
    case 8: case 16: return 1;
    default: return 0;
  }
}

const char* name_of_format(int code) {
  switch (code) {
    case 1: return "IBM float32";
    case 2: return "int32";
    case 3: return "int16";
    case 5: return "IEEE float32";
    case 6: return "IEEE float64";
    case 8: return "int8";
    case 10: return "uint32";
    case 11: return "uint16";
    case 16: return "uint8";
    default: return "unsupported";
  }
}

double sample_value(const std::uint8_t* p, int code, Endian e) {
  switch (code) {
    case 1: return ibm_to_double(load_u32(p, e));
    case 2: return static_cast<std::int32_t>(load_u32(p, e));
    case 3: return static_cast<std::int16_t>(load_u16(p, e));
    case 5: return load_f32(p, e);
    case 6: return load_f64(p, e);
    case 8: return static_cast<std::int8_t>(p[0]);
    case 10: return load_u32(p, e);
    case 11: return load_u16(p, e);
    default: return p[0];  // 16: uint8
  }
}

double apply_scalar(double value, std::int16_t scalar) {
  if (scalar > 0) return value * scalar;
  if (scalar < 0) return value / -static_cast<double>(scalar);
  return value;
}

}  // namespace

namespace vendor_detail {

VendorFile parse_segy(const ByteReader& segy, const SegyOptions& options) {
  segy.require(0, kText + kBinary, "textual and binary file headers (3600 bytes)");
  const std::string text = textual_header(segy.span(0, kText, "textual header"), kText);

  // Byte order.
  Endian e = Endian::big;
  const std::uint32_t order = segy.u32(3296, Endian::big, "byte order constant (bytes 3297-3300)");
  bool order_known = true;
  if (order == 0x01020304u) e = Endian::big;
  else if (order == 0x04030201u) e = Endian::little;
  else order_known = false;
  if (!order_known) {
    const int be_code = segy.i16(3224, Endian::big, "format code (bytes 3225-3226)");
    const int le_code = segy.i16(3224, Endian::little, "format code (bytes 3225-3226)");
    if (bytes_of_format(be_code) != 0) e = Endian::big;
    else if (bytes_of_format(le_code) != 0) e = Endian::little;
  }
  const int format = segy.i16(3224, e, "format code (bytes 3225-3226)");
  const std::size_t sample_bytes = bytes_of_format(format);
  if (sample_bytes == 0)
    segy.fail("format code (bytes 3225-3226)", "code " + std::to_string(format) +
                                                   " is not a supported sample format (1, 2, 3, 5, 6, 8, 10, 11, 16)");

  // Revision: rev 2 stores major and minor as two bytes; rev 1 as one big-endian 16-bit number 0x0100.
  int major = 0, minor = 0;
  if (e == Endian::big || order_known) {
    major = segy.u8(3500, "revision (byte 3501)");
    minor = segy.u8(3501, "revision (byte 3502)");
  } else {
    const std::uint16_t rev = segy.u16(3500, e, "revision (bytes 3501-3502)");
    major = rev >> 8;
    minor = rev & 0xff;
  }
  const std::int16_t fixed_length = segy.i16(3502, e, "fixed length trace flag (bytes 3503-3504)");
  const std::int16_t n_extended_text = segy.i16(3504, e, "number of extended textual headers (bytes 3505-3506)");
  const std::int16_t measurement = segy.i16(3254, e, "measurement system (bytes 3255-3256)");

  std::size_t n_samples = segy.u16(3220, e, "samples per trace (bytes 3221-3222)");
  double interval = segy.u16(3216, e, "sample interval (bytes 3217-3218)");
  std::uint64_t n_traces_declared = 0;
  std::uint64_t first_trace = kText + kBinary;
  if (major >= 2) {
    const std::int32_t ext_samples = segy.i32(3268, e, "extended samples per trace (bytes 3269-3272)");
    if (ext_samples < 0)
      segy.fail("extended samples per trace (bytes 3269-3272)", std::to_string(ext_samples) + " is negative");
    if (n_samples == 0 && ext_samples > 0) n_samples = static_cast<std::size_t>(ext_samples);
    const double ext_interval = segy.f64(3272, e, "extended sample interval (bytes 3273-3280)");
    if (ext_interval != 0.0) {
      bounded(ext_interval, 1e-9, 1e9, segy, "extended sample interval (bytes 3273-3280)", "file units");
      interval = ext_interval;
    }
    const std::int32_t extra_headers = segy.i32(3506, e, "additional trace headers (bytes 3507-3510)");
    if (extra_headers != 0)
      segy.fail("additional trace headers (bytes 3507-3510)",
                std::to_string(extra_headers) + " additional 240-byte trace headers per trace are not supported");
    n_traces_declared = segy.u64(3512, e, "number of traces (bytes 3513-3520)");
    const std::uint64_t offset = segy.u64(3520, e, "byte offset of first trace (bytes 3521-3528)");
    if (offset != 0) first_trace = offset;
  }
  if (first_trace < kText + kBinary)
    segy.fail("byte offset of first trace (bytes 3521-3528)", "offset " + std::to_string(first_trace) + " lies inside the file headers");

  // Extended textual headers: a count, or -1 for "until ((SEG: EndText))".
  std::string extended_text;
  if (first_trace == kText + kBinary) {
    if (n_extended_text > 0) {
      const std::size_t n = static_cast<std::size_t>(n_extended_text) * kText;
      extended_text = textual_header(segy.span(first_trace, n, "extended textual headers"), n);
      first_trace += n;
    } else if (n_extended_text == -1) {
      for (;;) {
        const std::string block = textual_header(segy.span(first_trace, kText, "extended textual header"), kText);
        extended_text += block;
        first_trace += kText;
        if (upper(block).find("((SEG: ENDTEXT))") != std::string::npos) break;
      }
    } else if (n_extended_text < -1) {
      segy.fail("number of extended textual headers (bytes 3505-3506)", std::to_string(n_extended_text) + " is negative");
    }
  }
  if (first_trace > segy.size()) segy.fail("first trace", "offset " + std::to_string(first_trace) + " lies past the end of the file");

  // Samples per trace: the binary header's, or the first trace header's where that is 0.
  const std::size_t start = static_cast<std::size_t>(first_trace);
  if (n_samples == 0) n_samples = segy.u16(start + 114, e, "trace 0 number of samples (trace bytes 115-116)");
  if (n_samples == 0) segy.fail("samples per trace (bytes 3221-3222)", "0 in the binary header and in trace 0");
  if (!(interval > 0.0)) interval = segy.u16(start + 116, e, "trace 0 sample interval (trace bytes 117-118)");
  if (!(interval > 0.0)) segy.fail("sample interval (bytes 3217-3218)", "0 in the binary header and in trace 0");

  if (n_samples > (std::size_t{1} << 24))
    segy.fail("samples per trace (bytes 3221-3222, 3269-3272)",
              std::to_string(n_samples) + " samples per trace is beyond any recording (at most 16777216)");
  const std::size_t trace_bytes = kTraceHeader + checked_product(n_samples, sample_bytes, segy, "trace size");
  const std::size_t available = segy.size() - start;
  std::size_t n_traces = 0;
  if (n_traces_declared > 0) {
    if (n_traces_declared > available / trace_bytes)
      segy.fail("number of traces (bytes 3513-3520)", std::to_string(n_traces_declared) + " traces of " +
                                                          std::to_string(trace_bytes) + " bytes do not fit in the " +
                                                          std::to_string(available) + " bytes after the headers: the file is truncated");
    n_traces = static_cast<std::size_t>(n_traces_declared);
  } else {
    n_traces = available / trace_bytes;
    if (available % trace_bytes != 0) {
      std::ostringstream msg;
      msg << available << " bytes after the headers are not a whole number of traces of " << trace_bytes
          << " bytes (240-byte header + " << n_samples << " samples x " << sample_bytes << " bytes, "
          << name_of_format(format) << "): the file is truncated or its traces differ in length";
      segy.fail("traces", msg.str());
    }
  }
  if (n_traces == 0) segy.fail("traces", "the file holds no trace");

  std::vector<float> samples(n_samples * n_traces);
  std::vector<double> positions(3 * n_traces);
  std::vector<GpsFix> gps;
  bool any_position = false;
  std::int16_t coordinate_units = 0;
  std::int16_t delay_ms = 0;
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::size_t at = start + j * trace_bytes;
    const std::string trace = "trace " + std::to_string(j);
    const std::size_t ns = segy.u16(at + 114, e, trace + " number of samples (trace bytes 115-116)");
    if (ns != 0 && ns != n_samples && n_samples < 65536)
      segy.fail(trace + " number of samples (trace bytes 115-116)",
                std::to_string(ns) + " differs from the binary header's " + std::to_string(n_samples) +
                    "; traces of different lengths do not make one B-scan");
    const std::int16_t scalar = segy.i16(at + 70, e, trace + " coordinate scalar (trace bytes 71-72)");
    const std::int16_t elevation_scalar = segy.i16(at + 68, e, trace + " elevation scalar (trace bytes 69-70)");
    const double x = apply_scalar(segy.i32(at + 72, e, trace + " source X (trace bytes 73-76)"), scalar);
    const double y = apply_scalar(segy.i32(at + 76, e, trace + " source Y (trace bytes 77-80)"), scalar);
    const double z = apply_scalar(segy.i32(at + 44, e, trace + " source elevation (trace bytes 45-48)"), elevation_scalar);
    coordinate_units = segy.i16(at + 88, e, trace + " coordinate units (trace bytes 89-90)");
    if (j == 0) delay_ms = segy.i16(at + 108, e, "trace 0 delay recording time (trace bytes 109-110)");
    if (x != 0.0 || y != 0.0 || z != 0.0) any_position = true;
    if (coordinate_units == 2 || coordinate_units == 3) {
      GpsFix fix;
      fix.trace = static_cast<double>(j);
      fix.longitude = coordinate_units == 2 ? x / 3600.0 : x;
      fix.latitude = coordinate_units == 2 ? y / 3600.0 : y;
      fix.altitude = z;
      fix.has_altitude = true;  // the elevation field (0 where the writer left it so)
      bounded(fix.latitude, -90.0, 90.0, segy, trace + " source Y as latitude (trace bytes 77-80)", "degrees");
      bounded(fix.longitude, -180.0, 180.0, segy, trace + " source X as longitude (trace bytes 73-76)", "degrees");
      gps.push_back(fix);
    } else {
      const double unit = measurement == 2 ? 0.3048 : 1.0;
      positions[3 * j] = x * unit;
      positions[3 * j + 1] = y * unit;
      positions[3 * j + 2] = z * unit;
    }
    const std::uint8_t* p = segy.span(at + kTraceHeader, n_samples * sample_bytes, trace + " samples");
    for (std::size_t i = 0; i < n_samples; ++i)
      samples[i * n_traces + j] = static_cast<float>(sample_value(p + i * sample_bytes, format, e));
  }
  const bool planar = any_position && gps.empty();

  SegyIntervalUnit unit = options.interval_unit;
  if (unit == SegyIntervalUnit::automatic) {
    const std::string up = upper(text + extended_text);
    unit = up.find("GPR") != std::string::npos || up.find("PICOSEC") != std::string::npos
               ? SegyIntervalUnit::picoseconds
               : SegyIntervalUnit::microseconds;
  }
  const double seconds_per_unit =
      unit == SegyIntervalUnit::picoseconds ? 1e-12 : unit == SegyIntervalUnit::nanoseconds ? 1e-9 : 1e-6;

  BScanMetadata meta;
  meta.dt = interval * seconds_per_unit;
  meta.t0 = unit == SegyIntervalUnit::microseconds ? delay_ms * 1e-3 : 0.0;
  double file_dx = 0.0;
  if (planar && n_traces > 1) {
    const double dx = positions[3 * (n_traces - 1)] - positions[0];
    const double dy = positions[3 * (n_traces - 1) + 1] - positions[1];
    file_dx = std::sqrt(dx * dx + dy * dy) / static_cast<double>(n_traces - 1);
  }
  bounded(meta.dt, 1e-15, 1.0, segy, "sample interval (bytes 3217-3218)", "s (in " + std::string(
      unit == SegyIntervalUnit::picoseconds ? "ps" : unit == SegyIntervalUnit::nanoseconds ? "ns" : "us") + " mode)");
  VendorFile out;
  out.format = "segy";
  meta.dx = choose_spacing(options.dx, file_dx, segy, "no trace coordinates", options.require_dx, out.dx_from);
  meta.source = "SEG-Y " + segy.file();
  check_metadata(meta, segy);

  put(out, "textual header", trim(text));
  if (!extended_text.empty()) put(out, "extended textual headers", trim(extended_text));
  put(out, "byte order", e == Endian::big ? "big-endian" : "little-endian");
  put(out, "revision", std::to_string(major) + "." + std::to_string(minor));
  put(out, "format code", std::to_string(format));
  put(out, "sample format", name_of_format(format));
  put(out, "sample interval (file units)", interval);
  put(out, "sample interval unit", unit == SegyIntervalUnit::picoseconds ? "ps" : unit == SegyIntervalUnit::nanoseconds ? "ns" : "us");
  put(out, "samples per trace", std::to_string(n_samples));
  put(out, "measurement system", std::to_string(measurement));
  put(out, "fixed length trace flag", std::to_string(fixed_length));
  put(out, "coordinate units", std::to_string(coordinate_units));
  put(out, "delay recording time", std::to_string(delay_ms));
  out.gps = std::move(gps);

  out.bscan = BScan(std::move(samples), n_samples, n_traces, meta);
  if (planar) out.bscan.positions = std::move(positions);
  if (!out.gps.empty() && out.gps.size() == n_traces) {
    // Geographic trace coordinates: onto the local tangent plane as for DZG fixes.
    out.bscan.positions = positions_from_fixes(out.gps, n_traces).xyz;
  }
  if (format == 1 || format == 5 || format == 6) check_finite(std::as_const(out.bscan).view(), ("samples of " + quoted(segy.file())).c_str());
  HistoryParameters step;
  step.add("file", segy.file())
      .add("dt", meta.dt)
      .add("t0", meta.t0)
      .add("dx", meta.dx)
      .add("dx_from", out.dx_from)
      .add("gps_fixes", out.gps.size());
  if (planar) step.add("positions", "trace headers: source X, Y, elevation (m)");
  if (!out.gps.empty() && out.gps.size() == n_traces) {
    step.add("positions", "trace headers: longitude, latitude on the WGS84 local tangent plane at trace 0: x east, y north (m), z elevation (m)")
        .add("gps_origin_latitude", out.gps.front().latitude)
        .add("gps_origin_longitude", out.gps.front().longitude);
  }
  add_read_step(out, "read_segy", step);
  return out;
}

}  // namespace vendor_detail

VendorFile read_segy(const std::string& path, const SegyOptions& options) {
  return io_detail::guard_memory(quoted(path), [&] {
    const auto bytes = read_file_bytes(path, "SEG-Y file");
    return parse_segy(ByteReader(bytes.data(), bytes.size(), path), options);
  });
}

}  // namespace gprproc
