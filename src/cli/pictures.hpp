#pragma once
// PNG panels of the pipeline's stages, with physical axes: B-scans in
// metres and nanoseconds, depth images in metres, detections marked.
#include <string>

#include "gprproc/bscan.hpp"
#include "gprproc/detect.hpp"
#include "gprproc/image.hpp"
#include "gprproc/velocity.hpp"

namespace gprproc::cli {

void write_bscan_png(const std::string& path, const BScan& b, const std::string& title, double clip = 99.0);
// `detection` may be null; its targets are drawn as numbered rings.
void write_image_png(const std::string& path, const DepthImage& image, const std::string& title,
                     const Detection* detection, double clip = 99.5);
void write_velocity_png(const std::string& path, const VelocityScan& scan, const std::string& title);

}  // namespace gprproc::cli
