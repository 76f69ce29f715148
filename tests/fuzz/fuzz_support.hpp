#pragma once
// Shared by the libFuzzer harnesses: every input must end in a B-scan or a
// gprproc::Error, never a crash, an out-of-bounds read or another exception.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "gprproc/error.hpp"
#include "io/vendor_bytes.hpp"

namespace gprproc_fuzz {

// Splits input as [u16 little-endian length n][n bytes][rest]; false when too short.
inline bool split(const std::uint8_t* data, std::size_t size, const std::uint8_t*& first, std::size_t& first_size,
                  const std::uint8_t*& rest, std::size_t& rest_size) {
  if (size < 2) return false;
  const std::size_t n = static_cast<std::size_t>(data[0]) | (static_cast<std::size_t>(data[1]) << 8);
  if (n > size - 2) return false;
  first = data + 2;
  first_size = n;
  rest = data + 2 + n;
  rest_size = size - 2 - n;
  return true;
}

template <class Parse>
int run(Parse&& parse) {
  try {
    parse();
  } catch (const gprproc::Error&) {
    // Rejected with a message: the wanted outcome for a bad file.
  }
  return 0;
}

}  // namespace gprproc_fuzz
