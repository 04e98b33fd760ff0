#!/usr/bin/env bash
# bench/run.sh - syswatch's cost, measured (issue 2, acceptance criterion 5).
#
#   bench/run.sh [BUILD_DIR]        (default: $SW_BUILD_DIR, else ./build)
#
# Paired runs: every round runs the uninstrumented program and the
# instrumented one back to back (alternating which goes first), and the
# figures are medians over the rounds. Printed at the end, in one table:
#
#   (a) a syscall-heavy C loop (open, fstat, read 4 KiB, close, stat of a
#       missing path; tests/workloads/wl_loop.c) for about a second: plain,
#       under `syswatch run` (full event recording), under a bare
#       LD_PRELOAD (the shim starts its own collector), and under
#       `strace -f -c -w` for comparison. Target: syswatch <= 1.15x.
#   (b) the real CPython binary importing json, decimal, asyncio, ...:
#       plain, under syswatch, under strace. Target: <= 1.05x.
#   (c) the loop in 16 threads: syswatch's overhead per call against the
#       single-thread overhead. Target: <= 1.2x. An overhead is the median
#       over rounds of (syswatch - plain), divided by the calls. Judged on
#       CPU time, the program's and the collector's together: every cost of
#       tracing, counted the same way for 1 and for 16 threads. Wall time
#       would not be: with one thread the collector runs on the idle second
#       CPU for free, with 16 it takes its share from the program. Shown
#       beside it: the program's own CPU time over its loop, and wall time
#       times the CPUs the threads keep busy (min(threads, CPUs)).
#   (d) dropped events of every syswatch run of the loop, at the default
#       ring size. Target: 0.
#   (e) the collector's peak RSS on the loop. Target: < 64 MiB. wait4()
#       gives the larger of the collector's and the workload's peaks; the
#       workload prints its own, so when wait4's is larger it is the
#       collector's. A 1 ms sample of the collector's VmHWM is shown too.
#
# Knobs (environment): ROUNDS (7), C_ROUNDS (11, for (c)), STRACE_ROUNDS (3), STRACE_SCALE (10:
# strace, ~100x slower on this loop, runs a loop that many times shorter,
# paired with a plain run of the same length), PY_ROUNDS (101), PY_K (1
# interpreter run per sample: the +-10% run-to-run noise of this machine is
# beaten by many finely interleaved pairs), PY_STRACE_EVERY (10: strace
# joins every 10th round), LOOP_SECONDS (1.0), THREADS (16).
#
# Ratios are medians of the per-round ratios, with a 95% confidence
# interval of that median beside them: on a noisy machine, read the
# interval, not just the point.
# Nothing is pinned: on this 2-core machine the scheduler places the
# collector, as it would for a user. Keep the machine otherwise idle.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
syswatch=$build/syswatch
shim=$build/libsyswatch.so
loop=$build/tests/wl_loop
for f in "$syswatch" "$shim" "$loop"; do
	[ -e "$f" ] || { echo "bench: $f is missing; build first (make)" >&2; exit 1; }
done
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }

ROUNDS=${ROUNDS:-7}
C_ROUNDS=${C_ROUNDS:-11}
STRACE_ROUNDS=${STRACE_ROUNDS:-3}
STRACE_SCALE=${STRACE_SCALE:-10}
PY_ROUNDS=${PY_ROUNDS:-101}
PY_K=${PY_K:-1}
PY_STRACE_EVERY=${PY_STRACE_EVERY:-10}
LOOP_SECONDS=${LOOP_SECONDS:-1.0}
THREADS=${THREADS:-16}
ncpu=$(nproc)

work=$(mktemp -d "${TMPDIR:-/tmp}/syswatch-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
timeit=$work/timeit
cc -O2 -Wall -Wextra -o "$timeit" "$here/timeit.c"
log=$work/rounds.log

# ---- helpers -------------------------------------------------------------

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
	else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# field KEY=value from a line
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
say() { printf '%s\n' "$*" >&2; }

# run_loop MODE THREADS N TAG: one run of the loop; appends a line to $log:
#   TAG MODE wall=.. loop_seconds=.. user_seconds=.. sys_seconds=.. cpu_seconds=.. calls=..
#   total_cpu_seconds=.. dropped=.. maxrss_kib=.. hwm_kib=.. wl_maxrss_kib=..
# (cpu_seconds: the program's, over its loop; total_cpu_seconds: the whole
# run's, the collector included)
run_loop() {
	local mode=$1 threads=$2 n=$3 tag=$4 json=$work/loop.json sflag=""
	local -a cmd
	rm -f "$json"
	case $mode in
	plain) cmd=("$loop" -t "$threads" "$n" "$work") ;;
	syswatch) cmd=("$syswatch" run --format json -o "$json" -- "$loop" -t "$threads" "$n" "$work") ;;
	preload) cmd=(env LD_PRELOAD="$shim" SYSWATCH_REPORT=json SYSWATCH_OUTPUT="$json"
		"$loop" -t "$threads" "$n" "$work") ;;
	strace) cmd=(strace -f -c -w -o /dev/null -- "$loop" -t "$threads" "$n" "$work") ;;
	rss) sflag=-s; mode=syswatch
		cmd=("$syswatch" run --format json -o "$json" -- "$loop" -t "$threads" "$n" "$work") ;;
	esac
	local out
	out=$("$timeit" $sflag -o "$work/t" -- "${cmd[@]}") || {
		say "bench: run failed: ${cmd[*]}"; cat "$work/t" >&2; exit 1; }
	local t dropped=-
	t=$(cat "$work/t")
	# A bare LD_PRELOAD's exit waits a few ms at most for its collector,
	# which writes the report after the program is gone: wait for it.
	if [ "$mode" = preload ]; then
		local i
		for i in $(seq 200); do
			grep -q '"dropped_events"' "$json" 2>/dev/null &&
				python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$json" 2>/dev/null && break
			sleep 0.05
		done
	fi
	if [ -s "$json" ]; then
		dropped=$(sed -n 's/.*"dropped_events": *\([0-9]*\).*/\1/p' "$json" | head -1)
	elif [ "$mode" != plain ] && [ "$mode" != strace ]; then
		say "bench: no JSON report from ${cmd[*]}"; exit 1
	fi
	local us sy
	us=$(field user_seconds "$out"); sy=$(field sys_seconds "$out")
	echo "$tag $mode wall=$(field wall "$t") loop_seconds=$(field loop_seconds "$out")" \
		"user_seconds=$us sys_seconds=$sy cpu_seconds=$(calc '%.6f' "$us + $sy")" \
		"calls=$(field calls "$out") total_cpu_seconds=$(field cpu "$t")" \
		"dropped=$dropped maxrss_kib=$(field maxrss_kib "$t") hwm_kib=$(field hwm_kib "$t")" \
		"wl_maxrss_kib=$(field maxrss_kib "$out")" >>"$log"
}

# med TAG MODE KEY: median of KEY over the logged runs of TAG/MODE
med() { awk -v tag="$1" -v mode="$2" '$1 == tag && $2 == mode' "$log" |
	while read -r line; do field "$3" "$line"; done | median; }
# ratio TAG MODE KEY: median over rounds of MODE/plain (paired by round)
ratio() { awk -v tag="$1" -v mode="$2" -v key="$3" '
	$1 == tag { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] }
		if ($2 == "plain") p[++np] = v; else if ($2 == mode) m[++nm] = v }
	END { for (i = 1; i <= nm && i <= np; i++) print m[i] / p[i] }' "$log" | median; }

# ratio_ci TAG MODE KEY: "lo-hi", a 95% confidence interval of that median
# (order statistics: ranks n/2 -+ 0.98 sqrt(n); the whole range when n < 6)
ratio_ci() { awk -v tag="$1" -v mode="$2" -v key="$3" '
	$1 == tag { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] }
		if ($2 == "plain") p[++np] = v; else if ($2 == mode) m[++nm] = v }
	END { for (i = 1; i <= nm && i <= np; i++) print m[i] / p[i] }' "$log" | sort -g |
	awk '{ v[NR] = $1 } END { d = 0.98 * sqrt(NR); lo = int(NR / 2 - d); hi = int(NR / 2 + 1 + d + 0.999)
		if (lo < 1) lo = 1; if (hi > NR) hi = NR; printf "%.3f-%.3f", v[lo], v[hi] }'; }

# pdiff TAG MODE KEY: median over rounds of MODE - plain (paired by round)
pdiff() { awk -v tag="$1" -v mode="$2" -v key="$3" '
	$1 == tag { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] }
		if ($2 == "plain") p[++np] = v; else if ($2 == mode) m[++nm] = v }
	END { for (i = 1; i <= nm && i <= np; i++) print m[i] - p[i] }' "$log" | median; }

# ---- (a) the loop, one thread ---------------------------------------------

n0=100000
run_loop plain 1 $n0 calib
s0=$(field loop_seconds "$(grep '^calib' "$log" | tail -1)")
n1=$(calc '%d' "$n0 * $LOOP_SECONDS / $s0")
nst=$((n1 / STRACE_SCALE))
say "bench: loop of $n1 iterations ($((n1 * 5)) calls) per run, $ROUNDS rounds"
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then order="plain syswatch preload"; else order="preload syswatch plain"; fi
	for m in $order; do run_loop "$m" 1 "$n1" a; done
	if [ "$r" -le "$STRACE_ROUNDS" ]; then
		run_loop plain 1 "$nst" as
		run_loop strace 1 "$nst" as
	fi
	say "  round $r/$ROUNDS: $(grep '^a ' "$log" | tail -3 | awk '{print $2, $3}' | tr '\n' ' ')"
done

# ---- (b) CPython imports ---------------------------------------------------

imports='import json, decimal, asyncio, email.mime.multipart, http.client, xml.etree.ElementTree, sqlite3, unittest, argparse, logging'
py=$(python3 -c 'import sys; print(sys.executable)')
export PYTHONDONTWRITEBYTECODE=1
"$py" -c "$imports" # warm the cache
say "bench: $py, $PY_ROUNDS rounds of $PY_K runs each"
run_py() {
	local mode=$1 json=$work/py.json
	local -a cmd
	case $mode in
	plain) cmd=("$py" -c "$imports") ;;
	syswatch) cmd=("$syswatch" run --format json -o "$json" -- "$py" -c "$imports") ;;
	strace) cmd=(strace -f -c -w -o /dev/null -- "$py" -c "$imports") ;;
	esac
	"$timeit" -n "$PY_K" -o "$work/t" -- "${cmd[@]}" >/dev/null 2>&1 || {
		say "bench: run failed: ${cmd[*]}"; exit 1; }
	echo "b $mode $(cat "$work/t")" >>"$log"
}
for r in $(seq 1 "$PY_ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then order="plain syswatch"; else order="syswatch plain"; fi
	if [ $(((r - 1) % PY_STRACE_EVERY)) -eq 0 ]; then order="$order strace"; fi
	for m in $order; do run_py "$m"; done
done

# ---- (c) 16 threads ----------------------------------------------------------

busy=$((THREADS < ncpu ? THREADS : ncpu))
nt=$((n1 * busy / THREADS))
say "bench: $THREADS threads x $nt iterations, $C_ROUNDS rounds"
for r in $(seq 1 "$C_ROUNDS"); do
	if [ $((r % 2)) -eq 1 ]; then order="plain syswatch"; else order="syswatch plain"; fi
	for m in $order; do run_loop "$m" "$THREADS" "$nt" c; done
done

# ---- (e) collector memory ----------------------------------------------------

run_loop rss 1 "$n1" e

# ---- the table ---------------------------------------------------------------

a_plain=$(med a plain wall); a_sw=$(med a syswatch wall); a_pre=$(med a preload wall)
a_st=$(med as strace wall); a_stp=$(med as plain wall)
a_r=$(ratio a syswatch wall); a_rpre=$(ratio a preload wall); a_rst=$(ratio as strace wall)
b_plain=$(med b plain wall); b_sw=$(med b syswatch wall); b_st=$(med b strace wall)
b_r=$(ratio b syswatch wall); b_rc=$(ratio b syswatch cpu)
b_ci=$(ratio_ci b syswatch wall); a_ci=$(ratio_ci a syswatch wall)
b_rst=$(awk '$1 == "b" && $2 == "strace"' "$log" | while read -r l; do field wall "$l"; done | median)
b_rst=$(calc '%.3f' "$b_rst / $(med b plain wall)")
b_pc=$(med b plain cpu); b_sc=$(med b syswatch cpu)

calls1=$(med a plain calls); calls16=$(med c plain calls)
per_call() { calc '%.1f' "$(pdiff "$1" syswatch "$2") * $3 * 1e9 / $4"; }
ot1=$(per_call a total_cpu_seconds 1 "$calls1"); ot16=$(per_call c total_cpu_seconds 1 "$calls16")
oc1=$(per_call a cpu_seconds 1 "$calls1"); oc16=$(per_call c cpu_seconds 1 "$calls16")
ow1=$(per_call a loop_seconds 1 "$calls1"); ow16=$(per_call c loop_seconds "$busy" "$calls16")
ot_r=$(calc '%.2f' "$ot16 / $ot1"); oc_r=$(calc '%.2f' "$oc16 / $oc1"); ow_r=$(calc '%.2f' "$ow16 / $ow1")

drops=$(awk '($1 == "a" || $1 == "e") && ($2 == "syswatch" || $2 == "preload")' "$log" |
	while read -r l; do field dropped "$l"; done | sort -g | tail -1)
drop_runs=$(awk '$1 == "c" && $2 == "syswatch"' "$log" | while read -r l; do field dropped "$l"; done |
	awk '$1 > 0' | wc -l)
drops_c=$(awk '$1 == "c" && $2 == "syswatch"' "$log" | while read -r l; do field dropped "$l"; done |
	sort -g | tail -1)
e_line=$(grep '^e ' "$log")
e_max=$(field maxrss_kib "$e_line"); e_hwm=$(field hwm_kib "$e_line"); e_wl=$(field wl_maxrss_kib "$e_line")
if [ "$e_max" -gt "$e_wl" ]; then e_note="the collector's own peak (the workload's is $e_wl KiB)"
else e_note="upper bound: the workload's peak ($e_wl KiB) is as large"; fi

verdict() { awk "BEGIN { exit !($1) }" && echo ok || echo MISSED; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "syswatch benchmark: $ncpu CPUs ($cpu), $(uname -r), medians of paired runs"
echo "ring: default size; clock: shim default; ratios are medians of per-round ratios"
echo
printf '%-44s %10s %10s %8s  %-8s %-6s %s\n' "" plain instrumented ratio target result "95% CI"
printf '%-44s %9.3fs %9.3fs %7.3fx  %-8s %-6s %s\n' "(a) C loop, 1 thread, $((n1 * 5 / 1000))k calls: syswatch run" \
	"$a_plain" "$a_sw" "$a_r" "<= 1.15" "$(verdict "$a_r <= 1.15")" "$a_ci"
printf '%-44s %9.3fs %9.3fs %7.3fx\n' "    bare LD_PRELOAD (own collector)" "$a_plain" "$a_pre" "$a_rpre"
printf '%-44s %9.3fs %9.3fs %7.2fx  %s\n' "    strace -f -c -w (1/$STRACE_SCALE loop, $STRACE_ROUNDS rds)" "$a_stp" "$a_st" "$a_rst" "(for comparison)"
printf '%-44s %8.1fms %8.1fms %7.3fx  %-8s %-6s %s\n' "(b) CPython imports ($PY_ROUNDS pairs): syswatch run" \
	"$(calc '%f' "$b_plain * 1000")" "$(calc '%f' "$b_sw * 1000")" "$b_r" "<= 1.05" \
	"$(verdict "$b_r <= 1.05")" "$b_ci"
printf '%-44s %8.1fms %8.1fms %7.3fx  %s\n' "    CPU time (program + collector)" \
	"$(calc '%f' "$b_pc * 1000")" "$(calc '%f' "$b_sc * 1000")" "$b_rc" "(for comparison)"
printf '%-44s %8.1fms %8.1fms %7.2fx  %s\n' "    strace -f -c -w (ratio of medians)" \
	"$(calc '%f' "$b_plain * 1000")" "$(calc '%f' "$b_st * 1000")" "$b_rst" "(for comparison)"
echo
printf '%-44s %10s %10s %8s  %-8s %s\n' "(c) syswatch overhead per call" "1 thread" "$THREADS thr." ratio target result
printf '%-44s %8sns %8sns %7sx  %-8s %s\n' "    CPU time, program + collector / calls" "$ot1" "$ot16" \
	"$ot_r" "<= 1.2" "$(verdict "$ot_r <= 1.2")"
printf '%-44s %8sns %8sns %7sx\n' "    CPU time, program alone (its loop) / calls" "$oc1" "$oc16" "$oc_r"
printf '%-44s %8sns %8sns %7sx\n' "    wall time x busy cores / calls" "$ow1" "$ow16" "$ow_r"
echo
printf '%-44s %s  %-8s %s\n' "(d) dropped events, loop runs (1 thread)" "$drops" "= 0" "$(verdict "$drops == 0")"
printf '%-44s %s\n' "    dropped events, $THREADS threads (max)" "$drops_c (in $drop_runs of $C_ROUNDS runs)"
printf '%-44s %s  %-8s %s\n' "(e) collector peak RSS, loop run" "$(calc '%.1f' "$e_max / 1024") MiB" "< 64 MiB" \
	"$(verdict "$e_max < 65536")"
printf '%-44s %s\n' "    ($e_note)" ""
printf '%-44s %s\n' "    collector VmHWM, sampled every 1 ms" "$(calc '%.1f' "$e_hwm / 1024") MiB"
echo
echo "per-run figures:"
sed 's/^/  /' "$log"
