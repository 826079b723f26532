#!/bin/sh
# End to end: bundles encrypted to their recipients (docs/bundle-format.md,
# version 2).  A village encrypts to its township and county; a bundle on a
# lost stick shows no name or ID number; a township that is not a recipient
# is refused clearly; the auditor verifies with the keyring alone, stock
# minisign too; truncated and altered bundles are refused; unencrypted
# (version 1) bundles are taken only where the setting allows; the township
# forwards the original encrypted bundle and the county reads it; an older
# database gets its encryption key on first unlock.
. "$(dirname "$0")/lib.sh"

VDB=$T/village.db
TDB=$T/township.db
CDB=$T/county.db
SDB=$T/stranger.db
STICK=$T/stick
mkdir "$STICK"
tzv() { DB=$VDB; tz "$@"; }
tzt() { DB=$TDB; tz "$@"; }
tzc() { DB=$CDB; tz "$@"; }
tzs() { DB=$SDB; tz "$@"; }

# ---- keys: the village knows its township and county ----
tzt init --role township --region 430181100000 --name 城关镇
tzc init --role county --region 430181000000 --name 浏阳市
tzs init --role township --region 430181100000 --name 另一镇
tzv init --role village --region 430181100201 --name 石门村
expect_rc 0 "init"
for d in v t c s; do
	eval "tz$d key export-public \"\$T/$d.pub\""
	expect_rc 0 "export-public $d"
	eval "tz$d key show"
	eval "${d}KID=\$(sed -n 's/^key_id	//p' \"\$OUT\")"
done
tzv keyring add "$T/t.pub" --role township --region 430181100000
tzv keyring add "$T/c.pub" --role county --region 430181000000
tzt keyring add "$T/v.pub" --role village --region 430181100201
tzt keyring add "$T/c.pub" --role county --region 430181000000
tzc keyring add "$T/v.pub" --role village --region 430181100201
tzc keyring add "$T/t.pub" --role township --region 430181100000
tzs keyring add "$T/v.pub" --role village --region 430181100201
expect_rc 0 "enrolments"
cp "$TDB" "$T/township-copy.db"

# ---- a village with real-looking data ----
tzv demo --seed 7 --villages 1 --households 40
expect_rc 0 "demo"
tzv dump
awk -F'\t' '$1 == "person" && ($3 == "name" || $3 == "id_number") && $4 != "" { print $4 }' \
	"$OUT" | sort -u >"$T/secrets"
expect_eq "$([ "$(wc -l <"$T/secrets")" -gt 50 ] && echo many)" many "names and ID numbers to look for"
cp "$VDB" "$T/village-copy.db"
tzv export --out "$STICK"
expect_rc 0 "encrypted export"
B=$(cat "$OUT")
expect_eq "$(od -An -tu2 -j8 -N2 "$B" | tr -d ' ')" 2 "format version 2"
expect_eq "$(od -An -tu2 -j10 -N2 "$B" | tr -d ' ')" 1 "flag: encrypted"
expect_eq "$(od -An -tu2 -j132 -N2 "$B" | tr -d ' ')" 3 "three recipients: village, township, county"

# a lost stick: neither strings nor a byte search finds a name or an ID number
strings -n 2 "$B" >"$T/strings"
found=0
while IFS= read -r x; do
	if grep -qF -- "$x" "$T/strings" || grep -qaF -- "$x" "$B"; then
		found=$((found + 1))
	fi
done <"$T/secrets"
expect_eq "$found" 0 "no name or ID number readable in the encrypted bundle"
# the same search finds them in an unencrypted bundle of the same data,
# once inflated: the search would see them if they were there
DB=$T/village-copy.db
tz setting set sync.encrypt 0
tz export --out "$T/plain"
expect_rc 3 "no such folder"
mkdir "$T/plain"
tz export --out "$T/plain"
expect_rc 0 "unencrypted export (setting sync.encrypt 0)"
P=$(cat "$OUT")
expect_eq "$(od -An -tu2 -j8 -N2 "$P" | tr -d ' ')" 1 "format version 1"
plen=$(od -An -tu4 -j112 -N4 "$P" | tr -d ' ')
{ printf '\037\213\010\000\000\000\000\000\000\003'; tail -c +139 "$P" | head -c $((plen - 2)); } |
	gzip -dc 2>/dev/null >"$T/plain.ops"
found=0
while IFS= read -r x; do
	grep -qaF -- "$x" "$T/plain.ops" && found=$((found + 1))
done <"$T/secrets"
expect_eq "$found" "$(wc -l <"$T/secrets" | tr -d ' ')" "every one is in the unencrypted payload"

# ---- the township (a recipient) imports; another township cannot ----
tzs dump
cp "$OUT" "$T/s-before"
tzs import "$STICK"
expect_rc 1 "a township not among the recipients"
expect_out "refused	$B	" "refused line"
expect_out "not among the bundle's 3 recipients" "says why"
expect_one_error_line "not a recipient"
tzs --lang zh import "$STICK"
expect_err "不在该数据包的 3 个接收方之中" "in Chinese too"
tzs dump
if cmp -s "$OUT" "$T/s-before"; then pass; else fail "a refused bundle changed the stranger's database"; fi
TAIZHANG_PASSPHRASE=wrong "$TAIZHANG" --db "$TDB" import "$STICK" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "a wrong passphrase"
expect_one_error_line "wrong passphrase"
expect_err "passphrase" "says so"
tzt import "$STICK"
expect_rc 0 "the township imports"
expect_out "applied	$B	" "applied"
tzv dump
cp "$OUT" "$T/v-dump"
tzt dump
if cmp -s "$OUT" "$T/v-dump"; then pass; else fail "township and village dumps differ"; fi

# ---- the auditor: the keyring only ----
tzt keyring export "$T/ring.txt"
"$TAIZHANG" --db "$T/auditor.db" verify --keyring "$T/ring.txt" "$STICK" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the auditor verifies the encrypted bundle"
expect_out "OK $B origin=" "OK line"
to=$(sed -n 's/.* encrypted to=\([^ ]*\).*/\1/p' "$OUT")
expect_eq "$(echo "$to" | tr ',' '\n' | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$vKID" "$tKID" "$cKID" | sort | tr '\n' ' ')" "encrypted to the village, township and county"
[ ! -e "$T/auditor.db" ] && pass || fail "verify created a database"
if command -v minisign >/dev/null 2>&1; then
	head -c -411 "$B" >"$T/b.body"
	tail -c 411 "$B" >"$T/b.body.minisig"
	minisign -V -p "$T/v.pub" -m "$T/b.body" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0 "stock minisign verifies the encrypted bundle's body"
	expect_out "Trusted comment: taizhang-bundle v2 " "version 2 in the trusted comment"
fi

# ---- truncated and altered ----
size=$(wc -c <"$B" | tr -d ' ')
hl=$(od -An -tu4 -j12 -N4 "$B" | tr -d ' ')
# both_refuse FILE WHAT: the township's import refuses FILE, the auditor's
# verify fails it
both_refuse() {
	"$TAIZHANG" --db "$T/township-copy.db" import "$1" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1 "$2: refused"
	"$TAIZHANG" --db "$T/auditor.db" verify --keyring "$T/ring.txt" "$1" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1 "$2: verify fails"
}
for cut in 100 $hl $((hl + 24)) $((hl + 500)) $((size - 411 - 1)) $((size - 411)) $((size - 1)); do
	head -c "$cut" "$B" >"$T/cut.tzb"
	both_refuse "$T/cut.tzb" "truncated to $cut bytes"
done
# a sealed file key, the stream header, the last chunk: one byte each
for off in $((136 + 112 + 40)) $((hl + 3)) $((size - 411 - 2)); do
	cp "$B" "$T/flip.tzb"
	o=$(od -An -tu1 -j"$off" -N1 "$T/flip.tzb" | tr -d ' ')
	printf "\\$(printf '%03o' $(((o + 1) % 256)))" | dd of="$T/flip.tzb" bs=1 seek="$off" conv=notrunc 2>/dev/null
	both_refuse "$T/flip.tzb" "byte $off changed"
done
DB=$T/township-copy.db
tz dump
expect_eq "$(grep -c . "$OUT")" 0 "nothing reached the township copy"

# ---- unencrypted bundles: only where allowed ----
tz import "$P"
expect_rc 1 "an unencrypted bundle is refused by default"
expect_out "not encrypted" "says why"
expect_one_error_line "unencrypted refused"
tz setting set sync.accept_plaintext 1
expect_rc 0 "allow unencrypted bundles"
tz import "$P"
expect_rc 0 "now the unencrypted bundle imports"
expect_out "applied	$P	" "applied"
tz dump
if cmp -s "$OUT" "$T/v-dump"; then pass; else fail "the unencrypted bundle gives another state"; fi

# ---- forwarding: the original, unchanged; the county reads it ----
mkdir "$T/up"
tzt export --out "$T/up" --forward
expect_rc 0 "the township forwards"
FW=$(sed -n 1p "$OUT")
if cmp -s "$FW" "$B"; then pass; else fail "the forwarded bundle differs from the village's"; fi
tzc import "$T/up"
expect_rc 0 "the county imports the forwarded bundle"
expect_out "applied	$FW	" "applied at the county"
tzc dump
if cmp -s "$OUT" "$T/v-dump"; then pass; else fail "county dump differs"; fi

# ---- downward: the township's vacancy to its villages ----
tzt keyring add "$T/v.pub" --role village --region 430181100201
tzt record add employer name=某厂 credit_code=91350100M000100Y43
tzt export --out "$T/down"
mkdir "$T/down"
tzt export --out "$T/down"
expect_rc 0 "township export"
TB=$(cat "$OUT")
expect_eq "$(od -An -tu2 -j132 -N2 "$TB" | tr -d ' ')" 3 "to itself, its village and its county"
tzv import "$T/down"
expect_rc 0 "the village reads the township's bundle"
tzs import "$T/down"
expect_rc 1 "the other township does not"

# ---- an older database: the encryption key comes on first unlock ----
DB=$T/old.db
tz init --role village --region 430181100203 --name 旧村
tz record add household village=430181100203 address=老户
tz dump
cp "$OUT" "$T/old-dump"
sqlite3 "$T/old.db" "DELETE FROM meta WHERE k IN ('enc_pk', 'enc_seed', 'enc_sig')"
tz key show
expect_out "encryption_key	-" "no encryption key yet"
tz key export-public "$T/old.pub"
expect_eq "$(wc -l <"$T/old.pub" | tr -d ' ')" 2 "its public key file has no encryption line"
tz keyring add "$T/t.pub" --role township --region 430181100000
mkdir "$T/old"
tz export --out "$T/old"
expect_rc 0 "the first unlock creates the key, then exports encrypted"
tz key show
expect_eq "$(sed -n 's/^encryption_key	//p' "$OUT" | grep -cE '^[A-Za-z0-9+/]{43}=$')" 1 "now it has one"
tz dump
if cmp -s "$OUT" "$T/old-dump"; then pass; else fail "the migration changed the data"; fi
tz key export-public "$T/old.pub"
expect_eq "$(wc -l <"$T/old.pub" | tr -d ' ')" 3 "and its public key file carries it"
tzt keyring add "$T/old.pub" --role village --region 430181100203
tzt import "$T/old"
expect_rc 0 "the township reads the migrated village's bundle"

finish
