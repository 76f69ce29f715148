#include "row_kernels.hpp"

namespace gprproc::row_kernels {

GPRPROC_ROW_KERNEL void row_axpy(float* __restrict out, const float* __restrict a, float wa, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += wa * a[i];
}

void traces_to_columns(const float* samples, std::size_t ns, std::size_t nt, std::size_t j0, std::size_t width,
                       float* columns, std::size_t stride, std::size_t offset) {
  for (std::size_t i = 0; i < ns; ++i) {
    const float* row = samples + i * nt + j0;
    for (std::size_t l = 0; l < width; ++l) columns[l * stride + offset + i] = row[l];
  }
}

void columns_to_traces(const float* columns, std::size_t stride, std::size_t ns, std::size_t nt, std::size_t j0,
                       std::size_t width, float* samples) {
  for (std::size_t i = 0; i < ns; ++i) {
    float* row = samples + i * nt + j0;
    for (std::size_t l = 0; l < width; ++l) row[l] = columns[l * stride + i];
  }
}

}  // namespace gprproc::row_kernels
