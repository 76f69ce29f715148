// CUDA robust PCA (low rank + sparse): the inexact augmented Lagrange
// multiplier method of Lin, Chen & Ma (2010), Algorithm 5, the same algorithm,
// options, stopping rule and report as the CPU backend (src/background_rpca.cpp):
//   Y0 = M / max(||M||_2, ||M||_max / lambda), S0 = 0, mu0 = 1.25 / ||M||_2
//   L = SVT_{1/mu}(M - S + Y/mu);  S = shrink_{lambda/mu}(M - L + Y/mu)
//   Y += mu (M - L - S);  mu = min(rho mu, 1e7 mu0), rho = 1.5
// until ||M - L - S||_F / ||M||_F < tolerance, or max_iterations.
//
// Everything is in double on the device, as on the CPU (docs/BACKGROUND.md,
// "Robust PCA on the GPU", says why float is not enough). The singular value
// thresholding goes through the Gram matrix of the smaller dimension
// (cublasDsyrk + cusolverDnDsyevd) and two cublasDgemm over the kept
// eigenvectors only. The elementwise steps are grid-stride kernels; the
// residual norm is a two-stage block reduction in a fixed order, so a run is
// deterministic. All buffers are allocated once per call; per iteration only
// the eigenvalues (min(m, n) doubles), the solver status and the residual
// norm go to the host, never the data.
//
// The row-major (m samples, n traces) buffer is, for cuBLAS, the
// column-major n x m matrix A = M^T (leading dimension n).
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusolverDn.h>

#include <cub/block/block_reduce.cuh>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "background_cuda.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/detail/background_math.hpp"
#include "gprproc/error.hpp"
#include "library_handles.hpp"

namespace gprproc::cuda_backend {

namespace {

constexpr int kThreads = 256;
constexpr long long kMaxBlocks = 1024;  // also the length of the partial-sum buffers

using BlockReduce = cub::BlockReduce<double, kThreads>;

struct MaxOp {
  __device__ double operator()(double a, double b) const { return a > b ? a : b; }
};

unsigned blocks_for(long long count) {
  return static_cast<unsigned>(std::min<long long>(std::max<long long>((count + kThreads - 1) / kThreads, 1), kMaxBlocks));
}

// M in double; per block: sum of squares and max |x|.
__global__ void load_kernel(const float* __restrict__ in, double* __restrict__ data, long long count,
                            double* __restrict__ partial_sum, double* __restrict__ partial_max) {
  __shared__ typename BlockReduce::TempStorage storage;
  double sum = 0.0, peak = 0.0;
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x) {
    const double v = in[k];
    data[k] = v;
    sum += v * v;
    peak = fmax(peak, fabs(v));
  }
  const double block_sum = BlockReduce(storage).Sum(sum);
  __syncthreads();  // storage is reused
  const double block_max = BlockReduce(storage).Reduce(peak, MaxOp());
  if (threadIdx.x == 0) {
    partial_sum[blockIdx.x] = block_sum;
    partial_max[blockIdx.x] = block_max;
  }
}

// One block: result[0] = sum of partial_sum, result[1] = max of partial_max
// (when given). A fixed order, so the result does not vary between runs.
__global__ void finish_reduction_kernel(const double* __restrict__ partial_sum, const double* __restrict__ partial_max,
                                        int blocks, double* __restrict__ result) {
  __shared__ typename BlockReduce::TempStorage storage;
  double sum = 0.0, peak = 0.0;
  for (int k = threadIdx.x; k < blocks; k += blockDim.x) {
    sum += partial_sum[k];
    if (partial_max) peak = fmax(peak, partial_max[k]);
  }
  const double total = BlockReduce(storage).Sum(sum);
  __syncthreads();
  const double largest = BlockReduce(storage).Reduce(peak, MaxOp());
  if (threadIdx.x == 0) {
    result[0] = total;
    result[1] = largest;
  }
}

__global__ void divide_kernel(const double* __restrict__ data, double divisor, double* __restrict__ out,
                              long long count) {
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    out[k] = data[k] / divisor;
}

// Z = M - S + Y / mu, the matrix whose singular values are thresholded.
__global__ void shifted_kernel(const double* __restrict__ data, const double* __restrict__ sparse,
                               const double* __restrict__ multiplier, double mu, double* __restrict__ z,
                               long long count) {
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    z[k] = data[k] - sparse[k] + multiplier[k] / mu;
}

// S = shrink_tau(M - L + Y/mu); R = M - L - S; Y += mu R; per block: sum of R^2.
__global__ void update_kernel(const double* __restrict__ data, const double* __restrict__ low,
                              double* __restrict__ sparse, double* __restrict__ multiplier, double mu, double tau,
                              long long count, double* __restrict__ partial_sum) {
  __shared__ typename BlockReduce::TempStorage storage;
  double sum = 0.0;
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x) {
    const double d = data[k], l = low[k], y = multiplier[k];
    const double s = detail::soft_threshold(d - l + y / mu, tau);
    const double r = d - l - s;
    sparse[k] = s;
    multiplier[k] = y + mu * r;
    sum += r * r;
  }
  const double block_sum = BlockReduce(storage).Sum(sum);
  if (threadIdx.x == 0) partial_sum[blockIdx.x] = block_sum;
}

__global__ void to_float_kernel(const double* __restrict__ in, float* __restrict__ out, long long count) {
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    out[k] = static_cast<float>(in[k]);
}

// The device state of one call, allocated once.
class Solver {
 public:
  Solver(long long m, long long n)
      : m_(m),
        n_(n),
        r_(std::min(m, n)),
        count_(m * n),
        trace_space_(n <= m),
        data_(static_cast<std::size_t>(count_)),
        sparse_(static_cast<std::size_t>(count_)),
        multiplier_(static_cast<std::size_t>(count_)),
        low_(static_cast<std::size_t>(count_)),
        projected_(static_cast<std::size_t>(count_)),  // kept x m or n x kept, kept <= min(m, n)
        gram_(static_cast<std::size_t>(r_ * r_)),
        scaled_(static_cast<std::size_t>(r_ * r_)),
        eigenvalues_(static_cast<std::size_t>(r_)),
        weights_(static_cast<std::size_t>(r_)),
        info_(1),
        partial_sum_(static_cast<std::size_t>(kMaxBlocks)),
        partial_max_(static_cast<std::size_t>(kMaxBlocks)),
        reduced_(2),
        host_eigenvalues_(static_cast<std::size_t>(r_)),
        host_weights_(static_cast<std::size_t>(r_)) {
    int vector_size = 0, value_size = 0;
    const int r = static_cast<int>(r_);
    GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnDsyevd_bufferSize(solver_.get(), CUSOLVER_EIG_MODE_VECTOR,
                                                           CUBLAS_FILL_MODE_LOWER, r, gram_.get(), r,
                                                           eigenvalues_.get(), &vector_size));
    GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnDsyevd_bufferSize(solver_.get(), CUSOLVER_EIG_MODE_NOVECTOR,
                                                           CUBLAS_FILL_MODE_LOWER, r, gram_.get(), r,
                                                           eigenvalues_.get(), &value_size));
    work_size_ = std::max({vector_size, value_size, 1});
    work_ = DeviceBuffer<double>(static_cast<std::size_t>(work_size_));
  }

  // M from the float input; returns {||M||_F, ||M||_max}.
  std::pair<double, double> load(const float* in) {
    const unsigned blocks = blocks_for(count_);
    load_kernel<<<blocks, kThreads>>>(in, data_.get(), count_, partial_sum_.get(), partial_max_.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    const double* reduced = finish_reduction(static_cast<int>(blocks), true);
    return {std::sqrt(reduced[0]), reduced[1]};
  }

  // ||M||_2: the square root of the largest eigenvalue of the Gram matrix.
  double spectral_norm() {
    gram(data_.get());
    eigen(CUSOLVER_EIG_MODE_NOVECTOR);
    return std::sqrt(std::max(host_eigenvalues_.back(), 0.0));
  }

  // Y0 = M / divisor, S0 = 0.
  void start(double divisor) {
    divide_kernel<<<blocks_for(count_), kThreads>>>(data_.get(), divisor, multiplier_.get(), count_);
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(sparse_.get(), 0, static_cast<std::size_t>(count_) * sizeof(double)));
  }

  // One iteration; returns ||M - L - S||_F^2.
  double iterate(double mu, double lambda) {
    shifted_kernel<<<blocks_for(count_), kThreads>>>(data_.get(), sparse_.get(), multiplier_.get(), mu, low_.get(),
                                                      count_);
    GPRPROC_CUDA_CHECK_LAUNCH();
    threshold_singular_values(1.0 / mu);
    const unsigned blocks = blocks_for(count_);
    update_kernel<<<blocks, kThreads>>>(data_.get(), low_.get(), sparse_.get(), multiplier_.get(), mu, lambda / mu,
                                        count_, partial_sum_.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    return finish_reduction(static_cast<int>(blocks), false)[0];
  }

  void zero_parts() {
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(low_.get(), 0, static_cast<std::size_t>(count_) * sizeof(double)));
    GPRPROC_CUDA_CHECK(cudaMemsetAsync(sparse_.get(), 0, static_cast<std::size_t>(count_) * sizeof(double)));
  }

  void write_low_rank(float* out) const { write(low_.get(), out); }
  void write_sparse(float* out) const { write(sparse_.get(), out); }

 private:
  // Lower triangle of the Gram matrix of the smaller dimension of a (n x m
  // column-major): A A^T = M^T M (n x n) or A^T A = M M^T (m x m).
  void gram(const double* a) {
    const double one = 1.0, zero = 0.0;
    const int m = static_cast<int>(m_), n = static_cast<int>(n_);
    if (trace_space_)
      GPRPROC_CUDA_LIBRARY_CHECK(
          cublasDsyrk(blas_.get(), CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_N, n, m, &one, a, n, &zero, gram_.get(), n));
    else
      GPRPROC_CUDA_LIBRARY_CHECK(
          cublasDsyrk(blas_.get(), CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_T, m, n, &one, a, n, &zero, gram_.get(), m));
  }

  // Eigenvalues (ascending, copied to the host) and, with MODE_VECTOR, the
  // eigenvectors in gram_ (column k for eigenvalue k).
  void eigen(cusolverEigMode_t mode) {
    const int r = static_cast<int>(r_);
    GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnDsyevd(solver_.get(), mode, CUBLAS_FILL_MODE_LOWER, r, gram_.get(), r,
                                                eigenvalues_.get(), work_.get(), work_size_, info_.get()));
    int status = 0;
    GPRPROC_CUDA_CHECK(cudaMemcpy(&status, info_.get(), sizeof(int), cudaMemcpyDeviceToHost));
    if (status != 0)
      throw CudaError(ErrorCode::cuda_failure,
                      "robust PCA: cusolverDnDsyevd did not converge on the Gram matrix (info " +
                          std::to_string(status) + ")");
    GPRPROC_CUDA_CHECK(cudaMemcpy(host_eigenvalues_.data(), eigenvalues_.get(),
                                  host_eigenvalues_.size() * sizeof(double), cudaMemcpyDeviceToHost));
  }

  // low_ holds Z on entry and U shrink_tau(Sigma) V^T of Z on return:
  // Z V_k diag((s - tau)/s) V_k^T over the k singular values s > tau (the
  // same rule as the CPU). Z is read only by the first GEMM, so the second
  // one writes the result over it.
  void threshold_singular_values(double tau) {
    gram(low_.get());
    eigen(CUSOLVER_EIG_MODE_VECTOR);
    const long long r = r_;
    long long kept = 0;
    while (kept < r && std::sqrt(std::max(host_eigenvalues_[static_cast<std::size_t>(r - 1 - kept)], 0.0)) > tau)
      ++kept;
    if (kept == 0) {
      GPRPROC_CUDA_CHECK(cudaMemsetAsync(low_.get(), 0, static_cast<std::size_t>(count_) * sizeof(double)));
      return;
    }
    for (long long k = 0; k < kept; ++k) {
      const double s = std::sqrt(host_eigenvalues_[static_cast<std::size_t>(r - kept + k)]);
      host_weights_[static_cast<std::size_t>(k)] = (s - tau) / s;
    }
    weights_.copy_from_host(host_weights_.data(), static_cast<std::size_t>(kept));
    const int ri = static_cast<int>(r), k = static_cast<int>(kept);
    const int m = static_cast<int>(m_), n = static_cast<int>(n_);
    const double* basis = gram_.get() + (r - kept) * r;  // the kept eigenvectors: r x k, leading dimension r
    // scaled = basis diag(weights)
    GPRPROC_CUDA_LIBRARY_CHECK(
        cublasDdgmm(blas_.get(), CUBLAS_SIDE_RIGHT, ri, k, basis, ri, weights_.get(), 1, scaled_.get(), ri));
    const double one = 1.0, zero = 0.0;
    if (trace_space_) {
      // L^T = V_k diag(w) V_k^T A: C = V_k^T A (k x m), then L^T = scaled C (n x m).
      GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas_.get(), CUBLAS_OP_T, CUBLAS_OP_N, k, m, n, &one, basis, n,
                                             low_.get(), n, &zero, projected_.get(), k));
      GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas_.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, scaled_.get(), n,
                                             projected_.get(), k, &zero, low_.get(), n));
    } else {
      // L^T = A U_k diag(w) U_k^T: C = A U_k (n x k), then L^T = C scaled^T (n x m).
      GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas_.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, k, m, &one, low_.get(), n,
                                             basis, m, &zero, projected_.get(), n));
      GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas_.get(), CUBLAS_OP_N, CUBLAS_OP_T, n, m, k, &one, projected_.get(),
                                             n, scaled_.get(), m, &zero, low_.get(), n));
    }
  }

  // Reduces the per-block partials and copies {sum, max} to the host (synchronises).
  const double* finish_reduction(int blocks, bool with_max) {
    finish_reduction_kernel<<<1, kThreads>>>(partial_sum_.get(), with_max ? partial_max_.get() : nullptr, blocks,
                                             reduced_.get());
    GPRPROC_CUDA_CHECK_LAUNCH();
    GPRPROC_CUDA_CHECK(cudaMemcpy(host_reduced_, reduced_.get(), sizeof(host_reduced_), cudaMemcpyDeviceToHost));
    return host_reduced_;
  }

  void write(const double* part, float* out) const {
    to_float_kernel<<<blocks_for(count_), kThreads>>>(part, out, count_);
    GPRPROC_CUDA_CHECK_LAUNCH();
  }

  long long m_, n_, r_, count_;
  bool trace_space_;
  CublasHandle blas_;
  CusolverHandle solver_;
  DeviceBuffer<double> data_, sparse_, multiplier_;
  DeviceBuffer<double> low_;        // Z, then L, in place
  DeviceBuffer<double> projected_;  // C of the thresholding
  DeviceBuffer<double> gram_;       // the Gram matrix, then its eigenvectors
  DeviceBuffer<double> scaled_;     // kept eigenvectors times the shrink weights
  DeviceBuffer<double> eigenvalues_, weights_;
  DeviceBuffer<int> info_;
  DeviceBuffer<double> partial_sum_, partial_max_, reduced_;
  DeviceBuffer<double> work_;
  int work_size_ = 0;
  std::vector<double> host_eigenvalues_, host_weights_;
  double host_reduced_[2] = {0.0, 0.0};
};

}  // namespace

BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, BScanView low_rank,
                            BScanView sparse) {
  check_finite_device(in, "robust_pca", "input B-scan");
  const long long m = static_cast<long long>(in.n_samples), n = static_cast<long long>(in.n_traces);
  if (m > std::numeric_limits<int>::max() || n > std::numeric_limits<int>::max())
    throw InvalidArgument("robust PCA on the GPU: n_samples and n_traces must each be below 2^31 (cuBLAS sizes), got (" +
                              std::to_string(m) + ", " + std::to_string(n) + ")",
                          ErrorCode::invalid_shape);
  Solver solver(m, n);
  const DeviceInput input(in);
  const auto norms = solver.load(input.get());  // synchronises: the input is no longer read after this
  const double data_norm = norms.first, norm_max = norms.second;
  const double lambda =
      options.lambda > 0.0 ? options.lambda : 1.0 / std::sqrt(static_cast<double>(std::max(m, n)));
  BackgroundReport report;
  report.lambda = lambda;
  if (data_norm > 0.0) {
    const double norm2 = solver.spectral_norm();
    solver.start(std::max(norm2, norm_max / lambda));
    double mu = 1.25 / norm2;
    const double mu_max = mu * 1e7;
    const double rho = 1.5;
    report.converged = false;
    for (std::size_t it = 1; it <= options.max_iterations; ++it) {
      const double residual = std::sqrt(solver.iterate(mu, lambda));
      mu = std::min(mu * rho, mu_max);
      report.iterations = it;
      report.relative_residual = residual / data_norm;
      if (report.relative_residual < options.tolerance) {
        report.converged = true;
        break;
      }
    }
  } else {
    solver.zero_parts();
  }
  // The outputs may alias the input: it has been read into the solver.
  if (low_rank.samples) {
    DeviceOutput low(low_rank);
    solver.write_low_rank(low.get());
    low.finish();
  }
  DeviceOutput out(sparse);
  solver.write_sparse(out.get());
  out.finish();
  return report;
}

}  // namespace gprproc::cuda_backend
