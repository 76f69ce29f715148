#pragma once
// Stolt and phase-shift migration transform each trace along time, so they
// copy the B-scan (n_samples, n_traces; time is the slow axis) into a
// trace-major, zero-padded buffer (nx, nt). The copy is a transpose: 32 x 32
// tiles go through shared memory so that both the reads (adjacent traces of
// one sample) and the writes (adjacent samples of one trace) are coalesced,
// and the padding is written in the same pass (no separate memset).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>

namespace gprproc::cuda_backend {

constexpr int kGatherTile = 32;
constexpr int kGatherRows = 8;  // threadIdx.y; each thread moves kGatherTile / kGatherRows values

// buffer[j * nt + t] = in[n * n_traces + j] with n = (t + centre) mod nt when
// j < n_traces and n < n_samples, else 0 (rows n_traces..nx-1 are padding).
// Grid: x over time tiles, y over trace tiles (grid-stride, any nx).
static __global__ void gather_padded_traces(const float* __restrict__ in, int n_samples, int n_traces, int nt, int nx,
                                            int centre, float* __restrict__ buffer) {
  __shared__ float tile[kGatherTile][kGatherTile + 1];
  const int t0 = blockIdx.x * kGatherTile;
  for (int j0 = blockIdx.y * kGatherTile; j0 < nx; j0 += gridDim.y * kGatherTile) {
    for (int k = threadIdx.y; k < kGatherTile; k += kGatherRows) {
      const int t = t0 + k, j = j0 + threadIdx.x;
      float v = 0.0f;
      if (t < nt && j < n_traces) {
        const int n = static_cast<int>((static_cast<long long>(t) + centre) % nt);
        if (n < n_samples) v = in[static_cast<std::size_t>(n) * n_traces + j];
      }
      tile[k][threadIdx.x] = v;
    }
    __syncthreads();
    for (int k = threadIdx.y; k < kGatherTile; k += kGatherRows) {
      const int j = j0 + k, t = t0 + threadIdx.x;
      if (j < nx && t < nt) buffer[static_cast<std::size_t>(j) * nt + t] = tile[threadIdx.x][k];
    }
    __syncthreads();
  }
}

inline void launch_gather_padded_traces(const float* in, int n_samples, int n_traces, int nt, int nx, int centre,
                                        float* buffer) {
  const unsigned across = static_cast<unsigned>((nt + kGatherTile - 1) / kGatherTile);
  const unsigned down = static_cast<unsigned>(std::min((nx + kGatherTile - 1) / kGatherTile, 65535));
  gather_padded_traces<<<dim3(across, down), dim3(kGatherTile, kGatherRows)>>>(in, n_samples, n_traces, nt, nx, centre,
                                                                                buffer);
}

}  // namespace gprproc::cuda_backend
