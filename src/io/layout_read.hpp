#pragma once
// The readers on a file that is already open (an HDF5 file image in memory,
// as the fuzz harnesses pass it): the path-level readers of io.hpp open the
// file and call these. `name` stands for the file in messages.
#include <hdf5.h>

#include <string>

#include "gprproc/io.hpp"

namespace gprproc::io_detail {

BScan read_bscan_open(hid_t file, const std::string& name, const std::string& group, const ReadOptions& options);
DepthImage read_image_open(hid_t file, const std::string& name, const std::string& group, const ReadOptions& options);
// One gprMax output file (no series).
BScan read_gprmax_open(hid_t file, const std::string& name, const GprMaxOptions& options);

}  // namespace gprproc::io_detail
