#pragma once
// The files of one run published together (docs/FORMAT.md, "Output sets"):
// `gprproc process` writes OUT.h5 with OUT_targets.csv/json and PNG panels
// beside it, and a kill at any instant must never leave files of two runs
// looking like one complete set.
//
// Every file is first staged complete (written, flushed, closed) under a
// temporary name. Then, under the folder lock, a journal ".OUT.h5.publish"
// listing the renames and removals is written and flushed, and executed in an
// order that keeps the anchor (OUT.h5) away while the set changes: the old
// anchor is removed, then the previous set's files this one does not replace,
// then the members are renamed into place, the anchor last, and the journal
// is removed. So whenever the anchor exists, every member beside it is of the
// anchor's run. A run killed after the journal was written is completed (rolled
// forward: its staged files are all complete) by the next gprproc run that
// writes or reads the anchor; one killed before it left only temporaries,
// which are removed as stale.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "io/output_file.hpp"

namespace gprproc::io_detail {

class OutputSet {
 public:
  // Completes a pending publish of `anchor` (under the folder lock) and
  // checks the anchor as a target (checked_output_target).
  OutputSet(const std::string& anchor, const OutputRules& rules);
  ~OutputSet();  // removes every staged file unless the journal took them
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // A temporary name beside the anchor, registered for removal, for the
  // anchor's contents: the caller writes it (e.g. with write_bscan) before
  // publish(). It does not exist yet.
  const std::string& anchor_staging() const { return anchor_staging_; }
  // Checks `target` (as checked_output_target, and not a member already) and
  // stages `bytes` for it now.
  void add(const std::string& target, const std::string& bytes);
  // Publishes as described at the top. `previous_members`, called under the
  // lock, names files of the set being replaced; those this set does not
  // replace are removed with it (never a protected input).
  void publish(const std::function<std::vector<std::string>()>& previous_members = {});

 private:
  struct Member {
    std::string given, target, staged;
  };
  std::string anchor_given_, anchor_;
  OutputRules rules_;
  std::string anchor_staging_;
  std::vector<Member> members_;
  bool taken_ = false;  // the journal (or the renames) own the staged files
};

// ".NAME.publish" beside `anchor`.
std::string journal_path_for(const std::string& anchor);

// Completes (rolls forward) the interrupted publish whose anchor is `anchor`,
// when its journal exists; the caller holds the folder lock. FileError naming
// the journal when it is damaged or a step fails.
void complete_pending_publish(const std::string& anchor);

// The staged files (absolute, normalised paths) that the pending journals in
// `folder` name: the stale-temporary clean-up leaves them for the roll-forward.
std::set<std::string> names_in_pending_journals(const std::string& folder);

// Absolute and lexically normalised (no "." or ".."), for comparing paths.
std::string absolute_normal(const std::string& path);

}  // namespace gprproc::io_detail
