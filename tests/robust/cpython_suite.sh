#!/bin/sh
# cpython_suite.sh BUILD_DIR - CPython's own regression tests, once without
# and once under `syswatch run`, with exactly the same outcome required for
# every test file and every test case (issue 4, acceptance criterion 2).
#
# The interpreter is the real one behind `python3` (a pyenv launcher is a
# script). regrtest runs with -j1: every test file in a worker process, so
# under syswatch the workers and everything the tests start are traced too.
# Both runs use the same random seed. The comparison (cpython_compare.py,
# run by the plain interpreter) reads regrtest's --junit-xml files and
# prints both summaries.
#
# A test case whose outcome differs is run again, alone, twice without and
# twice under syswatch: a difference that shows again under syswatch (and
# not without it) fails the test; one that shows in none of the reruns is
# printed as not reproduced (timing-dependent tests exist in this suite).
#
# Environment: SYSWATCH_CPYTHON_TESTS overrides the list of test files;
# SYSWATCH_RUN_OPTS adds options to syswatch run (--complete: issue 9).
# Exit status: 0 same outcome, 1 a difference, 77 skipped (no interpreter
# or no test package).
set -u
set -f # the regrtest patterns below are not file names
B=${1:?usage: cpython_suite.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
SW=$B/syswatch

skip() {
	echo "SKIPPED: $*"
	exit 77
}

PY=$(env -u LD_PRELOAD python3 -c 'import sys; print(sys.executable)' 2>/dev/null) ||
	skip "no python3"
[ -x "$PY" ] || skip "python3 reports no executable"
env -u LD_PRELOAD "$PY" -c 'import test.libregrtest' 2>/dev/null ||
	skip "$PY has no test package (lib/python3.X/test)"
[ -x "$SW" ] || {
	echo "cpython_suite: $SW missing: build it first"
	exit 1
}

# The default list fits CI's time (about 2 minutes a run on 2 cores).
# test_socket: the AF_VSOCK cases are left out (-i): on a VM with vsock,
# ThreadedVSOCKSocketStreamTest's server blocks in accept() for ever, with
# or without syswatch.
TESTS=${SYSWATCH_CPYTHON_TESTS:-"test_os test_posix test_threading test_thread
 test_subprocess test_signal test_io test_fileio test_importlib test_socket
 test_select test_fork1 test_mmap"}
SEED=20240601
OPTS="-j1 --timeout 300 --randseed $SEED -i *VSOCK*"

OUT=$(mktemp -d "$B/robust-tmp/cpython.XXXXXX" 2>/dev/null) || {
	mkdir -p "$B/robust-tmp"
	OUT=$(mktemp -d "$B/robust-tmp/cpython.XXXXXX")
}
mkdir -p "$OUT/plain" "$OUT/shim"
echo "interpreter: $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
echo "test files:" $TESTS
echo "work directory: $OUT"

now() { date +%s; }

# run_plain DIR XML [regrtest args...]
run_plain() {
	d=$1 x=$2
	shift 2
	(cd "$d" && env -u LD_PRELOAD -u SYSWATCH_SESSION -u SYSWATCH_ROOT_PID \
		"$PY" -m test $OPTS --junit-xml "$x" "$@")
}

# run_shim DIR XML REPORT [regrtest args...]
run_shim() {
	d=$1 x=$2 r=$3
	shift 3
	(cd "$d" && env -u LD_PRELOAD -u SYSWATCH_SESSION -u SYSWATCH_ROOT_PID \
		"$SW" run ${SYSWATCH_RUN_OPTS:-} --format json -o "$r" -- "$PY" -m test $OPTS --junit-xml "$x" "$@")
}

t0=$(now)
# shellcheck disable=SC2086
run_plain "$OUT/plain" "$OUT/plain.xml" $TESTS >"$OUT/plain.log" 2>&1
rc_plain=$?
t1=$(now)
# shellcheck disable=SC2086
run_shim "$OUT/shim" "$OUT/shim.xml" "$OUT/report.json" $TESTS >"$OUT/shim.log" 2>&1
rc_shim=$?
t2=$(now)
echo "without syswatch: regrtest exited $rc_plain in $((t1 - t0)) s"
echo "under syswatch:   syswatch run exited $rc_shim in $((t2 - t1)) s"

env -u LD_PRELOAD "$PY" "$HERE/cpython_compare.py" "$OUT/plain.xml" "$OUT/plain.log" \
	"$OUT/shim.xml" "$OUT/shim.log"
cmp=$?
status=0
if [ $cmp -eq 2 ]; then
	echo "FAILED: a run left no readable result"
	tail -20 "$OUT/plain.log" "$OUT/shim.log"
	exit 1
fi
# With the same outcome everywhere, regrtest must exit the same way too.
if [ $cmp -eq 0 ] && [ "$rc_plain" -ne "$rc_shim" ]; then
	echo "FAILED: regrtest exited $rc_plain without syswatch, $rc_shim under it"
	status=1
fi

# What syswatch saw: the report must be there and cover the tree.
env -u LD_PRELOAD "$PY" - "$OUT/report.json" <<'EOF' || status=1
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print("FAILED: no JSON report from syswatch run: %s" % e)
    sys.exit(1)
rows = sorted(r["syscalls"], key=lambda x: -x["calls"])[:8]
print("syswatch saw %d processes, %d calls in total, %d events dropped, %d threads lost; top rows: %s"
      % (len(r["processes"]), r["total"]["calls"], r["dropped_events"],
         r.get("threads_lost", 0), ", ".join("%s %d" % (x["name"], x["calls"]) for x in rows)))
for w in r.get("warnings", []):
    print("  warning: %s" % w)
if len(r["processes"]) < 2 or r["total"]["calls"] == 0:
    print("FAILED: the report does not cover the test run")
    sys.exit(1)
EOF

if [ $cmp -eq 1 ] && [ -s "$OUT/shim.xml.diff" ]; then
	echo "---- running the differing test cases again, alone ----"
	repro=0
	for round in 1 2; do
		run_plain "$OUT/plain" "$OUT/re-plain$round.xml" --matchfile "$OUT/shim.xml.diff" \
			$TESTS >"$OUT/re-plain$round.log" 2>&1
		run_shim "$OUT/shim" "$OUT/re-shim$round.xml" "$OUT/re-report$round.json" \
			--matchfile "$OUT/shim.xml.diff" $TESTS >"$OUT/re-shim$round.log" 2>&1
		echo "round $round:"
		env -u LD_PRELOAD "$PY" "$HERE/cpython_compare.py" "$OUT/re-plain$round.xml" \
			"$OUT/re-plain$round.log" "$OUT/re-shim$round.xml" "$OUT/re-shim$round.log" |
			sed -n '/test cases whose outcome differs/,$p'
		# cases that differ again, and from the first run's plain outcome
		if [ -s "$OUT/re-shim$round.xml.diff" ]; then
			repro=1
		fi
	done
	if [ $repro -eq 1 ]; then
		echo "FAILED: test cases behave differently under syswatch, again when run alone"
		status=1
	else
		echo "NOTE: the differences above did not show again in two reruns with and"
		echo "      without syswatch: timing-dependent tests, not counted as failures"
	fi
elif [ $cmp -ne 0 ]; then
	status=1
fi

if [ $status -eq 0 ]; then
	echo "PASSED: same outcome for every test file and test case"
	rm -rf "$OUT"
else
	echo "logs kept in $OUT"
fi
exit $status
