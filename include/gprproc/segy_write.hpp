#pragma once
// SEG-Y export of a processed line, in the I/O component (link gprproc::io;
// no HDF5 needed). SEG-Y rev 2.0, big-endian, samples as IEEE float32 (format
// code 5), ASCII textual header, one trace per B-scan column. Time fields in
// the GPR convention (docs/GEOMETRY.md, "SEG-Y export"): the sample interval
// in picoseconds in the 16-bit fields (bytes 3217-3218 and trace bytes
// 117-118), exactly in the rev 2 extended interval (bytes 3273-3280, IEEE
// double, ps); the delay (trace bytes 109-110) in nanoseconds. Coordinates
// (source, group and CDP x/y) from BScan::positions, else x0 + j dx, in metres
// with a coordinate scalar (-1000, millimetres, where they fit in 32 bits);
// elevations (z) with their own scalar.
//
// Writing goes through the library's one output writer (as HDF5, CSV and PNG
// outputs): the file is built under a temporary name beside the target, every
// write is checked, the data are flushed (fsync) and the file is renamed onto
// the target; an existing file is never replaced unless `overwrite`, an input
// of the running command never. On any error the target is untouched and no
// temporary file is left.
//
// Errors: InvalidArgument for what SEG-Y cannot hold (more than 65535 samples,
// a sample interval outside 1..65535 ps, NaN/Inf samples, coordinates beyond
// 32 bits), an existing target without overwrite or a protected input;
// FileError for the file system (a missing folder: file_not_found; a failed
// write: io_failure).
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/history.hpp"

namespace gprproc {

struct SegyWriteOptions {
  bool overwrite = false;  // replace an existing file at the path
};

void write_segy(const std::string& path, const BScan& bscan, const SegyWriteOptions& options = {});

// The same from a host view and its metadata (positions: n_traces x 3 or empty).
void write_segy(const std::string& path, ConstBScanView samples, const BScanMetadata& metadata,
                const std::vector<double>& positions, const History& history, const SegyWriteOptions& options = {});

// The bytes of that SEG-Y file (for a caller that publishes it with other files).
std::string segy_file_bytes(ConstBScanView samples, const BScanMetadata& metadata, const std::vector<double>& positions,
                            const History& history);

}  // namespace gprproc
