#include "io/output_set.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gprproc/error.hpp"
#include "io/output_temporaries.hpp"

namespace gprproc::io_detail {

namespace fs = std::filesystem;

namespace {

constexpr const char* journal_header = "gprproc publish journal 1";

// The journal's entries, in the order they are carried out.
struct Journal {
  std::string anchor;                                   // absolute
  std::vector<std::string> removals;                    // absolute
  std::vector<std::pair<std::string, std::string>> renames;  // staged -> target, absolute; the anchor last
};

// Paths are written relative to the journal's folder when they lie in it (so
// a moved folder keeps a valid journal), percent-encoded so spaces, newlines
// and other odd bytes in names survive the line format.
std::string encode(const std::string& path, const std::string& folder) {
  std::string text = path;
  const std::string prefix = folder + "/";
  if (text.compare(0, prefix.size(), prefix) == 0 && text.find('/', prefix.size()) == std::string::npos)
    text = text.substr(prefix.size());
  std::string out;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == '%' || c == 0x7f) {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool decode(const std::string& text, const std::string& folder, std::string& path) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] != '%') {
      out += text[k];
      continue;
    }
    if (k + 2 >= text.size()) return false;
    const std::string hex = text.substr(k + 1, 2);
    if (hex.size() != 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[1])))
      return false;
    out += static_cast<char>(std::stoi(hex, nullptr, 16));
    k += 2;
  }
  if (out.empty() || out.find('\0') != std::string::npos) return false;
  path = out[0] == '/' ? out : folder + "/" + out;
  return true;
}

std::string journal_text(const Journal& journal, const std::string& folder) {
  std::ostringstream text;
  text << journal_header << "\n";
  text << "anchor " << encode(journal.anchor, folder) << "\n";
  for (const auto& path : journal.removals) text << "remove " << encode(path, folder) << "\n";
  for (const auto& [staged, target] : journal.renames)
    text << "rename " << encode(staged, folder) << " " << encode(target, folder) << "\n";
  text << "end\n";
  return text.str();
}

[[noreturn]] void damaged(const std::string& journal, const std::string& why) {
  throw FileError(ErrorCode::file_format,
                  "the publish journal '" + journal + "' is damaged (" + why +
                      "); check the files it names by hand, then remove it");
}

// Reads a journal; the anchor's rename must be the last entry.
Journal read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(ErrorCode::io_failure, "cannot read the publish journal '" + path + "'");
  const std::string folder = absolute_normal(folder_of(path));
  Journal journal;
  std::string line;
  if (!std::getline(in, line) || line != journal_header) damaged(path, "no journal header");
  bool ended = false;
  while (std::getline(in, line)) {
    if (ended) damaged(path, "text after the end line");
    if (line == "end") {
      ended = true;
      continue;
    }
    std::istringstream words(line);
    std::string verb, first, second, extra;
    words >> verb >> first >> second >> extra;
    std::string a, b;
    if (verb == "anchor" && second.empty() && decode(first, folder, a) && journal.anchor.empty()) {
      journal.anchor = a;
    } else if (verb == "remove" && second.empty() && decode(first, folder, a)) {
      journal.removals.push_back(a);
    } else if (verb == "rename" && extra.empty() && decode(first, folder, a) && decode(second, folder, b)) {
      journal.renames.emplace_back(a, b);
    } else {
      damaged(path, "unreadable line '" + line.substr(0, 80) + "'");
    }
  }
  if (!ended) damaged(path, "no end line: it was cut short");
  if (journal.anchor.empty() || journal.renames.empty() || journal.renames.back().second != journal.anchor)
    damaged(path, "the anchor's rename is not the last entry");
  return journal;
}

bool exists_no_follow(const std::string& path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0;
}

void remove_file(const std::string& path, const std::string& journal) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw FileError(ErrorCode::io_failure, "publishing the outputs of journal '" + journal + "' failed removing '" +
                                               path + "': " + std::strerror(errno) +
                                               "; the next gprproc run writing them completes it");
  }
}

// Carries out a journal (fresh or left by a killed run): idempotent, so a
// kill during it leaves a journal that can be carried out again.
void execute(const Journal& journal, const std::string& journal_path) {
  const std::string& staged_anchor = journal.renames.back().first;
  if (exists_no_follow(staged_anchor)) {
    remove_file(journal.anchor, journal_path);
    for (const std::string& path : journal.removals) remove_file(path, journal_path);
    for (const auto& [staged, target] : journal.renames) {
      if (!exists_no_follow(staged)) continue;  // renamed before the kill
      if (::rename(staged.c_str(), target.c_str()) != 0) {
        throw FileError(ErrorCode::io_failure, "publishing the outputs of journal '" + journal_path +
                                                   "' failed renaming '" + staged + "' to '" + target + "': " +
                                                   std::strerror(errno) +
                                                   "; the next gprproc run writing them completes it");
      }
      forget_temporary(staged);
    }
  }
  std::set<std::string> folders;
  for (const auto& entry : journal.renames) folders.insert(folder_of(entry.second));
  for (const std::string& folder : folders) sync_folder(folder);
  remove_file(journal_path, journal_path);
  sync_folder(folder_of(journal_path));
}

}  // namespace

std::string absolute_normal(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  std::string text = (ec ? fs::path(path) : absolute).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

std::string journal_path_for(const std::string& anchor) {
  const fs::path path(anchor);
  return (path.parent_path() / ("." + path.filename().string() + ".publish")).string();
}

void complete_pending_publish(const std::string& anchor) {
  const std::string journal = journal_path_for(anchor);
  if (!exists_no_follow(journal)) return;
  const Journal entries = read_journal(journal);
  if (entries.anchor != absolute_normal(anchor))
    damaged(journal, "it names the anchor '" + entries.anchor + "', not '" + absolute_normal(anchor) + "'");
  execute(entries, journal);
}

std::set<std::string> names_in_pending_journals(const std::string& folder) {
  std::set<std::string> names;
  DIR* directory = ::opendir(folder.c_str());
  if (directory == nullptr) return names;
  std::vector<std::string> journals;
  const std::string suffix = ".publish";
  while (const dirent* entry = ::readdir(directory)) {
    const std::string name = entry->d_name;
    if (name.size() > suffix.size() + 1 && name[0] == '.' &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      journals.push_back((fs::path(folder) / name).string());
  }
  ::closedir(directory);
  for (const std::string& journal : journals) {
    try {
      for (const auto& entry : read_journal(journal).renames) names.insert(absolute_normal(entry.first));
    } catch (const Error&) {
      // A damaged journal is reported when its anchor is written; it protects nothing.
    }
  }
  return names;
}

OutputSet::OutputSet(const std::string& anchor, const OutputRules& rules) : anchor_given_(anchor), rules_(rules) {
  const std::string first = checked_output_target(anchor, rules);
  {
    FolderLock lock(folder_of(first));
    complete_pending_publish(first);
  }
  anchor_ = absolute_normal(checked_output_target(anchor, rules));
  anchor_staging_ = temporary_name_for(anchor_);
  register_temporary(anchor_staging_);
}

OutputSet::~OutputSet() {
  if (taken_) return;
  auto hold = hold_temporaries();
  ::unlink(anchor_staging_.c_str());
  forget_temporary(anchor_staging_);
  for (const Member& m : members_) {
    ::unlink(m.staged.c_str());
    forget_temporary(m.staged);
  }
}

void OutputSet::add(const std::string& target, const std::string& bytes) {
  const std::string path = absolute_normal(checked_output_target(target, rules_));
  if (path == anchor_) throw InvalidArgument("output '" + target + "' is the set's main file '" + anchor_given_ + "'");
  for (const Member& m : members_)
    if (m.target == path) throw InvalidArgument("output '" + target + "' is named twice in one run");
  StagedFile file(path);
  file.write(bytes.data(), bytes.size());
  file.finish(existing_mode(path));
  // From here the set removes the staged file (destructor) or publishes it;
  // it stays registered, so an interrupt before the journal removes it too.
  file.hand_over();
  members_.push_back({target, path, file.path()});
}

void OutputSet::publish(const std::function<std::vector<std::string>()>& previous_members) {
  struct stat info;
  if (::stat(anchor_staging_.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    throw FileError(ErrorCode::io_failure, "the contents of '" + anchor_given_ + "' were not staged");
  const std::string folder = folder_of(anchor_);
  FolderLock lock(folder);
  complete_pending_publish(anchor_);
  // Again under the lock: a file may have appeared since the checks.
  checked_output_target(anchor_given_, rules_);
  for (const Member& m : members_) checked_output_target(m.given, rules_);

  Journal journal;
  journal.anchor = anchor_;
  std::vector<std::string> stale_names;  // files whose dead runs' temporaries go now
  if (previous_members) {
    for (const std::string& old : previous_members()) {
      const std::string path = absolute_normal(old);
      stale_names.push_back(path);
      bool member = path == anchor_;
      for (const Member& m : members_) member = member || m.target == path;
      if (member || !protected_input_matching(path).empty()) continue;
      struct stat old_info;
      if (::lstat(path.c_str(), &old_info) == 0 && S_ISREG(old_info.st_mode)) journal.removals.push_back(path);
    }
  }
  for (const Member& m : members_) journal.renames.emplace_back(m.staged, m.target);
  journal.renames.emplace_back(anchor_staging_, anchor_);

  const std::string journal_path = journal_path_for(anchor_);
  stale_names.push_back(journal_path);
  stale_names.push_back(anchor_);
  for (const Member& m : members_) stale_names.push_back(m.target);
  for (const std::string& path : stale_names)
    remove_stale_temporaries(folder_of(path), fs::path(path).filename().string());

  // No interrupt removes a staged file from here on: the journal names them.
  auto hold = hold_temporaries();
  {
    StagedFile file(journal_path);
    const std::string text = journal_text(journal, absolute_normal(folder));
    file.write(text.data(), text.size());
    file.finish();
    file.publish();
  }
  sync_folder(folder);  // the journal, and the renames that staged the anchor, are on disk
  taken_ = true;
  forget_temporary(anchor_staging_);
  for (const Member& m : members_) forget_temporary(m.staged);
  execute(journal, journal_path);
}

}  // namespace gprproc::io_detail
