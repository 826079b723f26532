#!/bin/sh
# The installed program has no test hooks (#14 item 10): `make release`
# (what `make install` installs) builds build-release/taizhang without
# TAIZHANG_NOW and TAIZHANG_TUI_SCRIPT.  With the hook, a township PC could
# be told any date and so apply changes whose clock runs days ahead, which
# it must hold back; the release build keeps holding them back.
. "$(dirname "$0")/lib.sh"
REL=$(cd "$(dirname "$0")/../.." && pwd)/build-release/taizhang
if [ ! -x "$REL" ]; then
	fail "no release build at $REL (make release)"
	finish
	exit 1
fi
for hook in TAIZHANG_NOW TAIZHANG_TUI_SCRIPT TAIZHANG_TUI_TIMING; do
	n=$(grep -c -a "$hook" "$REL")
	expect_eq "$n" 0 "the release binary does not read $hook"
done
n=$(grep -c -a TAIZHANG_NOW "$TAIZHANG")
[ "$n" -gt 0 ] && pass || fail "the test build reads TAIZHANG_NOW (the check above can tell)"

# a village whose PC runs three days ahead of the real clock
ahead=$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%S)
V=$T/v.db
W=$T/t.db
export TAIZHANG_NOW="$ahead"
DB=$V tz init --role village --region 430181100201 --name 石门村
DB=$W tz init --role township --region 430181100000 --name 城关镇
DB=$V tz key export-public "$T/v.pub"
DB=$W tz key export-public "$T/t.pub"
DB=$W tz keyring add "$T/v.pub" --role village --region 430181100201
DB=$V tz keyring add "$T/t.pub" --role township --region 430181100000
DB=$V tz record add household village=430181100201 address=一组
mkdir "$T/stick"
DB=$V tz export --out "$T/stick"
expect_rc 0 "the village exports (its clock three days ahead)"
cp "$W" "$T/t2.db"
# the hooked build believes the date it is given: nothing held back
DB=$W tz import "$T/stick"
expect_rc 0 "the test build imports"
if grep -q 'quarantined' "$OUT"; then fail "the test build held the changes back though told the date"; else pass; fi
# the release build reads the PC's clock whatever it is told
"$REL" --db "$T/t2.db" import "$T/stick" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the release build imports"
expect_out "quarantined=1" "and holds the change three days ahead back, TAIZHANG_NOW or not"
# the TUI's script hook is not there: no screen files are written
printf 'q\n' >"$T/keys"
TAIZHANG_TUI_SCRIPT=$T/keys TERM=dumb timeout 5 "$REL" --db "$T/t2.db" </dev/null >"$OUT" 2>"$ERR"
[ -z "$(ls "$T" | grep -v -e '^t' -e '^v' -e '^keys$' -e '^stick$' -e '^out$' -e '^err$')" ] && pass ||
	fail "the release build wrote files for a script ($(ls "$T"))"
finish
