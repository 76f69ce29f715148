// gprproc: the command-line front of the library (docs/CLI.md).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "gprproc/error.hpp"
#include "gprproc/io.hpp"
#include "gprproc/vendor_formats.hpp"
#include "gprproc/version.hpp"
#include "interrupts.hpp"
#include "outputs.hpp"
#include "units.hpp"

namespace gprproc::cli {

CLI::Validator input_file() {
  // Throws gprproc errors (not CLI11's), so a FIFO is exit 3 like any bad file.
  return CLI::Validator(
      [](std::string& path) {
        use_input(path);
        return std::string();
      },
      "");
}

void add_input_options(CLI::App& command, InputOptions& options) {
  command.add_option("file", options.path, "Input file: gprproc HDF5, gprMax output, or a gprMax series base name")
      ->required()
      ->check(input_file());
  command.add_option("-g,--group", options.group, "Group of a gprproc HDF5 file (default: its only B-scan)");
  command.add_option("-c,--component", options.component, "Field component of a gprMax file")
      ->capture_default_str();
  command.add_option("--dx", options.dx_text, "Trace spacing where a gprMax file lacks it, e.g. 1cm");
  command.add_option("--x0", options.x0_text, "Position of the first trace where the file lacks it, e.g. 10cm");
}

void add_geometry_options(CLI::App& command, InputOptions& options) {
  command.add_option("--t0", options.t0_text,
                     "Time of sample 0 relative to time zero (the wavelet peak), e.g. -0.943ns");
  command.add_option("--antenna-height", options.antenna_height_text, "Antenna height above the ground, e.g. 3cm");
  command.add_option("--antenna-offset", options.antenna_offset_text, "Transmitter-receiver offset, e.g. 4cm");
}

void apply_geometry_options(const InputOptions& options, BScan& b) {
  if (!options.x0_text.empty()) b.metadata.x0 = parse_quantity(options.x0_text, Quantity::length, "--x0");
  if (!options.t0_text.empty()) b.metadata.t0 = parse_quantity(options.t0_text, Quantity::time, "--t0");
  if (!options.antenna_height_text.empty())
    b.metadata.antenna_height = parse_quantity(options.antenna_height_text, Quantity::length, "--antenna-height");
  if (!options.antenna_offset_text.empty())
    b.metadata.antenna_offset = parse_quantity(options.antenna_offset_text, Quantity::length, "--antenna-offset");
  validate(b.metadata);
}

std::string sibling_path(const std::string& output, const std::string& suffix) {
  std::string stem = output;
  for (const char* ext : {".h5", ".hdf5", ".H5"})
    if (stem.size() > std::strlen(ext) && stem.compare(stem.size() - std::strlen(ext), std::string::npos, ext) == 0) {
      stem.resize(stem.size() - std::strlen(ext));
      break;
    }
  return stem + "_" + suffix;
}

BScan load_bscan(const InputOptions& options) {
  const double dx = options.dx_text.empty() ? 0.0 : parse_quantity(options.dx_text, Quantity::length, "--dx");
  if (!is_hdf5_file(options.path) && !vendor_format_of(options.path).empty()) {
    // A field instrument file (DZT, DT1/HD, rd3/rd7, SEG-Y), by content.
    BScan b = read_vendor(options.path, dx).bscan;
    if (!options.x0_text.empty()) b.metadata.x0 = parse_quantity(options.x0_text, Quantity::length, "--x0");
    return b;
  }
  if (!is_hdf5_file(options.path) || is_gprmax_file(options.path)) {
    // gprMax output, or a series base name ("runs/scene" for runs/scene1.out ...).
    GprMaxOptions gprmax;
    gprmax.component = options.component;
    gprmax.dx = dx;
    BScan b = read_gprmax(options.path, gprmax);
    if (!options.x0_text.empty()) b.metadata.x0 = parse_quantity(options.x0_text, Quantity::length, "--x0");
    return b;
  }
  BScan b = read_bscan(options.path, options.group);
  if (!options.x0_text.empty()) b.metadata.x0 = parse_quantity(options.x0_text, Quantity::length, "--x0");
  return b;
}

}  // namespace gprproc::cli

namespace {
// One line, whatever the exception's text holds.
std::string one_line(const char* text) {
  std::string line = text != nullptr ? text : "";
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace gprproc::cli;
  handle_interrupts();  // before any thread starts
  CLI::App app{"gprproc " + std::string(gprproc::version_string) +
               ": ground-penetrating-radar processing (B-scans in HDF5, gprMax output)"};
  app.set_version_flag("--version", std::string(gprproc::version_string));
  app.require_subcommand(1);
  register_info(app);
  register_convert(app);
  register_plot(app);
  register_process(app);
  register_migrate(app);
  register_velocity(app);
  register_detect(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  } catch (const gprproc::InvalidArgument& e) {
    std::fprintf(stderr, "gprproc: error: %s\n", one_line(e.what()).c_str());
    return exit_bad_input;
  } catch (const gprproc::FileError& e) {
    std::fprintf(stderr, "gprproc: error: %s\n", one_line(e.what()).c_str());
    return exit_file_error;
  } catch (const gprproc::CudaError& e) {
    std::fprintf(stderr, "gprproc: CUDA error: %s\n", one_line(e.what()).c_str());
    return exit_cuda_error;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gprproc: error: out of memory: this command needs more memory than the machine gave it "
                         "(try a smaller input, a shallower --depth, a coarser --dz or fewer velocities); "
                         "no output was written\n");
    return exit_out_of_memory;
  } catch (const std::length_error& e) {
    std::fprintf(stderr, "gprproc: error: out of memory: an array larger than this machine can hold was asked for "
                         "(%s); no output was written\n", one_line(e.what()).c_str());
    return exit_out_of_memory;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "gprproc: error: %s\n", one_line(e.what()).c_str());
    return exit_file_error;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gprproc: error: unexpected failure (%s); no output was written; please report it\n",
                 one_line(e.what()).c_str());
    return exit_internal;
  } catch (...) {
    std::fprintf(stderr, "gprproc: error: unexpected failure of an unknown kind; no output was written; please "
                         "report it\n");
    return exit_internal;
  }
  return exit_ok;
}
