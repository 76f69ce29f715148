#pragma once
// Background and clutter removal: the horizontal, trace-to-trace coherent part
// of a B-scan (antenna ringing, the ground bounce, flat layers) is estimated
// and subtracted, leaving what varies along the scan (diffraction hyperbolas
// of buried targets). Methods, their edge rules and references: docs/BACKGROUND.md.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"

namespace gprproc {

enum class BackgroundMethod {
  mean,           // subtract the mean trace over all traces
  moving_mean,    // subtract the mean of a sliding window of window_traces traces
  moving_median,  // subtract the median of a sliding window of window_traces traces
  svd,            // remove singular components first_component..last_component (eigenimage)
  rpca,           // robust PCA: keep the sparse part of low-rank + sparse
};

const char* to_string(BackgroundMethod method) noexcept;
// "mean", "moving_mean", "moving_median", "svd" (or "subspace"), "rpca"; throws InvalidArgument.
BackgroundMethod parse_background_method(const std::string& name);

// Robust PCA by the inexact augmented Lagrange multiplier method (Lin, Chen &
// Ma 2010): M = L + S with L low rank and S sparse.
struct RobustPcaOptions {
  double lambda = 0.0;                 // weight of ||S||_1; 0 means 1 / sqrt(max(n_samples, n_traces))
  double tolerance = 1e-7;             // stop when ||M - L - S||_F / ||M||_F < tolerance
  std::size_t max_iterations = 1000;   // ... or after this many (1 .. max_rpca_iterations; reported, not an error)
};

struct BackgroundOptions {
  BackgroundMethod method = BackgroundMethod::mean;
  // moving_mean, moving_median: traces in the window, odd, >= 1 and at most
  // the B-scan's n_traces (a wider window is an error). The window
  // is centred on the output trace and cut at the ends of the data, so it
  // shrinks to (window_traces + 1) / 2 traces at the first and last trace.
  std::size_t window_traces = 21;
  // svd: remove singular components first_component..last_component (1-based,
  // inclusive, 1 = the largest), at most min(n_samples, n_traces).
  std::size_t first_component = 1;
  std::size_t last_component = 1;
  // svd: choose last_component from the singular-value spectrum
  // (choose_background_rank) instead; first_component is then 1.
  bool automatic_rank = false;
  // Largest rank the automatic choice may pick (an upper limit: above
  // min(n_samples, n_traces) - 1 it no longer restricts the choice).
  std::size_t max_automatic_rank = 5;
  RobustPcaOptions rpca;               // method rpca
};

// What a removal did (filled in for every method; fields of other methods are 0).
struct BackgroundReport {
  std::size_t first_component = 0;  // svd: components removed (after an automatic choice)
  std::size_t last_component = 0;
  std::size_t iterations = 0;       // rpca
  double relative_residual = 0.0;   // rpca: ||M - L - S||_F / ||M||_F at the end
  bool converged = true;            // rpca: tolerance reached within max_iterations
  double lambda = 0.0;              // rpca: the sparse weight used (the default resolved)
};

// The most iterations robust PCA may be asked for (RobustPcaOptions::max_iterations).
constexpr std::size_t max_rpca_iterations = 100000;

// Throws InvalidArgument naming the parameter, its value and the valid range.
// n_samples/n_traces bound the svd components; pass 0 to skip that check.
void validate(const BackgroundOptions& options, std::size_t n_samples = 0, std::size_t n_traces = 0);

// View level. `in` and `out` have the same shape, may be host or device
// memory, and may be the same buffer (every method works in place).
// Non-finite input throws InvalidArgument (ErrorCode::non_finite); the input
// is never modified before it is rejected (in place, it is checked first),
// while a separate output may be left partly written. No method
// uses the metadata (dt, dx may be unset); it is taken for a uniform API.
// Method rpca runs on the resolved device too: on the GPU in double with
// cuBLAS/cuSOLVER, device data staying on the device (docs/BACKGROUND.md).
BackgroundReport remove_background(ConstBScanView in, const BScanMetadata& metadata, const BackgroundOptions& options,
                                   BScanView out, Device device = Device::automatic);

// Convenience level: a new B-scan with a "remove_background" history step.
BScan remove_background(const BScan& in, const BackgroundOptions& options, Device device = Device::automatic);

// Stack level: every B-scan of `in` (n_bscans, n_samples, n_traces) on its own,
// as one call per B-scan would do it, into `out` of the same shape (or the
// same memory: in place). Returns one report per B-scan.
// - mean, moving_mean, moving_median work row by row, so the whole stack is
//   one pass (on the GPU one launch: a multichannel array's channels, a 3-D
//   survey's lines). Results equal the per-B-scan calls bitwise.
// - svd and rpca take each B-scan in turn (svd's automatic rank is chosen per
//   B-scan).
// NaN/Inf input throws InvalidArgument (host input: naming the B-scan, sample
// and trace) as at the view level: the input is never modified before it is
// rejected. svd and rpca check the whole stack before writing any output; the
// row-wise methods may leave a separate output partly written. Input and
// output that overlap without being the same memory throw InvalidArgument.
std::vector<BackgroundReport> remove_background(ConstBScanStackView in, const BScanMetadata& metadata,
                                                const BackgroundOptions& options, BScanStackView out,
                                                Device device = Device::automatic);

// ---- subspace tools ----

// Singular values of the B-scan (as a matrix), largest first, min(n_samples, n_traces) of them.
std::vector<double> singular_values(ConstBScanView in, Device device = Device::automatic);

// The automatic rank rule (docs/BACKGROUND.md): among the first
// min(max_rank, count - 1) singular values, the k with the largest drop
// ln(s_k) - ln(s_{k+1}); components 1..k are the background. Returns 1 when
// fewer than two values are positive.
std::size_t choose_background_rank(const std::vector<double>& singular_values, std::size_t max_rank = 5);

// ---- robust PCA with both parts ----

// low_rank + sparse = in (to the tolerance). Host or device views, computed on
// the resolved device (Device::cuda: on the GPU, no host copy of device data).
BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, BScanView low_rank,
                            BScanView sparse, Device device = Device::automatic);

struct RobustPcaResult {
  BScan low_rank;  // the background (clutter)
  BScan sparse;    // the targets
  BackgroundReport report;
};
RobustPcaResult robust_pca(const BScan& in, const RobustPcaOptions& options = {}, Device device = Device::automatic);

}  // namespace gprproc
