#pragma once
// Target detection in a 3-D depth image (n_lines, n_z, n_x): the 2-D rule of
// gprproc/detect.hpp in three dimensions (docs/DETECTION.md):
//  1. envelope: the Hilbert envelope along depth of every column of every line;
//  2. background level: median m and sigma = 1.4826 MAD of the envelope over
//     the search window (min_depth..max_depth; edge_margin in from each end of
//     the lines and of the line axis);
//  3. candidates: pixels of the window that are local maxima over their
//     3 x 3 x 3 neighbourhood with envelope >= m + threshold * sigma and
//     >= relative_threshold * the window's largest envelope;
//  4. suppression: strongest first, one closer than min_separation (m,
//     Euclidean in x, y and depth) to an accepted target is dropped; at most
//     max_targets kept.
#include <cstddef>
#include <vector>

#include "gprproc/cube.hpp"
#include "gprproc/detect.hpp"

namespace gprproc {

struct Target3D {
  double x = 0.0, y = 0.0, depth = 0.0;  // m
  double amplitude = 0.0;                // envelope at the peak
  double snr = 0.0;                      // (amplitude - median) / sigma
  std::size_t line = 0, row = 0, column = 0;
};

struct Detection3D {
  std::vector<Target3D> targets;  // strongest first
  double background_median = 0.0;
  double background_sigma = 0.0;
  double level = 0.0;
  std::size_t candidates = 0;
};

Detection3D detect(const DepthImage3D& image, const DetectOptions& options = {}, Device device = Device::automatic);
// View level: (n_lines, n_z, n_x) host or device memory placed by `grid`.
Detection3D detect(ConstBScanStackView image, const ImageGrid3D& grid, const DetectOptions& options = {},
                   Device device = Device::automatic);

// The envelope volume the detector searches (for slices and pictures).
DepthImage3D detection_envelope(const DepthImage3D& image, Device device = Device::automatic);

}  // namespace gprproc
