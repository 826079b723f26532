#!/bin/sh
# End to end: every list and report as Excel takes it.  The xlsx files are
# read back with openpyxl (Debian's python3-openpyxl: the reader LibreOffice
# and Excel users' tools share); `make test-office` opens the same files in
# LibreOffice itself (tests/office.sh).  CSV: BOM, CRLF, Chinese headers and
# labels under --lang zh, codes kept as text, and taizhang reads its own
# list back.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
X="$(dirname "$0")/xlsx.py"
cell() { # FILE REF: "TYPE VALUE" of one cell
	$PY "$X" "$1" cells | awk -F '\t' -v r="$2" '$1 == r { print $2 " " $3 }'
}
sheet() { # FILE KEY: one line of the sheet's setup
	$PY "$X" "$1" sheet | sed -n "s/^$2 //p"
}

tz init --role village --region 430181200201 --name 金塘村
tz demo --households 30 --seed 7
expect_rc 0 "demo data"
ID=$(idnum 43018119601021302) # check character 8: all digits, as most are
tz record add household village=430181200201 address=金塘村3组 phone=07318123456
H=$(cat "$OUT")
tz record add person household="$H" name=李大 id_number="$ID" phone=13800138000 education=大专 relation=户主 employment_status=务工
expect_rc 0 "a person whose numbers spreadsheets mangle"
P=$(cat "$OUT")
tz record add person household="$H" name='=1+1' gender=M birth_date=1990-01-05
expect_rc 0 "a name that looks like a formula"

# ---- record list: xlsx ----
tz --lang zh record list person --format xlsx --out "$T/人员.xlsx"
expect_rc 0 "record list person as xlsx"
expect_eq "$(wc -c <"$OUT")" 0 "nothing on stdout with --out"
rows=$($PY "$X" "$T/人员.xlsx" cells >"$T/p.cells" && awk -F '\t' '{ sub(/[A-Z]+/, "", $1); print $1 }' "$T/p.cells" | sort -n | tail -1)
tz record list person
expect_eq "$rows" "$(wc -l <"$OUT" | tr -d ' ')" "one row per person, and the header"
ln=$(awk -F '\t' -v v="$ID" '$3 == v { print $1 }' "$T/p.cells")
r=${ln#?}
expect_eq "$(cell "$T/人员.xlsx" "D$r")" "s $ID" "ID number intact, a text cell"
expect_eq "$(cell "$T/人员.xlsx" "G$r")" "s 13800138000" "mobile number a text cell"
expect_eq "$(cell "$T/人员.xlsx" "F$r")" "d 1960-10-21" "birth date a date"
expect_eq "$(cell "$T/人员.xlsx" "C$r")" "s 李大" "name"
expect_eq "$(cell "$T/人员.xlsx" "E$r")" "s 女" "gender as its label (from the ID number)"
expect_eq "$(cell "$T/人员.xlsx" "H$r")" "s 大学专科" "education as its label (大专 is 大学专科)"
expect_eq "$(cell "$T/人员.xlsx" "I$r")" "s 外出务工" "employment status as its label"
expect_eq "$(cell "$T/人员.xlsx" "A1")" "s 记录编号" "Chinese headers under --lang zh"
expect_eq "$(cell "$T/人员.xlsx" "D1")" "s 身份证号" "the ID number's header"
expect_eq "$(grep -c '	s	=1+1$' "$T/p.cells")" 1 "a formula-like name is text"
expect_eq "$(sheet "$T/人员.xlsx" freeze)" "A2" "header row frozen"
expect_eq "$(sheet "$T/人员.xlsx" bold_header)" "1" "header row bold"
expect_eq "$(sheet "$T/人员.xlsx" paper)" "9" "A4"
expect_eq "$(sheet "$T/人员.xlsx" print_titles)" '$1:$1' "header row on every printed page"
expect_out "" "(no stdout)"
w=$(sheet "$T/人员.xlsx" widths)
case $w in *"D=20"*) pass ;; *) fail "ID number column fits 18 digits ($w)" ;; esac
tz record list household --format xlsx --out "$T/hh.xlsx" --lang en
r=$($PY "$X" "$T/hh.xlsx" cells | awk -F '\t' '$3 == "07318123456" { print substr($1, 2) }')
expect_eq "$(cell "$T/hh.xlsx" "D$r")" "s 07318123456" "a landline keeps its leading 0"
expect_eq "$(cell "$T/hh.xlsx" "B$r")" "s 430181200201" "a region code is text"
expect_eq "$(cell "$T/hh.xlsx" "A1")" "s record id" "English headers under --lang en"

# xlsx to stdout when it is a file; refused on a terminal (tested by hand: script)
"$TAIZHANG" --db "$DB" record list staff --format xlsx >"$T/staff.xlsx" 2>"$ERR"
expect_eq "$?:$(head -c 2 "$T/staff.xlsx")" "0:PK" "xlsx through a redirect"

# ---- record list: CSV ----
tz --lang zh record list person --format csv
expect_rc 0 "record list person as CSV"
cp "$OUT" "$T/p.csv"
expect_eq "$(head -c 3 "$T/p.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "UTF-8 BOM"
expect_eq "$(grep -c "$(printf '\r')\$" "$T/p.csv")" "$(wc -l <"$T/p.csv" | tr -d ' ')" "CRLF on every line"
expect_eq "$(head -1 "$T/p.csv" | cut -d, -f1-4 | sed 's/^\xef\xbb\xbf//')" "记录编号,户,姓名,身份证号" "Chinese headers"
expect_eq "$(grep -c "\"=\"\"$ID\"\"\"" "$T/p.csv")" 1 "the ID number kept as text (=\"…\")"
expect_eq "$(grep -c '"=""13800138000"""' "$T/p.csv")" 1 "the phone number kept as text"
expect_eq "$(grep -c '"=""=1+1"""' "$T/p.csv")" 1 "a formula-like name kept as text"
expect_eq "$(csv_plain "$T/p.csv" | grep "$ID" | cut -d, -f5,8,9)" "女,大学专科,外出务工" "labels, not codes"
# taizhang reads its own list back: everything already there
tz import-csv person "$T/p.csv" --dry-run
expect_rc 0 "its own CSV imports"
n=$(($(wc -l <"$T/p.csv") - 1))
expect_out "0 would be added" "nothing twice"
expect_out "$n already there ($n the same, 0 differ)" "every person found, every value the same"

# ---- reports ----
tz --lang zh report monthly --period 2026-06 --format xlsx --out "$T/月报.xlsx"
expect_rc 0 "monthly report as xlsx"
expect_eq "$(cell "$T/月报.xlsx" A2)" "s 430181200201" "the village code a text cell"
expect_eq "$(cell "$T/月报.xlsx" B2 | cut -d' ' -f1)" "n" "figures are numbers"
tz report monthly --period 2026-06 --format csv
hh=$(csv_plain "$OUT" | sed -n 2p | cut -d, -f2)
expect_eq "$(cell "$T/月报.xlsx" B2)" "n $hh" "the same figure as the CSV"
last=$(sheet "$T/月报.xlsx" rows)
expect_eq "$(cell "$T/月报.xlsx" "A$last")" "s 合计" "a total row"
expect_eq "$(sheet "$T/月报.xlsx" bold_last)" "1" "the total row bold"
h=$(sheet "$T/月报.xlsx" header)
case $h in *"就业动态监测月报 2026-06"*"金塘村"*) ;; *) h="no: $h" ;; esac
case $h in *"就业动态监测月报 2026-06"*) pass ;; *) fail "title and period in the page header ($h)" ;; esac
expect_eq "$(sheet "$T/月报.xlsx" orientation)" "landscape" "a wide report prints landscape"
name=$($PY "$X" "$T/月报.xlsx" cells | awk -F '\t' '$1 ~ /^[A-Z]+1$/ && $3 == "村名称" { print $1 }')
expect_eq "$(cell "$T/月报.xlsx" "${name%1}2")" "s 金塘村" "the village's name beside its code"
for r in staff platform sync; do
	tz --lang zh report $r --period 2026-06 --format xlsx --out "$T/$r.xlsx"
	expect_rc 0 "report $r as xlsx"
	expect_eq "$(sheet "$T/$r.xlsx" bold_header)" 1 "report $r: a bold header"
done
expect_eq "$(cell "$T/platform.xlsx" A2)" "s 430181200201" "platform: region code as text"
expect_eq "$(cell "$T/staff.xlsx" D2 | cut -d' ' -f1)" "n" "staff: visits a number"

# ---- due, match, search, call list ----
tz --lang zh due --format xlsx --out "$T/due.xlsx"
expect_rc 0 "due as xlsx"
expect_eq "$(cell "$T/due.xlsx" A2 | cut -d' ' -f1)" "d" "due dates are dates"
expect_eq "$(cell "$T/due.xlsx" B2 | cut -d' ' -f1)" "n" "days overdue a number"
tz --lang zh due --format csv
expect_eq "$(head -1 "$OUT" | sed 's/^\xef\xbb\xbf//' | cut -d, -f1,2)" "到期日期,逾期天数" "due CSV headers"
tz record list vacancy
V=$(sed -n 2p "$OUT" | cut -f1)
tz --lang zh match vacancy "$V" --format xlsx --out "$T/match.xlsx" --date 2026-06-15
expect_rc 0 "match as xlsx"
expect_eq "$(cell "$T/match.xlsx" A1)" "s 名次" "match headers"
tz --lang zh calllist "$V" --format csv --date 2026-06-15
expect_rc 0 "call list as CSV"
expect_eq "$(head -1 "$OUT" | sed 's/^\xef\xbb\xbf//' | tr -d '\r')" "序号,姓名,电话,已联系,结果" "call list columns for the phone round"
tz --lang zh calllist "$V" --format xlsx --out "$T/calls.xlsx" --date 2026-06-15
h=$(sheet "$T/calls.xlsx" header)
case $h in *"电话联系名单"*) pass ;; *) fail "call list title ($h)" ;; esac
tz --lang zh search 李大 --format xlsx --out "$T/search.xlsx"
expect_rc 0 "search as xlsx"
expect_eq "$(cell "$T/search.xlsx" C2)" "s $ID" "search: the ID number intact"
expect_eq "$(cell "$T/search.xlsx" D2)" "s 13800138000" "search: the phone intact"

# ---- bad requests and bad places ----
tz record list person --format xls
expect_rc 2 "an unknown format"
tz record list person --format tsv --out "$T/x.tsv"
expect_rc 2 "--out is for csv and xlsx"
tz due --format xml
expect_rc 2 "due: an unknown format"
expect_one_error_line "due: an unknown format"
tz --lang zh report monthly --period 2026-06 --format xlsx --out /nonexistent/月报.xlsx
expect_rc 3 "a folder that is not there"
expect_one_error_line "a folder that is not there"
expect_err "/nonexistent/月报.xlsx" "the error names the file"
"$TAIZHANG" --db "$DB" record list person --format xlsx >/dev/full 2>"$ERR"
RC=$?
expect_rc 3 "a full disk under stdout"
expect_one_error_line "a full disk under stdout"
# a file already there is replaced whole, and no temporary file is left
printf 'old' >"$T/keep.xlsx"
tz report monthly --period 2026-06 --format xlsx --out "$T/keep.xlsx"
expect_eq "$(head -c 2 "$T/keep.xlsx")" "PK" "replaced"
expect_eq "$(ls -a "$T" | grep -c '^\.keep')" 0 "no temporary file left"

finish
