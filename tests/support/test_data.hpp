#pragma once
// Paths of the shared test data. Tests that need it call shared_data_or_skip():
// where the folder is absent (a user's clone) they say so and end early.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

namespace gprproc_test {

inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("GPRPROC_SHARED_DATA")) return env;
  return GPRPROC_SHARED_DATA_DIR;
}

inline std::filesystem::path source_dir() { return GPRPROC_SOURCE_DIR; }

// Returns the path of a shared data file, or "" after a visible warning when
// the shared data folder is absent.
inline std::string shared_data_or_skip(const std::string& relative) {
  const auto path = shared_data_dir() / relative;
  if (!std::filesystem::exists(shared_data_dir())) {
    WARN("SKIPPED: shared test data not found at " << shared_data_dir().string()
                                                   << " (set GPRPROC_SHARED_DATA)");
    return "";
  }
  REQUIRE(std::filesystem::exists(path));  // present folder, missing file: a real failure
  return path.string();
}

}  // namespace gprproc_test
