#pragma once
// The processing history that travels with a B-scan or image: one step per
// operation applied, with its parameters, so a result can be reproduced from
// its file alone. Stored in HDF5 as a JSON list (docs/FORMAT.md).
#include <string>
#include <utility>
#include <vector>

namespace gprproc {

struct HistoryStep {
  std::string operation;        // e.g. "read_gprmax", "dewow", "migrate"
  std::string parameters_json;  // a JSON object text, e.g. {"window": 1e-09}
  std::string library_version;  // gprproc version that applied the step
};

using History = std::vector<HistoryStep>;

// A JSON value for one parameter, built without a JSON library in the core.
class HistoryParameters {
 public:
  HistoryParameters& add(const std::string& key, double value);
  HistoryParameters& add(const std::string& key, long long value);
  HistoryParameters& add(const std::string& key, int value) { return add(key, static_cast<long long>(value)); }
  HistoryParameters& add(const std::string& key, std::size_t value) { return add(key, static_cast<long long>(value)); }
  HistoryParameters& add(const std::string& key, bool value);
  HistoryParameters& add(const std::string& key, const std::string& value);
  HistoryParameters& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  HistoryParameters& add(const std::string& key, const std::vector<double>& values);
  std::string json() const;  // {"key": value, ...} in insertion order

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // key, JSON-encoded value
};

// Appends a step stamped with this library's version.
void append_history(History& history, const std::string& operation, const HistoryParameters& parameters);

// JSON string escaping, shared by the history writer and the I/O component.
std::string json_escape(const std::string& text);

}  // namespace gprproc
