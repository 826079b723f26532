#!/bin/sh
# One office, several PCs (#20): two PCs of one village (a desktop and a
# laptop) and two PCs of its township enrol each other, exchange bundles
# both ways by stick and by network, and end with the same register.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

T1=$T/t1.db T2=$T/t2.db VA=$T/va.db VB=$T/vb.db
on() { DB=$1; shift; tz "$@"; }
dump_of() { "$TAIZHANG" --db "$1" dump >"$T/dump.$2" 2>/dev/null; }

on "$T1" init --role township --region 430181100000 --name 城关镇一号机
on "$T2" init --role township --region 430181100000 --name 城关镇二号机
on "$VA" init --role village --region 430181100201 --name 石门村台式机
on "$VB" init --role village --region 430181100201 --name 石门村笔记本
for d in T1 T2 VA VB; do eval "on \"\$$d\" key export-public \"\$T/$d.pub\""; done
# each PC enrols the others: the township PCs as township, the village PCs as village
for d in T1 T2 VA VB; do
	eval "db=\$$d"
	for o in T1 T2 VA VB; do
		[ "$o" = "$d" ] && continue
		case $o in T*) r="township 430181100000" ;; *) r="village 430181100201" ;; esac
		set -- $r
		on "$db" keyring add "$T/$o.pub" --role "$1" --region "$2"
		[ "$RC" = 0 ] || fail "$d enrols $o"
	done
done
pass

# ---- the village's two PCs, by stick ----
on "$VA" record add household village=430181100201 address=台式机登记的户
on "$VB" record add household village=430181100201 address=笔记本登记的户
mkdir "$T/s1" "$T/s2"
on "$VA" export --out "$T/s1"
expect_rc 0 "the desktop exports"
on "$VB" import "$T/s1"
expect_rc 0 "the laptop takes the desktop's bundle (same village)"
expect_out "applied" "and applies it"
on "$VB" export --out "$T/s2"
on "$VA" import "$T/s2"
expect_rc 0 "the desktop takes the laptop's"
dump_of "$VA" va
dump_of "$VB" vb
if cmp -s "$T/dump.va" "$T/dump.vb"; then pass; else fail "the village's two PCs differ after the stick"; fi
expect_eq "$(grep -c 'address	' "$T/dump.va")" 2 "both hold both households"

# ---- the township's two PCs, by network ----
on "$T1" record add employer name=城关镇食品厂 credit_code=91350100M000100Y43
EMP=$(cat "$OUT")
on "$T1" record add vacancy employer="$EMP" title=包装工 openings=10
VAC=$(cat "$OUT")
start_server S1 "$T1"
on "$T2" pull --from "$S1_URL"
expect_rc 0 "the second township PC pulls from the first"
on "$T2" record get vacancy "$VAC"
expect_out "openings=10" "and holds its vacancy"
on "$T2" record set vacancy "$VAC" openings=6
on "$T2" push --to "$S1_URL"
expect_rc 0 "the second township PC pushes its change to the first"
expect_out "receipt	" "and the first signs for it (a PC of the same office)"
expect_eq "$(ls -A "$T2.outbox" 2>/dev/null | grep -c '\.tzb$')" 0 "so its outbox is empty"
on "$T1" record get vacancy "$VAC"
expect_out "openings=6" "the first PC has the second's change"
# the villages: the desktop to the first township PC, the laptop to the second
on "$VA" push --to "$S1_URL"
expect_rc 0 "the desktop pushes to the first township PC"
stop_server S1
start_server S2 "$T2"
on "$VB" push --to "$S2_URL"
expect_rc 0 "the laptop pushes to the second"
# the township PCs pass on what each received
on "$T1" push --to "$S2_URL"
expect_rc 0 "the first township PC pushes (its own and the village's bundles) to the second"
stop_server S2
start_server S1 "$T1"
on "$T2" push --to "$S1_URL"
expect_rc 0 "and the second to the first"
stop_server S1
dump_of "$T1" t1
dump_of "$T2" t2
if cmp -s "$T/dump.t1" "$T/dump.t2"; then pass; else
	fail "the township's two PCs differ: $(diff "$T/dump.t1" "$T/dump.t2" | head -5)"
fi
expect_eq "$(grep -c '台式机登记的户\|笔记本登记的户' "$T/dump.t1")" 2 "both township PCs hold both village PCs' households"
on "$T1" check
expect_rc 0 "check on the first township PC"
on "$T2" check
expect_rc 0 "check on the second"

# and the township's two PCs by stick
on "$T2" record set vacancy "$VAC" openings=4
mkdir "$T/s4"
on "$T2" export --out "$T/s4"
on "$T1" import "$T/s4"
expect_rc 0 "the first township PC takes the second's stick"
on "$T1" record get vacancy "$VAC"
expect_out "openings=4" "with its change"

# a PC of another village is not an office peer
on "$T/other.db" init --role village --region 430181100202 --name 别村
on "$T/other.db" key export-public "$T/other.pub"
on "$VA" keyring add "$T/other.pub" --role village --region 430181100202
on "$T/other.db" keyring add "$T/VA.pub" --role village --region 430181100201
on "$T/other.db" keyring add "$T/T1.pub" --role township --region 430181100000
on "$T/other.db" record add household village=430181100202 address=别村的户
mkdir "$T/s3"
on "$T/other.db" export --out "$T/s3"
on "$VA" import "$T/s3"
expect_rc 1 "a village does not take another village's bundle"
expect_out "refused" "it is refused"
finish
