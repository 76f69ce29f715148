#pragma once
// How the commands treat their files (docs/CLI.md, "Inputs and outputs"):
// every input is checked (a regular file: no FIFO, device or folder; no NUL)
// and protected, so no output of the command can replace it, and every output
// goes through the library's one writer (src/io/output_file.hpp): never over
// an input, never over an existing file without --overwrite, written to a
// temporary beside the target, flushed and renamed.
#include <string>
#include <vector>

namespace gprproc::cli {

// Checks an input path and protects it (and, for a gprMax series, each of its
// files; for a field file, its companion header files). A publish of it that a
// killed `process` left pending is completed first.
void use_input(const std::string& path);

// Checks, before the work, that each output may be written: not an input,
// not an existing file unless `overwrite`, its folder present, no name twice.
void check_outputs(const std::vector<std::string>& paths, bool overwrite);
// The same for an HDF5 output that gets a group added: an existing file must be HDF5.
void check_hdf5_output(const std::string& path);

// Writes one output file (CSV, JSON, PNG) through the library's writer.
void write_output(const std::string& path, const std::string& bytes, bool overwrite);

}  // namespace gprproc::cli
