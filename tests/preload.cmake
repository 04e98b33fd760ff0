# Tests of the shim (preload/): encoder, ring, errno through every wrapper.
sw_add_test(test_encode SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_encode.c LIBS swproto)
sw_add_test(test_errno SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_errno.c LIBS dl LABELS shim)
add_dependencies(test_errno syswatch_shim)
if(TARGET swcollect)
  sw_add_test(test_ring SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_ring.c LIBS swcollect swproto pthread)
  add_dependencies(test_ring syswatch_shim)
endif()
