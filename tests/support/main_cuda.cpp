// Catch2 main of the CUDA tests. Without a usable GPU the tests cannot run:
// say so and exit 77, which CTest reports as "Skipped" (never as passed).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>

#include "gprproc/device.hpp"

int main(int argc, char* argv[]) {
  bool listing = false;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--list", 6) == 0) listing = true;
  if (!listing && !gprproc::cuda_available()) {
    std::printf("SKIPPED: gprproc CUDA tests need a CUDA device; none is usable here (%s)\n",
                gprproc::cuda_device_name().c_str());
    return 77;
  }
  if (!listing) std::printf("CUDA device: %s\n", gprproc::cuda_device_name().c_str());
  return Catch::Session().run(argc, argv);
}
