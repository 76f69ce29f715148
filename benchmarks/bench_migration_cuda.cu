// Migration on the CUDA backend: the ops of bench_migration.cpp (Kirchhoff
// apertures, Stolt, phase shift, time-to-depth, the velocity scan),
// device-resident and with transfers, timed with CUDA events.
#include "bench_ops.hpp"

namespace gprproc::bench {
namespace {
const bool registered = register_suite("migration_cuda", [](const Options& options, std::vector<Measurement>& out) {
  run_ops_cuda(migration_ops, options, out);
  run_ops_cuda(kirchhoff_global_reads_ops, options, out);
  run_ops_cuda(phase_shift_rows_ops, options, out);
  run_ops_cuda(stolt_square_ops, square_options(options), out);
});
}  // namespace
}  // namespace gprproc::bench
