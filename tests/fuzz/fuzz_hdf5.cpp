// libFuzzer harness (in CI): our HDF5 layout. The input chooses a valid HDF5
// file with hostile contents (fuzz_hdf5_build.hpp): B-scan and image groups
// with any shapes, types, storage and attributes; read_bscan, read_image and
// the group listing must end in a B-scan or a gprproc::Error.
#define GPRPROC_FUZZ_VALID_FILES 1
#include "fuzz_hdf5_build.hpp"
#include "fuzz_hdf5_support.hpp"
#include "fuzz_support.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/layout_groups.hpp"
#include "io/layout_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gprproc;
  gprproc_fuzz::quiet_hdf5();
  gprproc_fuzz::Bytes in(data, size);
  const hid_t file = gprproc_fuzz::create_memory_file();
  if (file < 0) return 0;
  const char* names[] = {"/bscan", "/line_007", "/survey/day2/line_003", "/migrated"};
  const int groups = 1 + in.u8() % 3;
  for (int k = 0; k < groups; ++k) {
    const hid_t links = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links, 1);
    const hid_t g = H5Gcreate2(file, names[in.u8() % 4], links, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(links);
    if (g < 0) continue;
    const std::uint8_t kind = in.u8() % 5;
    if (kind < 4) {
      const char* kinds[] = {"bscan", "depth_image", "something", ""};
      gprproc_fuzz::string_attribute(g, "gprproc_kind", kinds[kind], in.flag());
    }
    if (in.u8() % 8 != 0) gprproc_fuzz::dataset(g, "data", in);
    for (const char* attribute : {"dt", "dx", "t0", "x0", "antenna_offset", "antenna_height", "center_frequency", "dz",
                                  "z0", "velocity_layer_tops", "velocity_interval"})
      gprproc_fuzz::number_attribute(g, attribute, in);
    if (in.flag()) gprproc_fuzz::string_attribute(g, "history", gprproc_fuzz::history_text(in), in.flag());
    if (in.flag()) gprproc_fuzz::string_attribute(g, "source", in.text(64), in.flag());
    if (in.u8() % 4 == 0) gprproc_fuzz::dataset(g, "positions", in);
    if (in.u8() % 4 == 0) gprproc_fuzz::dataset(g, "marks", in, /*integers=*/true);
    H5Gclose(g);
  }
  const std::vector<std::uint8_t> image = gprproc_fuzz::file_image(file);
  ReadOptions options;
  options.max_samples = std::size_t{1} << 22;  // 16 MiB of samples: the fuzzer's memory stays small
  options.allow_non_finite = in.flag();
  gprproc_fuzz::run([&] { io_detail::check_global_heaps(image.data(), image.size(), file, "fuzz image"); });
  gprproc_fuzz::run([&] { io_detail::find_layout_groups(file, "fuzz.h5"); });
  gprproc_fuzz::run([&] { io_detail::read_bscan_open(file, "fuzz.h5", "", options); });
  gprproc_fuzz::run([&] { io_detail::read_bscan_open(file, "fuzz.h5", "line_007", options); });
  gprproc_fuzz::run([&] { io_detail::read_image_open(file, "fuzz.h5", "", options); });
  H5Fclose(file);
  H5Eclear2(H5E_DEFAULT);
  return 0;
}
