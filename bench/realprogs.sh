#!/usr/bin/env bash
# bench/realprogs.sh - syswatch's table against strace's on real programs
# (issue 9, acceptance 2).
#
#   bench/realprogs.sh [BUILD_DIR] [--complete]
#
# Runs each program below once under `strace -f -c -w` and once under
# `syswatch run` (with --complete when given), and prints per program
# every row either side counted: strace's calls, syswatch's, and
# syswatch/strace; then a summary line per program: how many of strace's
# rows syswatch matches exactly, and syswatch's share of strace's calls
# (the smaller of the two counts per row, summed, over strace's total, so
# that a row counted twice does not make up for a row missed).
#
# The programs: zstd compressing and decompressing a 32 MiB file (the
# issue's 256 MB file is too big for CI), `git log -p` and `git status`
# in a small repository, gcc compiling and linking a C file, make running
# a four-target Makefile, node reading and stat-ing files, curl fetching
# a file:// URL, a bash script that runs commands in a loop, and CPython's
# subprocess.run loop. Missing programs are installed with apt-get (zstd,
# git, gcc, make, nodejs, curl, python3).
#
# The default mode sees the libc entry points a program calls; what glibc
# and the dynamic loader do inside (stdio's reads and writes, malloc's
# mmap, the loader's openat and mmap at every exec, NSS) needs --complete.
# The summary says how far each mode gets; nothing here is a pass/fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
complete=()
build=
for a in "$@"; do
	case $a in
	--complete) complete=(--complete) ;;
	*) build=$a ;;
	esac
done
build=$(cd "${build:-${SW_BUILD_DIR:-$here/../build}}" && pwd)
syswatch=$build/syswatch
[ -x "$syswatch" ] || { echo "realprogs: no $syswatch: build first" >&2; exit 1; }
command -v strace >/dev/null || { echo "realprogs: strace is needed" >&2; exit 1; }
strace -f -c -o /dev/null true 2>/dev/null ||
	{ echo "realprogs: strace cannot run here (ptrace not allowed)" >&2; exit 1; }

# Install what is missing (Debian package per command).
missing=
for pc in zstd:zstd git:git gcc:gcc make:make node:nodejs curl:curl python3:python3; do
	command -v "${pc%%:*}" >/dev/null || missing="$missing ${pc#*:}"
done
if [ -n "$missing" ]; then
	echo "realprogs: installing$missing"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sw-realprogs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Fixtures, made before anything is measured.
head -c 16M /dev/urandom >data.bin
{ yes 'syswatch realprogs line of text' || true; } | head -c 16M >>data.bin
mkdir repo && (
	cd repo
	git init -q
	git config user.email bench@example.invalid
	git config user.name bench
	for i in 1 2 3 4 5 6 7 8; do
		seq 1 $((i * 500)) >"file$i.txt"
		git add "file$i.txt"
		git commit -qm "commit $i"
	done
)
cat >hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello\n"); return 0; }
C
cat >Makefile <<'MK'
all: a b c d
a b c d:
	@echo $@ > $@.out
	@cat $@.out > /dev/null
clean:
	@rm -f a.out b.out c.out d.out
MK
cat >loop.sh <<'SH'
#!/bin/bash
for i in $(seq 1 40); do
	echo "$i" > loop.out
	cat loop.out > /dev/null
	ls -d . > /dev/null
done
rm -f loop.out
SH
chmod +x loop.sh
cat >loop.py <<'PY'
import subprocess
for _ in range(20):
    subprocess.run(["true"])
PY
cat >node.js <<'JS'
const fs = require('fs');
for (let i = 0; i < 300; i++) fs.statSync('/etc/passwd');
fs.readdirSync('/usr/bin');
fs.readFileSync('/etc/services');
JS

# name|setup before each run|command
programs=(
	"zstd -q|rm -f data.zst|zstd -q -f data.bin -o data.zst"
	"zstd -d|rm -f data.out|zstd -q -d -f data.zst -o data.out"
	"git log -p|:|git -C repo log -p"
	"git status|:|git -C repo status --porcelain"
	"gcc|rm -f hello|gcc -O2 hello.c -o hello"
	"make|make -s clean|make -s -j1"
	"node|:|node node.js"
	"curl|:|curl -s -o curl.out file:///etc/services"
	"bash script|:|./loop.sh"
	"python subprocess|:|python3 loop.py"
)

# Per row: strace, syswatch, ratio; then the summary line.
compare() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, sfile, wfile = sys.argv[1:4]
st = {}
for line in open(sfile):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
        calls = int(f[3])
        errors = int(f[4]) if len(f) == 6 else 0
        st[f[-1]] = (calls, errors)
sw = {r["name"]: (r["calls"], r["errors"]) for r in json.load(open(wfile))["syscalls"]}
rows = sorted(set(st) | set(sw), key=lambda r: (-st.get(r, (0, 0))[0], r))
print(f"\n== {name}")
print(f"  {'row':<22}{'strace':>9}{'syswatch':>10}{'sw/strace':>11}")
for r in rows:
    s, w = st.get(r, (0, 0))[0], sw.get(r, (0, 0))[0]
    ratio = f"{w / s:.2f}" if s else "-"
    print(f"  {r:<22}{s:>9}{w:>10}{ratio:>11}")
total = sum(c for c, _ in st.values())
seen = sum(min(st[r][0], sw.get(r, (0, 0))[0]) for r in st)
exact = sum(1 for r in st if sw.get(r, (0, 0))[0] == st[r][0])
print(f"  summary: {exact}/{len(st)} of strace's rows equal; syswatch sees "
      f"{seen}/{total} calls ({100.0 * seen / total if total else 0:.1f}%)")
with open("summary.txt", "a") as out:
    out.write(f"{name:<20} {exact:>3}/{len(st):<3} rows equal  {seen:>7}/{total:<7} calls "
              f"({100.0 * seen / total if total else 0:5.1f}%)\n")
PY
}

: >summary.txt
for p in "${programs[@]}"; do
	IFS='|' read -r name setup cmd <<<"$p"
	rm -f st.txt sw.json
	eval "$setup" >/dev/null 2>&1 || true
	eval "strace -f -c -w -o st.txt -- $cmd" >/dev/null 2>&1 || true
	eval "$setup" >/dev/null 2>&1 || true
	eval "\"$syswatch\" run ${complete[*]:-} --format json -o sw.json -- $cmd" >/dev/null 2>sw.err ||
		true
	if [ ! -s sw.json ]; then
		echo "== $name: syswatch gave no table:"
		cat sw.err
		continue
	fi
	if [ ! -s st.txt ]; then
		echo "== $name: strace gave no table"
		continue
	fi
	compare "$name" st.txt sw.json
done
echo
echo "summary (${complete[*]:-default mode}): rows of strace's table syswatch equals, and its share of strace's calls"
cat summary.txt
