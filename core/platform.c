/* platform.c - job fairs, the notice board, call lists, staff
 * performance and the platform checklist (platform.h, docs/reports.md). */
#include "taizhang/platform.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/layout.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Code lists the queries use (data, not if statements). */
static const char REFERRAL_HIRED[] = "hired";         /* referral.status */
static const char REFERRAL_COUNTED[] = "suggested";   /* referral.status not counted */
static const char REFERRAL_SIGNIN[] = "referred";     /* status of an on-the-spot referral */
static const char COMPLAINT_RESOLVED[] = "resolved";  /* complaint.status */
static const char COMPLAINT_OPEN[] = "open";          /* complaint.status */

static tz_status oom(tz_err *err) { return tz_nomem(err); }

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static void trf(char *buf, size_t n, const char *en, const char *zh, ...)
	__attribute__((format(printf, 3, 5))) __attribute__((format(printf, 4, 5)));
static void trf(char *buf, size_t n, const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	vsnprintf(buf, n, tz_tr(en, zh), ap);
	va_end(ap);
}

static tz_status sql_fail(tz_db *db, sqlite3_stmt *st, tz_err *err, const char *what)
{
	tz_status s = tz_db_fail(db, err, what);
	sqlite3_finalize(st);
	return s;
}

static sqlite3_stmt *prep(tz_db *db, const char *sql, tz_err *err, const char *what)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &st, NULL) != SQLITE_OK) {
		tz_db_fail(db, err, what);
		return NULL;
	}
	return st;
}

/* A live row or TZ_EINVAL naming what is missing (the record's own error). */
static tz_status live_row(tz_db *db, const char *table, const char *id, tz_row *r, tz_err *err)
{
	tz_status st = tz_record_get(db, table, id, r, err);
	if (st == TZ_ENOTFOUND && err)
		err->status = st = TZ_EINVAL;
	if (st)
		return st;
	if (r->deleted) {
		const tz_table *t = r->table;
		tz_row_free(r);
		return tz_fail(err, TZ_EINVAL, "%s %s has been deleted", "%s %s 已被删除",
			       tz_tr(t->en, t->zh), id);
	}
	return TZ_OK;
}

static const char *val(const tz_row *r, const char *field)
{
	int i = tz_field_find(r->table, field);
	return i >= 0 ? r->vals[i] : NULL;
}

/* ---- events ---- */

tz_status tz_person_by_idnum(tz_db *db, const char *idnum, char id_out[33], tz_err *err)
{
	char norm[19], birth[11], g;
	tz_status s = tz_valid_idnum(idnum, norm, birth, &g, err);
	if (s)
		return s;
	sqlite3_stmt *st = tz_stmt(db, "SELECT id FROM person WHERE id_number = ?1 AND _deleted = 0"
				       " ORDER BY id LIMIT 1");
	if (!st)
		return tz_db_fail(db, err, "person");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(id_out, 33, "%s", col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return TZ_OK;
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "person");
	return tz_fail(err, TZ_ENOTFOUND, "no person with ID number %s", "没有身份证号为 %s 的人员",
		       norm);
}

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
		tz_today(date);
	}
	if ((st = live_row(db, "event", s->event, &ev, err)))
		return st;
	if ((st = live_row(db, "person", s->person, &pe, err))) {
		tz_row_free(&ev);
		return st;
	}
	const char *start = val(&ev, "start"), *end = val(&ev, "end");
	char ename[128];
	snprintf(ename, sizeof ename, "%s", val(&ev, "name") ? val(&ev, "name") : "");
	char pname[64];
	snprintf(pname, sizeof pname, "%s", val(&pe, "name") ? val(&pe, "name") : "");
	if ((start && strcmp(date, start) < 0) || strcmp(date, end ? end : start ? start : date) > 0)
		st = tz_fail(err, TZ_EINVAL, "%s is outside the days of the event (%s to %s)",
			     "%s 不在活动日期内（%s 至 %s）", date, start ? start : "?",
			     end ? end : start ? start : "?");
	tz_row_free(&ev);
	tz_row_free(&pe);
	if (st)
		return st;
	sqlite3_stmt *q = tz_stmt(db, "SELECT id FROM attendance WHERE event = ?1 AND person = ?2"
				      " AND _deleted = 0 LIMIT 1");
	if (!q)
		return tz_db_fail(db, err, "attendance");
	sqlite3_bind_text(q, 1, s->event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, s->person, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	char prior[33] = "";
	if (rc == SQLITE_ROW)
		snprintf(prior, sizeof prior, "%s", col(q, 0));
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
		trf(note, sizeof note, "intention reached at %s", "%s现场达成意向", ename);
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
	tz_status st = live_row(db, "event", event, &ev, err);
	if (st)
		return st;
	snprintf(out->id, sizeof out->id, "%s", ev.id);
	out->name = dup0(val(&ev, "name"));
	out->place = dup0(val(&ev, "place"));
	out->organiser = dup0(val(&ev, "organiser"));
	snprintf(out->kind, sizeof out->kind, "%s", val(&ev, "kind") ? val(&ev, "kind") : "");
	snprintf(out->start, sizeof out->start, "%s", val(&ev, "start") ? val(&ev, "start") : "");
	snprintf(out->end, sizeof out->end, "%s", val(&ev, "end") ? val(&ev, "end") : "");
	tz_row_free(&ev);
	for (out->ngroups = 0; out->ngroups < TZ_REPORT_MAX_GROUPS &&
			       tz_codes_key_groups[out->ngroups].code; out->ngroups++)
		;
	/* attendees and their key groups */
	char *sql = sqlite3_mprintf(
		"SELECT count(*), count(*) FILTER (WHERE coalesce(p.key_groups,'') <> '')");
	for (int g = 0; sql && g < out->ngroups; g++) {
		char *s2 = sqlite3_mprintf("%s, count(*) FILTER (WHERE instr(','||"
					   "coalesce(p.key_groups,'')||',', ',%q,') > 0)",
					   sql, tz_codes_key_groups[g].code);
		sqlite3_free(sql);
		sql = s2;
	}
	char *full = sql ? sqlite3_mprintf("%s FROM person p WHERE p.id IN (SELECT person FROM"
					   " attendance WHERE event = ?1 AND _deleted = 0)", sql)
			 : NULL;
	sqlite3_free(sql);
	if (!full) {
		tz_event_summary_free(out);
		return oom(err);
	}
	sqlite3_stmt *q = prep(db, full, err, "attendance");
	sqlite3_free(full);
	if (!q) {
		tz_event_summary_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		tz_event_summary_free(out);
		return sql_fail(db, q, err, "attendance");
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
	if (!(q = prep(db, sql2, err, "event_offer"))) {
		tz_event_summary_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, REFERRAL_HIRED, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, out->start, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		tz_event_summary_free(out);
		return sql_fail(db, q, err, "event_offer");
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
	const tz_table *t = tz_table_find(table);
	int i = t ? tz_field_find(t, field) : -1;
	return i >= 0 ? t->fields[i].codes : NULL;
}

static tz_status written(FILE *f, tz_err *err)
{
	if (fflush(f) || ferror(f))
		return tz_fail(err, TZ_EIO, "writing the output failed", "写出结果失败");
	return TZ_OK;
}

tz_status tz_event_summary_text(const tz_event_summary *s, FILE *f, tz_err *err)
{
	char line[512];
	trf(line, sizeof line, "Event summary: %s", "活动小结：%s", s->name ? s->name : "");
	tz_put_line(f, line);
	trf(line, sizeof line, "%s  %s%s%s", "%s  %s%s%s",
	    tz_code_label(field_codes("event", "kind"), s->kind), s->start, s->end[0] ? " - " : "",
	    s->end);
	tz_put_line(f, line);
	if (s->place || s->organiser) {
		trf(line, sizeof line, "Place: %s  Organiser: %s", "地点：%s  主办：%s",
		    s->place ? s->place : "-", s->organiser ? s->organiser : "-");
		tz_put_wrapped(f, line);
	}
	tz_put_rule(f, 40);
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
		tz_put_fit(f, tz_tr(rows[i].en, rows[i].zh), 38, 0);
		fprintf(f, "%6ld\n", rows[i].v);
	}
	int any = 0;
	for (int g = 0; g < s->ngroups; g++) {
		if (!s->by_group[g])
			continue;
		if (!any++)
			tz_put_line(f, tz_tr("Attendees by key group:", "签到人员按重点群体："));
		fputs("  ", f);
		tz_put_fit(f, tz_tr(tz_codes_key_groups[g].en, tz_codes_key_groups[g].zh), 36, 0);
		fprintf(f, "%6ld\n", s->by_group[g]);
	}
	tz_put_line(f, tz_tr("Definitions: docs/reports.md", "口径见 docs/reports.md"));
	return written(f, err);
}

/* ---- the notice board ---- */

void tz_notice_free(tz_notice *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		tz_notice_item *it = &n->items[i];
		free(it->employer);
		free(it->title);
		free(it->place);
		free(it->contact);
		free(it->phone);
		free(it->requirements);
	}
	free(n->items);
	free(n->place_name);
	memset(n, 0, sizeof *n);
}

tz_status tz_notice_collect(tz_db *db, const char *date, tz_notice *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_status st;
	if (date) {
		if ((st = tz_valid_date(date, out->date, err)))
			return st;
	} else {
		tz_today(out->date);
	}
	out->place_name = tz_meta_get(db, "name");
	static const char sql[] =
		"SELECT v.id, e.name, v.title, v.openings - (SELECT count(*) FROM referral r"
		"  WHERE r.vacancy = v.id AND r._deleted = 0 AND r.status = ?2),"
		" v.wage_min, v.wage_max, coalesce(e.address, ''), e.contact, e.phone,"
		" v.valid_until, v.age_min, v.age_max, v.education_min, v.skills"
		" FROM vacancy v JOIN employer e ON e.id = v.employer"
		" WHERE v._deleted = 0 AND e._deleted = 0 AND coalesce(v.valid_from, '') <= ?1"
		" AND (v.valid_until IS NULL OR v.valid_until >= ?1)"
		" ORDER BY e.name, v.title, v.id";
	sqlite3_stmt *q = prep(db, sql, err, "vacancy");
	if (!q) {
		tz_notice_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, REFERRAL_HIRED, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	const tz_code *edu = tz_codes_education;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long left = sqlite3_column_int64(q, 3);
		if (left <= 0)
			continue;
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			tz_notice_item *p = realloc(out->items, nc * sizeof *p);
			if (!p) {
				sqlite3_finalize(q);
				tz_notice_free(out);
				return oom(err);
			}
			out->items = p;
			cap = nc;
		}
		tz_notice_item *it = &out->items[out->n++];
		memset(it, 0, sizeof *it);
		snprintf(it->id, sizeof it->id, "%s", col(q, 0));
		it->employer = dup0(col(q, 1));
		it->title = dup0(col(q, 2));
		it->left = left;
		it->wage_min = sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 4);
		it->wage_max = sqlite3_column_type(q, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 5);
		it->place = col(q, 6)[0] ? dup0(col(q, 6)) : NULL;
		it->contact = dup0(col(q, 7));
		it->phone = dup0(col(q, 8));
		snprintf(it->until, sizeof it->until, "%s", col(q, 9) ? col(q, 9) : "");
		/* the notice is for the village board: Chinese whatever the
		 * operator's language */
		char req[512] = "";
		size_t o = 0;
		if (sqlite3_column_type(q, 10) != SQLITE_NULL || sqlite3_column_type(q, 11) != SQLITE_NULL) {
			long a = sqlite3_column_type(q, 10) == SQLITE_NULL ? 16 : sqlite3_column_int64(q, 10);
			long b = sqlite3_column_type(q, 11) == SQLITE_NULL ? 0 : sqlite3_column_int64(q, 11);
			if (b)
				snprintf(req, sizeof req, "年龄%ld-%ld岁", a, b);
			else
				snprintf(req, sizeof req, "年龄%ld岁以上", a);
			o = strlen(req);
		}
		const tz_code *ec = col(q, 12) ? tz_code_find(edu, col(q, 12)) : NULL;
		if (ec && o < sizeof req)
			o += (size_t)snprintf(req + o, sizeof req - o, "%s%s及以上", o ? "，" : "", ec->zh);
		if (col(q, 13) && o < sizeof req)
			snprintf(req + o, sizeof req - o, "%s%s", o ? "，" : "", col(q, 13));
		it->requirements = req[0] ? strdup(req) : NULL;
		if (!it->employer || !it->title) {
			sqlite3_finalize(q);
			tz_notice_free(out);
			return oom(err);
		}
	}
	if (rc != SQLITE_DONE) {
		tz_notice_free(out);
		return sql_fail(db, q, err, "vacancy");
	}
	sqlite3_finalize(q);
	return TZ_OK;
}

static void wage_s(const tz_notice_item *it, char *buf, size_t n)
{
	if (it->wage_min >= 0 && it->wage_max >= 0 && it->wage_max != it->wage_min)
		trf(buf, n, "%ld-%ld yuan a month", "%ld-%ld元/月", it->wage_min, it->wage_max);
	else if (it->wage_min >= 0 || it->wage_max >= 0)
		trf(buf, n, "%ld yuan a month", "%ld元/月", it->wage_min >= 0 ? it->wage_min : it->wage_max);
	else
		snprintf(buf, n, "%s", tz_tr("pay by agreement", "面议"));
}

static tz_status notice_text(const tz_notice *nt, FILE *f, tz_err *err)
{
	char line[512], w[64];
	trf(line, sizeof line, "%s  Job vacancies", "%s  招聘信息", nt->place_name ? nt->place_name : "");
	tz_put_line(f, line);
	trf(line, sizeof line, "as of %s, %zu vacancies", "截至 %s，共 %zu 个岗位", nt->date, nt->n);
	tz_put_line(f, line);
	tz_put_rule(f, 80);
	for (size_t i = 0; i < nt->n; i++) {
		const tz_notice_item *it = &nt->items[i];
		wage_s(it, w, sizeof w);
		trf(line, sizeof line, "%zu. %s - %s, %ld wanted, %s", "%zu. %s  %s  招%ld人  %s", i + 1,
		    it->employer, it->title, it->left, w);
		tz_put_wrapped(f, line);
		if (it->requirements) {
			trf(line, sizeof line, "   Requirements: %s", "   要求：%s", it->requirements);
			tz_put_wrapped(f, line);
		}
		if (it->place) {
			trf(line, sizeof line, "   Place: %s", "   地点：%s", it->place);
			tz_put_wrapped(f, line);
		}
		trf(line, sizeof line, "   Contact: %s %s%s%s", "   联系：%s %s%s%s",
		    it->contact ? it->contact : "", it->phone ? it->phone : "",
		    it->until[0] ? tz_tr("  until ", "  截止 ") : "", it->until);
		tz_put_wrapped(f, line);
	}
	tz_put_rule(f, 80);
	tz_put_line(f, tz_tr("Ask the village employment officer for details and referral.",
			     "详情和推荐请咨询村就业专干。"));
	return written(f, err);
}

static void html_put(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc(' ', f);
			else
				fputc(*s, f);
		}
	}
}

static tz_status notice_html(const tz_notice *nt, FILE *f, tz_err *err)
{
	char w[64], line[256];
	/* plain HTML 4 and CSS 2: what old browsers print (docs/cli.md) */
	fputs("<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html lang=\"", f);
	fputs(tz_get_lang() == TZ_LANG_ZH ? "zh-CN" : "en", f);
	fputs("\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
	      "<title>", f);
	html_put(f, tz_tr("Job vacancies", "招聘信息"));
	fputs("</title>\n<style type=\"text/css\">\n"
	      "@page { size: A4; margin: 15mm; }\n"
	      "body { font-family: SimHei, \"Microsoft YaHei\", SimSun, \"Noto Sans CJK SC\", sans-serif;"
	      " font-size: 18pt; line-height: 1.4; color: #000; background: #fff; }\n"
	      "h1 { font-size: 34pt; text-align: center; margin: 0 0 4pt 0; }\n"
	      "p.date { text-align: center; font-size: 16pt; margin: 0 0 10pt 0; }\n"
	      "div.job { border: 2px solid #000; padding: 6pt 10pt; margin: 0 0 8pt 0;"
	      " page-break-inside: avoid; }\n"
	      "div.job h2 { font-size: 24pt; margin: 0; }\n"
	      "div.job p { margin: 2pt 0; }\n"
	      "p.foot { font-size: 16pt; border-top: 2px solid #000; padding-top: 6pt; }\n"
	      "</style>\n</head>\n<body>\n<h1>", f);
	if (nt->place_name) {
		html_put(f, nt->place_name);
		fputc(' ', f);
	}
	html_put(f, tz_tr("Job vacancies", "招聘信息"));
	fputs("</h1>\n<p class=\"date\">", f);
	trf(line, sizeof line, "As of %s, %zu vacancies", "截至 %s，共 %zu 个岗位", nt->date, nt->n);
	html_put(f, line);
	fputs("</p>\n", f);
	for (size_t i = 0; i < nt->n; i++) {
		const tz_notice_item *it = &nt->items[i];
		wage_s(it, w, sizeof w);
		fputs("<div class=\"job\">\n<h2>", f);
		html_put(f, it->title);
		fputs(" &nbsp; ", f);
		trf(line, sizeof line, "%ld wanted", "招%ld人", it->left);
		html_put(f, line);
		fputs("</h2>\n<p><b>", f);
		html_put(f, it->employer);
		fputs("</b> &nbsp; ", f);
		html_put(f, w);
		fputs("</p>\n", f);
		if (it->requirements) {
			fputs("<p>", f);
			html_put(f, tz_tr("Requirements: ", "要求："));
			html_put(f, it->requirements);
			fputs("</p>\n", f);
		}
		if (it->place) {
			fputs("<p>", f);
			html_put(f, tz_tr("Place: ", "地点："));
			html_put(f, it->place);
			fputs("</p>\n", f);
		}
		fputs("<p>", f);
		html_put(f, tz_tr("Contact: ", "联系："));
		html_put(f, it->contact ? it->contact : "");
		fputc(' ', f);
		html_put(f, it->phone ? it->phone : "");
		if (it->until[0]) {
			html_put(f, tz_tr("  until ", "  截止 "));
			html_put(f, it->until);
		}
		fputs("</p>\n</div>\n", f);
	}
	fputs("<p class=\"foot\">", f);
	html_put(f, tz_tr("Ask the village employment officer for details and referral.",
			  "详情和推荐请咨询村就业专干。"));
	fputs("</p>\n</body>\n</html>\n", f);
	return written(f, err);
}

/* The notice is for the village board: always in Chinese. */
tz_status tz_notice_text(const tz_notice *nt, FILE *f, tz_err *err)
{
	tz_lang l = tz_get_lang();
	tz_set_lang(TZ_LANG_ZH);
	tz_status st = notice_text(nt, f, err);
	tz_set_lang(l);
	return st;
}

tz_status tz_notice_html(const tz_notice *nt, FILE *f, tz_err *err)
{
	tz_lang l = tz_get_lang();
	tz_set_lang(TZ_LANG_ZH);
	tz_status st = notice_html(nt, f, err);
	tz_set_lang(l);
	return st;
}

/* ---- the call list ---- */

const char *tz_calllist_reminder(void)
{
	return tz_tr("PERSONAL DATA: only for calling about this vacancy. Do not copy, post or pass"
		     " on; destroy after use.",
		     "本名单含个人信息，仅用于电话联系本岗位，不得复制、张贴或外传，用后销毁。");
}

void tz_calllist_free(tz_call_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].phone);
	}
	free(l->items);
	free(l->title);
	memset(l, 0, sizeof *l);
}

tz_status tz_calllist(tz_db *db, const char *vacancy, const char *date, int limit,
		      tz_call_list *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_match_opts o = {.date = date, .limit = limit};
	tz_match_list ml;
	tz_status st = tz_match_vacancy(db, vacancy, &o, &ml, err);
	if (st)
		return st;
	memcpy(out->date, ml.date, sizeof out->date);
	sqlite3_stmt *t = tz_stmt(db, "SELECT v.title, e.name FROM vacancy v LEFT JOIN employer e"
				      " ON e.id = v.employer WHERE v.id = ?1");
	if (!t) {
		tz_match_free(&ml);
		return tz_db_fail(db, err, "person");
	}
	sqlite3_bind_text(t, 1, vacancy, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(t) == SQLITE_ROW) {
		char buf[256];
		if (col(t, 1))
			trf(buf, sizeof buf, "%s (%s)", "%s（%s）", col(t, 0), col(t, 1));
		else
			snprintf(buf, sizeof buf, "%s", col(t, 0));
		out->title = strdup(buf);
	}
	sqlite3_reset(t);
	sqlite3_stmt *q = tz_stmt(db, "SELECT coalesce(p.phone, h.phone) FROM person p"
			" LEFT JOIN household h ON h.id = p.household AND h._deleted = 0"
			" WHERE p.id = ?1");
	if (!q || (ml.n && !(out->items = calloc(ml.n, sizeof *out->items)))) {
		tz_match_free(&ml);
		tz_calllist_free(out);
		return q ? oom(err) : tz_db_fail(db, err, "person");
	}
	for (size_t i = 0; i < ml.n; i++) {
		tz_call_item *it = &out->items[out->n++];
		memcpy(it->id, ml.items[i].id, sizeof it->id);
		it->name = dup0(ml.items[i].name);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, it->id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW && col(q, 0))
			it->phone = strdup(col(q, 0));
		if (!it->name) {
			sqlite3_reset(q);
			tz_match_free(&ml);
			tz_calllist_free(out);
			return oom(err);
		}
	}
	sqlite3_reset(q);
	tz_match_free(&ml);
	return TZ_OK;
}

/* ---- periods ---- */

static tz_status period_days(const char *period, char p[8], char first[11], char last[11],
			     char asat[11], tz_err *err)
{
	tz_err perr = {0};
	if (tz_valid_period(period, p, &perr))
		return tz_fail(err, TZ_EUSAGE, "%s", "%s", perr.msg);
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y = strtol(p, NULL, 10);
	int m = atoi(p + 5);
	int d = md[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
	snprintf(first, 11, "%.7s-01", p);
	snprintf(last, 11, "%.7s-%02d", p, d);
	char today[11];
	tz_today(today);
	if (strcmp(first, today) > 0)
		return tz_fail(err, TZ_EUSAGE, "period %s has not begun (today is %s)",
			       "统计期 %s 尚未开始（今天是 %s）", p, today);
	memcpy(asat, strcmp(last, today) < 0 ? last : today, 11);
	return TZ_OK;
}

/* ---- per-staff performance ---- */

void tz_perf_free(tz_perf *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		free(p->rows[i].name);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

long tz_perf_sat100(const tz_perf_row *r)
{
	if (!r || r->sat_n <= 0)
		return -1;
	return (r->sat_sum * 200 + r->sat_n) / (2 * r->sat_n);
}

/* The row of a staff name (the first staff record of that name, in row
 * order), else the "others" row (the last one). */
static tz_perf_row *perf_row(tz_perf *p, const char *name)
{
	for (int i = 0; name && i < p->n - 1; i++)
		if (p->rows[i].name && !strcmp(p->rows[i].name, name))
			return &p->rows[i];
	return &p->rows[p->n - 1];
}

static tz_perf_row *perf_row_id(tz_perf *p, const char *id)
{
	for (int i = 0; id && i < p->n - 1; i++)
		if (!strcmp(p->rows[i].id, id))
			return &p->rows[i];
	return &p->rows[p->n - 1];
}

/* A query with (name or id, value...) rows added into the figures at
 * offs; by_id: column 0 is a staff id, else a name. */
static tz_status perf_add(tz_db *db, tz_perf *p, const char *sql, const size_t *offs, int n,
			  int by_id, const char *const *params, int np, tz_err *err)
{
	sqlite3_stmt *q = prep(db, sql, err, tz_tr("staff performance", "工作人员绩效"));
	if (!q)
		return err ? err->status : TZ_EDB;
	for (int i = 0; i < np; i++)
		sqlite3_bind_text(q, i + 1, params[i], -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tz_perf_row *r = by_id ? perf_row_id(p, col(q, 0)) : perf_row(p, col(q, 0));
		for (int i = 0; i < n; i++)
			*(long *)((char *)r + offs[i]) += sqlite3_column_int64(q, i + 1);
	}
	if (rc != SQLITE_DONE)
		return sql_fail(db, q, err, tz_tr("staff performance", "工作人员绩效"));
	sqlite3_finalize(q);
	return TZ_OK;
}

#define POFF(f) offsetof(tz_perf_row, f)

tz_status tz_report_perf(tz_db *db, const char *period, tz_perf *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_status st = period_days(period, out->period, out->first, out->last, out->asat, err);
	if (st)
		return st;
	/* the staff list, then the "others" row */
	sqlite3_stmt *q = prep(db, "SELECT id, name, coalesce(region,''), coalesce(status,'') FROM"
				   " staff WHERE _deleted = 0 ORDER BY region, name, id", err, "staff");
	if (!q)
		return err ? err->status : TZ_EDB;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW || out->n == cap) {
		if (out->n == cap) {
			int nc = cap ? cap * 2 : 16;
			tz_perf_row *nr = realloc(out->rows, sizeof *nr * (size_t)nc);
			if (!nr) {
				sqlite3_finalize(q);
				tz_perf_free(out);
				return oom(err);
			}
			out->rows = nr;
			cap = nc;
		}
		if (rc != SQLITE_ROW)
			break;
		tz_perf_row *r = &out->rows[out->n++];
		memset(r, 0, sizeof *r);
		snprintf(r->id, sizeof r->id, "%s", col(q, 0));
		r->name = dup0(col(q, 1));
		snprintf(r->region, sizeof r->region, "%s", col(q, 2));
		snprintf(r->status, sizeof r->status, "%s", col(q, 3));
		if (!r->name) {
			sqlite3_finalize(q);
			tz_perf_free(out);
			return oom(err);
		}
	}
	if (rc != SQLITE_DONE) {
		tz_perf_free(out);
		return sql_fail(db, q, err, "staff");
	}
	sqlite3_finalize(q);
	memset(&out->rows[out->n++], 0, sizeof out->rows[0]); /* others */

	char *placed = tz_settings_list(db, "report.placed_reasons");
	char dl[8];
	snprintf(dl, sizeof dl, "%ld", tz_settings_int(db, "complaint.deadline_days"));
	if (!placed) {
		tz_perf_free(out);
		return oom(err);
	}
	const char *pr[] = {out->first, out->asat, REFERRAL_COUNTED, REFERRAL_HIRED, placed,
			    COMPLAINT_RESOLVED, dl, COMPLAINT_OPEN};
	static const char q_visits[] =
		"SELECT staff, count(*), coalesce(sum(satisfaction), 0), count(satisfaction)"
		" FROM visit WHERE _deleted = 0 AND date BETWEEN ?1 AND ?2 GROUP BY staff";
	static const size_t o_visits[] = {POFF(visits), POFF(sat_sum), POFF(sat_n)};
	static const char q_opened[] =
		"SELECT owner, count(*) FROM aid_case WHERE _deleted = 0 AND opened BETWEEN ?1 AND ?2"
		" GROUP BY owner";
	static const size_t o_opened[] = {POFF(cases_opened)};
	static const char q_closed[] =
		"SELECT owner, count(*) FROM aid_case WHERE _deleted = 0 AND closed BETWEEN ?1 AND ?2"
		" GROUP BY owner";
	static const size_t o_closed[] = {POFF(cases_closed)};
	static const char q_referrals[] =
		"SELECT staff, count(*) FROM referral WHERE _deleted = 0 AND date BETWEEN ?1 AND ?2"
		" AND status <> ?3 GROUP BY staff";
	static const size_t o_referrals[] = {POFF(referrals)};
	/* distinct persons placed: a hire through the staff member's referral
	 * (by its outcome date), or the close of a case they own with a
	 * placing reason */
	static const char q_placed[] =
		"SELECT who, count(DISTINCT person) FROM ("
		" SELECT staff AS who, person FROM referral WHERE _deleted = 0 AND status = ?4"
		"  AND coalesce(outcome_date, date) BETWEEN ?1 AND ?2"
		" UNION SELECT owner, person FROM aid_case WHERE _deleted = 0"
		"  AND closed BETWEEN ?1 AND ?2 AND instr(?5, ','||coalesce(close_reason,'')||',') > 0)"
		" GROUP BY who";
	static const size_t o_placed[] = {POFF(placements)};
	/* complaints resolved in the period, on time, and the satisfaction of
	 * those; open complaints past their deadline at the as-at day */
#define C_DEADLINE "coalesce(deadline, date(received, '+' || ?7 || ' days'))"
	static const char q_compl[] =
		"SELECT received_by,"
		" count(*) FILTER (WHERE status = ?6 AND resolved BETWEEN ?1 AND ?2),"
		" count(*) FILTER (WHERE status = ?6 AND resolved BETWEEN ?1 AND ?2"
		"  AND resolved <= " C_DEADLINE "),"
		" count(*) FILTER (WHERE status = ?8 AND received <= ?2 AND " C_DEADLINE " < ?2),"
		" coalesce(sum(satisfaction) FILTER (WHERE status = ?6 AND resolved BETWEEN ?1 AND ?2),"
		"  0),"
		" count(satisfaction) FILTER (WHERE status = ?6 AND resolved BETWEEN ?1 AND ?2)"
		" FROM complaint WHERE _deleted = 0 GROUP BY received_by";
#undef C_DEADLINE
	static const size_t o_compl[] = {POFF(complaints), POFF(complaints_on_time),
					 POFF(complaints_late_open), POFF(sat_sum), POFF(sat_n)};
	static const char q_train[] =
		"SELECT staff, coalesce(sum(hours), 0) FROM training WHERE _deleted = 0"
		" AND date BETWEEN ?1 AND ?2 GROUP BY staff";
	static const size_t o_train[] = {POFF(training_hours)};
	if ((st = tz_exec(db, "SAVEPOINT tz_perf", err)))
		goto out;
	if (!(st = perf_add(db, out, q_visits, o_visits, 3, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_opened, o_opened, 1, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_closed, o_closed, 1, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_referrals, o_referrals, 1, 0, pr, 3, err)) &&
	    !(st = perf_add(db, out, q_placed, o_placed, 1, 0, pr, 5, err)) &&
	    !(st = perf_add(db, out, q_compl, o_compl, 5, 1, pr, 8, err)))
		st = perf_add(db, out, q_train, o_train, 1, 1, pr, 2, err);
	tz_exec(db, "RELEASE tz_perf", NULL);
	if (st)
		goto out;
	/* drop the "others" row when nobody outside the list did anything */
	tz_perf_row *o = &out->rows[out->n - 1];
	int any = 0;
#define TZ_X(f) any |= o->f != 0;
	TZ_PERF_FIGURES(TZ_X)
#undef TZ_X
	if (!any)
		out->n--;
	for (int i = 0; i < out->n; i++) {
#define TZ_X(f) out->total.f += out->rows[i].f;
		TZ_PERF_FIGURES(TZ_X)
#undef TZ_X
	}
out:
	free(placed);
	if (st)
		tz_perf_free(out);
	return st;
}

static const struct {
	size_t off;
	int kind; /* 0 number, 1 satisfaction, 2 on time "n/m" */
	const char *zh, *en;   /* CSV header */
	const char *zhs, *ens; /* text column */
} perf_cols[] = {
	{POFF(visits), 0, "走访户次", "visits", "走访", "visits"},
	{POFF(cases_opened), 0, "新增援助案例", "cases opened", "立案", "opened"},
	{POFF(cases_closed), 0, "结案数", "cases closed", "结案", "closed"},
	{POFF(placements), 0, "帮扶就业人数", "persons placed", "就业", "placed"},
	{POFF(referrals), 0, "推荐人次", "referrals", "推荐", "referred"},
	{POFF(complaints), 0, "办结投诉咨询", "complaints resolved", "办结", "resolved"},
	{POFF(complaints_on_time), 2, "按时办结", "resolved in time", "按时", "in time"},
	{POFF(complaints_late_open), 0, "逾期未办结", "open past deadline", "逾期", "late"},
	{0, 1, "平均满意度", "average satisfaction", "满意度", "satisf."},
	{POFF(training_hours), 0, "培训学时", "training hours", "学时", "training"},
};

static void perf_cell(const tz_perf_row *r, int c, char *buf, size_t n)
{
	long v = perf_cols[c].kind == 1 ? tz_perf_sat100(r)
					: *(const long *)((const char *)r + perf_cols[c].off);
	if (perf_cols[c].kind == 1) {
		if (v < 0)
			snprintf(buf, n, "-");
		else
			snprintf(buf, n, "%ld.%02ld", v / 100, v % 100);
	} else {
		snprintf(buf, n, "%ld", v);
	}
}

static const char *perf_key(const tz_perf *p, int i)
{
	if (i == p->n)
		return tz_tr("Total", "合计");
	if (!p->rows[i].name)
		return tz_tr("(not in the staff list)", "（名单外人员）");
	return p->rows[i].name;
}

tz_status tz_perf_text(const tz_perf *p, FILE *f, tz_err *err)
{
	enum { NC = N(perf_cols) };
	char line[256];
	trf(line, sizeof line, "Staff performance  %s", "工作人员绩效  %s", p->period);
	tz_put_line(f, line);
	trf(line, sizeof line, "In the period %s to %s", "统计区间 %s 至 %s", p->first, p->asat);
	tz_put_line(f, line);
	fputc('\n', f);
	int nrows = p->n + 1;
	tz_tcol tc[NC];
	char **keys = calloc((size_t)nrows, sizeof *keys);
	char **cells = calloc((size_t)nrows * NC, sizeof *cells);
	char *buf = calloc((size_t)nrows * NC, 24);
	if (!keys || !cells || !buf) {
		free(keys);
		free(cells);
		free(buf);
		return oom(err);
	}
	for (int c = 0; c < NC; c++)
		tc[c] = (tz_tcol){tz_tr(perf_cols[c].ens, perf_cols[c].zhs), 0};
	for (int i = 0; i < nrows; i++) {
		const tz_perf_row *r = i < p->n ? &p->rows[i] : &p->total;
		keys[i] = (char *)perf_key(p, i);
		for (int c = 0; c < NC; c++) {
			char *b = buf + (size_t)(i * NC + c) * 24;
			perf_cell(r, c, b, 24);
			cells[i * NC + c] = b;
		}
	}
	tz_put_table(f, tz_tr("Staff", "工作人员"), keys, nrows, tc, NC, cells, 1);
	free(keys);
	free(cells);
	free(buf);
	fputc('\n', f);
	tz_put_wrapped(f, tz_tr("Visits, cases, referrals and placements are counted by the staff"
				" name recorded on them; complaints by the staff member who received"
				" them (first-inquiry responsibility). Definitions: docs/reports.md",
				"走访、案例、推荐和就业按记录上的工作人员姓名统计；投诉咨询按首问责任人统计。"
				"各项口径见 docs/reports.md"));
	return written(f, err);
}

tz_status tz_perf_csv(const tz_perf *p, FILE *f, tz_err *err)
{
	char b[64];
	fputs("\xef\xbb\xbf", f);
	tz_csv_put(f, tz_tr("staff id", "工作人员编号"));
	fputc(',', f);
	tz_csv_put(f, tz_tr("name", "姓名"));
	fputc(',', f);
	tz_csv_put(f, tz_tr("region code", "所属区划"));
	for (int c = 0; c < N(perf_cols); c++) {
		fputc(',', f);
		tz_csv_put(f, tz_tr(perf_cols[c].en, perf_cols[c].zh));
	}
	fputs("\r\n", f);
	for (int i = 0; i <= p->n; i++) {
		const tz_perf_row *r = i < p->n ? &p->rows[i] : &p->total;
		tz_csv_put(f, i < p->n ? r->id : "");
		fputc(',', f);
		tz_csv_put(f, perf_key(p, i));
		fputc(',', f);
		if (r->region[0]) {
			snprintf(b, sizeof b, "=\"%s\"", r->region);
			tz_csv_put(f, b);
		}
		for (int c = 0; c < N(perf_cols); c++) {
			perf_cell(r, c, b, sizeof b);
			fputc(',', f);
			tz_csv_put(f, perf_cols[c].kind == 1 && b[0] == '-' ? "" : b);
		}
		fputs("\r\n", f);
	}
	return written(f, err);
}

/* ---- the platform checklist ---- */

static const struct {
	const char *word, *en, *zh;
} check_names[TZ_CHK_N] = {
#define TZ_X(e, word, en, zh) [e] = {word, en, zh},
	TZ_CHECK_ITEMS(TZ_X)
#undef TZ_X
};

const char *tz_check_name(tz_check_item i)
{
	return (unsigned)i < TZ_CHK_N ? check_names[i].word : "?";
}

const char *tz_check_label(tz_check_item i)
{
	return (unsigned)i < TZ_CHK_N ? tz_tr(check_names[i].en, check_names[i].zh) : "?";
}

void tz_platform_report_free(tz_platform_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n; i++)
		free(r->rows[i].name);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* Platform level -> the report's staffing level and the space setting. */
static const struct {
	const char *level;
	tz_region_level rl;
	const char *space_key;
	int digits; /* region-code prefix its figures cover */
} levels[] = {
	{"township", TZ_LEVEL_TOWNSHIP, "platform.space_min.township", 9},
	{"street", TZ_LEVEL_TOWNSHIP, "platform.space_min.street", 9},
	{"community", TZ_LEVEL_COMMUNITY, "platform.space_min.community", 12},
	{"village", TZ_LEVEL_VILLAGE, "platform.space_min.village", 12},
};

static int level_index(const char *level)
{
	for (int i = 0; i < N(levels); i++)
		if (!strcmp(levels[i].level, level))
			return i;
	return N(levels) - 1;
}

/* 1, 0 or -1 for an unrecorded boolean field */
static int flag(const char *v) { return v ? atoi(v) != 0 : -1; }

static void set_rate(tz_check *c, long num, long den, long need)
{
	c->need = need * 100;
	if (den <= 0) {
		c->have = -1;
		c->met = 1; /* nobody to employ: nothing missing */
		trf(c->note, sizeof c->note, "nobody counted", "无统计对象");
		return;
	}
	c->have = (num * 20000 + den) / (2 * den);
	c->met = num * 100 >= need * den;
	/* persons to place for the rate to reach the standard */
	long want = (need * den + 99) / 100;
	c->gap = c->met ? 0 : want - num;
	trf(c->note, sizeof c->note, "%ld of %ld employed", "%2$ld 人中 %1$ld 人就业", num, den);
}

static tz_status platform_row(tz_db *db, const tz_report *rep, const tz_row *pf,
			      tz_platform_row *row, tz_err *err)
{
	(void)err;
	const char *lv = pf ? val(pf, "level") : NULL;
	if (lv)
		snprintf(row->level, sizeof row->level, "%s", lv);
	int li = level_index(row->level);
	size_t digits = (size_t)levels[li].digits;
	long rate_min = tz_settings_int(db, "platform.rate_min");
	tz_check *c;

	/* staff: the staff records of the region, as the monthly report
	 * counts them; else the declared number */
	c = &row->items[TZ_CHK_STAFF];
	c->need = rep->staff_min[levels[li].rl];
	const tz_report_staff *rs = NULL;
	for (int i = 0; i < rep->nstaff; i++)
		if (!strcmp(rep->staff[i].region, row->region))
			rs = &rep->staff[i];
	const char *declared = pf ? val(pf, "staff_count") : NULL;
	if (rs && rs->in_post > 0) {
		c->have = rs->counted;
		trf(c->note, sizeof c->note, "%ld staff records in post, %ld counted",
		    "在岗 %ld 人，计入 %ld 人", rs->in_post, rs->counted);
	} else if (declared) {
		c->have = atol(declared);
		trf(c->note, sizeof c->note, "declared on the platform record (no staff records)",
		    "平台登记的配备人数（无工作人员记录）");
	} else {
		c->have = 0;
		trf(c->note, sizeof c->note, "no staff records", "无工作人员记录");
	}
	c->met = c->have >= c->need;
	c->gap = c->met ? 0 : c->need - c->have;

	/* space: m2 against the level's minimum; a village needs an office */
	c = &row->items[TZ_CHK_SPACE];
	c->need = tz_settings_int(db, levels[li].space_key);
	const char *sp = pf ? val(pf, "space_m2") : NULL;
	int office = pf ? flag(val(pf, "office")) : -1;
	if (levels[li].rl == TZ_LEVEL_VILLAGE) {
		c->have = sp ? atol(sp) : 0;
		c->met = office < 0 && !sp ? -1 : (office == 1 || c->have > 0) && c->have >= c->need;
		trf(c->note, sizeof c->note, "office: %s", "办公场所：%s",
		    office < 0 ? tz_tr("not recorded", "未登记") : office ? tz_tr("yes", "有")
									     : tz_tr("no", "无"));
	} else if (!sp) {
		c->met = -1;
		trf(c->note, sizeof c->note, "space not recorded", "未登记场地面积");
	} else {
		c->have = atol(sp);
		c->met = c->have >= c->need;
		c->gap = c->met ? 0 : c->need - c->have;
		trf(c->note, sizeof c->note, "%ld m2 (minimum %ld)", "%ld 平方米（最低 %ld）", c->have,
		    c->need);
	}

	/* facilities */
	int comp = pf ? flag(val(pf, "computer")) : -1, net = pf ? flag(val(pf, "network")) : -1;
	c = &row->items[TZ_CHK_COMPUTER];
	c->need = 1;
	c->met = comp == 0 || net == 0 ? 0 : comp < 0 || net < 0 ? -1 : 1;
	c->have = c->met == 1;
	trf(c->note, sizeof c->note, "computer: %s, network: %s", "电脑：%s，网络：%s",
	    comp < 0 ? "?" : comp ? tz_tr("yes", "有") : tz_tr("no", "无"),
	    net < 0 ? "?" : net ? tz_tr("yes", "有") : tz_tr("no", "无"));
	const struct {
		tz_check_item i;
		const char *field;
	} simple[] = {{TZ_CHK_ARCHIVE, "archive"}, {TZ_CHK_NOTICE, "notice_board"}};
	for (int k = 0; k < N(simple); k++) {
		c = &row->items[simple[k].i];
		int v = pf ? flag(val(pf, simple[k].field)) : -1;
		c->need = 1;
		c->met = v;
		c->have = v == 1;
		snprintf(c->note, sizeof c->note, "%s",
			 v < 0 ? tz_tr("not recorded", "未登记") : v ? tz_tr("yes", "有") : tz_tr("no", "无"));
	}

	/* the full-employment indicators over the villages the platform covers */
	tz_report_row sum;
	memset(&sum, 0, sizeof sum);
	for (int i = 0; i < rep->nrows; i++) {
		const tz_report_row *r = &rep->rows[i];
		if (strncmp(r->region, row->region, digits))
			continue;
#define TZ_X(f) sum.f += r->f;
		TZ_REPORT_FIGURES(TZ_X)
#undef TZ_X
	}
	set_rate(&row->items[TZ_CHK_RATE], sum.employed, sum.employed + sum.job_seekers, rate_min);
	set_rate(&row->items[TZ_CHK_RATE_REG], sum.reg_recent_employed, sum.reg_recent, rate_min);
	set_rate(&row->items[TZ_CHK_RATE_KEY], sum.kg_employed, sum.kg_employed + sum.kg_seekers,
		 rate_min);
	c = &row->items[TZ_CHK_LONG];
	c->have = sum.unemployed_long;
	c->need = 0;
	c->met = c->have == 0;
	c->gap = c->have;
	trf(c->note, sizeof c->note, "%ld unemployed more than %ld months",
	    "失业超过 %2$ld 个月的 %1$ld 人", sum.unemployed_long, rep->long_unemp_months);
	c = &row->items[TZ_CHK_ZERO];
	long late = 0, open = 0;
	for (int i = 0; i < rep->nzero; i++) {
		if (strncmp(rep->zero[i].village, row->region, digits))
			continue;
		open++;
		late += rep->zero[i].late != 0;
	}
	c->have = late;
	c->need = 0;
	c->met = late == 0;
	c->gap = late;
	trf(c->note, sizeof c->note, "%ld not cleared within %ld days (%ld not yet cleared)",
	    "超过 %2$ld 天未清零 %1$ld 户（未清零共 %3$ld 户）", late, rep->zero_emp_days, open);
	for (int i = 0; i < TZ_CHK_N; i++) {
		if (row->items[i].met == 1)
			row->nmet++;
		else if (row->items[i].met == 0)
			row->nnot++;
		else
			row->nunknown++;
	}
	return TZ_OK;
}

typedef struct {
	tz_db *db;
	const tz_report *rep;
	tz_platform_report *out;
	int cap;
	tz_status st;
	tz_err *err;
} pf_ctx;

static tz_platform_row *pf_new(pf_ctx *c)
{
	tz_platform_report *o = c->out;
	if (o->n == c->cap) {
		int nc = c->cap ? c->cap * 2 : 8;
		tz_platform_row *p = realloc(o->rows, sizeof *p * (size_t)nc);
		if (!p)
			return NULL;
		o->rows = p;
		c->cap = nc;
	}
	tz_platform_row *r = &o->rows[o->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static int pf_each(void *ctx, const tz_row *pf)
{
	pf_ctx *c = ctx;
	tz_platform_row *r = pf_new(c);
	if (!r) {
		c->st = oom(c->err);
		return 1;
	}
	snprintf(r->id, sizeof r->id, "%s", pf->id);
	snprintf(r->region, sizeof r->region, "%s", val(pf, "region") ? val(pf, "region") : "");
	r->name = dup0(val(pf, "name"));
	snprintf(r->level, sizeof r->level, "village");
	if ((c->st = platform_row(c->db, c->rep, pf, r, c->err)))
		return 1;
	return 0;
}

static int pf_cmp(const void *a, const void *b)
{
	const tz_platform_row *x = a, *y = b;
	int r = strcmp(x->region, y->region);
	return r ? r : strcmp(x->id, y->id);
}

tz_status tz_report_platform(tz_db *db, const char *period, tz_platform_report *out,
			     tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_report rep;
	tz_status st = tz_report_monthly(db, period, &rep, err);
	if (st)
		return st;
	memcpy(out->period, rep.period, sizeof out->period);
	memcpy(out->asat, rep.asat, sizeof out->asat);
	pf_ctx c = {.db = db, .rep = &rep, .out = out, .err = err};
	st = tz_record_list(db, "platform", NULL, 0, pf_each, &c, err);
	if (!st)
		st = c.st;
	if (!st && out->n == 0 && rep.region[0]) {
		/* no platform record: this database's region, facilities unknown */
		tz_platform_row *r = pf_new(&c);
		if (!r) {
			st = oom(err);
		} else {
			snprintf(r->region, sizeof r->region, "%s", rep.region);
			r->name = dup0(rep.name);
			static const char *const by_level[] = {
				[TZ_LEVEL_COUNTY] = "township", [TZ_LEVEL_TOWNSHIP] = "township",
				[TZ_LEVEL_COMMUNITY] = "community", [TZ_LEVEL_VILLAGE] = "village"};
			snprintf(r->level, sizeof r->level, "%s",
				 by_level[tz_region_level_of(rep.region)]);
			st = platform_row(db, &rep, NULL, r, err);
		}
	}
	tz_report_free(&rep);
	if (st) {
		tz_platform_report_free(out);
		return st;
	}
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, pf_cmp);
	return TZ_OK;
}

static void check_cells(const tz_check *c, tz_check_item i, char *have, char *need, char *gap,
			size_t n)
{
	int rate = i == TZ_CHK_RATE || i == TZ_CHK_RATE_REG || i == TZ_CHK_RATE_KEY;
	if (rate) {
		if (c->have < 0)
			snprintf(have, n, "-");
		else
			snprintf(have, n, "%ld.%02ld%%", c->have / 100, c->have % 100);
		snprintf(need, n, ">=%ld%%", c->need / 100);
	} else if (i == TZ_CHK_COMPUTER || i == TZ_CHK_ARCHIVE || i == TZ_CHK_NOTICE) {
		snprintf(have, n, "%s", c->met < 0 ? "?" : c->have ? tz_tr("yes", "有") : tz_tr("no", "无"));
		snprintf(need, n, "%s", tz_tr("yes", "有"));
	} else if (i == TZ_CHK_LONG || i == TZ_CHK_ZERO) {
		snprintf(have, n, "%ld", c->have);
		snprintf(need, n, "0");
	} else if (c->met < 0) {
		snprintf(have, n, "?");
		snprintf(need, n, ">=%ld", c->need);
	} else {
		snprintf(have, n, "%ld", c->have);
		snprintf(need, n, ">=%ld", c->need);
	}
	if (c->met == 1)
		snprintf(gap, n, "%s", "");
	else if (c->met == 0 && (i == TZ_CHK_COMPUTER || i == TZ_CHK_ARCHIVE || i == TZ_CHK_NOTICE))
		snprintf(gap, n, "%s", tz_tr("needed", "需配备"));
	else if (c->met < 0)
		snprintf(gap, n, "%s", tz_tr("?", "?"));
	else
		snprintf(gap, n, "%ld", c->gap);
}

static const char *met_word(int met)
{
	return met == 1 ? tz_tr("met", "达标") : met == 0 ? tz_tr("NOT MET", "未达标")
						       : tz_tr("not recorded", "未登记");
}

tz_status tz_platform_text(const tz_platform_report *r, FILE *f, tz_err *err)
{
	char line[512];
	trf(line, sizeof line, "Platform checklist  %s", "服务平台达标情况  %s", r->period);
	tz_put_line(f, line);
	trf(line, sizeof line, "Figures as at the end of %s", "数据截至：%s", r->asat);
	tz_put_line(f, line);
	const tz_tcol tc_zh[] = {{"结果", 1}, {"实有", 0}, {"标准", 0}, {"缺口", 0}, {"说明", 1}};
	const tz_tcol tc_en[] = {{"result", 1}, {"have", 0}, {"need", 0}, {"gap", 0}, {"how counted", 1}};
	const tz_tcol *tc = tz_get_lang() == TZ_LANG_ZH ? tc_zh : tc_en;
	for (int p = 0; p < r->n; p++) {
		const tz_platform_row *row = &r->rows[p];
		fputc('\n', f);
		trf(line, sizeof line, "%s %s (%s)%s", "%s %s（%s）%s", row->region,
		    row->name ? row->name : "", tz_code_label(tz_codes_platform_level, row->level),
		    row->id[0] ? "" : tz_tr(" - no platform record", "——未登记平台信息"));
		tz_put_line(f, line);
		trf(line, sizeof line, "%d met, %d not met, %d not recorded",
		    "达标 %d 项，未达标 %d 项，未登记 %d 项", row->nmet, row->nnot, row->nunknown);
		tz_put_line(f, line);
		enum { NC = 5 };
		char *keys[TZ_CHK_N], *cells[TZ_CHK_N * NC];
		char buf[TZ_CHK_N][4][32];
		for (int i = 0; i < TZ_CHK_N; i++) {
			const tz_check *c = &row->items[i];
			keys[i] = (char *)tz_check_label((tz_check_item)i);
			check_cells(c, (tz_check_item)i, buf[i][1], buf[i][2], buf[i][3], 32);
			snprintf(buf[i][0], 32, "%s", met_word(c->met));
			cells[i * NC] = buf[i][0];
			cells[i * NC + 1] = buf[i][1];
			cells[i * NC + 2] = buf[i][2];
			cells[i * NC + 3] = buf[i][3];
			cells[i * NC + 4] = (char *)c->note;
		}
		tz_put_table(f, tz_tr("Item", "项目"), keys, TZ_CHK_N, tc, NC, cells, 0);
	}
	if (!r->n)
		tz_put_line(f, tz_tr("No platform recorded and this database has no region.",
				     "未登记服务平台，本数据库也没有区划代码。"));
	fputc('\n', f);
	tz_put_wrapped(f, tz_tr("Full-employment indicators count the villages the platform covers"
				" (a township: every village of the township). Definitions:"
				" docs/reports.md",
				"充分就业指标统计平台覆盖的村（乡镇平台：全乡镇各村）。各项口径见 docs/reports.md"));
	return written(f, err);
}

tz_status tz_platform_csv(const tz_platform_report *r, FILE *f, tz_err *err)
{
	fputs("\xef\xbb\xbf", f);
	const char *heads[][2] = {{"region code", "区划代码"}, {"platform", "平台名称"},
				  {"level", "层级"},          {"item", "项目代码"},
				  {"item name", "项目"},      {"result", "结果"},
				  {"have", "实有"},          {"need", "标准"},
				  {"gap", "缺口"},           {"how counted", "说明"}};
	for (int i = 0; i < N(heads); i++) {
		if (i)
			fputc(',', f);
		tz_csv_put(f, tz_tr(heads[i][0], heads[i][1]));
	}
	fputs("\r\n", f);
	for (int p = 0; p < r->n; p++) {
		const tz_platform_row *row = &r->rows[p];
		for (int i = 0; i < TZ_CHK_N; i++) {
			const tz_check *c = &row->items[i];
			char have[32], need[32], gap[32], code[32];
			check_cells(c, (tz_check_item)i, have, need, gap, 32);
			snprintf(code, sizeof code, "=\"%s\"", row->region);
			tz_csv_put(f, code);
			fputc(',', f);
			tz_csv_put(f, row->name ? row->name : "");
			fputc(',', f);
			tz_csv_put(f, tz_code_label(tz_codes_platform_level, row->level));
			fputc(',', f);
			tz_csv_put(f, tz_check_name((tz_check_item)i));
			fputc(',', f);
			tz_csv_put(f, tz_check_label((tz_check_item)i));
			fputc(',', f);
			tz_csv_put(f, met_word(c->met));
			fputc(',', f);
			tz_csv_put(f, have);
			fputc(',', f);
			tz_csv_put(f, need);
			fputc(',', f);
			tz_csv_put(f, gap);
			fputc(',', f);
			tz_csv_put(f, c->note);
			fputs("\r\n", f);
		}
	}
	return written(f, err);
}
