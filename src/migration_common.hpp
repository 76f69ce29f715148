#pragma once
// Shared host-side helpers of the migration plans (validation, geometry).
#include <cstddef>
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/history.hpp"
#include "gprproc/migration.hpp"

namespace gprproc::migration_detail {

std::size_t next_power_of_two(std::size_t n);

// Throws InvalidArgument naming `name` unless value is finite and > 0.
void require_positive(const char* name, double value);

// Shape and memory checks of the (in, out) views of a plan; host views are
// also checked for NaN/Inf. `device_ok`: the plan runs on CUDA.
void check_views(ConstBScanView in, std::size_t n_samples, std::size_t n_traces, BScanView out, std::size_t n_z,
                 std::size_t n_x, bool device_ok);

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

ImageGrid image_grid(const BScanMetadata& metadata, const DepthAxis& axis);

// History step of a migration.
HistoryParameters migration_history(const char* method, const DepthAxis& axis);

}  // namespace gprproc::migration_detail
