// libFuzzer harness: our HDF5 layout (read_bscan, read_image and the group
// listing) on an in-memory file image. Input = the bytes of an HDF5 file.
#include "fuzz_hdf5_support.hpp"
#include "fuzz_support.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/layout_groups.hpp"
#include "io/layout_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gprproc;
  const hid_t file = gprproc_fuzz::open_image(data, size);
  if (file < 0) return 0;
  // As the path-level readers do before reading any attribute.
  bool heaps_ok = true;
  gprproc_fuzz::run([&] {
    heaps_ok = false;
    io_detail::check_global_heaps(data, size, file, "fuzz image");
    heaps_ok = true;
  });
  if (!heaps_ok) {
    H5Fclose(file);
    return 0;
  }
  ReadOptions options;
  options.max_samples = std::size_t{1} << 22;  // 16 MiB of samples: the fuzzer's memory stays small
  options.allow_non_finite = size % 2 == 0;
  gprproc_fuzz::run([&] { io_detail::find_layout_groups(file, "fuzz.h5"); });
  gprproc_fuzz::run([&] { io_detail::read_bscan_open(file, "fuzz.h5", "", options); });
  gprproc_fuzz::run([&] { io_detail::read_image_open(file, "fuzz.h5", "", options); });
  H5Fclose(file);
  H5Eclear2(H5E_DEFAULT);
  return 0;
}
