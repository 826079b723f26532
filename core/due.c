/* due.c - the follow-up schedule: one aggregate query per kind of item. */
#include "taizhang/due.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/buf.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

static const struct {
	const char *word, *en, *zh;
} kinds[TZ_DUE_NKINDS] = {
#define TZ_X(e, word, en, zh) [e] = {word, en, zh},
	TZ_DUE_KINDS(TZ_X)
#undef TZ_X
};

/* Code lists the queries use (data, not if statements). */
static const char case_live_status[] = "open,active";        /* aid_case.status */
static const char referral_waiting[] = "referred,interviewed"; /* referral.status */
static const char staff_gone[] = "left";                       /* staff.status */
static const char zero_emp_flag[] = "zero_emp";                /* household.flags */
static const char complaint_open[] = "open";                   /* complaint.status */

const char *tz_due_kind_name(tz_due_kind k)
{
	return (unsigned)k < TZ_DUE_NKINDS ? kinds[k].word : "?";
}

const char *tz_due_kind_label(tz_due_kind k)
{
	return (unsigned)k < TZ_DUE_NKINDS ? tz_tr(kinds[k].en, kinds[k].zh) : "?";
}

int tz_due_kind_find(const char *word)
{
	for (int k = 0; word && k < TZ_DUE_NKINDS; k++)
		if (!strcmp(kinds[k].word, word))
			return k;
	return -1;
}

/* ---- the list ---- */

static char *vfmt(const char *f, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, f, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, f, ap);
	return s;
}

/* Bilingual formatted string, malloc'd. */
static char *trf(const char *en, const char *zh, ...) __attribute__((format(printf, 1, 3)))
	__attribute__((format(printf, 2, 3)));
static char *trf(const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	char *s = vfmt(tz_tr(en, zh), ap);
	va_end(ap);
	return s;
}

typedef struct {
	tz_due_list *l;
	const tz_due_opts *o;
	long today;
	int oom;
	size_t limit;     /* 0: keep every item */
	int have_cut;     /* with a limit, once trimmed: */
	tz_due_item cut;  /* the last item kept; anything after it is only counted */
} ctx;

static int item_cmp(const void *a, const void *b);
static void trim(ctx *c);

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Add an item; takes ownership of reason.  due_days: when it fell due. */
static void add(ctx *c, tz_due_kind k, long due_days, const char *table, const char *id,
		const char *region, const char *label, char *reason)
{
	if (c->o && c->o->region && *c->o->region &&
	    (!region || strncmp(region, c->o->region, strlen(c->o->region)))) {
		free(reason);
		return;
	}
	tz_due_list *l = c->l;
	long overdue = c->today - due_days;
	l->total++;
	if (overdue >= 0)
		l->total_due++;
	if (c->have_cut) {
		/* past the last item kept: it can never be among the first */
		tz_due_item probe = {.kind = k};
		tz_date_from_days(due_days, probe.due);
		snprintf(probe.id, sizeof probe.id, "%s", id ? id : "");
		if (item_cmp(&probe, &c->cut) > 0) {
			free(reason);
			return;
		}
	}
	if (c->limit && l->n >= 2 * c->limit)
		trim(c);
	tz_due_item *p = tz_buf_grow(l->items, l->n, &l->cap, sizeof *p);
	if (!p) {
		free(reason);
		c->oom = 1;
		return;
	}
	l->items = p;
	tz_due_item *it = &l->items[l->n];
	memset(it, 0, sizeof *it);
	tz_date_from_days(due_days, it->due);
	it->overdue = overdue;
	it->kind = k;
	it->table = table;
	snprintf(it->id, sizeof it->id, "%s", id ? id : "");
	snprintf(it->region, sizeof it->region, "%s", region ? region : "");
	it->label = strdup(label ? label : "");
	it->reason = reason;
	if (!it->label || !reason) {
		free(it->label);
		free(reason);
		c->oom = 1;
		return;
	}
	l->n++;
}

static int want(const ctx *c, tz_due_kind k)
{
	return !c->o || !c->o->kinds || (c->o->kinds & (1u << k));
}

/* Labels of a set of codes, joined with the list separator. */
static void codes_labels(const tz_code *codes, const char *list, char *out, size_t cap)
{
	out[0] = '\0';
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		char code[32];
		snprintf(code, sizeof code, "%.*s", (int)(k < 31 ? k : 31), p);
		size_t len = strlen(out);
		snprintf(out + len, cap - len, "%s%s", len ? tz_tr(", ", "、") : "",
			 tz_schema_code_label(codes, code));
		p += k + (p[k] == ',');
	}
}

static const tz_code *field_codes(const char *table, const char *field)
{
	const tz_table *t = tz_schema_table_find(table);
	int i = t ? tz_schema_field_find(t, field) : -1;
	return i >= 0 ? t->fields[i].codes : NULL;
}

static tz_status step_fail(tz_db *db, sqlite3_stmt *st, int rc, tz_err *err)
{
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, tz_tr("due list", "待办清单"));
	return TZ_OK;
}

/* The region filter as an SQL parameter: NULL for none. */
static void bind_region(sqlite3_stmt *st, int idx, const ctx *c)
{
	if (c->o && c->o->region && *c->o->region)
		sqlite3_bind_text(st, idx, c->o->region, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

#define IN_REGION(col) " (?9 IS NULL OR substr(" col ", 1, length(?9)) = ?9)"

/* Households whose latest visit planned a next visit that has come.  One
 * index seek per household (in household order) beats grouping every
 * visit of the county. */
static tz_status q_visits(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT h.id, h.address, h.village,"
		" (SELECT v.date || '|' || coalesce(v.next_visit, '') FROM visit v"
		"  WHERE v.household=h.id AND v._deleted=0"
		"  ORDER BY v.date DESC, v.next_visit DESC LIMIT 1)"
		" FROM household h WHERE h._deleted=0 AND" IN_REGION("h.village");
	long look = tz_settings_int(db, "due.visit_lookahead_days");
	char cut[11];
	tz_date_from_days(c->today + look, cut);
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "visit");
	bind_region(st, 9, c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *m = col(st, 3);
		if (!m || strlen(m) != 21 || strcmp(m + 11, cut) > 0)
			continue; /* no visit, no next visit planned, or not yet */
		char last[11], next[11];
		snprintf(last, sizeof last, "%.10s", m);
		snprintf(next, sizeof next, "%.10s", m + 11);
		add(c, TZ_DUE_VISIT, tz_date_days(next), "household", col(st, 0), col(st, 2),
		    col(st, 1),
		    trf("next visit planned for %s at the visit of %s",
			"%2$s 走访时约定 %1$s 再次走访", next, last));
	}
	return step_fail(db, st, rc, err);
}

/* Open and active aid cases: the latest action's next_due, or no action
 * for too long. */
static tz_status q_cases(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT c.id, c.opened, p.name, h.village,"
		" (SELECT max(a.date || '|' || coalesce(a.next_due, '') || '|' || a.kind)"
		"  FROM aid_action a WHERE a.aid_case=c.id AND a._deleted=0)"
		" FROM aid_case c LEFT JOIN person p ON p.id=c.person"
		" LEFT JOIN household h ON h.id=p.household"
		" WHERE c._deleted=0 AND instr(',' || ?1 || ',', ',' || c.status || ',') > 0"
		" AND" IN_REGION("h.village");
	long idle = tz_settings_int(db, "due.case_no_action_days");
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "aid_case");
	sqlite3_bind_text(st, 1, case_live_status, -1, SQLITE_STATIC);
	bind_region(st, 9, c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = col(st, 0), *opened = col(st, 1), *name = col(st, 2),
			   *region = col(st, 3), *m = col(st, 4);
		char last[11] = "", next[11] = "", kind[32] = "";
		if (m && strlen(m) >= 11) {
			snprintf(last, sizeof last, "%.10s", m);
			const char *p = m + 11, *bar = strchr(p, '|');
			if (bar && bar - p == 10)
				snprintf(next, sizeof next, "%.10s", p);
			if (bar)
				snprintf(kind, sizeof kind, "%s", bar + 1);
		}
		const char *kl =
			kind[0] ? tz_schema_code_label(field_codes("aid_action", "kind"), kind) : "";
		if (next[0] && tz_date_days(next) <= c->today) {
			if (want(c, TZ_DUE_CASE_ACTION))
				add(c, TZ_DUE_CASE_ACTION, tz_date_days(next), "aid_case", id, region,
				    name,
				    trf("follow-up planned for %s after %s on %s",
					"%3$s %2$s后约定 %1$s 跟踪", next, kl, last));
			continue;
		}
		if (!want(c, TZ_DUE_CASE_IDLE))
			continue;
		const char *since = last[0] ? last : opened;
		if (!since || strlen(since) < 10)
			continue;
		long due = tz_date_days(since) + idle;
		if (due > c->today)
			continue;
		if (last[0])
			add(c, TZ_DUE_CASE_IDLE, due, "aid_case", id, region, name,
			    trf("no action for more than %ld days (last: %s on %s)",
				"超过 %1$ld 天无援助措施（上次：%3$s %2$s）", idle, kl, last));
		else
			add(c, TZ_DUE_CASE_IDLE, due, "aid_case", id, region, name,
			    trf("no action for more than %ld days since the case was opened on %s",
				"%2$s 认定后超过 %1$ld 天无援助措施", idle, since));
	}
	return step_fail(db, st, rc, err);
}

/* Birth-date bound for "younger than `years` on date": born after
 * (year - years)-MM-DD.  Plain string comparison does the rest. */
static void years_before(const char *date, long years, char out[16])
{
	long y = strtol(date, NULL, 10) - years;
	if (y < 0)
		y = 0;
	snprintf(out, 16, "%04ld%.6s", y % 10000, date + 4);
}

/* Key-group persons of working age whose household has not been visited
 * within the interval. */
static tz_status q_keygroups(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT p.id, p.name, p.key_groups, h.village,"
		" (SELECT max(v.date) FROM visit v WHERE v.household=p.household AND v._deleted=0)"
		" FROM person p LEFT JOIN household h ON h.id=p.household"
		" WHERE p._deleted=0 AND p.key_groups IS NOT NULL AND p.key_groups <> ''"
		" AND p.birth_date <= ?1"
		" AND p.birth_date > CASE p.gender WHEN 'F' THEN ?2 ELSE ?3 END"
		" AND" IN_REGION("h.village");
	long every = tz_settings_int(db, "due.keygroup_visit_days");
	char young[16], old_f[16], old_m[16], cut[11];
	years_before(c->l->date, tz_settings_int(db, "labour.age_min"), young);
	years_before(c->l->date, tz_settings_int(db, "labour.retire_age_f"), old_f);
	years_before(c->l->date, tz_settings_int(db, "labour.retire_age_m"), old_m);
	tz_date_from_days(c->today - every, cut);
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "person");
	sqlite3_bind_text(st, 1, young, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, old_f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, old_m, -1, SQLITE_TRANSIENT);
	bind_region(st, 9, c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *last = col(st, 4);
		if (last && strcmp(last, cut) > 0)
			continue; /* visited recently */
		char groups[512];
		codes_labels(tz_schema_codes_key_groups, col(st, 2), groups, sizeof groups);
		if (last)
			add(c, TZ_DUE_KEYGROUP, tz_date_days(last) + every, "person", col(st, 0),
			    col(st, 3), col(st, 1),
			    trf("key group (%s): household not visited for more than %ld days"
				" (last visit %s)",
				"重点群体（%s）：超过 %ld 天未入户走访（上次走访 %s）", groups,
				every, last));
		else
			add(c, TZ_DUE_KEYGROUP, c->today, "person", col(st, 0), col(st, 3),
			    col(st, 1),
			    trf("key group (%s): household never visited",
				"重点群体（%s）：所在户从未走访", groups));
	}
	return step_fail(db, st, rc, err);
}

/* Referrals waiting too long for an outcome. */
static tz_status q_referrals(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.date, r.status, p.name, h.village, v.title, e.name"
		" FROM referral r LEFT JOIN person p ON p.id=r.person"
		" LEFT JOIN household h ON h.id=p.household"
		" LEFT JOIN vacancy v ON v.id=r.vacancy LEFT JOIN employer e ON e.id=v.employer"
		" WHERE r._deleted=0 AND instr(',' || ?1 || ',', ',' || r.status || ',') > 0"
		" AND r.outcome_date IS NULL AND r.date <= ?2 AND" IN_REGION("h.village");
	long wait = tz_settings_int(db, "due.referral_outcome_days");
	char cut[11];
	tz_date_from_days(c->today - wait, cut);
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "referral");
	sqlite3_bind_text(st, 1, referral_waiting, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cut, -1, SQLITE_TRANSIENT);
	bind_region(st, 9, c);
	const tz_code *rs = field_codes("referral", "status");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *title = col(st, 5), *emp = col(st, 6);
		char job[256];
		if (emp)
			snprintf(job, sizeof job, "%s%s%s%s", title ? title : "?",
				 tz_tr(" (", "（"), emp, tz_tr(")", "）"));
		else
			snprintf(job, sizeof job, "%s", title ? title : "?");
		add(c, TZ_DUE_REFERRAL, tz_date_days(col(st, 1)) + wait, "referral", col(st, 0),
		    col(st, 4), col(st, 3),
		    trf("referred to %s on %s, still '%s' after %ld days: record the outcome",
			"%2$s 推荐至%1$s，%4$ld 天后仍为“%3$s”，请登记结果", job, col(st, 1),
			tz_schema_code_label(rs, col(st, 2)), wait));
	}
	return step_fail(db, st, rc, err);
}

/* Zero-employment households not cleared in time. */
static tz_status q_zero_emp(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT id, address, village, zero_emp_since FROM household"
		" WHERE _deleted=0 AND flags IS NOT NULL"
		" AND instr(',' || flags || ',', ',' || ?1 || ',') > 0 AND zero_emp_cleared IS NULL"
		" AND (zero_emp_since IS NULL OR zero_emp_since <= ?2) AND" IN_REGION("village");
	long limit = tz_settings_int(db, "due.zero_emp_clear_days");
	char cut[11];
	tz_date_from_days(c->today - limit, cut);
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "household");
	sqlite3_bind_text(st, 1, zero_emp_flag, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cut, -1, SQLITE_TRANSIENT);
	bind_region(st, 9, c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *since = col(st, 3);
		if (since)
			add(c, TZ_DUE_ZERO_EMP, tz_date_days(since) + limit, "household",
			    col(st, 0), col(st, 2), col(st, 1),
			    trf("zero-employment household recognised on %s,"
				" not cleared within %ld days",
				"零就业家庭 %s 认定，%ld 天内未清零", since, limit));
		else
			add(c, TZ_DUE_ZERO_EMP, c->today, "household", col(st, 0), col(st, 2),
			    col(st, 1),
			    trf("zero-employment household without a recognition date, not cleared",
				"零就业家庭未填认定日期，尚未清零"));
	}
	return step_fail(db, st, rc, err);
}

/* Certificates expiring soon or expired: one per staff record (the
 * staff table's own certificate fields) or several (staff_cert).  sql
 * selects id, staff name, region, certificate name, expiry. */
static tz_status certs(tz_db *db, ctx *c, const char *sql, const char *table, tz_err *err)
{
	long warn = tz_settings_int(db, "due.cert_warn_days");
	char cut[11];
	tz_date_from_days(c->today + warn, cut);
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, table);
	sqlite3_bind_text(st, 1, cut, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, staff_gone, -1, SQLITE_STATIC);
	bind_region(st, 9, c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cert = col(st, 3), *exp = col(st, 4);
		long d = tz_date_days(exp);
		const char *what = cert ? cert : tz_tr("certificate", "证书");
		add(c, TZ_DUE_CERT, d, table, col(st, 0), col(st, 2), col(st, 1),
		    d < c->today ? trf("%s expired on %s", "%s已于 %s 过期", what, exp)
				 : trf("%s expires on %s", "%s将于 %s 到期", what, exp));
	}
	return step_fail(db, st, rc, err);
}

static tz_status q_certs(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT id, name, region, certificate, certificate_expiry FROM staff"
		" WHERE _deleted=0 AND certificate_expiry IS NOT NULL AND certificate_expiry <= ?1"
		" AND (status IS NULL OR instr(',' || ?2 || ',', ',' || status || ',') = 0) AND"
		IN_REGION("region");
	return certs(db, c, sql, "staff", err);
}

static tz_status q_staff_certs(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT k.id, s.name, s.region, k.name, k.expiry FROM staff_cert k"
		" JOIN staff s ON s.id = k.staff"
		" WHERE k._deleted=0 AND s._deleted=0 AND k.expiry IS NOT NULL AND k.expiry <= ?1"
		" AND (s.status IS NULL OR instr(',' || ?2 || ',', ',' || s.status || ',') = 0) AND"
		IN_REGION("s.region");
	return certs(db, c, sql, "staff_cert", err);
}

/* Open complaints near or past their deadline (first-inquiry owner:
 * the staff member who received it). */
static tz_status q_complaints(tz_db *db, ctx *c, tz_err *err)
{
	static const char sql[] =
		"SELECT k.id, k.complainant, coalesce(k.region, s.region), k.received, k.deadline,"
		" s.name, k.kind FROM complaint k LEFT JOIN staff s ON s.id = k.received_by"
		" WHERE k._deleted=0 AND k.status = ?1 AND" IN_REGION("coalesce(k.region, s.region)");
	long days = tz_settings_int(db, "complaint.deadline_days");
	long warn = tz_settings_int(db, "due.complaint_warn_days");
	sqlite3_stmt *st = tz_db_stmt(db, sql);
	if (!st)
		return tz_db_fail(db, err, "complaint");
	sqlite3_bind_text(st, 1, complaint_open, -1, SQLITE_STATIC);
	bind_region(st, 9, c);
	const tz_code *kinds_c = field_codes("complaint", "kind");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *received = col(st, 3), *deadline = col(st, 4), *owner = col(st, 5);
		if (!received)
			continue;
		long due = deadline ? tz_date_days(deadline) : tz_date_days(received) + days;
		if (due > c->today + warn)
			continue;
		char dd[11];
		tz_date_from_days(due, dd);
		add(c, TZ_DUE_COMPLAINT, due, "complaint", col(st, 0), col(st, 2), col(st, 1),
		    trf("%s received on %s by %s (first-inquiry owner): resolve by %s",
			"%1$s %2$s 受理，首问责任人%3$s，应于 %4$s 前办结",
			tz_schema_code_label(kinds_c, col(st, 6)), received, owner ? owner : "?", dd));
	}
	return step_fail(db, st, rc, err);
}

/* Reports due upward on the calendar, from due.report_lead_days ahead
 * until the day itself. */
static tz_status q_reports(tz_db *db, ctx *c, tz_err *err)
{
	char *cal = tz_settings_str(db, "calendar.reports", NULL);
	tz_calendar_entry e[64];
	int n = cal ? tz_settings_calendar_parse(cal, e, 64) : 0;
	free(cal);
	if (n > 64)
		n = 64;
	long lead = tz_settings_int(db, "due.report_lead_days");
	char *region = tz_db_meta_get(db, "region");
	long y = strtol(c->l->date, NULL, 10);
	int m = atoi(c->l->date + 5);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int i = 0; i < n; i++) {
		long when = -1;
		/* the first occurrence on or after the date: this month (year)
		 * or the next */
		for (int k = 0; k < 2 && when < c->today; k++) {
			long yy = y;
			int mm = e[i].month ? e[i].month : m;
			if (k && e[i].month)
				yy++;
			else if (k && ++mm > 12)
				mm = 1, yy++;
			int last = mdays[mm - 1] + (mm == 2 && ((yy % 4 == 0 && yy % 100) || yy % 400 == 0));
			char d[16];
			snprintf(d, sizeof d, "%04ld-%02d-%02d", yy % 10000, mm,
				 e[i].day < last ? e[i].day : last);
			when = tz_date_days(d);
		}
		if (when < c->today || when > c->today + lead)
			continue;
		char dd[11];
		tz_date_from_days(when, dd);
		const tz_code *lab = tz_schema_code_find(tz_settings_codes_calendar, e[i].name);
		const char *label = lab ? tz_tr(lab->en, lab->zh) : e[i].name;
		add(c, TZ_DUE_REPORT, when, "calendar", e[i].name, region, label,
		    trf("%s is due upward by %s", "%s应于 %s 前报送上级", label, dd));
	}
	free(region);
	(void)err;
	return TZ_OK;
}

static int item_cmp(const void *a, const void *b)
{
	const tz_due_item *x = a, *y = b;
	int r = strcmp(x->due, y->due);
	if (r)
		return r;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Sort, keep the first `limit` items, free the rest. */
static void trim(ctx *c)
{
	tz_due_list *l = c->l;
	if (l->n > 1)
		qsort(l->items, l->n, sizeof *l->items, item_cmp);
	if (!c->limit || l->n <= c->limit)
		return;
	for (size_t i = c->limit; i < l->n; i++) {
		free(l->items[i].label);
		free(l->items[i].reason);
	}
	l->n = c->limit;
	c->cut = l->items[l->n - 1];
	c->have_cut = 1;
}

void tz_due_free(tz_due_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].label);
		free(l->items[i].reason);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

tz_status tz_due_collect(tz_db *db, const tz_due_opts *o, tz_due_list *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	if (o && o->date) {
		tz_status st = tz_valid_date(o->date, out->date, err);
		if (st)
			return st;
	} else {
		tz_clock_today(out->date);
	}
	ctx c = {.l = out, .o = o, .today = tz_date_days(out->date), .limit = o ? o->limit : 0};
	tz_status st = TZ_OK;
	if (!st && want(&c, TZ_DUE_VISIT))
		st = q_visits(db, &c, err);
	if (!st && (want(&c, TZ_DUE_CASE_ACTION) || want(&c, TZ_DUE_CASE_IDLE)))
		st = q_cases(db, &c, err);
	if (!st && want(&c, TZ_DUE_KEYGROUP))
		st = q_keygroups(db, &c, err);
	if (!st && want(&c, TZ_DUE_REFERRAL))
		st = q_referrals(db, &c, err);
	if (!st && want(&c, TZ_DUE_ZERO_EMP))
		st = q_zero_emp(db, &c, err);
	if (!st && want(&c, TZ_DUE_CERT))
		st = q_certs(db, &c, err);
	if (!st && want(&c, TZ_DUE_CERT))
		st = q_staff_certs(db, &c, err);
	if (!st && want(&c, TZ_DUE_COMPLAINT))
		st = q_complaints(db, &c, err);
	if (!st && want(&c, TZ_DUE_REPORT))
		st = q_reports(db, &c, err);
	if (!st && c.oom)
		st = tz_nomem(err);
	if (st) {
		tz_due_free(out);
		return st;
	}
	trim(&c);
	return TZ_OK;
}
