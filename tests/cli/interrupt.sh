#!/bin/sh
# End to end: an import killed (SIGKILL) at random points leaves the
# township database as it was before or fully merged, never in between:
# SQLite integrity holds (`taizhang check` reports no `integrity` finding),
# `dump` equals the empty-township dump or the fully-imported one, and
# importing again afterwards always completes the merge.
. "$(dirname "$0")/lib.sh"

RUNS=${INTERRUPT_RUNS:-25}
VDB=$T/village.db
BASE=$T/base.db
RUN=$T/run.db
STICK=$T/stick
mkdir "$STICK"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
fresh() {
	rm -f "$RUN" "$RUN-wal" "$RUN-shm" "$RUN-journal"
	cp "$BASE" "$RUN"
}

# the township's key, which the village encrypts to
DB=$BASE
tz init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
tz key export-public "$T/township.pub"

# a village with thousands of changes, exported once (encrypted to the
# township and itself)
DB=$VDB
tz init --role village --region 430181100201 --name 石门村
expect_rc 0 "init village"
tz demo --seed 3 --villages 1 --households 300
expect_rc 0 "demo"
tz key export-public "$T/village.pub"
tz keyring add "$T/township.pub" --role township --region 430181100000
expect_rc 0 "the village enrols the township"
tz export --out "$STICK"
expect_rc 0 "export"
tz status
OPS=$(sed -n 's/^changes	//p' "$OUT")
if [ "${OPS:-0}" -ge 2000 ]; then pass; else fail "thousands of changes ($OPS)"; fi

# the township as it stands before the import, closed cleanly
DB=$BASE
tz keyring add "$T/village.pub" --role village --region 430181100201
expect_rc 0 "enrol the village"
tz check
expect_rc 0 "township check (and a clean close)"
for s in -wal -shm -journal; do
	[ -e "$BASE$s" ] && fail "the base database left $BASE$s behind"
done
tz dump
cp "$OUT" "$T/empty.dump"

# the fully merged state, and how long a whole import takes
fresh
DB=$RUN
t0=$(now_ms)
tz import "$STICK"
t1=$(now_ms)
expect_rc 0 "uninterrupted import"
expect_out "new=$OPS" "all changes applied"
DUR=$((t1 - t0))
tz dump
cp "$OUT" "$T/full.dump"
if cmp -s "$T/empty.dump" "$T/full.dump"; then fail "the import changed nothing"; else pass; fi

# kill points spread over 0 .. 1.25 x the import's duration (at least 50 ms),
# from a fixed seed so that a failure can be re-run
SPAN=$((DUR * 5 / 4))
[ "$SPAN" -lt 50 ] && SPAN=50
DELAYS=$(awk -v n="$RUNS" -v span="$SPAN" 'BEGIN {
	srand(20260615)
	for (i = 0; i < n; i++) { ms = 2 + int(rand() * span); printf "%d.%03d\n", ms / 1000, ms % 1000 }
}')
before=0
after=0
between=0
killed=0
for d in $DELAYS; do
	fresh
	timeout -s KILL "$d" "$TAIZHANG" --db "$RUN" import "$STICK" >"$OUT" 2>"$ERR"
	rc=$?
	case $rc in
	0) ;;
	137) killed=$((killed + 1)) ;;
	*) fail "import (killed after ${d}s) exited $rc" ;;
	esac
	DB=$RUN
	tz check
	if grep -q '^integrity' "$OUT"; then fail "integrity finding after a kill at ${d}s"; else pass; fi
	if [ "$RC" = 0 ] || [ "$RC" = 1 ]; then pass; else fail "check after a kill at ${d}s exited $RC"; fi
	tz dump
	if cmp -s "$OUT" "$T/empty.dump"; then
		before=$((before + 1))
		pass
	elif cmp -s "$OUT" "$T/full.dump"; then
		after=$((after + 1))
		pass
	else
		between=$((between + 1))
		fail "state after a kill at ${d}s is neither before nor after the import"
	fi
	# whatever happened, importing again completes the merge
	tz import "$STICK"
	expect_rc 0 "import again after a kill at ${d}s"
	tz dump
	if cmp -s "$OUT" "$T/full.dump"; then pass; else fail "re-import after a kill at ${d}s did not converge"; fi
done
echo "interrupt: $RUNS runs over 0-${SPAN} ms (an import takes ${DUR} ms): $killed killed;" \
	"$before as before, $after fully merged, $between in between"
expect_eq "$between" 0 "never in between"

finish
