// Filters: DC removal, dewow, band-pass, Hilbert envelope, first-break picking,
// trace shifting and time-zero correction, at every selected size.
#include <memory>

#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "gprproc/filters.hpp"

namespace gprproc::bench {

std::vector<Op> filters_ops(const Shape& shape, const Options&) {
  const BScanMetadata meta = bench_metadata();
  std::vector<Op> ops;
  ops.push_back(simple_op("remove_dc", "whole trace", shape, [meta](ConstBScanView in, BScanView out, Device d) {
    remove_dc(in, meta, TimeWindow::whole_trace(), out, d);
  }));
  ops.push_back(simple_op("dewow", "window 2 ns", shape, [meta](ConstBScanView in, BScanView out, Device d) {
    dewow(in, meta, 2e-9, out, d);
  }));
  BandpassOptions band;
  band.low = 250e6;
  band.high = 2e9;
  band.low_taper = 100e6;
  band.high_taper = 500e6;
  ops.push_back(simple_op("bandpass", "cosine taper 0.25-2 GHz", shape,
                          [meta, band](ConstBScanView in, BScanView out, Device d) { bandpass(in, meta, band, out, d); }));
  ops.push_back(simple_op("envelope", "Hilbert, FFT", shape, [meta](ConstBScanView in, BScanView out, Device d) {
    hilbert(in, meta, out, BScanView{}, d);
  }));
  Op picks = simple_op("pick_first_breaks", "amplitude 0.1, sinc 8", shape,
                       [meta](ConstBScanView in, BScanView, Device d) { (void)pick_first_breaks(in, meta, {}, d); });
  picks.bytes = 4.0 * shape.samples();  // reads the data; writes one time per trace
  ops.push_back(picks);
  // One shift per trace (a realistic time-zero drift), half a nanosecond at most.
  auto shifts = std::make_shared<std::vector<double>>(shape.n_traces);
  for (std::size_t j = 0; j < shape.n_traces; ++j) (*shifts)[j] = 0.5e-9 * double(j % 97) / 97.0;
  ops.push_back(simple_op("shift_traces", "per-trace shifts, sinc 8", shape,
                          [meta, shifts](ConstBScanView in, BScanView out, Device d) {
                            shift_traces(in, meta, *shifts, out, 8, d);
                          }));
  ops.push_back(simple_op("correct_time_zero", "pick + shift", shape,
                          [meta](ConstBScanView in, BScanView out, Device d) {
                            (void)correct_time_zero(in, meta, {}, out, d);
                          }));
  return ops;
}

namespace {
const bool registered = register_suite("filters_cpu", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cpu(filters_ops, options, out);
});
}  // namespace

}  // namespace gprproc::bench
