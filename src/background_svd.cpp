// CPU subspace (eigenimage) background removal with Eigen.
//
// The B-scan M (m samples x n traces) is factored through the Gram matrix of
// its smaller dimension r = min(m, n) (n x n = M^T M when n <= m): one GEMM
// plus a symmetric eigenproblem of size r, against BDCSVD's bidiagonalisation
// of the whole m x n matrix. Squaring loses the relative accuracy of singular
// values below ~1e-8 of the largest (in double), but the components removed
// as background are the largest ones, which the Gram matrix gives to full
// precision. Only the leading eigenpairs are needed: up to r = 256 a dense
// SelfAdjointEigenSolver is cheap; above, block subspace iteration with
// Rayleigh-Ritz (O(r^2) per step instead of O(r^3)) finds them, stopping on
// the eigen-residual, and falls back to the dense solver if it stalls.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>

#include "background_cpu.hpp"

namespace gprproc::cpu_backend {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr Index kDenseLimit = 256;      // dense eigensolver up to this size
constexpr int kMaxSubspaceSteps = 60;   // then the dense solver
constexpr double kResidualTolerance = 1e-12;  // ||G v - theta v|| <= tol * theta_1 for every pair kept

struct Data {
  MatrixXd values;          // M in double, m x n
  bool trace_space = true;  // Gram of the traces (n x n) or of the samples (m x m)
  MatrixXd gram;
};

void load(ConstBScanView in, Data& d) {
  const Index m = static_cast<Index>(in.n_samples);
  const Index n = static_cast<Index>(in.n_traces);
  d.values = Eigen::Map<const RowMatrixF>(in.samples, m, n).cast<double>();
  d.trace_space = n <= m;
  d.gram = d.trace_space ? MatrixXd(d.values.transpose() * d.values) : MatrixXd(d.values * d.values.transpose());
}

void dense_top(const MatrixXd& gram, Index count, VectorXd& values, MatrixXd& vectors) {
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(gram);  // ascending
  values = eigen.eigenvalues().tail(count).reverse();
  vectors = eigen.eigenvectors().rightCols(count).rowwise().reverse();
}

// The `count` largest eigenpairs of the symmetric positive semi-definite
// `gram`, descending.
void top_eigenpairs(const MatrixXd& gram, Index count, VectorXd& values, MatrixXd& vectors) {
  const Index r = gram.rows();
  if (r <= kDenseLimit || 4 * count > r) return dense_top(gram, count, values, vectors);
  const Index block = std::min(r, count + 16);  // extra vectors speed up convergence
  std::mt19937 rng(20100);
  std::normal_distribution<double> gauss;
  MatrixXd basis = MatrixXd::NullaryExpr(r, block, [&] { return gauss(rng); });
  basis = Eigen::HouseholderQR<MatrixXd>(basis).householderQ() * MatrixXd::Identity(r, block);
  for (int step = 0; step < kMaxSubspaceSteps; ++step) {
    const MatrixXd image = gram * basis;  // G Q
    Eigen::SelfAdjointEigenSolver<MatrixXd> ritz(basis.transpose() * image);
    const VectorXd theta = ritz.eigenvalues().reverse();
    const MatrixXd w = ritz.eigenvectors().rowwise().reverse().leftCols(count);
    const MatrixXd v = basis * w;
    // G V - V Theta = (G Q) W - V Theta.
    const MatrixXd residual = image * w - v * theta.head(count).asDiagonal();
    double worst = 0.0;
    for (Index k = 0; k < count; ++k) worst = std::max(worst, residual.col(k).norm());
    if (worst <= kResidualTolerance * std::max(theta[0], 0.0) || theta[0] <= 0.0) {
      values = theta.head(count);
      vectors = v;
      return;
    }
    basis = Eigen::HouseholderQR<MatrixXd>(image).householderQ() * MatrixXd::Identity(r, block);
  }
  dense_top(gram, count, values, vectors);  // a flat spectrum: subspace iteration stalls
}

std::vector<double> as_singular_values(const VectorXd& eigenvalues) {
  std::vector<double> s(static_cast<std::size_t>(eigenvalues.size()));
  for (Index k = 0; k < eigenvalues.size(); ++k) s[static_cast<std::size_t>(k)] = std::sqrt(std::max(eigenvalues[k], 0.0));
  return s;
}

}  // namespace

std::vector<double> singular_values(ConstBScanView in) {
  Data d;
  load(in, d);
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(d.gram, Eigen::EigenvaluesOnly);
  return as_singular_values(eigen.eigenvalues().reverse());
}

std::size_t remove_components(ConstBScanView in, std::size_t first, std::size_t last, bool automatic,
                              std::size_t max_automatic_rank, BScanView out) {
  Data d;
  load(in, d);
  const Index r = d.gram.rows();  // >= last: validated
  VectorXd values;
  MatrixXd vectors;
  if (automatic) {
    // The rule looks at the first max_rank + 1 values only.
    // In size_t first: a huge limit must not overflow the signed Index.
    const Index count = static_cast<Index>(std::min(static_cast<std::size_t>(r) - 1, max_automatic_rank) + 1);
    top_eigenpairs(d.gram, count, values, vectors);
    first = 1;
    last = choose_background_rank(as_singular_values(values), max_automatic_rank);
  } else {
    top_eigenpairs(d.gram, static_cast<Index>(last), values, vectors);
  }
  const MatrixXd basis = vectors.middleCols(static_cast<Index>(first) - 1, static_cast<Index>(last - first + 1));
  MatrixXd background;
  if (d.trace_space)
    background = (d.values * basis) * basis.transpose();  // M V V^T
  else
    background = basis * (basis.transpose() * d.values);  // U U^T M
  Eigen::Map<RowMatrixF>(out.samples, d.values.rows(), d.values.cols()) = (d.values - background).cast<float>();
  return last;
}

}  // namespace gprproc::cpu_backend
