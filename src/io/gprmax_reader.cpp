// gprMax output, read as gprMax writes it: root attributes (dt, cell size,
// rxsteps, version) and /rxs/rxN/<component> arrays of shape (Iterations,)
// or (Iterations, traces). See docs/FORMAT.md for how each is interpreted.
#include <cmath>
#include <filesystem>
#include <sstream>

#include <utility>

#include "gprproc/io.hpp"
#include "io/gprmax_series.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/hdf5_support.hpp"
#include "io/layout_groups.hpp"
#include "io/layout_read.hpp"

namespace gprproc {

using namespace io_detail;
namespace fs = std::filesystem;

namespace {

// One gprMax output file: its samples for one receiver component and the
// attributes that place them in time and space.
struct GprMaxRun {
  std::string version = "unknown";
  double dt = 0.0;
  std::optional<std::vector<double>> cell_size;  // dx_dy_dz or "dx, dy, dz"
  std::optional<std::vector<double>> rx_steps;   // cells per trace
  std::optional<std::vector<double>> rx_position;
  std::optional<std::vector<double>> src_position;
  FloatArray data;
  std::size_t n_samples() const { return static_cast<std::size_t>(data.dims[0]); }
  std::size_t n_traces() const { return data.dims.size() == 2 ? static_cast<std::size_t>(data.dims[1]) : 1; }
};

std::optional<std::vector<double>> three_numbers(hid_t object, const char* name, const std::string& where) {
  auto values = read_number_array_attribute(object, name, where);
  if (values && values->size() != 3) {
    throw FileError(ErrorCode::file_format, "attribute " + in_quotes(name) + " of " + where + " should hold 3 numbers, found " +
                                                std::to_string(values->size()));
  }
  return values;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

// `open` is the file when the caller has it open already (an in-memory image);
// otherwise `path` is opened.
GprMaxRun load_run(const std::string& path, const GprMaxOptions& options, hid_t open = H5I_INVALID_HID) {
  Handle file;
  if (open < 0) {
    file = open_file_for_reading(path);
    check_global_heaps(path, file.get());
  }
  const hid_t f = open < 0 ? file.get() : open;
  if (object_kind(f, "/rxs") != ObjectKind::group) {
    throw FileError(ErrorCode::file_format, in_quotes(path) + " is not a gprMax output: it has no '/rxs' group; " +
                                                describe_contents(f, path));
  }
  const std::string root = "the root of " + in_quotes(path);
  GprMaxRun run;
  run.version = read_string_attribute(f, "gprMax", root).value_or("unknown");
  const auto dt = read_number_attribute(f, "dt", root);
  if (!dt) throw FileError(ErrorCode::missing_entry, in_quotes(path) + " has no 'dt' attribute (the gprMax time step)");
  if (!(std::isfinite(*dt) && *dt > 0.0)) {
    std::ostringstream msg;
    msg << in_quotes(path) << " has time step dt = " << *dt << " s; it must be positive";
    throw FileError(ErrorCode::file_format, msg.str());
  }
  run.dt = *dt;
  run.cell_size = three_numbers(f, "dx_dy_dz", root);                  // gprMax >= 3.1
  if (!run.cell_size) run.cell_size = three_numbers(f, "dx, dy, dz", root);  // gprMax 3.0
  run.rx_steps = three_numbers(f, "rxsteps", root);

  const std::string receiver = "/rxs/rx" + std::to_string(options.receiver);
  if (object_kind(f, receiver) != ObjectKind::group) {
    Handle rxs = checked(H5Gopen2(f, "/rxs", H5P_DEFAULT), H5Gclose, ErrorCode::file_format, "opening '/rxs' failed");
    throw FileError(ErrorCode::missing_entry, "receiver " + in_quotes(receiver) + " not found in " + in_quotes(path) +
                                                  "; receivers present: " + join_names(child_names(rxs.get(), root)));
  }
  Handle rx = checked(H5Gopen2(f, receiver.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                      "opening " + in_quotes(receiver) + " of " + in_quotes(path) + " failed");
  if (object_kind(rx.get(), options.component) != ObjectKind::dataset) {
    throw FileError(ErrorCode::missing_entry, "component " + in_quotes(options.component) + " not found in " +
                                                  in_quotes(receiver) + " of " + in_quotes(path) + "; components present: " +
                                                  join_names(child_names(rx.get(), in_quotes(receiver))));
  }
  const std::string rx_where = "group " + in_quotes(receiver) + " of " + in_quotes(path);
  run.rx_position = three_numbers(rx.get(), "Position", rx_where);
  for (const char* source : {"/srcs/src1", "/tls/tl1"}) {  // Hertzian/magnetic dipoles, transmission lines
    if (object_kind(f, source) != ObjectKind::group) continue;
    Handle src = checked(H5Gopen2(f, source, H5P_DEFAULT), H5Gclose, ErrorCode::file_format, "opening " + in_quotes(source));
    run.src_position = three_numbers(src.get(), "Position", "group " + in_quotes(source) + " of " + in_quotes(path));
    if (run.src_position) break;
  }
  run.data = read_float_dataset(rx.get(), options.component, 1, 2,
                                "dataset " + in_quotes(receiver + "/" + options.component) + " of " + in_quotes(path),
                                options.max_samples);
  return run;
}

// Trace spacing from rxsteps x cell size (the length of the step vector), 0 when unknown.
double step_from_attributes(const GprMaxRun& run) {
  if (!run.rx_steps || !run.cell_size) return 0.0;
  double squared = 0.0;
  for (int i = 0; i < 3; ++i) {
    const double step = (*run.rx_steps)[i] * (*run.cell_size)[i];
    squared += step * step;
  }
  const double step = std::sqrt(squared);
  return std::isfinite(step) ? step : 0.0;
}

void check_options(const GprMaxOptions& options) {
  if (options.component.empty()) throw InvalidArgument("GprMaxOptions::component is empty; use e.g. \"Ez\"");
  if (options.receiver < 1)
    throw InvalidArgument("GprMaxOptions::receiver must be 1 or more (as in /rxs/rx1), got " +
                          std::to_string(options.receiver));
  if (!(std::isfinite(options.dx) && options.dx >= 0.0)) {
    std::ostringstream msg;
    msg << "trace spacing dx must be positive (m), or 0 to take it from the file; got " << options.dx;
    throw InvalidArgument(msg.str());
  }
}

[[noreturn]] void throw_missing_dx(const std::string& what, std::size_t n_traces) {
  throw InvalidArgument(what + " holds " + std::to_string(n_traces) +
                        " traces but no trace spacing (no rxsteps with a cell size, no receiver positions); "
                        "pass the trace spacing: GprMaxOptions::dx (C++) or dx= (Python), e.g. dx=0.01 for 1 cm");
}

// Midpoint and separation of transmitter and receiver along x, where known.
void place_antennas(const GprMaxRun& run, BScanMetadata& m) {
  if (!run.rx_position) return;
  const double rx = (*run.rx_position)[0];
  if (run.src_position) {
    const double src = (*run.src_position)[0];
    m.x0 = 0.5 * (rx + src);
    m.antenna_offset = std::fabs(rx - src);
  } else {
    m.x0 = rx;
  }
}

BScan finish(std::vector<float> samples, std::size_t n_samples, std::size_t n_traces, BScanMetadata m,
             const GprMaxOptions& options, const std::string& what, HistoryParameters parameters) {
  m.component = options.component;
  m.t0 = 0.0;
  BScan bscan(std::move(samples), n_samples, n_traces, std::move(m));
  if (!options.allow_non_finite) check_finite(std::as_const(bscan).view(), what.c_str());
  append_history(bscan.history, "read_gprmax", parameters);
  return bscan;
}

BScan read_single(const std::string& path, const GprMaxOptions& options, hid_t open = H5I_INVALID_HID) {
  GprMaxRun run = load_run(path, options, open);
  const std::size_t n_traces = run.n_traces();
  const std::string what =
      "gprMax output " + in_quotes("/rxs/rx" + std::to_string(options.receiver) + "/" + options.component) + " of " + in_quotes(path);
  BScanMetadata m;
  m.dt = run.dt;
  std::string dx_from;
  if (options.dx > 0.0) {
    m.dx = options.dx;
    dx_from = "caller";
  } else if (const double step = step_from_attributes(run); step > 0.0) {
    m.dx = step;
    dx_from = "rxsteps";
  } else if (n_traces == 1) {
    // One trace has no spacing; keep the metadata valid with the cell size.
    m.dx = run.cell_size && (*run.cell_size)[0] > 0.0 ? (*run.cell_size)[0] : 1.0;
    dx_from = "placeholder (single trace)";
  } else {
    throw_missing_dx(what, n_traces);
  }
  place_antennas(run, m);
  m.source = path;
  HistoryParameters parameters;
  parameters.add("file", path)
      .add("component", options.component)
      .add("receiver", options.receiver)
      .add("gprmax_version", run.version)
      .add("dx", m.dx)
      .add("dx_from", dx_from);
  return finish(std::move(run.data.values), run.n_samples(), n_traces, std::move(m), options, what, parameters);
}

BScan read_series(const std::string& path, const GprMaxSeries& series, const GprMaxOptions& options) {
  const std::size_t n_traces = series.files.size();
  GprMaxRun first;
  std::vector<float> samples;
  std::vector<double> positions;
  bool all_positions = true;
  for (std::size_t j = 0; j < n_traces; ++j) {
    const std::string& file = series.files[j];
    GprMaxRun run = load_run(file, options);
    if (run.n_traces() != 1) {
      throw InvalidArgument("file " + in_quotes(file) + " of the numbered series " + series.stem + "N.out holds " +
                                std::to_string(run.n_traces()) + " traces; a series needs one trace (A-scan) per file",
                            ErrorCode::invalid_shape);
    }
    if (j == 0) {
      if (run.n_samples() > options.max_samples / n_traces) {
        throw InvalidArgument("gprMax series " + series.stem + "N.out: " + std::to_string(n_traces) + " files of " +
                                  std::to_string(run.n_samples()) + " samples exceed the " +
                                  std::to_string(options.max_samples) + " samples a read may allocate (max_samples)",
                              ErrorCode::invalid_shape);
      }
      guard_memory("gprMax series " + series.stem + "N.out", [&] { samples.assign(run.n_samples() * n_traces, 0.0f); });
    } else if (run.n_samples() != first.n_samples() || std::fabs(run.dt - first.dt) > 1e-9 * first.dt) {
      std::ostringstream msg;
      msg << "file " << in_quotes(file) << " has " << run.n_samples() << " samples of dt = " << run.dt << " s but "
          << in_quotes(series.files[0]) << " has " << first.n_samples() << " of dt = " << first.dt
          << " s; the files of a series must match";
      throw FileError(ErrorCode::file_format, msg.str());
    }
    const std::size_t n_samples = run.n_samples();
    for (std::size_t i = 0; i < n_samples; ++i) samples[i * n_traces + j] = run.data.values[i];
    if (run.rx_position)
      positions.insert(positions.end(), run.rx_position->begin(), run.rx_position->end());
    else
      all_positions = false;
    if (j == 0) {
      run.data.values.clear();
      first = std::move(run);
    }
  }
  if (!all_positions) positions.clear();

  const std::string what = "gprMax series " + series.stem + "1.out ... " + series.stem + std::to_string(n_traces) +
                           ".out (trace j is file j + 1)";
  BScanMetadata m;
  m.dt = first.dt;
  std::string dx_from;
  const double attribute_step = step_from_attributes(first);
  if (options.dx > 0.0) {
    m.dx = options.dx;
    dx_from = "caller";
  } else if (!positions.empty() && n_traces > 1) {
    // Successive receiver positions must be equally spaced.
    std::vector<double> distances;
    double total = 0.0;
    for (std::size_t j = 0; j + 1 < n_traces; ++j) {
      double squared = 0.0;
      for (int k = 0; k < 3; ++k) {
        const double d = positions[3 * (j + 1) + k] - positions[3 * j + k];
        squared += d * d;
      }
      distances.push_back(std::sqrt(squared));
      total += distances.back();
    }
    const double mean = total / static_cast<double>(distances.size());
    for (std::size_t j = 0; j < distances.size(); ++j) {
      if (!(mean > 0.0) || std::fabs(distances[j] - mean) > 1e-6 * mean) {
        std::ostringstream msg;
        msg << what << ": receiver positions are not equally spaced (trace " << j << " to " << j + 1 << ": "
            << distances[j] << " m, mean " << mean << " m); pass the trace spacing: GprMaxOptions::dx or dx=";
        throw InvalidArgument(msg.str());
      }
    }
    // The same spacing in exact cell arithmetic where rxsteps says so.
    m.dx = attribute_step > 0.0 && std::fabs(attribute_step - mean) <= 1e-6 * mean ? attribute_step : mean;
    dx_from = "positions";
  } else if (attribute_step > 0.0) {
    m.dx = attribute_step;
    dx_from = "rxsteps";
  } else if (n_traces == 1) {
    m.dx = first.cell_size && (*first.cell_size)[0] > 0.0 ? (*first.cell_size)[0] : 1.0;
    dx_from = "placeholder (single trace)";
  } else {
    throw_missing_dx(what, n_traces);
  }
  place_antennas(first, m);
  m.source = path;
  HistoryParameters parameters;
  parameters.add("file", path)
      .add("first_file", series.files.front())
      .add("n_files", n_traces)
      .add("component", options.component)
      .add("receiver", options.receiver)
      .add("gprmax_version", first.version)
      .add("dx", m.dx)
      .add("dx_from", dx_from);
  BScan bscan = finish(std::move(samples), first.n_samples(), n_traces, std::move(m), options, what, parameters);
  bscan.positions = std::move(positions);
  return bscan;
}

}  // namespace

BScan read_gprmax(const std::string& path, const GprMaxOptions& options) {
  QuietHdf5Errors quiet;
  check_options(options);
  return guard_memory(in_quotes(path), [&] {
    if (const auto series = find_gprmax_series(path)) return read_series(path, *series, options);
    return read_single(path, options);
  });
}

namespace io_detail {
BScan read_gprmax_open(hid_t file, const std::string& name, const GprMaxOptions& options) {
  QuietHdf5Errors quiet;
  check_options(options);
  return guard_memory(in_quotes(name), [&] { return read_single(name, options, file); });
}
}  // namespace io_detail

bool is_gprmax_file(const std::string& path) {
  QuietHdf5Errors quiet;
  if (!is_hdf5_file(path)) return false;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) return false;
  return object_kind(file.get(), "/rxs") == ObjectKind::group && has_attribute(file.get(), "gprMax");
}

}  // namespace gprproc
