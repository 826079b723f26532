/* dump.h - the canonical dump (core/dump.c). */
#ifndef TAIZHANG_DUMP_H
#define TAIZHANG_DUMP_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

/* The whole replicated state, one line per non-empty field:
 *   table TAB id TAB field TAB value
 * sorted by table name, id and field name; every row (deleted ones too)
 * has a `_deleted` line with 0 or 1.  Values are escaped (tz_dump_escaped).
 * Two databases holding the same data write byte-identical dumps. */
tz_status tz_dump(tz_db *db, FILE *out, tz_err *err);

/* Write s with backslash, control characters and invalid UTF-8 escaped
 * (\n \t \r \\ \xNN), so one value stays on one line. */
void tz_dump_escaped(FILE *f, const char *s);

#endif
