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
};

// Options naming where a B-scan comes from, shared by the commands that read one.
struct InputOptions {
  std::string path;
  std::string group;         // our files: the group; empty picks the only B-scan
  std::string component = "Ez";  // gprMax files
  std::string dx_text;       // gprMax files lacking rxsteps: trace spacing with units
  std::string x0_text;       // position of the first trace, where the file lacks it
};
void add_input_options(CLI::App& command, InputOptions& options);
BScan load_bscan(const InputOptions& options);

void register_info(CLI::App& app);
void register_convert(CLI::App& app);
void register_plot(CLI::App& app);

}  // namespace gprproc::cli
