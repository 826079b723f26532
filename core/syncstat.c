/* syncstat.c - who has sent what (syncstat.h): read from the keyring (the
 * devices enrolled here), the bundle table (what arrived, and when) and
 * the quarantine (what is held back, and why).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "layout.h"
#include "query.h"
#include "taizhang/buf.h"
#include "taizhang/date.h"
#include "taizhang/hex.h"
#include "taizhang/syncstat.h"

/* the month's bounds in ms since 1970 (local calendar days, as the PC keeps them) */
static void month_ms(const char *period, int64_t *from, int64_t *to)
{
	char d[32];
	snprintf(d, sizeof d, "%.7s-01", period);
	long first = tz_date_days(d);
	unsigned y = (unsigned)atoi(period) % 10000u, m = (unsigned)atoi(period + 5) % 13u;
	snprintf(d, sizeof d, "%04u-%02u-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	long next = tz_date_days(d);
	struct tm tm = {0};
	time_t t0 = (time_t)first * 86400;
	localtime_r(&t0, &tm);
	long off = tm.tm_gmtoff;
	*from = ((int64_t)first * 86400 - off) * 1000;
	*to = ((int64_t)next * 86400 - off) * 1000;
}

static int role_rank(const char *role)
{
	return !strcmp(role, "village") ? 0 : !strcmp(role, "township") ? 1 : 2;
}

static int cmp_row(const void *x, const void *y)
{
	const tz_syncstat_row *a = x, *b = y;
	int c = role_rank(a->role) - role_rank(b->role);
	if (c)
		return c;
	if ((c = strcmp(a->region, b->region)))
		return c;
	return strcmp(a->name, b->name);
}

/* What of origin arrived: changes 1..held unbroken, the highest, the gaps below it. */
static tz_status ranges(tz_db *db, tz_syncstat_row *r, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT first_seq, last_seq FROM bundle WHERE origin=?1"
				      " AND status='applied' ORDER BY first_seq");
	if (!st)
		return tz_db_fail(db, err, "bundle");
	sqlite3_bind_blob(st, 1, r->origin, 16, SQLITE_STATIC);
	uint64_t next = 1;
	size_t gl = 0;
	int broken = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t a = (uint64_t)sqlite3_column_int64(st, 0), b = (uint64_t)sqlite3_column_int64(st, 1);
		if (a > next) {
			if (!broken)
				r->held = next - 1;
			broken = 1;
			if (gl + 48 < sizeof r->gaps)
				gl += (size_t)snprintf(r->gaps + gl, sizeof r->gaps - gl, "%s%llu-%llu",
						       gl ? "," : "", (unsigned long long)next,
						       (unsigned long long)(a - 1));
			else if (gl + 4 < sizeof r->gaps && !strstr(r->gaps, "…"))
				gl += (size_t)snprintf(r->gaps + gl, sizeof r->gaps - gl, ",…");
		}
		if (b + 1 > next)
			next = b + 1;
		r->bundles++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "bundle");
	r->top = next - 1;
	if (!broken)
		r->held = r->top;
	return TZ_OK;
}

tz_status tz_syncstat_collect(tz_db *db, const char *period, tz_syncstat *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	snprintf(out->period, sizeof out->period, "%.7s", period);
	int64_t from, to;
	month_ms(period, &from, &to);
	sqlite3_stmt *q;
	/* one row per device: its latest key's name, role, region */
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT origin, name, role, region, revoked_after IS NOT NULL FROM keyring k"
			       " WHERE role <> 'escrow' AND added = (SELECT max(added) FROM keyring k2"
			       " WHERE k2.origin = k.origin) GROUP BY origin",
			       -1, &q, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "keyring");
	tz_status st = TZ_OK;
	size_t cap = 0;
	while (!st && sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_bytes(q, 0) != 16)
			continue;
		tz_syncstat_row *v = tz_buf_grow(out->rows, (size_t)out->n, &cap, sizeof *v);
		if (!v) {
			st = tz_nomem(err);
			break;
		}
		out->rows = v;
		tz_syncstat_row *r = &v[out->n++];
		memset(r, 0, sizeof *r);
		memcpy(r->origin, sqlite3_column_blob(q, 0), 16);
		snprintf(r->name, sizeof r->name, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(r->role, sizeof r->role, "%s", (const char *)sqlite3_column_text(q, 2));
		snprintf(r->region, sizeof r->region, "%s", (const char *)sqlite3_column_text(q, 3));
		r->revoked = sqlite3_column_int(q, 4);
		if ((st = ranges(db, r, err)))
			break;
		sqlite3_stmt *t = tz_db_stmt(db, "SELECT max(received), sum(received >= ?2 AND received < ?3)"
					     " FROM bundle WHERE origin=?1 AND status='applied'");
		if (!t) {
			st = tz_db_fail(db, err, "bundle");
			break;
		}
		sqlite3_bind_blob(t, 1, r->origin, 16, SQLITE_STATIC);
		sqlite3_bind_int64(t, 2, from);
		sqlite3_bind_int64(t, 3, to);
		if (sqlite3_step(t) == SQLITE_ROW) {
			r->last_ms = sqlite3_column_int64(t, 0);
			r->silent = sqlite3_column_int64(t, 1) == 0;
		}
		sqlite3_reset(t);
		sqlite3_stmt *h = tz_db_stmt(db, "SELECT sum(reason IS NULL), sum(reason IS NOT NULL AND"
					     " pending = 0), sum(pending <> 0) FROM quarantine WHERE origin=?1");
		if (!h) {
			st = tz_db_fail(db, err, "quarantine");
			break;
		}
		sqlite3_bind_blob(h, 1, r->origin, 16, SQLITE_STATIC);
		if (sqlite3_step(h) == SQLITE_ROW) {
			r->clock_held = (long)sqlite3_column_int64(h, 0);
			r->unauthorized = (long)sqlite3_column_int64(h, 1);
			r->waiting = (long)sqlite3_column_int64(h, 2);
		}
		sqlite3_reset(h);
		out->silent += r->silent;
	}
	sqlite3_finalize(q);
	if (st) {
		tz_syncstat_free(out);
		return st;
	}
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, cmp_row);
	return TZ_OK;
}

static void day_of(int64_t ms, char out[11])
{
	if (!ms) {
		snprintf(out, 11, "-");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

enum { C_ROLE, C_REGION, C_BUNDLES, C_LAST, C_HELD, C_GAPS, C_CLOCK, C_UNAUTH, C_WAIT, C_SILENT, NC };

static const struct {
	const char *en, *zh;
	int left;
} cols[NC] = {
	[C_ROLE] = {"role", "级别", 1},        [C_REGION] = {"region", "区划", 1},
	[C_BUNDLES] = {"bundles", "数据包", 0}, [C_LAST] = {"last received", "最近收到", 1},
	[C_HELD] = {"held 1-", "已收至", 0},    [C_GAPS] = {"missing", "缺少", 1},
	[C_CLOCK] = {"clock ahead", "时间超前", 0}, [C_UNAUTH] = {"outside authority", "超出权限", 0},
	[C_WAIT] = {"waiting", "待记录", 0},    [C_SILENT] = {"this month", "本月", 1},
};

static void cells_of(const tz_syncstat_row *r, char c[NC][256])
{
	snprintf(c[C_ROLE], 256, "%s", r->role);
	snprintf(c[C_REGION], 256, "%s", r->region);
	snprintf(c[C_BUNDLES], 256, "%ld", r->bundles);
	day_of(r->last_ms, c[C_LAST]);
	snprintf(c[C_HELD], 256, "%llu", (unsigned long long)r->held);
	snprintf(c[C_GAPS], 256, "%s", r->gaps[0] ? r->gaps : "-");
	snprintf(c[C_CLOCK], 256, "%ld", r->clock_held);
	snprintf(c[C_UNAUTH], 256, "%ld", r->unauthorized);
	snprintf(c[C_WAIT], 256, "%ld", r->waiting);
	snprintf(c[C_SILENT], 256, "%s",
		 r->revoked ? tz_tr("revoked", "已吊销")
			    : r->silent ? tz_tr("SILENT", "未报送") : tz_tr("sent", "已报送"));
}

tz_status tz_syncstat_text(const tz_syncstat *s, FILE *f, tz_err *err)
{
	char line[200];
	if (tz_lang_get() == TZ_LANG_ZH)
		snprintf(line, sizeof line, "数据报送情况，%s", s->period);
	else
		snprintf(line, sizeof line, "Who has sent what, %s", s->period);
	tz_layout_line(f, line);
	fputc('\n', f);
	char **keys = calloc((size_t)s->n + 1, sizeof *keys);
	char **cells = calloc(((size_t)s->n + 1) * NC, sizeof *cells);
	char (*buf)[NC][256] = calloc((size_t)s->n + 1, sizeof *buf);
	tz_tcol tc[NC];
	if (!keys || !cells || !buf) {
		free(keys);
		free(cells);
		free(buf);
		return tz_nomem(err);
	}
	for (int c = 0; c < NC; c++) {
		tc[c].head = tz_tr(cols[c].en, cols[c].zh);
		tc[c].left = cols[c].left;
	}
	for (int i = 0; i < s->n; i++) {
		keys[i] = (char *)s->rows[i].name;
		cells_of(&s->rows[i], buf[i]);
		for (int c = 0; c < NC; c++)
			cells[i * NC + c] = buf[i][c];
	}
	tz_layout_table(f, tz_tr("Device", "设备"), keys, s->n, tc, NC, cells, 0);
	fputc('\n', f);
	if (tz_lang_get() == TZ_LANG_ZH)
		snprintf(line, sizeof line, "%d/%d 台设备在 %s 未报送任何数据。", s->silent, s->n,
			 s->period);
	else
		snprintf(line, sizeof line, "%d of %d devices sent nothing in %s.", s->silent, s->n,
			 s->period);
	tz_layout_line(f, line);
	free(keys);
	free(cells);
	free(buf);
	return tz_query_written(f, err);
}

tz_status tz_syncstat_sheet(const tz_syncstat *s, tz_sheet_format fmt, FILE *f, const char *path,
			   tz_err *err)
{
	tz_sheet_col sc[2 + NC];
	sc[0] = (tz_sheet_col){tz_tr("device", "设备"), TZ_COL_TEXT};
	sc[1] = (tz_sheet_col){tz_tr("device id", "设备编号"), TZ_COL_CODE};
	for (int c = 0; c < NC; c++)
		sc[2 + c] = (tz_sheet_col){tz_tr(cols[c].en, cols[c].zh),
					   c == C_REGION ? TZ_COL_CODE : c == C_LAST ? TZ_COL_DATE
					   : cols[c].left ? TZ_COL_TEXT : TZ_COL_NUM};
	char title[128];
	tz_trf(title, sizeof title, "Sync %s", "数据同步 %s", s->period);
	tz_sheet *sh;
	tz_status st = tz_sheet_open(&sh, fmt, f, path, title, NULL, sc, 2 + NC, err);
	if (st)
		return st;
	for (int i = 0; i < s->n; i++) {
		char c[NC][256], id[33];
		cells_of(&s->rows[i], c);
		tz_hex_encode(s->rows[i].origin, 16, id);
		tz_sheet_put(sh, s->rows[i].name);
		tz_sheet_put(sh, id);
		for (int k = 0; k < NC; k++)
			tz_sheet_put(sh, c[k]);
		tz_sheet_row(sh);
	}
	return tz_sheet_close(sh, err);
}

void tz_syncstat_free(tz_syncstat *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n = 0;
}
