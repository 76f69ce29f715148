#pragma once
// Writing that never destroys data: a new file is built in memory (holding a
// copy of everything else the target held), written through the shared output
// writer (output_file.hpp: temporary beside the target, checked writes, fsync,
// rename) and renamed over the target only once complete and closed.
#include <hdf5.h>

#include <functional>
#include <string>

#include "io/output_temporaries.hpp"  // temporary_name_for

namespace gprproc::io_detail {

// "/a/b" from "a/b", "/a/b" or "a/b/"; InvalidArgument for "", "/", "a//b",
// "." or ".." parts.
std::string normalize_group_name(const std::string& group);

// Writes `group` (normalized) into the file at `path` by calling
// `write_group(file, group)` on the new file, after copying every other object
// (and root attributes) from the existing file. The folder lock is held from
// reading the target to the rename, so concurrent writers adding groups to one
// file lose nothing. Errors: an existing target that is not HDF5, a folder,
// FIFO or device (file_format), an existing group without overwrite or a
// protected input of the running command (InvalidArgument), a missing folder
// (file_not_found), HDF5 or file-system failures (io_failure). On any error the
// temporary file is removed and the original is left untouched.
void write_group_safely(const std::string& path, const std::string& group, bool overwrite_group,
                        const std::function<void(hid_t file, const std::string& group)>& write_group);

}  // namespace gprproc::io_detail
