// 3-D Kirchhoff migration on the CPU. The geometry is shift-invariant along
// both lines and traces, so one table row (the entries of one depth row:
// line offset, trace offset, sample position, weight) serves every pixel of
// that row, and a contribution is a whole image row of a line updated from
// a whole oversampled sample row of another line:
//   out[j][z][x] += w0 * T[j +- dl][p][x + dk] + w1 * T[j +- dl][p + 1][x + dk]
// over all columns x: contiguous loads, vectorised (row_kernels).
// Per execute, for each tile of image columns (its traces plus a halo of
// halo_traces each side):
//   1. each line is pre-filtered (the time derivative, FFT in SIMD lanes),
//      oversampled (windowed sinc) and, with anti-aliasing, integrated twice,
//      into a ring of ring_lines line buffers, once per tile (the lines a
//      block brings in are done together, one parallel loop over lines and
//      trace blocks);
//   2. image lines are summed in blocks of tile_lines, each block once every
//      line within halo_lines of it is in the ring; then the ring moves on.
// Every pre-filter step is per trace and every pixel reads only traces within
// the halos, in the entries' order, so the result is the untiled one bit for bit.
#include "migration/kirchhoff_3d_cpu.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "fft_cpu.hpp"
#include "gprproc/detail/migration_3d_math.hpp"
#include "gprproc/detail/migration_math.hpp"
#include "row_kernels.hpp"

#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_max_threads() { return 1; }
#endif

namespace gprproc::migration_detail {

namespace {

using cuda_backend::Kirchhoff3DSetup;
using detail::Kirchhoff3DEntry;

constexpr std::size_t kIntegrateBlock = 64;  // traces per double-integration task
constexpr std::size_t kTileColumns = 512;    // image columns per sum task
constexpr std::size_t kMaxRowBlock = 8;      // depth rows per sum task, at most

GPRPROC_ROW_KERNEL void row_linear(float* __restrict out, const float* __restrict a, const float* __restrict b,
                                   float wa, float wb, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += wa * a[i] + wb * b[i];
}

// The two lines j + dl and j - dl at one table entry: the same taps.
GPRPROC_ROW_KERNEL void row_linear_pair(float* __restrict out, const float* __restrict a, const float* __restrict b,
                                        const float* __restrict c, const float* __restrict d, float wa, float wb,
                                        std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += wa * (a[i] + c[i]) + wb * (b[i] + d[i]);
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

// The tile's geometry: buffer traces [a, a + nb) of the cube's n_traces.
struct Tile {
  std::size_t a = 0, nb = 0;
};

// 1a-b. Pre-filter (detail::derivative_filter's factor) and oversample the
//     traces [a, a + nb) of lines [first, last) of `in` into their ring
//     slots, one task per (line, block of adjacent traces): the block is
//     transformed in the lanes of a SIMD vector (cpu::RealFftLanes), then
//     resampled straight from the lanes. Ring rows: (n_os + 2, nb), row q + 1
//     = oversampled sample q, rows 0 and n_os + 1 zero (the linear read's
//     neighbours outside the record). Sample q is the windowed sinc at
//     q / oversampling with detail::oversampling_weight's taps in their order
//     (as the 2-D plan and the CUDA kernel); each trace's numbers do not
//     depend on the block it is in.
void prepare_lines(const Kirchhoff3DSetup& s, ConstBScanStackView in, std::size_t a, std::size_t nb,
                   std::size_t first, std::size_t last, std::size_t slots, float* ring) {
  const std::size_t ns = s.n_samples, nx = s.n_traces, n_os = s.n_os();
  const std::size_t os_size = (n_os + 2) * nb;
  const int os = s.oversampling;
  constexpr std::size_t lanes = cpu::RealFftLanes::lanes;
  const std::size_t length = s.derivative ? s.fft_length : ns;
  // Halfcomplex order: bin k (1 <= k < length / 2) is (re, im) at (2k - 1, 2k);
  // DC and Nyquist are zeroed (their factors are 0).
  std::vector<float> factor(s.derivative ? length / 2 : 0);
  for (std::size_t k = 1; k < factor.size(); ++k)
    factor[k] = detail::derivative_factor(static_cast<int>(k), static_cast<int>(length), s.dt).im;
  std::vector<float> weights(static_cast<std::size_t>(os) * 2 * detail::sinc_half_width);
  for (int phase = 0; phase < os; ++phase)
    for (int tap = 0; tap < 2 * detail::sinc_half_width; ++tap)
      weights[static_cast<std::size_t>(phase * 2 * detail::sinc_half_width + tap)] =
          detail::oversampling_weight(phase, os, tap);
  const float scale = 1.0f / static_cast<float>(length);
  const std::size_t blocks_per_line = (nb + lanes - 1) / lanes;
  const long long n_tasks = static_cast<long long>((last - first) * blocks_per_line);
#pragma omp parallel
  {
    std::unique_ptr<cpu::RealFftLanes> fft;
    std::vector<float> plain;
    if (s.derivative) fft = std::make_unique<cpu::RealFftLanes>(length);
    else plain.resize(ns * lanes);
#pragma omp for schedule(static)
    for (long long task = 0; task < n_tasks; ++task) {
      const std::size_t line = first + static_cast<std::size_t>(task) / blocks_per_line;
      const std::size_t j0 = (static_cast<std::size_t>(task) % blocks_per_line) * lanes, w = std::min(lanes, nb - j0);
      const float* source = in.samples + line * ns * nx + a + j0;
      float* d = s.derivative ? fft->data() : plain.data();
      for (std::size_t i = 0; i < ns; ++i)
        for (std::size_t l = 0; l < lanes; ++l) d[i * lanes + l] = l < w ? source[i * nx + l] : 0.0f;
      if (s.derivative) {
        std::fill(d + ns * lanes, d + length * lanes, 0.0f);
        fft->forward();
        for (std::size_t l = 0; l < lanes; ++l) {
          d[l] = 0.0f;
          d[(length - 1) * lanes + l] = 0.0f;
        }
        // (r + i m) (i f) = -f m + i f r, f = factor (the factor is purely imaginary).
        for (std::size_t k = 1; k < length / 2; ++k) {
          float* re = d + (2 * k - 1) * lanes;
          float* im = re + lanes;
          const float f = factor[k];
          for (std::size_t l = 0; l < lanes; ++l) {
            const float r = re[l], m = im[l];
            re[l] = -f * m;
            im[l] = f * r;
          }
        }
        fft->inverse(scale);
      }
      float* out = ring + (line % slots) * os_size + j0;
      for (std::size_t l = 0; l < w; ++l) {
        out[l] = 0.0f;
        out[(n_os + 1) * nb + l] = 0.0f;
      }
      for (std::size_t q = 0; q < n_os; ++q) {
        float* row = out + (q + 1) * nb;
        float sum[lanes] = {};
        if (os == 1) {
          for (std::size_t l = 0; l < lanes; ++l) sum[l] = d[q * lanes + l];
        } else {
          const int base = static_cast<int>(q) / os, phase = static_cast<int>(q) % os;
          const float* wq = weights.data() + static_cast<std::size_t>(phase * 2 * detail::sinc_half_width);
          for (int tap = 0; tap < 2 * detail::sinc_half_width; ++tap) {
            const int i = base - detail::sinc_half_width + 1 + tap;
            if (i < 0 || i >= static_cast<int>(ns)) continue;
            const float* x = d + static_cast<std::size_t>(i) * lanes;
            for (std::size_t l = 0; l < lanes; ++l) sum[l] += x[l] * wq[tap];
          }
        }
        for (std::size_t l = 0; l < w; ++l) row[l] = sum[l];
      }
    }
  }
}

// 1c. detail::integrate_twice for a block of `w` traces (columns of rows nb
//     apart), the same double recurrences per trace as the 2-D plan's.
GPRPROC_ROW_KERNEL void integrate_block(const float* os_traces, float* out, float* means, std::size_t nb,
                                        std::size_t n_os, std::size_t pad, std::size_t w) {
  const std::size_t total = n_os + 2 * pad;
  double s1[kIntegrateBlock] = {}, s1_sum[kIntegrateBlock] = {}, s1_moment[kIntegrateBlock] = {};
  for (std::size_t u = pad; u < pad + n_os; ++u) {
    const float* __restrict x = os_traces + (u + 1 - pad) * nb;
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
  for (std::size_t u = total; u-- > 0;) {
    float* __restrict dst = out + u * nb;
    for (std::size_t c = 0; c < w; ++c) {
      s2_acc[c] += s1[c] - s1_mean[c];
      dst[c] = static_cast<float>(s2_acc[c] - s2_mean[c]);
    }
    if (u >= pad && u < pad + n_os) {
      const float* __restrict x = os_traces + (u + 1 - pad) * nb;
      for (std::size_t c = 0; c < w; ++c) s1[c] -= static_cast<double>(x[c]) - mean[c];
    }
  }
}

// Lines [first, last) of the ring, one task per (line, block of traces).
void integrate_lines(const Kirchhoff3DSetup& s, std::size_t nb, std::size_t first, std::size_t last,
                     std::size_t slots, const float* ring, float* integrated, float* means) {
  const std::size_t n_os = s.n_os(), pad = static_cast<std::size_t>(s.antialias_pad);
  const std::size_t os_size = (n_os + 2) * nb, int_size = (n_os + 2 * pad) * nb;
  const std::size_t blocks_per_line = (nb + kIntegrateBlock - 1) / kIntegrateBlock;
  const long long n_tasks = static_cast<long long>((last - first) * blocks_per_line);
#pragma omp parallel for schedule(dynamic)
  for (long long task = 0; task < n_tasks; ++task) {
    const std::size_t slot = (first + static_cast<std::size_t>(task) / blocks_per_line) % slots;
    const std::size_t j0 = (static_cast<std::size_t>(task) % blocks_per_line) * kIntegrateBlock;
    integrate_block(ring + slot * os_size + j0, integrated + slot * int_size + j0, means + slot * nb + j0, nb, n_os,
                    pad, std::min(kIntegrateBlock, nb - j0));
  }
}

// Pointers to one line's buffers in the ring.
struct LineBuffers {
  const float* oversampled;  // (n_os + 2, nb)
  const float* integrated;   // (n_os + 2 pad, nb) or null
  const float* means;        // (nb) or null
};

// One triangle-filtered contribution of line `b` into image row piece
// [lo, lo + n) (buffer columns), trace offset k.
void triangle_contribution(const LineBuffers& b, std::size_t nb, long long pad, const detail::TriangleTaps& taps,
                           float mean_weight, float* image, long long lo, int k, std::size_t n) {
  const float* rows[7];
  float w[7];
  for (int i = 0; i < 3; ++i) {
    const float* r = b.integrated + static_cast<std::size_t>(taps.index[i] + pad) * nb + (lo + k);
    rows[2 * i] = r;
    rows[2 * i + 1] = r + nb;
    w[2 * i] = taps.w0[i];
    w[2 * i + 1] = taps.w1[i];
  }
  rows[6] = b.means + (lo + k);
  w[6] = mean_weight;
  row_triangle(image + lo, rows, w, n);
}

// 2. The sum of image lines [line_begin, line_end), columns [col_begin,
//    col_end) of the buffer numbering (nb traces). line(L) gives line L's
//    buffers (every line within halo_lines of the block is in the ring).
template <class LineOf>
void sum(const Kirchhoff3DSetup& s, const Tile& tile, LineOf line, BScanStackView out, std::size_t line_begin,
         std::size_t line_end, std::size_t col_begin, std::size_t col_end) {
  const std::size_t nb = tile.nb, n_os = s.n_os();
  const long long n_col_tiles = static_cast<long long>((col_end - col_begin + kTileColumns - 1) / kTileColumns);
  // Depth rows per task: kMaxRowBlock (neighbouring rows read nearby times of
  // the same traces), fewer when a block of few lines would leave threads idle.
  const std::size_t work_units = s.n_z * (line_end - line_begin) * static_cast<std::size_t>(n_col_tiles);
  const std::size_t threads = static_cast<std::size_t>(std::max(1, omp_get_max_threads()));
  const std::size_t row_block = std::max<std::size_t>(1, std::min(kMaxRowBlock, work_units / (8 * threads)));
  const long long n_row_blocks = static_cast<long long>((s.n_z + row_block - 1) / row_block);
  const long long n_block_lines = static_cast<long long>(line_end - line_begin);
  const long long n_tasks = n_block_lines * n_row_blocks * n_col_tiles;
  const long long last = static_cast<long long>(n_os) - 1;
  const long long pad = s.antialias_pad;
  const long long n_lines = static_cast<long long>(s.n_lines);
  const bool antialias = !s.antialias.empty();
#pragma omp parallel for schedule(dynamic)
  for (long long task = 0; task < n_tasks; ++task) {
    const long long col_tile = task % n_col_tiles;
    const long long rb = (task / n_col_tiles) % n_row_blocks;
    const long long j = static_cast<long long>(line_begin) + task / (n_col_tiles * n_row_blocks);
    const long long j_begin = static_cast<long long>(col_begin) + col_tile * static_cast<long long>(kTileColumns);
    const long long j_end = std::min<long long>(static_cast<long long>(col_end), j_begin + kTileColumns);
    const std::size_t row_end = std::min(s.n_z, static_cast<std::size_t>(rb + 1) * row_block);
    float* image_line = out.samples + static_cast<std::size_t>(j) * s.n_z * s.n_traces + tile.a;
    const std::size_t row_first = static_cast<std::size_t>(rb) * row_block;
    // Entry cursors of the task's rows: the rows are swept one line offset at
    // a time (a row's entries are in line-offset order), so that the rows of
    // lines j +- l the block's depth rows read stay in cache across them. A
    // pixel's own sum keeps the entries' order.
    int cursor[kMaxRowBlock], row_stop[kMaxRowBlock];
    for (std::size_t row = row_first; row < row_end; ++row) {
      std::fill(image_line + row * s.n_traces + j_begin, image_line + row * s.n_traces + j_end, 0.0f);
      cursor[row - row_first] = s.row_begin[row];
      row_stop[row - row_first] = s.row_begin[row + 1];
    }
    for (int dl = 0; dl <= s.halo_lines; ++dl) {
      const long long plus = j + dl, minus = j - dl;
      const bool has_plus = plus < n_lines, has_minus = dl > 0 && minus >= 0;
      for (std::size_t row = row_first; row < row_end; ++row) {
        float* image = image_line + row * s.n_traces;
        int& e = cursor[row - row_first];
        const int stop = row_stop[row - row_first];
        for (; e < stop && s.entries[static_cast<std::size_t>(e)].line_offset == dl; ++e) {
          if (!has_plus && !has_minus) continue;
          const Kirchhoff3DEntry& entry = s.entries[static_cast<std::size_t>(e)];
          const int k = entry.trace_offset;
          // Columns whose trace (column + k) exists.
          const long long lo = std::max<long long>(j_begin, -k);
          const long long hi = std::min<long long>(j_end, static_cast<long long>(nb) - k);
          if (lo >= hi) continue;
          const std::size_t n = static_cast<std::size_t>(hi - lo);
          const float position = entry.position, weight = entry.weight;
          const float half_length = antialias ? s.antialias[2 * static_cast<std::size_t>(e)] : 0.0f;
          if (half_length > detail::antialias_min_half_length) {
            if (position + half_length <= 0.0f || position - half_length >= static_cast<float>(last)) continue;
            const detail::TriangleTaps taps = detail::triangle_taps(position, half_length, weight);
            const float mean_weight = weight * s.antialias[2 * static_cast<std::size_t>(e) + 1];
            if (has_plus)
              triangle_contribution(line(static_cast<std::size_t>(plus)), nb, pad, taps, mean_weight, image, lo, k,
                                    n);
            if (has_minus)
              triangle_contribution(line(static_cast<std::size_t>(minus)), nb, pad, taps, mean_weight, image, lo, k,
                                    n);
          } else {
            const detail::LinearTaps taps = detail::linear_taps(position, weight);
            if (taps.index < -1 || taps.index > last) continue;  // both samples outside the record
            const std::size_t offset =
                static_cast<std::size_t>(taps.index + 1) * nb + static_cast<std::size_t>(lo + k);
            if (has_plus && has_minus) {
              const float* p = line(static_cast<std::size_t>(plus)).oversampled + offset;
              const float* m = line(static_cast<std::size_t>(minus)).oversampled + offset;
              row_linear_pair(image + lo, p, p + nb, m, m + nb, taps.w0, taps.w1, n);
            } else {
              const float* r = line(static_cast<std::size_t>(has_plus ? plus : minus)).oversampled + offset;
              row_linear(image + lo, r, r + nb, taps.w0, taps.w1, n);
            }
          }
        }
      }
    }
  }
}

}  // namespace

void kirchhoff_3d_execute_cpu(const Kirchhoff3DSetup& s, Kirchhoff3DWorkspace& work, ConstBScanStackView in,
                              BScanStackView out) {
  const std::size_t nx = s.n_traces, n_os = s.n_os();
  const std::size_t halo_x = static_cast<std::size_t>(s.halo_traces), halo_y = static_cast<std::size_t>(s.halo_lines);
  const std::size_t tile_x = std::max<std::size_t>(1, std::min(s.tile_traces, nx));
  const std::size_t block = std::max<std::size_t>(1, std::min(s.tile_lines, s.n_lines));
  const std::size_t slots = s.ring_lines();
  const bool antialias = !s.antialias.empty();
  const std::size_t pad = static_cast<std::size_t>(s.antialias_pad);
  // Sized once for the widest tile (a resize per tile would hold two rings at once).
  const std::size_t widest = s.buffer_traces();
  work.ring.resize(slots * (n_os + 2) * widest);
  if (antialias) {
    work.integrated.resize(slots * (n_os + 2 * pad) * widest);
    work.means.resize(slots * widest);
  }
  for (std::size_t i0 = 0; i0 < nx; i0 += tile_x) {
    const std::size_t i1 = std::min(nx, i0 + tile_x);
    Tile tile;
    tile.a = i0 > halo_x ? i0 - halo_x : 0;
    tile.nb = std::min(nx, i1 + halo_x) - tile.a;
    const std::size_t nb = tile.nb;
    const std::size_t os_size = (n_os + 2) * nb, int_size = (n_os + 2 * pad) * nb;
    // Every slot is overwritten in full (for this tile's nb) before it is read.
    auto line = [&](std::size_t l) {
      const std::size_t slot = l % slots;
      return LineBuffers{work.ring.data() + slot * os_size,
                         antialias ? work.integrated.data() + slot * int_size : nullptr,
                         antialias ? work.means.data() + slot * nb : nullptr};
    };
    std::size_t next_line = 0;  // lines below it are (or were) in the ring
    for (std::size_t j0 = 0; j0 < s.n_lines; j0 += block) {
      const std::size_t j1 = std::min(s.n_lines, j0 + block);
      const std::size_t needed = std::min(s.n_lines, j1 + halo_y);
      if (next_line < needed) {
        prepare_lines(s, in, tile.a, nb, next_line, needed, slots, work.ring.data());
        if (antialias)
          integrate_lines(s, nb, next_line, needed, slots, work.ring.data(), work.integrated.data(),
                          work.means.data());
        next_line = needed;
      }
      sum(s, tile, line, out, j0, j1, i0 - tile.a, i1 - tile.a);
    }
  }
}

}  // namespace gprproc::migration_detail
