#!/bin/sh
# End to end: a village scripted through the CLI; bad input refused with a
# clear one-line error and nothing written.
. "$(dirname "$0")/lib.sh"

tz record list person
expect_rc 3 "no database yet: environment error"
expect_err "taizhang init" "hint to run init"

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"
expect_out "fingerprint=" "init prints the fingerprint"
tz init --role village --region 430181100201 --name 测试村
expect_rc 1 "second init refused"
tz init --role mayor --region 430181100201 --name x
expect_rc 2 "unknown role is a usage error"

tz record add household village=430181100201 address=一组12号 phone=13800138000
expect_rc 0 "add household"
H=$(cat "$OUT")
expect_eq "${#H}" 32 "household id is 32 hex"

tz record add person household="$H" name=张三 id_number=11010519491231002X education=初中 \
	key_groups=残疾人,age4050 employment_status=失业 skills=电工
expect_rc 0 "add person"
P=$(cat "$OUT")
tz record get person "$P"
expect_out "gender=F" "gender derived from the ID number"
expect_out "birth_date=1949-12-31" "birth date derived"
expect_out "education=70" "education label stored as its code"
expect_out "key_groups=disabled,age4050" "key groups stored as codes"

tz record add person household="$H" name=李四 id_number=34052419800101001X
expect_rc 0 "second person"
P2=$(cat "$OUT")

# refusals: exit 1, one line, nothing written
tz dump
cp "$OUT" "$T/before"
tz record add person household="$H" name=王五 id_number=110105194912310021
expect_rc 1 "wrong check character refused"
expect_err "check character" "message names the rule"
expect_one_error_line "ID refusal"
tz --lang zh record add person household="$H" name=王五 id_number=110105194912310021
expect_err "校验码" "Chinese message"
tz record add person household="$H" name=王五 id_number=110105194902300021
expect_rc 1 "impossible birth date refused"
tz record add employer name=某公司 credit_code=91350100M000100Y42
expect_rc 1 "bad credit code refused"
expect_err "credit code" "credit code message"
tz record add visit household="$H" date=2026-02-30 kind=home
expect_rc 1 "bad date refused"
tz record add visit household="$H" date=2026-03-01 kind=teleport
expect_rc 1 "bad enum refused"
expect_err "kind" "enum message names the field"
tz record add visit household="$H" date=2026-03-01 kind=home satisfaction=6
expect_rc 1 "satisfaction out of range"
tz record add person household=0123456789abcdef0123456789abcdef name=赵六
expect_rc 1 "reference to a missing household"
tz record add person household="$H" "name=坏$(printf '\033')[31m名"
expect_rc 1 "control characters in a name refused"
tz record add person household="$H"
expect_rc 1 "name is required"
tz record add nosuchtable a=b
expect_rc 2 "unknown table is a usage error"
tz record add person household
expect_rc 2 "missing = is a usage error"
tz record set person "$P" gender=M
expect_rc 1 "gender contradicting the ID number"
tz record add person household="$H" name=重复 id_number=11010519491231002x
expect_rc 1 "a national ID number already registered"
expect_err "$P" "the message names the existing record"
tz record set person "$P2" id_number=11010519491231002X
expect_rc 1 "cannot take another person's ID number"
tz dump
if cmp -s "$OUT" "$T/before"; then pass; else fail "refusals changed the data"; fi

# a village scripted end to end
tz record add visit household="$H" staff=刘专干 date=2026-06-01 kind=上门 findings=家中3人 \
	needs=找工作 satisfaction=5 next_visit=2026-07-01
expect_rc 0 "visit"
tz record add aid_case person="$P" opened=2026-06-02 owner=刘专干 category=disabled,age4050 \
	plan=推荐就近岗位
expect_rc 0 "aid case"
C=$(cat "$OUT")
tz record add aid_action aid_case="$C" date=2026-06-03 staff=刘专干 kind=policy note=讲解补贴 \
	next_due=2026-06-20
expect_rc 0 "aid action"
tz record add employer name=长沙某电子厂 credit_code=91350100M000100Y43 phone=0731-88889999 \
	industry=C
expect_rc 0 "employer"
E=$(cat "$OUT")
tz record add vacancy employer="$E" title=普工 openings=10 wage_min=4000 wage_max=6000 \
	age_min=18 age_max=50 education_min=70 valid_until=2026-09-30
expect_rc 0 "vacancy"
V=$(cat "$OUT")
tz record add vacancy employer="$E" title=普工 openings=10 wage_min=7000 wage_max=6000
expect_rc 1 "wage_min > wage_max refused"
tz record add referral vacancy="$V" person="$P" date=2026-06-05 staff=刘专干 status=referred
expect_rc 0 "referral"
R=$(cat "$OUT")
tz record set referral "$R" status=hired outcome_date=2026-06-10
expect_rc 0 "referral outcome"
tz record add registration person="$P" kind=unemployment date=2026-06-01 reason=工厂倒闭
expect_rc 0 "registration"
tz record add staff name=刘专干 role=village phone=13700001111 certificate_expiry=2027-01-01
expect_rc 0 "staff"
tz record set aid_case "$C" status=closed
expect_rc 1 "closing needs a date and reason"
tz record set aid_case "$C" status=closed closed=2026-06-10 close_reason=employed
expect_rc 0 "close the case"

# list formats and filters
tz record list person --where name=张三
expect_rc 0 "list with where"
n=$(wc -l <"$OUT")
expect_eq "$n" 2 "header plus one row"
tz record list person --format csv
expect_out "id,household,name" "csv header"
tz record list person --format json
expect_out "\"name\":\"李四\"" "json"
tz record list person --format xml
expect_rc 2 "unknown format"

# deletion is a tombstone
tz record del household "$H"
expect_rc 1 "household with members cannot be deleted"
tz record del person "$P2"
expect_rc 0 "delete person"
tz record get person "$P2"
expect_out "_deleted=1" "deleted row still readable, marked"
tz record list person
n=$(wc -l <"$OUT")
expect_eq "$n" 2 "deleted rows not listed"
tz dump
expect_out "person	$P2	_deleted	1" "dump marks deleted rows"
tz record set person "$P2" name=x
expect_rc 1 "cannot edit a deleted record"

tz check
expect_rc 0 "check is clean"
expect_out "ok" "check prints ok"

# the dump is canonical: sorted by table, id, field
tz dump
sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -s "$OUT" >"$T/sorted"
if cmp -s "$OUT" "$T/sorted"; then pass; else fail "dump is sorted"; fi

finish
