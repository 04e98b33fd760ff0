#!/usr/bin/env bash
# test_man.sh - syswatch(1) renders cleanly and says what the tool does.
#
# Why: strace users look for `man syswatch` first; a page that renders
# with warnings, that apropos cannot index, or that has drifted from the
# binary (an option added to --help and not to the page, or one the page
# still lists after it was removed; an environment variable the sources
# read and the page does not name) misleads them. Every list compared here
# is parsed from --help, from the sources or from the table the binary
# prints, never typed in. Needs man-db (man, lexgrog): skipped without it.
. "$(dirname "$0")/test_slowfs_lib.sh"

sw=$build/syswatch
page=$src_dir/doc/syswatch.1
[ -x "$sw" ] || skip "$sw not built"
command -v man >/dev/null || skip "man not found (Debian package man-db)"
command -v lexgrog >/dev/null || skip "lexgrog not found (Debian package man-db)"

warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
check "man --warnings -l renders without a warning${warn:+: $warn}" test -z "$warn"
check "lexgrog finds the NAME line" bash -c "lexgrog '$page' | grep -q '\"syswatch - '"
MANWIDTH=80 man -l "$page" 2>/dev/null >"$tmp/page.txt"
# section NAME: the rendered text of one section of the page.
section() { sed -n "/^$1\$/,/^[A-Z][A-Z ]*\$/p" "$tmp/page.txt" | sed '$d'; }

# Options: --help's option lines and usage lines against the tags of the
# page's OPTIONS section, both ways.
"$sw" --help >"$tmp/help.txt"
opt_tokens() { grep -oE '(^|[][ ,|])--?[a-zA-Z][a-z-]*' | grep -oE -- '--?[a-zA-Z][a-z-]*' | sort -u; }
{
	grep -E '^ +(-[a-zA-Z], )?--[a-z]' "$tmp/help.txt" | sed -E 's/^ +//; s/  .*//'
	grep -E '^(usage:| ) +syswatch ' "$tmp/help.txt"
} | opt_tokens >"$tmp/help.opts"
section OPTIONS | grep -E '^       -' | sed -E 's/^ +//; s/  .*//' | opt_tokens >"$tmp/man.opts"
check "every option of --help is in the man page ($(wc -l <"$tmp/help.opts") options)" \
	diff <(comm -23 "$tmp/help.opts" "$tmp/man.opts") /dev/null
check "every option of the man page is in --help" \
	diff <(comm -13 "$tmp/help.opts" "$tmp/man.opts") /dev/null
comm -3 "$tmp/help.opts" "$tmp/man.opts" | sed 's/^/  only in one: /'

# Commands: each of --help's usage lines has its entry under COMMANDS.
for c in $(sed -nE 's/^(usage:)? *syswatch ([a-z]+) .*/\2/p' "$tmp/help.txt" | sort -u); do
	check "command '$c' is described under COMMANDS" bash -c "grep -qE '^       $c( |\$)' <<<\"\$1\"" _ "$(section COMMANDS)"
done

# Environment: every SYSWATCH_ variable the shim or the collector reads
# (getenv, env_num, sw_env; in sub-folders too), and every one the page
# names is read.
grep -rohE --include='*.c' '(getenv|env_num|sw_env)\("SYSWATCH_[A-Z_]+"' "$src_dir/preload" "$src_dir/collector" |
	grep -oE 'SYSWATCH_[A-Z_]+' | sort -u >"$tmp/src.env"
section ENVIRONMENT | grep -oE 'SYSWATCH_[A-Z_]+' | sort -u >"$tmp/man.env"
check "every SYSWATCH_ variable the sources read is under ENVIRONMENT ($(wc -l <"$tmp/src.env"))" \
	diff <(comm -23 "$tmp/src.env" "$tmp/man.env") /dev/null
check "every SYSWATCH_ variable under ENVIRONMENT is read by the sources" \
	diff <(comm -13 "$tmp/src.env" "$tmp/man.env") /dev/null

# The table: each column title syswatch prints is explained.
"$sw" run -o "$tmp/table.txt" -- true
head -n 1 "$tmp/table.txt" | sed -E 's/% time/%_time/; s/ +/\n/g' | sed '/^$/d; s/%_time/% time/' >"$tmp/cols"
while IFS= read -r col; do
	check "column '$col' is explained under THE TABLE" bash -c "grep -qF -- \"       \$1\" <<<\"\$2\"" _ "$col" "$(section 'THE TABLE')"
done <"$tmp/cols"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'THE TABLE' ENVIRONMENT 'EXIT STATUS' FILES LIMITS EXAMPLES 'SEE ALSO'; do
	check "section $s" grep -qx "$s" "$tmp/page.txt"
done
finish
