#pragma once
// Reading a scene's truth file (JSON, docs/DETECTION.md "The truth file") for
// scoring; part of the gprproc::io component.
#include <string>

#include "gprproc/score.hpp"

namespace gprproc {

// The objects and the surveyed lane of a truth file: the "objects" list
// (kind mine / metal debris / stone / root; shapes box, circle for B-scans,
// cylinder, sphere, cuboid for cubes), or the older "targets" (mines) and
// "clutter" lists the shared scenes carry. The lane is "lane" when given,
// else the antenna's first trace midpoint and trace step (B-scans) or the
// "survey" grid (cubes). FileError naming the file and field otherwise.
SceneTruth read_truth(const std::string& path);

}  // namespace gprproc
