#!/bin/sh
# test_guest_addr_space.sh BUILD - the shim's address space (issue 10,
# point 2). Under `ulimit -v 1048576`, gw_alloc 850 (850 MiB, touched)
# exits as it does without the shim, under `syswatch run` and under a
# plain LD_PRELOAD (before the fix the shim mapped ~290 MB up front and
# the allocation failed). Under a limit just above what the program needs
# without the shim (its VmPeak with SYSWATCH_DISABLE=1, + 100 KiB), the
# thread's slot cannot be mapped: the program still exits 0, and the report
# names the refused mapping and the limit, not "setuid, or LD_PRELOAD
# removed".
. "$(dirname "$0")/lib.sh"
ref=$(sh -c "ulimit -v 1048576 && '$GW/gw_alloc' 850" 2>&1)
refst=$?
echo "without the shim: $ref (exit $refst)"
[ $refst = 0 ] || skip "gw_alloc 850 fails under ulimit -v 1048576 even without the shim"
out=$(sh -c "ulimit -v 1048576 && '$SW' run -o '$T/run.txt' -- '$GW/gw_alloc' 850" 2>&1)
st=$?
echo "syswatch run: $out (exit $st)"
[ $st = 0 ] || fail "syswatch run: exit $st, 0 without the shim"
out=$(sh -c "ulimit -v 1048576 && LD_PRELOAD='$SHIM' SYSWATCH_OUTPUT='$T/pre.txt' '$GW/gw_alloc' 850" 2>&1)
st=$?
echo "LD_PRELOAD: $out (exit $st)"
[ $st = 0 ] || fail "LD_PRELOAD: exit $st, 0 without the shim"

command -v prlimit >/dev/null || skip "prlimit(1) is not installed"
peak=$(SYSWATCH_DISABLE=1 LD_PRELOAD=$SHIM "$GW/gw_alloc" 0 | sed -n 's/.*VmPeak \([0-9]*\) kB/\1/p')
[ -n "$peak" ] || fail "gw_alloc printed no VmPeak"
lim=$(((peak + 100) * 1024))
"$SW" run --format json -o "$T/tiny.json" -- prlimit --as=$lim "$GW/gw_alloc" 0 >"$T/tiny.out" 2>&1
st=$?
cat "$T/tiny.out"
[ $st = 0 ] || fail "under a $lim-byte limit: exit $st"
w=$(json "$T/tiny.json" "'\\n'.join(d['warnings'])")
echo "$w"
echo "$w" | grep "(gw_alloc)" | grep -q "mapping its slot .* was refused (Cannot allocate memory).*ulimit -v" ||
	fail "the report does not name the refused mapping of gw_alloc"
echo "$w" | grep -q "setuid" && fail "the report blames setuid or LD_PRELOAD"
echo "PASS"
