#pragma once
// The processing history as the JSON text stored in the `history` attribute:
// [{"operation": ..., "parameters": {...}, "library_version": ...}, ...].
#include <string>

#include "gprproc/history.hpp"

namespace gprproc::io_detail {

// Throws InvalidArgument naming the step whose parameters are not a JSON object.
std::string history_to_json(const History& history);

// Parses the attribute text; FileError(file_format) naming `where` when it is
// not such a list. Each step's parameters come back in the form
// HistoryParameters::json() writes ({"key": value, ...}, doubles as %.17g), so
// a history made by the library round-trips to the same text.
History history_from_json(const std::string& text, const std::string& where);

}  // namespace gprproc::io_detail
