# Records the engine version and git commit in a generated header, so every output file can say
# which code made it. Re-evaluated at every build, not only at configure time.
set(REGIONSIM_VERSION_IN ${CMAKE_SOURCE_DIR}/cmake/version.hpp.in)
set(REGIONSIM_VERSION_OUT ${CMAKE_BINARY_DIR}/generated/regionsim_version.hpp)
add_custom_target(regionsim_version
  COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR} -DIN=${REGIONSIM_VERSION_IN}
          -DOUT=${REGIONSIM_VERSION_OUT} -DVERSION=${PROJECT_VERSION}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE} "-DFLAGS=${CMAKE_CXX_FLAGS}"
          -DCOMPILER=${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${REGIONSIM_VERSION_OUT})
