#!/bin/sh
# End to end: `taizhang demo` fills an initialised database with valid,
# deterministic data; bad options are usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

tz demo --seed 1
expect_rc 3 "no database yet: environment error"

tz init --role village --region 430181100201 --name 测试村
expect_rc 0 "init"

tz demo --seed 7 --villages 2 --households 50
expect_rc 0 "demo"
expect_out "$(printf 'household\t100')" "100 households in the summary"
expect_out "$(printf 'staff\t')" "staff in the summary"
n=$(grep -c "$(printf '^[a-z_]*\t[0-9][0-9]*$')" "$OUT")
expect_eq "$n" "$(wc -l <"$OUT" | tr -d ' ')" "stdout is only table<TAB>count lines"
expect_eq "$n" 18 "one line per table"
# the platform's own records (issue 8): two fairs, a platform per village
# (the township's own station is the township's record: a village database
# does not write it, core/authority.c), complaints in every state
expect_out "$(printf 'event\t2')" "a Spring Breeze fair and a recent job fair"
expect_out "$(printf 'platform\t2')" "a platform record per village, none for the township"
expect_out "$(printf 'complaint\t6')" "complaints"
att=$(sed -n 's/^attendance\t//p' "$OUT")
if [ "${att:-0}" -ge 8 ]; then pass; else fail "attendees signed in ($att)"; fi
expect_eq "$(wc -c <"$ERR" | tr -d ' ')" 0 "nothing on stderr"
persons=$(sed -n 's/^person\t//p' "$OUT")
if [ "${persons:-0}" -ge 300 ] && [ "$persons" -le 500 ]; then pass; else fail "about 4 persons per household ($persons)"; fi
for t in visit aid_case aid_action employer vacancy referral registration; do
	c=$(sed -n "s/^$t\t//p" "$OUT")
	if [ "${c:-0}" -gt 0 ]; then pass; else fail "some $t rows ($c)"; fi
done

tz record list household --where village=430181100202
expect_rc 0 "list the second village"
expect_eq "$(($(wc -l <"$OUT") - 1))" 50 "50 households in village 430181100202"
tz record list person --where employment_status=migrant
expect_out "430181" "migrants with ID numbers of the county"

tz check
expect_rc 0 "check finds no dangling references or duplicate ID numbers"

# the same seed on another database: the same content
tz dump
cp "$OUT" "$T/dump1"
DB1=$DB
DB=$T/tz2.db
tz init --role village --region 430181100201 --name 测试村
tz demo --seed 7 --villages 2 --households 50
expect_rc 0 "demo on a second database"
tz dump
if cmp -s "$OUT" "$T/dump1"; then pass; else fail "same seed, same dump"; fi
tz demo --seed 7 --villages 2 --households 50
tz dump
if cmp -s "$OUT" "$T/dump1"; then pass; else fail "the same seed again rewrites the same rows"; fi
tz demo --seed 8 --villages 1 --households 10
expect_out "$(printf 'household\t10')" "another seed adds more"
DB=$DB1

# usage errors
for args in "--villages abc" "--villages 0" "--villages -3" "--households 1x" \
	"--households 99999999" "--seed" "--seed -1" "--frobnicate" "extra" "--region 99"; do
	tz demo $args
	expect_rc 2 "demo $args is a usage error"
	expect_one_error_line "demo $args: one error line"
	expect_eq "$(wc -c <"$OUT" | tr -d ' ')" 0 "demo $args prints nothing on stdout"
done
tz demo --villages=abc
expect_rc 2 "--villages=abc"
expect_err "abc" "the error names the bad value"

# the villages are placed in the township the database is for, however many
DB=$T/t105.db
tz init --role township --region 430181105000 --name 某镇
tz demo --villages 30 --households 2
expect_rc 0 "demo on a township's database"
tz record list household --format tsv
expect_eq "$(tail -n +2 "$OUT" | cut -f2 | grep -vc '^430181105')" 0 "every household is in the township's own villages"
expect_eq "$(tail -n +2 "$OUT" | cut -f2 | sort -u | wc -l)" 30 "30 villages"
DB=$T/v105.db
tz init --role village --region 430181105207 --name 某村
tz demo --villages 1 --households 3
tz record list household --format tsv
expect_eq "$(tail -n +2 "$OUT" | cut -f2 | sort -u)" 430181105207 "a village's demo is that village"
finish
