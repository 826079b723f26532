#!/bin/sh
# End to end: a village exports its public key, the township enrols it,
# lists, revokes and exports its keyring; stock minisign reads the key file.
. "$(dirname "$0")/lib.sh"

VDB=$T/village.db
TDB=$T/township.db

DB=$T/none.db
tz key show
expect_rc 3 "key show without a database"
expect_one_error_line "no database"

DB=$VDB
tz init --role village --region 430181100201 --name "石门 村"
expect_rc 0 "init village"
tz key show
expect_rc 0 "key show"
expect_out "role	village" "role line"
expect_out "region	430181100201" "region line"
FP=$(sed -n 's/^fingerprint	//p' "$OUT")
KID=$(sed -n 's/^key_id	//p' "$OUT")
DEV=$(sed -n 's/^device	//p' "$OUT")
expect_eq "$(echo "$FP" | grep -cE '^([0-9a-f]{4} ){7}[0-9a-f]{4}$')" 1 "fingerprint in 8 groups"
expect_eq "$(echo "$KID" | grep -cE '^[0-9A-F]{16}$')" 1 "key id is 16 upper-case hex"
expect_eq "${#DEV}" 32 "device is 32 hex"
EPK=$(sed -n 's/^encryption_key	//p' "$OUT")
expect_eq "$(echo "$EPK" | grep -cE '^[A-Za-z0-9+/]{43}=$')" 1 "key show: the X25519 encryption key in base64"
tz key show extra
expect_rc 2 "key show takes no argument"
tz key
expect_rc 2 "key without a subcommand"
tz key export-public
expect_rc 2 "export-public needs a file"

tz key export-public "$T/village.pub"
expect_rc 0 "export the public key"
expect_eq "$(cat "$OUT")" "$FP" "export-public prints the fingerprint"
expect_eq "$(sed -n 1p "$T/village.pub")" \
	"untrusted comment: minisign public key $KID taizhang $DEV village 430181100201 石门_村" \
	"public key comment"
expect_eq "$(sed -n 2p "$T/village.pub" | grep -cE '^RW[QRST][A-Za-z0-9+/]{53}$')" 1 "base64 line"
expect_eq "$(sed -n 3p "$T/village.pub" | grep -cE '^taizhang encryption key: [A-Za-z0-9+/]{128}$')" 1 \
	"third line: the encryption key and its signature"
expect_eq "$(sed -n 3p "$T/village.pub" | cut -c26- | base64 -d | head -c 32 | base64)" "$EPK" \
	"the third line starts with the key key show prints"
expect_eq "$(wc -l <"$T/village.pub" | tr -d ' ')" 3 "three lines"
tz key export-public "$T/village.pub"
expect_rc 0 "export again over the old file"
expect_eq "$(ls -A "$T" | grep -c '^\.village')" 0 "no temporary file left"
tz key export-public "$T/no/such/dir/v.pub"
expect_rc 3 "unwritable path is an environment error"
expect_one_error_line "unwritable path"

DB=$TDB
tz init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
tz keyring list
expect_rc 0 "empty keyring"
expect_eq "$(cat "$OUT")" "fingerprint	key_id	origin	role	region	name	revoked_after	added	encryption_key" "header only"

# usage and refusals
tz keyring add "$T/village.pub" --region 430181100201
expect_rc 2 "role is required"
tz keyring add "$T/village.pub" --role mayor --region 430181100201
expect_rc 2 "unknown role"
tz keyring add "$T/village.pub" --role village
expect_rc 2 "region is required"
tz keyring add --role village --region 430181100201
expect_rc 2 "file is required"
tz keyring add "$T/village.pub" --role village --region 4301
expect_rc 1 "bad region"
expect_one_error_line "bad region"
tz keyring add "$T/missing.pub" --role village --region 430181100201
expect_rc 3 "missing file"
expect_err "missing.pub" "names the missing file"
printf 'untrusted comment: x\nRWQAAAA\n' >"$T/trunc.pub"
tz keyring add "$T/trunc.pub" --role village --region 430181100201
expect_rc 1 "truncated key refused"
expect_err "trunc.pub line 2" "names the file and line"
expect_one_error_line "truncated key"
tz --lang zh keyring add "$T/trunc.pub" --role village --region 430181100201
expect_err "第 2 行" "Chinese message"
printf 'untrusted comment: x\nRWQ\000AAA\n' >"$T/nul.pub"
tz keyring add "$T/nul.pub" --role village --region 430181100201
expect_rc 1 "NUL byte refused"
expect_err "NUL" "NUL message"
head -c 70000 /dev/zero | tr '\0' 'A' >"$T/big.pub"
tz keyring add "$T/big.pub" --role village --region 430181100201
expect_rc 1 "oversized file refused"
tz key export-public "$T/township.pub"
tz keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 1 "own key refused"
expect_err "own key" "own key message"

# enrol the village
tz keyring add "$T/village.pub" --role village --region 430181100201
expect_rc 0 "keyring add"
expect_eq "$(cat "$OUT")" "$FP" "add prints the fingerprint"
tz keyring list
expect_rc 0 "keyring list"
expect_out "$FP	$KID	$DEV	village	430181100201	石门 村	-	2026-06-15	$EPK" "list line"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 2 "header and one key"
tz keyring add "$T/village.pub" --role village --region 430181100201 --name 石门村
expect_rc 0 "enrolling again updates"
tz keyring list
expect_out "	石门村	-	" "new name"

# revoke
tz keyring revoke
expect_rc 2 "revoke needs a key"
tz keyring revoke "$FP" --after-seq abc
expect_rc 2 "bad --after-seq"
tz keyring revoke "$FP" --after-seq -3
expect_rc 2 "negative --after-seq"
tz keyring revoke "0000 0000 0000 0000 0000 0000 0000 0000"
expect_rc 1 "unknown fingerprint"
tz keyring revoke nonsense
expect_rc 1 "not a fingerprint"
tz keyring revoke $FP --after-seq 20
expect_rc 0 "revoke by the fingerprint's groups"
tz keyring list
expect_out "	石门村	20	" "revoked after 20"
tz keyring revoke "$FP" --after-seq 5
expect_rc 0 "tighten"
tz keyring revoke "$KID" --after-seq 9
expect_rc 1 "loosening refused"
expect_err "after seq 5" "loosening message"
tz keyring list
expect_out "	石门村	5	" "revoked after 5"

# export for auditors
tz keyring export
expect_rc 2 "export needs a file"
tz keyring export "$T/ring.txt"
expect_rc 0 "keyring export"
expect_eq "$(sed -n 1p "$T/ring.txt")" "# taizhang keyring v1" "header line"
expect_eq "$(grep -c "^$KID RW[A-Za-z0-9+/]\{54\} origin=$DEV role=village region=430181100201 added=2026-06-15 revoked_after=5 enc=[A-Za-z0-9+/]\{128\} name=石门村\$" "$T/ring.txt")" 1 "village line"
expect_eq "$(grep -c ' role=township region=430181100000 added=- revoked_after=- enc=[A-Za-z0-9+/]\{128\} name=城关镇$' "$T/ring.txt")" 1 "own key line"
expect_eq "$(wc -l <"$T/ring.txt" | tr -d ' ')" 3 "header and two keys"
expect_eq "$(sed 1d "$T/ring.txt" | sort -c 2>&1 && echo sorted)" "sorted" "sorted by key id"

# the encryption key travels signed by the signing key
CDB=$T/county.db
DB=$CDB
tz init --role county --region 430181000000 --name 县
tz init --role escrow --region 430181000000 --name 托管
expect_rc 2 "escrow is a keyring role, not a database's"
head -n 2 "$T/village.pub" >"$T/old.pub"
tz keyring add "$T/old.pub" --role village --region 430181100201
expect_rc 0 "a public key file from before encryption is still enrolled"
expect_err "no encryption key" "with a note that bundles cannot be encrypted to it"
tz keyring list
expect_out "	2026-06-15	-" "listed without an encryption key"
l3=$(sed -n 3p "$T/village.pub")
c=$(echo "$l3" | cut -c40)
if [ "$c" = A ]; then r=B; else r=A; fi
{ head -n 2 "$T/village.pub"; echo "$l3" | sed "s/^\(.\{39\}\)./\1$r/"; } >"$T/swapped.pub"
tz keyring add "$T/swapped.pub" --role village --region 430181100201
expect_rc 1 "an encryption key not signed by the key is refused"
expect_one_error_line "altered encryption key"
expect_err "not signed" "says why"
{ head -n 2 "$T/village.pub"; echo "taizhang encryption key: short"; } >"$T/short.pub"
tz keyring add "$T/short.pub" --role village --region 430181100201
expect_rc 1 "a damaged encryption key line is refused"
expect_err "line 3" "names the line"
tz keyring add "$T/village.pub" --role village --region 430181100201
expect_rc 0 "the newer file adds the encryption key"
tz keyring list
expect_out "	2026-06-15	$EPK" "now listed with it"
DB=$TDB
tz key export-public "$T/township.pub"
DB=$CDB
tz keyring add "$T/township.pub" --role escrow --region 430181000000
expect_rc 0 "a key enrolled with the escrow role"
tz keyring list
expect_out "	escrow	430181000000	" "escrow listed"
tz keyring export "$T/ring3.txt"
# a keyring line whose enc= was swapped for another key's is refused
VENC=$(grep "role=village" "$T/ring3.txt" | sed 's/.* enc=\([^ ]*\) .*/\1/')
TENC=$(grep "role=escrow" "$T/ring3.txt" | sed 's/.* enc=\([^ ]*\) .*/\1/')
sed "s|enc=$VENC|enc=$TENC|" "$T/ring3.txt" >"$T/ring-swapped.txt"
"$TAIZHANG" --db "$T/none2.db" verify --keyring "$T/ring-swapped.txt" "$T" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 1 "a keyring file with a swapped encryption key is refused"
expect_err "not signed" "names the reason"
"$TAIZHANG" --db "$T/none2.db" verify --keyring "$T/ring3.txt" "$T" >"$OUT" 2>"$ERR"
RC=$?
# (no bundles here: verify fails on nothing, but only after the keyring loaded)
expect_out "holds no bundle or receipt files" "the genuine keyring file loads"
if grep -q "not signed" "$ERR"; then fail "the genuine keyring file is refused"; else pass; fi

# stock minisign reads our public key file
if command -v minisign >/dev/null 2>&1; then
	(cd "$T" && minisign -G -W -p throw.pub -s throw.key) >/dev/null 2>&1
	echo hello >"$T/x"
	minisign -S -s "$T/throw.key" -m "$T/x" -x "$T/x.minisig" >/dev/null 2>&1
	minisign -V -p "$T/throw.pub" -m "$T/x" -x "$T/x.minisig" >/dev/null 2>&1
	RC=$?
	expect_rc 0 "minisign works here"
	minisign -V -p "$T/village.pub" -m "$T/x" -x "$T/x.minisig" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1 "other key's signature fails"
	# minisign prints the key id without leading zeros
	expect_err "key id in the public key is $(echo "$KID" | sed 's/^0*//')" "minisign parsed our key file"
	# a stock minisign key names no device
	tz keyring add "$T/throw.pub" --role village --region 430181100201
	expect_rc 1 "stock minisign key refused"
	expect_err "does not name a taizhang device" "stock key message"
else
	echo "minisign not installed: skipping its checks"
fi

finish
