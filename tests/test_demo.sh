#!/usr/bin/env bash
# test_demo.sh - `make demo` reads in one screenful or two, and the short
# lock report is a faithful cut of the full one.
#
# Why: the demo is a newcomer's first contact; its best part (the lock
# summary and the verdict) must not be buried under the detail. So: the
# whole demo output is at most 150 lines and ends with the verdict; the
# report it printed is the one `syswatch report --locks` gives from the
# trace; `--locks=full` (and -v) still has every part (the detail of each
# listed lock, the condition waits), the short form prints only lines of
# the full one, in the same order, cut to 3 locks, 3 blockers each and 3
# activity rows (plus the "outside calls" row), and JSON is the same
# whichever the detail. Runs scenario/run_demo.sh, which falls back to the
# libslowpath.so preload where FUSE is unusable, as `make demo` does.
. "$(dirname "$0")/test_slowfs_lib.sh"

sw=$build/syswatch
[ -x "$sw" ] || skip "$sw not built"
command -v python3 >/dev/null || skip "no python3 for the demo scenario"
fs=$(fuse_unusable)
[ -z "$fs" ] || echo "note: $fs: the demo uses libslowpath.so"

trace=$tmp/demo.trace
SCENARIO_TRACE=$trace "$src_dir/scenario/run_demo.sh" "$build" >"$tmp/demo.out" 2>&1
rc=$?
check "make demo's scenario exits 0" test "$rc" = 0
lines=$(wc -l <"$tmp/demo.out")
check "demo output fits in 150 lines ($lines)" test "$lines" -le 150

# The last lines are the verdict: "verdict: ..." and its indented rest.
last=$(grep -n '^verdict: ' "$tmp/demo.out" | tail -n 1 | cut -d: -f1)
if [ -z "$last" ]; then
	fail "demo output ends with the verdict" "no 'verdict:' line"
else
	after_verdict() { tail -n +$((last + 1)) "$tmp/demo.out" | grep -v '^ '; }
	check "demo output ends with the verdict" test -z "$(after_verdict)"
fi
check "demo names the lock-amplification cause" grep -q '^verdict: lock-amplification' "$tmp/demo.out"

"$sw" report --locks "$trace" >"$tmp/short" 2>&1
"$sw" report --locks=full "$trace" >"$tmp/full" 2>&1
"$sw" report -v --locks "$trace" >"$tmp/verbose" 2>&1
check "the demo printed what report --locks prints from its trace" \
	cmp -s "$tmp/short" <(sed -n '/^% time /,$p' "$tmp/demo.out")
check "-v --locks is --locks=full" cmp -s "$tmp/full" "$tmp/verbose"
"$sw" report --locks --format json "$trace" >"$tmp/short.json" 2>&1
"$sw" report --locks=full --format json "$trace" >"$tmp/full.json" 2>&1
check "JSON is whole whatever the text detail" cmp -s "$tmp/short.json" "$tmp/full.json"

# Structure, from the JSON's own figures: every contended lock the JSON
# lists up to ten is described in the full text, the condition waits too.
read -r nlocks ncond < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
locks = [l for l in d["locks"] if l["kind"] != "cond"]
print(len(locks), len(d["locks"]) - len(locks))' "$tmp/full.json")
lock_head='^  [a-z_]+ (0x[0-9a-f]+|\(per-thread parking\)), pid [0-9]+ '
want=$((nlocks < 10 ? nlocks : 10))
got=$(grep -Ec "$lock_head" "$tmp/full")
check "full: the detail of the top $want locks (got $got)" test "$got" = "$want"
got=$(grep -Ec "$lock_head" "$tmp/short")
check "short: the detail of the top 3 locks at most (got $got)" test "$got" -le 3 -a "$got" -ge $((want < 3 ? want : 3))
if [ "$ncond" -gt 0 ]; then
	check "full: the condition waits" grep -q '^Condition waits' "$tmp/full"
	check "short: no condition-wait section" bash -c "! grep -q '^Condition waits' '$tmp/short'"
fi
for part in '^Locks \(syswatch --locks\)$' '^% wait +seconds' '^verdict: '; do
	check "both have /$part/" bash -c "grep -Eq '$part' '$tmp/full' && grep -Eq '$part' '$tmp/short'"
done

# The short lines are full's lines in full's order, but for the "more"
# lines, whose counts differ; and at most 3 blockers of 4 rows each.
python3 - "$tmp/short" "$tmp/full" <<'EOF' >"$tmp/subset" 2>&1
import re, sys
short = open(sys.argv[1]).read().splitlines()
full = open(sys.argv[2]).read().splitlines()
more = re.compile(r"^    \.\.\. and \d+ more blockers? |^\(the top locks and blockers only")
i = 0
for n, line in enumerate(short, 1):
    if more.match(line):
        continue
    while i < len(full) and full[i] != line:
        i += 1
    if i == len(full):
        sys.exit(f"short line {n} is not a later line of full: {line!r}")
    i += 1
blockers = rows = 0
for line in short:
    if re.match(r"^  \S", line):
        blockers = 0
    elif re.match(r"^    thread ", line):
        blockers += 1; rows = 0
        if blockers > 3:
            sys.exit(f"more than 3 blockers at {line!r}")
    elif re.match(r"^        +[0-9.]+ s  ", line):
        rows += 1
        if rows > 4:
            sys.exit(f"more than 3 rows and the outside row at {line!r}")
print("ok")
EOF
check "short is an ordered subset of full, cut to 3x3x3 ($(tail -n 1 "$tmp/subset"))" \
	grep -qx ok "$tmp/subset"
sl=$(wc -l <"$tmp/short") fl=$(wc -l <"$tmp/full")
echo "note: report --locks $sl lines, --locks=full $fl lines; demo $lines lines"
finish
