#!/bin/sh
# Regenerate the committed seed corpora tests/fuzz/corpus/<target>/ from a
# small demo database (a few files each, well under 50 KB per target).
# Usage: tests/fuzz/make-seeds.sh [TAIZHANG_BINARY]
#   default build/taizhang (built with make when missing).
# Bundles are exported by taizhang, then re-signed with the embedded fuzz
# test key by build-fuzz/seedgen (tests/fuzz/seedgen.c), so the fuzzers'
# signature checks pass on them.  Deterministic apart from the random device
# ids and keys of the demo databases (and so bundle hashes and keys).
set -eu
cd "$(dirname "$0")/../.."
T=${1:-build/taizhang}
[ -x "$T" ] || make --no-print-directory "$T"
T=$(cd "$(dirname "$T")" && pwd)/$(basename "$T")
FZ_B=${FZ_B:-build-fuzz}
make --no-print-directory -s -f tests/fuzz/fuzz.mk FZ_B="$FZ_B" "$FZ_B/seedgen"
SEEDGEN=$(pwd)/$FZ_B/seedgen
C=$(pwd)/tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TAIZHANG_PASSPHRASE=seed TAIZHANG_NOW=2026-03-01T09:00:00 LANG=C.UTF-8
unset TAIZHANG_DB || true
V="$T --lang en --db $tmp/v.db"
W="$T --lang en --db $tmp/t.db"

for t in bundle import keyring csv csvimport validate edit; do
	rm -rf "${C:?}/$t"
	mkdir -p "$C/$t"
done
# seed FILE MODEBYTE(octal) SRC: the mode byte, then SRC
seed() { printf "\\$2" >"$1" && cat "$3" >>"$1"; }

# ---- a village with a little data, exported twice; a township ----
$V init --role village --region 430181100201 --name 演示村 >/dev/null
# unencrypted (version 1) bundles: seedgen re-signs them with the test key,
# and makes version 2 ones of them (the writer's would not decrypt once the
# header is changed)
$V setting set sync.encrypt 0 >/dev/null
$V demo --seed 1 --villages 1 --households 1 >/dev/null
mkdir "$tmp/out1" "$tmp/out2" "$tmp/rs"
$V export --out "$tmp/out1" >/dev/null
P=$($V record list person --format csv | sed -n 2p | cut -d, -f1)
VI=$($V record list visit --format csv | sed -n 2p | cut -d, -f1)
$V record set person "$P" phone=0731-88881234 education=初中 key_groups=dibao,disabled >/dev/null
$V record add household village=430181100201 address='二组 "新" 3号' phone='+86 138-0013-8000' \
	>/dev/null
[ -z "$VI" ] || $V record del visit "$VI" >/dev/null
$V export --out "$tmp/out2" >/dev/null
$W init --role township --region 430181100000 --name 永安镇 >/dev/null
$V key export-public "$tmp/v.pub" >/dev/null
$W key export-public "$tmp/t.pub" >/dev/null
$W keyring add "$tmp/v.pub" --role village --region 430181100201 >/dev/null
$W keyring export "$tmp/kr1.txt" >/dev/null
$W keyring revoke "$(sed -n 's/^untrusted comment: minisign public key \([0-9A-F]*\).*/\1/p' "$tmp/v.pub")" \
	--after-seq 30 >/dev/null
$W keyring export "$tmp/kr2.txt" >/dev/null

# ---- bundles, re-signed with the test key (the second chains onto the first) ----
"$SEEDGEN" resign "$tmp/rs" "$tmp"/out1/*.tzb "$tmp"/out2/*.tzb
i=0
for b in "$tmp"/out1/*.tzb "$tmp"/out2/*.tzb; do
	i=$((i + 1))
	r="$tmp/rs/$(basename "$b")"
	"$SEEDGEN" unpack "$r" "$tmp/u$i"
	seed "$C/bundle/raw-$i" 000 "$r"        # as exported: passes the signature
	seed "$C/bundle/resign-$i" 001 "$r"     # re-signed by the harness
	seed "$C/bundle/ops-$i" 002 "$tmp/u$i"  # raw ops, compressed by the harness
	seed "$C/import/resign-$i" 001 "$r"
	seed "$C/import/ops-$i" 002 "$tmp/u$i"
	# version 2: encrypted to the embedded recipient key (and a decoy)
	"$SEEDGEN" encrypt "$i" "$r" "$tmp/e$i"
	seed "$C/bundle/enc-raw-$i" 000 "$tmp/e$i" # as it is: decrypts and verifies
	seed "$C/bundle/enc-ops-$i" 006 "$tmp/u$i" # raw ops, compressed and encrypted by the harness
	seed "$C/bundle/enc-resign-$i" 045 "$r"    # zlib payload encrypted (two recipients) by the harness
done
# continuing fuzz_import's database (seqs 1-2, 5-6): fill the gap, a clock
# far ahead, an op larger than the reader's buffers
for k in gap future big; do
	"$SEEDGEN" chain $k "$tmp/chain-$k"
done
for t in import bundle; do
	seed "$C/$t/chain-gap" 002 "$tmp/chain-gap"
	seed "$C/$t/chain-future" 002 "$tmp/chain-future"
	seed "$C/$t/chain-big" 001 "$tmp/chain-big"
done
seed "$C/bundle/enc-chain-big" 005 "$tmp/chain-big"

# ---- public keys and keyrings ----
cp "$tmp/v.pub" "$C/keyring/village.pub"
cp "$tmp/t.pub" "$C/keyring/township.pub"
cp "$tmp/kr1.txt" "$C/keyring/keyring.txt"
cp "$tmp/kr2.txt" "$C/keyring/keyring-revoked.txt"
printf '\357\273\277' >"$C/keyring/keyring-bom-crlf.txt"
sed 's/$/\r/' "$tmp/kr2.txt" >>"$C/keyring/keyring-bom-crlf.txt"
head -n 1 "$tmp/kr1.txt" >"$C/keyring/keyring-dup.txt"
sed -n 2p "$tmp/kr1.txt" >>"$C/keyring/keyring-dup.txt"
sed -n 2p "$tmp/kr1.txt" >>"$C/keyring/keyring-dup.txt"
# names: escapes, a tab (refused), a C1 control, U+2028, a bad escape, one
# too long for the entry (cut); each file stops at its first bad line
long=$(i=0; while [ $i -lt 80 ]; do printf '乡镇'; i=$((i + 1)); done)
kname() {
	{ head -n 1 "$tmp/kr1.txt"; sed -n "2s/name=.*/name=$2/p" "$tmp/kr1.txt"; } \
		>"$C/keyring/keyring-name-$1.txt"
}
kname escapes 'a\\sb\\\\c'
kname tab 'a\\tb'
kname c1 'a\xc2\x85'
kname ls 'x\xe2\x80\xa8'
kname backslash 'x\\'
kname long "$long"
sed '1s/演示村$/演_示_村  /' "$tmp/v.pub" >"$C/keyring/village-underscores.pub"
{
	head -n 1 "$tmp/kr1.txt"
	sed -n "2s/name=.*/name=$long$long$long$long$long$long$long$long$long/p" "$tmp/kr1.txt"
} >"$C/keyring/keyring-long-line.txt"
sed "1s/\$/ $long$long$long/" "$tmp/v.pub" >"$C/keyring/village-long-name.pub"
if command -v minisign >/dev/null 2>&1; then
	# a stock minisign key (no taizhang comment)
	minisign -G -W -f -p "$tmp/m.pub" -s "$tmp/m.key" >/dev/null 2>&1 &&
		cp "$tmp/m.pub" "$C/keyring/minisign.pub" || true
fi

# ---- CSV rosters: UTF-8 and GB18030 ----
$V record list person --format csv | head -n 5 >"$tmp/person.csv"
$V record list household --format csv | head -n 3 >"$tmp/household.csv"
$V record list employer --format csv | head -n 3 >"$tmp/employer.csv"
printf '\357\273\277姓名,"备注"\r\n张三,"一行\r\n两行，""引号"""\r\n\r\n李四,\r\n' >"$tmp/quoted.csv"
printf 'name\tphone\n王五\t13800138000\n' >"$tmp/tab.csv"
for f in person household employer quoted tab; do
	seed "$C/csv/$f-utf8" 000 "$tmp/$f.csv"
	iconv -f UTF-8 -t GB18030 "$tmp/$f.csv" >"$tmp/$f.gb" 2>/dev/null &&
		seed "$C/csv/$f-gb18030" 001 "$tmp/$f.gb"
done
seed "$C/csv/quoted-file" 002 "$tmp/quoted.csv"
# straddling the 64 KiB read boundary: the first character cut by the read
printf '姓名,电话\r\n张三,138\r\n' >"$tmp/short.csv"
iconv -f UTF-8 -t GB18030 "$tmp/short.csv" >"$tmp/short.gb"
{ printf '\174\001'; cat "$tmp/short.csv"; } >"$C/csv/boundary-utf8"
{ printf '\175\001'; cat "$tmp/short.gb"; } >"$C/csv/boundary-gb18030"

# import-csv: no id column; the household is "@H@" (the harness puts its id in)
$V record list person --format csv | head -n 4 | cut -d, -f2- |
	sed '2,$s/^[0-9a-f]\{32\},/@H@,/' >"$tmp/p-import.csv"
printf '户,姓名*,身份证号,文化程度\n@H@,赵六,110105194912310021,初中\n@H@,钱七,11010519491231002X,小学\n' \
	>"$tmp/p-zh.csv"
$V record list household --format csv | head -n 3 | cut -d, -f2- >"$tmp/h-import.csv"
$V record list employer --format csv | head -n 3 | cut -d, -f2- >"$tmp/e-import.csv"
seed "$C/csvimport/person" 001 "$tmp/p-import.csv"
seed "$C/csvimport/person-zh-bad" 001 "$tmp/p-zh.csv"
iconv -f UTF-8 -t GB18030 "$tmp/p-import.csv" >"$tmp/p-import.gb"
seed "$C/csvimport/person-gb18030" 021 "$tmp/p-import.gb"
seed "$C/csvimport/household" 000 "$tmp/h-import.csv"
seed "$C/csvimport/employer" 005 "$tmp/e-import.csv"
# 600 distinct ID numbers (the uniqueness table grows), one twice
{ echo id_number; "$SEEDGEN" ids 600; "$SEEDGEN" ids 1; } >"$tmp/ids.csv"
seed "$C/csvimport/person-600-ids" 001 "$tmp/ids.csv"
# more than 1000 bad lines: the report stops
{ echo "name,gender"; i=0; while [ $i -lt 1002 ]; do echo ",x"; i=$((i + 1)); done; } \
	>"$tmp/bad.csv"
seed "$C/csvimport/person-1002-bad" 001 "$tmp/bad.csv"

# ---- field values and op data ----
v() { printf "\\$1%s" "$2" >"$C/validate/$3"; }
ID=$(sed -n 2p "$tmp/person.csv" | cut -d, -f4)
CR=$(sed -n 2p "$tmp/employer.csv" | cut -d, -f3)
v 001 "$ID" idnum
v 201 "110105491231002" idnum-15-zh
v 000 "１１０１０５１９４９１２３１００２ｘ" idnum-fullwidth
v 005 "$CR" credit
v 000 " 2026-02-29 " date-bad
v 002 "2025-06-01" date
v 000 "2025-06" period
v 000 "+86 (0731) 8888-1234" phone
v 000 "86-13800138000" phone-mobile
v 000 "430181100201" region
v 001 "dibao，disabled、age4050" set
v 201 "是" bool
v 001 "初中" enum
v 002 "3C5E7C558CD811C4B9653011E4616971" ref
v 000 "-9223372036854775808" int
v 000 "一行
两行" multiline
# op data: (varint field, tag, value)...: text, int (zigzag), empty, deleted
printf '\000\002\002\006\344\270\200\347\273\204\003\001\012\004\000\000\001\000' >"$C/validate/opdata"
printf '\001\201\001\002\001a' >"$C/validate/opdata-varint"

# ---- the field editor (fuzz_edit.c gives the op format) ----
ed() { printf "$2" >"$C/edit/$1"; }
# a name typed, edited, the field narrowed, read back into a short buffer
ed type-name '\010\024\002 _\000\002\011N\000\001a\000 \020\030\004\003\0020N\000\007\004'
# a stored value with an escape sequence, RLO, ZWSP, invalid UTF-8; edits
ed set-hostile '\000\014\005\023\033[31m\342\200\256\345\220\215\342\200\213\345\255\227\377\303\020\030@H80'
# a paste: RLO, a surrogate, an emoji, U+3000, a combining mark, > U+10FFFF
ed paste '\002\006>. \000\000\330\000\200\366\001\0000\000\001\003\000\000\000\021A\000\000\000N\000\004\001\004\200\007\000'
# every command key, and negative codes no command has
ed commands '\024\010\002\000N\000\002 \000\000\002\214N\000\002\0000\000\002\011N\000\000\010\020\030 (08@HPX\140hpx\200\210\220\230\240\250\260\270\300\310\320\330\340\350\360\370'
# raw ints as tz_ui_getkey returns them: curses codes, -1, 0, ^H, DEL, C1, extremes, BOM
ed raw-keys '(\036\003\007\001\021\000\003\377\377\377\377\003\000\000\000\000\003\010\000\000\000\003\177\000\000\000\003\205\000\000\000\003\377\377\377\177\003\000\000\000\200\003\377\377\020\000\003\377\376\000\000'
# the default limit filled by typing (200 x, a space, 320 村), then moved through
{
	printf '\000('
	i=0; while [ $i -lt 200 ]; do printf '\001x'; i=$((i + 1)); done
	printf '\001 '
	i=0; while [ $i -lt 320 ]; do printf '\002Qg\000'; i=$((i + 1)); done
	printf '\020PH\030@\004\377\004\177\007\377'
} >"$C/edit/fill"

du -sh "$C"/* | sed 's|'"$C"'/||'
