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
int tz_base_len(const char *s);
int tz_base_len(const char *s) { return (int)strlen(s); }'
add core/internal.h 'int tz_core_private(void);'
add include/tz/core.h 'int tz_core_open(void);'
add core/db.c '#include "internal.h"
#include "tz/core.h"
int sqlite3_open(const char *, void **);
int tz_base_len(const char *);
int tz_core_private(void) { return 1; }
int tz_core_open(void) { void *db; return sqlite3_open("x", &db) + tz_base_len("x"); }'
add sync/bundle.c '#include "tz/core.h"
int compress(unsigned char *, unsigned long *, const unsigned char *, unsigned long);
int tz_sync_run(void);
int tz_sync_run(void) { unsigned long n = 0; return compress(0, &n, 0, 0) + tz_core_open(); }'
add tui/ui.h 'int tz_tui_private(void);'
add include/tz/tui.h 'int tz_tui_main(void);'
add tui/ui.c '#include "ui.h"
#include "tui/ui.h"
#include "tz/tui.h"
void *initscr(void);
int tz_sync_run(void);
int tz_tui_main(void) { return initscr() != 0 && tz_sync_run() == 0; }'
add cli/main.c '#include "tz/tui.h"
#include "tz/core.h"
int tz_base_len(const char *);
int tz_cli_version(void);
int tz_cli_version(void) { return 1; }
int main(void) { return tz_tui_main() + tz_core_open() + tz_base_len("x") + tz_cli_version(); }'
# tests/ and bench/ are white-box: they may include internal headers
add tests/unit/test_db.c '#include "core/internal.h"
#include "../../core/internal.h"
int main(void) { return tz_core_private(); }'
add bench/b.c '#include "core/internal.h"'
objects=5

check
expect_rc 0 "a clean tree passes"
expect_eq "$(cat "$OUT")" "layers: $objects objects, 0 problems" "a clean tree: only the summary"
expect_eq "$(cat "$ERR")" "" "a clean tree: nothing on stderr"

objects=6
breach base/up.c 'int tz_core_open(void);
int tz_base_up(void);
int tz_base_up(void) { return tz_core_open(); }' \
	'layers: base/up.o calls tz_core_open (core/), a higher layer' "base calling core"
breach core/up.c 'int tz_sync_run(void);
int tz_core_up(void);
int tz_core_up(void) { return tz_sync_run(); }' \
	'layers: core/up.o calls tz_sync_run (sync/), a higher layer' "core calling sync"
breach tui/up.c 'int tz_cli_version(void);
int tz_tui_up(void);
int tz_tui_up(void) { return tz_cli_version(); }' \
	'layers: tui/up.o calls tz_cli_version (cli/), a higher layer' "tui calling cli"
breach base/db.c 'int sqlite3_open(const char *, void **);
int tz_base_db(void);
int tz_base_db(void) { void *db; return sqlite3_open("x", &db); }' \
	'layers: base/db.o uses sqlite3_open (SQLite), which base/ may not' "base using SQLite"
breach base/z.c 'unsigned long crc32(unsigned long, const unsigned char *, unsigned);
unsigned long tz_base_crc(void);
unsigned long tz_base_crc(void) { return crc32(0, 0, 0); }' \
	'layers: base/z.o uses crc32 (zlib), which base/ may not' "base using zlib"
breach core/scr.c 'void *initscr(void);
int tz_core_scr(void);
int tz_core_scr(void) { return initscr() != 0; }' \
	'layers: core/scr.o uses initscr (curses), which core/ may not' "core using curses"
breach cli/scr.c 'int endwin(void);
int tz_cli_scr(void);
int tz_cli_scr(void) { return endwin(); }' \
	'layers: cli/scr.o uses endwin (curses), which cli/ may not' "cli using curses"
breach tui/sql.c 'int sqlite3_exec(void *, const char *, void *, void *, char **);
int tz_tui_sql(void);
int tz_tui_sql(void) { return sqlite3_exec(0, "select 1", 0, 0, 0); }' \
	'layers: tui/sql.o uses sqlite3_exec (SQLite), which tui/ may not' "tui writing SQL"

objects=5
breach sync/inc.h '#include "core/internal.h"' \
	'layers: sync/inc.h includes core/internal.h, internal to core/' "sync including core/internal.h"
objects=6
breach sync/inc.c '#include "../core/internal.h"' \
	'layers: sync/inc.c includes core/internal.h, internal to core/' "sync including ../core/internal.h"
breach core/inc.c '#include "tui/ui.h"' \
	'layers: core/inc.c includes tui/ui.h, internal to tui/' "core including tui/ui.h"

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
n_real=$(find "$RB/base" "$RB/core" "$RB/sync" "$RB/tui" "$RB/cli" -name '*.o' | wc -l)
sh "$top/tools/layers.sh" "$RB" "$top" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the real tree keeps its layers"
expect_out "layers: $n_real objects, 0 problems" "the real tree: every object read, no problem"
mkdir -p "$T/real"
for f in base core sync tui cli; do cp -R "$RB/$f" "$T/real/$f"; done
printf '%s\n' '#include "taizhang/bundle.h"' 'int tz_core_upcall(void);' \
	'int tz_core_upcall(void) { return tz_bundle_export(0, 0, "", 0, 0, 0, 0, 0); }' >"$T/upcall.c"
$CC -c -I"$top/include" -o "$T/real/core/upcall.o" "$T/upcall.c" || fail "cc -c upcall.c"
sh "$top/tools/layers.sh" "$T/real" "$top" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "the real tree with a core object calling sync/: fails"
expect_out "layers: core/upcall.o calls tz_bundle_export (sync/), a higher layer" \
	"the real tree with a core object calling sync/: names the call"
expect_out "layers: $((n_real + 1)) objects, 1 problems" "the real tree with the upcall: one problem"
finish
