// Velocity scan on the GPU: the Kirchhoff sums of the stack A, the energy E
// (the squared B-scan) and the weight W (a B-scan of ones) per velocity, all
// in device memory, and the focus sums of detail::semblance_focus_terms
// reduced on the device (docs/MIGRATION.md, "Velocity analysis").
#include <cuda_runtime.h>

#include <cub/block/block_reduce.cuh>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/velocity_math.hpp"
#include "velocity_scan_cuda.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr int kThreads = 256;

__global__ void square_and_ones_kernel(const float* in, std::size_t n, float* squared, float* ones) {
  for (std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; k < n;
       k += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    squared[k] = in[k] * in[k];
    ones[k] = 1.0f;
  }
}

// sums[0] += sum of the weighted terms, sums[1] += sum of A^2 (pixels with W E > 0).
__global__ void focus_sums_kernel(const float* stack, const float* energy, const float* weight, std::size_t n,
                                  double* sums) {
  using Reduce = cub::BlockReduce<double, kThreads>;
  __shared__ typename Reduce::TempStorage storage;
  double weighted = 0.0, total = 0.0;
  for (std::size_t k = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; k < n;
       k += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const detail::FocusTerms t = detail::semblance_focus_terms(stack[k], energy[k], weight[k]);
    weighted += t.weighted;
    total += t.total;
  }
  weighted = Reduce(storage).Sum(weighted);
  __syncthreads();
  total = Reduce(storage).Sum(total);
  if (threadIdx.x == 0) {
    atomicAdd(sums, weighted);
    atomicAdd(sums + 1, total);
  }
}

unsigned grid_for(std::size_t n) {
  const std::size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 1024 ? blocks : 1024);
}

}  // namespace

std::vector<double> velocity_scan_focus(const BScan& in, const std::vector<double>& velocities,
                                        const DepthAxis& depth_axis, const KirchhoffOptions& options) {
  const std::size_t n = in.size(), ns = in.n_samples(), nt = in.n_traces();
  DeviceBuffer<float> samples(n), squared(n), ones(n);
  samples.copy_from_host(in.data(), n);
  square_and_ones_kernel<<<grid_for(n), kThreads>>>(samples.get(), n, squared.get(), ones.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  const ConstBScanView views[3] = {{samples.get(), ns, nt, Memory::device},
                                   {squared.get(), ns, nt, Memory::device},
                                   {ones.get(), ns, nt, Memory::device}};
  DeviceBuffer<float> images[3];
  DeviceBuffer<double> sums(2);
  std::vector<double> focus(velocities.size());
  for (std::size_t vi = 0; vi < velocities.size(); ++vi) {
    const KirchhoffPlan plan(in.metadata, ns, nt, VelocityModel::constant(velocities[vi]), depth_axis, options,
                             Device::cuda);
    const std::size_t pixels = plan.n_z() * plan.n_x();
    for (int k = 0; k < 3; ++k) {
      if (images[k].size() != pixels) images[k] = DeviceBuffer<float>(pixels);
      plan.execute(views[k], BScanView{images[k].get(), plan.n_z(), plan.n_x(), Memory::device});
    }
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(sums.get(), 0, 2 * sizeof(double)));
    focus_sums_kernel<<<grid_for(pixels), kThreads>>>(images[0].get(), images[1].get(), images[2].get(), pixels,
                                                      sums.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    double host[2] = {0.0, 0.0};
    GPRPROC_CUDA_CHECK(cudaMemcpy(host, sums.get(), sizeof(host), cudaMemcpyDeviceToHost));
    focus[vi] = host[1] > 0.0 ? host[0] / host[1] : 0.0;
  }
  return focus;
}

}  // namespace gprproc::cuda_backend
