#pragma once
// RAII device memory, and the staging of host or device views for a kernel:
// host data is copied in (and results out); device data is used in place.
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "cuda_check.hpp"
#include "gprproc/bscan.hpp"

namespace gprproc::cuda_backend {

template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count_) GPRPROC_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&ptr_), count_ * sizeof(T)));
  }
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(count_, other.count_);
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
