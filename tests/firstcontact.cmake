# A newcomer's first contact (issue 11): the demo's report is short and a
# faithful cut of --locks=full; the man page renders cleanly and matches
# --help; the bash completion offers commands, options, classes and rows.
# Shell scripts; exit 77 means skipped with the reason printed.
#   firstcontact_demo        make demo's scenario: <= 150 lines, ends with
#                            the verdict; short vs full lock report
#   firstcontact_man         man -l without warnings, lexgrog, --help <-> man
#   firstcontact_completion  complete -p syswatch, compgen on each kind of word
#   firstcontact_install     cmake --install into a temporary prefix: the
#                            tool finds its shim, man and bash-completion
#                            find their files
# The Debian package is tested apart (make test-deb): it installs into the
# system, which the tests here never touch.
foreach(t demo man completion install)
  add_test(NAME firstcontact_${t} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_${t}.sh)
  set_tests_properties(firstcontact_${t} PROPERTIES
    LABELS firstcontact
    SKIP_RETURN_CODE 77
    TIMEOUT 300
    ENVIRONMENT "SW_BUILD_DIR=${CMAKE_BINARY_DIR};SW_SOURCE_DIR=${CMAKE_SOURCE_DIR};SW_CMAKE=${CMAKE_COMMAND}")
endforeach()
