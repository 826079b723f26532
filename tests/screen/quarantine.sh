#!/bin/sh
# The sync screen's import (F6) is the command line's: changes held back
# because their clock was far ahead (quarantined) are released once this
# PC's clock has caught up, by the next import from the screen as by
# `taizhang import` (tz_bundle_import_files, bundle.h).  A village whose
# clock ran five days ahead exports; the township imports (held back); ten
# days later one copy of the township imports the same stick again on the
# command line, another from the screen: both hold the same records.
. "$(dirname "$0")/../cli/lib.sh"
VDB=$T/village.db
TDB=$T/township.db
STICK=$T/stick
mkdir "$STICK" "$T/out-tui"
tzv() { DB=$VDB; tz "$@"; }
tzt() { DB=$TDB; tz "$@"; }

tzv init --role village --region 430181100201 --name 石门村
tzt init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init"
tzv key export-public "$T/village.pub"
tzt key export-public "$T/township.pub"
tzt keyring add "$T/village.pub" --role village --region 430181100201
expect_rc 0 "the township enrols the village"
tzv keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 0 "the village enrols the township"

# the village's clock runs five days ahead
export TAIZHANG_NOW=2026-06-20
tzv record add household village=430181100201 address=一组12号 head_name=刘大山
expect_rc 0 "a household recorded five days ahead"
tzv export --out "$STICK"
expect_rc 0 "export"
export TAIZHANG_NOW=2026-06-15
tzt import "$STICK"
expect_rc 0 "the township imports"
expect_out " quarantined=" "the household is held back"
tzt record list household
expect_eq "$(($(wc -l <"$OUT") - 1))" 0 "and not in the township's records"
cp "$TDB" "$T/township-tui.db"

# ten days later: the command line, then the screen, on two copies
export TAIZHANG_NOW=2026-06-25
tzt import "$STICK"
expect_rc 0 "the command line imports again"
expect_out "released	" "and releases what was held back"
tzt dump
cp "$OUT" "$T/dump-cli"
tzt check
expect_eq "$(grep -c '^quarantine' "$OUT")" 0 "nothing held back after the command line's import"
expect_out "to review (clock_ahead): device " "the fast device stays listed for review"
cat >"$T/import.keys" <<KEYS
key F6
key F3
type $STICK
key Enter
key F6
type $TAIZHANG_PASSPHRASE
key Enter
save imported.txt
KEYS
(cd "$T/out-tui" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$T/import.keys" \
	"$TAIZHANG" --lang en --db "$T/township-tui.db" >/dev/null 2>&1)
grep -q "Imported: 0 applied, 1 already present, 0 refused" "$T/out-tui/imported.txt" && pass ||
	fail "the screen imported the stick ($(grep -i import "$T/out-tui/imported.txt" | head -3))"
DB=$T/township-tui.db
tz dump
expect_eq "$(cmp -s "$OUT" "$T/dump-cli" && echo same)" same \
	"after the screen's import the township holds what the command line's import gave it"
tz record list household
expect_out "刘大山" "the held-back household is in the records"
tz check
expect_eq "$(grep -c '^quarantine' "$OUT")" 0 "nothing held back after the screen's import"
expect_out "to review (clock_ahead): device " "the fast device stays listed for review (screen)"
finish
