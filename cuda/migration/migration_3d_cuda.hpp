#pragma once
// What the 3-D migration plans (src/migration/kirchhoff_3d.cpp,
// src/migration/phase_shift_3d.cpp) hand their CPU execution and the CUDA
// backend (cuda/migration/kirchhoff_3d.cu, phase_shift_3d.cu). Plain C++ (no
// CUDA headers), so the dispatch in src/ can hold the device plans.
#include <cstddef>
#include <memory>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/detail/migration_3d_math.hpp"
#include "migration_cuda.hpp"  // DipMoveoutSetup

namespace gprproc::cuda_backend {

struct Kirchhoff3DSetup {
  std::size_t n_lines = 0, n_samples = 0, n_traces = 0, n_z = 0;
  int oversampling = 1;
  int halo_lines = 0, halo_traces = 0;  // the largest |line offset| and |trace offset| of any entry
  // Entries of depth row i: entries[row_begin[i] .. row_begin[i + 1]).
  std::vector<detail::Kirchhoff3DEntry> entries;
  std::vector<int> row_begin;  // (n_z + 1)
  // Anti-aliasing (empty when off): per entry {triangle half-length in
  // oversampled samples, DC gain (detail::antialias_dc_gain)}, and the zero
  // samples padded each side of the doubly integrated traces.
  std::vector<float> antialias;
  int antialias_pad = 0;
  bool derivative = false;
  std::size_t fft_length = 0;  // padded trace length of the pre-filter (0 when off)
  double dt = 0.0;
  std::size_t tile_lines = 0;   // image lines per block (>= 1)
  std::size_t tile_traces = 0;  // image columns per tile (>= 1)

  std::size_t n_os() const { return n_samples * static_cast<std::size_t>(oversampling); }
  // Lines held at once: a block and the halo each side (at most every line).
  std::size_t ring_lines() const {
    const std::size_t want = tile_lines + 2 * static_cast<std::size_t>(halo_lines);
    return want < n_lines ? want : n_lines;
  }
  // Traces a tile's buffers hold: its columns and the halo each side.
  std::size_t buffer_traces() const {
    const std::size_t want = tile_traces + 2 * static_cast<std::size_t>(halo_traces);
    return want < n_traces ? want : n_traces;
  }
};

class Kirchhoff3DDevicePlan {
 public:
  explicit Kirchhoff3DDevicePlan(const Kirchhoff3DSetup& setup);
  ~Kirchhoff3DDevicePlan();
  Kirchhoff3DDevicePlan(const Kirchhoff3DDevicePlan&) = delete;
  Kirchhoff3DDevicePlan& operator=(const Kirchhoff3DDevicePlan&) = delete;
  // in: (n_lines, n_samples, n_traces), out: (n_lines, n_z, n_traces); host or device views.
  void execute(ConstBScanStackView in, BScanStackView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// 3-D phase shift: padded FFT lengths and, per image row, the thickness of
// each layer above it (as the 2-D PhaseShiftSetup), plus the line axis.
struct PhaseShift3DSetup {
  std::size_t n_lines = 0, n_samples = 0, n_traces = 0, n_z = 0;
  std::size_t nt = 0, nx = 0, ny = 0;  // padded FFT lengths: time, traces, lines
  double dt = 0.0, dx = 0.0, dy = 0.0, t0 = 0.0, antenna_height = 0.0;
  int n_layers = 0;
  std::vector<double> thickness;       // (n_z, n_layers), m
  std::vector<double> half_velocity;   // (n_layers), m/s
  std::vector<float> offset_position;  // per-line remap to zero offset: empty, or n_samples positions
  DipMoveoutSetup dip_moveout;         // after the remap, along each line; empty: none
};

class PhaseShift3DDevicePlan {
 public:
  explicit PhaseShift3DDevicePlan(const PhaseShift3DSetup& setup);
  ~PhaseShift3DDevicePlan();
  PhaseShift3DDevicePlan(const PhaseShift3DDevicePlan&) = delete;
  PhaseShift3DDevicePlan& operator=(const PhaseShift3DDevicePlan&) = delete;
  void execute(ConstBScanStackView in, BScanStackView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// 3-D Stolt: padded FFT lengths (time, traces, lines, depth), the time
// rotation and the mapping's constants, as the 2-D StoltSetup.
struct Stolt3DSetup {
  std::size_t n_lines = 0, n_samples = 0, n_traces = 0, n_z = 0;
  std::size_t nt = 0, nx = 0, ny = 0, nz = 0;
  std::size_t centre = 0;  // samples the time buffer is rotated by
  double dt = 0.0, dx = 0.0, dy = 0.0, dz = 0.0;
  double half_velocity = 0.0;
  double time_origin_shift = 0.0;  // s: t0 + centre dt
  double datum_height = 0.0;       // m: antenna height
  double z0 = 0.0;
  std::vector<float> offset_position;
  DipMoveoutSetup dip_moveout;
};

class Stolt3DDevicePlan {
 public:
  explicit Stolt3DDevicePlan(const Stolt3DSetup& setup);
  ~Stolt3DDevicePlan();
  Stolt3DDevicePlan(const Stolt3DDevicePlan&) = delete;
  Stolt3DDevicePlan& operator=(const Stolt3DDevicePlan&) = delete;
  void execute(ConstBScanStackView in, BScanStackView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gprproc::cuda_backend
