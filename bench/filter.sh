#!/usr/bin/env bash
# bench/filter.sh - what `-e trace=` given to `syswatch run` saves (issue 5,
# acceptance criterion 5): rows left out are not recorded by the shim at
# all (SYSWATCH_ROWS), so their calls cost one load and a branch.
#
#   bench/filter.sh [BUILD_DIR]        (default: $SW_BUILD_DIR, else ./build)
#
# The syscall loop of bench/run.sh (tests/workloads/wl_loop.c: openat,
# newfstatat, read, close, a failing newfstatat) runs, in every round and
# in a rotating order:
#   plain      uninstrumented
#   all        syswatch run, every row recorded (counters and events)
#   excluded   syswatch run -e trace=futex: only a row the loop never uses
#   strace     strace -f -c -w, on a loop STRACE_SCALE times shorter
#              (skipped when ptrace is not allowed)
# The figure is the loop's own wall time per call (wl_loop measures it from
# its start barrier, so start-up and the report are left out), the median
# over ROUNDS rounds, and its ratio to plain.
#
# Knobs (environment): ROUNDS (7), N (200000 iterations, 5 calls each),
# STRACE_SCALE (20).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
syswatch=$build/syswatch
loop=$build/tests/wl_loop
for f in "$syswatch" "$loop"; do
	[ -x "$f" ] || { echo "filter.sh: $f is missing; build first (make)" >&2; exit 1; }
done
ROUNDS=${ROUNDS:-7}
N=${N:-200000}
STRACE_SCALE=${STRACE_SCALE:-20}

work=$(mktemp -d "${TMPDIR:-/tmp}/syswatch-filter.XXXXXX")
trap 'rm -rf "$work"' EXIT
modes=(plain all excluded)
if strace -f -c -o /dev/null true 2>/dev/null; then
	modes+=(strace)
else
	echo "filter.sh: strace -f -c true fails here (no ptrace): no strace column" >&2
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
	else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one MODE: prints the loop's nanoseconds per call
one() {
	local mode=$1 n=$N out
	local -a cmd
	case $mode in
	plain) cmd=("$loop" "$n" "$work") ;;
	all) cmd=("$syswatch" run -o "$work/all.txt" -- "$loop" "$n" "$work") ;;
	excluded) cmd=("$syswatch" run -e trace=futex -o "$work/excl.txt" -- "$loop" "$n" "$work") ;;
	strace) n=$((N / STRACE_SCALE))
		cmd=(strace -f -c -w -o /dev/null -- "$loop" "$n" "$work") ;;
	esac
	out=$("${cmd[@]}" 2>/dev/null) || { echo "filter.sh: failed: ${cmd[*]}" >&2; exit 1; }
	local secs calls
	secs=$(sed -n 's/.*loop_seconds=\([^ ]*\).*/\1/p' <<<"$out")
	calls=$(sed -n 's/.*calls=\([^ ]*\).*/\1/p' <<<"$out")
	awk "BEGIN { printf \"%.2f\n\", $secs * 1e9 / $calls }"
}

for ((r = 0; r < ROUNDS; r++)); do
	k=${#modes[@]}
	for ((i = 0; i < k; i++)); do
		mode=${modes[$(((i + r) % k))]}
		echo "$(one "$mode")" >>"$work/$mode.ns"
	done
	printf 'round %d/%d done\n' $((r + 1)) "$ROUNDS" >&2
done

# the excluded run must really have left the loop's rows out
if grep -qE ' (openat|read|close|newfstatat)$' "$work/excl.txt"; then
	echo "filter.sh: -e trace=futex still shows the loop's rows:" >&2
	cat "$work/excl.txt" >&2
	exit 1
fi

plain=$(median <"$work/plain.ns")
printf '\nwl_loop, %d iterations x 5 calls, median of %d rounds (loop wall time per call)\n' \
	"$N" "$ROUNDS"
printf '%-34s %10s %8s\n' "mode" "ns/call" "ratio"
for mode in "${modes[@]}"; do
	m=$(median <"$work/$mode.ns")
	case $mode in
	plain) label="uninstrumented" ;;
	all) label="syswatch run (all rows)" ;;
	excluded) label="syswatch run -e trace=futex" ;;
	strace) label="strace -f -c -w (loop / $STRACE_SCALE)" ;;
	esac
	printf '%-34s %10.2f %7.3fx\n' "$label" "$m" "$(awk "BEGIN { print $m / $plain }")"
done
