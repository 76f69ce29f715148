// The CUDA crop (cuda/crop.cu) against the host copy: device views, unit and
// larger trace steps, and host <-> device copies. The values are integers, so
// the comparison is exact.
#include <catch2/catch.hpp>
#include <cuda_runtime.h>

#include <vector>

#include "device_buffer.hpp"
#include "gprproc/crop.hpp"
#include "gprproc/error.hpp"

using namespace gprproc;

namespace {

BScan ramp(std::size_t n_samples, std::size_t n_traces) {
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  BScan b(n_samples, n_traces, m);
  for (std::size_t i = 0; i < n_samples; ++i)
    for (std::size_t j = 0; j < n_traces; ++j) b(i, j) = static_cast<float>(1000 * i + j);
  return b;
}

}  // namespace

TEST_CASE("CUDA crop equals the host crop", "[cuda][crop]") {
  const BScan b = ramp(300, 70);
  cuda_backend::DeviceBuffer<float> in(b.size());
  in.copy_from_host(b.data(), b.size());
  const ConstBScanView device_in{in.get(), 300, 70, Memory::device};
  for (const IndexRange traces : {IndexRange{3, 67, 1}, IndexRange{3, 67, 4}, IndexRange{0, 70, 69}}) {
    const IndexRange samples{10, 250, 1};
    const BScan truth = crop(b, samples, traces);
    cuda_backend::DeviceBuffer<float> out(truth.size());
    crop(device_in, samples, traces, BScanView{out.get(), truth.n_samples(), truth.n_traces(), Memory::device});
    std::vector<float> back(truth.size());
    out.copy_to_host(back.data(), back.size());
    GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
    INFO("trace step " << traces.step);
    CHECK(back == truth.samples());
  }
  // Host -> device and device -> host, unit step: one cudaMemcpy2D each.
  const IndexRange samples{1, 299, 1}, traces{5, 60, 1};
  const BScan truth = crop(b, samples, traces);
  cuda_backend::DeviceBuffer<float> up(truth.size());
  crop(b.view(), samples, traces, BScanView{up.get(), truth.n_samples(), truth.n_traces(), Memory::device});
  std::vector<float> back(truth.size());
  up.copy_to_host(back.data(), back.size());
  GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
  CHECK(back == truth.samples());
  BScan down(truth.n_samples(), truth.n_traces(), truth.metadata);
  crop(device_in, samples, traces, down.view());
  CHECK(down.samples() == truth.samples());
  // A stepped crop across memories is refused, not done wrong.
  BScan stepped(truth.n_samples(), 14, truth.metadata);
  CHECK_THROWS_AS(crop(device_in, samples, IndexRange{5, 60, 4}, stepped.view()), InvalidArgument);
}
