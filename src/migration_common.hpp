#pragma once
// Shared host-side helpers of the migration plans (validation, geometry).
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/history.hpp"
#include "gprproc/migration.hpp"
#include "migration_cuda.hpp"

namespace gprproc::migration_detail {

std::size_t next_power_of_two(std::size_t n);

// Throws InvalidArgument naming `name` unless value is finite and > 0.
void require_positive(const char* name, double value);

// Shape and memory checks of the (in, out) views of a plan; host views are
// also checked for NaN/Inf. `device_ok`: the plan runs on CUDA.
void check_views(ConstBScanView in, std::size_t n_samples, std::size_t n_traces, BScanView out, std::size_t n_z,
                 std::size_t n_x, bool device_ok);

// What every migration (plan) checks before it sizes anything: the metadata
// (validate), the plausibility of its geometry, of the velocities, and of the
// depth axis against what the record can image (gprproc/plausibility.hpp;
// records of fewer than 2 samples are left to the plan's shape check).
void check_plan_inputs(const std::string& operation, const BScanMetadata& metadata, std::size_t n_samples,
                       const VelocityModel& velocity, const DepthAxis& axis);

// The plan's geometry must be the B-scan's.
void check_same_geometry(const BScanMetadata& plan, const BScanMetadata& data);

// Root-mean-square velocity (m/s) from the surface down to `depth` along a
// vertical ray: sqrt( integral v dz / integral dz / v ).
double rms_velocity(const VelocityModel& model, double depth);

// One-way vertical time (s) from the surface down to `depth`: integral dz / v.
double vertical_time(const VelocityModel& model, double depth);

// One leg (antenna -> image point) through the model: exact two-medium
// refraction for a constant velocity; for a layered v(z), straight rays
// through the rms velocity on Dix's hyperbola t^2 = t_v^2 + h^2 / v_rms^2
// (t_v the vertical time), and with an antenna height the refracted leg at
// v_rms shifted by t_v - z / v_rms so it is exact at vertical incidence.
struct Leg {
  double time;
  double cos_ground;
  double spreading;
};
Leg model_leg(const VelocityModel& model, double lateral, double depth, double height);

// Two-way time of the point `depth` below the midpoint with the transmitter and
// receiver `offset` apart: the two legs of model_leg.
double common_offset_time(const VelocityModel& model, double offset, double depth, double height);

// Zero-offset two-way time (s) of the point `depth` below the midpoint, and
// its inverse: the depth (m, > 0) whose zero-offset time is `tau` (later than
// the ground echo 2 H / c).
double zero_offset_time(const VelocityModel& velocity, double depth, double height);
double depth_of_zero_offset_time(const VelocityModel& velocity, double tau, double height);

ImageGrid image_grid(const BScanMetadata& metadata, const DepthAxis& axis);

// Fractional sample index of time `t` on `metadata`'s clock, clamped just
// outside [-R, n_samples + R] (R the sinc half-width): a read there is zero
// either way, and the clamp keeps the integer tap index in range.
float sample_position(double t, const BScanMetadata& metadata, std::size_t n_samples);

// Row resampling shared by time-to-depth and the antenna-offset correction:
// out row i = every trace of `in` read at the fractional sample position[i]
// by the windowed sinc (detail::sinc_sample's taps, in its order, so the CUDA
// kernel's sums are the same). Views in `where`'s memory (Device::cuda: host
// or device, cuda_backend::resample_rows); out is (position.size(),
// in.n_traces) and not in's memory.
void resample_rows(ConstBScanView in, const std::vector<float>& position, BScanView out, Device where);

// The antenna-offset correction on the CPU: `in` read at `position` (NMO),
// then dip_moveout unless `dip_moveout` is empty, into `out` (host,
// position.size() x in.n_traces, not in's memory); `scratch` holds the NMO
// result when there is a DMO (resized here).
void correct_offset_cpu(ConstBScanView in, const std::vector<float>& position,
                        const cuda_backend::DipMoveoutSetup& dip_moveout, BScanView out, std::vector<float>& scratch);

// The f-k plans' remap on the CPU: `in` itself when `position` is empty, else
// `in` resampled at `position` into `buffer` (n_samples x n_traces floats,
// sized by the plan) and a view of it. The device twin is
// cuda_backend::DeviceOffsetRemap (cuda/offset_remap.hpp).
// With a non-empty `dip_moveout`, the remapped B-scan then goes through
// dip_moveout into `moved_buffer` (same size), and the view is of that.
ConstBScanView remap_to_zero_offset(ConstBScanView in, const std::vector<float>& position,
                                    const cuda_backend::DipMoveoutSetup& dip_moveout, std::vector<float>& buffer,
                                    std::vector<float>& moved_buffer);

// Smallest n' >= n whose only prime factors are 2, 3, 5 and 7 (fast for
// PocketFFT and cuFFT alike).
std::size_t next_fast_fft_length(std::size_t n);

// Dip moveout after the antenna-offset remap (src/migration_dip_moveout.cpp):
// the log-time grid and FFT sizes for B-scans of this geometry and
// `offset_position` (offset_positions of it: the remap DMO follows, one entry
// per sample); empty for a zero offset or a record that ends at the ground
// echo. Throws InvalidArgument when the FFTs would be absurdly large.
cuda_backend::DipMoveoutSetup dip_moveout_setup(const BScanMetadata& metadata, const VelocityModel& velocity,
                                                const std::vector<float>& offset_position, std::size_t n_traces);
// The CPU DMO: `in` (host, the remapped zero-offset-time B-scan) to `out`
// (host, same shape, not `in`).
void dip_moveout(const cuda_backend::DipMoveoutSetup& setup, ConstBScanView in, BScanView out);

// Common-offset to zero-offset remap (docs/MIGRATION.md, "Antenna offset"):
// output sample s, at zero-offset two-way time tau = t0 + s dt, takes the
// input at the common-offset time of the point below the midpoint whose
// zero-offset time is tau; position[s] is that time as a fractional input
// sample. Identity (position[s] = s) for a zero offset.
std::vector<float> offset_positions(const BScanMetadata& metadata, const VelocityModel& velocity,
                                    std::size_t n_samples);

// History step of a migration.
HistoryParameters migration_history(const char* method, const DepthAxis& axis);

}  // namespace gprproc::migration_detail
