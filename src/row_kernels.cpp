#include "row_kernels.hpp"

namespace gprproc::row_kernels {

GPRPROC_ROW_KERNEL void row_axpy(float* __restrict out, const float* __restrict a, float wa, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += wa * a[i];
}

}  // namespace gprproc::row_kernels
