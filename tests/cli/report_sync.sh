#!/bin/sh
# report sync (#21, knowing who has sent what): per village, the bundles
# received, up to which change, the gaps, what is held back, and who sent
# nothing this month.
. "$(dirname "$0")/lib.sh"

W=$T/t.db A=$T/a.db B=$T/b.db C=$T/c.db
on() { DB=$1; shift; tz "$@"; }
on "$W" init --role township --region 430181100000 --name 城关镇
on "$W" key export-public "$T/W.pub"
n=1
for v in A B C; do
	eval "db=\$$v"
	on "$db" init --role village --region 43018110020$n --name "村$v"
	on "$db" key export-public "$T/$v.pub"
	on "$db" keyring add "$T/W.pub" --role township --region 430181100000
	on "$W" keyring add "$T/$v.pub" --role village --region 43018110020$n
	n=$((n + 1))
done
# A: three sticks, the second lost
for i in 1 2 3; do
	on "$A" record add household village=430181100201 address="A$i"
	mkdir "$T/a$i"
	on "$A" export --out "$T/a$i"
done
on "$W" import "$T/a1" "$T/a3"
# B: a change three days ahead of the township's clock
TAIZHANG_NOW=2026-06-18 on "$B" record add household village=430181100202 address=B1
mkdir "$T/b1"
TAIZHANG_NOW=2026-06-18 on "$B" export --out "$T/b1"
on "$W" import "$T/b1"
# C: nothing at all
on "$W" report sync --period 2026-06 --format csv --lang en
expect_rc 0 "report sync"
expect_eq "$(head -1 "$OUT" | tr -d '\r' | sed 's/^\xef\xbb\xbf//')" \
	"device,device id,role,region,bundles,last received,held 1-,missing,clock ahead,outside authority,waiting,this month" \
	"the CSV header"
expect_eq "$(csv_plain "$OUT" | grep '^村A,' | cut -d, -f5,7,8,12)" "2,1,2-2,sent" "A: 2 bundles, held to 1, missing 2, sent"
expect_eq "$(csv_plain "$OUT" | grep '^村B,' | cut -d, -f9,12)" "1,sent" "B: one change held for its clock"
expect_eq "$(csv_plain "$OUT" | grep '^村C,' | cut -d, -f5,6,12)" "0,-,SILENT" "C: nothing received, silent"
on "$W" report sync --period 2026-07 --lang zh
expect_out "3/3 台设备在 2026-07 未报送任何数据。" "another month: all three silent (text, Chinese)"
expect_out "未报送" "marked in the table"
# the township's home screen says how many sent nothing this month
printf 'save home.txt\n' >"$T/home.keys"
(cd "$T" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$T/home.keys" \
	"$TAIZHANG" --lang zh --db "$W" >/dev/null 2>&1)
grep -q "本月未报送：1/3 台设备" "$T/home.txt" && pass ||
	fail "the home screen counts the silent villages ($(grep 本月 "$T/home.txt"))"
on "$W" report sync --period 2026-13
expect_rc 2 "a bad period is a usage error"
finish
