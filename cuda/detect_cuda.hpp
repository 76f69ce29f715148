#pragma once
// CUDA backend of detection (src/detect.cpp dispatches here).
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

struct DetectStatistics {
  double median = 0.0;  // lower median of the window's envelope
  double sigma = 0.0;   // 1.4826 MAD
  double level = 0.0;   // max(median + threshold sigma, relative_threshold max)
};

// Envelope (Hilbert along rows, or |image|) of a host or device image on the
// GPU, the window's statistics, and the local maxima above the level in rows
// [r0, r1) x columns [c0, c1): their flat indices and envelope values, in
// index order.
DetectStatistics detect_peaks(ConstBScanView image, const BScanMetadata& rows_as_time, bool use_envelope,
                              std::size_t r0, std::size_t r1, std::size_t c0, std::size_t c1, double threshold,
                              double relative_threshold, std::vector<std::size_t>& indices,
                              std::vector<float>& values);

}  // namespace gprproc::cuda_backend
