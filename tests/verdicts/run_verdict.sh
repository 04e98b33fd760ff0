#!/usr/bin/env bash
# run_verdict.sh - one verdict scenario: a workload run under
# `syswatch run --diagnose`, on a slowed directory when asked, then the
# same trace reported again without --diagnose (the short form, counters
# only), for tests/verdicts/test_verdicts_scenarios.c.
#
# Why a script: a FUSE mount must be unmounted whatever happens, which a
# shell trap does best (tests/test_slowfs_lib.sh provides it).
#
# Usage: run_verdict.sh WORKDIR MODE -- CMD [ARGS...]
#   WORKDIR  an empty private directory; receives
#              src/        f0..f9 (small files) and data.bin (1 MB)
#              diag.json   syswatch run --diagnose --format json
#              short.json  syswatch report --format json of the same trace
#              diag.txt    syswatch report --diagnose (text)
#              short.txt   syswatch report (text)
#              slow_dir    the directory CMD was given for @DIR@
#              note        one line: which slow directory was used and why
#              run.log     syswatch's and CMD's output
#   MODE     slow: src/ served by slowfs (FUSE) with the latencies below or,
#                  where FUSE is unusable, src/ with libslowpath.so preloaded;
#            plain: src/ as it is.
#   CMD      run under syswatch; each argument @DIR@ becomes the directory
#            (the mount, or src/), @DIR@/x becomes a path in it.
# Environment: SW_BUILD_DIR (set by ctest), VD_LOOKUP_MS (2), VD_OPEN_MS
#   (1), VD_READ_MS (5), SCENARIO_NO_SLOWFS=1 (use the fallback anyway).
# Exit: 0 when syswatch and CMD exited 0; 2 usage or setup error; 3 a run
#   failed.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../test_slowfs_lib.sh
. "$here/../test_slowfs_lib.sh"

die() { echo "run_verdict.sh: $*" >&2; exit 2; }
[ $# -ge 4 ] && [ "$3" = -- ] || die "usage: run_verdict.sh WORKDIR MODE -- CMD [ARGS...]"
work=$1 mode=$2
shift 3
lookup_ms=${VD_LOOKUP_MS:-2} open_ms=${VD_OPEN_MS:-1} read_ms=${VD_READ_MS:-5}
sw=$build/syswatch
[ -x "$sw" ] || die "$sw is not built"
[ -d "$work" ] || die "$work is not a directory"

src=$work/src
mkdir -p "$src" || die "cannot create $src"
for i in 0 1 2 3 4 5 6 7 8 9; do echo "file $i" >"$src/f$i"; done
head -c 1048576 /dev/zero >"$src/data.bin" || die "cannot write $src/data.bin"

dir=$src
pre=()
case $mode in
plain) echo "plain directory $src" >"$work/note" ;;
slow)
	reason=$(fuse_unusable)
	if [ "${SCENARIO_NO_SLOWFS:-0}" = 1 ]; then
		reason="SCENARIO_NO_SLOWFS=1"
	elif [ -z "$reason" ] && ! mount_slowfs "$src" "$tmp/mnt" --lookup-ms "$lookup_ms" --open-ms "$open_ms" \
		--read-ms "$read_ms" >"$tmp/mount.log"; then
		reason=$(tail -n 1 "$tmp/mount.log")
	fi
	if [ -z "$reason" ]; then
		dir=$tmp/mnt
		echo "slowfs (FUSE) at $dir: lookup $lookup_ms ms, open $open_ms ms, read $read_ms ms" >"$work/note"
	else
		[ -e "$build/libslowpath.so" ] || die "no slow directory: $reason, and libslowpath.so is not built"
		echo "libslowpath.so on $src, because FUSE is unusable: $reason" >"$work/note"
		# syswatch run puts its own shim first: it times the delays.
		pre=(env "LD_PRELOAD=$build/libslowpath.so${LD_PRELOAD:+:$LD_PRELOAD}"
			"SLOWPATH_PREFIX=$src" "SLOWPATH_LOOKUP_MS=$lookup_ms"
			"SLOWPATH_OPEN_MS=$open_ms" "SLOWPATH_READ_MS=$read_ms")
	fi
	;;
*) die "MODE must be slow or plain, not '$mode'" ;;
esac
printf '%s\n' "$dir" >"$work/slow_dir"

cmd=()
for a in "$@"; do cmd+=("${a//@DIR@/$dir}"); done
trace=$work/trace.pb
"${pre[@]}" "$sw" run --diagnose --format json -o "$work/diag.json" --trace "$trace" -- \
	"${cmd[@]}" >>"$work/run.log" 2>&1 || { echo "run_verdict.sh: syswatch run failed" >&2; exit 3; }
"$sw" report --format json -o "$work/short.json" "$trace" &&
	"$sw" report --diagnose -o "$work/diag.txt" "$trace" &&
	"$sw" report -o "$work/short.txt" "$trace" ||
	{ echo "run_verdict.sh: syswatch report failed" >&2; exit 3; }
exit 0
