// libFuzzer harness (run by hand, not in CI): the gprMax reader (one output file, /rxs/rx1/Ez)
// on raw in-memory file images. Input = the bytes of an HDF5 file. Mutating
// raw HDF5 metadata mostly exercises libhdf5's own decoder, and libhdf5
// 1.10.8 (Debian 12) has memory-safety bugs there that no caller can prevent
// (docs/FORMAT.md, "Limits"); those our readers can guard against are guarded
// (src/io/hdf5_heap_check.cpp) and kept as regression files in
// tests/io/hostile. CI runs fuzz_gprmax.cpp, which builds valid HDF5 files with
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
  GprMaxOptions options;
  options.max_samples = std::size_t{1} << 22;
  options.dx = size % 2 ? 0.0 : 0.002;  // both the file's spacing and the override
  gprproc_fuzz::run([&] { io_detail::find_gprmax_outputs(file, "fuzz.out"); });
  gprproc_fuzz::run([&] { io_detail::read_gprmax_open(file, "fuzz.out", options); });
  H5Fclose(file);
  H5Eclear2(H5E_DEFAULT);
  return 0;
}
