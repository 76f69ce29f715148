#pragma once
// Sanity bounds on physical parameters, kept in one place. A number can be
// valid (finite, positive) and still be wrong for ground-penetrating radar: a
// velocity of 0.1 "m/s" that was meant as 0.1 m/ns, a band of 100..800 "Hz"
// meant as MHz, a depth of 40 "m" meant as cm. Every operation calls these
// checks on the parameters it uses, before it allocates anything sized from
// them, and the Python package calls them through gprproc._core; each error
// names the parameter, its value, the plausible range and, where one fits,
// the unit mistake that would explain it ("did you mean 0.1 m/ns = 1e8 m/s?").
//
// The bounds are wide enough for every real recording we know of (a 10 MHz
// low-frequency antenna, a 0.4 ns pulseEKKO sample interval, a 4.7 ps gprMax
// time step, a 0.25 m field trace step, a 2 mm gprMax step): see
// docs/PYTHON.md, "Plausibility bounds", for each bound and its reason.
#include <cstddef>
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/velocity_model.hpp"

namespace gprproc {

struct DepthAxis;  // gprproc/migration.hpp

namespace plausibility {

// Wave velocity in the ground (m/s): from water-saturated clay (~3e7) up to air (c).
constexpr double min_velocity = 1e6;
constexpr double max_velocity = speed_of_light;
// Sample interval (s): gprMax steps of a few femtoseconds to picoseconds, field
// instruments up to ~10 ns at 10 MHz; 100 ns would put Nyquist at 5 MHz.
constexpr double min_sample_interval = 1e-15;
constexpr double max_sample_interval = 1e-7;
// Trace spacing (m): sub-millimetre model steps up to tens of metres for
// low-frequency reconnaissance lines.
constexpr double min_trace_spacing = 1e-5;
constexpr double max_trace_spacing = 100.0;
// Frequencies (Hz). The upper corner of a band and a centre frequency must be
// at least 1 MHz (no GPR band lies below); a non-zero lower corner or taper
// width at least 1 kHz (below that it can only be MHz or GHz written as Hz).
// Nothing above 100 GHz is radar in the ground.
constexpr double min_band_frequency = 1e6;
constexpr double min_corner_frequency = 1e3;
constexpr double max_frequency = 1e11;
// Antenna geometry (m): offsets up to 100 m (wide-angle gathers), heights up
// to 1 km (airborne).
constexpr double max_antenna_offset = 100.0;
constexpr double max_antenna_height = 1000.0;
// A depth axis may reach at most this many times the deepest point the record
// can image, v_max * t_end / 2 (t_end the time of the last sample).
constexpr double depth_reach_factor = 2.0;
// ... and have at most this many rows per time sample of the record.
constexpr double max_depth_rows_per_sample = 256.0;

// `name` is how the caller names the parameter ("migrate: velocity"); the
// checks throw InvalidArgument (Python: ValueError).
void check_velocity(const std::string& name, double velocity);
void check_velocity_model(const std::string& name, const VelocityModel& model);
void check_sample_interval(const std::string& name, double dt);
void check_trace_spacing(const std::string& name, double dx);
// The upper corner of a band (> 0, >= min_band_frequency).
void check_band_frequency(const std::string& name, double frequency);
// A lower corner or a taper width: 0, or >= min_corner_frequency.
void check_corner_frequency(const std::string& name, double frequency);
// A B-scan's centre frequency: 0 (unknown), or in [min_band_frequency, max_frequency].
void check_center_frequency(const std::string& name, double frequency);

// The metadata an operation uses: `operation` prefixes the names.
// Time axis: dt (and center_frequency when set).
void check_time_axis(const std::string& operation, const BScanMetadata& metadata);
// Time and space: dt, dx, center_frequency, antenna offset and height.
void check_geometry(const std::string& operation, const BScanMetadata& metadata);

// The deepest point (m below the surface) a record of n_samples with this
// metadata can image at velocities up to the model's fastest: 0.5 v_max t_end
// (0 when the record ends before time zero).
double record_reach(const BScanMetadata& metadata, std::size_t n_samples, const VelocityModel& model);
// The depth axis against the record: depth at most depth_reach_factor times
// record_reach, dz no larger than the axis' span, at most
// max_depth_rows_per_sample rows per sample. Each error names the field, its
// value and the unit slip that fits.
void check_depth_axis(const std::string& operation, const DepthAxis& axis, const BScanMetadata& metadata,
                      std::size_t n_samples, const VelocityModel& model);

// A time (s) that must lie on the record, t0 .. t0 + (n_samples - 1) dt
// (half a sample of slack each side).
void check_time_in_record(const std::string& name, double time, const BScanMetadata& metadata,
                          std::size_t n_samples);

}  // namespace plausibility
}  // namespace gprproc
