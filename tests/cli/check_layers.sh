#!/bin/sh
# tools/layers.sh (make layers) passes a clean tree and fails each kind of
# breach: a call up the layers, a library a layer may not use, another
# folder's internal header.  Runs on a small tree of its own in $T, built
# with cc -c; then the real build under test, as is and with one call up.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
S=$T/src
BD=$T/build
CC=${CC:-cc}

# add FILE CODE: write a source; a .c is compiled into $BD/FOLDER/NAME.o
add() {
	mkdir -p "$S/${1%/*}" "$BD/${1%/*}"
	printf '%s\n' "$2" >"$S/$1"
	case $1 in
	*.c) $CC -c -I"$S/include" -I"$S" -o "$BD/${1%.c}.o" "$S/$1" || fail "cc -c $1" ;;
	esac
}
drop() { rm -f "$S/$1" "$BD/${1%.c}.o"; }
check() {
	sh "$top/tools/layers.sh" "$BD" "$S" >"$OUT" 2>"$ERR"
	RC=$?
}
# breach FILE CODE LINE WHAT: adding FILE fails the check with exactly LINE
breach() {
	add "$1" "$2"
	check
	expect_rc 1 "$4: fails"
	expect_out "$3" "$4: says so"
	expect_out "layers: $objects objects, 1 problems" "$4: one problem"
	drop "$1"
}

# a clean tree: each layer uses the ones below and the libraries it may
add base/str.c '#include <string.h>
int tz_str_len(const char *s);
int tz_str_len(const char *s) { return (int)strlen(s); }'
add core/internal.h 'int tz_db_private(void);'
add include/tz/core.h 'int tz_db_open(void);'
add core/db.c '#include "internal.h"
#include "tz/core.h"
int sqlite3_open(const char *, void **);
int tz_str_len(const char *);
int tz_db_private(void) { return 1; }
int tz_db_open(void) { void *db; return sqlite3_open("x", &db) + tz_str_len("x"); }'
add sync/bundle.c '#include "tz/core.h"
int compress(unsigned char *, unsigned long *, const unsigned char *, unsigned long);
int tz_bundle_run(void);
int tz_bundle_run(void) { unsigned long n = 0; return compress(0, &n, 0, 0) + tz_db_open(); }'
add tui/ui.h 'int tz_ui_private(void);'
add include/tz/tui.h 'int tz_ui_main(void);'
add tui/ui.c '#include "ui.h"
#include "tui/ui.h"
#include "tz/tui.h"
void *initscr(void);
int tz_bundle_run(void);
int tz_ui_main(void) { return initscr() != 0 && tz_bundle_run() == 0; }'
add cli/main.c '#include "tz/tui.h"
#include "tz/core.h"
int tz_str_len(const char *);
int tz_main_version(void);
int tz_main_version(void) { return 1; }
int main(void) { return tz_ui_main() + tz_db_open() + tz_str_len("x") + tz_main_version(); }'
# tests/ and bench/ are white-box: they may include internal headers
add tests/unit/test_db.c '#include "core/internal.h"
#include "../../core/internal.h"
int main(void) { return tz_db_private(); }'
add bench/b.c '#include "core/internal.h"'
objects=5

check
expect_rc 0 "a clean tree passes"
expect_eq "$(cat "$OUT")" "layers: $objects objects, 0 problems" "a clean tree: only the summary"
expect_eq "$(cat "$ERR")" "" "a clean tree: nothing on stderr"

objects=6
breach base/up.c 'int tz_db_open(void);
int tz_up(void);
int tz_up(void) { return tz_db_open(); }' \
	'layers: base/up.o calls tz_db_open (core/), a higher layer' "base calling core"
breach core/up.c 'int tz_bundle_run(void);
int tz_up(void);
int tz_up(void) { return tz_bundle_run(); }' \
	'layers: core/up.o calls tz_bundle_run (sync/), a higher layer' "core calling sync"
breach tui/up.c 'int tz_main_version(void);
int tz_up(void);
int tz_up(void) { return tz_main_version(); }' \
	'layers: tui/up.o calls tz_main_version (cli/), a higher layer' "tui calling cli"
breach base/db.c 'int sqlite3_open(const char *, void **);
int tz_db(void);
int tz_db(void) { void *db; return sqlite3_open("x", &db); }' \
	'layers: base/db.o uses sqlite3_open (SQLite), which base/ may not' "base using SQLite"
breach base/z.c 'unsigned long crc32(unsigned long, const unsigned char *, unsigned);
unsigned long tz_z(void);
unsigned long tz_z(void) { return crc32(0, 0, 0); }' \
	'layers: base/z.o uses crc32 (zlib), which base/ may not' "base using zlib"
breach core/scr.c 'void *initscr(void);
int tz_scr(void);
int tz_scr(void) { return initscr() != 0; }' \
	'layers: core/scr.o uses initscr (curses), which core/ may not' "core using curses"
breach cli/scr.c 'int endwin(void);
int tz_scr(void);
int tz_scr(void) { return endwin(); }' \
	'layers: cli/scr.o uses endwin (curses), which cli/ may not' "cli using curses"
breach tui/sql.c 'int sqlite3_exec(void *, const char *, void *, void *, char **);
int tz_sql(void);
int tz_sql(void) { return sqlite3_exec(0, "select 1", 0, 0, 0); }' \
	'layers: tui/sql.o uses sqlite3_exec (SQLite), which tui/ may not' "tui writing SQL"

objects=5
breach sync/inc.h '#include "core/internal.h"' \
	'layers: sync/inc.h includes core/internal.h, internal to core/' "sync including core/internal.h"
objects=6
breach sync/inc.c '#include "../core/internal.h"' \
	'layers: sync/inc.c includes core/internal.h, internal to core/' "sync including ../core/internal.h"
breach core/inc.c '#include "tui/ui.h"' \
	'layers: core/inc.c includes tui/ui.h, internal to tui/' "core including tui/ui.h"

# names: tz_<module>_ of the file, internal names stay in their folder
objects=6
breach core/event.c 'int tz_record_find(void);
int tz_record_find(void) { return 0; }' \
	'layers: core/event.o defines tz_record_find, not tz_event_...' "a name of another module"
breach sync/bundle_read.c 'int tz_bundle_read_one(void);
int tz_bundle_peek(void);
int tz_bundle_read_one(void) { return 0; }
int tz_bundle_peek(void) { return 0; }
int tz_read_all(void);
int tz_read_all(void) { return 0; }' \
	'layers: sync/bundle_read.o defines tz_read_all, not tz_bundle_read_...' \
	"a split module: its part and its family are fine, another prefix is not"
breach core/fail.c 'int tz_fail(void);
int tz_fail(void) { return 0; }' \
	'layers: core/fail.o defines tz_fail, which only base/err.o may' "the vocabulary of base/err.c defined elsewhere"
add sync/kr.c 'int kr_word(void);
int kr_word(void) { return 0; }'
objects=7
breach cli/key.c 'int kr_word(void);
int tz_key_run(void);
int tz_key_run(void) { return kr_word(); }' \
	'layers: cli/key.o uses kr_word, internal to sync/' "an internal name used from another folder"
drop sync/kr.c
objects=5

# the tree is clean again; without objects or without curses it says why
check
expect_rc 0 "clean again"
sh "$top/tools/layers.sh" "$T/nothing" "$S" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 2 "no build directory"
expect_err "layers: no objects under $T/nothing/" "no build directory: says so"
PKG_CONFIG=false CC=false sh "$top/tools/layers.sh" "$BD" "$S" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 2 "curses not found"
expect_err "layers: cannot find -lncursesw" "curses not found: says so"

# the real tree: the objects of the build under test (make test builds them
# all) keep the layers; a copy with one more core object that calls up into
# sync/ does not
RB=$(dirname "$TAIZHANG")
n_real=0
for o in $(find "$RB/base" "$RB/core" "$RB/sync" "$RB/tui" "$RB/cli" -name '*.o'); do
	c=${o#"$RB"/}
	[ -e "$top/${c%.o}.c" ] && n_real=$((n_real + 1))
done
sh "$top/tools/layers.sh" "$RB" "$top" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the real tree keeps its layers"
expect_out "layers: $n_real objects, 0 problems" "the real tree: every object read, no problem"
mkdir -p "$T/real" "$T/realsrc"
for f in base core sync tui cli; do cp -R "$RB/$f" "$T/real/$f"; done
for f in base core sync tui cli include; do cp -R "$top/$f" "$T/realsrc/$f"; done
printf '%s\n' '#include "taizhang/bundle.h"' 'int tz_upcall(void);' \
	'int tz_upcall(void) { return tz_bundle_export(0, 0, "", 0, 0, 0, 0, 0); }' \
	>"$T/realsrc/core/upcall.c"
$CC -c -I"$top/include" -o "$T/real/core/upcall.o" "$T/realsrc/core/upcall.c" || fail "cc -c upcall.c"
# an object left from a source since renamed is not linked, and not read
cp "$T/real/core/upcall.o" "$T/real/core/renamed_away.o"
sh "$top/tools/layers.sh" "$T/real" "$T/realsrc" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "the real tree with a core object calling sync/: fails"
expect_out "layers: core/upcall.o calls tz_bundle_export (sync/), a higher layer" \
	"the real tree with a core object calling sync/: names the call"
expect_out "layers: $((n_real + 1)) objects, 1 problems" "the real tree with the upcall: one problem"
finish
