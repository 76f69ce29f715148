// Phase-shift migration and time-to-depth conversion on the GPU: the same
// layouts and per-element math as src/migration_phase_shift.cpp and
// src/migration_time_to_depth.cpp.
#include <cuda_runtime.h>
#include <cufft.h>

#include <memory>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "gprproc/error.hpp"
#include "migration_cuda.hpp"
#include "padded_trace_gather.hpp"

namespace gprproc::cuda_backend {
namespace {

unsigned blocks_for(size_t n, unsigned block) { return static_cast<unsigned>((n + block - 1) / block); }

// One thread per (image row, kx): the sum over positive frequencies.
__global__ void ps_image(const cufftComplex* __restrict__ spectrum, int nk, int nt, int nx, int n_z, double dt,
                         double dx, double t0, double height, const double* __restrict__ thickness,
                         const double* __restrict__ half_velocity, int n_layers, cufftComplex* __restrict__ rows) {
  const int a = blockIdx.x * blockDim.x + threadIdx.x;
  const int i = blockIdx.y;
  if (a >= nx || i >= n_z) return;
  const double two_pi = 2.0 * 3.14159265358979323846;
  const int signed_a = a < nx / 2 ? a : a - nx;
  const double kx = two_pi * signed_a / (static_cast<double>(nx) * dx);
  const double* h = thickness + static_cast<size_t>(i) * n_layers;
  double re = 0.0, im = 0.0;
  for (int k = 1; 2 * k < nt; ++k) {
    const double omega = two_pi * k / (static_cast<double>(nt) * dt);
    const double datum = detail::air_datum_phase(omega, kx, height);
    double phase = 0.0;
    if (datum < 0.0 || !detail::layered_phase(omega, kx, h, half_velocity, n_layers, &phase)) continue;
    phase += -omega * t0 + datum;
    double s, c;
    sincos(phase, &s, &c);
    const cufftComplex d = spectrum[static_cast<size_t>(a) * nk + k];
    re += d.x * c - d.y * s;
    im += d.x * s + d.y * c;
  }
  rows[static_cast<size_t>(i) * nx + a] = make_float2(static_cast<float>(re), static_cast<float>(im));
}

// rows (n_z, nx) after the inverse x FFT -> out (n_z, n_traces) = scale * Re.
__global__ void ps_extract(const cufftComplex* __restrict__ rows, int nx, int n_z, int n_traces, float scale,
                           float* __restrict__ out) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int i = blockIdx.y;
  if (j >= n_traces || i >= n_z) return;
  out[static_cast<size_t>(i) * n_traces + j] = scale * rows[static_cast<size_t>(i) * nx + j].x;
}

__global__ void depth_sample(const float* __restrict__ in, int n_samples, int n_traces,
                             const float* __restrict__ position, int n_z, float* __restrict__ out) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int i = blockIdx.y;
  if (j >= n_traces || i >= n_z) return;
  out[static_cast<size_t>(i) * n_traces + j] = detail::sinc_sample_strided(in + j, n_samples, n_traces, position[i]);
}

class FftPlan {
 public:
  FftPlan() = default;
  ~FftPlan() {
    if (made_) cufftDestroy(handle_);
  }
  FftPlan(const FftPlan&) = delete;
  FftPlan& operator=(const FftPlan&) = delete;
  cufftHandle* make() {
    made_ = true;
    return &handle_;
  }
  cufftHandle get() const { return handle_; }

 private:
  cufftHandle handle_ = 0;
  bool made_ = false;
};

}  // namespace

struct PhaseShiftDevicePlan::Impl {
  PhaseShiftSetup s;
  DeviceBuffer<float> traces;
  DeviceBuffer<cufftComplex> spectrum;
  DeviceBuffer<cufftComplex> rows;
  DeviceBuffer<double> thickness, half_velocity;
  FftPlan time_plan, x_forward, x_inverse;
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
  // Writes the padding too: it must be zero on every execute (the transforms run in place).
  launch_gather_padded_traces(input.get(), static_cast<int>(s.n_samples), static_cast<int>(s.n_traces), nt, nx, 0,
                              p.traces.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.time_plan.get(), p.traces.get(), p.spectrum.get()));
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.x_forward.get(), p.spectrum.get(), p.spectrum.get(), CUFFT_FORWARD));
  ps_image<<<dim3(blocks_for(s.nx, 64), static_cast<unsigned>(s.n_z)), 64>>>(
      p.spectrum.get(), nk, nt, nx, static_cast<int>(s.n_z), s.dt, s.dx, s.t0, s.antenna_height, p.thickness.get(),
      p.half_velocity.get(), s.n_layers, p.rows.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2C(p.x_inverse.get(), p.rows.get(), p.rows.get(), CUFFT_INVERSE));
  const float scale = 2.0f / (static_cast<float>(nt) * static_cast<float>(nx));  // cuFFT's inverse is unnormalised
  ps_extract<<<dim3(blocks_for(s.n_traces, 128), static_cast<unsigned>(s.n_z)), 128>>>(
      p.rows.get(), nx, static_cast<int>(s.n_z), static_cast<int>(s.n_traces), scale, output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

void time_to_depth(const std::vector<float>& position, ConstBScanView in, BScanView out) {
  if (position.size() > 65535) throw InvalidArgument("time_to_depth on the GPU handles at most 65535 depth rows");
  DeviceInput input(in);
  DeviceOutput output(out);
  DeviceBuffer<float> rows(position.size());
  rows.copy_from_host(position.data(), position.size());
  depth_sample<<<dim3(blocks_for(in.n_traces, 128), static_cast<unsigned>(position.size())), 128>>>(
      input.get(), static_cast<int>(in.n_samples), static_cast<int>(in.n_traces), rows.get(),
      static_cast<int>(position.size()), output.get());
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
}

}  // namespace gprproc::cuda_backend
