#pragma once
// Synthetic field-like B-scans for the benchmarks: a ringing direct wave and
// ground bounce (flat, the background), a few diffraction hyperbolas (the
// targets), a slow "wow" and noise. Deterministic, so CPU, GPU and peers see
// the same numbers; cheap to make, so the 2 GiB batch does not dominate the run.
#include <cmath>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/velocity_model.hpp"
#include "bench_harness.hpp"

namespace gprproc::bench {

// The geometry every suite uses: 1 GHz antenna, 50 ps sampling (1024 samples
// = 51 ns, about 2.5 m of depth at 0.1 m/ns), 1 cm trace spacing.
inline BScanMetadata bench_metadata() {
  BScanMetadata m;
  m.dt = 50e-12;
  m.t0 = 0.0;
  m.dx = 0.01;
  m.x0 = 0.0;
  m.antenna_offset = 0.04;
  m.antenna_height = 0.03;
  m.center_frequency = 1e9;
  m.component = "Ez";
  m.source = "gprproc-bench synthetic";
  return m;
}
constexpr double bench_velocity = 1.0e8;  // m/s in the ground

inline float ricker(double t, double frequency) {
  const double a = 3.14159265358979323846 * frequency * t;
  return float((1.0 - 2.0 * a * a) * std::exp(-a * a));
}

inline BScan bench_bscan(const Shape& shape) {
  const BScanMetadata meta = bench_metadata();
  if (shape.n_bscans > 1) {
    // A stack: one B-scan of the shape, repeated (the channels of an array
    // over the same ground), held as n_bscans * n_samples rows.
    const BScan one = bench_bscan(Shape{shape.label, shape.n_samples, shape.n_traces});
    BScan stack(shape.rows(), shape.n_traces, meta);
    for (std::size_t k = 0; k < shape.n_bscans; ++k)
      std::copy(one.data(), one.data() + one.size(), stack.data() + k * one.size());
    return stack;
  }
  BScan b(shape.n_samples, shape.n_traces, meta);
  const std::size_t ns = shape.n_samples, nt = shape.n_traces;
  // One column pattern (background + wow), then targets and noise per trace.
  std::vector<float> column(ns);
  for (std::size_t i = 0; i < ns; ++i) {
    const double t = meta.time_of_sample(i);
    column[i] = 2.0f * ricker(t - 1.5e-9, meta.center_frequency) + 1.0f * ricker(t - 2.5e-9, meta.center_frequency) +
                0.3f * float(std::exp(-t / 20e-9));
  }
  float* data = b.data();
#if defined(_OPENMP)  // nvcc builds this header without OpenMP
#pragma omp parallel for schedule(static)
#endif
  for (long long i = 0; i < (long long)ns; ++i) {
    std::uint32_t state = 2654435761u * std::uint32_t(i + 1);
    for (std::size_t j = 0; j < nt; ++j) {
      state = state * 1664525u + 1013904223u;  // LCG noise, uniform in [-0.01, 0.01)
      data[std::size_t(i) * nt + j] = column[std::size_t(i)] + 0.02f * (float(state >> 8) / 16777216.0f - 0.5f);
    }
  }
  // A point diffractor every 1 m along the line at 0.2 .. 1.0 m depth.
  const double v = bench_velocity;
  for (std::size_t target = 0; target * 100 + 50 < nt; ++target) {
    const double xt = meta.position_of_trace(target * 100 + 50);
    const double zt = 0.2 + 0.2 * double(target % 5);
    const std::size_t first = target * 100 + 50 > 150 ? target * 100 + 50 - 150 : 0;
    const std::size_t last = std::min(nt, target * 100 + 50 + 150);
    for (std::size_t j = first; j < last; ++j) {
      const double x = meta.position_of_trace(j) - xt;
      const double t = 2.0 * std::sqrt(x * x + zt * zt) / v + 2.0 * meta.antenna_height / speed_of_light;
      const double amplitude = 0.5 * zt / std::sqrt(x * x + zt * zt);
      const std::size_t centre = std::size_t(t / meta.dt);
      for (std::size_t i = centre > 30 ? centre - 30 : 0; i < std::min(ns, centre + 30); ++i)
        data[i * nt + j] += float(amplitude) * ricker(meta.time_of_sample(i) - t - 1.5e-9, meta.center_frequency);
    }
  }
  return b;
}

}  // namespace gprproc::bench
