#!/bin/sh
# CI's bounded fuzz run: build the targets, replay every regression input,
# fuzz each target for ~5 seconds from the committed seeds, one target at a
# time (tests/run.sh runs two scripts at once already).  One check per
# target: it ran without a crash.  Closing line "N passed, N failed".
# Without clang's libFuzzer runtime it says so and skips (passes), unless
# FUZZ_REQUIRED=1.
#   FUZZ_SMOKE_SECONDS (5)  FUZZ_JOBS (1)
set -u
cd "$(dirname "$0")/../.." || exit 2
CLANG=${CLANG:-clang}
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
	rm -rf "$probe"
	echo "SKIP fuzz smoke: $CLANG cannot build libFuzzer targets (apt-get install clang libclang-rt-14-dev)"
	if [ "${FUZZ_REQUIRED:-0}" = 1 ]; then
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "0 passed, 0 failed"
	exit 0
fi
rm -rf "$probe"
FUZZ_JOBS=${FUZZ_JOBS:-1} exec sh tests/fuzz/run.sh smoke "$@"
