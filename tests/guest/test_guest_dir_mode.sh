#!/bin/sh
# test_guest_dir_mode.sh BUILD - the shim and the CLI apply one rule to
# the per-user directory (issue 10, point 7; include/syswatch/dirs.h): a
# directory of ours that group and others cannot use; the sticky and
# set-group-id bits (1700, 2700) grant nobody anything and are accepted by
# both, 0750 and 0701 are refused by both. Before the fix the shim traced
# under 1700/2700 while `syswatch run` refused the same directory. In a
# private mount namespace, so that the directory under test is this
# test's own.
. "$(dirname "$0")/lib.sh"
in_private_shm 64m "$0" "$@"
U=/dev/shm/syswatch-$(id -u)
TRUE=/bin/true
for mode in 1700 2700 3700 0750 0701; do
	rm -rf "$U"
	mkdir "$U"
	chmod "$mode" "$U"
	"$SW" run -o "$T/run.txt" -- "$TRUE" >"$T/run.out" 2>"$T/run.err"
	run=$?
	LD_PRELOAD=$SHIM SYSWATCH_OUTPUT=$T/pre.txt "$TRUE" >"$T/pre.out" 2>"$T/pre.err" &
	pid=$!
	wait $pid
	wait_auto_report $pid
	if grep -q "not tracing" "$T/pre.err"; then pre=refused; else pre=traced; fi
	[ $run = 0 ] && run=traced || run=refused
	echo "mode $mode: syswatch run $run, LD_PRELOAD $pre"
	case $mode in
	?700) want=traced ;;
	*) want=refused ;;
	esac
	[ $run = $want ] || { cat "$T/run.err"; fail "mode $mode: syswatch run $run, expected $want"; }
	[ $pre = $want ] || { cat "$T/pre.err"; fail "mode $mode: LD_PRELOAD $pre, expected $want"; }
	if [ $want = traced ]; then
		grep -q "exit_group" "$T/pre.txt" || fail "mode $mode: LD_PRELOAD printed no table"
	else
		grep -q "group or others have access" "$T/run.err" || fail "mode $mode: syswatch run does not say why"
	fi
done
echo "PASS"
