/* scr.h - the screens, for the main loop (app.c) and each other: one file
 * each, scr_<name>.c, with its state, draw and key functions. */
#ifndef TAIZHANG_TUI_SCR_H
#define TAIZHANG_TUI_SCR_H

#include "ui.h"

tz_screen *tz_scr_home_new(tz_ui *ui);
/* The household finder: search as you type. */
tz_screen *tz_scr_households_new(tz_ui *ui);
/* Records of table (those whose where_field is where_value, if given);
 * cols: field names shown (NULL: the table's usual ones). */
tz_screen *tz_scr_table_new(tz_ui *ui, const char *table, const char *where_field,
			    const char *where_value, const char *const *cols, int title);
tz_screen *tz_scr_sync_new(tz_ui *ui);
/* Import a roster of persons from a CSV file in dir (the stick). */
tz_screen *tz_scr_roster_new(tz_ui *ui, const char *dir);
tz_screen *tz_scr_household_new(tz_ui *ui, const char *id);
tz_screen *tz_scr_due_new(tz_ui *ui);
tz_screen *tz_scr_match_new(tz_ui *ui, const char *vacancy);
tz_screen *tz_scr_report_new(tz_ui *ui);
/* Pick the staff member and ask the PIN; at start and after the idle lock. */
tz_screen *tz_scr_login_new(tz_ui *ui);
/* Settings: language, the known settings, the passphrase. */
tz_screen *tz_scr_settings_new(tz_ui *ui);
/* The keyring of enrolled devices (township and county). */
tz_screen *tz_scr_keyring_new(tz_ui *ui);

/* Platform work (issue 8): the menu, a job fair's vacancies and sign-ins,
 * and the text pages. */
typedef enum {
	TZ_PAGE_NOTICE,    /* the notice board; F5 saves the A4 HTML page */
	TZ_PAGE_CALLS,     /* the call list of a vacancy (arg) */
	TZ_PAGE_SUMMARY,   /* an event's summary (arg) */
	TZ_PAGE_PERF,      /* staff performance; F3/F4 month, F5 CSV */
	TZ_PAGE_CHECKLIST, /* the platform checklist; F3/F4 month, F5 CSV */
} tz_page;
tz_screen *tz_scr_platform_new(tz_ui *ui);
tz_screen *tz_scr_event_new(tz_ui *ui, const char *event);
tz_screen *tz_scr_page_new(tz_ui *ui, tz_page kind, const char *arg);

#endif
