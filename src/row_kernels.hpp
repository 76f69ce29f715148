#pragma once
// Loops over whole rows of floats shared by the CPU kernels (Kirchhoff's
// oversampling, trace shifting, the f-k transforms' trace gathers). GPRPROC_ROW_KERNEL compiles a function twice
// on x86-64 Linux with GCC (AVX2 and baseline) and picks one at load time, so
// a portable build still runs 8-wide on current CPUs. Neither clone
// contracts a * b + c into an FMA (AVX2 does not include it), so both give
// the same bits.
#include <cstddef>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define GPRPROC_ROW_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define GPRPROC_ROW_KERNEL
#endif

namespace gprproc::row_kernels {

// out[i] += wa * a[i] for i < n; out and a do not overlap.
void row_axpy(float* __restrict out, const float* __restrict a, float wa, std::size_t n);

// Traces j0 .. j0 + width - 1 of a (ns, nt) row-major B-scan into columns
// `stride` floats apart, sample i at column[offset + i]. Whole pieces of rows
// are read in turn; the strided side is the columns, which stay in cache.
void traces_to_columns(const float* samples, std::size_t ns, std::size_t nt, std::size_t j0, std::size_t width,
                       float* columns, std::size_t stride, std::size_t offset);

// The reverse of traces_to_columns (offset 0).
void columns_to_traces(const float* columns, std::size_t stride, std::size_t ns, std::size_t nt, std::size_t j0,
                       std::size_t width, float* samples);

}  // namespace gprproc::row_kernels
