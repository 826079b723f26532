#!/bin/sh
# The fuzz smoke as part of the suite (CI): tests/fuzz/smoke.sh builds every
# libFuzzer target with ASan + UBSan into build-fuzz/, replays every input in
# tests/fuzz/regressions/, then fuzzes each target for $FUZZ_SMOKE_SECONDS
# (5) from its committed seeds, one target at a time (the suite already runs
# two scripts at once).  One check per target; a crash fails the suite and
# leaves its input in build-fuzz/artifacts/<target>/ to be committed as a
# regression.  Skips (0 passed, 0 failed) with a message when clang cannot
# build libFuzzer targets; FUZZ_REQUIRED=1 turns that into a failure.
exec sh "$(dirname "$0")/../fuzz/smoke.sh"
