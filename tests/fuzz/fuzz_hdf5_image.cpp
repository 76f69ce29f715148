// libFuzzer harness (run by hand, not in CI): our HDF5 layout (read_bscan, read_image and the group listing)
// on raw in-memory file images. Input = the bytes of an HDF5 file. Mutating
// raw HDF5 metadata mostly exercises libhdf5's own decoder, and libhdf5
// 1.10.8 (Debian 12) has memory-safety bugs there that no caller can prevent
// (docs/FORMAT.md, "Limits"); those our readers can guard against are guarded
// (src/io/hdf5_heap_check.cpp) and kept as regression files in
// tests/io/hostile. CI runs fuzz_hdf5.cpp, which builds valid HDF5 files with
// hostile contents instead.
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
