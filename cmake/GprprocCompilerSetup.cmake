# Compiler launcher (ccache), warnings and sanitizers.
find_program(GPRPROC_CCACHE ccache)
if(GPRPROC_CCACHE)
  foreach(lang CXX CUDA)
    if(NOT CMAKE_${lang}_COMPILER_LAUNCHER)
      set(CMAKE_${lang}_COMPILER_LAUNCHER ${GPRPROC_CCACHE})
    endif()
  endforeach()
endif()

# Warnings: an interface target our own targets link privately.
add_library(gprproc_warnings INTERFACE)
target_compile_options(gprproc_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${GPRPROC_WARNINGS_AS_ERRORS}>>:-Werror>)

if(GPRPROC_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${_san}>")
  add_link_options(${_san})
endif()
