// Filters on the CUDA backend: the ops of bench_filters.cpp, device-resident and
// with host<->device transfers, timed with CUDA events (bench_ops_cuda.cu).
#include "bench_ops.hpp"

namespace gprproc::bench {
namespace {
const bool registered = register_suite("filters_cuda", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cuda(filters_ops, options, out);
  run_ops_cuda(unstaged_trace_ops, options, out);
});
}  // namespace
}  // namespace gprproc::bench
