#!/bin/sh
# test_guest_shm_full.sh BUILD - a full /dev/shm (issue 10, point 1).
# In a private mount namespace whose /dev/shm is a 1 MiB tmpfs, wl_loop
# with 4 and 300 threads, under `syswatch run` and under a plain
# LD_PRELOAD: the program exits as it does without the shim (before the
# fix: SIGBUS, exit 135), the threads that found no room run uncounted,
# and the report says so with the cause, the directory's size and what to
# do. Then with no room left at all: the process runs uncounted and the
# report names it.
. "$(dirname "$0")/lib.sh"
in_private_shm 1m "$0" "$@"
mkdir "$T/data"
for n in 4 300; do
	"$B/tests/wl_loop" -t $n 2000 "$T/data" >"$T/ref.out" 2>&1
	ref=$?
	"$SW" run --format json -o "$T/run$n.json" -- "$B/tests/wl_loop" -t $n 2000 "$T/data" \
		>"$T/run$n.out" 2>"$T/run$n.err"
	st=$?
	echo "$n threads: exit $st under syswatch run, $ref without the shim"
	[ $st = $ref ] || { cat "$T/run$n.err"; fail "$n threads: exit $st, $ref without the shim"; }
	w=$(json "$T/run$n.json" "'\\n'.join(d['warnings'])")
	echo "$w"
	echo "$w" | grep -q "threads\? ran uncounted: no room to reserve" ||
		fail "$n threads: the report does not say the threads ran uncounted for want of room"
	echo "$w" | grep -q "1.0 MiB tmpfs" || fail "$n threads: the report does not give the tmpfs size"
	echo "$w" | grep -q "SYSWATCH_DIR" || fail "$n threads: the report does not say what to do"

	LD_PRELOAD=$SHIM SYSWATCH_REPORT=json SYSWATCH_OUTPUT=$T/pre$n.json \
		"$B/tests/wl_loop" -t $n 2000 "$T/data" >"$T/pre$n.out" 2>"$T/pre$n.err" &
	pid=$!
	wait $pid
	st=$?
	echo "$n threads: exit $st under LD_PRELOAD"
	[ $st = $ref ] || fail "$n threads, LD_PRELOAD: exit $st, $ref without the shim"
	wait_auto_report $pid
	json "$T/pre$n.json" "'\\n'.join(d['warnings'])" | grep -q "ran uncounted: no room" ||
		fail "$n threads, LD_PRELOAD: the report does not name the cause"
done

# A /dev/shm with no room at all: the process cannot even reserve its
# segment's header; it runs uncounted, and the report names it and why
# (not "setuid, or LD_PRELOAD removed").
"$SW" run -o /dev/null -- /bin/true 2>/dev/null # makes the per-user directory
head -c 2m /dev/zero >/dev/shm/fill 2>/dev/null
"$SW" run --format json -o "$T/none.json" -- "$GW/gw_alloc" 0 >"$T/none.out" 2>&1
st=$?
rm -f /dev/shm/fill
[ $st = 0 ] || fail "no room at all: exit $st"
w=$(json "$T/none.json" "'\\n'.join(d['warnings'])")
echo "$w"
echo "$w" | grep -q "process [0-9]* ran uncounted: no room to reserve its segment" ||
	fail "no room at all: the report does not say the process ran uncounted, and why"
echo "$w" | grep -q "setuid" && fail "no room at all: the report blames setuid or LD_PRELOAD"
echo "PASS"
