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

// FFT of every column of a (rows, columns) row-major complex array, in place.
void fft_columns(std::complex<float>* data, std::size_t rows, std::size_t columns, bool forward);

}  // namespace gprproc::migration_detail
