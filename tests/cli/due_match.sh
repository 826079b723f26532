#!/bin/sh
# End to end: `taizhang due`, `taizhang match`, `taizhang setting` on a demo
# database: exit codes, header lines, a setting changes the due list, a
# referral changes the next match.
. "$(dirname "$0")/lib.sh"

TAB=$(printf '\t')

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"
tz demo --seed 3 --villages 2 --households 60
expect_rc 0 "demo"

# ---- due ----
tz due
expect_rc 0 "due"
expect_eq "$(head -n 1 "$OUT")" "due_date${TAB}days_overdue${TAB}kind${TAB}table${TAB}id${TAB}label${TAB}reason" "due header"
n=$(($(wc -l <"$OUT") - 1))
if [ "$n" -gt 0 ]; then pass; else fail "the demo has something due ($n)"; fi
bad=$(tail -n +2 "$OUT" | awk -F '\t' 'NF != 7' | wc -l)
expect_eq "$bad" 0 "every due line has 7 fields"
bad=$(tail -n +2 "$OUT" | cut -f3 | grep -cvE '^(visit|case_action|case_idle|keygroup_unvisited|referral_outcome|zero_emp|certificate|complaint|report)$')
expect_eq "$bad" 0 "kinds are the stable words"
sorted=$(tail -n +2 "$OUT" | cut -f1 | sort -c 2>&1 && echo yes)
expect_eq "$sorted" yes "sorted by due date"
bad=$(tail -n +2 "$OUT" | awk -F '\t' '$1 > "2026-06-15" && $2 >= 0 || $1 < "2026-06-15" && $2 <= 0' | wc -l)
expect_eq "$bad" 0 "days overdue agree with the due date"
visits0=$(tail -n +2 "$OUT" | cut -f3 | grep -c '^visit$')
cp "$OUT" "$T/due0"

tz due --date 2026-06-15
cmp -s "$OUT" "$T/due0" && pass || fail "--date of TAIZHANG_NOW is the default"

tz due --kind visit,zero_emp
expect_rc 0 "due --kind"
bad=$(tail -n +2 "$OUT" | cut -f3 | grep -cvE '^(visit|zero_emp)$')
expect_eq "$bad" 0 "--kind keeps the kinds asked for"

tz due --region 430181100202
expect_rc 0 "due --region"
n2=$(($(wc -l <"$OUT") - 1))
if [ "$n2" -gt 0 ] && [ "$n2" -lt "$n" ]; then pass; else fail "--region narrows ($n2 of $n)"; fi

tz due --format text
expect_rc 0 "due --format text"
expect_out "$n items" "text format ends with the count"

tz --lang zh due --kind visit
expect_out "再次走访" "reasons in Chinese"

# a setting changes the list: look 60 days ahead for visits
tz setting get due.visit_lookahead_days
expect_rc 0 "setting get"
expect_eq "$(cat "$OUT")" 0 "default lookahead"
tz setting set due.visit_lookahead_days 60
expect_rc 0 "setting set"
expect_eq "$(cat "$OUT")" "due.visit_lookahead_days${TAB}60" "setting set prints the new value"
tz due --kind visit
visits60=$(tail -n +2 "$OUT" | wc -l)
if [ "$visits60" -gt "$visits0" ]; then pass; else fail "lookahead lists more visits ($visits60 vs $visits0)"; fi
expect_out "${TAB}-" "visits not yet due have negative days"
tz setting unset due.visit_lookahead_days
expect_rc 0 "setting unset"
tz due
cmp -s "$OUT" "$T/due0" && pass || fail "unset restores the default list"

tz setting list
expect_rc 0 "setting list"
expect_eq "$(head -n 1 "$OUT")" "key${TAB}value${TAB}default${TAB}description" "setting list header"
expect_out "match.w.skills${TAB}30${TAB}30" "weights are listed"
tz setting set due.visit_lookahead_days -5
expect_rc 1 "a bad value is refused"
expect_one_error_line "bad setting value: one error line"
tz setting set due.nonsense 5
expect_rc 2 "an unknown key is a usage error"
tz setting set match.seeker_status 失业,灵活就业
expect_rc 0 "codes by label"
expect_eq "$(cut -f2 "$OUT")" "flexible,unemployed" "codes normalised"
tz setting unset match.seeker_status

# usage errors
for args in "--date 2026-13-01" "--format xml" "--kind nope" "extra" "--region abc" "--date"; do
	tz due $args
	expect_rc 2 "due $args is a usage error"
	expect_one_error_line "due $args: one error line"
done

# ---- match ----
tz record list employer
emp=$(sed -n 2p "$OUT" | cut -f1)
tz record add vacancy employer="$emp" title=电工 openings=1 location=430181100201 skills=电工 \
	valid_until=2026-12-31 wage_min=3000 wage_max=6000
expect_rc 0 "add a vacancy"
vac=$(cat "$OUT")

tz match vacancy "$vac"
expect_rc 0 "match vacancy"
expect_eq "$(head -n 1 "$OUT")" "rank${TAB}score${TAB}id${TAB}name${TAB}flags${TAB}reasons" "match header"
m=$(($(wc -l <"$OUT") - 1))
if [ "$m" -gt 0 ] && [ "$m" -le 20 ]; then pass; else fail "some candidates, at most 20 ($m)"; fi
bad=$(tail -n +2 "$OUT" | awk -F '\t' 'NF != 6' | wc -l)
expect_eq "$bad" 0 "every match line has 6 fields"
expect_eq "$(sed -n 2p "$OUT" | cut -f1)" 1 "ranks start at 1"
sorted=$(tail -n +2 "$OUT" | cut -f2 | sort -n -r -c 2>&1 && echo yes)
expect_eq "$sorted" yes "best score first"
expect_out "(+" "reasons carry their points"
expect_eq "$(wc -c <"$ERR" | tr -d ' ')" 0 "no warning for a vacancy without gender requirement"
top=$(sed -n 2p "$OUT" | cut -f3)
expect_eq "$(sed -n 2p "$OUT" | cut -f5)" - "no flags before a referral"

tz match vacancy "$vac" --limit 2
expect_eq "$(($(wc -l <"$OUT") - 1))" 2 "--limit 2"

tz --lang zh match vacancy "$vac" --limit 1
expect_out "技能匹配" "Chinese reasons"

# a referral marks the person
tz record add referral vacancy="$vac" person="$top" date=2026-06-15 status=referred
expect_rc 0 "record a referral"
ref=$(cat "$OUT")
tz match vacancy "$vac"
expect_eq "$(grep "$top" "$OUT" | cut -f5)" referred "the referred person is marked, not dropped"
# hired: the only opening is taken
tz record set referral "$ref" status=hired outcome_date=2026-06-16
expect_rc 0 "hired"
tz match vacancy "$vac"
expect_rc 0 "match a filled vacancy"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 1 "a filled vacancy lists nobody"
expect_err "filled" "and says why"
tz record set vacancy "$vac" openings=3
tz match vacancy "$vac"
expect_eq "$(grep "$top" "$OUT" | cut -f5)" hired "more openings: the hired person is marked"

# a gender requirement is matched, with a warning
tz record add vacancy employer="$emp" title=缝纫工 openings=2 gender=F valid_until=2026-12-31
fvac=$(cat "$OUT")
tz match vacancy "$fvac"
expect_rc 0 "match a vacancy with a gender requirement"
expect_err "Employment Promotion Law" "gender requirement warning"
tz record list person --where gender=M
males=$(tail -n +2 "$OUT" | cut -f1)
tz match vacancy "$fvac" --limit 100
hits=0
for p in $males; do grep -q "$p" "$OUT" && hits=$((hits + 1)); done
expect_eq "$hits" 0 "only women for a vacancy that states F"

# match person
tz match person "$top"
expect_rc 0 "match person"
expect_eq "$(head -n 1 "$OUT")" "rank${TAB}score${TAB}id${TAB}name${TAB}flags${TAB}reasons" "match person header"
expect_out "$vac" "the person's vacancy is listed"
expect_eq "$(grep "$vac" "$OUT" | cut -f5)" hired "marked hired there"

# errors
tz match vacancy 0123456789abcdef0123456789abcdef
expect_rc 1 "no such vacancy"
expect_one_error_line "no such vacancy: one error line"
tz match person "$vac"
expect_rc 1 "a vacancy id is not a person"
for args in "" "vacancy" "job $vac" "vacancy $vac extra" "vacancy $vac --limit 0" \
	"vacancy $vac --limit x" "vacancy $vac --date 2026-02-30" "vacancy $vac --frob"; do
	tz match $args
	expect_rc 2 "match $args is a usage error"
	expect_one_error_line "match $args: one error line"
done
# the option forms every command shares (cli_args): --name=value, a value
# that is missing at the end, a flag given a value, a word too many
tz match vacancy "$vac" --limit=1 --date=2026-06-15
expect_rc 0 "match --limit=1 --date=DATE"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 2 "--limit=1: the header and one row"
for args in "match vacancy $vac --limit" "export --forward=1" "serve --no-export=yes" \
	"notice extra" "calllist $vac $vac" "init --role"; do
	tz $args
	expect_rc 2 "$args is a usage error"
	expect_err "usage: taizhang" "$args names the synopsis"
done

# no database: environment error
DB=$T/none.db
tz due
expect_rc 3 "due without a database"
tz match vacancy "$vac"
expect_rc 3 "match without a database"

finish
