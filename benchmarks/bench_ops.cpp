// The CPU runner: every op at every selected shape, host views, median time.
#include <cstdio>
#include <exception>

#include "bench_data.hpp"
#include "bench_ops.hpp"

namespace gprproc::bench {

void run_ops_cpu(const OpList& list, const Options& options, std::vector<Measurement>& out) {
  const auto skipped = [&](const std::string& name) {
    for (const auto& text : options.cpu_skip)
      if (name.find(text) != std::string::npos) return true;
    return false;
  };
  for (const Shape& shape : options.cpu_shapes.empty() ? options.shapes : options.cpu_shapes) {
    std::vector<Op> ops;
    for (Op& op : list(shape, options))
      if (options.wants_op(op.name) && !skipped(op.name) && runs_at(op, shape)) ops.push_back(op);
    if (ops.empty()) continue;  // do not make a (maybe 2 GiB) input for nothing
    const BScan input = bench_bscan(shape);
    for (Op& op : ops) {
      try {
        const Runner run = op.prepare(Device::cpu, op);
        const std::size_t rows = op.out_rows ? op.out_rows : shape.rows();
        const std::size_t columns = op.out_columns ? op.out_columns : shape.n_traces;
        std::vector<float> result(rows * columns);
        const BScanView out_view{result.data(), rows, columns, Memory::host};
        const double seconds = median_seconds([&] { run(input.view(), out_view); }, options);
        out.push_back({op.name, "cpu", shape.size(), seconds, op.work, op.work_unit, op.bytes, op.parameters});
        std::fprintf(stderr, "[bench]   %-22s cpu %-12s %9.3f ms\n", op.name.c_str(), shape.size().c_str(),
                     seconds * 1e3);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[bench]   %s cpu %s FAILED: %s\n", op.name.c_str(), shape.size().c_str(), e.what());
        out.push_back({op.name, "cpu", shape.size(), 0.0, 0.0, "", 0.0, std::string("FAILED: ") + e.what()});
      }
    }
  }
}

}  // namespace gprproc::bench
