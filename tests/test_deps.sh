#!/bin/sh
# test_deps.sh SOURCE_DIR - issue 10, point 7: the README's test command
# (`make test`, whose `deps` step installs DEB_PACKAGES) installs what the
# tests need. A test that lacks a tool skips with "apt-get install PKG":
# every such PKG must be in DEB_PACKAGES, or `make test` on a fresh machine
# skips that test (chromium was installed by .ci/run only). And .ci/run
# installs nothing of its own: it runs the README's command.
set -u
SRC=$1
fail() { echo "FAIL: $*"; exit 1; }
pkgs=$(make -s --no-print-directory -C "$SRC" print-deps) || fail "make print-deps failed"
echo "DEB_PACKAGES: $pkgs"
hints=$(grep -rhoE "apt-get install [a-z0-9][a-z0-9.+-]*" "$SRC/tests" "$SRC/scenario" "$SRC/bench" |
	awk '{print $3}' | sort -u)
[ -n "$hints" ] || fail "no install hints found in the tests"
for p in $hints; do
	echo " $pkgs " | grep -q " $p " || fail "a test asks for '$p', which make deps does not install"
	echo "hinted by a test and installed by make deps: $p"
done
grep -n "apt-get install\|apt install" "$SRC/.ci/run" && fail ".ci/run installs packages of its own"
grep -q "make test" "$SRC/.ci/run" || fail ".ci/run does not run make test"
echo PASS
