#!/usr/bin/env bash
# bench/complete.sh - what complete mode (syswatch run --complete) costs
# (issue 9, point 3 and acceptance 4), measured side by side in one run:
#
#   (a) one unwrapped system call (getppid from the program's own syscall
#       instruction, bench/trapcost.c): plain; under syswatch's default
#       mode (not seen: no cost); under --complete (trapped: a SIGSYS
#       delivery, the handler, rt_sigreturn); under strace -f -c.
#       Reported in ns per call, median over ROUNDS.
#   (b) the benchmark loop of bench/run.sh (tests/workloads/wl_loop.c,
#       every call wrapped): plain, default mode, --complete (the wrappers
#       let their calls through the dispatch, which then costs the
#       kernel's slow syscall path on every call), strace -f -c -w.
#       Reported in ns per call of the loop (its own clock).
#
#   bench/complete.sh [BUILD_DIR]     knobs: ROUNDS (5), N (200000), LOOP_N (40000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
sw=$build/syswatch
loop=$build/tests/wl_loop
ROUNDS=${ROUNDS:-5}
N=${N:-200000}
LOOP_N=${LOOP_N:-40000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/trapcost" "$here/trapcost.c"
mkdir -p "$tmp/w"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# trap_ns MODE: ns per unwrapped call of one run.
trap_ns() {
	local out=$tmp/out
	case $1 in
	plain) "$tmp/trapcost" "$N" >"$out" ;;
	default) "$sw" run -o /dev/null -- "$tmp/trapcost" "$N" >"$out" ;;
	complete) "$sw" run --complete -o /dev/null -- "$tmp/trapcost" "$N" >"$out" ;;
	strace) strace -f -c -o /dev/null -- "$tmp/trapcost" "$((N / 10))" >"$out" ;;
	esac
	sed -n 's/.*ns_per_call=\([0-9.]*\).*/\1/p' "$out"
}

# loop_ns MODE: ns per call of wl_loop (5 calls an iteration).
loop_ns() {
	local out=$tmp/out n=$LOOP_N
	[ "$1" = strace ] && n=$((LOOP_N / 10))
	case $1 in
	plain) "$loop" "$n" "$tmp/w" >"$out" ;;
	default) "$sw" run -o /dev/null -- "$loop" "$n" "$tmp/w" >"$out" ;;
	complete) "$sw" run --complete -o /dev/null -- "$loop" "$n" "$tmp/w" >"$out" ;;
	strace) strace -f -c -w -o /dev/null -- "$loop" "$n" "$tmp/w" >"$out" ;;
	esac
	awk -v n="$n" '{for (i = 1; i <= NF; i++) if ($i ~ /^loop_seconds=/) {split($i, a, "="); printf "%.1f\n", a[2] * 1e9 / (n * 5)}}' "$out"
}

printf '%-34s %10s %10s %10s %10s\n' "median ns per call" plain default complete strace
for what in trap loop; do
	declare -A res=()
	for m in plain default complete strace; do
		vals=()
		for ((r = 0; r < ROUNDS; r++)); do
			vals+=("$(${what}_ns "$m")")
		done
		res[$m]=$(printf '%s\n' "${vals[@]}" | median)
	done
	label="unwrapped getppid (trapcost)"
	[ $what = loop ] && label="wrapped loop (wl_loop)"
	printf '%-34s %10s %10s %10s %10s\n' "$label" "${res[plain]}" "${res[default]}" \
		"${res[complete]}" "${res[strace]}"
	unset res
done
