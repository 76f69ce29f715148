#include "gprproc/velocity_model.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "gprproc/error.hpp"
#include "gprproc/plausibility.hpp"

namespace gprproc {

double velocity_from_permittivity(double eps_r) {
  if (!std::isfinite(eps_r) || eps_r < 1.0) {
    std::ostringstream msg;
    msg << "relative permittivity must be finite and >= 1, got " << eps_r;
    throw InvalidArgument(msg.str());
  }
  return speed_of_light / std::sqrt(eps_r);
}

double permittivity_from_velocity(double v) {
  if (!std::isfinite(v) || v <= 0.0 || v > speed_of_light) {
    std::ostringstream msg;
    msg << "velocity must be in (0, c = 2.998e8] m/s, got " << v;
    throw InvalidArgument(msg.str());
  }
  const double ratio = speed_of_light / v;
  return ratio * ratio;
}

VelocityModel VelocityModel::constant(double velocity) {
  VelocityModel m;
  m.velocities = {velocity};
  m.validate();
  return m;
}

VelocityModel VelocityModel::layered(std::vector<double> tops, std::vector<double> interval_velocities) {
  VelocityModel m;
  m.layer_tops = std::move(tops);
  m.velocities = std::move(interval_velocities);
  m.validate();
  return m;
}

double VelocityModel::velocity_at(double depth) const {
  std::size_t layer = 0;
  while (layer + 1 < layer_tops.size() && depth >= layer_tops[layer + 1]) ++layer;
  return velocities[layer];
}

void VelocityModel::validate() const {
  if (velocities.empty() || velocities.size() != layer_tops.size()) {
    std::ostringstream msg;
    msg << "velocity model needs one interval velocity per layer top: got " << layer_tops.size() << " tops and "
        << velocities.size() << " velocities";
    throw InvalidArgument(msg.str());
  }
  if (layer_tops[0] != 0.0) throw InvalidArgument("velocity model: the first layer top must be 0 (the ground surface)");
  for (std::size_t i = 0; i < velocities.size(); ++i) {
    const double v = velocities[i];
    // Finite, positive, at most c, and not a unit slip (0.1 meant as m/ns).
    plausibility::check_velocity(velocities.size() == 1 ? std::string("velocity")
                                                        : "velocity of layer " + std::to_string(i),
                                 v);
    if (i > 0 && !(layer_tops[i] > layer_tops[i - 1])) {
      std::ostringstream msg;
      msg << "velocity model: layer tops must increase, got " << layer_tops[i - 1] << " then " << layer_tops[i];
      throw InvalidArgument(msg.str());
    }
  }
}

}  // namespace gprproc
