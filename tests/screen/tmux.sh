#!/bin/sh
# The outside check: the real program in a real terminal (tmux, private
# server, 80x24, no status line).  A new user records a household with two
# members and a visit, typing Chinese, finds a person by pinyin initials;
# then the database is checked through the command line.
. "$(dirname "$0")/../cli/lib.sh"
command -v tmux >/dev/null || { echo "skipped: no tmux"; finish; }
sock="tz$$"
tmx() { tmux -L "$sock" "$@"; }
trap 'tmx kill-server 2>/dev/null; rm -rf "$T"' EXIT

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"
# bundles are encrypted to the township: enrol one
"$TAIZHANG" --db "$T/township.db" init --role township --region 430181100000 --name 城关镇 \
	>/dev/null 2>&1
"$TAIZHANG" --db "$T/township.db" key export-public "$T/township.pub" >/dev/null 2>&1
tz keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 0 "enrol the township"

# wait until the screen shows text (bounded: 100 x 0.05 s)
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		if tmx capture-pane -p -t tz 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
screen() { tmx capture-pane -p -t tz >"$T/screen.txt"; }
keys() { tmx send-keys -t tz "$@"; }
text() { tmx send-keys -t tz -l "$1"; }

tmx -f /dev/null new-session -d -s tz -x 80 -y 24 \
	"LANG=C.UTF-8 TERM=xterm-256color TAIZHANG_NOW=$TAIZHANG_NOW $TAIZHANG --lang zh --db $DB"
tmx set-option -t tz status off >/dev/null
wait_for "数据概况" && pass || fail "home screen shows"

keys F3
wait_for "输入姓名" && pass || fail "household finder opens"
keys F5
wait_for "新增户" && pass || fail "new household form"
keys Down
text "一组12号"
keys Down
text "刘大山"
keys Down
text "13800138000"
keys F2
wait_for "已保存" && pass || fail "household saved"

text "lds"
wait_for "刘大山" && pass || fail "found the household by pinyin initials"
keys Enter
wait_for "家庭成员" && pass || fail "household screen"
keys F5
wait_for "新增成员" && pass || fail "new member form"
text "刘大山"
keys Down
text "11010519491231002X"
keys Down
wait_for "1949-12-31" && pass || fail "birth date derived from the ID number on screen"
keys F2
wait_for "已保存" && pass || fail "first member saved"
keys F5
wait_for "新增成员" && pass || fail "second member form"
text "王小明"
keys F2
wait_for "已保存" && pass || fail "second member saved"
keys F6
wait_for "登记走访" && pass || fail "visit form"
keys Down Down
text "李专干"
keys Down Down
text "家中两人，均有务工意愿"
keys F2
wait_for "均有务工意愿" && pass || fail "visit saved and listed"
# an aid case for the selected member (刘大山): F3 lists them, F5 opens one
keys F3
wait_for "援助案例" && pass || fail "aid cases of the member"
keys F5
wait_for "认定日期" && pass || fail "new aid case form"
keys Down
text "李专干"
keys Down Down
text "需要技能培训"
keys F2
wait_for "已保存" && pass || fail "aid case saved"
keys Escape
wait_for "家庭成员" && pass || fail "back on the household"
keys Escape
wait_for "输入姓名" && pass || fail "back in the finder"
keys C-u
text "wxm"
wait_for "王小明" && pass || fail "found 王小明 by wxm"
screen
# export to a folder standing in for a USB stick, from the sync screen
mkdir -p "$T/stick"
keys Escape
wait_for "数据概况" && pass || fail "back home"
keys F6
wait_for "文件夹" && pass || fail "sync screen"
keys F3
wait_for "文件夹：" && pass || fail "folder prompt"
text "$T/stick"
keys Enter
keys F5
wait_for "口令：" && pass || fail "passphrase prompt"
text "$TAIZHANG_PASSPHRASE"
keys Enter
wait_for "已导出 1 个文件" && pass || { screen; cat "$T/screen.txt"; fail "exported to the folder"; }
keys F10
wait_for "退出台账" && pass || fail "quit asks"
text "y"
i=0
while tmx has-session -t tz 2>/dev/null && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done

tz record list person
expect_out "王小明" "member 1 in the database"
expect_out "1949-12-31" "derived birth date stored"
tz record list visit --where staff=李专干
expect_out "均有务工意愿" "visit in the database"
tz record list household
expect_out "一组12号" "household in the database"
tz record list aid_case --where owner=李专干
expect_out "需要技能培训" "aid case in the database"
tz verify "$T/stick"
expect_rc 0 "the bundle exported from the screen verifies"
tz check
expect_rc 0 "check"

# TERM=linux: the console cannot draw Chinese, so English and ASCII only
tmx -f /dev/null new-session -d -s tz -x 80 -y 24 \
	"LANG=C.UTF-8 TERM=linux TAIZHANG_NOW=$TAIZHANG_NOW $TAIZHANG --db $DB"
tmx set-option -t tz status off >/dev/null
wait_for "Records" && pass || fail "English on TERM=linux"
screen
if LC_ALL=C grep -q '[^ -~]' "$T/screen.txt"; then fail "only ASCII on TERM=linux"; else pass; fi
keys h
wait_for "Type a name" && pass || fail "household finder by hotkey"
text "wxm"
wait_for "???      " && pass || fail "Chinese names drawn as ? on the console"

# resizing: too small, then back
tmx resize-window -t tz -x 70 -y 20
wait_for "too small" && pass || fail "too-small screen below 80x24"
tmx resize-window -t tz -x 100 -y 30
wait_for "Households" && pass || { screen; cat "$T/screen.txt"; fail "redrawn after growing again"; }
keys F10
text "y"
finish
