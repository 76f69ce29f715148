#pragma once
// Finding our groups (those with a `gprproc_kind` attribute) inside a file.
#include <hdf5.h>

#include <string>
#include <vector>

#include "gprproc/io.hpp"

namespace gprproc::io_detail {

// Our B-scan and image groups, found by walking the file, in name order.
std::vector<GroupInfo> find_layout_groups(hid_t file, const std::string& path);
// gprMax receiver outputs, /rxs/rxN/<component>, receivers in numeric order.
std::vector<GroupInfo> find_gprmax_outputs(hid_t file, const std::string& path);

// The group to read: `group` normalized when given (missing_entry listing what
// the file holds when it is not there), otherwise the only group of `kind`,
// or "/bscan" / "/migrated" among several.
std::string resolve_group(hid_t file, const std::string& path, const std::string& group, const std::string& kind);

// "/bscan (bscan, 637 x 64), /migrated (depth_image, 200 x 64)" or the root's names.
std::string describe_contents(hid_t file, const std::string& path);

}  // namespace gprproc::io_detail
