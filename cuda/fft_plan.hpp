#pragma once
// A cuFFT plan handle destroyed with its owner (the Kirchhoff, Stolt,
// phase-shift and dip-moveout plans). make() hands out the handle to create the plan in.
#include <cufft.h>

namespace gprproc::cuda_backend {

class FftPlan {
 public:
  FftPlan() = default;
  ~FftPlan() {
    if (made_) cufftDestroy(handle_);
  }
  FftPlan(const FftPlan&) = delete;
  FftPlan& operator=(const FftPlan&) = delete;
  cufftHandle* make() {
    made_ = true;
    return &handle_;
  }
  cufftHandle get() const { return handle_; }

 private:
  cufftHandle handle_ = 0;
  bool made_ = false;
};

}  // namespace gprproc::cuda_backend
