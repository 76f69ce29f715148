// CUDA migration plans shared by 4 threads: the images equal the serial ones
// bit for bit (the plan's mutex serialises its device buffers' use).
#include <catch2/catch.hpp>

#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "gprproc/migration.hpp"

using namespace gprproc;

namespace {

BScan noise(std::size_t n_samples, std::size_t n_traces, unsigned seed, const BScanMetadata& m) {
  BScan b(n_samples, n_traces, m);
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (std::size_t k = 0; k < b.size(); ++k) b.data()[k] = gauss(rng);
  return b;
}

template <class Plan>
void check_shared_plan(const Plan& plan, const BScanMetadata& m) {
  std::vector<BScan> lines;
  for (unsigned k = 0; k < 12; ++k) lines.push_back(noise(256, 48, 100 + k, m));
  std::vector<std::vector<float>> serial(lines.size()), threaded(lines.size());
  for (std::size_t k = 0; k < lines.size(); ++k) {
    serial[k].resize(plan.n_z() * plan.n_x());
    plan.execute(std::as_const(lines[k]).view(), BScanView{serial[k].data(), plan.n_z(), plan.n_x(), Memory::host});
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t k = t; k < lines.size(); k += 4) {
        threaded[k].resize(plan.n_z() * plan.n_x());
        plan.execute(std::as_const(lines[k]).view(),
                     BScanView{threaded[k].data(), plan.n_z(), plan.n_x(), Memory::host});
      }
    });
  for (auto& thread : threads) thread.join();
  std::size_t differing = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) differing += serial[k] != threaded[k];
  CHECK(differing == 0);
  CHECK(serial[0] != serial[1]);
}

}  // namespace

TEST_CASE("CUDA migration plans shared by 4 threads give the serial images bit for bit", "[cuda][migration][threads]") {
  BScanMetadata m;
  m.dt = 1e-10;
  m.dx = 0.01;
  m.antenna_offset = 0.05;
  DepthAxis a;
  a.dz = 0.005;
  a.depth = 0.2;
  SECTION("Kirchhoff") { check_shared_plan(KirchhoffPlan(m, 256, 48, VelocityModel::constant(1e8), a, {}, Device::cuda), m); }
  SECTION("Stolt") { check_shared_plan(StoltPlan(m, 256, 48, 1e8, a, {}, Device::cuda), m); }
  SECTION("phase shift") {
    check_shared_plan(PhaseShiftPlan(m, 256, 48, VelocityModel::layered({0.0, 0.1}, {1e8, 0.8e8}), a, {}, Device::cuda),
                      m);
  }
}
