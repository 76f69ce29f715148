#pragma once
// Random orthonormal vectors, the factors of the exactly low-rank matrices
// the background tests plant (CPU and CUDA tests alike).
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace gprproc_test {

// `count` orthonormal vectors of the given length: Gram-Schmidt of Gaussian
// vectors drawn from `seed`.
inline std::vector<std::vector<double>> orthonormal(std::size_t length, std::size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<std::vector<double>> q;
  while (q.size() < count) {
    std::vector<double> v(length);
    for (double& x : v) x = gauss(rng);
    for (const auto& u : q) {
      double d = 0.0;
      for (std::size_t i = 0; i < length; ++i) d += u[i] * v[i];
      for (std::size_t i = 0; i < length; ++i) v[i] -= d * u[i];
    }
    double norm = 0.0;
    for (double x : v) norm += x * x;
    norm = std::sqrt(norm);
    for (double& x : v) x /= norm;
    q.push_back(v);
  }
  return q;
}

}  // namespace gprproc_test
