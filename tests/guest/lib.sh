# lib.sh - shared by tests/guest/test_guest_*.sh (sourced, POSIX sh).
#   B      the build directory (first argument of every test)
#   SW     syswatch, SHIM libsyswatch.so, GW the gw_* workloads
#   T      a fresh scratch directory, removed at exit
# Expected values come from the workloads' own output or from a run
# without the shim in the same test, never from syswatch's.
set -u
B=$(cd "$1" && pwd)
SW=$B/syswatch
SHIM=$B/libsyswatch.so
GW=$B/tests/guest
T=$(mktemp -d /tmp/sw-guest.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }

# in_private_shm SIZE "$0" "$@": re-run this script in a private mount
# namespace whose /dev/shm is a fresh tmpfs of SIZE (what the test needs,
# and nothing of other tests' sessions in it). Returns when already there.
in_private_shm() {
	size=$1
	shift
	[ "${SW_GUEST_NS:-}" = "$size" ] && return 0
	command -v unshare >/dev/null || skip "unshare(1) is not installed"
	unshare -m true 2>/dev/null || skip "no private mount namespace here (unshare -m: not permitted)"
	SW_GUEST_NS=$size exec unshare -m sh -c \
		'mount --make-rprivate / 2>/dev/null; mount -t tmpfs -o size="$0",mode=1777 tmpfs /dev/shm || exit 77; exec "$@"' \
		"$size" "$@"
}

# json FILE EXPR: print a Python expression over the report d.
json() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# calls FILE ROW: calls of a row of the report (0 when absent).
calls() {
	json "$1" "sum(r['calls'] for r in d['syscalls'] if r['name']=='$2')"
}

# Wait (at most 20 s) until no auto session of pid $1 is left: its
# collector has printed and removed it.
wait_auto_report() {
	i=0
	while ls -d /dev/shm/syswatch-"$(id -u)"/a"$1"-* >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 400 ] && fail "the collector of pid $1 never finished"
		sleep 0.05
	done
}

now_ms() { date +%s%3N; }
