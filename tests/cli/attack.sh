#!/bin/sh
# The attacks of issue #14 (docs/threat-model.md, "Attacks stopped"), each
# as a user meets it: a server that lies about sizes and about what it
# holds, a spool file written by someone else, and the rest.  Each block
# names the scenario it shows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

TDB=$T/township.db
V1=$T/v1.db
tzt() { DB=$TDB; tz "$@"; }
tzv1() { DB=$V1; tz "$@"; }
count_in() { ls -A "$1" 2>/dev/null | grep -c '\.tzb$'; }
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# the device id a public-key file names (its first line's comment)
origin_of() { sed -n 's/^untrusted comment: minisign public key [0-9A-F]* taizhang \([0-9a-f]*\) .*/\1/p' "$1"; }
# expect_line A B MSG: a line of stdout holds both A and B
expect_line() { if grep -F -- "$1" "$OUT" | grep -qF -- "$2"; then pass; else fail "$3 (no line with '$1' and '$2')"; fi; }
stop_fake() { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }

tzt init --role township --region 430181100000 --name 城关镇
tzv1 init --role village --region 430181100201 --name 石门村
for d in t v1; do "tz$d" key export-public "$T/$d.pub"; done
tzt keyring add "$T/v1.pub" --role village --region 430181100201
tzv1 keyring add "$T/t.pub" --role township --region 430181100000

# ---- 6: pull believes no size beyond the largest possible bundle ----
if [ $have_python = 1 ]; then
	start_fake biglist
	tzv1 pull --from "$FAKE_URL" --retries 0
	expect_rc 1 "6: a list naming a 200 MiB bundle is refused"
	expect_one_error_line "6: one error line"
	expect_err "does not answer like a taizhang server" "6: says the server is not one"
	grep -q "^GET /bundles/" "$T/fake.port.log" &&
		fail "6: the village downloaded the 200 MiB the lying server offered" || pass
	stop_fake
else
	echo "skipped: no python3 for the lying server (apt-get install python3)"
fi

# ---- 2: one live key per device id ----
V1_ORIGIN=$(origin_of "$T/v1.pub")
expect_eq "${#V1_ORIGIN}" 32 "2: the village's device id, from its key file"
# an outsider's key file, edited to claim village 1's device id (its
# encryption-key line, signed together with the real id, left out: a key
# file without one is still taken, as older ones were)
DB=$T/evil.db
tz init --role village --region 430181100209 --name 外人
tz key export-public "$T/evil.pub"
EVIL_ORIGIN=$(origin_of "$T/evil.pub")
sed -n "1s/$EVIL_ORIGIN/$V1_ORIGIN/p; 2p" "$T/evil.pub" >"$T/borrowed.pub"
tzt keyring add "$T/borrowed.pub" --role village --region 430181100201
expect_rc 1 "2: a second live key for an enrolled device is refused"
expect_one_error_line "2: one error line"
expect_err "device $V1_ORIGIN already has a live key" "2: naming the device and its key"
expect_err "revoke it first" "2: and saying how rotation works"
tzt keyring list
expect_eq "$(grep -c "$V1_ORIGIN" "$OUT")" 1 "2: the keyring keeps one key for the device"
tzt keyring add "$T/v1.pub" --role village --region 430181100201
expect_rc 0 "2: enrolling the same key again is fine"
expect_err "enrolled key " "2: keyring add says what it enrolled"
expect_err "for device $V1_ORIGIN (village 430181100201)" "2: with the device id and its place"
# the auditor's keyring file with two live keys for the device (written by
# hand, as a tampered or careless export would be): verify names both keys
# and fails
mkdir "$T/k1"
tzv1 record add household village=430181100201 address=一组2号
tzv1 export --out "$T/k1"
tzt keyring export "$T/kr"
evil_kid=$(sed -n 's/^untrusted comment: minisign public key \([0-9A-F]*\) .*/\1/p' "$T/evil.pub")
echo "$evil_kid $(sed -n 2p "$T/evil.pub") origin=$V1_ORIGIN role=village region=430181100201 name=外人" >>"$T/kr"
DB=$T/none.db
tz verify --keyring "$T/kr" "$T/k1"
expect_rc 1 "2: verify fails on a keyring with two live keys for one device"
expect_out "device $V1_ORIGIN key=" "2: the device line names the keys that signed"
expect_out "has 2 live keys: only one may sign for a device" "2: and says what is wrong"
tzt import "$T/k1"
expect_out "seq=1-1 new=1" "2: the township takes the village's own bundle"

# ---- 3: a held change is not released once its key is revoked ----
tzv1 record add household village=430181100201 address=一组1号
mkdir "$T/s1" "$T/s2"
tzv1 export --out "$T/s1"
tzt import "$T/s1"
expect_out "seq=2-2 new=1" "3: the village's next change applies"
# the village clock runs five days ahead: its next change is held back
TAIZHANG_NOW=2026-06-20 tzv1 record add household village=430181100201 address=五天后
TAIZHANG_NOW=2026-06-20 tzv1 export --out "$T/s2"
tzt import "$T/s2"
expect_out "quarantined=1" "3: the change from five days ahead is held back"
kid=$(DB=$TDB; tz keyring list; sed -n 2p "$OUT" | cut -f2)
tzt keyring revoke "$kid" --after-seq 2
expect_rc 0 "3: the township revokes the village key after change 2"
TAIZHANG_NOW=2026-06-25 tzt import "$T/s2"
expect_err "the key was revoked after change 2" "3: the bundle itself is refused now"
tzt record list household
expect_eq "$(grep -c 五天后 "$OUT")" 0 "3: the held change is not applied at release"
expect_out "一组1号" "3: what was signed before the revocation stays"
TAIZHANG_NOW=2026-06-25 tzt check
expect_out "to review (revoked_held): device " "3: check lists the dropped changes for review"
expect_out " changes: 3-3" "3: naming them"
expect_eq "$(sqlite3 "$TDB" 'SELECT count(*) FROM quarantine')" 0 "3: and nothing stays held"

# ---- 8: two imports at once keep the fork evidence ----
# a copy of village 3's database (the same device id and key) writes other
# changes under the same seq: two validly signed bundles for seq 1
DB=$T/v3.db
tz init --role village --region 430181100203 --name 三村
tz key export-public "$T/v3.pub"
tz keyring add "$T/t.pub" --role township --region 430181100000
tzt keyring add "$T/v3.pub" --role village --region 430181100203
sqlite3 "$T/v3.db" ".backup '$T/v3copy.db'"
mkdir "$T/f1" "$T/f2"
DB=$T/v3.db
tz record add household village=430181100203 address=分叉甲
tz export --out "$T/f1"
DB=$T/v3copy.db
tz record add household village=430181100203 address=分叉乙
tz export --out "$T/f2"
sqlite3 "$TDB" ".backup '$T/tbase.db'"
kept=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	sqlite3 "$T/tbase.db" ".backup '$T/tr.db'"
	"$TAIZHANG" --db "$T/tr.db" import "$T/f1" >"$T/o1" 2>&1 &
	p1=$!
	"$TAIZHANG" --db "$T/tr.db" import "$T/f2" >"$T/o2" 2>&1 &
	p2=$!
	wait $p1 $p2
	n=$(sqlite3 "$T/tr.db" "SELECT (SELECT count(*) FROM bundle WHERE status = 'fork') || ' ' ||
		(SELECT count(*) FROM bundle WHERE status = 'applied' AND first_seq = 1 AND
		 origin = (SELECT origin FROM keyring WHERE region = '430181100203'))")
	[ "$n" = "1 1" ] && kept=$((kept + 1))
done
expect_eq "$kept" 10 "8: in 10 runs of two imports at once, one applied and one kept as fork evidence"
grep -q "FORK" "$T/o1" "$T/o2" && pass || fail "8: the importer says FORK"

# ---- 9: a clock three hours ahead neither applies nor drags the township ----
# (the township's clock stood at 2026-06-25 since scenario 3)
tzv4() { DB=$T/v4.db; tz "$@"; }
tzv4 init --role village --region 430181100204 --name 四村
tzv4 key export-public "$T/v4.pub"
tzv4 keyring add "$T/t.pub" --role township --region 430181100000
tzt keyring add "$T/v4.pub" --role village --region 430181100204
mkdir "$T/c1"
TAIZHANG_NOW=2026-06-26T03:00:00 tzv4 record add household village=430181100204 address=快三小时
TAIZHANG_NOW=2026-06-26T03:00:00 tzv4 export --out "$T/c1"
V4_ORIGIN=$(origin_of "$T/v4.pub")
TAIZHANG_NOW=2026-06-26T00:00:00 tzt import "$T/c1"
expect_out "quarantined=1" "9: a change three hours ahead is held back (it was applied within 24 h)"
TAIZHANG_NOW=2026-06-26T00:00:00 tzt check
expect_out "to review (clock_ahead): device $V4_ORIGIN clock: up to 3 h ahead" \
	"9: the device whose clock runs ahead is named, and by how much"
expect_eq "$(grep -c '^clock' "$OUT")" 0 "9: the township's own clock is not dragged forward"
TAIZHANG_NOW=2026-06-26T04:00:00 tzt import "$T/c1"
expect_out "released	1" "9: once the township's clock reaches it, the change is released"
tzt record list household
expect_out "快三小时" "9: and applied"

# ---- 10: passphrase files, the environment, keyring changes ----
printf 'test-passphrase\n' >"$T/pass"
chmod 644 "$T/pass"
DB=$TDB
unset TAIZHANG_PASSPHRASE
tz --passphrase-file "$T/pass" keyring revoke "$kid" --after-seq 2
export TAIZHANG_PASSPHRASE=test-passphrase
expect_rc 1 "10: a passphrase file others can read is refused"
expect_err "can be read by others: chmod 600" "10: saying how to fix it"
chmod 600 "$T/pass"
unset TAIZHANG_PASSPHRASE
tz --passphrase-file "$T/pass" keyring revoke "$kid" --after-seq 2
export TAIZHANG_PASSPHRASE=test-passphrase
expect_rc 0 "10: the same file, 0600, is taken"
TAIZHANG_PASSPHRASE=wrong tz keyring revoke "$kid" --after-seq 2
expect_rc 1 "10: keyring revoke needs this PC's passphrase"
TAIZHANG_PASSPHRASE=wrong tz keyring add "$T/v4.pub" --role village --region 430181100204
expect_rc 1 "10: keyring add needs it too"

# a key put into the township's keyring with sqlite3 (no passphrase): every
# row is signed by the township's own key, so the keyring stops being used
if command -v sqlite3 >/dev/null 2>&1; then
	O=$T/outsider.db
	DB=$O tz init --role village --region 430181100201 --name 外来
	DB=$O tz key export-public "$T/o.pub"
	DB=$O tz keyring add "$T/t.pub" --role township --region 430181100000
	DB=$O tz record add household village=430181100201 address=冒名
	mkdir "$T/o10"
	DB=$O tz export --out "$T/o10"
	# the row as taizhang would write it, made in a copy, then put in without a signature
	cp "$TDB" "$T/copy10.db"
	DB=$T/copy10.db tz keyring add "$T/o.pub" --role village --region 430181100201
	sqlite3 "$TDB" "ATTACH '$T/copy10.db' AS c; INSERT INTO keyring SELECT key_id, pk, origin,
		role, region, name, added, revoked_after, enc, NULL FROM c.keyring
		WHERE key_id NOT IN (SELECT key_id FROM main.keyring)"
	tzt import "$T/o10"
	expect_rc 1 "10: the outsider's bundle, its key put in with sqlite3, is refused"
	expect_err "the keyring was changed outside taizhang" "10: saying the keyring was tampered with"
	tzt record list household
	if grep -q 冒名 "$OUT"; then fail "10: the outsider's household was applied"; else pass; fi
	tzt keyring list
	expect_rc 3 "10: keyring list says so too"
	tzt check
	expect_rc 1 "10: check fails"
	expect_out "keyring	the keyring was changed outside taizhang" "10: and reports it"
	# the same row signed by a copy of the township's database, then its region edited
	sqlite3 "$TDB" "DELETE FROM keyring WHERE sig IS NULL; ATTACH '$T/copy10.db' AS c;
		INSERT INTO keyring SELECT key_id, pk, origin, role, '430181100299', name, added,
		revoked_after, enc, sig FROM c.keyring WHERE key_id NOT IN (SELECT key_id FROM main.keyring)"
	tzt import "$T/o10"
	expect_rc 1 "10: a signed row with its region edited is refused too"
	okid=$(sed -n 's/^untrusted comment: minisign public key \([0-9A-F]*\) .*/\1/p' "$T/o.pub")
	tzt keyring revoke "$okid"
	expect_rc 0 "10: revoking the planted key (with the passphrase) signs it as revoked"
	tzt keyring list
	expect_rc 0 "10: and the keyring is usable again"
	tzt import "$T/o10"
	expect_out "revoked" "10: the outsider's bundle is refused as revoked"
else
	echo "skipped: no sqlite3 for the keyring tampering (apt-get install sqlite3)"
fi

# ---- 4: the signature is checked before anything is decrypted or inflated ----
# one byte of the ciphertext changed, the signature left as it was: the
# importer used to decrypt (and inflate) first and say the payload does not
# authenticate; now it stops at the signature, having read only the bytes
mkdir "$T/p4"
tzv4 record add household village=430181100204 address=改一字节
tzv4 export --out "$T/p4"
f4=$(ls "$T/p4"/*.tzb)
size=$(wc -c <"$f4" | tr -d ' ')
off=$((size - 411 - 10))
o=$(od -An -tu1 -j"$off" -N1 "$f4" | tr -d ' ')
cp "$f4" "$T/flip4.tzb"
printf "\\$(printf '%03o' $(((o + 1) % 256)))" | dd of="$T/flip4.tzb" bs=1 seek="$off" conv=notrunc 2>/dev/null
DB=$TDB
tz import "$T/flip4.tzb"
expect_out "bad signature" "4: a changed ciphertext is refused at the signature"
expect_eq "$(grep -c 'does not authenticate' "$OUT")" 0 "4: before it is decrypted"
tzt keyring export "$T/kr4"
DB=$T/none.db
tz verify --keyring "$T/kr4" "$T/flip4.tzb"
expect_rc 1 "4: verify refuses it too"
expect_out "bad signature" "4: verify says why"
# (village 4's clock stands past 2026-06-26T03:00 since scenario 9)
TAIZHANG_NOW=2026-06-26T05:00:00 tzt import "$f4"
expect_out "new=1" "4: the bundle as signed applies"

# ---- 11: a down.idx written by someone else cannot overflow serve ----
mkdir -p "$TDB.spool/down"
{
	echo "taizhang-spool v1 0123456789abcdef0123456789abcdef"
	long=$(printf 'x%.0s' $(seq 1 240))
	i=0
	while [ $i -lt 300 ]; do
		echo "$((1000000000000000000 + i)) $long$i.tzb"
		i=$((i + 1))
	done
	# lines serve must pass over: a path out of the folder, a number past
	# 2^63, a line of 100 000 bytes, a name without .tzb
	echo "1000000000000000400 ../../etc/passwd.tzb"
	echo "99999999999999999999 big.tzb"
	printf '1000000000000000401 %0100000d.tzb\n' 0
	echo "1000000000000000402 notabundle"
} >"$TDB.spool/down.idx"
# every line: 19 digits, a space and a 245-to-247-byte name (268 bytes with \n;
# serve sized each at 260)
start_server TS "$TDB" --no-export
expect_eq "$?" 0 "11: serve starts on a hostile down.idx"
http GET "$TS_URL/health"
expect_code 200 "11: and answers"
stop_server TS
expect_eq "$(grep -c '^1[0-9]\{18\} x' "$TDB.spool/down.idx")" 300 \
	"11: the index is written back whole: 300 long entries kept"
expect_eq "$(wc -l <"$TDB.spool/down.idx" | tr -d ' ')" 301 "11: and nothing else: the hostile lines are dropped"
head -n 1 "$TDB.spool/down.idx" | grep -q '^taizhang-spool v1 0123456789abcdef0123456789abcdef$' &&
	pass || fail "11: the spool id is kept"

# ---- 1: a village writes only what is its own ----
# The township sends down records of village 6 (a household and its member)
# and a vacancy; village 5, enrolled for 430181100205, renames, re-phones and
# deletes village 6's person, creates a household in village 6, changes the
# township's vacancy, moves its own household to village 6, and writes a
# staff row for village 6 and a platform row for the township -- beside its
# own ordinary work.  Before, the township applied all of it and `check`
# said ok.
export TAIZHANG_NOW=2026-06-27
tzv5() { DB=$T/v5.db; tz "$@"; }
tzv5 init --role village --region 430181100205 --name 五村
tzv5 key export-public "$T/v5.pub"
tzv5 keyring add "$T/t.pub" --role township --region 430181100000
tzt keyring add "$T/v5.pub" --role village --region 430181100205
tzt record add household village=430181100206 address=二村一组 head_name=钱二
HX=$(cat "$OUT")
tzt record add person household="$HX" name=钱二 phone=13900000022
PX=$(cat "$OUT")
tzt record add employer name=镇里的厂 credit_code=91350100M000100Y43
EX=$(cat "$OUT")
tzt record add vacancy employer="$EX" title=包装工 openings=5
VX=$(cat "$OUT")
mkdir "$T/down1" "$T/up1"
tzt export --out "$T/down1"
tzv5 import "$T/down1"
expect_rc 0 "1: the village takes the township's records"
tzv5 record set person "$PX" name=改名
tzv5 record set person "$PX" phone=13100000001
tzv5 record del person "$PX"
# (taizhang itself refuses a household in another village's code at a
# village: a hostile village gets round that by editing its own database)
tzv5 record add household village=430181100206 address=二村抢来的
expect_rc 1 "1: the village's own taizhang refuses a household in another village"
as_v6() { sqlite3 "$T/v5.db" "UPDATE meta SET v='$1' WHERE k='region'"; }
as_v6 430181100206
tzv5 record add household village=430181100206 address=二村抢来的
HB=$(cat "$OUT")
as_v6 430181100205
tzv5 record set vacancy "$VX" openings=50
tzv5 record add household village=430181100205 address=一组迁走
HM=$(cat "$OUT")
as_v6 430181100206
tzv5 record set household "$HM" village=430181100206
as_v6 430181100205
tzv5 record add staff name=外村人 region=430181100206
SB=$(cat "$OUT")
tzv5 record add platform region=430181100000 name=冒名服务站 level=township
PB=$(cat "$OUT")
# and its own work, which must still apply
tzv5 record add household village=430181100205 address=一组自己的
HO=$(cat "$OUT")
tzv5 record add employer name=村里的合作社
EO=$(cat "$OUT")
tzv5 record add vacancy employer="$EO" title=采茶工 openings=3
VO=$(cat "$OUT")
tzv5 record set vacancy "$VO" openings=4
tzv5 export --out "$T/up1"
tzt import "$T/up1"
expect_rc 0 "1: the township takes the bundle"
expect_out " unauthorized=" "1: and says some of it was not applied"
expect_err "changes not applied: outside what the device may write" "1: in words"
tzt record get person "$PX"
expect_out "name=钱二" "1: village 6's person keeps its name"
expect_out "phone=13900000022" "1: and its phone"
expect_eq "$(grep -c '^_deleted=1' "$OUT")" 0 "1: and is not deleted"
tzt record get household "$HB"
expect_rc 1 "1: no household is created in village 6 by village 5"
tzt record get vacancy "$VX"
expect_out "openings=5" "1: the township's vacancy keeps its openings"
tzt record get household "$HM"
expect_out "village=430181100205" "1: a household does not move to another village on its village's word"
tzt record get staff "$SB"
expect_rc 1 "1: no staff row for another village"
tzt record get platform "$PB"
expect_rc 1 "1: no platform row for the township"
tzt record get household "$HO"
expect_out "address=一组自己的" "1: the village's own household applies"
tzt record get vacancy "$VO"
expect_out "openings=4" "1: and the vacancy it created and changed itself"
tzt check
expect_rc 1 "1: check does not say ok"
expect_out "to review (unauthorized): person $PX " "1: the person's changes are listed for review"
expect_out "the record belongs to 430181100206, outside 430181100205" "1: with the reason"
expect_line "to review (unauthorized): household $HB " "puts the record in 430181100206" \
	"1: the household made in village 6"
expect_line "to review (unauthorized): vacancy $VX " "the township's to change" "1: the vacancy"
expect_line "to review (unauthorized): household $HM " \
	"moves the record from 430181100205 to 430181100206: a transfer is the township's to make" \
	"1: the move, which is the township's to make"
expect_out "to review (unauthorized): staff $SB " "1: the staff row"
expect_out "to review (unauthorized): platform $PB " "1: the platform row"
tz verify "$T/up1"
expect_rc 1 "1: verify at the township fails"
expect_line "village 430181100205 OUTSIDE ITS AUTHORITY: " "changes (seq 1-" \
	"1: and tells the auditor which device wrote what is not its own"
expect_line "OK $T/up1/" "seq=1-" "1: while the bundle itself verifies"
# the township makes the transfer itself: that is its to make
tzt record set household "$HM" village=430181100206
expect_rc 0 "1: the township moves the household"
unset TAIZHANG_NOW
export TAIZHANG_NOW=2026-06-15

# ---- 5: a front door that holds ----
if [ $have_python = 1 ]; then
	slow() { python3 "$(dirname "$0")/slow_client.py" "$@"; }
	DB=$TDB
	tz setting set net.max_per_address 4
	tz setting set net.header_seconds 60
	start_server FD "$TDB" --no-export --max-connections 8
	# ten connections from one address trickle header bytes; before, they
	# took all 8 slots and /health (from another address) timed out
	slow trickle "$FD_PORT" 10 4 >"$T/trickle1" &
	tp=$!
	sleep 1.5
	t0=$(date +%s%N)
	http GET "$FD_URL/health" --interface 127.0.0.2 --max-time 3
	t1=$(date +%s%N)
	expect_code 200 "5: /health answers while one address holds its share of connections"
	[ $(((t1 - t0) / 1000000)) -lt 1500 ] && pass || fail "5: at once ($(((t1 - t0) / 1000000)) ms)"
	wait $tp
	expect_eq "$(grep -c '^open' "$T/trickle1")" 4 "5: one address gets at most 4 connections (net.max_per_address)"
	stop_server FD
	# a client that takes its time over the headers is cut after
	# net.header_seconds (before, each byte restarted the idle timeout)
	tz setting set net.header_seconds 2
	tz setting set net.max_per_address 16
	tz setting set net.spool_tmp_mb 65
	start_server FD "$TDB" --no-export
	slow trickle "$FD_PORT" 3 7 >"$T/trickle2"
	expect_eq "$(grep -c '^closed [2-5]\.' "$T/trickle2")" 3 "5: slow headers are cut after 2 to 5 s"
	grep -q "sent no request headers within 2s" "$T/FD.log" && pass || fail "5: the log says why"
	# uploads in progress may hold net.spool_tmp_mb in tmp/ together
	h0=0000000000000000000000000000000000000000000000000000000000000000
	slow hold "$FD_PORT" "$h0" 41943040 /dev/null 0 4 &
	hp=$!
	sleep 0.5
	slow put "$FD_PORT" "$h0" 41943040 >"$T/put1"
	grep -q "^HTTP/1.1 503" "$T/put1" && pass || fail "5: a second 40 MiB upload beyond 65 MiB in tmp/ gets 503 at once ($(cat "$T/put1"))"
	grep -q "^Retry-After: 60" "$T/put1" && pass || fail "5: with Retry-After"
	wait $hp
	# an upload signed by a key the server has not enrolled is refused at its
	# first bytes: nothing of it is written to tmp/
	DB=$T/evil.db
	mkdir "$T/evil_out"
	tz keyring add "$T/t.pub" --role township --region 430181100000
	tz record add household village=430181100209 address=外人户
	tz export --out "$T/evil_out"
	ef=$(ls "$T/evil_out"/*.tzb)
	slow hold "$FD_PORT" "$(body_hash "$ef")" "$(wc -c <"$ef")" "$ef" 200 4 &
	hp=$!
	sleep 3
	expect_eq "$(ls -A "$TDB.spool/tmp" | wc -l | tr -d ' ')" 0 \
		"5: an upload by an unknown key holds nothing in tmp/ (it was written there before)"
	wait $hp
	# 405 names what the address takes
	CODE=$(curl -s -o /dev/null -D "$T/h405" -w '%{http_code}' -X DELETE "$FD_URL/health")
	expect_code 405 "5: DELETE /health"
	grep -qi "^Allow: GET, HEAD" "$T/h405" && pass || fail "5: with Allow: GET, HEAD"
	CODE=$(curl -s -o /dev/null -D "$T/h405" -w '%{http_code}' -X POST "$FD_URL/bundles/$h0")
	grep -qi "^Allow: GET, HEAD, PUT" "$T/h405" && pass || fail "5: a bundle's address: Allow: GET, HEAD, PUT"
	stop_server FD
	DB=$TDB
	for k in net.max_per_address net.header_seconds net.spool_tmp_mb; do tz setting unset "$k"; done
fi

finish
