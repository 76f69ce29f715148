// 3-D phase-shift migration on the GPU: the CPU's layout and per-component
// math (src/migration/phase_shift_3d.cpp, detail::phase_shift_group) with
// cuFFT: each line remapped to zero offset (the 2-D device remap, NMO then
// DMO), gathered trace-major and zero-padded; a batched R2C along time; a
// 2-D C2C over (lines, traces) of every frequency (strided, in place) into
// [ky][kx][w]; one thread per (ky, kx, group of 16 depth rows) continues
// every frequency down its rows; a batched inverse 2-D C2C per depth row;
// the image is 2 Re / (nt nx ny) of the first n_lines x n_traces.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/detail/phase_shift_math.hpp"
#include "gprproc/error.hpp"
#include "launch_size.hpp"
#include "migration/migration_3d_cuda.hpp"
#include "offset_remap.hpp"
#include "padded_trace_gather.hpp"

namespace gprproc::cuda_backend {
namespace {

constexpr int kRows3D = 16;

__device__ double k3d_wavenumber(int index, int n, double spacing) {
  const int signed_index = 2 * index < n ? index : index - n;
  return 2.0 * 3.14159265358979323846 * signed_index / (static_cast<double>(n) * spacing);
}

__global__ void ps3d_image(const cufftComplex* __restrict__ spectrum, int nk, int nt, int nx, int ny, int n_z,
                           double dt, double dx, double dy, double t0, double height,
                           const double* __restrict__ thickness, const double* __restrict__ half_velocity,
                           int n_layers, cufftComplex* __restrict__ rows) {
  const long long columns = static_cast<long long>(nx) * ny;
  const long long c = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int first = blockIdx.y * kRows3D;
  if (c >= columns || first >= n_z) return;
  const int count = min(kRows3D, n_z - first);
  const int b = static_cast<int>(c / nx), a = static_cast<int>(c % nx);
  const double kx = k3d_wavenumber(a, nx, dx), ky = k3d_wavenumber(b, ny, dy);
  const double kh = sqrt(kx * kx + ky * ky);
  double sum_re[kRows3D], sum_im[kRows3D];
#pragma unroll
  for (int r = 0; r < kRows3D; ++r) sum_re[r] = sum_im[r] = 0.0;
  detail::phase_shift_group<kRows3D>(reinterpret_cast<const float*>(spectrum + c * nk), nt, dt, kh, t0, height,
                                     thickness, half_velocity, n_layers, first, count, sum_re, sum_im);
#pragma unroll
  for (int r = 0; r < kRows3D; ++r)
    if (r < count)
      rows[static_cast<size_t>(first + r) * columns + c] =
          make_float2(static_cast<float>(sum_re[r]), static_cast<float>(sum_im[r]));
}

// rows (n_z, ny, nx) after the inverse transforms -> out (n_lines, n_z, n_traces) = scale * Re.
__global__ void ps3d_extract(const cufftComplex* __restrict__ rows, int nx, int ny, int n_z, int n_lines,
                             int n_traces, float scale, float* __restrict__ out) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  const int z = blockIdx.y;
  const int j = blockIdx.z;
  if (i >= n_traces || z >= n_z || j >= n_lines) return;
  out[(static_cast<size_t>(j) * n_z + z) * n_traces + i] =
      scale * rows[(static_cast<size_t>(z) * ny + j) * nx + i].x;
}

}  // namespace

struct PhaseShift3DDevicePlan::Impl {
  PhaseShift3DSetup s;
  DeviceBuffer<float> traces, remapped;
  DeviceBuffer<cufftComplex> spectrum, rows;
  DeviceBuffer<double> thickness, half_velocity;
  DeviceOffsetRemap offset_remap;
  FftPlan time_plan, xy_forward, xy_inverse;
};

PhaseShift3DDevicePlan::PhaseShift3DDevicePlan(const PhaseShift3DSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  const PhaseShift3DSetup& s = p.s;
  if (s.n_z > 65535 || s.n_lines > 65535)
    throw InvalidArgument("3-D phase shift on the GPU handles at most 65535 depth rows and 65535 lines, got " +
                          std::to_string(s.n_z) + " and " + std::to_string(s.n_lines));
  int nt = static_cast<int>(s.nt);
  const int nk = nt / 2 + 1;
  const size_t plane = s.nx * static_cast<size_t>(nk);
  p.traces = DeviceBuffer<float>(s.n_lines * s.nx * s.nt);
  p.spectrum = DeviceBuffer<cufftComplex>(s.ny * plane);
  p.rows = DeviceBuffer<cufftComplex>(s.n_z * s.ny * s.nx);
  p.thickness = DeviceBuffer<double>(s.thickness.size());
  p.half_velocity = DeviceBuffer<double>(s.half_velocity.size());
  p.thickness.copy_from_host(s.thickness.data(), s.thickness.size());
  p.half_velocity.copy_from_host(s.half_velocity.data(), s.half_velocity.size());
  if (!s.offset_position.empty()) {
    p.offset_remap.make(s.offset_position, s.n_traces, s.dip_moveout, false);
    p.remapped = DeviceBuffer<float>(s.n_lines * s.n_samples * s.n_traces);
  }
  const int batch_traces = static_cast<int>(s.n_lines * s.nx);
  GPRPROC_CUDA_LIBRARY_CHECK(
      cufftPlanMany(p.time_plan.make(), 1, &nt, nullptr, 1, nt, nullptr, 1, nk, CUFFT_R2C, batch_traces));
  // (ky, kx) of every frequency: element (y, x) of frequency k at k + (y nx + x) nk.
  int dims[2] = {static_cast<int>(s.ny), static_cast<int>(s.nx)};
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.xy_forward.make(), 2, dims, dims, nk, 1, dims, nk, 1, CUFFT_C2C, nk));
  const int plane_xy = static_cast<int>(s.ny * s.nx);
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.xy_inverse.make(), 2, dims, nullptr, 1, plane_xy, nullptr, 1, plane_xy,
                                           CUFFT_C2C, static_cast<int>(s.n_z)));
}

PhaseShift3DDevicePlan::~PhaseShift3DDevicePlan() = default;

void PhaseShift3DDevicePlan::execute(ConstBScanStackView in, BScanStackView out) {
  Impl& p = *impl_;
  const PhaseShift3DSetup& s = p.s;
  const int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx), ny = static_cast<int>(s.ny);
  const int nk = nt / 2 + 1;
  const size_t per_line = s.n_samples * s.n_traces, plane = s.nx * static_cast<size_t>(nk);
  DeviceInput input(ConstBScanView{in.samples, in.n_bscans * in.n_samples, in.n_traces, in.memory});
  DeviceOutput output(BScanView{out.samples, out.n_bscans * out.n_samples, out.n_traces, out.memory});
  const float* data = input.get();
  if (!s.offset_position.empty()) {
    for (size_t j = 0; j < s.n_lines; ++j)  // common offset -> zero offset, line by line
      p.offset_remap.apply_into(data + j * per_line, p.remapped.get() + j * per_line);
    data = p.remapped.get();
  }
  // Writes the padding too: every execute starts from zeros there.
  for (size_t j = 0; j < s.n_lines; ++j) {
    launch_gather_padded_traces(data + j * per_line, static_cast<int>(s.n_samples), static_cast<int>(s.n_traces),
                                nt, nx, 0, p.traces.get() + j * s.nx * s.nt);
    GPRPROC_CUDA_CHECK_LAUNCH();
  }
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.time_plan.get(), p.traces.get(), p.spectrum.get()));
  if (s.ny > s.n_lines)  // the padding lines of the in-place y transform
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(p.spectrum.get() + s.n_lines * plane, 0,
                                       (s.ny - s.n_lines) * plane * sizeof(cufftComplex)));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.xy_forward.get(), p.spectrum.get(), p.spectrum.get(), CUFFT_FORWARD));
  const size_t columns = s.nx * s.ny;
  ps3d_image<<<dim3(blocks_for(columns, 64), blocks_for(s.n_z, kRows3D)), 64>>>(
      p.spectrum.get(), nk, nt, nx, ny, static_cast<int>(s.n_z), s.dt, s.dx, s.dy, s.t0, s.antenna_height,
      p.thickness.get(), p.half_velocity.get(), s.n_layers, p.rows.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.xy_inverse.get(), p.rows.get(), p.rows.get(), CUFFT_INVERSE));
  const float scale = 2.0f / (static_cast<float>(nt) * static_cast<float>(nx) * static_cast<float>(ny));
  ps3d_extract<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_z), static_cast<unsigned>(s.n_lines)),
                 128>>>(p.rows.get(), nx, ny, static_cast<int>(s.n_z), static_cast<int>(s.n_lines),
                        static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
