#!/bin/sh
# The auditor's verify never passes on nothing (#21, the auditor): an empty
# folder, a folder of stick folders, a device whose only bundle fails, a
# flipped version byte, an unknown option.
. "$(dirname "$0")/lib.sh"

W=$T/t.db A=$T/a.db B=$T/b.db
on() { DB=$1; shift; tz "$@"; }
on "$W" init --role township --region 430181100000 --name 城关镇
on "$A" init --role village --region 430181100201 --name 甲村
on "$B" init --role village --region 430181100202 --name 乙村
for d in W A B; do eval "on \"\$$d\" key export-public \"\$T/$d.pub\""; done
on "$W" keyring add "$T/A.pub" --role village --region 430181100201
on "$W" keyring add "$T/B.pub" --role village --region 430181100202
on "$A" keyring add "$T/W.pub" --role township --region 430181100000
on "$B" keyring add "$T/W.pub" --role township --region 430181100000
on "$W" keyring export "$T/kr"
verify() { "$TAIZHANG" verify "$@" >"$OUT" 2>"$ERR"; RC=$?; }

mkdir "$T/empty"
verify --keyring "$T/kr" "$T/empty"
expect_rc 1 "an empty folder does not pass"
expect_out "FAIL $T/empty holds no bundle or receipt files" "it says there is nothing to check"

# the sticks of two villages, each in its own folder under one
mkdir -p "$T/sticks/a" "$T/sticks/b"
on "$A" record add household village=430181100201 address=甲村一组
on "$A" export --out "$T/sticks/a"
on "$B" record add household village=430181100202 address=乙村一组
on "$B" export --out "$T/sticks/b"
verify --keyring "$T/kr" "$T/sticks"
expect_rc 0 "a folder of stick folders: each is read"
expect_eq "$(grep -c '^OK ' "$OUT")" 2 "both bundles checked"
expect_eq "$(grep -c '^device .* intact' "$OUT")" 2 "both devices reported"

# the second village's only bundle altered: the device is still named
f=$(ls "$T/sticks/b"/*.tzb)
size=$(wc -c <"$f" | tr -d ' ')
printf 'X' | dd of="$f" bs=1 seek=$((size - 430)) conv=notrunc 2>/dev/null
verify --keyring "$T/kr" "$T/sticks"
expect_rc 1 "an altered bundle fails"
BDEV=$(sed -n 's/^untrusted comment: minisign public key [0-9A-F]* taizhang \([0-9a-f]*\) .*/\1/p' "$T/B.pub")
expect_out "device $BDEV FAIL: none of its 1 bundle(s) verified" "the device whose only bundle failed is listed"

# a flipped version byte is said to be an altered file, not only a newer format
g=$(ls "$T/sticks/a"/*.tzb)
cp "$g" "$T/v3.tzb"
printf '\003' | dd of="$T/v3.tzb" bs=1 seek=8 conv=notrunc 2>/dev/null
verify --keyring "$T/kr" "$T/v3.tzb"
expect_rc 1 "a version byte changed to 3 fails"
expect_out "the file was altered, or written by a newer taizhang" "and says it may have been altered"

# the names the keyring gives, on the device lines
rm -rf "$T/sticks/b"
verify --keyring "$T/kr" "$T/sticks"
expect_out "intact 1-1 name=甲村" "the device line names the village"
# one device's public key file serves as the keyring
verify --keyring "$T/A.pub" "$T/sticks/a"
expect_rc 0 "a single .pub file is taken as a keyring"

# the end of a chain cut off: the township's receipt shows it
on "$A" record add household village=430181100201 address=甲村二组
mkdir "$T/c2"
on "$A" export --out "$T/c2"
on "$W" import "$T/sticks/a" "$T/c2"
mkdir "$T/back"
on "$W" export --out "$T/back"
mkdir "$T/audit"
cp "$T/sticks/a"/*.tzb "$T/back"/*.tzr "$T/audit/" # the second bundle left out
verify --keyring "$T/kr" "$T/audit"
expect_rc 1 "a chain whose last bundle was removed fails against the receipt"
expect_out "the bundles given end at 1, changes 2-2 that township 430181100000 signed for are missing (cut off)" \
	"and says which changes were cut off"
cp "$T/c2"/*.tzb "$T/audit/"
verify --keyring "$T/kr" "$T/audit"
expect_rc 0 "with the bundle back it passes"
expect_out "chain=matches" "and the receipt matches the chain"

verify --keyring "$T/kr" --frobnicate "$T/sticks"
expect_rc 2 "an unknown option is a usage error, not a file name"
finish
