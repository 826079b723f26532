#!/bin/sh
# Build the fuzz targets (clang, libFuzzer, ASan + UBSan, into build-fuzz/)
# and run them.  See tests/fuzz/README.md.
# Usage: tests/fuzz/run.sh [fuzz|smoke|replay|build] [TARGET...]
#   fuzz    replay the regressions, then fuzz each target for $FUZZ_SECONDS
#           (default 60) on build-fuzz/corpus/<target>, a working copy seeded
#           from tests/fuzz/corpus/<target> that grows from run to run
#   smoke   the same for $FUZZ_SMOKE_SECONDS (default 5) on a fresh copy of
#           the seeds, for CI
#   replay  only replay tests/fuzz/regressions/<target>/* (every crash found
#           so far; each run of fuzz and smoke does this first)
#   build   only build
# TARGET: bundle import keyring csv csvimport validate edit net receipt (default: all).
# $FUZZ_JOBS targets run at once (default 2: the machines have two cores).
# One line per target, then "N passed, N failed"; exit 1 if any failed.
# A crash leaves its input in build-fuzz/artifacts/<target>/ and the log in
# build-fuzz/logs/<target>.log; make it a regression test by copying the
# input into tests/fuzz/regressions/<target>/.
set -u
cd "$(dirname "$0")/../.." || exit 2
FZ_B=${FZ_B:-build-fuzz}
CLANG=${CLANG:-clang}
what=${1:-fuzz}
[ $# -gt 0 ] && shift
targets=${*:-bundle import keyring csv csvimport validate edit net receipt}
jobs=${FUZZ_JOBS:-2}
case $what in
fuzz) secs=${FUZZ_SECONDS:-60} ;;
smoke) secs=${FUZZ_SMOKE_SECONDS:-5} ;;
replay | build) secs=0 ;;
*)
	echo "usage: tests/fuzz/run.sh [fuzz|smoke|replay|build] [TARGET...]" >&2
	exit 2
	;;
esac

if ! make --no-print-directory -s -f tests/fuzz/fuzz.mk FZ_B="$FZ_B" CLANG="$CLANG" \
	-j"$jobs" >"$FZ_B.build.log" 2>&1; then
	cat "$FZ_B.build.log" >&2
	echo "fuzz: the build failed (clang and libclang-rt-14-dev installed?)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f "$FZ_B.build.log"
[ "$what" = build ] && exit 0

# per-target input size limits (bytes)
max_len() {
	case $1 in
	bundle | import | csvimport) echo 16384 ;;
	validate) echo 1024 ;;
	edit) echo 512 ;;
	*) echo 8192 ;;
	esac
}

logs=$FZ_B/logs
mkdir -p "$logs"
# ASan: also report leaks; UBSan: stack traces.  Fatal either way
# (-fno-sanitize-recover=all).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# run_one TARGET: writes $logs/TARGET.result ("ok ..." or "FAIL ...")
run_one() {
	t=$1
	bin=$FZ_B/fuzz_$t
	res=$logs/$t.result
	log=$logs/$t.log
	: >"$log"
	# 1. every regression input, every time
	reg=tests/fuzz/regressions/$t
	nreg=0
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
		nreg=$(ls -A "$reg" | wc -l)
		if ! "$bin" -timeout=25 -rss_limit_mb=2048 "$reg"/* >>"$log" 2>&1; then
			echo "FAIL fuzz_$t: a regression input crashes again (see $log)" >"$res"
			return
		fi
	fi
	if [ "$secs" = 0 ]; then
		echo "ok   fuzz_$t: $nreg regression inputs" >"$res"
		return
	fi
	# 2. fuzz
	if [ "$what" = smoke ]; then
		corpus=$FZ_B/smoke-corpus/$t
		rm -rf "$corpus"
	else
		corpus=$FZ_B/corpus/$t
	fi
	mkdir -p "$corpus" "$FZ_B/artifacts/$t"
	cp tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
	dict=tests/fuzz/dict/$t.dict
	[ -f "$dict" ] && dict="-dict=$dict" || dict=
	"$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
		-print_final_stats=1 -artifact_prefix="$FZ_B/artifacts/$t/" $dict \
		"$corpus" >>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	size=$(ls "$corpus" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "ok   fuzz_$t: ${execs:-?} execs in ${secs}s, corpus $size, $nreg regression inputs" >"$res"
	else
		why=$(grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:|fuzz_[a-z]+:)' "$log")
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "FAIL fuzz_$t: rc=$rc ${why:-see $log} ${art:+-> $art}" >"$res"
	fi
}

# two at a time (FUZZ_JOBS)
set -- $targets
while [ $# -gt 0 ]; do
	pids=""
	n=0
	while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
		run_one "$1" &
		pids="$pids $!"
		n=$((n + 1))
		shift
	done
	wait $pids
done

pass=0
fail=0
for t in $targets; do
	r=$(cat "$logs/$t.result" 2>/dev/null || echo "FAIL fuzz_$t: no result")
	echo "$r"
	case $r in
	ok*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
