#pragma once
// Launch-size arithmetic shared by the CUDA kernels' host code.
#include <cstddef>

namespace gprproc::cuda_backend {

// Blocks of `threads` that cover `count` items (the last one partly).
inline unsigned int blocks_for(std::size_t count, unsigned int threads) {
  return static_cast<unsigned int>((count + threads - 1) / threads);
}

}  // namespace gprproc::cuda_backend
