#pragma once
// RAII cuBLAS and cuSOLVER (dense) handles, on the default stream.
#include <cublas_v2.h>
#include <cusolverDn.h>

#include "cuda_check.hpp"

namespace gprproc::cuda_backend {

class CublasHandle {
 public:
  CublasHandle() { GPRPROC_CUDA_LIBRARY_CHECK(cublasCreate(&handle_)); }
  ~CublasHandle() { cublasDestroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

class CusolverHandle {
 public:
  CusolverHandle() { GPRPROC_CUDA_LIBRARY_CHECK(cusolverDnCreate(&handle_)); }
  ~CusolverHandle() { cusolverDnDestroy(handle_); }
  CusolverHandle(const CusolverHandle&) = delete;
  CusolverHandle& operator=(const CusolverHandle&) = delete;
  cusolverDnHandle_t get() const { return handle_; }

 private:
  cusolverDnHandle_t handle_ = nullptr;
};

}  // namespace gprproc::cuda_backend
