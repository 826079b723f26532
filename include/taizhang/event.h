/* event.h - job fairs and campaigns (core/event.c): the table event, with
 * the employers and vacancies offered in event_offer and the sign-ins in
 * attendance.  Figures are defined in docs/reports.md. */
#ifndef TAIZHANG_EVENT_H
#define TAIZHANG_EVENT_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/report.h"
#include "taizhang/db.h"

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

typedef struct {
	char id[33];
	char *name, *place, *organiser; /* may be NULL */
	char kind[16];
	char start[11], end[11]; /* end "" if one day */
	long attendees;          /* distinct persons signed in */
	long attendees_key;      /* of them in at least one key group */
	long by_group[TZ_REPORT_MAX_GROUPS]; /* tz_schema_codes_key_groups order */
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

#endif
