// libFuzzer harness: SEG-Y. Input = the file; its length picks the interval unit.
#include "fuzz_support.hpp"
#include "io/vendor_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gprproc;
  const vendor_detail::ByteReader segy(data, size, "fuzz.sgy");
  SegyOptions options;
  options.dx = (size & 4) ? 0.0 : 0.02;
  options.interval_unit = static_cast<SegyIntervalUnit>(size % 4);
  return gprproc_fuzz::run([&] { vendor_detail::parse_segy(segy, options); });
}
