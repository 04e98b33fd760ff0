#!/usr/bin/env bash
# test_slowfs_fallback.sh - libslowpath.so slows exactly what is under its prefix.
#
# Why: where FUSE is unavailable the demo and tests fall back to this
# preload; it must delay opens, stats and reads under SLOWPATH_PREFIX (also
# for CPython, which calls open64/fstat64/read), leave every other path
# alone (including a sibling that merely shares the prefix's characters),
# and never change results. Exits 77 if the library is not built.
. "$(dirname "$0")/test_slowfs_lib.sh"

lib=$build/libslowpath.so
[ -e "$lib" ] || skip "$lib not built"
D=400   # each latency, ms; "not slowed" means well under it

slow=$tmp/slow sibling=$tmp/slowish
mkdir -p "$slow/pkg" "$sibling"
head -c 100000 /dev/urandom >"$slow/pkg/data"
cp "$slow/pkg/data" "$sibling/data"

# timed LOOKUP OPEN READ CMD...: run CMD under the preload; elapsed ms in $ms.
timed() {
	local l=$1 o=$2 r=$3 t0 t1
	shift 3
	t0=$(now_ms)
	env LD_PRELOAD="$lib" SLOWPATH_PREFIX="$slow/" SLOWPATH_LOOKUP_MS=$l \
		SLOWPATH_OPEN_MS=$o SLOWPATH_READ_MS=$r "$@"
	local rc=$?
	t1=$(now_ms)
	ms=$((t1 - t0))
	return $rc
}

timed $D 0 0 stat "$slow/pkg/data" >/dev/null
at_least "stat under the prefix pays the lookup latency" $ms $D
timed $D 0 0 stat "$sibling/data" >/dev/null
at_most "stat of a sibling sharing the prefix's characters is not slowed" $ms $((D / 2))

timed 0 $D 0 cat "$slow/pkg/data" >/dev/null
at_least "open under the prefix pays the open latency" $ms $D
timed 0 0 $D cat "$slow/pkg/data" >/dev/null
at_least "cat under the prefix pays two reads (data, EOF)" $ms $((2 * D))
timed 0 0 $D cat "$sibling/data" >/dev/null
at_most "reads outside the prefix are not slowed" $ms $((D / 2))
timed 0 0 0 cat "$slow/pkg/data" >"$tmp/copy"
check "bytes read through the preload are the file's" cmp -s "$slow/pkg/data" "$tmp/copy"

# A missing file still fails with ENOENT (errno kept across the delay).
out=$(timed $D 0 0 stat "$slow/pkg/missing" 2>&1)
check "stat of a missing file still reports ENOENT" grep -q "No such file" <<<"$out"

py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -x "$py" ]; then
	code="import os; f = open('$slow/pkg/data', 'rb'); os.fstat(f.fileno()); f.read()"
	timed $D $D $D "$py" -c "$code"
	at_least "CPython's open64/fstat64/read are slowed" $ms $((2 * D + D + 2 * D))
	# The fd flag is cleared on close: a reused fd number is not slowed.
	code="import os
os.close(os.open('$slow/pkg/data', os.O_RDONLY))
fd = os.open('$sibling/data', os.O_RDONLY)
import time; t = time.monotonic(); os.read(fd, 10); print(int((time.monotonic() - t) * 1000))"
	got=$(timed 0 0 $D "$py" -c "$code")
	at_most "a closed fd's number, reused outside the prefix, is not slowed" "${got:-99999}" $((D / 2))
else
	echo "note: no python3: CPython checks not run"
fi
finish
