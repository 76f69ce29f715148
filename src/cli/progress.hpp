#pragma once
// A progress bar on standard error for work that takes more than a second:
// a ticker thread draws it once a second has passed (and then every 0.2 s),
// only when stderr is a terminal, and never with --quiet.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace gprproc::cli {

class Progress {
 public:
  Progress(std::string label, int total, bool quiet);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // `done` of `total` units finished; `what` names the current one.
  void update(int done, const std::string& what = "");
  // Clears the bar and stops the ticker (also done by the destructor).
  void finish();

 private:
  void draw();  // with mutex_ held
  void tick();
  std::string label_, what_;
  int total_, done_ = 0;
  bool enabled_, drawn_ = false, stop_ = false;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace gprproc::cli
