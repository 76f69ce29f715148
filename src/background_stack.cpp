// Background removal of a stack of B-scans (the stack level of
// gprproc/background.hpp): the row-wise methods as one call on the stack's
// rows, the matrix methods B-scan by B-scan.
#include <string>
#include <vector>

#include "filters_common.hpp"
#include "gprproc/background.hpp"
#include "gprproc/error.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "background_cuda.hpp"
#endif

namespace gprproc {

namespace {

ConstBScanStackView as_const(BScanStackView v) { return {v.samples, v.n_bscans, v.n_samples, v.n_traces, v.memory}; }

void require_same_shape(ConstBScanStackView in, ConstBScanStackView out) {
  if (in.n_bscans != out.n_bscans || in.n_samples != out.n_samples || in.n_traces != out.n_traces)
    throw InvalidArgument("the output stack has shape (" + std::to_string(out.n_bscans) + ", " +
                              std::to_string(out.n_samples) + ", " + std::to_string(out.n_traces) +
                              ") but the input stack has shape (" + std::to_string(in.n_bscans) + ", " +
                              std::to_string(in.n_samples) + ", " + std::to_string(in.n_traces) + "); they must match",
                          ErrorCode::invalid_shape);
}

// B-scan k of the output would overwrite B-scan k + j of the input before it is read.
void require_same_or_disjoint(ConstBScanStackView in, BScanStackView out) {
  if (in.memory != out.memory || in.samples == out.samples) return;
  if (preprocessing::overlaps(in.rows(), out.rows()))
    throw InvalidArgument("the input and output stacks overlap without being the same memory; pass the same "
                          "array for in place, or separate arrays",
                          ErrorCode::invalid_argument);
}

bool works_by_rows(BackgroundMethod method) {
  return method == BackgroundMethod::mean || method == BackgroundMethod::moving_mean ||
         method == BackgroundMethod::moving_median;
}

// Host input: names the B-scan, sample and trace. Device input is scanned on
// the device when it has to be checked before anything is written.
void check_stack_finite(ConstBScanStackView in, Device device) {
  if (in.memory == Memory::host) {
    if (!preprocessing::all_finite(in.samples, in.size())) check_finite(in, "input stack");
    return;
  }
#ifdef GPRPROC_HAS_CUDA
  if (resolve_device(device) == Device::cuda)
    cuda_backend::check_finite_device(in.rows(), "remove_background", "input stack");
#else
  (void)device;
#endif
}

}  // namespace

std::vector<BackgroundReport> remove_background(ConstBScanStackView in, const BScanMetadata& metadata,
                                                const BackgroundOptions& options, BScanStackView out, Device device) {
  validate(in, "input stack");
  validate(as_const(out), "output stack");
  require_same_shape(in, as_const(out));
  require_same_or_disjoint(in, out);
  validate(options, in.n_samples, in.n_traces);

  if (works_by_rows(options.method)) {
    // The moving windows never cross a row, and a row never crosses a B-scan:
    // the stack is one B-scan of n_bscans * n_samples rows.
    try {
      const BackgroundReport report = remove_background(in.rows(), metadata, options, out.rows(), device);
      return std::vector<BackgroundReport>(in.n_bscans, report);
    } catch (const InvalidArgument& error) {
      // Name the B-scan rather than the row of the joined view.
      if (error.code() == ErrorCode::non_finite && in.memory == Memory::host) check_finite(in, "input stack");
      throw;
    }
  }

  // Each B-scan in turn: check the whole stack first, so that a bad B-scan
  // late in the stack is rejected before the first is written.
  check_stack_finite(in, device);
  std::vector<BackgroundReport> reports;
  reports.reserve(in.n_bscans);
  for (std::size_t k = 0; k < in.n_bscans; ++k)
    reports.push_back(remove_background(in.bscan(k), metadata, options, out.bscan(k), device));
  return reports;
}

}  // namespace gprproc
