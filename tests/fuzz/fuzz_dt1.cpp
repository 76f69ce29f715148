// libFuzzer harness: pulseEKKO DT1 + HD. Input = [u16 LE n][n bytes of HD][DT1 bytes].
#include "fuzz_support.hpp"
#include "io/vendor_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint8_t *hd = nullptr, *dt1 = nullptr;
  std::size_t hd_size = 0, dt1_size = 0;
  if (!gprproc_fuzz::split(data, size, hd, hd_size, dt1, dt1_size)) return 0;
  using namespace gprproc;
  const vendor_detail::ByteReader hd_reader(hd, hd_size, "fuzz.HD");
  const vendor_detail::ByteReader dt1_reader(dt1, dt1_size, "fuzz.DT1");
  return gprproc_fuzz::run([&] { vendor_detail::parse_dt1(dt1_reader, hd_reader, Dt1Options{}); });
}
