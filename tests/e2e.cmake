# End-to-end tests: real programs (C workloads, real CPython) run under
# syswatch, asserting on its JSON report; and the strace agreement checks.
# Workload programs live in tests/workloads/, test sources in tests/e2e/.
set(SW_WL ${CMAKE_CURRENT_SOURCE_DIR}/workloads)
set(SW_E2E ${CMAKE_CURRENT_SOURCE_DIR}/e2e)

# wl_files: N iterations of known calls, with its own tally of them.
add_executable(wl_files ${SW_WL}/wl_files.c ${SW_WL}/wl_fortify.c)
target_link_libraries(wl_files PRIVATE pthread)
# The fortified entry points (__open_2, __read_chk) need both of these.
set_source_files_properties(${SW_WL}/wl_fortify.c PROPERTIES
  COMPILE_OPTIONS "-O2;-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2")

# wl_loop: the benchmark loop (bench/run.sh).
add_executable(wl_loop ${SW_WL}/wl_loop.c)
target_link_libraries(wl_loop PRIVATE pthread)

add_library(e2e_util STATIC ${SW_E2E}/e2e.c)
target_include_directories(e2e_util PUBLIC ${SW_E2E} ${JSONC_INCLUDE_DIRS}
  PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(e2e_util PUBLIC ${JSONC_LINK_LIBRARIES})
target_compile_options(e2e_util PRIVATE ${SW_SAN_FLAGS})

# sw_add_e2e(NAME SOURCE): a Criterion end-to-end test. It runs the
# workloads and the built syswatch; a test that cannot run here (no
# ptrace) prints "SKIPPED: <why>" and is reported as skipped.
function(sw_add_e2e name source)
  sw_add_test(${name} SOURCES ${SW_E2E}/${source} LIBS e2e_util)
  target_compile_definitions(${name} PRIVATE WL_FILES="$<TARGET_FILE:wl_files>")
  add_dependencies(${name} wl_files)
  if(TARGET syswatch)
    add_dependencies(${name} syswatch)
  endif()
  set_tests_properties(${name} PROPERTIES
    SKIP_REGULAR_EXPRESSION "SKIPPED: "
    TIMEOUT 900
    LABELS e2e)
endfunction()

sw_add_e2e(test_exact_counts test_exact_counts.c)
sw_add_e2e(test_strace_agreement test_strace_agreement.c)
sw_add_e2e(test_strace_cpython test_strace_cpython.c)

# sel_mix: calls of every strace class, for the selector tests (issue 5).
add_executable(sel_mix ${SW_WL}/sel_mix.c)
sw_add_e2e(test_selectors test_selectors.c)
target_compile_definitions(test_selectors PRIVATE SEL_MIX="$<TARGET_FILE:sel_mix>")
add_dependencies(test_selectors sel_mix)

# wl_rows: every family of rows beyond files (issue 5), with its tally.
add_executable(wl_rows ${SW_WL}/wl_rows.c ${SW_WL}/wl_rows_net.c)
sw_add_e2e(test_rows test_rows.c)
sw_add_e2e(test_net_e2e test_net.c)
foreach(t test_rows test_net_e2e)
  target_compile_definitions(${t} PRIVATE WL_ROWS="$<TARGET_FILE:wl_rows>")
  add_dependencies(${t} wl_rows)
endforeach()
# paths_probe: missing config files probed, existing ones opened, tallied.
add_executable(paths_probe ${SW_WL}/paths_probe.c)
sw_add_e2e(test_paths_e2e test_paths.c)
target_compile_definitions(test_paths_e2e PRIVATE PATHS_PROBE="$<TARGET_FILE:paths_probe>")
add_dependencies(test_paths_e2e paths_probe)

# wl_sys: every entry point issue 9 wraps, called directly, with its tally.
add_executable(wl_sys ${SW_WL}/wl_sys.c ${SW_WL}/wl_sys_fs.c)
sw_add_e2e(test_sysrows test_sysrows.c)
target_compile_definitions(test_sysrows PRIVATE WL_SYS="$<TARGET_FILE:wl_sys>"
  WL_ROWS="$<TARGET_FILE:wl_rows>")
add_dependencies(test_sysrows wl_sys)

# Complete mode (issue 9): glibc-internal calls against strace, a program
# with its own SIGSYS handler, threads/fork/spawn/signals under dispatch.
add_executable(wl_stdio ${SW_WL}/wl_stdio.c)
add_executable(wl_sigsys ${SW_WL}/wl_sigsys.c)
add_executable(wl_procs ${SW_WL}/wl_procs.c)
target_link_libraries(wl_procs PRIVATE pthread)
sw_add_e2e(test_complete test_complete.c)
target_compile_definitions(test_complete PRIVATE WL_STDIO="$<TARGET_FILE:wl_stdio>"
  WL_SIGSYS="$<TARGET_FILE:wl_sigsys>" WL_PROCS="$<TARGET_FILE:wl_procs>")
add_dependencies(test_complete wl_stdio wl_sigsys wl_procs)
