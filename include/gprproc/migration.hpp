#pragma once
// Migration: B-scan (n_samples, n_traces) in, focused depth image (n_z, n_x)
// out. The image columns are the trace positions (n_x = n_traces, dx, x0 of
// the B-scan); the rows are depths below the ground surface on the DepthAxis.
// The geometry comes from the B-scan's metadata: trace j is the
// transmitter-receiver midpoint x0 + j dx, the transmitter and receiver are
// antenna_offset apart, antenna_height above a flat ground, and t0 is the time
// of sample 0 (time zero = the instant the wavelet's peak leaves the antenna).
//
// Expensive set-up (travel-time and weight tables, FFT plans, device buffers)
// lives in plan objects that execute many times (a velocity scan, a stream of
// B-scans). Plans are safe to share between threads: execute (the only call
// that touches the plan's scratch buffers) holds a mutex of the plan, so
// concurrent calls take turns and each gives the image a call on its own
// would (bit for bit); each call itself runs on every OpenMP thread, or on the
// GPU. For concurrent images make one plan per thread. The const accessors
// (n_z, grid, ...) read set-up data only.
// Algorithms, weights and references: docs/MIGRATION.md.
#include <cstddef>
#include <limits>
#include <memory>
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity_model.hpp"

namespace gprproc {

enum class MigrationMethod { kirchhoff, stolt, phase_shift };

const char* to_string(MigrationMethod method) noexcept;
// "kirchhoff", "stolt", "phase_shift"; throws InvalidArgument otherwise.
MigrationMethod parse_migration_method(const std::string& name);

// The depth rows of the output: z0, z0 + dz, ... up to `depth` (included).
struct DepthAxis {
  double dz = 0.0;     // m, row spacing (> 0)
  double depth = 0.0;  // m, deepest row (> 0 and >= z0)
  double z0 = 0.0;     // m, first row (>= 0)
  // Throws InvalidArgument naming the bad field.
  void validate() const;
  std::size_t n_z() const;  // valid axes only
};

struct KirchhoffOptions {
  // Half-width (m) of the aperture: traces farther than this from the image
  // column are not summed. Infinity (the default) sums every trace.
  double aperture = std::numeric_limits<double>::infinity();
  // Largest angle from the vertical (radians, in (0, pi/2)) between the image
  // point and a trace's midpoint: the aperture at depth z is also limited to
  // (z + antenna_height) tan(max_angle).
  double max_angle = 1.2217304763960306;  // 70 degrees
  // Fraction of the (depth-dependent) aperture over which a cosine taper takes
  // the weight from 1 to 0 at its edge, in [0, 1].
  double taper = 0.25;
  // The 2-D half-derivative ("rho") pre-filter sqrt(i omega): with it a
  // zero-phase wavelet focuses as a zero-phase wavelet.
  bool half_derivative = true;
  // cos(theta) / sqrt(spreading) weights (docs/MIGRATION.md); without them,
  // a plain (tapered) diffraction sum.
  bool obliquity_weights = true;
  // Each trace is resampled this many times finer by windowed sinc once per
  // execute, then read by linear interpolation. 1 .. 16; 1 = linear only.
  int oversampling = 4;
  // Anti-aliasing of steep operator dips (Lumley, Claerbout and Bevc 1994):
  // each contribution reads its trace through a triangle filter of half-length
  // |dT/dx| dx, the time the summation curve moves between neighbouring
  // traces, so dips the trace spacing cannot sample add no aliased noise.
  // Costs about 2-3x the plain sum where it acts; off by default
  // (docs/MIGRATION.md says when to turn it on).
  bool antialias = false;
  // Tiling (docs/MIGRATION.md, "Tiled execution"): the image is computed in
  // tiles of columns, each tile filtering and oversampling only its own traces
  // plus a halo as wide as the aperture's reach, so the internal buffers stay
  // bounded on long profiles. The result is the untiled one (bitwise on the
  // CPU). `tile_traces` = image columns per tile; 0 (the default) chooses it
  // so that the internal per-trace buffers of one tile, halo included, fit in
  // `tile_memory` bytes (at least 64 columns per tile, so a halo wider than
  // the budget can exceed it).
  std::size_t tile_traces = 0;
  double tile_memory = 256.0 * 1024.0 * 1024.0;  // bytes, > 0
};

class KirchhoffPlan {
 public:
  // Set-up for B-scans of shape (n_samples, n_traces) with `metadata`'s
  // geometry. `device` is resolved here (automatic: CUDA when present).
  KirchhoffPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                const VelocityModel& velocity, const DepthAxis& depth_axis, const KirchhoffOptions& options = {},
                Device device = Device::automatic);
  ~KirchhoffPlan();
  KirchhoffPlan(KirchhoffPlan&&) noexcept;
  KirchhoffPlan& operator=(KirchhoffPlan&&) noexcept;
  KirchhoffPlan(const KirchhoffPlan&) = delete;
  KirchhoffPlan& operator=(const KirchhoffPlan&) = delete;

  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid grid() const;
  Device device() const;  // cpu or cuda
  // Pixel-trace pairs summed per execute (non-zero weights), for benchmarks.
  double contributions() const;
  // Image columns per tile (n_x when untiled) and the halo: the largest trace
  // offset any pixel sums (traces read each side of a tile).
  std::size_t tile_traces() const;
  std::size_t halo_traces() const;

  // `in`: (n_samples, n_traces); `out`: (n_z, n_x); not the same memory. A
  // CUDA plan takes host or device views; a CPU plan host views only.
  void execute(ConstBScanView in, BScanView out) const;
  // Host B-scan in, new image out (with a history step). Its shape and
  // geometry must be the plan's.
  DepthImage execute(const BScan& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off Kirchhoff migration (builds a plan and executes it once).
void migrate_kirchhoff(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                       const DepthAxis& depth_axis, const KirchhoffOptions& options, BScanView out,
                       Device device = Device::automatic);
DepthImage migrate_kirchhoff(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                             const KirchhoffOptions& options = {}, Device device = Device::automatic);

struct StoltOptions {
  // Zero-padding factors (>= 1; each padded length is then rounded up to a
  // power of two) in time and in trace position, against wrap-around.
  double time_padding = 2.0;
  double trace_padding = 2.0;
  // Remap a common-offset B-scan to zero offset first (correct_antenna_offset,
  // into a buffer the plan owns) when metadata.antenna_offset != 0. Without it
  // the data are taken as zero offset and at depth z the apex time is late by
  // about offset^2 / (4 z v): a mine 5 cm deep under a 10 cm offset, antenna
  // on the ground, images 15 mm (3 cells of 5 mm) too deep; corrected by NMO
  // alone, 6 mm shallow; by NMO and dip moveout, 0.5 mm deep
  // (docs/MIGRATION.md, "Antenna offset" and "Dip moveout").
  bool correct_offset = true;
  // After that remap, dip moveout (OffsetCorrectionOptions::dip_moveout).
  bool dip_moveout = true;
};

// Stolt f-k migration, constant velocity. The f-k mapping is exact for zero
// offset; a common-offset B-scan is first remapped to zero offset (normal
// moveout, exact at every apex and for flat reflectors, then dip moveout for
// the rest: see correct_antenna_offset and StoltOptions). An antenna height
// is removed exactly for zero offset by continuing the data down to the
// ground through air (a phase shift in f-k) before Stolt's mapping.
// docs/MIGRATION.md.
class StoltPlan {
 public:
  StoltPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces, double velocity,
            const DepthAxis& depth_axis, const StoltOptions& options = {}, Device device = Device::automatic);
  ~StoltPlan();
  StoltPlan(StoltPlan&&) noexcept;
  StoltPlan& operator=(StoltPlan&&) noexcept;
  StoltPlan(const StoltPlan&) = delete;
  StoltPlan& operator=(const StoltPlan&) = delete;

  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid grid() const;
  Device device() const;

  void execute(ConstBScanView in, BScanView out) const;
  DepthImage execute(const BScan& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

void migrate_stolt(ConstBScanView in, const BScanMetadata& metadata, double velocity, const DepthAxis& depth_axis,
                   const StoltOptions& options, BScanView out, Device device = Device::automatic);
DepthImage migrate_stolt(const BScan& in, double velocity, const DepthAxis& depth_axis,
                         const StoltOptions& options = {}, Device device = Device::automatic);

struct PhaseShiftOptions {
  double time_padding = 2.0;   // as StoltOptions
  double trace_padding = 2.0;
  bool correct_offset = true;  // as StoltOptions: remap to zero offset first (through the v(z) model)
  bool dip_moveout = true;     // as StoltOptions
};

// Phase-shift (Gazdag) migration for a layered v(z) (exact for horizontal
// layers, zero offset; a common-offset B-scan is first remapped to zero
// offset as in Stolt, the antenna height removed by continuation through
// air). CPU and CUDA (cuFFT). The plan validates, sizes the padded FFTs,
// tabulates each image row's thickness per layer and (CUDA) holds the cuFFT
// plans and device buffers.
class PhaseShiftPlan {
 public:
  PhaseShiftPlan(const BScanMetadata& metadata, std::size_t n_samples, std::size_t n_traces,
                 const VelocityModel& velocity, const DepthAxis& depth_axis, const PhaseShiftOptions& options = {},
                 Device device = Device::automatic);
  ~PhaseShiftPlan();
  PhaseShiftPlan(PhaseShiftPlan&&) noexcept;
  PhaseShiftPlan& operator=(PhaseShiftPlan&&) noexcept;
  PhaseShiftPlan(const PhaseShiftPlan&) = delete;
  PhaseShiftPlan& operator=(const PhaseShiftPlan&) = delete;

  std::size_t n_z() const;
  std::size_t n_x() const;
  ImageGrid grid() const;
  Device device() const;

  // `in`: (n_samples, n_traces); `out`: (n_z, n_x). A CUDA plan takes host or
  // device views; a CPU plan host views only.
  void execute(ConstBScanView in, BScanView out) const;
  DepthImage execute(const BScan& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off phase-shift migration (builds a plan and executes it once).
void migrate_phase_shift(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                         const DepthAxis& depth_axis, const PhaseShiftOptions& options, BScanView out,
                         Device device = Device::automatic);
DepthImage migrate_phase_shift(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                               const PhaseShiftOptions& options = {}, Device device = Device::automatic);

// Time-to-depth conversion without migration: image row z of column j is
// trace j read (windowed sinc) at the two-way time of the point z below its
// midpoint (the same travel times as Kirchhoff: refraction at the surface,
// antenna offset, rms/vertical times for v(z)). CPU and CUDA.
void time_to_depth(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                   const DepthAxis& depth_axis, BScanView out, Device device = Device::automatic);
DepthImage time_to_depth(const BScan& in, const VelocityModel& velocity, const DepthAxis& depth_axis,
                         Device device = Device::automatic);

struct OffsetCorrectionOptions {
  // After the normal-moveout remap, dip moveout (DMO) by the log-stretch f-k
  // method: the limbs of each diffraction (any dipping event) are moved to
  // where a zero-offset survey records them, which NMO alone leaves too flat.
  // Exact kinematics for a constant velocity with the antenna on the ground;
  // with a lifted antenna or a v(z) it counts time from the ground echo and
  // is an approximation (docs/MIGRATION.md, "Dip moveout", measures both).
  // The cost is two 2-D FFTs about 7 times the B-scan's length in time
  // (fewer with metadata.center_frequency). Skipped for a B-scan narrower
  // than the operator (fewer than 2 h / dx + 1 traces, h the half-offset it
  // uses): an A-scan or a few traces have no dip to correct.
  bool dip_moveout = true;
};

// Antenna-offset correction without migration: the common-offset B-scan
// remapped in time to zero offset (normal moveout, the same for every trace),
// then (by default) dip moveout, see OffsetCorrectionOptions.
// Output sample s sits at the zero-offset two-way time tau = t0 + s dt; it is
// the input read (windowed sinc) at the common-offset time of the point
// straight below the midpoint whose zero-offset time is tau: a point in the
// ground (the travel times of time_to_depth and Kirchhoff: refraction at the
// surface, v(z)), in the air above it when tau < 2 H / c, and before time
// zero (tau < 0) the sample shifted by the direct wave's delay offset / c.
// The remap is exact at the apex of every diffraction and for flat
// reflectors; off the apex dip moveout moves the limbs, and shallow events are
// stretched (their wavelet widened) as in any NMO. An offset of 0 is the
// identity. Output: (n_samples, n_traces) like `in`, not the same memory.
// CPU and CUDA (host or device views on CUDA).
void correct_antenna_offset(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                            const OffsetCorrectionOptions& options, BScanView out,
                            Device device = Device::automatic);
void correct_antenna_offset(ConstBScanView in, const BScanMetadata& metadata, const VelocityModel& velocity,
                            BScanView out, Device device = Device::automatic);  // default options
// A new B-scan with metadata.antenna_offset = 0 and a history step.
BScan correct_antenna_offset(const BScan& in, const VelocityModel& velocity, const OffsetCorrectionOptions& options,
                             Device device = Device::automatic);
BScan correct_antenna_offset(const BScan& in, const VelocityModel& velocity, Device device = Device::automatic);

// The method by name with default options. Stolt needs a constant velocity.
DepthImage migrate(const BScan& in, MigrationMethod method, const VelocityModel& velocity,
                   const DepthAxis& depth_axis, Device device = Device::automatic);

}  // namespace gprproc
