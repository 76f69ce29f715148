#pragma once
// Sets an environment variable (or leaves it alone for nullptr) while it lives;
// the previous value comes back after. Tests and gprproc-bench's experiment
// rows use it to switch a CUDA variant that the library reads from the
// environment (GPRPROC_CUDA_*).
#include <cstdlib>
#include <string>

namespace gprproc_test {

class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name), active_(value != nullptr) {
    if (!active_) return;
    const char* before = std::getenv(name);
    had_ = before != nullptr;
    if (had_) before_ = before;
    setenv(name, value, 1);
  }
  ~ScopedEnvironment() {
    if (!active_) return;
    if (had_) setenv(name_.c_str(), before_.c_str(), 1);
    else unsetenv(name_.c_str());
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  std::string name_;
  bool active_, had_ = false;
  std::string before_;
};

}  // namespace gprproc_test
