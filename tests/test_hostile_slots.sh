#!/bin/sh
# test_hostile_slots.sh SYSWATCH RB_HOSTILE WL_LOOP - issue 10, point 6: a
# process of the same user flips the slots of a running program's segment
# to "exited" in a loop and writes impossible counters into them, while
# `syswatch run` collects. The collector's memory stays bounded and the
# report prints no impossible number; the slots it refused are named.
#
# Runs in a private mount namespace with its own tmpfs on /dev/shm, so that
# the attacker reaches this test's session only (other tests run at the
# same time); skipped, saying why, where that cannot be made.
set -u
SW=$1 HOSTILE=$2 LOOP=$3
MAX_RSS_KIB=${MAX_RSS_KIB:-65536} # the collector's peak, with the program's
if [ "${SW_HOSTILE_INNER:-}" != 1 ]; then
	command -v python3 >/dev/null || { echo "SKIPPED: no python3"; exit 77; }
	command -v unshare >/dev/null || { echo "SKIPPED: no unshare"; exit 77; }
	if [ "$(id -u)" = 0 ]; then ns="unshare -m --propagation private"
	else ns="unshare -r -m --propagation private"; fi
	if ! $ns sh -c 'mount -t tmpfs -o size=256m,mode=1777 tmpfs /dev/shm' 2>/tmp/sw-hostile-ns.$$; then
		why=$(cat /tmp/sw-hostile-ns.$$); rm -f /tmp/sw-hostile-ns.$$
		echo "SKIPPED: no private mount namespace with a tmpfs here: $why"
		exit 77
	fi
	rm -f /tmp/sw-hostile-ns.$$
	SW_HOSTILE_INNER=1 exec $ns sh -c 'mount -t tmpfs -o size=256m,mode=1777 tmpfs /dev/shm && exec "$0" "$@"' "$0" "$@"
fi
fail() { echo "FAIL: $*"; exit 1; }
T=$(mktemp -d /tmp/sw-hostile.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
U=/dev/shm/syswatch-$(id -u)

# The attacker runs for as long as the program does (about 3 s of a
# 4-thread syscall loop); the user directory appears with the session.
"$HOSTILE" "$U" 4 >"$T/hostile.txt" &
hp=$!
python3 - "$T" "$SW" "$LOOP" <<'PY' || fail "syswatch run failed"
import resource, subprocess, sys
t, sw, loop = sys.argv[1:4]
r = subprocess.run([sw, "run", "--format", "json", "--per-thread", "-o", t + "/r.json",
                    "--", loop, "-t", "4", "150000", t], stdout=subprocess.DEVNULL)
open(t + "/rss", "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode)
PY
wait $hp
cat "$T/hostile.txt"
rss=$(cat "$T/rss")
echo "peak RSS of syswatch (and of the program): $rss KiB (limit $MAX_RSS_KIB)"
[ "$rss" -le "$MAX_RSS_KIB" ] || fail "the collector grew to $rss KiB"

python3 - "$T/r.json" <<'PY' || fail "impossible numbers in the report"
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
wall = d["wall_seconds"]
threads = sum(p["threads"] for p in d["processes"])
for r in d["syscalls"] + [dict(d["total"], name="total")]:
    if r["errors"] > r["calls"]:
        bad.append("%s: %d errors > %d calls" % (r["name"], r["errors"], r["calls"]))
    if r["seconds"] > wall * max(threads, 1) * 1.01 + 0.01:
        bad.append("%s: %.3f s in calls > %d threads x %.3f s wall" % (r["name"], r["seconds"], threads, wall))
    if r["calls"] > wall * 1e9 + 1e6:
        bad.append("%s: %d calls in %.3f s" % (r["name"], r["calls"], wall))
    if r.get("min_us") is not None and r.get("max_us") is not None and r["min_us"] > r["max_us"]:
        bad.append("%s: min %s > max %s" % (r["name"], r["min_us"], r["max_us"]))
if d["dropped_events"] > wall * 1e9:
    bad.append("%d dropped events in %.3f s" % (d["dropped_events"], wall))
for t in d.get("per_thread", []):
    if t["tid"] <= 0 and t["tid"] != -1:
        bad.append("thread id %d" % t["tid"])
corrupt = [w for w in d["warnings"] if "is corrupt" in w]
print("threads %d, calls %d, %d warnings about corrupt slots, e.g.: %s" %
      (threads, d["total"]["calls"], len(corrupt), corrupt[0] if corrupt else "-"))
if threads > 4096 + 8:
    bad.append("%d threads for a 4-thread program" % threads)
if not corrupt:
    bad.append("no slot was reported corrupt: the attack did not reach the session?")
for b in bad:
    print("impossible:", b)
sys.exit(1 if bad else 0)
PY
echo PASS
