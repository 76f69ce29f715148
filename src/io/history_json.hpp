#pragma once
// The processing history as the JSON text stored in the `history` attribute:
// [{"operation": ..., "parameters": {...}, "library_version": ...}, ...].
#include <cstddef>
#include <string>

#include "gprproc/history.hpp"

namespace gprproc::io_detail {

// Throws InvalidArgument naming the step whose parameters are not a JSON object.
std::string history_to_json(const History& history);

// Bounds on a stored history (docs/FORMAT.md): the text size and the nesting
// depth of its JSON (a list of steps whose parameters hold numbers, strings
// and flat lists is 3 or 4 deep).
constexpr std::size_t max_history_json_bytes = std::size_t{64} << 20;  // 64 MiB
constexpr std::size_t max_history_json_depth = 64;

// What is wrong with `text` as bounded JSON ("" when nothing): longer than
// max_bytes, or brackets nested deeper than max_depth. Checked before any
// parser or printer sees the text.
std::string json_bounds_problem(const std::string& text, std::size_t max_bytes, std::size_t max_depth);

// Parses the attribute text (within the bounds above); FileError(file_format) naming `where` when it is
// not such a list. Each step's parameters come back in the form
// HistoryParameters::json() writes ({"key": value, ...}, doubles as %.17g), so
// a history made by the library round-trips to the same text.
History history_from_json(const std::string& text, const std::string& where);

}  // namespace gprproc::io_detail
