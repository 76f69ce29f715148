// 3-D Stolt migration on the GPU, the CPU's layout and per-point math
// (src/migration/stolt_3d.cpp, detail::stolt_map_point with kh): each line
// remapped to zero offset, gathered trace-major with the time rotation and
// zero padding; a batched R2C along time and a strided 2-D C2C over (lines,
// traces) of every frequency into [ky][kx][w]; one thread per (kx, ky, kz)
// point of the mapping into [ky][kx][kz]; a 3-D C2R (inverse y, x, then depth)
// and the image is 1 / (ny nx nz) of its first n_lines x n_traces x n_z.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "launch_size.hpp"
#include "migration/migration_3d_cuda.hpp"
#include "offset_remap.hpp"
#include "padded_trace_gather.hpp"

namespace gprproc::cuda_backend {
namespace {

__device__ double s3d_wavenumber(int index, int n, double spacing) {
  const int signed_index = 2 * index < n ? index : index - n;
  return 2.0 * 3.14159265358979323846 * signed_index / (static_cast<double>(n) * spacing);
}

// Grid: x over kz bins, y over (ky, kx) columns (grid-strided).
__global__ void s3d_map(const cufftComplex* __restrict__ spectrum, int nk, int nx, int ny, int nzk, int nz, double dx,
                        double dy, double dz, float half_velocity, detail::StoltMapConstants c,
                        double time_origin_shift, double z0, double datum_height, cufftComplex* __restrict__ image) {
  const int m = blockIdx.x * blockDim.x + threadIdx.x;
  if (m >= nzk) return;
  const long long columns = static_cast<long long>(nx) * ny;
  for (long long col = blockIdx.y; col < columns; col += gridDim.y) {
    const int b = static_cast<int>(col / nx), a = static_cast<int>(col % nx);
    const double kx = s3d_wavenumber(a, nx, dx), ky = s3d_wavenumber(b, ny, dy);
    const float kh = static_cast<float>(sqrt(kx * kx + ky * ky));
    const long long mirror = static_cast<long long>((ny - b) % ny) * nx + (nx - a) % nx;
    const float kz = static_cast<float>(2.0 * 3.14159265358979323846 * m / (static_cast<double>(nz) * dz));
    const float omega = detail::stolt_frequency(kh, kz, half_velocity);
    const float f = omega * c.bins_per_omega;
    float2 value = make_float2(0.0f, 0.0f);
    if (m > 0 && f <= c.f_max) {
      const detail::StoltValue v = detail::stolt_map_point(
          reinterpret_cast<const float*>(spectrum + col * nk), reinterpret_cast<const float*>(spectrum + mirror * nk),
          c.taps, f, omega, kh, kz, time_origin_shift, z0, datum_height, c.amplitude);
      value = make_float2(v.re, v.im);
    }
    image[col * nzk + m] = value;
  }
}

// volume [y][x][nz] (real, after the C2R) -> out (n_lines, n_z, n_traces) * scale.
__global__ void s3d_extract(const float* __restrict__ volume, int nx, int nz, int n_z, int n_lines, int n_traces,
                            float scale, float* __restrict__ out) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  const int z = blockIdx.y;
  const int j = blockIdx.z;
  if (i >= n_traces || z >= n_z || j >= n_lines) return;
  out[(static_cast<size_t>(j) * n_z + z) * n_traces + i] =
      scale * volume[(static_cast<size_t>(j) * nx + i) * nz + z];
}

}  // namespace

struct Stolt3DDevicePlan::Impl {
  Stolt3DSetup s;
  DeviceBuffer<float> traces, remapped, volume;
  DeviceBuffer<cufftComplex> spectrum, image;
  DeviceOffsetRemap offset_remap;
  FftPlan time_plan, xy_forward, inverse;
};

Stolt3DDevicePlan::Stolt3DDevicePlan(const Stolt3DSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  const Stolt3DSetup& s = p.s;
  if (s.n_z > 65535 || s.n_lines > 65535)
    throw InvalidArgument("3-D Stolt on the GPU handles at most 65535 depth rows and 65535 lines, got " +
                          std::to_string(s.n_z) + " and " + std::to_string(s.n_lines));
  int nt = static_cast<int>(s.nt);
  const int nk = nt / 2 + 1, nzk = static_cast<int>(s.nz / 2 + 1);
  p.traces = DeviceBuffer<float>(s.n_lines * s.nx * s.nt);
  p.spectrum = DeviceBuffer<cufftComplex>(s.ny * s.nx * static_cast<size_t>(nk));
  p.image = DeviceBuffer<cufftComplex>(s.ny * s.nx * static_cast<size_t>(nzk));
  p.volume = DeviceBuffer<float>(s.ny * s.nx * s.nz);
  if (!s.offset_position.empty()) {
    p.offset_remap.make(s.offset_position, s.n_traces, s.dip_moveout, false);
    p.remapped = DeviceBuffer<float>(s.n_lines * s.n_samples * s.n_traces);
  }
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.time_plan.make(), 1, &nt, nullptr, 1, nt, nullptr, 1, nk, CUFFT_R2C,
                                           static_cast<int>(s.n_lines * s.nx)));
  int dims[2] = {static_cast<int>(s.ny), static_cast<int>(s.nx)};
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(p.xy_forward.make(), 2, dims, dims, nk, 1, dims, nk, 1, CUFFT_C2C, nk));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlan3d(p.inverse.make(), static_cast<int>(s.ny), static_cast<int>(s.nx),
                                         static_cast<int>(s.nz), CUFFT_C2R));
}

Stolt3DDevicePlan::~Stolt3DDevicePlan() = default;

void Stolt3DDevicePlan::execute(ConstBScanStackView in, BScanStackView out) {
  Impl& p = *impl_;
  const Stolt3DSetup& s = p.s;
  const int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx), ny = static_cast<int>(s.ny);
  const int nz = static_cast<int>(s.nz), nk = nt / 2 + 1, nzk = nz / 2 + 1;
  const size_t per_line = s.n_samples * s.n_traces, plane = s.nx * static_cast<size_t>(nk);
  DeviceInput input(ConstBScanView{in.samples, in.n_bscans * in.n_samples, in.n_traces, in.memory});
  DeviceOutput output(BScanView{out.samples, out.n_bscans * out.n_samples, out.n_traces, out.memory});
  const float* data = input.get();
  if (!s.offset_position.empty()) {
    for (size_t j = 0; j < s.n_lines; ++j)  // common offset -> zero offset, line by line
      p.offset_remap.apply_into(data + j * per_line, p.remapped.get() + j * per_line);
    data = p.remapped.get();
  }
  for (size_t j = 0; j < s.n_lines; ++j) {
    launch_gather_padded_traces(data + j * per_line, static_cast<int>(s.n_samples), static_cast<int>(s.n_traces),
                                nt, nx, static_cast<int>(s.centre), p.traces.get() + j * s.nx * s.nt);
    GPRPROC_CUDA_CHECK_LAUNCH();
  }
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.time_plan.get(), p.traces.get(), p.spectrum.get()));
  if (s.ny > s.n_lines)
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(p.spectrum.get() + s.n_lines * plane, 0,
                                       (s.ny - s.n_lines) * plane * sizeof(cufftComplex)));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.xy_forward.get(), p.spectrum.get(), p.spectrum.get(), CUFFT_FORWARD));
  const detail::StoltMapConstants c = detail::stolt_map_constants(nt, s.dt, s.dz, s.half_velocity);
  const size_t columns = s.nx * s.ny;
  s3d_map<<<dim3(blocks_for(static_cast<size_t>(nzk), 128), static_cast<unsigned>(std::min<size_t>(columns, 65535))),
            128>>>(p.spectrum.get(), nk, nx, ny, nzk, nz, s.dx, s.dy, s.dz, static_cast<float>(s.half_velocity), c,
                   s.time_origin_shift, s.z0, s.datum_height, p.image.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse.get(), p.image.get(), p.volume.get()));
  const float scale = 1.0f / (static_cast<float>(nx) * static_cast<float>(ny) * static_cast<float>(nz));
  s3d_extract<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_z), static_cast<unsigned>(s.n_lines)),
                128>>>(p.volume.get(), nx, nz, static_cast<int>(s.n_z), static_cast<int>(s.n_lines),
                       static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
