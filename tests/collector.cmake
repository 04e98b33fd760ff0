# Collector unit tests: one binary per unit, linked with swcollect.
sw_add_test(test_table SOURCES test_table.c LIBS swcollect)
sw_add_test(test_decode SOURCES test_decode.c LIBS swcollect)
sw_add_test(test_trace SOURCES test_trace.c LIBS swcollect)
sw_add_test(test_segment SOURCES test_segment.c LIBS swcollect)
sw_add_test(test_engine SOURCES test_engine.c LIBS swcollect)
sw_add_test(test_cli SOURCES test_cli.c LIBS swcollect)
sw_add_test(test_locks SOURCES test_locks.c LIBS swcollect)
sw_add_test(test_paths SOURCES test_paths.c LIBS swcollect)
sw_add_test(test_mounts SOURCES test_mounts.c LIBS swcollect)
sw_add_test(test_export SOURCES test_export.c export_scenario.c LIBS swcollect)
sw_add_test(test_net SOURCES test_net.c LIBS swcollect)
sw_add_test(test_tsc_ref SOURCES test_tsc_ref.c LIBS swcollect)
# The collector's folders keep to collector/layers.txt: no upward include,
# no private header used outside its folder, no circle between object
# files; and the checker itself fails on planted faults.
add_test(NAME check_layers COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_layers.sh
         ${CMAKE_SOURCE_DIR}/collector ${CMAKE_BINARY_DIR}/collector)
add_test(NAME test_check_layers COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_check_layers.sh
         ${CMAKE_SOURCE_DIR})
set_tests_properties(check_layers test_check_layers PROPERTIES LABELS "unit;layers"
  ENVIRONMENT "CC=${CMAKE_C_COMPILER}")
# The HTML timeline rendered by headless Chromium (skipped without it).
add_executable(export_fixture export_fixture.c export_scenario.c)
target_include_directories(export_fixture PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(export_fixture PRIVATE swcollect)
add_test(NAME test_export_html COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_export_html.sh
         $<TARGET_FILE:syswatch> $<TARGET_FILE:export_fixture>)
set_tests_properties(test_export_html PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 300)
# report --recover and the stale-session sweep, on the built binary.
add_test(NAME test_cli_recover COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_recover.sh
         $<TARGET_FILE:syswatch>)
set_tests_properties(test_cli_recover PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 60)
# run's signal handling, exit by signal and the subreaper (issue 10, point 8).
add_test(NAME test_run_signals COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_run_signals.sh
         $<TARGET_FILE:syswatch>)
set_tests_properties(test_run_signals PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 60)
# Inputs a new user or an attacker hands the CLI (issue 10, point 7): a
# FIFO, a truncated trace, planted symlinks, a bad segment header, a
# static program behind a traced shell.
add_test(NAME test_cli_inputs COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_inputs.sh
         $<TARGET_FILE:syswatch> ${CMAKE_BINARY_DIR}/tests/robust/rb_static)
set_tests_properties(test_cli_inputs PROPERTIES SKIP_RETURN_CODE 77 LABELS e2e TIMEOUT 60)
# make test installs what the tests need (issue 10, point 7).
add_test(NAME test_deps COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_deps.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(test_deps PROPERTIES LABELS unit TIMEOUT 30)
