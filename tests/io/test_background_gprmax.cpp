// Background removal scored on real gprMax runs of a buried plastic mine
// (../shared/data/landmines): each scene was run with and without the mine,
// so their difference is the mine's clutter-free response. Every method is
// scored by PSNR (peak = max |difference|) and SCR improvement in a window
// around the mine; the table printed here is the one in docs/BACKGROUND.md.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gprproc/background.hpp"
#include "gprproc/io.hpp"
#include "gprproc/metrics.hpp"
#include "test_data.hpp"

using namespace gprproc;

namespace {

struct Pair {
  const char* name;
  const char* with_mine;
  const char* without_mine;
  double apex_time;  // s: the mine top's echo at the apex (truth file, incl. the Ricker peak delay)
};

struct Method {
  const char* label;
  BackgroundOptions options;
};

std::vector<Method> methods() {
  std::vector<Method> list;
  auto add = [&list](const char* label, BackgroundMethod method, std::size_t window = 21) {
    BackgroundOptions o;
    o.method = method;
    o.window_traces = window;
    list.push_back({label, o});
    return &list.back().options;
  };
  add("mean", BackgroundMethod::mean);
  add("moving_mean 21", BackgroundMethod::moving_mean, 21);
  add("moving_mean 41", BackgroundMethod::moving_mean, 41);
  add("moving_median 21", BackgroundMethod::moving_median, 21);
  add("moving_median 41", BackgroundMethod::moving_median, 41);
  add("svd 1..1", BackgroundMethod::svd);
  add("svd 1..2", BackgroundMethod::svd)->last_component = 2;
  add("svd automatic", BackgroundMethod::svd)->automatic_rank = true;
  add("rpca", BackgroundMethod::rpca);
  return list;
}

ConstBScanView cview(const BScan& b) { return b.view(); }

}  // namespace

TEST_CASE("background methods against the clutter-free mine response of gprMax runs", "[background][gprmax]") {
  const std::vector<Pair> pairs{{"flat dry sand", "landmines/pmn_dry_sand_merged.out",
                                 "landmines/empty_ground_merged.out", 1.833822e-9},
                                {"rough wet clay", "landmines/pmn_wet_clay_rough_merged.out",
                                 "landmines/pmn_wet_clay_rough_empty_merged.out", 2.327454e-9}};
  GprMaxOptions read_options;
  read_options.dx = 0.01;
  for (const Pair& pair : pairs) {
    const std::string mine_path = gprproc_test::shared_data_or_skip(pair.with_mine);
    if (mine_path.empty()) return;
    const BScan mine = read_gprmax(mine_path, read_options);
    const BScan empty = read_gprmax(gprproc_test::shared_data_or_skip(pair.without_mine), read_options);
    REQUIRE(mine.n_samples() == empty.n_samples());
    REQUIRE(mine.n_traces() == empty.n_traces());
    BScan reference(mine.n_samples(), mine.n_traces(), mine.metadata);
    for (std::size_t k = 0; k < mine.size(); ++k) reference.data()[k] = mine.data()[k] - empty.data()[k];

    // The mine is under trace 35 (x = 0.45 m); its echoes span about 2 ns
    // from the top's arrival. Window: 0.5 ns before to 1.5 ns after, +-10 traces.
    const double dt = mine.metadata.dt;
    TargetWindow target;
    target.sample_begin = static_cast<std::size_t>((pair.apex_time - 0.5e-9) / dt);
    target.sample_end = static_cast<std::size_t>((pair.apex_time + 1.5e-9) / dt);
    target.trace_begin = 25;
    target.trace_end = 46;

    double mean_psnr = 0.0, automatic_psnr = 0.0, median41_psnr = 0.0;
    std::printf("\n%s (%zu x %zu): PSNR against (with mine - without mine), SCR improvement in samples [%zu, %zu) "
                "traces [%zu, %zu)\n",
                pair.name, mine.n_samples(), mine.n_traces(), target.sample_begin, target.sample_end,
                target.trace_begin, target.trace_end);
    std::printf("| method | PSNR (dB) | SCR improvement (dB) |\n|---|---|---|\n");
    for (const Method& method : methods()) {
      const BScan out = remove_background(mine, method.options, Device::cpu);
      const double p = psnr(cview(out), cview(reference));
      const double scr = scr_improvement(cview(mine), cview(out), target);
      std::printf("| %s | %.1f | %.1f |\n", method.label, p, scr);
      const std::string label = method.label;
      if (label == "mean") mean_psnr = p;
      if (label == "svd automatic") automatic_psnr = p;
      if (label == "moving_median 41") median41_psnr = p;
    }
    INFO(pair.name << ": mean " << mean_psnr << " dB, svd automatic " << automatic_psnr << " dB, moving median 41 "
                   << median41_psnr << " dB");
    if (std::string(pair.name) == "rough wet clay") {
      CHECK(automatic_psnr >= mean_psnr + 2.0);  // beats mean-trace subtraction by >= 2 dB
      CHECK(median41_psnr >= mean_psnr + 2.0);
    } else {
      CHECK(automatic_psnr >= mean_psnr - 1.0);  // loses no more than 1 dB on flat ground
      CHECK(median41_psnr >= mean_psnr - 1.0);
    }
  }
}
