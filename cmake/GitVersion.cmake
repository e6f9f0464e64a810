# Records the engine version and git commit in a generated header, so every output file can say
# which code made it. Re-evaluated at every build, not only at configure time.
set(REGIONSIM_VERSION_IN ${CMAKE_SOURCE_DIR}/cmake/version.hpp.in)
set(REGIONSIM_VERSION_OUT ${CMAKE_BINARY_DIR}/generated/regionsim_version.hpp)
# The flags that reach every engine source: CMAKE_CXX_FLAGS, the build type's flags and the
# project-wide compile options (-ffp-contract=off, warnings).
string(TOUPPER "${CMAKE_BUILD_TYPE}" REGIONSIM_BUILD_TYPE_UPPER)
get_directory_property(REGIONSIM_COMPILE_OPTIONS COMPILE_OPTIONS)
list(JOIN REGIONSIM_COMPILE_OPTIONS " " REGIONSIM_COMPILE_OPTIONS)
string(STRIP "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${REGIONSIM_BUILD_TYPE_UPPER}} ${REGIONSIM_COMPILE_OPTIONS}"
       REGIONSIM_CXX_FLAGS)
if(REGIONSIM_NATIVE_ARCH)
  string(APPEND REGIONSIM_CXX_FLAGS " (native = ${REGIONSIM_NATIVE_ARCH})")
endif()
add_custom_target(regionsim_version
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR} -DIN=${REGIONSIM_VERSION_IN}
          -DOUT=${REGIONSIM_VERSION_OUT} -DVERSION=${PROJECT_VERSION}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE} "-DFLAGS=${REGIONSIM_CXX_FLAGS}"
          -DCOMPILER=${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${REGIONSIM_VERSION_OUT}
  VERBATIM)
