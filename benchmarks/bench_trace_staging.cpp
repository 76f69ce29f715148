// The per-trace CUDA kernels (remove_dc, dewow, agc) with trace staging off
// (GPRPROC_CUDA_STAGE_TRACES=0, cuda/preprocessing_cuda_common.hpp), timed by
// the CUDA suites beside their default (staged) rows of filters_ops and
// gain_ops, so that one GPU run shows which way is faster.
#include <memory>

#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "scoped_environment.hpp"  // tests/support

namespace gprproc::bench {

using gprproc_test::ScopedEnvironment;
namespace {

Op unstaged(const Shape& shape, const std::string& name, const std::string& parameters,
            std::function<void(ConstBScanView, BScanView, Device)> call) {
  Op op = simple_op(name + "_unstaged", parameters + ", not staged", shape, std::move(call));
  const auto staged_prepare = op.prepare;
  op.prepare = [staged_prepare](Device device, Op& self) -> Runner {
    // The variable stays set while the runner lives: every timed call reads it.
    auto off = std::make_shared<ScopedEnvironment>("GPRPROC_CUDA_STAGE_TRACES", "0");
    const Runner run = staged_prepare(device, self);
    return [off, run](ConstBScanView in, BScanView out) { run(in, out); };
  };
  return op;
}

}  // namespace

std::vector<Op> unstaged_trace_ops(const Shape& shape, const Options&) {
  const BScanMetadata meta = bench_metadata();
  AgcOptions agc_options;
  agc_options.window = 5e-9;
  return {unstaged(shape, "remove_dc", "whole trace",
                   [meta](ConstBScanView in, BScanView out, Device d) {
                     remove_dc(in, meta, TimeWindow::whole_trace(), out, d);
                   }),
          unstaged(shape, "dewow", "window 2 ns",
                   [meta](ConstBScanView in, BScanView out, Device d) { dewow(in, meta, 2e-9, out, d); }),
          unstaged(shape, "agc", "window 5 ns", [meta, agc_options](ConstBScanView in, BScanView out, Device d) {
            agc(in, meta, agc_options, out, BScanView{}, d);
          })};
}

}  // namespace gprproc::bench
