// Device roofline: device-to-device copy bandwidth (read + write) and the
// host<->device transfer rates, timed with CUDA events after a warm-up.
#include <cuda_runtime.h>

#include <algorithm>
#include <vector>

#include "bench_cuda_support.hpp"
#include "device_buffer.hpp"
#include "gprproc/device.hpp"

namespace gprproc::bench {
namespace {

void device_copy(const Options& options, std::vector<Measurement>& out) {
  if (!cuda_available()) return;
  const std::size_t count = options.quick ? (std::size_t(1) << 26) : (std::size_t(1) << 29);  // 256 MiB / 2 GiB
  const std::size_t bytes = count * sizeof(float);
  cuda_backend::DeviceBuffer<float> a(count), b(count);
  GPRPROC_CUDA_CHECK(cudaMemset(a.get(), 0, bytes));
  const std::string device = cuda_device_name();
  const std::string size = std::to_string(bytes >> 20) + " MiB";
  const double d2d = event_seconds([&] { cudaMemcpy(b.get(), a.get(), bytes, cudaMemcpyDeviceToDevice); },
                                   options);
  out.push_back({"copy", device, size, d2d, double(count), "samples/s", 2.0 * double(bytes), "device to device"});

  float* pinned = nullptr;
  const std::size_t host_count = std::min<std::size_t>(count, std::size_t(1) << 26);
  GPRPROC_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&pinned), host_count * sizeof(float)));
  const double h2d = event_seconds(
      [&] { cudaMemcpy(a.get(), pinned, host_count * sizeof(float), cudaMemcpyHostToDevice); }, options);
  const double d2h = event_seconds(
      [&] { cudaMemcpy(pinned, a.get(), host_count * sizeof(float), cudaMemcpyDeviceToHost); }, options);
  cudaFreeHost(pinned);
  const std::string host_size = std::to_string(host_count * sizeof(float) >> 20) + " MiB";
  out.push_back({"transfer_h2d", device, host_size, h2d, double(host_count), "samples/s",
                 double(host_count * sizeof(float)), "pinned host to device"});
  out.push_back({"transfer_d2h", device, host_size, d2h, double(host_count), "samples/s",
                 double(host_count * sizeof(float)), "device to pinned host"});
}

const bool registered = register_suite("roofline_cuda", device_copy);

}  // namespace
}  // namespace gprproc::bench
