#!/usr/bin/env bash
# run_scenario.sh - one run of the import scenario under `syswatch run --locks`,
# for the lock-attribution tests (tests/locks/test_locks_python.c).
#
# Why a script: the test needs a FUSE mount that is always unmounted, Ctrl-C
# and crashes included, and a seeded tree generated once per interpreter;
# a shell trap does both better than a Criterion test body. The test itself
# asserts on the JSON report and the exec log this script leaves behind.
#
# Usage: run_scenario.sh PY WORKDIR MODE [VAR=VALUE...]
#   PY       the real interpreter binary (not a launcher script)
#   WORKDIR  an empty private directory; receives:
#              report.json  syswatch's --locks --format json report
#              exec.log     "<module> <native tid>" per executed module
#              slow_prefix  (slow mode) the directory whose files are slow
#              note         one line: which slow directory was used and why
#              run.log      syswatch's and import_app.py's output
#   MODE     slow: the tree is served by slowfs (FUSE) with latencies, or,
#                  where FUSE is unusable, by the plain directory with
#                  libslowpath.so preloaded (the reason goes to `note`);
#            plain: the plain directory, no injected latency.
#   VAR=VALUE  extra environment for the traced program (SCENARIO_BODY=...,
#              SYSWATCH_RING_KB=...).
# Environment: SW_BUILD_DIR, SW_SOURCE_DIR (set by ctest); LK_MODULES (60),
#   LK_THREADS (32), LK_LOOKUP_MS (1), LK_OPEN_MS (2), LK_READ_MS (5),
#   LK_TIMEOUT (180 s, then the run counts as hung), SCENARIO_NO_SLOWFS=1
#   (use the fallback even where FUSE works), LK_RUN_ARGS (the report
#   options of `syswatch run`, default --locks), LK_STALL=ON:OFF (seconds):
#   stop the collector (SIGSTOP to the syswatch process this script
#   started) for ON seconds every ON+OFF, so that the traced program's rings
#   overflow for sure, as they would behind a starved collector; the shim
#   never waits for the collector, it drops and counts.
# Exit: 0 when the traced program and syswatch both exited 0; 2 usage or
#   setup error; 3 syswatch or the program failed; 124 hung (timeout).
set -uo pipefail

die() { echo "run_scenario.sh: $*" >&2; exit 2; }
[ $# -ge 3 ] || die "usage: run_scenario.sh PY WORKDIR MODE [VAR=VALUE...]"
py=$1 work=$2 mode=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=${SW_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
build=${SW_BUILD_DIR:?SW_BUILD_DIR is not set (run the tests with ctest)}
modules=${LK_MODULES:-60} threads=${LK_THREADS:-32}
lookup_ms=${LK_LOOKUP_MS:-1} open_ms=${LK_OPEN_MS:-2} read_ms=${LK_READ_MS:-5}
limit=${LK_TIMEOUT:-180}
[ -x "$py" ] || die "$py is not executable"
[ -d "$work" ] || die "$work is not a directory"
[ -x "$build/syswatch" ] || die "$build/syswatch is not built"
case $mode in slow | plain) ;; *) die "MODE must be slow or plain, not '$mode'" ;; esac

# The tree, once per interpreter and size: generated into a temporary
# directory and renamed into place, so concurrent tests never see half of
# it; regenerated when gen_tree.py is newer than the cached copy.
ver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])') || die "$py does not run"
cache=$build/e2e-tmp/locks-trees
tree=$cache/py$ver-m$modules
mkdir -p "$cache" || die "cannot create $cache"
if [ ! -e "$tree/slowpkg_manifest.json" ] || [ "$src_dir/scenario/gen_tree.py" -nt "$tree/slowpkg_manifest.json" ]; then
	new=$(mktemp -d "$cache/new.XXXXXX") || die "mktemp in $cache failed"
	"$py" "$src_dir/scenario/gen_tree.py" "$new" --modules "$modules" --python "$py" >"$work/gen.log" 2>&1 ||
		{ cat "$work/gen.log" >&2; rm -rf "$new"; die "gen_tree.py failed"; }
	old=$cache/old.$$
	[ -e "$tree" ] && mv -T "$tree" "$old"
	mv -T "$new" "$tree" 2>/dev/null || rm -rf "$new" # lost a race: the winner's tree is as good
	rm -rf "$old"
fi

mnt=$work/mnt
fs_pid=

# mounted DIR: true if DIR is a mount point now.
mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }

cleanup() {
	if mounted "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null
	fi
	if [ -n "$fs_pid" ]; then
		for _ in $(seq 50); do kill -0 "$fs_pid" 2>/dev/null || break; sleep 0.1; done
		kill "$fs_pid" 2>/dev/null
		wait "$fs_pid" 2>/dev/null
	fi
	rmdir "$mnt" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

app_path=$tree
pre=()
if [ "$mode" = slow ]; then
	reason=
	if [ "${SCENARIO_NO_SLOWFS:-0}" = 1 ]; then
		reason="SCENARIO_NO_SLOWFS=1"
	elif [ ! -x "$build/slowfs" ]; then
		reason="$build/slowfs is not built (libfuse3-dev missing at build time)"
	elif [ ! -e /dev/fuse ]; then
		reason="/dev/fuse does not exist"
	elif ! command -v fusermount3 >/dev/null; then
		reason="fusermount3 not found (Debian package fuse3)"
	else
		mkdir -p "$mnt"
		"$build/slowfs" "$tree" "$mnt" --lookup-ms "$lookup_ms" --open-ms "$open_ms" \
			--read-ms "$read_ms" -f 2>"$work/slowfs.log" &
		fs_pid=$!
		for _ in $(seq 100); do
			mounted "$mnt" && break
			kill -0 "$fs_pid" 2>/dev/null || break
			sleep 0.05
		done
		if ! mounted "$mnt"; then
			reason="mounting slowfs failed: $(tail -n 1 "$work/slowfs.log")"
			kill "$fs_pid" 2>/dev/null
			wait "$fs_pid" 2>/dev/null
			fs_pid=
		fi
	fi
	if [ -z "$reason" ]; then
		app_path=$mnt
		echo "slowfs (FUSE) at $mnt: lookup $lookup_ms ms, open $open_ms ms, read $read_ms ms" >"$work/note"
	else
		[ -e "$build/libslowpath.so" ] ||
			die "no slow filesystem: $reason, and $build/libslowpath.so is not built"
		echo "libslowpath.so on $tree, because FUSE is unusable: $reason" >"$work/note"
		# syswatch run puts its own shim first in LD_PRELOAD: it times the delays.
		pre=(env "LD_PRELOAD=$build/libslowpath.so${LD_PRELOAD:+:$LD_PRELOAD}"
			"SLOWPATH_PREFIX=$tree" "SLOWPATH_LOOKUP_MS=$lookup_ms"
			"SLOWPATH_OPEN_MS=$open_ms" "SLOWPATH_READ_MS=$read_ms")
	fi
	printf '%s\n' "$app_path" >"$work/slow_prefix"
else
	echo "plain directory $tree" >"$work/note"
fi

rm -f "$work/exec.log" "$work/report.json"
read -ra run_args <<<"${LK_RUN_ARGS:---locks}"
env "$@" SCENARIO_EXEC_LOG="$work/exec.log" "${pre[@]}" \
	timeout -k 10 "$limit" "$build/syswatch" run "${run_args[@]}" --format json -o "$work/report.json" -- \
	"$py" "$src_dir/scenario/import_app.py" --path "$app_path" --threads "$threads" \
	>>"$work/run.log" 2>&1 &
tpid=$!
stall_pid=
if [ -n "${LK_STALL:-}" ]; then
	on=${LK_STALL%%:*} off=${LK_STALL##*:}
	(
		sw=
		for _ in $(seq 100); do
			sw=$(pgrep -P "$tpid" -x syswatch | head -n 1)
			[ -n "$sw" ] && break
			sleep 0.01
		done
		[ -n "$sw" ] || exit 0
		n=0
		while kill -STOP "$sw" 2>/dev/null; do
			n=$((n + 1))
			sleep "$on"
			kill -CONT "$sw" 2>/dev/null
			sleep "$off"
		done
		echo "collector $sw stopped $n times for $on s (LK_STALL=$LK_STALL)" >>"$work/note"
	) &
	stall_pid=$!
fi
status=0
wait "$tpid" || status=$?
[ -n "$stall_pid" ] && wait "$stall_pid"
case $status in
0) ;;
124 | 137) echo "run_scenario.sh: syswatch run did not finish within $limit s" >&2; exit 124 ;;
*) echo "run_scenario.sh: syswatch run exited $status" >&2; exit 3 ;;
esac
exit 0
