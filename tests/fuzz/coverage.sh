#!/bin/sh
# Line coverage of the source files each fuzz target aims at, reached by its
# corpus (build-fuzz/corpus/<target> after `make fuzz`, plus the committed
# seeds).  Builds uninstrumented-for-ASan, source-coverage binaries into
# build-fuzz/cov/.  Usage: tests/fuzz/coverage.sh [TARGET...]
#   COV_SHOW=1  also print the uncovered lines
set -eu
cd "$(dirname "$0")/../.."
FZ_B=${FZ_B:-build-fuzz}
CLANG=${CLANG:-clang}
V=$("$CLANG" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
PROFDATA=$(command -v llvm-profdata-"$V" || command -v llvm-profdata)
COV=$(command -v llvm-cov-"$V" || command -v llvm-cov)
LIBS=$(pkg-config --libs sqlite3 zlib libsodium 2>/dev/null || echo -lsqlite3 -lz -lsodium)
out=$FZ_B/cov
mkdir -p "$out"
files() {
	case $1 in
	bundle) echo sync/bundle_format.c sync/bundle_read.c ;;
	import) echo sync/bundle_read.c sync/bundle_import.c sync/bundle_ledger.c core/oplog.c ;;
	keyring) echo sync/pubkey.c sync/keyring_file.c ;;
	csv) echo core/csv.c ;;
	csvimport) echo core/csv.c core/record.c ;;
	validate) echo core/validate.c core/oplog.c ;;
	esac
}
for t in ${*:-bundle import keyring csv csvimport validate}; do
	"$CLANG" -std=c11 -O1 -g -Iinclude -I. -Itests/fuzz -D_GNU_SOURCE -DSQLITE_OMIT_DEPRECATED \
		-fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer -w \
		-o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" core/*.c sync/*.c $LIBS -lm
	rm -f "$out/$t.profraw"
	dirs="tests/fuzz/corpus/$t"
	[ -d "$FZ_B/corpus/$t" ] && dirs="$dirs $FZ_B/corpus/$t"
	LLVM_PROFILE_FILE="$out/$t.profraw" "$out/fuzz_$t" -runs=0 $dirs >/dev/null 2>&1 || true
	"$PROFDATA" merge -o "$out/$t.profdata" "$out/$t.profraw"
	echo "fuzz_$t: $(ls $dirs | wc -l) inputs"
	"$COV" report "$out/fuzz_$t" -instr-profile="$out/$t.profdata" $(files "$t") |
		awk '$1 ~ /\.c$/ {
			sub(".*/", "", $1)
			printf "  %-12s lines %5d, missed %5d: %s;  functions %s;  branches %s\n",
				$1, $8, $9, $10, $7, $13 }'
	if [ "${COV_SHOW:-0}" = 1 ]; then
		"$COV" show "$out/fuzz_$t" -instr-profile="$out/$t.profdata" $(files "$t") |
			grep -E '^ *[0-9]+\| *0\|'
	fi
done
