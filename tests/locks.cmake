# Lock-attribution acceptance tests (issue 3, criteria 1-3 and the end-to-end
# half of 4): real programs run under `syswatch run --locks`, asserting on
# the "locks" part of the JSON report against what the programs know they
# did. C workloads and test sources live in tests/locks/.
#   test_locks_workloads   C: 8 threads on a mutex, condition variables
#                          (new and GLIBC_2.2.5), a semaphore relay with a
#                          tiny ring
#   test_locks_py311/312/313  the 32-thread import scenario on each CPython;
#                          a missing interpreter prints "SKIPPED: <why>"
set(SW_LK ${CMAKE_CURRENT_SOURCE_DIR}/locks)

foreach(wl wl_mutex wl_cond wl_relay)
  add_executable(${wl} ${SW_LK}/${wl}.c)
  target_link_libraries(${wl} PRIVATE pthread)
endforeach()
# The same producer/consumer bound to pthread_cond_*@GLIBC_2.2.5.
add_executable(wl_oldcond ${SW_LK}/wl_cond.c)
target_compile_definitions(wl_oldcond PRIVATE WL_OLD_COND)
target_link_libraries(wl_oldcond PRIVATE pthread)

add_library(locks_util STATIC ${SW_LK}/locks.c)
target_include_directories(locks_util PUBLIC ${SW_LK} ${JSONC_INCLUDE_DIRS}
  PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(locks_util PUBLIC ${JSONC_LINK_LIBRARIES})
target_compile_options(locks_util PRIVATE ${SW_SAN_FLAGS})

# What every lock test runs: syswatch and its shim.
set(SW_LK_DEPS)
foreach(t syswatch syswatch_shim)
  if(TARGET ${t})
    list(APPEND SW_LK_DEPS ${t})
  endif()
endforeach()

# sw_add_locks_test(NAME [DEFS...]): one Criterion binary from a test source
# of tests/locks/, run by ctest as one end-to-end test.
function(sw_add_locks_test name source)
  sw_add_test(${name} SOURCES ${SW_LK}/${source} LIBS locks_util LABELS e2e)
  target_compile_definitions(${name} PRIVATE
    LK_SCRIPT="${SW_LK}/run_scenario.sh"
    WL_MUTEX="$<TARGET_FILE:wl_mutex>" WL_COND="$<TARGET_FILE:wl_cond>"
    WL_OLDCOND="$<TARGET_FILE:wl_oldcond>" WL_RELAY="$<TARGET_FILE:wl_relay>"
    ${ARGN})
  add_dependencies(${name} wl_mutex wl_cond wl_oldcond wl_relay ${SW_LK_DEPS})
  set_tests_properties(${name} PROPERTIES
    SKIP_REGULAR_EXPRESSION "SKIPPED: "
    TIMEOUT 900)
endfunction()

sw_add_locks_test(test_locks_workloads test_locks_workloads.c)
# One binary per interpreter, so that a missing one skips only itself.
foreach(v 3.11 3.12 3.13)
  string(REPLACE "." "" vv ${v})
  sw_add_locks_test(test_locks_py${vv} test_locks_python.c LK_PY_VERSION="${v}")
  foreach(t slowfs slowpath)
    if(TARGET ${t})
      add_dependencies(test_locks_py${vv} ${t})
    endif()
  endforeach()
endforeach()
