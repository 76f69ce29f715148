#pragma once
// CPU FFTs for the compute core (band-pass, Hilbert, Stolt, phase shift,
// Kirchhoff's rho filter), through PocketFFT's header-only C++ version
// (third_party/pocketfft, BSD-3; where it came from: its README.md), so the
// core needs no compiled FFT library. It replaced Eigen's kissfft here: on
// 2048-point real transforms it is several times faster (docs/BENCHMARKS.md,
// History), mostly because one plan transforms several traces at once in the
// lanes of a SIMD vector (RealFftLanes below).
//
// Only src/fft_cpu.cpp includes pocketfft: its templates are heavy to
// compile (minutes under the sanitizers), so they are instantiated once there.
// Objects hold their plan and scratch: one per thread, not shared.
#include <complex>
#include <cstddef>
#include <memory>

namespace gprproc::cpu {

// One real FFT length. FFTPACK "halfcomplex" order, used by RealFftLanes:
// r0, r1, i1, r2, i2, ..., and r_{n/2} last when n is even (the bins of the
// positive frequencies, imaginary parts of DC and Nyquist left out).
class RealFft {
 public:
  explicit RealFft(std::size_t length);
  ~RealFft();
  RealFft(RealFft&&) noexcept;
  RealFft& operator=(RealFft&&) noexcept;
  std::size_t length() const { return length_; }
  // length real samples -> length/2 + 1 complex bins (unnormalised).
  void forward(const float* in, std::complex<float>* out);
  // length/2 + 1 bins -> length real samples, divided by length (so
  // inverse(forward(x)) == x). The imaginary parts of DC (and of Nyquist for
  // an even length) are ignored, as for any real inverse transform.
  void inverse(const std::complex<float>* in, float* out);

 private:
  struct Plan;
  std::size_t length_;
  std::unique_ptr<Plan> plan_;
};

// Complex-to-complex FFT of one length, forward (unnormalised) and inverse (1/n).
// `in` may be `out`.
class ComplexFft {
 public:
  explicit ComplexFft(std::size_t length);
  ~ComplexFft();
  ComplexFft(ComplexFft&&) noexcept;
  ComplexFft& operator=(ComplexFft&&) noexcept;
  std::size_t length() const { return length_; }
  void forward(const std::complex<float>* in, std::complex<float>* out);
  void inverse(const std::complex<float>* in, std::complex<float>* out);

 private:
  struct Plan;
  std::size_t length_;
  std::unique_ptr<Plan> plan_;
};

// Real FFTs of `lanes` signals at once, one per lane of a SIMD vector: what a
// block of adjacent traces of a row-major (n_samples, n_traces) B-scan gives,
// since the values of sample i of adjacent traces are contiguous. The data
// live in the object's buffer, `length` vectors of `lanes` floats: value i of
// signal l at data()[i * lanes + l]. Transforms work in place, in halfcomplex
// order (see RealFft) per lane.
class RealFftLanes {
 public:
  // pocketfft's vector width for float in this build (checked in fft_cpu.cpp).
#if defined(__AVX512F__)
  static constexpr std::size_t lanes = 16;
#elif defined(__AVX__)
  static constexpr std::size_t lanes = 8;
#elif defined(__SSE2__) || defined(__ARM_NEON) || defined(__ARM_NEON__) || defined(__VSX__)
  static constexpr std::size_t lanes = 4;
#else
  static constexpr std::size_t lanes = 1;
#endif

  explicit RealFftLanes(std::size_t length);
  ~RealFftLanes();
  RealFftLanes(RealFftLanes&&) noexcept;
  RealFftLanes& operator=(RealFftLanes&&) noexcept;
  std::size_t length() const { return length_; }
  float* data() { return data_; }
  const float* data() const { return data_; }

  // Unnormalised forward transform (signals -> halfcomplex spectra).
  void forward();
  // Inverse transform (halfcomplex spectra -> signals), times `scale` (1/length
  // undoes forward()).
  void inverse(float scale);

 private:
  struct Plan;
  std::size_t length_;
  std::unique_ptr<Plan> plan_;
  float* data_;
};

}  // namespace gprproc::cpu
