// libFuzzer harness: MALÅ rd3/rd7 + rad. Input = [u16 LE n][n bytes of rad][data];
// the length's parity picks rd3 (int16) or rd7 (int32) and the time base.
#include "fuzz_support.hpp"
#include "io/vendor_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint8_t *rad = nullptr, *samples = nullptr;
  std::size_t rad_size = 0, samples_size = 0;
  if (!gprproc_fuzz::split(data, size, rad, rad_size, samples, samples_size)) return 0;
  using namespace gprproc;
  const vendor_detail::ByteReader rad_reader(rad, rad_size, "fuzz.rad");
  const vendor_detail::ByteReader data_reader(samples, samples_size, "fuzz.rd3");
  MalaOptions options;
  options.dx = 0.1;  // the real seed is time-triggered: go past the spacing check
  options.time_base = (rad_size & 2) ? MalaTimeBase::sampling_frequency : MalaTimeBase::time_window;
  const int bytes_per_sample = (rad_size & 1) ? 4 : 2;
  return gprproc_fuzz::run([&] { vendor_detail::parse_mala(data_reader, bytes_per_sample, rad_reader, options); });
}
