// libFuzzer harness (in CI): the gprMax reader. The input chooses a valid
// HDF5 file laid out as gprMax writes (fuzz_hdf5_build.hpp): root attributes
// dt, gprMax, dx_dy_dz or "dx, dy, dz", rxsteps; /rxs/rx1 with a Position and
// an Ez of any shape, type and storage; /srcs/src1. read_gprmax must end in a
// B-scan or a gprproc::Error.
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
  gprproc_fuzz::number_attribute(file, "dt", in);
  gprproc_fuzz::number_attribute(file, in.flag() ? "dx_dy_dz" : "dx, dy, dz", in);
  gprproc_fuzz::number_attribute(file, "rxsteps", in);
  if (in.flag()) gprproc_fuzz::string_attribute(file, "gprMax", in.text(16), in.flag());
  const hid_t links = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(links, 1);
  const hid_t rx = H5Gcreate2(file, in.flag() ? "/rxs/rx1" : "/rxs/rx2", links, H5P_DEFAULT, H5P_DEFAULT);
  if (rx >= 0) {
    gprproc_fuzz::number_attribute(rx, "Position", in);
    if (in.u8() % 8 != 0) gprproc_fuzz::dataset(rx, "Ez", in);
    if (in.flag()) gprproc_fuzz::dataset(rx, "Ex", in);
    H5Gclose(rx);
  }
  if (in.flag()) {
    const hid_t src = H5Gcreate2(file, in.flag() ? "/srcs/src1" : "/tls/tl1", links, H5P_DEFAULT, H5P_DEFAULT);
    if (src >= 0) {
      gprproc_fuzz::number_attribute(src, "Position", in);
      H5Gclose(src);
    }
  }
  H5Pclose(links);
  const std::vector<std::uint8_t> image = gprproc_fuzz::file_image(file);
  GprMaxOptions options;
  options.max_samples = std::size_t{1} << 22;
  options.dx = in.flag() ? 0.0 : 0.002;  // both the file's spacing and the override
  options.allow_non_finite = in.flag();
  gprproc_fuzz::run([&] { io_detail::check_global_heaps(image.data(), image.size(), file, "fuzz image"); });
  gprproc_fuzz::run([&] { io_detail::find_gprmax_outputs(file, "fuzz.out"); });
  gprproc_fuzz::run([&] { io_detail::read_gprmax_open(file, "fuzz.out", options); });
  H5Fclose(file);
  H5Eclear2(H5E_DEFAULT);
  return 0;
}
