#pragma once
// A 5x7 pixel font for axis labels and tick numbers on PNG quick-looks, so the
// CLI draws readable pictures without a font-rendering dependency.
#include <cstdint>

namespace gprproc::cli {

// Seven rows of five bits (bit 4 = leftmost column) for a printable ASCII
// character; characters without a glyph come back blank.
const std::uint8_t* glyph_rows(char c);
constexpr int glyph_width = 5;
constexpr int glyph_height = 7;

}  // namespace gprproc::cli
