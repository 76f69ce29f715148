// Crop (include/gprproc/crop.hpp): validation, the host copy, dispatch of
// device views to cuda/crop.cu, and the metadata, positions, marks and history
// of the result.
#include "gprproc/crop.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <vector>

#include "filters_common.hpp"  // overlaps
#include "gprproc/error.hpp"
#include "gprproc/history.hpp"

#ifdef GPRPROC_HAS_CUDA
#include "crop_cuda.hpp"
#endif

namespace gprproc {

void validate(const IndexRange& r, std::size_t extent, const char* what) {
  std::ostringstream msg;
  if (r.step == 0) {
    msg << "crop: the " << what << " step must be at least 1, got 0";
  } else if (r.begin >= r.end) {
    msg << "crop: the " << what << " range [" << r.begin << ", " << r.end << ") is empty (begin must be below end)";
  } else if (r.end > extent) {
    msg << "crop: the " << what << " range [" << r.begin << ", " << r.end << ") reaches outside the data's " << extent
        << " " << what << " (indices 0 .. " << extent - 1 << "); ranges are not clamped";
  } else {
    return;
  }
  throw InvalidArgument(msg.str());
}

void crop(ConstBScanView in, const IndexRange& samples, const IndexRange& traces, BScanView out) {
  validate(in, "crop input");
  validate(ConstBScanView{out.samples, out.n_samples, out.n_traces, out.memory}, "crop output");
  validate(samples, in.n_samples, "samples");
  validate(traces, in.n_traces, "traces");
  if (samples.step != 1) {
    std::ostringstream msg;
    msg << "crop: a step along time (" << samples.step << ") would alias the traces without a low-pass filter; "
        << "crop samples with step 1 (band-pass and resample to decimate)";
    throw InvalidArgument(msg.str());
  }
  const std::size_t rows = samples.count(), columns = traces.count();
  if (out.n_samples != rows || out.n_traces != columns) {
    std::ostringstream msg;
    msg << "crop: the output has shape (" << out.n_samples << ", " << out.n_traces << ") but the window is (" << rows
        << ", " << columns << ")";
    throw InvalidArgument(msg.str(), ErrorCode::invalid_shape);
  }
  if (in.memory == out.memory && preprocessing::overlaps(in, out))
    throw InvalidArgument("crop: the output overlaps the input; give a separate buffer");
  if (in.memory == Memory::device || out.memory == Memory::device) {
#ifdef GPRPROC_HAS_CUDA
    if (traces.step != 1 && (in.memory != Memory::device || out.memory != Memory::device))
      throw InvalidArgument("crop: a trace step between host and device memory is not supported; copy first, or "
                            "crop with step 1");
    cuda_backend::crop(in, samples.begin, traces.begin, traces.step, out);
    return;
#else
    throw CudaError(ErrorCode::cuda_unavailable, "crop: device-memory views need a gprproc build with CUDA");
#endif
  }
  for (std::size_t i = 0; i < rows; ++i) {
    const float* source = in.samples + (samples.begin + i) * in.n_traces + traces.begin;
    float* target = out.samples + i * columns;
    if (traces.step == 1) {
      std::memcpy(target, source, columns * sizeof(float));
    } else {
      for (std::size_t j = 0; j < columns; ++j) target[j] = source[j * traces.step];
    }
  }
}

BScanMetadata crop_metadata(const BScanMetadata& metadata, const IndexRange& samples, const IndexRange& traces) {
  BScanMetadata m = metadata;
  m.t0 = metadata.time_of_sample(samples.begin);
  m.x0 = metadata.position_of_trace(traces.begin);
  m.dx = metadata.dx * static_cast<double>(traces.step);
  return m;
}

namespace {

HistoryParameters crop_history(const char* rows_name, const IndexRange& rows, const char* columns_name,
                               const IndexRange& columns) {
  HistoryParameters p;
  p.add(std::string(rows_name) + "_begin", rows.begin)
      .add(std::string(rows_name) + "_end", rows.end)
      .add(std::string(columns_name) + "_begin", columns.begin)
      .add(std::string(columns_name) + "_end", columns.end)
      .add(std::string(columns_name) + "_step", columns.step);
  return p;
}

}  // namespace

BScan crop(const BScan& in, const IndexRange& samples, const IndexRange& traces) {
  validate(in.view(), "crop input");
  validate(samples, in.n_samples(), "samples");
  validate(traces, in.n_traces(), "traces");
  BScan out(samples.count(), traces.count(), crop_metadata(in.metadata, samples, traces));
  crop(in.view(), samples, traces, out.view());
  out.history = in.history;
  const std::size_t kept = traces.count();
  if (in.positions.size() == 3 * in.n_traces()) {
    out.positions.resize(3 * kept);
    for (std::size_t j = 0; j < kept; ++j)
      std::copy_n(in.positions.begin() + static_cast<std::ptrdiff_t>(3 * (traces.begin + j * traces.step)), 3,
                  out.positions.begin() + static_cast<std::ptrdiff_t>(3 * j));
  }
  for (const std::size_t mark : in.marks) {
    if (mark < traces.begin || mark >= traces.end) continue;  // outside the window: not in the result
    // The nearest kept trace (a tie goes to the later one), never past the last.
    const std::size_t j = std::min((mark - traces.begin + traces.step / 2) / traces.step, kept - 1);
    if (out.marks.empty() || out.marks.back() != j) out.marks.push_back(j);
  }
  HistoryParameters p = crop_history("sample", samples, "trace", traces);
  p.add("t0", out.metadata.t0).add("x0", out.metadata.x0);
  append_history(out.history, "crop", p);
  return out;
}

DepthImage crop(const DepthImage& in, const IndexRange& rows, const IndexRange& columns) {
  validate(in.view(), "crop input");
  validate(rows, in.n_z(), "rows");
  validate(columns, in.n_x(), "columns");
  ImageGrid grid = in.grid;
  grid.z0 = in.grid.depth_of_row(rows.begin);
  grid.x0 = in.grid.position_of_column(columns.begin);
  grid.dx = in.grid.dx * static_cast<double>(columns.step);
  DepthImage out(rows.count(), columns.count(), grid, in.velocity);
  crop(in.view(), rows, columns, out.view());
  out.history = in.history;
  HistoryParameters p = crop_history("row", rows, "column", columns);
  p.add("z0", grid.z0).add("x0", grid.x0);
  append_history(out.history, "crop", p);
  return out;
}

}  // namespace gprproc
