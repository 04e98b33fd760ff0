#!/bin/sh
# test_guest_longjmp.sh BUILD - siglongjmp out of a signal handler that
# interrupted the shim while it recorded (issue 10, point 4). gw_jump
# opens /dev/null in a loop while a 200 us timer's handler jumps back to
# the loop's head; it prints how many open() calls returned (N) and how
# many jumps it took (J). Every open that returned passed through its
# wrapper, so the report's openat calls plus the calls it says were lost
# (dropped_by_cause.jumped) must reach N; and it cannot count more than
# N + J (a jump may land between open's return and the tally). Before the
# fix, the first jump out of a recording stopped the thread's counting
# for good (a few hundred opens counted of several hundred thousand).
# Three runs: the timer also lands in a thread's first call, which claims
# its slot.
. "$(dirname "$0")/lib.sh"
for round in 1 2 3; do
	"$SW" run --format json -o "$T/j.json" -- "$GW/gw_jump" 1 >"$T/j.out" 2>"$T/j.err"
	st=$?
	[ $st = 0 ] || { cat "$T/j.err"; fail "gw_jump exited $st"; }
	n=$(sed -n 's/^opens \([0-9]*\) jumps.*/\1/p' "$T/j.out")
	j=$(sed -n 's/.* jumps \([0-9]*\)$/\1/p' "$T/j.out")
	c=$(calls "$T/j.json" openat)
	lost=$(json "$T/j.json" "d['dropped_by_cause'].get('jumped', 0)")
	echo "round $round: gw_jump: $n opens returned, $j jumps; report: $c openat, $lost lost to jumps"
	[ $((c + lost)) -ge "$n" ] || fail "counted $c + lost $lost < $n opens that returned"
	[ "$c" -le $((n + j)) ] || fail "counted $c > $n opens + $j jumps"
	[ "$lost" -gt 0 ] && { grep -q "calls lost: a signal handler left the shim with siglongjmp" "$T/j.err" ||
		json "$T/j.json" "'\\n'.join(d['warnings'])" | grep -q "siglongjmp" ||
		fail "the lost calls are not explained"; }
done
echo "PASS"
