#pragma once
// CPU execution of a Kirchhoff plan (src/migration_kirchhoff_cpu.cpp): what
// the plan hands it, borrowed for the call.
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc::migration_detail {

struct KirchhoffTables {
  std::size_t n_samples = 0, n_traces = 0, n_z = 0;
  int oversampling = 1;
  int half_width = 0;                      // K: table rows span trace offsets -K..K
  const float* table = nullptr;            // (n_z, 2K+1) x {oversampled sample position, weight}
  const int* row_half_width = nullptr;     // (n_z)
  const float* antialias = nullptr;        // (n_z, 2K+1) x {triangle half-length (oversampled samples),
                                           //   DC gain (detail::antialias_dc_gain)}, or null
  int antialias_pad = 0;                   // zero samples each side of the doubly integrated traces
  bool half_derivative = false;
  std::size_t fft_length = 0;              // rho filter's padded length (0 when off)
  double dt = 0.0;
  std::size_t tile_traces = 0;             // image columns per tile (>= 1; n_traces or more = untiled)
};

// Buffers kept by the plan between executes (sized on first use).
struct KirchhoffWorkspace {
  std::vector<float> filtered, oversampled, integrated;
  std::vector<float> means;  // per trace: the mean removed before the integration
};

// in: host (n_samples, n_traces); out: host (n_z, n_traces).
void kirchhoff_execute_cpu(const KirchhoffTables& tables, KirchhoffWorkspace& workspace, ConstBScanView in,
                           BScanView out);

}  // namespace gprproc::migration_detail
