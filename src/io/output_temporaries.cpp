#include "io/output_temporaries.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "gprproc/error.hpp"
#include "io/output_set.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

namespace {

// 8 hex digits of an FNV-1a hash of the host name.
std::string host_tag() {
  static const std::string tag = [] {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) std::strcpy(name, "unknown");
    std::uint32_t hash = 2166136261u;
    for (const char* p = name; *p != '\0'; ++p) hash = (hash ^ static_cast<unsigned char>(*p)) * 16777619u;
    char text[9];
    std::snprintf(text, sizeof text, "%08x", hash);
    return std::string(text);
  }();
  return tag;
}

bool all_hex(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// The registry: never destroyed, so the CLI's signal thread may use it while
// static objects are torn down at exit.
struct Registry {
  std::recursive_mutex mutex;
  std::set<std::string> paths;
};
Registry& registry() {
  static Registry* instance = new Registry;  // intentionally immortal (see above)
  return *instance;
}

}  // namespace

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string temporary_name_for(const std::string& target) {
  const fs::path path(target);
  std::random_device device;
  char random[17];
  std::snprintf(random, sizeof random, "%08x%08x", static_cast<unsigned>(device()), static_cast<unsigned>(device()));
  const std::string name =
      "." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + host_tag() + "-" + random;
  return (path.parent_path() / name).string();
}

void register_temporary(const std::string& path) {
  std::lock_guard<std::recursive_mutex> hold(registry().mutex);
  registry().paths.insert(path);
}

void forget_temporary(const std::string& path) {
  std::lock_guard<std::recursive_mutex> hold(registry().mutex);
  registry().paths.erase(path);
}

std::unique_lock<std::recursive_mutex> hold_temporaries() {
  return std::unique_lock<std::recursive_mutex>(registry().mutex);
}

void remove_registered_temporaries() noexcept {
  for (const std::string& path : registry().paths) ::unlink(path.c_str());
  registry().paths.clear();
}

void remove_stale_temporaries(const std::string& folder, const std::string& name) {
  const std::string prefixes[] = {"." + name + ".tmp-", ".." + name + ".tmp-"};
  std::vector<std::string> stale;
  DIR* directory = ::opendir(folder.c_str());
  if (directory == nullptr) return;
  while (const dirent* entry = ::readdir(directory)) {
    const std::string entry_name = entry->d_name;
    for (const std::string& prefix : prefixes) {
      if (entry_name.compare(0, prefix.size(), prefix) != 0) continue;
      // <pid>, then "-<host>-<random>" (or a bare "-<random>" from before the
      // host tag, taken as this host's).
      const std::string rest = entry_name.substr(prefix.size());
      std::size_t digits = 0;
      while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
      if (digits == 0 || digits > 9) break;
      const long pid = std::stol(rest.substr(0, digits));
      const std::string tail = rest.substr(digits);
      if (!tail.empty() && tail[0] != '-') break;
      const std::size_t dash = tail.find('-', 1);
      if (dash != std::string::npos) {
        const std::string host = tail.substr(1, dash - 1);
        if (host.size() == 8 && all_hex(host) && host != host_tag()) break;  // another machine's
      }
      if (pid <= 0 || pid == static_cast<long>(::getpid())) break;
      if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) break;  // alive, or not ours to ask
      stale.push_back(entry_name);
      break;
    }
  }
  ::closedir(directory);
  if (stale.empty()) return;
  const std::set<std::string> referenced = names_in_pending_journals(folder);
  for (const std::string& entry : stale) {
    const std::string path = (fs::path(folder) / entry).string();
    if (referenced.count(absolute_normal(path)) == 0) ::unlink(path.c_str());
  }
}

namespace {

// This thread's folder locks, so a writer that already holds a folder's lock
// (a publish completing a journal, say) can take it again without deadlock.
struct HeldLock {
  int descriptor = -1;
  int count = 0;
};
thread_local std::map<std::pair<dev_t, ino_t>, HeldLock> held_locks;

[[noreturn]] void lock_failed(const std::string& folder, const char* step) {
  throw FileError(ErrorCode::io_failure, "cannot lock folder '" + folder + "' for writing (" + step + ": " +
                                             std::strerror(errno) + "); the output was not written");
}

int lock_descriptor(const std::string& folder) {
  const int descriptor = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor >= 0) {
    int status;
    do status = ::flock(descriptor, LOCK_EX);
    while (status != 0 && errno == EINTR);
    if (status == 0) return descriptor;
    const int saved = errno;
    ::close(descriptor);
    errno = saved;
    if (errno != EBADF && errno != ENOLCK && errno != EOPNOTSUPP && errno != EINVAL) lock_failed(folder, "flock");
  }
  // A folder that cannot be opened or flock'ed (NFS emulates flock with
  // byte-range locks, which need a file open for writing): a lock file.
  const std::string lock_path = (fs::path(folder) / ".gprproc.lock").string();
  const int file = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (file < 0) lock_failed(folder, "creating .gprproc.lock");
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  int status;
  do status = ::fcntl(file, F_SETLKW, &whole);
  while (status != 0 && errno == EINTR);
  if (status != 0) {
    const int saved = errno;
    ::close(file);
    errno = saved;
    lock_failed(folder, "fcntl lock");
  }
  return file;
}

}  // namespace

FolderLock::FolderLock(const std::string& folder) {
  struct stat info;
  if (::stat(folder.c_str(), &info) != 0) lock_failed(folder, "stat");
  HeldLock& held = held_locks[{info.st_dev, info.st_ino}];
  if (held.count == 0) {
    try {
      held.descriptor = lock_descriptor(folder);
    } catch (...) {
      held_locks.erase({info.st_dev, info.st_ino});
      throw;
    }
  }
  ++held.count;
  descriptor_ = held.descriptor;
}

FolderLock::~FolderLock() {
  for (auto it = held_locks.begin(); it != held_locks.end(); ++it) {
    if (it->second.descriptor != descriptor_) continue;
    if (--it->second.count == 0) {
      ::close(it->second.descriptor);  // releases the lock
      held_locks.erase(it);
    }
    return;
  }
}

void sync_folder(const std::string& folder) {
  const int descriptor = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) {
    throw FileError(ErrorCode::io_failure, "cannot open folder '" + folder + "' to flush it: " + std::strerror(errno));
  }
  const int status = ::fsync(descriptor);
  const int saved = errno;
  ::close(descriptor);
  // Some file systems cannot flush a folder (EINVAL): their renames are as durable as they get.
  if (status != 0 && saved != EINVAL && saved != EROFS) {
    throw FileError(ErrorCode::io_failure, "flushing folder '" + folder + "' failed: " + std::strerror(saved));
  }
}

}  // namespace gprproc::io_detail
