#!/bin/sh
# Regenerate docs/schema.md from the table descriptors (core/schema.c).
# Usage: tools/gen-schema-doc.sh BINARY > docs/schema.md
set -eu
bin=$1
cat <<'HEAD'
# The replicated tables

Generated from `core/schema.c` by `tools/gen-schema-doc.sh` (`taizhang schema --markdown`);
`tests/cli/docs.sh` fails when this file is out of date. `taizhang schema [TABLE]` prints the same
as tab-separated text.

Every table also has `id` (32 hex digits, made where the record is born) and a deleted flag. The
field number (#) is the op log's and the bundle format's: fields are appended, never reordered.

How values are given and stored:

| type | accepts | stores |
|---|---|---|
| text | UTF-8 without control characters (newlines only in multi-line fields); trimmed | the text |
| integer | decimal digits (full-width digits too) within the range | the number |
| date | `YYYY-MM-DD`, a real date between 1900 and 2200 | `YYYY-MM-DD` |
| code | the code, or its Chinese or English label (`初中`, `70`, `junior high school`) | the code |
| codes | several codes or labels separated by `,` `，` or `、` | codes in code-table order, comma-separated |
| ref | the 32-hex id of a live record of the named table | lower-case id |
| id_number | 18 characters per GB 11643 (check character verified, `x` accepted), or a 15-digit legacy number (converted) | 18 characters; gender and birth date derived |
| credit_code | 18 characters per GB 32100, check character verified | upper case |
| phone | mobile `1[3-9]` + 9 digits, or fixed line `0` + area code + number; `+86`, spaces and dashes dropped | digits, `area-number` for fixed lines |
| region | 12-digit statistical division code with a real province prefix | the code |
| bool | `1 0 yes no true false 是 否` | `1` or `0` |

Cross-field rules (checked on every add and set): an ID number fixes gender and birth date;
`wage_min ≤ wage_max`, `age_min ≤ age_max`, `valid_from ≤ valid_until`; a visit's `next_visit`
not before its `date`; an aid case closed needs `closed` and `close_reason`, an open one has
neither; an aid action's `next_due` not before its `date`; a registration's `cancelled` not before
its `date`, `cancel_reason` needs `cancelled`, `certificate_no` is 16 digits; a household's
zero-employment clearance not before its recognition; a national ID number belongs to one live
person; references point at live records.

HEAD
"$bin" --lang en schema --markdown
