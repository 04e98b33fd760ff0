#!/bin/sh
# test_check_layers.sh SOURCE_DIR - tests/check_layers.sh fails on the
# faults it is there for, planted one at a time in copies: an upward
# include and a private header in a copy of the real collector tree; an
# upward call and a circle between object files in a small tree compiled
# here. Each must fail naming the file; the unchanged copies must pass.
set -eu

root=${1:?usage: test_check_layers.sh SOURCE_DIR}
check=$root/tests/check_layers.sh
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

# expect pass|fail PATTERN -- ARGS: run the checker, check its verdict
# and that its output matches PATTERN (grep -E).
expect() {
	want=$1 pattern=$2
	shift 3
	if "$check" "$@" >"$tmp/out" 2>&1; then got=pass; else got=fail; fi
	if [ "$got" != "$want" ] || ! grep -Eq -- "$pattern" "$tmp/out"; then
		echo "FAIL: expected $want matching '$pattern', got $got:"
		sed 's/^/    /' "$tmp/out"
		failures=$((failures + 1))
	else
		echo "ok: $want: $(grep -E -- "$pattern" "$tmp/out" | head -n 1)"
	fi
}

# 1. The real tree, copied: passes as it is.
cp -r "$root/collector" "$tmp/real"
expect pass 'no upward include' -- "$tmp/real"

# An upward include: util/ (the lowest folder) includes the CLI's header.
cp "$tmp/real/util/strpool.c" "$tmp/strpool.c"
sed -i '0,/^#include/s//#include "cli.h"\n&/' "$tmp/real/util/strpool.c"
expect fail 'util/strpool.c:[0-9]+: includes cmd/cli.h: util may not use cmd' -- "$tmp/real"
cp "$tmp/strpool.c" "$tmp/real/util/strpool.c"

# A private header of an analysis, included by the report.
cp "$tmp/real/report/output.c" "$tmp/output.c"
sed -i '0,/^#include/s//#include "locks_int.h"\n&/' "$tmp/real/report/output.c"
expect fail 'report/output.c:[0-9]+: includes analysis/locks/locks_int.h, private to analysis/locks' -- "$tmp/real"
cp "$tmp/output.c" "$tmp/real/report/output.c"

# A header that is not in its analysis's public list.
sed -i '0,/^#include/s//#include "net_int.h"\n&/' "$tmp/real/report/output.c"
expect fail 'private to analysis/net' -- "$tmp/real"
cp "$tmp/output.c" "$tmp/real/report/output.c"

# A file left at the top of collector/ (a merge of a branch older than
# the folders puts new files there).
touch "$tmp/real/stray.c"
expect fail 'stray.c: outside the folders' -- "$tmp/real"
rm "$tmp/real/stray.c"

# 2. A small tree with objects, laid out as the build lays them out
#    (OBJ/<folder>/CMakeFiles/<target>.dir/<file>.o).
mini=$tmp/mini
obj=$tmp/obj
mkdir -p "$mini/low" "$mini/high"
printf 'low:\nhigh: low\n' >"$mini/layers.txt"
build_mini() {
	rm -rf "$obj"
	for f in low/a.c low/b.c high/c.c; do
		d=$obj/${f%/*}/CMakeFiles/x.dir
		mkdir -p "$d"
		"$cc" -c -o "$d/${f##*/}.o" "$mini/$f"
	done
}
printf 'int low_b(void);\nint low_a(void) { return low_b(); }\n' >"$mini/low/a.c"
printf 'int low_b(void) { return 1; }\n' >"$mini/low/b.c"
printf 'int low_a(void);\nint high_c(void) { return low_a(); }\n' >"$mini/high/c.c"
build_mini
expect pass 'no circle' -- "$mini" "$obj"

# A call up the folders, declared by hand (no include to catch it).
printf 'int high_c(void);\nint low_b(void) { return high_c(); }\n' >"$mini/low/b.c"
build_mini
expect fail 'low/b.c: uses high_c of high/c.c: low may not use high' -- "$mini" "$obj"

# A circle inside one folder: a.c calls b.c, which calls a.c.
printf 'int low_a(void);\nint low_b(void) { return low_a(); }\n' >"$mini/low/b.c"
build_mini
expect fail 'circle: low/(a|b).c -> low/(a|b).c -> low/(a|b).c' -- "$mini" "$obj"

# A .c with no object (left out of its folder's CMakeLists.txt).
printf 'int low_b(void) { return 1; }\n' >"$mini/low/b.c"
build_mini
printf 'int low_d(void) { return 1; }\n' >"$mini/low/d.c"
expect fail 'low/d.c: no object' -- "$mini" "$obj"
rm "$mini/low/d.c"

# layers.txt using a folder before declaring it, and a list not closed.
printf 'low: high\nhigh:\n' >"$mini/layers.txt"
expect fail 'low uses high, which is not declared above it' -- "$mini"
printf 'base:\nlow: base\nhigh: low\n' >"$mini/layers.txt"
mkdir -p "$mini/base"
expect fail 'high uses low but not base' -- "$mini"

if [ "$failures" -ne 0 ]; then
	echo "test_check_layers: $failures failure(s)"
	exit 1
fi
echo "test_check_layers: the checker fails on every planted fault"
