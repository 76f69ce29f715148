# CPU FFTs: Eigen's FFT module (unsupported/Eigen/FFT, kissfft backend).
# It is header-only and ships with Eigen, so the compute core still builds on a
# GPU box that has no -dev packages (only carried headers). Do not add FFTW to
# the core: it is not header-only. Use src/fft_cpu.hpp, not Eigen::FFT directly.
add_library(gprproc_fft INTERFACE)
target_link_libraries(gprproc_fft INTERFACE gprproc_eigen)
