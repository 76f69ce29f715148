#pragma once
// Running out of memory while reading is a file error, never an "internal
// error": the readers' entry points run their work through guard_memory.
#include <new>
#include <string>

#include "gprproc/error.hpp"

namespace gprproc::io_detail {

// Turns std::bad_alloc from `call` into FileError(io_failure) naming `what`.
template <class Call>
auto guard_memory(const std::string& what, Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const std::bad_alloc&) {
    throw FileError(ErrorCode::io_failure, "not enough memory to read " + what);
  }
}

}  // namespace gprproc::io_detail
