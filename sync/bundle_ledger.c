/* ledger.c - the bundles this database holds (the bundle table): what was
 * applied, forks kept as evidence, originals kept for forwarding; the chain
 * questions an import asks of it; the order bundle files are imported in;
 * forwarding the originals upward.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/db_sql.h"
#include "bundle_int.h"
#include "taizhang/bundle.h"
#include "taizhang/file.h"

tz_status ledger_store(tz_db *db, const bundle_file *b, const char *status, int keep_data,
		       tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT OR IGNORE INTO bundle(hash, origin, first_seq, last_seq,"
				       " prev, key_id, received, status, data)"
				       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	if (!st)
		return tz_db_fail(db, err, "bundle");
	const tz_bundle_info *h = &b->info;
	sqlite3_bind_blob(st, 1, h->hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h->first_seq);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)h->last_seq);
	sqlite3_bind_blob(st, 5, h->prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, h->key_id, 8, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, tz_clock_ms());
	sqlite3_bind_text(st, 8, status, -1, SQLITE_STATIC);
	if (keep_data)
		sqlite3_bind_zeroblob64(st, 9, h->file_len);
	else
		sqlite3_bind_null(st, 9);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "bundle");
	if (!keep_data || sqlite3_changes(tz_db_sql(db)) == 0)
		return TZ_OK;
	/* copy the file, unchanged, for forwarding or as evidence */
	sqlite3_int64 rowid = sqlite3_last_insert_rowid(tz_db_sql(db));
	sqlite3_blob *blob;
	if (sqlite3_blob_open(tz_db_sql(db), "main", "bundle", "data", rowid, 1, &blob) != SQLITE_OK)
		return tz_db_fail(db, err, "bundle");
	uint8_t *buf = malloc(CHUNK), h256[32];
	tz_bundle_hasher hs;
	tz_status s = TZ_OK;
	tz_bundle_hash_init(&hs);
	for (uint64_t off = 0; buf && off < h->file_len;) {
		size_t n = h->file_len - off < CHUNK ? (size_t)(h->file_len - off) : CHUNK;
		if ((s = bundle_read_full(b->fd, buf, n, off, err)))
			break;
		if (off < h->header_len + h->payload_len)
			tz_bundle_hash_update(&hs, buf,
					      off + n <= h->header_len + h->payload_len
						      ? n
						      : (size_t)(h->header_len + h->payload_len - off));
		if (sqlite3_blob_write(blob, buf, (int)n, (int)off) != SQLITE_OK) {
			s = tz_db_fail(db, err, "bundle");
			break;
		}
		off += n;
	}
	if (!buf)
		s = tz_nomem(err);
	sqlite3_blob_close(blob);
	free(buf);
	if (!s) {
		tz_bundle_hash_final(&hs, h256);
		if (memcmp(h256, h->hash, 32))
			s = refuse(err, "the file changed while it was being read", "读取过程中文件被改动");
	}
	return s;
}

int ledger_has(tz_db *db, const uint8_t hash[32], const char *status)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT 1 FROM bundle WHERE hash=?1 AND status=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

/* A different applied bundle of the same origin overlapping this range. */
int ledger_overlapping(tz_db *db, const tz_bundle_info *h)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT 1 FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND first_seq <= ?3 AND last_seq >= ?2 AND hash <> ?4");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)h->first_seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h->last_seq);
	sqlite3_bind_blob(st, 4, h->hash, 32, SQLITE_STATIC);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

/* The hash of the applied bundle ending right before this one, if known. */
int ledger_predecessor(tz_db *db, const tz_bundle_info *h, uint8_t out[32])
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT hash FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND last_seq=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(h->first_seq - 1));
	int r = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		r = 1;
	}
	sqlite3_reset(st);
	return r;
}

/* The applied bundle starting right after this one must name this one as
 * its predecessor: 1 if one exists and does not. */
int ledger_successor_disowns(tz_db *db, const tz_bundle_info *h)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT prev FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND first_seq=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(h->last_seq + 1));
	int r = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32)
		r = memcmp(sqlite3_column_blob(st, 0), h->hash, 32) != 0;
	sqlite3_reset(st);
	return r;
}

/* ---- ordering ---- */

typedef struct {
	char *path;
	int ok; /* header readable */
	tz_bundle_info info;
} entry;

/* Each device's bundles in chain order (names sort 10 before 5); files
 * whose header cannot be read last, by name. */
static int cmp_entry(const void *x, const void *y)
{
	const entry *a = x, *b = y;
	if (a->ok != b->ok)
		return a->ok ? -1 : 1;
	if (a->ok) {
		int c = memcmp(a->info.origin, b->info.origin, 16);
		if (c)
			return c;
		if (a->info.first_seq != b->info.first_seq)
			return a->info.first_seq < b->info.first_seq ? -1 : 1;
	}
	return strcmp(a->path, b->path);
}

void tz_bundle_sort(char **names, int n)
{
	entry *e = calloc((size_t)n, sizeof *e);
	if (!e)
		return;
	for (int i = 0; i < n; i++) {
		tz_err err;
		e[i].path = names[i];
		e[i].ok = tz_bundle_peek(names[i], &e[i].info, &err) == TZ_OK;
	}
	qsort(e, (size_t)n, sizeof *e, cmp_entry);
	for (int i = 0; i < n; i++)
		names[i] = e[i].path;
	free(e);
}

/* ---- forwarding ---- */

/* Copy the stored original of bundle row rowid (info: its name's fields,
 * len bytes) into dir, carefully, as final. */
static tz_status copy_out(tz_db *db, sqlite3_int64 rowid, const tz_bundle_info *info, int64_t len,
			  const char *dir, uint8_t *buf, char final[4200], tz_err *err)
{
	char name[128];
	tz_bundle_name(info, name);
	snprintf(final, 4200, "%s/%s", dir, name);
	tz_file f;
	/* "<dir>/.tzb-forward-.XXXXXX" until it is whole */
	char tmpname[4200];
	snprintf(tmpname, sizeof tmpname, "%s/tzb-forward-", dir);
	if (tz_file_open(&f, tmpname, 0644, err))
		return tz_fail(err, TZ_EIO, "cannot write in %s: %s", "无法在 %s 中写入：%s", dir,
			       tz_strerror(errno));
	snprintf(f.name, sizeof f.name, "%s", dir); /* messages name the stick */
	sqlite3_blob *blob;
	if (sqlite3_blob_open(tz_db_sql(db), "main", "bundle", "data", rowid, 0, &blob) != SQLITE_OK) {
		tz_file_abort(&f);
		return tz_db_fail(db, err, "bundle");
	}
	tz_status s = TZ_OK;
	for (int64_t off = 0; !s && off < len;) {
		int n = len - off < CHUNK ? (int)(len - off) : (int)CHUNK;
		if (sqlite3_blob_read(blob, buf, n, (int)off) != SQLITE_OK)
			s = tz_db_fail(db, err, "bundle");
		else
			s = tz_file_write(&f, buf, (size_t)n, err);
		off += n;
	}
	sqlite3_blob_close(blob);
	if (s) {
		tz_file_abort(&f);
		return s;
	}
	if ((s = tz_file_commit(&f, final, err)))
		return s;
	tz_bundle_info back;
	if (tz_bundle_peek(final, &back, err)) {
		unlink(final);
		return tz_fail(err, TZ_EIO, "%s reads back differently", "%s 读回内容不一致", final);
	}
	return TZ_OK;
}

static void row_info(sqlite3_stmt *st, tz_bundle_info *info)
{
	memset(info, 0, sizeof *info);
	memcpy(info->hash, sqlite3_column_blob(st, 1), 32);
	memcpy(info->origin, sqlite3_column_blob(st, 2), 16);
	info->first_seq = (uint64_t)sqlite3_column_int64(st, 3);
	info->last_seq = (uint64_t)sqlite3_column_int64(st, 4);
}

/* Copy the bundles sql selects (id, hash, origin, first_seq, last_seq,
 * length(data)) into dir: forwarding marks each forwarded; relaying skips
 * what the folder has already. */
static tz_status copy_rows(tz_db *db, const char *sql, const char *dir, int forwarding,
			   tz_path_cb cb, void *ctx, int *nbundles, tz_err *err)
{
	sqlite3_stmt *st;
	*nbundles = 0;
	if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "bundle");
	tz_status s = TZ_OK;
	uint8_t *buf = malloc(CHUNK);
	while (buf && !s && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		tz_bundle_info info;
		char name[128], final[4200];
		row_info(st, &info);
		tz_bundle_name(&info, name);
		snprintf(final, sizeof final, "%s/%s", dir, name);
		if (!forwarding && access(final, F_OK) == 0)
			continue; /* relayed there before */
		if ((s = copy_out(db, rowid, &info, sqlite3_column_int64(st, 5), dir, buf, final, err)))
			break;
		if (forwarding) {
			sqlite3_stmt *u = tz_db_stmt(db, "UPDATE bundle SET forwarded = 1 WHERE id = ?1");
			if (!u) {
				s = tz_db_fail(db, err, "bundle");
				break;
			}
			sqlite3_bind_int64(u, 1, rowid);
			int rc = sqlite3_step(u);
			sqlite3_reset(u);
			if (rc != SQLITE_DONE) {
				s = tz_db_fail(db, err, "bundle");
				break;
			}
		}
		(*nbundles)++;
		if (cb)
			cb(ctx, final);
	}
	if (!buf)
		s = tz_nomem(err);
	free(buf);
	sqlite3_finalize(st);
	return s;
}

tz_status tz_bundle_forward(tz_db *db, const char *dir, tz_path_cb cb, void *ctx, int *nbundles,
			    tz_err *err)
{
	return copy_rows(db,
			 "SELECT id, hash, origin, first_seq, last_seq, length(data) FROM bundle"
			 " WHERE status = 'applied' AND forwarded = 0 AND data IS NOT NULL"
			 " ORDER BY origin, first_seq",
			 dir, 1, cb, ctx, nbundles, err);
}

tz_status tz_bundle_relay(tz_db *db, const char *dir, tz_path_cb cb, void *ctx, int *nbundles,
			  tz_err *err)
{
	*nbundles = 0;
	if (tz_db_role(db) != TZ_ROLE_TOWNSHIP)
		return TZ_OK; /* only a township has a level both above and below it */
	return copy_rows(db,
			 "SELECT id, hash, origin, first_seq, last_seq, length(data) FROM bundle"
			 " WHERE status = 'applied' AND data IS NOT NULL AND origin IN"
			 " (SELECT origin FROM keyring WHERE role = 'county' AND revoked_after IS NULL)"
			 " ORDER BY origin, first_seq",
			 dir, 0, cb, ctx, nbundles, err);
}
