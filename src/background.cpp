// Background removal: parameter validation, device dispatch and the
// convenience level. The CPU kernels live in background_moving.cpp,
// background_svd.cpp and background_rpca.cpp; the CUDA ones in cuda/.
#include "gprproc/background.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "background_cpu.hpp"
#include "filters_common.hpp"
#include "gprproc/error.hpp"
#include "gprproc/history.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "background_cuda.hpp"
#endif

namespace gprproc {

const char* to_string(BackgroundMethod method) noexcept {
  switch (method) {
    case BackgroundMethod::mean: return "mean";
    case BackgroundMethod::moving_mean: return "moving_mean";
    case BackgroundMethod::moving_median: return "moving_median";
    case BackgroundMethod::svd: return "svd";
    case BackgroundMethod::rpca: return "rpca";
  }
  return "unknown";
}

BackgroundMethod parse_background_method(const std::string& name) {
  std::string key(name);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  std::replace(key.begin(), key.end(), '-', '_');
  if (key == "mean") return BackgroundMethod::mean;
  if (key == "moving_mean") return BackgroundMethod::moving_mean;
  if (key == "moving_median") return BackgroundMethod::moving_median;
  if (key == "svd" || key == "subspace") return BackgroundMethod::svd;
  if (key == "rpca" || key == "robust_pca") return BackgroundMethod::rpca;
  throw InvalidArgument("background method must be 'mean', 'moving_mean', 'moving_median', 'svd' or 'rpca', got '" +
                        name + "'");
}

namespace {

[[noreturn]] void bad(const std::string& text) { throw InvalidArgument(text); }

void validate_rpca(const RobustPcaOptions& o) {
  if (!std::isfinite(o.lambda) || o.lambda < 0.0) {
    std::ostringstream msg;
    msg << "robust PCA 'lambda' must be finite and >= 0 (0 picks 1/sqrt(max(n_samples, n_traces))), got " << o.lambda;
    bad(msg.str());
  }
  if (!std::isfinite(o.tolerance) || !(o.tolerance > 0.0) || o.tolerance >= 1.0) {
    std::ostringstream msg;
    msg << "robust PCA 'tolerance' must be in (0, 1), got " << o.tolerance;
    bad(msg.str());
  }
  if (o.max_iterations == 0) bad("robust PCA 'max_iterations' must be at least 1, got 0");
  if (o.max_iterations > max_rpca_iterations) {
    std::ostringstream msg;
    msg << "robust PCA 'max_iterations' = " << o.max_iterations << " exceeds the limit of " << max_rpca_iterations
        << " (it converges in tens to hundreds; loosen 'tolerance' instead)";
    bad(msg.str());
  }
}

void require_same_shape(ConstBScanView a, ConstBScanView b, const char* a_name, const char* b_name) {
  if (a.n_samples != b.n_samples || a.n_traces != b.n_traces) {
    std::ostringstream msg;
    msg << b_name << " has shape (" << b.n_samples << ", " << b.n_traces << ") but " << a_name << " has shape ("
        << a.n_samples << ", " << a.n_traces << "); they must match";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
}

ConstBScanView as_const(BScanView v) { return {v.samples, v.n_samples, v.n_traces, v.memory}; }

bool any_device(ConstBScanView a, BScanView b) { return a.memory == Memory::device || b.memory == Memory::device; }

void require_host_for_cpu(bool device_memory, const char* operation) {
  if (device_memory)
    throw InvalidArgument(std::string(operation) +
                          ": device-memory views need device 'cuda' (or 'auto' on a machine with a GPU); "
                          "the CPU backend reads host memory only");
}

// Host input is checked for NaN/Inf by a vectorised scan; check_finite then
// names the first bad sample.
void check_host_finite(ConstBScanView in) {
  if (in.memory == Memory::host && !preprocessing::all_finite(in.samples, in.size())) check_finite(in, "input B-scan");
}

// Resolves the device and checks host input for NaN/Inf (device input is
// checked by the CUDA backend). A kernel that checks during its own pass
// (`checked_by_kernel`) skips the separate scan.
Device prepare(ConstBScanView in, BScanView out, Device device, const char* operation, bool checked_by_kernel = false) {
  const Device resolved = resolve_device(device);
  if (resolved == Device::cpu) require_host_for_cpu(any_device(in, out), operation);
  if (!(checked_by_kernel && resolved == Device::cpu)) check_host_finite(in);
  return resolved;
}

#ifndef GPRPROC_HAS_CUDA
[[noreturn]] void no_cuda() {
  throw CudaError(ErrorCode::cuda_unavailable, "this gprproc build has no CUDA backend");
}
#endif

// Robust PCA on the resolved device: the CPU reads host views only; the CUDA
// backend takes host or device views and keeps device data on the device.
BackgroundReport robust_pca_any(ConstBScanView in, const RobustPcaOptions& options, BScanView low_rank,
                                BScanView sparse, Device resolved) {
  if (resolved == Device::cpu) {
    require_host_for_cpu(in.memory == Memory::device || low_rank.memory == Memory::device ||
                             sparse.memory == Memory::device,
                         "robust_pca");
    return cpu_backend::robust_pca(in, options, low_rank.samples, sparse.samples);
  }
#ifdef GPRPROC_HAS_CUDA
  return cuda_backend::robust_pca(in, options, low_rank, sparse);
#else
  no_cuda();
#endif
}

}  // namespace

void validate(const BackgroundOptions& o, std::size_t n_samples, std::size_t n_traces) {
  switch (o.method) {
    case BackgroundMethod::mean: break;
    case BackgroundMethod::moving_mean:
    case BackgroundMethod::moving_median:
      if (o.window_traces == 0 || o.window_traces % 2 == 0) {
        std::ostringstream msg;
        msg << "background 'window_traces' must be odd and >= 1 (the window is centred on each trace), got "
            << o.window_traces;
        bad(msg.str());
      }
      // Checked before any buffer is sized from it: a window wider than the
      // B-scan is a mistake (it would be the mean trace), not clamped.
      if (n_traces > 0 && o.window_traces > n_traces) {
        std::ostringstream msg;
        msg << "background 'window_traces' = " << o.window_traces << " is wider than the B-scan's " << n_traces
            << " traces; give an odd window of at most " << (n_traces % 2 ? n_traces : n_traces - 1)
            << " traces (or method 'mean' for the whole B-scan)";
        bad(msg.str());
      }
      break;
    case BackgroundMethod::svd: {
      const std::size_t rank = std::min(n_samples, n_traces);
      if (o.automatic_rank) {
        if (o.max_automatic_rank == 0) bad("background 'max_automatic_rank' must be at least 1, got 0");
        break;
      }
      if (o.first_component == 0)
        bad("background 'first_component' (k1) is 1-based and must be >= 1, got 0");
      if (o.first_component > o.last_component) {
        std::ostringstream msg;
        msg << "background 'first_component' (k1 = " << o.first_component << ") must not exceed 'last_component' (k2 = "
            << o.last_component << ")";
        bad(msg.str());
      }
      if (rank > 0 && o.last_component > rank) {
        std::ostringstream msg;
        msg << "background 'last_component' (k2 = " << o.last_component
            << ") exceeds the rank bound min(n_samples, n_traces) = " << rank;
        bad(msg.str());
      }
      break;
    }
    case BackgroundMethod::rpca: validate_rpca(o.rpca); break;
    default: bad("background 'method' is not a known BackgroundMethod value");
  }
}

BackgroundReport remove_background(ConstBScanView in, const BScanMetadata& metadata, const BackgroundOptions& options,
                                   BScanView out, Device device) {
  validate(in, "input B-scan");
  validate(as_const(out), "output B-scan");
  require_same_shape(in, as_const(out), "the input B-scan", "the output B-scan");
  (void)metadata;  // no method needs dt or dx; the metadata is the caller's record only
  validate(options, in.n_samples, in.n_traces);
  // The mean-trace kernel checks the input in its own pass (not in place: an
  // input must not be modified before it is rejected).
  const bool in_place = preprocessing::overlaps(in, out);
  const bool checked_by_kernel = options.method == BackgroundMethod::mean && !in_place;
  const Device resolved = prepare(in, out, device, "remove_background", checked_by_kernel);
  BackgroundReport report;

  if (options.method == BackgroundMethod::rpca) {
    // Only the sparse part is wanted: the low-rank one goes to a scratch copy
    // on the CPU, and is not written at all on the GPU.
    if (resolved == Device::cpu) {
      std::vector<float> low(in.size());
      return cpu_backend::robust_pca(in, options.rpca, low.data(), out.samples);
    }
#ifdef GPRPROC_HAS_CUDA
    return cuda_backend::robust_pca(in, options.rpca, BScanView{nullptr, in.n_samples, in.n_traces, Memory::device},
                                    out);
#else
    no_cuda();
#endif
  }

  if (options.method == BackgroundMethod::svd) {
    const std::size_t first = options.automatic_rank ? 1 : options.first_component;
    std::size_t last = 0;
    if (resolved == Device::cpu) {
      last = cpu_backend::remove_components(in, first, options.last_component, options.automatic_rank,
                                            options.max_automatic_rank, out);
    } else {
#ifdef GPRPROC_HAS_CUDA
      last = cuda_backend::remove_components(in, first, options.last_component, options.automatic_rank,
                                             options.max_automatic_rank, out);
#else
      no_cuda();
#endif
    }
    report.first_component = first;
    report.last_component = last;
    return report;
  }

  if (resolved == Device::cpu) {
    switch (options.method) {
      case BackgroundMethod::mean:
        if (!cpu_backend::subtract_mean_trace(in, out)) check_finite(in, "input B-scan");
        break;
      case BackgroundMethod::moving_mean: cpu_backend::subtract_moving_mean(in, options.window_traces, out); break;
      default: cpu_backend::subtract_moving_median(in, options.window_traces, out); break;
    }
    return report;
  }
#ifdef GPRPROC_HAS_CUDA
  // Device data in place: the row-wise CUDA kernels raise their NaN/Inf flag
  // only after writing, so the input is scanned first (one more read, in
  // place only; svd and rpca, above, scan before they write).
  if (in_place && in.memory == Memory::device)
    cuda_backend::check_finite_device(in, "remove_background", "input B-scan");
  switch (options.method) {
    case BackgroundMethod::mean: cuda_backend::subtract_mean_trace(in, out); break;
    case BackgroundMethod::moving_mean: cuda_backend::subtract_moving_mean(in, options.window_traces, out); break;
    default: cuda_backend::subtract_moving_median(in, options.window_traces, out); break;
  }
  return report;
#else
  no_cuda();
#endif
}

BScan remove_background(const BScan& in, const BackgroundOptions& options, Device device) {
  BScan out(in.n_samples(), in.n_traces(), in.metadata);
  out.history = in.history;
  out.positions = in.positions;
  out.marks = in.marks;  // same traces: the marks stay on them
  const BackgroundReport report = remove_background(in.view(), in.metadata, options, out.view(), device);
  HistoryParameters p;
  p.add("method", to_string(options.method));
  switch (options.method) {
    case BackgroundMethod::moving_mean:
    case BackgroundMethod::moving_median: p.add("window_traces", options.window_traces); break;
    case BackgroundMethod::svd:
      p.add("automatic_rank", options.automatic_rank);
      p.add("first_component", report.first_component);
      p.add("last_component", report.last_component);
      break;
    case BackgroundMethod::rpca:
      p.add("lambda", report.lambda);  // the weight used (options.rpca.lambda 0 means the default)
      p.add("tolerance", options.rpca.tolerance);
      p.add("max_iterations", options.rpca.max_iterations);
      p.add("iterations", report.iterations);
      p.add("relative_residual", report.relative_residual);
      break;
    default: break;
  }
  p.add("device", to_string(resolve_device(device)));
  append_history(out.history, "remove_background", p);
  return out;
}

std::vector<double> singular_values(ConstBScanView in, Device device) {
  validate(in, "input B-scan");
  const Device resolved = resolve_device(device);
  if (resolved == Device::cpu) require_host_for_cpu(in.memory == Memory::device, "singular_values");
  check_host_finite(in);
  if (resolved == Device::cpu) return cpu_backend::singular_values(in);
#ifdef GPRPROC_HAS_CUDA
  return cuda_backend::singular_values(in);
#else
  no_cuda();
#endif
}

std::size_t choose_background_rank(const std::vector<double>& s, std::size_t max_rank) {
  if (max_rank == 0) bad("choose_background_rank: 'max_rank' must be at least 1, got 0");
  for (const double v : s)
    if (!std::isfinite(v) || v < 0.0) bad("choose_background_rank: singular values must be finite and >= 0");
  if (s.size() < 2 || !(s[0] > 0.0)) return 1;
  const std::size_t limit = std::min(max_rank, s.size() - 1);
  std::size_t best = 1;
  double best_drop = -1.0;
  for (std::size_t k = 1; k <= limit; ++k) {
    if (!(s[k - 1] > 0.0)) break;
    if (!(s[k] > 0.0)) return k;  // exactly rank k: an infinite drop
    const double drop = std::log(s[k - 1]) - std::log(s[k]);
    if (drop > best_drop) {
      best_drop = drop;
      best = k;
    }
  }
  return best;
}

BackgroundReport robust_pca(ConstBScanView in, const RobustPcaOptions& options, BScanView low_rank, BScanView sparse,
                            Device device) {
  validate(in, "input B-scan");
  validate(as_const(low_rank), "low-rank output");
  validate(as_const(sparse), "sparse output");
  require_same_shape(in, as_const(low_rank), "the input B-scan", "the low-rank output");
  require_same_shape(in, as_const(sparse), "the input B-scan", "the sparse output");
  if (low_rank.samples == sparse.samples) bad("robust_pca: the low-rank and sparse outputs must be different buffers");
  validate_rpca(options);
  const Device resolved = resolve_device(device);
  check_host_finite(in);
  return robust_pca_any(in, options, low_rank, sparse, resolved);
}

RobustPcaResult robust_pca(const BScan& in, const RobustPcaOptions& options, Device device) {
  RobustPcaResult result;
  result.low_rank = BScan(in.n_samples(), in.n_traces(), in.metadata);
  result.sparse = BScan(in.n_samples(), in.n_traces(), in.metadata);
  result.report = robust_pca(in.view(), options, result.low_rank.view(), result.sparse.view(), device);
  HistoryParameters p;
  p.add("lambda", result.report.lambda);  // the weight used, not 0 for "default"
  p.add("tolerance", options.tolerance);
  p.add("max_iterations", options.max_iterations);
  p.add("iterations", result.report.iterations);
  p.add("relative_residual", result.report.relative_residual);
  for (BScan* part : {&result.low_rank, &result.sparse}) {
    part->history = in.history;
    part->positions = in.positions;
    part->marks = in.marks;
    HistoryParameters q = p;
    q.add("part", part == &result.low_rank ? "low_rank" : "sparse");
    append_history(part->history, "robust_pca", q);
  }
  return result;
}

}  // namespace gprproc
