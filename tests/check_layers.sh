#!/bin/sh
# check_layers.sh COLLECTOR_DIR [OBJ_DIR] - the collector keeps to the
# folders of COLLECTOR_DIR/layers.txt: data flows one way, down the folders.
#
# Fails (exit 1, one line per problem naming file and line) on:
#   - a folder layers.txt uses before declaring it, or a "may use" list
#     that is not closed (a folder must also use what the folders it uses
#     use, or their headers would not compile);
#   - a .c or .h outside the declared folders, or two files of one name
#     (headers are included by bare name, so names must be unique);
#   - an #include of a header of a folder the including folder may not use
#     (an upward include), or of another folder's private header (*_int.h,
#     or one not in the folder's "| public" list);
#   - with OBJ_DIR (the build's collector/ directory): a call or reference
#     from one object file to a symbol of a folder its folder may not use,
#     a .c with no object in its folder's library, and any circle between
#     object files (undefined symbol -> the object that defines it).
#
# Run by ctest (check_layers) and by make lint; tests/test_check_layers.sh
# shows it failing on planted faults.
set -eu

src=${1:?usage: check_layers.sh COLLECTOR_DIR [OBJ_DIR]}
obj=${2:-}
layers=$src/layers.txt
if [ ! -f "$layers" ]; then
	echo "check_layers: $layers: no such file" >&2
	exit 2
fi
if [ -n "$obj" ] && ! command -v nm >/dev/null; then
	echo "check_layers: nm not found (Debian package binutils)" >&2
	exit 2
fi

tab=$(printf '\t')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Every fact as one tab-separated line, tagged: L (a line of layers.txt),
# F (a file), I (an include); with objects, P (an object and its source),
# C (a .c that needs one), D and U (a symbol an object defines or needs).
{
	grep -v '^[[:space:]]*#' "$layers" | grep '[^[:space:]]' | sed "s/^/L$tab/"
	(cd "$src" && find . -name '*.[ch]' | sed 's|^\./||' | sort) >"$tmp/files"
	sed "s/^/F$tab/" "$tmp/files"
	while read -r f; do
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src/$f" |
			sed "s|^\([0-9]*\):[^\"]*\"\([^\"]*\)\".*|I$tab$f$tab\1$tab\2|" || true
	done <"$tmp/files"
	if [ -n "$obj" ]; then
		# Objects sit at OBJ/<folder>/CMakeFiles/<target>.dir/<file>.c.o.
		find "$obj" -path '*/CMakeFiles/*' -name '*.c.o' | sort >"$tmp/objs"
		sed -e "s|^$obj/||" -e 's|/CMakeFiles/.*/\([^/]*\)\.o$|/\1|' "$tmp/objs" |
			paste "$tmp/objs" - | sed "s/^/P$tab/"
		grep '\.c$' "$tmp/files" | sed "s/^/C$tab/"
		if [ -s "$tmp/objs" ]; then
			# shellcheck disable=SC2046 # one nm for all objects
			nm -P -g -A $(cat "$tmp/objs") | sed 's/: / /' |
				awk -v OFS="$tab" '$3 == "U" || $3 == "w" || $3 == "v" { print "U", $1, $2; next }
					{ print "D", $1, $2 }'
		fi
	fi
} >"$tmp/facts"

awk -F "$tab" -v layers="$layers" -v have_obj="${obj:+1}" '
function fail(msg) { print "check_layers: " msg; bad++ }
function folder_of(p) { if (!sub(/\/[^\/]*$/, "", p)) p = "."; return p }
function base_of(p) { sub(/^.*\//, "", p); return p }
function may_use(s, t) { return s == t || ((s, t) in uses) }

# Depth-first walk of the object graph; a neighbour on the stack closes
# a circle, printed from that neighbour round to it again.
function walk(v,    n, k, list, w, i, msg) {
	color[v] = 1; stack[++sp] = v; pos[v] = sp
	n = split(adj[v], list, " ")
	for (k = 1; k <= n; k++) {
		w = list[k]
		if (color[w] == 1) {
			msg = "circle: "
			for (i = pos[w]; i <= sp; i++)
				msg = msg stack[i] " -> "
			msg = msg w " ("
			for (i = pos[w]; i < sp; i++)
				msg = msg esym[stack[i], stack[i + 1]] ", "
			fail(msg esym[v, w] ")")
		} else if (!color[w]) {
			walk(w)
		}
	}
	sp--; color[v] = 2
}

$1 == "L" {
	line = $2; pub = ""
	if (index(line, "|")) { pub = substr(line, index(line, "|") + 1); line = substr(line, 1, index(line, "|") - 1) }
	if (!index(line, ":")) { fail(layers ": not \"folder: uses | public\": " $2); next }
	f = substr(line, 1, index(line, ":") - 1); gsub(/[[:space:]]/, "", f)
	if (f in order) { fail(layers ": " f " declared twice"); next }
	n = split(substr(line, index(line, ":") + 1), u, " ")
	for (k = 1; k <= n; k++) {
		if (!(u[k] in order))
			fail(layers ": " f " uses " u[k] ", which is not declared above it")
		uses[f, u[k]] = 1; uselist[f] = uselist[f] " " u[k]
	}
	n = split(pub, p, " ")
	for (k = 1; k <= n; k++) { public[f, p[k]] = 1; has_public[f] = 1 }
	order[f] = ++nfolders; folders[nfolders] = f
	next
}
$1 == "F" {
	d = folder_of($2); b = base_of($2)
	if (d == ".")
		fail($2 ": outside the folders (git mv it into the folder of its stage)")
	else if (!(d in order))
		fail($2 ": folder " d " is not in " layers)
	if (b in where)
		fail($2 ": another file has this name (" where[b] "); headers are included by bare name")
	where[b] = $2; is_file[$2] = 1; nfiles++
	next
}
$1 == "I" {
	b = base_of($4)
	if (!(b in where)) next   # a header from outside the collector
	s = folder_of($2); t = folder_of(where[b]); nincl++
	if (s == t) next
	if (!may_use(s, t))
		fail($2 ":" $3 ": includes " where[b] ": " s " may not use " t " (" layers ")")
	else if (b ~ /_int\.h$/ || (has_public[t] && !((t, b) in public)))
		fail($2 ":" $3 ": includes " where[b] ", private to " t)
	next
}
$1 == "P" { if ($3 in is_file) src[$2] = $3; has_obj[$3] = 1; next }
$1 == "C" { if (!($2 in has_obj)) fail($2 ": no object in the build (is it in its folder'"'"'s CMakeLists.txt?)"); next }
$1 == "D" { if (($2 in src) && !($3 in def)) def[$3] = src[$2]; next }
$1 == "U" { if ($2 in src) { nu++; ufile[nu] = src[$2]; usym[nu] = $3 }; next }

END {
	# Closed lists: what a used folder uses, the user uses too.
	for (i = 1; i <= nfolders; i++) {
		f = folders[i]; n = split(uselist[f], u, " ")
		for (k = 1; k <= n; k++) {
			m = split(uselist[u[k]], uu, " ")
			for (j = 1; j <= m; j++)
				if (!((f, uu[j]) in uses))
					fail(layers ": " f " uses " u[k] " but not " uu[j] ", which " u[k] " uses")
		}
	}
	for (i = 1; i <= nu; i++) {
		s = ufile[i]; sym = usym[i]
		if (!(sym in def) || def[sym] == s) continue
		t = def[sym]
		if (!((s, t) in esym)) {
			esym[s, t] = sym; adj[s] = adj[s] " " t; nedges++
			if (!may_use(folder_of(s), folder_of(t)))
				fail(s ": uses " sym " of " t ": " folder_of(s) " may not use " folder_of(t) " (" layers ")")
		}
	}
	for (node in adj)
		if (!color[node]) walk(node)
	if (bad) { print "check_layers: " bad " problem(s)"; exit 1 }
	printf "check_layers: %d files in %d folders, %d includes", nfiles, nfolders, nincl
	if (have_obj) printf ", %d uses between object files", nedges
	print ": no upward include, no private header used outside its folder" (have_obj ? ", no circle" : "")
}' "$tmp/facts"
