#!/bin/sh
# End to end: `taizhang search` on a demo database.  A new user finds a
# person by the pinyin initials of a name taken from `record list person`
# (worked out here from a small table of unambiguous characters, not by
# taizhang) and by the last four digits of an ID number; then the output
# format, ranks, an empty result and usage errors.
. "$(dirname "$0")/lib.sh"

tz init --role village --region 430181100201 --name 测试村
tz demo --seed 5 --villages 1 --households 120
expect_rc 0 "demo"

# customary initials of the demo's common surnames and given-name characters
INITIALS='王w 李l 张z 刘l 陈c 杨y 黄h 赵z 吴w 周z 徐x 孙s 马m 朱z 胡h 郭g 何h 高g 林l 罗l
郑z 梁l 谢x 宋s 唐t 许x 韩h 冯f 邓d 曹c 彭p 肖x 田t 董d 袁y 潘p 于y 蒋j 蔡c 余y 杜d 程c 苏s
魏w 吕l 丁d 沈s 姚y 卢l 姜j 崔c 钟z 谭t 汪w 范f 金j 廖l 夏x 韦w 付f 方f 白b 邹z 孟m 熊x 秦q
邱q 江j 尹y 薛x 闫y 段d 雷l 侯h 龙l 史s 陶t 黎l 贺h 顾g 毛m 郝h 龚g 邵s 钱q 严y 武w 戴d
莫m 孔k 向x 汤t 国g 建j 华h 明m 军j 强q 平p 福f 德d 春c 生s 海h 成c 荣r 文w 志z 忠z 义y
富f 贵g 山s 根g 树s 清q 秀x 英y 兰l 芳f 桂g 珍z 凤f 玉y 梅m 琴q 霞x 翠c 莲l 菊j 香x 娥e
花h 云y 淑s 伟w 勇y 斌b 磊l 超c 波b 鹏p 飞f 刚g 辉h 涛t 杰j 峰f 亮l 俊j 浩h 健j 兵b 锋f
丽l 娟j 敏m 静j 燕y 艳y 慧h 玲l 莉l 婷t 琳l 颖y 倩q 洁j 雪x 萍p 丹d 子z 宇y 轩x 博b 睿r
泽z 辰c 晨c 然r 航h 铭m 宸c 昊h 一y 皓h 嘉j 欣x 怡y 梓z 涵h 雨y 诗s 琪q 萱x 佳j 悦y 思s
可k 馨x 若r 彤t 语y 妍y'

tz record list person
expect_rc 0 "list persons"
cp "$OUT" "$T/persons"
# columns by header name
col() { awk -F'\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) print i; exit }' "$T/persons"; }
c_id=$(col id)
c_name=$(col name)
c_idn=$(col id_number)

# the first person whose name is all in the table above and who has an ID number
# (LC_ALL=C: awk counts bytes, and the names are 3-byte UTF-8 characters)
pick=$(LC_ALL=C awk -F'\t' -v ci="$c_id" -v cn="$c_name" -v cd="$c_idn" -v map="$INITIALS" '
BEGIN { n = split(map, kv, /[ \n]+/); for (i = 1; i <= n; i++) if (kv[i] != "") m[substr(kv[i], 1, length(kv[i]) - 1)] = substr(kv[i], length(kv[i])) }
NR > 1 && $cd != "" {
	name = $cn; ini = ""; ok = 1
	if (length(name) % 3) next
	for (i = 1; i <= length(name); i += 3) { ch = substr(name, i, 3); if (!(ch in m)) { ok = 0; break } ini = ini m[ch] }
	if (ok && length(name) >= 6) { print $ci "\t" name "\t" ini "\t" $cd; exit }
}' "$T/persons")
id=$(echo "$pick" | cut -f1)
name=$(echo "$pick" | cut -f2)
ini=$(echo "$pick" | cut -f3)
idn=$(echo "$pick" | cut -f4)
if [ -n "$id" ] && [ -n "$ini" ]; then pass; else fail "a demo person with a plain name (got '$pick')"; fi
last4=$(printf '%s' "$idn" | tail -c 4)

# ---- the two things a new user must be able to do ----
tz search "$ini" --limit 1000
expect_rc 0 "search by initials '$ini' ($name)"
if awk -F'\t' -v id="$id" '$3 == "person" && $4 == id { f = 1 } END { exit !f }' "$OUT"; then pass; else fail "initials '$ini' find $name ($id)"; fi
awk -F'\t' -v id="$id" '$4 == id { print $1 "\t" $2; exit }' "$OUT" >"$T/rk"
expect_eq "$(cat "$T/rk")" "$(printf '1\tinitials')" "$name is an exact initials match"

tz search "$last4" --limit 1000
expect_rc 0 "search by the last four digits $last4"
if awk -F'\t' -v id="$id" '$3 == "person" && $4 == id { f = 1 } END { exit !f }' "$OUT"; then pass; else fail "last four digits $last4 find $name ($id)"; fi
expect_out "$(printf 'id_number_end\tperson\t%s\t%s\t%s' "$id" "$name" "$idn")" "the hit shows kind, name and ID number"
# every hit of a digits-only query ends with those digits or is an exact phone/ID
bad=$(awk -F'\t' -v q="$last4" 'NR > 1 && $2 == "id_number_end" && substr($6, length($6) - 3) != q' "$OUT" | wc -l)
expect_eq "$bad" 0 "every id_number_end hit ends in $last4"

# ---- output format ----
tz search "$name"
expect_rc 0 "search by name"
expect_eq "$(head -n 1 "$OUT")" "$(printf 'rank\tkind\ttable\tid\tname\tid_number\tphone\thousehold\tvillage\taddress')" "header line"
first=$(sed -n 2p "$OUT")
expect_eq "$(echo "$first" | cut -f1-3,5)" "$(printf '1\tname\tperson\t%s' "$name")" "the exact name comes first"
n=$(awk -F'\t' 'NF != 10' "$OUT" | wc -l)
expect_eq "$n" 0 "ten columns on every line"
hh=$(awk -F'\t' -v id="$id" '$4 == id { print $8; exit }' "$OUT")
vil=$(awk -F'\t' -v id="$id" '$4 == id { print $9; exit }' "$OUT")
tz record get person "$id"
expect_out "household=$hh" "the hit's household is the person's"
tz record get household "$hh"
expect_out "village=$vil" "the hit's village is the household's"
# ranks never go down the list
tz search "$(printf '%s' "$name" | cut -c1-3)"
if awk -F'\t' 'NR > 2 && $1 < prev { bad = 1 } NR > 1 { prev = $1 } END { exit bad }' "$OUT"; then pass; else fail "hits ordered by rank"; fi

# upper case and spaces do not matter
up=$(echo "$ini" | tr a-z A-Z)
tz search "$up" --limit 1000
if awk -F'\t' -v id="$id" '$4 == id { f = 1 } END { exit !f }' "$OUT"; then pass; else fail "upper-case initials $up"; fi

# --limit caps the hits
tz search 4301 --limit 3
expect_rc 0 "search with --limit"
expect_eq "$(($(wc -l <"$OUT") - 1))" 3 "--limit 3 gives 3 hits"

# nothing found: the header only, exit 0
tz search 赵钱孙李周吴郑王
expect_rc 0 "nothing found is not an error"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 "only the header"
expect_eq "$(wc -c <"$ERR" | tr -d ' ')" 0 "nothing on stderr"

# a deleted person is not found
tz record add person name=测试删除人 id_number=11010519491231002X
pid=$(cat "$OUT")
tz search csscr
expect_out "$pid" "a new person is found at once"
tz record del person "$pid"
tz search csscr
expect_eq "$(grep -c "$pid" "$OUT")" 0 "a deleted person is not found"

# usage errors
for args in "" "--limit 5" "' '" "--limit 0 x" "--limit abc x" "--limit 1001 x" "--frob x"; do
	eval "tz search $args"
	expect_rc 2 "search $args is a usage error"
	expect_one_error_line "search $args: one error line"
done
tz search --help
expect_rc 0 "--help"
expect_out "usage: taizhang search" "--help shows the synopsis"

finish
