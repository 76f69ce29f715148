// CPU robust PCA (low-rank + sparse) by the inexact augmented Lagrange
// multiplier method, Lin, Chen & Ma (2010), "The augmented Lagrange multiplier
// method for exact recovery of corrupted low-rank matrices", Algorithm 5:
//   Y0 = M / max(||M||_2, ||M||_max / lambda), S0 = 0, mu0 = 1.25 / ||M||_2
//   L = SVT_{1/mu}(M - S + Y/mu);  S = shrink_{lambda/mu}(M - L + Y/mu)
//   Y += mu (M - L - S);  mu = min(rho mu, 1e7 mu0), rho = 1.5
// until ||M - L - S||_F / ||M||_F < tolerance. Everything in double.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "background_cpu.hpp"
#include "gprproc/detail/background_math.hpp"

namespace gprproc::cpu_backend {

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Singular value thresholding: U max(S - tau, 0) V^T of z, through the Gram
// matrix of the smaller dimension: with z^T z = V S^2 V^T,
// U shrink(S) V^T = z V diag(shrink(s)/s) V^T. Returns the rank kept.
Eigen::Index threshold_singular_values(const Eigen::MatrixXd& z, double tau, Eigen::MatrixXd& result) {
  const bool trace_space = z.cols() <= z.rows();
  const Eigen::MatrixXd gram =
      trace_space ? Eigen::MatrixXd(z.transpose() * z) : Eigen::MatrixXd(z * z.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram);
  const Eigen::VectorXd& lambda = eigen.eigenvalues();  // ascending
  Eigen::Index kept = 0;
  while (kept < lambda.size() && std::sqrt(std::max(lambda[lambda.size() - 1 - kept], 0.0)) > tau) ++kept;
  if (kept == 0) {
    result.setZero(z.rows(), z.cols());
    return 0;
  }
  const Eigen::MatrixXd basis = eigen.eigenvectors().rightCols(kept);
  Eigen::VectorXd weight(kept);
  for (Eigen::Index k = 0; k < kept; ++k) {
    const double s = std::sqrt(lambda[lambda.size() - kept + k]);
    weight[k] = (s - tau) / s;
  }
  const Eigen::MatrixXd projector = basis * weight.asDiagonal() * basis.transpose();
  result = trace_space ? Eigen::MatrixXd(z * projector) : Eigen::MatrixXd(projector * z);
  return kept;
}

double spectral_norm(const Eigen::MatrixXd& m) {
  const bool trace_space = m.cols() <= m.rows();
  const Eigen::MatrixXd gram =
      trace_space ? Eigen::MatrixXd(m.transpose() * m) : Eigen::MatrixXd(m * m.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram, Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(eigen.eigenvalues().maxCoeff(), 0.0));
}

}  // namespace

BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, float* low_rank_out,
                            float* sparse_out) {
  const Eigen::Index m = static_cast<Eigen::Index>(in.n_samples);
  const Eigen::Index n = static_cast<Eigen::Index>(in.n_traces);
  const Eigen::MatrixXd data = Eigen::Map<const RowMatrixF>(in.samples, m, n).cast<double>();
  const double lambda =
      options.lambda > 0.0 ? options.lambda : 1.0 / std::sqrt(static_cast<double>(std::max(m, n)));

  BackgroundReport report;
  report.lambda = lambda;
  Eigen::MatrixXd low = Eigen::MatrixXd::Zero(m, n);
  Eigen::MatrixXd sparse = Eigen::MatrixXd::Zero(m, n);
  const double data_norm = data.norm();
  if (data_norm > 0.0) {
    const double norm2 = spectral_norm(data);
    const double norm_max = data.cwiseAbs().maxCoeff();
    Eigen::MatrixXd multiplier = data / std::max(norm2, norm_max / lambda);
    double mu = 1.25 / norm2;
    const double mu_max = mu * 1e7;
    const double rho = 1.5;
    report.converged = false;
    Eigen::MatrixXd residual(m, n);
    for (std::size_t it = 1; it <= options.max_iterations; ++it) {
      threshold_singular_values(data - sparse + multiplier / mu, 1.0 / mu, low);
      const Eigen::MatrixXd target = data - low + multiplier / mu;
      const double tau = lambda / mu;
      sparse = target.unaryExpr([tau](double x) { return detail::soft_threshold(x, tau); });
      residual = data - low - sparse;
      multiplier += mu * residual;
      mu = std::min(mu * rho, mu_max);
      report.iterations = it;
      report.relative_residual = residual.norm() / data_norm;
      if (report.relative_residual < options.tolerance) {
        report.converged = true;
        break;
      }
    }
  }
  // Both outputs may alias the input: `data` is a copy.
  Eigen::Map<RowMatrixF>(low_rank_out, m, n) = low.cast<float>();
  Eigen::Map<RowMatrixF>(sparse_out, m, n) = sparse.cast<float>();
  return report;
}

}  // namespace gprproc::cpu_backend
