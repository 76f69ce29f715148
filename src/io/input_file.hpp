#pragma once
// Checks every reader makes before opening a path: no NUL inside it (C APIs
// would silently read the shorter name before it) and, where something
// exists, a regular file: a FIFO would block the open forever, a device or a
// folder is no data file. Header-only, so the vendor readers' fuzz library
// needs nothing more.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "gprproc/error.hpp"

namespace gprproc::io_detail {

// "a folder", "a FIFO (named pipe)", ... for the file-type bits of st_mode.
inline const char* file_kind_text(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  return "not a regular file";
}

// InvalidArgument when `path` holds a NUL character; `role` says which path
// it is ("file", "output").
inline void check_no_nul(const std::string& path, const std::string& role) {
  const std::size_t nul = path.find('\0');
  if (nul != std::string::npos) {
    throw InvalidArgument(role + " path '" + path.substr(0, nul) + "\\0" + path.substr(nul + 1) +
                          "' contains a NUL character at position " + std::to_string(nul) +
                          "; a file name cannot hold one");
  }
}

// check_no_nul, and InvalidArgument for an empty path.
inline void check_path_text(const std::string& path, const std::string& role) {
  if (path.empty()) throw InvalidArgument(role + " path is empty");
  check_no_nul(path, role);
}

// check_no_nul, then FileError(file_format) when `path` exists (following
// symbolic links) but is not a regular file. A missing path passes: the
// reader reports it in its own words (or takes it as a series base name).
inline void check_input_file(const std::string& path, const std::string& role = "file") {
  check_no_nul(path, role);
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return;
  if (!S_ISREG(info.st_mode)) {
    throw FileError(ErrorCode::file_format, "cannot read " + role + " '" + path + "': it is " +
                                                file_kind_text(info.st_mode) + ", not a regular file");
  }
}

}  // namespace gprproc::io_detail
