#pragma once
// The recipe text as handed to the TOML parser (toml++ 3.3, as Debian 12
// ships it), made safe for it (docs/RECIPES.md, "Limits"):
// - every non-ASCII character inside a string becomes a \uXXXX escape (literal
//   '...' strings become basic "..." strings to allow it) and one inside a
//   comment a '?', because toml++ 3.3's whitespace test reaches
//   __builtin_unreachable for U+00A1..U+0499 (undefined behaviour, found by
//   fuzzing tests/fuzz/fuzz_recipe.cpp) and it applies that test to characters
//   well inside strings when it reports an error; the parsed values are the same;
// - a non-ASCII character outside strings and comments (not TOML) is refused;
// - a dotted key of more than 16 parts ("a.b.c..." = 1, [a.b.c...]) is refused:
//   toml++ builds and destroys one nested table per part by recursion, and a
//   key of 100000 parts overflowed the stack. A recipe's keys have two parts
//   at most. (toml++ itself limits nested arrays and inline tables to 256 levels.)
// Line breaks are kept, so toml++'s line numbers are the recipe's.
#include <string>

namespace gprproc::cli {

// InvalidArgument "PATH:LINE: not valid TOML: ..." for what is refused.
std::string toml_text_for_parser(const std::string& text, const std::string& path);

}  // namespace gprproc::cli
