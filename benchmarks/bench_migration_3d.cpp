// 3-D migration (issue 16): Kirchhoff of a 64-line cube (1024 samples x 512
// traces) into 200 depth rows with an aperture radius of 16 traces, in G
// contributions/s; phase shift (and Stolt) of a 64 x 1024 x 1024 cube, time per call; and
// the peak memory of the 3-D Kirchhoff against its tile budget, measured
// (the process's peak resident set, /proc/self/status VmHWM, reset through
// /proc/self/clear_refs before the call), at the default budget and at 64 MiB.
// Plans are made outside the timing (one execute timed), except in the
// memory rows, which make the plan and execute once. --quick: 8 x 256 x 128.
#include "bench_migration_3d.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bench_data.hpp"
#include "gprproc/migration_3d.hpp"

namespace gprproc::bench {

Cube bench_cube(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces) {
  CubeMetadata m;
  m.line = bench_metadata();
  m.dy = m.line.dx;
  m.y0 = 0.0;
  Cube cube(n_lines, n_samples, n_traces, m);
  const BScanMetadata& meta = m.line;
  std::vector<float> column(n_samples);
  for (std::size_t i = 0; i < n_samples; ++i) {
    const double t = meta.time_of_sample(i);
    column[i] = 2.0f * ricker(t - 1.5e-9, meta.center_frequency) + ricker(t - 2.5e-9, meta.center_frequency);
  }
  float* data = cube.data();
#pragma omp parallel for schedule(static)
  for (long long jj = 0; jj < static_cast<long long>(n_lines); ++jj) {
    const std::size_t j = static_cast<std::size_t>(jj);
    std::uint32_t state = 2654435761u * std::uint32_t(j + 1);
    for (std::size_t i = 0; i < n_samples; ++i)
      for (std::size_t k = 0; k < n_traces; ++k) {
        state = state * 1664525u + 1013904223u;
        data[(j * n_samples + i) * n_traces + k] = column[i] + 0.02f * (float(state >> 8) / 16777216.0f - 0.5f);
      }
    // Diffraction bowls of point targets every 0.4 m in x and y, 0.2-0.6 m deep.
    const double y = m.position_of_line(j);
    for (double yt = 0.2; yt < m.position_of_line(n_lines - 1) + 0.2; yt += 0.4)
      for (double xt = 0.2; xt < meta.position_of_trace(n_traces - 1) + 0.2; xt += 0.4) {
        const double zt = 0.2 + 0.1 * std::fmod(std::round((xt + yt) / 0.4), 5.0);
        for (std::size_t k = 0; k < n_traces; ++k) {
          const double dx = meta.position_of_trace(k) - xt, dy = y - yt;
          const double r = std::sqrt(dx * dx + dy * dy + zt * zt);
          if (r > 3.0 * zt) continue;
          const double t = 2.0 * r / bench_velocity + 2.0 * meta.antenna_height / speed_of_light;
          const std::size_t centre = std::size_t(t / meta.dt);
          for (std::size_t i = centre > 30 ? centre - 30 : 0; i < std::min(n_samples, centre + 30); ++i)
            data[(j * n_samples + i) * n_traces + k] +=
                float(0.5 * zt / r) * ricker(meta.time_of_sample(i) - t - 1.5e-9, meta.center_frequency);
        }
      }
  }
  return cube;
}

namespace {

DepthAxis axis_of(std::size_t n_z) {
  DepthAxis a;
  a.dz = 5e-3;
  a.depth = a.dz * static_cast<double>(n_z - 1);
  return a;
}

Cube3DCase kirchhoff_case(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces, std::size_t n_z,
                          int radius_traces) {
  Cube3DCase c;
  c.name = "kirchhoff_3d";
  c.n_lines = n_lines;
  c.n_samples = n_samples;
  c.n_traces = n_traces;
  c.n_z = n_z;
  c.work_unit = "contributions/s";
  c.parameters = "aperture radius " + std::to_string(radius_traces) + " traces, " + std::to_string(n_z) +
                 " depths, angle limit 80 degrees, oversampling 4, default tiles, plan reused";
  c.prepare = [radius_traces](Device device, Cube3DCase& self) -> CubeRunner {
    CubeMetadata m;
    m.line = bench_metadata();
    m.dy = m.line.dx;
    Kirchhoff3DOptions o;
    o.aperture = (radius_traces + 0.5) * m.line.dx;  // radius_traces traces each way have non-zero weight
    o.max_angle = 80.0 * 3.14159265358979323846 / 180.0;
    auto plan = std::make_shared<Kirchhoff3DPlan>(m, self.n_lines, self.n_samples, self.n_traces,
                                                  VelocityModel::constant(bench_velocity), axis_of(self.n_z), o,
                                                  device);
    self.work = plan->contributions();
    std::ostringstream note;
    note << ", tiles " << plan->tile_lines() << " lines x " << plan->tile_traces() << " traces";
    self.parameters += note.str();
    return [plan](ConstBScanStackView in, BScanStackView out) { plan->execute(in, out); };
  };
  return c;
}

Cube3DCase phase_shift_case(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces, std::size_t n_z) {
  Cube3DCase c;
  c.name = "phase_shift_3d";
  c.n_lines = n_lines;
  c.n_samples = n_samples;
  c.n_traces = n_traces;
  c.n_z = n_z;
  c.work = double(n_lines) * double(n_samples) * double(n_traces);
  c.prepare = [](Device device, Cube3DCase& self) -> CubeRunner {
    CubeMetadata m;
    m.line = bench_metadata();
    m.dy = m.line.dx;
    PhaseShift3DOptions o;
    o.dip_moveout = false;  // the migration itself (the 2-D suite has the DMO's row)
    auto plan = std::make_shared<PhaseShift3DPlan>(m, self.n_lines, self.n_samples, self.n_traces,
                                                   VelocityModel::constant(bench_velocity), axis_of(self.n_z), o,
                                                   device);
    std::ostringstream note;
    note << "constant v, padding 2x2x2 (FFT " << plan->fft_lines() << "x" << plan->fft_traces() << "x"
         << plan->fft_time() << "), " << self.n_z << " depths, offset NMO, no DMO, "
         << plan->work_bytes() / 1048576.0 << " MiB of buffers, plan reused";
    self.parameters = note.str();
    return [plan](ConstBScanStackView in, BScanStackView out) { plan->execute(in, out); };
  };
  return c;
}

Cube3DCase stolt_case(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces, std::size_t n_z) {
  Cube3DCase c = phase_shift_case(n_lines, n_samples, n_traces, n_z);
  c.name = "stolt_3d";
  c.prepare = [](Device device, Cube3DCase& self) -> CubeRunner {
    CubeMetadata m;
    m.line = bench_metadata();
    m.dy = m.line.dx;
    Stolt3DOptions o;
    o.dip_moveout = false;
    auto plan = std::make_shared<Stolt3DPlan>(m, self.n_lines, self.n_samples, self.n_traces, bench_velocity,
                                              axis_of(self.n_z), o, device);
    self.parameters = "padding 2x2x2, " + std::to_string(self.n_z) + " depths, offset NMO, no DMO, plan reused";
    return [plan](ConstBScanStackView in, BScanStackView out) { plan->execute(in, out); };
  };
  return c;
}

// VmHWM / VmRSS of this process, bytes (0 where /proc is not there).
double status_bytes(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(key, 0) == 0) return 1024.0 * std::atof(line.c_str() + std::strlen(key));
  return 0.0;
}

bool reset_peak_rss() {
#if defined(__GLIBC__)
  // Free heap pages back to the system first: buffers below glibc's mmap
  // threshold would otherwise reuse pages already resident and not show.
  malloc_trim(0);
#endif
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";  // resets VmHWM to the current RSS (Linux >= 4.0)
  clear.flush();
  return static_cast<bool>(clear);
}

}  // namespace

std::vector<Cube3DCase> migration_3d_cases(const Options& options) {
  std::vector<Cube3DCase> cases;
  if (options.quick) {
    cases.push_back(kirchhoff_case(8, 256, 128, 50, 8));
    cases.push_back(phase_shift_case(8, 256, 128, 50));
    cases.push_back(stolt_case(8, 256, 128, 50));
  } else if (has_shape(options, "field")) {
    cases.push_back(kirchhoff_case(64, 1024, 512, 200, 16));
    cases.push_back(phase_shift_case(64, 1024, 1024, 200));
    cases.push_back(stolt_case(64, 1024, 1024, 200));
  }
  return cases;
}

namespace {

// The peak resident memory of making a Kirchhoff plan and executing it once,
// over what the process held before (the cube and the image), against the
// tile budget and the plan's own count of its buffers.
void kirchhoff_memory(const Options& options, std::vector<Measurement>& out) {
  const std::size_t n_lines = options.quick ? 8 : 64, n_samples = options.quick ? 256 : 1024,
                    n_traces = options.quick ? 128 : 512, n_z = options.quick ? 50 : 200;
  const int radius = options.quick ? 8 : 16;
  const Cube cube = bench_cube(n_lines, n_samples, n_traces);
  for (const double budget : {256.0 * 1048576.0, 64.0 * 1048576.0}) {
    if (!options.wants_op(budget > 100e6 ? "kirchhoff_3d_memory" : "kirchhoff_3d_memory_64MiB")) continue;
    std::vector<float> image(n_lines * n_z * n_traces, 1.0f);  // touched: part of the baseline
    const bool reset = reset_peak_rss();
    const double before = status_bytes(reset ? "VmRSS:" : "VmHWM:");
    const auto start = std::chrono::steady_clock::now();
    CubeMetadata m = cube.metadata;
    Kirchhoff3DOptions o;
    o.aperture = (radius + 0.5) * m.line.dx;
    o.max_angle = 80.0 * 3.14159265358979323846 / 180.0;
    o.tile_memory = budget;
    Kirchhoff3DPlan plan(m, n_lines, n_samples, n_traces, VelocityModel::constant(bench_velocity), axis_of(n_z), o,
                         Device::cpu);
    plan.execute(cube.view(), BScanStackView{image.data(), n_lines, n_z, n_traces, Memory::host});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double peak = status_bytes("VmHWM:");
    const double mib = 1048576.0;
    std::ostringstream note;
    note.precision(4);
    note << "plan + one execute: peak RSS " << (peak - before) / mib << " MiB over the cube and image"
         << (reset ? "" : " (VmHWM not resettable here: over the earlier peak)") << "; tile budget " << budget / mib
         << " MiB, the plan's tile buffers " << plan.tile_bytes() / mib << " MiB + table " << plan.table_bytes() / mib
         << " MiB; tiles " << plan.tile_lines() << " lines x " << plan.tile_traces() << " traces";
    out.push_back({budget > 100e6 ? "kirchhoff_3d_memory" : "kirchhoff_3d_memory_64MiB", "cpu",
                   std::to_string(n_lines) + "x" + std::to_string(n_samples) + "x" + std::to_string(n_traces),
                   seconds, plan.contributions(), "contributions/s", 0.0, note.str()});
    std::fprintf(stderr, "[bench]   %-22s cpu %s\n", out.back().name.c_str(), note.str().c_str());
  }
}

const bool registered = register_suite("migration_3d_cpu", [](const Options& options, std::vector<Measurement>& out) {
  for (Cube3DCase& c : migration_3d_cases(options)) {
    bool skipped = !options.wants_op(c.name);
    for (const auto& text : options.cpu_skip) skipped = skipped || c.name.find(text) != std::string::npos;
    if (skipped) continue;
    try {
      const Cube cube = bench_cube(c.n_lines, c.n_samples, c.n_traces);
      std::vector<float> image(c.n_lines * c.n_z * c.n_traces);
      const CubeRunner run = c.prepare(Device::cpu, c);
      const BScanStackView image_view{image.data(), c.n_lines, c.n_z, c.n_traces, Memory::host};
      const double seconds = median_seconds([&] { run(cube.view(), image_view); }, options);
      out.push_back({c.name, "cpu", c.size(), seconds, c.work, c.work_unit, 0.0, c.parameters});
      std::fprintf(stderr, "[bench]   %-22s cpu %-14s %9.3f ms\n", c.name.c_str(), c.size().c_str(), seconds * 1e3);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[bench]   %s cpu %s FAILED: %s\n", c.name.c_str(), c.size().c_str(), e.what());
      out.push_back({c.name, "cpu", c.size(), 0.0, 0.0, "", 0.0, std::string("FAILED: ") + e.what()});
    }
  }
  if (options.quick || has_shape(options, "field")) kirchhoff_memory(options, out);
});

}  // namespace

}  // namespace gprproc::bench
