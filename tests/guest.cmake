# The shim as a guest (issue 10, points 1-5 and 7's directory rule): a full
# /dev/shm, a small address space, a hostile neighbour writing into the
# segment, siglongjmp out of a recording, the cost of the program's exit,
# and the shim and CLI agreeing about a directory's mode. Workloads live in
# tests/guest/ (gw_*), the tests are shell scripts there (test_guest_*.sh).
set(SW_GW ${CMAKE_CURRENT_SOURCE_DIR}/guest)
foreach(wl gw_alloc gw_jump gw_scribble)
  add_executable(${wl} ${SW_GW}/${wl}.c)
  target_include_directories(${wl} PRIVATE ${CMAKE_SOURCE_DIR}/include)
  target_compile_options(${wl} PRIVATE -O1)
  set_target_properties(${wl} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/guest)
endforeach()

# sw_add_guest(NAME): tests/guest/NAME.sh BUILD_DIR.
function(sw_add_guest name)
  add_test(NAME ${name} COMMAND ${SW_GW}/${name}.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS "e2e;guest" TIMEOUT 120)
endfunction()

sw_add_guest(test_guest_shm_full)
sw_add_guest(test_guest_addr_space)
sw_add_guest(test_guest_hostile)
sw_add_guest(test_guest_longjmp)
sw_add_guest(test_guest_exit)
sw_add_guest(test_guest_dir_mode)
