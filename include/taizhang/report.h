/* report.h - the monthly monitoring report (就业动态监测月报).
 *
 * tz_report_monthly computes, for one period (YYYY-MM), a row of figures
 * per village (the village of a person is its household's `village`; staff
 * count for their `region`), a total row, the staffing of every region
 * against the policy minimums, the zero-employment households still to be
 * cleared and the vacancy-to-seeker ratio.  Every figure comes from a
 * handful of aggregate queries (GROUP BY village), never a query per row.
 * The exact definitions are in docs/reports.md; limits, status lists and
 * minimums are settings (report.*, labour.*, due.zero_emp_clear_days).
 *
 * "As at" figures are taken at the end of the as-at day: the period's last
 * day, or today for the current month.  "In the period" means from the
 * first day of the month to the as-at day.
 *
 * tz_report_text writes a layout no wider than 80 columns (CJK characters
 * counted as two); tz_report_sheet writes the same figures as CSV or xlsx,
 * one row per village and a total row, for Excel.  Labels follow the
 * current language (tz_lang_set).
 */
#ifndef TAIZHANG_REPORT_H
#define TAIZHANG_REPORT_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/sheet.h"
#include "taizhang/db.h"

#define TZ_REPORT_MAX_GROUPS 16 /* key-group codes counted (tz_schema_codes_key_groups) */

/* The counted figures of a row, in CSV order within their sections.
 * sat_sum / sat_n give the average satisfaction. */
#define TZ_REPORT_FIGURES(X)                                                              \
	X(households) X(persons) X(labour) X(employed) X(employed_local) X(employed_migrant) \
	X(unemployed) X(unemployed_long) X(status_unknown) X(reg_unemployed) X(job_seekers) \
	X(key_group_any)                                                                   \
	X(cases_new) X(cases_closed) X(cases_open)                                         \
	X(placed) X(placed_referral) X(placed_post) X(placed_training) X(placed_subsidy)   \
	X(placed_other)                                                                    \
	X(zero_emp) X(zero_emp_new) X(zero_emp_cleared) X(zero_emp_late)                   \
	X(visits) X(visits_due) X(visits_overdue) X(never_visited) X(sat_sum) X(sat_n)      \
	X(staff) X(staff_fulltime) X(staff_counted) X(staff_min) X(staff_short)          \
	X(kg_employed) X(kg_seekers) X(reg_recent) X(reg_recent_employed)

/* kg_employed, kg_seekers: key-group persons of the labour force who are
 * employed, or unemployed and wanting work; reg_recent: persons whose
 * unemployment registration was in force at some time in the 12 months to
 * the as-at day, reg_recent_employed those of them employed at the as-at
 * day.  Not printed by the monthly report: the platform checklist's
 * full-employment indicators (platform.h) use them. */
typedef struct {
	char region[13]; /* village (or community) code; "" in the total row */
	char name[64];   /* the village's name as this database knows it (its enrolled key, its
			  * service station), "" if none */
#define TZ_X(name) long name;
	TZ_REPORT_FIGURES(TZ_X)
#undef TZ_X
	long key_group[TZ_REPORT_MAX_GROUPS]; /* by tz_schema_codes_key_groups order */
} tz_report_row;

/* Level of a region code (docs/reports.md#staff). */
typedef enum {
	TZ_LEVEL_COUNTY,    /* digits 7-12 are 000000 (county or above) */
	TZ_LEVEL_TOWNSHIP,  /* digits 10-12 are 000: township or street */
	TZ_LEVEL_COMMUNITY, /* digits 10-12 from 001 to 199: residents' committee */
	TZ_LEVEL_VILLAGE,   /* digits 10-12 from 200: villagers' committee */
	TZ_LEVEL_COUNT
} tz_region_level;

tz_region_level tz_report_level_of(const char *code);
const char *tz_report_level_label(tz_region_level l); /* current language */

typedef struct {
	char region[13];
	tz_region_level level;
	long in_post;  /* status other than left */
	long fulltime; /* status fulltime */
	long counted;  /* statuses that count toward the level's minimum */
	long min;      /* report.staff_min.<level> */
	long shortfall;
} tz_report_staff;

/* A zero-employment household not yet cleared at the as-at date. */
typedef struct {
	char village[13];
	char id[33];
	char *head;    /* head_name, may be NULL */
	char *address; /* may be NULL */
	char since[11]; /* recognised; "" if not recorded */
	long days;      /* as-at date minus since; -1 if unknown */
	int late;       /* more than due.zero_emp_clear_days */
} tz_report_zero;

typedef struct {
	char period[8];  /* YYYY-MM */
	char first[11];  /* first day of the period */
	char last[11];   /* last day */
	char asat[11];   /* last day, or today for the current month */
	char region[13]; /* this database's region ("" if unknown) */
	char *name;      /* and its name (may be NULL) */
	tz_role role;

	tz_report_row *rows; /* sorted by region code */
	int nrows;
	tz_report_row total; /* staff figures: every region of `staff` */
	int show_total;      /* text: a township/county database or several villages */

	tz_report_staff *staff; /* regions sorted by code */
	int nstaff;
	tz_report_staff staff_total;

	tz_report_zero *zero; /* by village, then recognition date, then id */
	int nzero;

	int ngroups;              /* key-group codes, tz_schema_codes_key_groups order */
	long vacancies, openings; /* valid vacancies at the as-at date, their openings */

	/* the settings used */
	long long_unemp_months, zero_emp_days;
	long staff_min[TZ_LEVEL_COUNT];
	char staff_status[TZ_LEVEL_COUNT][64]; /* statuses counted, comma-separated */
} tz_report;

/* Compute the report for period (YYYY-MM).  A malformed period, or one
 * that has not begun, is TZ_EUSAGE.  Free with tz_report_free. */
tz_status tz_report_monthly(tz_db *db, const char *period, tz_report *out, tz_err *err);
void tz_report_free(tz_report *r);

/* The row of a village; NULL if the report has none. */
const tz_report_row *tz_report_find(const tz_report *r, const char *village);

/* Average satisfaction of a row times 100, rounded; -1 when no visit of
 * the period recorded one. */
long tz_report_sat100(const tz_report_row *row);
/* Openings per job seeker times 100, rounded; -1 without job seekers. */
long tz_report_ratio100(const tz_report *r);

/* Render to f.  TZ_EIO if writing fails. */
tz_status tz_report_text(const tz_report *r, FILE *f, tz_err *err);
/* The report as a sheet (docs/reports.md): one row per village and a total
 * row, CSV or xlsx (include/taizhang/sheet.h), to path if not NULL, else f. */
tz_status tz_report_sheet(const tz_report *r, tz_sheet_format fmt, FILE *f, const char *path,
			 tz_err *err);

#endif
