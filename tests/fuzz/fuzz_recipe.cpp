// libFuzzer harness: the recipe parser (src/cli/recipe.cpp on toml++, both
// instrumented). Every input must end in a Recipe or a gprproc::Error: never
// a crash, a stack overflow, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gprproc/error.hpp"
#include "recipe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    gprproc::cli::parse_recipe(text, "fuzz.toml");
  } catch (const gprproc::Error&) {
    // Rejected with a message naming file, line and key: the wanted outcome.
  }
  return 0;
}
