#!/bin/sh
# Search latency at township and county scale.  Not part of `make test`.
#
#   sh bench/search.sh [BUILD_DIR]          (default build; run `make` first)
#
# Builds two demo databases under $BENCH_DIR (default /tmp/taizhang-bench),
# reused when present: a township (30 villages of 1000 households, about
# 120,000 persons) and a county (300 villages, about 1.2 million persons),
# timing their creation.  Builds bench/search_bench.c with the project's
# flags against BUILD_DIR/libtaizhang.a and runs it on each: 1000 mixed
# queries (names, a surname and one more character, pinyin initials, full
# pinyin, the last four ID digits, phone beginnings) through tz_search, and
# a full-scan baseline on the same database.
# Targets: p99 <= 10 ms at township scale, <= 50 ms at county scale.
#
# BENCH_SCALES="township county" (default) picks the databases;
# BENCH_QUERIES=1000 the number of queries.
set -eu
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
dir=${BENCH_DIR:-/tmp/taizhang-bench}
scales=${BENCH_SCALES:-township county}
nq=${BENCH_QUERIES:-1000}
bin=$B/taizhang
[ -x "$bin" ] && [ -f "$B/libtaizhang.a" ] || {
	echo "bench/search.sh: build first: make B=$B $B/taizhang $B/libtaizhang.a" >&2
	exit 2
}
mkdir -p "$dir"

# the driver, with the flags of the Makefile
pc() { pkg-config "$@" sqlite3 zlib libsodium 2>/dev/null || true; }
libs=$(pc --libs)
[ -n "$libs" ] || libs="-lsqlite3 -lz -lsodium"
${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wundef -Wvla -Werror -Iinclude -I. -D_GNU_SOURCE \
	-DSQLITE_OMIT_DEPRECATED $(pc --cflags) -o "$dir/search_bench" bench/search_bench.c \
	"$B/libtaizhang.a" $libs -lm

export TAIZHANG_PASSPHRASE=bench
for scale in $scales; do
	case $scale in
	township) villages=30 ;;
	county) villages=300 ;;
	*) echo "bench/search.sh: unknown scale $scale" >&2; exit 2 ;;
	esac
	db=$dir/$scale.db
	if [ ! -f "$db" ]; then
		rm -f "$db" "$db-wal" "$db-shm"
		"$bin" --db "$db" init --role county --region 430181000000 --name "$scale" >/dev/null
		start=$(date +%s)
		"$bin" --db "$db" demo --seed 1 --villages $villages --households 1000 >"$dir/$scale.demo"
		end=$(date +%s)
		echo "== $scale: demo --villages $villages --households 1000 took $((end - start)) s"
	else
		echo "== $scale: reusing $db"
	fi
	ls -l "$db" | awk '{ printf "   database %.0f MB\n", $5 / 1048576 }'
	"$dir/search_bench" "$db" "$nq"
	echo
done
