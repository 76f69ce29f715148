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
  // Holds nothing when `position` is empty (zero offset, or correction off),
  // and no DMO when `dip_moveout` is empty. `result_buffer`: keep a buffer for
  // apply()'s result (plans); without it only apply_into() is used.
  void make(const std::vector<float>& position, std::size_t n_traces, const DipMoveoutSetup& dip_moveout,
            bool result_buffer = true) {
    if (position.empty()) return;
    position_ = DeviceBuffer<float>(position.size());
    position_.copy_from_host(position.data(), position.size());
    remapped_ = DeviceBuffer<float>(position.size() * n_traces);  // the NMO result (apply()'s, without DMO)
    n_traces_ = n_traces;
    if (dip_moveout.empty()) return;
    dip_moveout_ = std::make_unique<DipMoveoutDevicePlan>(dip_moveout);
    if (result_buffer) moved_ = DeviceBuffer<float>(position.size() * n_traces);
  }
  // The remap of `in` (device, n_samples x n_traces), then its DMO, written
  // to `out` (device, same shape, not `in`); launched on the default stream
  // without waiting. Needs a remap (non-empty position).
  void apply_into(const float* in, float* out) {
    float* nmo = dip_moveout_ ? remapped_.get() : out;
    launch_resample_rows(in, position_.size(), n_traces_, position_.get(), position_.size(), nmo);
    if (dip_moveout_) dip_moveout_->apply(nmo, out);
  }
  // `in` itself when there is no remap, else its zero-offset copy in a
  // buffer of this object's (apply_into).
  const float* apply(const float* in) {
    if (position_.size() == 0) return in;
    float* result = dip_moveout_ ? moved_.get() : remapped_.get();
    apply_into(in, result);
    return result;
  }

 private:
  DeviceBuffer<float> position_, remapped_, moved_;
  std::unique_ptr<DipMoveoutDevicePlan> dip_moveout_;
  std::size_t n_traces_ = 0;
};

}  // namespace gprproc::cuda_backend
