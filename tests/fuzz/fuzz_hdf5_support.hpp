#pragma once
// Opens fuzz input as an HDF5 file held in memory (the core driver with
// H5Pset_file_image: no temporary files), for the harnesses of our layout and
// of gprMax output.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>

// HDF5 1.10 leaks the buffer of an object header it failed to decode (the
// metadata cache's error path in H5C_protect): a bug in libhdf5 on damaged
// files, not in our code. LeakSanitizer is told to ignore exactly those
// allocation stacks; any other leak still fails the run. (One definition per
// harness binary: each includes this header from its one source file.)
// libhdf5 has no frame pointers, so allocation stacks are taken by the slow
// unwinder, or the suppression could not see H5C_protect. libhdf5 also asks
// malloc for sizes decoded from a damaged file (terabytes): a real malloc
// returns NULL, which HDF5 checks and reports as an error; ASan is told to do
// the same instead of aborting.
extern "C" const char* __lsan_default_suppressions() { return "leak:H5C_protect\n"; }
// The structure-aware harnesses build valid files, on which libhdf5 leaks
// nothing: they keep ASan's fast unwinder (GPRPROC_FUZZ_VALID_FILES).
extern "C" const char* __asan_default_options() {
#ifdef GPRPROC_FUZZ_VALID_FILES
  return "allocator_may_return_null=1";
#else
  return "fast_unwind_on_malloc=0:malloc_context_size=30:allocator_may_return_null=1";
#endif
}

namespace gprproc_fuzz {

// Turns off HDF5's printing of its error stack (once).
inline void quiet_hdf5() {
  static const bool quiet = [] { return H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0; }();
  (void)quiet;
}

// The file id, or a negative id when the bytes are not an HDF5 file HDF5 opens.
inline hid_t open_image(const std::uint8_t* data, std::size_t size) {
  quiet_hdf5();
  if (size == 0) return -1;
  const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  hid_t file = -1;
  // The image is copied into the driver's own buffer; nothing is written back.
  if (H5Pset_fapl_core(fapl, 1 << 16, /*backing_store=*/0) >= 0 &&
      H5Pset_file_image(fapl, const_cast<std::uint8_t*>(data), size) >= 0)
    file = H5Fopen("fuzz_image.h5", H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  H5Eclear2(H5E_DEFAULT);
  return file;
}

}  // namespace gprproc_fuzz
