#pragma once
// The CUDA backend of background removal (namespace gprproc::cuda_backend).
// Plain C++ declarations, so src/background.cpp can call them; host or device
// views, parameters already validated. Non-finite input throws InvalidArgument.
#include <cstddef>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

void subtract_mean_trace(ConstBScanView in, BScanView out);
void subtract_moving_mean(ConstBScanView in, std::size_t window_traces, BScanView out);
void subtract_moving_median(ConstBScanView in, std::size_t window_traces, BScanView out);

// cuBLAS Gram matrix of the smaller dimension + cuSOLVER syevd.
std::vector<double> singular_values(ConstBScanView in);
// Removes components first..last (1-based); with `automatic` chooses last from
// the spectrum (first is then 1). Returns the last component removed.
std::size_t remove_components(ConstBScanView in, std::size_t first, std::size_t last, bool automatic,
                              std::size_t max_automatic_rank, BScanView out);

// Robust PCA (inexact ALM, the CPU backend's algorithm and report) on the
// device, in double: cuBLAS/cuSOLVER singular value thresholding, CUDA kernels
// for the elementwise steps. Host or device views; the outputs may alias the
// input. low_rank.samples may be null: the low-rank part is then not written.
BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, BScanView low_rank,
                            BScanView sparse);

// Host staging for the CPU-only methods: copies between a view (host or
// device) and host memory of view.size() floats.
void copy_to_host(ConstBScanView view, float* host);
void copy_from_host(const float* host, BScanView view);
// Throws InvalidArgument(non_finite) when a device view holds NaN or Inf.
void check_finite_device(ConstBScanView view, const char* operation, const char* what);

}  // namespace gprproc::cuda_backend
