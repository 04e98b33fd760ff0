#!/bin/sh
# test_guest_exit.sh BUILD - what the program's exit costs (issue 10,
# point 5), against the same program without the shim in the same test.
#  1. `sleep 1` under a plain LD_PRELOAD whose collector is stopped
#     (SIGSTOP) as soon as it runs: the program must take about as long
#     as without the shim (before the fix: 10 s more); once the collector
#     is continued, it still reports the run from the segments.
#  2. `true` under a plain LD_PRELOAD: the median of 5 runs must be within
#     50 ms of the median without the shim (before the fix ~60 ms more,
#     spent in 1 ms sleeps waiting for the table).
. "$(dirname "$0")/lib.sh"
in_private_shm 256m "$0" "$@"
SLEEP=/bin/sleep
TRUE=/bin/true
extra_max=50

t0=$(now_ms); "$SLEEP" 1; t1=$(now_ms)
plain=$((t1 - t0))
t0=$(now_ms)
LD_PRELOAD=$SHIM SYSWATCH_REPORT=json SYSWATCH_OUTPUT=$T/stop.json "$SLEEP" 1 &
pid=$!
col=
i=0
while [ -z "$col" ] && [ $i -lt 400 ]; do
	col=$(pgrep -f -- "--root-pid $pid\$")
	i=$((i + 1))
	[ -z "$col" ] && sleep 0.005
done
[ -n "$col" ] || fail "no collector found for pid $pid"
kill -STOP $col
wait $pid
st=$?
t1=$(now_ms)
shim=$((t1 - t0))
echo "sleep 1: ${plain} ms without the shim, ${shim} ms with its collector stopped (exit $st)"
kill -CONT $col
[ $st = 0 ] || fail "sleep exited $st"
[ $shim -le $((plain + extra_max)) ] || fail "the exit waited for a stopped collector: ${shim} ms against ${plain} ms"
wait_auto_report $pid
n=$(json "$T/stop.json" "d['total']['calls']")
echo "the collector, continued, reported $n calls"
[ "$n" -ge 1 ] || fail "no report from the segments after the program ended"

median() { sort -n | sed -n 3p; }
for k in 1 2 3 4 5; do
	t0=$(now_ms); "$TRUE"; t1=$(now_ms); echo $((t1 - t0))
done | median >"$T/plain"
for k in 1 2 3 4 5; do
	t0=$(now_ms)
	LD_PRELOAD=$SHIM SYSWATCH_OUTPUT=/dev/null "$TRUE" &
	pid=$!
	wait $pid
	t1=$(now_ms)
	echo $((t1 - t0))
	wait_auto_report $pid
done | median >"$T/shim"
plain=$(cat "$T/plain")
shim=$(cat "$T/shim")
echo "true: median ${plain} ms without the shim, ${shim} ms with it"
[ "$shim" -le $((plain + extra_max)) ] || fail "true takes ${shim} ms with the shim, ${plain} ms without"
echo "PASS"
