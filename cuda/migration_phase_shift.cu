// Phase-shift migration and the row resampling of time-to-depth and the
// antenna-offset correction on the GPU: the same layouts and per-element math
// as src/migration_phase_shift.cpp and src/migration_common.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/detail/phase_shift_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"
#include "offset_remap.hpp"
#include "padded_trace_gather.hpp"

namespace gprproc::cuda_backend {
namespace {

// Image rows per thread of ps_image: the term of each frequency is evaluated
// at the group's first row and rotated down the others. 16 by default; the
// experiment GPRPROC_CUDA_PHASE_SHIFT_ROWS=1 or 4 (read when a plan is made)
// trades rotations for threads, for small images that 16 rows leave with too
// few threads to fill the GPU (docs/MIGRATION.md; benchmarked as
// phase_shift_rows1 / phase_shift_rows4).
constexpr int kPhaseShiftRows = 16;

int phase_shift_rows_wanted() {
  const char* value = std::getenv("GPRPROC_CUDA_PHASE_SHIFT_ROWS");
  if (value == nullptr) return kPhaseShiftRows;
  if (std::strcmp(value, "1") == 0) return 1;
  if (std::strcmp(value, "4") == 0) return 4;
  return kPhaseShiftRows;
}

// One thread per (kx, group of Rows image rows): detail::phase_shift_group,
// which tests/cpu/test_phase_shift_math.cpp runs against the phase evaluated
// at every row.
template <int Rows>
__global__ void ps_image(const cufftComplex* __restrict__ spectrum, int nk, int nt, int nx, int n_z, double dt,
                         double dx, double t0, double height, const double* __restrict__ thickness,
                         const double* __restrict__ half_velocity, int n_layers, cufftComplex* __restrict__ rows) {
  const int a = blockIdx.x * blockDim.x + threadIdx.x;
  const int first = blockIdx.y * Rows;
  if (a >= nx || first >= n_z) return;
  const int count = min(Rows, n_z - first);
  const double two_pi = 2.0 * 3.14159265358979323846;
  const int signed_a = 2 * a < nx ? a : a - nx;  // nx = 1: kx = 0
  const double kx = two_pi * signed_a / (static_cast<double>(nx) * dx);
  double sum_re[Rows], sum_im[Rows];
#pragma unroll
  for (int r = 0; r < Rows; ++r) sum_re[r] = sum_im[r] = 0.0;
  detail::phase_shift_group<Rows>(reinterpret_cast<const float*>(spectrum + static_cast<size_t>(a) * nk), nt, dt, kx,
                                  t0, height, thickness, half_velocity, n_layers, first, count, sum_re, sum_im);
#pragma unroll
  for (int r = 0; r < Rows; ++r)
    if (r < count)
      rows[static_cast<size_t>(first + r) * nx + a] =
          make_float2(static_cast<float>(sum_re[r]), static_cast<float>(sum_im[r]));
}

template <int Rows>
void launch_ps_image(const cufftComplex* spectrum, int nk, int nt, int nx, const PhaseShiftSetup& s,
                     const double* thickness, const double* half_velocity, cufftComplex* rows) {
  ps_image<Rows><<<dim3(blocks_for(s.nx, 64), blocks_for(s.n_z, Rows)), 64>>>(
      spectrum, nk, nt, nx, static_cast<int>(s.n_z), s.dt, s.dx, s.t0, s.antenna_height, thickness, half_velocity,
      s.n_layers, rows);
}

// rows (n_z, nx) after the inverse x FFT -> out (n_z, n_traces) = scale * Re.
__global__ void ps_extract(const cufftComplex* __restrict__ rows, int nx, int n_z, int n_traces, float scale,
                           float* __restrict__ out) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int i = blockIdx.y;
  if (j >= n_traces || i >= n_z) return;
  out[static_cast<size_t>(i) * n_traces + j] = scale * rows[static_cast<size_t>(i) * nx + j].x;
}

// One thread per (row, trace); rows grid-strided (a grid has at most 65535
// rows). Every trace is read at the row's position, so the block makes the
// row's 2R windowed-sinc weights once in shared memory (as the CPU's
// resample_rows does per row): each output is then 2R loads and FMAs, in
// detail::sinc_sample's order, instead of 2R windowed sincs (three
// trigonometric calls each).
constexpr int kResampleTaps = 2 * detail::sinc_half_width;

__global__ void resample_rows_kernel(const float* __restrict__ in, int n_samples, int n_traces,
                                     const float* __restrict__ position, int n_rows, float* __restrict__ out) {
  __shared__ float weights[kResampleTaps];
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  for (int i = blockIdx.y; i < n_rows; i += gridDim.y) {
    const float x = position[i];
    const int first = static_cast<int>(floorf(x)) - detail::sinc_half_width + 1;
    __syncthreads();  // every thread has read the previous row's weights
    if (threadIdx.x < kResampleTaps)
      weights[threadIdx.x] = detail::windowed_sinc(x - static_cast<float>(first + static_cast<int>(threadIdx.x)),
                                                   static_cast<float>(detail::sinc_half_width));
    __syncthreads();
    if (j >= n_traces) continue;
    float sum = 0.0f;
#pragma unroll
    for (int t = 0; t < kResampleTaps; ++t) {
      const int k = first + t;
      if (k < 0 || k >= n_samples) continue;
      sum += in[static_cast<size_t>(k) * n_traces + j] * weights[t];
    }
    out[static_cast<size_t>(i) * n_traces + j] = sum;
  }
}

}  // namespace

struct PhaseShiftDevicePlan::Impl {
  PhaseShiftSetup s;
  DeviceBuffer<float> traces;
  DeviceBuffer<cufftComplex> spectrum;
  DeviceBuffer<cufftComplex> rows;
  DeviceBuffer<double> thickness, half_velocity;
  DeviceOffsetRemap offset_remap;
  FftPlan time_plan, x_forward, x_inverse;
  int image_rows = kPhaseShiftRows;  // rows per ps_image thread (phase_shift_rows_wanted)
};

PhaseShiftDevicePlan::PhaseShiftDevicePlan(const PhaseShiftSetup& setup) : impl_(std::make_unique<Impl>()) {
  if (setup.n_z > 65535) throw InvalidArgument("phase shift on the GPU handles at most 65535 depth rows");
  Impl& p = *impl_;
  p.s = setup;
  const PhaseShiftSetup& s = p.s;
  int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx);
  const int nk = nt / 2 + 1;
  p.traces = DeviceBuffer<float>(s.nx * s.nt);
  p.spectrum = DeviceBuffer<cufftComplex>(s.nx * static_cast<size_t>(nk));
  p.rows = DeviceBuffer<cufftComplex>(s.n_z * s.nx);
  p.thickness = DeviceBuffer<double>(s.thickness.size());
  p.half_velocity = DeviceBuffer<double>(s.half_velocity.size());
  p.thickness.copy_from_host(s.thickness.data(), s.thickness.size());
  p.half_velocity.copy_from_host(s.half_velocity.data(), s.half_velocity.size());
  p.offset_remap.make(s.offset_position, s.n_traces, s.dip_moveout);
  p.image_rows = phase_shift_rows_wanted();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.time_plan.make(), 1, &nt, nullptr, 1, nt, nullptr, 1, nk, CUFFT_R2C, nx));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.x_forward.make(), 1, &nx, &nx, nk, 1, &nx, nk, 1, CUFFT_C2C, nk));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.x_inverse.make(), 1, &nx, nullptr, 1, nx, nullptr, 1, nx, CUFFT_C2C,
                                           static_cast<int>(s.n_z)));
}

PhaseShiftDevicePlan::~PhaseShiftDevicePlan() = default;

void PhaseShiftDevicePlan::execute(ConstBScanView in, BScanView out) {
  Impl& p = *impl_;
  const PhaseShiftSetup& s = p.s;
  const int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx);
  const int nk = nt / 2 + 1;
  DeviceInput input(in);
  DeviceOutput output(out);
  const float* data = p.offset_remap.apply(input.get());  // common offset -> zero offset first
  // Writes the padding too: it must be zero on every execute (the transforms run in place).
  launch_gather_padded_traces(data, static_cast<int>(s.n_samples), static_cast<int>(s.n_traces), nt, nx, 0,
                              p.traces.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.time_plan.get(), p.traces.get(), p.spectrum.get()));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.x_forward.get(), p.spectrum.get(), p.spectrum.get(), CUFFT_FORWARD));
  switch (p.image_rows) {  // gridDim.y = n_z / rows <= 65535: n_z is checked at 65535
    case 1:
      launch_ps_image<1>(p.spectrum.get(), nk, nt, nx, s, p.thickness.get(), p.half_velocity.get(), p.rows.get());
      break;
    case 4:
      launch_ps_image<4>(p.spectrum.get(), nk, nt, nx, s, p.thickness.get(), p.half_velocity.get(), p.rows.get());
      break;
    default:
      launch_ps_image<kPhaseShiftRows>(p.spectrum.get(), nk, nt, nx, s, p.thickness.get(), p.half_velocity.get(),
                                       p.rows.get());
  }
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.x_inverse.get(), p.rows.get(), p.rows.get(), CUFFT_INVERSE));
  const float scale = 2.0f / (static_cast<float>(nt) * static_cast<float>(nx));  // cuFFT's inverse is unnormalised
  ps_extract<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_z)), 128>>>(
      p.rows.get(), nx, static_cast<int>(s.n_z), static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

void launch_resample_rows(const float* in, std::size_t n_samples, std::size_t n_traces, const float* position,
                          std::size_t n_rows, float* out) {
  if (n_rows == 0 || n_traces == 0) return;
  const unsigned grid_rows = static_cast<unsigned>(std::min<std::size_t>(n_rows, 65535));
  resample_rows_kernel<<<dim3(blocks_for(n_traces, 128), grid_rows), 128>>>(
      in, static_cast<int>(n_samples), static_cast<int>(n_traces), position, static_cast<int>(n_rows), out);
  GPRPROC_CUDA_CHECK_LAUNCH();
}

void resample_rows(const std::vector<float>& position, ConstBScanView in, BScanView out) {
  DeviceInput input(in);
  DeviceOutput output(out);
  DeviceBuffer<float> rows(position.size());
  rows.copy_from_host(position.data(), position.size());
  launch_resample_rows(input.get(), in.n_samples, in.n_traces, rows.get(), position.size(), output.get());
  output.finish();
}

}  // namespace gprproc::cuda_backend
