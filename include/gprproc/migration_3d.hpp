#pragma once
// 3-D migration of cubes (n_lines, n_samples, n_traces) into 3-D depth images
// (n_lines, n_z, n_x): a target's diffraction bowl collapses into one point in
// x, y and depth. The image lines and columns are the cube's (line j at
// y0 + j dy, column i at x0 + i dx); the rows are depths below the ground on
// the DepthAxis. Geometry as the 2-D migration (gprproc/migration.hpp), from
// the cube's line metadata: trace i of line j is the transmitter-receiver
// midpoint (x0 + i dx, y0 + j dy); the transmitter and receiver lie along the
// line direction x, antenna_offset apart (transmitter at midpoint - offset/2);
// both antenna_height above a flat ground; t0 is the time of sample 0.
//
// Plans hold the set-up (travel-time and weight tables, FFT sizes and, on
// CUDA, plans and device buffers) and execute many times. Unlike the 2-D
// plans, a 3-D plan may be executed from several threads at once: calls are
// serialised by a mutex inside the plan (each call already uses every core
// through OpenMP, or the whole GPU).
// Algorithms, weights and references: docs/MIGRATION.md, "3-D migration".
#include <cstddef>
#include <limits>
#include <memory>

#include "gprproc/bscan.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/device.hpp"
#include "gprproc/migration.hpp"  // DepthAxis
#include "gprproc/velocity_model.hpp"

namespace gprproc {

struct Kirchhoff3DOptions {
  // Radius (m) of the circular aperture: traces whose midpoint lies farther
  // than this from the image point horizontally are not summed. Infinity
  // (the default) sums the whole cube (within max_angle).
  double aperture = std::numeric_limits<double>::infinity();
  // Largest angle from the vertical (radians, in (0, pi/2)) between the image
  // point and a trace's midpoint: the aperture radius at depth z is also
  // limited to (z + antenna_height) tan(max_angle).
  double max_angle = 1.2217304763960306;  // 70 degrees
  // Fraction of the (depth-dependent) radius over which a cosine taper takes
  // the weight from 1 to 0 at its edge, in [0, 1].
  double taper = 0.25;
  // The 3-D pre-filter, the time derivative (the 2-D plan's half-derivative
  // squared): with it a zero-phase wavelet focuses as a zero-phase wavelet.
  bool derivative = true;
  // dx dy cos(theta) / (2 pi u r) weights, u = v / 2 (docs/MIGRATION.md);
  // without them, a plain (tapered) diffraction sum times dx dy.
  bool obliquity_weights = true;
  // Each trace is resampled this many times finer by windowed sinc once per
  // execute, then read by linear interpolation. 1 .. 16.
  int oversampling = 4;
  // Triangle-filter anti-aliasing (Lumley, Claerbout and Bevc 1994) with the
  // larger of the operator's dips along x and along y. Off by default.
  bool antialias = false;
  // Tiling (docs/MIGRATION.md, "3-D migration"): image lines are made in
  // blocks of `tile_lines`, sweeping the cube once with a rolling window of
  // the block's lines plus the aperture's reach in lines each side (each
  // input line is filtered and oversampled once per tile column); image
  // columns in tiles of `tile_traces`, each with a halo of the aperture's
  // reach in traces. The result is the untiled one (bitwise on the CPU).
  // 0 (the default) chooses each so that the buffers of one tile fit in
  // `tile_memory` bytes: whole lines first, then narrower tiles of columns
  // (at least 32 columns: an aperture wider than the budget can exceed it).
  std::size_t tile_lines = 0;
  std::size_t tile_traces = 0;
  double tile_memory = 256.0 * 1024.0 * 1024.0;  // bytes, > 0
};

class Kirchhoff3DPlan {
 public:
  // Set-up for cubes of shape (n_lines, n_samples, n_traces) with
  // `metadata`'s geometry. `device` is resolved here (automatic: CUDA when present).
  Kirchhoff3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces,
                  const VelocityModel& velocity, const DepthAxis& depth_axis, const Kirchhoff3DOptions& options = {},
                  Device device = Device::automatic);
  ~Kirchhoff3DPlan();
  Kirchhoff3DPlan(Kirchhoff3DPlan&&) noexcept;
  Kirchhoff3DPlan& operator=(Kirchhoff3DPlan&&) noexcept;
  Kirchhoff3DPlan(const Kirchhoff3DPlan&) = delete;
  Kirchhoff3DPlan& operator=(const Kirchhoff3DPlan&) = delete;

  std::size_t n_lines() const;
  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid3D grid() const;
  Device device() const;  // cpu or cuda
  // Pixel-trace pairs summed per execute (non-zero weights), for benchmarks.
  double contributions() const;
  // Image lines per block and columns per tile (n_lines / n_x when untiled),
  // and the halos: the largest line and trace offsets any pixel sums.
  std::size_t tile_lines() const;
  std::size_t tile_traces() const;
  std::size_t halo_lines() const;
  std::size_t halo_traces() const;
  // Bytes of the per-tile buffers (what tile_memory bounds) and of the
  // plan's tables (made once, not tiled).
  double tile_bytes() const;
  double table_bytes() const;

  // `in`: (n_lines, n_samples, n_traces); `out`: (n_lines, n_z, n_x); not the
  // same memory. A CUDA plan takes host or device views; a CPU plan host only.
  void execute(ConstBScanStackView in, BScanStackView out) const;
  // Host cube in, new image out (with a history step). Its shape and geometry
  // must be the plan's.
  DepthImage3D execute(const Cube& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off 3-D Kirchhoff migration (builds a plan and executes it once).
void migrate_kirchhoff_3d(ConstBScanStackView in, const CubeMetadata& metadata, const VelocityModel& velocity,
                          const DepthAxis& depth_axis, const Kirchhoff3DOptions& options, BScanStackView out,
                          Device device = Device::automatic);
DepthImage3D migrate_kirchhoff_3d(const Cube& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                  const Kirchhoff3DOptions& options = {}, Device device = Device::automatic);

struct PhaseShift3DOptions {
  // Zero-padding factors (>= 1, <= 16; each padded length is then rounded up
  // to a length with prime factors 2, 3, 5, 7) in time, along x (traces) and
  // along y (lines), against wrap-around of the FFTs.
  double time_padding = 2.0;
  double trace_padding = 2.0;
  double line_padding = 2.0;
  // Remap each line from common offset to zero offset first (the 2-D
  // correct_antenna_offset: NMO through the v(z) model, then dip moveout
  // along the line, which is the offset's direction; docs/MIGRATION.md).
  // Without it the cube is taken as zero offset.
  bool correct_offset = true;
  bool dip_moveout = true;
};

// 3-D phase-shift (Gazdag) migration for a layered v(z): exact for
// horizontal layers and zero-offset data; a common-offset cube is remapped to
// zero offset line by line first, and an antenna height is removed by
// continuation through air. CPU (PocketFFT) and CUDA (cuFFT). Memory: the
// padded 3-D spectrum (time_padding x trace_padding x line_padding times the
// cube, complex) and the image's complex (n_z, ny, nx) planes.
class PhaseShift3DPlan {
 public:
  PhaseShift3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces,
                   const VelocityModel& velocity, const DepthAxis& depth_axis, const PhaseShift3DOptions& options = {},
                   Device device = Device::automatic);
  ~PhaseShift3DPlan();
  PhaseShift3DPlan(PhaseShift3DPlan&&) noexcept;
  PhaseShift3DPlan& operator=(PhaseShift3DPlan&&) noexcept;
  PhaseShift3DPlan(const PhaseShift3DPlan&) = delete;
  PhaseShift3DPlan& operator=(const PhaseShift3DPlan&) = delete;

  std::size_t n_lines() const;
  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid3D grid() const;
  Device device() const;
  // The padded FFT lengths: time, traces (x), lines (y).
  std::size_t fft_time() const;
  std::size_t fft_traces() const;
  std::size_t fft_lines() const;
  // Bytes of the buffers one execute allocates (spectrum, image planes, remap).
  double work_bytes() const;

  void execute(ConstBScanStackView in, BScanStackView out) const;
  DepthImage3D execute(const Cube& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

void migrate_phase_shift_3d(ConstBScanStackView in, const CubeMetadata& metadata, const VelocityModel& velocity,
                            const DepthAxis& depth_axis, const PhaseShift3DOptions& options, BScanStackView out,
                            Device device = Device::automatic);
DepthImage3D migrate_phase_shift_3d(const Cube& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                                    const PhaseShift3DOptions& options = {}, Device device = Device::automatic);

// 3-D Stolt f-k migration, constant velocity: the 2-D Stolt mapping with the
// horizontal wavenumber kh = |(kx, ky)| (the mapping depends on kx and ky
// only through kh), on the cube's 3-D spectrum. Geometry handling as the 3-D
// phase shift (zero offset line by line first; antenna height by continuation
// through air). Options as PhaseShift3DOptions. CPU and CUDA (cuFFT).
using Stolt3DOptions = PhaseShift3DOptions;

class Stolt3DPlan {
 public:
  Stolt3DPlan(const CubeMetadata& metadata, std::size_t n_lines, std::size_t n_samples, std::size_t n_traces,
              double velocity, const DepthAxis& depth_axis, const Stolt3DOptions& options = {},
              Device device = Device::automatic);
  ~Stolt3DPlan();
  Stolt3DPlan(Stolt3DPlan&&) noexcept;
  Stolt3DPlan& operator=(Stolt3DPlan&&) noexcept;
  Stolt3DPlan(const Stolt3DPlan&) = delete;
  Stolt3DPlan& operator=(const Stolt3DPlan&) = delete;

  std::size_t n_lines() const;
  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid3D grid() const;
  Device device() const;

  void execute(ConstBScanStackView in, BScanStackView out) const;
  DepthImage3D execute(const Cube& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

void migrate_stolt_3d(ConstBScanStackView in, const CubeMetadata& metadata, double velocity,
                      const DepthAxis& depth_axis, const Stolt3DOptions& options, BScanStackView out,
                      Device device = Device::automatic);
DepthImage3D migrate_stolt_3d(const Cube& in, double velocity, const DepthAxis& depth_axis,
                              const Stolt3DOptions& options = {}, Device device = Device::automatic);

}  // namespace gprproc
