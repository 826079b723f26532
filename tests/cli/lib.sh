# lib.sh - helpers for the CLI end-to-end scripts (POSIX sh).
#
#   . "$(dirname "$0")/lib.sh"
#   tz init --role village ...       run taizhang on $DB (output in $OUT, $ERR, status $RC)
#   expect_rc 0 "what"               the last command's exit status
#   expect_out "text" "what"         stdout contains text
#   expect_err "text" "what"         stderr contains text
#   expect_eq "$a" "$b" "what"
#   idnum 43018119850101001          the stem with its check character
#   finish                           prints "N passed, N failed", exits
#
# $TAIZHANG is the binary (tests/run.sh sets it); $T a private temp dir.
set -u
: "${TAIZHANG:=$(pwd)/build/taizhang}"
T=$(mktemp -d "${TMPDIR:-/tmp}/tzcli.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/tz.db
OUT=$T/out
ERR=$T/err
RC=0
PASSED=0
FAILED=0
export TAIZHANG_PASSPHRASE=test-passphrase
export TAIZHANG_NOW=2026-06-15
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES TAIZHANG_DB 2>/dev/null || true

tz() {
	"$TAIZHANG" --db "$DB" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

pass() { PASSED=$((PASSED + 1)); }
fail() {
	FAILED=$((FAILED + 1))
	echo "not ok - $1"
	echo "   stdout: $(head -c 400 "$OUT" 2>/dev/null)"
	echo "   stderr: $(head -c 400 "$ERR" 2>/dev/null)"
}

expect_rc() {
	if [ "$RC" = "$1" ]; then pass; else fail "$2 (exit $RC, wanted $1)"; fi
}
expect_out() {
	if grep -qF -- "$1" "$OUT"; then pass; else fail "$2 (stdout lacks '$1')"; fi
}
expect_err() {
	if grep -qF -- "$1" "$ERR"; then pass; else fail "$2 (stderr lacks '$1')"; fi
}
expect_eq() {
	if [ "$1" = "$2" ]; then pass; else fail "$3 ('$1' != '$2')"; fi
}
# stderr is exactly one line beginning "taizhang: "
expect_one_error_line() {
	n=$(wc -l <"$ERR")
	if [ "$n" = 1 ] && grep -q '^taizhang: ' "$ERR"; then pass; else fail "$1 (stderr not one 'taizhang: ' line)"; fi
}

# idnum STEM17: a valid national ID number, the stem and its GB 11643 check
# character
idnum() {
	echo "$1" | awk '{
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		s = 0
		for (i = 1; i <= 17; i++) s += substr($0, i, 1) * w[i]
		printf "%s%s\n", $0, substr("10X98765432", s % 11 + 1, 1)
	}'
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit $?
}

# csv_plain FILE: an office CSV as its cells read: no BOM, no CR, and the
# ="…" that keeps a code as text taken off (what a spreadsheet shows)
csv_plain() {
	sed -e '1s/^\xef\xbb\xbf//' -e 's/\r$//' -e 's/"=""\([^",]*\)"""/\1/g' "$1"
}
