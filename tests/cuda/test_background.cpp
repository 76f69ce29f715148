// CUDA background removal against the CPU backend (stated tolerances) and
// against truths, on host views and on device views (in place included).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "device_buffer.hpp"
#include "gprproc/background.hpp"
#include "gprproc/error.hpp"

using namespace gprproc;

namespace {

BScanMetadata metadata() {
  BScanMetadata m;
  m.dt = 1e-11;
  m.dx = 0.01;
  return m;
}

// A flat background (rank 1), a smooth target bump (a well separated second
// singular component, so components 1..2 are well defined), noise, and
// rounded values on every fifth row (ties for the median). n_traces spans
// several GPU tiles.
BScan test_bscan(std::size_t m, std::size_t n, unsigned seed) {
  BScan b(m, n, metadata());
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 0.05f);
  const float row_centre = 0.4f * static_cast<float>(m), column_centre = 0.5f * static_cast<float>(n);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const float di = static_cast<float>(i) - row_centre, dj = static_cast<float>(j) - column_centre;
      const float bump = std::exp(-di * di / 8.0f - dj * dj / (0.01f * static_cast<float>(n * n)));
      b(i, j) = std::sin(0.3f * static_cast<float>(i)) + bump + gauss(rng) +
                (i % 5 == 0 ? std::round(4.0f * gauss(rng)) : 0.0f);
    }
  return b;
}

double max_abs(const std::vector<float>& v) {
  double p = 0.0;
  for (float x : v) p = std::max(p, static_cast<double>(std::fabs(x)));
  return p;
}

double max_difference(const float* a, const float* b, std::size_t count) {
  double d = 0.0;
  for (std::size_t k = 0; k < count; ++k) d = std::max(d, std::fabs(static_cast<double>(a[k]) - b[k]));
  return d;
}

BackgroundOptions options_for(BackgroundMethod method, std::size_t window = 21) {
  BackgroundOptions o;
  o.method = method;
  o.window_traces = window;
  return o;
}

// Tolerance relative to max |input|: the means and projections are summed in
// double on both backends, in different orders, then rounded to float; the
// median is a selection, exact on both.
double tolerance_of(BackgroundMethod method) {
  switch (method) {
    case BackgroundMethod::moving_median: return 0.0;
    case BackgroundMethod::svd: return 1e-5;
    default: return 2e-6;
  }
}

std::vector<float> on_device(const BScan& in, const BackgroundOptions& o, bool in_place) {
  using cuda_backend::DeviceBuffer;
  DeviceBuffer<float> a(in.size()), b(in.size());
  a.copy_from_host(in.data(), in.size());
  float* out = in_place ? a.get() : b.get();
  remove_background(ConstBScanView{a.get(), in.n_samples(), in.n_traces(), Memory::device}, in.metadata, o,
                    BScanView{out, in.n_samples(), in.n_traces(), Memory::device}, Device::cuda);
  std::vector<float> host(in.size());
  GPRPROC_CUDA_CHECK(cudaMemcpy(host.data(), out, in.size() * sizeof(float), cudaMemcpyDeviceToHost));
  return host;
}

}  // namespace

TEST_CASE("CUDA background removal agrees with the CPU on host and device views", "[background][cuda]") {
  const BScan in = test_bscan(48, 2600, 1);  // 2 moving-median blocks per row (2048 outputs each)
  const double scale = max_abs(in.samples());
  std::vector<BackgroundOptions> cases{options_for(BackgroundMethod::mean),
                                       options_for(BackgroundMethod::moving_mean, 1),
                                       options_for(BackgroundMethod::moving_mean, 21),
                                       options_for(BackgroundMethod::moving_mean, 1501),
                                       options_for(BackgroundMethod::moving_median, 1),
                                       options_for(BackgroundMethod::moving_median, 11),
                                       options_for(BackgroundMethod::moving_median, 33),
                                       options_for(BackgroundMethod::moving_median, 63),
                                       options_for(BackgroundMethod::moving_median, 101),
                                       options_for(BackgroundMethod::moving_median, 801)};
  BackgroundOptions svd;
  svd.method = BackgroundMethod::svd;
  svd.first_component = 1;
  svd.last_component = 2;
  cases.push_back(svd);
  svd.automatic_rank = true;
  cases.push_back(svd);
  for (const BackgroundOptions& o : cases) {
    DYNAMIC_SECTION(to_string(o.method) << " window " << o.window_traces << " auto " << o.automatic_rank) {
      const BScan cpu = remove_background(in, o, Device::cpu);
      const BScan gpu = remove_background(in, o, Device::cuda);
      const double tol = tolerance_of(o.method) * scale;
      CHECK(max_difference(gpu.data(), cpu.data(), in.size()) <= tol);
      const std::vector<float> device = on_device(in, o, false);
      CHECK(max_difference(device.data(), cpu.data(), in.size()) <= tol);
      const std::vector<float> in_place = on_device(in, o, true);
      CHECK(max_difference(in_place.data(), cpu.data(), in.size()) <= tol);
    }
  }
}

// Rows longer than one block's share: the mean trace sums chunks of 8192
// traces and adds them in order, the moving mean works in tiles of 4096
// outputs, the moving median in blocks of 2048; 3 x 8192 + 77 traces leave a
// partial last chunk, tile and block.
TEST_CASE("CUDA background removal agrees with the CPU over rows of several blocks", "[background][cuda]") {
  const BScan in = test_bscan(9, 3 * 8192 + 77, 4);
  const double scale = max_abs(in.samples());
  for (const BackgroundOptions& o :
       {options_for(BackgroundMethod::mean), options_for(BackgroundMethod::moving_mean, 21),
        options_for(BackgroundMethod::moving_median, 21), options_for(BackgroundMethod::moving_median, 63)}) {
    DYNAMIC_SECTION(to_string(o.method) << " window " << o.window_traces) {
      const BScan cpu = remove_background(in, o, Device::cpu);
      const double tol = tolerance_of(o.method) * scale;
      CHECK(max_difference(remove_background(in, o, Device::cuda).data(), cpu.data(), in.size()) <= tol);
      const std::vector<float> in_place = on_device(in, o, true);
      CHECK(max_difference(in_place.data(), cpu.data(), in.size()) <= tol);
    }
  }
}

TEST_CASE("CUDA subspace removal is exact for a rank-1 background and matches the CPU spectrum",
          "[background][cuda]") {
  for (const auto& shape : {std::pair<std::size_t, std::size_t>{500, 60}, {40, 700}}) {
    const std::size_t m = shape.first, n = shape.second;
    BScan background(m, n, metadata());
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j)
        background(i, j) = std::cos(0.05f * static_cast<float>(i)) * (1.0f + 0.001f * static_cast<float>(j));
    BackgroundOptions o;
    o.method = BackgroundMethod::svd;
    const BScan out = remove_background(background, o, Device::cuda);
    CHECK(max_abs(out.samples()) < 1e-5 * max_abs(background.samples()));
    const BScan in = test_bscan(m, n, 2);
    const std::vector<double> cpu = singular_values(in.view(), Device::cpu);
    const std::vector<double> gpu = singular_values(in.view(), Device::cuda);
    REQUIRE(gpu.size() == cpu.size());
    for (std::size_t k = 0; k < 5; ++k) CHECK(gpu[k] == Approx(cpu[k]).epsilon(1e-9));
  }
}

TEST_CASE("robust PCA with device views gives the CPU result", "[background][cuda]") {
  const BScan in = test_bscan(80, 40, 3);
  const RobustPcaResult cpu = robust_pca(in, RobustPcaOptions{}, Device::cpu);
  cuda_backend::DeviceBuffer<float> a(in.size()), low(in.size()), sparse(in.size());
  a.copy_from_host(in.data(), in.size());
  const BackgroundReport report =
      robust_pca(ConstBScanView{a.get(), 80, 40, Memory::device}, RobustPcaOptions{},
                 BScanView{low.get(), 80, 40, Memory::device}, BScanView{sparse.get(), 80, 40, Memory::device},
                 Device::cuda);
  CHECK(report.iterations == cpu.report.iterations);
  std::vector<float> host(in.size());
  sparse.copy_to_host(host.data(), in.size());
  GPRPROC_CUDA_CHECK(cudaDeviceSynchronize());
  // Computed on the GPU (double, cuSOLVER): within the 1e-6 x max |input| of
  // tests/cuda/test_background_rpca.cpp, no longer bit for bit.
  CHECK(max_difference(host.data(), cpu.sparse.data(), in.size()) <= 1e-6 * max_abs(in.samples()));
}

TEST_CASE("CUDA background removal reports NaN in device data", "[background][cuda]") {
  BScan in = test_bscan(16, 300, 4);
  in(3, 200) = std::nanf("");
  for (const auto method : {BackgroundMethod::mean, BackgroundMethod::moving_mean, BackgroundMethod::moving_median,
                            BackgroundMethod::svd}) {
    try {
      on_device(in, options_for(method), false);
      FAIL("NaN on the device was accepted by " << to_string(method));
    } catch (const InvalidArgument& e) {
      CHECK(e.code() == ErrorCode::non_finite);
    }
  }
}

TEST_CASE("CUDA moving median falls back correctly for windows wider than shared memory", "[background][cuda]") {
  const BScan in = test_bscan(2, 60000, 5);
  const BackgroundOptions o = options_for(BackgroundMethod::moving_median, 40001);
  const BScan cpu = remove_background(in, o, Device::cpu);
  const BScan gpu = remove_background(in, o, Device::cuda);
  CHECK(max_difference(gpu.data(), cpu.data(), in.size()) == 0.0);
}

// The mean trace holds a row of up to 16384 traces in one block's registers
// (4, 8, ... 64 values per thread of 256); longer rows take the chunked path.
// Trace counts at every edge of those sizes, device views in place included,
// and NaN caught on both paths.
TEST_CASE("CUDA mean trace agrees with the CPU at every edge of its row sizes", "[background][cuda]") {
  for (const std::size_t n : {1, 2, 255, 256, 257, 1024, 1025, 2048, 2049, 4096, 4097, 8192, 8193, 16383, 16384,
                              16385}) {
    DYNAMIC_SECTION(n << " traces") {
      const BScan in = test_bscan(5, n, 6);
      const BackgroundOptions o = options_for(BackgroundMethod::mean);
      const BScan cpu = remove_background(in, o, Device::cpu);
      const double tol = tolerance_of(o.method) * max_abs(in.samples());
      CHECK(max_difference(remove_background(in, o, Device::cuda).data(), cpu.data(), in.size()) <= tol);
      const std::vector<float> in_place = on_device(in, o, true);
      CHECK(max_difference(in_place.data(), cpu.data(), in.size()) <= tol);
      BScan bad = in;
      bad(4, n - 1) = std::numeric_limits<float>::infinity();
      CHECK_THROWS_AS(on_device(bad, o, false), InvalidArgument);
    }
  }
}

TEST_CASE("CUDA background removal of a stack equals the CPU's, on device views and in place",
          "[background][stack][cuda]") {
  constexpr std::size_t bscans = 3, m = 40, n = 700;
  std::vector<float> stack;
  for (unsigned k = 0; k < bscans; ++k) {
    const BScan b = test_bscan(m, n, 10 + k);
    stack.insert(stack.end(), b.samples().begin(), b.samples().end());
  }
  const double scale = max_abs(stack);
  const ConstBScanStackView host_in{stack.data(), bscans, m, n, Memory::host};
  cuda_backend::DeviceBuffer<float> a(stack.size()), b(stack.size());
  BackgroundOptions svd;
  svd.method = BackgroundMethod::svd;
  svd.last_component = 2;
  BackgroundOptions automatic = svd;
  automatic.automatic_rank = true;
  for (const BackgroundOptions& o :
       {options_for(BackgroundMethod::mean), options_for(BackgroundMethod::moving_mean, 21),
        options_for(BackgroundMethod::moving_median, 21), svd, automatic}) {
    DYNAMIC_SECTION(to_string(o.method) << " auto " << o.automatic_rank) {
      std::vector<float> cpu(stack.size());
      const std::vector<BackgroundReport> cpu_reports =
          remove_background(host_in, metadata(), o, BScanStackView{cpu.data(), bscans, m, n}, Device::cpu);
      for (const bool in_place : {false, true}) {
        INFO((in_place ? "in place" : "separate output"));
        a.copy_from_host(stack.data(), stack.size());
        float* out = in_place ? a.get() : b.get();
        const std::vector<BackgroundReport> reports =
            remove_background(ConstBScanStackView{a.get(), bscans, m, n, Memory::device}, metadata(), o,
                              BScanStackView{out, bscans, m, n, Memory::device}, Device::cuda);
        std::vector<float> gpu(stack.size());
        GPRPROC_CUDA_CHECK(cudaMemcpy(gpu.data(), out, gpu.size() * sizeof(float), cudaMemcpyDeviceToHost));
        CHECK(max_difference(gpu.data(), cpu.data(), gpu.size()) <= tolerance_of(o.method) * scale);
        for (std::size_t k = 0; k < bscans; ++k) CHECK(reports[k].last_component == cpu_reports[k].last_component);
        // The stack is what one GPU call per B-scan gives, bit for bit.
        for (std::size_t k = 0; k < bscans; ++k) {
          const BScan single(std::vector<float>(stack.begin() + k * m * n, stack.begin() + (k + 1) * m * n), m, n,
                             metadata());
          const BScan per_bscan = remove_background(single, o, Device::cuda);
          CHECK(std::memcmp(per_bscan.data(), gpu.data() + k * m * n, m * n * sizeof(float)) == 0);
        }
      }
    }
  }
  SECTION("NaN in the last B-scan is caught before the first is written") {
    std::vector<float> bad = stack;
    bad[(2 * m + 7) * n + 5] = std::nanf("");
    a.copy_from_host(bad.data(), bad.size());
    const std::vector<float> sentinel(stack.size(), 42.0f);
    b.copy_from_host(sentinel.data(), sentinel.size());
    CHECK_THROWS_AS(remove_background(ConstBScanStackView{a.get(), bscans, m, n, Memory::device}, metadata(), svd,
                                      BScanStackView{b.get(), bscans, m, n, Memory::device}, Device::cuda),
                    InvalidArgument);
    std::vector<float> after(stack.size());
    GPRPROC_CUDA_CHECK(cudaMemcpy(after.data(), b.get(), after.size() * sizeof(float), cudaMemcpyDeviceToHost));
    CHECK(after == sentinel);
  }
}

// The resident mean kernel launches at most 2^20 blocks and strides over
// further rows: 2^20 + 5 rows make the first blocks take a second row (the
// reduction's storage and barriers reused), with NaN and -Inf in such rows.
TEST_CASE("CUDA mean trace strides over more rows than its grid", "[background][cuda]") {
  const std::size_t m = (std::size_t(1) << 20) + 5, n = 3;
  BScan in(m, n, metadata());
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) in(i, j) = static_cast<float>((i % 97) * 0.01 + j * 0.5);
  const BackgroundOptions o = options_for(BackgroundMethod::mean);
  const BScan cpu = remove_background(in, o, Device::cpu);
  CHECK(max_difference(remove_background(in, o, Device::cuda).data(), cpu.data(), in.size()) <=
        tolerance_of(o.method) * max_abs(in.samples()));
  for (const float bad : {std::nanf(""), -std::numeric_limits<float>::infinity()}) {
    BScan with_bad = in;
    with_bad((std::size_t(1) << 20) + 3, 1) = bad;
    CHECK_THROWS_AS(on_device(with_bad, o, false), InvalidArgument);
  }
}

// In place on device memory the input is scanned before any kernel writes:
// rejected input comes back unchanged, bit for bit, for every method.
TEST_CASE("CUDA background removal in place leaves rejected device input untouched", "[background][cuda]") {
  BScan in = test_bscan(16, 300, 8);
  in(9, 150) = std::nanf("");
  BackgroundOptions svd;
  svd.method = BackgroundMethod::svd;
  BackgroundOptions rpca;
  rpca.method = BackgroundMethod::rpca;
  for (const BackgroundOptions& o : {options_for(BackgroundMethod::mean), options_for(BackgroundMethod::moving_mean),
                                     options_for(BackgroundMethod::moving_median), svd, rpca}) {
    DYNAMIC_SECTION(to_string(o.method)) {
      cuda_backend::DeviceBuffer<float> a(in.size());
      a.copy_from_host(in.data(), in.size());
      const BScanView view{a.get(), in.n_samples(), in.n_traces(), Memory::device};
      CHECK_THROWS_AS(remove_background(ConstBScanView{view.samples, view.n_samples, view.n_traces, Memory::device},
                                        in.metadata, o, view, Device::cuda),
                      InvalidArgument);
      std::vector<float> after(in.size());
      GPRPROC_CUDA_CHECK(cudaMemcpy(after.data(), a.get(), after.size() * sizeof(float), cudaMemcpyDeviceToHost));
      CHECK(std::memcmp(after.data(), in.data(), after.size() * sizeof(float)) == 0);
    }
  }
}
