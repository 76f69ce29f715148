// The f-k transforms shared by the CPU Stolt and phase-shift migrations.
#include "migration_fk_cpu.hpp"

#include <algorithm>

#include "fft_cpu.hpp"

namespace gprproc::migration_detail {

namespace {
// Columns are gathered kColumnBlock at a time, so that each row's cache line
// (8 complex floats) is read and written once for 8 columns instead of once
// per column.
constexpr std::size_t kColumnBlock = 8;
}  // namespace

void fft_columns(std::complex<float>* data, std::size_t rows, std::size_t columns, bool forward) {
  using cfloat = std::complex<float>;
  const long long blocks = static_cast<long long>((columns + kColumnBlock - 1) / kColumnBlock);
#pragma omp parallel
  {
    std::vector<cfloat> block(kColumnBlock * rows);
    cpu::ComplexFft fft(rows);
#pragma omp for schedule(static)
    for (long long bb = 0; bb < blocks; ++bb) {
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
    }
  }
}

std::vector<std::complex<float>> fk_spectrum(ConstBScanView in, std::size_t nt, std::size_t nx, std::size_t centre) {
  const std::size_t nk = nt / 2 + 1;
  std::vector<std::complex<float>> spectrum(nx * nk, std::complex<float>(0.0f, 0.0f));
#pragma omp parallel
  {
    std::vector<float> buffer(nt);
    cpu::RealFft fft(nt);
#pragma omp for schedule(static)
    for (long long jj = 0; jj < static_cast<long long>(in.n_traces); ++jj) {
      const std::size_t j = static_cast<std::size_t>(jj);
      std::fill(buffer.begin(), buffer.end(), 0.0f);
      for (std::size_t n = 0; n < in.n_samples; ++n) buffer[(n + nt - centre) % nt] = in.samples[n * in.n_traces + j];
      fft.forward(buffer.data(), spectrum.data() + j * nk);
    }
  }
  fft_columns(spectrum.data(), nx, nk, true);
  return spectrum;
}

void fk_inverse(std::complex<float>* spectrum, std::size_t nt, std::size_t nx, std::size_t first, std::size_t count,
                std::size_t rows, float* out, std::size_t out_stride) {
  const std::size_t nk = nt / 2 + 1;
  fft_columns(spectrum, nx, nk, false);
#pragma omp parallel
  {
    std::vector<float> column(nt);
    cpu::RealFft fft(nt);
#pragma omp for schedule(static)
    for (long long cc = 0; cc < static_cast<long long>(count); ++cc) {
      const std::size_t c = static_cast<std::size_t>(cc);
      fft.inverse(spectrum + (first + c) * nk, column.data());
      for (std::size_t i = 0; i < rows; ++i) out[i * out_stride + c] = column[i];
    }
  }
}

}  // namespace gprproc::migration_detail
