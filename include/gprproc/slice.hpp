#pragma once
// Plan-view slices (C-scans) of a cube or a 3-D depth image: the amplitude at
// one depth (or time) over every line and trace, (n_lines, n_traces), where a
// buried mine shows as a disc. docs/CUBES.md.
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/cube.hpp"
#include "gprproc/device.hpp"

namespace gprproc {

struct CScan {
  std::vector<float> values;  // (n_lines, n_traces), row-major
  std::size_t n_lines = 0, n_traces = 0;
  double x0 = 0.0, dx = 0.0;  // m, trace axis
  double y0 = 0.0, dy = 0.0;  // m, line axis
  std::string axis;           // "depth" (m) or "time" (s)
  double level = 0.0;         // the depth (m) or time (s) sliced
  double thickness = 0.0;     // the window (m or s); 0: the envelope at `level`
  std::string measure;        // "envelope" (at the level) or "rms" (of the samples in the window)
  History history;

  float operator()(std::size_t line, std::size_t trace) const { return values[line * n_traces + trace]; }
};

// thickness 0: the Hilbert envelope along depth, linearly interpolated at
// `depth`; thickness > 0: the RMS of the samples whose depth lies in
// [depth - thickness / 2, depth + thickness / 2] (at least one row). The
// depth (and the window) must lie within the image: InvalidArgument naming
// the value and the image's range otherwise.
CScan depth_slice(const DepthImage3D& image, double depth, double thickness = 0.0, Device device = Device::automatic);
// The same along time for a cube (the level in s on the cube's clock).
CScan time_slice(const Cube& cube, double time, double window = 0.0, Device device = Device::automatic);

// View level: (n_lines, n_z or n_samples, n_traces) host memory, or device
// memory for the envelope (thickness 0) form. The result has no history.
CScan depth_slice(ConstBScanStackView image, const ImageGrid3D& grid, double depth, double thickness = 0.0,
                  Device device = Device::automatic);
CScan time_slice(ConstBScanStackView cube, const CubeMetadata& metadata, double time, double window = 0.0,
                 Device device = Device::automatic);

}  // namespace gprproc
