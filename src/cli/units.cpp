#include "units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

#include "gprproc/error.hpp"

namespace gprproc::cli {

namespace {
const std::map<std::string, double>& units_of(Quantity kind) {
  static const std::map<std::string, double> time{{"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}};
  static const std::map<std::string, double> length{{"m", 1.0}, {"cm", 1e-2}, {"mm", 1e-3}, {"km", 1e3}};
  static const std::map<std::string, double> velocity{
      {"m/s", 1.0}, {"m/ns", 1e9}, {"cm/ns", 1e7}, {"mm/ns", 1e6}, {"m/us", 1e6}};
  static const std::map<std::string, double> frequency{{"hz", 1.0}, {"khz", 1e3}, {"mhz", 1e6}, {"ghz", 1e9}};
  static const std::map<std::string, double> number{};
  switch (kind) {
    case Quantity::time: return time;
    case Quantity::length: return length;
    case Quantity::velocity: return velocity;
    case Quantity::frequency: return frequency;
    case Quantity::number: return number;
  }
  return number;
}

std::string accepted(Quantity kind) {
  std::string list;
  for (const auto& [name, factor] : units_of(kind)) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "a plain number" : list;
}
}  // namespace

double parse_quantity(const std::string& text, Quantity kind, const std::string& option) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(value))
    throw InvalidArgument("option " + option + ": '" + text + "' is not a number (units accepted: " + accepted(kind) + ")");
  std::string unit(end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front()))) unit.erase(unit.begin());
  if (unit.empty()) return value;
  std::string key = unit;
  if (kind == Quantity::frequency)
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto& table = units_of(kind);
  const auto found = table.find(key);
  if (found == table.end())
    throw InvalidArgument("option " + option + ": unknown unit '" + unit + "' in '" + text + "' (accepted: " +
                          accepted(kind) + ")");
  return value * found->second;
}

}  // namespace gprproc::cli
