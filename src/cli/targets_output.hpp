#pragma once
// Detection results as CSV and JSON files (written under a temporary name and
// renamed into place), and as a line of text.
#include <string>

#include "gprproc/detect.hpp"

namespace gprproc::cli {

// CSV: a header line "rank,x_m,depth_m,amplitude,snr" then one line per target.
void write_targets_csv(const std::string& path, const Detection& detection);
// JSON: {"source": ..., "rule": ..., "background_median": ..., "background_sigma": ...,
//        "level": ..., "options": {...}, "targets": [{"x": .., "depth": .., "amplitude": .., "snr": ..}, ...]}
void write_targets_json(const std::string& path, const Detection& detection, const DetectOptions& options,
                        const std::string& source);
// The targets as a printed table.
void print_targets(const Detection& detection);

}  // namespace gprproc::cli
