#!/usr/bin/env bash
# test_slowfs_scenario.sh - the import scenario behaves as the demo claims.
#
# Why: syswatch's lock-attribution tests build on this scenario, so it must
# be right on its own first, on every CPython here (3.11, and 3.12 / 3.13
# when present): 32 threads import the generated tree without error or
# deadlock, in the same and in shuffled orders; each module is executed by
# exactly one thread (the exec log the tests will compare with syswatch's
# holders); on the slow filesystem (slowfs, else libslowpath.so) the imports
# take at least one read latency per module, since with the same order they
# are serial (also through the libslowpath.so fallback, which
# SCENARIO_NO_SLOWFS=1 makes the only slow directory); and SCENARIO_BODY=sleep|spin puts the time in the module bodies.
. "$(dirname "$0")/test_slowfs_lib.sh"

MODULES=60 THREADS=32 LOOKUP=1 OPEN=2 READ=5 BODY_MS=10

# The real interpreters, not launcher scripts; one per version.
pys=()
add_py() { [ -x "$1" ] || return; local r; r=$(readlink -f "$1")
	for p in "${pys[@]}"; do [ "$(readlink -f "$p")" = "$r" ] && return; done; pys+=("$1"); }
add_py "$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)"
if command -v pyenv >/dev/null; then
	for v in 3.11 3.12 3.13; do
		add_py "$(ls -d "$(pyenv root)"/versions/$v*/bin/python3 2>/dev/null | sort -V | tail -n 1)"
	done
fi
((${#pys[@]})) || skip "no python3 found"

tree=$tmp/tree
args=()
for p in "${pys[@]}"; do args+=(--python "$p"); done
"${pys[0]}" "$src_dir/scenario/gen_tree.py" "$tree" --modules $MODULES "${args[@]}" >/dev/null ||
	{ fail "gen_tree.py" "could not generate the tree"; finish; exit; }
ok "gen_tree.py generated and byte-compiled the tree for ${#pys[@]} interpreter(s)"
manifest() { "${pys[0]}" -c "import json,sys; m=json.load(open('$tree/slowpkg_manifest.json')); print($1)"; }
count=$(manifest 'm["count"]')
leaves=$(manifest 'len(m["leaves"])')
manifest '"\n".join(sorted(m["modules"]))' >"$tmp/expected"

# Slow directory: slowfs if FUSE works here, else the preload on $tree.
slow_env=()
fallback_env=(LD_PRELOAD="$build/libslowpath.so" SLOWPATH_PREFIX="$tree" SLOWPATH_LOOKUP_MS=$LOOKUP
	SLOWPATH_OPEN_MS=$OPEN SLOWPATH_READ_MS=$READ)
if [ "${SCENARIO_NO_SLOWFS:-0}" != 1 ] && [ -x "$build/slowfs" ] && [ -e /dev/fuse ] && command -v fusermount3 >/dev/null &&
	mount_slowfs "$tree" "$tmp/mnt" --lookup-ms $LOOKUP --open-ms $OPEN --read-ms $READ; then
	slow_path=$tmp/mnt
	echo "# slow directory: slowfs at $slow_path"
else
	[ -e "$build/libslowpath.so" ] || skip "neither slowfs (FUSE) nor libslowpath.so is usable"
	slow_path=$tree
	slow_env=("${fallback_env[@]}")
	echo "# slow directory: libslowpath.so on $slow_path (SCENARIO_NO_SLOWFS=1, or no usable FUSE)"
fi

# run_app NAME PY PATH [ENV...] -- [ARGS...]: run import_app.py with an exec
# log; checks exit 0 and one execution per module; elapsed ms in $ms.
run_app() {
	local name=$1 py=$2 path=$3 envs=() out
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -f "$tmp/exec.log"
	out=$(env "${envs[@]}" SCENARIO_EXEC_LOG="$tmp/exec.log" \
		"$py" "$src_dir/scenario/import_app.py" --path "$path" --threads $THREADS "$@" 2>&1)
	local rc=$?
	echo "# $out"
	ms=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "s") print int($i * 1000) }' <<<"$out" | tail -n 1)
	ms=${ms:-0}
	if [ $rc -ne 0 ]; then fail "$name" "import_app.py exited $rc"; return 1; fi
	if awk '{ print $1 }' "$tmp/exec.log" | sort | diff -q - "$tmp/expected" >/dev/null; then
		ok "$name: exit 0, each of $count modules executed by exactly one thread"
	else
		fail "$name" "exec log is not one line per module (see $tmp/exec.log)"
		cp "$tmp/exec.log" "$tmp/exec.log.bad"
	fi
}

for py in "${pys[@]}"; do
	v=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	run_app "python $v, plain dir" "$py" "$tree" --
	plain=$ms
	run_app "python $v, slow dir, same order" "$py" "$slow_path" "${slow_env[@]}" --
	at_least "python $v: slow dir pays >= one read per module (plain dir: $plain ms)" \
		$ms $((count * READ))
	run_app "python $v, slow dir, shuffled orders" "$py" "$slow_path" "${slow_env[@]}" -- --order shuffled
	run_app "python $v, SCENARIO_BODY=sleep:$BODY_MS" "$py" "$tree" SCENARIO_BODY=sleep:$BODY_MS --
	at_least "python $v: sleeping bodies add up" $ms $((leaves * BODY_MS))
	run_app "python $v, SCENARIO_BODY=spin:$BODY_MS" "$py" "$tree" SCENARIO_BODY=spin:$BODY_MS --
	at_least "python $v: spinning bodies add up" $ms $((leaves * BODY_MS))
done

if [ -n "$fs_pid" ] && [ -e "$build/libslowpath.so" ]; then
	# slowfs was the slow directory above; the fallback gets one run too.
	run_app "python $("${pys[0]}" -c 'import sys; print("%d.%d" % sys.version_info[:2])'), libslowpath.so fallback" "${pys[0]}" "$tree" \
		"${fallback_env[@]}" --
	at_least "fallback pays >= one read per module" $ms $((count * READ))
fi
if [ -n "$fs_pid" ]; then
	unmount_slowfs
	check "slowfs exits 0 after the runs" test "$fs_status" = 0
fi
finish
