#pragma once
// CUDA backend of migration (cuda/migration_kirchhoff.cu, migration_stolt.cu,
// migration_phase_shift.cu).
// Plain C++ (no CUDA headers) so the dispatch in src/ can hold the device
// plans; the host side builds the tables, these classes own the device copies.
#include <cstddef>
#include <memory>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// What src/migration_kirchhoff.cpp hands the device plan.
struct KirchhoffSetup {
  std::size_t n_samples = 0, n_traces = 0, n_z = 0;
  int oversampling = 1;
  int half_width = 0;             // K: the table spans trace offsets -K..K
  std::vector<float> table;       // (n_z, 2K+1) pairs: oversampled sample position, weight
  std::vector<int> row_half_width;  // per row, the offsets |k| <= this have non-zero weight
  bool half_derivative = false;
  std::size_t fft_length = 0;     // padded trace length of the rho filter (0 when off)
  double dt = 0.0;
  // Anti-aliasing (empty when off): (n_z, 2K+1) pairs {triangle half-length
  // in oversampled samples, DC gain (detail::antialias_dc_gain)}, and the zero
  // samples padded each side of the doubly integrated traces
  // (detail::integrate_twice).
  std::vector<float> antialias;
  int antialias_pad = 0;
  // Image columns per tile (>= 1): the buffers hold tile + 2 half_width traces.
  std::size_t tile_traces = 0;
};

class KirchhoffDevicePlan {
 public:
  explicit KirchhoffDevicePlan(const KirchhoffSetup& setup);
  ~KirchhoffDevicePlan();
  KirchhoffDevicePlan(const KirchhoffDevicePlan&) = delete;
  KirchhoffDevicePlan& operator=(const KirchhoffDevicePlan&) = delete;
  // in: (n_samples, n_traces), out: (n_z, n_traces); host or device views.
  void execute(ConstBScanView in, BScanView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Dip moveout (DMO) after the antenna-offset remap
// (src/migration_dip_moveout.cpp; docs/MIGRATION.md, "Dip moveout"): the
// log-time grid, zeta = ln(t' / t_min) with t' the time after the ground
// echo, and the zero-padded FFT lengths. Empty (n_log = 0): no DMO.
struct DipMoveoutSetup {
  std::size_t n_samples = 0, n_traces = 0;
  std::size_t n_log = 0;                  // rows of the log-time grid
  std::size_t n_log_fft = 0, nx_fft = 0;  // padded FFT lengths (log time, traces)
  double log_step = 0.0;                  // zeta between rows
  double half_offset = 0.0, dx = 0.0;     // m
  std::size_t tile_traces = 0;            // traces filtered per FFT
  std::size_t halo_traces = 0;            // read each side of a tile (the operator's reach, half an offset)
  std::size_t first_sample = 0;           // output samples before it keep the NMO result
  std::vector<float> stretch_position;    // (n_log): input sample position of each log row
  std::vector<float> unstretch_position;  // (n_samples - first_sample): log-row position of each later sample
  bool empty() const { return n_log == 0; }
};

// What src/migration_stolt.cpp hands the device plan (see its comments).
struct StoltSetup {
  std::size_t n_samples = 0, n_traces = 0, n_z = 0;
  std::size_t nt = 0, nx = 0, nz = 0;  // padded FFT lengths: time, traces, depth
  std::size_t centre = 0;             // samples the time buffer is rotated by
  double dt = 0.0, dx = 0.0, dz = 0.0;
  double half_velocity = 0.0;
  double time_origin_shift = 0.0;     // s: t0 + centre dt
  double datum_height = 0.0;          // m: antenna height, removed by phase shift through air
  double z0 = 0.0;
  // Antenna-offset remap (migration_detail::offset_positions): input sample
  // position of each of the n_samples zero-offset samples; empty: none.
  std::vector<float> offset_position;
  DipMoveoutSetup dip_moveout;  // after the remap; empty: none
};

class StoltDevicePlan {
 public:
  explicit StoltDevicePlan(const StoltSetup& setup);
  ~StoltDevicePlan();
  StoltDevicePlan(const StoltDevicePlan&) = delete;
  StoltDevicePlan& operator=(const StoltDevicePlan&) = delete;
  void execute(ConstBScanView in, BScanView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Phase-shift migration (src/migration_phase_shift.cpp): zero-padded FFT
// lengths, and per image row the thickness of each layer above it.
struct PhaseShiftSetup {
  std::size_t n_samples = 0, n_traces = 0, n_z = 0;
  std::size_t nt = 0, nx = 0;
  double dt = 0.0, dx = 0.0, t0 = 0.0, antenna_height = 0.0;
  int n_layers = 0;
  std::vector<double> thickness;      // (n_z, n_layers), m
  std::vector<double> half_velocity;  // (n_layers), m/s
  std::vector<float> offset_position;  // as StoltSetup: empty, or n_samples positions
  DipMoveoutSetup dip_moveout;         // as StoltSetup
};
class PhaseShiftDevicePlan {
 public:
  explicit PhaseShiftDevicePlan(const PhaseShiftSetup& setup);
  ~PhaseShiftDevicePlan();
  PhaseShiftDevicePlan(const PhaseShiftDevicePlan&) = delete;
  PhaseShiftDevicePlan& operator=(const PhaseShiftDevicePlan&) = delete;
  // in: (n_samples, n_traces), out: (n_z, n_traces); host or device views.
  void execute(ConstBScanView in, BScanView out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Dip moveout on the device (cuda/migration_dip_moveout.cu): cuFFT plans and
// buffers made once; apply() reads the zero-offset-time B-scan `in` (device,
// n_samples x n_traces) and writes `out` (device, not `in`), launched on the
// default stream without waiting.
class DipMoveoutDevicePlan {
 public:
  explicit DipMoveoutDevicePlan(const DipMoveoutSetup& setup);
  ~DipMoveoutDevicePlan();
  DipMoveoutDevicePlan(const DipMoveoutDevicePlan&) = delete;
  DipMoveoutDevicePlan& operator=(const DipMoveoutDevicePlan&) = delete;
  void apply(const float* in, float* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// correct_antenna_offset on the device: the remap at `position`, then DMO
// unless `dip_moveout` is empty; host or device views, waits for the result.
void correct_antenna_offset(const std::vector<float>& position, const DipMoveoutSetup& dip_moveout,
                            ConstBScanView in, BScanView out);

// Row resampling (time-to-depth, antenna-offset correction): out(i, j) =
// trace j of `in` at sample position position[i] (windowed sinc, the CPU's
// taps); host or device views, waits for the result.
void resample_rows(const std::vector<float>& position, ConstBScanView in, BScanView out);
// The same kernel on device pointers, launched on the default stream without
// waiting (the f-k plans remap into their own buffer): in (n_samples,
// n_traces), position (n_rows, device), out (n_rows, n_traces).
void launch_resample_rows(const float* in, std::size_t n_samples, std::size_t n_traces, const float* position,
                          std::size_t n_rows, float* out);

}  // namespace gprproc::cuda_backend
