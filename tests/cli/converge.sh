#!/bin/sh
# End to end: convergence.  Village 1 creates records (an employer, two
# vacancies, a household and its member), village 2 a household; each
# record is then edited concurrently by the devices that may write it
# (core/authority.c): its village, the township and the county -- the same
# field at different times and at the same instant, different fields of one
# record, delete against a later edit, edit against a later delete, an edit
# made with a slow clock after receiving a correction.  The bundles are
# imported into three databases in different orders -- the township itself
# (T1), a copy of the township taken before any import (T2: edits arrive
# before the records they edit and wait for them, some bundles twice, a
# village's bundle withheld until the end, so a gap is reported and
# filled) and the county (C).  `dump` must be byte-identical everywhere,
# and the expected winners win: per-column last writer by (hlc, origin).
. "$(dirname "$0")/lib.sh"

T1=$T/t1.db
T2=$T/t2.db
CDB=$T/county.db
V1=$T/v1.db
V2=$T/v2.db
V3=$T/v3.db

# at DB WHEN: run taizhang on DB with the clock at 2026-06-15 WHEN
at() {
	_db=$1
	_when=$2
	shift 2
	TAIZHANG_NOW=2026-06-15T$_when "$TAIZHANG" --db "$_db" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
# the value of FIELD in the `record get` output in $OUT
field() { sed -n "s/^$1=//p" "$OUT"; }

# ---- four devices, keys enrolled ----
at "$T1" 07:00:00 init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
at "$CDB" 07:00:00 init --role county --region 430181000000 --name 浏阳市
expect_rc 0 "init county"
at "$T1" 07:00:00 key export-public "$T/t.pub"
at "$CDB" 07:00:00 key export-public "$T/c.pub"
at "$CDB" 07:00:00 keyring add "$T/t.pub" --role township --region 430181100000
expect_rc 0 "county enrols the township"
# bundles are encrypted to their readers: the township writes to its
# villages and the county, a village to its township and the county
at "$T1" 07:00:00 keyring add "$T/c.pub" --role county --region 430181000000
expect_rc 0 "township enrols the county"
n=1
for v in "$V1" "$V2" "$V3"; do
	at "$v" 07:00:00 init --role village --region 43018110020$n --name "村$n"
	expect_rc 0 "init village $n"
	at "$v" 07:00:00 key export-public "$T/v$n.pub"
	at "$v" 07:00:00 keyring add "$T/t.pub" --role township --region 430181100000
	expect_rc 0 "village $n enrols the township"
	at "$v" 07:00:00 keyring add "$T/c.pub" --role county --region 430181000000
	expect_rc 0 "village $n enrols the county"
	at "$T1" 07:00:00 keyring add "$T/v$n.pub" --role village --region 43018110020$n
	expect_rc 0 "township enrols village $n"
	at "$CDB" 07:00:00 keyring add "$T/v$n.pub" --role village --region 43018110020$n
	expect_rc 0 "county enrols village $n"
	n=$((n + 1))
done
at "$V1" 07:00:00 key show
V1DEV=$(sed -n 's/^device	//p' "$OUT")
at "$CDB" 07:00:00 key show
CDEV=$(sed -n 's/^device	//p' "$OUT")

# T2 is the township as it stood before any import (a restored copy)
cp "$T1" "$T2"
for s in -wal -shm; do [ -e "$T1$s" ] && cp "$T1$s" "$T2$s"; done

# ---- village 1 creates the records, village 2 a household (08:00) ----
at "$V1" 08:00:00 record add employer name=长沙某电子厂 credit_code=91350100M000100Y43 \
	contact=张经理 phone=0731-88889999 address=工业园 industry=C
expect_rc 0 "employer"
E=$(cat "$OUT")
at "$V1" 08:00:01 record add vacancy employer="$E" title=电工 openings=3 wage_min=3000 \
	wage_max=6000 valid_until=2026-09-30
expect_rc 0 "vacancy A"
VA=$(cat "$OUT")
at "$V1" 08:00:02 record add vacancy employer="$E" title=焊工 openings=2
expect_rc 0 "vacancy B"
VB=$(cat "$OUT")
at "$V1" 08:00:03 record add household village=430181100201 address=一组1号 note=初始 phone=13700000000
expect_rc 0 "household H"
H=$(cat "$OUT")
PID=$(idnum 43018119850315123)
at "$V1" 08:00:05 record add person household="$H" name=王五 id_number="$PID" skills=木工
expect_rc 0 "person P"
P=$(cat "$OUT")
at "$V2" 08:00:04 record add household village=430181100202 address=二组2号 note=初始
expect_rc 0 "household H2 (no members)"
H2=$(cat "$OUT")
mkdir "$T/v1z" "$T/v2z"
at "$V1" 08:10:00 export --out "$T/v1z"
expect_rc 0 "village 1 export 0"
V1B0=$(cat "$OUT")
at "$V2" 08:10:00 export --out "$T/v2z"
expect_rc 0 "village 2 export 0"
V2B0=$(cat "$OUT")
for db in "$T1" "$CDB"; do
	at "$db" 08:30:00 import "$V1B0" "$V2B0"
	expect_rc 0 "$(basename "$db" .db) takes the villages' records"
	expect_eq "$(grep -c '^applied	' "$OUT")" 2 "$(basename "$db" .db): both applied"
done

# ---- village 1 records more of its own (09:00) and exports ----
at "$V1" 09:00:00 record add household village=430181100201 address=一组9号
expect_rc 0 "village 1 household"
H1=$(cat "$OUT")
at "$V1" 09:00:01 record add person household="$H1" name=赵六 id_number="$(idnum 43018119900101001)"
expect_rc 0 "village 1 person"
mkdir "$T/v1a"
at "$V1" 09:10:00 export --out "$T/v1a"
expect_rc 0 "village 1 export 1"
V1B1=$(cat "$OUT")

# ---- concurrent edits, in the order of the clocks ----
# Each device's commands run in its own clock order (a device's hlc never
# goes back, so an edit stamped earlier than the device's last change would
# take the later stamp).  Expected winners:
#   employer: address (C 09:30), contact (V1 10:00), phone (T1 10:05): different fields, all kept
#   vacancy A openings: V1 10:00:10=5, C 10:30=9, T1 11:00=7 -> 7
#   vacancy B: V1 deletes 10:00:20, C edits title/openings 11:00 -> deleted, edit's values kept
#   household H2: V2 edits note 10:10, C deletes 11:10 -> deleted, note kept
#   household H phone: V1 13700000000, T1 10:15=13900000002, V1 clears 10:50 -> empty
#   household H note: T1 10:15:30, C 10:16 -> C's
#   person P skills: V1 10:20, T1 10:40, C 11:20 -> C's; phone (V1) and education (T1) kept
#   vacancy A wage_min: V1 and C at the same instant 12:00:00 -> the greater device id
#   employer industry: C 12:30=E, township 13:00=I, V1 after receiving that (slow clock)=F -> F
at "$CDB" 09:30:00 record set employer "$E" address=开发区1号
expect_rc 0 "county employer address"
at "$V1" 10:00:00 record set employer "$E" contact=王经理
expect_rc 0 "v1 employer contact"
at "$V1" 10:00:10 record set vacancy "$VA" openings=5
expect_rc 0 "v1 openings"
at "$V1" 10:00:20 record del vacancy "$VB"
expect_rc 0 "v1 deletes vacancy B"
at "$V1" 10:00:21 record set vacancy "$VB" title=x
expect_rc 1 "a deleted record cannot be edited locally"
at "$T1" 10:05:00 record set employer "$E" phone=0731-12345678
expect_rc 0 "township employer phone"
at "$V2" 10:10:00 record set household "$H2" note=二组已走访
expect_rc 0 "v2 edits H2"
at "$T1" 10:15:00 record set household "$H" phone=13900000002
expect_rc 0 "township sets the household phone"
at "$T1" 10:15:30 record set household "$H" note=二组核实
expect_rc 0 "township household note"
at "$CDB" 10:16:00 record set household "$H" note=三组核实
expect_rc 0 "county household note, later"
at "$V1" 10:20:00 record set person "$P" skills=电工 phone=13800000001
expect_rc 0 "v1 person"
at "$CDB" 10:30:00 record set vacancy "$VA" openings=9
expect_rc 0 "county openings"
at "$T1" 10:40:00 record set person "$P" skills=瓦工 education=初中
expect_rc 0 "township person"
at "$V1" 10:50:00 record set household "$H" phone=
expect_rc 0 "v1 clears the household phone (unaware of the township's edit)"
at "$T1" 11:00:00 record set vacancy "$VA" openings=7
expect_rc 0 "township openings"
at "$CDB" 11:00:00 record set vacancy "$VB" title=高级焊工 openings=4
expect_rc 0 "county edits vacancy B after v1 deleted it"
at "$CDB" 11:10:00 record del household "$H2"
expect_rc 0 "county deletes H2 after v2 edited it"
at "$CDB" 11:20:00 record set person "$P" skills=焊工
expect_rc 0 "county person"
# the same national ID registered in two villages: a business conflict for review
DUP=$(idnum 43018119700808002)
at "$V2" 11:30:00 record add household village=430181100202 address=二组5号
HV2=$(cat "$OUT")
at "$V2" 11:30:01 record add person household="$HV2" name=陈七 id_number="$DUP"
expect_rc 0 "v2 registers a person"
at "$V3" 11:30:00 record add household village=430181100203 address=三组5号
HV3=$(cat "$OUT")
at "$V3" 11:30:01 record add person household="$HV3" name=陈七 id_number="$DUP"
expect_rc 0 "v3 registers the same person"
at "$V1" 12:00:00 record set vacancy "$VA" wage_min=3100
expect_rc 0 "v1 wage_min at 12:00"
at "$CDB" 12:00:00 record set vacancy "$VA" wage_min=3300
expect_rc 0 "county wage_min at 12:00"
TIE_WINNER=$(printf '%s\n%s\n' "$V1DEV" "$CDEV" | LC_ALL=C sort | tail -n 1)
if [ "$TIE_WINNER" = "$V1DEV" ]; then WAGE=3100; else WAGE=3300; fi
# the county edits the industry before it knows of the township's correction: loses
at "$CDB" 12:30:00 record set employer "$E" industry=E
expect_rc 0 "county industry"

# exports of the edits
mkdir "$T/v1b" "$T/v2a" "$T/v3a" "$T/ca" "$T/tb1"
at "$V1" 12:40:00 export --out "$T/v1b"
expect_rc 0 "village 1 export 2"
V1B2=$(cat "$OUT")
at "$V2" 12:40:00 export --out "$T/v2a"
expect_rc 0 "village 2 export 1"
V2B1=$(cat "$OUT")
at "$V3" 12:40:00 export --out "$T/v3a"
expect_rc 0 "village 3 export"
V3B1=$(cat "$OUT")
at "$CDB" 12:40:00 export --out "$T/ca"
expect_rc 0 "county export"
CB1=$(cat "$OUT")
at "$T1" 12:40:00 export --out "$T/tb1"
expect_rc 0 "township export 1"
TB1=$(cat "$OUT")

# ---- the township corrects the industry at 13:00 ----
at "$T1" 13:00:00 record set employer "$E" industry=I
expect_rc 0 "township correction"
mkdir "$T/tb2"
at "$T1" 13:00:10 export --out "$T/tb2"
expect_rc 0 "township export 2"
TB2=$(cat "$OUT")
# village 1's PC clock is slow (07:00), yet its edit made after receiving
# the correction wins over it: importing advances the clock past what was seen
at "$V1" 07:00:00 import "$TB2"
expect_rc 0 "village 1 receives the correction"
at "$V1" 07:00:05 record set employer "$E" industry=F
expect_rc 0 "village 1 edits after the correction (slow clock)"
mkdir "$T/v1c"
at "$V1" 07:00:10 export --out "$T/v1c"
expect_rc 0 "village 1 export 3"
V1B3=$(cat "$OUT")

for b in "$TB1" "$TB2" "$V1B0" "$V1B1" "$V1B2" "$V1B3" "$V2B0" "$V2B1" "$V3B1" "$CB1"; do
	[ -f "$b" ] && pass || fail "bundle $b exists"
done

# ---- T1: everything from one folder (name order), then all again ----
ALL=$T/all
mkdir "$ALL"
cp "$V1B1" "$V1B2" "$V1B3" "$V2B1" "$V3B1" "$CB1" "$ALL/"
at "$T1" 14:00:00 import "$ALL"
expect_rc 0 "T1 imports the villages' and the county's bundles"
expect_eq "$(grep -c '^applied	' "$OUT")" 6 "T1: six applied"
expect_out "review=" "T1: the duplicate ID goes to review"
expect_eq "$(grep -c 'unauthorized=\|waiting=' "$OUT")" 0 "T1: every change was its writer's to make"
at "$T1" 14:00:00 dump
cp "$OUT" "$T/dump1"
at "$T1" 14:10:00 import "$ALL" "$TB1" "$TB2" "$V1B0" "$V2B0"
expect_rc 0 "T1 imports everything again"
expect_eq "$(grep -c '^present	' "$OUT")" 10 "T1: all present (own bundles included)"
at "$T1" 14:10:00 dump
if cmp -s "$OUT" "$T/dump1"; then pass; else fail "re-import changed T1"; fi

# ---- T2: edits before the records they edit, duplicates, a withheld bundle ----
at "$T2" 14:00:00 import "$CB1"
expect_rc 0 "T2 county edits first"
expect_out " waiting=" "T2: the county's edits wait for the records they change"
at "$T2" 14:00:01 check
expect_out "changes wait for the records they change" "T2: check says so"
at "$T2" 14:00:02 import "$TB2" "$V1B2" "$V3B1"
expect_rc 0 "T2 the township's own correction, village 1's edits, village 3"
expect_out "applied	$V1B2	" "v1 edits applied"
expect_out " gap" "gap reported for village 1"
at "$T2" 14:00:03 import "$V2B1" "$V1B3" "$TB1" "$V3B1"
expect_rc 0 "T2 village 2's edits before its records, village 1's last, the township's first"
expect_out "present	$V3B1	" "v3 again is present"
at "$T2" 14:00:04 import "$V2B0"
expect_out "applied	$V2B0	" "village 2's records arrive"
expect_out " rechecked=" "T2: the edits waiting for them apply now"
at "$T2" 14:00:05 import "$V1B0" "$V2B1"
expect_out "applied	$V1B0	" "village 1's records arrive"
expect_out " rechecked=" "T2: and the edits waiting for them apply"
expect_out "present	$V2B1	" "v2 edits again present"
at "$T2" 18:00:00 check
expect_rc 1 "T2 check while village 1's bundle 1 is missing"
expect_out "gap	" "T2 check names the gap"
expect_eq "$(grep -c '^waiting	' "$OUT")" 0 "T2: nothing waits any more"
at "$T2" 14:00:06 dump
if cmp -s "$OUT" "$T/dump1"; then fail "T2 equals T1 while a bundle is missing"; else pass; fi
at "$T2" 14:00:07 import "$V1B1"
expect_rc 0 "T2 gap filled"
expect_out "applied	$V1B1	" "v1 bundle 1 applied last"
at "$T2" 14:00:08 dump
if cmp -s "$OUT" "$T/dump1"; then pass; else
	fail "T1 and T2 dumps differ"
	diff "$T/dump1" "$OUT" | head -n 10
fi

# ---- the county: the villages' edits and the correction before the rest ----
at "$CDB" 14:00:00 import "$V2B1" "$V3B1" "$TB2" "$V1B3" "$V1B2"
expect_rc 0 "county: village edits and the correction first"
at "$CDB" 14:00:01 import "$TB1" "$V1B1" "$T/tb1" "$T/tb2"
expect_rc 0 "county: then the rest"
expect_eq "$(grep -c '^applied	' "$OUT")" 2 "county: two more applied"
expect_eq "$(grep -c '^present	' "$OUT")" 2 "county: folder copies present"
at "$CDB" 14:00:02 dump
if cmp -s "$OUT" "$T/dump1"; then pass; else
	fail "T1 and county dumps differ"
	diff "$T/dump1" "$OUT" | head -n 10
fi

# ---- the expected winners ----
for db in "$T1" "$T2" "$CDB"; do
	w=$(basename "$db" .db)
	at "$db" 15:00:00 record get employer "$E"
	expect_eq "$(field contact)|$(field phone)|$(field address)|$(field name)" \
		"王经理|0731-12345678|开发区1号|长沙某电子厂" "$w: employer: edits of different fields all kept"
	expect_eq "$(field industry)" F "$w: edit after the correction wins despite a slow clock"
	at "$db" 15:00:00 record get vacancy "$VA"
	expect_eq "$(field openings)" 7 "$w: openings: the latest edit wins"
	expect_eq "$(field wage_min)" "$WAGE" "$w: wage_min: a tie at one instant goes to the greater device id"
	expect_eq "$(field title)|$(field wage_max)" "电工|6000" "$w: untouched fields keep the creator's values"
	expect_eq "$(field _deleted)" "" "$w: vacancy A live"
	at "$db" 15:00:00 record get vacancy "$VB"
	expect_eq "$(field _deleted)" 1 "$w: vacancy B stays deleted after a later edit"
	expect_eq "$(field title)|$(field openings)" "高级焊工|4" "$w: the later edit's values are kept"
	at "$db" 15:00:00 record get household "$H2"
	expect_eq "$(field _deleted)|$(field note)" "1|二组已走访" "$w: edit then delete: deleted, note kept"
	at "$db" 15:00:00 record get household "$H"
	expect_eq "$(field phone)|$(field note)|$(field address)" "|三组核实|一组1号" \
		"$w: household: the later clear and the later note win"
	expect_eq "$(grep -c "^household	$H	phone	" "$T/dump1")" 0 "$w: a cleared field is absent from the dump"
	at "$db" 15:00:00 record get person "$P"
	expect_eq "$(field skills)|$(field phone)|$(field education)|$(field name)" \
		"焊工|13800000001|70|王五" "$w: person: per-column winners"
	at "$db" 15:00:00 record list vacancy
	expect_eq "$(grep -c "^$VB" "$OUT")" 0 "$w: the deleted vacancy is not listed"
	at "$db" 15:00:00 record list person --where id_number="$DUP"
	expect_eq "$(($(wc -l <"$OUT") - 1))" 2 "$w: both registrations of the duplicate ID kept"
	at "$db" 18:00:00 check
	expect_rc 1 "$w: check reports the duplicate ID"
	expect_out "duplicate_id	" "$w: duplicate_id finding"
	expect_eq "$(grep -c 'unauthorized' "$OUT")" 0 "$w: nothing outside its writer's authority"
	expect_eq "$(grep -v '^duplicate_id	' "$OUT" | grep -v '^review	' | wc -l | tr -d ' ')" 0 \
		"$w: no other findings (no gap, nothing waiting, no dangling reference, integrity ok)"
done

# the villages themselves keep their own view (village bundles do not reach
# other villages), but their own winning edits are the same
at "$V1" 15:00:00 record get vacancy "$VA"
expect_eq "$(field openings)" 5 "village 1 sees its own openings"
at "$V1" 15:00:00 record get vacancy "$VB"
expect_eq "$(field _deleted)" 1 "village 1 sees its delete"

finish
