// Detection on the CUDA backend: the op of bench_detect.cpp, device-resident
// and with transfers, timed with CUDA events (bench_ops_cuda.cu).
#include "bench_ops.hpp"

namespace gprproc::bench {
namespace {
const bool registered = register_suite("detect_cuda", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cuda(detect_ops, options, out);
});
}  // namespace
}  // namespace gprproc::bench
