// GSSI DZT: one 1024-byte header per channel, then scans of all channels
// interleaved; 8/16-bit unsigned offset-binary or 32-bit signed samples. Field
// offsets and meanings: docs/FORMAT_VENDORS.md.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

constexpr std::size_t kHeaderSize = 1024;

// The DOS-style packed date of rhb_cdt/rhb_mdt: sec/2:5 min:6 hour:5 day:5 month:4 year-1980:7.
std::string packed_date(std::uint32_t v) {
  if (v == 0) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u", 1980u + (v >> 25), (v >> 21) & 0xfu,
                (v >> 16) & 0x1fu, (v >> 11) & 0x1fu, (v >> 5) & 0x3fu, (v & 0x1fu) * 2u);
  return text;
}

// "400MHz", "MLF 40MHz", "3101D" -> Hz where the name carries a MHz figure, else 0.
double frequency_from_antenna(const std::string& name) {
  const std::string up = upper(name);
  const auto mhz = up.find("MHZ");
  if (mhz == std::string::npos) return 0.0;
  std::size_t b = mhz;
  while (b > 0 && (std::isdigit(static_cast<unsigned char>(up[b - 1])) || up[b - 1] == '.')) --b;
  double value = 0.0;
  if (b == mhz || !parse_number(up.substr(b, mhz - b), value)) return 0.0;
  return value * 1e6;
}

// ddmm.mmmm + hemisphere -> signed degrees.
bool nmea_degrees(const std::string& field, const std::string& hemisphere, double& degrees) {
  double raw = 0.0;
  if (!parse_number(field, raw) || raw < 0.0) return false;
  const double whole = std::floor(raw / 100.0);
  degrees = whole + (raw - 100.0 * whole) / 60.0;
  if (hemisphere == "S" || hemisphere == "W") degrees = -degrees;
  return true;
}

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : line) {
    if (c == ',' || c == '*') {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  return parts;
}

// DZG: "$GSSIS,<scan>,<tick>" lines, each followed by the receiver's $GPGGA
// sentence for that scan. Sentences that do not parse are skipped.
std::vector<GpsFix> parse_dzg(const ByteReader& dzg) {
  const std::string text(reinterpret_cast<const char*>(dzg.span(0, dzg.size(), "DZG text")), dzg.size());
  std::vector<GpsFix> fixes;
  bool have_scan = false;
  double scan = 0.0;
  for (const std::string& raw : split_lines(text)) {
    const std::string line = trim(raw);
    const auto parts = split_commas(line);
    if (parts[0] == "$GSSIS" && parts.size() >= 2) {
      have_scan = parse_number(parts[1], scan) && scan >= 0.0;
    } else if (have_scan && parts[0].size() == 6 && parts[0].compare(3, 3, "GGA") == 0 && parts.size() >= 10) {
      GpsFix fix;
      fix.trace = scan;
      fix.time = parts[1];
      double alt = 0.0;
      if (nmea_degrees(parts[2], parts[3], fix.latitude) && nmea_degrees(parts[4], parts[5], fix.longitude)) {
        if (parse_number(parts[9], alt)) fix.altitude = alt;
        fixes.push_back(fix);
      }
      have_scan = false;
    }
  }
  return fixes;
}

}  // namespace

namespace vendor_detail {

VendorFile parse_dzt(const ByteReader& dzt, const DztOptions& options, const ByteReader* dzg) {
  const Endian le = Endian::little;
  const std::uint16_t n_channels = dzt.u16(52, le, "rh_nchan (byte 52)");
  if (n_channels < 1 || n_channels > 16)
    dzt.fail("rh_nchan (byte 52)", "number of channels " + std::to_string(n_channels) + " is not in 1..16");
  if (options.channel < 0 || options.channel >= n_channels)
    throw InvalidArgument("channel " + std::to_string(options.channel) + " is not in 0.." +
                          std::to_string(n_channels - 1) + " (" + quoted(dzt.file()) + " holds " +
                          std::to_string(n_channels) + " channels)");
  // Every channel has its own header; the one asked for describes its samples.
  const std::size_t h = kHeaderSize * static_cast<std::size_t>(options.channel);
  dzt.require(0, kHeaderSize * n_channels, "channel headers (1024 bytes each)");
  const std::uint16_t tag = dzt.u16(h + 0, le, "rh_tag (byte 0)");
  const std::uint16_t rh_data = dzt.u16(h + 2, le, "rh_data (byte 2)");
  const std::uint16_t n_samples = dzt.u16(h + 4, le, "rh_nsamp (byte 4)");
  const std::uint16_t bits = dzt.u16(h + 6, le, "rh_bits (byte 6)");
  const std::int16_t zero = dzt.i16(h + 8, le, "rh_zero (byte 8)");
  const float scans_per_second = dzt.f32(h + 10, le, "rhf_sps (byte 10)");
  const float scans_per_metre = dzt.f32(h + 14, le, "rhf_spm (byte 14)");
  const float metres_per_mark = dzt.f32(h + 18, le, "rhf_mpm (byte 18)");
  const float position_ns = dzt.f32(h + 22, le, "rhf_position (byte 22)");
  const float range_ns = dzt.f32(h + 26, le, "rhf_range (byte 26)");
  const std::uint16_t n_passes = dzt.u16(h + 30, le, "rh_npass (byte 30)");
  const std::uint32_t created = dzt.u32(h + 32, le, "rhb_cdt (byte 32)");
  const std::uint32_t modified = dzt.u32(h + 36, le, "rhb_mdt (byte 36)");
  const std::uint16_t text_offset = dzt.u16(h + 44, le, "rh_text (byte 44)");
  const std::uint16_t text_size = dzt.u16(h + 46, le, "rh_ntext (byte 46)");
  const std::uint16_t proc_size = dzt.u16(h + 50, le, "rh_nproc (byte 50)");
  const float dielectric = dzt.f32(h + 54, le, "rhf_epsr (byte 54)");
  const float top_m = dzt.f32(h + 58, le, "rhf_top (byte 58)");
  const float depth_m = dzt.f32(h + 62, le, "rhf_depth (byte 62)");
  const std::string antenna = dzt.text(h + 98, 14, "rh_ant (byte 98)");
  const std::uint8_t version_system = dzt.u8(h + 113, "rh_version/rh_system (byte 113)");
  const std::string name = dzt.text(h + 114, 12, "rh_name (byte 114)");

  if (n_samples < 2) dzt.fail("rh_nsamp (byte 4)", "samples per scan " + std::to_string(n_samples) + " < 2");
  if (bits != 8 && bits != 16 && bits != 32)
    dzt.fail("rh_bits (byte 6)", "bits per sample " + std::to_string(bits) + " is not 8, 16 or 32");
  if (!(std::isfinite(range_ns) && range_ns > 0.0f))
    dzt.fail("rhf_range (byte 26)", "range " + number_text(range_ns) + " ns is not positive");
  if (!std::isfinite(position_ns)) dzt.fail("rhf_position (byte 22)", "position is not finite");
  if (text_size > 0) dzt.require(text_offset, text_size, "rh_text/rh_ntext (bytes 44, 46)");

  // The data offset rule (docs/FORMAT_VENDORS.md): small rh_data values count 1024-byte blocks.
  const std::size_t data_offset =
      rh_data < kHeaderSize ? kHeaderSize * rh_data : kHeaderSize * static_cast<std::size_t>(n_channels);
  if (data_offset < kHeaderSize * n_channels)
    dzt.fail("rh_data (byte 2)", "data offset " + std::to_string(data_offset) + " lies inside the channel headers");
  dzt.require(data_offset, 0, "rh_data (byte 2) data offset");
  const std::size_t bytes_per_sample = bits / 8u;
  const std::size_t trace_bytes = static_cast<std::size_t>(n_samples) * bytes_per_sample;
  const std::size_t scan_bytes = trace_bytes * n_channels;
  const std::size_t data_bytes = dzt.size() - data_offset;
  const std::size_t n_traces = data_bytes / scan_bytes;
  if (n_traces == 0) dzt.fail("data", "no complete scan after the header (" + std::to_string(data_bytes) + " bytes)");
  if (data_bytes % scan_bytes != 0) {
    std::ostringstream msg;
    msg << "data of " << data_bytes << " bytes is not a whole number of scans of " << scan_bytes << " bytes ("
        << n_samples << " samples x " << bytes_per_sample << " bytes x " << n_channels
        << " channels): the file is truncated";
    dzt.fail("data", msg.str());
  }

  std::vector<float> samples(static_cast<std::size_t>(n_samples) * n_traces);
  VendorFile out;
  out.format = "dzt";
  const std::size_t channel_offset = trace_bytes * static_cast<std::size_t>(options.channel);
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::uint8_t* p = dzt.span(data_offset + j * scan_bytes + channel_offset, trace_bytes, "scan data");
    for (std::size_t i = 0; i < n_samples; ++i) {
      double v = 0.0;
      if (bits == 8) v = static_cast<double>(p[i]) - 128.0;
      else if (bits == 16) v = static_cast<double>(load_u16(p + 2 * i, le)) - 32768.0;
      else v = static_cast<double>(static_cast<std::int32_t>(load_u32(p + 4 * i, le)));
      samples[i * n_traces + j] = static_cast<float>(v);
    }
    // Sample 1 of a scan holds the mark word: nonzero where the operator or
    // the distance encoder marked the scan.
    const std::uint32_t mark_word = bits == 8 ? p[1] : bits == 16 ? load_u16(p + 2, le) : load_u32(p + 4, le);
    if (mark_word != 0) out.marks.push_back(j);
  }

  BScanMetadata meta;
  meta.dt = static_cast<double>(range_ns) * 1e-9 / n_samples;
  meta.t0 = static_cast<double>(position_ns) * 1e-9;
  const double file_dx = std::isfinite(scans_per_metre) && scans_per_metre > 0.0f ? 1.0 / scans_per_metre : 0.0;
  meta.dx = choose_spacing(options.dx, file_dx, dzt, "rhf_spm (scans per metre) is 0: a time-triggered recording");
  meta.center_frequency = frequency_from_antenna(antenna);
  meta.source = "GSSI DZT " + dzt.file() + (antenna.empty() ? "" : " (antenna " + antenna + ")");
  check_metadata(meta, dzt);

  put(out, "rh_tag", std::to_string(tag));
  put(out, "rh_data", std::to_string(rh_data));
  put(out, "data_offset", std::to_string(data_offset));
  put(out, "rh_nsamp", std::to_string(n_samples));
  put(out, "rh_bits", std::to_string(bits));
  put(out, "rh_zero", std::to_string(zero));
  put(out, "rhf_sps", scans_per_second);
  put(out, "rhf_spm", scans_per_metre);
  put(out, "rhf_mpm", metres_per_mark);
  put(out, "rhf_position", position_ns);
  put(out, "rhf_range", range_ns);
  put(out, "rh_npass", std::to_string(n_passes));
  put(out, "created", packed_date(created));
  put(out, "modified", packed_date(modified));
  put(out, "rh_nchan", std::to_string(n_channels));
  put(out, "channel", std::to_string(options.channel));
  put(out, "rhf_epsr", dielectric);
  put(out, "rhf_top", top_m);
  put(out, "rhf_depth", depth_m);
  put(out, "rh_ant", antenna);
  put(out, "rh_version", std::to_string(version_system & 0x7u));
  put(out, "rh_system", std::to_string(version_system >> 3));
  put(out, "rh_name", name);
  put(out, "rh_nproc", std::to_string(proc_size));
  if (text_size > 0) put(out, "text", dzt.text(text_offset, text_size, "rh_text"));
  if (dzg != nullptr) out.gps = parse_dzg(*dzg);

  out.bscan = BScan(std::move(samples), n_samples, n_traces, meta);
  return out;
}

}  // namespace vendor_detail

VendorFile read_dzt(const std::string& path, const DztOptions& options) {
  const auto bytes = read_file_bytes(path, "DZT file");
  const ByteReader dzt(bytes.data(), bytes.size(), path);
  std::vector<std::uint8_t> gps_bytes;
  bool have_dzg = false;
  if (options.read_dzg) {
    try {
      const std::string dzg_path = companion_path(path, ".DZG", "GPS file");
      gps_bytes = read_file_bytes(dzg_path, "GPS file");
      have_dzg = true;
    } catch (const FileError& e) {
      if (e.code() != ErrorCode::file_not_found) throw;  // the DZG is optional
    }
  }
  const ByteReader dzg(gps_bytes.data(), gps_bytes.size(), path);
  return parse_dzt(dzt, options, have_dzg ? &dzg : nullptr);
}

}  // namespace gprproc
