#!/usr/bin/env bash
# bench/locks.sh - what syswatch costs on locks (issue 3, criterion 5).
#
#   bench/locks.sh [BUILD_DIR]
#
# Paired rounds (plain and under `syswatch run`, alternating which goes
# first), medians printed side by side:
#   (a) 8 threads contending on one mutex: wall time ratio (target <= 1.15x)
#   (b) uncontended lock/unlock pairs: extra ns per pair (target <= 10 ns)
#   (c) the 32-thread import scenario on the slow filesystem (scenario/):
#       wall time ratio (target <= 1.05x), plain vs `syswatch run` and
#       vs `syswatch run --locks` (which also analyses the trace at the end)
# Knobs: ROUNDS (9), PAIRS (50000000), CONTEND_N (400000), IMPORT_ROUNDS (3),
# SKIP_IMPORT=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
sw=$build/syswatch
[ -x "$sw" ] || { echo "bench: $sw is missing; build first (make)" >&2; exit 1; }
rounds=${ROUNDS:-9}
pairs=${PAIRS:-50000000}
contend_n=${CONTEND_N:-400000}
work=$(mktemp -d "${TMPDIR:-/tmp}/syswatch-lockbench.XXXXXX")
mnt=
fs_pid=
cleanup() {
	if [ -n "$mnt" ] && awk -v m="$mnt" '$5 == m {f=1} END {exit !f}' /proc/self/mountinfo; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null || true
	fi
	[ -n "$fs_pid" ] && wait "$fs_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -Wall -Wextra -pthread -o "$work/lockbench" "$here/locks/lockbench.c"
lb=$work/lockbench

calc() { awk "BEGIN {printf \"%.6f\", $1}"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
wall() { # wall seconds of a command, stdout discarded
	local t0 t1
	t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}'
}

echo "syswatch lock benchmark: $rounds paired rounds, $(nproc) CPUs"
: >"$work/a.plain"; : >"$work/a.sw"; : >"$work/b.plain"; : >"$work/b.sw"
for ((i = 0; i < rounds; i++)); do
	if ((i % 2)); then order="sw plain"; else order="plain sw"; fi
	for o in $order; do
		if [ "$o" = plain ]; then
			"$lb" contend 8 "$contend_n" | awk '{print $2}' >>"$work/a.plain"
			"$lb" pairs "$pairs" | awk '{print $2}' >>"$work/b.plain"
		else
			"$sw" run -o /dev/null -- "$lb" contend 8 "$contend_n" | awk '{print $2}' >>"$work/a.sw"
			"$sw" run -o /dev/null -- "$lb" pairs "$pairs" | awk '{print $2}' >>"$work/b.sw"
		fi
	done
done
a_plain=$(median <"$work/a.plain"); a_sw=$(median <"$work/a.sw")
b_plain=$(median <"$work/b.plain"); b_sw=$(median <"$work/b.sw")
printf '\n%-44s %10s %10s %8s %8s\n' "workload" "plain" "syswatch" "ratio" "target"
printf '%-44s %9.3fs %9.3fs %7.3fx %8s\n' "(a) 8 threads contending on one mutex" \
	"$a_plain" "$a_sw" "$(calc "$a_sw / $a_plain")" "<=1.15x"
printf '%-44s %8.2fns %8.2fns %+6.2fns %8s\n' "(b) uncontended lock/unlock pair" \
	"$b_plain" "$b_sw" "$(calc "$b_sw - $b_plain")" "<=10ns"

if [ "${SKIP_IMPORT:-0}" = 1 ]; then
	exit 0
fi
py=$(python3 -c 'import sys; print(sys.executable)')
slowfs=$build/slowfs
if [ ! -x "$slowfs" ] || [ ! -e /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
	echo "(c) skipped: slowfs, /dev/fuse or fusermount3 missing"
	exit 0
fi
mkdir -p "$work/src"
"$py" "$here/../scenario/gen_tree.py" --python "$py" "$work/src" >/dev/null
mkdir -p "$work/mnt"
mnt=$work/mnt
"$slowfs" "$work/src" "$mnt" --lookup-ms 1 --open-ms 2 --read-ms 5 -f &
fs_pid=$!
for _ in $(seq 50); do
	awk -v m="$mnt" '$5 == m {f=1} END {exit !f}' /proc/self/mountinfo && break
	sleep 0.1
done
app=("$py" "$here/../scenario/import_app.py" --threads 32 --path "$mnt")
: >"$work/c.plain"; : >"$work/c.sw"; : >"$work/c.locks"
for ((i = 0; i < ${IMPORT_ROUNDS:-3}; i++)); do
	wall "${app[@]}" >>"$work/c.plain"
	wall "$sw" run -o /dev/null -- "${app[@]}" >>"$work/c.sw"
	wall "$sw" run --locks -o /dev/null -- "${app[@]}" >>"$work/c.locks"
done
c_plain=$(median <"$work/c.plain"); c_sw=$(median <"$work/c.sw"); c_lk=$(median <"$work/c.locks")
printf '%-44s %9.3fs %9.3fs %7.3fx %8s\n' "(c) 32-thread import, slow fs" \
	"$c_plain" "$c_sw" "$(calc "$c_sw / $c_plain")" "<=1.05x"
printf '%-44s %9.3fs %9.3fs %7.3fx\n' "    ... with --locks (analysis included)" \
	"$c_plain" "$c_lk" "$(calc "$c_lk / $c_plain")"
