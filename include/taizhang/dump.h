/* dump.h - the canonical dump and the integrity check. */
#ifndef TAIZHANG_DUMP_H
#define TAIZHANG_DUMP_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/store.h"

/* The whole replicated state, one line per non-empty field:
 *   table TAB id TAB field TAB value
 * sorted by table name, id and field name; every row (deleted ones too)
 * has a `_deleted` line with 0 or 1.  Values are escaped (tz_put_escaped).
 * Two databases holding the same data write byte-identical dumps. */
tz_status tz_dump(tz_db *db, FILE *out, tz_err *err);

/* Write s with backslash, control characters and invalid UTF-8 escaped
 * (\n \t \r \\ \xNN), so one value stays on one line. */
void tz_put_escaped(FILE *f, const char *s);

/* Integrity report.  Each finding: a machine-readable kind (integrity,
 * dangling, duplicate_id, open_cases, clock, quarantine, gap, review) and a
 * one-line detail in the current language.  *problems counts findings. */
typedef void (*tz_finding_cb)(void *ctx, const char *kind, const char *detail);
tz_status tz_check(tz_db *db, tz_finding_cb cb, void *ctx, int *problems, tz_err *err);

#endif
