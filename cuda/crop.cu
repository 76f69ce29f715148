// Crop on the GPU: a pitched copy (cudaMemcpy2D) of the window's rows, or a
// gather kernel when the trace step is above one.
#include "crop_cuda.hpp"
#include "cuda_check.hpp"
#include "launch_size.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr unsigned int kThreads = 256;

// Rows in blockIdx.y (grid-stride), kept columns in x.
__global__ void gather_kernel(const float* __restrict__ in, std::size_t in_pitch, std::size_t first_trace,
                              std::size_t step, std::size_t rows, std::size_t columns, float* __restrict__ out) {
  for (std::size_t i = blockIdx.y; i < rows; i += gridDim.y) {
    const float* row = in + i * in_pitch + first_trace;
    for (std::size_t j = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; j < columns;
         j += static_cast<std::size_t>(gridDim.x) * blockDim.x)
      out[i * columns + j] = row[j * step];
  }
}

}  // namespace

void crop(ConstBScanView in, std::size_t first_sample, std::size_t first_trace, std::size_t trace_step,
          BScanView out) {
  const std::size_t rows = out.n_samples, columns = out.n_traces;
  const float* source = in.samples + first_sample * in.n_traces;
  if (trace_step == 1) {
    // cudaMemcpyDefault: host or device memory on either side (unified addressing).
    GPRPROC_CUDA_CHECK(cudaMemcpy2D(out.samples, columns * sizeof(float), source + first_trace,
                                    in.n_traces * sizeof(float), columns * sizeof(float), rows, cudaMemcpyDefault));
    return;
  }
  const unsigned int x_blocks = blocks_for(columns, kThreads);
  const unsigned int y_blocks = static_cast<unsigned int>(rows < 65535 ? rows : 65535);
  gather_kernel<<<dim3(x_blocks, y_blocks), kThreads>>>(source, in.n_traces, first_trace, trace_step, rows, columns,
                                                         out.samples);
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
}

}  // namespace gprproc::cuda_backend
