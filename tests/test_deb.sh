#!/usr/bin/env bash
# test_deb.sh BUILD_DIR - the Debian package installs a working syswatch.
#
# Why: `make deb` is how syswatch reaches machines without a build tree.
# The package must carry the tool, the shim, the man page and the
# completion, depend on the runtime libraries the binaries really link
# (read from their DT_NEEDED entries and dpkg -S, not typed in here), and
# once installed with dpkg -i, `syswatch run -c -- true` must work from
# /usr/bin with the installed shim. The package is removed again (dpkg -P, purged)
# whatever happens.
#
# Not a ctest test: it installs into the system, so `make test` runs it as
# its own step (make test-deb), apart from the tests that use the build
# tree's binaries. Needs root and dpkg; refuses to replace a syswatch
# package installed by someone else.
. "$(dirname "$0")/test_slowfs_lib.sh"
build=${1:-$build}

deb=$(ls "$build"/syswatch_*_*.deb 2>/dev/null | tail -n 1)
[ -n "$deb" ] || skip "no package in $build (make deb)"
command -v dpkg >/dev/null || skip "dpkg not found: not a Debian system"
[ "$(id -u)" = 0 ] || skip "dpkg -i needs root"
if dpkg-query -W -f='${Status}' syswatch 2>/dev/null | grep -q installed; then
	skip "a syswatch package is installed already; not replacing it"
fi

# Contents.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/files"
for f in /usr/bin/syswatch /usr/share/man/man1/syswatch.1 /usr/share/bash-completion/completions/syswatch; do
	check "the package holds $f" grep -qxF "$f" "$tmp/files"
done
shim=$(grep -E '/libsyswatch\.so$' "$tmp/files" | head -n 1)
check "the package holds the shim ($shim)" test -n "$shim"

# Depends: the package of every library the tool and the shim need.
depends=$(dpkg-deb -f "$deb" Depends)
for bin in "$build/syswatch" "$build/libsyswatch.so"; do
	for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
		path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
		pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1)
		[ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1)
		check "Depends names $pkg (for ${bin##*/}'s $lib)" grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"
	done
done

cleanup_deb() {
	dpkg -P syswatch >/dev/null 2>&1
	cleanup_slowfs_test
}
trap cleanup_deb EXIT
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1
check "dpkg -i installs it" grep -q '^Setting up syswatch' "$tmp/dpkg.log"
cd / || exit 1
out=$(env -u LD_PRELOAD PATH=/usr/bin:/bin syswatch run -c -o "$tmp/report" -- sh -c 'echo "$LD_PRELOAD"; true')
rc=$?
check "syswatch run -c -- true exits 0 from the package" test "$rc" = 0
check "it preloads the installed shim ($out)" test "${out%%:*}" = "$shim"
check "it prints the table" grep -qE '^100\.00 .* total$' "$tmp/report"
check "man syswatch finds the installed page" bash -c "man -w syswatch | grep -qx /usr/share/man/man1/syswatch.1"
if [ -r /usr/share/bash-completion/bash_completion ]; then
	check "bash-completion loads the installed completion" \
		bash --norc -c '. /usr/share/bash-completion/bash_completion; __load_completion syswatch && complete -p syswatch >/dev/null'
fi
dpkg -P syswatch >"$tmp/dpkg.log" 2>&1
check "dpkg -P removes it" test ! -e /usr/bin/syswatch -a ! -e "$shim"
finish
