#!/bin/sh
# layers.sh - check that the tree keeps its layers (docs/style.md, "Layers").
# Usage: tools/layers.sh [BUILD_DIR [SOURCE_ROOT]]        (build and .)
#
# The folders are layers, lowest first; the table below gives each its rank.
# A layer may use the ones below it, never the ones above, so each can be read,
# tested and replaced without the rest.  From the objects in BUILD_DIR/<folder>/
# (nm) and the sources' #include lines, this checks:
#   1. calls go down only: an object may not use a global symbol defined in a
#      folder of higher rank (core calling sync, tui calling cli, base calling
#      anything of ours);
#   2. libraries by layer: the objects of a folder may not use the libraries
#      its row bans: base/ is libc only, curses belongs to tui/ alone, and
#      tui/ never writes SQL.  SQLite's symbols are sqlite3_*; those of curses,
#      zlib and libsodium are what their shared libraries define (found the way
#      the linker finds them: pkg-config, then cc -print-file-name);
#   3. internal headers stay inside their module: a header in one of these
#      folders (not in include/) may be included, with quotes, only from its
#      own folder.  tests/ and bench/ are white-box and not checked.
#   4. names (docs/style.md, "Names"): a global name an object defines is
#      tz_<module> or tz_<module>_..., the module being the file's name or the
#      part of it before an underscore (sync/bundle_read.o: tz_bundle_read_...
#      or tz_bundle_...); a name without tz_ is internal to its folder, and no
#      object of another folder may use it.  The exceptions: main, and the
#      short vocabulary of base/err.c that nearly every file speaks (listed
#      below as "vocab").
# Prints one line per problem and a closing "layers: N objects, M problems";
# exits 0 when clean, 1 on problems, 2 when it cannot check.
set -u
B=${1:-build}
SRC=${2:-.}
CC=${CC:-cc}
NM=${NM:-nm}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

# folder  rank  libraries its objects may not use
layers='
base  1  sqlite curses zlib sodium
core  2  curses
sync  3  curses
tui   4  sqlite
cli   5  curses
'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
die() {
	echo "layers: $*" >&2
	exit 2
}

# lib_syms NAME PKG FALLBACK: "NAME symbol" for every symbol the libraries of
# pkg-config package PKG (else the -l flags FALLBACK) define, following linker
# scripts (a libfoo.so that is text: INPUT(libfoo.so.6 -lbar)).
lib_syms() {
	lname=$1
	pkg=$2
	todo=$($PKG_CONFIG --libs-only-l "$pkg" 2>/dev/null) || todo=$3
	seen=""
	dir=""
	while set -- $todo && [ $# -gt 0 ]; do
		item=$1
		shift
		todo=$*
		case $item in
		-l*) f=$($CC -print-file-name="lib${item#-l}.so") ;;
		/*) f=$item ;;
		*) f=$dir/$item && [ -e "$f" ] || f=$($CC -print-file-name="$item") ;;
		esac
		case $f in
		/*) [ -e "$f" ] || die "cannot find $item for $pkg (install its -dev package)" ;;
		*) die "cannot find $item for $pkg (install its -dev package)" ;;
		esac
		case " $seen " in *" $f "*) continue ;; esac
		seen="$seen $f"
		case $f in
		*.a) nm_lib="$NM -g --defined-only -P" ;;
		*) nm_lib="$NM -D --defined-only -P" ;;
		esac
		if $nm_lib "$f" >"$tmp/nm.lib" 2>/dev/null; then
			awk -v lib="$lname" 'NF > 1 && $2 != "A" { sub(/@.*/, "", $1); print lib, $1 }' "$tmp/nm.lib"
		elif grep -Eq '^[[:space:]]*(INPUT|GROUP)' "$f"; then
			dir=${f%/*}
			todo="$todo $(awk '{ t = t " " $0 } END {
				gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", t); gsub(/[(),]/, " ", t)
				n = split(t, w, " ")
				for (i = 1; i <= n; i++)
					if (w[i] ~ /^-l/ || w[i] ~ /\.so(\.[0-9]+)*$/ || w[i] ~ /\.a$/) print w[i]
			}' "$f")"
		else
			die "$f is neither a shared library nor a linker script"
		fi
	done
}
lib_syms curses ncursesw '-lncursesw -ltinfo' >"$tmp/libs" || exit 2
lib_syms zlib zlib -lz >>"$tmp/libs" || exit 2
lib_syms sodium libsodium -lsodium >>"$tmp/libs" || exit 2

# the objects and sources of the folders that exist
objs=""
srcs=""
for f in $(echo "$layers" | awk 'NF { print $1 }'); do
	# only the objects of sources that exist: a build folder kept across a
	# rename still holds the old objects, which are no longer linked
	for o in $([ -d "$B/$f" ] && find "$B/$f" -name '*.o' | sort); do
		c=${o#"$B"/}
		[ -e "$SRC/${c%.o}.c" ] && objs="$objs $o"
	done
	[ -d "$SRC/$f" ] && srcs="$srcs $f"
done
set -- $objs
[ $# -gt 0 ] || die "no objects under $B/ (run make first)"
nobjs=$#
$NM -P -A "$@" >"$tmp/nm" 2>"$tmp/nm.err" || die "nm failed: $(head -n 1 "$tmp/nm.err")"
# every file a quote include could name, then the quote includes themselves
: >"$tmp/files"
: >"$tmp/incs"
if [ -n "$srcs" ]; then
	dirs=$srcs
	[ -d "$SRC/include" ] && dirs="$dirs include"
	(cd "$SRC" && find $dirs -type f) >"$tmp/files"
	(cd "$SRC" && find $srcs -type f \( -name '*.c' -o -name '*.h' \) | sort |
		xargs grep -H '^[[:space:]]*#[[:space:]]*include[[:space:]]*"') >"$tmp/incs"
fi

awk -v layers="$layers" -v B="$B/" -v objects=$nobjs '
function folder(path) { sub(/\/.*/, "", path); return path }
# the module names of an object, longest first: bundle_read.o -> bundle_read bundle
function modules(obj, out,   f, n, p, i, m) {
	f = obj; sub(/.*\//, "", f); sub(/\.o$/, "", f)
	n = split(f, p, "_"); m = ""
	for (i = 1; i <= n; i++) { m = i == 1 ? p[1] : m "_" p[i]; out[n - i + 1] = m }
	return n
}
function prefix(obj,   m, n) { n = modules(obj, m); return "tz_" m[1] }
function named(obj, s,   m, n, i) {
	if (s in vocab) return vocab[s] == obj
	if (s !~ /^tz_/) return 1 # internal: checked where it is used
	n = modules(obj, m)
	for (i = 1; i <= n; i++)
		if (s == "tz_" m[i] || index(s, "tz_" m[i] "_") == 1) return 1
	return 0
}
# path with . and .. taken out
function norm(p,   n, a, i, k, out) {
	n = split(p, a, "/")
	k = 0
	for (i = 1; i <= n; i++) {
		if (a[i] == "" || a[i] == ".") continue
		if (a[i] == "..") { if (k > 0) k--; continue }
		a[++k] = a[i]
	}
	out = ""
	for (i = 1; i <= k; i++) out = out (i > 1 ? "/" : "") a[i]
	return out
}
function problem(s) { print "layers: " s; problems++ }
BEGIN {
	n = split(layers, row, "\n")
	for (i = 1; i <= n; i++) {
		if (split(row[i], w, " ") < 2) continue
		rank[w[1]] = w[2]
		for (j = 3; j in w; j++) banned[w[1], w[j]] = 1
	}
	n = split("tz_fail tz_fail_code tz_nomem tz_tr tz_trf tz_strerror tz_status_exit " \
		  "tz_status_msg tz_lang_get tz_lang_set tz_lang_from_env", w, " ")
	for (i = 1; i <= n; i++) vocab[w[i]] = "base/err.o"
	vocab["main"] = "cli/main.o"
	libname["sqlite"] = "SQLite"; libname["curses"] = "curses"
	libname["zlib"] = "zlib"; libname["sodium"] = "libsodium"
}
FILENAME ~ /libs$/ { lib[$2] = $1; next }
FILENAME ~ /files$/ { exists[$0] = 1; next }
FILENAME ~ /incs$/ {
	# core/db.c:#include "core/internal.h": looked for beside the file,
	# in include/, then at the root (the Makefile: -Iinclude -I.)
	file = $0; sub(/:.*/, "", file)
	inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	dir = file; sub(/\/[^\/]*$/, "", dir)
	if ((p = norm(dir "/" inc)) in exists || (p = norm("include/" inc)) in exists ||
	    (p = norm(inc)) in exists)
		if (folder(p) in rank && folder(p) != folder(file))
			problem(file " includes " p ", internal to " folder(p) "/")
	next
}
{	# nm -P -A: "build/core/store.o: tz_db_open T 0 10"
	obj = $1; sub(/:$/, "", obj)
	if (index(obj, B) == 1) obj = substr(obj, length(B) + 1)
	if ($3 == "U" || $3 == "w" || $3 == "v") { refs++; robj[refs] = obj; rsym[refs] = $2 }
	else if ($3 ~ /^[A-Z]$/ && !($2 in owner)) {
		owner[$2] = folder(obj)
		if (($2 in vocab) && vocab[$2] != obj)
			problem(obj " defines " $2 ", which only " vocab[$2] " may")
		else if (!named(obj, $2))
			problem(obj " defines " $2 ", not " prefix(obj) "_...")
	}
}
END {
	for (i = 1; i <= refs; i++) {
		me = folder(robj[i]); s = rsym[i]
		if (s in owner && rank[owner[s]] > rank[me])
			problem(robj[i] " calls " s " (" owner[s] "/), a higher layer")
		else if (s in owner && owner[s] != me && s !~ /^tz_/ && !(s in vocab))
			problem(robj[i] " uses " s ", internal to " owner[s] "/")
		# (a symbol of ours that a library also defines is ours)
		l = (s in owner) ? "" : s ~ /^sqlite3_/ ? "sqlite" : (s in lib) ? lib[s] : ""
		if (l != "" && (me, l) in banned)
			problem(robj[i] " uses " s " (" libname[l] "), which " me "/ may not")
	}
	print "layers: " objects + 0 " objects, " problems + 0 " problems"
	exit (problems > 0)
}' "$tmp/libs" "$tmp/files" "$tmp/incs" "$tmp/nm"
