// Stream-ordered allocation of small device buffers (see device_buffer.hpp).
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "cuda_check.hpp"
#include "device_buffer.hpp"

namespace gprproc::cuda_backend {

namespace {

// Bytes the pool keeps mapped between calls instead of returning them to the
// driver at each synchronisation (CUDA's default keeps none).
constexpr std::uint64_t kKeptBytes = 64ull << 20;

cudaMemPool_t pool_of_current_device() {
  static std::mutex mutex;
  static std::map<int, cudaMemPool_t> pools;  // never destroyed: they live as long as the process
  int device = 0;
  GPRPROC_CUDA_CHECK(cudaGetDevice(&device));
  const std::lock_guard<std::mutex> lock(mutex);
  auto found = pools.find(device);
  if (found != pools.end()) return found->second;
  cudaMemPoolProps props{};
  props.allocType = cudaMemAllocationTypePinned;
  props.location.type = cudaMemLocationTypeDevice;
  props.location.id = device;
  cudaMemPool_t pool = nullptr;
  GPRPROC_CUDA_CHECK(cudaMemPoolCreate(&pool, &props));
  std::uint64_t kept = kKeptBytes;
  GPRPROC_CUDA_CHECK(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &kept));
  pools.emplace(device, pool);
  return pool;
}

}  // namespace

bool small_buffer_pool_enabled() {
  static const bool wanted = [] {
    const char* value = std::getenv("GPRPROC_CUDA_POOL");
    return value == nullptr || std::strcmp(value, "0") != 0;
  }();
  if (!wanted) return false;
  // Some virtualised or older set-ups have no stream-ordered allocator: plain
  // cudaMalloc there (an attribute read, no device work).
  int device = 0, supported = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, device) != cudaSuccess) {
    cudaGetLastError();  // clear the error: the caller falls back to cudaMalloc
    return false;
  }
  return supported != 0;
}

void* allocate_small_buffer(std::size_t bytes) {
  void* ptr = nullptr;
  GPRPROC_CUDA_CHECK(cudaMallocFromPoolAsync(&ptr, bytes, pool_of_current_device(), nullptr));
  return ptr;
}

void release_small_buffer(void* ptr) noexcept { cudaFreeAsync(ptr, nullptr); }

}  // namespace gprproc::cuda_backend
