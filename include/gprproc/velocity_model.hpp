#pragma once
// Propagation velocity below the ground surface: constant, or layered v(z) as
// interval velocities. Used by migration and time-to-depth conversion.
#include <vector>

namespace gprproc {

constexpr double speed_of_light = 299792458.0;  // m/s

// v = c / sqrt(eps_r), and back. Throw InvalidArgument outside (0, c] / [1, inf).
double velocity_from_permittivity(double relative_permittivity);
double permittivity_from_velocity(double velocity);

struct VelocityModel {
  // Layer i spans depths [layer_tops[i], layer_tops[i+1]) with interval
  // velocity velocities[i]; layer_tops[0] == 0 (the ground surface), increasing.
  std::vector<double> layer_tops{0.0};
  std::vector<double> velocities;

  static VelocityModel constant(double velocity);
  static VelocityModel layered(std::vector<double> layer_tops, std::vector<double> interval_velocities);

  bool is_constant() const { return velocities.size() == 1; }
  double velocity_at(double depth) const;  // interval velocity at a depth (m)
  // Throws InvalidArgument when sizes disagree, tops are not increasing from 0,
  // or a velocity is outside (0, c].
  void validate() const;
};

}  // namespace gprproc
