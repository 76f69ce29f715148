// CUDA subspace (eigenimage) background removal: cuBLAS Gram matrix of the
// smaller dimension, cuSOLVER syevd, and a cuBLAS projection, all in double
// (as the CPU backend) so that the removed components are exact to float
// precision. The row-major (m samples, n traces) buffer is, for cuBLAS, the
// column-major n x m matrix A = M^T.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusolverDn.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "background_cuda.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "gprproc/background.hpp"
#include "gprproc/error.hpp"

namespace gprproc::cuda_backend {

namespace {

class Cublas {
 public:
  Cublas() { GPRPROC_CUDA_LIBRARY_CHECK(cublasCreate(&handle_)); }
  ~Cublas() { cublasDestroy(handle_); }
  Cublas(const Cublas&) = delete;
  Cublas& operator=(const Cublas&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

class Cusolver {
 public:
  Cusolver() { GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnCreate(&handle_)); }
  ~Cusolver() { cusolverDnDestroy(handle_); }
  Cusolver(const Cusolver&) = delete;
  Cusolver& operator=(const Cusolver&) = delete;
  cusolverDnHandle_t get() const { return handle_; }

 private:
  cusolverDnHandle_t handle_ = nullptr;
};

__global__ void to_double_kernel(const float* in, double* out, long long count) {
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    out[k] = in[k];
}

__global__ void to_float_kernel(const double* in, float* out, long long count) {
  for (long long k = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; k < count;
       k += static_cast<long long>(gridDim.x) * blockDim.x)
    out[k] = static_cast<float>(in[k]);
}

unsigned grid_for(long long count) { return static_cast<unsigned>(std::min<long long>((count + 255) / 256, 8192)); }

// The data in double and the eigen-decomposition of its smaller Gram matrix.
struct Factor {
  long long m = 0, n = 0, r = 0;
  bool trace_space = true;        // Gram of the traces (n x n) or of the samples (m x m)
  DeviceBuffer<double> data;      // column-major n x m (= row-major M)
  DeviceBuffer<double> vectors;   // r x r eigenvectors (columns), eigenvalues ascending
  std::vector<double> eigenvalues;  // host copy, ascending
};

void factor(ConstBScanView in, bool want_vectors, const Cublas& blas, const Cusolver& solver, Factor& f,
            const char* operation) {
  check_finite_device(in, operation, "input B-scan");
  const DeviceInput input(in);
  f.m = static_cast<long long>(in.n_samples);
  f.n = static_cast<long long>(in.n_traces);
  f.trace_space = f.n <= f.m;
  f.r = std::min(f.m, f.n);
  const long long count = f.m * f.n;
  f.data = DeviceBuffer<double>(static_cast<std::size_t>(count));
  to_double_kernel<<<grid_for(count), 256>>>(input.get(), f.data.get(), count);
  GPRPROC_CUDA_CHECK_LAUNCH();

  const int m = static_cast<int>(f.m), n = static_cast<int>(f.n), r = static_cast<int>(f.r);
  f.vectors = DeviceBuffer<double>(static_cast<std::size_t>(f.r * f.r));
  const double one = 1.0, zero = 0.0;
  if (f.trace_space)  // G = A A^T (n x n) = M^T M
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_N, CUBLAS_OP_T, n, n, m, &one, f.data.get(), n,
                                           f.data.get(), n, &zero, f.vectors.get(), n));
  else  // G = A^T A (m x m) = M M^T
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_T, CUBLAS_OP_N, m, m, n, &one, f.data.get(), n,
                                           f.data.get(), n, &zero, f.vectors.get(), m));

  const cusolverEigMode_t mode = want_vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
  DeviceBuffer<double> values(static_cast<std::size_t>(f.r));
  int work_size = 0;
  GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnDsyevd_bufferSize(solver.get(), mode, CUBLAS_FILL_MODE_LOWER, r,
                                                         f.vectors.get(), r, values.get(), &work_size));
  DeviceBuffer<double> work(static_cast<std::size_t>(std::max(work_size, 1)));
  DeviceBuffer<int> info(1);
  GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnDsyevd(solver.get(), mode, CUBLAS_FILL_MODE_LOWER, r, f.vectors.get(), r,
                                              values.get(), work.get(), work_size, info.get()));
  int status = 0;
  GPRPROC_CUDA_CHECK(cudaMemcpy(&status, info.get(), sizeof(int), cudaMemcpyDeviceToHost));
  if (status != 0)
    throw CudaError(ErrorCode::cuda_failure,
                    "cusolverDnDsyevd did not converge on the Gram matrix (info " + std::to_string(status) + ")");
  f.eigenvalues.resize(static_cast<std::size_t>(f.r));
  GPRPROC_CUDA_CHECK(
      cudaMemcpy(f.eigenvalues.data(), values.get(), f.eigenvalues.size() * sizeof(double), cudaMemcpyDeviceToHost));
}

std::vector<double> descending_singular_values(const std::vector<double>& ascending_eigenvalues) {
  std::vector<double> s(ascending_eigenvalues.size());
  for (std::size_t k = 0; k < s.size(); ++k)
    s[k] = std::sqrt(std::max(ascending_eigenvalues[s.size() - 1 - k], 0.0));
  return s;
}

}  // namespace

std::vector<double> singular_values(ConstBScanView in) {
  const Cublas blas;
  const Cusolver solver;
  Factor f;
  factor(in, false, blas, solver, f, "singular_values");
  return descending_singular_values(f.eigenvalues);
}

std::size_t remove_components(ConstBScanView in, std::size_t first, std::size_t last, bool automatic,
                              std::size_t max_automatic_rank, BScanView out) {
  const Cublas blas;
  const Cusolver solver;
  Factor f;
  factor(in, true, blas, solver, f, "remove_background");
  if (automatic) {
    first = 1;
    last = choose_background_rank(descending_singular_values(f.eigenvalues), max_automatic_rank);
  }
  const int m = static_cast<int>(f.m), n = static_cast<int>(f.n), r = static_cast<int>(f.r);
  const int k = static_cast<int>(last - first + 1);
  // Component c (1 = largest) is eigenvector column r - c; columns r-last .. r-first are contiguous.
  const double* basis = f.vectors.get() + static_cast<long long>(r - static_cast<int>(last)) * r;
  const double one = 1.0, zero = 0.0, minus_one = -1.0;
  if (f.trace_space) {
    // A <- A - V (V^T A): C = V^T A is k x m.
    DeviceBuffer<double> c(static_cast<std::size_t>(k) * static_cast<std::size_t>(m));
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_T, CUBLAS_OP_N, k, m, n, &one, basis, r,
                                           f.data.get(), n, &zero, c.get(), k));
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &minus_one, basis, r,
                                           c.get(), k, &one, f.data.get(), n));
  } else {
    // A <- A - (A U) U^T: C = A U is n x k.
    DeviceBuffer<double> c(static_cast<std::size_t>(n) * static_cast<std::size_t>(k));
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_N, CUBLAS_OP_N, n, k, m, &one, f.data.get(), n,
                                           basis, r, &zero, c.get(), n));
    GPRPROC_CUDA_LIBRARY_CHECK(cublasDgemm(blas.get(), CUBLAS_OP_N, CUBLAS_OP_T, n, m, k, &minus_one, c.get(), n,
                                           basis, r, &one, f.data.get(), n));
  }
  DeviceOutput output(out);
  const long long count = f.m * f.n;
  to_float_kernel<<<grid_for(count), 256>>>(f.data.get(), output.get(), count);
  GPRPROC_CUDA_CHECK_LAUNCH();
  output.finish();
  return last;
}

}  // namespace gprproc::cuda_backend
