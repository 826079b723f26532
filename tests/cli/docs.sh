#!/bin/sh
# The docs describe what exists: schema.md is generated from the
# descriptors, every command has a section in cli.md.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

sh "$top/tools/gen-schema-doc.sh" "$TAIZHANG" >"$T/schema.md"
if cmp -s "$T/schema.md" "$top/docs/schema.md"; then pass; else
	fail "docs/schema.md is out of date: sh tools/gen-schema-doc.sh build/taizhang > docs/schema.md"
fi

"$TAIZHANG" --lang en --help >"$OUT" 2>&1
for cmd in $(sed -n 's/^  \([a-z-]*\) .*/\1/p; s/^  \([a-z-]*\)$/\1/p' "$OUT"); do
	if grep -q "^### \`taizhang $cmd" "$top/docs/cli.md"; then pass; else
		fail "docs/cli.md has no section for '$cmd'"
	fi
done
for f in README.md docs/cli.md docs/schema.md docs/bundle-format.md docs/design.md \
	docs/user-guide.zh.md docs/user-guide.en.md docs/threat-model.md; do
	if [ -s "$top/$f" ]; then pass; else fail "$f missing"; fi
done
# every setting the code reads is registered (so `setting set` takes it and
# `setting list` shows it): the keys given as literals to the settings calls
tz init --role village --region 340102001001 --name 设置
"$TAIZHANG" --db "$DB" setting list | cut -f1 | sort -u >"$T/registered"
grep -rhoE 'tz_settings?_(get|int|str|list|set)\([^,]+, "[^"]+"' --include=*.c \
	"$top/core" "$top/sync" "$top/tui" "$top/cli" | sed -E 's/.*"([^"]+)"$/\1/' | sort -u >"$T/read"
[ -s "$T/read" ] && pass || fail "no settings read found in the sources"
for k in $(comm -23 "$T/read" "$T/registered"); do
	fail "setting '$k' is read by the code but not registered in core/settings.c"
done
grep -q 'make run' "$top/README.md" && pass || fail "README shows make run"
grep -q 'make test' "$top/README.md" && pass || fail "README shows make test"
finish
