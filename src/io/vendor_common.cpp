// What the vendor readers share: spacing choice, metadata checks, header entries.
#include <cmath>
#include <unordered_map>

#include "io/vendor_parse.hpp"

namespace gprproc {

std::string VendorFile::header_value(const std::string& key) const {
  for (const auto& entry : header)
    if (entry.first == key) return entry.second;
  return "";
}

namespace vendor_detail {

double choose_spacing(double from_options, double from_file, const ByteReader& file, const std::string& why_missing,
                      bool require_dx, std::string& dx_from) {
  if (!std::isfinite(from_options) || from_options < 0.0)
    throw InvalidArgument("dx must be positive (m) or 0 to take it from the file, got " + number_text(from_options));
  if (from_options > 0.0) {
    dx_from = "caller";
    return from_options;
  }
  if (std::isfinite(from_file) && from_file > 0.0) {
    dx_from = "file";
    return from_file;
  }
  if (!require_dx) {
    dx_from = "none";
    return 1.0;
  }
  throw InvalidArgument(quoted(file.file()) + " holds no trace spacing (" + why_missing +
                        "); pass dx (m) to the reader");
}

void add_read_step(VendorFile& out, const std::string& operation, HistoryParameters parameters) {
  constexpr std::size_t max_value = 65536;  // a SEG-Y textual header is 3200 bytes per block
  std::unordered_map<std::string, std::size_t> seen;
  for (const auto& entry : out.header) {
    const std::size_t n = ++seen[entry.first];
    const std::string key = n == 1 ? entry.first : entry.first + " (" + std::to_string(n) + ")";
    if (entry.second.size() <= max_value) {
      parameters.add(key, entry.second);
    } else {  // the whole value stays in VendorFile::header; the history says it was cut
      parameters.add(key, entry.second.substr(0, max_value) + "... (" + std::to_string(entry.second.size()) +
                              " bytes, cut to " + std::to_string(max_value) + " in the history)");
    }
  }
  append_history(out.bscan.history, operation, parameters);
}

void check_text_header_size(const ByteReader& header) {
  if (header.size() > max_text_header_bytes)
    header.fail("text header", std::to_string(header.size()) + " bytes is more than the " +
                                   std::to_string(max_text_header_bytes) + " any real header holds");
}

void check_metadata(const BScanMetadata& metadata, const ByteReader& file) {
  try {
    validate(metadata);
  } catch (const InvalidArgument& e) {
    file.fail("header", std::string("metadata from the header is invalid: ") + e.what());
  }
}

void put(VendorFile& out, const std::string& key, const std::string& value) { out.header.emplace_back(key, value); }
void put(VendorFile& out, const std::string& key, double value) { out.header.emplace_back(key, number_text(value)); }

}  // namespace vendor_detail
}  // namespace gprproc
