// GSSI DZT: one 1024-byte header per channel, then scans of all channels
// interleaved; 8/16-bit unsigned offset-binary or 32-bit signed samples. Field
// offsets and meanings: docs/FORMAT_VENDORS.md.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "io/vendor_gps.hpp"
#include "io/memory_guard.hpp"
#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

constexpr std::size_t kHeaderSize = 1024;
// Words at the start of every scan that hold no radar sample: a scan counter
// and the mark word (readgssi and RGPR drop them as well; docs/FORMAT_VENDORS.md).
constexpr std::size_t kHeaderSamples = 2;

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
  dzt.require(0, kHeaderSize * n_channels, "channel headers (1024 bytes each, rh_nchan " + std::to_string(n_channels) + ")");
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

  // Each scan starts with kHeaderSamples words that are not radar samples.
  if (n_samples <= kHeaderSamples)
    dzt.fail("rh_nsamp (byte 4)", "samples per scan " + std::to_string(n_samples) + " leave no radar sample after the " +
                                      std::to_string(kHeaderSamples) + " header samples of each scan");
  if (bits != 8 && bits != 16 && bits != 32)
    dzt.fail("rh_bits (byte 6)", "bits per sample " + std::to_string(bits) + " is not 8, 16 or 32");
  // Plausible ranges (docs/FORMAT_VENDORS.md): wide enough for every GSSI
  // system, narrow enough that a damaged header is not read as data.
  bounded(range_ns, 0.01, 1e5, dzt, "rhf_range (byte 26)", "ns");
  bounded(position_ns, -1e5, 1e5, dzt, "rhf_position (byte 22)", "ns");
  bounded(scans_per_second, 0.0, 1e6, dzt, "rhf_sps (byte 10)", "scans/s");
  bounded(scans_per_metre, 0.0, 1e5, dzt, "rhf_spm (byte 14)", "scans/m");
  bounded(metres_per_mark, 0.0, 1e6, dzt, "rhf_mpm (byte 18)", "m");
  bounded(dielectric, 0.0, 1000.0, dzt, "rhf_epsr (byte 54)", "");
  bounded(top_m, -1e6, 1e6, dzt, "rhf_top (byte 58)", "m");
  bounded(depth_m, -1e6, 1e6, dzt, "rhf_depth (byte 62)", "m");
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

  const std::size_t n_radar = n_samples - kHeaderSamples;
  std::vector<float> samples(n_radar * n_traces);  // at most 4 x the file's bytes
  VendorFile out;
  out.format = "dzt";
  const std::size_t channel_offset = trace_bytes * static_cast<std::size_t>(options.channel);
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::uint8_t* p = dzt.span(data_offset + j * scan_bytes + channel_offset, trace_bytes, "scan data");
    for (std::size_t i = kHeaderSamples; i < n_samples; ++i) {
      double v = 0.0;
      if (bits == 8) v = static_cast<double>(p[i]) - 128.0;
      else if (bits == 16) v = static_cast<double>(load_u16(p + 2 * i, le)) - 32768.0;
      else v = static_cast<double>(static_cast<std::int32_t>(load_u32(p + 4 * i, le)));
      samples[(i - kHeaderSamples) * n_traces + j] = static_cast<float>(v);
    }
    // Sample 1 of a scan holds the mark word: nonzero where the operator or
    // the distance encoder marked the scan (sample 0 is a scan counter).
    const std::uint32_t mark_word = bits == 8 ? p[1] : bits == 16 ? load_u16(p + 2, le) : load_u32(p + 4, le);
    if (mark_word != 0) out.marks.push_back(j);
  }

  BScanMetadata meta;
  meta.dt = static_cast<double>(range_ns) * 1e-9 / n_samples;
  // rhf_position is the time of the scan's first word; the first radar sample
  // kept is word kHeaderSamples.
  meta.t0 = static_cast<double>(position_ns) * 1e-9 + static_cast<double>(kHeaderSamples) * meta.dt;
  const double file_dx = scans_per_metre > 0.0f ? 1.0 / scans_per_metre : 0.0;
  meta.dx = choose_spacing(options.dx, file_dx, dzt, "rhf_spm (scans per metre) is 0: a time-triggered recording",
                           options.require_dx, out.dx_from);
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
  put(out, "marks", std::to_string(out.marks.size()));

  out.bscan = BScan(std::move(samples), n_radar, n_traces, meta);
  out.bscan.marks = out.marks;
  HistoryParameters step;
  step.add("file", dzt.file())
      .add("header_samples_removed", static_cast<long long>(kHeaderSamples))
      .add("dt", meta.dt)
      .add("t0", meta.t0)
      .add("dx", meta.dx)
      .add("dx_from", out.dx_from);
  if (dzg != nullptr) {
    const DzgFixes gps = parse_dzg(*dzg);
    out.gps = gps.fixes;
    step.add("dzg_fixes", gps.fixes.size()).add("dzg_sentences_skipped", gps.skipped);
    put(out, "dzg fixes", std::to_string(gps.fixes.size()));
    put(out, "dzg sentences skipped", std::to_string(gps.skipped));
    if (!gps.fixes.empty()) {
      const TracePositions positions = positions_from_fixes(gps.fixes, n_traces);
      out.bscan.positions = positions.xyz;
      step.add("positions", "GPS (DZG) on the WGS84 local tangent plane at the first fix: x east, y north (m), z altitude (m)")
          .add("gps_origin_latitude", positions.origin_latitude)
          .add("gps_origin_longitude", positions.origin_longitude)
          .add("gps_altitude", positions.altitude)
          .add("gps_traces_before_first_fix", positions.before_first)
          .add("gps_traces_after_last_fix", positions.after_last);
    }
  }
  add_read_step(out, "read_dzt", step);
  return out;
}

}  // namespace vendor_detail

VendorFile read_dzt(const std::string& path, const DztOptions& options) {
  return io_detail::guard_memory(quoted(path), [&] {
    const auto bytes = read_file_bytes(path, "DZT file");
    const ByteReader dzt(bytes.data(), bytes.size(), path);
    std::vector<std::uint8_t> gps_bytes;
    std::string dzg_path;
    bool have_dzg = false;
    if (options.read_dzg) {
      try {
        dzg_path = companion_path(path, ".DZG", "GPS file");
        gps_bytes = read_file_bytes(dzg_path, "GPS file");
        have_dzg = true;
      } catch (const FileError& e) {
        if (e.code() != ErrorCode::file_not_found) throw;  // the DZG is optional
      }
    }
    const ByteReader dzg(gps_bytes.data(), gps_bytes.size(), dzg_path);
    return parse_dzt(dzt, options, have_dzg ? &dzg : nullptr);
  });
}

}  // namespace gprproc
