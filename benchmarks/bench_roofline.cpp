// Host memory roofline: copy bandwidth (read + write) of a buffer far larger
// than the caches, with as many threads as OpenMP uses for the kernels.
#include <cstring>
#include <vector>

#include "bench_harness.hpp"

namespace gprproc::bench {
namespace {

void host_copy(const Options& options, std::vector<Measurement>& out) {
  const std::size_t count = options.quick ? (std::size_t(1) << 24) : (std::size_t(1) << 27);  // 64 MiB / 512 MiB
  std::vector<float> source(count, 1.0f), target(count, 0.0f);
  const double seconds = median_seconds(
      [&] {
#pragma omp parallel for schedule(static)
        for (long long block = 0; block < (long long)(count >> 16); ++block)
          std::memcpy(target.data() + (block << 16), source.data() + (block << 16), sizeof(float) << 16);
      },
      options.repetitions);
  out.push_back({"copy", "cpu", std::to_string(count * sizeof(float) >> 20) + " MiB", seconds, double(count),
                 "samples/s", 2.0 * double(count * sizeof(float)), "host memcpy, read+write"});
}

const bool registered = register_suite("roofline_cpu", host_copy);

}  // namespace
}  // namespace gprproc::bench
