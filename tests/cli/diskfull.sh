#!/bin/sh
# End to end: a USB stick that fills up during `export`.  The export fails
# with exit 3 and one clear line naming the full disk, leaves no bundle and
# no temporary file on the stick (and other files there untouched), and the
# export state does not advance: a later export to a good folder holds
# every change from seq 1.  With bundles split by --max-mb, the bundles that
# did fit stay complete and valid and the next export continues after them.
# Needs root to mount small tmpfs sticks; skipped otherwise.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	# ulimit -f would raise SIGXFSZ, which taizhang does not ignore
	echo "skipped: needs root for tmpfs"
	finish
fi
MNT=""
cleanup() {
	for m in $MNT; do umount "$m" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# stick DIR SIZE: mount a tmpfs of SIZE at DIR
stick() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null || return 1
	MNT="$MNT $1"
}
if ! stick "$T/stick" 256k; then
	echo "skipped: needs root for tmpfs (mount -t tmpfs failed)"
	finish
fi
VDB=$T/village.db
DB=$VDB
files_in() { ls -A "$1" | wc -l | tr -d ' '; }
size_of() { wc -c <"$1" | tr -d ' '; }

# bundles are encrypted to the township: its key first
DB=$T/township.db
tz init --role township --region 430181100000 --name 城关镇
tz key export-public "$T/township.pub"
DB=$VDB
tz init --role village --region 430181100201 --name 石门村
expect_rc 0 "init"
tz keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 0 "the village enrols its township"
tz key show
DEV8=$(sed -n 's/^device	//p' "$OUT" | cut -c1-8)
tz demo --seed 3 --villages 1 --households 800
expect_rc 0 "demo"
tz status
N=$(sed -n 's/^changes	//p' "$OUT")

# what the export will write (a copy of the database exports the same bytes)
cp "$VDB" "$T/probe.db"
mkdir "$T/probe"
"$TAIZHANG" --db "$T/probe.db" export --out "$T/probe" >"$OUT" 2>"$ERR"
PROBE=$(cat "$OUT")
if [ "$(size_of "$PROBE")" -gt 262144 ]; then pass; else
	fail "the bundle ($(size_of "$PROBE") bytes) must exceed the 256 KiB stick for this test"
fi

# something already on the stick stays as it was
head -c 20000 /dev/zero | tr '\0' 'x' >"$T/stick/readme.txt"
cp "$T/stick/readme.txt" "$T/readme.txt"

tz export --out "$T/stick"
expect_rc 3 "export to a full stick: environment error"
expect_one_error_line "disk full"
expect_err "full" "the message says the disk is full"
expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "no path printed"
expect_eq "$(files_in "$T/stick")" 1 "no bundle and no temporary file left on the stick"
if cmp -s "$T/stick/readme.txt" "$T/readme.txt"; then pass; else fail "the other file on the stick changed"; fi
tz --lang zh export --out "$T/stick"
expect_rc 3 "again, in Chinese"
expect_err "已满" "Chinese message says the disk is full"
expect_eq "$(files_in "$T/stick")" 1 "still nothing left on the stick"
tz check
expect_rc 0 "the database is fine"

# a good folder gets everything, from seq 1: the state did not advance
mkdir "$T/good"
tz export --out "$T/good"
expect_rc 0 "export to a good folder"
B=$(cat "$OUT")
expect_eq "$(basename "$B" | cut -d- -f1-3)" "$DEV8-1-$N" "the bundle holds seq 1-$N"
if cmp -s "$B" "$PROBE"; then pass; else fail "the bundle differs from what the first attempt would have written"; fi
tz verify "$T/good"
expect_rc 0 "verify the good folder"
expect_out "OK $B origin=" "OK line"
expect_out " seq=1-$N " "OK seq=1-$N"
expect_out " intact 1-$N" "device intact 1-$N"

# the small stick still takes a small export, which continues the chain
tz record add household village=430181100201 address=新户
tz export --out "$T/stick"
expect_rc 0 "a small export fits the stick"
S=$(cat "$OUT")
expect_eq "$(basename "$S" | cut -d- -f1-3)" "$DEV8-$((N + 1))-$((N + 1))" "it holds only the new change"
cp "$S" "$T/good/"
tz verify "$T/good"
expect_rc 0 "verify both"
expect_out " intact 1-$((N + 1))" "the chain is intact"

# ---- split bundles: the first fits, the second does not ----
V2DB=$T/village2.db
DB=$V2DB
tz init --role village --region 430181100202 --name 二村
tz keyring add "$T/township.pub" --role township --region 430181100000
tz key show
DEV8=$(sed -n 's/^device	//p' "$OUT" | cut -c1-8)
tz demo --seed 5 --villages 1 --households 3000
expect_rc 0 "bigger demo"
tz status
N=$(sed -n 's/^changes	//p' "$OUT")
cp "$V2DB" "$T/probe2.db"
mkdir "$T/probe2"
"$TAIZHANG" --db "$T/probe2.db" export --out "$T/probe2" --max-mb 1 >"$OUT" 2>"$ERR"
P1=$(sed -n 1p "$OUT")
P2=$(sed -n 2p "$OUT")
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 2 "the data makes two bundles of 1 MB"
s1=$(size_of "$P1")
s2=$(size_of "$P2")
# room for the first bundle and half of the second, in KiB
if stick "$T/stick2" "$(((s1 + s2 / 2) / 1024 + 8))k"; then
	tz export --out "$T/stick2" --max-mb 1
	expect_rc 3 "second bundle does not fit"
	expect_one_error_line "disk full (split)"
	expect_err "full" "says full"
	expect_eq "$(cat "$OUT")" "$T/stick2/$(basename "$P1")" "the first bundle's path was printed"
	expect_eq "$(files_in "$T/stick2")" 1 "only the complete first bundle on the stick"
	if cmp -s "$T/stick2/$(basename "$P1")" "$P1"; then pass; else fail "the first bundle on the stick is not complete"; fi
	tz verify "$T/stick2"
	expect_rc 0 "the first bundle verifies"
	mkdir "$T/good2"
	tz export --out "$T/good2" --max-mb 1
	expect_rc 0 "the rest to a good folder"
	expect_eq "$(cat "$OUT")" "$T/good2/$(basename "$P2")" "the rest is exactly the second bundle"
	tz verify "$T/stick2" "$T/good2"
	expect_rc 0 "both together verify"
	expect_out " intact 1-$N" "chain intact 1-$N"
else
	fail "mount a second tmpfs"
fi

finish
