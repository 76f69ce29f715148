#pragma once
// Shared by the preprocessing and gain dispatch code (src/filters*.cpp,
// src/gain*.cpp): argument checks with messages that name the parameter, its
// value and the valid range, and the choice of backend for a set of views.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <sstream>
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/error.hpp"
#include "gprproc/plausibility.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace gprproc::preprocessing {

[[noreturn]] inline void throw_parameter(const std::string& operation, const std::string& name, double value,
                                         const std::string& valid) {
  std::ostringstream msg;
  msg << operation << ": parameter '" << name << "' = " << value << " is invalid; " << valid;
  throw InvalidArgument(msg.str());
}

inline void require_finite(const std::string& operation, const std::string& name, double value) {
  if (!std::isfinite(value)) throw_parameter(operation, name, value, "it must be a finite number");
}

// What these operations need of the metadata: the time axis (dx and the
// antenna geometry do not matter here, so bare arrays need only dt).
inline void check_time_axis(const std::string& operation, const BScanMetadata& metadata) {
  if (!(std::isfinite(metadata.dt) && metadata.dt > 0.0))
    throw_parameter(operation, "dt", metadata.dt, "the sample interval (s) must be positive and finite");
  require_finite(operation, "t0", metadata.t0);
  plausibility::check_time_axis(operation, metadata);  // dt = 0.1 meant as ns, ...
}

// `out` must have the shape of `in`; both non-empty.
inline void check_same_shape(const std::string& operation, ConstBScanView in, ConstBScanView out,
                             const char* out_name = "output") {
  validate(in, (operation + " input").c_str());
  validate(out, (operation + " " + out_name).c_str());
  if (in.n_samples != out.n_samples || in.n_traces != out.n_traces) {
    std::ostringstream msg;
    msg << operation << ": the " << out_name << " has shape (" << out.n_samples << ", " << out.n_traces
        << ") but the input has shape (" << in.n_samples << ", " << in.n_traces << "); they must match";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

inline ConstBScanView as_const(BScanView v) { return {v.samples, v.n_samples, v.n_traces, v.memory}; }

// The backend for views in the given memories: device memory needs CUDA (an
// explicit cpu request is refused), host memory follows `requested`.
inline Device choose_device(const std::string& operation, Device requested, std::initializer_list<Memory> memories) {
  bool any_device = false;
  for (Memory m : memories) any_device = any_device || m == Memory::device;
  if (any_device) {
    if (requested == Device::cpu)
      throw InvalidArgument(operation + ": device-memory views need Device::cuda (or automatic), not Device::cpu");
    return resolve_device(Device::cuda);
  }
  return resolve_device(requested);
}

// OpenMP threads for one memory-bound pass (a few ms per 16 MiB) over
// `n_values` floats: all of them for a big array on a machine with cores to
// spare; one for a small array (below kParallelValues a thread's wake-up and
// join cost more than it saves) or when the 1-minute load average says the
// cores are taken (then a second thread that the OS deschedules holds the
// join up for a whole time slice: 2 threads measured 2.4-5x slower than 1 on
// this 2-core machine at load 6, in steps of the 4 ms scheduler tick). This is the idea of
// libgomp's OMP_DYNAMIC, applied to these short passes only. Kernels that run
// longer (FFT filters, migration) keep every thread.
constexpr std::size_t kParallelValues = std::size_t{1} << 18;

inline int memory_bound_threads(std::size_t n_values) {
#ifdef _OPENMP
  if (n_values < kParallelValues) return 1;
  const int threads = omp_get_max_threads();
  if (threads <= 1) return 1;
#if defined(__unix__) || defined(__APPLE__)
  double load = 0.0;
  // More runnable tasks than cores even counting one for this process (its own
  // threads alone, busy for a minute, make a load of `threads`).
  if (getloadavg(&load, 1) == 1 && load >= static_cast<double>(omp_get_num_procs()) + 1.0) return 1;
#endif
  return threads;
#else
  (void)n_values;
  return 1;
#endif
}

// True when every one of the n values is finite. x * 0 is (+-)0 for finite x
// and NaN for NaN or Inf, so a sum of those is 0 exactly when all are finite:
// no branch per value, and the loop vectorises (omp simd allows the
// reassociation). Chunks let a bad value stop the scan early.
inline bool all_finite(const float* values, std::size_t n) {
  constexpr std::size_t kChunk = 16384;
  const long n_chunks = static_cast<long>((n + kChunk - 1) / kChunk);
  bool ok = true;
#pragma omp parallel for schedule(dynamic, 16) reduction(&& : ok) num_threads(memory_bound_threads(n))
  for (long c = 0; c < n_chunks; ++c) {
    const std::size_t k0 = static_cast<std::size_t>(c) * kChunk, k1 = std::min(n, k0 + kChunk);
    float zero = 0.0f;
#pragma omp simd reduction(+ : zero)
    for (std::size_t k = k0; k < k1; ++k) zero += values[k] * 0.0f;
    ok = ok && zero == 0.0f;
  }
  return ok;
}

// Host views are checked for NaN/Inf here; device views by the CUDA kernels.
// The fast scan above decides; check_finite then names the first bad sample.
inline void check_input_finite(const std::string& operation, ConstBScanView in) {
  if (in.memory == Memory::host && !all_finite(in.samples, in.size())) check_finite(in, (operation + " input").c_str());
}

// Kernels that fuse the NaN/Inf check into their own pass over the input call
// this when their pass saw a non-finite value (or an overflow that looks like
// one): it throws naming the first bad sample, or returns if the input is
// finite after all.
inline void confirm_input_finite(const std::string& operation, ConstBScanView in) {
  check_finite(in, (operation + " input").c_str());
}

// True when the output memory overlaps the input (an in-place call): a kernel
// that checks its input while it writes its output must then check first, so
// that a rejected input is left as it was.
inline bool overlaps(ConstBScanView in, BScanView out) {
  if (!in.samples || !out.samples) return false;
  const auto a = reinterpret_cast<std::uintptr_t>(in.samples), b = reinterpret_cast<std::uintptr_t>(out.samples);
  return a < b + out.size() * sizeof(float) && b < a + in.size() * sizeof(float);
}

// Number of samples a time span covers, rounded to the nearest whole sample.
inline double samples_in(double seconds, double dt) { return std::round(seconds / dt); }

}  // namespace gprproc::preprocessing
