# Tests of the shim (preload/): encoder, ring, errno through every wrapper.
sw_add_test(test_encode SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_encode.c LIBS swproto)
sw_add_test(test_errno SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_errno.c LIBS dl LABELS shim)
add_dependencies(test_errno syswatch_shim)
if(TARGET swcollect)
  sw_add_test(test_ring SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_ring.c LIBS swcollect swproto pthread)
  add_dependencies(test_ring syswatch_shim)
endif()

# The ring under ThreadSanitizer: producer (preload/ring.h) and consumer
# (collector/engine/drain.c) compiled with -fsanitize=thread into one program, so
# a race on head, tail or the bytes fails the run (tests/tsan_ring.c).
if(SYSWATCH_TSAN)
  set_source_files_properties(${SW_PROTO_OUT}/syswatch.pb-c.c PROPERTIES GENERATED TRUE)
  add_executable(tsan_ring ${CMAKE_CURRENT_SOURCE_DIR}/tsan_ring.c
                 ${CMAKE_SOURCE_DIR}/collector/engine/drain.c ${SW_PROTO_OUT}/syswatch.pb-c.c)
  target_include_directories(tsan_ring PRIVATE ${CMAKE_SOURCE_DIR}/include ${CMAKE_SOURCE_DIR}
                             ${CMAKE_SOURCE_DIR}/collector/engine ${SW_PROTO_OUT} ${PROTOBUFC_INCLUDE_DIRS})
  target_compile_options(tsan_ring PRIVATE -fsanitize=thread -g -O1)
  target_link_options(tsan_ring PRIVATE -fsanitize=thread)
  target_link_libraries(tsan_ring PRIVATE ${PROTOBUFC_LINK_LIBRARIES} pthread)
  add_dependencies(tsan_ring swproto)
  add_test(NAME tsan_ring COMMAND tsan_ring)
  set_tests_properties(tsan_ring PROPERTIES LABELS "tsan"
    ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 exitcode=66")
endif()
