/* platform.h - running the platform, not just the cases: the platform
 * checklist with the full-employment-community indicators (core/platform.c).
 * Job fairs (event.h), the notice board (notice.h), call lists
 * (calllist.h) and staff performance (perf.h) have their own modules and
 * headers.  Complaints, staff certificates, training and annual filing are plain records
 * (schema.c); the due list (due.h) watches complaint deadlines,
 * certificates and the reporting calendar.  Every figure's definition is
 * in docs/reports.md; limits are settings (settings.h: platform.*,
 * complaint.*, report.* and labour.*).
 *
 * Text output is no wider than 80 columns (CJK counted as two), CSV is
 * UTF-8 with a BOM and CRLF line ends, like the monthly report.
 */
#ifndef TAIZHANG_PLATFORM_H
#define TAIZHANG_PLATFORM_H

#include <stdio.h>

#include "taizhang/db.h"
#include "taizhang/err.h"
#include "taizhang/sheet.h"
#include "taizhang/report.h"

/* ---- the platform checklist ---- */

#define TZ_CHECK_ITEMS(X)                                                                   \
	X(TZ_CHK_STAFF, "staff", "staff vs minimum", "专职人员配备")                          \
	X(TZ_CHK_SPACE, "space", "service space / office", "服务场地")                        \
	X(TZ_CHK_COMPUTER, "computer", "computer and network", "电脑和网络")                  \
	X(TZ_CHK_ARCHIVE, "archive", "archive storage", "档案存放设施")                        \
	X(TZ_CHK_NOTICE, "notice_board", "notice board", "信息公开栏")                        \
	X(TZ_CHK_RATE, "rate", "rate: able and willing", "有就业能力和意愿者就业率")          \
	X(TZ_CHK_RATE_REG, "rate_registered", "rate: registered unemp.", "登记失业人员就业率") \
	X(TZ_CHK_RATE_KEY, "rate_difficulty", "rate: with difficulties", "就业困难人员就业率") \
	X(TZ_CHK_LONG, "long_unemployed", "no long unemployment", "无长期失业人员")           \
	X(TZ_CHK_ZERO, "zero_emp", "zero-emp. cleared in time", "零就业家庭及时清零")

typedef enum {
#define TZ_X(e, word, en, zh) e,
	TZ_CHECK_ITEMS(TZ_X)
#undef TZ_X
	TZ_CHK_N
} tz_platform_item;

const char *tz_platform_check_name(tz_platform_item i);  /* machine word */
const char *tz_platform_check_label(tz_platform_item i); /* current language */

typedef struct {
	int met;    /* 1 met, 0 not met, -1 not recorded */
	long have;  /* counted value (rates: percent times 100; -1 none) */
	long need;  /* the standard (rates: percent times 100) */
	long gap;   /* how much is missing (persons, m2, households); 0 if met */
	char note[160]; /* how it was counted, in the current language */
} tz_platform_check;

typedef struct {
	char id[33]; /* platform record; "" when none is recorded (this database's region) */
	char region[13];
	char *name;
	char level[16]; /* tz_schema_codes_platform_level code */
	tz_platform_check items[TZ_CHK_N];
	int nmet, nnot, nunknown;
} tz_platform_row;

typedef struct {
	char period[8], asat[11];
	tz_platform_row *rows; /* by region, id */
	int n;
} tz_platform_report;

tz_status tz_platform_collect(tz_db *db, const char *period, tz_platform_report *out,
			     tz_err *err);
void tz_platform_report_free(tz_platform_report *r);
tz_status tz_platform_text(const tz_platform_report *r, FILE *f, tz_err *err);
/* CSV or xlsx (include/taizhang/sheet.h), to path if not NULL, else f */
tz_status tz_platform_sheet(const tz_platform_report *r, tz_sheet_format fmt, FILE *f,
			   const char *path, tz_err *err);

#endif
