#pragma once
// Shared by src/geometry_*.cpp: checks of a line's geometry with messages that
// name the value, and the pieces every along-line plan uses (positions and
// marks carried through a trace mix).
#include <cstddef>
#include <string>
#include <vector>

#include "gprproc/geometry.hpp"

namespace gprproc::geometry_detail {

// Throws InvalidArgument naming the problem: no traces, positions that are not
// n_traces x 3 or not finite, marks not increasing or out of range, x0 or dx
// not finite (dx may be 0: unknown).
void check_line(const std::string& operation, const LineGeometry& line);

// Throws InvalidArgument unless 1 <= count <= n_traces.
void check_trace_count(const std::string& operation, const std::string& name, std::size_t count,
                       std::size_t n_traces);

// The input positions (n_in x 3) mixed with the mix's weights (n_out x 3);
// empty when there are none.
std::vector<double> mix_positions(const std::vector<double>& positions, const TraceMix& mix);

// Input traces that feed no output trace.
std::size_t unused_traces(const TraceMix& mix, std::size_t n_in);

// Sorted, without repeats.
std::vector<std::size_t> unique_sorted(std::vector<std::size_t> values);

}  // namespace gprproc::geometry_detail
