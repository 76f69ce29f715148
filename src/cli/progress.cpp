#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace gprproc::cli {

Progress::Progress(std::string label, int total, bool quiet)
    : label_(std::move(label)),
      total_(std::max(total, 1)),
      enabled_(!quiet && isatty(fileno(stderr))),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() { finish(); }

void Progress::update(int done, const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = done;
  what_ = what;
  if (drawn_) draw();
}

void Progress::draw() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  constexpr int width = 30;
  const int filled = std::clamp(done_ * width / total_, 0, width);
  std::fprintf(stderr, "\r%s [%.*s%*s] %d/%d %6.1fs %-28.28s", label_.c_str(), filled,
               "##############################", width - filled, "", done_, total_, elapsed, what_.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  while (!stop_) {
    draw();
    wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; });
  }
}

void Progress::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace gprproc::cli
