/* bundle_import.c - importing bundles: the rules an importer applies
 * (docs/bundle-format.md), pass 1 verifies the whole file, pass 2 applies
 * every op in one transaction (ops from too far ahead are quarantined),
 * then the review list; releasing the quarantine later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/db_sql.h"
#include "bundle_int.h"
#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/settings.h"

/* ---- importing ---- */

/* Ops are applied in batches of up to BATCH_OPS ops or BATCH_BYTES of op
 * data (a whole bundle as `export` writes them): tz_oplog_apply sorts each
 * batch by row, so the larger the batch, the more of the tables it writes
 * in order.  Both bounds keep memory independent of the file. */
#define BATCH_OPS (1u << 18)
#define BATCH_BYTES (32u << 20)
_Static_assert(MAX_OP_DATA <= BATCH_BYTES, "an op fits an empty batch");

static size_t batch_ops = BATCH_OPS;

void tz_bundle_batch_limit(size_t ops)
{
	batch_ops = ops && ops < BATCH_OPS ? ops : BATCH_OPS;
}

typedef struct {
	tz_db *db;
	tz_op *ops;
	uint8_t *arena;
	size_t used, cap, n;
	size_t applied, quarantined;
	int64_t horizon; /* ops whose wall clock lies beyond this are quarantined */
	int overflow;    /* pass 1 could not keep every op: pass 2 reads the file again */
	tz_status st;
	tz_err *err;
} applier;

static tz_status flush_batch(applier *a)
{
	size_t got = 0;
	if (!a->n)
		return TZ_OK;
	tz_status st = tz_oplog_apply(a->db, a->ops, a->n, &got, a->err);
	a->applied += got;
	a->n = 0;
	a->used = 0;
	return st;
}

static tz_status quarantine(applier *a, const tz_op *op)
{
	sqlite3_stmt *st;
	int rc;
	tz_status s = tz_oplog_hold(a->db, op, NULL, NULL, 0, a->err);
	if (s)
		return s;
	a->quarantined++;
	/* the device whose clock runs ahead is named for review, with how far
	 * (whole hours, rounded up; the furthest seen) */
	char o[33];
	tz_hex_encode(op->origin, 16, o);
	int64_t ahead = (int64_t)(op->hlc >> 16) - tz_clock_ms();
	long hours = ahead > 0 ? (long)((ahead + 3599999) / 3600000) : 1;
	if (!(st = tz_db_stmt(a->db,
			      "INSERT INTO review(kind, tbl, row, other, detail, created)"
			      " VALUES('clock_ahead', 'device', ?1, 'clock', 'up to ' || ?2 || ' h ahead', ?3)"
			      " ON CONFLICT(kind, tbl, row, other) DO UPDATE SET resolved = 0,"
			      " detail = 'up to ' || max(CAST(substr(detail, 7) AS INTEGER), ?2)"
			      " || ' h ahead'")))
		return tz_db_fail(a->db, a->err, "review");
	sqlite3_bind_text(st, 1, o, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, hours);
	sqlite3_bind_int64(st, 3, tz_clock_ms());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(a->db, a->err, "review");
}

static int batch_full(const applier *a, const tz_op *op)
{
	return a->n >= batch_ops || a->used + op->len > a->cap;
}

/* Append op (its data copied into the arena) to the batch; it has room. */
static void batch_add(applier *a, const tz_op *op)
{
	tz_op *o = &a->ops[a->n++];
	*o = *op;
	memcpy(a->arena + a->used, op->data, op->len);
	o->data = a->arena + a->used;
	a->used += op->len;
}

static int apply_cb(void *ctx, const tz_op *op)
{
	applier *a = ctx;
	if (TZ_HLC_WALL(op->hlc) > a->horizon) {
		a->st = quarantine(a, op);
		return a->st != TZ_OK;
	}
	if (batch_full(a, op) && (a->st = flush_batch(a)))
		return 1;
	batch_add(a, op);
	return 0;
}

/* Pass 1 keeps the ops it verified, when they fit one batch (a bundle as
 * `export` writes them does): pass 2 then applies what was verified
 * without reading, decrypting and inflating the file again. */
static int collect_cb(void *ctx, const tz_op *op)
{
	applier *a = ctx;
	if (a->overflow)
		return 0;
	if (batch_full(a, op)) {
		a->overflow = 1;
		a->n = a->used = 0;
		return 0;
	}
	batch_add(a, op);
	return 0;
}

/* Pass 2 from what pass 1 kept: quarantine the ops from too far ahead,
 * apply the rest as one batch. */
static tz_status apply_kept(applier *a)
{
	size_t keep = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (TZ_HLC_WALL(a->ops[i].hlc) > a->horizon) {
			tz_status st = quarantine(a, &a->ops[i]);
			if (st)
				return st;
		} else {
			a->ops[keep++] = a->ops[i];
		}
	}
	a->n = keep;
	return flush_batch(a);
}

static void applier_free(applier *a)
{
	if (!a)
		return;
	free(a->arena);
	free(a->ops);
	free(a);
}

/* An applier with room for one batch, or NULL when memory is short. */
static applier *applier_new(tz_db *db, tz_err *why)
{
	applier *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->db = db;
	a->err = why;
	/* MAX_OP_DATA <= BATCH_BYTES: every op fits an empty batch */
	a->cap = BATCH_BYTES;
	a->arena = malloc(a->cap);
	a->ops = malloc(BATCH_OPS * sizeof *a->ops);
	if (!a->arena || !a->ops) {
		applier_free(a);
		return NULL;
	}
	a->horizon = tz_clock_ms() + tz_settings_int(db, "clock_skew_hours") * 3600000LL;
	return a;
}

/* Which roles' bundles a database of role `me` takes. */
static int role_accepts(tz_role me, tz_role from)
{
	static const unsigned char ok[3][3] = {
		/* from:      village township county */
		[TZ_ROLE_VILLAGE] = {0, 1, 1},
		[TZ_ROLE_TOWNSHIP] = {1, 0, 1},
		[TZ_ROLE_COUNTY] = {1, 1, 0},
	};
	return (unsigned)me < 3 && (unsigned)from < 3 && ok[me][from];
}

/* Another PC of this office: the same role and the very same region (a
 * township's three staff on two PCs, a village's laptop beside its
 * desktop).  Their bundles are taken both ways. */
static int office_peer(tz_db *db, const tz_keyent *k)
{
	char *mine = tz_db_region(db);
	int r = k->role == tz_db_role(db) && mine && !strcmp(mine, k->region);
	free(mine);
	return r;
}

/* Persons this bundle touched (read back from the op log) who share a
 * national ID number with another live person; persons with two open
 * cases. */
static tz_status record_reviews(tz_db *db, const tz_bundle_info *h, int *n, tz_err *err)
{
	static const char *const sql[] = {
		"INSERT OR IGNORE INTO review(kind, tbl, row, other, detail, created)"
		" SELECT 'duplicate_id', 'person', a.id, b.id, a.id_number, ?1"
		" FROM op o JOIN person a ON a.id = lower(hex(o.row))"
		" JOIN person b ON b.id_number = a.id_number AND b.id <> a.id AND b._deleted = 0"
		" WHERE o.origin = ?2 AND o.seq BETWEEN ?3 AND ?4 AND o.tbl = 1"
		" AND a._deleted = 0 AND a.id_number IS NOT NULL",
		/* the persons of the open cases this bundle touched (aid_case
		 * is table 3 in bundles, core/schema.c), not the whole table:
		 * an import costs what the bundle holds */
		"INSERT OR IGNORE INTO review(kind, tbl, row, other, detail, created)"
		" SELECT 'open_cases', 'person', c.person, group_concat(c.id, ','), NULL, ?1"
		" FROM aid_case c WHERE c._deleted = 0 AND c.status <> 'closed'"
		" AND c.person IS NOT NULL AND c.person IN"
		" (SELECT a.person FROM op o JOIN aid_case a ON a.id = lower(hex(o.row))"
		"  WHERE o.origin = ?2 AND o.seq BETWEEN ?3 AND ?4 AND o.tbl = 3"
		"  AND a._deleted = 0 AND a.status <> 'closed')"
		" GROUP BY c.person HAVING count(*) > 1",
	};
	*n = 0;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = tz_db_stmt(db, sql[i]);
		if (!st)
			return tz_db_fail(db, err, "review");
		sqlite3_bind_int64(st, 1, tz_clock_ms());
		if (sqlite3_bind_parameter_count(st) >= 4) {
			sqlite3_bind_int64(st, 2, tz_db_origin_idx(db, h->origin, 0));
			sqlite3_bind_int64(st, 3, (sqlite3_int64)h->first_seq);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)h->last_seq);
		}
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return tz_db_fail(db, err, "review");
		*n += sqlite3_changes(tz_db_sql(db));
	}
	return TZ_OK;
}

static tz_status refused(tz_import_result *res, const tz_err *why)
{
	res->outcome = TZ_IMPORT_REFUSED;
	snprintf(res->reason, sizeof res->reason, "%s", why->msg);
	return TZ_OK;
}

tz_status tz_bundle_import(tz_db *db, const char *path, const uint8_t *esk,
			   tz_import_result *res, tz_err *err)
{
	bundle_file b;
	tz_err why = {0};
	tz_keyent k;
	uint8_t prehash[64], prehash2[64];
	tz_status st;
	memset(res, 0, sizeof *res);
	if (bundle_open(path, &b, &why))
		return refused(res, &why);
	res->info = b.info;
	tz_status kst = tz_keyring_find(db, b.info.key_id, &k, &why);
	if (kst != TZ_OK && kst != TZ_ENOTFOUND)
		goto refuse; /* the keyring itself cannot be trusted: why says so */
	if (kst != TZ_OK) {
		char kid[17];
		tz_pubkey_id_hex(b.info.key_id, kid);
		tz_fail(&why, TZ_EREFUSED, "unknown key %s: enrol it first (taizhang keyring add)",
			"未知密钥 %s：请先登记（taizhang keyring add）", kid);
		goto refuse;
	}
	int own = !memcmp(k.origin, tz_db_origin(db), 16);
	if (memcmp(k.origin, b.info.origin, 16)) {
		refuse(&why, "the key that signed this bundle belongs to another device",
		       "签署此数据包的密钥属于另一台设备");
		goto refuse;
	}
	if (k.revoked_after >= 0 && b.info.last_seq > (uint64_t)k.revoked_after) {
		tz_fail(&why, TZ_EREFUSED, "the key was revoked after change %lld",
			"该密钥在第 %lld 条变更之后已被吊销", (long long)k.revoked_after);
		goto refuse;
	}
	if (!own && !role_accepts(tz_db_role(db), k.role) && !office_peer(db, &k)) {
		tz_fail(&why, TZ_EREFUSED, "a %s does not take bundles from a %s device",
			"%s不接收%s设备的数据包", tz_db_role_name(tz_db_role(db)), tz_db_role_name(k.role));
		goto refuse;
	}
	if (b.info.version != TZ_BUNDLE_VERSION && !tz_settings_int(db, "sync.accept_plaintext")) {
		refuse(&why,
		       "the bundle is not encrypted, and this database takes only encrypted bundles"
		       " (taizhang setting set sync.accept_plaintext 1 allows them)",
		       "数据包未加密，本数据库只接收加密数据包（taizhang setting set"
		       " sync.accept_plaintext 1 可允许）");
		goto refuse;
	}
	/* the signature first: nothing is decrypted, inflated or parsed for a
	 * file its key did not sign (a forged upload costs one hash of its
	 * bytes, not the inflation it asks for) */
	if (bundle_scan_body(&b, 0, NULL, NULL, prehash, &why) ||
	    bundle_check_signature(&b, k.pk, prehash, &why))
		goto refuse;
	if (b.info.version == TZ_BUNDLE_VERSION && bundle_open_file_key(&b, esk, &why))
		goto refuse;
	/* pass 1: the whole file checks out before anything is touched */
	applier *a = applier_new(db, &why);
	if (!a) {
		bundle_close(&b);
		return tz_nomem(err);
	}
	/* the clock of the level above is the reference: a village whose own
	 * clock is slow still takes its township's corrections (and its clock
	 * moves up to theirs); only a peer's or a lower level's clock far ahead
	 * is held back */
	if ((unsigned)k.role <= TZ_ROLE_COUNTY && k.role > tz_db_role(db))
		a->horizon = INT64_MAX;
	if (bundle_scan_body(&b, 1, collect_cb, a, prehash2, &why) ||
	    (memcmp(prehash, prehash2, 64) &&
	     refuse(&why, "the file changed while it was being read", "读取过程中文件被改动"))) {
		applier_free(a);
		goto refuse;
	}
	res->info = b.info;
	/* pass 2 runs in one write transaction, and so do the ledger's checks:
	 * another import (serve's worker beside a CLI import, two PCs on one
	 * shared folder) cannot slip a bundle in between check and write */
	tz_db_bulk(db, 1);
	if ((st = tz_db_begin(db, err))) {
		applier_free(a);
		tz_db_bulk(db, 0);
		goto fail;
	}
	if (ledger_has(db, b.info.hash, "applied")) {
		tz_db_rollback(db);
		tz_db_bulk(db, 0);
		applier_free(a);
		res->outcome = TZ_IMPORT_PRESENT;
		bundle_close(&b);
		return TZ_OK;
	}
	uint8_t pred[32];
	int fork = ledger_overlapping(db, &b.info);
	/* the same changes cut or encrypted differently (a re-export with other
	 * recipients or another --max-mb, a range sent again): every op is
	 * already recorded, identical -- nothing new, and no fork */
	if (fork && !a->overflow && a->n == b.info.count) {
		size_t i = 0;
		while (i < a->n && tz_oplog_holds(db, &a->ops[i]))
			i++;
		if (i == a->n) {
			tz_db_rollback(db);
			tz_db_bulk(db, 0);
			applier_free(a);
			res->outcome = TZ_IMPORT_PRESENT;
			res->recut = 1;
			bundle_close(&b);
			return TZ_OK;
		}
	}
	if (!fork && ledger_predecessor(db, &b.info, pred) && memcmp(pred, b.info.prev, 32))
		fork = 1; /* validly signed, yet not chained onto what we hold */
	if (!fork && ledger_successor_disowns(db, &b.info))
		fork = 1; /* fills a gap, but what follows it names another bundle */
	if (fork) {
		applier_free(a);
		a = NULL;
		/* keep the evidence: two bundles signed for the same changes */
		if ((st = ledger_store(db, &b, "fork", 1, err)))
			tz_db_rollback(db);
		else
			st = tz_db_commit(db, err); /* rolls back itself on failure */
		tz_db_bulk(db, 0);
		if (st)
			goto fail;
		res->fork = 1;
		char o[33];
		tz_hex_encode(b.info.origin, 16, o);
		tz_fail(&why, TZ_EREFUSED,
			"FORK: device %s signed two different bundles for changes %llu-%llu; kept as evidence",
			"分叉：设备 %s 对第 %llu-%llu 条变更签署了两个不同的数据包，已保存为证据", o,
			(unsigned long long)b.info.first_seq, (unsigned long long)b.info.last_seq);
		goto refuse;
	}
	res->gap = b.info.first_seq > 1 &&
		   tz_oplog_high_water(db, b.info.origin) < b.info.first_seq - 1;

	/* pass 2: apply inside the transaction; any failure rolls it all back */
	/* the search keys of the persons and households merged are written
	 * at the end, sorted (core/search.c) */
	tz_status s2 = tz_search_defer(db, &why);
	/* every op of another device is checked against what its key was
	 * enrolled for (core/authority.c) */
	tz_authority au = {.role = (int)k.role};
	memcpy(au.region, k.region, sizeof au.region);
	tz_oplog_authority(db, own ? NULL : &au);
	int reread = a->overflow;
	if (!s2 && !reread)
		s2 = apply_kept(a); /* exactly the ops pass 1 verified */
	if (!s2 && reread) {
		a->n = a->used = 0;
		s2 = bundle_scan_body(&b, 1, apply_cb, a, prehash2, &why);
		if (!s2)
			s2 = a->st;
		if (!s2)
			s2 = flush_batch(a);
	}
	if (!s2)
		s2 = tz_search_flush(db, &why);
	res->applied = a->applied;
	res->quarantined = a->quarantined;
	res->unauthorized = tz_oplog_denied(db);
	res->waiting = tz_oplog_waiting(db);
	tz_oplog_authority(db, NULL);
	/* changes that came before the records they change, from this or an
	 * earlier bundle: their records may be here now */
	if (!s2)
		s2 = tz_oplog_recheck(db, &res->rechecked, &why);
	applier_free(a);
	if (!s2 && reread && memcmp(prehash, prehash2, 64))
		s2 = refuse(&why, "the file changed while it was being read", "读取过程中文件被改动");
	if (!s2)
		s2 = ledger_store(db, &b, "applied", tz_db_role(db) != TZ_ROLE_VILLAGE && !own, &why);
	if (!s2)
		s2 = record_reviews(db, &b.info, &res->reviews, &why);
	if (s2) {
		tz_search_cancel(db);
		tz_db_rollback(db);
		tz_db_bulk(db, 0);
		res->applied = res->quarantined = res->unauthorized = res->waiting = 0;
		res->rechecked = 0;
		res->reviews = 0;
		if (tz_status_exit(s2) == 3) { /* disk full, locked: not the file's fault */
			*err = why;
			bundle_close(&b);
			return s2;
		}
		goto refuse;
	}
	st = tz_db_commit(db, err);
	tz_db_bulk(db, 0);
	if (st)
		goto fail;
	res->outcome = TZ_IMPORT_APPLIED;
	bundle_close(&b);
	return TZ_OK;
fail:
	bundle_close(&b);
	return st;
refuse:
	bundle_close(&b);
	return refused(res, &why);
}

/* A held change dropped at release: one review item per device, naming the
 * changes (seq a-b, widened as more are dropped). */
static tz_status review_dropped(tz_db *db, const tz_op *op, tz_err *err)
{
	char o[33];
	tz_hex_encode(op->origin, 16, o);
	sqlite3_stmt *st = tz_db_stmt(
		db, "INSERT INTO review(kind, tbl, row, other, detail, created)"
		    " VALUES('revoked_held', 'device', ?1, 'changes', ?2 || '-' || ?2, ?3)"
		    " ON CONFLICT(kind, tbl, row, other) DO UPDATE SET resolved = 0,"
		    " detail = substr(detail, 1, instr(detail, '-') - 1) || '-' || ?2");
	if (!st)
		return tz_db_fail(db, err, "review");
	sqlite3_bind_text(st, 1, o, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(st, 3, tz_clock_ms());
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, "review");
}

tz_status tz_bundle_quarantine_release(tz_db *db, size_t *released, tz_err *err)
{
	int64_t horizon = tz_clock_ms() + tz_settings_int(db, "clock_skew_hours") * 3600000LL;
	sqlite3_stmt *st;
	tz_status s;
	*released = 0;
	/* the key is asked again at release: a held change is applied only if
	 * the key that signed its bundle is still enrolled and not revoked
	 * for it; any other is dropped, and the review list says so */
	if (sqlite3_prepare_v2(tz_db_sql(db),
			       "SELECT q.origin, q.seq, q.hlc, q.tbl, q.row, q.flags, q.data, k.role,"
			       " k.region, k.origin = ?2"
			       " FROM quarantine q LEFT JOIN keyring k ON k.key_id ="
			       " (SELECT k2.key_id FROM bundle b JOIN keyring k2 ON k2.key_id = b.key_id"
			       "  WHERE b.origin = q.origin AND b.status = 'applied'"
			       "  AND q.seq BETWEEN b.first_seq AND b.last_seq"
			       "  AND (k2.revoked_after IS NULL OR q.seq <= k2.revoked_after) LIMIT 1)"
			       " WHERE (q.hlc >> 16) <= ?1 AND q.reason IS NULL ORDER BY q.origin, q.seq",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "quarantine");
	sqlite3_bind_int64(st, 1, horizon);
	sqlite3_bind_blob(st, 2, tz_db_origin(db), 16, SQLITE_STATIC);
	if ((s = tz_db_begin(db, err))) {
		sqlite3_finalize(st);
		return s;
	}
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tz_op op;
		size_t got = 0;
		if (tz_oplog_held_op(st, &op))
			continue;
		if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
			if ((s = review_dropped(db, &op, err)))
				break;
			continue;
		}
		/* and the authority of that key, as for any import */
		tz_authority au = {0};
		const char *role = (const char *)sqlite3_column_text(st, 7),
			   *region = (const char *)sqlite3_column_text(st, 8);
		au.role = tz_db_role_parse(role ? role : "");
		snprintf(au.region, sizeof au.region, "%s", region ? region : "");
		tz_oplog_authority(db, sqlite3_column_int(st, 9) ? NULL : &au);
		s = tz_oplog_apply(db, &op, 1, &got, err);
		tz_oplog_authority(db, NULL);
		if (s)
			break;
		n += got;
		/* what an import looks for, for the op now applied: the review
		 * of its bundle covered only the ops applied then */
		tz_bundle_info h = {.first_seq = op.seq, .last_seq = op.seq};
		int nrev;
		memcpy(h.origin, op.origin, 16);
		if (got && (s = record_reviews(db, &h, &nrev, err)))
			break;
	}
	sqlite3_finalize(st);
	if (!s && rc != SQLITE_DONE && rc != SQLITE_ROW)
		s = tz_db_fail(db, err, "quarantine");
	if (!s) {
		sqlite3_stmt *d = tz_db_stmt(
			db, "DELETE FROM quarantine WHERE (hlc >> 16) <= ?1 AND reason IS NULL");
		if (!d)
			s = tz_db_fail(db, err, "quarantine");
		else {
			sqlite3_bind_int64(d, 1, horizon);
			if (sqlite3_step(d) != SQLITE_DONE)
				s = tz_db_fail(db, err, "quarantine");
			sqlite3_reset(d);
		}
	}
	if (s) {
		tz_db_rollback(db);
		return s;
	}
	*released = n;
	return tz_db_commit(db, err);
}
