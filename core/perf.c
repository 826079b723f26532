/* perf.c - per-staff performance for a period (platform.h,
 * docs/reports.md). */
#include "taizhang/perf.h"

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
static const char REFERRAL_COUNTED[] = "suggested";   /* referral.status not counted */
static const char COMPLAINT_RESOLVED[] = "resolved";  /* complaint.status */
static const char COMPLAINT_OPEN[] = "open";          /* complaint.status */

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
	tz_clock_today(today);
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
	sqlite3_stmt *q = tz_query_prep(db, sql, err, tz_tr("staff performance", "工作人员绩效"));
	if (!q)
		return err ? err->status : TZ_EDB;
	for (int i = 0; i < np; i++)
		sqlite3_bind_text(q, i + 1, params[i], -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		tz_perf_row *r = by_id ? perf_row_id(p, tz_query_col(q, 0)) : perf_row(p, tz_query_col(q, 0));
		for (int i = 0; i < n; i++)
			*(long *)((char *)r + offs[i]) += sqlite3_column_int64(q, i + 1);
	}
	if (rc != SQLITE_DONE)
		return tz_query_fail(db, q, err, tz_tr("staff performance", "工作人员绩效"));
	sqlite3_finalize(q);
	return TZ_OK;
}

#define POFF(f) offsetof(tz_perf_row, f)

tz_status tz_perf_collect(tz_db *db, const char *period, tz_perf *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_status st = period_days(period, out->period, out->first, out->last, out->asat, err);
	if (st)
		return st;
	/* the staff list, then the "others" row */
	sqlite3_stmt *q = tz_query_prep(db, "SELECT id, name, coalesce(region,''), coalesce(status,'') FROM"
				   " staff WHERE _deleted = 0 ORDER BY region, name, id", err, "staff");
	if (!q)
		return err ? err->status : TZ_EDB;
	size_t cap = 0;
	int rc;
	do { /* room for each row, and for "others" after the last */
		tz_perf_row *nr = tz_buf_grow(out->rows, (size_t)out->n, &cap, sizeof *nr);
		if (!nr) {
			sqlite3_finalize(q);
			tz_perf_free(out);
			return tz_nomem(err);
		}
		out->rows = nr;
		if ((rc = sqlite3_step(q)) != SQLITE_ROW)
			break;
		tz_perf_row *r = &out->rows[out->n++];
		memset(r, 0, sizeof *r);
		snprintf(r->id, sizeof r->id, "%s", tz_query_col(q, 0));
		r->name = tz_query_dup(tz_query_col(q, 1));
		snprintf(r->region, sizeof r->region, "%s", tz_query_col(q, 2));
		snprintf(r->status, sizeof r->status, "%s", tz_query_col(q, 3));
		if (!r->name) {
			sqlite3_finalize(q);
			tz_perf_free(out);
			return tz_nomem(err);
		}
	} while (1);
	if (rc != SQLITE_DONE) {
		tz_perf_free(out);
		return tz_query_fail(db, q, err, "staff");
	}
	sqlite3_finalize(q);
	memset(&out->rows[out->n++], 0, sizeof out->rows[0]); /* others */

	char *placed = tz_settings_list(db, "report.placed_reasons");
	char dl[8];
	snprintf(dl, sizeof dl, "%ld", tz_settings_int(db, "complaint.deadline_days"));
	if (!placed) {
		tz_perf_free(out);
		return tz_nomem(err);
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
	if ((st = tz_db_exec(db, "SAVEPOINT tz_perf", err)))
		goto out;
	if (!(st = perf_add(db, out, q_visits, o_visits, 3, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_opened, o_opened, 1, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_closed, o_closed, 1, 0, pr, 2, err)) &&
	    !(st = perf_add(db, out, q_referrals, o_referrals, 1, 0, pr, 3, err)) &&
	    !(st = perf_add(db, out, q_placed, o_placed, 1, 0, pr, 5, err)) &&
	    !(st = perf_add(db, out, q_compl, o_compl, 5, 1, pr, 8, err)))
		st = perf_add(db, out, q_train, o_train, 1, 1, pr, 2, err);
	tz_db_exec(db, "RELEASE tz_perf", NULL);
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
	tz_trf(line, sizeof line, "Staff performance  %s", "工作人员绩效  %s", p->period);
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "In the period %s to %s", "统计区间 %s 至 %s", p->first, p->asat);
	tz_layout_line(f, line);
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
		return tz_nomem(err);
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
	tz_layout_table(f, tz_tr("Staff", "工作人员"), keys, nrows, tc, NC, cells, 1);
	free(keys);
	free(cells);
	free(buf);
	fputc('\n', f);
	tz_layout_wrapped(f, tz_tr("Visits, cases, referrals and placements are counted by the staff"
				" name recorded on them; complaints by the staff member who received"
				" them (first-inquiry responsibility). Definitions: docs/reports.md",
				"走访、案例、推荐和就业按记录上的工作人员姓名统计；投诉咨询按首问责任人统计。"
				"各项口径见 docs/reports.md"));
	return tz_query_written(f, err);
}

tz_status tz_perf_sheet(const tz_perf *p, tz_sheet_format fmt, FILE *f, const char *path,
		       tz_err *err)
{
	char b[64], title[128], sub[128];
	tz_sheet_col sc[3 + N(perf_cols)];
	int n = 0;
	sc[n++] = (tz_sheet_col){tz_tr("staff id", "工作人员编号"), TZ_COL_CODE};
	sc[n++] = (tz_sheet_col){tz_tr("name", "姓名"), TZ_COL_TEXT};
	sc[n++] = (tz_sheet_col){tz_tr("region code", "所属区划"), TZ_COL_CODE};
	for (int c = 0; c < N(perf_cols); c++)
		sc[n++] = (tz_sheet_col){tz_tr(perf_cols[c].en, perf_cols[c].zh), TZ_COL_NUM};
	tz_trf(title, sizeof title, "Staff performance %s", "工作人员绩效 %s", p->period);
	tz_trf(sub, sizeof sub, "%s to %s", "%s 至 %s", p->first, p->asat);
	tz_sheet *s;
	tz_status st = tz_sheet_open(&s, fmt, f, path, title, sub, sc, n, err);
	if (st)
		return st;
	for (int i = 0; i <= p->n; i++) {
		const tz_perf_row *r = i < p->n ? &p->rows[i] : &p->total;
		if (i == p->n)
			tz_sheet_total(s);
		tz_sheet_put(s, i < p->n ? r->id : "");
		tz_sheet_put(s, perf_key(p, i));
		tz_sheet_put(s, r->region);
		for (int c = 0; c < N(perf_cols); c++) {
			perf_cell(r, c, b, sizeof b);
			tz_sheet_put(s, perf_cols[c].kind == 1 && b[0] == '-' ? "" : b);
		}
		tz_sheet_row(s);
	}
	return tz_sheet_close(s, err);
}
