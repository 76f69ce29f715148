#include "io/history_json.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "gprproc/error.hpp"

namespace gprproc::io_detail {

using Json = nlohmann::ordered_json;  // keeps parameters in the order they were added

namespace {
// Mirrors HistoryParameters::json(): ", " between items, ": " after keys,
// doubles printed with 17 significant digits.
std::string canonical(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        out += (first ? "\"" : ", \"") + json_escape(it.key()) + "\": " + canonical(it.value());
        first = false;
      }
      return out + "}";
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + canonical(value[i]);
      return out + "]";
    }
    case Json::value_t::string: return "\"" + json_escape(value.get<std::string>()) + "\"";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(value.get<long long>());
    case Json::value_t::number_unsigned: return std::to_string(value.get<unsigned long long>());
    case Json::value_t::number_float: {
      const double number = value.get<double>();
      if (!std::isfinite(number)) return "null";
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", number);
      return buffer;
    }
    default: return "null";
  }
}
}  // namespace

std::string history_to_json(const History& history) {
  Json list = Json::array();
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryStep& step = history[i];
    Json parameters = Json::object();
    if (!step.parameters_json.empty()) {
      const std::string problem =
          json_bounds_problem(step.parameters_json, max_history_json_bytes, max_history_json_depth);
      if (!problem.empty())
        throw InvalidArgument("history step " + std::to_string(i) + " ('" + step.operation + "') parameters " +
                              problem);
      parameters = Json::parse(step.parameters_json, nullptr, /*allow_exceptions=*/false);
      if (!parameters.is_object()) {
        throw InvalidArgument("history step " + std::to_string(i) + " ('" + step.operation +
                              "') has parameters that are not a JSON object: " + step.parameters_json);
      }
    }
    Json entry = Json::object();
    entry["operation"] = step.operation;
    entry["parameters"] = std::move(parameters);
    entry["library_version"] = step.library_version;
    list.push_back(std::move(entry));
  }
  // Invalid UTF-8 in a string is replaced rather than failing the whole write.
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string json_bounds_problem(const std::string& text, std::size_t max_bytes, std::size_t max_depth) {
  if (text.size() > max_bytes) {
    return "holds " + std::to_string(text.size()) + " bytes of JSON, more than the " + std::to_string(max_bytes) +
           " bytes allowed";
  }
  // Brackets outside strings give the nesting depth; nlohmann's printer and our
  // canonical() recurse per level, so a deeply nested text must not reach them.
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return "nests JSON more than " + std::to_string(max_depth) + " levels deep (at byte " + std::to_string(k) +
               ")";
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return "";
}

History history_from_json(const std::string& text, const std::string& where) {
  const std::string problem = json_bounds_problem(text, max_history_json_bytes, max_history_json_depth);
  if (!problem.empty())
    throw FileError(ErrorCode::file_format, where + " " + problem + "; a history is a list of flat steps");
  const Json list = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  const std::string expected =
      "; expected a JSON list of {\"operation\", \"parameters\", \"library_version\"} objects";
  if (list.is_discarded()) throw FileError(ErrorCode::file_format, where + " is not valid JSON" + expected);
  if (!list.is_array()) throw FileError(ErrorCode::file_format, where + " is not a JSON list" + expected);
  History history;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    const std::string step = where + " step " + std::to_string(i);
    if (!entry.is_object()) throw FileError(ErrorCode::file_format, step + " is not a JSON object" + expected);
    HistoryStep out;
    const auto operation = entry.find("operation");
    if (operation == entry.end() || !operation->is_string())
      throw FileError(ErrorCode::file_format, step + " has no \"operation\" string" + expected);
    out.operation = operation->get<std::string>();
    const auto parameters = entry.find("parameters");
    if (parameters == entry.end() || parameters->is_null()) {
      out.parameters_json = "{}";
    } else if (parameters->is_object()) {
      out.parameters_json = canonical(*parameters);
    } else {
      throw FileError(ErrorCode::file_format, step + " has \"parameters\" that are not a JSON object" + expected);
    }
    const auto version = entry.find("library_version");
    if (version != entry.end() && version->is_string()) out.library_version = version->get<std::string>();
    history.push_back(std::move(out));
  }
  return history;
}

}  // namespace gprproc::io_detail
