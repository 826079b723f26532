#!/bin/sh
# Search latency alone at township and county scale: bench/bench.sh with
# BENCH_PARTS=search (1000 mixed queries through tz_search by
# bench/search_bench.c, and a full-scan baseline, on each cached demo
# database).  Not part of `make test`.
#
#   sh bench/search.sh [BUILD_DIR]
#
# Targets: p99 <= 10 ms at township scale, <= 50 ms at county scale.
BENCH_PARTS=search exec sh "$(dirname "$0")/bench.sh" "$@"
