/* calllist.h - the call list of a vacancy (core/calllist.c). */
#ifndef TAIZHANG_CALLLIST_H
#define TAIZHANG_CALLLIST_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

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

#endif
