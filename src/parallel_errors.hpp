#pragma once
// Exceptions and OpenMP (internal to src/). An exception that leaves an
// OpenMP parallel region calls std::terminate: the process aborts. Code in a
// parallel region that can throw (a per-thread buffer's allocation, an FFT
// plan's set-up, a push_back) runs through ParallelErrors::run, which keeps the
// first exception; the region's threads go on through every worksharing loop
// (skipping work once something failed, so no thread waits at a barrier for
// one that left), and the caller rethrows after the region:
//
//   ParallelErrors errors;
//   #pragma omp parallel
//   {
//     std::vector<float> buffer;
//     const bool ready = errors.run([&] { buffer.resize(n); });
//   #pragma omp for
//     for (long i = 0; i < count; ++i) {
//       if (!ready || errors.failed()) continue;
//       ...
//     }
//   }
//   errors.rethrow();
#include <atomic>
#include <exception>
#include <mutex>
#include <utility>

namespace gprproc::parallel {

class ParallelErrors {
 public:
  // Runs `f`; true when it returned, false when it threw (the exception is
  // kept if it is the first) or when another thread has failed already.
  template <class F>
  bool run(F&& f) noexcept {
    if (failed()) return false;
    try {
      std::forward<F>(f)();
      return true;
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
      return false;
    }
  }
  bool failed() const noexcept { return failed_.load(std::memory_order_relaxed); }
  // After the parallel region: throws the first exception kept, if any.
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  std::mutex mutex_;
};

}  // namespace gprproc::parallel
