#pragma once
// The antenna-offset remap of the f-k plans on the device (Stolt, phase
// shift): the sample positions (migration_detail::offset_positions) copied
// once, a buffer for the zero-offset B-scan, and the dip moveout after it
// when one is set up. The CPU twin is migration_detail::remap_to_zero_offset
// (src/migration_common.hpp).
#include <cstddef>
#include <memory>
#include <vector>

#include "device_buffer.hpp"
#include "migration_cuda.hpp"

namespace gprproc::cuda_backend {

class DeviceOffsetRemap {
 public:
  // Holds nothing when `position` is empty (zero offset, or correction off).
  // Holds no DMO when `dip_moveout` is empty.
  void make(const std::vector<float>& position, std::size_t n_traces, const DipMoveoutSetup& dip_moveout) {
    if (position.empty()) return;
    position_ = DeviceBuffer<float>(position.size());
    position_.copy_from_host(position.data(), position.size());
    remapped_ = DeviceBuffer<float>(position.size() * n_traces);
    n_traces_ = n_traces;
    if (dip_moveout.empty()) return;
    dip_moveout_ = std::make_unique<DipMoveoutDevicePlan>(dip_moveout);
    moved_ = DeviceBuffer<float>(position.size() * n_traces);
  }
  // `in` (device, n_samples x n_traces) itself when there is no remap, else
  // its zero-offset copy, launched on the default stream without waiting.
  const float* apply(const float* in) {
    if (position_.size() == 0) return in;
    launch_resample_rows(in, position_.size(), n_traces_, position_.get(), position_.size(), remapped_.get());
    if (!dip_moveout_) return remapped_.get();
    dip_moveout_->apply(remapped_.get(), moved_.get());
    return moved_.get();
  }

 private:
  DeviceBuffer<float> position_, remapped_, moved_;
  std::unique_ptr<DipMoveoutDevicePlan> dip_moveout_;
  std::size_t n_traces_ = 0;
};

}  // namespace gprproc::cuda_backend
