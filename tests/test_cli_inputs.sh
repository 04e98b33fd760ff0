#!/bin/sh
# test_cli_inputs.sh SYSWATCH RB_STATIC - issue 10, point 7: the CLI on
# inputs a new user or an attacker hands it.
#   1. `report FIFO` with no writer returns at once, saying what it is;
#   2. a truncated trace: the report of what was read, then where it
#      stopped (the counts equal those of the whole trace when only the
#      summary is cut);
#   3. `report --recover` with a planted symlink for the user directory,
#      and one inside it: what was refused and why;
#   4. a session whose only segment has a bad header: no "setuid /
#      LD_PRELOAD removed" hint, the segment is said refused;
#   5. a static program started by a traced shell is reported untraced.
# 3 and 4 run in a private mount namespace with a tmpfs on /dev/shm (other
# tests' sessions live in the real one); skipped, saying why, without one.
set -u
SW=$1 STATIC=$2
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "SKIPPED: no python3"; exit 77; }

if [ "${SW_INPUTS_NS:-}" = 1 ]; then
	# --- 3 and 4, inside the namespace --------------------------------
	U=/dev/shm/syswatch-$(id -u)
	mkdir -p /tmp/sw-inputs-elsewhere.$$
	ln -s /tmp/sw-inputs-elsewhere.$$ "$U"
	out=$("$SW" report --recover 2>&1) && fail "recover through a symlink succeeded: $out"
	echo "$out"
	echo "$out" | grep -q "$U is a symbolic link" || fail "the symlink is not named: $out"
	echo "$out" | grep -q "refusing" || fail "no refusal said: $out"
	rm "$U"
	rmdir /tmp/sw-inputs-elsewhere.$$
	mkdir -m 700 "$U"
	ln -s /tmp "$U/s999996-link"
	out=$("$SW" report --recover 2>&1)
	echo "$out"
	echo "$out" | grep -q "refused $U/s999996-link: a symbolic link" ||
		fail "the planted session symlink is not named: $out"
	rm "$U/s999996-link"
	# A segment of a dead process whose header has another ABI version.
	mkdir -m 700 "$U/s999990-bad"
	python3 - "$U/s999990-bad/999990.0.seg" <<'PY'
import struct, sys
hdr = struct.pack("<QI", 0x3147455354415753, 999) + bytes(4096 - 12)
with open(sys.argv[1], "wb") as f:
    f.write(hdr)
PY
	chmod 600 "$U/s999990-bad/999990.0.seg"
	out=$("$SW" report --recover 2>&1)
	echo "$out"
	echo "$out" | grep -q "segment skipped" || fail "the bad segment is not reported: $out"
	echo "$out" | grep -q "LD_PRELOAD removed" && fail "the setuid / LD_PRELOAD hint for a bad header: $out"
	echo "$out" | grep -q "1 segment was refused" || fail "no 'segment was refused' line: $out"
	exit 0
fi

T=$(mktemp -d /tmp/sw-inputs.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

# 1. A FIFO with no writer.
mkfifo "$T/fifo"
out=$(timeout 10 "$SW" report "$T/fifo" 2>&1)
rc=$?
[ $rc = 124 ] && fail "report FIFO hung"
[ $rc = 0 ] && fail "report FIFO succeeded"
echo "$out"
echo "$out" | grep -q "a FIFO, not a trace file" || fail "report FIFO: $out"

# 2. A trace cut inside its last record (the summary).
"$SW" run --trace "$T/full.pb" -o /dev/null -- sh -c 'ls / >/dev/null; ls /etc >/dev/null' ||
	fail "run --trace failed"
size=$(stat -c %s "$T/full.pb")
head -c $((size - 3)) "$T/full.pb" >"$T/cut.pb"
"$SW" report --format json -o "$T/full.json" "$T/full.pb" || fail "report of the whole trace failed"
"$SW" report --format json -o "$T/cut.json" "$T/cut.pb" 2>"$T/cut.err" &&
	fail "report of a truncated trace exited 0"
cat "$T/cut.err"
grep -q "offset [0-9]*.*the report above is of what was read before that point" "$T/cut.err" ||
	fail "no 'where it stopped' line: $(cat "$T/cut.err")"
python3 - "$T/full.json" "$T/cut.json" <<'PY' || fail "the truncated trace's report differs"
import json, sys
full, cut = (json.load(open(p)) for p in sys.argv[1:3])
print("whole trace: %d calls; truncated: %d calls" % (full["total"]["calls"], cut["total"]["calls"]))
assert cut["total"]["calls"] == full["total"]["calls"] > 0
assert any("before that point" in w for w in cut["warnings"]), cut["warnings"]
PY

# 3, 4: in a private mount namespace.
if [ "$(id -u)" = 0 ]; then ns="unshare -m --propagation private"
else ns="unshare -r -m --propagation private"; fi
if $ns sh -c 'mount -t tmpfs -o size=16m,mode=1777 tmpfs /dev/shm' 2>"$T/ns.err"; then
	SW_INPUTS_NS=1 $ns sh -c 'mount -t tmpfs -o size=16m,mode=1777 tmpfs /dev/shm && exec "$0" "$@"' \
		"$0" "$@" || exit 1
else
	echo "SKIPPED (parts 3 and 4): no private mount namespace here: $(cat "$T/ns.err")"
fi

# 5. A static program started by a traced shell: by fork and exec (bash),
#    and by vfork (dash: the exec is in the vfork child, which the shim
#    cannot record; the child is found from the parent's vfork).
for shell in bash sh; do
	command -v $shell >/dev/null || continue
	"$SW" run --format json -o "$T/static.json" -- $shell -c "'$STATIC' $T/ran; true" >/dev/null ||
		fail "$shell -c static failed"
	[ -e "$T/ran" ] || fail "the static program did not run"
	rm -f "$T/ran"
	python3 - "$T/static.json" "$shell" <<'PY' || fail "$shell: the static child is not reported untraced"
import json, sys
u = json.load(open(sys.argv[1]))["untraced_children"]
print(sys.argv[2], "-c static:", u)
assert len(u) == 1, u
assert ("rb_static" in u[0]["path"] and "statically linked" in u[0]["reason"]) or \
    ("made no segment" in u[0]["reason"]), u
PY
done
echo PASS
