// The one output writer (src/io/output_file.hpp) and the output sets
// (src/io/output_set.hpp): a target is never an input, never an existing file
// unless allowed, never a folder, FIFO or broken link; a failed write leaves
// the old file byte for byte and no temporary; temporaries of dead processes
// are cleaned; concurrent group adds lose nothing; a set killed at any
// instant never shows two runs' files as one complete set.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "io/output_file.hpp"
#include "io/output_set.hpp"
#include "io/output_temporaries.hpp"
#include "io_test_support.hpp"

using namespace gprproc;
using namespace gprproc::io_detail;
using gprproc_test::ScratchFolder;
namespace fs = std::filesystem;

namespace {

std::string text_of(const std::string& path) {
  const auto bytes = gprproc_test::file_bytes(path);
  return std::string(bytes.begin(), bytes.end());
}

void put(const std::string& path, const std::string& text) {
  gprproc_test::write_bytes(path, std::vector<char>(text.begin(), text.end()));
}

bool has_temporary(const ScratchFolder& folder) {
  for (const auto& name : folder.names())
    if (name.find(".tmp-") != std::string::npos || name.find(".publish") != std::string::npos) return true;
  return false;
}

// Runs `action`, requires an error of type E and code, and returns its message.
template <class E, class Action>
std::string error_of(Action&& action, ErrorCode code) {
  try {
    action();
  } catch (const E& e) {
    CHECK(e.code() == code);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("wrong exception: " << e.what());
  }
  FAIL("no exception");
  return "";
}

// A PID that certainly belonged to a process that has ended.
pid_t dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

const OutputRules keep{false, "pass --overwrite to replace it"};
const OutputRules replace{true, ""};

BScan tiny_bscan(float value) {
  BScanMetadata m;
  m.dt = 1e-11;
  m.dx = 0.01;
  return BScan(std::vector<float>(12, value), 4, 3, m);
}

}  // namespace

TEST_CASE("the writer writes a new file exactly and leaves nothing else", "[io][output]") {
  ScratchFolder folder;
  const std::string path = folder.file("targets.csv");
  write_output_file(path, "rank,x\n1,0.5\n", keep);
  CHECK(text_of(path) == "rank,x\n1,0.5\n");
  CHECK(folder.names() == std::vector<std::string>{"targets.csv"});
}

TEST_CASE("an existing file is replaced only when allowed, keeping its permissions", "[io][output]") {
  ScratchFolder folder;
  const std::string path = folder.file("notes.txt");
  put(path, "my notes\n");
  ::chmod(path.c_str(), 0640);
  const std::string message = error_of<InvalidArgument>([&] { write_output_file(path, "PNG", keep); },
                                                        ErrorCode::invalid_argument);
  CHECK_THAT(message, Catch::Contains("notes.txt") && Catch::Contains("exists") && Catch::Contains("--overwrite"));
  CHECK(text_of(path) == "my notes\n");
  write_output_file(path, "new", replace);
  CHECK(text_of(path) == "new");
  struct stat info;
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0640);
  CHECK(folder.names() == std::vector<std::string>{"notes.txt"});
}

TEST_CASE("an input of the command is never written, by any name, even when replacing is allowed", "[io][output]") {
  ScratchFolder folder;
  fs::create_directories(folder.path() / "sub");
  const std::string input = folder.file("img.h5");
  put(input, "the input");
  fs::create_symlink(input, folder.file("link.h5"));
  fs::create_hard_link(input, folder.file("hard.h5"));
  protect_input(input);
  for (const std::string& target : {input, folder.file("link.h5"), folder.file("hard.h5"), folder.file("sub/../img.h5")}) {
    INFO(target);
    const std::string message = error_of<InvalidArgument>([&] { write_output_file(target, "x", replace); },
                                                          ErrorCode::invalid_argument);
    CHECK_THAT(message, Catch::Contains("never overwrites its input"));
    // The HDF5 group writer refuses it too (the CLI's convert/migrate path).
    error_of<InvalidArgument>([&] { write_bscan(target, tiny_bscan(1.0f), "other"); }, ErrorCode::invalid_argument);
  }
  CHECK(text_of(input) == "the input");
  CHECK(!has_temporary(folder));
  // Other names in the folder are still writable.
  write_output_file(folder.file("out.csv"), "ok", keep);
  CHECK(text_of(folder.file("out.csv")) == "ok");
}

TEST_CASE("a folder, FIFO, broken link, missing folder, empty name or NUL is no output", "[io][output][errors]") {
  ScratchFolder folder;
  fs::create_directories(folder.path() / "dir");
  REQUIRE(::mkfifo(folder.file("fifo").c_str(), 0600) == 0);
  fs::create_symlink(folder.file("nowhere"), folder.file("broken"));
  CHECK_THAT((error_of<FileError>([&] { write_output_file(folder.file("dir"), "x", replace); }, ErrorCode::file_format)),
             Catch::Contains("folder"));
  CHECK_THAT((error_of<FileError>([&] { write_output_file(folder.file("fifo"), "x", replace); }, ErrorCode::file_format)),
             Catch::Contains("FIFO"));
  CHECK_THAT((error_of<FileError>([&] { write_output_file(folder.file("broken"), "x", replace); },
                                  ErrorCode::file_format)),
             Catch::Contains("symbolic link") && Catch::Contains("does not exist"));
  CHECK_THAT((error_of<FileError>([&] { write_output_file(folder.file("no/such/out.png"), "x", keep); },
                                  ErrorCode::file_not_found)),
             Catch::Contains("does not exist"));
  error_of<InvalidArgument>([&] { write_output_file("", "x", keep); }, ErrorCode::invalid_argument);
  const std::string with_nul = folder.file("a") + std::string(1, '\0') + "b.csv";
  CHECK_THAT((error_of<InvalidArgument>([&] { write_output_file(with_nul, "x", keep); }, ErrorCode::invalid_argument)),
             Catch::Contains("NUL"));
  CHECK(!fs::exists(folder.file("a")));
  CHECK(fs::is_symlink(fs::symlink_status(folder.file("broken"))));
  CHECK(!has_temporary(folder));
}

TEST_CASE("readers refuse a FIFO, a device and a path with a NUL instead of blocking or reading another file",
          "[io][output][errors]") {
  ScratchFolder folder;
  REQUIRE(::mkfifo(folder.file("fifo.h5").c_str(), 0600) == 0);
  CHECK_THAT((error_of<FileError>([&] { read_bscan(folder.file("fifo.h5")); }, ErrorCode::file_format)),
             Catch::Contains("FIFO"));
  CHECK_THAT((error_of<FileError>([&] { read_image("/dev/zero"); }, ErrorCode::file_format)),
             Catch::Contains("device"));
  write_bscan(folder.file("a"), tiny_bscan(1.0f));  // what a truncated name would open
  const std::string with_nul = folder.file("a") + std::string(1, '\0') + "b.h5";
  CHECK_THAT((error_of<InvalidArgument>([&] { read_bscan(with_nul); }, ErrorCode::invalid_argument)),
             Catch::Contains("NUL"));
  CHECK_THAT((error_of<InvalidArgument>([&] { write_bscan(with_nul, tiny_bscan(2.0f)); }, ErrorCode::invalid_argument)),
             Catch::Contains("NUL"));
  CHECK(read_bscan(folder.file("a")).samples()[0] == 1.0f);
}

TEST_CASE("a full disk leaves the old file byte for byte and no temporary", "[io][output][errors]") {
  ScratchFolder folder;
  const std::string path = folder.file("picture.png");
  put(path, "the good old picture");
  // A file-size limit stands in for a full disk: the write fails part-way
  // with EFBIG (SIGXFSZ ignored) exactly as ENOSPC would.
  struct rlimit old_limit {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 4096;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
  std::string message;
  try {
    write_output_file(path, std::string(100000, 'x'), replace);
  } catch (const FileError& e) {
    message = e.what();
    CHECK(e.code() == ErrorCode::io_failure);
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  CHECK_THAT(message, Catch::Contains("picture.png") && Catch::Contains("File too large"));
  CHECK(text_of(path) == "the good old picture");
  CHECK(folder.names() == std::vector<std::string>{"picture.png"});
}

TEST_CASE("temporaries of dead processes are removed when their file is next written; live ones stay",
          "[io][output]") {
  ScratchFolder folder;
  const std::string target = folder.file("out.h5");
  const std::string dead = std::to_string(dead_pid());
  const std::string temporary = fs::path(temporary_name_for(target)).filename().string();
  const std::string host = temporary.substr(temporary.find('-', temporary.find(".tmp-") + 5) + 1, 8);
  const std::vector<std::string> stale = {
      ".out.h5.tmp-" + dead + "-" + host + "-00112233aabbccdd",  // an HDF5 write killed part-way
      ".out.h5.tmp-" + dead + "-5e1f",                           // the form before host tags
      "..out.h5.tmp-" + dead + "-" + host + "-0011.tmp-" + dead + "-" + host + "-22"};  // a staged copy's own
  const std::vector<std::string> kept = {
      ".out.h5.tmp-1-" + host + "-aa",                       // pid 1 is alive
      ".out.h5.tmp-" + dead + "-" + (host == "0000beef" ? "0000feed" : "0000beef") + "-bb",  // another host's
      ".other.h5.tmp-" + dead + "-" + host + "-cc"};         // another file's
  for (const auto& name : stale) put(folder.file(name), "partial");
  for (const auto& name : kept) put(folder.file(name), "keep");
  write_bscan(target, tiny_bscan(3.0f));
  for (const auto& name : stale) CHECK_FALSE(fs::exists(folder.file(name)));
  for (const auto& name : kept) CHECK(fs::exists(folder.file(name)));
  CHECK(read_bscan(target).samples()[0] == 3.0f);
}

TEST_CASE("a registered temporary is removed by the interrupt clean-up", "[io][output]") {
  ScratchFolder folder;
  StagedFile file(folder.file("big.png"));
  file.write("partial", 7);
  REQUIRE(fs::exists(file.path()));
  {
    auto hold = hold_temporaries();
    remove_registered_temporaries();  // what the CLI's signal thread does
  }
  CHECK_FALSE(fs::exists(file.path()));
}

TEST_CASE("two processes adding groups to one HDF5 file at once lose none", "[io][output]") {
  ScratchFolder folder;
  const std::string path = folder.file("survey.h5");
  constexpr int per_process = 25;
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int code = 0;
      try {
        for (int k = 0; k < per_process; ++k)
          write_bscan(path, tiny_bscan(float(100 * p + k)), "p" + std::to_string(p) + "_" + std::to_string(k));
      } catch (...) {
        code = 1;
      }
      _exit(code);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  const auto groups = list_groups(path);
  CHECK(groups.size() == std::size_t(2 * per_process));
  for (int p = 0; p < 2; ++p)
    for (int k = 0; k < per_process; ++k)
      CHECK(read_bscan(path, "p" + std::to_string(p) + "_" + std::to_string(k)).samples()[0] == float(100 * p + k));
  CHECK(folder.names() == std::vector<std::string>{"survey.h5"});
}

namespace {

// Two runs' sets: the anchor OUT.h5, a member both write, one each writes alone.
struct RunFiles {
  std::string tag, own_member;
};
const RunFiles run_a{"A", "OUT_a.txt"}, run_b{"B", "OUT_b.txt"};

void publish_run(const ScratchFolder& folder, const RunFiles& run) {
  OutputSet set(folder.file("OUT.h5"), replace);
  put(set.anchor_staging(), run.tag + " anchor");
  set.add(folder.file("OUT_x.txt"), run.tag + " x");
  set.add(folder.file(run.own_member), run.tag + " own");
  set.publish([&] {
    return std::vector<std::string>{folder.file("OUT_x.txt"), folder.file("OUT_a.txt"), folder.file("OUT_b.txt")};
  });
}

// The visible files are one run's complete set, or (only while a journal
// says a publish is under way) a state without the anchor.
void check_one_set(const ScratchFolder& folder, bool journal_allowed) {
  const std::string anchor = folder.file("OUT.h5");
  const bool journal = fs::exists(folder.file(".OUT.h5.publish"));
  if (!journal_allowed) CHECK_FALSE(journal);
  if (!fs::exists(anchor)) {
    CHECK(journal);  // the anchor is away only during a publish
    return;
  }
  const std::string text = text_of(anchor);
  REQUIRE((text == "A anchor" || text == "B anchor"));
  const RunFiles& run = text[0] == 'A' ? run_a : run_b;
  const RunFiles& other = text[0] == 'A' ? run_b : run_a;
  CHECK(text_of(folder.file("OUT_x.txt")) == run.tag + " x");
  CHECK(text_of(folder.file(run.own_member)) == run.tag + " own");
  CHECK_FALSE(fs::exists(folder.file(other.own_member)));
}

}  // namespace

TEST_CASE("an output set replaces the previous set whole, removing its files this one does not write",
          "[io][output][set]") {
  ScratchFolder folder;
  publish_run(folder, run_a);
  check_one_set(folder, false);
  publish_run(folder, run_b);
  check_one_set(folder, false);
  CHECK(text_of(folder.file("OUT.h5")) == "B anchor");
  const std::vector<std::string> expected{"OUT.h5", "OUT_b.txt", "OUT_x.txt"};
  auto names = folder.names();
  std::sort(names.begin(), names.end());
  CHECK(names == expected);
}

TEST_CASE("an output set refuses an input and an existing file before staging anything", "[io][output][set]") {
  ScratchFolder folder;
  put(folder.file("OUT_x.txt"), "someone's file");
  {
    OutputSet set(folder.file("OUT.h5"), keep);
    error_of<InvalidArgument>([&] { set.add(folder.file("OUT_x.txt"), "x"); }, ErrorCode::invalid_argument);
  }
  put(folder.file("in.h5"), "input");
  protect_input(folder.file("in.h5"));
  error_of<InvalidArgument>([&] { OutputSet set(folder.file("in.h5"), replace); }, ErrorCode::invalid_argument);
  CHECK(text_of(folder.file("OUT_x.txt")) == "someone's file");
  CHECK(text_of(folder.file("in.h5")) == "input");
  CHECK(!has_temporary(folder));
}

TEST_CASE("a journal left at any step of a publish is rolled forward to the new set", "[io][output][set]") {
  // The states a kill can leave once the journal is on disk, built by hand
  // from the documented journal format (docs/FORMAT.md, "Output sets").
  for (int done = 0; done <= 5; ++done) {
    INFO("steps done before the kill: " << done);
    ScratchFolder folder;
    publish_run(folder, run_a);
    const std::string staged_anchor = folder.file(".OUT.h5.tmp-999-0000beef-1");
    const std::string staged_x = folder.file(".OUT_x.txt.tmp-999-0000beef-2");
    const std::string staged_b = folder.file(".OUT_b.txt.tmp-999-0000beef-3");
    put(staged_anchor, "B anchor");
    put(staged_x, "B x");
    put(staged_b, "B own");
    put(folder.file(".OUT.h5.publish"),
        "gprproc publish journal 1\nanchor OUT.h5\nremove OUT_a.txt\n"
        "rename .OUT_x.txt.tmp-999-0000beef-2 OUT_x.txt\nrename .OUT_b.txt.tmp-999-0000beef-3 OUT_b.txt\n"
        "rename .OUT.h5.tmp-999-0000beef-1 OUT.h5\nend\n");
    if (done >= 1) fs::remove(folder.file("OUT.h5"));
    if (done >= 2) fs::remove(folder.file("OUT_a.txt"));
    if (done >= 3) fs::rename(staged_x, folder.file("OUT_x.txt"));
    if (done >= 4) fs::rename(staged_b, folder.file("OUT_b.txt"));
    if (done >= 5) fs::rename(staged_anchor, folder.file("OUT.h5"));
    check_one_set(folder, true);  // never two runs' files as a set
    {
      FolderLock lock(folder.path().string());
      complete_pending_publish(folder.file("OUT.h5"));
    }
    check_one_set(folder, false);
    CHECK(text_of(folder.file("OUT.h5")) == "B anchor");
    CHECK(!has_temporary(folder));
  }
}

TEST_CASE("a damaged journal is reported, naming it, and nothing is touched", "[io][output][set]") {
  ScratchFolder folder;
  publish_run(folder, run_a);
  put(folder.file(".OUT.h5.publish"), "gprproc publish journal 1\nanchor OUT.h5\nrename .x OUT.h5\n");  // no end
  const std::string message =
      error_of<FileError>([&] { write_output_file(folder.file("OUT.h5"), "x", replace); }, ErrorCode::file_format);
  CHECK_THAT(message, Catch::Contains(".OUT.h5.publish") && Catch::Contains("cut short"));
  CHECK(text_of(folder.file("OUT.h5")) == "A anchor");
}

TEST_CASE("SIGKILL at random instants of repeated publishes never leaves a mixed set", "[io][output][set]") {
  ScratchFolder folder;
  publish_run(folder, run_a);
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> delay_us(0, 30000);
  for (int round = 0; round < 20; ++round) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        for (int k = 0;; ++k) publish_run(folder, k % 2 ? run_a : run_b);
      } catch (...) {
        _exit(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    check_one_set(folder, true);
    // The next publish completes what was left, and the dead run's
    // temporaries go as stale.
    publish_run(folder, round % 2 ? run_a : run_b);
    check_one_set(folder, false);
    INFO("left: " << [&] {
      std::string all;
      for (const auto& name : folder.names()) all += name + " ";
      return all;
    }());
    CHECK(!has_temporary(folder));
  }
}
