#!/bin/sh
# Faults, on loopback: an upload cut off half-way, the server killed
# (SIGKILL) while writing and started again, a client sending slowly, a
# connection that sends nothing, garbage and oversize requests.  Nothing
# partial ever becomes visible, nothing is lost or applied twice, and the
# server keeps serving the others.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

TDB=$T/township.db
V1=$T/v1.db
V2=$T/v2.db
tzt() { DB=$TDB; tz "$@"; }
tzv1() { DB=$V1; tz "$@"; }
tzv2() { DB=$V2; tz "$@"; }
count_in() { ls -A "$1" 2>/dev/null | grep -c '\.tzb$'; }
tmp_left() { ls -A "$TDB.spool/tmp" 2>/dev/null | wc -l | tr -d ' '; }

tzt init --role township --region 430181100000 --name 城关镇
tzv1 init --role village --region 430181100201 --name 石门村
tzv2 init --role village --region 430181100202 --name 白沙村
for d in t v1 v2; do "tz$d" key export-public "$T/$d.pub"; done
tzt keyring add "$T/v1.pub" --role village --region 430181100201
tzt keyring add "$T/v2.pub" --role village --region 430181100202
# bundles are encrypted to the township: the villages enrol its key
tzv1 keyring add "$T/t.pub" --role township --region 430181100000
tzv2 keyring add "$T/t.pub" --role township --region 430181100000
# village 1 has a large bundle (about 170 KB), village 2 small ones
tzv1 demo --villages 1 --households 400 --region 430181100201
expect_rc 0 "demo data at village 1"
tzv2 record add household village=430181100202 address=二组3号
cp "$TDB" "$T/ref.db"
# the big bundle waits in village 1's outbox (no server yet: exit 3)
tzv1 push --to http://127.0.0.1:9 --retries 0
expect_rc 3 "no server yet"
expect_err "nothing answers at 127.0.0.1:9 (server or proxy not running" "says why in words"
tzv1 --lang zh push --to http://127.0.0.1:9 --retries 0
expect_err "：127.0.0.1:9 没有响应（服务器或代理未运行，或网络不通）" "in Chinese, reason included"
BIG=$(ls "$V1.outbox"/*.tzb)
# libcurl and libmicrohttpd are loaded when a network command runs
# (sync/net_lib.c): a broken one is a one-line error, and the rest works
mkdir "$T/badlib"
echo 'int tz_not_curl;' >"$T/badlib/x.c"
if cc -shared -fPIC -o "$T/badlib/libcurl.so.4" "$T/badlib/x.c" 2>/dev/null &&
	cp "$T/badlib/libcurl.so.4" "$T/badlib/libmicrohttpd.so.12"; then
	LD_LIBRARY_PATH=$T/badlib tzv1 push --to http://127.0.0.1:9 --retries 0
	expect_rc 3 "push with a broken libcurl: environment error"
	expect_err "libcurl.so.4 (curl_global_init)" "the error names the library and the missing function"
	expect_err "apt-get install libcurl4" "and the package to install"
	expect_eq "$(ls "$V1.outbox"/*.tzb)" "$BIG" "the outbox is as it was"
	LD_LIBRARY_PATH=$T/badlib tzt serve --listen 127.0.0.1:0
	expect_rc 3 "serve with a broken libmicrohttpd"
	expect_err "libmicrohttpd.so.12 (MHD_start_daemon)" "the error names it"
	LD_LIBRARY_PATH=$T/badlib tzv1 --lang zh verify "$BIG"
	expect_out "OK " "verify needs neither library"
	LD_LIBRARY_PATH=$T/badlib tzv1 --lang zh push --to http://127.0.0.1:9 --retries 0
	expect_err "缺少网络程序库 libcurl.so.4" "in Chinese too"
	expect_eq "$(wc -l <"$ERR" | tr -d ' ')" 1 "one line"
else
	fail "cc builds a stand-in library"
fi
BIGH=$(body_hash "$BIG")
cp "$BIG" "$T/big.tzb"

start_server TS "$TDB" --timeout 2 && pass || fail "server starts"
PORT=$TS_PORT

# ---- the connection cut half-way through an upload ----
curl -s -o /dev/null --limit-rate 20k -T "$BIG" "$TS_URL/bundles/$BIGH" &
cp=$!
sleep 1.5
kill -9 $cp 2>/dev/null
wait $cp 2>/dev/null
sleep 0.5
expect_eq "$(tmp_left)" 0 "the cut upload left no temporary file"
expect_eq "$(count_in "$TDB.spool/in")" 0 "and nothing in the spool"
grep -q "client went away\|closed" "$T/TS.log" && pass || fail "the log records the cut upload"
tzt dump
cp "$OUT" "$T/empty-dump"
DB=$T/ref.db
tz dump
if cmp -s "$OUT" "$T/empty-dump"; then pass; else fail "the cut upload changed the database"; fi

# ---- the server killed while an upload is being written; restarted ----
curl -s -o /dev/null --limit-rate 20k -T "$BIG" "$TS_URL/bundles/$BIGH" &
cp=$!
sleep 1.5
expect_eq "$(tmp_left)" 1 "an upload is being written"
kill -9 "$TS_PID"
wait "$TS_PID" 2>/dev/null
wait $cp 2>/dev/null
expect_eq "$(count_in "$TDB.spool/in")" 0 "nothing visible in the spool after the kill"
start_server TS "$TDB" --timeout 2 --listen "127.0.0.1:$PORT" && pass || fail "restarted on the same port"
expect_eq "$(tmp_left)" 0 "the restart cleared the partial upload"
tzt check
expect_rc 0 "the township database is sound"

# ... and killed again right when a complete upload lands (writing, fsync or import)
curl -s -o /dev/null -T "$BIG" "$TS_URL/bundles/$BIGH" &
cp=$!
size=$(wc -c <"$BIG")
i=0
while [ $i -lt 200 ]; do
	f=$(ls "$TDB.spool/tmp" 2>/dev/null | head -n 1)
	[ -n "$f" ] && [ "$(wc -c <"$TDB.spool/tmp/$f" 2>/dev/null || echo 0)" -ge "$size" ] && break
	[ "$(count_in "$TDB.spool/in")" = 1 ] && break
	sleep 0.01
	i=$((i + 1))
done
kill -9 "$TS_PID"
wait "$TS_PID" 2>/dev/null
wait $cp 2>/dev/null
start_server TS "$TDB" --timeout 2 --listen "127.0.0.1:$PORT" && pass || fail "restarted again"
tzt check
expect_rc 0 "sound after a kill during the import"
for f in "$TDB.spool/in"/*.tzb; do
	[ -e "$f" ] || continue
	[ "$(body_hash "$f").tzb" = "$(basename "$f")" ] && pass || fail "a spool file is not whole: $f"
done
# the village simply pushes again: applied, or present if the import had committed
tzv1 push --to "$TS_URL"
expect_rc 0 "village 1 pushes again"
expect_eq "$(grep -c '^applied	\|^present	' "$OUT")" 1 "its bundle: applied or present"
expect_eq "$(count_in "$V1.outbox")" 0 "its outbox is empty"

# ---- a slow client; the server keeps serving the others ----
DB=$TDB
tz setting set net.upload_seconds 3
stop_server TS
start_server TS "$TDB" --timeout 2 --listen "127.0.0.1:$PORT" && pass || fail "restarted with a 3 s upload limit"
# a real bundle (its header and key pass the server's first look), about
# 170 KB at 40 KB/s: over 4 s if it were let through
curl -s -o /dev/null --limit-rate 40k -T "$T/big.tzb" "$TS_URL/bundles/$BIGH" &
slow=$!
sleep 0.5
t0=$(date +%s%N)
http GET "$TS_URL/health"
expect_code 200 "health while a client trickles"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -lt 1500 ] && pass || fail "answered at once ($(((t1 - t0) / 1000000)) ms)"
tzv2 push --to "$TS_URL"
expect_rc 0 "another village pushes while a client trickles"
wait $slow
rc=$?
# curl: send failure (55), or an empty reply (52) when the cut comes as it sends its last bytes
[ $rc = 55 ] || [ $rc = 52 ] && pass || fail "the trickling client was cut off (curl exit $rc)"
grep -q "dropped: slower than 3s" "$T/TS.log" && pass || fail "the log names the slow upload"
pl=$(grep -n ' PUT /bundles/[0-9a-f]* 201 ' "$T/TS.log" | tail -n 1 | cut -d: -f1)
dl=$(grep -n 'dropped: slower' "$T/TS.log" | head -n 1 | cut -d: -f1)
[ "${pl:-0}" -gt 0 ] && [ "${pl:-0}" -lt "${dl:-0}" ] && pass ||
	fail "the push was applied while the slow upload was still going (log lines $pl, $dl)"
# a connection that promises a body and sends nothing: idle timeout (2 s)
t0=$(date +%s)
http PUT "$TS_URL/bundles/$BIGH" -H "Content-Length: 5000" --data-binary ""
t1=$(date +%s)
[ $((t1 - t0)) -le 6 ] && pass || fail "the silent connection was dropped ($((t1 - t0)) s)"
grep -q "timed out" "$T/TS.log" && pass || fail "the log records the timeout"
expect_eq "$(tmp_left)" 0 "no temporary file after slow and silent clients"

# ---- garbage and oversize ----
(printf 'GARBAGE\r\n\r\n'; sleep 1) | curl -s --max-time 3 "telnet://127.0.0.1:$PORT" >/dev/null 2>&1
(printf 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 1) | curl -s --max-time 3 "telnet://127.0.0.1:$PORT" >"$OUT" 2>/dev/null
grep -q '^HTTP/1.1 40[45] ' "$OUT" && pass || fail "a made-up request gets a 4xx answer"
head -c 200000 /dev/urandom | curl -s --max-time 3 "telnet://127.0.0.1:$PORT" >/dev/null 2>&1
http GET "$TS_URL/health"
expect_code 200 "still serving after random bytes"
http PUT "$TS_URL/bundles/$BIGH" -H "Content-Length: 99999999999" --data-binary "x"
expect_code 413 "a declared size beyond the limit: 413"
stop_server TS
start_server TS "$TDB" --max-mb 1 --listen "127.0.0.1:$PORT" && pass || fail "restarted with a 1 MiB limit"
head -c 1100000 /dev/zero >"$T/huge"
http PUT "$TS_URL/bundles/$BIGH" -T "$T/huge"
expect_code 413 "oversize upload: 413"
expect_out "larger than this server takes" "with a one-line reason"
http GET "$TS_URL/health"
expect_code 200 "still serving"

# ---- nothing lost, nothing duplicated ----
expect_eq "$(count_in "$TDB.spool/in")" 2 "the spool holds the two bundles once each"
expect_eq "$(grep -c ' PUT /bundles/[0-9a-f]* 201 ' "$T/TS.log")" \
	"$((2 - $(grep -c ' PUT /bundles/[0-9a-f]* 200 ' "$T/TS.log")))" "applied at most once each"
DB=$T/ref.db
tz import "$T/big.tzb" "$TDB.spool/in"
tz dump
cp "$OUT" "$T/ref-dump"
tzt dump
if cmp -s "$OUT" "$T/ref-dump"; then pass; else fail "the township differs from importing the files"; fi
stop_server TS
expect_rc 0 "clean stop"
finish
