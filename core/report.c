/* report.c - the monthly monitoring report (docs/reports.md).
 *
 * Figures come from six aggregate queries grouped by village (persons,
 * registrations, aid cases, households with their visits, staff,
 * vacancies) plus one for the zero-employment list.  Policy limits and
 * status lists are settings; code lists (measures, region levels, labels)
 * are the tables below, not if chains.
 */
#include "taizhang/report.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "taizhang/buf.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/utf8.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TEXT_COLS 80

/* ---- settings ----
 *
 * The labour-force age limits and the zero-employment clearance interval
 * are shared with the follow-up schedule (settings.h).  The report's own
 * settings are declared here; a definition of the same key in settings.c
 * takes precedence. */

/* ---- code data ---- */

/* Region levels by the last six digits of the 12-digit code (统计用区划代码:
 * 001-199 residents' committees, 200-399 villagers' committees). */
static const struct {
	const char *en, *zh, *min_key, *status_key;
} levels[TZ_LEVEL_COUNT] = {
	[TZ_LEVEL_COUNTY] = {"county", "县级", "report.staff_min.county", "report.staff_status.county"},
	[TZ_LEVEL_TOWNSHIP] = {"township", "乡镇", "report.staff_min.township",
			       "report.staff_status.township"},
	[TZ_LEVEL_COMMUNITY] = {"community", "社区", "report.staff_min.community",
				"report.staff_status.community"},
	[TZ_LEVEL_VILLAGE] = {"village", "行政村", "report.staff_min.village",
			      "report.staff_status.village"},
};

static const struct {
	int lo, hi; /* digits 10-12 */
	tz_region_level level;
} village_levels[] = {
	{1, 199, TZ_LEVEL_COMMUNITY},
	{200, 999, TZ_LEVEL_VILLAGE},
};

tz_region_level tz_report_level_of(const char *code)
{
	if (!code || strlen(code) != 12 || strspn(code, "0123456789") != 12)
		return TZ_LEVEL_VILLAGE;
	if (!strcmp(code + 6, "000000"))
		return TZ_LEVEL_COUNTY;
	int v = atoi(code + 9);
	for (int i = 0; i < N(village_levels); i++)
		if (v >= village_levels[i].lo && v <= village_levels[i].hi)
			return village_levels[i].level;
	return TZ_LEVEL_TOWNSHIP; /* 000 */
}

const char *tz_report_level_label(tz_region_level l)
{
	return (unsigned)l < TZ_LEVEL_COUNT ? tz_tr(levels[l].en, levels[l].zh) : "?";
}

/* Aid-action kinds that count as the measure of a placement, in priority
 * order for actions on the same day.  `places`: the action is itself a
 * placement (the case stays open while the post lasts). */
static const struct {
	const char *kind;
	size_t off;
	int places;
} measures[] = {
	{"job_referral", offsetof(tz_report_row, placed_referral), 0},
	{"public_post", offsetof(tz_report_row, placed_post), 1},
	{"training", offsetof(tz_report_row, placed_training), 0},
	{"subsidy", offsetof(tz_report_row, placed_subsidy), 0},
};

static const char ZERO_EMP_FLAG[] = "zero_emp";  /* household flag */
static const char REG_UNEMPLOYMENT[] = "unemployment"; /* registration kind */
static const char STAFF_FULLTIME[] = "fulltime", STAFF_LEFT[] = "left";

/* Short column heads for key groups in the text layout; the code table's
 * label for codes not listed. */
static const struct {
	const char *code, *zh, *en;
} group_heads[] = {
	{"zero_emp", "零就业", "zero-emp"}, {"disabled", "残疾", "disabled"},
	{"age4050", "4050", "4050"},      {"long_unemp", "长期失业", "long-unemp"},
	{"dibao", "低保", "dibao"},        {"poverty", "脱贫监测", "poverty"},
	{"landless", "失地", "landless"},  {"returnee", "返乡", "returnee"},
	{"graduate", "高校毕业", "graduate"}, {"veteran", "退役", "veteran"},
	{"released", "刑释戒毒", "released"}, {"single_parent", "单亲", "1-parent"},
};

/* ---- dates ---- */

static int leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(long y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static void ymd_put(long y, int m, int d, char out[11])
{
	y = y < 0 ? 0 : y % 10000;
	const int v[] = {(int)(y / 1000), (int)(y / 100 % 10), (int)(y / 10 % 10), (int)(y % 10),
			 -1, m / 10 % 10, m % 10, -1, d / 10 % 10, d % 10};
	for (int i = 0; i < 10; i++)
		out[i] = v[i] < 0 ? '-' : (char)('0' + v[i]);
	out[10] = '\0';
}

/* The date n months before (day clamped to the month's length). */
static void months_before(const char *ymd, long n, char out[11])
{
	long y = strtol(ymd, NULL, 10), mi = y * 12 + (atoi(ymd + 5) - 1) - n;
	int d = atoi(ymd + 8);
	y = mi / 12;
	int m = (int)(mi % 12) + 1;
	ymd_put(y, m, d > mdays(y, m) ? mdays(y, m) : d, out);
}

static void days_before(const char *ymd, long n, char out[11])
{
	tz_date_from_days(tz_date_days(ymd) - n, out);
}

/* ---- the report's rows ---- */

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const tz_report_row *)a)->region, ((const tz_report_row *)b)->region);
}

const tz_report_row *tz_report_find(const tz_report *r, const char *village)
{
	tz_report_row key;
	if (!r || !village || strlen(village) > 12)
		return NULL;
	snprintf(key.region, sizeof key.region, "%s", village);
	return r->nrows ? bsearch(&key, r->rows, (size_t)r->nrows, sizeof key, row_cmp) : NULL;
}

typedef struct {
	tz_report *r;
	size_t cap;
} rows_ctx;

/* The row of a village, added (in code order) if new; NULL when out of memory. */
static tz_report_row *row_get(rows_ctx *c, const char *code)
{
	tz_report *r = c->r;
	char key[13];
	snprintf(key, sizeof key, "%s", code ? code : "");
	int lo = 0, hi = r->nrows;
	while (lo < hi) {
		int mid = (lo + hi) / 2, k = strcmp(r->rows[mid].region, key);
		if (!k)
			return &r->rows[mid];
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	tz_report_row *n = tz_buf_grow(r->rows, (size_t)r->nrows, &c->cap, sizeof *n);
	if (!n)
		return NULL;
	r->rows = n;
	memmove(&r->rows[lo + 1], &r->rows[lo], sizeof *r->rows * (size_t)(r->nrows - lo));
	memset(&r->rows[lo], 0, sizeof *r->rows);
	memcpy(r->rows[lo].region, key, sizeof key);
	r->nrows++;
	return &r->rows[lo];
}

#define FIG(row, off) (*(long *)((char *)(row) + (off)))

/* ---- queries ---- */

typedef struct {
	const char *name;
	const char *val;
} param;

typedef struct {
	tz_db *db;
	param p[24];
	int np;
} qctx;

static void param_add(qctx *q, const char *name, const char *val)
{
	if (q->np < N(q->p))
		q->p[q->np++] = (param){name, val};
}

/* Prepare sql and bind every named parameter it uses. */
static sqlite3_stmt *query(qctx *q, const char *sql, tz_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(tz_db_sql(q->db), sql, -1, &st, NULL) != SQLITE_OK) {
		tz_db_fail(q->db, err, tz_tr("report", "报表"));
		return NULL;
	}
	for (int i = 0; i < q->np; i++) {
		int k = sqlite3_bind_parameter_index(st, q->p[i].name);
		if (k > 0)
			sqlite3_bind_text(st, k, q->p[i].val, -1, SQLITE_STATIC);
	}
	return st;
}

static tz_status step_fail(qctx *q, sqlite3_stmt *st, tz_err *err)
{
	tz_status s = tz_db_fail(q->db, err, tz_tr("report", "报表"));
	sqlite3_finalize(st);
	return s;
}

static tz_status oom(tz_err *err) { return tz_nomem(err); }

/* Run a GROUP BY village query whose columns after the first go, in order,
 * to the figures at offs (key-group columns: -1 - group index). */
static tz_status grouped(qctx *q, rows_ctx *rc, const char *sql, const long *offs, int n,
			 tz_err *err)
{
	sqlite3_stmt *st = query(q, sql, err);
	if (!st)
		return err ? err->status : TZ_EDB;
	int rcode;
	while ((rcode = sqlite3_step(st)) == SQLITE_ROW) {
		tz_report_row *row = row_get(rc, (const char *)sqlite3_column_text(st, 0));
		if (!row) {
			sqlite3_finalize(st);
			return oom(err);
		}
		for (int i = 0; i < n; i++) {
			long v = (long)sqlite3_column_int64(st, i + 1);
			if (offs[i] < 0)
				row->key_group[-1 - offs[i]] += v;
			else
				FIG(row, (size_t)offs[i]) += v;
		}
	}
	if (rcode != SQLITE_DONE)
		return step_fail(q, st, err);
	sqlite3_finalize(st);
	return TZ_OK;
}

#define OFF(f) ((long)offsetof(tz_report_row, f))

/* Persons: labour force, employment, key groups.  The inner query counts
 * persons per village and combination of the values the definitions look
 * at (the labour-force test is evaluated once per person); the outer one
 * classifies the few thousand combinations.  Cheaper than evaluating every
 * condition for every person, or materialising them. */
static tz_status q_persons(qctx *q, rows_ctx *rc, int ngroups, tz_err *err)
{
	static const char inner[] =
		"SELECT h.village AS v,"
		" coalesce(p.birth_date IS NOT NULL AND p.birth_date <= :cut_min"
		"  AND p.birth_date > CASE p.gender WHEN 'F' THEN :cut_f WHEN 'M' THEN :cut_m END"
		"  AND instr(:excl, ','||coalesce(p.employment_status,'')||',') = 0"
		"  AND instr(:excl_ab, ','||coalesce(p.work_ability,'')||',') = 0, 0) AS lab,"
		" ','||coalesce(p.employment_status,'')||',' AS es,"
		" ','||coalesce(p.work_range,'')||',' AS wr,"
		" ','||coalesce(p.key_groups,'')||',' AS kg,"
		" coalesce(p.unemployed_since < :long_cut, 0) AS lg,"
		" coalesce(p.want_work, 1) <> 0 AS ww, count(*) AS n"
		" FROM person p JOIN household h ON h.id = p.household"
		" WHERE p._deleted = 0 AND h._deleted = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7";
#define P_EM "(lab AND instr(:emp, es) > 0)"
#define P_UN "(lab AND instr(:unemp, es) > 0)"
#define P_MG "(instr(:mig_st, es) > 0 OR instr(:mig_rg, wr) > 0)"
	static const char head[] =
		"SELECT v, sum(n), sum(n * lab), sum(n * " P_EM "),"
		" sum(n * (" P_EM " AND NOT " P_MG ")), sum(n * (" P_EM " AND " P_MG ")),"
		" sum(n * " P_UN "), sum(n * (" P_UN " AND lg)),"
		" sum(n * (lab AND NOT " P_EM " AND NOT " P_UN ")), sum(n * (" P_UN " AND ww)),"
		" sum(n * (lab AND kg <> ',,')), sum(n * (" P_EM " AND kg <> ',,')),"
		" sum(n * (" P_UN " AND ww AND kg <> ',,'))";
#undef P_EM
#undef P_UN
#undef P_MG
	long offs[12 + TZ_REPORT_MAX_GROUPS] = {
		OFF(persons), OFF(labour), OFF(employed), OFF(employed_local), OFF(employed_migrant),
		OFF(unemployed), OFF(unemployed_long), OFF(status_unknown), OFF(job_seekers),
		OFF(key_group_any), OFF(kg_employed), OFF(kg_seekers)};
	int n = 12;
	char *sql = sqlite3_mprintf("%s", head);
	for (int g = 0; sql && g < ngroups; g++) {
		char *s = sqlite3_mprintf("%s, sum(n * (lab AND instr(kg, ',%q,') > 0))", sql,
					  tz_schema_codes_key_groups[g].code);
		sqlite3_free(sql);
		sql = s;
		offs[n++] = -1 - g;
	}
	char *full = sql ? sqlite3_mprintf("%s FROM (%s) GROUP BY v", sql, inner) : NULL;
	sqlite3_free(sql);
	if (!full)
		return oom(err);
	tz_status st = grouped(q, rc, full, offs, n, err);
	sqlite3_free(full);
	return st;
}

/* Registered unemployed: distinct persons with an unemployment
 * registration in force at the as-at date. */
static tz_status q_registrations(qctx *q, rows_ctx *rc, tz_err *err)
{
	static const char sql[] =
		"SELECT h.village, count(DISTINCT r.person) FROM registration r"
		" JOIN person p ON p.id = r.person JOIN household h ON h.id = p.household"
		" WHERE r._deleted = 0 AND p._deleted = 0 AND h._deleted = 0 AND r.kind = :reg_unemp"
		" AND r.date <= :asat AND (r.cancelled IS NULL OR r.cancelled > :asat)"
		" GROUP BY h.village";
	static const long offs[] = {OFF(reg_unemployed)};
	return grouped(q, rc, sql, offs, N(offs), err);
}

/* Persons whose unemployment registration was in force at some time in
 * the 12 months to the as-at day, and those of them employed now. */
static tz_status q_reg_recent(qctx *q, rows_ctx *rc, tz_err *err)
{
	static const char sql[] =
		"SELECT h.village, count(*),"
		" count(*) FILTER (WHERE instr(:emp, ','||coalesce(p.employment_status,'')||',') > 0)"
		" FROM person p JOIN household h ON h.id = p.household"
		" WHERE p._deleted = 0 AND h._deleted = 0 AND p.id IN (SELECT r.person"
		"  FROM registration r WHERE r._deleted = 0 AND r.kind = :reg_unemp"
		"  AND r.date <= :asat AND (r.cancelled IS NULL OR r.cancelled > :year_ago))"
		" GROUP BY h.village";
	static const long offs[] = {OFF(reg_recent), OFF(reg_recent_employed)};
	return grouped(q, rc, sql, offs, N(offs), err);
}

/* Aid cases and placements.  A case places someone in the period when it
 * was closed in the period with a placing reason (its measure: the latest
 * measure action up to the closing day, same-day ties by the order of
 * `measures`), or else when it has an action that is itself a placement
 * (a public-welfare post) dated in the period. */
static tz_status q_cases(qctx *q, rows_ctx *rc, tz_err *err)
{
	char *in = sqlite3_mprintf(""), *prio = sqlite3_mprintf(""), *self = NULL, *cols =
		sqlite3_mprintf("");
	long offs[4 + N(measures) + 1] = {OFF(cases_new), OFF(cases_closed), OFF(cases_open),
					  OFF(placed)};
	int n = 4;
	for (int i = 0; i < N(measures) && in && prio && cols; i++) {
		char *a = sqlite3_mprintf("%s%s%Q", in, i ? "," : "", measures[i].kind);
		char *b = sqlite3_mprintf("%s WHEN %Q THEN %d", prio, measures[i].kind, i);
		char *c = sqlite3_mprintf("%s, count(*) FILTER (WHERE mk = %Q)", cols, measures[i].kind);
		sqlite3_free(in);
		sqlite3_free(prio);
		sqlite3_free(cols);
		in = a, prio = b, cols = c;
		if (measures[i].places && !self)
			self = sqlite3_mprintf("%Q", measures[i].kind);
		offs[n++] = (long)measures[i].off;
	}
	offs[n++] = OFF(placed_other);
	char *sql = in && prio && cols && self ? sqlite3_mprintf(
		"WITH c AS (SELECT h.village AS v, c.id AS cid, c.opened AS op, c.closed AS cl,"
		" CASE WHEN c.closed BETWEEN :d0 AND :asat"
		"  AND instr(:placed, ','||coalesce(c.close_reason,'')||',') > 0 THEN c.closed END AS e1,"
		" (SELECT max(a.date) FROM aid_action a WHERE a.aid_case = c.id AND a._deleted = 0"
		"  AND a.kind = %s AND a.date BETWEEN :d0 AND :asat) AS e2"
		" FROM aid_case c JOIN person p ON p.id = c.person JOIN household h ON h.id = p.household"
		" WHERE c._deleted = 0 AND p._deleted = 0 AND h._deleted = 0),"
		" m AS (SELECT v, op, cl, coalesce(e1, e2) AS pd,"
		" CASE WHEN e1 IS NOT NULL THEN (SELECT a.kind FROM aid_action a WHERE a.aid_case = cid"
		"  AND a._deleted = 0 AND a.kind IN (%s) AND a.date <= e1"
		"  ORDER BY a.date DESC, CASE a.kind%s END LIMIT 1)"
		" WHEN e2 IS NOT NULL THEN %s END AS mk FROM c)"
		" SELECT v, count(*) FILTER (WHERE op BETWEEN :d0 AND :asat),"
		" count(*) FILTER (WHERE cl BETWEEN :d0 AND :asat),"
		" count(*) FILTER (WHERE op <= :asat AND (cl IS NULL OR cl > :asat)),"
		" count(pd)%s, count(*) FILTER (WHERE pd IS NOT NULL AND mk IS NULL)"
		" FROM m GROUP BY v", self, in, prio, self, cols) : NULL;
	sqlite3_free(in);
	sqlite3_free(prio);
	sqlite3_free(cols);
	sqlite3_free(self);
	if (!sql)
		return oom(err);
	tz_status st = grouped(q, rc, sql, offs, n, err);
	sqlite3_free(sql);
	return st;
}

/* Households: zero-employment figures and visits.  One pass over the
 * visits per household: the latest visit before the period with its plan
 * ("date|next_visit": the greatest is the latest visit and, on the same
 * day, the latest plan), the visits of the period, the first visit. */
static tz_status q_households(qctx *q, rows_ctx *rc, tz_err *err)
{
#define H_ZF "instr(','||coalesce(h.flags,'')||',', ','||:zflag||',') > 0"
#define H_ZEND                                                                              \
	"(" H_ZF " AND coalesce(h.zero_emp_since,'') <= :asat"                               \
	" AND (h.zero_emp_cleared IS NULL OR h.zero_emp_cleared > :asat))"
#define H_PLAN "nullif(substr(vs.lp, 12), '')"
	static const char sql[] =
		"WITH vs AS (SELECT household AS hh,"
		"  max(CASE WHEN date < :d0 THEN date||'|'||coalesce(next_visit,'') END) AS lp,"
		"  count(*) FILTER (WHERE date BETWEEN :d0 AND :asat) AS n,"
		"  sum(satisfaction) FILTER (WHERE date BETWEEN :d0 AND :asat) AS ss,"
		"  count(satisfaction) FILTER (WHERE date BETWEEN :d0 AND :asat) AS sn,"
		"  min(date) AS first"
		"  FROM visit WHERE _deleted = 0 GROUP BY household)"
		" SELECT h.village, count(*),"
		" count(*) FILTER (WHERE " H_ZEND "),"
		" count(*) FILTER (WHERE " H_ZF " AND h.zero_emp_since BETWEEN :d0 AND :asat),"
		" count(*) FILTER (WHERE " H_ZF " AND h.zero_emp_cleared BETWEEN :d0 AND :asat),"
		" count(*) FILTER (WHERE " H_ZEND " AND h.zero_emp_since < :zero_late),"
		" coalesce(sum(vs.n), 0),"
		" count(*) FILTER (WHERE " H_PLAN " <= :d1),"
		" count(*) FILTER (WHERE " H_PLAN " <= :asat AND coalesce(vs.n, 0) = 0),"
		" count(*) FILTER (WHERE vs.first IS NULL OR vs.first > :asat),"
		" coalesce(sum(vs.ss), 0), coalesce(sum(vs.sn), 0)"
		" FROM household h LEFT JOIN vs ON vs.hh = h.id WHERE h._deleted = 0"
		" GROUP BY h.village";
#undef H_ZF
#undef H_ZEND
#undef H_PLAN
	static const long offs[] = {OFF(households), OFF(zero_emp), OFF(zero_emp_new),
				    OFF(zero_emp_cleared), OFF(zero_emp_late), OFF(visits),
				    OFF(visits_due), OFF(visits_overdue), OFF(never_visited),
				    OFF(sat_sum), OFF(sat_n)};
	return grouped(q, rc, sql, offs, N(offs), err);
}

/* The zero-employment households not cleared at the as-at date. */
static tz_status q_zero_list(qctx *q, tz_report *r, long zero_days, tz_err *err)
{
	static const char sql[] =
		"SELECT coalesce(village,''), id, head_name, address, coalesce(zero_emp_since,'')"
		" FROM household WHERE _deleted = 0"
		" AND instr(','||coalesce(flags,'')||',', ','||:zflag||',') > 0"
		" AND coalesce(zero_emp_since,'') <= :asat"
		" AND (zero_emp_cleared IS NULL OR zero_emp_cleared > :asat)"
		" ORDER BY 1, 5, 2";
	sqlite3_stmt *st = query(q, sql, err);
	if (!st)
		return err ? err->status : TZ_EDB;
	size_t cap = 0;
	int rcode;
	long asat = tz_date_days(r->asat);
	while ((rcode = sqlite3_step(st)) == SQLITE_ROW) {
		tz_report_zero *z = tz_buf_grow(r->zero, (size_t)r->nzero, &cap, sizeof *z);
		if (!z)
			goto nomem;
		r->zero = z;
		z = &r->zero[r->nzero++];
		memset(z, 0, sizeof *z);
		const char *s;
		snprintf(z->village, sizeof z->village, "%s", sqlite3_column_text(st, 0));
		snprintf(z->id, sizeof z->id, "%s", sqlite3_column_text(st, 1));
		if ((s = (const char *)sqlite3_column_text(st, 2)) && !(z->head = strdup(s)))
			goto nomem;
		if ((s = (const char *)sqlite3_column_text(st, 3)) && !(z->address = strdup(s)))
			goto nomem;
		snprintf(z->since, sizeof z->since, "%s", sqlite3_column_text(st, 4));
		z->days = strlen(z->since) == 10 ? asat - tz_date_days(z->since) : -1;
		z->late = z->days > zero_days;
	}
	if (rcode != SQLITE_DONE)
		return step_fail(q, st, err);
	sqlite3_finalize(st);
	return TZ_OK;
nomem:
	sqlite3_finalize(st);
	return oom(err);
}

static int staff_cmp(const void *a, const void *b)
{
	return strcmp(((const tz_report_staff *)a)->region, ((const tz_report_staff *)b)->region);
}

static tz_report_staff *staff_get(tz_report *r, size_t *cap, const char *code)
{
	for (int i = 0; i < r->nstaff; i++)
		if (!strcmp(r->staff[i].region, code))
			return &r->staff[i];
	tz_report_staff *n = tz_buf_grow(r->staff, (size_t)r->nstaff, cap, sizeof *n);
	if (!n)
		return NULL;
	r->staff = n;
	tz_report_staff *s = &r->staff[r->nstaff++];
	memset(s, 0, sizeof *s);
	snprintf(s->region, sizeof s->region, "%s", code);
	s->level = tz_report_level_of(code);
	return s;
}

/* Staff per region (no region: this database's own), against the minimum
 * of the region's level.  Every village row, and this database's region,
 * gets a staffing line even without staff. */
static tz_status q_staff(qctx *q, tz_report *r, rows_ctx *rc, tz_err *err)
{
	static const char sql[] =
		"SELECT coalesce(region, :own), coalesce(status,''), count(*) FROM staff"
		" WHERE _deleted = 0 GROUP BY 1, 2";
	char *counted[TZ_LEVEL_COUNT] = {0};
	tz_status ret = TZ_OK;
	size_t cap = 0;
	int rcode;
	for (int l = 0; l < TZ_LEVEL_COUNT; l++) {
		r->staff_min[l] = tz_settings_int(q->db, levels[l].min_key);
		if (!(counted[l] = tz_settings_str(q->db, levels[l].status_key, NULL))) {
			ret = oom(err);
			goto out;
		}
		snprintf(r->staff_status[l], sizeof r->staff_status[l], "%s", counted[l]);
	}
	sqlite3_stmt *st = query(q, sql, err);
	if (!st) {
		ret = err ? err->status : TZ_EDB;
		goto out;
	}
	while ((rcode = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reg = (const char *)sqlite3_column_text(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		long n = (long)sqlite3_column_int64(st, 2);
		if (!reg || !*reg)
			continue;
		tz_report_staff *s = staff_get(r, &cap, reg);
		if (!s) {
			sqlite3_finalize(st);
			ret = oom(err);
			goto out;
		}
		if (strcmp(status, STAFF_LEFT))
			s->in_post += n;
		if (!strcmp(status, STAFF_FULLTIME))
			s->fulltime += n;
		if (tz_settings_codes_has(counted[s->level], status))
			s->counted += n;
	}
	if (rcode != SQLITE_DONE) {
		ret = step_fail(q, st, err);
		goto out;
	}
	sqlite3_finalize(st);
	/* village-level regions of staff become report rows; every row and
	 * this database's region get a staffing line */
	for (int i = 0; i < r->nstaff; i++)
		if (r->staff[i].level >= TZ_LEVEL_COMMUNITY && !row_get(rc, r->staff[i].region)) {
			ret = oom(err);
			goto out;
		}
	for (int i = 0; i < r->nrows; i++)
		if (r->rows[i].region[0] && !staff_get(r, &cap, r->rows[i].region)) {
			ret = oom(err);
			goto out;
		}
	if (r->region[0] && !staff_get(r, &cap, r->region)) {
		ret = oom(err);
		goto out;
	}
	if (r->nstaff)
		qsort(r->staff, (size_t)r->nstaff, sizeof *r->staff, staff_cmp);
	memset(&r->staff_total, 0, sizeof r->staff_total);
	for (int i = 0; i < r->nstaff; i++) {
		tz_report_staff *s = &r->staff[i];
		s->min = r->staff_min[s->level];
		s->shortfall = s->counted < s->min ? s->min - s->counted : 0;
		r->staff_total.in_post += s->in_post;
		r->staff_total.fulltime += s->fulltime;
		r->staff_total.counted += s->counted;
		r->staff_total.min += s->min;
		r->staff_total.shortfall += s->shortfall;
		tz_report_row *row = (tz_report_row *)tz_report_find(r, s->region);
		if (row) {
			row->staff = s->in_post;
			row->staff_fulltime = s->fulltime;
			row->staff_counted = s->counted;
			row->staff_min = s->min;
			row->staff_short = s->shortfall;
		}
	}
out:
	for (int l = 0; l < TZ_LEVEL_COUNT; l++)
		free(counted[l]);
	return ret;
}

static tz_status q_vacancies(qctx *q, tz_report *r, tz_err *err)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(openings), 0) FROM vacancy WHERE _deleted = 0"
		" AND coalesce(valid_from,'') <= :asat AND (valid_until IS NULL OR valid_until >= :asat)";
	sqlite3_stmt *st = query(q, sql, err);
	if (!st)
		return err ? err->status : TZ_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(q, st, err);
	r->vacancies = (long)sqlite3_column_int64(st, 0);
	r->openings = (long)sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return TZ_OK;
}

/* ---- the report ---- */

void tz_report_free(tz_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nzero; i++) {
		free(r->zero[i].head);
		free(r->zero[i].address);
	}
	free(r->zero);
	free(r->rows);
	free(r->staff);
	free(r->name);
	memset(r, 0, sizeof *r);
}

long tz_report_sat100(const tz_report_row *row)
{
	if (!row || row->sat_n <= 0)
		return -1;
	return (row->sat_sum * 200 + row->sat_n) / (2 * row->sat_n);
}

long tz_report_ratio100(const tz_report *r)
{
	long s = r ? r->total.job_seekers : 0;
	if (s <= 0)
		return -1;
	return (r->openings * 200 + s) / (2 * s);
}

/* A village's name for a report's row: a service station's name without
 * what every row repeats (永安镇金塘村就业服务站 -> 金塘村). */
static void short_name(const char *s, char *out, size_t n)
{
	static const char *const tails[] = {"就业服务站", "服务站", "工作站"};
	static const char *const towns[] = {"街道", "镇", "乡"};
	char b[256];
	snprintf(b, sizeof b, "%s", s);
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		size_t l = strlen(b), t = strlen(tails[i]);
		if (l > t && !strcmp(b + l - t, tails[i])) {
			b[l - t] = '\0';
			break;
		}
	}
	const char *from = b;
	for (size_t i = 0; i < sizeof towns / sizeof *towns; i++) {
		const char *p = strstr(b, towns[i]);
		if (p && p[strlen(towns[i])]) {
			from = p + strlen(towns[i]);
			break;
		}
	}
	/* cut at a character boundary to fit */
	size_t l = strlen(from);
	if (l >= n) {
		l = n - 1;
		while (l && ((unsigned char)from[l] & 0xC0) == 0x80)
			l--;
	}
	memcpy(out, from, l);
	out[l] = '\0';
}

tz_status tz_report_monthly(tz_db *db, const char *period, tz_report *out, tz_err *err)
{
	tz_report *r = out;
	memset(r, 0, sizeof *r);
	char today[11];
	tz_err perr = {0};
	if (tz_valid_period(period, r->period, &perr))
		return tz_fail(err, TZ_EUSAGE, "%s", "%s", perr.msg);
	long y = strtol(r->period, NULL, 10);
	int m = atoi(r->period + 5);
	ymd_put(y, m, 1, r->first);
	ymd_put(y, m, mdays(y, m), r->last);
	tz_clock_today(today);
	if (strcmp(r->first, today) > 0)
		return tz_fail(err, TZ_EUSAGE, "period %s has not begun (today is %s)",
			       "统计期 %s 尚未开始（今天是 %s）", r->period, today);
	memcpy(r->asat, strcmp(r->last, today) < 0 ? r->last : today, 11);

	r->role = tz_db_role(db);
	char *reg = tz_db_meta_get(db, "region");
	snprintf(r->region, sizeof r->region, "%s", reg ? reg : "");
	free(reg);
	r->name = tz_db_meta_get(db, "name");
	for (r->ngroups = 0; r->ngroups < TZ_REPORT_MAX_GROUPS &&
			     tz_schema_codes_key_groups[r->ngroups].code; r->ngroups++)
		;

	/* settings and the dates they give */
	char cut_min[11], cut_m[11], cut_f[11], long_cut[11], zero_late[11], year_ago[11];
	long age_min = tz_settings_int(db, "labour.age_min");
	long ret_m = tz_settings_int(db, "labour.retire_age_m");
	long ret_f = tz_settings_int(db, "labour.retire_age_f");
	r->long_unemp_months = tz_settings_int(db, "report.long_unemp_months");
	r->zero_emp_days = tz_settings_int(db, "due.zero_emp_clear_days");
	months_before(r->asat, 12 * age_min, cut_min);
	months_before(r->asat, 12 * ret_m, cut_m);
	months_before(r->asat, 12 * ret_f, cut_f);
	months_before(r->asat, r->long_unemp_months, long_cut);
	days_before(r->asat, r->zero_emp_days, zero_late);
	months_before(r->asat, 12, year_ago);
	char *excl = tz_settings_list(db, "report.labour_exclude_status");
	char *excl_ab = tz_settings_list(db, "report.labour_exclude_ability");
	char *emp = tz_settings_list(db, "report.employed_status");
	char *unemp = tz_settings_list(db, "report.unemployed_status");
	char *mig_st = tz_settings_list(db, "report.migrant_status");
	char *mig_rg = tz_settings_list(db, "report.migrant_range");
	char *placed = tz_settings_list(db, "report.placed_reasons");
	tz_status st = TZ_OK;
	if (!excl || !excl_ab || !emp || !unemp || !mig_st || !mig_rg || !placed) {
		st = oom(err);
		goto out;
	}
	qctx q = {.db = db};
	param_add(&q, ":d0", r->first);
	param_add(&q, ":d1", r->last);
	param_add(&q, ":asat", r->asat);
	param_add(&q, ":cut_min", cut_min);
	param_add(&q, ":cut_m", cut_m);
	param_add(&q, ":cut_f", cut_f);
	param_add(&q, ":long_cut", long_cut);
	param_add(&q, ":zero_late", zero_late);
	param_add(&q, ":excl", excl);
	param_add(&q, ":excl_ab", excl_ab);
	param_add(&q, ":emp", emp);
	param_add(&q, ":unemp", unemp);
	param_add(&q, ":mig_st", mig_st);
	param_add(&q, ":mig_rg", mig_rg);
	param_add(&q, ":placed", placed);
	param_add(&q, ":zflag", ZERO_EMP_FLAG);
	param_add(&q, ":reg_unemp", REG_UNEMPLOYMENT);
	param_add(&q, ":own", r->region);
	param_add(&q, ":year_ago", year_ago);

	rows_ctx rc = {.r = r};
	tz_region_level own = tz_report_level_of(r->region);
	if (r->region[0] && own >= TZ_LEVEL_COMMUNITY && !row_get(&rc, r->region)) {
		st = oom(err);
		goto out;
	}
	/* one read transaction: every figure from the same state */
	if ((st = tz_db_exec(db, "SAVEPOINT tz_report", err)))
		goto out;
	if (!(st = q_households(&q, &rc, err)) && !(st = q_persons(&q, &rc, r->ngroups, err)) &&
	    !(st = q_registrations(&q, &rc, err)) && !(st = q_reg_recent(&q, &rc, err)) &&
	    !(st = q_cases(&q, &rc, err)) &&
	    !(st = q_staff(&q, r, &rc, err)) && !(st = q_zero_list(&q, r, r->zero_emp_days, err)))
		st = q_vacancies(&q, r, err);
	tz_db_exec(db, "RELEASE tz_report", NULL);
	if (st)
		goto out;

	/* the total row: sums; staffing over every region */
	for (int i = 0; i < r->nrows; i++) {
		const tz_report_row *row = &r->rows[i];
#define TZ_X(f) r->total.f += row->f;
		TZ_REPORT_FIGURES(TZ_X)
#undef TZ_X
		for (int g = 0; g < r->ngroups; g++)
			r->total.key_group[g] += row->key_group[g];
	}
	r->total.staff = r->staff_total.in_post;
	r->total.staff_fulltime = r->staff_total.fulltime;
	r->total.staff_counted = r->staff_total.counted;
	r->total.staff_min = r->staff_total.min;
	r->total.staff_short = r->staff_total.shortfall;
	r->show_total = r->role != TZ_ROLE_VILLAGE || r->nrows != 1;
	/* names for the codes: the village's enrolled key, else its service station */
	for (int i = 0; i < r->nrows; i++) {
		sqlite3_stmt *n = tz_db_stmt(db, "SELECT name FROM keyring WHERE region=?1 AND role='village'"
					     " UNION ALL SELECT name FROM platform WHERE region=?1"
					     " AND _deleted=0 AND name IS NOT NULL LIMIT 1");
		if (!n)
			break;
		sqlite3_bind_text(n, 1, r->rows[i].region, -1, SQLITE_STATIC);
		if (sqlite3_step(n) == SQLITE_ROW && sqlite3_column_text(n, 0))
			short_name((const char *)sqlite3_column_text(n, 0), r->rows[i].name,
				   sizeof r->rows[i].name);
		sqlite3_reset(n);
		if (!strcmp(r->rows[i].region, r->region) && !r->rows[i].name[0] && r->name)
			snprintf(r->rows[i].name, sizeof r->rows[i].name, "%s", r->name);
	}
out:
	free(excl);
	free(excl_ab);
	free(emp);
	free(unemp);
	free(mig_st);
	free(mig_rg);
	free(placed);
	if (st)
		tz_report_free(r);
	return st;
}

/* ---- the columns of the village table ---- */

enum { SEC_LABOUR, SEC_UNEMP, SEC_GROUPS, SEC_CASES, SEC_PLACED, SEC_ZERO, SEC_VISITS,
       SEC_STAFF, NSEC };
enum { K_NUM, K_GROUP, K_SAT };

static const struct {
	const char *zh, *en;
} sections[NSEC] = {
	[SEC_LABOUR] = {"一、劳动力与就业", "1. Labour force and employment"},
	[SEC_UNEMP] = {"二、失业与求职", "2. Unemployment and job seekers"},
	[SEC_GROUPS] = {"三、就业困难人员（劳动力中的重点群体）",
			"3. Persons with employment difficulties (key groups in the labour force)"},
	[SEC_CASES] = {"四、就业援助案例", "4. Employment-assistance cases"},
	[SEC_PLACED] = {"五、帮扶就业（按措施）", "5. Placements by measure"},
	[SEC_ZERO] = {"六、零就业家庭", "6. Zero-employment households"},
	[SEC_VISITS] = {"七、入户走访", "7. Household visits"},
	[SEC_STAFF] = {"八、工作人员配备", "8. Employment-service staff against the minimums"},
};

/* Labels with %ld take the setting named by `arg`: 1 long_unemp_months,
 * 2 zero_emp_days. */
static const struct {
	int sec, kind;
	size_t off;
	int arg;
	const char *zh, *en;   /* CSV header */
	const char *zhs, *ens; /* text column */
} coldefs[] = {
#define C(sec, f, zh, en, zhs, ens) {sec, K_NUM, offsetof(tz_report_row, f), 0, zh, en, zhs, ens}
#define CA(sec, f, a, zh, en, zhs, ens) \
	{sec, K_NUM, offsetof(tz_report_row, f), a, zh, en, zhs, ens}
	C(SEC_LABOUR, households, "户数", "households", "户数", "hholds"),
	C(SEC_LABOUR, persons, "人口", "persons", "人口", "persons"),
	C(SEC_LABOUR, labour, "劳动力", "labour force", "劳动力", "labour"),
	C(SEC_LABOUR, employed, "就业人数", "employed", "就业", "employed"),
	C(SEC_LABOUR, employed_local, "本地就业", "employed locally", "本地", "local"),
	C(SEC_LABOUR, employed_migrant, "外出务工", "migrant workers", "外出", "migrant"),
	C(SEC_LABOUR, unemployed, "失业人数", "unemployed", "失业", "unempl"),
	C(SEC_LABOUR, status_unknown, "就业状态未填", "status not recorded", "状态未填",
	  "unknown"),
	CA(SEC_UNEMP, unemployed_long, 1, "失业超过%ld个月", "unemployed over %ld months",
	   "失业超%ld个月", "over %ld months"),
	C(SEC_UNEMP, reg_unemployed, "登记失业人数", "registered unemployed", "登记失业",
	  "registered"),
	C(SEC_UNEMP, job_seekers, "求职人数", "job seekers", "求职人数", "job seekers"),
	C(SEC_GROUPS, key_group_any, "就业困难人员", "persons with difficulties", "合计", "all"),
	/* the key groups follow here */
	C(SEC_CASES, cases_new, "新增援助案例", "cases opened", "本期新增", "opened"),
	C(SEC_CASES, cases_closed, "结案数", "cases closed", "本期结案", "closed"),
	C(SEC_CASES, cases_open, "期末在援案例", "cases open at the end", "期末在援",
	  "open at end"),
	C(SEC_PLACED, placed, "帮扶就业合计", "placements", "合计", "all"),
	C(SEC_PLACED, placed_referral, "帮扶就业-职业介绍", "placed by job referral", "职业介绍",
	  "referral"),
	C(SEC_PLACED, placed_post, "帮扶就业-公益性岗位", "placed in public-welfare posts",
	  "公益性岗位", "public post"),
	C(SEC_PLACED, placed_training, "帮扶就业-职业培训", "placed after training", "职业培训",
	  "training"),
	C(SEC_PLACED, placed_subsidy, "帮扶就业-补贴", "placed with a subsidy", "补贴", "subsidy"),
	C(SEC_PLACED, placed_other, "帮扶就业-其他", "placed otherwise", "其他", "other"),
	C(SEC_ZERO, zero_emp, "零就业家庭户数", "zero-employment households", "期末户数",
	  "at end"),
	C(SEC_ZERO, zero_emp_new, "本期认定零就业家庭", "zero-employment recognised",
	  "本期认定", "recognised"),
	C(SEC_ZERO, zero_emp_cleared, "本期清零零就业家庭", "zero-employment cleared",
	  "本期清零", "cleared"),
	CA(SEC_ZERO, zero_emp_late, 2, "超过%ld天未清零", "not cleared within %ld days",
	   "超%ld天未清零", "over %ld days"),
	C(SEC_VISITS, visits, "走访户次", "visits", "走访户次", "visits"),
	C(SEC_VISITS, visits_due, "应访户数", "households due", "应访户数", "due"),
	C(SEC_VISITS, visits_overdue, "逾期未访户数", "households overdue", "逾期未访",
	  "overdue"),
	C(SEC_VISITS, never_visited, "从未走访户数", "households never visited", "从未走访",
	  "never visited"),
	{SEC_VISITS, K_SAT, 0, 0, "平均满意度", "average satisfaction", "平均满意度",
	 "satisfaction"},
	C(SEC_STAFF, staff, "在岗工作人员", "staff in post", "在岗", "in post"),
	C(SEC_STAFF, staff_fulltime, "专职人员", "full-time staff", "专职", "full time"),
	C(SEC_STAFF, staff_counted, "计入配备人数", "staff counted", "计入", "counted"),
	C(SEC_STAFF, staff_min, "最低配备", "minimum staff", "最低", "minimum"),
	C(SEC_STAFF, staff_short, "配备缺口", "staff shortfall", "缺口", "shortfall"),
#undef C
#undef CA
};

typedef struct {
	int sec, kind, group;
	size_t off;
	char head[64], text[64];
} col;

/* A label with "%ld" replaced by v. */
static void fmt_long(char *buf, size_t n, const char *label, long v)
{
	const char *p = strstr(label, "%ld");
	if (!p) {
		snprintf(buf, n, "%s", label);
		return;
	}
	snprintf(buf, n, "%.*s%ld%s", (int)(p - label), label, v, p + 3);
}

static int cols_build(const tz_report *r, col *cols, int max)
{
	int n = 0;
	for (int i = 0; i < N(coldefs) && n < max; i++) {
		col *c = &cols[n++];
		long arg = coldefs[i].arg == 1 ? r->long_unemp_months : r->zero_emp_days;
		c->sec = coldefs[i].sec;
		c->kind = coldefs[i].kind;
		c->off = coldefs[i].off;
		c->group = -1;
		if (coldefs[i].arg) {
			fmt_long(c->head, sizeof c->head, tz_tr(coldefs[i].en, coldefs[i].zh), arg);
			fmt_long(c->text, sizeof c->text, tz_tr(coldefs[i].ens, coldefs[i].zhs), arg);
		} else {
			snprintf(c->head, sizeof c->head, "%s", tz_tr(coldefs[i].en, coldefs[i].zh));
			snprintf(c->text, sizeof c->text, "%s", tz_tr(coldefs[i].ens, coldefs[i].zhs));
		}
		if (coldefs[i].off != offsetof(tz_report_row, key_group_any))
			continue;
		for (int g = 0; g < r->ngroups && n < max; g++) {
			const tz_code *k = &tz_schema_codes_key_groups[g];
			c = &cols[n++];
			c->sec = SEC_GROUPS;
			c->kind = K_GROUP;
			c->group = g;
			c->off = 0;
			tz_trf(c->head, sizeof c->head, "key group: %s", "重点群体-%s", tz_tr(k->en, k->zh));
			snprintf(c->text, sizeof c->text, "%s", tz_tr(k->en, k->zh));
			for (int j = 0; j < N(group_heads); j++)
				if (!strcmp(group_heads[j].code, k->code))
					snprintf(c->text, sizeof c->text, "%s",
						 tz_tr(group_heads[j].en, group_heads[j].zh));
		}
	}
	return n;
}

static void hundredths(long v, char *buf, size_t n, const char *none)
{
	if (v < 0)
		snprintf(buf, n, "%s", none);
	else
		snprintf(buf, n, "%ld.%02ld", v / 100, v % 100);
}

static void cell(const tz_report_row *row, const col *c, char *buf, size_t n, const char *none)
{
	if (c->kind == K_SAT)
		hundredths(tz_report_sat100(row), buf, n, none);
	else if (c->kind == K_GROUP)
		snprintf(buf, n, "%ld", row->key_group[c->group]);
	else
		snprintf(buf, n, "%ld", FIG(row, c->off));
}

static const char *role_label(tz_role role)
{
	static const struct {
		const char *en, *zh;
	} l[] = {{"village", "村级"}, {"township", "乡镇"}, {"county", "县级"}};
	return (unsigned)role < 3 ? tz_tr(l[role].en, l[role].zh) : "?";
}

static void text_header(const tz_report *r, FILE *f)
{
	char line[512];
	tz_trf(line, sizeof line, "Monthly employment monitoring report  %s", "就业动态监测月报  %s",
	    r->period);
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "Reporting unit: %s (%s, %s)", "填报单位：%s（%s，%s）",
	    r->name ? r->name : "", r->region, role_label(r->role));
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "Period: %s to %s   as at the end of %s",
	    "统计期间：%s 至 %s   数据截至：%s", r->first, r->last, r->asat);
	tz_layout_line(f, line);
}

/* The village rows (and total) of one section. */
static tz_status text_section(const tz_report *r, FILE *f, const col *cols, int ncols, int sec)
{
	tz_tcol tc[64];
	int idx[64], n = 0;
	for (int c = 0; c < ncols && n < N(tc); c++)
		if (cols[c].sec == sec) {
			idx[n] = c;
			tc[n].head = cols[c].text;
			tc[n].left = 0;
			n++;
		}
	int nrows = r->nrows + (r->show_total ? 1 : 0);
	char **keys = calloc((size_t)nrows + 1, sizeof *keys);
	char **cells = calloc((size_t)(nrows * n) + 1, sizeof *cells);
	char *buf = calloc((size_t)(nrows * n) + 1, 32);
	if (!keys || !cells || !buf) {
		free(keys);
		free(cells);
		free(buf);
		return TZ_ENOMEM;
	}
	char (*named)[80] = calloc((size_t)nrows + 1, sizeof *named);
	if (!named) {
		free(keys);
		free(cells);
		free(buf);
		return TZ_ENOMEM;
	}
	for (int i = 0; i < nrows; i++) {
		const tz_report_row *row = i < r->nrows ? &r->rows[i] : &r->total;
		/* "430181100201 石门村": the name after the code where one is known */
		if (i < r->nrows)
			snprintf(named[i], sizeof named[i], "%s%s%s", row->region, row->name[0] ? " " : "",
				 row->name);
		keys[i] = i < r->nrows ? named[i] : (char *)tz_tr("Total", "合计");
		for (int k = 0; k < n; k++) {
			char *b = buf + (size_t)(i * n + k) * 32;
			cell(row, &cols[idx[k]], b, 32, "-");
			cells[i * n + k] = b;
		}
	}
	fprintf(f, "\n");
	tz_layout_line(f, tz_tr(sections[sec].en, sections[sec].zh));
	tz_layout_table(f, tz_tr("Village", "村(区划代码)"), keys, nrows, tc, n, cells, r->show_total);
	free(named);
	free(keys);
	free(cells);
	free(buf);
	return TZ_OK;
}

static tz_status text_zero_list(const tz_report *r, FILE *f)
{
	char line[512];
	tz_trf(line, sizeof line, "Zero-employment households not yet cleared (* over %ld days):",
	    "未清零的零就业家庭（* 超过%ld天）：", r->zero_emp_days);
	fputc('\n', f);
	tz_layout_line(f, line);
	if (!r->nzero) {
		tz_layout_line(f, tz_tr("(none)", "（无）"));
		return TZ_OK;
	}
	const char *h_vil = tz_tr("Village", "村(区划代码)"), *h_head = tz_tr("Head", "户主"),
		   *h_since = tz_tr("Recognised", "认定日期"), *h_days = tz_tr("Days", "天数"),
		   *h_addr = tz_tr("Address", "住址");
	int wv = 12, wh = tz_utf8_width(h_head), wd = 10, wn = tz_utf8_width(h_days);
	if (tz_utf8_width(h_vil) > wv)
		wv = tz_utf8_width(h_vil);
	if (tz_utf8_width(h_since) > wd)
		wd = tz_utf8_width(h_since);
	for (int i = 0; i < r->nzero; i++) {
		int k = tz_utf8_width(r->zero[i].head ? r->zero[i].head : "");
		wh = k > wh ? k : wh;
	}
	if (wh > 12)
		wh = 12;
	if (wn < 5)
		wn = 5;
	int wa = TEXT_COLS - (wv + 2 + wh + 2 + wd + 2 + wn + 2);
	tz_layout_fit(f, h_vil, wv, 0);
	fputs("  ", f);
	tz_layout_fit(f, h_head, wh, 0);
	fputs("  ", f);
	tz_layout_fit(f, h_since, wd, 0);
	fputs("  ", f);
	tz_layout_fit(f, h_days, wn, 1);
	fputs("  ", f);
	fputs(h_addr, f);
	fputc('\n', f);
	tz_layout_rule(f, TEXT_COLS);
	for (int i = 0; i < r->nzero; i++) {
		const tz_report_zero *z = &r->zero[i];
		char days[24];
		if (z->days < 0)
			snprintf(days, sizeof days, "?");
		else
			snprintf(days, sizeof days, "%ld%s", z->days, z->late ? "*" : " ");
		tz_layout_fit(f, z->village, wv, 0);
		fputs("  ", f);
		tz_layout_fit(f, z->head ? z->head : "", wh, 0);
		fputs("  ", f);
		tz_layout_fit(f, z->since[0] ? z->since : "?", wd, 0);
		fputs("  ", f);
		tz_layout_fit(f, days, wn, 1);
		fputs("  ", f);
		const char *addr = z->address ? z->address : "";
		int aw = tz_utf8_width(addr);
		tz_layout_fit(f, addr, aw < wa ? aw : wa, 0); /* no trailing blanks */
		fputc('\n', f);
	}
	return TZ_OK;
}

static tz_status text_staff(const tz_report *r, FILE *f)
{
	static const tz_tcol heads_zh[] = {{"层级", 1}, {"在岗", 0}, {"专职", 0}, {"计入", 0},
					{"最低", 0}, {"缺口", 0}};
	static const tz_tcol heads_en[] = {{"level", 1},   {"in post", 0}, {"full time", 0},
					{"counted", 0}, {"minimum", 0}, {"shortfall", 0}};
	const tz_tcol *tc = tz_lang_get() == TZ_LANG_ZH ? heads_zh : heads_en;
	enum { NC = 6 };
	int nrows = r->nstaff + 1;
	char **keys = calloc((size_t)nrows, sizeof *keys);
	char **cells = calloc((size_t)nrows * NC, sizeof *cells);
	char *buf = calloc((size_t)nrows * NC, 32);
	if (!keys || !cells || !buf) {
		free(keys);
		free(cells);
		free(buf);
		return TZ_ENOMEM;
	}
	for (int i = 0; i < nrows; i++) {
		const tz_report_staff *s = i < r->nstaff ? &r->staff[i] : &r->staff_total;
		long v[NC - 1] = {s->in_post, s->fulltime, s->counted, s->min, s->shortfall};
		keys[i] = i < r->nstaff ? (char *)s->region : (char *)tz_tr("Total", "合计");
		char *b = buf + (size_t)(i * NC) * 32;
		snprintf(b, 32, "%s", i < r->nstaff ? tz_report_level_label(s->level) : "");
		cells[i * NC] = b;
		for (int k = 1; k < NC; k++) {
			b = buf + (size_t)(i * NC + k) * 32;
			snprintf(b, 32, "%ld", v[k - 1]);
			cells[i * NC + k] = b;
		}
	}
	fputc('\n', f);
	tz_layout_line(f, tz_tr(sections[SEC_STAFF].en, sections[SEC_STAFF].zh));
	tz_layout_table(f, tz_tr("Region", "区划代码"), keys, nrows, tc, NC, cells, 1);
	free(keys);
	free(cells);
	free(buf);

	/* the minimums and what counts toward them */
	const tz_code *sc = tz_schema_codes_staff_status;
	char note[1024];
	size_t o = (size_t)snprintf(note, sizeof note, "%s",
				    tz_tr("Minimums: ", "最低配备："));
	int first = 1;
	for (int l = 0; l < TZ_LEVEL_COUNT; l++) {
		if (r->staff_min[l] <= 0 || o >= sizeof note - 1)
			continue;
		tz_trf(note + o, sizeof note - o, "%s%s %ld (", "%s%s %ld 人（",
		    first ? "" : tz_tr("; ", "；"), tz_report_level_label((tz_region_level)l),
		    r->staff_min[l]);
		o += strlen(note + o);
		first = 0;
		const char *p = r->staff_status[l];
		for (int k = 0; *p && o < sizeof note - 1; k++) {
			char code[32];
			size_t len = strcspn(p, ",");
			snprintf(code, sizeof code, "%.*s", (int)(len < 31 ? len : 31), p);
			o += (size_t)snprintf(note + o, sizeof note - o, "%s%s",
					      k ? tz_tr(", ", "、") : "", tz_schema_code_label(sc, code));
			p += len + (p[len] == ',');
		}
		if (o < sizeof note - 1)
			o += (size_t)snprintf(note + o, sizeof note - o, "%s", tz_tr(")", "）"));
	}
	tz_layout_wrapped(f, note);
	return TZ_OK;
}

tz_status tz_report_text(const tz_report *r, FILE *f, tz_err *err)
{
	col cols[96];
	int ncols = cols_build(r, cols, N(cols));
	tz_status st = TZ_OK;
	text_header(r, f);
	for (int sec = 0; sec < SEC_STAFF && !st; sec++) {
		st = text_section(r, f, cols, ncols, sec);
		if (!st && sec == SEC_ZERO)
			st = text_zero_list(r, f);
	}
	if (!st)
		st = text_staff(r, f);
	if (st)
		return oom(err);
	char line[256], ratio[32];
	hundredths(tz_report_ratio100(r), ratio, sizeof ratio, "-");
	fputc('\n', f);
	tz_layout_line(f, tz_tr("9. Vacancies per job seeker", "九、求人倍率"));
	tz_trf(line, sizeof line, "%s = %ld openings (%ld valid vacancies) / %ld job seekers",
	    "%s = 招聘人数 %ld（有效岗位 %ld 个）/ 求职人数 %ld", ratio, r->openings,
	    r->vacancies, r->total.job_seekers);
	tz_layout_wrapped(f, line);
	fputc('\n', f);
	tz_layout_line(f, tz_tr("Definitions of every figure: docs/reports.md",
			  "各项指标的口径见 docs/reports.md"));
	if (fflush(f) || ferror(f))
		return tz_fail(err, TZ_EIO, "writing the report failed", "写出报表失败");
	return TZ_OK;
}

/* ---- CSV ---- */

tz_status tz_report_sheet(const tz_report *r, tz_sheet_format fmt, FILE *f, const char *path,
			 tz_err *err)
{
	col cols[96];
	int ncols = cols_build(r, cols, N(cols));
	tz_sheet_col sc[100];
	int n = 0;
	char buf[64], title[128], sub[256];
	sc[n++] = (tz_sheet_col){tz_tr("village code", "村(区划代码)"), TZ_COL_CODE};
	for (int c = 0; c < ncols; c++)
		sc[n++] = (tz_sheet_col){cols[c].head, TZ_COL_NUM};
	sc[n++] = (tz_sheet_col){tz_tr("valid vacancies", "有效岗位数"), TZ_COL_NUM};
	sc[n++] = (tz_sheet_col){tz_tr("openings", "岗位招聘人数"), TZ_COL_NUM};
	sc[n++] = (tz_sheet_col){tz_tr("vacancies per job seeker", "求人倍率"), TZ_COL_NUM};
	sc[n++] = (tz_sheet_col){tz_tr("village name", "村名称"), TZ_COL_TEXT};
	tz_trf(title, sizeof title, "Monthly employment monitoring report %s", "就业动态监测月报 %s",
	    r->period);
	tz_trf(sub, sizeof sub, "%s %s, as at %s", "%s %s，数据截至 %s", r->name ? r->name : "",
	    r->region, r->asat);
	tz_sheet *s;
	tz_status st = tz_sheet_open(&s, fmt, f, path, title, sub, sc, n, err);
	if (st)
		return st;
	for (int i = 0; i <= r->nrows; i++) {
		const tz_report_row *row = i < r->nrows ? &r->rows[i] : &r->total;
		if (i == r->nrows)
			tz_sheet_total(s);
		tz_sheet_put(s, i < r->nrows ? row->region : tz_tr("Total", "合计"));
		for (int c = 0; c < ncols; c++) {
			cell(row, &cols[c], buf, sizeof buf, "");
			tz_sheet_put(s, buf);
		}
		if (i < r->nrows) {
			tz_sheet_put(s, "");
			tz_sheet_put(s, "");
			tz_sheet_put(s, "");
		} else {
			tz_sheet_putl(s, r->vacancies);
			tz_sheet_putl(s, r->openings);
			hundredths(tz_report_ratio100(r), buf, sizeof buf, "");
			tz_sheet_put(s, buf);
		}
		tz_sheet_put(s, i < r->nrows ? r->rows[i].name : "");
		tz_sheet_row(s);
	}
	return tz_sheet_close(s, err);
}
