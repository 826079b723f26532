/* oplog.h - the replicated change log and its merge.
 *
 * Every change to a replicated table is an op: one row change from one
 * origin device, with that device's gapless seq, a hybrid logical clock
 * value and the changed columns.  State is the per-column last-writer-wins
 * fold of all ops on (hlc, origin id); deletion is field 0 (a tombstone),
 * so delete and undelete merge like any other column.
 */
#ifndef TAIZHANG_OPLOG_H
#define TAIZHANG_OPLOG_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/buf.h"
#include "taizhang/clock.h"
#include "taizhang/err.h"
#include "taizhang/db.h"

/* Field 0 of every table is the deleted flag; schema fields are 1..n. */
#define TZ_FIELD_DELETED 0

/* An HLC value: wall-clock milliseconds << 16 | logical counter. */
#define TZ_HLC_WALL(h) ((int64_t)((h) >> 16))
#define TZ_HLC_MAKE(ms, c) (((uint64_t)(ms) << 16) | (uint64_t)(c))

enum {
	TZ_OP_FULL = 1 << 0, /* a whole row: fields absent from data are empty */
};

typedef struct tz_op {
	uint8_t origin[16];
	uint64_t seq;
	uint64_t hlc;
	int table;          /* index into tz_schema_tables */
	uint8_t row[16];
	unsigned flags;
	const uint8_t *data; /* packed columns, see tz_opdata_* */
	size_t len;
} tz_op;

/* Packed column data: repeated (varint field, tag, payload) with tag
 * 0 = empty, 1 = integer (zigzag varint), 2 = text (varint length, bytes). */
enum { TZ_VAL_NULL = 0, TZ_VAL_INT = 1, TZ_VAL_TEXT = 2 };
typedef struct {
	int field;
	int tag;
	int64_t i;
	const char *s;
	size_t len;
} tz_colval;

void tz_oplog_data_null(tz_buf *b, int field);
void tz_oplog_data_int(tz_buf *b, int field, int64_t v);
void tz_oplog_data_text(tz_buf *b, int field, const char *s, size_t len);

/* Walk packed column data.  Returns 1 with *cv filled, 0 at the end, -1 on
 * malformed data.  *pos starts at 0. */
int tz_oplog_data_next(const uint8_t *data, size_t len, size_t *pos, tz_colval *cv);
/* Check that data is well formed for table t (field numbers in range, no
 * duplicates, types match).  Used on every op from outside. */
int tz_oplog_data_valid(int table, const uint8_t *data, size_t len);

/* Varints (LEB128). */
int tz_buf_varint_get(const uint8_t *p, size_t len, size_t *pos, uint64_t *v);

/* Record a local change: assign seq and hlc, append to the log and fold
 * into the state, inside the caller's transaction. */
tz_status tz_oplog_local(tz_db *db, int table, const uint8_t row[16], unsigned flags,
			 const uint8_t *data, size_t len, tz_err *err);

/* Apply foreign ops (from a bundle): each op not already present is appended
 * to the log (in the order given) and folded into its row (sorted by table
 * and row, each row's ops in the order given: larger batches write the
 * tables front to back).  Runs inside the caller's transaction.  *applied
 * counts the ops that were new.  The local clock advances past every op
 * seen. */
tz_status tz_oplog_apply(tz_db *db, const tz_op *ops, size_t n, size_t *applied, tz_err *err);

/* Who signed the ops about to be applied, as this database enrolled them
 * (the keyring's role and region).  While set, tz_oplog_apply checks every
 * op of another device against it (core/authority.c, docs/threat-model.md
 * "Who may write what"): an op outside the signer's authority is logged
 * (the evidence of what was signed) but not folded into the state; it is
 * held in the quarantine table with the reason and listed for review
 * (`unauthorized`).  NULL: no check (this database's own ops). */
typedef struct {
	int role; /* tz_role */
	char region[13];
} tz_authority;
void tz_oplog_authority(tz_db *db, const tz_authority *a);
/* 1 if region (12 digits) lies within what a answers for: a village its
 * own code, a township the first 9 digits, a county the first 6. */
int tz_authority_covers(const tz_authority *a, const char *region);
/* Keep op in the quarantine table, not applied: why NULL for a clock far
 * ahead (released when this PC's clock reaches it), else the authority a
 * lacked (pending: waiting for the record it changes).  Inside the
 * caller's transaction. */
tz_status tz_oplog_hold(tz_db *db, const tz_op *op, const tz_authority *a, const char *why,
			int pending, tz_err *err);
/* Ops held since tz_oplog_authority was last called: outside the
 * signer's authority (for review); waiting for the record they change. */
size_t tz_oplog_denied(tz_db *db);
size_t tz_oplog_waiting(tz_db *db);
/* Check the held ops that wait for a record not held when they came (a
 * change that arrived before the record it changes): those whose record is
 * here now are checked again and folded, or held for review.  Inside the
 * caller's transaction; *applied counts the ops folded. */
tz_status tz_oplog_recheck(tz_db *db, size_t *applied, tz_err *err);
/* 0 if a may write op (of the origin with local index origin_idx) given
 * the state as it is; 1 if not, with the reason in why; 2 if that cannot
 * be told until a record the op touches or hangs off arrives; -1 on a
 * database error. */
int tz_authority_check(tz_db *db, const tz_authority *a, const tz_op *op, int64_t origin_idx,
		       char *why, size_t whylen);
/* Forget where the checks saw records belong (called around every apply:
 * changes made without the checks may move records). */
void tz_authority_forget(tz_db *db);
/* 1 if the table has an ownership rule (every replicated table must). */
int tz_authority_table_known(int table);

/* Ops of one origin with seq >= from, in seq order.  The callback's op and
 * its data are valid only during the call; a non-zero return stops. */
typedef int (*tz_op_cb)(void *ctx, const tz_op *op);
tz_status tz_oplog_read(tz_db *db, const uint8_t origin[16], uint64_t from, uint64_t to,
			tz_op_cb cb, void *ctx, tz_err *err);

/* Contiguous seq ranges held per origin: one callback per range, origins in
 * id order.  A single range starting at 1 means no gaps. */
typedef int (*tz_range_cb)(void *ctx, const uint8_t origin[16], uint64_t first, uint64_t last);
tz_status tz_oplog_ranges(tz_db *db, tz_range_cb cb, void *ctx, tz_err *err);

/* Highest seq of the origin such that 1..seq are all present (0 if none). */
uint64_t tz_oplog_high_water(tz_db *db, const uint8_t origin[16]);
/* 1 if the log already holds this very op under its (origin, seq). */
int tz_oplog_holds(tz_db *db, const tz_op *op);

/* The clock. */
uint64_t tz_oplog_hlc_now(tz_db *db); /* next local HLC value (advances the clock) */
uint64_t tz_oplog_hlc_last(tz_db *db); /* the greatest HLC seen, without advancing */

#endif
