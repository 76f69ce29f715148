# Third-party dependencies. The compute core needs only Eigen (header-only, may
# be carried as a folder: -DGPRPROC_EIGEN_INCLUDE_DIR=...) and OpenMP; HDF5,
# JSON, CLI11 and stb are for the I/O component and the CLI.
include(GNUInstallDirs)

add_library(gprproc_eigen INTERFACE)
set(GPRPROC_EIGEN_INCLUDE_DIR "" CACHE PATH "Eigen headers folder, when no Eigen3 package config is installed")
if(GPRPROC_EIGEN_INCLUDE_DIR)
  target_include_directories(gprproc_eigen SYSTEM INTERFACE ${GPRPROC_EIGEN_INCLUDE_DIR})
else()
  find_package(Eigen3 3.3 REQUIRED NO_MODULE)
  target_link_libraries(gprproc_eigen INTERFACE Eigen3::Eigen)
endif()

find_package(OpenMP COMPONENTS CXX)
if(NOT OpenMP_CXX_FOUND)
  message(WARNING "OpenMP not found: the CPU backend runs single-threaded")
endif()

if(GPRPROC_BUILD_IO)
  find_package(HDF5 REQUIRED COMPONENTS C)
  find_package(nlohmann_json 3 REQUIRED)
endif()

include(GprprocFFT)
