#!/usr/bin/env bash
# test_slowfs.sh - slowfs really makes a directory slow, and stays faithful.
#
# Why: the demo and the lock-attribution tests blame the filesystem for the
# import waits; that is only honest if every lookup, open and read through
# the mount really pays the configured latency (no kernel caching), the
# bytes are the source's, 16 concurrent requests are not serialized, and
# unmounting ends slowfs cleanly. Exits 77 (skipped) without FUSE.
. "$(dirname "$0")/test_slowfs_lib.sh"

need_fuse
LOOKUP=100 OPEN=150 READ=50

src=$tmp/src mnt=$tmp/mnt
mkdir -p "$src/sub/deeper"
head -c 300000 /dev/urandom >"$src/big"
echo "small file" >"$src/small"
echo "nested" >"$src/sub/deeper/leaf.txt"
ln -s small "$src/link"
chmod 0600 "$src/big"

mount_slowfs "$src" "$mnt" --lookup-ms $LOOKUP --open-ms $OPEN --read-ms $READ ||
	{ fail "mount" "slowfs did not mount"; finish; exit; }
ok "mount"

# stat pays one lookup per path component (sub, deeper, leaf.txt), and a
# second stat pays them all again: nothing is cached by the kernel.
for n in 1 2; do
	t0=$(now_ms); stat "$mnt/sub/deeper/leaf.txt" >/dev/null; t1=$(now_ms)
	at_least "stat #$n of sub/deeper/leaf.txt pays 3 lookups" $((t1 - t0)) $((3 * LOOKUP))
done

# open + read: cat pays the open and at least one read (direct_io, no cache).
for n in 1 2; do
	t0=$(now_ms); cat "$mnt/small" >/dev/null; t1=$(now_ms)
	at_least "cat #$n pays lookup + open + read" $((t1 - t0)) $((LOOKUP + OPEN + READ))
done

# Faithful: same bytes, same listing, same modes and sizes, same link target.
cat "$mnt/big" >"$tmp/big.copy"
check "reads return the source's bytes" cmp -s "$src/big" "$tmp/big.copy"
listing() { (cd "$1" && find . -printf '%P %y %s %m %l\n' | sort); }
check "listing, types, sizes and modes match" diff <(listing "$src") <(listing "$mnt")
check "readlink matches" test "$(readlink "$mnt/link")" = small
quiet() { "$@" >/dev/null; }
check "statfs works" quiet stat -f "$mnt"
check "access(R_OK) works" test -r "$mnt/small"

# Read-only: writes and creation are refused with EROFS.
out=$( { echo x >>"$mnt/small"; } 2>&1 )
check "appending is refused (EROFS)" grep -q "Read-only file system" <<<"$out"
out=$(touch "$mnt/new" 2>&1)
check "creating is refused (EROFS)" grep -q "Read-only file system" <<<"$out"

# Concurrency: 16 cats at once take far less than 16 times one.
t0=$(now_ms)
pids=()
for _ in $(seq 16); do cat "$mnt/small" >/dev/null & pids+=($!); done
wait "${pids[@]}"
t1=$(now_ms)
at_most "16 concurrent cats are not serialized" $((t1 - t0)) $((4 * (LOOKUP + OPEN + READ) + 500))

unmount_slowfs
check "slowfs exits 0 after fusermount3 -u" test "$fs_status" = 0
check "the mount point is gone" bash -c "! awk -v m='$mnt' '\$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo"
finish
