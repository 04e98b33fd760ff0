#!/bin/sh
# test_guest_hostile.sh BUILD - a neighbour writing into the segment
# (issue 10, point 3). In a private mount namespace (so that only this
# test's segments are touched), gw_scribble overwrites the header's
# geometry (ring_size, slots_offset, slot_size, nslots, nrows,
# counter_size, base_ticks) and the slots' state, head and tail, over and
# over, while wl_loop runs 4 threads under a plain LD_PRELOAD. The program
# must be unaffected: the same exit status and the same call tally as
# without the shim (before the fix: SIGSEGV in memcpy, or SIGBUS). What
# the collector makes of the garbage is not judged here.
. "$(dirname "$0")/lib.sh"
in_private_shm 256m "$0" "$@"
mkdir "$T/data"
"$B/tests/wl_loop" -t 4 40000 "$T/data" >"$T/ref.out" 2>&1
ref=$?
refcalls=$(sed -n 's/.*\(calls=[0-9]*\).*/\1/p' "$T/ref.out")
echo "without the shim: exit $ref, $refcalls"
for round in 1 2 3; do
	U=/dev/shm/syswatch-$(id -u)
	mkdir -p -m 700 "$U"
	"$GW/gw_scribble" "$U" 3 >"$T/scribble.out" &
	scr=$!
	sleep 0.1
	LD_PRELOAD=$SHIM SYSWATCH_OUTPUT=$T/pre.txt "$B/tests/wl_loop" -t 4 40000 "$T/data" \
		>"$T/pre.out" 2>"$T/pre.err" &
	pid=$!
	wait $pid
	st=$?
	wait $scr
	calls=$(sed -n 's/.*\(calls=[0-9]*\).*/\1/p' "$T/pre.out")
	echo "round $round: exit $st, $calls; $(cat "$T/scribble.out")"
	# The auto collector reads garbage: give it a moment, then stop it.
	sleep 0.5
	for c in $(pgrep -f -- "--root-pid $pid\$"); do kill -9 "$c"; done
	[ $st = $ref ] || { cat "$T/pre.err"; fail "round $round: exit $st, $ref without the shim"; }
	[ "$calls" = "$refcalls" ] || fail "round $round: the program counted $calls, $refcalls without the shim"
	grep -q "scribbled [1-9]" "$T/scribble.out" || fail "round $round: nothing was scribbled"
	rm -rf "${U:?}"/*
done
echo "PASS"
