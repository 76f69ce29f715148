// What the vendor readers share: spacing choice, metadata checks, header entries.
#include <algorithm>
#include <cmath>

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
  std::vector<std::string> seen;
  for (const auto& entry : out.header) {
    std::string key = entry.first;
    for (int n = 2; std::find(seen.begin(), seen.end(), key) != seen.end(); ++n) key = entry.first + " (" + std::to_string(n) + ")";
    seen.push_back(key);
    parameters.add(key, entry.second);
  }
  append_history(out.bscan.history, operation, parameters);
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
