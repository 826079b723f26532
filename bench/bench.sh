#!/bin/sh
# The benchmark suite (`make bench`, `make bench-quick`; never part of
# `make test`).  Prints ONE table: each figure next to a baseline measured in
# the same run on the same machine, their ratio and the target.  What every
# row measures is in docs/performance.md.
#
#   sh bench/bench.sh [BUILD_DIR]          (default build; run `make` first)
#
# Environment:
#   BENCH_DIR      cache and scratch folder (default /tmp/taizhang-bench)
#   BENCH_SCALES   "township county" (default) or "township"
#   BENCH_QUERIES  search queries per scale (default 1000)
#   BENCH_TUI_RUNS TUI start-ups to take the median of (default 5)
#   BENCH_PARTS    "export merge search tui" (default): export is export
#                  speed, bundle size and verify; merge is import speed and RSS
#
# Demo databases are generated once (`init --role county`, `demo --seed 1
# --villages 30|300 --households 1000`) and cached under
# $BENCH_DIR/seed1-<hash of core/demo.c>/, so a changed generator gets new
# databases and re-runs are quick.  A cached database of an older schema
# version is migrated by the binary on first open, as a user's would be; one
# of a newer version (or that fails to open) is made again.  Everything
# else is made fresh in $BENCH_DIR/work.PID/ and removed at the end; the full
# log of the last run is $BENCH_DIR/last-run.log.
set -eu
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
dir=${BENCH_DIR:-/tmp/taizhang-bench}
scales=${BENCH_SCALES:-township county}
nq=${BENCH_QUERIES:-1000}
tui_runs=${BENCH_TUI_RUNS:-5}
parts=" ${BENCH_PARTS:-export merge search tui} "
want() { case $parts in *" $1 "*) return 0 ;; esac; return 1; }
bin=$top/$B/taizhang
[ -x "$bin" ] && [ -f "$B/libtaizhang.a" ] || {
	echo "bench/bench.sh: build first: make B=$B $B/taizhang $B/libtaizhang.a" >&2
	exit 2
}
for tool in minisign gzip; do
	command -v $tool >/dev/null || { echo "bench/bench.sh: $tool is missing (tools/deps.sh test)" >&2; exit 3; }
done
mkdir -p "$dir"
log=$dir/last-run.log
: >"$log"
say() { echo "$*" | tee -a "$log" >&2; }

# the drivers, with the flags of the Makefile
pc() { pkg-config "$@" sqlite3 zlib libsodium 2>/dev/null || true; }
libs=$(pc --libs)
[ -n "$libs" ] || libs="-lsqlite3 -lz -lsodium"
cflags="-std=c11 -O2 -g -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-Wwrite-strings -Wundef -Wvla -Werror -Iinclude -I. -D_GNU_SOURCE -DSQLITE_OMIT_DEPRECATED"
${CC:-cc} $cflags $(pc --cflags) -o "$dir/tzbench" bench/tzbench.c $libs
${CC:-cc} $cflags $(pc --cflags) -o "$dir/search_bench" bench/search_bench.c "$B/libtaizhang.a" \
	$libs -lm
${CC:-cc} $cflags $(pc --cflags) -o "$dir/authority_bench" bench/authority_bench.c "$B/libtaizhang.a" \
	$libs -lm
tzb=$dir/tzbench

schema=$("$tzb" version)
key=seed1-$(sha256sum core/demo.c | cut -c1-8)
cache=$dir/$key
work=$dir/work.$$
rm -rf "$work"
mkdir -p "$cache" "$work"
trap 'rm -rf "$work"' EXIT
rows=$work/rows
: >"$rows"
export TAIZHANG_PASSPHRASE=bench
unset TAIZHANG_DB TAIZHANG_NOW

# field NAME FILE: the value of NAME= in a "a=1 b=2" line
field() { tr ' ' '\n' <"$2" | sed -n "s/^$1=//p" | head -1; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
# row FIGURE SCALE MEASURED BASELINE RATIO TARGET VERDICT
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
verdict() { if [ "$(calc "($1) ? 1 : 0")" = 1 ]; then echo met; else echo MISSED; fi; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# verify_rows DIR TAG ROW ROW_CPU BYTES LOGTEXT: `taizhang verify` of the
# bundles in DIR against stock `minisign -V` on the same files (each split
# into body and 411-byte trailer, docs/bundle-format.md), wall and CPU rows
verify_rows() {
	mkdir -p "$w/ms"
	for f in "$1"/*.tzb; do
		n=$(basename "$f" .tzb)
		head -c -411 "$f" >"$w/ms/$n.body"
		tail -c 411 "$f" >"$w/ms/$n.body.minisig"
	done
	"$tzb" run "$w/$2verify.m" "$bin" verify --keyring "$w/ring" "$1" >"$w/$2verify.out"
	"$tzb" minisign "$w/src.pub" "$w"/ms/*.body >"$w/$2minisign.m"
	rm -rf "$w/ms"
	say "   $6: $(cat "$w/$2verify.m"); minisign: $(cat "$w/$2minisign.m")"
	for how in wall cpu; do
		vw=$(field $how "$w/$2verify.m") mw=$(field $how "$w/$2minisign.m")
		r=$(calc "$mw / $vw")
		label=$3
		[ $how = cpu ] && label=$4
		row "$label" "$scale" "$(calc "sprintf(\"%.1f\", $5 / 1048576 / $vw)")" \
			"$(calc "sprintf(\"%.1f\", $5 / 1048576 / $mw)")" "$(calc "sprintf(\"%.2f\", $r)")" \
			">= 1.0" "$(verdict "$r >= 1.0")"
	done
}

say "== taizhang benchmark $(date -u '+%Y-%m-%d %H:%M UTC'), cache $cache"
say "   $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the cached demo databases ----
demo_db() { # SCALE VILLAGES
	db=$cache/$1.db
	if [ -f "$db" ]; then
		v=$(sqlite3 "$db" 'PRAGMA user_version' 2>/dev/null || echo 999)
		if [ "$v" -le "$schema" ] && "$bin" --db "$db" status >/dev/null 2>&1; then
			say "== $1: reusing $db (made at schema $v, now $schema)"
			return
		fi
		say "== $1: $db is of schema $v, this build writes $schema: making it again"
		rm -f "$db" "$db-wal" "$db-shm"
	fi
	rm -f "$db.new" "$db.new-wal" "$db.new-shm"
	"$bin" --db "$db.new" init --role county --region 430181000000 --name "$1" >/dev/null
	"$tzb" run "$work/demo.m" "$bin" --db "$db.new" demo --seed 1 --villages "$2" --households 1000 \
		>"$cache/$1.demo"
	mv "$db.new" "$db"
	say "== $1: demo --villages $2 --households 1000 took $(field wall "$work/demo.m") s"
}

for scale in $scales; do
	case $scale in
	township) villages=30 ;;
	county) villages=300 ;;
	*) echo "bench/bench.sh: unknown scale $scale" >&2; exit 2 ;;
	esac
	demo_db "$scale" "$villages"
	db=$cache/$scale.db
	w=$work/$scale
	mkdir -p "$w/tzb"
	if want export || want merge; then

	# -- export: a copy of the database exports its whole history --
	cp "$db" "$w/src.db"
	want export && cp "$db" "$w/enc.db"
	# plain bundles, so that the baselines can read their payload
	"$bin" --db "$w/src.db" setting set sync.encrypt 0 >/dev/null
	"$bin" --db "$w/src.db" key export-public "$w/src.pub" >/dev/null
	"$tzb" run "$w/export.m" "$bin" --db "$w/src.db" export --out "$w/tzb" >/dev/null 2>>"$log"
	rm -f "$w/src.db" "$w/src.db-wal" "$w/src.db-shm"
	set -- "$w"/tzb/*.tzb
	nb=$#
	bytes=$(cat "$@" | wc -c)
	"$tzb" deflate "$@" >"$w/deflate.m"
	say "   export: $(cat "$w/export.m"); $nb bundles, $bytes bytes"
	say "   zlib:   $(cat "$w/deflate.m")"

	# -- merge: a new township database imports the set --
	"$bin" --db "$w/merged.db" init --role township --region 430181100000 --name bench >/dev/null
	"$bin" --db "$w/merged.db" keyring add "$w/src.pub" --role county --region 430181000000 \
		>/dev/null 2>>"$log"
	"$bin" --db "$w/merged.db" setting set sync.accept_plaintext 1 >/dev/null
	"$bin" --db "$w/merged.db" keyring export "$w/ring" >/dev/null
	"$bin" --db "$w/merged.db" key export-public "$w/merged.pub" >/dev/null
	if want merge; then
	"$tzb" run "$w/import.m" "$bin" --db "$w/merged.db" import "$w/tzb" >"$w/import.out"
	ops=$(sed -n 's/.* new=\([0-9]*\).*/\1/p' "$w/import.out" | awk '{ s += $1 } END { print s }')
	"$tzb" copyrows "$w/merged.db" "$w/base.db" >"$w/copy.m"
	rm -f "$w"/base.db*
	say "   import: $(cat "$w/import.m"); $ops ops"
	say "   insert: $(cat "$w/copy.m")"
	iw=$(field wall "$w/import.m") bw=$(field wall "$w/copy.m")
	ic=$(field cpu "$w/import.m") bc=$(field cpu "$w/copy.m")
	r=$(calc "$bw / $iw")
	row "merge ops/s (wall)" "$scale" "$(calc "int($ops / $iw)")" "$(calc "int($ops / $bw)")" \
		"$(calc "sprintf(\"%.2f\", $r)")" ">= 0.5" "$(verdict "$r >= 0.5")"
	r=$(calc "$bc / $ic")
	row "merge ops/s (cpu)" "$scale" "$(calc "int($ops / $ic)")" "$(calc "int($ops / $bc)")" \
		"$(calc "sprintf(\"%.2f\", $r)")" ">= 0.5" "$(verdict "$r >= 0.5")"
	# the authority checks (core/authority.c): the set's ops applied to
	# two new databases, checked and not, three times (township scale)
	if [ "$scale" = township ]; then
		origin=$(sed -n '1s/.*origin=\([0-9a-f]*\).*/\1/p' "$w/import.out")
		for k in 1 2 3; do
			"$dir/authority_bench" "$w/merged.db" "$origin" county 430181000000 "$w" >"$w/auth$k.m"
			say "   authority checks: $(cat "$w/auth$k.m")"
		done
		rs=$(for k in 1 2 3; do
			sed -n 's/.*checked_cpu=\([0-9.]*\) unchecked_cpu=\([0-9.]*\).*/\2 \1/p' "$w/auth$k.m" |
				awk '{ printf "%.3f\n", $1 / $2 }'
		done)
		r=$(echo "$rs" | median)
		lo=$(echo "$rs" | sort -g | head -n 1) hi=$(echo "$rs" | sort -g | tail -n 1)
		ck=$(sed -n 's/.* checked_cpu=\([0-9.]*\).*/\1/p' "$w/auth1.m")
		uk=$(sed -n 's/.*unchecked_cpu=\([0-9.]*\).*/\1/p' "$w/auth1.m")
		row "apply cpu s, unchecked / checked" "$scale (3 runs: $lo-$hi)" "$uk" "$ck" "$r" ">= 0.9" \
			"$(verdict "$r >= 0.9")"
	fi
	row "import peak RSS MB" "$scale $(calc "sprintf(\"%.0f\", $bytes / 1048576)") MB set" \
		"$(calc "sprintf(\"%.1f\", $(field rss_kb "$w/import.m") / 1024)")" "" "" "flat" ""
	echo "$bytes $(field rss_kb "$w/import.m")" >>"$work/rss"
	rm -f "$w"/merged.db*
	if [ "$scale" = township ]; then
		# the smallest set: the first bundle alone
		"$bin" --db "$w/one.db" init --role township --region 430181100000 --name bench >/dev/null
		"$bin" --db "$w/one.db" keyring add "$w/src.pub" --role county --region 430181000000 \
			>/dev/null 2>>"$log"
		"$bin" --db "$w/one.db" setting set sync.accept_plaintext 1 >/dev/null
		"$tzb" run "$w/one.m" "$bin" --db "$w/one.db" import "$1" >/dev/null
		echo "$(wc -c <"$1") $(field rss_kb "$w/one.m")" >>"$work/rss"
		say "   import of $(basename "$1") alone: $(cat "$w/one.m")"
		rm -f "$w"/one.db*
	fi
	fi
	rm -f "$w"/merged.db*
	if want export; then

	# -- bundle size vs gzip -9 of the same records as text (TSV: stored codes, one line each) --
	csvgz=$(for t in $("$bin" schema | cut -f1 | uniq); do
		"$bin" --db "$db" record list "$t" --format tsv
	done | gzip -9 | wc -c)
	r=$(calc "$bytes / $csvgz")
	row "bundle size MB" "$scale" "$(calc "sprintf(\"%.2f\", $bytes / 1048576)")" \
		"$(calc "sprintf(\"%.2f\", $csvgz / 1048576)")" "$(calc "sprintf(\"%.2f\", $r)")" \
		"<= 1.0" "$(verdict "$r <= 1.0")"
	ew=$(field wall "$w/export.m") zw=$(field wall "$w/deflate.m")
	inb=$(field in "$w/deflate.m")
	row "export MB/s (raw)" "$scale" "$(calc "sprintf(\"%.1f\", $inb / 1048576 / $ew)")" \
		"$(calc "sprintf(\"%.1f\", $inb / 1048576 / $zw)")" "$(calc "sprintf(\"%.2f\", $zw / $ew)")" \
		"" ""
	ew=$(field cpu "$w/export.m") zw=$(field cpu "$w/deflate.m")
	row "export MB/s (cpu)" "$scale" "$(calc "sprintf(\"%.1f\", $inb / 1048576 / $ew)")" \
		"$(calc "sprintf(\"%.1f\", $inb / 1048576 / $zw)")" "$(calc "sprintf(\"%.2f\", $zw / $ew)")" \
		"" ""

	# -- verify vs stock minisign on the same bundles --
	verify_rows "$w/tzb" v "verify MB/s" "verify MB/s (cpu)" "$bytes" verify

	# -- the same with encrypted bundles (format version 2, the default),
	# encrypted to the township: an auditor verifies them without a key --
	"$bin" --db "$w/enc.db" keyring add "$w/merged.pub" --role township \
		--region 430181100000 >/dev/null 2>>"$log"
	mkdir -p "$w/enc"
	"$bin" --db "$w/enc.db" export --out "$w/enc" >/dev/null 2>>"$log"
	rm -f "$w/enc.db" "$w/enc.db-wal" "$w/enc.db-shm"
	ebytes=$(cat "$w"/enc/*.tzb | wc -c)
	verify_rows "$w/enc" e "verify MB/s (encrypted)" "verify MB/s (enc, cpu)" "$ebytes" \
		"encrypted: $ebytes bytes; verify"
	rm -rf "$w/enc"
	fi
	rm -rf "$w/tzb"
	fi

	# -- search latency --
	if want search; then
	"$dir/search_bench" "$db" "$nq" >"$w/search.out"
	cat "$w/search.out" >>"$log"
	med=$(awk '$1 == "all" && $2 != "(cpu)" { print $4 }' "$w/search.out")
	p99=$(awk '$1 == "all" && $2 != "(cpu)" { print $10 }' "$w/search.out")
	cp99=$(awk '$1 == "all" && $2 == "(cpu)" { print $11 }' "$w/search.out")
	bmed=$(awk '$1 == "baseline" { print $4 }' "$w/search.out")
	lim=10
	[ "$scale" = county ] && lim=50
	row "search median ms" "$scale" "$med" "$bmed" "$(calc "sprintf(\"%.4f\", $med / $bmed)")" "" ""
	row "search p99 ms" "$scale" "$p99" "$bmed" "$(calc "sprintf(\"%.4f\", $p99 / $bmed)")" \
		"<= $lim ms" "$(verdict "$p99 <= $lim")"
	row "search p99 ms (cpu)" "$scale" "$cp99" "" "" "<= $lim ms" "$(verdict "$cp99 <= $lim")"
	fi

	# -- TUI start-up to the first full screen, and its peak RSS --
	want tui || continue
	mkdir -p "$w/tui"
	printf 'save home.txt\n' >"$w/tui/keys"
	: >"$w/tui/ms"
	: >"$w/tui/rss"
	: >"$w/tui/base"
	: >"$w/tui/base_rss"
	i=0
	while [ $i -lt "$tui_runs" ]; do
		(cd "$w/tui" && LANG=C.UTF-8 TERM=xterm LINES=24 COLUMNS=80 TAIZHANG_TUI_SCRIPT=keys \
			TAIZHANG_TUI_TIMING=1 "$tzb" run m "$bin" --lang zh --db "$db" >/dev/null 2>err)
		sed -n 's/^first_screen_ms //p' "$w/tui/err" >>"$w/tui/ms"
		field rss_kb "$w/tui/m" >>"$w/tui/rss"
		"$tzb" run "$w/tui/bm" "$tzb" open "$db" >/dev/null
		calc "$(field wall "$w/tui/bm") * 1000" >>"$w/tui/base"
		echo >>"$w/tui/base"
		field rss_kb "$w/tui/bm" >>"$w/tui/base_rss"
		i=$((i + 1))
	done
	sed -n 3,3p "$w/tui/home.txt" >>"$log"
	ms=$(median <"$w/tui/ms") bms=$(median <"$w/tui/base")
	rss=$(median <"$w/tui/rss") brss=$(median <"$w/tui/base_rss")
	row "TUI first screen ms" "$scale" "$ms" "$(calc "sprintf(\"%.1f\", $bms)")" \
		"$(calc "sprintf(\"%.1f\", $ms / $bms)")" "<= 150 ms" "$(verdict "$ms <= 150")"
	row "TUI peak RSS MB" "$scale" "$(calc "sprintf(\"%.1f\", $rss / 1024)")" \
		"$(calc "sprintf(\"%.1f\", $brss / 1024)")" "$(calc "sprintf(\"%.1f\", $rss / $brss)")" \
		"<= 32 MB" "$(verdict "$rss <= 32 * 1024")"
done

# import peak RSS: largest set against smallest
if [ -f "$work/rss" ] && [ "$(wc -l <"$work/rss")" -ge 2 ]; then
	sort -n "$work/rss" | awk 'NR == 1 { b = $1; r = $2 } END {
		printf "import peak RSS MB\t%.0f MB vs %.0f MB set\t%.1f\t%.1f\t%.2f\tflat\t%s\n",
			$1 / 1048576, b / 1048576, $2 / 1024, r / 1024, $2 / r,
			($2 / r <= 1.25) ? "met" : "MISSED" }' >>"$rows"
fi

say ""
{
	printf '%-22s %-22s %12s %12s %8s %10s %s\n' figure scale measured baseline ratio target ""
	awk -F'\t' '{ printf "%-22s %-22s %12s %12s %8s %10s %s\n", $1, $2, $3, $4, $5, $6, $7 }' \
		"$rows"
} | tee -a "$log"
