#!/bin/sh
# run.sh FUZZ_BUILD SYSWATCH_BUILD SECONDS - seed the corpora from real
# runs, then run each libFuzzer target for SECONDS. Exits non-zero if a
# target found something (the reproducer is in FUZZ_BUILD/fuzz-artifacts/).
#
# Seeds are made here, never committed: a trace of /bin/true written by
# `syswatch run --trace`, and the segment file the shim leaves behind when
# it runs /bin/ls under a private session directory with no collector
# (2 slots of 4 KiB rings, so the image stays ~100 KiB).
set -eu
fbuild=$1 build=$2 secs=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"

mkdir -p "$here/corpus_trace" "$here/corpus_segment" "$fbuild/fuzz-artifacts"
"$build/syswatch" run --trace "$tmp/true.trace" -o /dev/null /bin/true
cp "$tmp/true.trace" "$here/corpus_trace/seed-true.trace"
mkdir "$tmp/session"
chmod 700 "$tmp/session"
SYSWATCH_SESSION="$tmp/session" SYSWATCH_RING_KB=4 SYSWATCH_SLOTS=2 \
	LD_PRELOAD="$(cd "$build" && pwd)/libsyswatch.so" /bin/ls / >/dev/null
seg=$(ls "$tmp/session"/*.seg | head -n 1)
cp "$seg" "$here/corpus_segment/seed-ls.seg"

status=0
for t in trace segment; do
	echo "fuzz_$t: ${secs}s on tests/fuzz/corpus_$t"
	# -max_len: the segment seed must fit whole, or no mutation of it
	# passes the header check's size test.
	if ! "$fbuild/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=131072 -print_final_stats=1 \
		-artifact_prefix="$fbuild/fuzz-artifacts/$t-" \
		"$here/corpus_$t" 2>"$fbuild/fuzz_$t.log"; then
		echo "fuzz_$t: FINDING (see $fbuild/fuzz_$t.log):" >&2
		grep -E 'ERROR|SUMMARY|artifact' "$fbuild/fuzz_$t.log" >&2 || true
		status=1
	fi
	grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' \
		"$fbuild/fuzz_$t.log" | sed "s/^/fuzz_$t: /" || true
done
exit $status
