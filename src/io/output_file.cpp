#include "io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "gprproc/error.hpp"
#include "io/input_file.hpp"
#include "io/output_set.hpp"
#include "io/output_temporaries.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

namespace {

struct ProtectedInput {
  std::string shown;      // as the command was given it
  std::string canonical;  // absolute, links and ".." resolved as far as the path exists
};

std::mutex protected_mutex;
std::vector<ProtectedInput>& protected_inputs() {
  static std::vector<ProtectedInput> inputs;
  return inputs;
}

std::string canonical_text(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  if (ec) return path;
  const fs::path resolved = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal().string() : resolved.string();
}

}  // namespace

void protect_input(const std::string& path) {
  if (path.empty() || path.find('\0') != std::string::npos) return;  // rejected when read
  ProtectedInput input;
  input.shown = path;
  input.canonical = canonical_text(path);
  std::lock_guard<std::mutex> hold(protected_mutex);
  protected_inputs().push_back(input);
}

std::string protected_input_matching(const std::string& path) {
  std::lock_guard<std::mutex> hold(protected_mutex);
  if (protected_inputs().empty()) return "";
  const std::string canonical = canonical_text(path);
  struct stat info;
  const bool exists = ::stat(path.c_str(), &info) == 0;
  for (const ProtectedInput& input : protected_inputs()) {
    if (input.canonical == canonical) return input.shown;
    // The same file by another name (hard link): device and inode as they
    // are now, so a deleted input's reused inode matches nothing.
    struct stat now;
    if (exists && ::stat(input.shown.c_str(), &now) == 0 && now.st_dev == info.st_dev && now.st_ino == info.st_ino)
      return input.shown;
  }
  return "";
}

std::string checked_output_target(const std::string& target, const OutputRules& rules) {
  check_path_text(target, "output");
  const std::string quoted = "'" + target + "'";
  std::error_code ec;
  fs::path path(target);
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    // Write through a link to the file it names, keeping the link.
    const fs::path resolved = fs::canonical(path, ec);
    if (ec) {
      const fs::path to = fs::read_symlink(path, ec);
      throw FileError(ErrorCode::file_format, "cannot write " + quoted + ": it is a symbolic link to '" + to.string() +
                                                  "', which does not exist; remove the link or choose another name");
    }
    path = resolved;
  }
  const std::string folder = folder_of(path.string());
  if (!fs::is_directory(folder, ec)) {
    throw FileError(ErrorCode::file_not_found,
                    "cannot write " + quoted + ": folder '" + folder + "' does not exist");
  }
  const std::string input = protected_input_matching(path.string());
  if (!input.empty()) {
    throw InvalidArgument("refusing to write " + quoted + ": it is " +
                          (input == target ? std::string("an input") : "the input '" + input + "'") +
                          " of this command, and gprproc never overwrites its input; choose another output name");
  }
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    if (!S_ISREG(info.st_mode)) {
      throw FileError(ErrorCode::file_format, "cannot write " + quoted + ": it is " + file_kind_text(info.st_mode) +
                                                  ", not a regular file");
    }
    if (!rules.replace_existing) throw InvalidArgument(quoted + " exists; " + rules.replace_hint);
  }
  return path.string();
}

int existing_mode(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

StagedFile::StagedFile(const std::string& target) : target_(target), path_(temporary_name_for(target)) {
  // Registered before it exists, so an interrupt at any instant removes it.
  register_temporary(path_);
  descriptor_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (descriptor_ < 0) {
    const int saved = errno;
    forget_temporary(path_);
    errno = saved;
    done_ = true;
    fail("creating");
  }
}

StagedFile::~StagedFile() {
  if (descriptor_ >= 0) ::close(descriptor_);
  if (!done_) {
    ::unlink(path_.c_str());
    forget_temporary(path_);
  }
}

void StagedFile::fail(const char* step) const {
  throw FileError(ErrorCode::io_failure, "writing '" + target_ + "' failed while " + step + " its temporary file '" +
                                             path_ + "': " + std::strerror(errno) +
                                             "; the target is unchanged and the temporary removed");
}

void StagedFile::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t written = ::write(descriptor_, bytes + done, size - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      if (written == 0) errno = EIO;
      fail("writing");
    }
    done += static_cast<std::size_t>(written);
  }
}

void StagedFile::finish(int mode) {
  if (mode >= 0) ::fchmod(descriptor_, static_cast<mode_t>(mode));  // best effort: some file systems have no modes
  if (::fsync(descriptor_) != 0) fail("flushing");
  const int descriptor = descriptor_;
  descriptor_ = -1;
  if (::close(descriptor) != 0) fail("closing");
}

void StagedFile::publish() {
  {
    auto hold = hold_temporaries();
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("renaming");
    done_ = true;
    forget_temporary(path_);
  }
  try {
    sync_folder(folder_of(target_));
  } catch (const Error&) {
    // The rename is done; a folder that cannot be flushed only makes it less durable.
  }
}

void StagedFile::hand_over() { done_ = true; }

std::string write_output_file(const std::string& target, const std::string& bytes, const OutputRules& rules) {
  const std::string first = checked_output_target(target, rules);  // the usual errors before any lock is taken
  FolderLock lock(folder_of(first));
  complete_pending_publish(first);
  const std::string path = checked_output_target(target, rules);  // again, under the lock
  remove_stale_temporaries(folder_of(path), fs::path(path).filename().string());
  StagedFile file(path);
  file.write(bytes.data(), bytes.size());
  file.finish(existing_mode(path));
  file.publish();
  return path;
}

}  // namespace gprproc::io_detail
