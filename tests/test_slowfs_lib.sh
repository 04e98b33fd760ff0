# test_slowfs_lib.sh - helpers shared by the test_slowfs*.sh scenario tests.
#
# Why: those tests each mount slowfs or preload libslowpath.so, time commands
# in milliseconds and report one line per check; doing it once here keeps
# each test about the behaviour it proves. Sourced, never run.
# Provides: $build $src_dir $tmp, now_ms, ok, fail, skip, mounted,
# mount_slowfs, and a cleanup on EXIT that unmounts and removes $tmp.

set -uo pipefail

build=${SW_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build}
src_dir=${SW_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sw-slowfs-test.XXXXXX")
passed=0
failed=0
fs_pid=
fs_mnt=

# now_ms: milliseconds since the epoch, without spawning a process.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# ok NAME / fail NAME WHY: record one check.
ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

# check NAME CMD...: ok if CMD succeeds, fail otherwise.
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name" "'$*' failed"; fi; }

# at_least NAME GOT_MS MIN_MS / at_most NAME GOT_MS MAX_MS: timing checks.
at_least() { if (($2 >= $3)); then ok "$1 (${2} ms >= ${3} ms)"; else fail "$1" "${2} ms < ${3} ms"; fi; }
at_most() { if (($2 <= $3)); then ok "$1 (${2} ms <= ${3} ms)"; else fail "$1" "${2} ms > ${3} ms"; fi; }

# skip WHY: print the reason and exit 77 (CTest SKIP_RETURN_CODE).
skip() { echo "SKIP: $*"; exit 77; }

# finish: print the closing line and exit 0 only if nothing failed.
finish() {
	echo "${0##*/}: $passed passed, $failed failed"
	((failed == 0))
}

# mounted DIR: true if DIR is a mount point now.
mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }

# fuse_unusable: print why slowfs cannot be mounted here; nothing if it can.
fuse_unusable() {
	if [ ! -x "$build/slowfs" ]; then
		echo "$build/slowfs not built (install the Debian package libfuse3-dev and rebuild)"
	elif [ ! -e /dev/fuse ]; then
		echo "/dev/fuse does not exist: FUSE is unavailable here"
	elif ! command -v fusermount3 >/dev/null; then
		echo "fusermount3 not found (Debian package fuse3)"
	fi
}

# need_fuse: skip unless slowfs is built and FUSE can be used here.
need_fuse() {
	local why
	why=$(fuse_unusable)
	[ -z "$why" ] || skip "$why"
}

# mount_slowfs SRC MNT ARGS...: start slowfs -f in the background and wait
# until MNT is mounted; sets fs_pid, fs_mnt. Returns 1 if it did not mount.
mount_slowfs() {
	local srcd=$1 mnt=$2
	shift 2
	mkdir -p "$mnt"
	"$build/slowfs" "$srcd" "$mnt" "$@" -f 2>"$tmp/slowfs.log" &
	fs_pid=$!
	fs_mnt=$mnt
	for _ in $(seq 100); do
		mounted "$mnt" && return 0
		kill -0 "$fs_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "slowfs did not mount: $(tail -n 1 "$tmp/slowfs.log")"
	return 1
}

# unmount_slowfs: fusermount3 -u, then wait (5 s at most) for slowfs to exit;
# sets fs_status to its exit status (124 if it did not exit).
unmount_slowfs() {
	fs_status=124
	[ -n "$fs_pid" ] || return 0
	mounted "$fs_mnt" && fusermount3 -u "$fs_mnt"
	for _ in $(seq 100); do kill -0 "$fs_pid" 2>/dev/null || break; sleep 0.05; done
	if ! kill -0 "$fs_pid" 2>/dev/null; then
		wait "$fs_pid"
		fs_status=$?
	fi
	fs_pid=
}

cleanup_slowfs_test() {
	if [ -n "$fs_mnt" ] && mounted "$fs_mnt"; then
		fusermount3 -u "$fs_mnt" 2>/dev/null || fusermount3 -u -z "$fs_mnt" 2>/dev/null
	fi
	[ -n "$fs_pid" ] && { kill "$fs_pid" 2>/dev/null; wait "$fs_pid" 2>/dev/null; }
	if [ -n "$fs_mnt" ] && mounted "$fs_mnt"; then
		echo "left $tmp: $fs_mnt is still mounted"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup_slowfs_test EXIT
