/* check.c - the integrity report: SQLite's own check, dangling references,
 * duplicate national IDs and other review items, clock anomalies,
 * quarantined changes, gaps in devices' histories. */
#include "taizhang/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/dump.h"
#include "taizhang/validate.h"

typedef struct {
	tz_finding_cb cb;
	void *ctx;
	int problems;
} checker;

static void finding(checker *c, const char *kind, const char *en, const char *zh, ...)
	__attribute__((format(printf, 3, 0), format(printf, 4, 0)));

static void finding(checker *c, const char *kind, const char *en, const char *zh, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, zh);
	vsnprintf(buf, sizeof buf, tz_tr(en, zh), ap);
	va_end(ap);
	c->problems++;
	c->cb(c->ctx, kind, buf);
}

static tz_status check_integrity(tz_db *db, checker *c, tz_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "integrity_check");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		if (m && strcmp(m, "ok"))
			finding(c, "integrity", "SQLite: %s", "SQLite：%s", m);
	}
	sqlite3_finalize(st);
	return TZ_OK;
}

static tz_status check_dangling(tz_db *db, checker *c, tz_err *err)
{
	char sql[512];
	for (int k = 0; k < tz_schema_ntables; k++) {
		const tz_table *t = tz_schema_tables[k];
		for (int i = 0; i < t->nfields; i++) {
			const tz_field *f = &t->fields[i];
			if (f->type != TZ_T_REF)
				continue;
			snprintf(sql, sizeof sql,
				 "SELECT a.id, a.\"%s\", b._deleted FROM \"%s\" a LEFT JOIN \"%s\" b"
				 " ON b.id = a.\"%s\" WHERE a._deleted = 0 AND a.\"%s\" IS NOT NULL"
				 " AND (b.id IS NULL OR b._deleted = 1) ORDER BY a.id",
				 f->name, t->name, f->ref, f->name, f->name);
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
				return tz_db_fail(db, err, t->name);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *id = (const char *)sqlite3_column_text(st, 0);
				const char *ref = (const char *)sqlite3_column_text(st, 1);
				int del = sqlite3_column_type(st, 2) != SQLITE_NULL;
				finding(c, "dangling", "%s %s: %s %s %s", "%s %s：%s %s %s",
					t->name, id, f->name, ref,
					del ? tz_tr("is deleted", "已删除") : tz_tr("is missing", "不存在"));
			}
			sqlite3_finalize(st);
		}
	}
	return TZ_OK;
}

static tz_status check_query(tz_db *db, checker *c, const char *kind, const char *sql,
			     const char *en, const char *zh, tz_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, kind);
	while (sqlite3_step(st) == SQLITE_ROW)
		finding(c, kind, en, zh, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return TZ_OK;
}

typedef struct {
	checker *c;
	uint8_t last[16];
	uint64_t next;
	int have;
} gap_walk;

static int gap_cb(void *ctx, const uint8_t origin[16], uint64_t first, uint64_t last)
{
	gap_walk *g = ctx;
	char hex[33];
	if (!g->have || memcmp(g->last, origin, 16)) {
		memcpy(g->last, origin, 16);
		g->have = 1;
		g->next = 1;
	}
	if (first > g->next) {
		tz_hex_encode(origin, 16, hex);
		finding(g->c, "gap", "device %s: changes %llu-%llu are missing",
			"设备 %s：缺少变更 %llu-%llu", hex, (unsigned long long)g->next,
			(unsigned long long)(first - 1));
	}
	g->next = last + 1;
	return 0;
}

tz_status tz_check(tz_db *db, tz_finding_cb cb, void *ctx, int *problems, tz_err *err)
{
	checker c = {cb, ctx, 0};
	tz_status st;
	if ((st = check_integrity(db, &c, err)) || (st = check_dangling(db, &c, err)))
		return st;
	if ((st = check_query(db, &c, "duplicate_id",
			      "SELECT id_number, group_concat(id, ',') FROM"
			      " (SELECT id_number, id FROM person WHERE _deleted = 0 AND"
			      "  id_number IS NOT NULL ORDER BY id)"
			      " GROUP BY id_number HAVING count(*) > 1 ORDER BY id_number",
			      "ID number %s is registered more than once: %s",
			      "身份证号 %s 重复登记：%s", err)))
		return st;
	if ((st = check_query(db, &c, "open_cases",
			      "SELECT person, group_concat(id, ',') FROM"
			      " (SELECT person, id FROM aid_case WHERE _deleted = 0 AND"
			      "  status <> 'closed' ORDER BY id)"
			      " GROUP BY person HAVING count(*) > 1 ORDER BY person",
			      "person %s has more than one open aid case: %s",
			      "人员 %s 有多个未结援助案例：%s", err)))
		return st;
	int64_t wall = tz_clock_ms(), last = TZ_HLC_WALL(db->hlc);
	if (last > wall + 60000) {
		char when[11];
		tz_date_from_days((long)(last / 86400000), when);
		finding(&c, "clock",
			"the system clock is behind the last recorded change (%s): check the date",
			"系统时间早于最后一次记录的时间（%s）：请检查电脑日期", when);
	}
	if ((st = check_query(db, &c, "quarantine",
			      "SELECT count(*), min(seq) FROM quarantine WHERE reason IS NULL HAVING count(*) > 0",
			      "%s changes held back because their clock is far ahead (first seq %s)",
			      "%s 条变更因时间超前被隔离（首个序号 %s）", err)))
		return st;
	if ((st = check_query(db, &c, "waiting",
			      "SELECT count(*), min(seq) FROM quarantine WHERE pending = 1 HAVING count(*) > 0",
			      "%s changes wait for the records they change, not received yet (first seq %s)",
			      "%s 条变更所修改的记录尚未收到，暂缓应用（首个序号 %s）", err)))
		return st;
	if ((st = check_query(db, &c, "review",
			      "SELECT kind, tbl || ' ' || row || coalesce(' ' || other, '') ||"
			      " coalesce(': ' || detail, '') FROM review WHERE resolved = 0 ORDER BY id",
			      "to review (%s): %s", "待核查（%s）：%s", err)))
		return st;
	gap_walk g = {.c = &c};
	if ((st = tz_oplog_ranges(db, gap_cb, &g, err)))
		return st;
	*problems = c.problems;
	return TZ_OK;
}
