#!/bin/sh
# Over the network, on loopback: two villages push to the township's
# server, a vacancy made at the township is pulled back down, the township
# pushes (its own and the forwarded village bundles) to the county's server.
# Refusals (unknown key, garbage, oversize, bad hash, too many headers) get
# a clear status and one line; the server keeps serving; SIGTERM stops it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

TDB=$T/township.db
CDB=$T/county.db
V1=$T/v1.db
V2=$T/v2.db
tzt() { DB=$TDB; tz "$@"; }
tzc() { DB=$CDB; tz "$@"; }
tzv1() { DB=$V1; tz "$@"; }
tzv2() { DB=$V2; tz "$@"; }
count_in() { ls -A "$1" 2>/dev/null | grep -c '\.tzb$'; }

tzt init --role township --region 430181100000 --name 城关镇
tzc init --role county --region 430181000000 --name 浏阳市
tzv1 init --role village --region 430181100201 --name 石门村
tzv2 init --role village --region 430181100202 --name 白沙村
for d in t c v1 v2; do "tz$d" key export-public "$T/$d.pub"; done
tzt keyring add "$T/v1.pub" --role village --region 430181100201
tzt keyring add "$T/v2.pub" --role village --region 430181100202
tzt keyring add "$T/c.pub" --role county --region 430181000000
for d in v1 v2; do "tz$d" keyring add "$T/t.pub" --role township --region 430181100000; done
# bundles are encrypted to their readers: a village's to its township and county
for d in v1 v2; do "tz$d" keyring add "$T/c.pub" --role county --region 430181000000; done
tzc keyring add "$T/t.pub" --role township --region 430181100000
tzc keyring add "$T/v1.pub" --role village --region 430181100201
tzc keyring add "$T/v2.pub" --role village --region 430181100202
expect_rc 0 "keys enrolled"

tzv1 record add household village=430181100201 address=一组12号 phone=13800138000
H1=$(cat "$OUT")
tzv1 record add person household="$H1" name=张三 id_number=11010519491231002X
P1=$(cat "$OUT")
tzv2 record add household village=430181100202 address=二组3号
H2=$(cat "$OUT")

start_server TS "$TDB" && pass || fail "township server starts"
expect_eq "$(grep -c 'listening on 127.0.0.1:' "$T/TS.log")" 1 "the log says where it listens"

# ---- villages push ----
tzv1 push --to "$TS_URL"
expect_rc 0 "village 1 pushes"
expect_out "applied	" "applied line"
expect_out "new=2" "two changes applied at the township"
expect_eq "$(count_in "$V1.outbox")" 0 "the outbox is empty once the server has the bundle"
tzv2 push --to "$TS_URL/"
expect_rc 0 "village 2 pushes (trailing slash in the address)"
tzv1 push
expect_rc 0 "push again, the address remembered"
expect_err "nothing new to push" "nothing new"
tzv1 setting get net.url
expect_eq "$(cat "$OUT")" "$TS_URL" "net.url remembered"
tzt record get household "$H1"
expect_out "address=一组12号" "village 1's household at the township"
tzt record get household "$H2"
expect_out "address=二组3号" "village 2's household at the township"
B1=$(ls "$TDB.spool/in" | head -n 1)
expect_eq "$(ls "$TDB.spool/in" | wc -l | tr -d ' ')" 2 "two bundles in the spool"
expect_eq "$(ls -A "$TDB.spool/tmp" | wc -l | tr -d ' ')" 0 "no temporary file left"

# the same bundle again (as a retry after a lost answer would): present, nothing applied twice
tzt dump
cp "$OUT" "$T/t1"
http PUT "$TS_URL/bundles/${B1%.tzb}" -T "$TDB.spool/in/$B1"
expect_code 200 "re-upload answers 200"
expect_out "present " "re-upload is present"
tzt dump
if cmp -s "$OUT" "$T/t1"; then pass; else fail "re-upload changed the township"; fi

# a device nobody enrolled
DB=$T/stranger.db
tz init --role village --region 430181100209 --name 陌生村
tz keyring add "$T/t.pub" --role township --region 430181100000
tz record add household village=430181100209 address=外村
tz push --to "$TS_URL"
expect_rc 1 "unknown key refused"
expect_one_error_line "refusal"
expect_err "unknown key" "says unknown key"
expect_eq "$(count_in "$T/stranger.db.outbox")" 1 "the refused bundle stays in the outbox"
SB=$(ls "$T/stranger.db.outbox"/*.tzb)
http PUT "$TS_URL/bundles/$(body_hash "$SB")" -T "$SB"
expect_code 403 "unknown key: 403"

# ---- garbage and hostile requests ----
http GET "$TS_URL/health"
expect_code 200 "health"
http POST "$TS_URL/bundles" -d x
expect_code 405 "POST refused"
http GET "$TS_URL/etc/passwd"
expect_code 404 "no path taken from the request"
http GET "$TS_URL/bundles/../../township.db"
expect_code 404 "no traversal"
http GET "$TS_URL/bundles?after=abc"
expect_code 400 "bad cursor"
head -c 5000 /dev/urandom >"$T/junk"
http PUT "$TS_URL/bundles/$(body_hash "$T/junk")" -T "$T/junk"
expect_code 422 "random bytes with the right hash: refused as not a bundle"
expect_out "refused " "one line"
http PUT "$TS_URL/bundles/0000000000000000000000000000000000000000000000000000000000000000" -T "$SB"
expect_code 400 "hash in the address differs from the body's"
http PUT "$TS_URL/bundles/$(body_hash "$SB")" -H 'Transfer-Encoding: chunked' -T "$SB"
expect_code 411 "chunked upload refused"
hdrs=""
for i in $(seq 1 60); do hdrs="$hdrs -H X-$i:y"; done
# shellcheck disable=SC2086
http GET "$TS_URL/health" $hdrs
expect_code 431 "too many headers"
expect_eq "$(ls -A "$TDB.spool/tmp" | wc -l | tr -d ' ')" 0 "still no temporary file left"
http GET "$TS_URL/health"
expect_code 200 "the server keeps serving"

# ---- the township adds a vacancy; villages pull it ----
tzt record add employer name=长沙某电子厂 credit_code=91350100M000100Y43 phone=0731-88889999
E=$(cat "$OUT")
tzt record add vacancy employer="$E" title=装配工 openings=20 wage_min=4000 wage_max=6000 \
	valid_until=2026-09-30
VAC=$(cat "$OUT")
tzv1 pull
expect_rc 0 "village 1 pulls"
expect_out "applied	" "pulled and applied"
tzv1 record list vacancy
expect_out "$VAC	$E	装配工	20" "the vacancy reached village 1"
tzv1 pull
expect_rc 0 "pull again"
expect_err "nothing new on the server" "nothing new"
tzv2 pull --from "$TS_URL"
expect_rc 0 "village 2 pulls"
tzv2 record get vacancy "$VAC"
expect_out "title=装配工" "the vacancy reached village 2"
expect_eq "$(grep -c ' GET /bundles 200 ' "$T/TS.log")" 3 "one log line per list request"

# ---- the township forwards to the county with the same push ----
start_server CS "$CDB" && pass || fail "county server starts"
tzt push --to "$CS_URL"
expect_rc 0 "township pushes to the county"
expect_eq "$(grep -c '^applied	' "$OUT")" 3 "its own bundle and both village bundles"
tzc record get person "$P1"
expect_out "name=张三" "a village's person reached the county"
tzc dump
cp "$OUT" "$T/c-dump"
tzt dump
if cmp -s "$OUT" "$T/c-dump"; then pass; else fail "county and township dumps differ"; fi
tzt push
expect_err "nothing new to push" "nothing forwarded twice"
# the county got the villages' original bytes
for f in "$TDB.spool/in"/*.tzb; do
	if cmp -s "$f" "$CDB.spool/in/$(basename "$f")"; then pass; else fail "$(basename "$f") forwarded changed"; fi
done

# ---- network failures: exit 3, one line, nothing lost ----
tzv1 record add household village=430181100201 address=三组1号
stop_server CS
tzv1 push --to "http://127.0.0.1:$CS_PORT" --retries 0
expect_rc 3 "no server: exit 3"
expect_one_error_line "no server"
expect_eq "$(count_in "$V1.outbox")" 1 "the bundle waits in the outbox"
tzv1 push --to "$TS_URL"
expect_rc 0 "sent once the server is there"
expect_eq "$(count_in "$V1.outbox")" 0 "outbox empty"
tzv1 push --to "ftp://x"
expect_rc 2 "not an http address"
expect_one_error_line "bad address"

# ---- the full-screen program: F8 push, F9 pull on the sync screen ----
tzv2 record add household village=430181100202 address=五组8号
H5=$(cat "$OUT")
tzt record add vacancy employer="$E" title=焊工 openings=3 valid_until=2026-09-30
VAC2=$(cat "$OUT")
mkdir -p "$T/tui"
cat >"$T/tui.keys" <<KEYS
key F6
key F8
type $TS_URL
key Enter
type $TAIZHANG_PASSPHRASE
key Enter
save pushed.txt
key F9
key Enter
type $TAIZHANG_PASSPHRASE
key Enter
save pulled.txt
KEYS
(cd "$T/tui" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT="$T/tui.keys" \
	"$TAIZHANG" --lang zh --db "$V2" >/dev/null 2>&1)
grep -q "推送完成：应用 1 个" "$T/tui/pushed.txt" && pass || fail "F8 pushed from the screen"
grep -q "乡镇服务器：$TS_URL" "$T/tui/pushed.txt" && pass || fail "the screen shows the server"
grep -q "拉取完成：应用 1 个" "$T/tui/pulled.txt" && pass || fail "F9 pulled with the remembered address"
tzt record get household "$H5"
expect_out "address=五组8号" "the household pushed from the screen reached the township"
tzv2 record get vacancy "$VAC2"
expect_out "title=焊工" "the vacancy pulled from the screen reached the village"

# ---- proxies come from the environment (libcurl) ----
tzv1 record add household village=430181100201 address=四组2号
http_proxy=http://127.0.0.1:9 tzv1 push --retries 0
expect_rc 3 "through a proxy that is not there: exit 3"
expect_err "nothing answers at 127.0.0.1:9" "the proxy was used (its address is the one named)"
expect_eq "$(count_in "$V1.outbox")" 1 "the bundle waits"
http_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1 tzv1 push --retries 0
expect_rc 0 "no_proxy: straight to the server"
expect_eq "$(count_in "$V1.outbox")" 0 "sent"

# ---- graceful stop ----
stop_server TS
expect_rc 0 "SIGTERM: clean exit"
expect_eq "$(grep -c 'stopped' "$T/TS.log")" 1 "the log says it stopped"
finish
