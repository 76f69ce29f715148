// Dip moveout on the GPU with cuFFT: the steps of src/migration_dip_moveout.cpp
// (see its comments) on a (log time, trace) tile held row-major, one 2-D
// real-to-complex transform per tile (the R2C runs along the traces here, along
// time on the CPU: the same 2-D spectrum), the filter of
// detail::dip_moveout_phase, and the inverse.
#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "launch_size.hpp"
#include "fft_plan.hpp"
#include "gprproc/detail/dip_moveout_math.hpp"
#include "migration_cuda.hpp"
#include "offset_remap.hpp"

namespace gprproc::cuda_backend {
namespace {

// spectrum: (n_log_fft rows of log-time frequency, nxk = nx_fft / 2 + 1
// non-negative wavenumbers). Each bin times exp(i phase) and the 1 / (n_log_fft
// nx_fft) cuFFT's inverse leaves out. The Nyquist row (even n_log_fft) keeps
// its phase, as on the CPU.
__global__ void dip_moveout_filter(cufftComplex* __restrict__ spectrum, int n_log_fft, int nx_fft, int nxk,
                                   double log_step, double dx, double half_offset, float scale) {
  const int a = blockIdx.x * blockDim.x + threadIdx.x;
  if (a >= nxk) return;
  const double two_pi = 2.0 * 3.14159265358979323846;
  const float k_half_offset = static_cast<float>(two_pi * a / (static_cast<double>(nx_fft) * dx) * half_offset);
  for (int m = blockIdx.y; m < n_log_fft; m += gridDim.y) {  // grid-stride: n_log_fft may exceed 65535
    cufftComplex& bin = spectrum[static_cast<size_t>(m) * nxk + a];
    float c = scale, s = 0.0f;
    if (2 * m != n_log_fft && k_half_offset != 0.0f) {
      const int signed_m = m <= n_log_fft / 2 ? m : m - n_log_fft;
      const float omega = static_cast<float>(two_pi * signed_m / (static_cast<double>(n_log_fft) * log_step));
      float sn, cs;
      sincosf(detail::dip_moveout_phase(omega, k_half_offset), &sn, &cs);
      c = cs * scale;
      s = sn * scale;
    }
    bin = make_float2(bin.x * c - bin.y * s, bin.x * s + bin.y * c);
  }
}

}  // namespace

struct DipMoveoutDevicePlan::Impl {
  DipMoveoutSetup s;
  DeviceBuffer<float> stretch_position, unstretch_position;
  // Per tile, widest tile + halos: its traces in time (reused for the late
  // samples stretched back), in log time (reused for its own traces after
  // the filter), and the zero-padded FFT input.
  DeviceBuffer<float> traces, stretched;
  DeviceBuffer<float> tile;             // (n_log_fft, nx_fft), zero past the data
  DeviceBuffer<cufftComplex> spectrum;  // (n_log_fft, nx_fft / 2 + 1)
  FftPlan forward, inverse;
  DeviceBuffer<unsigned char> fft_work;  // one work area for both plans (they never run at once)
};

DipMoveoutDevicePlan::DipMoveoutDevicePlan(const DipMoveoutSetup& setup) : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.s = setup;
  p.stretch_position = DeviceBuffer<float>(setup.stretch_position.size());
  p.stretch_position.copy_from_host(setup.stretch_position.data(), setup.stretch_position.size());
  p.unstretch_position = DeviceBuffer<float>(setup.unstretch_position.size());
  p.unstretch_position.copy_from_host(setup.unstretch_position.data(), setup.unstretch_position.size());
  const size_t widest = std::min(setup.n_traces, setup.tile_traces + 2 * setup.halo_traces);
  p.traces = DeviceBuffer<float>(setup.n_samples * widest);
  p.stretched = DeviceBuffer<float>(setup.n_log * widest);
  p.tile = DeviceBuffer<float>(setup.n_log_fft * setup.nx_fft);
  p.spectrum = DeviceBuffer<cufftComplex>(setup.n_log_fft * (setup.nx_fft / 2 + 1));
  const int rows = static_cast<int>(setup.n_log_fft), columns = static_cast<int>(setup.nx_fft);
  std::size_t work_bytes[2] = {0, 0};
  FftPlan* plans[2] = {&p.forward, &p.inverse};
  const cufftType types[2] = {CUFFT_R2C, CUFFT_C2R};
  for (int i = 0; i < 2; ++i) {
    GPRPROC_CUDA_LIBRARY_CHECK(cufftCreate(plans[i]->make()));
    GPRPROC_CUDA_LIBRARY_CHECK(cufftSetAutoAllocation(plans[i]->get(), 0));
    GPRPROC_CUDA_LIBRARY_CHECK(cufftMakePlan2d(plans[i]->get(), rows, columns, types[i], &work_bytes[i]));
  }
  p.fft_work = DeviceBuffer<unsigned char>(std::max(work_bytes[0], work_bytes[1]));
  if (p.fft_work.size() > 0)
    for (FftPlan* plan : plans) GPRPROC_CUDA_LIBRARY_CHECK(cufftSetWorkArea(plan->get(), p.fft_work.get()));
}

DipMoveoutDevicePlan::~DipMoveoutDevicePlan() = default;

void DipMoveoutDevicePlan::apply(const float* in, float* out) {
  Impl& p = *impl_;
  const DipMoveoutSetup& s = p.s;
  const size_t n = s.n_traces, ns = s.n_samples, nl = s.n_log, nxk = s.nx_fft / 2 + 1, late = ns - s.first_sample;
  const size_t f = sizeof(float);
  if (s.first_sample > 0)
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(out, in, s.first_sample * n * f, cudaMemcpyDeviceToDevice));
  const float scale = 1.0f / (static_cast<float>(s.n_log_fft) * static_cast<float>(s.nx_fft));
  for (size_t j0 = 0; j0 < n; j0 += s.tile_traces) {
    const size_t j1 = std::min(n, j0 + s.tile_traces);
    const size_t a0 = j0 >= s.halo_traces ? j0 - s.halo_traces : 0, a1 = std::min(n, j1 + s.halo_traces);
    const size_t width = a1 - a0, kept = j1 - j0;
    // The tile's traces and halo, stretched to log time, into the padded FFT input.
    GPRPROC_CUDA_CHECK(cudaMemcpy2DAsync(p.traces.get(), width * f, in + a0, n * f, width * f, ns,
                                         cudaMemcpyDeviceToDevice));
    launch_resample_rows(p.traces.get(), ns, width, p.stretch_position.get(), nl, p.stretched.get());
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(p.tile.get(), 0, s.n_log_fft * s.nx_fft * f));
    GPRPROC_CUDA_CHECK(cudaMemcpy2DAsync(p.tile.get(), s.nx_fft * f, p.stretched.get(), width * f, width * f, nl,
                                         cudaMemcpyDeviceToDevice));
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecR2C(p.forward.get(), p.tile.get(), p.spectrum.get()));
    dip_moveout_filter<<<dim3(blocks_for(nxk, 128), static_cast<unsigned>(std::min<size_t>(s.n_log_fft, 65535))),
                         128>>>(p.spectrum.get(), static_cast<int>(s.n_log_fft), static_cast<int>(s.nx_fft),
                                static_cast<int>(nxk), s.log_step, s.dx, s.half_offset, scale);
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_LIBRARY_CHECK(cufftExecC2R(p.inverse.get(), p.spectrum.get(), p.tile.get()));
    // Its own traces back in log time (compact), then in time into the output's columns.
    GPRPROC_CUDA_CHECK(cudaMemcpy2DAsync(p.stretched.get(), kept * f, p.tile.get() + (j0 - a0), s.nx_fft * f,
                                         kept * f, nl, cudaMemcpyDeviceToDevice));
    launch_resample_rows(p.stretched.get(), nl, kept, p.unstretch_position.get(), late, p.traces.get());
    if (late > 0)
      GPRPROC_CUDA_CHECK(cudaMemcpy2DAsync(out + s.first_sample * n + j0, n * f, p.traces.get(), kept * f, kept * f,
                                           late, cudaMemcpyDeviceToDevice));
  }
}

void correct_antenna_offset(const std::vector<float>& position, const DipMoveoutSetup& dip_moveout,
                            ConstBScanView in, BScanView out) {
  DeviceInput input(in);
  DeviceOutput output(out);
  DeviceOffsetRemap remap;
  remap.make(position, in.n_traces, dip_moveout, false);
  remap.apply_into(input.get(), output.get());
  output.finish();
}

}  // namespace gprproc::cuda_backend
