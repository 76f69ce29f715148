#pragma once
// The benchmark harness: cases register a function; the runner times each with
// warm-up and repetitions, and reports throughput in the field's units.
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

struct Options {
  bool quick = false;  // small sizes, for a smoke run
  int repetitions = 5;
};

// Times `run` (after one warm-up call) `repetitions` times and returns the median seconds.
double median_seconds(const std::function<void()>& run, int repetitions);

using Suite = std::function<void(const Options&, std::vector<Measurement>&)>;
// Suites register themselves at static-initialisation time.
bool register_suite(const std::string& name, Suite suite);

}  // namespace gprproc::bench
