#pragma once
// CPU FFTs for the compute core (band-pass, Hilbert, Stolt, phase-shift),
// through Eigen's header-only FFT module (kissfft backend) so the core needs
// no compiled FFT library. One RealFft per thread: the object caches twiddles
// for its length and is not safe to share between threads.
#include <unsupported/Eigen/FFT>

#include <complex>
#include <cstddef>
#include <vector>

namespace gprproc::cpu {

class RealFft {
 public:
  explicit RealFft(std::size_t length) : length_(length) {}
  std::size_t length() const { return length_; }
  // length real samples -> length/2 + 1 complex bins (unnormalised).
  void forward(const float* in, std::complex<float>* out) {
    in_.assign(in, in + length_);
    fft_.SetFlag(Eigen::FFT<float>::HalfSpectrum);
    fft_.fwd(spectrum_, in_);
    for (std::size_t k = 0; k < length_ / 2 + 1; ++k) out[k] = spectrum_[k];
  }
  // length/2 + 1 bins -> length real samples, divided by length (so
  // inverse(forward(x)) == x).
  void inverse(const std::complex<float>* in, float* out) {
    spectrum_.assign(in, in + length_ / 2 + 1);
    fft_.SetFlag(Eigen::FFT<float>::HalfSpectrum);
    fft_.inv(in_, spectrum_, static_cast<Eigen::Index>(length_));
    for (std::size_t i = 0; i < length_; ++i) out[i] = in_[i];
  }

 private:
  std::size_t length_;
  Eigen::FFT<float> fft_;
  std::vector<float> in_;
  std::vector<std::complex<float>> spectrum_;
};

// Complex-to-complex FFT of one length, forward (unnormalised) and inverse (1/n).
class ComplexFft {
 public:
  explicit ComplexFft(std::size_t length) : length_(length) {}
  std::size_t length() const { return length_; }
  void forward(const std::complex<float>* in, std::complex<float>* out) {
    in_.assign(in, in + length_);
    fft_.fwd(out_, in_);
    for (std::size_t k = 0; k < length_; ++k) out[k] = out_[k];
  }
  void inverse(const std::complex<float>* in, std::complex<float>* out) {
    in_.assign(in, in + length_);
    fft_.inv(out_, in_);
    for (std::size_t k = 0; k < length_; ++k) out[k] = out_[k];
  }

 private:
  std::size_t length_;
  Eigen::FFT<float> fft_;
  std::vector<std::complex<float>> in_, out_;
};

}  // namespace gprproc::cpu
