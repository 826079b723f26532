/* perf.h - per-staff performance for a period (core/perf.c); text no wider
 * than 80 columns, CSV UTF-8 with a BOM and CRLF, like the monthly report.
 * Figures are defined in docs/reports.md. */
#ifndef TAIZHANG_PERF_H
#define TAIZHANG_PERF_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/sheet.h"
#include "taizhang/db.h"

/* ---- per-staff performance ---- */

#define TZ_PERF_FIGURES(X)                                                                  \
	X(visits) X(cases_opened) X(cases_closed) X(placements) X(referrals) X(complaints)  \
	X(complaints_on_time) X(complaints_late_open) X(sat_sum) X(sat_n) X(training_hours)

typedef struct {
	char id[33];     /* staff id; "" for work by names not in the staff list */
	char *name;      /* NULL in the "others" and total rows */
	char region[13];
	char status[16];
#define TZ_X(f) long f;
	TZ_PERF_FIGURES(TZ_X)
#undef TZ_X
} tz_perf_row;

typedef struct {
	char period[8], first[11], last[11], asat[11];
	tz_perf_row *rows; /* staff by region, name, id; then "others" if any */
	int n;
	tz_perf_row total;
} tz_perf;

tz_status tz_perf_collect(tz_db *db, const char *period, tz_perf *out, tz_err *err);
void tz_perf_free(tz_perf *p);
/* Average satisfaction times 100, rounded; -1 without scores. */
long tz_perf_sat100(const tz_perf_row *r);
tz_status tz_perf_text(const tz_perf *p, FILE *f, tz_err *err);
/* CSV or xlsx (include/taizhang/sheet.h), to path if not NULL, else f */
tz_status tz_perf_sheet(const tz_perf *p, tz_sheet_format fmt, FILE *f, const char *path,
		       tz_err *err);

#endif
