#!/bin/sh
# Golden screens: the full-screen program driven by key scripts through its
# test hook (TAIZHANG_TUI_SCRIPT), each saved screen compared with
# tests/screen/golden/.  UPDATE_GOLDEN=1 rewrites the goldens.
. "$(dirname "$0")/../cli/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden

tz init --role village --region 430181100201 --name 演示村
tz demo --seed 5 --villages 1 --households 40
expect_rc 0 "demo database"

# run SCRIPT LANG ROWS COLS: the saved screens land in $T/out-<name>
run() {
	name=$1 lang=$2 rows=$3 cols=$4
	mkdir -p "$T/out-$name"
	(cd "$T/out-$name" && LANG=C.UTF-8 TERM=xterm LINES=$rows COLUMNS=$cols \
		TAIZHANG_TUI_SCRIPT="$here/$name.keys" "$TAIZHANG" --lang "$lang" --db "$DB" \
		>/dev/null 2>"$T/tui-err")
	RC=$?
	expect_rc 0 "$name runs"
	for f in "$T/out-$name"/*.txt; do
		[ -e "$f" ] || { fail "$name saved no screen"; continue; }
		g="$golden/$name-$(basename "$f")"
		if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$f" "$g"
			pass
		elif cmp -s "$f" "$g"; then
			pass
		else
			fail "$name: $(basename "$f") differs from the golden screen"
			diff "$g" "$f" | head -20
		fi
	done
}

run browse zh 24 80
run browse_en en 24 80
run wide zh 30 100
run small zh 24 80
run visit zh 24 80

# the visit typed through the screens is in the database
tz record list visit --where findings=入户了解就业意向
n=$(($(wc -l <"$OUT") - 1))
expect_eq "$n" 1 "the visit saved from the form is in the database"
tz check
expect_rc 0 "check after the screens"

# export to a folder standing in for a USB stick, from the sync screen
mkdir -p "$T/stick" "$T/out-sync"
cat >"$T/sync.keys" <<KEYS
key F6
key F3
type $T/stick
key Enter
key F5
type $TAIZHANG_PASSPHRASE
key Enter
save exported.txt
key F5
type wrong passphrase
key Enter
save wrongpass.txt
KEYS
(cd "$T/out-sync" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$T/sync.keys" \
	"$TAIZHANG" --lang zh --db "$DB" >/dev/null 2>&1)
n=$(ls "$T/stick"/*.tzb 2>/dev/null | wc -l)
expect_eq "$n" 1 "one bundle written to the stick from the screen"
grep -q "已导出 1 个文件" "$T/out-sync/exported.txt" && pass || fail "the screen says what was exported"
grep -q "没有需要导出的新变更" "$T/out-sync/wrongpass.txt" || grep -q "口令错误" "$T/out-sync/wrongpass.txt" && pass || fail "a second export says nothing new or wrong passphrase"
tz verify "$T/stick"
expect_rc 0 "the bundle verifies"
finish
