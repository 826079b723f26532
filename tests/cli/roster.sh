#!/bin/sh
# A village's roster (花名册) as offices keep it in Excel, saved as CSV:
# a title row, 序号, the headers offices use, merged 户主/住址 cells, everyday
# values, GB18030 and UTF-8; households formed, nothing twice, --map,
# --skip, --map-file, --save-map, --dry-run, --update, Excel-damaged numbers.
. "$(dirname "$0")/lib.sh"

count() {
	"$TAIZHANG" --db "$DB" record list "$1" | tail -n +2 | wc -l | tr -d ' '
}
field() { # field TABLE ID FIELD
	"$TAIZHANG" --db "$DB" record get "$1" "$2" | sed -n "s/^$3=//p"
}
person_by_id() {
	"$TAIZHANG" --db "$DB" record list person --where "id_number=$1" | tail -n +2 | cut -f1
}
crlf() { sed 's/$/\r/'; }

tz init --role village --region 430181100201 --name 张家村
expect_rc 0 "init"

A=$(idnum 43018119600213001) # 张大山, head
B=$(idnum 43018119620405002) # his wife
C=$(idnum 43018119880101003) # eldest son
D=$(idnum 43018119700707005) # 李四, head of the second household
E=$(idnum 43018119950909004) # his daughter

# Excel's "CSV (逗号分隔)": GB18030, CRLF, a title row, merged household cells
# left empty below the first, spaced headers, a totals line.
crlf <<EOF | iconv -f UTF-8 -t GB18030 >"$T/gb.csv"
张家村劳动力花名册,,,,,,,,,,
序号,姓  名,性别,身份证号码,户主姓名,与户主关系,家庭住址,联系电话,文化程度,就业状态,备注
1,张大山,男,$A,张大山,户主,一组12号,13800138000,初中,在家务农,
2,王桂芝,女,$B,,妻,,,文盲,在家务农,
3,张小军,男,$C,,长子,,13900139000,大专,务工,在广东
4,李四,男,$D,李四,本人,二组3号,0731-84567890,高中,外出务工,
5,李小红,女,$E,,女儿,,,中专,在校学生,
合计,5人,,,,,,,,,
EOF
tz import-csv person "$T/gb.csv" --encoding gb18030
expect_rc 0 "the roster imports in one command"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 5 "five new ids"
expect_err "5 added, 2 new households" "summary names persons and households"
expect_eq "$(count household)" 2 "two households formed"
expect_eq "$(count person)" 5 "five persons"
PA=$(person_by_id "$A")
PB=$(person_by_id "$B")
PC=$(person_by_id "$C")
PD=$(person_by_id "$D")
PE=$(person_by_id "$E")
HA=$(field person "$PA" household)
expect_eq "$(field person "$PB" household)" "$HA" "the wife is in the head's household (merged cells)"
expect_eq "$(field person "$PC" household)" "$HA" "so is the son"
HD=$(field person "$PD" household)
expect_eq "$(field person "$PE" household)" "$HD" "the daughter is in the second household"
[ "$HA" != "$HD" ] && pass || fail "two different households"
expect_eq "$(field household "$HA" village)" 430181100201 "the database's village is the default"
expect_eq "$(field household "$HA" head_name)" 张大山 "head of household"
expect_eq "$(field household "$HA" address)" 一组12号 "address"
expect_eq "$(field person "$PB" education)" 95 "文盲 is no schooling"
expect_eq "$(field person "$PC" education)" 30 "大专 is college"
expect_eq "$(field person "$PD" education)" 60 "高中 is senior high"
expect_eq "$(field person "$PE" education)" 40 "中专 is vocational secondary"
expect_eq "$(field person "$PA" employment_status)" local "在家务农 is local employment"
expect_eq "$(field person "$PC" employment_status)" migrant "务工 is migrant work"
expect_eq "$(field person "$PE" employment_status)" student "在校学生"
expect_eq "$(field person "$PA" relation)" head "户主"
expect_eq "$(field person "$PB" relation)" spouse "妻 is spouse"
expect_eq "$(field person "$PC" relation)" child "长子 is child"
expect_eq "$(field person "$PD" relation)" head "本人 is head"
expect_eq "$(field person "$PE" relation)" child "女儿 is child"
expect_eq "$(field person "$PD" phone)" 0731-84567890 "a landline keeps its 0"
expect_eq "$(field person "$PC" note)" 在广东 "备注"
expect_eq "$(field person "$PB" gender)" F "gender"

# the same roster again: nothing twice
tz import-csv person "$T/gb.csv" --encoding gb18030
expect_rc 0 "second run"
expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "no new ids"
expect_err "0 added, 0 new households (2 already there); 5 already there (5 the same, 0 differ)" "all already there"
expect_eq "$(count household)" 2 "still two households"
expect_eq "$(count person)" 5 "still five persons"

# the same roster saved as UTF-8 CSV with a BOM, two changes and a newcomer
{
	printf '\357\273\277'
	crlf <<EOF
序号,姓名,性别,身份证号码,户主姓名,与户主关系,家庭住址,联系电话,文化程度,就业状态,备注
1,张大山,男,$A,张大山,户主,一组12号,13800138001,初中,在家务农,
2,王桂芝,女,$B,张大山,妻,一组12号,,文盲,在家务农,
3,张小军,男,$C,张大山,长子,一组12号,13900139000,大学本科,务工,在广东
4,张小燕,女,,张大山,长女,一组12号,,初中,在校学生,
EOF
} >"$T/utf8.csv"
tz import-csv person "$T/utf8.csv" --dry-run
expect_rc 0 "dry run"
expect_out "dry run, nothing written: person: 1 would be added" "dry run says what would be added"
expect_out "3 already there (1 the same, 2 differ)" "and what differs"
expect_err "13800138000 → 13800138001" "the difference is shown"
expect_err "education college → bachelor" "with labels"
expect_eq "$(count person)" 5 "dry run writes nothing"
tz import-csv person "$T/utf8.csv"
expect_rc 0 "without --update"
expect_eq "$(count person)" 6 "the newcomer added, in the household"
expect_eq "$(field person "$PA" phone)" 13800138000 "differences not applied"
NEW=$(cat "$OUT")
expect_eq "$(field person "$NEW" household)" "$HA" "the newcomer joins the existing household"
tz import-csv person "$T/utf8.csv" --update
expect_rc 0 "--update"
expect_err "2 differ, updated" "updated"
expect_eq "$(field person "$PA" phone)" 13800138001 "the phone updated"
expect_eq "$(field person "$PC" education)" 20 "the education updated"
expect_eq "$(count person)" 6 "nothing added by --update"
tz import-csv person "$T/utf8.csv"
expect_err "4 already there (4 the same, 0 differ)" "after the update all the same"

# unknown headers: all at once, the closest field suggested
cat >"$T/odd.csv" <<EOF
姓名,身份证号吗,籍贯,联系电话
赵六,$(idnum 43018119800101006),湖南,13700137000
EOF
tz import-csv person "$T/odd.csv"
expect_rc 1 "unknown headers refused"
expect_err "column 2 \"身份证号吗\"" "first unknown column"
expect_err "closest is ID number (id_number)" "closest field"
expect_err "column 3 \"籍贯\"" "second unknown column, same run"
expect_err "nothing imported" "nothing imported"
tz import-csv person "$T/odd.csv" --map '身份证号吗=id_number' --skip 籍贯 --save-map "$T/map.txt"
expect_rc 0 "--map and --skip settle them"
expect_eq "$(count person)" 7 "imported"
expect_eq "$(grep -c '' "$T/map.txt")" 5 "the mapping saved: a comment and four columns"
grep -qx '身份证号吗=id_number' "$T/map.txt" && pass || fail "saved --map"
grep -qx '籍贯=-' "$T/map.txt" && pass || fail "saved --skip"
sed 's/赵六/赵七/; s/43018119800101006./'"$(idnum 43018119800101007)"'/' "$T/odd.csv" >"$T/odd2.csv"
tz import-csv person "$T/odd2.csv" --map-file "$T/map.txt"
expect_rc 0 "a saved mapping reused"
expect_eq "$(count person)" 8 "imported with the saved mapping"
tz import-csv person "$T/odd.csv" --map '身份证号吗=no_such_field'
expect_rc 1 "a map to no field"
expect_err "--map names no field" "says so"
tz import-csv person "$T/odd.csv" --skip 不存在的列 --map '身份证号吗=id_number' --skip 籍贯
expect_rc 1 "a --skip of no column"
expect_err "no column has that header" "says so"
tz import-csv person "$T/odd.csv" --map nonsense
expect_rc 2 "--map without ="
expect_one_error_line "--map usage error is one line"

# refused values list what is accepted; all or nothing
before=$(count person)
cat >"$T/bad.csv" <<EOF
姓名,身份证号码,文化程度,与户主关系,家庭住址
甲,$(idnum 43018119810101008),博士后,户主,三组1号
乙,$(idnum 43018119810101009),初中,邻居,三组1号
EOF
tz import-csv person "$T/bad.csv"
expect_rc 1 "bad values refused"
expect_err "bad.csv:2:" "the first bad line"
expect_err "bad.csv:3:" "the second bad line"
expect_err "allowed:" "lists what is accepted"
expect_eq "$(count person)" "$before" "nothing written"
expect_eq "$(count household)" 2 "no household written either"

# Excel's damage: ID numbers as numbers, a landline without its 0
cat >"$T/excel.csv" <<EOF
姓名,身份证号码,联系电话
丙,4.30181E+17,13800000000
丁,430181198201010000,13800000001
戊,$(idnum 43018119830101011),73184567890
EOF
tz import-csv person "$T/excel.csv"
expect_rc 1 "Excel-damaged numbers refused"
expect_err "excel.csv:2: ID number \"4.30181E+17\": Excel has turned it into a number" "scientific notation"
expect_err "format the column as Text" "says how to fix it in Excel"
expect_err "excel.csv:3: ID number \"430181198201010000\": the last digits look lost" "lost digits"
expect_err "excel.csv:4:" "a landline without its 0"
LANG=zh_CN.UTF-8 "$TAIZHANG" --db "$DB" --lang zh import-csv person "$T/excel.csv" >"$OUT" 2>"$ERR"
grep -qF '设置单元格格式 → 文本' "$ERR" && pass || fail "the fix in Chinese"

# our own CSV output (="..." text cells) reads back
printf '姓名,身份证号码\r\n己,="%s"\r\n' "$(idnum 43018119840101012)" >"$T/text.csv"
tz import-csv person "$T/text.csv"
expect_rc 0 "=\"...\" cells read back"
expect_eq "$(field person "$(cat "$OUT")" id_number)" "$(idnum 43018119840101012)" "the ID number intact"

# a household number column groups rows without head names
cat >"$T/hh.csv" <<EOF
户号,姓名,与户主关系,住址
7,庚,户主,四组7号
7,辛,配偶,四组7号
8,壬,户主,四组8号
EOF
tz import-csv person "$T/hh.csv"
expect_rc 0 "grouped by 户号"
expect_err "3 added, 2 new households" "two households by number"

# a township's database has no village of its own
DB=$T/town.db
tz init --role township --region 430181100000 --name 某镇
tz import-csv person "$T/hh.csv"
expect_rc 1 "a township's roster needs village codes"
expect_err "village code column" "says so"
# dates as Excel and offices write them become YYYY-MM-DD; a day that does
# not exist is still refused, with its line
DB=$T/dates.db
tz init --role village --region 430181200201 --name 金塘村
printf '姓名,出生日期,家庭住址,户主姓名\n甲,1990/1/5,一组,甲\n乙,1991年2月3日,一组,甲\n丙,1992.12.31,一组,甲\n丁,19930704,一组,甲\n戊,1990/2/30,一组,甲\n' >"$T/dates.csv"
tz import-csv person "$T/dates.csv"
expect_rc 1 "1990/2/30 refused"
expect_err "dates.csv:6:" "the bad date's line"
sed -i '$d' "$T/dates.csv"
tz import-csv person "$T/dates.csv"
expect_rc 0 "Excel's date forms"
tz record list person
expect_eq "$(cut -f3,6 "$OUT" | sed 1d | sort | tr '\t\n' '= ')" "丁=1993-07-04 丙=1992-12-31 乙=1991-02-03 甲=1990-01-05 " \
	"1990/1/5, 1991年2月3日, 1992.12.31, 19930704"

# an employer found again by its credit code as typed in lower case
tz demo --households 3
tz record list employer
C=$(sed -n 2p "$OUT" | cut -f3)
N=$(sed -n 2p "$OUT" | cut -f2)
printf 'name,credit_code\n%s,%s\n' "$N" "$(echo "$C" | tr 'A-Z' 'a-z')" >"$T/emp.csv"
tz import-csv employer "$T/emp.csv" --dry-run
expect_out "0 would be added; 1 already there (1 the same" "credit code matched as stored"

finish
