#pragma once
// CUDA backend of the preprocessing filters (include/gprproc/filters.hpp).
// Called by src/filters*.cpp after validation; views may be host (staged) or
// device memory. Kernels that see a NaN/Inf sample throw InvalidArgument.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// Subtracts from each trace the mean of its samples first_sample..last_sample.
void remove_dc(ConstBScanView in, std::size_t first_sample, std::size_t last_sample, BScanView out);
// Subtracts the running mean over 2 * half_width + 1 samples (shrunk at the ends).
void dewow(ConstBScanView in, std::size_t half_width, BScanView out);
// Multiplies each zero-padded trace's half spectrum (n_fft / 2 + 1 bins) by `response`.
void bandpass(ConstBScanView in, std::size_t n_fft, const std::vector<float>& response, BScanView out);
// Analytic signal by FFT of length n_fft; either output may have a null pointer.
void hilbert(ConstBScanView in, std::size_t n_fft, BScanView envelope, BScanView phase);
// First breaks as fractional sample indices (-1: none) into `picks` (n_traces).
// method as in detail::pick_first_break; for method 1 the envelope is computed
// with an FFT of length n_fft first.
void pick_first_breaks(ConstBScanView in, int method, double threshold, int half_width, std::size_t n_fft,
                       double* picks);
// out_j(i) = in_j(i + shifts[j]) (shifts in samples, one per trace) by windowed sinc.
void shift_traces(ConstBScanView in, const std::vector<double>& shifts, int half_width, BScanView out);

// Internal: analytic signal of device traces (row-major, ns x nt) into device
// outputs (either may be null), raising `non_finite` on NaN/Inf input.
void hilbert_on_device(const float* in, std::size_t ns, std::size_t nt, std::size_t n_fft, float* envelope,
                       float* phase, int* non_finite);

}  // namespace gprproc::cuda_backend
