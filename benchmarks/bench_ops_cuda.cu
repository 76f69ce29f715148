// The CUDA runner: every op at every selected shape, timed with CUDA events
// after a warm-up, twice: device-resident (device views in and out: data kept
// on the GPU, as in a CuPy notebook) and with transfers (host views: the
// library copies in and out, as in a file pipeline).
#include <cstdio>
#include <exception>

#include "bench_cuda_support.hpp"
#include "bench_data.hpp"
#include "bench_ops.hpp"
#include "device_buffer.hpp"
#include "gprproc/device.hpp"

namespace gprproc::bench {

namespace {

void record(std::vector<Measurement>& out, const Op& op, const std::string& device, const Shape& shape,
            double seconds, const std::string& mode) {
  std::string note = mode + ", " + op.parameters;
  if (op.work_unit == "contributions/s" && seconds > 0 && op.work > 0) {
    const double issue = fp32_issue_limit();
    if (issue > 0) {
      char text[96];
      std::snprintf(text, sizeof text, "; FP32 issue limit allows %.1f instr/contribution at this rate",
                    issue * seconds / op.work);
      note += text;
    }
  }
  out.push_back({op.name, device, shape.size(), seconds, op.work, op.work_unit, op.bytes, note});
  std::fprintf(stderr, "[bench]   %-22s cuda %-12s %-16s %9.3f ms\n", op.name.c_str(), shape.size().c_str(),
               mode.c_str(), seconds * 1e3);
}

}  // namespace

void run_ops_cuda(const OpList& list, const Options& options, std::vector<Measurement>& out) {
  if (!cuda_available()) {
    std::fprintf(stderr, "[bench]   no CUDA device: CUDA suite skipped\n");
    return;
  }
  const std::string device = cuda_device_name();
  for (const Shape& shape : options.shapes) {
    std::vector<Op> ops;
    for (Op& op : list(shape, options))
      if (op.has_cuda && options.wants_op(op.name) && runs_at(op, shape)) ops.push_back(op);
    if (ops.empty()) continue;  // do not make and upload a (maybe 2 GiB) input for nothing
    const BScan input = bench_bscan(shape);
    cuda_backend::DeviceBuffer<float> device_input(input.size());
    device_input.copy_from_host(input.data(), input.size());
    GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
    const ConstBScanView in_device{device_input.get(), shape.rows(), shape.n_traces, Memory::device};
    for (Op& op : ops) {
      const std::size_t rows = op.out_rows ? op.out_rows : shape.rows();
      const std::size_t columns = op.out_columns ? op.out_columns : shape.n_traces;
      try {
        const Runner run = op.prepare(Device::cuda, op);
        if (op.device_views) {
          cuda_backend::DeviceBuffer<float> device_output(rows * columns);
          const BScanView out_device{device_output.get(), rows, columns, Memory::device};
          record(out, op, device, shape, event_seconds([&] { run(in_device, out_device); }, options),
                 "device-resident");
        }
        std::vector<float> host_output(rows * columns);
        const BScanView out_host{host_output.data(), rows, columns, Memory::host};
        record(out, op, device, shape, event_seconds([&] { run(input.view(), out_host); }, options),
               "with transfers");
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[bench]   %s cuda %s FAILED: %s\n", op.name.c_str(), shape.size().c_str(), e.what());
        out.push_back({op.name, device, shape.size(), 0.0, 0.0, "", 0.0, std::string("FAILED: ") + e.what()});
      }
    }
  }
}

}  // namespace gprproc::bench
