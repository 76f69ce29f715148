#pragma once
// Device copies of B-scans for the preprocessing/gain CUDA tests, and the
// comparison of GPU and CPU results within a stated tolerance.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "device_buffer.hpp"
#include "gprproc/bscan.hpp"
#include "preprocessing_signals.hpp"

namespace gprproc_test {

// A B-scan's samples in device memory.
struct DeviceBScan {
  explicit DeviceBScan(const gprproc::BScan& b)
      : buffer(b.size()), n_samples(b.n_samples()), n_traces(b.n_traces()) {
    buffer.copy_from_host(b.data(), b.size());
    GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
  }
  DeviceBScan(std::size_t ns, std::size_t nt) : buffer(ns * nt), n_samples(ns), n_traces(nt) {}
  gprproc::BScanView view() { return {buffer.get(), n_samples, n_traces, gprproc::Memory::device}; }
  gprproc::ConstBScanView cview() const { return {buffer.get(), n_samples, n_traces, gprproc::Memory::device}; }
  std::vector<float> host() const {
    std::vector<float> out(n_samples * n_traces);
    buffer.copy_to_host(out.data(), out.size());
    GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
    return out;
  }
  gprproc::cuda_backend::DeviceBuffer<float> buffer;
  std::size_t n_samples, n_traces;
};

// max |a - b| <= tolerance * max |b| (b: the CPU result).
inline void require_close(const std::vector<float>& a, const std::vector<float>& b, double tolerance) {
  REQUIRE(a.size() == b.size());
  double scale = 0.0, err = 0.0;
  for (std::size_t k = 0; k < b.size(); ++k) {
    scale = std::max(scale, std::abs(static_cast<double>(b[k])));
    err = std::max(err, std::abs(static_cast<double>(a[k]) - b[k]));
  }
  INFO("max |GPU - CPU| = " << err << ", max |CPU| = " << scale);
  REQUIRE(err <= tolerance * std::max(scale, 1e-30));
}

// Ricker pulses plus a wow plus noise: a B-scan exercising every filter.
inline gprproc::BScan test_bscan(std::size_t ns, std::size_t nt, unsigned seed) {
  gprproc::BScan b(ns, nt, metadata(1e-10, -1e-9));
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.05f);
  for (std::size_t j = 0; j < nt; ++j)
    for (std::size_t i = 0; i < ns; ++i) {
      const double t = b.metadata.time_of_sample(i);
      b(i, j) = static_cast<float>(ricker(t - 10e-9 - 0.0137e-9 * j, 500e6) +
                                   0.5 * ricker(t - 30e-9, 800e6) + 0.3 + 1e7 * t) + g(rng);
    }
  return b;
}

}  // namespace gprproc_test
