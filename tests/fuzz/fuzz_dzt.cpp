// libFuzzer harness: GSSI DZT. Input = DZT bytes, optionally followed by the
// marker "\xffDZG" and the bytes of a DZG side file.
#include <string>

#include "fuzz_support.hpp"
#include "io/vendor_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t marker[4] = {0xff, 'D', 'Z', 'G'};
  std::size_t dzt_size = size;
  for (std::size_t k = 0; k + 4 <= size; ++k) {
    if (std::memcmp(data + k, marker, 4) == 0) {
      dzt_size = k;
      break;
    }
  }
  using namespace gprproc;
  const vendor_detail::ByteReader dzt(data, dzt_size, "fuzz.DZT");
  const bool have_dzg = dzt_size < size;
  const vendor_detail::ByteReader dzg(data + (have_dzg ? dzt_size + 4 : size), have_dzg ? size - dzt_size - 4 : 0,
                                      "fuzz.DZG");
  DztOptions options;
  options.dx = size % 2 ? 0.0 : 0.05;  // both the file's spacing and the override
  return gprproc_fuzz::run([&] { vendor_detail::parse_dzt(dzt, options, have_dzg ? &dzg : nullptr); });
}
