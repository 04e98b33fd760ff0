#!/usr/bin/env bash
# run_demo.sh - the `make demo` story: 32 Python threads import a generated
# package from a filesystem made slow on purpose, under `syswatch run -c --locks`.
#
# Why: it is the case syswatch exists for. strace -c (and syswatch's table)
# show futex dominating, yet the threads only wait for the one thread that is
# reading modules from the slow filesystem. Steps: generate slowpkg (seeded,
# byte-compiled by the interpreter that will import it) into a temp dir, mount
# it through slowfs (FUSE) with injected latency -- or, where FUSE is not
# available, preload libslowpath.so on the same directory -- run
# scenario/import_app.py under the tracer, then always unmount and clean up,
# Ctrl-C included.
#
# Usage: scenario/run_demo.sh [BUILD_DIR]      (default: $SW_BUILD_DIR or ./build)
# Environment:
#   PYTHON=EXE              interpreter (default: the real one behind python3)
#   SCENARIO_THREADS=32     importing threads
#   SCENARIO_MODULES=150    modules in the generated tree
#   SCENARIO_ORDER=same     same|shuffled (see import_app.py)
#   SCENARIO_LOOKUP_MS=1 SCENARIO_OPEN_MS=2 SCENARIO_READ_MS=5   latencies
#   SCENARIO_NO_SLOWFS=1    skip FUSE, use the libslowpath.so fallback
#   SCENARIO_TRACER=auto    auto|syswatch|strace|none; auto = syswatch if built,
#                           else strace -f -c -w, else none
#   SCENARIO_TRACE=FILE     (syswatch) also keep the full trace in FILE, for
#                           `syswatch report --locks=full FILE` afterwards
#   SCENARIO_LOCKS=--locks  the lock report option given to syswatch run
#
# The output ends with syswatch's verdict: what the demo is for is said
# before the run, so the last lines on the screen are the answer.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-${SW_BUILD_DIR:-$(dirname "$here")/build}}

die() { echo "run_demo.sh: $*" >&2; exit 1; }

[ -d "$build" ] || die "build dir '$build' not found; run 'make' first or pass BUILD_DIR"
build=$(cd "$build" && pwd)
threads=${SCENARIO_THREADS:-32}
modules=${SCENARIO_MODULES:-150}
order=${SCENARIO_ORDER:-same}
lookup_ms=${SCENARIO_LOOKUP_MS:-1}
open_ms=${SCENARIO_OPEN_MS:-2}
read_ms=${SCENARIO_READ_MS:-5}
tracer=${SCENARIO_TRACER:-auto}

# python3 is often a launcher script (pyenv); trace the real interpreter.
py=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)} ||
	die "python3 not found; install Debian's python3 or set PYTHON=/path/to/python3"
[ -x "$py" ] || die "interpreter '$py' is not executable; set PYTHON=/path/to/python3"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/syswatch-demo.XXXXXX")
src=$tmp/src
mnt=$tmp/mnt
fs_pid=

# mounted DIR: true if DIR is a mount point now.
mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }

# cleanup: unmount (lazily if busy), reap slowfs, remove the temp dir.
cleanup() {
	trap - EXIT INT TERM
	if mounted "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null || true
	fi
	if [ -n "$fs_pid" ]; then
		for _ in $(seq 50); do kill -0 "$fs_pid" 2>/dev/null || break; sleep 0.1; done
		kill "$fs_pid" 2>/dev/null || true
		wait "$fs_pid" 2>/dev/null || true
	fi
	if mounted "$mnt"; then
		echo "run_demo.sh: $mnt is still mounted; left $tmp in place" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== generating slowpkg ($modules modules) for $py"
"$py" "$here/gen_tree.py" "$src" --modules "$modules"

# Try the real slow filesystem first; say why when falling back.
reason=
if [ "${SCENARIO_NO_SLOWFS:-0}" = 1 ]; then
	reason="SCENARIO_NO_SLOWFS=1"
elif [ ! -x "$build/slowfs" ]; then
	reason="$build/slowfs is not built (Debian package libfuse3-dev missing at build time?)"
elif [ ! -e /dev/fuse ]; then
	reason="/dev/fuse does not exist"
elif ! command -v fusermount3 >/dev/null; then
	reason="fusermount3 not found (Debian package fuse3)"
else
	mkdir "$mnt"
	"$build/slowfs" "$src" "$mnt" --lookup-ms "$lookup_ms" --open-ms "$open_ms" \
		--read-ms "$read_ms" -f 2>"$tmp/slowfs.log" &
	fs_pid=$!
	for _ in $(seq 50); do
		mounted "$mnt" && break
		kill -0 "$fs_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! mounted "$mnt"; then
		reason="mounting slowfs failed: $(grep -v '^slowfs: /' "$tmp/slowfs.log" | tail -n 1)"
		kill "$fs_pid" 2>/dev/null || true
		wait "$fs_pid" 2>/dev/null || true
		fs_pid=
	fi
fi

preload=()
if [ -z "$reason" ]; then
	app_path=$mnt
	echo "== slow filesystem: slowfs (FUSE) at $mnt: lookup $lookup_ms ms, open $open_ms ms, read $read_ms ms per request"
else
	[ -e "$build/libslowpath.so" ] || die "no slow filesystem: $reason, and $build/libslowpath.so is not built"
	app_path=$src
	echo "== FUSE unavailable ($reason); using the test preload libslowpath.so instead"
	echo "== slow path: $src: lookup $lookup_ms ms, open $lookup_ms+$open_ms ms, read $read_ms ms per call"
	# syswatch run puts its shim first in LD_PRELOAD, so it times the delay.
	preload=(env "LD_PRELOAD=$build/libslowpath.so${LD_PRELOAD:+:$LD_PRELOAD}"
		"SLOWPATH_PREFIX=$src" "SLOWPATH_LOOKUP_MS=$lookup_ms"
		"SLOWPATH_OPEN_MS=$open_ms" "SLOWPATH_READ_MS=$read_ms")
fi

if [ "$tracer" = auto ]; then
	if [ -x "$build/syswatch" ]; then
		tracer=syswatch
	elif command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
		tracer=strace
		echo "== $build/syswatch is not built yet: showing strace -f -c -w instead"
	else
		tracer=none
		echo "== neither syswatch nor a working strace: running the program alone"
	fi
fi
case $tracer in
syswatch)
	run=("$build/syswatch" run -c "${SCENARIO_LOCKS:---locks}"
		${SCENARIO_TRACE:+--trace "$SCENARIO_TRACE"} --) ;;
strace) run=(strace -f -c -w -o /dev/stderr --) ;;
none) run=() ;;
*) die "SCENARIO_TRACER must be auto, syswatch, strace or none, not '$tracer'" ;;
esac

echo "== $threads threads import slowpkg at once ($order order): ${run[*]:-} $py import_app.py"
if [ "$tracer" = syswatch ]; then
	echo "== strace -c would show futex dominating, as the table does; the lock report says who held the import locks and what they were doing (--locks=full for all of it)"
else
	echo "== the threads mostly waited on CPython's import locks (futex) while one thread read modules from the slow filesystem"
fi
status=0
"${preload[@]}" "${run[@]}" "$py" "$here/import_app.py" --path "$app_path" \
	--threads "$threads" --order "$order" || status=$?
exit "$status"
