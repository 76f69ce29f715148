#pragma once
// Target detection on a migrated depth image: a focused target is a compact
// bright spot. The rule (docs/DETECTION.md):
//  1. envelope: the Hilbert envelope of each image column along depth (so a
//     focused wavelet of either polarity is one positive blob);
//  2. background level: over the search window (min_depth..max_depth, columns
//     edge_margin in from either end) the median m and the median absolute
//     deviation MAD of the envelope; sigma = 1.4826 MAD (the standard deviation
//     of Gaussian noise);
//  3. candidates: pixels of the search window that are local maxima of the
//     envelope over their 3 x 3 neighbourhood, with
//        envelope >= m + threshold * sigma                (snr >= threshold)
//     and envelope >= relative_threshold * (the window's largest envelope);
//  4. suppression: candidates strongest first; one closer than min_separation
//     (m, Euclidean in x and depth) to an accepted target is dropped; at most
//     max_targets are kept.
// Each target reports x, depth, amplitude (envelope) and
// snr = (amplitude - m) / sigma.
#include <cstddef>
#include <limits>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/image.hpp"

namespace gprproc {

struct DetectOptions {
  double threshold = 8.0;           // k: snr a candidate must reach, > 0
  double relative_threshold = 0.0;  // fraction of the window's largest envelope, in [0, 1]
  double min_separation = 0.10;     // m, > 0
  double min_depth = 0.0;           // m, search window (rows with depth in [min_depth, max_depth])
  double max_depth = std::numeric_limits<double>::infinity();
  double edge_margin = 0.0;         // m, columns this close to either end of the image are ignored
  std::size_t max_targets = 20;     // >= 1
  // Take the Hilbert envelope along depth (true) or |image| (false).
  bool use_envelope = true;
};

struct Target {
  double x = 0.0;          // m
  double depth = 0.0;      // m below the ground surface
  double amplitude = 0.0;  // envelope at the peak
  double snr = 0.0;        // (amplitude - background median) / sigma
  std::size_t row = 0, column = 0;
};

struct Detection {
  std::vector<Target> targets;  // strongest first
  double background_median = 0.0;
  double background_sigma = 0.0;  // 1.4826 MAD
  double level = 0.0;             // the envelope a candidate had to reach
  std::size_t candidates = 0;     // local maxima above the level, before suppression
};

// Throws InvalidArgument naming the bad field.
void validate(const DetectOptions& options);

// View level: `image` is (n_z, n_x), host or device memory; `grid` places it.
Detection detect(ConstBScanView image, const ImageGrid& grid, const DetectOptions& options = {},
                 Device device = Device::automatic);
Detection detect(const DepthImage& image, const DetectOptions& options = {}, Device device = Device::automatic);

// The envelope image the detector searches (host memory), for pictures.
DepthImage detection_envelope(const DepthImage& image, Device device = Device::automatic);

}  // namespace gprproc
