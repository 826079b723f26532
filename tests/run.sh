#!/bin/sh
# Run the whole suite: every unit-test binary, then every CLI script.
# Each prints a closing "N passed, N failed" line; this adds them up.
# Usage: tests/run.sh BUILD_DIR [PATTERN]
set -u
B=${1:-build}
pat=${2:-}
TAIZHANG=$(cd "$B" && pwd)/taizhang
export TAIZHANG
logs="$B/test-logs"
rm -rf "$logs"
mkdir -p "$logs"
total_p=0
total_f=0
jobs=""
for t in "$B"/tests/test_* tests/cli/[!l]*.sh tests/screen/*.sh; do
	[ -e "$t" ] || continue
	case "$t" in *.d) continue ;; esac
	[ -n "$pat" ] && case "$t" in *"$pat"*) ;; *) continue ;; esac
	jobs="$jobs $t"
done
run_one() {
	t=$1
	name=$(basename "$t")
	log="$logs/$name.log"
	case "$t" in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*) "$t" >"$log" 2>&1 ;;
	esac
	echo "rc=$?" >>"$log"
}
# two at a time: the machines this runs on have two cores
set -- $jobs
while [ $# -gt 0 ]; do
	run_one "$1" &
	p1=$!
	if [ $# -gt 1 ]; then
		run_one "$2" &
		p2=$!
		wait $p1 $p2
		shift 2
	else
		wait $p1
		shift
	fi
done
for t in $jobs; do
	name=$(basename "$t")
	log="$logs/$name.log"
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rc=$(sed -n 's/^rc=//p' "$log" | tail -n 1)
	p=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) if ($i == "passed,") print $(i - 1)}')
	f=$(echo "$line" | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^failed/) print $(i - 1)}')
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1 # crashed or exited non-zero without counting a failure
	fi
	grep -E '^(FAIL|not ok)' "$log" | head -n 20
	if [ "$f" != 0 ]; then
		echo "--- $name (rc=$rc): see $log"
		tail -n 15 "$log"
	fi
	printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f" | sed 's/ passed/ ok/'
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
