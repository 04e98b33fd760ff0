# package.cmake - what `cmake --install` puts beside the tool and the shim
# (their own folders install those two), and the Debian package of all of
# it (`make deb`: cpack -G DEB in the build directory).
#
# doc/syswatch.1 is the man page, written by hand (tests/test_man.sh keeps
# it in step with --help); completion/syswatch the bash completion, in the
# directory bash-completion searches under every prefix
# (share/bash-completion/completions, through XDG_DATA_DIRS for
# /usr/local), so a plain `cmake --install` is found as well as the package.
install(FILES ${CMAKE_SOURCE_DIR}/doc/syswatch.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/completion/syswatch
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME syswatch)
set(CPACK_PACKAGE_VENDOR "syswatch")
set(CPACK_PACKAGE_CONTACT "syswatch maintainers <syswatch@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "count a program's system calls like strace -c, without ptrace")
set(CPACK_PACKAGE_DESCRIPTION
    "A preloaded shim counts every wrapped libc call into shared memory and a\n\
collector prints strace -c's table, lock-holder attribution, per-path and\n\
network reports and plain-language verdicts.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The runtime libraries (libc6, libprotobuf-c1, libjson-c5) come from
# dpkg-shlibdeps on the installed binaries, not from a list typed here
# that would drift from what they link; tests/test_deb.sh checks them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "man-db, bash-completion")
include(CPack)
