#!/usr/bin/env bash
# test_install.sh - `cmake --install` gives a tool that works where it lands.
#
# Why: people install with `cmake --install build` (or the package, which
# is made from the same rules); the tool must find its shim from the
# installed layout, and the man page and the completion must land where
# man and bash-completion look under that prefix. Installs into a
# temporary prefix, never into the system.
. "$(dirname "$0")/test_slowfs_lib.sh"

cmake=${SW_CMAKE:-cmake}
[ -x "$build/syswatch" ] || skip "$build/syswatch not built"
prefix=$tmp/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
	{ fail "cmake --install" "$(tail -n 3 "$tmp/install.log")"; finish; exit; }
ok "cmake --install into $prefix"
lib=$(find "$prefix" -name libsyswatch.so | head -n 1)
check "the tool is in bin/" test -x "$prefix/bin/syswatch"
check "the shim is in the library directory (${lib#$prefix/})" test -n "$lib"
check "the man page is in share/man/man1" test -f "$prefix/share/man/man1/syswatch.1"
comp=$prefix/share/bash-completion/completions/syswatch
check "the completion is in share/bash-completion/completions" test -f "$comp"

# The installed tool runs a program with the installed shim.
out=$(env -u LD_PRELOAD "$prefix/bin/syswatch" run -o "$tmp/report" -- sh -c 'echo "$LD_PRELOAD"')
check "run uses the installed shim ($out)" test "${out%%:*}" = "$lib"
check "run -c -- true prints the table" grep -qE '^100\.00 .* total$' "$tmp/report"
check "man finds the page under the prefix" bash -c "MANPATH='$prefix/share/man' man -w syswatch | grep -qF '$prefix/share/man/man1/syswatch.1'"
if [ -r /usr/share/bash-completion/bash_completion ]; then
	# bash-completion's own loader finds it through XDG_DATA_DIRS.
	check "bash-completion loads it from the prefix" env XDG_DATA_DIRS="$prefix/share" \
		bash --norc -c '. /usr/share/bash-completion/bash_completion; __load_completion syswatch && complete -p syswatch >/dev/null'
else
	echo "note: bash-completion not installed: its loader not tried (Debian package bash-completion)"
fi
finish
