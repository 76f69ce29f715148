// gprproc convert IN -o OUT.h5: any B-scan the library reads, into our layout.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "gprproc/error.hpp"
#include "gprproc/io.hpp"

namespace gprproc::cli {

namespace {
struct ConvertOptions {
  InputOptions input;
  std::string output;
  std::string output_group = "bscan";
  bool overwrite = false;
};
}  // namespace

void register_convert(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* command = app.add_subcommand("convert", "Write a B-scan (gprMax, a field file or gprproc HDF5) to gprproc HDF5, keeping its header (history), marks and positions");
  add_input_options(*command, options->input);
  command->add_option("-o,--output", options->output, "Output HDF5 file (created, or a group added)")->required();
  command->add_option("--output-group", options->output_group, "Group to write")->capture_default_str();
  command->add_flag("--overwrite", options->overwrite, "Replace the group if the output file already has it");
  command->callback([options] {
    std::error_code ec;
    if (std::filesystem::exists(options->output) &&
        std::filesystem::equivalent(options->input.path, options->output, ec))
      throw InvalidArgument("output '" + options->output + "' is the input file; gprproc never overwrites its input");
    const BScan b = load_bscan(options->input);
    WriteOptions write;
    write.overwrite_group = options->overwrite;
    write_bscan(options->output, b, options->output_group, write);
    std::printf("wrote %s:/%s (%zu samples x %zu traces, %zu history step(s), %zu marks%s)\n", options->output.c_str(),
                options->output_group.c_str(), b.n_samples(), b.n_traces(), b.history.size(), b.marks.size(),
                b.positions.empty() ? "" : ", per-trace positions");
  });
}

}  // namespace gprproc::cli
