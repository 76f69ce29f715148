#pragma once
// The CPU backend of background removal (internal to src/): host views only,
// parameters already validated by src/background.cpp.
#include <cstddef>
#include <vector>

#include "gprproc/background.hpp"

#if defined(_OPENMP)
#define GPRPROC_BACKGROUND_PRAGMA(x) _Pragma(#x)
#else
#define GPRPROC_BACKGROUND_PRAGMA(x)
#endif

namespace gprproc::cpu_backend {

// Returns false when a row sum is not finite (a NaN/Inf sample); the output is
// then unspecified and the caller reports the sample (check_finite).
bool subtract_mean_trace(ConstBScanView in, BScanView out);
void subtract_moving_mean(ConstBScanView in, std::size_t window_traces, BScanView out);
void subtract_moving_median(ConstBScanView in, std::size_t window_traces, BScanView out);

std::vector<double> singular_values(ConstBScanView in);
// Removes components first..last (1-based); with `automatic` chooses last
// (first is then 1). Returns the last component removed.
std::size_t remove_components(ConstBScanView in, std::size_t first, std::size_t last, bool automatic,
                              std::size_t max_automatic_rank, BScanView out);

// low_rank and sparse: host buffers of in.size() floats (may alias `in`).
BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, float* low_rank, float* sparse);

}  // namespace gprproc::cpu_backend
