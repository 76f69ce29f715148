#pragma once
// The f-k transforms the CPU Stolt and phase-shift migrations share
// (src/migration_stolt.cpp, src/migration_phase_shift.cpp).
#include <complex>
#include <cstddef>
#include <vector>

#include "gprproc/bscan.hpp"

namespace gprproc::migration_detail {

// The 2-D spectrum [kx][omega] (nx rows of nt / 2 + 1) of the B-scan `in`
// (host view), each trace rotated back by `centre` samples and zero-padded to
// nt samples, the traces zero-padded to nx: a time FFT of every trace, then an
// FFT along x of every frequency.
std::vector<std::complex<float>> fk_spectrum(ConstBScanView in, std::size_t nt, std::size_t nx, std::size_t centre);

// The inverse of fk_spectrum for the traces [first, first + count) of the
// [kx][omega] spectrum `spectrum` (nx rows of nt / 2 + 1): the inverse FFT
// along x of every frequency (in place), then the inverse real FFT (1 / nt)
// of each of those traces, whose first `rows` samples go to
// out[i * out_stride + (j - first)].
void fk_inverse(std::complex<float>* spectrum, std::size_t nt, std::size_t nx, std::size_t first, std::size_t count,
                std::size_t rows, float* out, std::size_t out_stride);

// FFT of every column of a (rows, columns) row-major complex array, in place.
void fft_columns(std::complex<float>* data, std::size_t rows, std::size_t columns, bool forward);

}  // namespace gprproc::migration_detail
