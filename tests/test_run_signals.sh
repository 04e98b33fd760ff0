#!/bin/sh
# test_run_signals.sh SYSWATCH - `syswatch run` leaves the program's
# signals as the caller set them (issue 10, point 8): ignored signals and
# the mask are inherited, a signal sent to syswatch reaches the program as
# with env (an ignored one is not forwarded), the subreaper's consequence
# (an orphan's getppid() is syswatch) holds as documented, and a program
# killed by a signal is reported as such.
set -u
SW=$1
command -v python3 >/dev/null || { echo "SKIPPED: no python3"; exit 77; }
T=$(mktemp -d /tmp/sw-runsig.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. Ignored signals and the mask, without and with syswatch: the same
#    SigIgn and SigBlk lines. The caller blocks SIGUSR1 and ignores INT,
#    HUP and PIPE before exec'ing the command (python3 sets both, then
#    becomes CMD, as a shell's trap '' would).
mask() {
	python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
for s in (signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
    signal.signal(s, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
want=$(mask grep -E '^Sig(Ign|Blk)' /proc/self/status)
got=$(mask "$SW" run -o /dev/null -- grep -E '^Sig(Ign|Blk)' /proc/self/status)
echo "without syswatch: $want" | tr '\n' ' '; echo
echo "with syswatch:    $got" | tr '\n' ' '; echo
[ "$got" = "$want" ] || fail "the program's dispositions or mask differ"
# The same through bash's trap, as the issue reproduces it.
want=$(bash -c "trap '' INT HUP PIPE; grep SigIgn /proc/self/status")
got=$(bash -c "trap '' INT HUP PIPE; '$SW' run -o /dev/null -- grep SigIgn /proc/self/status")
[ "$got" = "$want" ] || fail "trap '' INT HUP PIPE: '$got', want '$want'"

# signalled SIG WANT CMD...: run CMD in the background, send SIG to it
# once it runs, and check its exit status.
signalled() {
	sig=$1 want=$2
	shift 2
	"$@" >/dev/null 2>&1 &
	p=$!
	sleep 0.3
	kill -"$sig" $p
	wait $p
	rc=$?
	[ $rc = "$want" ] || fail "$*: killed with SIG$sig returned $rc, want $want"
}

# 2. nohup: SIGHUP sent to syswatch is ignored by both, as by `nohup sleep`.
signalled HUP 0 nohup "$SW" run -o "$T/hup.txt" -- sleep 1

# 3. SIGTERM sent to syswatch reaches the program, which dies of it;
#    syswatch exits as it did and says so.
signalled TERM 143 "$SW" run --per-process -o "$T/term.txt" -- sleep 5
grep -q "^process [0-9]* (sleep), killed by SIGTERM:" "$T/term.txt" ||
	fail "no 'killed by SIGTERM' in: $(cat "$T/term.txt")"

# 4. Killed by SIGPIPE (`yes | head -1`): text and JSON say which signal.
"$SW" run --format json -o "$T/pipe.json" -- yes | head -1 >/dev/null
python3 - "$T/pipe.json" <<'PY' || fail "yes | head: no SIGPIPE in the JSON"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["processes"][0]
print("yes | head -1:", p)
sys.exit(not (p["signal"] == "SIGPIPE" and p["exit_status"] == 141))
PY
"$SW" run --per-process -o "$T/pipe.txt" -- yes | head -1 >/dev/null
grep -q "^process [0-9]* (yes), killed by SIGPIPE:" "$T/pipe.txt" ||
	fail "no 'killed by SIGPIPE' in: $(grep process "$T/pipe.txt")"

# 5. The subreaper: an orphaned grandchild's parent is syswatch (README,
#    "Using it"), and syswatch waits for it before reporting.
"$SW" run -o "$T/orphan.txt" -- python3 -c 'import os, sys, time
if os.fork() == 0:
    time.sleep(0.5)
    open(sys.argv[1], "w").write("%d\n" % os.getppid())
    os._exit(0)' "$T/ppid" &
p=$!
wait $p || fail "orphan run failed"
[ -s "$T/ppid" ] || fail "syswatch returned before the orphan ended"
[ "$(cat "$T/ppid")" = "$p" ] ||
	fail "orphan's getppid() is $(cat "$T/ppid"), want syswatch's $p"
echo "PASS"
