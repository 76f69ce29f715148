#pragma once
// 3-D migration benchmark cases (benchmarks/bench_migration_3d.cpp), shared
// by the CPU suite there and the CUDA suite (bench_migration_3d_cuda.cu).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "bench_harness.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/device.hpp"

namespace gprproc::bench {

using CubeRunner = std::function<void(ConstBScanStackView in, BScanStackView out)>;

struct Cube3DCase {
  std::string name;        // "kirchhoff_3d", "phase_shift_3d", "stolt_3d"
  std::string parameters;  // shown in the note
  std::size_t n_lines = 0, n_samples = 0, n_traces = 0, n_z = 0;
  double work = 0.0;  // per run, in work_unit's numerator (filled by prepare for Kirchhoff)
  std::string work_unit = "samples/s";
  std::function<CubeRunner(Device, Cube3DCase&)> prepare;

  std::string size() const {
    return std::to_string(n_lines) + "x" + std::to_string(n_samples) + "x" + std::to_string(n_traces);
  }
};

// The cases at the selected sizes: issue 16's (64 lines x 1024 samples x 512
// traces -> 200 depths, aperture radius 16 traces; phase shift 64 x 1024 x
// 1024) unless --quick (8 x 256 x 128).
std::vector<Cube3DCase> migration_3d_cases(const Options& options);

// A synthetic cube: ringing direct wave and ground bounce, 3-D diffraction
// bowls on a 0.4 m grid, noise; the bench geometry (bench_metadata), dy = dx.
Cube bench_cube(std::size_t n_lines, std::size_t n_samples, std::size_t n_traces);

}  // namespace gprproc::bench
