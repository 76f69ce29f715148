#pragma once
// One benchmarked operation, written once and timed on every backend: the CPU
// suite runs it on host views, the CUDA suite on device views (device-resident)
// and on host views (with host<->device transfers, staged by the library).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "bench_harness.hpp"
#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"

namespace gprproc::bench {

using Runner = std::function<void(ConstBScanView in, BScanView out)>;

struct Op {
  std::string name;        // "dewow", "kirchhoff" ...
  std::string parameters;  // shown in the note: "window 2 ns"
  double work = 0.0;       // per run, in work_unit's numerator
  std::string work_unit = "samples/s";
  double bytes = 0.0;      // compulsory traffic per run (0: not memory-bound)
  std::size_t out_rows = 0, out_columns = 0;  // output shape (0: the input's)
  bool has_cuda = true;    // false: the CUDA backend does not implement it (not timed there)
  bool device_views = true;  // false: takes host data only (timed with transfers on the GPU)
  // true: runs at stack shapes too, where its views hold n_bscans * n_samples
  // rows (the op's call splits them by the shape it was made for).
  bool takes_stack = false;
  // Set-up outside the timing (plans): returns what one timed run calls. The
  // work may be filled in by prepare (e.g. a plan's contribution count).
  std::function<Runner(Device, Op&)> prepare;
};

// The capabilities' operation lists for one shape (bench_<area>.cpp).
std::vector<Op> filters_ops(const Shape& shape, const Options& options);
std::vector<Op> gain_ops(const Shape& shape, const Options& options);
std::vector<Op> background_ops(const Shape& shape, const Options& options);
std::vector<Op> migration_ops(const Shape& shape, const Options& options);
std::vector<Op> detect_ops(const Shape& shape, const Options& options);
// Stolt on square B-scans, run by the migration suites unless --quick: 2048 x 2048 (padded
// to the goal's 4096 x 4096 FFT) and 4096 x 4096 (padded to 8192 x 8192). `square_options`
// holds those shapes (none when quick or the field size is not selected).
std::vector<Op> stolt_square_ops(const Shape& shape, const Options& options);
Options square_options(const Options& options);
// Kirchhoff at the apertures of migration_ops, CUDA plans made with
// GPRPROC_CUDA_KIRCHHOFF_READS=global (the experiment beside the texture reads).
std::vector<Op> kirchhoff_global_reads_ops(const Shape& shape, const Options& options);
// remove_dc, dewow and agc with GPRPROC_CUDA_STAGE_TRACES=0 (named NAME_unstaged;
// the CUDA suites run them beside the staged defaults).
std::vector<Op> unstaged_trace_ops(const Shape& shape, const Options& options);
// Phase shift, CUDA plans made with GPRPROC_CUDA_PHASE_SHIFT_ROWS = 1 and 4
// (rows per thread of the imaging kernel; the default is 16).
std::vector<Op> phase_shift_rows_ops(const Shape& shape, const Options& options);

using OpList = std::function<std::vector<Op>(const Shape&, const Options&)>;
// Runs every op of `list` at every selected shape on the CPU (bench_ops.cpp).
void run_ops_cpu(const OpList& list, const Options& options, std::vector<Measurement>& out);
#ifdef GPRPROC_HAS_CUDA
// ... and on the CUDA device, device-resident and with transfers (bench_ops_cuda.cu).
void run_ops_cuda(const OpList& list, const Options& options, std::vector<Measurement>& out);
#endif

// Whether `op` runs at `shape` (ops that do not take stacks skip stack shapes).
inline bool runs_at(const Op& op, const Shape& shape) { return shape.n_bscans == 1 || op.takes_stack; }

// Helpers for the op lists.
inline Op simple_op(std::string name, std::string parameters, const Shape& shape,
                    std::function<void(ConstBScanView, BScanView, Device)> call) {
  Op op;
  op.name = std::move(name);
  op.parameters = std::move(parameters);
  op.work = shape.samples();
  op.bytes = 8.0 * shape.samples();  // float32 read once, written once
  op.prepare = [call](Device device, Op&) -> Runner {
    return [call, device](ConstBScanView in, BScanView out) { call(in, out, device); };
  };
  return op;
}

}  // namespace gprproc::bench
