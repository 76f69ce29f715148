// Background removal of a stack of B-scans: every method equals one call per
// B-scan, bit for bit; the row-wise methods remove each B-scan's own flat
// background; bad stacks are rejected, naming the B-scan, before anything is
// written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/error.hpp"
#include "throws_naming.hpp"

using namespace gprproc;
using gprproc_test::throws_naming;

namespace {

constexpr std::size_t kBscans = 3, kSamples = 60, kTraces = 47;

BScanMetadata unit_metadata() {
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  return m;
}

// B-scan k: a background of rank k + 1 (k + 1 flat "layers", one wavelet row
// pattern each, scaled per trace), a spike of a target and noise. Different
// ranks make the automatic SVD choose differently per B-scan.
std::vector<float> make_stack() {
  std::vector<float> stack(kBscans * kSamples * kTraces);
  std::mt19937 rng(11);
  std::normal_distribution<float> gauss(0.0f, 1e-3f);
  for (std::size_t k = 0; k < kBscans; ++k) {
    float* b = stack.data() + k * kSamples * kTraces;
    for (std::size_t i = 0; i < kSamples; ++i)
      for (std::size_t j = 0; j < kTraces; ++j) {
        double value = 0.0;
        for (std::size_t layer = 0; layer <= k; ++layer) {
          const double row = std::exp(-0.5 * std::pow((double(i) - 10.0 - 15.0 * double(layer)) / 2.0, 2.0));
          const double along = layer == 0 ? 1.0 : std::cos(0.3 * double(j * (layer + 1)));
          value += (3.0 - double(layer)) * row * along;
        }
        b[i * kTraces + j] = float(value) + gauss(rng);
      }
    b[40 * kTraces + 20 + k] += 0.05f;  // a target, at a different trace in each B-scan
  }
  return stack;
}

std::vector<BackgroundOptions> every_method() {
  std::vector<BackgroundOptions> all;
  BackgroundOptions o;
  o.method = BackgroundMethod::mean;
  all.push_back(o);
  o.method = BackgroundMethod::moving_mean;
  o.window_traces = 9;
  all.push_back(o);
  o.method = BackgroundMethod::moving_median;
  all.push_back(o);
  o.method = BackgroundMethod::svd;
  o.first_component = 1;
  o.last_component = 2;
  all.push_back(o);
  o.automatic_rank = true;
  all.push_back(o);
  o = BackgroundOptions{};
  o.method = BackgroundMethod::rpca;
  o.rpca.max_iterations = 20;
  all.push_back(o);
  return all;
}

std::string describe(const BackgroundOptions& o) {
  return std::string(to_string(o.method)) + (o.automatic_rank ? " (automatic rank)" : "");
}

}  // namespace

TEST_CASE("a stack's background removal equals one call per B-scan, bit for bit", "[background][stack][cpu]") {
  const std::vector<float> input = make_stack();
  const BScanMetadata meta = unit_metadata();
  const ConstBScanStackView in{input.data(), kBscans, kSamples, kTraces, Memory::host};
  for (const BackgroundOptions& o : every_method()) {
    INFO(describe(o));
    std::vector<float> stacked(input.size());
    const std::vector<BackgroundReport> reports =
        remove_background(in, meta, o, BScanStackView{stacked.data(), kBscans, kSamples, kTraces}, Device::cpu);
    REQUIRE(reports.size() == kBscans);
    std::vector<float> in_place = input;
    remove_background(ConstBScanStackView{in_place.data(), kBscans, kSamples, kTraces}, meta, o,
                      BScanStackView{in_place.data(), kBscans, kSamples, kTraces}, Device::cpu);
    CHECK(std::memcmp(in_place.data(), stacked.data(), input.size() * sizeof(float)) == 0);
    for (std::size_t k = 0; k < kBscans; ++k) {
      INFO("B-scan " << k);
      std::vector<float> single(kSamples * kTraces);
      const BackgroundReport report = remove_background(
          in.bscan(k), meta, o, BScanView{single.data(), kSamples, kTraces, Memory::host}, Device::cpu);
      CHECK(std::memcmp(single.data(), stacked.data() + k * single.size(), single.size() * sizeof(float)) == 0);
      CHECK(reports[k].last_component == report.last_component);
      CHECK(reports[k].iterations == report.iterations);
    }
  }
}

TEST_CASE("the automatic rank is chosen per B-scan of a stack", "[background][stack][cpu]") {
  // B-scan k holds a background of rank k + 1 over noise 1e-3: the largest
  // drop of the log spectrum comes after component k + 1.
  const std::vector<float> input = make_stack();
  std::vector<float> out(input.size());
  BackgroundOptions o;
  o.method = BackgroundMethod::svd;
  o.automatic_rank = true;
  const std::vector<BackgroundReport> reports =
      remove_background(ConstBScanStackView{input.data(), kBscans, kSamples, kTraces}, unit_metadata(), o,
                        BScanStackView{out.data(), kBscans, kSamples, kTraces}, Device::cpu);
  for (std::size_t k = 0; k < kBscans; ++k) CHECK(reports[k].last_component == k + 1);
}

TEST_CASE("mean removal takes each B-scan's own flat background away", "[background][stack][cpu]") {
  // B-scan k: the same row pattern at amplitude k + 1 on every trace, exactly
  // flat: the mean trace of each B-scan is its background, so nothing is left
  // (beyond float rounding), whatever the other B-scans hold.
  std::vector<float> stack(kBscans * kSamples * kTraces);
  for (std::size_t k = 0; k < kBscans; ++k)
    for (std::size_t i = 0; i < kSamples; ++i)
      for (std::size_t j = 0; j < kTraces; ++j)
        stack[(k * kSamples + i) * kTraces + j] = float(k + 1) * std::sin(0.2f * float(i));
  BackgroundOptions o;
  for (const BackgroundMethod method :
       {BackgroundMethod::mean, BackgroundMethod::moving_mean, BackgroundMethod::moving_median}) {
    INFO(to_string(method));
    o.method = method;
    std::vector<float> out(stack.size(), 1.0f);
    remove_background(ConstBScanStackView{stack.data(), kBscans, kSamples, kTraces}, unit_metadata(), o,
                      BScanStackView{out.data(), kBscans, kSamples, kTraces}, Device::cpu);
    float largest = 0.0f;
    for (const float v : out) largest = std::max(largest, std::abs(v));
    CHECK(largest < 3e-6f);  // amplitude up to 3: a few float roundings
  }
}

TEST_CASE("a bad stack is rejected, naming the B-scan, with the input untouched", "[background][stack][cpu]") {
  std::vector<float> input = make_stack();
  const BScanMetadata meta = unit_metadata();
  const ConstBScanStackView in{input.data(), kBscans, kSamples, kTraces, Memory::host};
  std::vector<float> out(input.size());
  const BScanStackView out_view{out.data(), kBscans, kSamples, kTraces, Memory::host};

  throws_naming([&] { remove_background(in, meta, BackgroundOptions{}, BScanStackView{out.data(), 2, kSamples, kTraces}); },
                "shape");
  throws_naming(
      [&] {
        remove_background(ConstBScanStackView{input.data(), 0, kSamples, kTraces}, meta, BackgroundOptions{},
                          BScanStackView{out.data(), 0, kSamples, kTraces});
      },
      "empty");
  // The output one B-scan further on: B-scan 0's result would land on input B-scan 1.
  std::vector<float> shared(input.size() + kSamples * kTraces);
  throws_naming(
      [&] {
        remove_background(ConstBScanStackView{shared.data(), kBscans, kSamples, kTraces}, meta, BackgroundOptions{},
                          BScanStackView{shared.data() + kSamples * kTraces, kBscans, kSamples, kTraces});
      },
      "overlap");

  input[(2 * kSamples + 7) * kTraces + 5] = std::nanf("");
  for (const BackgroundOptions& o : every_method()) {
    INFO(describe(o));
    std::fill(out.begin(), out.end(), 42.0f);
    try {
      remove_background(in, meta, o, out_view, Device::cpu);
      FAIL("NaN in B-scan 2 was accepted");
    } catch (const InvalidArgument& e) {
      CHECK(e.code() == ErrorCode::non_finite);
      CHECK_THAT(std::string(e.what()), Catch::Contains("B-scan 2 of the input stack") &&
                                            Catch::Contains("sample 7, trace 5"));
    }
    // The B-scan-by-B-scan methods check the whole stack before writing any
    // output (the row-wise ones may leave a separate output partly written).
    if (o.method == BackgroundMethod::svd || o.method == BackgroundMethod::rpca)
      CHECK(std::all_of(out.begin(), out.end(), [](float v) { return v == 42.0f; }));
  }
  // In place: the input is never modified before it is rejected.
  const std::vector<float> before = input;
  for (const BackgroundOptions& o : every_method()) {
    INFO(describe(o) << ", in place");
    CHECK_THROWS_AS(remove_background(in, meta, o, BScanStackView{input.data(), kBscans, kSamples, kTraces},
                                      Device::cpu),
                    InvalidArgument);
    CHECK(std::memcmp(before.data(), input.data(), input.size() * sizeof(float)) == 0);  // NaN == NaN bitwise
  }
}
