#!/usr/bin/env bash
# bench/soak.sh - a soak under the shim (issue 4, acceptance criterion 3).
#
#   bench/soak.sh [SECONDS] [BUILD_DIR]      (defaults: 300, $SW_BUILD_DIR or ./build)
#
# Runs bench/soak/soak.c (THREADS threads making write/read/lseek/getcwd at
# full speed, each counting its own calls) under `syswatch run` for SECONDS,
# samples the VmRSS of the collector (the `syswatch run` process) and of
# the program every INTERVAL seconds, and prints:
#   - the samples;
#   - whether each RSS is flat after warm-up: the samples after WARMUP
#     (default: the first fifth of the run) are cut in thirds, and the
#     largest RSS of the last third must be within TOLERANCE percent
#     (default 5) plus 512 KiB of the largest of the first third;
#   - whether every call was counted: the program's own counts against the
#     rows of syswatch's JSON report (write, read, lseek, getcwd), and the
#     events dropped (counters stay exact when events are dropped).
# Exit status 0 when both RSS are flat and every count matches.
#
# Knobs (environment): THREADS (4), INTERVAL (2), WARMUP (SECONDS/5),
# TOLERANCE (5), CHURN_MS (0: no thread churn; N: the program also starts
# and joins a short thread every N ms), SYSWATCH_RING_KB (the shim's).
# Not a test: it takes minutes. Keep the machine otherwise idle.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-300}
build=$(cd "${2:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
syswatch=$build/syswatch
[ -x "$syswatch" ] || { echo "soak: $syswatch is missing; build first (make)" >&2; exit 1; }
[ -e "$build/libsyswatch.so" ] || { echo "soak: $build/libsyswatch.so is missing" >&2; exit 1; }

THREADS=${THREADS:-4}
INTERVAL=${INTERVAL:-2}
WARMUP=${WARMUP:-$((secs / 5))}
TOLERANCE=${TOLERANCE:-5}
CHURN_MS=${CHURN_MS:-0}

work=$(mktemp -d "${TMPDIR:-/tmp}/syswatch-soak.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -Wextra -pthread -o "$work/soak" "$here/soak/soak.c"

echo "soak: $THREADS threads for $secs s under $syswatch run (churn: ${CHURN_MS} ms," \
	"samples every $INTERVAL s, warm-up $WARMUP s)"
"$syswatch" run --format json -o "$work/report.json" -- \
	"$work/soak" "$secs" "$THREADS" "$work/tally" "$CHURN_MS" 2>"$work/stderr" &
sw=$!

# The program: the child of `syswatch run`.
prog=
for _ in $(seq 1 500); do
	prog=$(cat "/proc/$sw/task/$sw/children" 2>/dev/null | awk '{print $1}') || true
	[ -n "$prog" ] && break
	sleep 0.01
done
[ -n "$prog" ] || { echo "soak: the program did not start" >&2; cat "$work/stderr" >&2; exit 1; }

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

start=$(date +%s.%N)
: >"$work/samples"
printf '%8s %14s %14s\n' "t (s)" "collector KiB" "program KiB"
while kill -0 "$prog" 2>/dev/null; do
	t=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN {printf "%.1f", n - s}')
	c=$(rss "$sw")
	p=$(rss "$prog")
	ccpu=$(cpu "$sw")
	if [ "$p" != 0 ]; then
		printf '%8s %14s %14s\n' "$t" "$c" "$p"
		echo "$t $c $p" >>"$work/samples"
		echo "$ccpu" >"$work/collector_cpu"
	fi
	sleep "$INTERVAL"
done
set +e
wait "$sw"
rc=$?
set -e
echo "syswatch run exited $rc"
[ -s "$work/stderr" ] && sed 's/^/  stderr: /' "$work/stderr"

ok=1
# Flatness, per process.
awk -v warm="$WARMUP" -v tol="$TOLERANCE" '
	$1 >= warm { t[n] = $1; c[n] = $2; p[n] = $3; n++ }
	END {
		if (n < 6) { print "not enough samples after warm-up (" n "): run longer"; exit 1 }
		third = int(n / 3)
		bad = 0
		split("collector program", name, " ")
		for (k = 1; k <= 2; k++) {
			f = 0; l = 0
			for (i = 0; i < third; i++) { v = (k == 1 ? c[i] : p[i]); if (v > f) f = v }
			for (i = n - third; i < n; i++) { v = (k == 1 ? c[i] : p[i]); if (v > l) l = v }
			lim = f * (1 + tol / 100) + 512
			grow = f > 0 ? (l - f) * 100.0 / f : 0
			printf "%-9s RSS after warm-up: first third max %d KiB, last third max %d KiB (%+.1f%%): %s\n",
				name[k], f, l, grow, l <= lim ? "flat" : "GROWING"
			if (l > lim) bad = 1
		}
		exit bad
	}' "$work/samples" || ok=0
hz=$(getconf CLK_TCK)
echo "collector CPU time: $(awk -v h="$hz" '{printf "%.1f s", $1 / h}' "$work/collector_cpu" 2>/dev/null || echo '?')"

# Every call counted?
python3 - "$work/tally" "$work/report.json" <<'EOF' || ok=0
import json, sys
tally = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        print("program: " + line[1:].strip())
        continue
    name, calls, errors = line.split()
    tally[name] = (int(calls), int(errors))
r = json.load(open(sys.argv[2]))
rows = {x["name"]: (x["calls"], x["errors"]) for x in r["syscalls"]}
bad = 0
total = 0
for name, (c, e) in sorted(tally.items()):
    got = rows.get(name, (0, 0))
    total += c
    same = got == (c, e)
    bad += not same
    print("%-8s program %12d calls %d errors   syswatch %12d calls %d errors   %s"
          % (name, c, e, got[0], got[1], "same" if same else "DIFFERENT"))
print("%d calls in %.1f s (%.0f calls/s); dropped events %d, threads lost %d"
      % (total, r["wall_seconds"], total / max(r["wall_seconds"], 1e-9),
         r["dropped_events"], r.get("threads_lost", 0)))
sys.exit(1 if bad else 0)
EOF
if [ $ok -eq 1 ] && [ $rc -eq 0 ]; then
	echo "soak: PASS (memory flat, every call counted)"
	exit 0
fi
echo "soak: FAIL"
exit 1
