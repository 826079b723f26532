/* event.c - job fairs and campaigns: sign-in with intentions, and the
 * event's summary (platform.h, docs/reports.md). */
#include "taizhang/event.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "query.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Code lists the queries use (data, not if statements). */
static const char REFERRAL_HIRED[] = "hired";         /* referral.status */
static const char REFERRAL_SIGNIN[] = "referred";     /* status of an on-the-spot referral */

/* ---- events ---- */

tz_status tz_event_signin(tz_db *db, const tz_signin *s, char att_out[33], char ref_out[33],
			  tz_err *err)
{
	if (att_out)
		att_out[0] = '\0';
	if (ref_out)
		ref_out[0] = '\0';
	tz_row ev = {0}, pe = {0};
	tz_status st;
	char date[11];
	if (s->date) {
		if ((st = tz_valid_date(s->date, date, err)))
			return st;
	} else {
		tz_clock_today(date);
	}
	if ((st = tz_query_live_row(db, "event", s->event, &ev, err)))
		return st;
	if ((st = tz_query_live_row(db, "person", s->person, &pe, err))) {
		tz_record_row_free(&ev);
		return st;
	}
	const char *start = tz_query_val(&ev, "start"), *end = tz_query_val(&ev, "end");
	char ename[128];
	snprintf(ename, sizeof ename, "%s", tz_query_val(&ev, "name") ? tz_query_val(&ev, "name") : "");
	char pname[64];
	snprintf(pname, sizeof pname, "%s", tz_query_val(&pe, "name") ? tz_query_val(&pe, "name") : "");
	if ((start && strcmp(date, start) < 0) || strcmp(date, end ? end : start ? start : date) > 0)
		st = tz_fail(err, TZ_EINVAL, "%s is outside the days of the event (%s to %s)",
			     "%s 不在活动日期内（%s 至 %s）", date, start ? start : "?",
			     end ? end : start ? start : "?");
	tz_record_row_free(&ev);
	tz_record_row_free(&pe);
	if (st)
		return st;
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT id FROM attendance WHERE event = ?1 AND person = ?2"
				      " AND _deleted = 0 LIMIT 1");
	if (!q)
		return tz_db_fail(db, err, "attendance");
	sqlite3_bind_text(q, 1, s->event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, s->person, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	char prior[33] = "";
	if (rc == SQLITE_ROW)
		snprintf(prior, sizeof prior, "%s", tz_query_col(q, 0));
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tz_db_fail(db, err, "attendance");
	if (prior[0])
		return tz_fail(err, TZ_EINVAL, "%s has already signed in at this event (%s)",
			       "%s 已在本次活动签到（%s）", pname, prior);

	if ((st = tz_db_begin(db, err)))
		return st;
	char ref[33] = "", att[33] = "", note[256];
	if (s->intention) {
		tz_trf(note, sizeof note, "intention reached at %s", "%s现场达成意向", ename);
		tz_kv kv[6] = {{"vacancy", s->intention}, {"person", s->person}, {"date", date},
			       {"status", REFERRAL_SIGNIN}, {"note", note},
			       {"staff", s->staff ? s->staff : ""}};
		if ((st = tz_record_add(db, "referral", kv, 6, ref, err)))
			goto fail;
	}
	tz_kv kv[7] = {{"event", s->event},
		       {"person", s->person},
		       {"date", date},
		       {"time", s->time ? s->time : ""},
		       {"intention", s->intention ? s->intention : ""},
		       {"referral", ref},
		       {"staff", s->staff ? s->staff : ""}};
	if ((st = tz_record_add(db, "attendance", kv, 7, att, err)))
		goto fail;
	if ((st = tz_db_commit(db, err)))
		return st;
	if (att_out)
		memcpy(att_out, att, 33);
	if (ref_out)
		memcpy(ref_out, ref, 33);
	return TZ_OK;
fail:
	tz_db_rollback(db);
	return st;
}

void tz_event_summary_free(tz_event_summary *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->place);
	free(s->organiser);
	memset(s, 0, sizeof *s);
}

tz_status tz_event_summarise(tz_db *db, const char *event, tz_event_summary *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_row ev = {0};
	tz_status st = tz_query_live_row(db, "event", event, &ev, err);
	if (st)
		return st;
	snprintf(out->id, sizeof out->id, "%s", ev.id);
	out->name = tz_query_dup(tz_query_val(&ev, "name"));
	out->place = tz_query_dup(tz_query_val(&ev, "place"));
	out->organiser = tz_query_dup(tz_query_val(&ev, "organiser"));
	snprintf(out->kind, sizeof out->kind, "%s", tz_query_val(&ev, "kind") ? tz_query_val(&ev, "kind") : "");
	snprintf(out->start, sizeof out->start, "%s", tz_query_val(&ev, "start") ? tz_query_val(&ev, "start") : "");
	snprintf(out->end, sizeof out->end, "%s", tz_query_val(&ev, "end") ? tz_query_val(&ev, "end") : "");
	tz_record_row_free(&ev);
	for (out->ngroups = 0; out->ngroups < TZ_REPORT_MAX_GROUPS &&
			       tz_schema_codes_key_groups[out->ngroups].code; out->ngroups++)
		;
	/* attendees and their key groups */
	char *sql = sqlite3_mprintf(
		"SELECT count(*), count(*) FILTER (WHERE coalesce(p.key_groups,'') <> '')");
	for (int g = 0; sql && g < out->ngroups; g++) {
		char *s2 = sqlite3_mprintf("%s, count(*) FILTER (WHERE instr(','||"
					   "coalesce(p.key_groups,'')||',', ',%q,') > 0)",
					   sql, tz_schema_codes_key_groups[g].code);
		sqlite3_free(sql);
		sql = s2;
	}
	char *full = sql ? sqlite3_mprintf("%s FROM person p WHERE p.id IN (SELECT person FROM"
					   " attendance WHERE event = ?1 AND _deleted = 0)", sql)
			 : NULL;
	sqlite3_free(sql);
	if (!full) {
		tz_event_summary_free(out);
		return tz_nomem(err);
	}
	sqlite3_stmt *q = tz_query_prep(db, full, err, "attendance");
	sqlite3_free(full);
	if (!q) {
		tz_event_summary_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		tz_event_summary_free(out);
		return tz_query_fail(db, q, err, "attendance");
	}
	out->attendees = sqlite3_column_int64(q, 0);
	out->attendees_key = sqlite3_column_int64(q, 1);
	for (int g = 0; g < out->ngroups; g++)
		out->by_group[g] = sqlite3_column_int64(q, 2 + g);
	sqlite3_finalize(q);

	/* offers, intentions and hires */
	static const char sql2[] =
		"WITH off AS (SELECT o.employer AS e, o.vacancy AS v FROM event_offer o"
		"  WHERE o.event = ?1 AND o._deleted = 0),"
		" vac AS (SELECT DISTINCT v FROM off WHERE v IS NOT NULL),"
		" att AS (SELECT person, intention FROM attendance WHERE event = ?1 AND _deleted = 0)"
		" SELECT"
		" (SELECT count(DISTINCT e) FROM (SELECT e FROM off UNION SELECT x.employer FROM"
		"   vacancy x WHERE x.id IN (SELECT v FROM vac) AND x._deleted = 0)),"
		" (SELECT count(*) FROM vac),"
		" (SELECT coalesce(sum(x.openings), 0) FROM vacancy x WHERE x._deleted = 0"
		"   AND x.id IN (SELECT v FROM vac)),"
		" (SELECT count(*) FROM att WHERE intention IS NOT NULL),"
		" (SELECT count(DISTINCT r.person) FROM referral r WHERE r._deleted = 0"
		"   AND r.status = ?2 AND r.date >= ?3 AND r.person IN (SELECT person FROM att)"
		"   AND (r.vacancy IN (SELECT v FROM vac) OR EXISTS (SELECT 1 FROM att a"
		"    WHERE a.person = r.person AND a.intention = r.vacancy)))";
	if (!(q = tz_query_prep(db, sql2, err, "event_offer"))) {
		tz_event_summary_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, REFERRAL_HIRED, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, out->start, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		tz_event_summary_free(out);
		return tz_query_fail(db, q, err, "event_offer");
	}
	out->employers = sqlite3_column_int64(q, 0);
	out->vacancies = sqlite3_column_int64(q, 1);
	out->openings = sqlite3_column_int64(q, 2);
	out->intentions = sqlite3_column_int64(q, 3);
	out->hired = sqlite3_column_int64(q, 4);
	sqlite3_finalize(q);
	return TZ_OK;
}

static const tz_code *field_codes(const char *table, const char *field)
{
	const tz_table *t = tz_schema_table_find(table);
	int i = t ? tz_schema_field_find(t, field) : -1;
	return i >= 0 ? t->fields[i].codes : NULL;
}

tz_status tz_event_summary_text(const tz_event_summary *s, FILE *f, tz_err *err)
{
	char line[512];
	tz_trf(line, sizeof line, "Event summary: %s", "活动小结：%s", s->name ? s->name : "");
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "%s  %s%s%s", "%s  %s%s%s",
	    tz_schema_code_label(field_codes("event", "kind"), s->kind), s->start, s->end[0] ? " - " : "",
	    s->end);
	tz_layout_line(f, line);
	if (s->place || s->organiser) {
		tz_trf(line, sizeof line, "Place: %s  Organiser: %s", "地点：%s  主办：%s",
		    s->place ? s->place : "-", s->organiser ? s->organiser : "-");
		tz_layout_wrapped(f, line);
	}
	tz_layout_rule(f, 40);
	const struct {
		const char *en, *zh;
		long v;
	} rows[] = {
		{"attendees signed in", "签到人数", s->attendees},
		{"of them with employment difficulties", "其中就业困难人员", s->attendees_key},
		{"employers", "参会单位", s->employers},
		{"vacancies offered", "提供岗位", s->vacancies},
		{"openings", "招聘人数", s->openings},
		{"intentions reached on the spot", "现场达成意向", s->intentions},
		{"hired since", "此后录用", s->hired},
	};
	for (int i = 0; i < N(rows); i++) {
		tz_layout_fit(f, tz_tr(rows[i].en, rows[i].zh), 38, 0);
		fprintf(f, "%6ld\n", rows[i].v);
	}
	int any = 0;
	for (int g = 0; g < s->ngroups; g++) {
		if (!s->by_group[g])
			continue;
		if (!any++)
			tz_layout_line(f, tz_tr("Attendees by key group:", "签到人员按重点群体："));
		fputs("  ", f);
		tz_layout_fit(f, tz_tr(tz_schema_codes_key_groups[g].en, tz_schema_codes_key_groups[g].zh), 36, 0);
		fprintf(f, "%6ld\n", s->by_group[g]);
	}
	tz_layout_line(f, tz_tr("Definitions: docs/reports.md", "口径见 docs/reports.md"));
	return tz_query_written(f, err);
}
