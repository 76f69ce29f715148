// The FP32 issue limit of the device in use: SMs x FP32 lanes per SM x clock.
// It bounds Kirchhoff (compute-bound): at the measured contributions/s the
// limit leaves issue / rate FP32 instructions per contribution.
#include <cuda_runtime.h>

#include "bench_cuda_support.hpp"
#include "gprproc/device.hpp"

namespace gprproc::bench {

namespace {
// FP32 lanes per SM by compute capability (CUDA C Programming Guide, arithmetic
// instruction throughput table).
int fp32_lanes_per_sm(int major, int minor) {
  if (major == 8 && minor == 0) return 64;  // A100
  if (major >= 8) return 128;               // sm_86/89 (Ampere/Ada consumer), sm_90 (H100), sm_100+
  if (major == 7) return 64;                // Volta / Turing
  if (major == 6 && minor == 0) return 64;
  return 128;
}
}  // namespace

double fp32_issue_limit() {
  if (!cuda_available()) return 0.0;
  int device = 0, sms = 0, clock_khz = 0, major = 0, minor = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return 0.0;
  // cudaDeviceProp::clockRate is gone in CUDA 13: ask the attributes.
  if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device) != cudaSuccess)
    return 0.0;
  return double(sms) * double(fp32_lanes_per_sm(major, minor)) * double(clock_khz) * 1e3;
}

}  // namespace gprproc::bench
