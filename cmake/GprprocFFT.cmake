# CPU FFTs: PocketFFT's header-only C++ version, carried in
# third_party/pocketfft (BSD-3; where it came from: its README.md). It is
# header-only and in the tree, so the compute core still builds on a GPU box
# that has no -dev packages. Do not add FFTW to the core: it is not
# header-only. Use src/fft_cpu.hpp, not pocketfft directly.
add_library(gprproc_fft INTERFACE)
# SYSTEM: the vendored header is not held to gprproc's warning flags. Build
# tree only: the header is private to the core, neither installed nor exported.
target_include_directories(gprproc_fft SYSTEM INTERFACE
  $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}/../third_party/pocketfft>)
target_link_libraries(gprproc_fft INTERFACE gprproc_eigen)
