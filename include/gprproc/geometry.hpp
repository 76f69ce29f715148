#pragma once
// Field-geometry steps along a line: trace stacking and decimation, distance
// normalisation (between the operator's marks, or from per-trace positions),
// saturation (clipping) detection, and the topographic (static) correction.
// Algorithms, conventions and references: docs/GEOMETRY.md.
//
// The along-line steps (stack, decimate, normalise) all resample the traces:
// every output trace is a weighted sum of input traces, a TraceMix. Each step
// exists at three levels:
//  - a plan, from the line's geometry alone (trace count, x0, dx, positions,
//    marks): the mix and the geometry of the result (no samples touched);
//  - apply_trace_mix on caller memory (host or device views, CPU or CUDA);
//  - a convenience level, BScan in, new BScan out, with a history step.
// Saturation detection reads the samples and never changes them; the
// topographic correction shifts each trace in time (windowed sinc, the
// time-zero shift of filters.hpp) into a longer output.
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "gprproc/bscan.hpp"
#include "gprproc/device.hpp"
#include "gprproc/history.hpp"

namespace gprproc {

// ---- The trace mix: output trace k is sum over w in [offsets[k], offsets[k+1])
// of weight[w] * (input trace index[w]), sample by sample (in double, rounded
// once to float).
struct TraceMix {
  std::vector<std::size_t> offsets{0};  // n_out + 1, offsets[0] = 0, non-decreasing
  std::vector<std::size_t> index;       // input trace of each term
  std::vector<double> weight;           // weight of each term (finite)
  std::size_t n_out() const { return offsets.empty() ? 0 : offsets.size() - 1; }
};

// Throws InvalidArgument naming the problem when the mix is malformed or reads
// a trace >= n_in.
void validate(const TraceMix& mix, std::size_t n_in);

// out (n_samples, mix.n_out()) from in (n_samples, n_in); `in` and `out` must
// not overlap. Host or device views; NaN/Inf input is refused.
void apply_trace_mix(ConstBScanView in, const TraceMix& mix, BScanView out, Device device = Device::automatic);

// What the along-line steps read and write besides the samples.
struct LineGeometry {
  std::size_t n_traces = 0;
  double x0 = 0.0;                 // m, position of trace 0 along the line
  double dx = 0.0;                 // m, trace spacing (0 when unknown; stacking and decimation need it)
  std::vector<double> positions;   // n_traces x 3 (m, row-major) or empty
  std::vector<std::size_t> marks;  // increasing trace indices < n_traces, or empty

  static LineGeometry of(const BScan& b);
};

// A planned resampling: the mix, the geometry of the result, and what it did
// to the traces (recorded in the history, never silent).
struct TraceResampling {
  TraceMix mix;
  LineGeometry geometry;           // of the output (n_traces = mix.n_out())
  std::size_t dropped_traces = 0;  // input traces that feed no output trace
  std::size_t merged_traces = 0;   // stationary traces merged into a neighbour (normalisation)
  std::string operation;           // the history step's name
  HistoryParameters parameters;    // and its parameters
};

// Applies a plan: the mixed samples with the plan's geometry, the input's
// other metadata, and the history plus the plan's step.
BScan apply_resampling(const BScan& in, const TraceResampling& plan, Device device = Device::automatic);

// ---- Stacking: every `traces` adjacent traces averaged into one. The output
// spacing is dx * traces and x0 moves to the centre of the first group
// (x0 + (traces - 1) / 2 * dx); positions are the mean of the group's; a mark
// moves to the group that holds it (two marks in one group become one).
enum class PartialGroup {
  drop,     // a last group of fewer than `traces` traces is left out (counted in dropped_traces)
  average,  // it is averaged over the traces it has; its true centre (positions) lies
            // (traces - m) / 2 * dx before its place on the regular x0 + k dx grid
};

struct StackOptions {
  std::size_t traces = 2;  // 1 .. n_traces
  PartialGroup partial = PartialGroup::drop;
};

TraceResampling plan_stack(const LineGeometry& line, const StackOptions& options);
BScan stack_traces(const BScan& in, const StackOptions& options, Device device = Device::automatic);

// ---- Decimation by an integer factor: traces 0, factor, 2 factor, ... are
// kept (x0 stays, dx * factor). With anti_alias, each kept trace is first
// replaced by the centred running mean over `factor` traces (odd factor: a
// boxcar of `factor` traces; even: factor + 1 traces, the two end ones at half
// weight), which cancels a trace-to-trace wave of period `factor` traces (it
// would alias to a constant); near the line's ends the window shrinks
// symmetrically to the traces that exist. Marks move to the nearest kept trace.
struct DecimationOptions {
  std::size_t factor = 2;  // 1 .. n_traces
  bool anti_alias = true;
};

TraceResampling plan_decimation(const LineGeometry& line, const DecimationOptions& options);
BScan decimate_traces(const BScan& in, const DecimationOptions& options, Device device = Device::automatic);

// ---- Distance normalisation: traces put onto a regular spacing from their
// distances along the line (m, one per trace, non-decreasing). Output trace k
// lies at distance origin + k * spacing for every k whose distance lies within
// [distances.front(), distances.back()] (or within the marks, see below); it is
// interpolated linearly between the two input traces around it. Stationary
// stretches (consecutive traces at one distance) are first stacked into one
// trace (or all but the first dropped). Decreasing distances (backwards motion)
// are refused, naming the trace.
enum class StationaryTraces {
  stack,  // the mean of the traces recorded at one distance
  drop,   // the first of them; the others are left out
};

struct DistanceOptions {
  double spacing = 0.0;  // m, the new trace spacing (> 0)
  StationaryTraces stationary = StationaryTraces::stack;
};

// The resampling onto origin + k * spacing, from per-trace distances. Output
// geometry: x0 = the first output trace's distance, dx = spacing, positions
// interpolated with the samples' weights, marks moved to the nearest output trace.
TraceResampling plan_distance_normalization(const LineGeometry& line, const std::vector<double>& distances,
                                            double origin, const DistanceOptions& options);

// (a) Between marks placed `mark_spacing` metres apart (BScan::marks), the way
// readgssi and GPRPy normalise a line recorded at uneven speed: mark k lies at
// first_mark_distance + k * mark_spacing, traces between marks at uniform speed.
// Traces before the first mark and after the last are extrapolated at the
// speed of the nearest interval, or dropped.
enum class OutsideMarks { extrapolate, drop };

struct MarkOptions {
  double mark_spacing = 0.0;         // m between consecutive marks (> 0)
  double first_mark_distance = 0.0;  // m, distance of the first mark (the output grid holds every mark)
  OutsideMarks outside = OutsideMarks::extrapolate;
};

// Per-trace distances from marks (at least 2, increasing, < n_traces).
std::vector<double> distances_from_marks(std::size_t n_traces, const std::vector<std::size_t>& marks,
                                         const MarkOptions& options);
TraceResampling plan_normalization_by_marks(const LineGeometry& line, const MarkOptions& marks,
                                            const DistanceOptions& options);
BScan normalize_distance_by_marks(const BScan& in, const MarkOptions& marks, const DistanceOptions& options,
                                  Device device = Device::automatic);

// (b) From per-trace positions (n_traces x 3, m: GPS or a survey wheel): the
// distance along the path is the running sum of the horizontal (x, y) steps,
// starting at the line's x0. A step no longer than `stationary_tolerance` is a
// stationary trace (distance unchanged); a step that turns back (more than 90
// degrees from the last moving step) is backwards motion and refused, naming
// the traces and their positions.
struct PathOptions {
  double stationary_tolerance = 0.0;  // m, >= 0 (GPS jitter while standing still)
};

std::vector<double> distances_along_path(const std::vector<double>& positions, std::size_t n_traces, double x0,
                                         const PathOptions& options = {});
TraceResampling plan_normalization_by_positions(const LineGeometry& line, const PathOptions& path,
                                                const DistanceOptions& options);
BScan normalize_distance_by_positions(const BScan& in, const PathOptions& path, const DistanceOptions& options,
                                      Device device = Device::automatic);
// The same from distances given directly (a survey wheel's odometer, one per
// trace, m, non-decreasing); the output grid starts at distances.front().
BScan normalize_distance(const BScan& in, const std::vector<double>& distances, const DistanceOptions& options,
                         Device device = Device::automatic);

// ---- Saturation (clipping) detection. Never changes the data.
struct SaturationOptions {
  // The digitiser's limits in the data's units; NaN: inferred from the data
  // (the record's extreme value, accepted as a limit where some trace holds it
  // on at least min_run consecutive samples: a clipped top is flat).
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  double tolerance = 0.0;   // a sample within this of a limit counts as at the limit (>= 0)
  std::size_t min_run = 3;  // >= 2, for inferred limits
  double threshold = 0.01;  // a trace is saturated when more than this fraction of its samples is at a limit, [0, 1)

  // The limits of a signed integer digitiser of `bits` bits (2..32):
  // -2^(bits-1) and 2^(bits-1) - 1 (raw, unscaled samples only).
  static SaturationOptions signed_integer(int bits);
};

struct SaturationReport {
  double low = -std::numeric_limits<double>::infinity();  // the limits used: -inf / +inf for none
  double high = std::numeric_limits<double>::infinity();
  bool low_inferred = false, high_inferred = false;  // true: found in the data (not given)
  std::vector<double> fraction;            // per trace: samples at a limit / n_samples
  std::vector<std::size_t> longest_run;    // per trace: longest run of consecutive samples at one limit
  std::vector<std::size_t> saturated_traces;  // fraction > threshold, increasing
  std::size_t clipped_samples = 0;         // samples at a limit, all traces
  std::size_t n_samples = 0;
  double threshold = 0.0;

  bool exceeded() const { return !saturated_traces.empty(); }
  // One line for people: how many traces, which, the limits.
  std::string summary() const;
};

SaturationReport detect_saturation(ConstBScanView in, const SaturationOptions& options = {},
                                   Device device = Device::automatic);
SaturationReport detect_saturation(const BScan& in, const SaturationOptions& options = {},
                                   Device device = Device::automatic);
// Appends a "saturation_warning" step (the report's summary and counts) to the
// B-scan's history when the report exceeds its threshold; returns whether it
// did. The samples are not touched.
bool record_saturation(BScan& bscan, const SaturationReport& report);
// The parameters of that step.
HistoryParameters saturation_history(const SaturationReport& report);

// ---- Topographic (static) correction for a ground-coupled antenna: trace j,
// recorded at surface elevation z_j, is delayed by 2 (datum - z_j) / velocity,
// so that a reflector at one elevation arrives at one time on every trace and
// time t maps to elevation datum - velocity * t / 2 (t from time zero at the
// surface). The datum defaults to the highest elevation; it may not lie below
// it (every shift is then a delay and no sample is lost). The output keeps t0
// and dt and has n_samples + ceil(max delay / dt) samples, so every input
// sample is kept; samples shifted in from before a trace's start are zero.
// Fractional shifts use the windowed sinc of shift_traces (filters.hpp).
struct TopographyOptions {
  double velocity = 0.0;  // m/s, the ground's (0 < v <= c)
  double datum = std::numeric_limits<double>::quiet_NaN();  // m; NaN: the highest elevation
  int interpolation_half_width = 8;                         // 2..32 samples
};

struct TopographyPlan {
  std::vector<double> delays;  // s, per trace, >= 0
  double datum = 0.0;          // m, the elevation of time zero after the correction
  std::size_t n_samples_out = 0;
  HistoryParameters parameters;  // of the "correct_topography" history step
};

// Elevations: one per trace, finite (m).
TopographyPlan plan_topography(const std::vector<double>& elevations, const BScanMetadata& metadata,
                               std::size_t n_samples, const TopographyOptions& options);
// out (plan.n_samples_out, n_traces), in (n_samples, n_traces), not overlapping.
void correct_topography(ConstBScanView in, const BScanMetadata& metadata, const TopographyPlan& plan, BScanView out,
                        int interpolation_half_width = 8, Device device = Device::automatic);
// Elevations from `elevations`, or (empty) from the B-scan's positions (z).
BScan correct_topography(const BScan& in, const TopographyOptions& options,
                         const std::vector<double>& elevations = {}, Device device = Device::automatic);

}  // namespace gprproc
