#!/bin/sh
# End to end, the "done when" of issue 8 on a demo database: a new user
# records a job fair with attendees and on-the-spot intentions, prints the
# notice board page, logs and resolves a complaint, sees a certificate about
# to expire, and produces the staff performance and platform checklist for
# a month.  Plus the usage and data errors of the new commands.
. "$(dirname "$0")/lib.sh"

TAB=$(printf '\t')
field() { sed -n "s/^$1=//p" "$OUT"; }

tz init --role village --region 430181100201 --name 金塘村
expect_rc 0 "init"
tz demo --seed 5 --villages 1 --households 80
expect_rc 0 "demo"
expect_out "$(printf 'event\t2')" "the demo has two fairs"

# the demo's own fairs have summaries
tz record list event
first_event=$(sed -n 2p "$OUT" | cut -f1)
tz --lang zh event summary "$first_event"
expect_rc 0 "summary of a demo fair"
expect_out "签到人数" "summary in Chinese"

# ---- a job fair with offers ----
tz record list staff
staff=$(sed -n 2p "$OUT" | cut -f1)
staff_name=$(sed -n 2p "$OUT" | cut -f2)
tz record add event name=金秋招聘月专场 kind=金秋招聘月 start=2026-06-12 end=2026-06-13 \
	place=村委会广场 organiser=镇劳动保障服务站 region=430181100201
expect_rc 0 "record the fair"
ev=$(cat "$OUT")
tz record add employer name=金塘农业合作社 phone=13912345678 contact=刘社长
emp=$(cat "$OUT")
tz record add vacancy employer="$emp" title=采茶工 openings=4 wage_min=2800 wage_max=3600 \
	age_min=18 age_max=60 valid_from=2026-06-01 valid_until=2026-08-31
expect_rc 0 "a vacancy"
vac=$(cat "$OUT")
tz record add event_offer event="$ev" employer="$emp" vacancy="$vac" booth=1号
expect_rc 0 "the employer offers it at the fair"

# attendees: three job seekers with ID numbers
tz record list person --where employment_status=unemployed
ids=$(awk -F "$TAB" 'NR > 1 && $4 != "" { print $4 }' "$OUT" | head -n 3)
n=0
for idn in $ids; do
	n=$((n + 1))
	if [ $n = 1 ]; then
		tz event signin "$ev" --id-number "$idn" --date 2026-06-12 --time 09:15 \
			--intention "$vac" --staff "$staff_name"
		expect_rc 0 "sign-in with an intention"
		att=$(sed -n 1p "$OUT")
		ref=$(sed -n 2p "$OUT")
		expect_eq "${#att}${#ref}" "3232" "an attendance and a referral id"
		first_idn=$idn
	else
		tz event signin "$ev" --id-number "$idn" --date 2026-06-13
		expect_rc 0 "sign-in $n"
		expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 "no intention: one id"
	fi
done
expect_eq "$n" 3 "three attendees"
tz record get referral "$ref"
expect_eq "$(field status)" referred "the intention is a referral"
expect_eq "$(field vacancy)" "$vac" "to the vacancy"
tz record get attendance "$att"
expect_eq "$(field referral)" "$ref" "linked from the sign-in"

# refused: twice, outside the fair's days, unknown ID number, both or
# neither of --id-number and --person
tz event signin "$ev" --id-number "$first_idn" --date 2026-06-12
expect_rc 1 "a second sign-in is refused"
expect_one_error_line "second sign-in: one error line"
tz --lang zh event signin "$ev" --id-number "$first_idn" --date 2026-06-12
expect_err "已在本次活动签到" "Chinese error"
tz event signin "$ev" --person "$att" --date 2026-06-12
expect_rc 1 "an attendance id is not a person"
tz event signin "$ev" --id-number 430181199001010038 --date 2026-06-12
expect_rc 1 "unknown ID number"
tz event signin "$ev" --id-number 12345 --date 2026-06-12
expect_rc 1 "malformed ID number"
expect_one_error_line "malformed ID number: one error line"
tz record list attendance --where event="$ev"
expect_eq "$(($(wc -l <"$OUT") - 1))" 3 "nothing half-written by the refusals"
for args in "" "signin" "signin $ev" "signin $ev --id-number 1 --person 2" "summary" \
	"summary a b" "show $ev" "signin $ev --id-number"; do
	tz event $args
	expect_rc 2 "event $args is a usage error"
	expect_one_error_line "event $args: one error line"
done
tz event signin "$ev" --id-number "$first_idn" --date 2026-13-01
expect_rc 2 "a bad date is a usage error"

tz event summary "$ev"
expect_rc 0 "summary"
expect_out "attendees signed in                        3" "3 attendees"
expect_out "intentions reached on the spot             1" "1 intention"
expect_out "openings                                   4" "4 openings"
tz record set referral "$ref" status=hired outcome_date=2026-06-14
tz event summary "$ev"
expect_out "hired since                                1" "the intention became a hire"

# ---- the notice board ----
tz notice --format html --out "$T/notice.html"
expect_rc 0 "notice as HTML"
expect_eq "$(cat "$OUT")" "$T/notice.html" "prints the file written"
grep -q "size: A4" "$T/notice.html" && pass || fail "A4 page"
grep -q "采茶工" "$T/notice.html" && pass || fail "the new vacancy is on the notice"
grep -q "招3人" "$T/notice.html" && pass || fail "openings left: 4 minus 1 hired"
grep -q "金塘村 招聘信息" "$T/notice.html" && pass || fail "Chinese title"
ls "$T"/notice.html.tmp* >/dev/null 2>&1 && fail "temporary file left" || pass
tz --lang en notice
expect_rc 0 "notice as text"
expect_out "招聘信息" "the notice is Chinese whatever the language"
expect_out "采茶工  招3人  2800-3600元/月" "text line of the vacancy"
tz notice --format pdf
expect_rc 2 "unknown notice format"
tz notice --out /nonexistent/dir/n.html
expect_rc 3 "unwritable notice file"
expect_one_error_line "unwritable: one error line"

# ---- the call list ----
tz --lang zh calllist "$vac" --limit 5
expect_rc 0 "call list"
expect_out "本名单含个人信息" "personal-data reminder"
expect_eq "$(sed -n 3p "$OUT")" "姓名${TAB}电话" "names and phones only"
bad=$(tail -n +4 "$OUT" | awk -F "$TAB" 'NF != 2' | wc -l | tr -d ' ')
expect_eq "$bad" 0 "two columns"
rows=$(($(wc -l <"$OUT") - 3))
if [ "$rows" -ge 1 ] && [ "$rows" -le 5 ]; then pass; else fail "1 to 5 candidates ($rows)"; fi
tz calllist
expect_rc 2 "calllist without a vacancy"
tz calllist 0123456789abcdef0123456789abcdef
expect_rc 1 "unknown vacancy"

# ---- a complaint, logged and resolved ----
tz record add complaint complainant=王大妈 phone=13700000000 received=2026-06-01 \
	received_by="$staff" channel=来访 subject=推荐岗位的工资与招聘信息不符
expect_rc 0 "log a complaint"
cid=$(cat "$OUT")
tz due --kind complaint
expect_out "$cid" "the complaint is in the due list (due 2026-06-16)"
expect_out "$(printf '2026-06-16\t-1\tcomplaint')" "one day ahead"
tz record set complaint "$cid" status=resolved resolved=2026-06-15
expect_rc 1 "resolving needs a resolution"
tz record set complaint "$cid" status=resolved resolved=2026-06-15 resolution=已协调补足工资 \
	actions=电话联系单位 satisfaction=5
expect_rc 0 "resolve it"
tz due --kind complaint
if grep -q "$cid" "$OUT"; then fail "resolved complaint still due"; else pass; fi
tz record add complaint complainant=x received=2026-06-01 received_by="$emp" subject=y
expect_rc 1 "received_by must be a staff record"

# ---- a certificate about to expire ----
tz record add staff_cert staff="$staff" name=职业指导人员（三级） expiry=2026-07-10
expect_rc 0 "a certificate"
cert=$(cat "$OUT")
tz due --kind certificate --format text
expect_out "staff_cert $cert" "the certificate is in the due list"
expect_out "expires on 2026-07-10" "with its expiry"
tz setting set due.cert_warn_days 20
tz due --kind certificate
if grep -q "$cert" "$OUT"; then fail "a 20-day window still lists it"; else pass; fi
tz setting unset due.cert_warn_days

# ---- the reporting calendar ----
tz setting set calendar.reports "monthly@20,年报@06-17"
expect_rc 0 "set the calendar"
tz due --kind report
expect_out "$(printf '2026-06-17\t-2\treport\tcalendar\t年报')" "yearly report in 2 days"
expect_out "$(printf '2026-06-20\t-5\treport\tcalendar\tmonthly')" "monthly report in 5 days"
tz setting set calendar.reports "monthly@32"
expect_rc 1 "a bad calendar is refused"
expect_one_error_line "bad calendar: one error line"

# ---- staff performance and the platform checklist ----
for lang in zh en; do
	tz --lang $lang report staff --period 2026-06
	expect_rc 0 "staff report ($lang)"
	expect_out "$staff_name" "$lang: the staff member has a row"
	tz --lang $lang report platform --period 2026-06
	expect_rc 0 "platform report ($lang)"
done
tz --lang zh report platform --period 2026-06
expect_out "服务平台达标情况  2026-06" "Chinese title"
expect_out "有就业能力和意愿者就业率" "full-employment indicator"
expect_out "430181100201" "the village platform"
tz --lang zh report staff --period 2026-06 --format csv
head -c 3 "$OUT" | od -An -tx1 | tr -d ' \n' | grep -q efbbbf && pass || fail "CSV BOM"
grep -q "^${staff}," "$OUT" && pass || fail "the staff id in the CSV"
tz report platform --period 2026-06 --format csv
lines=$(wc -l <"$OUT" | tr -d ' ')
expect_eq "$((lines % 10))" 1 "header and ten items per platform"
for args in "staff" "staff --period 2026-13" "platform --period 2099-01" \
	"platform --period 2026-06 --format xls"; do
	tz report $args
	expect_rc 2 "report $args is a usage error"
	expect_one_error_line "report $args: one error line"
done

# the new tables replicate like any other: they are in the dump
tz dump
expect_out "complaint" "complaints in the dump"
expect_out "staff_cert" "certificates in the dump"

finish
