#pragma once
// Numbered gprMax series: runs/scene1.out ... runs/sceneN.out, one trace each.
#include <optional>
#include <string>
#include <vector>

namespace gprproc::io_detail {

struct GprMaxSeries {
  std::string stem;                // "runs/scene"
  std::vector<std::string> files;  // scene1.out ... sceneN.out, in numeric order
};

// The series `path` names, or nullopt when it names a single file. `path` is
// "dir/name" (not a file, with dir/name1.out present) or "dir/name1.out" (with
// dir/name2.out present). Files must run 1..N without gaps (file_not_found
// naming the first missing one).
std::optional<GprMaxSeries> find_gprmax_series(const std::string& path);

}  // namespace gprproc::io_detail
