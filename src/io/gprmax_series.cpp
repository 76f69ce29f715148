#include "io/gprmax_series.hpp"

#include <filesystem>
#include <map>

#include "gprproc/error.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

namespace {
// The run number of `name` = stem + digits + ".out" (no leading zeros), else 0.
unsigned long run_number(const std::string& name, const std::string& stem) {
  const std::string suffix = ".out";
  if (name.size() <= stem.size() + suffix.size() || name.compare(0, stem.size(), stem) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  const std::string digits = name.substr(stem.size(), name.size() - stem.size() - suffix.size());
  if (digits.empty() || digits.size() > 9 || digits[0] == '0') return 0;
  for (char c : digits)
    if (c < '0' || c > '9') return 0;
  return std::stoul(digits);
}
}  // namespace

std::optional<GprMaxSeries> find_gprmax_series(const std::string& path) {
  std::error_code ec;
  const fs::path given(path);
  const fs::path folder = given.has_parent_path() ? given.parent_path() : fs::path(".");
  std::string stem = given.filename().string();
  if (fs::is_regular_file(given, ec)) {
    // "name1.out" starts a series only when "name2.out" is beside it.
    if (run_number(stem, stem.substr(0, stem.size() >= 5 ? stem.size() - 5 : 0)) != 1) return std::nullopt;
    stem = stem.substr(0, stem.size() - 5);
    if (!stem.empty() && stem.back() >= '0' && stem.back() <= '9') return std::nullopt;
    if (!fs::is_regular_file(folder / (stem + "2.out"), ec)) return std::nullopt;
  } else if (stem.empty() || !fs::is_regular_file(folder / (stem + "1.out"), ec)) {
    return std::nullopt;
  }

  std::map<unsigned long, std::string> runs;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    const unsigned long number = run_number(name, stem);
    if (number > 0 && entry.is_regular_file(ec)) runs[number] = entry.path().string();
  }
  GprMaxSeries series;
  series.stem = (folder / stem).string();
  unsigned long expected = 1;
  for (const auto& [number, file] : runs) {
    if (number != expected) {
      throw FileError(ErrorCode::file_not_found,
                      "numbered gprMax series " + series.stem + "1.out ... " + series.stem + std::to_string(runs.rbegin()->first) +
                          ".out is incomplete: " + (folder / (stem + std::to_string(expected) + ".out")).string() +
                          " is missing");
    }
    series.files.push_back(file);
    ++expected;
  }
  return series;
}

}  // namespace gprproc::io_detail
