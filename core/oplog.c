/* oplog.c - the change log, the hybrid logical clock and the merge fold.
 *
 * State row layout (every replicated table): id, _deleted, _hlc, _origin,
 * _v, then the fields.  (_hlc, _origin) is the row's base version: the
 * version of every column not listed in _v.  _v lists the columns whose
 * version differs: repeated varint (field, hlc, origin index), sorted by
 * field.  A row created by one whole-row op therefore carries no _v at all.
 *
 * Merge rule: a column takes an op's value iff (op hlc, op origin id) is
 * greater than the column's current version, origins compared by their
 * 16-byte ids.  That order is total, so the fold is independent of the
 * order in which ops arrive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "taizhang/validate.h"

void tz_oplog_data_null(tz_buf *b, int field)
{
	tz_buf_varint(b, (uint64_t)field);
	uint8_t t = TZ_VAL_NULL;
	tz_buf_put(b, &t, 1);
}

void tz_oplog_data_int(tz_buf *b, int field, int64_t v)
{
	tz_buf_varint(b, (uint64_t)field);
	uint8_t t = TZ_VAL_INT;
	tz_buf_put(b, &t, 1);
	tz_buf_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void tz_oplog_data_text(tz_buf *b, int field, const char *s, size_t len)
{
	tz_buf_varint(b, (uint64_t)field);
	uint8_t t = TZ_VAL_TEXT;
	tz_buf_put(b, &t, 1);
	tz_buf_varint(b, len);
	tz_buf_put(b, s, len);
}

int tz_oplog_data_next(const uint8_t *data, size_t len, size_t *pos, tz_colval *cv)
{
	uint64_t f, v;
	if (*pos >= len)
		return 0;
	if (tz_buf_varint_get(data, len, pos, &f) || f > 1000 || *pos >= len)
		return -1;
	cv->field = (int)f;
	cv->tag = data[(*pos)++];
	cv->s = NULL;
	cv->len = 0;
	cv->i = 0;
	switch (cv->tag) {
	case TZ_VAL_NULL:
		return 1;
	case TZ_VAL_INT:
		if (tz_buf_varint_get(data, len, pos, &v))
			return -1;
		cv->i = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
		return 1;
	case TZ_VAL_TEXT:
		if (tz_buf_varint_get(data, len, pos, &v) || v > len - *pos)
			return -1;
		cv->s = (const char *)data + *pos;
		cv->len = (size_t)v;
		*pos += (size_t)v;
		return 1;
	default:
		return -1;
	}
}

int tz_oplog_data_valid(int table, const uint8_t *data, size_t len)
{
	if (table < 0 || table >= tz_schema_ntables)
		return 0;
	const tz_table *t = tz_schema_tables[table];
	uint8_t seen[128] = {0};
	size_t pos = 0;
	tz_colval cv;
	int r;
	while ((r = tz_oplog_data_next(data, len, &pos, &cv)) == 1) {
		if (cv.field > t->nfields || seen[cv.field])
			return 0;
		seen[cv.field] = 1;
		if (cv.tag == TZ_VAL_NULL)
			continue;
		if (cv.field == TZ_FIELD_DELETED) {
			if (cv.tag != TZ_VAL_INT || (cv.i != 0 && cv.i != 1))
				return 0;
			continue;
		}
		const tz_field *f = &t->fields[cv.field - 1];
		if (tz_schema_field_is_int(f) != (cv.tag == TZ_VAL_INT))
			return 0;
		if (cv.tag == TZ_VAL_TEXT &&
		    (cv.len > 65536 || !tz_utf8_valid(cv.s, cv.len) || memchr(cv.s, 0, cv.len)))
			return 0;
	}
	return r == 0;
}

uint64_t tz_oplog_hlc_last(tz_db *db) { return db->hlc; }

uint64_t tz_oplog_hlc_now(tz_db *db)
{
	uint64_t wall = TZ_HLC_MAKE(tz_clock_ms(), 0);
	db->hlc = wall > db->hlc ? wall : db->hlc + 1;
	db->clock_dirty = 1;
	return db->hlc;
}

/* ---- the fold ---- */

typedef struct {
	uint64_t hlc;
	int64_t origin;
} version;

#define MAXF 64

static int version_cmp(tz_db *db, uint64_t ah, int64_t ao, uint64_t bh, int64_t bo)
{
	if (ah != bh)
		return ah < bh ? -1 : 1;
	if (ao == bo)
		return 0;
	/* a copy: the second lookup may reload the cache the first points into */
	uint8_t a[16];
	memcpy(a, tz_db_origin_id(db, ao), 16);
	return memcmp(a, tz_db_origin_id(db, bo), 16);
}

static int decode_versions(const uint8_t *v, size_t len, version *ver, int n)
{
	size_t pos = 0;
	while (pos < len) {
		uint64_t f, h, o;
		if (tz_buf_varint_get(v, len, &pos, &f) || tz_buf_varint_get(v, len, &pos, &h) ||
		    tz_buf_varint_get(v, len, &pos, &o) || f > (uint64_t)n)
			return -1;
		ver[f].hlc = h;
		ver[f].origin = (int64_t)o;
	}
	return 0;
}

static void bind_col(sqlite3_stmt *st, int idx, const tz_colval *cv)
{
	switch (cv->tag) {
	case TZ_VAL_INT:
		sqlite3_bind_int64(st, idx, cv->i);
		break;
	case TZ_VAL_TEXT:
		sqlite3_bind_text(st, idx, cv->s, (int)cv->len, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_null(st, idx);
	}
}

/* Fold one op into the state.  origin_idx is the op's origin locally. */
static tz_status fold(tz_db *db, const tz_op *op, int64_t origin_idx, tz_err *err)
{
	const tz_table *t = tz_schema_tables[op->table];
	int n = t->nfields;
	tz_colval opv[MAXF + 1];
	char present[MAXF + 1] = {0};
	char idhex[33];
	size_t pos = 0;
	tz_colval cv;
	int r;

	if (n > MAXF)
		return tz_fail(err, TZ_EINVAL, "table too wide", "表字段过多");
	if (op->flags & TZ_OP_FULL) {
		for (int i = 0; i <= n; i++) {
			memset(&opv[i], 0, sizeof opv[i]);
			opv[i].field = i;
			opv[i].tag = i == 0 ? TZ_VAL_INT : TZ_VAL_NULL;
			present[i] = 1;
		}
	}
	while ((r = tz_oplog_data_next(op->data, op->len, &pos, &cv)) == 1) {
		if (cv.field > n)
			return tz_fail(err, TZ_EINVAL, "malformed change", "变更数据格式错误");
		opv[cv.field] = cv;
		present[cv.field] = 1;
	}
	if (r < 0)
		return tz_fail(err, TZ_EINVAL, "malformed change", "变更数据格式错误");
	if (present[0] && opv[0].tag == TZ_VAL_NULL) { /* deleted is never empty */
		opv[0].tag = TZ_VAL_INT;
		opv[0].i = 0;
	}
	tz_hex_encode(op->row, 16, idhex);

	sqlite3_stmt *sel = tz_db_stmt(db, tz_db_sql_select_row(op->table));
	if (!sel)
		return tz_db_fail(db, err, t->name);
	sqlite3_bind_text(sel, 1, idhex, 32, SQLITE_STATIC);
	int rc = sqlite3_step(sel);
	if (rc == SQLITE_DONE) {
		/* fast path: a row never seen */
		tz_status sst = tz_search_touch(db, op->table, idhex, 0, err);
		if (sst)
			return sst;
		sqlite3_stmt *ins = tz_db_stmt(db, tz_db_sql_insert_row(op->table));
		tz_buf vb = {0};
		if (!ins)
			return tz_db_fail(db, err, t->name);
		sqlite3_bind_text(ins, 1, idhex, 32, SQLITE_STATIC);
		if (op->flags & TZ_OP_FULL) {
			sqlite3_bind_int64(ins, 3, (sqlite3_int64)op->hlc);
			sqlite3_bind_int64(ins, 4, origin_idx);
			sqlite3_bind_null(ins, 5);
		} else {
			sqlite3_bind_int64(ins, 3, 0);
			sqlite3_bind_int64(ins, 4, 0);
			for (int i = 0; i <= n; i++) {
				if (!present[i])
					continue;
				tz_buf_varint(&vb, (uint64_t)i);
				tz_buf_varint(&vb, op->hlc);
				tz_buf_varint(&vb, (uint64_t)origin_idx);
			}
			if (vb.failed)
				return tz_nomem(err);
			sqlite3_bind_blob(ins, 5, vb.buf, (int)vb.len, SQLITE_STATIC);
		}
		if (present[0])
			bind_col(ins, 2, &opv[0]);
		else
			sqlite3_bind_int(ins, 2, 0);
		for (int i = 1; i <= n; i++)
			if (present[i])
				bind_col(ins, i + 5, &opv[i]);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		tz_buf_free(&vb);
		return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, t->name);
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(sel);
		return tz_db_fail(db, err, t->name);
	}

	/* existing row: per-column last writer wins */
	version ver[MAXF + 1];
	uint64_t base_hlc = (uint64_t)sqlite3_column_int64(sel, 1);
	int64_t base_origin = sqlite3_column_int64(sel, 2);
	for (int i = 0; i <= n; i++) {
		ver[i].hlc = base_hlc;
		ver[i].origin = base_origin;
	}
	if (decode_versions(sqlite3_column_blob(sel, 3), (size_t)sqlite3_column_bytes(sel, 3),
			    ver, n) < 0) {
		sqlite3_reset(sel);
		return tz_fail(err, TZ_EDB, "damaged version data in %s", "%s 的版本数据已损坏",
			       t->name);
	}
	int changed = 0;
	tz_colval cur[MAXF + 1];
	for (int i = 0; i <= n; i++) {
		int col = i == 0 ? 0 : i + 3;
		cur[i].field = i;
		switch (sqlite3_column_type(sel, col)) {
		case SQLITE_INTEGER:
			cur[i].tag = TZ_VAL_INT;
			cur[i].i = sqlite3_column_int64(sel, col);
			break;
		case SQLITE_NULL:
			cur[i].tag = TZ_VAL_NULL;
			break;
		default:
			cur[i].tag = TZ_VAL_TEXT;
			cur[i].s = (const char *)sqlite3_column_text(sel, col);
			cur[i].len = (size_t)sqlite3_column_bytes(sel, col);
		}
		if (!present[i])
			continue;
		if (version_cmp(db, op->hlc, origin_idx, ver[i].hlc, ver[i].origin) > 0) {
			cur[i] = opv[i];
			ver[i].hlc = op->hlc;
			ver[i].origin = origin_idx;
			changed = 1;
		}
	}
	/* the base version is the row's creator (core/authority.c): the
	 * earliest whole-row op, whatever order the ops came in */
	uint64_t nb_hlc = base_hlc;
	int64_t nb_origin = base_origin;
	if ((op->flags & TZ_OP_FULL) &&
	    (!base_hlc || version_cmp(db, op->hlc, origin_idx, base_hlc, base_origin) < 0)) {
		nb_hlc = op->hlc;
		nb_origin = origin_idx;
		changed = 1;
	}
	if (!changed) {
		sqlite3_reset(sel);
		return TZ_OK;
	}
	tz_status sst = tz_search_touch(db, op->table, idhex, 1, err);
	if (sst) {
		sqlite3_reset(sel);
		return sst;
	}
	tz_buf vb = {0};
	for (int i = 0; i <= n; i++) {
		if (ver[i].hlc == nb_hlc && ver[i].origin == nb_origin)
			continue;
		tz_buf_varint(&vb, (uint64_t)i);
		tz_buf_varint(&vb, ver[i].hlc);
		tz_buf_varint(&vb, (uint64_t)ver[i].origin);
	}
	sqlite3_stmt *upd = tz_db_stmt(db, tz_db_sql_update_row(op->table));
	if (!upd || vb.failed) {
		sqlite3_reset(sel);
		tz_buf_free(&vb);
		return tz_db_fail(db, err, t->name);
	}
	sqlite3_bind_text(upd, 1, idhex, 32, SQLITE_STATIC);
	bind_col(upd, 2, &cur[0]);
	sqlite3_bind_int64(upd, 3, (sqlite3_int64)nb_hlc);
	sqlite3_bind_int64(upd, 4, nb_origin);
	if (vb.len)
		sqlite3_bind_blob(upd, 5, vb.buf, (int)vb.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(upd, 5);
	for (int i = 1; i <= n; i++)
		bind_col(upd, i + 5, &cur[i]);
	rc = sqlite3_step(upd);
	sqlite3_reset(upd);
	sqlite3_clear_bindings(upd);
	sqlite3_reset(sel);
	tz_buf_free(&vb);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, t->name);
}

static tz_status log_append(tz_db *db, const tz_op *op, int64_t origin_idx, int *dup, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT OR IGNORE INTO op(origin, seq, hlc, tbl, row, flags, data)"
				       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return tz_db_fail(db, err, "op");
	sqlite3_bind_int64(st, 1, origin_idx);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)op->hlc);
	sqlite3_bind_int(st, 4, op->table);
	sqlite3_bind_blob(st, 5, op->row, 16, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, (int)op->flags);
	sqlite3_bind_blob(st, 7, op->data ? (const void *)op->data : "", (int)op->len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "op");
	*dup = sqlite3_changes(db->sql) == 0;
	return TZ_OK;
}

/* An op already in the log must be the same op: two different ops under
 * one (origin, seq) are evidence that the origin equivocated (a fork). */
static tz_status same_as_logged(tz_db *db, const tz_op *op, int64_t origin_idx, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT hlc, tbl, row, flags, data FROM op"
				       " WHERE origin=?1 AND seq=?2");
	if (!st)
		return tz_db_fail(db, err, "op");
	sqlite3_bind_int64(st, 1, origin_idx);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	int same = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		same = (uint64_t)sqlite3_column_int64(st, 0) == op->hlc &&
		       sqlite3_column_int(st, 1) == op->table &&
		       sqlite3_column_bytes(st, 2) == 16 &&
		       !memcmp(sqlite3_column_blob(st, 2), op->row, 16) &&
		       (unsigned)sqlite3_column_int(st, 3) == op->flags &&
		       (size_t)sqlite3_column_bytes(st, 4) == op->len &&
		       (op->len == 0 || !memcmp(sqlite3_column_blob(st, 4), op->data, op->len));
	sqlite3_reset(st);
	if (!same)
		return tz_fail(err, TZ_EREFUSED,
			       "change %llu of this device differs from the one already recorded (fork)",
			       "该设备的第 %llu 条变更与已记录的不同（分叉）",
			       (unsigned long long)op->seq);
	return TZ_OK;
}

int tz_oplog_holds(tz_db *db, const tz_op *op)
{
	int64_t idx = tz_db_origin_idx(db, op->origin, 0);
	tz_err e;
	return idx > 0 && same_as_logged(db, op, idx, &e) == TZ_OK;
}

tz_status tz_oplog_local(tz_db *db, int table, const uint8_t row[16], unsigned flags,
			 const uint8_t *data, size_t len, tz_err *err)
{
	if (!db->has_identity)
		return tz_fail(err, TZ_EUSAGE, "this database has no identity: run 'taizhang init'",
			       "数据库尚未初始化：请运行 taizhang init");
	if (db->depth == 0)
		return tz_fail(err, TZ_EDB, "internal: write outside a transaction",
			       "内部错误：事务外写入");
	tz_op op = {.seq = db->seq + 1, .hlc = tz_oplog_hlc_now(db), .table = table, .flags = flags,
		    .data = data, .len = len};
	memcpy(op.origin, db->origin, 16);
	memcpy(op.row, row, 16);
	int dup;
	tz_status st = log_append(db, &op, db->origin_idx, &dup, err);
	if (st)
		return st;
	if (dup)
		return tz_fail(err, TZ_EDB, "the change log already holds seq %llu",
			       "变更日志中已有序号 %llu", (unsigned long long)op.seq);
	db->seq = op.seq;
	db->clock_dirty = 1;
	return fold(db, &op, db->origin_idx, err);
}

/* An op outside its signer's authority: held (the quarantine table, with
 * the reason) and listed for review, one item per record and device.
 * pending: whose record it changes cannot be told until that record
 * arrives; checked again after every import (tz_oplog_recheck). */
tz_status tz_oplog_hold(tz_db *db, const tz_op *op, const tz_authority *a, const char *why,
		       int pending, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT INTO quarantine(origin, seq, hlc, tbl,"
					  " row, flags, data, received, reason, pending, auth_role,"
					  " auth_region) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
					  " ON CONFLICT(origin, seq) DO UPDATE SET reason = excluded.reason,"
					  " pending = excluded.pending");
	if (!st)
		return tz_db_fail(db, err, "quarantine");
	int64_t now = tz_clock_ms();
	sqlite3_bind_blob(st, 1, op->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)op->hlc);
	sqlite3_bind_int(st, 4, op->table);
	sqlite3_bind_blob(st, 5, op->row, 16, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, (int)op->flags);
	sqlite3_bind_blob(st, 7, op->len ? (const void *)op->data : "", (int)op->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	if (why)
		sqlite3_bind_text(st, 9, why, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, pending);
	if (a) {
		sqlite3_bind_int(st, 11, a->role);
		sqlite3_bind_text(st, 12, a->region, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "quarantine");
	return TZ_OK;
}

static tz_status hold(tz_db *db, const tz_op *op, const tz_authority *a, const char *why,
		      int pending, tz_err *err)
{
	tz_status st0 = tz_oplog_hold(db, op, a, why, pending, err);
	if (st0)
		return st0;
	sqlite3_stmt *st;
	int rc;
	if (pending)
		return TZ_OK; /* waits for its record; no one need look at it */
	char row[33], o[33], detail[400];
	tz_hex_encode(op->row, 16, row);
	tz_hex_encode(op->origin, 16, o);
	snprintf(detail, sizeof detail, "%s %llu: %s", tz_tr("change", "变更"),
		 (unsigned long long)op->seq, why);
	if (!(st = tz_db_stmt(db, "INSERT INTO review(kind, tbl, row, other, detail, created)"
				  " VALUES('unauthorized', ?1, ?2, ?3, ?4, ?5)"
				  " ON CONFLICT(kind, tbl, row, other) DO UPDATE SET resolved = 0,"
				  " detail = excluded.detail")))
		return tz_db_fail(db, err, "review");
	sqlite3_bind_text(st, 1, tz_schema_tables[op->table]->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, o, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, tz_clock_ms());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, "review");
}

/* One op to fold, with its origin's local index and its place in the
 * caller's order. */
typedef struct {
	const tz_op *op;
	int64_t idx;
	size_t k;
} pending;

/* By table and row, then in the caller's order: the fold of one row sees
 * its ops in the order given, and the B-trees are written front to back. */
static int pending_cmp(const void *x, const void *y)
{
	const pending *a = x, *b = y;
	if (a->op->table != b->op->table)
		return a->op->table < b->op->table ? -1 : 1;
	int c = memcmp(a->op->row, b->op->row, 16);
	if (c)
		return c;
	return a->k < b->k ? -1 : a->k > b->k;
}

tz_status tz_oplog_apply(tz_db *db, const tz_op *ops, size_t n, size_t *applied, tz_err *err)
{
	size_t count = 0;
	int64_t last_idx = 0;
	uint8_t last_origin[16];
	tz_status st = TZ_OK;
	if (db->depth == 0)
		return tz_fail(err, TZ_EDB, "internal: apply outside a transaction",
			       "内部错误：事务外写入");
	pending *todo = n ? malloc(n * sizeof *todo) : NULL;
	if (n && !todo)
		return tz_nomem(err);
	/* the log first, in the given order (it is keyed by origin and seq) */
	for (size_t k = 0; k < n; k++) {
		const tz_op *op = &ops[k];
		if (op->seq == 0 || op->hlc == 0 || op->hlc > (uint64_t)INT64_MAX ||
		    op->seq > (uint64_t)INT64_MAX ||
		    !tz_oplog_data_valid(op->table, op->data, op->len)) {
			st = tz_fail(err, TZ_EINVAL, "malformed change (seq %llu)",
				     "变更数据格式错误（序号 %llu）", (unsigned long long)op->seq);
			goto out;
		}
		if (!last_idx || memcmp(last_origin, op->origin, 16)) {
			last_idx = tz_db_origin_idx(db, op->origin, 1);
			if (!last_idx) {
				st = tz_db_fail(db, err, "origin");
				goto out;
			}
			memcpy(last_origin, op->origin, 16);
		}
		int dup;
		if ((st = log_append(db, op, last_idx, &dup, err)))
			goto out;
		if (dup) {
			if ((st = same_as_logged(db, op, last_idx, err)))
				goto out;
			continue;
		}
		todo[count].op = op;
		todo[count].idx = last_idx;
		todo[count].k = k;
		count++;
	}
	/* then the fold, row by row: it does not depend on the order of
	 * different rows (tests/unit/test_merge.c) */
	if (count > 1)
		qsort(todo, count, sizeof *todo, pending_cmp);
	size_t denied = 0;
	for (size_t i = 0; i < count; i++) {
		const tz_op *op = todo[i].op;
		if (db->auth_on && todo[i].idx != db->origin_idx) {
			char why[300];
			int d = tz_authority_check(db, &db->auth, op, todo[i].idx, why, sizeof why);
			if (d < 0) {
				st = tz_db_fail(db, err, "authority");
				goto out;
			}
			if (d) {
				if ((st = hold(db, op, &db->auth, why, d == 2, err)))
					goto out;
				denied++;
				db->waiting += d == 2;
				continue; /* logged, not folded: neither the state nor the clock moves */
			}
		}
		if ((st = fold(db, op, todo[i].idx, err)))
			goto out;
		if (op->hlc > db->hlc) {
			db->hlc = op->hlc;
			db->clock_dirty = 1;
		}
		if (todo[i].idx == db->origin_idx && op->seq > db->seq) {
			db->seq = op->seq; /* our own ops coming back after a restore */
			db->clock_dirty = 1;
		}
	}
	db->denied += denied;
	if (applied)
		*applied = count - denied;
out:
	free(todo);
	return st;
}

int tz_oplog_held_op(sqlite3_stmt *st, tz_op *op)
{
	if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 4) != 16)
		return -1;
	memcpy(op->origin, sqlite3_column_blob(st, 0), 16);
	op->seq = (uint64_t)sqlite3_column_int64(st, 1);
	op->hlc = (uint64_t)sqlite3_column_int64(st, 2);
	op->table = sqlite3_column_int(st, 3);
	memcpy(op->row, sqlite3_column_blob(st, 4), 16);
	op->flags = (unsigned)sqlite3_column_int(st, 5);
	op->data = sqlite3_column_blob(st, 6);
	op->len = (size_t)sqlite3_column_bytes(st, 6);
	return op->table < 0 || op->table >= tz_schema_ntables ||
			       !tz_oplog_data_valid(op->table, op->data, op->len)
		       ? -1
		       : 0;
}

/* 1 if the keyring no longer lets the device sign change seq: it holds
 * keys for it, none of them live for seq; -1 on a database error. */
static int revoked_for(tz_db *db, const uint8_t origin[16], uint64_t seq)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT EXISTS(SELECT 1 FROM keyring WHERE origin = ?1)"
					  " AND NOT EXISTS(SELECT 1 FROM keyring WHERE origin = ?1"
					  " AND (revoked_after IS NULL OR revoked_after >= ?2))");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, origin, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	int rc = sqlite3_step(st), r = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return r;
}

tz_status tz_oplog_recheck(tz_db *db, size_t *applied, tz_err *err)
{
	sqlite3_stmt *st;
	tz_status s = TZ_OK;
	*applied = 0;
	if (db->depth == 0)
		return tz_fail(err, TZ_EDB, "internal: recheck outside a transaction",
			       "内部错误：事务外写入");
	tz_authority_forget(db);
	/* parents before children: the tables are in that order */
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT origin, seq, hlc, tbl, row, flags, data, auth_role, auth_region"
			       " FROM quarantine WHERE pending = 1 ORDER BY tbl, hlc, origin",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "quarantine");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tz_op op;
		if (tz_oplog_held_op(st, &op))
			continue;
		int64_t idx = tz_db_origin_idx(db, op.origin, 0);
		/* the authority its key had when it came; a key revoked for it
		 * since lets it wait for ever (`check` lists it) */
		tz_authority a = {.role = sqlite3_column_int(st, 7)};
		const unsigned char *ar = sqlite3_column_text(st, 8);
		snprintf(a.region, sizeof a.region, "%s", ar ? (const char *)ar : "");
		int k = idx ? revoked_for(db, op.origin, op.seq) : 1;
		if (k < 0) {
			s = tz_db_fail(db, err, "keyring");
			break;
		}
		if (k)
			continue;
		char why[300];
		int d = tz_authority_check(db, &a, &op, idx, why, sizeof why);
		if (d < 0) {
			s = tz_db_fail(db, err, "authority");
			break;
		}
		if (d == 2)
			continue; /* still waiting */
		if (d == 1) {
			if ((s = hold(db, &op, &a, why, 0, err)))
				break;
			continue;
		}
		sqlite3_stmt *del = tz_db_stmt(db, "DELETE FROM quarantine WHERE origin = ?1 AND seq = ?2");
		if (!del) {
			s = tz_db_fail(db, err, "quarantine");
			break;
		}
		sqlite3_bind_blob(del, 1, op.origin, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int64(del, 2, (sqlite3_int64)op.seq);
		rc = sqlite3_step(del);
		sqlite3_reset(del);
		if (rc != SQLITE_DONE) {
			s = tz_db_fail(db, err, "quarantine");
			break;
		}
		if ((s = fold(db, &op, idx, err)))
			break;
		if (op.hlc > db->hlc) {
			db->hlc = op.hlc;
			db->clock_dirty = 1;
		}
		(*applied)++;
	}
	if (!s && rc != SQLITE_DONE && rc != SQLITE_ROW)
		s = tz_db_fail(db, err, "quarantine");
	sqlite3_finalize(st);
	tz_authority_forget(db);
	return s;
}

void tz_oplog_authority(tz_db *db, const tz_authority *a)
{
	db->auth_on = a != NULL;
	tz_authority_forget(db);
	if (a)
		db->auth = *a;
	db->denied = db->waiting = 0;
}

size_t tz_oplog_denied(tz_db *db) { return db->denied - db->waiting; }
size_t tz_oplog_waiting(tz_db *db) { return db->waiting; }

tz_status tz_oplog_read(tz_db *db, const uint8_t origin[16], uint64_t from, uint64_t to,
			tz_op_cb cb, void *ctx, tz_err *err)
{
	int64_t idx = tz_db_origin_idx(db, origin, 0);
	if (!idx)
		return TZ_OK;
	/* not cached: the callback may itself use cached statements */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT seq, hlc, tbl, row, flags, data FROM op"
			       " WHERE origin=?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "op");
	sqlite3_bind_int64(st, 1, idx);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(to > (uint64_t)INT64_MAX ? INT64_MAX : to));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tz_op op;
		memcpy(op.origin, origin, 16);
		op.seq = (uint64_t)sqlite3_column_int64(st, 0);
		op.hlc = (uint64_t)sqlite3_column_int64(st, 1);
		op.table = sqlite3_column_int(st, 2);
		if (sqlite3_column_bytes(st, 3) != 16)
			continue;
		memcpy(op.row, sqlite3_column_blob(st, 3), 16);
		op.flags = (unsigned)sqlite3_column_int(st, 4);
		op.data = sqlite3_column_blob(st, 5);
		op.len = (size_t)sqlite3_column_bytes(st, 5);
		if (cb(ctx, &op))
			break;
	}
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(st);
	return bad ? tz_db_fail(db, err, "op") : TZ_OK;
}

tz_status tz_oplog_ranges(tz_db *db, tz_range_cb cb, void *ctx, tz_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT o.id, min(seq), max(seq) FROM"
			       " (SELECT origin, seq, seq - row_number() OVER"
			       "  (PARTITION BY origin ORDER BY seq) AS g FROM op)"
			       " JOIN origin o ON o.idx = origin"
			       " GROUP BY origin, g ORDER BY o.id, min(seq)",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "op");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != 16)
			continue;
		if (cb(ctx, sqlite3_column_blob(st, 0), (uint64_t)sqlite3_column_int64(st, 1),
		       (uint64_t)sqlite3_column_int64(st, 2)))
			break;
	}
	int bad = rc != SQLITE_ROW && rc != SQLITE_DONE;
	sqlite3_finalize(st);
	return bad ? tz_db_fail(db, err, "op") : TZ_OK;
}

uint64_t tz_oplog_high_water(tz_db *db, const uint8_t origin[16])
{
	int64_t idx = tz_db_origin_idx(db, origin, 0);
	if (!idx)
		return 0;
	/* this device's own ops are gapless by construction */
	if (db->has_identity && idx == db->origin_idx && db->seq)
		return db->seq;
	/* the first seq s such that s + 1 is missing, counting from 1 */
	sqlite3_stmt *st = tz_db_stmt(db,
				   "SELECT CASE WHEN NOT EXISTS(SELECT 1 FROM op WHERE origin=?1 AND seq=1)"
				   " THEN 0 ELSE (SELECT min(a.seq) FROM op a WHERE a.origin=?1 AND"
				   " NOT EXISTS(SELECT 1 FROM op b WHERE b.origin=?1 AND b.seq=a.seq+1))"
				   " END");
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, idx);
	uint64_t r = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		r = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r;
}
