#pragma once
// Pieces shared by the B-scan and image halves of our layout.
#include <hdf5.h>

#include <string>

#include "io/hdf5_support.hpp"

namespace gprproc::io_detail {

// Creates `group` (with any missing parents), names in UTF-8.
Handle create_group(hid_t file, const std::string& group, const std::string& where);

// InvalidArgument unless 0 <= level <= 9.
void check_compression_level(int level);

// The kind attribute must be absent or equal to `kind`.
void check_kind(hid_t group, const std::string& kind, const std::string& where);

// A required number attribute: missing_entry when absent.
double required_number(hid_t group, const char* name, const std::string& where);
double optional_number(hid_t group, const char* name, const std::string& where);

}  // namespace gprproc::io_detail
