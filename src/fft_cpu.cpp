// The CPU FFTs of src/fft_cpu.hpp: the only translation unit that includes
// pocketfft (third_party/pocketfft), so its templates are compiled once.
#include "fft_cpu.hpp"

#ifndef POCKETFFT_NO_MULTITHREADING
#define POCKETFFT_NO_MULTITHREADING  // gprproc parallelises over traces with OpenMP itself
#endif
#include "pocketfft_hdronly.h"

#include <vector>

namespace gprproc::cpu {

namespace {
namespace pf = pocketfft::detail;
#ifdef POCKETFFT_NO_VECTORS
using LaneVector = float;
constexpr std::size_t kPocketfftLanes = 1;
#else
using LaneVector = pf::vtype_t<float>;  // a GCC/Clang vector of floats
constexpr std::size_t kPocketfftLanes = pf::VLEN<float>::val;
#endif
static_assert(RealFftLanes::lanes == kPocketfftLanes,
              "fft_cpu.hpp's RealFftLanes::lanes must match pocketfft's vector width");
static_assert(sizeof(LaneVector) == kPocketfftLanes * sizeof(float), "a lane vector is lanes packed floats");
}  // namespace

// ---- RealFft
struct RealFft::Plan {
  explicit Plan(std::size_t n) : fft(n), work(n) {}
  pf::pocketfft_r<float> fft;
  std::vector<float> work;
};

RealFft::RealFft(std::size_t length) : length_(length), plan_(std::make_unique<Plan>(length)) {}
RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

void RealFft::forward(const float* in, std::complex<float>* out) {
  std::vector<float>& w = plan_->work;
  for (std::size_t i = 0; i < length_; ++i) w[i] = in[i];
  plan_->fft.exec(w.data(), 1.0f, true);
  out[0] = {w[0], 0.0f};
  std::size_t i = 1, k = 1;
  for (; i + 1 < length_; i += 2, ++k) out[k] = {w[i], w[i + 1]};
  if (i < length_) out[k] = {w[i], 0.0f};
}

void RealFft::inverse(const std::complex<float>* in, float* out) {
  std::vector<float>& w = plan_->work;
  w[0] = in[0].real();
  std::size_t i = 1, k = 1;
  for (; i + 1 < length_; i += 2, ++k) {
    w[i] = in[k].real();
    w[i + 1] = in[k].imag();
  }
  if (i < length_) w[i] = in[k].real();
  plan_->fft.exec(w.data(), 1.0f / static_cast<float>(length_), false);
  for (std::size_t j = 0; j < length_; ++j) out[j] = w[j];
}

// ---- ComplexFft
struct ComplexFft::Plan {
  explicit Plan(std::size_t n) : fft(n), work(n) {}
  pf::pocketfft_c<float> fft;
  std::vector<pf::cmplx<float>> work;

  void run(const std::complex<float>* in, std::complex<float>* out, std::size_t n, float scale, bool forward) {
    for (std::size_t k = 0; k < n; ++k) work[k] = {in[k].real(), in[k].imag()};
    fft.exec(work.data(), scale, forward);
    for (std::size_t k = 0; k < n; ++k) out[k] = {work[k].r, work[k].i};
  }
};

ComplexFft::ComplexFft(std::size_t length) : length_(length), plan_(std::make_unique<Plan>(length)) {}
ComplexFft::~ComplexFft() = default;
ComplexFft::ComplexFft(ComplexFft&&) noexcept = default;
ComplexFft& ComplexFft::operator=(ComplexFft&&) noexcept = default;

void ComplexFft::forward(const std::complex<float>* in, std::complex<float>* out) {
  plan_->run(in, out, length_, 1.0f, true);
}
void ComplexFft::inverse(const std::complex<float>* in, std::complex<float>* out) {
  plan_->run(in, out, length_, 1.0f / static_cast<float>(length_), false);
}

// ---- RealFftLanes
struct RealFftLanes::Plan {
  explicit Plan(std::size_t n) : fft(n), buffer(n) {}
  pf::pocketfft_r<float> fft;
  std::vector<LaneVector> buffer;
};

RealFftLanes::RealFftLanes(std::size_t length)
    : length_(length),
      plan_(std::make_unique<Plan>(length)),
      data_(reinterpret_cast<float*>(plan_->buffer.data())) {}
RealFftLanes::~RealFftLanes() = default;
RealFftLanes::RealFftLanes(RealFftLanes&&) noexcept = default;
RealFftLanes& RealFftLanes::operator=(RealFftLanes&&) noexcept = default;

void RealFftLanes::forward() { plan_->fft.exec(plan_->buffer.data(), 1.0f, true); }
void RealFftLanes::inverse(float scale) { plan_->fft.exec(plan_->buffer.data(), scale, false); }

}  // namespace gprproc::cpu
