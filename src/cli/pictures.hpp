#pragma once
// PNG panels of the pipeline's stages, with physical axes: B-scans in
// metres and nanoseconds, depth images in metres, detections marked. Each
// returns the file's bytes, for the output writer (outputs.hpp).
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity.hpp"

namespace gprproc::cli {

std::string bscan_png(const BScan& b, const std::string& title, double clip = 99.0);
// `detection` may be null; its targets are drawn as numbered rings.
std::string image_png(const DepthImage& image, const std::string& title, const Detection* detection,
                      double clip = 99.5);
std::string velocity_png(const VelocityScan& scan, const std::string& title);

}  // namespace gprproc::cli
