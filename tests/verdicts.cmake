# Verdict acceptance tests (issue 5, "verdicts"): real programs run under
# `syswatch run --diagnose`, asserting on the "verdicts" of the JSON report,
# the full form (events and lock analysis) and the short form every report
# ends with (counters only, `syswatch report` of the same trace).
# Workloads, the run script and the test live in tests/verdicts/;
# `ctest -L verdicts` runs them.
set(SW_VD ${CMAKE_CURRENT_SOURCE_DIR}/verdicts)

add_executable(vd_work ${SW_VD}/vd_work.c)
target_link_libraries(vd_work PRIVATE ${CMAKE_DL_LIBS})

# The shared objects the library-loading scenario loads: one source, built
# VD_LIBS times under different names.
set(VD_LIBS 48)
set(VD_LIB_FILES)
foreach(i RANGE 1 ${VD_LIBS})
  add_library(vd_lib${i} MODULE ${SW_VD}/vd_lib.c)
  target_compile_definitions(vd_lib${i} PRIVATE VD_ID=${i})
  set_target_properties(vd_lib${i} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/vd_libs)
  list(APPEND VD_LIB_FILES $<TARGET_FILE:vd_lib${i}>)
endforeach()
string(JOIN ":" VD_LIB_LIST ${VD_LIB_FILES})

sw_add_test(test_verdicts_scenarios SOURCES ${SW_VD}/test_verdicts_scenarios.c
  LIBS locks_util e2e_util LABELS "e2e;verdicts")
target_compile_definitions(test_verdicts_scenarios PRIVATE
  VD_WORK="$<TARGET_FILE:vd_work>" VD_SCRIPT="${SW_VD}/run_verdict.sh"
  VD_LOCKS_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/locks/run_scenario.sh"
  VD_LIB_LIST="${VD_LIB_LIST}")
add_dependencies(test_verdicts_scenarios vd_work)
foreach(t syswatch syswatch_shim slowfs slowpath)
  if(TARGET ${t})
    add_dependencies(test_verdicts_scenarios ${t})
  endif()
endforeach()
foreach(i RANGE 1 ${VD_LIBS})
  add_dependencies(test_verdicts_scenarios vd_lib${i})
endforeach()
set_tests_properties(test_verdicts_scenarios PROPERTIES
  SKIP_REGULAR_EXPRESSION "SKIPPED: "
  TIMEOUT 300)

# The rules on hand-made counters and events.
sw_add_test(test_verdicts SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/test_verdicts.c
  LIBS swcollect LABELS "unit;verdicts")
