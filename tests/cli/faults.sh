#!/bin/sh
# End to end: I/O faults.  Each gives exit 3 and one clear line in the
# user's language (English and Chinese), and loses nothing.
# - the database locked by another program (sqlite3 holding BEGIN
#   EXCLUSIVE) while taizhang writes, imports and exports: it waits the busy
#   timeout (5 s), then says the database is locked; nothing changed, and
#   the same command works once the lock is gone
# - the database on a full disk: record add and import-csv say the disk is
#   full; after room is made, the data is as before and writes work
# - a read-only USB stick during export: says read-only, the export state
#   does not advance (root: a tmpfs mounted read-only; else skipped)
# - a missing or unreadable public key file, keyring file or passphrase
#   file (unreadable: as an unprivileged user, since root reads anything)
. "$(dirname "$0")/lib.sh"

REGION=430181100201
VDB=$T/village.db
DB=$VDB
tz init --role village --region $REGION --name 石门村
expect_rc 0 "init"
tz demo --seed 4 --villages 1 --households 30
expect_rc 0 "demo"
tz key export-public "$T/v.pub"
tz record list household --format csv
H=$(sed -n 2p "$OUT" | cut -d, -f1)
printf 'household,name\n%s,甲\n%s,乙\n' "$H" "$H" >"$T/p.csv"
TDB=$T/township.db
DB=$TDB
tz init --role township --region 430181100000 --name 城关镇
tz keyring add "$T/v.pub" --role village --region $REGION
expect_rc 0 "enrol the village"
tz key export-public "$T/t.pub"
DB=$VDB
tz keyring add "$T/t.pub" --role township --region 430181100000
expect_rc 0 "the village enrols the township (bundles are encrypted to it)"
mkdir "$T/stick0"
DB=$VDB
tz export --out "$T/stick0"
expect_rc 0 "an export for the township to import"
tz dump
cp "$OUT" "$T/village.dump"
DB=$TDB
tz dump
cp "$OUT" "$T/township.dump"
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- the database locked by another program ----
# lock DB NAME: a sqlite3 process holding BEGIN EXCLUSIVE on DB until
# unlock NAME; returns once the lock is held
lock() {
	mkfifo "$T/fifo-$2"
	sqlite3 "$1" <"$T/fifo-$2" >"$T/lock-$2.out" 2>&1 7>&- 8>&- 9>&- &
	eval "lockpid_$2=\$!"
	eval "exec $3>\"\$T/fifo-\$2\""
	echo "BEGIN EXCLUSIVE; SELECT 'locked';" >&"$3"
	i=0
	while ! grep -q locked "$T/lock-$2.out" 2>/dev/null && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	grep -q locked "$T/lock-$2.out" && pass || fail "sqlite3 took the lock on $1"
}
unlock() {
	printf 'COMMIT;\n.quit\n' >&"$2"
	eval "exec $2>&-"
	eval "wait \$lockpid_$1"
}
cp "$VDB" "$T/l1.db"
cp "$VDB" "$T/l2.db"
DB=$T/l2.db
tz record add household village=$REGION address=锁前新增
expect_rc 0 "a change for the locked export"
cp "$TDB" "$T/l3.db"
lock "$T/l1.db" l1 7
lock "$T/l2.db" l2 8
lock "$T/l3.db" l3 9
# three writers at once, each on its own locked database
mkdir "$T/stick-l"
t0=$(now_ms)
"$TAIZHANG" --lang en --db "$T/l1.db" record add household village=$REGION address=锁住 \
	>"$T/o1" 2>"$T/e1" &
p1=$!
"$TAIZHANG" --lang zh --db "$T/l2.db" export --out "$T/stick-l" >"$T/o2" 2>"$T/e2" &
p2=$!
"$TAIZHANG" --lang zh --db "$T/l3.db" import "$T/stick0" >"$T/o3" 2>"$T/e3" &
p3=$!
wait $p1
r1=$?
wait $p2
r2=$?
wait $p3
r3=$?
t1=$(now_ms)
dt=$((t1 - t0))
echo "locked: the three commands gave up after $dt ms"
for k in 1 2 3; do
	eval "r=\$r$k"
	OUT=$T/o$k ERR=$T/e$k RC=$r
	expect_rc 3 "locked ($k): exit 3"
	expect_one_error_line "locked ($k)"
done
OUT=$T/o1 ERR=$T/e1
expect_err "locked by another program" "record add: says the database is locked (English)"
expect_eq "$(wc -c <"$T/o1" | tr -d ' ')" 0 "record add: no id printed"
ERR=$T/e2
expect_err "数据库被另一个程序锁定" "export: says the database is locked (Chinese)"
ERR=$T/e3
expect_err "数据库被另一个程序锁定" "import: says the database is locked (Chinese)"
if [ "$dt" -ge 4500 ] && [ "$dt" -lt 30000 ]; then pass; else
	fail "waited the busy timeout (5 s), not less, and did not hang ($dt ms)"
fi
unlock l1 7
unlock l2 8
unlock l3 9
DB=$T/l1.db
tz dump
if cmp -s "$OUT" "$T/village.dump"; then pass; else fail "locked record add changed the data"; fi
tz check
expect_rc 0 "check after the lock"
tz record add household village=$REGION address=解锁后
expect_rc 0 "record add once the lock is gone"
DB=$T/l2.db
tz status
expect_out "changes" "status"
tz export --out "$T/stick-l"
expect_rc 0 "export once the lock is gone"
expect_eq "$(ls "$T/stick-l" | grep -c '\.tzb$')" 1 "one bundle on the stick (the locked export's file was the same bundle)"
DB=$T/l3.db
tz dump
if cmp -s "$OUT" "$T/township.dump"; then pass; else fail "locked import changed the township"; fi
tz import "$T/stick0"
expect_rc 0 "import once the lock is gone"
tz import "$T/stick-l"
expect_rc 0 "the bundle exported after the lock imports"
expect_out "new=1" "it carries the one change made before the lock"

# ---- temporary files of killed exports on the stick ----
# one left by a killed export: the next export removes it, unless another
# export is writing in the folder at that moment (it holds the folder with
# a shared flock, as flock(1) -s does here)
DB=$T/l2.db
printf 'half a bundle' >"$T/stick-l/.tzb-export-AbC123"
flock -s -o "$T/stick-l" sleep 30 &
FLOCK_PID=$!
sleep 0.3
tz record add household village=$REGION address=临时文件
tz export --out "$T/stick-l"
expect_rc 0 "export while another export holds the folder"
expect_eq "$(ls -A "$T/stick-l" | grep -c '^\.tzb-export-AbC123$')" 1 "the temporary file is left alone while another export writes"
pkill -P "$FLOCK_PID" 2>/dev/null
kill "$FLOCK_PID" 2>/dev/null
wait "$FLOCK_PID" 2>/dev/null
tz record add household village=$REGION address=临时文件二
tz export --out "$T/stick-l"
expect_rc 0 "export with a killed export's temporary file on the stick"
expect_eq "$(ls -A "$T/stick-l" | grep -c '^\.tzb-export-')" 0 "the killed export's temporary file is removed"

# ---- database on a full disk, stick read-only (root: tmpfs) ----
MNT=""
cleanup() {
	for m in $MNT; do umount "$m" 2>/dev/null; done
	rm -rf "$T"
}
mnt() {
	mkdir -p "$1"
	mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null || return 1
	MNT="$MNT $1"
}
if [ "$(id -u)" = 0 ] && mnt "$T/full" size=2m; then
	trap cleanup EXIT
	cp "$VDB" "$T/full/v.db"
	dd if=/dev/zero of="$T/full/filler" bs=4k >/dev/null 2>&1
	DB=$T/full/v.db
	tz --lang en record add household village=$REGION address=满了
	expect_rc 3 "record add on a full disk: exit 3"
	expect_one_error_line "record add on a full disk"
	expect_err "disk full" "says the disk is full"
	tz --lang zh import-csv person "$T/p.csv"
	expect_rc 3 "import-csv on a full disk: exit 3"
	expect_one_error_line "import-csv on a full disk"
	expect_err "磁盘已满" "says the disk is full (Chinese)"
	rm -f "$T/full/filler"
	tz dump
	if cmp -s "$OUT" "$T/village.dump"; then pass; else fail "the full disk changed the data"; fi
	tz check
	expect_rc 0 "check once there is room"
	tz import-csv person "$T/p.csv"
	expect_rc 0 "import-csv once there is room"

	# fills up while writing: room for the database but not for a big import
	cp "$VDB" "$T/full/w.db"
	{
		echo household,name
		i=0
		while [ $i -lt 3000 ]; do echo "$H,名字$i"; i=$((i + 1)); done
	} >"$T/big.csv"
	free=$(df -k "$T/full" | awk 'NR == 2 { print $4 }')
	dd if=/dev/zero of="$T/full/filler" bs=1k count=$((free - 200)) >/dev/null 2>&1
	DB=$T/full/w.db
	tz import-csv person "$T/big.csv"
	expect_rc 3 "a big import-csv filling the disk: exit 3"
	expect_err "disk full" "says the disk is full"
	rm -f "$T/full/filler"
	tz dump
	if cmp -s "$OUT" "$T/village.dump"; then pass; else fail "the half-done import left something"; fi
	tz check
	expect_rc 0 "check after the disk filled up"

	if mnt "$T/ro" size=1m,ro; then
		cp "$VDB" "$T/r.db"
		DB=$T/r.db
		# stick0 holds seq 1-N; one change more to export
		N=$(ls "$T/stick0" | sed -n 's/^[0-9a-f]*-1-\([0-9]*\)-.*/\1/p')
		tz record add household village=$REGION address=只读之前
		expect_rc 0 "a change to export"
		tz --lang en export --out "$T/ro"
		expect_rc 3 "export to a read-only stick: exit 3"
		expect_one_error_line "read-only stick"
		expect_err "Read-only" "says read-only"
		tz --lang zh export --out "$T/ro"
		expect_rc 3 "again, in Chinese"
		expect_one_error_line "read-only stick (zh)"
		expect_err "只读" "says read-only (Chinese)"
		mkdir "$T/good"
		tz export --out "$T/good"
		expect_rc 0 "export to a good folder"
		expect_eq "$(basename "$(cat "$OUT")" | cut -d- -f2-3)" "$((N + 1))-$((N + 1))" \
			"the state did not advance: the good folder gets seq $((N + 1))"
		tz verify "$T/stick0" "$T/good"
		expect_rc 0 "the chain continues from stick0"
	else
		fail "mount a read-only tmpfs"
	fi
else
	echo "skipped: full disk and read-only stick need root (tmpfs)"
fi

# ---- missing and unreadable key, keyring and passphrase files ----
DB=$TDB
for l in en zh; do
	tz --lang $l keyring add "$T/missing.pub" --role village --region 430181100202
	expect_rc 3 "keyring add, missing file ($l)"
	expect_one_error_line "keyring add, missing file ($l)"
	tz --lang $l verify --keyring "$T/missing.txt" "$T/stick0"
	expect_rc 3 "verify --keyring, missing file ($l)"
	expect_one_error_line "verify --keyring, missing file ($l)"
	tz --lang $l --passphrase-file "$T/missing.pass" export --out "$T/stick0"
	expect_rc 3 "--passphrase-file, missing file ($l)"
	expect_one_error_line "--passphrase-file, missing file ($l)"
done
expect_err "没有这个文件" "the Chinese message says the file does not exist"
tz --lang en keyring add "$T/missing.pub" --role village --region 430181100202
expect_err "No such file" "the English message says the file does not exist"
tz keyring export "$T/keyring.txt"
expect_rc 0 "keyring export"
cp "$T/v.pub" "$T/locked.pub"
cp "$T/keyring.txt" "$T/locked.txt"
chmod 000 "$T/locked.pub" "$T/locked.txt"
# as an unprivileged user when root (root reads anything)
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null 2>&1; then
	echo "skipped: unreadable files need setpriv (util-linux) when running as root"
else
	chmod 755 "$T"
	mkdir -m 777 "$T/nobody"
	cp "$TDB" "$T/nobody/t.db"
	chmod 666 "$T/nobody/t.db"
	for l in en zh; do
		as_user "$TAIZHANG" --lang $l --db "$T/nobody/t.db" keyring add "$T/locked.pub" \
			--role village --region 430181100202 >"$OUT" 2>"$ERR"
		RC=$?
		expect_rc 3 "keyring add, unreadable file ($l)"
		expect_one_error_line "keyring add, unreadable file ($l)"
		as_user "$TAIZHANG" --lang $l --db "$T/nobody/t.db" verify --keyring "$T/locked.txt" \
			"$T/stick0" >"$OUT" 2>"$ERR"
		RC=$?
		expect_rc 3 "verify --keyring, unreadable file ($l)"
		expect_one_error_line "verify --keyring, unreadable file ($l)"
	done
	expect_err "没有权限" "the Chinese message says permission denied"
	expect_err "locked.txt" "and names the file"
fi
DB=$TDB
tz dump
if cmp -s "$OUT" "$T/township.dump"; then pass; else fail "the refused key files changed the township"; fi

finish
