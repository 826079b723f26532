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

# run SCRIPT LANG ROWS COLS [KEYS]: the saved screens land in $T/out-<name>
run() {
	name=$1 lang=$2 rows=$3 cols=$4 keys=${5:-$here/$1.keys}
	mkdir -p "$T/out-$name"
	(cd "$T/out-$name" && LANG=C.UTF-8 TERM=xterm LINES=$rows COLUMNS=$cols \
		TAIZHANG_TUI_SCRIPT="$keys" "$TAIZHANG" --lang "$lang" --db "$DB" \
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

# tui NAME DB KEYS [OPTION...]: the program at 80x24 driven by KEYS, its
# saved screens in $T/out-NAME, no golden comparison
tui() {
	name=$1 db=$2 keys=$3
	shift 3
	mkdir -p "$T/out-$name"
	(cd "$T/out-$name" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$keys" \
		"$TAIZHANG" "$@" --db "$db" >/dev/null 2>&1)
}

run browse zh 24 80
run browse_en en 24 80
run wide zh 30 100
run small zh 24 80
run visit zh 24 80

# a date typed into the prefilled date field replaces it (not appended)
# and a code list opens at the current value; a letter jumps (p: phone)
cat >"$T/date.keys" <<KEYS
key F3
key Enter
key F6
type 2026-06-01
key Down
key F4
type p
key Enter
key Down
type 日期测试员
key F2
save saved.txt
KEYS
cp "$DB" "$T/date.db" # (a copy: the screens after this one are goldens of $DB)
tui date "$T/date.db" "$T/date.keys" --lang zh
d0=$DB
DB=$T/date.db
tz record list visit --where staff=日期测试员
DB=$d0
expect_out "2026-06-01" "the date typed over today's is the one saved"
expect_out "phone" "the letter p in the code list chose phone"
# the visit typed through the screens is in the database
tz record list visit --where findings=入户了解就业意向
n=$(($(wc -l <"$OUT") - 1))
expect_eq "$n" 1 "the visit saved from the form is in the database"
tz check
expect_rc 0 "check after the screens"

# settings: a value refused by the core, one saved, the language, the passphrase
run settings zh 24 80
run settings_en en 24 80
tz setting get due.visit_lookahead_days
expect_out 7 "the value typed on the settings screen is stored"
grep -q "Settings" "$T/out-settings/english.txt" && pass || fail "Enter on ui.lang switches to English"

# the keyring: enrol the township's public key file from the sync screen
cp "$here/township.pub" "$T/township.pub"
run keyring zh 24 80
run keyring_en en 24 80
tz keyring list
expect_out "4b81 cff0 2d4b 0892 7bf2 c167 1737 8ae4" "the key enrolled on the screen is in the keyring"

# export to a folder standing in for a USB stick, from the sync screen;
# bundles are encrypted to the township, so this village enrols one with an
# encryption key first (the fixed township.pub above predates encryption)
"$TAIZHANG" --db "$T/township.db" init --role township --region 430181100000 --name 城关镇 \
	>/dev/null 2>&1
"$TAIZHANG" --db "$T/township.db" key export-public "$T/township2.pub" >/dev/null 2>&1
tz keyring add "$T/township2.pub" --role township --region 430181100000 --name 城关镇
expect_rc 0 "enrol a township with an encryption key"
mkdir -p "$T/stick" "$T/out-sync"
cat >"$T/sync.keys" <<KEYS
key F6
key F3
type $T/stick
key Enter
key F5
type wrong passphrase
key Enter
save wrongpass.txt
key F5
type $TAIZHANG_PASSPHRASE
key Enter
save exported.txt
key Tab
key Enter
save detail.txt
key Enter
key Tab
key F5
save again.txt
KEYS
tui sync "$DB" "$T/sync.keys" --lang zh
n=$(ls "$T/stick"/*.tzb 2>/dev/null | wc -l)
expect_eq "$n" 1 "one bundle written to the stick from the screen"
grep -q "已导出 1 个文件" "$T/out-sync/exported.txt" && pass || fail "the screen says what was exported"
grep -q "（加密给：.*城关镇" "$T/out-sync/exported.txt" && pass || fail "the screen says to whom it is encrypted"
grep -q "口令错误" "$T/out-sync/wrongpass.txt" && pass || fail "a wrong passphrase is said to be wrong"
# Enter on a result shows its whole text, wrapped, over the results
grep -q "^ 导出: .*tzb" "$T/out-sync/detail.txt" && pass || fail "Enter on a result line shows it in full"
# the passphrase is asked for once while the program runs
grep -q "没有需要导出的新变更" "$T/out-sync/again.txt" && pass || fail "a second export asks no passphrase again and says nothing new"
tz verify "$T/stick"
expect_rc 0 "the bundle verifies"
# F6 on a folder with no bundle in it says so, not "0 applied, 0 present, 0 refused"
mkdir -p "$T/nothing" "$T/out-sync"
cat >"$T/empty.keys" <<KEYS
key F6
key F3
type $T/nothing
key Enter
key F6
save empty-import.txt
KEYS
tui sync "$DB" "$T/empty.keys" --lang zh
grep -q "中没有数据包文件" "$T/out-sync/empty-import.txt" && pass || fail "importing an empty folder says there is no bundle"


# staff PIN set from the staff list (F3), then the program starts on the login screen
run pin zh 24 80
run login zh 24 80
run login_en en 24 80
grep -q "已登录" "$T/out-login/home.txt" && pass || fail "the right PIN signs in"
# Esc on a new form left untouched goes back without asking; once typed in, it asks
cat >"$T/esc.keys" <<KEYS
key Enter
type 2468
key Enter
key F3
key F5
key Esc
save untouched.txt
key F5
type 新地址
key Esc
save typed.txt
key n
key Esc
key y
KEYS
tui esc "$DB" "$T/esc.keys" --lang zh
# a new household opens once saved
cp "$DB" "$T/newhh.db"
printf 'key Enter\ntype 2468\nkey Enter\nkey F3\nkey F5\nkey Down\ntype 新户测试路1号\nkey F2\nsave newhh.txt\n' >"$T/newhh.keys"
tui newhh "$T/newhh.db" "$T/newhh.keys" --lang zh
grep -q "住址: 新户测试路1号" "$T/out-newhh/newhh.txt" && grep -q "> 家庭成员" "$T/out-newhh/newhh.txt" && pass ||
	fail "the household just saved is opened ($(head -3 "$T/out-newhh/newhh.txt" | tr '\n' '|'))"
# a delete prompt names the record
printf 'key Enter\ntype 2468\nkey Enter\nkey F3\nkey Enter\nkey F8\nsave del.txt\nkey n\n' >"$T/del.keys"
tui del "$DB" "$T/del.keys" --lang zh
grep -q "确定删除人员“[^”]\{1,\}”" "$T/out-del/del.txt" && pass || fail "the delete prompt names the person"
# F1 on a form lists the editing keys too
printf 'key Enter\ntype 2468\nkey Enter\nkey F3\nkey F5\nkey F1\nsave help.txt\nkey Esc\nkey Esc\n' >"$T/fhelp.keys"
tui fhelp "$DB" "$T/fhelp.keys" --lang zh
grep -q "Ctrl-K   删除光标后的内容" "$T/out-fhelp/help.txt" && pass || fail "F1 on a form names Ctrl-K"
grep -q "放弃" "$T/out-esc/untouched.txt" && fail "Esc on an untouched new form asks to discard" || pass
grep -q "放弃" "$T/out-esc/typed.txt" && pass || fail "Esc on a form typed in asks first"
# the passphrase is remembered for the session, and forgotten when the screen locks
mkdir -p "$T/stick3"
cat >"$T/lockkey.keys" <<KEYS
key Enter
type 2468
key Enter
key F6
key F3
type $T/stick3
key Enter
key F5
type $TAIZHANG_PASSPHRASE
key Enter
key F5
save remembered.txt
idle
key Enter
type 2468
key Enter
key F5
save asked.txt
KEYS
tui lockkey "$DB" "$T/lockkey.keys" --lang zh
grep -q "没有需要导出的新变更" "$T/out-lockkey/remembered.txt" && pass ||
	fail "a second export in the session asks no passphrase"
grep -q "口令：" "$T/out-lockkey/asked.txt" && pass || fail "after the screen lock the passphrase is asked again"
grep -q "走访人 *何娜婷" "$T/out-login/visit.txt" && pass || fail "a new visit names who signed in"
# a new aid case is owned by who signed in
run owner zh 24 80
tz record list aid_case --where owner=何娜婷
n=$(($(wc -l <"$OUT") - 1))
expect_eq "$n" 1 "the new aid case's owner is the staff member signed in"

# referrals: made on the match screen, listed (F6) with names instead of
# ids, the outcome recorded; F2 on a member lists theirs
run referral zh 24 80
tz record list referral --where status=hired --where outcome_date=2026-06-15
n=$(($(wc -l <"$OUT") - 1))
expect_eq "$n" 1 "the outcome typed on the referral form is in the database"
grep -q "闫伟 *已录用 *2026-06-15" "$T/out-referral/saved.txt" && pass || fail "the referral list names the person"
grep -q "已录用" "$T/out-referral/person-refs.txt" && pass || fail "F2 on a member lists the referrals"

# mouse: a click selects a row, a second click (or a double click) opens it,
# a click on the key bar is its F-key
run mouse zh 24 80
grep -q "户主: 杜兵波" "$T/out-mouse/open.txt" && pass || fail "a click on the selected row opens it"
grep -q "姓名\* *杜兵波" "$T/out-mouse/person.txt" && pass || fail "a double click opens a member"
grep -q "退出台账" "$T/out-mouse/bar-quit.txt" && pass || fail "a click on the key bar is its F-key"

# the monthly report's bar charts (F6), ASCII '#' scaled to the width
run report zh 24 80
run report_en en 24 80

# platform work (issue 8): a job fair gets a vacancy and a sign-in with an
# intention (by ID number), its summary; a complaint logged by the staff
# member signed in (first-inquiry owner); the notice board saved as an A4
# page; staff performance and the platform checklist
tz record list person --where employment_status=unemployed
idn=$(awk -F '\t' 'NR > 1 && $4 != "" { print $4 }' "$OUT" | tail -n 1)
pname=$(awk -F '\t' -v i="$idn" '$4 == i { print $3 }' "$OUT")
sed "s|@IDN@|$idn|" "$here/platform.keys" >"$T/platform.keys"
run platform zh 24 80 "$T/platform.keys"
run platform_en en 24 80
grep -q "已签到：$pname" "$T/out-platform/signed.txt" && pass || fail "the sign-in names the person"
tz record list attendance
grep -qE "$(printf '\t')2026-06-15$(printf '\t')[0-2][0-9]:[0-5][0-9]$(printf '\t')" "$OUT" && pass ||
	fail "the sign-in is in the database with its date and time"
tz record list referral --where status=referred --where date=2026-06-15
expect_eq "$(($(wc -l <"$OUT") - 1))" 1 "the intention became a referral dated today"
tz record list complaint --where complainant=王大妈
expect_eq "$(($(wc -l <"$OUT") - 1))" 1 "the complaint typed on the form is in the database"
tz record list staff --where name=何娜婷
owner=$(sed -n 2p "$OUT" | cut -f1)
tz record list complaint --where complainant=王大妈 --where received_by="$owner"
expect_eq "$(($(wc -l <"$OUT") - 1))" 1 "its first-inquiry owner is the staff member signed in"
# the person chosen on the form by typing mjj (a reference field opens a
# picker; nobody types an id): the first hit, 孟俊军 with an ID number
cid=$(sed -n 2p "$OUT" | cut -f1)
tz record get complaint "$cid"
pid=$(sed -n 's/^person=//p' "$OUT")
tz record get person "$pid"
grep -qx "name=孟俊军" "$OUT" && pass || fail "the complaint points at the person chosen in the picker"
grep -q "孟俊军" "$T/out-platform/complaint-filled.txt" && pass || fail "the form shows the person's name, not an id"
grep -q "size: A4" "$T/out-platform/notice.html" && pass || fail "the A4 notice page saved from the screen"
# a power cut in the middle of a form: the keys come through a FIFO that
# stays open, the program is killed (-9) once the draft holds what was
# typed; the next start asks to restore it, and F2 then saves it
mkfifo "$T/draft.fifo"
{ cat "$here/draft1.keys"; exec sleep 30; } >"$T/draft.fifo" &
wpid=$!
mkdir -p "$T/out-draft1"
(cd "$T/out-draft1" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$T/draft.fifo" \
	exec "$TAIZHANG" --lang zh --db "$DB" >/dev/null 2>&1) &
tpid=$!
i=0
while ! grep -q "断电恢复" "$DB.draft" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $tpid 2>/dev/null
kill $wpid 2>/dev/null
wait $tpid 2>/dev/null
grep -q "f=name=断电恢复" "$DB.draft" && pass || fail "the killed program left a draft with the typed name"
run draft zh 24 80
grep -q "发现未保存的表单" "$T/out-draft/ask.txt" && pass || fail "the next start offers the draft"
grep -q "姓名\* *断电恢复" "$T/out-draft/restored.txt" && pass || fail "the restored form holds the typed name"
tz record list person --where name=断电恢复
n=$(($(wc -l <"$OUT") - 1))
expect_eq "$n" 1 "the restored form saved the record"
[ ! -e "$DB.draft" ] && pass || fail "saving removes the draft"
# a draft of a form with reference fields holds their ids; restored, the
# form shows the names and saves the ids
printf 'table=complaint\nid=\nf=kind=咨询\nf=complainant=断电来电\nf=person=%s\nf=received=2026-06-15\nf=received_by=%s\nf=subject=询问培训补贴\n' \
	"$pid" "$owner" >"$DB.draft"
run refdraft zh 24 80 "$here/draft.keys"
grep -q "人员 *孟俊军" "$T/out-refdraft/restored.txt" && pass || fail "the restored form names the person"
tz record list complaint --where complainant=断电来电 --where person="$pid" --where received_by="$owner"
expect_eq "$(($(wc -l <"$OUT") - 1))" 1 "the restored form saved the references' ids"
# F4 on an empty person field before typing: the first persons, by name
printf 'table=complaint\nid=\nf=complainant=某人\nf=person=\n' >"$DB.draft"
printf 'key Enter\ntype 2468\nkey Enter\nkey y\nkey Down\nkey F4\nsave s.txt\nkey Esc\nkey Esc\nkey y\n' >"$T/first.keys"
tui first "$DB" "$T/first.keys" --lang zh
sed -n '4,22p' "$T/out-first/s.txt" | awk '{ print $1 }' >"$T/first.names"
[ "$(wc -l <"$T/first.names")" -ge 10 ] && LC_ALL=C sort -c "$T/first.names" && pass ||
	fail "with nothing typed the person picker lists persons by name"
# the vacancy picker offers only vacancies open today (2026-06-15), as
# matching has it: one closed here (valid until 2026-06-01), those not
# yet or no longer valid left out
tz record list vacancy
all=$(($(wc -l <"$OUT") - 1))
vid=$(awk -F'\t' 'NR == 2 { print $1 }' "$OUT")
tz record set vacancy "$vid" valid_until=2026-06-01
expect_rc 0 "a vacancy closed"
tz record list vacancy
open=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	($(c["valid_until"]) == "" || $(c["valid_until"]) >= "2026-06-15") &&
	($(c["valid_from"]) == "" || $(c["valid_from"]) <= "2026-06-15") { n++ }
	END { print n + 0 }' "$OUT")
printf 'table=aid_action\nid=\nf=kind=跟踪回访\nf=vacancy=\n' >"$DB.draft"
printf 'key Enter\ntype 2468\nkey Enter\nkey y\nkey Down\nkey F4\nsave s.txt\nkey Esc\nkey Esc\nkey y\n' >"$T/vac.keys"
tui vac "$DB" "$T/vac.keys" --lang zh
shown=$(sed -n '4,22p' "$T/out-vac/s.txt" | grep -c '[^ ]')
[ "$open" -lt "$all" ] && [ "$shown" = "$open" ] && pass ||
	fail "the vacancy picker lists the $open open vacancies of $all (shows $shown)"

# the household picker, a household found by a member's name: the head's
# name first (what the form shows once chosen), the member's after it
tz record list household
awk -F'\t' 'NR > 1 { print $1 "\t" $6 }' "$OUT" >"$T/heads"
tz record list person
member=$(awk -F'\t' 'NR == FNR { head[$1] = $2; next } FNR > 1 && head[$2] != "" && head[$2] != $3 {
	print $3 "\t" head[$2]; exit }' "$T/heads" "$OUT")
mname=$(printf '%s' "$member" | cut -f1) mhead=$(printf '%s' "$member" | cut -f2)
printf 'table=person\nid=\nf=name=测试人\nf=household=\n' >"$DB.draft"
printf 'key Enter\ntype 2468\nkey Enter\nkey y\nkey Down\ntype %s\nsave hh.txt\nkey Enter\nsave chosen.txt\nkey Esc\nkey y\n' \
	"$mname" >"$T/hh.keys"
tui hh "$DB" "$T/hh.keys" --lang zh
[ -n "$mname" ] && grep -q "^ $mhead（$mname）" "$T/out-hh/hh.txt" && pass ||
	fail "a household found by its member $mname is listed as $mhead（$mname）"
grep -q "户 *$mhead *$" "$T/out-hh/chosen.txt" && pass || fail "the form then names the head, $mhead"

# a reference to a record with a long name (100 characters) shows it whole:
# the label is never cut inside a UTF-8 character (no U+FFFD on the form)
long=$(awk 'BEGIN { s = "A"; for (i = 0; i < 99; i++) s = s "中"; print s }')
tz record add employer "name=$long" region=430181100201
expect_rc 0 "an employer with a 100-character name"
printf 'table=event_offer\nid=\nf=employer=%s\n' "$(cat "$OUT")" >"$DB.draft"
printf 'key Enter\ntype 2468\nkey Enter\nkey y\nsave s.txt\nkey Esc\nkey y\n' >"$T/longref.keys"
tui longref "$DB" "$T/longref.keys" --lang zh
grep -q "参会单位.*中中中中中中中中中中" "$T/out-longref/s.txt" && pass || fail "the form names the employer"
grep -q "$(printf '\357\277\275')" "$T/out-longref/s.txt" && fail "a long label cut inside a character" || pass

# ui.lock_minutes = 0: idle does not lock; no --lang: ui.lang (zh, set back on
# the settings screen) is used although LANG=C.UTF-8 means English
tz setting set ui.lock_minutes 0
printf 'key Enter\ntype 2468\nkey Enter\nidle\nsave s.txt\n' >"$T/nolock.keys"
tui nolock "$DB" "$T/nolock.keys"
grep -q "首页" "$T/out-nolock/s.txt" && pass || fail "with ui.lock_minutes 0 idle does not lock (in Chinese from ui.lang)"
# a table with more rows than the picker lists at once (2000): a record
# past them is still found by typing its name (the table is read again,
# narrowed); a separate database without PINs
big="$T/big.db"
"$TAIZHANG" --db "$big" init --role village --region 430181100201 --name 大村 >/dev/null 2>&1
awk 'BEGIN { print "name,region"; for (i = 0; i < 2100; i++) printf "单位%04d,430181100201\n", i }' \
	>"$T/many.csv"
"$TAIZHANG" --db "$big" import-csv employer "$T/many.csv" >/dev/null 2>&1
expect_rc 0 "2100 employers imported"
last=$("$TAIZHANG" --db "$big" record list employer | tail -1 | cut -f2)
printf 'table=event_offer\nid=\nf=employer=\n' >"$big.draft"
printf 'key y\nkey F4\nsave all.txt\ntype %s\nsave found.txt\nkey Enter\nsave chosen.txt\nkey Esc\nkey y\n' \
	"$last" >"$T/big.keys"
tui big "$big" "$T/big.keys" --lang zh
grep -q "只列出前 2000 条" "$T/out-big/all.txt" && pass || fail "the picker says it lists only the first 2000"
grep -q "参会单位\* *$last" "$T/out-big/chosen.txt" && pass || fail "$last, past the first 2000 rows read, is found and chosen"

# "today" is the local date (tz_clock_today), not UTC's: at 17:00 UTC on 30 June it
# is already 1 July in China.  The title bar, the date a new visit and a new
# aid case start with, the report's month and a referral made on the match
# screen all say July (last here: the referral moves the database's clock on;
# the employer with vacancies is the second, after the long-named one above)
cat >"$T/today.keys" <<KEYS
key Enter
type 2468
key Enter
save home.txt
key F3
key Enter
key F6
save visit.txt
key Esc
key y
key F3
key F5
save case.txt
key Esc
key y
key Esc
key Esc
key Esc
key F7
save report.txt
key Esc
key F4
key Down
key F6
key F7
key F5
save referred.txt
KEYS
(export TZ=Asia/Shanghai TAIZHANG_NOW=2026-06-30T17:00:00; tui today "$DB" "$T/today.keys" --lang zh)
o=$T/out-today
sed -n 1p "$o/home.txt" | grep -q "2026-07-01$" && pass || fail "the title bar shows the local date"
sed 1d "$o/visit.txt" | grep -q "2026-07-01" && pass || fail "a new visit starts on the local date"
sed 1d "$o/case.txt" | grep -q "2026-07-01" && pass || fail "a new aid case is opened on the local date"
grep -q "监测月报  2026-07" "$o/report.txt" && pass || fail "the report opens on the local month"
grep -q "已登记推荐" "$o/referred.txt" && pass || fail "a referral made on the match screen"
tz record list referral --where date=2026-07-01
expect_eq "$(($(wc -l <"$OUT") - 1))" 1 "the referral is dated the local day"
# a roster from the stick, as an office keeps it (GB18030, a title row,
# 序号, 住址 left empty below the head's row as merged cells save, a column
# no field answers to): F6, F4 on the stick, Enter on the file, F4 leaves
# the unknown column out, Enter and y import; Esc, then the same file again
# finds everyone already there
mkdir -p "$T/stick/花名册"
a=$(idnum 43018119680101123)
b=$(idnum 43018119700305234)
c=$(idnum 43018119920506345)
printf '%s\r\n' '永安镇金塘村劳动力花名册,,,,,,,,,,,' \
	'序号,姓名,性别,身份证号码,户主姓名,与户主关系,家庭住址,联系电话,文化程度,就业状态,籍贯,备注' \
	"1,张建国,男,$a,张建国,户主,金塘村1组5号,13807310001,高中,在家务农,湖南," \
	"2,李秀英,女,$b,,妻,,,初中,务工,湖南," \
	"3,张伟,男,$c,,长子,,13807310003,大专,外出打工,湖南,在广东" |
	iconv -f UTF-8 -t GB18030 >"$T/stick/花名册/金塘村.csv"
d0=$DB
DB=$T/roster.db
tz init --role village --region 430181200201 --name 金塘村
tz setting set sync.last_dir "$T/stick"
cat >"$T/roster.keys" <<KEYS
key F6
key F4
save files.txt
key Enter
save preview.txt
key F4
save ready.txt
key Enter
type y
save done.txt
key Esc
key Enter
save again.txt
key Esc
key Esc
key Esc
key F7
key F5
key Enter
save report.txt
KEYS
tui roster "$DB" "$T/roster.keys" --lang zh
o=$T/out-roster
expect_eq "$(grep -c '花名册/金塘村.csv' "$o/files.txt")" 1 "the stick's CSV file listed"
expect_eq "$(grep -c '编码：GB18030' "$o/preview.txt")" 1 "GB18030 recognised"
expect_eq "$(grep -c '身份证号码 *→ 身份证号' "$o/preview.txt")" 1 "身份证号码 read as the ID number"
expect_eq "$(grep -c '家庭住址 *→ 户·住址' "$o/preview.txt")" 1 "家庭住址 read as the household's address"
expect_eq "$(grep -c '张建国 | 李秀英 | 张伟' "$o/preview.txt")" 1 "the first rows shown"
expect_eq "$(grep -c '籍贯 *→ ？未识别' "$o/preview.txt")" 1 "the unknown column marked"
expect_eq "$(grep -c '改正之前不导入' "$o/preview.txt")" 1 "nothing imported while a column is unknown"
expect_eq "$(grep -c '籍贯 *→ 不导入' "$o/ready.txt")" 1 "F4 leaves it out"
expect_eq "$(grep -c '将新增 3 人，新建 1 户' "$o/ready.txt")" 1 "the trial: 3 persons, 1 household"
expect_eq "$(grep -c '已导入 3 人，新建 1 户' "$o/done.txt")" 1 "imported"
expect_eq "$(grep -c '已登记 3 人（相同 3，不同 0）' "$o/again.txt")" 1 "the same file again: all already there"
tz record list person
expect_eq "$(($(wc -l <"$OUT") - 1))" 3 "three persons in the database"
expect_eq "$(cut -f2 "$OUT" | sed 1d | sort -u | wc -l | tr -d ' ')" 1 "one household for the three"
tz record list person --where name=李秀英
expect_out "$b" "the wife's ID number"
expect_out "spouse" "妻 is spouse"
# the report screen's F5 offers the stick last used; Enter saves the xlsx
x="$T/stick/月报-2026-06.xlsx"
expect_eq "$(grep -c "已保存 $x" "$o/report.txt")" 1 "the monthly report saved from the screen"
expect_eq "$(/usr/bin/python3 -c 'import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active; print(ws["A2"].value, ws["B2"].value)' "$x" 2>&1)" \
	"430181200201 1" "the saved xlsx: the village's code as text, one household"
DB=$d0

finish
