# Robustness tests (issue 4): syswatch as a guest that never harms its host.
#   test_robust_process   fork in a multithreaded parent, vfork through
#                         CPython's subprocess, posix_spawn, an exec chain
#                         three deep, children started with a cleared
#                         environment (untraced, then --follow-exec)
#   test_robust_threads   thread churn with tid reuse, a signal storm against
#                         a thread in write(), stacking with another preload
#   test_robust_crash     SIGKILL, SIGSEGV and abort mid-run against the
#                         program's own progress; the collector killed
#   test_robust_security  planted symlinks and foreign directories, a setuid
#                         program, a static program
#   test_cpython_suite    CPython's own regression tests, with and without
#                         the shim, same outcome per test case (label slow)
# Workloads and test sources live in tests/robust/; the workload binaries go
# to <build>/tests/robust/.
set(SW_RB ${CMAKE_CURRENT_SOURCE_DIR}/robust)
set(SW_RB_BIN ${CMAKE_BINARY_DIR}/tests/robust)

set(SW_RB_WORKLOADS rb_forkmt rb_spawn rb_leaf rb_clearenv rb_churn rb_sigstorm
  rb_stack rb_crash rb_victim rb_plant rb_suid rb_hostile)
foreach(wl ${SW_RB_WORKLOADS})
  add_executable(${wl} ${SW_RB}/${wl}.c)
  target_link_libraries(${wl} PRIVATE pthread dl)
  target_compile_options(${wl} PRIVATE -O1)
  target_include_directories(${wl} PRIVATE ${CMAKE_SOURCE_DIR}/include)
endforeach()
# One source, three images of the exec chain.
foreach(stage a b c)
  add_executable(rb_exec_${stage} ${SW_RB}/rb_exec.c)
  target_compile_definitions(rb_exec_${stage} PRIVATE RB_STAGE='${stage}')
  list(APPEND SW_RB_WORKLOADS rb_exec_${stage})
endforeach()
# The second preload library of the stacking test.
add_library(rb_interpose SHARED ${SW_RB}/rb_interpose.c)
target_link_libraries(rb_interpose PRIVATE dl)
# rb_suid linked against the shim (absolute RUNPATH), so that the shim is
# really loaded into the setuid process and its AT_SECURE check is what
# keeps it inert (an LD_PRELOAD is dropped by the loader before that).
add_executable(rb_suid_linked ${SW_RB}/rb_suid.c)
target_link_libraries(rb_suid_linked PRIVATE syswatch_shim)
set_target_properties(rb_suid_linked PROPERTIES
  BUILD_RPATH ${CMAKE_BINARY_DIR} SKIP_BUILD_RPATH OFF)
# A statically linked program.
add_executable(rb_static ${SW_RB}/rb_static.c)
target_link_options(rb_static PRIVATE -static)
list(APPEND SW_RB_WORKLOADS rb_interpose rb_suid_linked rb_static)
set_target_properties(${SW_RB_WORKLOADS} PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${SW_RB_BIN}
  LIBRARY_OUTPUT_DIRECTORY ${SW_RB_BIN})

# The e2e helpers (tests/e2e/e2e.c: running syswatch, reading its JSON)
# are reused as they are, through e2e_util (tests/e2e.cmake).
add_library(robust_util STATIC ${SW_RB}/robust.c)
target_include_directories(robust_util PUBLIC ${SW_RB} ${JSONC_INCLUDE_DIRS}
  PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_compile_definitions(robust_util PRIVATE RB_BINDIR="${SW_RB_BIN}")
target_link_libraries(robust_util PUBLIC e2e_util ${JSONC_LINK_LIBRARIES})
target_compile_options(robust_util PRIVATE ${SW_SAN_FLAGS})

set(SW_RB_DEPS ${SW_RB_WORKLOADS})
foreach(t syswatch syswatch_shim)
  if(TARGET ${t})
    list(APPEND SW_RB_DEPS ${t})
  endif()
endforeach()

# sw_add_robust(NAME): tests/robust/NAME.c as one Criterion binary, run by
# ctest as one end-to-end test. A case that cannot run here (not root, no
# pid namespace, no python3) is skipped on its own with cr_skip_test, so
# that it never hides a failure of the other cases of its binary.
function(sw_add_robust name)
  sw_add_test(${name} SOURCES ${SW_RB}/${name}.c LIBS robust_util pthread LABELS e2e)
  target_compile_definitions(${name} PRIVATE RB_BINDIR="${SW_RB_BIN}")
  add_dependencies(${name} ${SW_RB_DEPS})
  set_tests_properties(${name} PROPERTIES TIMEOUT 600)
endfunction()

sw_add_robust(test_robust_process)
sw_add_robust(test_robust_threads)
sw_add_robust(test_robust_crash)
sw_add_robust(test_robust_security)

# CPython's regression tests with and without the shim (criterion 2).
add_test(NAME test_cpython_suite
  COMMAND ${SW_RB}/cpython_suite.sh ${CMAKE_BINARY_DIR})
set_tests_properties(test_cpython_suite PROPERTIES
  LABELS "slow;e2e" TIMEOUT 900 SKIP_RETURN_CODE 77)

# Hostile slots (issue 10, point 6): a same-user process flipping and
# scribbling on a running session's slots, in a private mount namespace.
add_test(NAME test_hostile_slots
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_hostile_slots.sh $<TARGET_FILE:syswatch>
          ${SW_RB_BIN}/rb_hostile $<TARGET_FILE:wl_loop>)
set_tests_properties(test_hostile_slots PROPERTIES LABELS e2e TIMEOUT 120 SKIP_RETURN_CODE 77)

# The same under complete mode (issue 9, acceptance 3): every syscall of
# the tests and of the processes they start goes through the SIGSYS handler.
add_test(NAME test_cpython_suite_complete
  COMMAND ${SW_RB}/cpython_suite.sh ${CMAKE_BINARY_DIR})
set_tests_properties(test_cpython_suite_complete PROPERTIES
  ENVIRONMENT "SYSWATCH_RUN_OPTS=--complete"
  LABELS "slow;e2e" TIMEOUT 1800 SKIP_RETURN_CODE 77)
