#pragma once
// Physical quantities on the command line: "2ns", "0.12m/ns", "5cm", "1.5GHz".
// A bare number is taken in SI units (s, m, m/s, Hz).
#include <string>

namespace gprproc::cli {

enum class Quantity { time, length, velocity, frequency, number };

// Parses `text` as a quantity of the given kind and returns it in SI units;
// throws InvalidArgument naming `option`, the text and the accepted units.
double parse_quantity(const std::string& text, Quantity kind, const std::string& option);

}  // namespace gprproc::cli
