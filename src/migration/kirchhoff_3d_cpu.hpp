#pragma once
// CPU execution of a 3-D Kirchhoff plan (src/migration/kirchhoff_3d_cpu.cpp).
#include <vector>

#include "gprproc/bscan.hpp"
#include "migration/migration_3d_cuda.hpp"  // Kirchhoff3DSetup (plain C++)

namespace gprproc::migration_detail {

// Buffers of one execute (sized there, reused by the next call of the plan).
struct Kirchhoff3DWorkspace {
  std::vector<float> ring;        // ring_lines x (n_os + 2, buffer traces): oversampled lines
  std::vector<float> integrated;  // anti-aliasing: ring_lines x (n_os + 2 pad, buffer traces)
  std::vector<float> means;       // anti-aliasing: ring_lines x buffer traces
};

// in: (n_lines, n_samples, n_traces) host; out: (n_lines, n_z, n_traces) host.
void kirchhoff_3d_execute_cpu(const cuda_backend::Kirchhoff3DSetup& setup, Kirchhoff3DWorkspace& work,
                              ConstBScanStackView in, BScanStackView out);

}  // namespace gprproc::migration_detail
