#pragma once
// The sub-commands of the gprproc CLI; each registers its options on the app
// and runs after parsing.
#include <CLI/CLI.hpp>

#include <string>

#include "gprproc/bscan.hpp"

namespace gprproc::cli {

// Exit codes a script can rely on (docs/CLI.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_usage = 1,         // bad command line (unknown option, missing argument)
  exit_bad_input = 2,     // bad parameter or data (InvalidArgument)
  exit_file_error = 3,    // missing, unreadable or malformed file (FileError)
  exit_cuda_error = 4,    // CUDA asked for but unavailable, or failed
  exit_internal = 5,      // anything unexpected
  exit_out_of_memory = 6, // the work does not fit in memory (std::bad_alloc)
  // An interrupt (SIGINT, SIGTERM, SIGHUP) ends the command by the signal: 128 + its number.
};

// Options naming where a B-scan comes from, shared by the commands that read one.
struct InputOptions {
  std::string path;
  std::string group;         // our files: the group; empty picks the only B-scan
  std::string component = "Ez";  // gprMax files
  std::string dx_text;       // gprMax files lacking rxsteps: trace spacing with units
  std::string x0_text;       // position of the first trace, where the file lacks it
  // Geometry overrides (commands that migrate): time of sample 0, antenna height and offset.
  std::string t0_text, antenna_height_text, antenna_offset_text;
};
void add_input_options(CLI::App& command, InputOptions& options);
// The check of every input path option: a regular file, protected from the
// command's outputs (outputs.hpp).
CLI::Validator input_file();
// --t0, --antenna-height, --antenna-offset (what migration needs of a gprMax file).
void add_geometry_options(CLI::App& command, InputOptions& options);
BScan load_bscan(const InputOptions& options);
// Applies the geometry options given on the command line to `b`.
void apply_geometry_options(const InputOptions& options, BScan& b);

// Output paths beside an HDF5 output: OUT.h5 -> OUT_<suffix>.
std::string sibling_path(const std::string& output, const std::string& suffix);

void register_info(CLI::App& app);
void register_convert(CLI::App& app);
void register_plot(CLI::App& app);
void register_process(CLI::App& app);
void register_migrate(CLI::App& app);
void register_velocity(CLI::App& app);
void register_detect(CLI::App& app);

}  // namespace gprproc::cli
