#pragma once
// Writing that never destroys data: a new file is built under a temporary name
// beside the target (holding a copy of everything else the target held) and
// renamed over the target only once complete and closed.
#include <hdf5.h>

#include <functional>
#include <string>

namespace gprproc::io_detail {

// "/a/b" from "a/b", "/a/b" or "a/b/"; InvalidArgument for "", "/", "a//b",
// "." or ".." parts.
std::string normalize_group_name(const std::string& group);

// Writes `group` (normalized) into the file at `path` by calling
// `write_group(file, group)` on the new file, after copying every other object
// (and root attributes) from the existing file. Errors: an existing target
// that is not HDF5 (file_format), an existing group without overwrite
// (InvalidArgument), a missing folder (file_not_found), HDF5 or file-system
// failures (io_failure). On any error the temporary file is removed and the
// original is left untouched.
void write_group_safely(const std::string& path, const std::string& group, bool overwrite_group,
                        const std::function<void(hid_t file, const std::string& group)>& write_group);

// The temporary name used for `path` (".NAME.tmp-<pid>-<random>" in its folder).
std::string temporary_name_for(const std::string& path);

}  // namespace gprproc::io_detail
