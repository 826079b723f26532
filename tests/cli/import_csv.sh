#!/bin/sh
# import-csv end to end: a UTF-8 roster with a BOM and CRLF, a GB18030 one,
# and refusals that name every bad line and write nothing.
. "$(dirname "$0")/lib.sh"

# persons listed now
persons() {
	"$TAIZHANG" --db "$DB" record list person | tail -n +2 | wc -l | tr -d ' '
}
crlf() { sed 's/$/\r/'; }

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"
tz record add household village=430181100201 address=一组12号
expect_rc 0 "add household"
H=$(cat "$OUT")

A=$(idnum 43018119850101001)
B=$(idnum 43018119900202002)
C=$(idnum 43018119750303003)
expect_eq "$(idnum 11010519491231002)" 11010519491231002X "the test's check characters"

# UTF-8 with a BOM, CRLF, Chinese headers, a quoted cell with a comma and a line break
{
	printf '\357\273\277'
	crlf <<EOF
姓名,身份证号,户,电话,文化程度,就业状态,重点群体,备注
张三,$A,$H,13800138000,初中,外出务工,"残疾人,低保","第一行
第二行"
李四,$B,$H,,大学本科,本地就业,,
EOF
} >"$T/utf8.csv"
tz import-csv person "$T/utf8.csv"
expect_rc 0 "UTF-8 roster imported"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 2 "one id per line"
P1=$(head -n 1 "$OUT")
expect_eq "${#P1}" 32 "ids are 32 hex"
expect_eq "$(cat "$ERR")" "taizhang: person: 2 added" "one summary line on stderr"
tz record get person "$P1"
expect_out "name=张三" "first row first"
expect_out "education=70" "label stored as its code"
expect_out "gender=M" "gender derived from the ID number"
expect_out "birth_date=1985-01-01" "birth date derived"
expect_out "note=第一行\\n第二行" "line break inside quotes kept"
expect_eq "$(persons)" 2 "two persons"

# GB18030 (what Excel's plain "CSV" writes on Chinese Windows)
printf '姓名,身份证号,户,文化程度\n王五,%s,%s,小学\n' "$C" "$H" | crlf |
	iconv -f utf-8 -t gb18030 >"$T/gb.csv"
tz import-csv person "$T/gb.csv"
expect_rc 1 "GB18030 read as UTF-8 is refused"
expect_err "gb.csv:1:" "names the line"
expect_err "--encoding gb18030" "suggests the encoding"
tz import-csv person "$T/gb.csv" --encoding gb18030
expect_rc 0 "GB18030 roster imported"
P3=$(cat "$OUT")
tz record get person "$P3"
expect_out "name=王五" "converted to UTF-8"
expect_eq "$(persons)" 3 "three persons"
tz import-csv person "$T/gb.csv" --encoding=gb18030
expect_rc 0 "the same roster again: nothing twice"
expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "no new ids"
expect_err "1 already there (1 the same, 0 differ)" "says it is already there"
expect_eq "$(persons)" 3 "still three persons"

# three bad lines among good ones: all reported, nothing written
D=$(idnum 43018119800404004)
E=$(idnum 43018119810505005)
F=$(idnum 43018119820606006)
BAD=$(echo "$F" | sed 's/.$/0/')
[ "$BAD" = "$F" ] && BAD=$(echo "$F" | sed 's/.$/1/')
cat >"$T/bad.csv" <<EOF
姓名,身份证号,户,失业起始日期,文化程度
好一,$D,$H,,
坏号,$BAD,$H,,
坏日期,$E,$H,2024-02-30,
好二,$(idnum 43018119830707007),$H,,
坏枚举,$F,$H,,博士后
EOF
tz import-csv person "$T/bad.csv"
expect_rc 1 "bad lines refuse the whole file"
expect_err "bad.csv:3:" "bad check character reported"
expect_err "bad.csv:4:" "bad date reported"
expect_err "bad.csv:6:" "unknown enum value reported"
expect_err "nothing imported: 3 bad lines" "summary"
expect_eq "$(grep -c '^taizhang: ' "$ERR")" 4 "one line each plus the summary"
expect_eq "$(grep -vc '^taizhang: ' "$ERR")" 0 "every stderr line begins taizhang:"
expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "no ids printed"
expect_eq "$(persons)" 3 "count unchanged"
tz --lang zh import-csv person "$T/bad.csv"
expect_err "未导入任何记录：3 行有误" "Chinese summary"

# a duplicate inside the file names the first line
printf '姓名,身份证号\n甲,%s\n乙,%s\n' "$D" "$D" >"$T/dup.csv"
tz import-csv person "$T/dup.csv"
expect_rc 1 "duplicate ID number in the file"
expect_err "dup.csv:3:" "on the second line"
expect_err "line 2" "naming the first"

# header problems
printf '姓名,籍贯\n赵六,湖南\n' >"$T/hdr.csv"
tz import-csv person "$T/hdr.csv"
expect_rc 1 "unknown column refused"
expect_err "籍贯" "names the column"
expect_err "hdr.csv:1:" "on line 1"
printf 'id,姓名\nabc,赵六\n' >"$T/id.csv"
tz import-csv person "$T/id.csv"
expect_rc 1 "an id column refused"
printf '姓名\n"赵六\n' >"$T/quote.csv"
tz import-csv person "$T/quote.csv"
expect_rc 1 "unterminated quote refused"
expect_err "quote.csv:2:" "names the line the quote opened on"
expect_eq "$(persons)" 3 "still unchanged"

# usage and environment
tz import-csv person "$T/nosuch.csv"
expect_rc 3 "missing file"
expect_one_error_line "missing file"
tz import-csv person "$T/utf8.csv" --encoding latin1
expect_rc 2 "unknown encoding"
tz import-csv nosuchtable "$T/utf8.csv"
expect_rc 2 "unknown table"
tz import-csv person
expect_rc 2 "missing FILE"

# standard input
printf 'name\n孙七\n' | "$TAIZHANG" --db "$DB" import-csv person - >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "reads standard input"
expect_eq "$(persons)" 4 "one more"

# 10,000 rows in one transaction
awk -v h="$H" 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
	print "姓名,身份证号,户,电话"
	for (n = 0; n < 10000; n++) {
		stem = sprintf("430102%04d0101%03d", 1950 + int(n / 1000), n % 1000)
		s = 0
		for (i = 1; i <= 17; i++) s += substr(stem, i, 1) * w[i]
		printf "人员%d,%s%s,%s,139%08d\n", n, stem, substr("10X98765432", s % 11 + 1, 1), h, n
	}
}' >"$T/big.csv"
t0=$(date +%s)
tz import-csv person "$T/big.csv"
t1=$(date +%s)
expect_rc 0 "10,000 rows"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 10000 "10,000 ids"
echo "# 10,000 persons imported in $((t1 - t0)) s"
if [ $((t1 - t0)) -lt 60 ]; then pass; else fail "10,000 rows took $((t1 - t0)) s"; fi

finish
