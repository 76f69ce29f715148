// The f-k transforms shared by the CPU Stolt and phase-shift migrations.
#include "migration_fk_cpu.hpp"

#include <algorithm>
#include <optional>

#include "fft_cpu.hpp"
#include "parallel_errors.hpp"
#include "row_kernels.hpp"

namespace gprproc::migration_detail {

namespace {
// Columns are gathered kColumnBlock at a time, so that each row's cache line
// (8 complex floats) is read and written once for 8 columns instead of once
// per column.
constexpr std::size_t kColumnBlock = 8;
// Real traces gathered from (or scattered to) row-major data 16 at a time:
// one 64-byte cache line of each row.
constexpr std::size_t kTraceBlock = 16;
}  // namespace

void fft_columns(std::complex<float>* data, std::size_t rows, std::size_t columns, bool forward) {
  using cfloat = std::complex<float>;
  const long long blocks = static_cast<long long>((columns + kColumnBlock - 1) / kColumnBlock);
  // The plans and transforms allocate: a failure must not escape the region.
  parallel::ParallelErrors errors;
#pragma omp parallel
  {
    std::vector<cfloat> block;
    std::optional<cpu::ComplexFft> plan;
    const bool ready = errors.run([&] {
      block.resize(kColumnBlock * rows);
      plan.emplace(rows);
    });
#pragma omp for schedule(static)
    for (long long bb = 0; bb < blocks; ++bb) {
      if (!ready) continue;
      errors.run([&] {
        cpu::ComplexFft& fft = *plan;
        const std::size_t c0 = static_cast<std::size_t>(bb) * kColumnBlock;
        const std::size_t width = std::min(kColumnBlock, columns - c0);
        for (std::size_t a = 0; a < rows; ++a)
          for (std::size_t c = 0; c < width; ++c) block[c * rows + a] = data[a * columns + c0 + c];
        for (std::size_t c = 0; c < width; ++c) {
          cfloat* column = block.data() + c * rows;
          if (forward) fft.forward(column, column);
          else fft.inverse(column, column);
        }
        for (std::size_t a = 0; a < rows; ++a)
          for (std::size_t c = 0; c < width; ++c) data[a * columns + c0 + c] = block[c * rows + a];
      });
    }
  }
  errors.rethrow();
}

std::vector<std::complex<float>> fk_spectrum(ConstBScanView in, std::size_t nt, std::size_t nx, std::size_t centre) {
  const std::size_t nk = nt / 2 + 1;
  const std::size_t ns = in.n_samples, n_traces = in.n_traces;
  std::vector<std::complex<float>> spectrum(nx * nk, std::complex<float>(0.0f, 0.0f));
  const long long blocks = static_cast<long long>((n_traces + kTraceBlock - 1) / kTraceBlock);
  const std::size_t shift = centre % nt;
  const std::size_t head = std::min(shift, ns);  // samples before `centre`: they wrap to the buffer's end
  parallel::ParallelErrors errors;  // as in fft_columns
#pragma omp parallel
  {
    std::vector<float> buffers;
    std::optional<cpu::RealFft> plan;
    const bool ready = errors.run([&] {
      buffers.resize(kTraceBlock * nt);
      plan.emplace(nt);
    });
#pragma omp for schedule(static)
    for (long long bb = 0; bb < blocks; ++bb) {
      if (!ready) continue;
      errors.run([&] {
        cpu::RealFft& fft = *plan;
        // kTraceBlock traces at a time: each row's piece of them is one
        // contiguous read, not one cache line per sample.
        const std::size_t j0 = static_cast<std::size_t>(bb) * kTraceBlock;
        const std::size_t width = std::min(kTraceBlock, n_traces - j0);
        // Sample n goes to (n - centre) mod nt: samples from `centre` on start
        // the buffer, the ones before it wrap to its end.
        std::fill(buffers.begin(), buffers.end(), 0.0f);
        row_kernels::traces_to_columns(in.samples + head * n_traces, ns - head, n_traces, j0, width, buffers.data(), nt,
                                       0);
        row_kernels::traces_to_columns(in.samples, head, n_traces, j0, width, buffers.data(), nt, nt - shift);
        for (std::size_t c = 0; c < width; ++c) fft.forward(buffers.data() + c * nt, spectrum.data() + (j0 + c) * nk);
      });
    }
  }
  errors.rethrow();
  fft_columns(spectrum.data(), nx, nk, true);
  return spectrum;
}

void fk_inverse(std::complex<float>* spectrum, std::size_t nt, std::size_t nx, std::size_t first, std::size_t count,
                std::size_t rows, float* out, std::size_t out_stride) {
  const std::size_t nk = nt / 2 + 1;
  fft_columns(spectrum, nx, nk, false);
  const long long blocks = static_cast<long long>((count + kTraceBlock - 1) / kTraceBlock);
  parallel::ParallelErrors errors;  // as in fft_columns
#pragma omp parallel
  {
    std::vector<float> columns;
    std::optional<cpu::RealFft> plan;
    const bool ready = errors.run([&] {
      columns.resize(kTraceBlock * nt);
      plan.emplace(nt);
    });
#pragma omp for schedule(static)
    for (long long bb = 0; bb < blocks; ++bb) {
      if (!ready) continue;
      errors.run([&] {
        cpu::RealFft& fft = *plan;
        // kTraceBlock traces at a time, written back one contiguous row piece at a time.
        const std::size_t c0 = static_cast<std::size_t>(bb) * kTraceBlock;
        const std::size_t width = std::min(kTraceBlock, count - c0);
        for (std::size_t c = 0; c < width; ++c) fft.inverse(spectrum + (first + c0 + c) * nk, columns.data() + c * nt);
        row_kernels::columns_to_traces(columns.data(), nt, rows, out_stride, c0, width, out);
      });
    }
  }
  errors.rethrow();
}

}  // namespace gprproc::migration_detail
