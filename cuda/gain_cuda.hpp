#pragma once
// CUDA backend of the gains (include/gprproc/gain.hpp), called by src/gain.cpp
// after validation. Views may be host (staged) or device memory.
#include <cstddef>

#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// out = in * gain (divide: in / gain); gain of shape (n_samples, 1) or that of in.
void apply_gain(ConstBScanView in, ConstBScanView gain, bool divide, BScanView out);
// AGC with half-width h and floor fraction; gain may have a null pointer.
void agc(ConstBScanView in, std::size_t half_width, double floor, BScanView out, BScanView gain);

}  // namespace gprproc::cuda_backend
