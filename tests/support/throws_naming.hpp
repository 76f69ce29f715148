#pragma once
// Checks that `call` throws gprproc::InvalidArgument whose message names
// `word` (the parameter or problem), and fails the test when it throws nothing.
#include <catch2/catch.hpp>

#include <string>

#include "gprproc/error.hpp"

namespace gprproc_test {

template <class Call>
void throws_naming(Call&& call, const std::string& word) {
  try {
    call();
    FAIL("no exception; expected one naming " << word);
  } catch (const gprproc::InvalidArgument& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find(word) != std::string::npos);
  }
}

}  // namespace gprproc_test
