// libFuzzer harness: the gprMax reader (one output file, /rxs/rx1/Ez) on an
// in-memory file image. Input = the bytes of an HDF5 file.
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
