#pragma once
// The one way gprproc writes a file (HDF5, CSV, JSON, PNG: docs/FORMAT.md,
// "Writing never destroys data"): the target is checked (never an input of
// the command, never an existing file unless replacing is allowed, never a
// folder, FIFO or device), the bytes go to a temporary name beside it with
// every write, the fsync and the close checked, and only then is the
// temporary renamed over the target. On any failure the old file is as it was
// and no temporary remains.
#include <string>
#include <sys/types.h>
#include <vector>

namespace gprproc::io_detail {

// Paths no writer of this process may write, whatever it is asked: the inputs
// of the running command (the CLI registers each one it reads). Compared by
// path (after resolving symbolic links and "..") and, for existing files, by
// device and inode, so a hard link or a symbolic link to an input is caught too.
void protect_input(const std::string& path);
// The protected input `path` is (as registered), or "" when none.
std::string protected_input_matching(const std::string& path);

struct OutputRules {
  bool replace_existing = false;  // an existing file may be replaced
  // Said after "'NAME' exists; " when an existing file may not be replaced.
  std::string replace_hint = "pass --overwrite to replace it";
};

// Checks that `target` may be written and returns the path to write: a
// symbolic link to an existing file is followed (the link is kept). Errors:
// InvalidArgument for an empty path or one with a NUL, a protected input, an
// existing file that may not be replaced; FileError file_not_found for a
// missing folder, file_format for a folder, FIFO, device, socket or a broken
// symbolic link at the target.
std::string checked_output_target(const std::string& target, const OutputRules& rules);

// A file under construction: a temporary beside `target` (already checked),
// created exclusively and registered for removal on interrupt; removed by the
// destructor unless published or handed over.
class StagedFile {
 public:
  explicit StagedFile(const std::string& target);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // Writes all of it (retrying short writes); FileError io_failure naming the
  // target and the system's reason (disk full, file too large, ...).
  void write(const void* data, std::size_t size);
  // Sets the permissions (when `mode` is not -1), flushes to disk and closes,
  // each checked. The temporary is then complete.
  void finish(int mode = -1);
  // Renames the finished temporary over the target and flushes the folder.
  void publish();
  // Hands the finished temporary to an output set's journal: the destructor
  // no longer removes it.
  void hand_over();

  const std::string& path() const { return path_; }
  const std::string& target() const { return target_; }

 private:
  [[noreturn]] void fail(const char* step) const;
  std::string target_, path_;
  int descriptor_ = -1;
  bool done_ = false;
};

// Permission bits of an existing file (to keep them on replace), or -1.
int existing_mode(const std::string& path);

// Writes `bytes` to `target` as described at the top, under the folder's lock,
// after completing a pending publish of `target` and removing temporaries of
// `target` left by dead processes. Returns the path written (links followed).
std::string write_output_file(const std::string& target, const std::string& bytes, const OutputRules& rules);

}  // namespace gprproc::io_detail
