#!/bin/sh
# test_recover.sh SYSWATCH - a collector killed mid-run leaves its session
# in /dev/shm; `report --recover` reports it and removes it; `run`
# removes abandoned sessions older than an hour, and nothing else.
# As root it runs as nobody, so that it never touches the sessions of
# other tests running at the same time (those live in syswatch-0).
set -u
SW=$1
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIPPED: no setpriv"; exit 77; }
	exec setpriv --reuid=65534 --regid=65534 --clear-groups "$0" "$@"
fi
cd /tmp || exit 1
U=/dev/shm/syswatch-$(id -u)
fail() { echo "FAIL: $*"; exit 1; }

# 1. Kill the collector; the program runs on and ends by itself.
"$SW" run -- sh -c 'ls / >/dev/null; sleep 1; exit 3' 2>/dev/null &
pid=$!
sleep 0.4
kill -9 $pid
sleep 1.3
out=$("$SW" report --recover 2>&1) || fail "recover failed: $out"
echo "$out"
echo "$out" | grep -q "^syswatch: recovered $U/s$pid-" || fail "session not recovered"
echo "$out" | grep -q " clock_nanosleep$" || fail "the sleep is not in the table"
ls "$U" | grep -q "^s$pid-" && fail "recovered session left behind"
out=$("$SW" report --recover 2>&1)
[ "$out" = "syswatch: nothing to recover" ] || fail "second recover: $out"

# 2. Stale sessions: old and dead goes; young, alive or foreign stays.
mkdir -m 700 "$U/s999999-old" "$U/s999998-young" "$U/s$$-alive" "$U/x1-other"
: >"$U/s999999-old/999997.0.seg"
ln -s /tmp "$U/s999996-link"
touch -d '2 hours ago' "$U/s999999-old" "$U/s$$-alive" "$U/x1-other"
"$SW" run -- true 2>/dev/null || fail "run failed"
[ -e "$U/s999999-old" ] && fail "stale session not removed"
for k in s999998-young s$$-alive x1-other s999996-link; do
	[ -e "$U/$k" ] || [ -L "$U/$k" ] || fail "$k was removed"
done
[ -d /tmp ] || fail "followed the link"
rm -rf "$U/s999998-young" "$U/s$$-alive" "$U/x1-other" "$U/s999996-link"
echo "PASS"
