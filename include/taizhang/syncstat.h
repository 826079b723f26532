/* syncstat.h - who has sent what (`taizhang report sync`, core/syncstat.c):
 * per enrolled device, the bundles received from it, the changes held
 * from 1 without a break, the gaps, what is held back and why, and
 * whether it sent anything in a month.
 */
#ifndef TAIZHANG_SYNCSTAT_H
#define TAIZHANG_SYNCSTAT_H
#include <stdint.h>
#include <stdio.h>
#include "taizhang/db.h"
#include "taizhang/err.h"
#include "taizhang/sheet.h"

typedef struct {
	uint8_t origin[16];
	char name[192];
	char role[16];
	char region[13];
	int revoked;          /* its key is revoked */
	long bundles;         /* bundles received and applied */
	int64_t last_ms;      /* when the last of them was received (0: never) */
	uint64_t held;        /* changes 1..held all here */
	uint64_t top;         /* the highest change received */
	char gaps[256];       /* "a-b,c-d": changes missing below top ("" none; cut with "…") */
	long clock_held;      /* held back: clock far ahead */
	long unauthorized;    /* held back: outside its authority */
	long waiting;         /* held back: the record they change is not here yet */
	int silent;           /* nothing received in the period */
} tz_syncstat_row;

typedef struct {
	char period[8];
	tz_syncstat_row *rows; /* by role (villages first), region, name */
	int n;
	int silent;            /* rows with silent set */
} tz_syncstat;

/* The devices this database enrolled (not escrow keys), for the month
 * period (YYYY-MM). */
tz_status tz_syncstat_collect(tz_db *db, const char *period, tz_syncstat *out, tz_err *err);
tz_status tz_syncstat_text(const tz_syncstat *s, FILE *f, tz_err *err);
/* CSV or xlsx (include/taizhang/sheet.h), to path if not NULL, else f */
tz_status tz_syncstat_sheet(const tz_syncstat *s, tz_sheet_format fmt, FILE *f, const char *path,
			   tz_err *err);
void tz_syncstat_free(tz_syncstat *s);
#endif
