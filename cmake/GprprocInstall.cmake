# cmake --install: headers, libraries and a package config, so that another
# project does find_package(gprproc CONFIG REQUIRED) and links gprproc::gprproc.
include(CMakePackageConfigHelpers)

set(_targets gprproc_core gprproc)
if(GPRPROC_BUILD_IO)
  list(APPEND _targets gprproc_io)
endif()
install(TARGETS ${_targets} EXPORT gprprocTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT dev
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gprproc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(FILES ${PROJECT_BINARY_DIR}/generated/include/gprproc/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gprproc COMPONENT dev)
install(EXPORT gprprocTargets NAMESPACE gprproc:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gprproc COMPONENT dev)

set(GPRPROC_CONFIG_HAS_CUDA ${GPRPROC_HAS_CUDA})
set(GPRPROC_CONFIG_HAS_IO ${GPRPROC_BUILD_IO})
configure_package_config_file(cmake/gprprocConfig.cmake.in ${PROJECT_BINARY_DIR}/gprprocConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gprproc)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gprprocConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gprprocConfig.cmake ${PROJECT_BINARY_DIR}/gprprocConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gprproc COMPONENT dev)
