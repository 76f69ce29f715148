#pragma once
// The temporary files of the writers (docs/FORMAT.md, "Writing never destroys
// data"): their names, the process-wide list of those that exist now (so an
// interrupted command can remove them), the clean-up of those left behind by
// processes that died, and the folder lock writers hold while they replace a file.
#include <mutex>
#include <string>

namespace gprproc::io_detail {

// ".NAME.tmp-<pid>-<host>-<random>" in the folder of `target`: <host> is 8 hex
// digits of a hash of this machine's host name, so the clean-up below never
// takes a live temporary of another machine writing to a shared folder.
std::string temporary_name_for(const std::string& target);

// The registry of this process's temporaries. A writer registers a name before
// it creates the file and forgets it once the file is renamed or removed.
void register_temporary(const std::string& path);
void forget_temporary(const std::string& path);
// While held, no registered temporary is removed by an interrupt (the CLI's
// signal thread takes it before removing them): renames of a temporary onto
// its target, and a whole publish of an output set, run under it. Recursive.
std::unique_lock<std::recursive_mutex> hold_temporaries();
// Unlinks every registered temporary (the caller holds hold_temporaries()).
void remove_registered_temporaries() noexcept;

// Removes the temporaries of `name` in `folder` (".NAME.tmp-<pid>-..." and the
// temporaries of a staged copy, "..NAME.tmp-<pid>-...") whose process is no
// longer running on this host, except those a pending publish journal names
// (output_set.hpp). Best effort: a file that cannot be removed is left.
void remove_stale_temporaries(const std::string& folder, const std::string& name);

// An exclusive lock on a folder for the life of the object: flock(2) on the
// folder itself, or, where the file system cannot lock a folder (NFS), a
// POSIX lock on the file ".gprproc.lock" in it. Every writer holds it while it
// replaces a file there, and across read-copy-rename when adding an HDF5 group,
// so two processes writing the same file never lose each other's work.
class FolderLock {
 public:
  explicit FolderLock(const std::string& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int descriptor_ = -1;
};

// The folder of `path` ("." for a bare name).
std::string folder_of(const std::string& path);
// fsync(2) of a folder, so renames in it survive a power cut; FileError on failure.
void sync_folder(const std::string& folder);

}  // namespace gprproc::io_detail
