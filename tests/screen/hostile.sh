#!/bin/sh
# Hostile text in the TUI.  `record add` refuses control characters, but a
# bundle from an enrolled village may carry any valid UTF-8 (import checks
# op data for UTF-8 and length only).  So a village's change log is edited
# (sqlite3) to hold names and addresses with terminal escape sequences
# (clear screen, cursor home, set title, colours, blink), right-to-left and
# other bidi controls, zero-width and format characters, combining marks,
# an emoji, a character beyond the BMP, and a 1500-character address;
# exported, signed and imported by the township as any bundle is.  Then:
# - golden screens (80x24) of the finder, the household and the member
#   form on the township: escapes shown as ^[ and <U+202E>, every row in
#   its columns (tests/screen/golden/hostile-*.txt; UPDATE_GOLDEN=1)
# - in a real terminal (tmux): no escape reached it (the title is not
#   set, the screen not cleared), the title and key bars stay on rows 1
#   and 24, no row runs past 80 columns.
. "$(dirname "$0")/../cli/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "skipped: needs sqlite3"
	finish
fi
REGION=430181100201
VDB=$T/village.db
TDB=$T/township.db
DB=$TDB
tz init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
tz key export-public "$T/t.pub"
DB=$VDB
tz init --role village --region $REGION --name 石门村
expect_rc 0 "init village"
tz key export-public "$T/v.pub"
tz keyring add "$T/t.pub" --role township --region 430181100000
expect_rc 0 "the village enrols the township"
tz record add household village=$REGION address=placeholder head_name=placeholder
expect_rc 0 "household"
H=$(cat "$OUT")
tz record add person household="$H" name=placeholder
expect_rc 0 "person"
tz record add household village=$REGION address=placeholder head_name=placeholder
H2=$(cat "$OUT")

# op data: (field varint, tag 2 = text, length varint, bytes)...
hexof() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
varint() {
	if [ "$1" -lt 128 ]; then printf '%02x' "$1"; else
		printf '%02x%02x' $((($1 & 127) | 128)) $(($1 >> 7))
	fi
}
field() { printf '%s02%s%s' "$(varint "$1")" "$(varint "$(printf '%s' "$2" | wc -c)")" "$(hexof "$2")"; }
# household: 1 village, 2 address, 5 head_name; person: 1 household, 2 name
ADDR=$(printf '\033[2J\033[H\033]0;pwned\007一组\342\200\256cba\033[31m红\033[0m')
HEAD=$(printf '王\342\200\213五\342\200\217e\314\201\314\201\314\201\342\201\240\357\273\277')
NAME=$(printf '张\360\237\232\200三\342\200\256\360\235\225\217\033[5m\342\201\246')
LONG=$(i=0; while [ $i -lt 300 ]; do printf '长地址'; i=$((i + 1)); done)$(i=0; while [ $i -lt 60 ]; do printf 'xxxxxxxxxx'; i=$((i + 1)); done)
HEAD2=$(printf '\342\200\256\342\200\256\342\200\256\342\200\256\342\200\256\342\200\256\342\200\256李\360\237\232\200\360\237\232\200\360\237\232\200\360\237\232\200\360\237\232\200\360\237\232\200')
q() { sqlite3 "$VDB" "$1"; }
# (3 phone: the screens find each household by it, as ids are random)
q "UPDATE op SET data = X'$(field 1 $REGION)$(field 2 "$ADDR")$(field 3 13800000001)$(field 5 "$HEAD")' WHERE seq = 1"
q "UPDATE op SET data = X'$(field 1 "$H")$(field 2 "$NAME")' WHERE seq = 2"
q "UPDATE op SET data = X'$(field 1 $REGION)$(field 2 "$LONG")$(field 3 13900000002)$(field 5 "$HEAD2")' WHERE seq = 3"
mkdir "$T/stick"
tz export --out "$T/stick"
expect_rc 0 "the village exports its edited change log"
DB=$TDB
tz keyring add "$T/v.pub" --role village --region $REGION
expect_rc 0 "the township enrols the village"
tz import "$T/stick"
expect_rc 0 "the township imports the hostile bundle"
expect_out "new=3" "all three changes applied"
tz record get household "$H"
expect_out '\x1b[2J' "the escape sequence arrived (escaped by record get)"

# ---- golden screens ----
mkdir -p "$T/scr"
cat >"$T/hostile.keys" <<KEYS
key F3
type 1380
save finder.txt
key Enter
save household.txt
key Enter
save person.txt
key Esc
key Esc
key Backspace
key Backspace
key Backspace
key Backspace
type 1390
save finder-long.txt
key Enter
save household-long.txt
KEYS
(cd "$T/scr" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 \
	TAIZHANG_TUI_SCRIPT="$T/hostile.keys" "$TAIZHANG" --lang zh --db "$TDB" >/dev/null 2>"$T/tui-err")
RC=$?
expect_rc 0 "the TUI runs through the hostile screens"
for f in finder household person finder-long household-long; do
	o=$T/scr/$f.txt
	g=$golden/hostile-$f.txt
	[ -f "$o" ] || { fail "$f: no screen saved"; continue; }
	if grep -q "$(printf '\033')" "$o"; then fail "$f: a raw ESC on the screen"; else pass; fi
	if [ "$(wc -l <"$o")" = 24 ]; then pass; else fail "$f: $(wc -l <"$o") rows"; fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$o" "$g"
		pass
	elif cmp -s "$o" "$g"; then
		pass
	else
		fail "$f differs from the golden screen"
		diff "$g" "$o" | head -20
	fi
done
grep -q '\^\[\[2J' "$T/scr/finder.txt" && pass || fail "the finder shows the escape as ^[[2J"
grep -q '<U+202E>' "$T/scr/household.txt" && pass || fail "the household shows RLO as <U+202E>"

# ---- a real terminal ----
if ! command -v tmux >/dev/null 2>&1; then
	echo "skipped: no tmux"
	finish
fi
sock="tzh$$"
tmx() { tmux -L "$sock" "$@"; }
trap 'tmx kill-server 2>/dev/null; rm -rf "$T"' EXIT
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tmx capture-pane -p -t tz 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
tmx -f /dev/null new-session -d -s tz -x 80 -y 24 \
	"LANG=C.UTF-8 TERM=xterm-256color TAIZHANG_NOW=$TAIZHANG_NOW $TAIZHANG --lang zh --db $TDB"
tmx set-option -t tz status off >/dev/null
tmx set-option -t tz allow-rename off >/dev/null 2>&1
wait_for "台账" && pass || fail "the TUI starts in tmux"
# each screen: rows 1 and 24 are the title and key bars, and nothing
# reached the terminal as an escape (title unchanged, ^[ shown)
look() {
	wait_for "$2" && pass || fail "$1: shows '$2'"
	tmx capture-pane -p -t tz >"$T/pane.txt"
	tmx capture-pane -p -e -t tz >"$T/pane-e.txt"
	head -n 1 "$T/pane.txt" | grep -q "台账" && pass || fail "$1: the title bar is on row 1"
	sed -n 24p "$T/pane.txt" | grep -q "10" && pass || fail "$1: the key bar is on row 24"
	t=$(tmx display-message -p -t tz '#{pane_title}')
	case $t in *pwned*) fail "$1: an escape set the terminal title" ;; *) pass ;; esac
	# no blinking text (SGR 5 from the data)
	if grep -q "$(printf '\033')\[[0-9;]*5m" "$T/pane-e.txt" ||
		grep -q "$(printf '\033')\[[0-9;]*;5;" "$T/pane-e.txt"; then
		fail "$1: blinking text reached the terminal"
	else
		pass
	fi
	cp "$T/pane.txt" "$T/pane-$1.txt"
}
tmx send-keys -t tz F3
tmx send-keys -t tz -l 1380
look finder "^[[2J"
tmx send-keys -t tz Enter
look household "<U+202E>"
tmx send-keys -t tz Enter
look person "张"
tmx send-keys -t tz Escape
tmx send-keys -t tz Escape
tmx send-keys -t tz BSpace BSpace BSpace BSpace
tmx send-keys -t tz -l 1390
look finder-long "长地址"
tmx send-keys -t tz Enter
look household-long "长地址"
# the finder row of the hostile household starts in its column
grep -q "^ 王" "$T/pane-finder.txt" && pass || fail "the hostile head's row starts in its column"
# what tmux shows is what the golden screen says curses drew
for f in finder household finder-long household-long; do
	if cmp -s "$T/pane-$f.txt" "$T/scr/$f.txt"; then pass; else
		fail "$f: the terminal shows something else than curses drew"
		diff "$T/scr/$f.txt" "$T/pane-$f.txt" | head -10
	fi
done
tmx send-keys -t tz F10
finish
