/* platform.h - running the platform, not just the cases (issue 8).
 *
 * Job fairs and campaigns (table event, with the employers and vacancies
 * offered in event_offer and the sign-ins in attendance), the notice board
 * and the call list of a vacancy, per-staff performance and the platform
 * checklist with the full-employment-community indicators.  Complaints,
 * staff certificates, training and annual filing are plain records
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

#include "taizhang/err.h"
#include "taizhang/report.h"
#include "taizhang/store.h"

/* ---- events: sign-in and summary ---- */

typedef struct {
	const char *event;     /* event id */
	const char *person;    /* person id */
	const char *date;      /* YYYY-MM-DD; NULL: today */
	const char *time;      /* HH:MM; NULL: none */
	const char *intention; /* vacancy agreed on the spot; NULL: none */
	const char *staff;     /* who signed the person in (a name); NULL: none */
} tz_signin;

/* Sign a person in at an event; with an intention, also record a referral
 * (status "referred", dated the sign-in date, staff as given) and link it.
 * One transaction: both rows or neither.  Refused (TZ_EINVAL): a missing
 * or deleted event, person or vacancy, a date outside the event's days, a
 * person already signed in at this event.  ref_out is "" without an
 * intention; either out may be NULL. */
tz_status tz_event_signin(tz_db *db, const tz_signin *s, char att_out[33], char ref_out[33],
			  tz_err *err);

/* The live person with this national ID number (normalised first);
 * TZ_ENOTFOUND if none, TZ_EINVAL if the number is malformed. */
tz_status tz_person_by_idnum(tz_db *db, const char *idnum, char id_out[33], tz_err *err);

typedef struct {
	char id[33];
	char *name, *place, *organiser; /* may be NULL */
	char kind[16];
	char start[11], end[11]; /* end "" if one day */
	long attendees;          /* distinct persons signed in */
	long attendees_key;      /* of them in at least one key group */
	long by_group[TZ_REPORT_MAX_GROUPS]; /* tz_codes_key_groups order */
	int ngroups;
	long employers;  /* distinct employers offering */
	long vacancies;  /* distinct vacancies offered */
	long openings;   /* their openings */
	long intentions; /* sign-ins with an intention reached */
	long hired;      /* attendees hired (a referral to an offered or intended vacancy) */
} tz_event_summary;

tz_status tz_event_summarise(tz_db *db, const char *event, tz_event_summary *out, tz_err *err);
void tz_event_summary_free(tz_event_summary *s);
tz_status tz_event_summary_text(const tz_event_summary *s, FILE *f, tz_err *err);

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

/* ---- the call list of a vacancy ---- */

typedef struct {
	char id[33];
	char *name;
	char *phone; /* the person's, else the household's; NULL if neither */
} tz_call_item;

typedef struct {
	tz_call_item *items; /* best match first */
	size_t n;
	char *title; /* "title (employer)" */
	char date[11];
} tz_call_list;

/* The job seekers tz_match_vacancy ranks for a vacancy (limit 0: 20),
 * names and phone numbers only. */
tz_status tz_calllist(tz_db *db, const char *vacancy, const char *date, int limit,
		      tz_call_list *out, tz_err *err);
void tz_calllist_free(tz_call_list *l);
/* The personal-data reminder printed with every call list. */
const char *tz_calllist_reminder(void);

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

tz_status tz_report_perf(tz_db *db, const char *period, tz_perf *out, tz_err *err);
void tz_perf_free(tz_perf *p);
/* Average satisfaction times 100, rounded; -1 without scores. */
long tz_perf_sat100(const tz_perf_row *r);
tz_status tz_perf_text(const tz_perf *p, FILE *f, tz_err *err);
tz_status tz_perf_csv(const tz_perf *p, FILE *f, tz_err *err);

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
} tz_check_item;

const char *tz_check_name(tz_check_item i);  /* machine word */
const char *tz_check_label(tz_check_item i); /* current language */

typedef struct {
	int met;    /* 1 met, 0 not met, -1 not recorded */
	long have;  /* counted value (rates: percent times 100; -1 none) */
	long need;  /* the standard (rates: percent times 100) */
	long gap;   /* how much is missing (persons, m2, households); 0 if met */
	char note[160]; /* how it was counted, in the current language */
} tz_check;

typedef struct {
	char id[33]; /* platform record; "" when none is recorded (this database's region) */
	char region[13];
	char *name;
	char level[16]; /* tz_codes_platform_level code */
	tz_check items[TZ_CHK_N];
	int nmet, nnot, nunknown;
} tz_platform_row;

typedef struct {
	char period[8], asat[11];
	tz_platform_row *rows; /* by region, id */
	int n;
} tz_platform_report;

tz_status tz_report_platform(tz_db *db, const char *period, tz_platform_report *out,
			     tz_err *err);
void tz_platform_report_free(tz_platform_report *r);
tz_status tz_platform_text(const tz_platform_report *r, FILE *f, tz_err *err);
tz_status tz_platform_csv(const tz_platform_report *r, FILE *f, tz_err *err);

#endif
