// Gain: SEC time gain, AGC, and applying / removing a stored gain curve.
#include <memory>

#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "gprproc/gain.hpp"

namespace gprproc::bench {

std::vector<Op> gain_ops(const Shape& shape, const Options&) {
  const BScanMetadata meta = bench_metadata();
  std::vector<Op> ops;
  TimeGain sec;
  sec.power = 1.0;
  sec.exponent = 2e7;  // e^1 over the 51 ns window
  sec.reference_time = 1e-9;
  ops.push_back(simple_op("time_gain", "SEC t^1 e^(2e7 t)", shape,
                          [meta, sec](ConstBScanView in, BScanView out, Device d) {
                            (void)time_gain(in, meta, sec, out, d);
                          }));
  AgcOptions agc_options;
  agc_options.window = 5e-9;
  ops.push_back(simple_op("agc", "window 5 ns", shape, [meta, agc_options](ConstBScanView in, BScanView out, Device d) {
    agc(in, meta, agc_options, out, BScanView{}, d);
  }));
  // A stored curve, one value per sample (host memory: 4 KB, staged by the library on the GPU).
  auto curve = std::make_shared<std::vector<float>>(time_gain_curve(meta, shape.n_samples, sec));
  ops.push_back(simple_op("apply_gain", "curve (n_samples, 1)", shape,
                          [curve](ConstBScanView in, BScanView out, Device d) {
                            apply_gain(in, ConstBScanView{curve->data(), curve->size(), 1, Memory::host}, out, d);
                          }));
  ops.push_back(simple_op("remove_gain", "curve (n_samples, 1)", shape,
                          [curve](ConstBScanView in, BScanView out, Device d) {
                            remove_gain(in, ConstBScanView{curve->data(), curve->size(), 1, Memory::host}, out, d);
                          }));
  return ops;
}

namespace {
const bool registered = register_suite("gain_cpu", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cpu(gain_ops, options, out);
});
}  // namespace

}  // namespace gprproc::bench
