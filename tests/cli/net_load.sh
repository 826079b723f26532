#!/bin/sh
# Load, on loopback: many villages push at once to one township server.
# Each village is a real database with its own key, enrolled at the
# township; each exports one small bundle.  All of them are uploaded
# concurrently (curl --parallel, one connection per village, more than the
# server's connection limit so some wait in the listen queue) while a few
# villages run `taizhang push` at the same time.  Every bundle must be
# accepted exactly once (uploading them all again gives "present" only),
# and the township's dump must equal the dump of the same township state
# importing the same bundles from files.
#
# TZ_NET_VILLAGES (default 16 in `make test`; the figures in
# docs/network.md are from TZ_NET_VILLAGES=300).  Prints the push
# throughput (the concurrent uploads alone, timed) and the server's peak
# RSS (which includes the one Argon2id derivation, 64 MiB, that unlocks the
# key decrypting the uploads).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

N=${TZ_NET_VILLAGES:-16}
TDB=$T/township.db
mkdir "$T/b" "$T/k"
tzt() { DB=$TDB; tz "$@"; }
tzt init --role township --region 430181100000 --name 城关镇
tzt key export-public "$T/t.pub"

# ---- generate the villages once (two at a time) ----
gen_village() {
	i=$1
	d=$T/v$i.db
	reg=$(printf '430181100%03d' "$i")
	"$TAIZHANG" --db "$d" init --role village --region "$reg" --name "村$i" >/dev/null &&
		"$TAIZHANG" --db "$d" key export-public "$T/k/$i.pub" >/dev/null &&
		h=$("$TAIZHANG" --db "$d" record add household village="$reg" address="$i组$i号") &&
		"$TAIZHANG" --db "$d" record add person household="$h" name="村民$i" \
			employment_status=失业 skills=电工 >/dev/null &&
		"$TAIZHANG" --db "$d" keyring add "$T/t.pub" --role township --region 430181100000 \
			>/dev/null &&
		mkdir "$T/b/$i" && "$TAIZHANG" --db "$d" export --out "$T/b/$i" >/dev/null
}
export T TAIZHANG
i=1
while [ $i -le "$N" ]; do
	gen_village $i &
	p1=$!
	[ $((i + 1)) -le "$N" ] && { gen_village $((i + 1)) & p2=$!; } || p2=
	wait $p1 $p2
	i=$((i + 2))
done
expect_eq "$(ls "$T/b"/*/*.tzb | wc -l | tr -d ' ')" "$N" "$N village bundles generated"
for f in "$T/k"/*.pub; do
	i=$(basename "$f" .pub)
	"$TAIZHANG" --db "$TDB" keyring add "$f" --role village --region "$(printf '430181100%03d' "$i")" \
		>/dev/null 2>>"$ERR" || echo "enrol $i failed" >>"$ERR"
done
tzt keyring list
expect_eq "$(grep -c village "$OUT")" "$N" "all village keys enrolled"
# the reference: the same township importing the same files
cp "$TDB" "$T/ref.db"

# ---- all at once ----
K=$((N < 8 ? N : 8)) # villages that also run taizhang push meanwhile
j=1
while [ $j -le $K ]; do
	"$TAIZHANG" --db "$T/v$j.db" record add household village="$(printf '430181100%03d' "$j")" \
		address="新户$j" >/dev/null
	j=$((j + 1))
done
start_server TS "$TDB" --max-connections 200 --log "$T/TS.log" --no-export && pass || fail "server starts"
cfg=$T/curl.cfg
: >"$cfg"
bytes=0
for f in "$T/b"/*/*.tzb; do
	h=$(body_hash "$f")
	printf 'upload-file = "%s"\nurl = "%s/bundles/%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
		"$f" "$TS_URL" "$h" >>"$cfg"
	bytes=$((bytes + $(wc -c <"$f")))
done
t0=$(date +%s%N)
curl -s --parallel --parallel-immediate --parallel-max 300 --max-time 120 -K "$cfg" >"$T/codes" 2>"$T/curl.err"
t1=$(date +%s%N)
expect_eq "$(grep -c '^201$' "$T/codes")" "$N" "every concurrent upload applied (201)"
ms=$(((t1 - t0) / 1000000))
[ "$ms" -gt 0 ] || ms=1
rss=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$TS_PID/status")
echo "load: $N villages at once, $bytes bytes in ${ms} ms: $((N * 1000 / ms)) bundles/s, $((bytes * 1000 / ms / 1024)) KiB/s; server peak RSS $rss"

# ---- again: all present, nothing applied twice ----
# ... while K villages push new changes with taizhang push
tzt dump
cp "$OUT" "$T/after1"
j=1
pushpids=""
while [ $j -le $K ]; do
	"$TAIZHANG" --db "$T/v$j.db" push --to "$TS_URL" >"$T/push$j.out" 2>&1 &
	pushpids="$pushpids $!"
	j=$((j + 1))
done
curl -s --parallel --parallel-max 300 --max-time 120 -K "$cfg" >"$T/codes2" 2>/dev/null
prc=0
for p in $pushpids; do wait "$p" || prc=1; done
expect_eq "$prc" 0 "the villages running taizhang push meanwhile all succeeded"
expect_eq "$(grep -c '^200$' "$T/codes2")" "$N" "uploading everything again: all present"
expect_eq "$(cat "$T"/push*.out | grep -c '^applied	')" "$K" "each taizhang push applied its one new bundle"
tzt dump
LC_ALL=C sort "$OUT" >"$T/after2"
LC_ALL=C sort "$T/after1" >"$T/after1s"
expect_eq "$(LC_ALL=C comm -23 "$T/after1s" "$T/after2" | wc -l | tr -d ' ')" 0 \
	"the second round changed nothing that was there"
expect_eq "$(grep -c '新户' "$T/after2")" "$K" "and added the new households only"
expect_eq "$(grep -c ' PUT /bundles/[0-9a-f]* 201 ' "$T/TS.log")" "$((N + K))" \
	"the log shows each bundle applied exactly once"
expect_eq "$(ls "$TDB.spool/in" | wc -l | tr -d ' ')" "$((N + K))" "the spool holds each once"
expect_eq "$(ls -A "$TDB.spool/tmp" | wc -l | tr -d ' ')" 0 "no temporary file left"
stop_server TS
expect_rc 0 "clean stop"

# ---- the same bundles from files ----
DB=$T/ref.db
tz import "$TDB.spool/in"
expect_rc 0 "the reference imports the spool's files"
tz dump
cp "$OUT" "$T/ref-dump"
tzt dump
if cmp -s "$OUT" "$T/ref-dump"; then pass; else fail "the server's dump differs from importing the files"; fi
finish
