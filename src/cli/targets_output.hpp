#pragma once
// Detection results as the text of CSV and JSON files (written by the caller
// through the output writer), and as a printed table.
#include <string>

#include "gprproc/detect.hpp"

namespace gprproc::cli {

// CSV: a header line "rank,x_m,depth_m,amplitude,snr" then one line per target.
std::string targets_csv(const Detection& detection);
// JSON: {"source": ..., "rule": ..., "background_median": ..., "background_sigma": ...,
//        "level": ..., "options": {...}, "targets": [{"x": .., "depth": .., "amplitude": .., "snr": ..}, ...]}
std::string targets_json(const Detection& detection, const DetectOptions& options, const std::string& source);
// The targets as a printed table.
void print_targets(const Detection& detection);

}  // namespace gprproc::cli
