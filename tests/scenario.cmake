# Scenario tests (scenario/): the slow filesystem and the import scenario on
# their own, without syswatch. Shell scripts; exit 77 means skipped with the
# reason printed (no /dev/fuse, no fusermount3, slowfs not built).
foreach(t slowfs slowfs_fallback slowfs_scenario)
  add_test(NAME scenario_${t} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_${t}.sh)
  set_tests_properties(scenario_${t} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 300
    ENVIRONMENT "SW_BUILD_DIR=${CMAKE_BINARY_DIR};SW_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()
