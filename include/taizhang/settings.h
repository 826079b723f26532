/* settings.h - the known local settings: policy intervals and weights.
 *
 * Policy varies by province, so intervals, age limits, status lists and
 * matching weights are settings (the local `setting` table, not
 * replicated), each declared once here with its default, its range and a
 * description.  Readers go through tz_settings_int / tz_settings_str, which
 * fall back to the default when a stored value is missing or invalid.
 */
#ifndef TAIZHANG_SETTINGS_H
#define TAIZHANG_SETTINGS_H

#include "taizhang/clock.h"
#include "taizhang/err.h"
#include "taizhang/schema.h"
#include "taizhang/db.h"

typedef enum {
	TZ_SETTING_INT,   /* an integer within [min, max] */
	TZ_SETTING_CODES, /* comma-separated codes of `codes` (labels accepted) */
	TZ_SETTING_URL,   /* an http:// or https:// address, or empty */
	TZ_SETTING_CALENDAR, /* NAME@DD or NAME@MM-DD, comma-separated (tz_settings_calendar_parse) */
	TZ_SETTING_ENUM,  /* one code of `codes` (label accepted), or empty */
	TZ_SETTING_PATH,  /* a folder on this PC (UTF-8, no control characters), or empty */
} tz_setting_type;

/* The reporting calendar (calendar.reports): reports due upward, each on
 * a day of every month (month 0) or on a date every year.  Names with a
 * label are in tz_settings_codes_calendar; others are shown as written. */
#define TZ_CALENDAR_DEFAULT                                                                \
	"monthly@05,quarterly@01-10,quarterly@04-10,quarterly@07-10,quarterly@10-10," \
	"annual@01-20,filing@03-31"
typedef struct {
	char name[48];
	int month; /* 1-12; 0: every month */
	int day;   /* 1-31; past the month's end: its last day */
} tz_calendar_entry;
extern const tz_code tz_settings_codes_calendar[];
extern const tz_code tz_settings_codes_lang[]; /* ui.lang */
/* Parse a calendar into out (at most max entries; out may be NULL).
 * Returns the number of entries, or -1 if malformed. */
int tz_settings_calendar_parse(const char *list, tz_calendar_entry *out, int max);

typedef struct {
	const char *key;
	tz_setting_type type;
	const char *dflt;
	long min, max;        /* INT */
	const tz_code *codes; /* CODES */
	const char *en, *zh;  /* what it means */
} tz_setting_def;

/* Every known setting, in display order. */
extern const tz_setting_def tz_settings_defs[];
extern const int tz_settings_ndefs;

/* The definition of key; NULL if unknown. */
const tz_setting_def *tz_settings_find(const char *key);

/* Validate and normalise a value for d (codes in code-table order).
 * *norm is malloc'd. */
tz_status tz_settings_check(const tz_setting_def *d, const char *val, char **norm, tz_err *err);

/* Store a value after checking it (unknown key: TZ_EUSAGE; bad value:
 * TZ_EINVAL).  val NULL or "" restores the default. */
tz_status tz_settings_set(tz_db *db, const char *key, const char *val, tz_err *err);

/* The effective value: the stored one if valid, else the default.  For an
 * unknown key tz_settings_int returns 0 and tz_settings_str NULL.
 * tz_settings_str returns a malloc'd string; *is_default (may be NULL)
 * tells whether the default was used. */
long tz_settings_int(tz_db *db, const char *key);
char *tz_settings_str(tz_db *db, const char *key, int *is_default);

/* The effective value of a code-list setting as ",a,b," so that SQL's
 * instr(list, ','||code||',') finds a code; malloc'd, NULL if unknown or
 * out of memory. */
char *tz_settings_list(tz_db *db, const char *key);

/* 1 if code is in the comma-separated list. */
int tz_settings_codes_has(const char *list, const char *code);


#endif
