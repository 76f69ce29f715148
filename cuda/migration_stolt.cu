// Stolt migration on the GPU with cuFFT: the same steps, layouts and mapping
// math as src/migration_stolt.cpp (see its comments), plans made once.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <cmath>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"
#include "offset_remap.hpp"
#include "padded_trace_gather.hpp"

namespace gprproc::cuda_backend {
namespace {

// One thread per kz bin m, grid rows over kx (grid-stride: nx may exceed the
// 65535 grid rows); the point's math is detail::stolt_map_point, as the CPU.
__global__ void stolt_map(const cufftComplex* __restrict__ spectrum, int nk, int nx, int nzk, int nz, double dx,
                          double dz, float half_velocity, detail::StoltMapConstants c, double time_origin_shift,
                          double z0, double datum_height, cufftComplex* __restrict__ image) {
  const int m = blockIdx.x * blockDim.x + threadIdx.x;
  if (m >= nzk) return;
  const double two_pi = 2.0 * 3.14159265358979323846;
  const float kz = static_cast<float>(two_pi * m / (static_cast<double>(nz) * dz));
  for (int a = blockIdx.y; a < nx; a += gridDim.y) {
    const int signed_a = 2 * a < nx ? a : a - nx;  // nx = 1: kx = 0
    const float kx = static_cast<float>(two_pi * signed_a / (static_cast<double>(nx) * dx));
    const float omega = detail::stolt_frequency(kx, kz, half_velocity);
    const float f = omega * c.bins_per_omega;
    const int mirror = (nx - a) % nx;
    detail::StoltValue value{0.0f, 0.0f};
    if (m > 0 && f <= c.f_max)
      value = detail::stolt_map_point(reinterpret_cast<const float*>(spectrum + static_cast<size_t>(a) * nk),
                                      reinterpret_cast<const float*>(spectrum + static_cast<size_t>(mirror) * nk),
                                      c.taps, f, omega, kx, kz, time_origin_shift, z0, datum_height, c.amplitude);
    image[static_cast<size_t>(a) * nzk + m] = make_float2(value.re, value.im);
  }
}

// columns (n_traces, nz) -> out (n_z, n_traces), with the inverse FFTs' 1 / (nx nz):
// a transpose through 32 x 32 shared-memory tiles (x: depth tiles, y: trace
// tiles, grid-stride), so reads and writes are both coalesced.
__global__ void stolt_extract(const float* __restrict__ columns, int nz, int n_z, int n_traces, float scale,
                              float* __restrict__ out) {
  __shared__ float tile[kGatherTile][kGatherTile + 1];
  const int i0 = blockIdx.x * kGatherTile;
  for (int j0 = blockIdx.y * kGatherTile; j0 < n_traces; j0 += gridDim.y * kGatherTile) {
    for (int k = threadIdx.y; k < kGatherTile; k += kGatherRows) {
      const int j = j0 + k, i = i0 + threadIdx.x;
      tile[k][threadIdx.x] = (j < n_traces && i < n_z) ? columns[static_cast<size_t>(j) * nz + i] : 0.0f;
    }
    __syncthreads();
    for (int k = threadIdx.y; k < kGatherTile; k += kGatherRows) {
      const int i = i0 + k, j = j0 + threadIdx.x;
      if (i < n_z && j < n_traces) out[static_cast<size_t>(i) * n_traces + j] = tile[threadIdx.x][k] * scale;
    }
    __syncthreads();
  }
}

}  // namespace

struct StoltDevicePlan::Impl {
  StoltSetup s;
  DeviceBuffer<float> traces;           // (nx, nt)
  DeviceBuffer<cufftComplex> spectrum;  // (nx, nt/2+1)
  DeviceBuffer<cufftComplex> image;     // (nx, nz/2+1)
  DeviceBuffer<float> columns;          // (nx, nz); rows past n_traces are padding
  DeviceOffsetRemap offset_remap;
  FftPlan forward, inverse;  // R2C (nx, nt) and C2R (nx, nz)
};

StoltDevicePlan::StoltDevicePlan(const StoltSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  int nt = static_cast<int>(setup.nt), nx = static_cast<int>(setup.nx), nz = static_cast<int>(setup.nz);
  const int nk = nt / 2 + 1, nzk = nz / 2 + 1;
  p.traces = DeviceBuffer<float>(setup.nx * setup.nt);
  p.spectrum = DeviceBuffer<cufftComplex>(setup.nx * static_cast<size_t>(nk));
  p.image = DeviceBuffer<cufftComplex>(setup.nx * static_cast<size_t>(nzk));
  p.columns = DeviceBuffer<float>(setup.nx * setup.nz);
  p.offset_remap.make(p.s.offset_position, p.s.n_traces, p.s.dip_moveout);
  // Two 2-D transforms: R2C over (nx, nt) is the time R2C of every row then
  // the x C2C of every column; C2R over (nx, nz) the inverse x C2C then the
  // depth C2R. cuFFT's 2-D plans do the strided x direction in fewer passes
  // than a batch of strided 1-D transforms.
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlan2d(p.forward.make(), nx, nt, CUFFT_R2C));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlan2d(p.inverse.make(), nx, nz, CUFFT_C2R));
}

StoltDevicePlan::~StoltDevicePlan() = default;

void StoltDevicePlan::execute(ConstBScanView in, BScanView out) {
  Impl& p = *impl_;
  const StoltSetup& s = p.s;
  const int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx), nz = static_cast<int>(s.nz);
  const int nk = nt / 2 + 1, nzk = nz / 2 + 1;
  DeviceInput input(in);
  DeviceOutput output(out);
  const float* data = p.offset_remap.apply(input.get());  // common offset -> zero offset first

  launch_gather_padded_traces(data, static_cast<int>(s.n_samples), static_cast<int>(s.n_traces), nt, nx,
                              static_cast<int>(s.centre), p.traces.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.forward.get(), p.traces.get(), p.spectrum.get()));
  const detail::StoltMapConstants c = detail::stolt_map_constants(nt, s.dt, s.dz, s.half_velocity);
  stolt_map<<<dim3(blocks_for(static_cast<size_t>(nzk), 128), static_cast<unsigned>(std::min(nx, 65535))), 128>>>(
      p.spectrum.get(), nk, nx, nzk, nz, s.dx, s.dz, static_cast<float>(s.half_velocity), c, s.time_origin_shift, s.z0,
      s.datum_height, p.image.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse.get(), p.image.get(), p.columns.get()));  // overwrites image
  const float scale = 1.0f / (static_cast<float>(nx) * static_cast<float>(nz));
  stolt_extract<<<dim3(blocks_for(s.n_z, kGatherTile), std::min(blocks_for(s.n_traces, kGatherTile), 65535u)),
                  dim3(kGatherTile, kGatherRows)>>>(
      p.columns.get(), nz, static_cast<int>(s.n_z), static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
