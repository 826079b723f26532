/* check.h - the integrity report (core/check.c). */
#ifndef TAIZHANG_CHECK_H
#define TAIZHANG_CHECK_H

#include "taizhang/err.h"
#include "taizhang/db.h"

/* Integrity report.  Each finding: a machine-readable kind (integrity,
 * dangling, duplicate_id, open_cases, clock, quarantine, gap, review) and a
 * one-line detail in the current language.  *problems counts findings. */
typedef void (*tz_finding_cb)(void *ctx, const char *kind, const char *detail);
tz_status tz_check(tz_db *db, tz_finding_cb cb, void *ctx, int *problems, tz_err *err);

#endif
