#pragma once
// The benchmark harness: cases register a function; the runner times each with
// warm-up and repetitions, and reports throughput in the field's units.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace gprproc::bench {

struct Measurement {
  std::string name;       // e.g. "copy", "dewow"
  std::string device;     // "cpu" or the GPU's name
  std::string size;       // e.g. "1024x4096"
  double seconds = 0.0;   // median time of one run
  double work = 0.0;      // units of work per run (samples, contributions ...)
  std::string work_unit;  // "samples/s", "contributions/s"
  double bytes = 0.0;     // bytes moved per run (0 when not memory-bound)
  std::string note;       // e.g. "device-resident", "with transfers"
};

// A B-scan shape the operation suites run at.
// A stack (n_bscans > 1) is held as one B-scan of n_bscans * n_samples rows;
// only the operations that take stacks run at it (Op::takes_stack).
struct Shape {
  std::string label;  // "quick", "field", "long", "batch", "stack"
  std::size_t n_samples = 0;
  std::size_t n_traces = 0;
  std::size_t n_bscans = 1;
  std::string size() const {
    return (n_bscans > 1 ? std::to_string(n_bscans) + "x" : std::string()) + std::to_string(n_samples) + "x" +
           std::to_string(n_traces);
  }
  std::size_t rows() const { return n_bscans * n_samples; }
  double samples() const { return double(n_bscans) * double(n_samples) * double(n_traces); }
};

struct Options {
  bool quick = false;  // small sizes, for a smoke run
  int repetitions = 5;
  // Shapes selected on the command line (--quick, --size, --full); filled by main.
  std::vector<Shape> shapes;
  // A measurement stops repeating once its timed runs have taken this long
  // (at least one timed run after the warm-up is always made).
  double budget_seconds = 2.0;
  bool cpu = true;   // --no-cpu skips the CPU backend (e.g. to time only the GPU)
  bool gpu = true;   // --no-gpu skips the CUDA backend
  // --op LIST: only operations whose name contains one of these comma-separated texts.
  std::vector<std::string> op_filter;
  // The CPU suites only (where a big size takes minutes on the CPU next to a
  // GPU): --cpu-size LIST replaces `shapes`, --cpu-skip LIST leaves operations out.
  std::vector<Shape> cpu_shapes;
  std::vector<std::string> cpu_skip;
  bool wants_op(const std::string& op) const {
    if (op_filter.empty()) return true;
    for (const auto& text : op_filter)
      if (op.find(text) != std::string::npos) return true;
    return false;
  }
};

// The named shapes: quick 256x1024, field 1024x4096, long 1024x65536,
// batch 1024x524288 (2 GiB of float32 in one array), stack 128x1024x4096
// (128 field B-scans, 2 GiB: a multichannel array's or a 3-D survey's lines).
Shape named_shape(const std::string& label);
bool has_shape(const Options& options, const std::string& label);

// Times `run` (after one warm-up call) up to `repetitions` times and returns the median seconds.
double median_seconds(const std::function<void()>& run, int repetitions);
// The same, also stopping when the timed runs exceed options.budget_seconds.
double median_seconds(const std::function<void()>& run, const Options& options);

// Bytes of float32 for `count` values read once plus `count` values written once.
inline double read_write_bytes(double count_in, double count_out) { return 4.0 * (count_in + count_out); }

using Suite = std::function<void(const Options&, std::vector<Measurement>&)>;
// Suites register themselves at static-initialisation time.
bool register_suite(const std::string& name, Suite suite);

}  // namespace gprproc::bench
