#pragma once
// CUDA backend of the field-geometry steps (include/gprproc/geometry.hpp).
// Called by src/geometry_*.cpp after validation; views may be host (staged) or
// device memory. Kernels that read a NaN/Inf sample throw InvalidArgument.
#include <cstddef>

#include "gprproc/bscan.hpp"
#include "gprproc/detail/geometry_math.hpp"
#include "gprproc/geometry.hpp"

namespace gprproc::cuda_backend {

// out (n_samples, mix.n_out()) from in; not overlapping.
void apply_trace_mix(ConstBScanView in, const TraceMix& mix, BScanView out);
// Per-trace lowest and highest sample into host arrays of n_traces.
void trace_extremes(ConstBScanView in, float* lowest, float* highest);
// Per-trace saturation counters into a host array of n_traces.
void saturation_counts(ConstBScanView in, double low, double high, double tolerance,
                       detail::SaturationCounter* counters);
// out's first in.n_samples rows become `in`, the rows below zero (out has as
// many traces as in and at least as many samples; either may be host or device).
void pad_samples(ConstBScanView in, BScanView out);

}  // namespace gprproc::cuda_backend
