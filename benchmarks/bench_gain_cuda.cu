// Gain on the CUDA backend: the ops of bench_gain.cpp, device-resident and
// with host<->device transfers, timed with CUDA events (bench_ops_cuda.cu).
#include "bench_ops.hpp"

namespace gprproc::bench {
namespace {
const bool registered = register_suite("gain_cuda", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cuda(gain_ops, options, out);
});
}  // namespace
}  // namespace gprproc::bench
