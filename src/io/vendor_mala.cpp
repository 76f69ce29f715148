// MALÅ RAMAC/ProEx/GX: NAME.rd3 (int16) or NAME.rd7 (int32) little-endian
// samples, trace after trace with no headers, described by NAME.rad ("KEY:value"
// lines). The dt ambiguity and our choice: docs/FORMAT_VENDORS.md.
#include <cctype>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "io/memory_guard.hpp"
#include "io/vendor_parse.hpp"

namespace gprproc {

using namespace vendor_detail;

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

Entries parse_rad(const ByteReader& rad) {
  check_text_header_size(rad);
  const std::string text = decode_text(std::string(reinterpret_cast<const char*>(rad.span(0, rad.size(), "rad text")), rad.size()));
  Entries entries;
  for (const std::string& line : split_lines(text)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    entries.emplace_back(upper(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
  return entries;
}

const std::string* find(const Entries& entries, const std::string& key) {
  for (const auto& e : entries)
    if (e.first == key) return &e.second;
  return nullptr;
}

double rad_number(const Entries& entries, const ByteReader& rad, const std::string& key, bool required) {
  const std::string* text = find(entries, key);
  if (text == nullptr) {
    if (required) rad.fail(quoted(key), "required key missing from the rad file");
    return 0.0;
  }
  double value = 0.0;
  if (!parse_number(*text, value)) rad.fail(quoted(key), "value " + quoted(*text) + " is not a number");
  return value;
}

// "500_shielded_egrip", "MLF 100MHz" -> the leading figure in MHz, else 0.
double frequency_from_antenna(const std::string& name) {
  std::size_t b = 0;
  while (b < name.size() && !std::isdigit(static_cast<unsigned char>(name[b]))) ++b;
  std::size_t e = b;
  while (e < name.size() && (std::isdigit(static_cast<unsigned char>(name[e])) || name[e] == '.')) ++e;
  double value = 0.0;
  return e > b && parse_number(name.substr(b, e - b), value) ? value * 1e6 : 0.0;
}

}  // namespace

namespace vendor_detail {

VendorFile parse_mala(const ByteReader& data, int bytes_per_sample, const ByteReader& rad, const MalaOptions& options) {
  if (bytes_per_sample != 2 && bytes_per_sample != 4)
    throw InvalidArgument("MALÅ bytes per sample must be 2 (rd3) or 4 (rd7), got " + std::to_string(bytes_per_sample));
  const Entries entries = parse_rad(rad);
  const double samples_rad = rad_number(entries, rad, "SAMPLES", true);
  if (!(samples_rad >= 1.0 && samples_rad <= 1e6 && samples_rad == std::floor(samples_rad)))
    rad.fail("\"SAMPLES\"", "value " + number_text(samples_rad) + " is not a whole number in 1 .. 1e6");
  const auto n_samples = static_cast<std::size_t>(samples_rad);
  const std::size_t trace_bytes = n_samples * static_cast<std::size_t>(bytes_per_sample);
  const std::size_t n_traces = data.size() / trace_bytes;
  if (n_traces == 0 || data.size() % trace_bytes != 0) {
    std::ostringstream msg;
    msg << "file of " << data.size() << " bytes is not a whole, non-zero number of traces of " << trace_bytes
        << " bytes (SAMPLES " << n_samples << " x " << bytes_per_sample << " bytes): the file is truncated";
    data.fail("data size", msg.str());
  }
  // LAST TRACE, where given, is the trace count; a file holding fewer is cut short.
  if (const std::string* last = find(entries, "LAST TRACE")) {
    double count = 0.0;
    if (!parse_number(*last, count)) rad.fail("\"LAST TRACE\"", "value " + quoted(*last) + " is not a number");
    if (count != static_cast<double>(n_traces)) {
      std::ostringstream msg;
      msg << "the rad file's LAST TRACE is " << *last << " but the data file holds " << n_traces << " traces"
          << (count > static_cast<double>(n_traces) ? ": the data file is truncated" : ": the files are inconsistent");
      data.fail("trace count", msg.str());
    }
  }

  std::vector<float> samples(n_samples * n_traces);
  const std::uint8_t* p = data.span(0, n_samples * n_traces * static_cast<std::size_t>(bytes_per_sample), "samples");
  for (std::size_t j = 0; j < n_traces; ++j) {
    for (std::size_t i = 0; i < n_samples; ++i) {
      const std::size_t k = j * n_samples + i;
      samples[i * n_traces + j] =
          bytes_per_sample == 2 ? static_cast<float>(static_cast<std::int16_t>(load_u16(p + 2 * k, Endian::little)))
                                : static_cast<float>(static_cast<std::int32_t>(load_u32(p + 4 * k, Endian::little)));
    }
  }

  BScanMetadata meta;
  const double window_ns = rad_number(entries, rad, "TIMEWINDOW", false);
  const double frequency_mhz = rad_number(entries, rad, "FREQUENCY", false);
  if (find(entries, "TIMEWINDOW")) bounded(window_ns, 0.0, 1e5, rad, "\"TIMEWINDOW\"", "ns");
  if (find(entries, "FREQUENCY")) bounded(frequency_mhz, 0.0, 1e6, rad, "\"FREQUENCY\"", "MHz");
  if (options.time_base == MalaTimeBase::time_window) {
    if (!(window_ns > 0.0)) rad.fail("\"TIMEWINDOW\"", "time window " + number_text(window_ns) + " ns is missing or not positive");
    meta.dt = window_ns * 1e-9 / static_cast<double>(n_samples);
  } else {
    if (!(frequency_mhz > 0.0)) rad.fail("\"FREQUENCY\"", "sampling frequency " + number_text(frequency_mhz) + " MHz is missing or not positive");
    meta.dt = 1.0 / (frequency_mhz * 1e6);
  }
  VendorFile out;
  out.format = "mala";
  const double interval = bounded(rad_number(entries, rad, "DISTANCE INTERVAL", false), 0.0, 1e4, rad,
                                  "\"DISTANCE INTERVAL\"", "m");
  meta.dx = choose_spacing(options.dx, interval, rad, "DISTANCE INTERVAL is absent or 0: a time-triggered recording",
                           options.require_dx, out.dx_from);
  meta.antenna_offset =
      bounded(rad_number(entries, rad, "ANTENNA SEPARATION", false), 0.0, 1e3, rad, "\"ANTENNA SEPARATION\"", "m");
  if (const std::string* antennas = find(entries, "ANTENNAS")) meta.center_frequency = frequency_from_antenna(*antennas);
  meta.source = "MALA " + data.file() + (find(entries, "ANTENNAS") ? " (antenna " + *find(entries, "ANTENNAS") + ")" : "");
  check_metadata(meta, rad);

  out.header = entries;
  put(out, "sample type", bytes_per_sample == 2 ? "int16" : "int32");
  out.bscan = BScan(std::move(samples), n_samples, n_traces, meta);
  HistoryParameters step;
  step.add("file", data.file())
      .add("header_file", rad.file())
      .add("time_base", options.time_base == MalaTimeBase::time_window ? "TIMEWINDOW / SAMPLES" : "1 / FREQUENCY")
      .add("dt", meta.dt)
      .add("dx", meta.dx)
      .add("dx_from", out.dx_from);
  add_read_step(out, "read_mala", step);
  return out;
}

}  // namespace vendor_detail

VendorFile read_mala(const std::string& path, const MalaOptions& options) {
  return io_detail::guard_memory(quoted(path), [&] {
    const std::string ext = upper(std::filesystem::path(path).extension().string());
    if (ext != ".RD3" && ext != ".RD7")
      throw InvalidArgument(quoted(path) + " is not a MALÅ data file: expected the extension .rd3 (int16) or .rd7 (int32)");
    const auto data = read_file_bytes(path, "MALA data file");
    const std::string rad_path = companion_path(path, ".rad", "header file");
    const auto rad = read_file_bytes(rad_path, "header file");
    return parse_mala(ByteReader(data.data(), data.size(), path), ext == ".RD3" ? 2 : 4,
                      ByteReader(rad.data(), rad.size(), rad_path), options);
  });
}

}  // namespace gprproc
