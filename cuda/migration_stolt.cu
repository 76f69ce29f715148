// Stolt migration on the GPU with cuFFT: the same steps, layouts and mapping
// math as src/migration_stolt.cpp (see its comments), plans made once.
#include <cuda_runtime.h>
#include <cufft.h>

#include <cmath>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"

namespace gprproc::cuda_backend {
namespace {

// in (n_samples, n_traces) -> buffer (nx, nt): trace j, rotated by `centre`, zero-padded.
__global__ void stolt_gather(const float* __restrict__ in, int n_samples, int n_traces, int nt, int centre,
                             float* __restrict__ buffer) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;  // consecutive threads read consecutive traces
  const int n = blockIdx.y;
  if (j >= n_traces || n >= n_samples) return;
  buffer[static_cast<size_t>(j) * nt + (n + nt - centre) % nt] = in[static_cast<size_t>(n) * n_traces + j];
}

__global__ void stolt_map(const cufftComplex* __restrict__ spectrum, int nk, int nx, int nzk, int nz, int nt,
                          double dx, double dz, double dt, float half_velocity, double time_origin_shift, double z0, double datum_height,
                          float amplitude, cufftComplex* __restrict__ image) {
  const int m = blockIdx.x * blockDim.x + threadIdx.x;
  const int a = blockIdx.y;
  if (m >= nzk || a >= nx) return;
  const double two_pi = 2.0 * 3.14159265358979323846;
  const int signed_a = a < nx / 2 ? a : a - nx;
  const float kx = static_cast<float>(two_pi * signed_a / (static_cast<double>(nx) * dx));
  const float kz = static_cast<float>(two_pi * m / (static_cast<double>(nz) * dz));
  const float omega = detail::stolt_frequency(kx, kz, half_velocity);
  const float f = omega * static_cast<float>(static_cast<double>(nt) * dt / two_pi);
  const int R = detail::stolt_sinc_half_width;
  const int mirror = (nx - a) % nx;
  float re = 0.0f, im = 0.0f;
  if (m > 0 && f <= static_cast<float>(nt / 2 - R)) {
    const int base = static_cast<int>(floorf(f));
    for (int k = base - R + 1; k <= base + R; ++k) {
      cufftComplex bin;
      if (k >= 0) {
        bin = spectrum[static_cast<size_t>(a) * nk + k];
      } else {
        bin = spectrum[static_cast<size_t>(mirror) * nk + (-k)];
        bin.y = -bin.y;
      }
      const float w = detail::windowed_sinc(f - static_cast<float>(k), static_cast<float>(R));
      re += bin.x * w;
      im += bin.y * w;
    }
    const double datum = detail::air_datum_phase(omega, kx, datum_height);
    const double phase =
        -static_cast<double>(omega) * time_origin_shift + static_cast<double>(kz) * z0 + (datum > 0.0 ? datum : 0.0);
    const float scale = datum < 0.0 ? 0.0f : amplitude * detail::stolt_obliquity(kx, kz);
    const float c = static_cast<float>(cos(phase)) * scale, s = static_cast<float>(sin(phase)) * scale;
    const float r = re * c - im * s;
    im = re * s + im * c;
    re = r;
  }
  image[static_cast<size_t>(a) * nzk + m] = make_float2(re, im);
}

// columns (n_traces, nz) -> out (n_z, n_traces), with the inverse FFTs' 1 / (nx nz).
__global__ void stolt_extract(const float* __restrict__ columns, int nz, int n_z, int n_traces, float scale,
                              float* __restrict__ out) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int i = blockIdx.y;
  if (j >= n_traces || i >= n_z) return;
  out[static_cast<size_t>(i) * n_traces + j] = columns[static_cast<size_t>(j) * nz + i] * scale;
}

unsigned blocks_for(size_t n, unsigned block) { return static_cast<unsigned>((n + block - 1) / block); }

}  // namespace

struct StoltDevicePlan::Impl {
  StoltSetup s;
  DeviceBuffer<float> traces;           // (nx, nt)
  DeviceBuffer<cufftComplex> spectrum;  // (nx, nt/2+1)
  DeviceBuffer<cufftComplex> image;     // (nx, nz/2+1)
  DeviceBuffer<float> columns;          // (n_traces, nz)
  cufftHandle plans[4] = {0, 0, 0, 0};
  int n_plans = 0;
  ~Impl() {
    for (int i = 0; i < n_plans; ++i) cufftDestroy(plans[i]);
  }
  cufftHandle& next_plan() { return plans[n_plans]; }
};

StoltDevicePlan::StoltDevicePlan(const StoltSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  if (setup.n_samples > 65535 || setup.n_z > 65535 || setup.nx > 65535)
    throw InvalidArgument("Stolt on the GPU handles at most 65535 samples, depth rows and padded traces");
  int nt = static_cast<int>(setup.nt), nx = static_cast<int>(setup.nx), nz = static_cast<int>(setup.nz);
  const int nk = nt / 2 + 1, nzk = nz / 2 + 1;
  p.traces = DeviceBuffer<float>(setup.nx * setup.nt);
  p.spectrum = DeviceBuffer<cufftComplex>(setup.nx * static_cast<size_t>(nk));
  p.image = DeviceBuffer<cufftComplex>(setup.nx * static_cast<size_t>(nzk));
  p.columns = DeviceBuffer<float>(setup.n_traces * setup.nz);
  // time R2C over all nx rows; x C2C (strided) forward over nk columns and
  // inverse over nzk columns; depth C2R over the n_traces kept rows.
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.next_plan(), 1, &nt, nullptr, 1, nt, nullptr, 1, nk, CUFFT_R2C, nx));
  ++p.n_plans;
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.next_plan(), 1, &nx, &nx, nk, 1, &nx, nk, 1, CUFFT_C2C, nk));
  ++p.n_plans;
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.next_plan(), 1, &nx, &nx, nzk, 1, &nx, nzk, 1, CUFFT_C2C, nzk));
  ++p.n_plans;
  GPRPROC_CUDA_LIBRARY_CHECK(cufftPlanMany(&p.next_plan(), 1, &nz, nullptr, 1, nzk, nullptr, 1, nz, CUFFT_C2R,
                                           static_cast<int>(setup.n_traces)));
  ++p.n_plans;
}

StoltDevicePlan::~StoltDevicePlan() = default;

void StoltDevicePlan::execute(ConstBScanView in, BScanView out) {
  Impl& p = *impl_;
  const StoltSetup& s = p.s;
  const int nt = static_cast<int>(s.nt), nx = static_cast<int>(s.nx), nz = static_cast<int>(s.nz);
  const int nk = nt / 2 + 1, nzk = nz / 2 + 1;
  DeviceInput input(in);
  DeviceOutput output(out);

  GPRPROC_CUDA_CHECK(cudaMemsetAsync(p.traces.get(), 0, s.nx * s.nt * sizeof(float)));
  stolt_gather<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_samples)), 128>>>(
      input.get(), static_cast<int>(s.n_samples), static_cast<int>(s.n_traces), nt, static_cast<int>(s.centre),
      p.traces.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.plans[0], p.traces.get(), p.spectrum.get()));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.plans[1], p.spectrum.get(), p.spectrum.get(), CUFFT_FORWARD));
  const float amplitude = static_cast<float>(s.half_velocity * s.dt / s.dz);
  stolt_map<<<dim3(blocks_for(static_cast<size_t>(nzk), 128), static_cast<unsigned>(nx)), 128>>>(
      p.spectrum.get(), nk, nx, nzk, nz, nt, s.dx, s.dz, s.dt, static_cast<float>(s.half_velocity),
      s.time_origin_shift, s.z0, s.datum_height, amplitude, p.image.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.plans[2], p.image.get(), p.image.get(), CUFFT_INVERSE));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.plans[3], p.image.get(), p.columns.get()));
  const float scale = 1.0f / (static_cast<float>(nx) * static_cast<float>(nz));
  stolt_extract<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_z)), 128>>>(
      p.columns.get(), nz, static_cast<int>(s.n_z), static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
