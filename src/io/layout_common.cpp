#include "io/layout_common.hpp"

#include "gprproc/error.hpp"

namespace gprproc::io_detail {

Handle create_group(hid_t file, const std::string& group, const std::string& where) {
  const std::string what = "creating group " + in_quotes(group) + " in " + where + " failed";
  Handle links = checked(H5Pcreate(H5P_LINK_CREATE), H5Pclose, ErrorCode::io_failure, what);
  check(H5Pset_create_intermediate_group(links.get(), 1), ErrorCode::io_failure, what);
  check(H5Pset_char_encoding(links.get(), H5T_CSET_UTF8), ErrorCode::io_failure, what);
  return checked(H5Gcreate2(file, group.c_str(), links.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                 ErrorCode::io_failure, what);
}

void check_compression_level(int level) {
  if (level < 0 || level > 9) {
    throw InvalidArgument("compression_level must be 0 (none) to 9 (smallest), got " + std::to_string(level));
  }
}

void check_kind(hid_t group, const std::string& kind, const std::string& where) {
  const auto found = read_string_attribute(group, "gprproc_kind", where);
  if (!found || *found == kind) return;
  std::string hint;
  if (*found == "depth_image") hint = "; read it with read_image";
  if (*found == "bscan") hint = "; read it with read_bscan";
  if (*found == "cube") hint = "; read it with read_cube";
  if (*found == "depth_image_3d") hint = "; read it with read_image_3d";
  throw FileError(ErrorCode::file_format, where + " holds a " + *found + ", not a " + kind + hint);
}

double required_number(hid_t group, const char* name, const std::string& where) {
  const auto value = read_number_attribute(group, name, where);
  if (!value) throw FileError(ErrorCode::missing_entry, where + " has no attribute " + in_quotes(name));
  return *value;
}

double optional_number(hid_t group, const char* name, const std::string& where) {
  return read_number_attribute(group, name, where).value_or(0.0);
}

}  // namespace gprproc::io_detail
