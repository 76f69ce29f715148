// Velocity analysis: hyperbola fit (Levenberg-Marquardt) and migration
// velocity scan (global semblance of Kirchhoff images).
#include "gprproc/velocity.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <utility>

#include "gprproc/detail/migration_math.hpp"
#include "gprproc/detail/velocity_math.hpp"
#include "gprproc/error.hpp"
#include "gprproc/plausibility.hpp"
#include "gprproc/velocity_model.hpp"
#ifdef GPRPROC_HAS_CUDA
#include "velocity_scan_cuda.hpp"
#endif

namespace gprproc {

namespace {

struct Geometry {
  double offset, height, radius;
};

// Each leg ends on the target's surface: radius / v short of its centre.
double model_time(const Eigen::Vector3d& p, double x, const Geometry& g) {
  const double v = p[0], apex = p[1], z = std::max(p[2], 0.0);
  return detail::refracted_leg(x - 0.5 * g.offset - apex, z, g.height, v).time +
         detail::refracted_leg(x + 0.5 * g.offset - apex, z, g.height, v).time - 2.0 * g.radius / v;
}

double cost(const std::vector<Pick>& picks, const Eigen::Vector3d& p, const Geometry& g) {
  double sum = 0.0;
  for (const auto& k : picks) {
    const double r = model_time(p, k.x, g) - k.t;
    sum += r * r;
  }
  return sum;
}

Eigen::Vector3d clamp_parameters(Eigen::Vector3d p) {
  p[0] = std::clamp(p[0], 1e6, speed_of_light);
  p[2] = std::max(p[2], 1e-6);
  return p;
}

}  // namespace

HyperbolaFit fit_hyperbola(const std::vector<Pick>& picks, double antenna_offset, double antenna_height,
                           double target_radius) {
  if (!std::isfinite(antenna_offset) || antenna_offset < 0.0 || !std::isfinite(antenna_height) ||
      antenna_height < 0.0 || !std::isfinite(target_radius) || target_radius < 0.0) {
    std::ostringstream msg;
    msg << "fit_hyperbola: antenna_offset, antenna_height and target_radius must be finite and >= 0, got "
        << antenna_offset << ", " << antenna_height << " and " << target_radius;
    throw InvalidArgument(msg.str());
  }
  const Geometry geometry{antenna_offset, antenna_height, target_radius};
  std::set<double> distinct_x;
  for (std::size_t i = 0; i < picks.size(); ++i) {
    if (!std::isfinite(picks[i].x) || !std::isfinite(picks[i].t)) {
      std::ostringstream msg;
      msg << "fit_hyperbola: pick " << i << " is not finite (x " << picks[i].x << ", t " << picks[i].t << ")";
      throw InvalidArgument(msg.str(), ErrorCode::non_finite);
    }
    distinct_x.insert(picks[i].x);
  }
  if (distinct_x.size() < 3) {
    std::ostringstream msg;
    msg << "fit_hyperbola needs picks at 3 or more different positions, got " << distinct_x.size();
    throw InvalidArgument(msg.str());
  }

  // Start: zero-offset hyperbola t^2 = t_a^2 + 4 (x - x_a)^2 / v^2, linear in (1, x, x^2).
  Eigen::MatrixXd a(picks.size(), 3);
  Eigen::VectorXd b(picks.size());
  for (std::size_t i = 0; i < picks.size(); ++i) {
    a(static_cast<Eigen::Index>(i), 0) = 1.0;
    a(static_cast<Eigen::Index>(i), 1) = picks[i].x;
    a(static_cast<Eigen::Index>(i), 2) = picks[i].x * picks[i].x;
    b[static_cast<Eigen::Index>(i)] = picks[i].t * picks[i].t;
  }
  const Eigen::Vector3d q = a.colPivHouseholderQr().solve(b);
  Eigen::Vector3d p;
  double x_min = *distinct_x.begin(), x_max = *distinct_x.rbegin();
  if (q[2] > 0.0) {
    p[0] = 2.0 / std::sqrt(q[2]);
    p[1] = std::clamp(-q[1] / (2.0 * q[2]), x_min, x_max);
    const double ta2 = q[0] - q[1] * q[1] / (4.0 * q[2]);
    const double ta = ta2 > 0.0 ? std::sqrt(ta2) : 0.0;
    p[2] = 0.5 * p[0] * std::max(ta - 2.0 * antenna_height / speed_of_light, 0.0) + target_radius;
  } else {
    p = Eigen::Vector3d(1e8, 0.5 * (x_min + x_max), 0.1);
  }
  if (p[2] <= 0.0) p[2] = 0.05;
  p = clamp_parameters(p);

  // Levenberg-Marquardt with a numerical Jacobian.
  double lambda = 1e-3;
  double c = cost(picks, p, geometry);
  std::size_t iter = 0;
  bool converged = false;
  for (; iter < 200 && !converged; ++iter) {
    Eigen::MatrixXd jac(picks.size(), 3);
    Eigen::VectorXd r(picks.size());
    for (std::size_t i = 0; i < picks.size(); ++i) {
      const Eigen::Index row = static_cast<Eigen::Index>(i);
      r[row] = model_time(p, picks[i].x, geometry) - picks[i].t;
      for (int k = 0; k < 3; ++k) {
        const double h = 1e-6 * std::max(std::abs(p[k]), k == 0 ? 1e6 : 1e-3);
        Eigen::Vector3d pp = p, pm = p;
        pp[k] += h;
        pm[k] -= h;
        jac(row, k) = (model_time(pp, picks[i].x, geometry) -
                       model_time(pm, picks[i].x, geometry)) /
                      (2.0 * h);
      }
    }
    const Eigen::Matrix3d jtj = jac.transpose() * jac;
    const Eigen::Vector3d jtr = jac.transpose() * r;
    bool improved = false;
    for (int attempt = 0; attempt < 20 && !improved; ++attempt) {
      Eigen::Matrix3d m = jtj;
      for (int k = 0; k < 3; ++k) m(k, k) += lambda * std::max(jtj(k, k), 1e-300);
      const Eigen::Vector3d step = m.ldlt().solve(-jtr);
      const Eigen::Vector3d candidate = clamp_parameters(p + step);
      const double cc = cost(picks, candidate, geometry);
      if (cc < c) {
        const double change = ((candidate - p).array() / p.array().abs().max(1e-9)).abs().maxCoeff();
        p = candidate;
        c = cc;
        lambda = std::max(lambda / 3.0, 1e-12);
        improved = true;
        converged = change < 1e-12;
      } else {
        lambda *= 4.0;
      }
    }
    if (!improved) break;
  }
  HyperbolaFit fit;
  fit.velocity = p[0];
  fit.apex_x = p[1];
  fit.apex_depth = p[2];
  fit.apex_time = model_time(p, p[1], geometry);
  fit.rms_residual = std::sqrt(c / static_cast<double>(picks.size()));
  fit.iterations = iter;
  return fit;
}

VelocityScan velocity_scan(const BScan& in, const std::vector<double>& velocities, const DepthAxis& depth_axis,
                           const VelocityScanOptions& options, Device device) {
  if (velocities.empty()) throw InvalidArgument("velocity_scan needs at least one velocity");
  if (velocities.size() > max_scan_velocities) {
    std::ostringstream msg;
    msg << "velocity_scan: " << velocities.size() << " velocities given; at most " << max_scan_velocities
        << " (each is three migrations)";
    throw InvalidArgument(msg.str());
  }
  for (std::size_t i = 0; i < velocities.size(); ++i)
    plausibility::check_velocity("velocity_scan: velocity " + std::to_string(i), velocities[i]);
  validate(in.view(), "velocity_scan input");
  validate(in.metadata);
  plausibility::check_geometry("velocity_scan", in.metadata);
  depth_axis.validate();
  plausibility::check_depth_axis("velocity_scan", depth_axis, in.metadata, in.n_samples(),
                                 VelocityModel::constant(*std::max_element(velocities.begin(), velocities.end())));
  check_finite(in.view(), "velocity_scan input");
  KirchhoffOptions ko = options.kirchhoff;
  ko.half_derivative = false;
  ko.obliquity_weights = false;

  VelocityScan scan;
  scan.velocities = velocities;
#ifdef GPRPROC_HAS_CUDA
  if (resolve_device(device) == Device::cuda) {
    scan.focus = cuda_backend::velocity_scan_focus(in, velocities, depth_axis, ko);
  }
#endif
  if (scan.focus.empty()) {
    BScan squared = in;
    for (std::size_t i = 0; i < squared.size(); ++i) squared.data()[i] *= squared.data()[i];
    BScan ones = in;
    std::fill(ones.data(), ones.data() + ones.size(), 1.0f);
    scan.focus.resize(velocities.size());
    for (std::size_t vi = 0; vi < velocities.size(); ++vi) {
      const KirchhoffPlan plan(in.metadata, in.n_samples(), in.n_traces(), VelocityModel::constant(velocities[vi]),
                               depth_axis, ko, device);
      DepthImage stack(plan.n_z(), plan.n_x(), plan.grid(), VelocityModel::constant(velocities[vi]));
      DepthImage energy = stack, weight = stack;
      plan.execute(in.view(), stack.view());
      plan.execute(std::as_const(squared).view(), energy.view());
      plan.execute(std::as_const(ones).view(), weight.view());
      double weighted = 0.0, total = 0.0;
      for (std::size_t i = 0; i < stack.size(); ++i) {
        const detail::FocusTerms t = detail::semblance_focus_terms(stack.data()[i], energy.data()[i], weight.data()[i]);
        weighted += t.weighted;
        total += t.total;
      }
      scan.focus[vi] = total > 0.0 ? weighted / total : 0.0;
    }
  }
  scan.best_index = static_cast<std::size_t>(std::max_element(scan.focus.begin(), scan.focus.end()) - scan.focus.begin());
  scan.best = velocities[scan.best_index];
  const std::size_t k = scan.best_index;
  if (k > 0 && k + 1 < velocities.size()) {
    // Vertex of the parabola through the peak and its neighbours.
    const double x0 = velocities[k - 1], x1 = velocities[k], x2 = velocities[k + 1];
    const double y0 = scan.focus[k - 1], y1 = scan.focus[k], y2 = scan.focus[k + 1];
    const double denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
    const double a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
    const double b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
    if (a < 0.0) {
      const double vertex = -b / (2.0 * a);
      if (vertex > std::min(x0, x2) && vertex < std::max(x0, x2)) scan.best = vertex;
    }
  }
  return scan;
}

}  // namespace gprproc
