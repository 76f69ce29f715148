#pragma once
// Every per-trace and per-line operation on a cube: each line is processed as
// the B-scan-level operation processes a B-scan alone, so a line of the
// result equals that line processed by itself, bit for bit, and the cube's
// metadata and history follow (one history step per operation; where lines
// record different data-dependent values, such as an automatic SVD rank or
// time-zero picks, the step lists each line's parameters under "lines").
// Background removal adds a cube-wide mean trace (BackgroundScope::cube).
// 2-D migration line by line gives a DepthImage3D; 3-D migration is in
// gprproc/migration_3d.hpp.
#include <functional>

#include "gprproc/background.hpp"
#include "gprproc/cube.hpp"
#include "gprproc/device.hpp"
#include "gprproc/filters.hpp"
#include "gprproc/gain.hpp"
#include "gprproc/migration.hpp"

namespace gprproc {

// Applies `operation` to each line (a B-scan copy with the cube's line
// metadata, history and that line's positions) and assembles the results.
// Every result must have the same shape and metadata (InvalidArgument naming
// the line otherwise); `operation_name` names it in errors.
Cube map_lines(const Cube& in, const char* operation_name, const std::function<BScan(const BScan&)>& operation);

Cube remove_dc(const Cube& in, const TimeWindow& window = TimeWindow::whole_trace(), Device device = Device::automatic);
Cube dewow(const Cube& in, double window, Device device = Device::automatic);
Cube bandpass(const Cube& in, const BandpassOptions& options, Device device = Device::automatic);
Cube envelope(const Cube& in, Device device = Device::automatic);
Cube correct_time_zero(const Cube& in, const TimeZeroOptions& options = {}, Device device = Device::automatic);
Cube shift_time_zero(const Cube& in, double time_zero, int interpolation_half_width = 8,
                     Device device = Device::automatic);
Cube time_gain(const Cube& in, const TimeGain& gain, Device device = Device::automatic);
Cube agc(const Cube& in, const AgcOptions& options, Device device = Device::automatic);

enum class BackgroundScope {
  line,  // each line on its own, as remove_background(BScan) does it
  cube,  // method mean only: subtract the mean trace over every trace of every line
};
Cube remove_background(const Cube& in, const BackgroundOptions& options, Device device = Device::automatic,
                       BackgroundScope scope = BackgroundScope::line);
// View level of the cube-wide mean: `in` and `out` (n_lines, n_samples,
// n_traces), both host or both device memory, may be the same (in place).
// NaN/Inf input throws InvalidArgument before anything is written.
void remove_cube_mean(ConstBScanStackView in, BScanStackView out, Device device = Device::automatic);

// 2-D migration of every line on its own: (n_lines, n_z, n_traces), line j of
// the image equal to migrate(cube.line(j), ...). For 3-D migration (the
// neighbouring lines' energy gathered) see gprproc/migration_3d.hpp.
DepthImage3D migrate_lines(const Cube& in, MigrationMethod method, const VelocityModel& velocity,
                           const DepthAxis& depth_axis, Device device = Device::automatic);

}  // namespace gprproc
