// The FFT before/after of docs/BENCHMARKS.md (History, 2026-11-28): 4096 real
// transforms of 2048 points, forward + inverse, through Eigen's kissfft (the old
// backend) and through src/fft_cpu.hpp (pocketfft), one thread. Build from the
// repository root:
//   g++ -O3 -std=c++17 -I/usr/include/eigen3 -Isrc -isystem third_party/pocketfft \
//       benchmarks/results/cpu-2core-idle/fft_microbench.cpp src/fft_cpu.cpp -o fft_microbench
#include <unsupported/Eigen/FFT>
#include "fft_cpu.hpp"
#include <chrono>
#include <cstdio>
#include <vector>
#include <complex>
#include <algorithm>
#include <cmath>
using namespace std;
static double now(){return chrono::duration<double>(chrono::steady_clock::now().time_since_epoch()).count();}
int main(){
  const size_t n=2048, ntr=4096;
  Eigen::FFT<float> fft; fft.SetFlag(Eigen::FFT<float>::HalfSpectrum); fft.SetFlag(Eigen::FFT<float>::Unscaled);
  vector<float> x(n), y(n); vector<complex<float>> s(n/2+1);
  for(size_t i=0;i<n;++i) x[i]=sin(i*0.01f);
  gprproc::cpu::RealFft r(n);
  gprproc::cpu::RealFftLanes L(n);
  for(size_t i=0;i<n*L.lanes;++i) L.data()[i]=sin(i*0.01f);
  vector<double> te, tr, tl;
  for(int rep=0;rep<7;++rep){
    double t=now(); for(size_t j=0;j<ntr;++j){ fft.fwd(s.data(), x.data(), n); fft.inv(y.data(), s.data(), n);} te.push_back(now()-t);
    t=now(); for(size_t j=0;j<ntr;++j){ r.forward(x.data(), s.data()); r.inverse(s.data(), y.data());} tr.push_back(now()-t);
    t=now(); for(size_t j=0;j<ntr/L.lanes;++j){ L.forward(); L.inverse(1.0f/n);} tl.push_back(now()-t);
  }
  sort(te.begin(),te.end()); sort(tr.begin(),tr.end()); sort(tl.begin(),tl.end());
  printf("4096 real FFTs of 2048 points, forward + inverse (median of 7, min):\n");
  printf("  Eigen kissfft (one trace per call)      %7.1f ms  (min %.1f)\n", te[3]*1e3, te[0]*1e3);
  printf("  pocketfft RealFft (one trace per call)  %7.1f ms  (min %.1f)\n", tr[3]*1e3, tr[0]*1e3);
  printf("  pocketfft RealFftLanes (%zu per call)     %7.1f ms  (min %.1f)\n", L.lanes, tl[3]*1e3, tl[0]*1e3);
}
