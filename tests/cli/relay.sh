#!/bin/sh
# County -> township -> village (#20): the county's vacancy reaches a
# village that only ever talks to its township, over the township's server
# and on the township's stick; the bundle is passed on unchanged, so it is
# still the county's signature the village checks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

C=$T/county.db W=$T/township.db V=$T/village.db V2=$T/village2.db
on() { DB=$1; shift; tz "$@"; }
on "$C" init --role county --region 430181000000 --name 浏阳市
on "$W" init --role township --region 430181100000 --name 城关镇
on "$V" init --role village --region 430181100201 --name 石门村
on "$V2" init --role village --region 430181100202 --name 大桥村
for d in C W V V2; do eval "on \"\$$d\" key export-public \"\$T/$d.pub\""; done
on "$C" keyring add "$T/W.pub" --role township --region 430181100000
on "$C" keyring add "$T/V.pub" --role village --region 430181100201
on "$C" keyring add "$T/V2.pub" --role village --region 430181100202
on "$W" keyring add "$T/C.pub" --role county --region 430181000000
on "$W" keyring add "$T/V.pub" --role village --region 430181100201
on "$W" keyring add "$T/V2.pub" --role village --region 430181100202
for v in V V2; do
	eval "db=\$$v"
	on "$db" keyring add "$T/W.pub" --role township --region 430181100000
	on "$db" keyring add "$T/C.pub" --role county --region 430181000000
done

on "$C" record add employer name=县人社局推荐企业 credit_code=91350100M000100Y43
EMP=$(cat "$OUT")
on "$C" record add vacancy employer="$EMP" title=县城保安 openings=8
VAC=$(cat "$OUT")
mkdir "$T/up"
on "$C" export --out "$T/up"
on "$W" import "$T/up"
expect_rc 0 "the township takes the county's vacancy"

# over the network: the village pulls from its township only
start_server S "$W"
on "$V" pull --from "$S_URL"
expect_rc 0 "the village pulls from its township"
expect_out "applied" "and applies what it is given"
on "$V" record get vacancy "$VAC"
expect_out "title=县城保安" "the county's vacancy reached the village through the township"
grep -q "relayed" "$T/S.log" && pass || fail "the township's log says it relayed the county's bundle"
stop_server S

# on the township's stick
mkdir "$T/stick"
on "$W" export --out "$T/stick"
expect_rc 0 "the township exports to the stick"
expect_eq "$(ls "$T/stick" | grep -c '\.tzb$')" 1 "the stick carries the county's bundle, unchanged"
on "$V2" import "$T/stick"
expect_rc 0 "the other village imports the stick"
on "$V2" record get vacancy "$VAC"
expect_out "openings=8" "and holds the county's vacancy"
on "$W" export --out "$T/stick"
expect_eq "$(ls "$T/stick" | grep -c '\.tzb$')" 1 "exported again to the same stick: not written twice"
# the auditor sees the county's own signature on it
on "$C" keyring export "$T/kr"
"$TAIZHANG" verify --keyring "$T/kr" "$T/stick" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "verify: the relayed bundle is the county's, signature intact"

# ---- upward: the township forwards a village's bundle on a stick that is lost ----
on "$V" record add household village=430181100201 address=石门村一组
mkdir "$T/vs"
on "$V" export --out "$T/vs"
on "$W" import "$T/vs"
expect_rc 0 "the township takes the village's bundle"
mkdir "$T/lost"
on "$W" export --out "$T/lost" --forward
expect_rc 0 "the township exports to the county with --forward"
VPRE=$(sed -n 's/^untrusted comment: minisign public key [0-9A-F]* taizhang \([0-9a-f]\{8\}\).*/\1/p' "$T/V.pub")
expect_eq "$(ls "$T/lost" | grep -c "^$VPRE-")" 1 "the stick carries the village's bundle"
rm -rf "$T/lost" # never reaches the county
start_server S "$C"
on "$W" push --to "$S_URL"
expect_rc 0 "the township pushes to the county"
on "$C" record list household
expect_out "石门村一组" "the county gets the village's household the lost stick carried"
expect_eq "$(ls -A "$W.outbox" | grep -c '\.tzb$')" 0 "the county signed for all of it: the township's outbox is empty"
stop_server S
finish
