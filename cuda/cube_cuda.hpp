#pragma once
// The CUDA backend of the cube-wide operations (namespace gprproc::cuda_backend).
// Host or device views, parameters already validated.
#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// out = in minus the mean over every trace of every line, per sample (summed
// in double). in == out is allowed. Non-finite input throws InvalidArgument
// before anything is written.
void subtract_cube_mean(ConstBScanStackView in, BScanStackView out);

}  // namespace gprproc::cuda_backend
