// Our layout for B-scans: a group with dataset `data` and metadata attributes
// (docs/FORMAT.md).
#include <utility>

#include "gprproc/io.hpp"
#include "gprproc/version.hpp"
#include "io/hdf5_heap_check.hpp"
#include "io/hdf5_support.hpp"
#include "io/history_json.hpp"
#include "io/layout_common.hpp"
#include "io/layout_groups.hpp"
#include "io/layout_read.hpp"
#include "io/safe_write.hpp"

namespace gprproc {

using namespace io_detail;

void write_bscan(const std::string& path, const BScan& bscan, const std::string& group, const WriteOptions& options) {
  QuietHdf5Errors quiet;
  validate(bscan.view(), "B-scan to write");
  validate(bscan.metadata);
  check_compression_level(options.compression_level);
  if (!bscan.positions.empty() && bscan.positions.size() != 3 * bscan.n_traces()) {
    throw InvalidArgument("B-scan positions hold " + std::to_string(bscan.positions.size()) + " values; expected " +
                              std::to_string(bscan.n_traces()) + " traces x 3 = " + std::to_string(3 * bscan.n_traces()),
                          ErrorCode::invalid_shape);
  }
  for (std::size_t k = 0; k < bscan.marks.size(); ++k) {
    if (bscan.marks[k] >= bscan.n_traces() || (k > 0 && bscan.marks[k] <= bscan.marks[k - 1]))
      throw InvalidArgument("B-scan marks must be increasing trace indices below " + std::to_string(bscan.n_traces()) +
                            "; mark " + std::to_string(k) + " is " + std::to_string(bscan.marks[k]));
  }
  const std::string history = history_to_json(bscan.history);  // fails before any file is touched

  write_group_safely(path, group, options.overwrite_group, [&](hid_t file, const std::string& name) {
    const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
    Handle g = create_group(file, name, in_quotes(path));
    const BScanMetadata& m = bscan.metadata;
    write_float_matrix(g.get(), "data", bscan.data(), bscan.n_samples(), bscan.n_traces(), options.compression_level,
                       where);
    if (!bscan.positions.empty())
      write_double_matrix(g.get(), "positions", bscan.positions.data(), bscan.n_traces(), 3, where);
    if (!bscan.marks.empty()) write_index_vector(g.get(), "marks", bscan.marks, where);
    write_string_attribute(g.get(), "gprproc_kind", "bscan", where);
    write_string_attribute(g.get(), "gprproc_version", version_string, where);
    write_number_attribute(g.get(), "dt", m.dt, where);
    write_number_attribute(g.get(), "t0", m.t0, where);
    write_number_attribute(g.get(), "dx", m.dx, where);
    write_number_attribute(g.get(), "x0", m.x0, where);
    write_number_attribute(g.get(), "antenna_offset", m.antenna_offset, where);
    write_number_attribute(g.get(), "antenna_height", m.antenna_height, where);
    write_number_attribute(g.get(), "center_frequency", m.center_frequency, where);
    write_string_attribute(g.get(), "component", m.component, where);
    write_string_attribute(g.get(), "source", m.source, where);
    write_string_attribute(g.get(), "history", history, where);
  });
}

namespace io_detail {

BScan read_bscan_open(hid_t file, const std::string& path, const std::string& group, const ReadOptions& options) {
  const std::string name = resolve_group(file, path, group, "bscan");
  const std::string where = "group " + in_quotes(name) + " of " + in_quotes(path);
  Handle g = checked(H5Gopen2(file, name.c_str(), H5P_DEFAULT), H5Gclose, ErrorCode::file_format,
                     "opening " + where + " failed");
  check_kind(g.get(), "bscan", where);
  if (object_kind(g.get(), "data") != ObjectKind::dataset)
    throw FileError(ErrorCode::missing_entry, where + " has no dataset 'data'; " + describe_contents(file, path));

  BScanMetadata m;
  m.dt = required_number(g.get(), "dt", where);
  m.dx = required_number(g.get(), "dx", where);
  m.t0 = optional_number(g.get(), "t0", where);
  m.x0 = optional_number(g.get(), "x0", where);
  m.antenna_offset = optional_number(g.get(), "antenna_offset", where);
  m.antenna_height = optional_number(g.get(), "antenna_height", where);
  m.center_frequency = optional_number(g.get(), "center_frequency", where);
  m.component = read_string_attribute(g.get(), "component", where).value_or("");
  m.source = read_string_attribute(g.get(), "source", where).value_or("");
  try {
    validate(m);
  } catch (const InvalidArgument& e) {
    throw FileError(ErrorCode::file_format, where + " has invalid metadata: " + e.what());
  }
  History history;
  if (const auto text = read_string_attribute(g.get(), "history", where))
    history = history_from_json(*text, "attribute 'history' of " + where);

  FloatArray data = read_float_dataset(g.get(), "data", 2, 2, "dataset " + in_quotes(name + "/data") + " of " + in_quotes(path),
                                       options.max_samples);
  const auto n_samples = static_cast<std::size_t>(data.dims[0]);
  const auto n_traces = static_cast<std::size_t>(data.dims[1]);
  std::vector<double> positions;
  if (object_kind(g.get(), "positions") != ObjectKind::none) {
    positions = read_double_dataset(g.get(), "positions", {data.dims[1], 3},
                                    "dataset " + in_quotes(name + "/positions") + " of " + in_quotes(path),
                                    options.max_samples);
  }
  std::vector<std::size_t> marks;
  if (object_kind(g.get(), "marks") != ObjectKind::none) {
    const std::string marks_where = "dataset " + in_quotes(name + "/marks") + " of " + in_quotes(path);
    const auto stored = read_index_dataset(g.get(), "marks", marks_where, n_traces);
    for (std::size_t k = 0; k < stored.size(); ++k) {
      if (stored[k] >= n_traces || (k > 0 && stored[k] <= stored[k - 1]))
        throw FileError(ErrorCode::file_format, marks_where + " must hold increasing trace indices below " +
                                                    std::to_string(n_traces) + "; entry " + std::to_string(k) +
                                                    " is " + std::to_string(stored[k]));
      marks.push_back(static_cast<std::size_t>(stored[k]));
    }
  }
  BScan bscan(std::move(data.values), n_samples, n_traces, std::move(m));
  bscan.history = std::move(history);
  bscan.positions = std::move(positions);
  bscan.marks = std::move(marks);
  if (!options.allow_non_finite) {
    const std::string what = "dataset " + in_quotes(name + "/data") + " of " + in_quotes(path);
    check_finite(std::as_const(bscan).view(), what.c_str());
  }
  return bscan;
}

}  // namespace io_detail

BScan read_bscan(const std::string& path, const std::string& group, const ReadOptions& options) {
  QuietHdf5Errors quiet;
  Handle file = open_file_for_reading(path);
  check_global_heaps(path, file.get());
  return guard_memory(in_quotes(path), [&] { return read_bscan_open(file.get(), path, group, options); });
}

}  // namespace gprproc
