/* notice.h - the notice board of current vacancies (core/notice.c). */
#ifndef TAIZHANG_NOTICE_H
#define TAIZHANG_NOTICE_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

/* ---- the notice board ---- */

typedef struct {
	char id[33];
	char *employer, *title, *place, *contact, *phone, *requirements; /* may be NULL */
	long wage_min, wage_max; /* -1 if not given */
	long left;               /* openings minus hires */
	char until[11];          /* "" if open-ended */
} tz_notice_item;

typedef struct {
	tz_notice_item *items; /* by employer name, title, id */
	size_t n;
	char date[11];
	char *place_name; /* this database's name (may be NULL) */
} tz_notice;

/* Vacancies valid on date (NULL: today) with openings left. */
tz_status tz_notice_collect(tz_db *db, const char *date, tz_notice *out, tz_err *err);
void tz_notice_free(tz_notice *n);
/* Plain text (80 columns) or a self-contained HTML page for A4 in large
 * type (docs/cli.md#taizhang-notice says why HTML prints better).  The
 * notice is for the village board: Chinese whatever the current language. */
tz_status tz_notice_text(const tz_notice *n, FILE *f, tz_err *err);
tz_status tz_notice_html(const tz_notice *n, FILE *f, tz_err *err);

#endif
