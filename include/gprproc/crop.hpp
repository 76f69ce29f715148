#pragma once
// Crop: a window of samples and traces of a B-scan (or of rows and columns of
// a depth image) as a new, smaller one, with its axes moved to match: t0 and
// x0 of the first sample and trace kept, dx times the trace step, the kept
// traces' positions and marks, and a "crop" history step. Nothing is
// resampled: every value kept is a value of the input.
//
// Ranges are of indices, half-open [begin, end) as in C++ and Python
// slicing, and must lie inside the data: a range that reaches outside is an
// error (InvalidArgument naming it and the data's extent), never clamped.
// Cropping by time or position is done by the Python package
// (gprproc.crop(b, time=(t_start, t_end), x=(x_start, x_end))), which turns
// coordinates into these index ranges; docs/PYTHON.md, "Cropping".
#include <cstddef>

#include "gprproc/bscan.hpp"
#include "gprproc/image.hpp"

namespace gprproc {

// Indices begin, begin + step, ... below end; begin < end <= the extent, step >= 1.
struct IndexRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t step = 1;

  // Indices in the range: ceil((end - begin) / step).
  std::size_t count() const { return end > begin && step > 0 ? (end - begin + step - 1) / step : 0; }
  // [0, extent): everything.
  static IndexRange all(std::size_t extent) { return {0, extent, 1}; }
};

// Throws InvalidArgument naming `what` ("samples", "traces") when the range is
// empty, has step 0, or reaches past `extent`.
void validate(const IndexRange& range, std::size_t extent, const char* what);

// View level: out (samples.count(), traces.count()) = in[samples, traces]
// (samples with step 1 only: a step in time would alias without a filter).
// Host views copy on the CPU; device views on the GPU (a pitched
// cudaMemcpy2D for unit trace steps, a gather kernel otherwise). Host <-> device
// with a unit trace step is one cudaMemcpy2D too. `out` must not overlap `in`.
void crop(ConstBScanView in, const IndexRange& samples, const IndexRange& traces, BScanView out);

// The metadata of a crop: t0 and x0 of its first sample and trace, dx * step.
BScanMetadata crop_metadata(const BScanMetadata& metadata, const IndexRange& samples, const IndexRange& traces);

// A new B-scan: the window's samples, crop_metadata, the kept traces'
// positions, the marks moved to the kept traces (a mark on a trace that a step
// skips moves to the nearest kept trace; two marks landing on one trace stay
// one) and a "crop" history step.
BScan crop(const BScan& in, const IndexRange& samples, const IndexRange& traces);

// A depth image's rows (depths) and columns: z0 and x0 of the first kept, dx * step.
DepthImage crop(const DepthImage& in, const IndexRange& rows, const IndexRange& columns);

}  // namespace gprproc
