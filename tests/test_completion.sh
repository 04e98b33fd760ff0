#!/usr/bin/env bash
# test_completion.sh - bash completion of syswatch offers what the tool takes.
#
# Why: completion is how strace users discover a tool's words; it must
# offer the commands and options --help documents, every row name rows.h
# defines and the classes --help names for -e trace=, the columns of -S
# and -U, and it must not drift when the tables grow. The expected words
# are parsed from --help and from the headers, never typed in here; the
# completion is driven as bash drives it (`complete -p syswatch` names
# the function; COMP_LINE/COMP_POINT/COMP_WORDS are set as readline sets
# them, and the function's compgen fills COMPREPLY).
. "$(dirname "$0")/test_slowfs_lib.sh"

sw=$build/syswatch
[ -x "$sw" ] || skip "$sw not built"
comp=$src_dir/completion/syswatch
help=$("$sw" --help)

# complete LINE: the words bash would offer at the end of LINE, one a line,
# each as the whole shell word (bash replaces only what follows the last
# '=' or ':' of the word; the prefix is put back here).
complete_line() {
	PATH="$build:$PATH" bash --norc --noprofile -c '
		. "$1" || exit 3
		spec=$(complete -p syswatch) || exit 4
		fn=${spec#*-F }; fn=${fn%% *}
		line=$2
		COMP_WORDBREAKS=$3
		read -ra COMP_WORDS <<<"$line"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		"$fn" syswatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		last=${COMP_WORDS[COMP_CWORD]}
		keep=""
		for ((k = 0; k < ${#last}; k++)); do
			[[ $COMP_WORDBREAKS == *"${last:k:1}"* ]] && keep=${last:0:k+1}
		done
		for r in "${COMPREPLY[@]}"; do printf "%s\n" "$keep$r"; done' _ "$comp" "$1" "$wordbreaks"
}
# readline's default word breaks
wordbreaks=" "$'\t\n'"\"'><=;|&(:"
# offers NAME LINE WORD...: each WORD is offered at the end of LINE.
offers() {
	local name=$1 line=$2 w missing=""
	shift 2
	local got
	got=$(complete_line "$line")
	for w; do grep -qxF -- "$w" <<<"$got" || missing="$missing $w"; done
	if [ -z "$missing" ]; then ok "$name"; else fail "$name" "'$line' lacks:$missing (got $(wc -l <<<"$got") words)"; fi
}
# only NAME LINE REGEX: every word offered at the end of LINE matches REGEX.
only() {
	local got
	got=$(complete_line "$2")
	if [ -n "$got" ] && ! grep -qvE -- "$3" <<<"$got"; then ok "$1"; else
		fail "$1" "'$2' offered $(grep -vE -- "$3" <<<"$got" | head -n 3 | tr '\n' ' ')"; fi
}

check "complete -p names a function for syswatch" \
	bash -c ". '$comp' && complete -p syswatch | grep -q -- '-F _syswatch syswatch\$'"

# Commands: the ones --help's usage lines show.
mapfile -t cmds < <(sed -n 's/^ *\(usage:\)\? *syswatch \([a-z]\+\) .*/\2/p' <<<"$help" | sort -u)
offers "the commands of --help's usage (${cmds[*]})" "syswatch " "${cmds[@]}" --help --version

# Options: every long option --help lists is offered for some command,
# and nothing is offered that --help does not list.
mapfile -t longs < <(grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' <<<"$help" | sed 's/.*--/--/' | sort -u)
offered=$(for c in "${cmds[@]}"; do complete_line "syswatch $c --"; done | sed 's/=.*//' | sort -u | grep -v '^--$')
check "every long option of --help is offered (${#longs[@]})" \
	diff <(printf '%s\n' "${longs[@]}") <(printf '%s\n' "$offered")
mapfile -t shorts < <(grep -oE '^  -[a-zA-Z],' <<<"$help" | tr -d ' ,' | sort -u)
offered=$(for c in "${cmds[@]}"; do complete_line "syswatch $c -"; done | grep -E '^-[a-zA-Z]$' | sort -u)
check "every short option of --help is offered (${#shorts[@]})" \
	diff <(printf '%s\n' "${shorts[@]}") <(printf '%s\n' "$offered")
offers "run --locks=full" "syswatch run --locks" --locks --locks=full

# Rows: every name rows.h and sysrows.h define, and no other word.
mapfile -t rows < <(sed -n 's/.*X([a-z0-9_]*, "\([a-z0-9_]*\)",.*/\1/p' \
	"$src_dir/include/syswatch/rows.h" "$src_dir/include/syswatch/sysrows.h" | sort -u)
got=$(complete_line "syswatch run -e trace=" | sed 's/^trace=//' | grep -v '^%' | grep -vxE 'all|none' | sort -u)
check "-e trace= offers exactly the ${#rows[@]} rows of rows.h" \
	diff <(printf '%s\n' "${rows[@]}") <(printf '%s\n' "$got")
only "-e trace=fut offers only rows starting with fut" "syswatch run -e trace=fut" '^trace=fut'
offers "-e trace=fut offers futex" "syswatch report -e trace=fut" trace=futex
offers "-e trace=openat,fu completes the list's last item" "syswatch run -e trace=openat,fu" trace=openat,futex
offers "-e trace=!fu keeps the negation" "syswatch run -e trace=!fu" 'trace=!futex'
offers "-e fut (trace= implied) offers futex" "syswatch run -e fut" futex
offers "-e offers trace= and status=" "syswatch run -e " trace= status=
offers "-e status=f offers failed" "syswatch run -e status=f" status=failed

# Classes: the ones --help names.
mapfile -t classes < <(grep -oE '%[a-z]+' <<<"$help" | sort -u)
offers "-e trace=% offers the classes of --help (${classes[*]})" "syswatch run -e trace=%" \
	"${classes[@]/#/trace=}"

# Columns and sort keys: those the -S help line names.
mapfile -t keys < <(grep -E '^ *-S, --sort' <<<"$help" | grep -oE '(time|calls|errors|name|min|max|avg|none)' | sort -u)
offers "-S offers the sort keys of --help (${keys[*]})" "syswatch report -S " "${keys[@]}"
offers "-U name,ca completes the column list" "syswatch run -U name,ca" name,calls
offers "export --format offers chrome and html" "syswatch export --format " chrome html
offers "report --format offers text and json" "syswatch report --format " text json
offers "run -- offers commands" "syswatch run -- tru" true
offers "report offers files" "syswatch report $src_dir/READ" "$src_dir/README.md"
finish
