#!/bin/sh
# The committed core/pinyin_table.c is exactly what tools/gen-pinyin.py makes
# from the Unihan readings Debian ships (package unicode-data).  Skipped, and
# said so, when the Unihan file or python3 is missing.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

src=""
for f in /usr/share/unicode/Unihan_Readings.txt /usr/share/unicode/Unihan_Readings.txt.bz2 \
	/usr/share/unicode/Unihan.zip; do
	if [ -f "$f" ]; then
		src=$f
		break
	fi
done
if [ -z "$src" ] || ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: no Unihan_Readings in /usr/share/unicode or no python3 (apt-get install unicode-data python3)"
	finish
fi

if python3 "$top/tools/gen-pinyin.py" "$src" >"$T/table.c" 2>"$ERR"; then pass; else fail "gen-pinyin.py runs on $src"; fi
if cmp -s "$T/table.c" "$top/core/pinyin_table.c"; then
	pass
else
	fail "core/pinyin_table.c differs from the generator's output: regenerate it (docs/pinyin.md)"
	diff "$T/table.c" "$top/core/pinyin_table.c" | head -n 20
fi
# the generator is deterministic
python3 "$top/tools/gen-pinyin.py" "$src" >"$T/again.c" 2>/dev/null
if cmp -s "$T/table.c" "$T/again.c"; then pass; else fail "two runs give the same table"; fi
# no Unihan file: a clear message and a non-zero exit
if python3 "$top/tools/gen-pinyin.py" "$T/no-such-file.txt" >/dev/null 2>"$ERR"; then
	fail "a missing source file is an error"
else
	pass
fi

finish
