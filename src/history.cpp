#include "gprproc/history.hpp"

#include <cmath>
#include <cstdio>

#include "gprproc/version.hpp"

namespace gprproc {

std::string json_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {
std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";  // JSON has no NaN/Inf
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);  // round-trips a double exactly
  return buf;
}
}  // namespace

HistoryParameters& HistoryParameters::add(const std::string& key, double value) {
  entries_.emplace_back(key, json_number(value));
  return *this;
}
HistoryParameters& HistoryParameters::add(const std::string& key, long long value) {
  entries_.emplace_back(key, std::to_string(value));
  return *this;
}
HistoryParameters& HistoryParameters::add(const std::string& key, bool value) {
  entries_.emplace_back(key, value ? "true" : "false");
  return *this;
}
HistoryParameters& HistoryParameters::add(const std::string& key, const std::string& value) {
  entries_.emplace_back(key, "\"" + json_escape(value) + "\"");
  return *this;
}
HistoryParameters& HistoryParameters::add(const std::string& key, const std::vector<double>& values) {
  std::string list = "[";
  for (std::size_t i = 0; i < values.size(); ++i) list += (i ? ", " : "") + json_number(values[i]);
  entries_.emplace_back(key, list + "]");
  return *this;
}

std::string HistoryParameters::json() const {
  std::string out = "{";
  for (std::size_t i = 0; i < entries_.size(); ++i)
    out += (i ? ", \"" : "\"") + json_escape(entries_[i].first) + "\": " + entries_[i].second;
  return out + "}";
}

void append_history(History& history, const std::string& operation, const HistoryParameters& parameters) {
  history.push_back({operation, parameters.json(), version_string});
}

}  // namespace gprproc
