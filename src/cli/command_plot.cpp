// gprproc plot IN -o OUT.png: a quick-look picture of a B-scan.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "gprproc/io.hpp"
#include "outputs.hpp"
#include "png_quicklook.hpp"

namespace gprproc::cli {

namespace {
struct PlotOptions {
  InputOptions input;
  std::string output;
  std::string title;
  double clip_percentile = 99.0;
  bool overwrite = false;
};
}  // namespace

void register_plot(CLI::App& app) {
  auto options = std::make_shared<PlotOptions>();
  CLI::App* command = app.add_subcommand("plot", "Draw a B-scan as a PNG with axes in metres and nanoseconds");
  add_input_options(*command, options->input);
  command->add_option("-o,--output", options->output, "Output PNG file")->required();
  command->add_option("--title", options->title, "Title (default: the input file name)");
  command->add_option("--clip", options->clip_percentile, "Colour scale saturates at this percentile of |amplitude|")
      ->check(CLI::Range(50.0, 100.0))
      ->capture_default_str();
  command->add_flag("--overwrite", options->overwrite, "Replace an existing output file");
  command->callback([options] {
    check_outputs({options->output}, options->overwrite);
    const BScan b = load_bscan(options->input);
    QuicklookAxes axes;
    axes.title = options->title.empty() ? options->input.path : options->title;
    axes.x_first = b.metadata.x0;
    axes.x_step = b.metadata.dx;
    axes.y_first = b.metadata.t0 * 1e9;
    axes.y_step = b.metadata.dt * 1e9;
    axes.clip_percentile = options->clip_percentile;
    write_output(options->output, quicklook_png(b.data(), b.n_samples(), b.n_traces(), axes), options->overwrite);
    std::printf("wrote %s\n", options->output.c_str());
  });
}

}  // namespace gprproc::cli
