// Background removal: mean, moving mean / median, SVD (eigenimage), robust PCA,
// and the singular-value spectrum.
#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "gprproc/background.hpp"

namespace gprproc::bench {

namespace {
Op background_op(const std::string& name, const std::string& parameters, const Shape& shape,
                 const BackgroundOptions& options) {
  const BScanMetadata meta = bench_metadata();
  return simple_op(name, parameters, shape, [meta, options](ConstBScanView in, BScanView out, Device d) {
    (void)remove_background(in, meta, options, out, d);
  });
}
// The stack level: the views hold shape.rows() rows, split into the stack's B-scans.
Op background_stack_op(const std::string& name, const std::string& parameters, const Shape& shape,
                       const BackgroundOptions& options) {
  const BScanMetadata meta = bench_metadata();
  Op op = simple_op(name, parameters + ", per B-scan", shape,
                    [meta, options, shape](ConstBScanView in, BScanView out, Device d) {
                      (void)remove_background(
                          ConstBScanStackView{in.samples, shape.n_bscans, shape.n_samples, shape.n_traces, in.memory},
                          meta, options,
                          BScanStackView{out.samples, shape.n_bscans, shape.n_samples, shape.n_traces, out.memory},
                          d);
                    });
  op.takes_stack = true;
  return op;
}
}  // namespace

std::vector<Op> background_ops(const Shape& shape, const Options&) {
  if (shape.n_bscans > 1) {
    BackgroundOptions o;
    o.window_traces = 21;
    std::vector<Op> ops;
    o.method = BackgroundMethod::mean;
    ops.push_back(background_stack_op("background_mean", "mean trace", shape, o));
    o.method = BackgroundMethod::moving_mean;
    ops.push_back(background_stack_op("background_moving_mean", "21 traces", shape, o));
    o.method = BackgroundMethod::moving_median;
    ops.push_back(background_stack_op("background_moving_median", "21 traces", shape, o));
    return ops;
  }
  const bool batch = shape.label == "batch";
  const bool small = shape.label == "quick" || shape.label == "field";
  std::vector<Op> ops;
  BackgroundOptions o;
  o.method = BackgroundMethod::mean;
  ops.push_back(background_op("background_mean", "mean trace", shape, o));
  o.method = BackgroundMethod::moving_mean;
  o.window_traces = 21;
  ops.push_back(background_op("background_moving_mean", "21 traces", shape, o));
  if (batch) return ops;  // the 2 GiB batch: the memory-bound methods only
  o.method = BackgroundMethod::moving_median;
  ops.push_back(background_op("background_moving_median", "21 traces", shape, o));
  o.method = BackgroundMethod::svd;
  o.first_component = o.last_component = 1;
  Op svd = background_op("background_svd", "remove component 1", shape, o);
  svd.bytes = 0.0;  // compute-bound (Gram matrix)
  ops.push_back(svd);
  if (!small) return ops;
  Op spectrum;
  spectrum.name = "singular_values";
  spectrum.parameters = "all min(m, n)";
  spectrum.work = shape.samples();
  spectrum.prepare = [](Device device, Op&) -> Runner {
    return [device](ConstBScanView in, BScanView) { (void)singular_values(in, device); };
  };
  ops.push_back(spectrum);
  // Robust PCA: a fixed number of iterations (a tolerance it does not reach), so that runs compare.
  o.method = BackgroundMethod::rpca;
  o.rpca.tolerance = 1e-12;  // not reached in 10 iterations
  o.rpca.max_iterations = 10;
  Op rpca = background_op("background_rpca", "10 iterations (inexact ALM)", shape, o);
  rpca.bytes = 0.0;
  ops.push_back(rpca);
  return ops;
}

namespace {
const bool registered = register_suite("background_cpu", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cpu(background_ops, options, out);
});
}  // namespace

}  // namespace gprproc::bench
