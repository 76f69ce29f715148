// Dip moveout (OffsetCorrectionOptions::dip_moveout, on by default in
// correct_antenna_offset and the f-k plans). Truths: the synthetic maker's own
// Fermat travel times (tests/support/synthetic_bscan.hpp), not the library's.
// After NMO + DMO a common-offset diffraction's limbs must sit at the
// zero-offset times, flat reflectors must not move, the result must not
// depend on where the tiles of traces fall, and the f-k focus of shallow
// mines must come closer to the truth than with NMO alone.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gprproc/migration.hpp"
#include "image_focus.hpp"
#include "synthetic_bscan.hpp"
#include "trace_peak.hpp"

using namespace gprproc;
using namespace gprproc_test;

namespace {

SyntheticSurvey plain_survey(double offset, double height) {
  SyntheticSurvey s;
  s.antenna_offset = offset;
  s.antenna_height = height;
  s.line_diffractor = false;  // plain Ricker: its peak marks the travel time
  return s;
}

OffsetCorrectionOptions with_dmo(bool on) {
  OffsetCorrectionOptions o;
  o.dip_moveout = on;
  return o;
}

// RMS (samples) of the arrival-time error along a diffraction's limb (lateral
// distances 2-25 cm from the apex) against `zero_offset_time(lateral)`, by
// default the constant-velocity two-media times of the survey.
template <class ZeroOffsetTime>
double limb_rms_error(const BScan& zo, const SyntheticSurvey& s, const PointDiffractor& p,
                      ZeroOffsetTime zero_offset_time) {
  double sum = 0.0;
  int n = 0;
  for (const double lateral : {0.02, 0.04, 0.06, 0.10, 0.15, 0.25}) {
    const std::size_t column = static_cast<std::size_t>(std::lround((p.x + lateral - s.x0) / s.dx));
    const double truth = zero_offset_time(lateral);
    const double error = (peak_time(zo, column, truth, 6.0) - truth) / s.dt;
    sum += error * error;
    ++n;
  }
  return std::sqrt(sum / n);
}
double limb_rms_error(const BScan& zo, const SyntheticSurvey& s, const PointDiffractor& p) {
  return limb_rms_error(zo, s, p, [&](double lateral) {
    return 2.0 * leg_time(lateral, p.depth, s.antenna_height, s.velocity());
  });
}

}  // namespace

TEST_CASE("Dip moveout puts a common-offset diffraction's limbs at their zero-offset times",
          "[migration][offset][dip_moveout]") {
  // NMO alone is exact at the apex only: the limbs come out early, by 0.9-4
  // samples RMS here. With DMO, measured RMS 0.01-0.11 (on the ground, where
  // the constant-velocity DMO is exact) and 0.15-0.55 sample with the antenna
  // lifted (fitted half-offset, docs/MIGRATION.md). Bounds: 0.8 sample, and
  // under 0.3 of NMO alone.
  struct Case {
    const char* name;
    double offset, height, depth;
  };
  const Case cases[] = {{"offset 10 cm on the ground, 5 cm deep", 0.10, 0.0, 0.05},
                        {"offset 10 cm on the ground, 20 cm deep", 0.10, 0.0, 0.20},
                        {"offset 10 cm, 3 cm up, 5 cm deep", 0.10, 0.03, 0.05},
                        {"offset 10 cm, 3 cm up, 10 cm deep", 0.10, 0.03, 0.10},
                        {"offset 8 cm, 3 cm up, 8 cm deep", 0.08, 0.03, 0.08},
                        {"offset 6 cm, 2 cm up, 5 cm deep", 0.06, 0.02, 0.05}};
  for (const auto& c : cases) {
    const auto s = plain_survey(c.offset, c.height);
    const PointDiffractor p{0.64, c.depth, 1.0};
    const BScan b = make_point_diffractor_bscan(s, {p});
    const auto v = VelocityModel::constant(s.velocity());
    const double nmo = limb_rms_error(correct_antenna_offset(b, v, with_dmo(false), Device::cpu), s, p);
    const BScan zo = correct_antenna_offset(b, v, Device::cpu);  // DMO by default
    const double dmo = limb_rms_error(zo, s, p);
    INFO(c.name << ": limb time error RMS, NMO alone " << nmo << " samples, with DMO " << dmo);
    CHECK(dmo <= 0.8);
    CHECK(dmo < 0.3 * nmo);
    REQUIRE_FALSE(zo.history.empty());
    CHECK(zo.history.back().operation == "correct_antenna_offset");
  }
}

TEST_CASE("Dip moveout with a layered v(z) puts the limbs near their zero-offset times",
          "[migration][offset][dip_moveout]") {
  // eps_r 4 down to 4 cm over eps_r 6.25, antenna on the ground, 10 cm
  // offset: no log-stretch DMO is exact, the half-offset is fitted to the
  // model's times. Truth: the synthetic maker's two-media Fermat times.
  // Measured RMS limb error, NMO alone -> with DMO: 3 cm deep 5.20 -> 0.53,
  // 6 cm 4.03 -> 0.38, 10 cm 2.46 -> 0.22, 20 cm 0.97 -> 0.06 samples.
  // Bounds as for a constant velocity: 0.8 sample and 0.3 of NMO alone.
  auto s = plain_survey(0.10, 0.0);
  s.upper_layer_thickness = 0.04;
  s.upper_layer_permittivity = 4.0;
  const double v_top = velocity_from_permittivity(4.0), v = s.velocity();
  const auto model = VelocityModel::layered({0.0, 0.04}, {v_top, v});
  for (const double depth : {0.03, 0.06, 0.10, 0.20}) {
    const PointDiffractor p{0.64, depth, 1.0};
    const BScan b = make_point_diffractor_bscan(s, {p});
    const auto truth = [&](double lateral) {
      return depth <= 0.04 ? 2.0 * std::hypot(lateral, depth) / v_top
                           : 2.0 * two_media_time(lateral, depth - 0.04, 0.04, v_top, v);
    };
    double rms[2];
    for (const bool dmo : {false, true})
      rms[dmo ? 1 : 0] = limb_rms_error(correct_antenna_offset(b, model, with_dmo(dmo), Device::cpu), s, p, truth);
    INFO("layered, diffractor " << depth << " m deep: limb time error RMS, NMO alone " << rms[0]
                                << " samples, with DMO " << rms[1]);
    CHECK(rms[1] <= 0.8);
    CHECK(rms[1] < 0.3 * rms[0]);
  }
}

TEST_CASE("Dip moveout on the band of a known centre frequency agrees with it on the whole band",
          "[migration][offset][dip_moveout]") {
  // With metadata.center_frequency the log-time grid samples up to 6x it
  // (here 6 GHz of a 20 GHz Nyquist: 3.3x fewer rows); without, up to the
  // Nyquist frequency. The two grids leave slightly different residues of the
  // filter's low-frequency taper (below); they agree to 1e-2 of the peak
  // (measured 5.5e-3 on the ground, 3.7e-3 lifted 3 cm).
  for (const double height : {0.0, 0.03}) {
    const auto s = plain_survey(0.10, height);
    const BScan banded = make_point_diffractor_bscan(s, {{0.45, 0.05, 1.0}, {0.85, 0.2, 1.0}});
    REQUIRE(banded.metadata.center_frequency == 1.0e9);
    BScan whole = banded;
    whole.metadata.center_frequency = 0.0;
    const auto v = VelocityModel::constant(s.velocity());
    const BScan a = correct_antenna_offset(banded, v, Device::cpu), b = correct_antenna_offset(whole, v, Device::cpu);
    float top = 0.0f, worst = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i) {
      top = std::max(top, std::abs(b.data()[i]));
      worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]));
    }
    INFO("height " << height << ": max |band-limited - whole band| " << worst << ", peak " << top);
    CHECK(worst <= 1e-2f * top);
  }
}

TEST_CASE("Dip moveout leaves no constant behind a shallow diffractor", "[migration][offset][dip_moveout]") {
  // A wavelet has a mean in ln t. Where |k h| > |omega| the stationary-phase
  // filter jumps across omega = 0 and smeared that mean into a constant along
  // the rest of the apex trace: 0.103 under a 5 cm deep diffractor (peak 1.9),
  // where NMO leaves zero. The phase is tapered to zero there
  // (detail::dip_moveout_phase); measured 0.0126 after (6.7e-3 of the peak,
  // the record's last sample included). Bound: 1e-2 of the peak
  // over the last 40 samples of the apex trace.
  const auto s = plain_survey(0.10, 0.0);
  const BScan b = make_point_diffractor_bscan(s, {{0.45, 0.05, 1.0}, {0.85, 0.2, 1.0}});
  const BScan zo = correct_antenna_offset(b, VelocityModel::constant(s.velocity()), Device::cpu);
  float top = 0.0f, late = 0.0f;
  for (std::size_t i = 0; i < zo.size(); ++i) top = std::max(top, std::abs(zo.data()[i]));
  for (std::size_t i = s.n_samples - 40; i < s.n_samples; ++i) late = std::max(late, std::abs(zo(i, 45)));
  INFO("apex trace of the 5 cm deep diffractor, last 40 samples: max |value| " << late << ", peak " << top);
  CHECK(late <= 1e-2f * top);
}

TEST_CASE("Dip moveout leaves a B-scan narrower than its operator to NMO", "[migration][offset][dip_moveout]") {
  // 10 cm offset, dx 1 cm: the operator spans 2 h / dx + 1 = 11 traces on the
  // ground (21 lifted 3 cm, where the fitted half-offset is twice as wide).
  // Narrower B-scans (an A-scan, a few traces) come out exactly as NMO left
  // them; applied anyway, DMO took 75% of a single trace's peak into the
  // padding. At 11 traces on the ground it acts.
  for (const double height : {0.0, 0.03}) {
    auto s = plain_survey(0.10, height);
    const auto v = VelocityModel::constant(s.velocity());
    for (const std::size_t traces : {std::size_t{1}, std::size_t{3}, std::size_t{9}}) {
      s.n_traces = traces;
      const BScan b = make_point_diffractor_bscan(s, {{0.0, 0.1, 1.0}});
      const BScan nmo = correct_antenna_offset(b, v, with_dmo(false), Device::cpu);
      const BScan dmo = correct_antenna_offset(b, v, Device::cpu);
      INFO("height " << height << ", " << traces << " traces");
      CHECK(std::equal(nmo.data(), nmo.data() + nmo.size(), dmo.data()));
    }
  }
  auto s = plain_survey(0.10, 0.0);
  s.n_traces = 11;
  const BScan b = make_point_diffractor_bscan(s, {{0.05, 0.1, 1.0}});
  const auto v = VelocityModel::constant(s.velocity());
  const BScan nmo = correct_antenna_offset(b, v, with_dmo(false), Device::cpu);
  const BScan dmo = correct_antenna_offset(b, v, Device::cpu);
  CHECK_FALSE(std::equal(nmo.data(), nmo.data() + nmo.size(), dmo.data()));
}

TEST_CASE("Dip moveout leaves flat reflectors where NMO put them", "[migration][offset][dip_moveout]") {
  // A flat reflector has no dip (k = 0): the filter's phase is zero there.
  // Where the reflector ends (the B-scan's ends) DMO spreads that edge like
  // any diffraction, with a tail decaying as 1 / distance^2 (the stationary-
  // phase filter is not exact at low log-time frequencies: docs/MIGRATION.md).
  // 40 traces in from the ends every trace equals the NMO result to within
  // 3e-3 of the peak. Measured 5.7e-4 on the ground, 1.6e-3 lifted 3 cm
  // (fitted half-offset 2x larger); 3.4e-3 / 1.1e-2 at 20 traces.
  for (const double height : {0.0, 0.03}) {
    const auto s = plain_survey(0.10, height);
    BScan b(s.n_samples, s.n_traces, s.metadata());
    for (const double depth : {0.05, 0.15, 0.3}) {
      const double t = 2.0 * leg_time(0.5 * s.antenna_offset, depth, s.antenna_height, s.velocity());
      for (std::size_t j = 0; j < s.n_traces; ++j)
        for (std::size_t i = 0; i < s.n_samples; ++i)
          b(i, j) += static_cast<float>(ricker(s.t0 + s.dt * static_cast<double>(i) - t, s.frequency));
    }
    const auto v = VelocityModel::constant(s.velocity());
    const BScan nmo = correct_antenna_offset(b, v, with_dmo(false), Device::cpu);
    const BScan dmo = correct_antenna_offset(b, v, Device::cpu);
    float top = 0.0f, worst = 0.0f;
    for (std::size_t i = 0; i < s.n_samples; ++i)
      for (std::size_t j = 40; j + 40 < s.n_traces; ++j) {
        top = std::max(top, std::abs(nmo(i, j)));
        worst = std::max(worst, std::abs(dmo(i, j) - nmo(i, j)));
      }
    INFO("height " << height << ": max |DMO - NMO| on the interior traces " << worst << ", peak " << top);
    CHECK(worst <= 3e-3f * top);
  }
}

TEST_CASE("Dip moveout does not depend on where its tiles of traces fall", "[migration][offset][dip_moveout]") {
  // Traces are filtered 1024 at a time with a halo of 4 half-offsets plus 48
  // traces: the same diffractor moved across a tile boundary (apex at trace
  // 1020 and 1030, tile edge 1024) must give the same traces, shifted, as at
  // trace 300, to within 1e-5 of the peak (measured 2.4e-7, float rounding;
  // with a halo of half an offset plus 8 it was 3e-3, plus 32 2e-4).
  auto s = plain_survey(0.10, 0.0);
  s.n_traces = 1400;
  s.n_samples = 256;
  const auto v = VelocityModel::constant(s.velocity());
  const std::size_t reference_apex = 300;
  const BScan reference = correct_antenna_offset(
      make_point_diffractor_bscan(s, {{s.x0 + s.dx * static_cast<double>(reference_apex), 0.06, 1.0}}), v,
      Device::cpu);
  for (const std::size_t apex : {1020, 1030}) {
    const BScan moved =
        correct_antenna_offset(make_point_diffractor_bscan(s, {{s.x0 + s.dx * static_cast<double>(apex), 0.06, 1.0}}),
                               v, Device::cpu);
    float top = 0.0f, worst = 0.0f;
    for (std::size_t i = 0; i < s.n_samples; ++i)
      for (std::size_t k = 0; k < 200; ++k) {  // +-100 traces around each apex
        const float a = reference(i, reference_apex - 100 + k), b = moved(i, apex - 100 + k);
        top = std::max(top, std::abs(a));
        worst = std::max(worst, std::abs(a - b));
      }
    INFO("apex at trace " << apex << ": max difference to the apex at trace " << reference_apex << " " << worst
                          << ", peak " << top);
    CHECK(worst <= 1e-5f * top);
  }
}

TEST_CASE("Stolt and phase shift with dip moveout focus shallow mines closer than NMO alone",
          "[migration][offset][dip_moveout][stolt][phase_shift]") {
  // Mines 5 and 8 cm deep under a 10 cm offset. NMO alone leaves the limbs
  // too flat and pulls the f-k focus up (refined depth errors -6.1 / -4.3 mm
  // on the ground, -3.6 / -3.0 mm lifted 3 cm: tests/cpu/test_migration.cpp).
  // With DMO each focus must be within one cell (dz 5 mm) and its refined depth
  // error smaller than with NMO alone. Measured in docs/MIGRATION.md.
  DepthAxis axis;
  axis.dz = 0.005;
  axis.depth = 0.5;
  const std::vector<PointDiffractor> mines = {{0.45, 0.05, 1.0}, {0.85, 0.08, 1.0}};
  for (const double height : {0.0, 0.03}) {
    SyntheticSurvey s;
    s.antenna_offset = 0.10;
    s.antenna_height = height;
    const BScan b = make_point_diffractor_bscan(s, mines);
    for (const bool stolt : {true, false}) {
      DepthImage img[2];
      for (const bool dmo : {true, false}) {
        if (stolt) {
          StoltOptions o;
          o.dip_moveout = dmo;
          img[dmo ? 0 : 1] = migrate_stolt(b, s.velocity(), axis, o, Device::cpu);
        } else {
          PhaseShiftOptions o;
          o.dip_moveout = dmo;
          img[dmo ? 0 : 1] = migrate_phase_shift(b, VelocityModel::constant(s.velocity()), axis, o, Device::cpu);
        }
      }
      for (const auto& p : mines) {
        const Focus with = strongest_near(img[0], p.x, p.depth, 0.04);
        const Focus without = strongest_near(img[1], p.x, p.depth, 0.04);
        const double with_error = refined_focus_depth(img[0], with) - p.depth;
        const double without_error = refined_focus_depth(img[1], without) - p.depth;
        INFO((stolt ? "Stolt" : "phase shift") << ", height " << height << ", mine " << p.depth
                                               << " m: refined depth error with DMO " << with_error * 1e3
                                               << " mm, NMO alone " << without_error * 1e3 << " mm");
        CHECK(std::abs(with.x - p.x) <= img[0].grid.dx + 1e-9);
        CHECK(std::abs(with.depth - p.depth) <= img[0].grid.dz + 1e-9);
        CHECK(std::abs(with_error) < std::abs(without_error));
      }
      REQUIRE_FALSE(img[0].history.empty());
    }
  }
}
