#!/bin/sh
# End to end with a real spreadsheet program: LibreOffice Calc, headless
# (Debian's libreoffice-calc-nogui), opens what taizhang writes.
#   CSV: with the filter LibreOffice's import dialog offers on a double-click
#        of a file with a UTF-8 BOM (comma, double quote, UTF-8), then saved
#        as xlsx and read back with openpyxl: every ID and phone number
#        intact, figures numeric, dates dates.
#   xlsx: opened and saved as CSV by LibreOffice: what it shows in each cell.
# `make test-office` runs this script alone.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! command -v soffice >/dev/null 2>&1; then
	fail "LibreOffice is not installed (tools/deps.sh test installs libreoffice-calc-nogui)"
	finish
fi
# a private profile: two instances never share one
lo() {
	HOME=$T/home timeout 300 soffice -env:UserInstallation="file://$T/profile" --headless "$@" \
		>"$T/lo.out" 2>&1
}

tz init --role village --region 430181200201 --name 金塘村
tz demo --households 30 --seed 3
ID=$(idnum 43018119601021302)
tz record add household village=430181200201 address=金塘村3组 phone=07318123456
H=$(cat "$OUT")
tz record add person household="$H" name=李大 id_number="$ID" phone=13800138000 relation=户主
expect_rc 0 "a person whose numbers spreadsheets mangle"

mkdir "$T/in" "$T/csv2xlsx" "$T/xlsx2csv"
tz --lang zh record list person --format csv --out "$T/in/persons.csv"
tz --lang zh record list household --format csv --out "$T/in/households.csv"
tz --lang zh report monthly --period 2026-06 --format csv --out "$T/in/monthly.csv"
tz --lang zh record list person --format xlsx --out "$T/in/persons.xlsx"
tz --lang zh record list household --format xlsx --out "$T/in/households.xlsx"
tz --lang zh report monthly --period 2026-06 --format xlsx --out "$T/in/monthly.xlsx"
tz --lang zh due --format xlsx --out "$T/in/due.xlsx"
expect_rc 0 "the files"

lo --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$T/csv2xlsx" \
	"$T/in/persons.csv" "$T/in/households.csv" "$T/in/monthly.csv"
expect_eq "$(ls "$T/csv2xlsx" | tr '\n' ' ')" "households.xlsx monthly.xlsx persons.xlsx " \
	"LibreOffice opened the three CSV files"
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$T/xlsx2csv" \
	"$T/in/persons.xlsx" "$T/in/households.xlsx" "$T/in/monthly.xlsx" "$T/in/due.xlsx"
expect_eq "$(ls "$T/xlsx2csv" | tr '\n' ' ')" "due.csv households.csv monthly.csv persons.csv " \
	"LibreOffice opened the four xlsx files"

# what LibreOffice made of a CSV: TYPE VALUE of every cell of column COL
# (a header cell named so), data rows only
col() { # FILE HEADER
	$PY - "$1" "$2" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True).worksheets[0]
head = [c.value for c in ws[1]]
i = head.index(sys.argv[2])
for row in ws.iter_rows(min_row=2, values_only=True):
    v = row[i]
    if v is None:
        continue
    t = "d" if hasattr(v, "strftime") else "n" if isinstance(v, (int, float)) else "s"
    print(t, v.strftime("%Y-%m-%d") if t == "d" else v)
EOF
}
tz record list person
ids=$(cut -f4 "$OUT" | sed 1d | grep -v '^$' | sort)
expect_eq "$(col "$T/csv2xlsx/persons.xlsx" 身份证号 | sort)" "$(echo "$ids" | sed 's/^/s /')" \
	"CSV: every ID number intact, as text ($(echo "$ids" | wc -l) of them)"
phones=$(cut -f7 "$OUT" | sed 1d | grep -v '^$' | sort)
expect_eq "$(col "$T/csv2xlsx/persons.xlsx" 电话 | sort)" "$(echo "$phones" | sed 's/^/s /')" \
	"CSV: every phone number intact, as text"
births=$(cut -f6 "$OUT" | sed 1d | grep -v '^$' | sort)
expect_eq "$(col "$T/csv2xlsx/persons.xlsx" 出生日期 | sort)" "$(echo "$births" | sed 's/^/d /')" \
	"CSV: birth dates are dates"
expect_eq "$(col "$T/csv2xlsx/households.xlsx" 电话 | grep -c '^s 0731')" 1 \
	"CSV: a landline keeps its leading 0"
expect_eq "$(col "$T/csv2xlsx/monthly.xlsx" '村(区划代码)' | sed -n 1p)" "s 430181200201" \
	"CSV: a region code stays text"
expect_eq "$(col "$T/csv2xlsx/monthly.xlsx" 户数 | cut -d' ' -f1 | sort -u)" "n" \
	"CSV: the report's figures are numbers"
expect_eq "$(col "$T/csv2xlsx/persons.xlsx" 性别 | sort -u | tr '\n' ' ')" "s 女 s 男 " \
	"CSV: labels, in Chinese"

# what LibreOffice shows of an xlsx, saved as CSV
shown() { # FILE HEADER: the column's cells as LibreOffice shows them
	$PY - "$1" "$2" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
i = rows[0].index(sys.argv[2])
for r in rows[1:]:
    if r[i]:
        print(r[i])
EOF
}
expect_eq "$(shown "$T/xlsx2csv/persons.csv" 身份证号 | sort)" "$ids" "xlsx: every ID number shown whole"
expect_eq "$(shown "$T/xlsx2csv/persons.csv" 电话 | sort)" "$phones" "xlsx: every phone number shown whole"
expect_eq "$(shown "$T/xlsx2csv/persons.csv" 出生日期 | sort)" "$births" "xlsx: dates shown as YYYY-MM-DD"
expect_eq "$(shown "$T/xlsx2csv/households.csv" 电话 | grep -c '^0731')" 1 "xlsx: the landline's 0"
tz report monthly --period 2026-06 --format csv
expect_eq "$(shown "$T/xlsx2csv/monthly.csv" 户数)" "$(csv_plain "$OUT" | sed 1d | cut -d, -f2)" \
	"xlsx: the report's figures as the CSV has them"
expect_eq "$(shown "$T/xlsx2csv/monthly.csv" 村名称 | sed -n 1p)" "金塘村" "xlsx: the village's name"
n=$(shown "$T/xlsx2csv/due.csv" 到期日期 | grep -c '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]$')
tz due
expect_eq "$n" "$(($(wc -l <"$OUT") - 1))" "xlsx: every due date shown as a date"

finish
