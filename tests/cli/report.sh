#!/bin/sh
# End to end: `taizhang report monthly` on a demo database: text no wider
# than 80 columns (CJK counted as two), CSV for Excel (BOM, CRLF, one row
# per village and a total), usage errors exit 2.
. "$(dirname "$0")/lib.sh"

# display width of each line of a file, the widest printed (python3 if
# present: unicodedata east-asian width; else awk with byte heuristics)
maxwidth() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    n = sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)
    w = max(w, n)
print(w)' "$1"
	else
		# UTF-8: a 3-byte sequence (CJK) is two columns, other characters one
		LC_ALL=C awk '{ n = 0; for (i = 1; i <= length($0); i++) { c = substr($0, i, 1);
			if (c >= "\340" && c <= "\357") { n += 2; i += 2 } else if (c >= "\300") { n += 1; i += 1 } else n += 1 }
			if (n > w) w = n } END { print w + 0 }' "$1"
	fi
}

tz report monthly --period 2026-05
expect_rc 3 "no database yet: environment error"

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"
tz demo --seed 3 --villages 3 --households 60
expect_rc 0 "demo"

# text, both languages
for lang in zh en; do
	tz --lang $lang report monthly --period 2026-05
	expect_rc 0 "report ($lang)"
	cp "$OUT" "$T/report.$lang"
	w=$(maxwidth "$T/report.$lang")
	if [ "$w" -le 80 ] && [ "$w" -gt 50 ]; then pass; else fail "$lang: widest line $w columns"; fi
	expect_eq "$(wc -c <"$ERR" | tr -d ' ')" 0 "$lang: nothing on stderr"
	expect_out "430181100203" "$lang: the third village has a row"
	if grep -q "$(printf '\r')" "$OUT"; then fail "$lang: text has CR"; else pass; fi
done
OUT=$T/report.zh
expect_out "就业动态监测月报  2026-05" "Chinese title"
expect_out "合计" "total row with three villages"
expect_out "数据截至：2026-05-31" "a past month is as at its last day"
expect_out "八、工作人员配备" "staffing section"
OUT=$T/report.en
expect_out "Monthly employment monitoring report  2026-05" "English title"
expect_out "Total" "English total"

tz report monthly --period 2026-06
expect_rc 0 "the current month"
expect_out "as at the end of 2026-06-15" "the current month is as at today"

# CSV
tz --lang zh report monthly --period 2026-05 --format csv
expect_rc 0 "csv"
cp "$OUT" "$T/r.csv"
bom=$(head -c 3 "$T/r.csv" | od -An -tx1 | tr -d ' \n')
expect_eq "$bom" "efbbbf" "CSV starts with the UTF-8 BOM"
lines=$(wc -l <"$T/r.csv" | tr -d ' ')
crlf=$(grep -c "$(printf '\r')\$" "$T/r.csv")
expect_eq "$crlf" "$lines" "every CSV line ends in CRLF"
expect_eq "$lines" 5 "header, 3 villages, total"
tail -c 2 "$T/r.csv" | od -An -tx1 | grep -q '0d 0a' && pass || fail "ends with CRLF"
head -n 1 "$T/r.csv" | grep -q '村(区划代码),户数,人口,劳动力,' && pass || fail "Chinese header row"
grep -q '^"=""430181100202""",' "$T/r.csv" && pass || fail "village code kept as text for Excel"
tail -n 1 "$T/r.csv" | grep -q '^合计,' && pass || fail "total row last"
nf=$(head -n 1 "$T/r.csv" | tr -d '\r' | awk -F, '{ print NF }')
bad=$(tr -d '\r' <"$T/r.csv" | awk -F, -v n="$nf" 'NF != n' | wc -l | tr -d ' ')
expect_eq "$bad" 0 "every row has as many fields as the header ($nf)"
# the total row adds up the village rows (labour force, 4th column)
sum=$(sed -n '2,4p' "$T/r.csv" | awk -F, '{ s += $4 } END { print s }')
tot=$(tail -n 1 "$T/r.csv" | awk -F, '{ print $4 }')
expect_eq "$sum" "$tot" "total labour force is the sum of the villages"
# CSV figures agree with the text
# (the village's name follows its code when the database knows it)
lab=$(awk '$1 == "430181100201" { print $(NF - 5); exit }' "$T/report.zh")
grep -q '^430181100201 [^ 0-9]' "$T/report.zh" && pass || fail "the village's name follows its code"
lab_csv=$(sed -n '2p' "$T/r.csv" | awk -F, '{ print $4 }')
expect_eq "$lab" "$lab_csv" "text and CSV agree on the labour force of the first village"
tz --lang en report monthly --period 2026-05 --format csv
head -n 1 "$OUT" | grep -q 'village code,households,persons,labour force,' && pass || fail "English header row"

# a full disk: one error line, exit 3
if [ -w /dev/full ]; then
	"$TAIZHANG" --db "$DB" report monthly --period 2026-05 >/dev/full 2>"$ERR"
	RC=$?
	expect_rc 3 "writing to a full device is an environment error"
	expect_one_error_line "full device: one error line"
fi

# usage errors
for args in "" "monthly" "monthly --period" "monthly --period 2026-13" "monthly --period 2026-5" \
	"monthly --period 202605" "monthly --period 2099-01" "monthly --period 2026-05 --format xls" \
	"weekly --period 2026-05" "monthly --period 2026-05 extra"; do
	tz report $args
	expect_rc 2 "report $args is a usage error"
	expect_one_error_line "report $args: one error line"
	expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "report $args prints nothing on stdout"
done
tz --lang zh report monthly --period 2026-13
expect_err "2026-13" "the error names the bad period"

# the report's settings are ordinary settings: listed, checked, honoured
tz setting list
expect_out "report.long_unemp_months" "report settings are listed"
expect_out "report.staff_min.village" "staffing minimums are listed"
tz --lang en report monthly --period 2026-05
cp "$OUT" "$T/default.txt"
grep -q "over 6 months" "$OUT" && pass || fail "default: over 6 months"
tz setting set report.long_unemp_months 3
expect_rc 0 "set report.long_unemp_months"
tz --lang en report monthly --period 2026-05
expect_out "over 3 months" "the report follows report.long_unemp_months"
tz setting set report.long_unemp_months 0
expect_rc 1 "a months value out of range is refused"
expect_one_error_line "out of range: one error line"
tz --lang zh setting set report.placed_reasons bogus
expect_rc 1 "an unknown close reason is refused"
expect_err "report.placed_reasons" "the error names the setting"
tz setting unset report.long_unemp_months
tz --lang en report monthly --period 2026-05
expect_eq "$(cmp -s "$OUT" "$T/default.txt" && echo same)" same "unset restores the default report"
tz setting set ui.lang 英文
expect_rc 0 "ui.lang takes a label"
tz setting get ui.lang
expect_out "en" "ui.lang stored as its code"
tz setting set ui.lang fr
expect_rc 1 "ui.lang refuses other languages"

finish
