#!/bin/sh
# Power cut: taizhang killed (SIGKILL) in the middle of record writes,
# import-csv, export and import.  After every kill:
# - `taizhang check` finds no `integrity` damage and PRAGMA integrity_check
#   says ok;
# - rows and the change log moved together: the change log grew by exactly
#   the changes of the rows written (or not at all), every row's base
#   version is one of its changes, every change belongs to a row, the
#   live-row counters equal the live rows;
# - a write is all or nothing: the record added is there or not, the field
#   set has its old or its new value, an import-csv file is all in or none
#   of it, an import leaves the dump as before or as fully merged;
# - the export state matches the files written: exporting again and
#   importing everything on the stick into the township succeeds (no file
#   refused, no fork) and gives the same township as an export that was
#   never interrupted;
# - the database takes the next write.
#
# Kill points: with strace (Debian package strace), every write-type system
# call of each command in turn (write, pwrite64, fsync, fdatasync,
# ftruncate, rename, unlink: strace -e inject=SYSCALL:signal=KILL:when=N):
# every call but write/pwrite64, and writes spread evenly over the rest, at
# most $POWERCUT_POINTS (20) per command, half that for export and import
# (0: every call).  Without strace,
# random points in time instead.  Then $POWERCUT_LOOPS (6) runs of a shell
# loop of record add / record set / import-csv killed at a random moment:
# every id a finished `record add` printed is in the database.
. "$(dirname "$0")/lib.sh"

MAXP=${POWERCUT_POINTS:-20}
LOOPS=${POWERCUT_LOOPS:-6}
SYSCALLS="write pwrite64 fsync fdatasync ftruncate rename unlink"
REGION=430181100201
HAVE_STRACE=0
# traced CMD...: CMD under strace.  LeakSanitizer stops the world with
# ptrace, which a traced process cannot do: in the ASan build a run that
# finishes before its kill point would end in "LeakSanitizer has encountered
# a fatal error".  Leaks are checked by every untraced run of the suite.
traced() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq "$@"
}
if command -v strace >/dev/null 2>&1 &&
	strace -f -qq -o /dev/null -e trace=write -e inject=write:signal=KILL:when=1 \
		sh -c 'echo x' >/dev/null 2>&1; [ $? = 137 ]; then
	HAVE_STRACE=1
else
	echo "powercut: strace cannot inject signals here; random points in time instead"
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "skipped: needs sqlite3"
	finish
fi
START=$(date +%s)
elapsed() { echo $(($(date +%s) - START)); }
runs=0
killed=0
notkilled=0

# ---- the states every run starts from ----
VBASE=$T/vbase.db
WBASE=$T/wbase.db
DB=$WBASE
tz init --role township --region 430181100000 --name 城关镇
expect_rc 0 "init township"
tz key export-public "$T/t.pub"
DB=$VBASE
tz init --role village --region $REGION --name 石门村
expect_rc 0 "init village"
tz keyring add "$T/t.pub" --role township --region 430181100000
expect_rc 0 "the village enrols the township (bundles are encrypted to it)"
tz demo --seed 7 --villages 1 --households 20
expect_rc 0 "demo"
tz key export-public "$T/v.pub"
DB=$WBASE
tz keyring add "$T/v.pub" --role village --region $REGION
expect_rc 0 "enrol the village"
DB=$VBASE
mkdir "$T/stick1"
tz export --out "$T/stick1"
expect_rc 0 "first export"
tz record list household --format csv
H=$(sed -n 2p "$OUT" | cut -d, -f1)
tz record add household village=$REGION address=导出后新增
expect_rc 0 "a change after the first export"
tz record set household "$H" note=第二批
expect_rc 0 "another"
tz check
expect_rc 0 "village check"
DB=$WBASE
tz import "$T/stick1"
expect_rc 0 "township imports the first bundle"
tz check
expect_rc 0 "township check"
printf 'household,name\n' >"$T/p.csv"
for n in 一 二 三 四 五 六 七 八 九 十; do printf '%s,试%s\n' "$H" "$n" >>"$T/p.csv"; done

# reference: the second export never interrupted, imported by the township
cp "$VBASE" "$T/ref.db"
mkdir "$T/stick-ref"
DB=$T/ref.db
tz export --out "$T/stick-ref"
expect_rc 0 "reference export"
cp "$WBASE" "$T/wref.db"
DB=$T/wref.db
tz import "$T/stick-ref"
expect_rc 0 "reference import"
tz dump
cp "$OUT" "$T/township-after.dump"
DB=$WBASE
tz dump
cp "$OUT" "$T/township-before.dump"

echo "powercut: set-up $(elapsed) s"
# ---- checks ----
q() { sqlite3 "$1" "$2" 2>&1; }
# the replicated tables: those with a live-row counter
TABLES=$(q "$VBASE" "SELECT tbl FROM live_count ORDER BY tbl")
[ -n "$TABLES" ] && pass || fail "no replicated tables found"
rows_union=""
for t in $TABLES; do rows_union="$rows_union${rows_union:+ UNION ALL }SELECT upper(id) FROM $t"; done
# consistent DB WHAT: taizhang opens it first (and so recovers it), then
# integrity, rows and change log together, counters.  Sets OPS to the
# number of changes in the log.
sql_checks="PRAGMA integrity_check;"
for t in $TABLES; do
	sql_checks="$sql_checks SELECT '$t', (SELECT count(*) FROM $t r WHERE NOT EXISTS
		(SELECT 1 FROM op WHERE hex(op.row) = upper(r.id) AND op.hlc = r._hlc)),
		(SELECT n FROM live_count WHERE tbl = '$t') - (SELECT count(*) FROM $t WHERE _deleted = 0);"
done
sql_checks="$sql_checks SELECT 'orphans', count(*) FROM op WHERE hex(row) NOT IN ($rows_union);
	SELECT 'ops', count(*) FROM op;"
consistent() {
	DB=$1
	tz check
	if grep -q '^integrity' "$OUT" || { [ "$RC" != 0 ] && [ "$RC" != 1 ]; }; then
		fail "$2: taizhang check exit $RC: $(head -c 200 "$OUT")"
		OPS=-1
		return
	fi
	q "$1" "$sql_checks" >"$T/sqlout"
	OPS=$(sed -n 's/^ops|//p' "$T/sqlout")
	bad=$(grep -v -e '^ok$' -e '^[a-z_]*|0|0$' -e '^orphans|0$' -e '^ops|[0-9]*$' "$T/sqlout")
	if [ -z "$bad" ] && [ "$(head -n 1 "$T/sqlout")" = ok ]; then pass; else
		fail "$2: integrity or rows/changes/counters: $(echo $bad | head -c 200)"
	fi
}
# count DB SQL
count() { q "$1" "$2"; }

# kill_points NAME DB CMD...: list "SYSCALL N" for every write-type call the
# command makes on a fresh copy of the base database
kill_points() {
	name=$1 base=$2
	shift 2
	cp "$base" "$T/probe.db"
	rm -f "$T/probe.db-wal" "$T/probe.db-shm"
	pre_cmd "$name"
	traced -o "$T/trace" -e trace="$(echo $SYSCALLS | tr ' ' ,)" \
		"$TAIZHANG" --db "$T/probe.db" "$@" >/dev/null 2>&1
	awk -v max="$MAXP" '{ s = $2; sub(/\(.*/, "", s); if (s !~ /^[a-z0-9_]+$/) next
		n[s]++; p[++np] = s " " n[s]; rare[np] = s != "write" && s != "pwrite64"; nr += rare[np] }
	END {
		keep = max - nr; nw = np - nr; if (keep < 2) keep = 2
		for (i = 1; i <= np; i++) {
			if (!rare[i]) { w++; if (max > 0 && keep < nw && int(w * keep / nw) == int((w - 1) * keep / nw)) continue }
			print p[i]
		}
	}' "$T/trace"
}
pre_cmd() { :; }

# point_runs NAME BASEDB CHECKFN CMD...: run CMD on a fresh copy of BASEDB,
# killed at each point in turn (or at random times), then CHECKFN
point_runs() {
	name=$1 base=$2 check=$3
	shift 3
	if [ "$HAVE_STRACE" = 1 ]; then
		kill_points "$name" "$base" "$@" >"$T/points"
	else
		awk -v n=25 'BEGIN { srand(20260615); for (i = 0; i < n; i++) printf "time %d.%03d\n", 0, 5 + int(rand() * 400) }' >"$T/points"
	fi
	np=$(wc -l <"$T/points" | tr -d ' ')
	[ "$np" -gt 0 ] || fail "$name: no kill points"
	while read -r sc k; do
		cp "$base" "$T/run.db"
		rm -f "$T/run.db-wal" "$T/run.db-shm"
		pre_cmd "$name"
		if [ "$sc" = time ]; then
			timeout -s KILL "$k" "$TAIZHANG" --db "$T/run.db" "$@" >"$T/run.out" 2>"$T/run.err"
		else
			traced -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when="$k" \
				"$TAIZHANG" --db "$T/run.db" "$@" >"$T/run.out" 2>"$T/run.err"
		fi
		rc=$?
		runs=$((runs + 1))
		case $rc in
		137) killed=$((killed + 1)) ;;
		0) notkilled=$((notkilled + 1)) ;;
		*) fail "$name killed at $sc #$k: exit $rc ($(head -c 200 "$T/run.err"))" ;;
		esac
		$check "$name at $sc #$k" "$rc"
	done <"$T/points"
	echo "$name: $np kill points ($(elapsed) s so far)"
}

# ---- record add ----
HN0=$(count "$VBASE" "SELECT count(*) FROM household")
OPS0=$(count "$VBASE" "SELECT count(*) FROM op")
WOPS0=$(count "$WBASE" "SELECT count(*) FROM op")
WOPS1=$(count "$T/wref.db" "SELECT count(*) FROM op")
check_add() {
	consistent "$T/run.db" "$1"
	n=$(count "$T/run.db" "SELECT count(*) FROM household")
	id=$(cat "$T/run.out")
	if [ "$n" = "$HN0" ] && [ -z "$id" ] && [ "$OPS" = "$OPS0" ]; then
		pass
	elif [ "$n" = $((HN0 + 1)) ] && [ "$OPS" = $((OPS0 + 1)) ]; then
		# added: the printed id, if one was printed, is the new row
		if [ -n "$id" ] && [ "$(count "$T/run.db" "SELECT count(*) FROM household WHERE id = '$id'")" != 1 ]; then
			fail "$1: printed $id, not in the database"
		else
			pass
		fi
	else
		fail "$1: $n households (was $HN0), $OPS changes (was $OPS0), printed '$id'"
	fi
	DB=$T/run.db
	tz record add household village=$REGION address=之后
	expect_rc 0 "$1: the next write works"
}
point_runs "record add" "$VBASE" check_add record add household village=$REGION address=新户

# ---- record set ----
check_set() {
	consistent "$T/run.db" "$1"
	v=$(count "$T/run.db" "SELECT coalesce(note, '') FROM household WHERE id = '$H'")
	case $v:$((OPS - OPS0)) in
	第二批:0 | 断电测试:1) pass ;;
	*) fail "$1: note is '$v' with $((OPS - OPS0)) new changes" ;;
	esac
	[ "$2" = 0 ] && { [ "$v" = 断电测试 ] && pass || fail "$1: finished, but the note is '$v'"; }
}
point_runs "record set" "$VBASE" check_set record set household "$H" note=断电测试

# ---- import-csv: all ten or none ----
PN0=$(count "$VBASE" "SELECT count(*) FROM person")
check_csv() {
	consistent "$T/run.db" "$1"
	n=$(count "$T/run.db" "SELECT count(*) FROM person")
	case $((n - PN0)):$((OPS - OPS0)) in
	0:0) [ -s "$T/run.out" ] && fail "$1: ids printed, nothing imported" || pass ;;
	10:10) pass ;;
	*) fail "$1: $((n - PN0)) of 10 persons imported, $((OPS - OPS0)) new changes" ;;
	esac
}
point_runs "import-csv" "$VBASE" check_csv import-csv person "$T/p.csv"

# ---- export: the state matches the files; a re-export imports cleanly ----
pre_cmd() {
	case $1 in
	export)
		rm -rf "$T/stick"
		mkdir "$T/stick"
		;;
	esac
}
tmpfiles=0
check_export() {
	consistent "$T/run.db" "$1"
	expect_eq "$OPS" "$OPS0" "$1: the export wrote no change"
	DB=$T/run.db
	tmpfiles=$((tmpfiles + $(ls -A "$T/stick" | grep -c '^\.tzb-export-')))
	tz export --out "$T/stick"
	expect_rc 0 "$1: export again"
	expect_eq "$(ls -A "$T/stick" | grep -c '^\.tzb-export-')" 0 \
		"$1: the next export removes the killed one's temporary file"
	cp "$WBASE" "$T/w.db"
	rm -f "$T/w.db-wal" "$T/w.db-shm"
	DB=$T/w.db
	tz import "$T/stick"
	expect_rc 0 "$1: the township imports what is on the stick"
	if grep -q '^refused' "$OUT" || grep -qi 'fork' "$OUT" "$ERR"; then
		fail "$1: refused or fork: $(head -c 300 "$OUT")"
	else
		pass
	fi
	tz dump
	if cmp -s "$OUT" "$T/township-after.dump"; then pass; else
		fail "$1: the township differs from an uninterrupted export's"
	fi
}
# exports and imports unlock the keys (Argon2id, 64 MiB) once or twice per
# run: half as many points
MAXP=$(((MAXP + 1) / 2))
point_runs export "$VBASE" check_export export --out "$T/stick"
echo "export: $tmpfiles temporary .tzb-export-* files left behind by kills (removed by the next export)"

# ---- import: before or after, never between; importing again completes ----
before=0
after=0
check_import() {
	consistent "$T/run.db" "$1"
	DB=$T/run.db
	tz dump
	if cmp -s "$OUT" "$T/township-before.dump" && [ "$OPS" = "$WOPS0" ]; then
		before=$((before + 1))
		pass
	elif cmp -s "$OUT" "$T/township-after.dump" && [ "$OPS" = "$WOPS1" ]; then
		after=$((after + 1))
		pass
	else
		fail "$1: the township is neither before nor after the import ($OPS changes)"
	fi
	tz import "$T/stick-ref"
	expect_rc 0 "$1: import again"
	tz dump
	if cmp -s "$OUT" "$T/township-after.dump"; then pass; else fail "$1: import again did not complete the merge"; fi
}
pre_cmd() { :; }
point_runs import "$WBASE" check_import import "$T/stick-ref"
echo "import: $before as before, $after fully merged"

# ---- a shell loop of writes, killed at a random moment ----
cat >"$T/loop.sh" <<EOF
i=0
while [ \$i -lt 4 ]; do
	i=\$((i + 1))
	id=\$("$TAIZHANG" --db "$T/run.db" record add household village=$REGION address=循环\$i) &&
		echo "household \$id" >>"$T/log"
	"$TAIZHANG" --db "$T/run.db" record set household "$H" note=第\$i次 >/dev/null &&
		echo "note 第\$i次" >>"$T/log"
	"$TAIZHANG" --db "$T/run.db" import-csv person "$T/p.csv" >"$T/ids.\$i" &&
		echo "csv \$i" >>"$T/log"
done
EOF
cp "$VBASE" "$T/run.db"
rm -f "$T/log"
t0=$(date +%s%N)
sh "$T/loop.sh"
t1=$(date +%s%N)
SPAN=$(((t1 - t0) / 1000000))
expect_eq "$(grep -c . "$T/log")" 12 "the loop runs through when not killed"
DELAYS=$(awk -v n="$LOOPS" -v span="$SPAN" 'BEGIN { srand(7); for (i = 0; i < n; i++) { ms = 20 + int(rand() * span); printf "%d.%03d\n", ms / 1000, ms % 1000 } }')
for d in $DELAYS; do
	cp "$VBASE" "$T/run.db"
	rm -f "$T/run.db-wal" "$T/run.db-shm" "$T/log"
	: >"$T/log"
	timeout -s KILL "$d" sh "$T/loop.sh"
	runs=$((runs + 1))
	what="loop killed after ${d}s"
	consistent "$T/run.db" "$what"
	lost=0
	for id in $(sed -n 's/^household //p' "$T/log"); do
		[ "$(count "$T/run.db" "SELECT count(*) FROM household WHERE id = '$id'")" = 1 ] || lost=$((lost + 1))
	done
	expect_eq "$lost" 0 "$what: every household whose add printed its id is there"
	last=$(sed -n 's/^note //p' "$T/log" | tail -n 1)
	v=$(count "$T/run.db" "SELECT coalesce(note, '') FROM household WHERE id = '$H'")
	ok=0
	for k in 1 2 3 4; do [ "$v" = "第${k}次" ] && ok=$k; done
	lastk=0
	[ -n "$last" ] && lastk=$(echo "$last" | tr -dc 0-9)
	if { [ "$ok" = "$lastk" ] || [ "$ok" = $((lastk + 1)) ]; } || { [ "$lastk" = 0 ] && [ "$v" = 第二批 ]; }; then
		pass
	else
		fail "$what: note '$v', last finished set '$last'"
	fi
	ncsv=$(grep -c '^csv' "$T/log")
	n=$(($(count "$T/run.db" "SELECT count(*) FROM person") - PN0))
	# the same ten again are already there (same name in the same household):
	# ten once any import finished, else none or ten (the killed one had committed)
	if [ "$n" = 10 ] || { [ "$ncsv" = 0 ] && [ "$n" = 0 ]; }; then pass; else
		fail "$what: $n persons for $ncsv finished imports of 10"
	fi
done

echo "powercut: $runs runs: $killed killed by strace at a write, $notkilled finished first," \
	"$LOOPS loops killed at random times; $(elapsed) s"
finish
