// 3-D migration on the CUDA backend: the cases of bench_migration_3d.cpp,
// device-resident (the cube and the image in device memory), timed with CUDA events.
#include <cstdio>
#include <exception>
#include <vector>

#include "bench_cuda_support.hpp"
#include "bench_migration_3d.hpp"
#include "device_buffer.hpp"

namespace gprproc::bench {
namespace {
const bool registered = register_suite("migration_3d_cuda", [](const Options& options, std::vector<Measurement>& out) {
  if (!cuda_available()) return;
  for (Cube3DCase& c : migration_3d_cases(options)) {
    if (!options.wants_op(c.name)) continue;
    const std::string device = cuda_device_name();
    try {
      const Cube cube = bench_cube(c.n_lines, c.n_samples, c.n_traces);
      cuda_backend::DeviceBuffer<float> in(cube.size()), image(c.n_lines * c.n_z * c.n_traces);
      in.copy_from_host(cube.data(), cube.size());
      const CubeRunner run = c.prepare(Device::cuda, c);
      const ConstBScanStackView in_view{in.get(), c.n_lines, c.n_samples, c.n_traces, Memory::device};
      const BScanStackView out_view{image.get(), c.n_lines, c.n_z, c.n_traces, Memory::device};
      const double seconds = event_seconds([&] { run(in_view, out_view); }, options);
      out.push_back({c.name, device, c.size(), seconds, c.work, c.work_unit, 0.0,
                     c.parameters + ", device-resident"});
      std::fprintf(stderr, "[bench]   %-22s cuda %-14s %9.3f ms\n", c.name.c_str(), c.size().c_str(), seconds * 1e3);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[bench]   %s cuda %s FAILED: %s\n", c.name.c_str(), c.size().c_str(), e.what());
      out.push_back({c.name, device, c.size(), 0.0, 0.0, "", 0.0, std::string("FAILED: ") + e.what()});
    }
  }
});
}  // namespace
}  // namespace gprproc::bench
