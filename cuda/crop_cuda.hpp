#pragma once
// CUDA backend of crop (include/gprproc/crop.hpp), called by src/crop.cpp after
// validation: a window of a row-major (n_samples, n_traces) array copied into
// a contiguous (rows, columns) one.
#include <cstddef>

#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// out(i, j) = in(first_sample + i, first_trace + j * trace_step) for i < out.n_samples,
// j < out.n_traces. A unit step is one cudaMemcpy2D (host or device on either
// side); a larger step gathers with a kernel (both views in device memory).
void crop(ConstBScanView in, std::size_t first_sample, std::size_t first_trace, std::size_t trace_step,
          BScanView out);

}  // namespace gprproc::cuda_backend
