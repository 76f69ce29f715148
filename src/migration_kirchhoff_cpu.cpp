// Kirchhoff execution on the CPU. Everything is kept sample-major, as the
// B-scan is ((time, trace), traces contiguous), because the image columns are
// the trace positions: for one depth row and one trace offset k the travel
// time, weight and filter length are the same for every column, so a
// contribution row is `out[j] += a * T[i][j + k] + b * T[i + 1][j + k]` over
// all columns j: contiguous loads, no gathers, no bounds checks, vectorised.
//   1. rho filter (FFT), a SIMD vector of adjacent traces per transform;
//   2. windowed-sinc oversampling as weighted sums of whole sample rows;
//   3. (anti-aliasing) the doubly integrated traces, across blocks of traces;
//   4. the sum, over tiles of columns x blocks of depth rows (OpenMP), the
//      tile narrow enough that the trace rows a depth row reads stay in cache
//      for the next depth rows, which read nearby times.
// Long profiles run steps 1-4 per tile of image columns (tables.tile_traces),
// each tile on its own traces plus a halo of half_width traces each side: every
// step before the sum is per trace, and the sum of a column only reads traces
// within half_width of it, so each pixel sees the same numbers in the same
// order as untiled, and the buffers hold (tile + 2 halo) traces, not n_traces.
#include "migration_kirchhoff_cpu.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "fft_cpu.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "parallel_errors.hpp"
#include "row_kernels.hpp"

namespace gprproc::migration_detail {

namespace {

constexpr std::size_t kIntegrateBlock = 64;  // traces per double-integration task
constexpr std::size_t kTileColumns = 512;    // image columns per sum task
constexpr std::size_t kRowBlock = 8;         // depth rows per sum task

using row_kernels::row_axpy;

GPRPROC_ROW_KERNEL void row_linear(float* __restrict out, const float* __restrict a, const float* __restrict b,
                                   float wa, float wb, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += wa * a[i] + wb * b[i];
}

// Six taps of the doubly integrated traces and the removed trace means (r[6]).
GPRPROC_ROW_KERNEL void row_triangle(float* __restrict out, const float* const* __restrict r, const float* w,
                                     std::size_t n) {
  const float* __restrict r0 = r[0];
  const float* __restrict r1 = r[1];
  const float* __restrict r2 = r[2];
  const float* __restrict r3 = r[3];
  const float* __restrict r4 = r[4];
  const float* __restrict r5 = r[5];
  const float* __restrict r6 = r[6];
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6];
  for (std::size_t i = 0; i < n; ++i)
    out[i] += (((w0 * r0[i] + w1 * r1[i]) + (w2 * r2[i] + w3 * r3[i])) + (w4 * r4[i] + w5 * r5[i])) + w6 * r6[i];
}

// 1. rho filter: `in` (n_samples, n_traces) -> `out`, same layout. Adjacent
//    traces are transformed together, one per SIMD lane (cpu::RealFftLanes):
//    sample i of the block is one contiguous load from row i.
void rho_filter(const KirchhoffTables& t, const float* in, std::size_t in_stride, float* out) {
  const std::size_t ns = t.n_samples, nx = t.n_traces, length = t.fft_length;
  constexpr std::size_t lanes = cpu::RealFftLanes::lanes;
  // Factors in the transform's halfcomplex order: bin k (1 <= k < length / 2)
  // is (re, im) at (2k - 1, 2k); DC at 0 and Nyquist at length - 1 are zeroed
  // (their factors are 0).
  std::vector<float> factor_re(length / 2), factor_im(length / 2);
  for (std::size_t k = 1; k < length / 2; ++k) {
    const auto f = detail::half_derivative_factor(static_cast<int>(k), static_cast<int>(length), t.dt);
    factor_re[k] = f.re;
    factor_im[k] = f.im;
  }
  const float scale = 1.0f / static_cast<float>(length);
  const long long n_blocks = static_cast<long long>((nx + lanes - 1) / lanes);
  // The plans and transforms allocate: a failure must not escape the region.
  parallel::ParallelErrors errors;
#pragma omp parallel
  {
    std::optional<cpu::RealFftLanes> plan;
    const bool ready = errors.run([&] { plan.emplace(length); });
#pragma omp for schedule(static)
    for (long long b = 0; b < n_blocks; ++b) {
      if (!ready) continue;
      errors.run([&] {
        cpu::RealFftLanes& fft = *plan;
        const std::size_t j0 = static_cast<std::size_t>(b) * lanes, w = std::min(lanes, nx - j0);
        float* d = fft.data();
        for (std::size_t i = 0; i < ns; ++i)
          for (std::size_t l = 0; l < lanes; ++l) d[i * lanes + l] = l < w ? in[i * in_stride + j0 + l] : 0.0f;
        std::fill(d + ns * lanes, d + length * lanes, 0.0f);
        fft.forward();
        for (std::size_t l = 0; l < lanes; ++l) {
          d[l] = 0.0f;
          d[(length - 1) * lanes + l] = 0.0f;
        }
        for (std::size_t k = 1; k < length / 2; ++k) {
          float* re = d + (2 * k - 1) * lanes;
          float* im = re + lanes;
          for (std::size_t l = 0; l < lanes; ++l) {
            const float r = re[l], i = im[l];
            re[l] = r * factor_re[k] - i * factor_im[k];
            im[l] = r * factor_im[k] + i * factor_re[k];
          }
        }
        fft.inverse(scale);
        for (std::size_t i = 0; i < ns; ++i)
          for (std::size_t l = 0; l < w; ++l) out[i * nx + j0 + l] = d[i * lanes + l];
      });
    }
  }
  errors.rethrow();
}

// 2. Oversampling: `traces` (n_samples, n_traces) -> `out` (n_os + 2, n_traces),
//    row q + 1 = oversampled sample q, rows 0 and n_os + 1 zero (the linear
//    read's neighbours outside the record). Sample q is the windowed sinc at
//    q / oversampling with detail::oversampling_weight's taps, in their order
//    (the CUDA plan's oversample_traces reads the same weights).
void oversample(const KirchhoffTables& t, const float* traces, std::size_t traces_stride, float* out) {
  const std::size_t nx = t.n_traces, n_os = t.n_samples * static_cast<std::size_t>(t.oversampling);
  const int ns = static_cast<int>(t.n_samples), os = t.oversampling;
  std::fill(out, out + nx, 0.0f);
  std::fill(out + (n_os + 1) * nx, out + (n_os + 2) * nx, 0.0f);
#pragma omp parallel for schedule(static)
  for (long long qq = 0; qq < static_cast<long long>(n_os); ++qq) {
    float* row = out + (static_cast<std::size_t>(qq) + 1) * nx;
    if (os == 1) {
      std::memcpy(row, traces + static_cast<std::size_t>(qq) * traces_stride, nx * sizeof(float));
      continue;
    }
    std::fill(row, row + nx, 0.0f);
    const int base = static_cast<int>(qq / os), phase = static_cast<int>(qq % os);
    for (int tap = 0; tap < 2 * detail::sinc_half_width; ++tap) {
      const int i = base - detail::sinc_half_width + 1 + tap;
      if (i < 0 || i >= ns) continue;
      row_axpy(row, traces + static_cast<std::size_t>(i) * traces_stride, detail::oversampling_weight(phase, os, tap),
               nx);
    }
  }
}

// 3. detail::integrate_twice for every trace, run across blocks of traces:
//    `os_traces` rows 1..n_os (as oversample's output) -> `out`
//    (n_os + 2 pad, n_traces) and the removed means. Same double recurrences
//    per trace.
// One block of `w` <= kIntegrateBlock traces (columns j0.. of rows nx apart).
GPRPROC_ROW_KERNEL void integrate_block(const float* os_traces, float* out, float* means, std::size_t nx,
                                        std::size_t n_os, std::size_t pad, std::size_t w) {
  const std::size_t total = n_os + 2 * pad;
  double s1[kIntegrateBlock] = {}, s1_sum[kIntegrateBlock] = {}, s1_moment[kIntegrateBlock] = {};
  // Pass 1 (detail::integrate_twice): sums of the raw trace's S1 and
  // (u + 1) S1; the zero padding before the record adds nothing, after it S1
  // is constant. Then the trace mean's share comes off in closed form.
  for (std::size_t u = pad; u < pad + n_os; ++u) {
    const float* __restrict x = os_traces + (u + 1 - pad) * nx;
    const double weight = static_cast<double>(u + 1);
    for (std::size_t c = 0; c < w; ++c) {
      s1[c] += static_cast<double>(x[c]);
      s1_sum[c] += s1[c];
      s1_moment[c] += weight * s1[c];
    }
  }
  for (std::size_t u = pad + n_os; u < total; ++u) {
    const double weight = static_cast<double>(u + 1);
    for (std::size_t c = 0; c < w; ++c) {
      s1_sum[c] += s1[c];
      s1_moment[c] += weight * s1[c];
    }
  }
  const double count_sum = detail::record_count_sum(static_cast<int>(n_os), static_cast<int>(pad));
  const double count_moment = detail::record_count_moment(static_cast<int>(n_os), static_cast<int>(pad));
  double mean[kIntegrateBlock];
  for (std::size_t c = 0; c < w; ++c) {
    mean[c] = s1[c] / static_cast<double>(static_cast<int>(n_os));
    means[c] = static_cast<float>(mean[c]);
    s1[c] -= mean[c] * static_cast<double>(static_cast<int>(n_os));
    s1_sum[c] -= mean[c] * count_sum;
    s1_moment[c] -= mean[c] * count_moment;
  }
  double s1_mean[kIntegrateBlock], s2_mean[kIntegrateBlock], s2_acc[kIntegrateBlock] = {};
  const double n_total = static_cast<double>(total);
  for (std::size_t c = 0; c < w; ++c) {
    s1_mean[c] = s1_sum[c] / n_total;
    s2_mean[c] = (s1_moment[c] - s1_mean[c] * 0.5 * n_total * (n_total + 1.0)) / n_total;
  }
  // Pass 2, backward: S1 from its end value down, S2 accumulated anticausally.
  for (std::size_t u = total; u-- > 0;) {
    float* __restrict dst = out + u * nx;
    for (std::size_t c = 0; c < w; ++c) {
      s2_acc[c] += s1[c] - s1_mean[c];
      dst[c] = static_cast<float>(s2_acc[c] - s2_mean[c]);
    }
    if (u >= pad && u < pad + n_os) {
      const float* __restrict x = os_traces + (u + 1 - pad) * nx;
      for (std::size_t c = 0; c < w; ++c) s1[c] -= static_cast<double>(x[c]) - mean[c];
    }
  }
}

void integrate(const KirchhoffTables& t, const float* os_traces, float* out, float* means) {
  const std::size_t nx = t.n_traces, n_os = t.n_samples * static_cast<std::size_t>(t.oversampling);
  const std::size_t pad = static_cast<std::size_t>(t.antialias_pad);
  const long long n_blocks = static_cast<long long>((nx + kIntegrateBlock - 1) / kIntegrateBlock);
#pragma omp parallel for schedule(dynamic)
  for (long long b = 0; b < n_blocks; ++b) {
    const std::size_t j0 = static_cast<std::size_t>(b) * kIntegrateBlock;
    integrate_block(os_traces + j0, out + j0, means + j0, nx, n_os, pad, std::min(kIntegrateBlock, nx - j0));
  }
}

// 4. The diffraction sum of image columns [col_begin, col_end), in the
//    buffers' trace numbering (t.n_traces traces); `out` points at the image's
//    column 0 of that numbering, rows out_stride apart.
void sum(const KirchhoffTables& t, const float* os_traces, const float* integrated, const float* means, float* out,
         std::size_t out_stride, std::size_t col_begin, std::size_t col_end) {
  const std::size_t nx = t.n_traces, n_os = t.n_samples * static_cast<std::size_t>(t.oversampling);
  const long long n_tiles = static_cast<long long>((col_end - col_begin + kTileColumns - 1) / kTileColumns);
  const long long n_row_blocks = static_cast<long long>((t.n_z + kRowBlock - 1) / kRowBlock);
  const int width = 2 * t.half_width + 1;
  const long long last = static_cast<long long>(n_os) - 1;
  const long long pad = t.antialias_pad;
#pragma omp parallel for collapse(2) schedule(dynamic)
  for (long long rb = 0; rb < n_row_blocks; ++rb) {
    for (long long tile = 0; tile < n_tiles; ++tile) {
      const long long j_begin = static_cast<long long>(col_begin) + tile * static_cast<long long>(kTileColumns);
      const long long j_end = std::min<long long>(static_cast<long long>(col_end), j_begin + kTileColumns);
      const std::size_t row_end = std::min(t.n_z, static_cast<std::size_t>(rb + 1) * kRowBlock);
      for (std::size_t row = static_cast<std::size_t>(rb) * kRowBlock; row < row_end; ++row) {
        float* image = out + row * out_stride;
        std::fill(image + j_begin, image + j_end, 0.0f);
        const float* entries = t.table + (row * width + t.half_width) * 2;
        const float* filters = t.antialias ? t.antialias + (row * width + t.half_width) * 2 : nullptr;
        const int row_k = t.row_half_width[row];
        for (int k = -row_k; k <= row_k; ++k) {
          const float position = entries[2 * k], weight = entries[2 * k + 1];
          if (weight == 0.0f) continue;
          // Columns j whose trace j + k exists.
          const long long lo = std::max<long long>(j_begin, -k);
          const long long hi = std::min<long long>(j_end, static_cast<long long>(nx) - k);
          if (lo >= hi) continue;
          const std::size_t n = static_cast<std::size_t>(hi - lo);
          const float half_length = filters ? filters[2 * k] : 0.0f;
          if (half_length > detail::antialias_min_half_length) {
            // Zero unless the triangle's support meets the record.
            if (position + half_length <= 0.0f || position - half_length >= static_cast<float>(last)) continue;
            const detail::TriangleTaps taps = detail::triangle_taps(position, half_length, weight);
            const float* rows[7];
            float w[7];
            for (int i = 0; i < 3; ++i) {
              const float* r = integrated + static_cast<std::size_t>(taps.index[i] + pad) * nx + (lo + k);
              rows[2 * i] = r;
              rows[2 * i + 1] = r + nx;
              w[2 * i] = taps.w0[i];
              w[2 * i + 1] = taps.w1[i];
            }
            rows[6] = means + (lo + k);
            w[6] = weight * filters[2 * k + 1];
            row_triangle(image + lo, rows, w, n);
          } else {
            const detail::LinearTaps taps = detail::linear_taps(position, weight);
            if (taps.index < -1 || taps.index > last) continue;  // both samples outside the record
            const float* r = os_traces + static_cast<std::size_t>(taps.index + 1) * nx + (lo + k);
            row_linear(image + lo, r, r + nx, taps.w0, taps.w1, n);
          }
        }
      }
    }
  }
}

}  // namespace

void kirchhoff_execute_cpu(const KirchhoffTables& tables, KirchhoffWorkspace& work, ConstBScanView in,
                           BScanView out) {
  const std::size_t nx = tables.n_traces, n_os = tables.n_samples * static_cast<std::size_t>(tables.oversampling);
  const std::size_t halo = static_cast<std::size_t>(tables.half_width);
  const std::size_t tile = std::max<std::size_t>(1, std::min(tables.tile_traces == 0 ? nx : tables.tile_traces, nx));
  for (std::size_t j0 = 0; j0 < nx; j0 += tile) {
    const std::size_t j1 = std::min(nx, j0 + tile);
    // Traces [a, b): the tile's and every trace its pixels can read.
    const std::size_t a = j0 > halo ? j0 - halo : 0;
    const std::size_t b = std::min(nx, j1 + halo);
    KirchhoffTables t = tables;
    t.n_traces = b - a;
    const std::size_t nb = t.n_traces;
    // Every buffer is overwritten in full below: resize (no clearing) only.
    const float* traces = in.samples + a;
    std::size_t traces_stride = nx;
    if (t.half_derivative) {
      work.filtered.resize(t.n_samples * nb);
      rho_filter(t, in.samples + a, nx, work.filtered.data());
      traces = work.filtered.data();
      traces_stride = nb;
    }
    work.oversampled.resize((n_os + 2) * nb);
    oversample(t, traces, traces_stride, work.oversampled.data());
    if (t.antialias) {
      work.integrated.resize((n_os + 2 * static_cast<std::size_t>(t.antialias_pad)) * nb);
      work.means.resize(nb);
      integrate(t, work.oversampled.data(), work.integrated.data(), work.means.data());
    }
    sum(t, work.oversampled.data(), work.integrated.data(), work.means.data(), out.samples + a, nx, j0 - a, j1 - a);
  }
}

}  // namespace gprproc::migration_detail
