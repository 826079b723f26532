#!/bin/sh
# End to end: the round trip a new user does.  A village and a township
# enrol each other's keys, the village records data and exports it to a
# folder standing in for a USB stick, the township imports it, adds a
# vacancy and exports, the village imports that; an auditor given the
# township's keyring verifies every bundle with `taizhang verify` and with
# stock minisign (docs/bundle-format.md: the signed body is the file minus
# its fixed-length signature trailer).
. "$(dirname "$0")/lib.sh"

VDB=$T/village.db
TDB=$T/township.db
STICK=$T/stick
mkdir "$STICK"

tzv() { DB=$VDB; tz "$@"; }
tzt() { DB=$TDB; tz "$@"; }
count_in() { ls -A "$1" | wc -l | tr -d ' '; }
# body length from the header: header_len (u32 at 12) + payload_len (u64 at 112, < 4 GiB here)
body_len() {
	h=$(od -An -tu4 -j12 -N4 "$1" | tr -d ' ')
	p=$(od -An -tu4 -j112 -N4 "$1" | tr -d ' ')
	echo $((h + p))
}

# ---- set up and enrol keys both ways ----
tzv init --role village --region 430181100201 --name 石门村
expect_rc 0 "init village"
tzt init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
tzv key show
VDEV=$(sed -n 's/^device	//p' "$OUT")
VKID=$(sed -n 's/^key_id	//p' "$OUT")
tzt key show
TDEV=$(sed -n 's/^device	//p' "$OUT")
TKID=$(sed -n 's/^key_id	//p' "$OUT")
tzv key export-public "$T/village.pub"
expect_rc 0 "village exports its public key"
tzt key export-public "$T/township.pub"
expect_rc 0 "township exports its public key"
tzt keyring add "$T/village.pub" --role village --region 430181100201
expect_rc 0 "township enrols the village"
tzv keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 0 "village enrols the township"
cp "$TDB" "$T/township-fresh.db" # a copy before any import (the chain-order test below)

# before enrolment nothing crosses: a third village nobody knows
tz_stranger() { "$TAIZHANG" --db "$T/stranger.db" "$@" >"$OUT" 2>"$ERR"; RC=$?; }
tz_stranger init --role village --region 430181100202 --name 陌生村
tz_stranger record add household village=430181100202 address=外村
mkdir "$T/strange"
tz_stranger export --out "$T/strange"
expect_rc 1 "a village that knows no township cannot export encrypted bundles"
expect_one_error_line "nobody to encrypt to"
expect_err "keyring add" "the message says how to enrol"
expect_eq "$(ls -A "$T/strange" | wc -l | tr -d ' ')" 0 "nothing written"
tz_stranger keyring add "$T/township.pub" --role township --region 430181100000
tz_stranger export --out "$T/strange"
expect_rc 0 "stranger exports"

# ---- the village records data ----
tzv record add household village=430181100201 address=一组12号 phone=13800138000
expect_rc 0 "household"
H=$(cat "$OUT")
tzv record add person household="$H" name=张三 id_number=11010519491231002X education=初中 \
	employment_status=失业 skills=电工
expect_rc 0 "person"
P=$(cat "$OUT")
tzv record add visit household="$H" staff=刘专干 date=2026-06-01 kind=home findings=家中3人 \
	satisfaction=5
expect_rc 0 "visit"
tzv record set person "$P" phone=13912345678
expect_rc 0 "edit the person"

# ---- export to the stick ----
tzv export --out "$STICK"
expect_rc 0 "village export"
B1=$(cat "$OUT")
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 "one bundle path printed"
expect_eq "$(echo "$B1" | grep -c "^$STICK/$(echo "$VDEV" | cut -c1-8)-1-4-[0-9a-f]\{16\}\.tzb\$")" 1 \
	"bundle named origin-first-last-hash.tzb"
expect_eq "$(count_in "$STICK")" 1 "exactly one file on the stick, no temporary left"
[ -f "$B1" ] && pass || fail "the printed path exists"
tzv export --out "$STICK"
expect_rc 0 "second export with nothing new"
expect_err "nothing new" "says there is nothing new"
expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "no path printed"
expect_eq "$(count_in "$STICK")" 1 "still one file"
tzv export --out "$T/no/such/stick"
expect_rc 3 "missing stick folder is an environment error"
expect_one_error_line "missing folder"
tzv export
expect_rc 2 "export needs --out"

# ---- the township imports ----
tzt import "$T/strange"
expect_rc 1 "unknown key refused"
expect_out "refused	" "refused line"
expect_out "keyring add" "the reason says how to enrol"
tzt import "$STICK"
expect_rc 0 "township imports the stick"
expect_eq "$(cat "$OUT")" "applied	$B1	origin=$VDEV seq=1-4 new=4" "applied line"
tzt record get person "$P"
expect_rc 0 "the person arrived"
expect_out "name=张三" "name"
expect_out "phone=13912345678" "the later edit arrived too"
tzt record list visit
expect_out "家中3人" "the visit arrived"
tzt dump
cp "$OUT" "$T/t-after-import"
tzt import "$STICK"
expect_rc 0 "importing again"
expect_eq "$(cat "$OUT")" "present	$B1	origin=$VDEV seq=1-4" "present line"
tzt dump
if cmp -s "$OUT" "$T/t-after-import"; then pass; else fail "re-import changed the state"; fi
tzt import "$B1" "$B1"
expect_rc 0 "the same file twice on one command line"
expect_out "present	" "second is present"
tzt check
expect_rc 0 "township check"

# a village does not take another village's bundle (role rule)
"$TAIZHANG" --db "$T/stranger.db" keyring add "$T/village.pub" --role village \
	--region 430181100201 >/dev/null 2>&1
DB=$T/stranger.db
tz import "$STICK"
expect_rc 1 "village refuses a village bundle"
expect_out "does not take bundles from a village" "role reason"

# ---- the township adds a vacancy and sends it back ----
tzt record add employer name=长沙某电子厂 credit_code=91350100M000100Y43 phone=0731-88889999
expect_rc 0 "employer at the township"
E=$(cat "$OUT")
tzt record add vacancy employer="$E" title=装配工 openings=20 wage_min=4000 wage_max=6000 \
	valid_until=2026-09-30
expect_rc 0 "vacancy at the township"
VAC=$(cat "$OUT")
mkdir "$T/back"
tzt export --out "$T/back"
expect_rc 0 "township export"
TB=$(cat "$OUT")
expect_eq "$(echo "$TB" | grep -c "^$T/back/$(echo "$TDEV" | cut -c1-8)-1-2-")" 1 \
	"the township exports only its own two changes"
tzv import "$T/back"
expect_rc 0 "village imports the township bundle"
expect_eq "$(head -n 1 "$OUT")" "applied	$TB	origin=$TDEV seq=1-2 new=2" "village applied line"
# the township's stick carries its receipt for the village's changes
expect_eq "$(grep -c "^receipt	$T/back/[0-9a-f]*\.tzr	device=.* seq=4 holder=$TDEV " "$OUT")" 1 \
	"the village takes the township's receipt for its 4 changes from the stick"
expect_eq "$(tail -n 1 "$OUT")" "outbox	removed=1" "and drops the copy of its bundle the receipt covers"
tzv record list vacancy
expect_out "$VAC	$E	装配工	20" "the vacancy appears at the village"
tzv record get employer "$E"
expect_out "name=长沙某电子厂" "with its employer"
tzv dump
cp "$OUT" "$T/v-dump"
tzt dump
if cmp -s "$OUT" "$T/v-dump"; then pass; else fail "village and township dumps differ after the round trip"; fi

# forwarding upward copies the village's bundle unchanged
mkdir "$T/up"
tzt export --out "$T/up" --forward
expect_rc 0 "forward"
FW=$(cat "$OUT")
expect_eq "$(echo "$FW" | wc -l | tr -d ' ')" 1 "one bundle forwarded"
if cmp -s "$FW" "$B1"; then pass; else fail "the forwarded bundle differs from the village's"; fi
tzt export --out "$T/up" --forward
expect_err "nothing new" "nothing forwarded twice"

# ---- the auditor ----
tzt keyring export "$T/ring.txt"
expect_rc 0 "township exports its keyring for the auditor"
AUD=$T/audit
mkdir "$AUD"
cp "$B1" "$TB" "$AUD/"
AUDDB=$T/auditor-has-no.db
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$AUD" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "verify passes"
expect_eq "$(grep -c '^OK ' "$OUT")" 2 "two OK lines"
expect_eq "$(grep -c '^FAIL' "$OUT")" 0 "no FAIL line"
expect_out "OK $AUD/$(basename "$B1") origin=$VDEV seq=1-4 key=$VKID ops=4" "village bundle OK line"
expect_out "OK $AUD/$(basename "$TB") origin=$TDEV seq=1-2 key=$TKID ops=2" "township bundle OK line"
expect_out "device $VDEV key=$VKID village 430181100201 intact 1-4" "village device intact"
expect_out "device $TDEV key=$TKID township 430181100000 intact 1-2" "township device intact"
expect_eq "$(wc -c <"$ERR" | tr -d ' ')" 0 "nothing on stderr"
[ ! -e "$AUDDB" ] && pass || fail "verify with --keyring created a database"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$B1" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "verify one file"

# ---- stock minisign ----
if command -v minisign >/dev/null 2>&1; then
	for b in "$B1" "$TB"; do
		case "$b" in "$B1") pub=$T/village.pub other=$T/township.pub dev=$VDEV ;;
		*) pub=$T/township.pub other=$T/village.pub dev=$TDEV ;; esac
		size=$(wc -c <"$b" | tr -d ' ')
		body=$(body_len "$b")
		# the trailer is 411 bytes: TZ_BUNDLE_TRAILER_BYTES (include/taizhang/bundle.h) =
		# 45 ("untrusted comment: taizhang bundle signature\n") + 101 (sig b64 + \n)
		# + 17 ("trusted comment: ") + 159 (comment + \n) + 89 (global sig b64 + \n)
		expect_eq "$((size - body))" 411 "$(basename "$b"): file = body + 411-byte trailer"
		expect_eq "$(tail -c 411 "$b" | head -c 19)" "untrusted comment: " "trailer starts where documented"
		head -c -411 "$b" >"$T/b.body"
		tail -c 411 "$b" >"$T/b.body.minisig"
		minisign -V -p "$pub" -m "$T/b.body" >"$OUT" 2>"$ERR"
		RC=$?
		expect_rc 0 "minisign -V $(basename "$b")"
		expect_out "Signature and comment signature verified" "minisign verified"
		expect_out "Trusted comment: taizhang-bundle v2 $dev 0000000000000000000" "trusted comment"
		tc=$(sed -n 's/^Trusted comment: //p' "$OUT")
		first=$(basename "$b" | cut -d- -f2)
		last=$(basename "$b" | cut -d- -f3)
		expect_eq "$(echo "$tc" | cut -d' ' -f4-5)" "$(printf '%020d %020d' "$first" "$last")" \
			"trusted comment repeats the seq range"
		if command -v b2sum >/dev/null 2>&1; then
			h=$(b2sum -l 256 "$T/b.body" | cut -d' ' -f1)
			expect_eq "$(echo "$tc" | cut -d' ' -f6)" "$h" "trusted comment holds BLAKE2b-256 of the body"
			expect_eq "$(basename "$b" .tzb | cut -d- -f4)" "$(echo "$h" | cut -c1-16)" \
				"the name carries the body hash"
		fi
		minisign -V -p "$other" -m "$T/b.body" >"$OUT" 2>"$ERR"
		RC=$?
		if [ "$RC" != 0 ]; then pass; else fail "minisign accepted the wrong key"; fi
		printf 'x' >>"$T/b.body"
		minisign -V -p "$pub" -m "$T/b.body" >"$OUT" 2>"$ERR"
		RC=$?
		if [ "$RC" != 0 ]; then pass; else fail "minisign accepted a changed body"; fi
	done
else
	echo "minisign not installed: skipping its checks"
fi

# ---- verification failures ----
# a keyring that lacks the village's key
grep -v "^$VKID " "$T/ring.txt" >"$T/ring-short.txt"
expect_eq "$(wc -l <"$T/ring-short.txt" | tr -d ' ')" 2 "short keyring: header and township"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring-short.txt" "$AUD" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "unknown key: verify fails"
expect_out "FAIL $AUD/$(basename "$B1") origin=$VDEV seq=1-4 unknown key $VKID" "FAIL line names the key"
expect_out "OK $AUD/$(basename "$TB")" "the other bundle still OK"
expect_one_error_line "verify failure"

# a tampered bundle: one byte of the payload changed
TAMP=$T/tamper
mkdir "$TAMP"
cp "$B1" "$TAMP/"
tb=$TAMP/$(basename "$B1")
off=$(($(body_len "$tb") - 5))
orig=$(od -An -tu1 -j"$off" -N1 "$tb" | tr -d ' ')
printf "\\$(printf '%03o' $(((orig + 1) % 256)))" | dd of="$tb" bs=1 seek="$off" conv=notrunc 2>/dev/null
if cmp -s "$tb" "$B1"; then fail "tampering did not change the file"; else pass; fi
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$TAMP" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "tampered: verify fails"
expect_out "FAIL $tb" "FAIL line for the tampered bundle"
expect_eq "$(grep -c '^OK ' "$OUT")" 0 "no OK line"
# the same at the township: refused, nothing changed
tzt dump
cp "$OUT" "$T/t-before-tamper"
tzt import "$tb"
expect_rc 1 "tampered bundle refused by import"
expect_out "refused	$tb	" "refused line"
tzt dump
if cmp -s "$OUT" "$T/t-before-tamper"; then pass; else fail "a refused bundle changed the state"; fi
# tamper with the trusted comment only: the seq range claimed in the trailer
cp "$B1" "$TAMP/tc.tzb"
sz=$(wc -c <"$TAMP/tc.tzb" | tr -d ' ')
# trusted comment text starts 45 + 101 + 17 bytes into the trailer; the last digit of first_seq
# is at 19 + 32 + 1 + 19 characters into it
off=$((sz - 411 + 45 + 101 + 17 + 19 + 32 + 1 + 19))
expect_eq "$(dd if="$TAMP/tc.tzb" bs=1 skip="$off" count=1 2>/dev/null)" 1 "found first_seq in the comment"
printf 2 | dd of="$TAMP/tc.tzb" bs=1 seek="$off" conv=notrunc 2>/dev/null
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$TAMP/tc.tzb" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "tampered trusted comment: verify fails"
expect_out "FAIL $TAMP/tc.tzb" "FAIL line"
# truncated
head -c 300 "$B1" >"$TAMP/short.tzb"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$TAMP/short.tzb" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "truncated: verify fails"
expect_out "FAIL $TAMP/short.tzb" "FAIL line for the truncated file"

# a folder missing a middle bundle: three more village exports
S2=$T/s2
S3=$T/s3
S4=$T/s4
mkdir "$S2" "$S3" "$S4"
tzv record set household "$H" note=第二批
tzv export --out "$S2"
expect_rc 0 "second village export"
B2=$(cat "$OUT")
expect_eq "$(basename "$B2" | cut -d- -f2-3)" "5-5" "second bundle holds seq 5"
tzv record set household "$H" note=第三批
tzv record add person household="$H" name=李四 id_number=34052419800101001X
tzv export --out "$S3"
expect_rc 0 "third village export"
B3=$(cat "$OUT")
expect_eq "$(basename "$B3" | cut -d- -f2-3)" "6-7" "third bundle holds seq 6-7"
tzv record set household "$H" note=第四批
tzv export --out "$S4"
B4=$(cat "$OUT")
GAP=$T/gap
mkdir "$GAP"
cp "$B1" "$B2" "$B4" "$GAP/"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$GAP" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "missing middle bundle: verify fails"
expect_eq "$(grep -c '^OK ' "$OUT")" 3 "each present bundle is OK"
expect_out "device $VDEV key=$VKID village 430181100201 gaps: holds 1-5,8-8, missing 6-7" \
	"device line reports the gap"
rm "$GAP/$(basename "$B1")"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$GAP" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "missing first bundle: verify fails"
expect_out "device $VDEV key=$VKID village 430181100201 gaps: holds 5-5,8-8, missing 1-4,6-7" \
	"device line reports both gaps"
cp "$B1" "$B3" "$GAP/"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$GAP" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "gap filled: verify passes"
expect_out "device $VDEV key=$VKID village 430181100201 intact 1-8" "intact 1-8"
# the same bundles given twice (folder and file) are not a fork
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$GAP" "$B3" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "a bundle given twice is no problem"
expect_out "intact 1-8" "still intact"

# the township meets the same gap on import, then fills it
tzt import "$B2" "$B4"
expect_rc 0 "import with a gap still applies"
expect_out "applied	$B4	origin=$VDEV seq=8-8 new=1 gap" "gap reported on import"
tzt check
expect_rc 1 "check reports the gap"
expect_out "gap	" "gap finding"
tzt import "$B3"
expect_rc 0 "fill the gap"
expect_out "applied	$B3	origin=$VDEV seq=6-7 new=2" "filled"
tzt check
expect_rc 0 "check clean after the gap is filled"
tzt record get household "$H"
expect_out "note=第四批" "the latest note wins regardless of arrival order"
tzv dump
cp "$OUT" "$T/v-dump"
tzt dump
if cmp -s "$OUT" "$T/v-dump"; then pass; else fail "village and township dumps differ at the end"; fi

# ---- chain rules when a bundle fills a gap ----
# A copy of the village database (same key) signs a different bundle for the
# same seq: equivocation.  The township holds 1-8 and the genuine 10-10,
# which chains onto the genuine 9-9.  The other 9-9 fills the gap, but
# 10-10 does not chain onto it: it must not be applied silently (verify calls
# the same set "chain broken at 10").
cp "$VDB" "$T/clone.db"
mkdir "$T/s5" "$T/s6" "$T/f5"
tzv record add household village=430181100201 address=真9号
tzv export --out "$T/s5"
B5=$(cat "$OUT")
tzv record add household village=430181100201 address=真10号
tzv export --out "$T/s6"
B6=$(cat "$OUT")
DB=$T/clone.db
tz record add household village=430181100201 address=假9号
tz export --out "$T/f5"
F5=$(cat "$OUT")
expect_eq "$(basename "$F5" | cut -d- -f2-3)|$(basename "$B5" | cut -d- -f2-3)" "9-9|9-9" \
	"two signed bundles for seq 9"
tzt import "$B6"
expect_rc 0 "10-10 applies with a gap"
expect_out " gap" "gap reported"
tzt dump
cp "$OUT" "$T/t-before-fork"
tzt import "$F5"
expect_rc 1 "a 9-9 that 10-10 does not chain onto is refused"
expect_out "refused	$F5	" "refused line for the equivocating bundle"
tzt record list household --where address=假9号
expect_eq "$(($(wc -l <"$OUT") - 1))" 0 "the equivocating bundle's household was not applied"
tzt dump
if cmp -s "$OUT" "$T/t-before-fork"; then pass; else fail "the equivocating bundle changed the state"; fi
tzt import "$B5"
expect_rc 0 "the genuine 9-9 fills the gap"
expect_out "applied	$B5	" "genuine applied"
tzt check
expect_rc 0 "check clean with the genuine chain"
# the auditor's view of the same bundles
FK=$T/fork
mkdir "$FK"
cp "$B5" "$B6" "$F5" "$FK/"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$FK" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "verify: two bundles for seq 9"
expect_out "FORK" "verify reports the fork"
rm "$FK/$(basename "$B5")"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring.txt" "$FK" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "verify: 10-10 not chained onto the other 9-9"
expect_out "chain broken at 10" "verify reports the broken chain"

# ---- a complete folder imports without a false gap ----
# Bundle names carry the seq range in decimal (…-10-10-….tzb sorts before
# …-9-9-….tzb): a folder holding a device's whole chain 1-10 must import
# in chain order and report no gap.
WHOLE=$T/whole
mkdir "$WHOLE"
cp "$B1" "$B2" "$B3" "$B4" "$B5" "$B6" "$WHOLE/"
DB=$T/township2.db
tz init --role township --region 430181100000 --name 另一镇
tz keyring add "$T/village.pub" --role village --region 430181100201
# a township the village never enrolled is not among the recipients
tz import "$WHOLE"
expect_rc 1 "another township cannot read the village's bundles"
expect_eq "$(grep -c '^refused	.*not among the bundle.s 2 recipients' "$OUT")" 6 "each refused: not a recipient"
tz dump
expect_eq "$(grep -c . "$OUT")" 0 "nothing applied there"
# the village's own township, as it was before any import
DB=$T/township-fresh.db
tz import "$WHOLE"
expect_rc 0 "import a folder with the whole chain"
expect_eq "$(grep -c '^applied	' "$OUT")" 6 "six bundles applied"
expect_eq "$(grep -c ' gap$' "$OUT")" 0 "no gap reported for a complete folder"
expect_eq "$(sed -n 's/.*seq=\([0-9]*-[0-9]*\).*/\1/p' "$OUT" | tr '\n' ' ')" "1-4 5-5 6-7 8-8 9-9 10-10 " \
	"bundles applied in chain order"

# ---- a revoked key ----
tzt keyring revoke "$VKID" --after-seq 7
expect_rc 0 "the township revokes the village key after seq 7"
tzt keyring export "$T/ring2.txt"
"$TAIZHANG" --db "$AUDDB" verify --keyring "$T/ring2.txt" "$GAP" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "verify with the key revoked"
expect_out "FAIL $GAP/$(basename "$B4") origin=$VDEV seq=8-8 key $VKID revoked after 7" \
	"the bundle past the revocation fails"
expect_eq "$(grep -c '^OK ' "$OUT")" 3 "the bundles before it are OK"
expect_out "device $VDEV key=$VKID village 430181100201 intact 1-7" "chain up to the revocation"


# ---- business conflicts found at import (review) ----
# a village opens two aid cases for one person: the township that merges
# them lists the person once; bundles that do not touch the cases add nothing
RV=$T/review-village.db
RT=$T/review-township.db
tzrv() { DB=$RV; tz "$@"; }
tzrt() { DB=$RT; tz "$@"; }
tzrv init --role village --region 430181100203 --name 三村
tzrt init --role township --region 430181100000 --name 城关镇
tzrv key export-public "$T/rv.pub"
tzrt key export-public "$T/rt.pub"
tzrt keyring add "$T/rv.pub" --role village --region 430181100203
tzrv keyring add "$T/rt.pub" --role township --region 430181100000
tzrv record add household village=430181100203 address=一组
RH=$(cat "$OUT")
tzrv record add person household="$RH" name=刘一
RP=$(cat "$OUT")
tzrv record add person household="$RH" name=刘二
RP2=$(cat "$OUT")
tzrv record add aid_case person="$RP" opened=2026-11-01 status=open category=dibao
RC1=$(cat "$OUT")
tzrv record add aid_case person="$RP" opened=2026-11-02 status=active category=disabled
RC2=$(cat "$OUT")
tzrv record add aid_case person="$RP2" opened=2026-11-02 status=open category=dibao
mkdir "$T/rs1" "$T/rs2" "$T/rs3"
tzrv export --out "$T/rs1"
tzrt import "$T/rs1"
expect_rc 0 "the township merges the cases"
expect_out " review=1" "one person with two open cases: one review item"
tzrt check
expect_rc 1 "check lists the review item"
expect_out "review	to review (open_cases): person $RP " "the review names the person with two open cases"
expect_eq "$(grep -c "$RP2" "$OUT")" 0 "the person with one open case is not listed"
tzrv record add visit household="$RH" date=2026-11-20 kind=home
tzrv export --out "$T/rs2"
tzrt import "$T/rs2"
expect_rc 0 "a later bundle without case changes"
expect_eq "$(grep -c 'review=' "$OUT")" 0 "adds no review item"
tzrv record set aid_case "$RC2" status=closed close_reason=placed closed=2026-11-25
tzrv record add aid_case person="$RP2" opened=2026-11-26 status=open category=disabled
tzrv export --out "$T/rs3"
tzrt import "$T/rs3"
expect_out " review=1" "a second open case for the other person: found from the cases this bundle touched"
tzrt check
expect_out "review	to review (open_cases): person $RP2 " "the other person is listed"
# a second open case that waited in quarantine (the village clock ran five
# days ahead) is reviewed when it is released, at a later import
tzrv record add person household="$RH" name=刘三
RP3=$(cat "$OUT")
tzrv record add aid_case person="$RP3" opened=2026-11-01 status=open category=dibao
mkdir "$T/rs4" "$T/rs5"
tzrv export --out "$T/rs4"
tzrt import "$T/rs4"
expect_rc 0 "one open case for a third person"
export TAIZHANG_NOW="$(date -u -d '+5 days' +%Y-%m-%dT%H:%M:%S)"
tzrv record add aid_case person="$RP3" opened=2026-11-02 status=open category=disabled
tzrv export --out "$T/rs5"
unset TAIZHANG_NOW
tzrt import "$T/rs5"
expect_out " quarantined=1" "the case from five days ahead is held back"
expect_eq "$(grep -c ' review=' "$OUT")" 0 "and not reviewed yet"
export TAIZHANG_NOW="$(date -u -d '+10 days' +%Y-%m-%dT%H:%M:%S)"
tzrt import "$T/rs5"
unset TAIZHANG_NOW
expect_out "released	1" "ten days later the held-back case is released"
tzrt check
expect_out "review	to review (open_cases): person $RP3 " "and its person is reviewed"

finish
