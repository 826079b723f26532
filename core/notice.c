/* notice.c - the village notice board: current vacancies as text or an A4
 * HTML page in large type (platform.h). */
#include "taizhang/notice.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "query.h"
#include "taizhang/buf.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Code lists the queries use (data, not if statements). */
static const char REFERRAL_HIRED[] = "hired";         /* referral.status */

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
		tz_clock_today(out->date);
	}
	out->place_name = tz_db_meta_get(db, "name");
	static const char sql[] =
		"SELECT v.id, e.name, v.title, v.openings - (SELECT count(*) FROM referral r"
		"  WHERE r.vacancy = v.id AND r._deleted = 0 AND r.status = ?2),"
		" v.wage_min, v.wage_max, coalesce(e.address, ''), e.contact, e.phone,"
		" v.valid_until, v.age_min, v.age_max, v.education_min, v.skills"
		" FROM vacancy v JOIN employer e ON e.id = v.employer"
		" WHERE v._deleted = 0 AND e._deleted = 0 AND coalesce(v.valid_from, '') <= ?1"
		" AND (v.valid_until IS NULL OR v.valid_until >= ?1)"
		" ORDER BY e.name, v.title, v.id";
	sqlite3_stmt *q = tz_query_prep(db, sql, err, "vacancy");
	if (!q) {
		tz_notice_free(out);
		return err ? err->status : TZ_EDB;
	}
	sqlite3_bind_text(q, 1, out->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, REFERRAL_HIRED, -1, SQLITE_STATIC);
	size_t cap = 0;
	int rc;
	const tz_code *edu = tz_schema_codes_education;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long left = sqlite3_column_int64(q, 3);
		if (left <= 0)
			continue;
		tz_notice_item *p = tz_buf_grow(out->items, out->n, &cap, sizeof *p);
		if (!p) {
			sqlite3_finalize(q);
			tz_notice_free(out);
			return tz_nomem(err);
		}
		out->items = p;
		tz_notice_item *it = &out->items[out->n++];
		memset(it, 0, sizeof *it);
		snprintf(it->id, sizeof it->id, "%s", tz_query_col(q, 0));
		it->employer = tz_query_dup(tz_query_col(q, 1));
		it->title = tz_query_dup(tz_query_col(q, 2));
		it->left = left;
		it->wage_min = sqlite3_column_type(q, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 4);
		it->wage_max = sqlite3_column_type(q, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 5);
		it->place = tz_query_col(q, 6)[0] ? tz_query_dup(tz_query_col(q, 6)) : NULL;
		it->contact = tz_query_dup(tz_query_col(q, 7));
		it->phone = tz_query_dup(tz_query_col(q, 8));
		snprintf(it->until, sizeof it->until, "%s", tz_query_col(q, 9) ? tz_query_col(q, 9) : "");
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
		const tz_code *ec = tz_query_col(q, 12) ? tz_schema_code_find(edu, tz_query_col(q, 12)) : NULL;
		if (ec && o < sizeof req)
			o += (size_t)snprintf(req + o, sizeof req - o, "%s%s及以上", o ? "，" : "", ec->zh);
		if (tz_query_col(q, 13) && o < sizeof req)
			snprintf(req + o, sizeof req - o, "%s%s", o ? "，" : "", tz_query_col(q, 13));
		it->requirements = req[0] ? strdup(req) : NULL;
		if (!it->employer || !it->title) {
			sqlite3_finalize(q);
			tz_notice_free(out);
			return tz_nomem(err);
		}
	}
	if (rc != SQLITE_DONE) {
		tz_notice_free(out);
		return tz_query_fail(db, q, err, "vacancy");
	}
	sqlite3_finalize(q);
	return TZ_OK;
}

static void wage_s(const tz_notice_item *it, char *buf, size_t n)
{
	if (it->wage_min >= 0 && it->wage_max >= 0 && it->wage_max != it->wage_min)
		tz_trf(buf, n, "%ld-%ld yuan a month", "%ld-%ld元/月", it->wage_min, it->wage_max);
	else if (it->wage_min >= 0 || it->wage_max >= 0)
		tz_trf(buf, n, "%ld yuan a month", "%ld元/月", it->wage_min >= 0 ? it->wage_min : it->wage_max);
	else
		snprintf(buf, n, "%s", tz_tr("pay by agreement", "面议"));
}

static tz_status notice_text(const tz_notice *nt, FILE *f, tz_err *err)
{
	char line[512], w[64];
	tz_trf(line, sizeof line, "%s  Job vacancies", "%s  招聘信息", nt->place_name ? nt->place_name : "");
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "as of %s, %zu vacancies", "截至 %s，共 %zu 个岗位", nt->date, nt->n);
	tz_layout_line(f, line);
	tz_layout_rule(f, 80);
	for (size_t i = 0; i < nt->n; i++) {
		const tz_notice_item *it = &nt->items[i];
		wage_s(it, w, sizeof w);
		tz_trf(line, sizeof line, "%zu. %s - %s, %ld wanted, %s", "%zu. %s  %s  招%ld人  %s", i + 1,
		    it->employer, it->title, it->left, w);
		tz_layout_wrapped(f, line);
		if (it->requirements) {
			tz_trf(line, sizeof line, "   Requirements: %s", "   要求：%s", it->requirements);
			tz_layout_wrapped(f, line);
		}
		if (it->place) {
			tz_trf(line, sizeof line, "   Place: %s", "   地点：%s", it->place);
			tz_layout_wrapped(f, line);
		}
		tz_trf(line, sizeof line, "   Contact: %s %s%s%s", "   联系：%s %s%s%s",
		    it->contact ? it->contact : "", it->phone ? it->phone : "",
		    it->until[0] ? tz_tr("  until ", "  截止 ") : "", it->until);
		tz_layout_wrapped(f, line);
	}
	tz_layout_rule(f, 80);
	tz_layout_line(f, tz_tr("Ask the village employment officer for details and referral.",
			     "详情和推荐请咨询村就业专干。"));
	return tz_query_written(f, err);
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
	fputs(tz_lang_get() == TZ_LANG_ZH ? "zh-CN" : "en", f);
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
	tz_trf(line, sizeof line, "As of %s, %zu vacancies", "截至 %s，共 %zu 个岗位", nt->date, nt->n);
	html_put(f, line);
	fputs("</p>\n", f);
	for (size_t i = 0; i < nt->n; i++) {
		const tz_notice_item *it = &nt->items[i];
		wage_s(it, w, sizeof w);
		fputs("<div class=\"job\">\n<h2>", f);
		html_put(f, it->title);
		fputs(" &nbsp; ", f);
		tz_trf(line, sizeof line, "%ld wanted", "招%ld人", it->left);
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
	return tz_query_written(f, err);
}

/* The notice is for the village board: always in Chinese. */
tz_status tz_notice_text(const tz_notice *nt, FILE *f, tz_err *err)
{
	tz_lang l = tz_lang_get();
	tz_lang_set(TZ_LANG_ZH);
	tz_status st = notice_text(nt, f, err);
	tz_lang_set(l);
	return st;
}

tz_status tz_notice_html(const tz_notice *nt, FILE *f, tz_err *err)
{
	tz_lang l = tz_lang_get();
	tz_lang_set(TZ_LANG_ZH);
	tz_status st = notice_html(nt, f, err);
	tz_lang_set(l);
	return st;
}
