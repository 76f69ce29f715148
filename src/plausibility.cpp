// Sanity bounds on physical parameters (include/gprproc/plausibility.hpp):
// the checks, and the unit slips their messages suggest.
#include "gprproc/plausibility.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/migration.hpp"

namespace gprproc::plausibility {

namespace {

struct Unit {
  const char* name;  // e.g. "m/ns"
  double factor;     // SI value of 1 of this unit
};

// "did you mean 0.1 m/ns = 1e+08 m/s?" for every unit that brings `value`
// into [lo, hi]; empty when none does.
std::string suggestion(double value, const std::vector<Unit>& units, const char* si, double lo, double hi) {
  std::ostringstream out;
  bool any = false;
  for (const Unit& u : units) {
    const double v = value * u.factor;
    if (!(v >= lo && v <= hi)) continue;
    out << (any ? " or " : ": did you mean ") << value << " " << u.name << " = " << v << " " << si;
    any = true;
  }
  if (any) out << "?";
  return out.str();
}

[[noreturn]] void implausible(const std::string& name, double value, const char* si, const std::string& range,
                              const std::string& hint,
                              const char* verdict = "is implausible for ground-penetrating radar") {
  std::ostringstream msg;
  msg << name << " = " << value << " " << si << " " << verdict << " (" << range << ")" << hint
      << "; gprproc takes SI units (s, m, m/s, Hz)";
  throw InvalidArgument(msg.str());
}

void require_finite(const std::string& name, double value, const char* si) {
  if (!std::isfinite(value)) {
    std::ostringstream msg;
    msg << name << " must be a finite number (" << si << "), got " << value;
    throw InvalidArgument(msg.str());
  }
}

std::string range_text(double lo, double hi, const char* si) {
  std::ostringstream out;
  out << "expected " << lo << " .. " << hi << " " << si;
  return out.str();
}

const std::vector<Unit>& velocity_units() {
  static const std::vector<Unit> units{{"m/ns", 1e9}, {"cm/ns", 1e7}, {"mm/ns (m/us)", 1e6}, {"cm/s", 1e-2}};
  return units;
}
const std::vector<Unit>& time_units() {
  static const std::vector<Unit> units{{"ns", 1e-9}, {"ps", 1e-12}, {"us", 1e-6}};
  return units;
}
const std::vector<Unit>& length_units() {
  static const std::vector<Unit> units{{"cm", 1e-2}, {"mm", 1e-3}};
  return units;
}
const std::vector<Unit>& frequency_units() {
  static const std::vector<Unit> units{{"MHz", 1e6}, {"GHz", 1e9}};
  return units;
}

}  // namespace

void check_velocity(const std::string& name, double v) {
  require_finite(name, v, "m/s");
  if (v >= min_velocity && v <= max_velocity) return;
  // A unit slip is suggested only where it gives a velocity some ground has
  // (3e7 m/s and up: water is 3.3e7), not merely one inside the bounds.
  constexpr double kTypicalSlowest = 3e7;
  std::string hint;
  if (v <= 0.0) {
    hint = ": a velocity must be positive";
  } else if (v > max_velocity) {
    hint = ": faster than light in vacuum (c = 299792458 m/s)" +
           suggestion(v, velocity_units(), "m/s", kTypicalSlowest, max_velocity);
  } else {
    hint = suggestion(v, velocity_units(), "m/s", kTypicalSlowest, max_velocity);
  }
  implausible(name, v, "m/s", range_text(min_velocity, max_velocity, "m/s"), hint);
}

void check_velocity_model(const std::string& name, const VelocityModel& model) {
  for (std::size_t i = 0; i < model.velocities.size(); ++i)
    check_velocity(model.velocities.size() == 1 ? name : name + " of layer " + std::to_string(i),
                   model.velocities[i]);
}

void check_sample_interval(const std::string& name, double dt) {
  require_finite(name, dt, "s");
  if (dt >= min_sample_interval && dt <= max_sample_interval) return;
  implausible(name, dt, "s", range_text(min_sample_interval, max_sample_interval, "s"),
              suggestion(dt, time_units(), "s", min_sample_interval, max_sample_interval));
}

void check_trace_spacing(const std::string& name, double dx) {
  require_finite(name, dx, "m");
  if (dx >= min_trace_spacing && dx <= max_trace_spacing) return;
  implausible(name, dx, "m", range_text(min_trace_spacing, max_trace_spacing, "m"),
              suggestion(dx, length_units(), "m", min_trace_spacing, max_trace_spacing));
}

void check_band_frequency(const std::string& name, double f) {
  require_finite(name, f, "Hz");
  if (f >= min_band_frequency && f <= max_frequency) return;
  implausible(name, f, "Hz", range_text(min_band_frequency, max_frequency, "Hz"),
              suggestion(f, frequency_units(), "Hz", min_band_frequency, max_frequency));
}

void check_corner_frequency(const std::string& name, double f) {
  require_finite(name, f, "Hz");
  if (f == 0.0 || (f >= min_corner_frequency && f <= max_frequency)) return;
  std::ostringstream range;
  range << "expected 0 or " << min_corner_frequency << " .. " << max_frequency << " Hz";
  implausible(name, f, "Hz", range.str(),
              suggestion(f, frequency_units(), "Hz", min_band_frequency, max_frequency));
}

void check_center_frequency(const std::string& name, double f) {
  require_finite(name, f, "Hz");
  if (f == 0.0) return;  // unknown
  check_band_frequency(name, f);
}

void check_time_axis(const std::string& operation, const BScanMetadata& m) {
  check_sample_interval(operation + ": dt", m.dt);
  check_center_frequency(operation + ": center_frequency", m.center_frequency);
}

void check_geometry(const std::string& operation, const BScanMetadata& m) {
  check_time_axis(operation, m);
  check_trace_spacing(operation + ": dx", m.dx);
  if (m.antenna_offset > max_antenna_offset)
    implausible(operation + ": antenna_offset", m.antenna_offset, "m",
                "expected 0 .. " + std::to_string(static_cast<int>(max_antenna_offset)) + " m",
                suggestion(m.antenna_offset, length_units(), "m", 0.0, max_antenna_offset));
  if (m.antenna_height > max_antenna_height)
    implausible(operation + ": antenna_height", m.antenna_height, "m",
                "expected 0 .. " + std::to_string(static_cast<int>(max_antenna_height)) + " m",
                suggestion(m.antenna_height, length_units(), "m", 0.0, max_antenna_height));
}

double record_reach(const BScanMetadata& m, std::size_t n_samples, const VelocityModel& model) {
  const double t_end = m.t0 + m.dt * static_cast<double>(n_samples > 0 ? n_samples - 1 : 0);
  const double v_max = model.velocities.empty() ? 0.0 : *std::max_element(model.velocities.begin(),
                                                                            model.velocities.end());
  return 0.5 * v_max * std::max(t_end, 0.0);
}

void check_depth_axis(const std::string& operation, const DepthAxis& axis, const BScanMetadata& m,
                      std::size_t n_samples, const VelocityModel& model) {
  const double reach = record_reach(m, n_samples, model);
  const double t_end = m.t0 + m.dt * static_cast<double>(n_samples > 0 ? n_samples - 1 : 0);
  const double deepest = depth_reach_factor * reach;
  if (axis.depth > deepest) {
    std::ostringstream range;
    if (reach > 0.0) {
      range << "the record ends at t = " << t_end << " s, which reaches " << reach
            << " m at the fastest velocity; a depth axis may go to " << depth_reach_factor << " x that, " << deepest
            << " m";
    } else {
      range << "the record ends at t = " << t_end << " s, before time zero: nothing below the surface is recorded "
            << "(check t0)";
    }
    implausible(operation + ": depth", axis.depth, "m", range.str(),
                reach > 0.0 ? suggestion(axis.depth, length_units(), "m", 0.0, deepest) : std::string(),
                "is beyond what the record can image");
  }
  if (axis.depth > axis.z0 && axis.dz > axis.depth - axis.z0) {
    std::ostringstream range;
    range << "it exceeds the depth span depth - z0 = " << axis.depth - axis.z0 << " m, leaving one row";
    implausible(operation + ": dz", axis.dz, "m", range.str(),
                suggestion(axis.dz, length_units(), "m", 0.0, axis.depth - axis.z0), "is too coarse");
  }
  const double rows = (axis.depth - axis.z0) / axis.dz + 1.0;
  const double limit = max_depth_rows_per_sample * static_cast<double>(std::max<std::size_t>(n_samples, 16));
  if (rows > limit) {
    std::ostringstream range;
    range << "it makes " << rows << " depth rows for a record of " << n_samples << " samples; at most "
          << max_depth_rows_per_sample << " rows per sample (" << limit << ") are allowed";
    implausible(operation + ": dz", axis.dz, "m", range.str(), "", "is too fine");
  }
}

void check_time_in_record(const std::string& name, double t, const BScanMetadata& m, std::size_t n_samples) {
  require_finite(name, t, "s");
  const double first = m.t0, last = m.t0 + m.dt * static_cast<double>(n_samples > 0 ? n_samples - 1 : 0);
  const double slack = 0.5 * m.dt;
  if (t >= first - slack && t <= last + slack) return;
  std::ostringstream range;
  range << "the record spans " << first << " .. " << last << " s";
  implausible(name, t, "s", range.str(), suggestion(t, time_units(), "s", first - slack, last + slack),
              "lies outside the record");
}

}  // namespace gprproc::plausibility
