#pragma once
// RAII device memory, and the staging of host or device views for a kernel:
// host data is copied in (and results out); device data is used in place.
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "cuda_check.hpp"
#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

// Buffers up to kSmallBufferBytes (non-finite flags, per-row sums, shift and
// weight tables) come from a stream-ordered pool (cuda/small_buffer_pool.cu):
// cudaMalloc + cudaFree cost tens of microseconds per call, and cudaFree waits
// for the whole device, which at a field B-scan is as long as the kernel.
// GPRPROC_CUDA_POOL=0 turns the pool off (plain cudaMalloc), for comparison;
// devices without memory-pool support use cudaMalloc too.
// Larger buffers (the data itself, FFT work, textures) use cudaMalloc.
constexpr std::size_t kSmallBufferBytes = 1u << 20;
bool small_buffer_pool_enabled();
void* allocate_small_buffer(std::size_t bytes);   // on the default stream
void release_small_buffer(void* ptr) noexcept;    // stream-ordered on the default stream

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (!count_) return;
    const std::size_t bytes = count_ * sizeof(T);
    pooled_ = bytes <= kSmallBufferBytes && small_buffer_pool_enabled();
    if (pooled_) ptr_ = static_cast<T*>(allocate_small_buffer(bytes));
    else GPRPROC_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), bytes));
  }
  ~DeviceBuffer() {
    if (!ptr_) return;
    if (pooled_) release_small_buffer(ptr_);
    else cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)),
        count_(std::exchange(other.count_, 0)),
        pooled_(std::exchange(other.pooled_, false)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(count_, other.count_);
    std::swap(pooled_, other.pooled_);
    return *this;
  }

  T* get() const { return ptr_; }
  std::size_t size() const { return count_; }
  void copy_from_host(const T* host, std::size_t count, cudaStream_t stream = nullptr) {
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(ptr_, host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
  }
  void copy_to_host(T* host, std::size_t count, cudaStream_t stream = nullptr) const {
    GPRPROC_CUDA_CHECK(cudaMemcpyAsync(host, ptr_, count * sizeof(T), cudaMemcpyDeviceToHost, stream));
  }

 private:
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
  bool pooled_ = false;
};

// The device-side input of a kernel: the caller's device pointer, or a copy of
// the caller's host samples.
class DeviceInput {
 public:
  explicit DeviceInput(ConstBScanView view, cudaStream_t stream = nullptr) : view_(view) {
    if (view.memory == Memory::host) {
      staged_ = DeviceBuffer<float>(view.size());
      staged_.copy_from_host(view.samples, view.size(), stream);
    }
  }
  const float* get() const { return view_.memory == Memory::host ? staged_.get() : view_.samples; }

 private:
  ConstBScanView view_;
  DeviceBuffer<float> staged_;
};

// The device-side output of a kernel: the caller's device pointer, or a
// buffer copied to the caller's host memory by finish().
class DeviceOutput {
 public:
  explicit DeviceOutput(BScanView view) : view_(view) {
    if (view.memory == Memory::host) staged_ = DeviceBuffer<float>(view.size());
  }
  float* get() const { return view_.memory == Memory::host ? staged_.get() : view_.samples; }
  // Copies back to the host (when staged) and waits for the stream.
  void finish(cudaStream_t stream = nullptr) {
    if (view_.memory == Memory::host) staged_.copy_to_host(view_.samples, view_.size(), stream);
    GPRPROC_CUDA_CHECK(cudaStreamSynchronize(stream));
  }

 private:
  BScanView view_;
  DeviceBuffer<float> staged_;
};

}  // namespace gprproc::cuda_backend
