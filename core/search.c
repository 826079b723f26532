/* search.c - the search index and its queries.
 *
 * The index is the table `search(kind, key, tbl, id)`, primary key in that
 * order, made by migration 4 in core/db.c together with the triggers
 * that keep it: after every insert or update of a person or household whose
 * name, ID number, phone or deleted flag changed, the row's old keys are
 * deleted and its new keys inserted, both computed by tz_search_keys()
 * below.  Since every write -- a local edit, the demo, a merged bundle --
 * ends in an INSERT or UPDATE of the state table (core/oplog.c, fold), no
 * path can leave the index stale.  A deleted row keeps no keys.
 *
 * With the kind first in the key, each kind of match (exact initials,
 * initials prefix, name part...) is one contiguous range, read in key order
 * and abandoned as soon as the cap is reached.
 */
#include "taizhang/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/pinyin.h"

/* tbl in the index: the tables' bundle indexes (core/schema.c) */
enum { TBL_HOUSEHOLD = 0, TBL_PERSON = 1 };

static const char *const kind_names[] = {
#define TZ_X(name, n, label) [n] = label,
	TZ_SEARCH_KINDS(TZ_X)
#undef TZ_X
};
#define NKINDS ((int)(sizeof kind_names / sizeof kind_names[0]))

const char *tz_search_kind_name(int kind)
{
	return kind >= 0 && kind < NKINDS && kind_names[kind] ? kind_names[kind] : "?";
}

/* ---- the keys of a row ---- */

#define MAXKEYS 400

typedef struct {
	tz_buf text; /* the keys, back to back */
	struct {
		int kind;
		size_t off, len;
	} k[MAXKEYS];
	int n;
} keyset;

static void add_key(keyset *ks, int kind, const char *s, size_t len)
{
	if (len == 0 || ks->n >= MAXKEYS)
		return;
	for (int i = 0; i < ks->n; i++)
		if (ks->k[i].kind == kind && ks->k[i].len == len &&
		    memcmp(ks->text.buf + ks->k[i].off, s, len) == 0)
			return;
	ks->k[ks->n].kind = kind;
	ks->k[ks->n].off = ks->text.len;
	ks->k[ks->n].len = len;
	tz_buf_put(&ks->text, s, len);
	if (!ks->text.failed)
		ks->n++;
}

/* The searchable form of a text: ASCII lower-cased, full-width letters and
 * digits folded, spaces and separators dropped (see tz_pinyin_split).
 * off[i] is where unit i begins.  Returns the length. */
static size_t normalise(const char *s, const tz_pinyin_text *t, char *out,
			size_t off[TZ_PINYIN_UNITS + 1])
{
	size_t n = 0;
	for (int i = 0; i < t->n; i++) {
		const tz_pinyin_unit *u = &t->u[i];
		off[i] = n;
		if (u->word[0]) {
			size_t l = strlen(u->word);
			memcpy(out + n, u->word, l);
			n += l;
		} else {
			memcpy(out + n, s + u->at, u->len);
			n += u->len;
		}
	}
	off[t->n] = n;
	return n;
}

/* room for normalise(): every unit at most a word or one character */
#define NORM_MAX (TZ_PINYIN_UNITS * (TZ_PINYIN_WORD > 4 ? TZ_PINYIN_WORD : 4))

static void name_keys(keyset *ks, const char *s, size_t len)
{
	tz_pinyin_text t;
	tz_pinyin_list l;
	char norm[NORM_MAX];
	size_t off[TZ_PINYIN_UNITS + 1];
	int spelled_after[TZ_PINYIN_UNITS + 1];

	tz_pinyin_split(s, len, TZ_PINYIN_NAME, &t);
	size_t n = normalise(s, &t, norm, off);
	add_key(ks, TZ_SK_NAME, norm, n);
	for (int k = 1; k < t.n; k++)
		add_key(ks, TZ_SK_NAME_PART, norm + off[k], n - off[k]);
	tz_pinyin_spell(&t, 0, 1, &l);
	for (int i = 0; i < l.n; i++)
		add_key(ks, TZ_SK_INITIALS, l.s[i], strlen(l.s[i]));
	tz_pinyin_spell(&t, 0, 0, &l);
	for (int i = 0; i < l.n; i++)
		add_key(ks, TZ_SK_PINYIN, l.s[i], strlen(l.s[i]));
	/* initials of the name's later parts, two letters or more (xm for
	 * 王小明); a single letter would match half the county */
	spelled_after[t.n] = 0;
	for (int k = t.n - 1; k >= 0; k--)
		spelled_after[k] = spelled_after[k + 1] + (t.u[k].nalt > 0);
	for (int k = 1; k < t.n; k++) {
		if (spelled_after[k] < 2)
			continue;
		tz_pinyin_spell(&t, k, 1, &l);
		for (int i = 0; i < l.n; i++)
			add_key(ks, TZ_SK_INITIALS_PART, l.s[i], strlen(l.s[i]));
	}
}

static void id_keys(keyset *ks, const char *s, size_t len)
{
	char d[40], r[40];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof d; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			d[n++] = c;
		else if (c == 'x' || c == 'X')
			d[n++] = 'x';
	}
	if (!n)
		return;
	/* the beginning is found through the index on person(id_number) */
	for (size_t i = 0; i < n; i++)
		r[i] = d[n - 1 - i];
	add_key(ks, TZ_SK_ID_END, r, n);
}

static void phone_keys(keyset *ks, const char *s, size_t len)
{
	char d[32];
	size_t n = 0, local = 0;
	for (size_t i = 0; i < len && n < sizeof d; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d[n++] = s[i];
		else if (s[i] == '-' && !local)
			local = n; /* 0731-84567890: also findable as 84567890 */
	}
	if (!n)
		return;
	add_key(ks, TZ_SK_PHONE, d, n);
	if (local && n - local >= 5)
		add_key(ks, TZ_SK_PHONE, d + local, n - local);
}

/* The keys of a row from its name (or head of household), ID number and
 * phone; NULL or empty texts give none.  The triggers (fn_keys) and the
 * deferred keys (tz_search_flush) both make them here. */
static void row_keys(keyset *ks, const char *const t[3], const int len[3])
{
	void (*const make[3])(keyset *, const char *, size_t) = {name_keys, id_keys, phone_keys};
	for (int a = 0; a < 3; a++)
		if (t[a] && len[a] > 0)
			make[a](ks, t[a], (size_t)len[a]);
}

static void json_string(tz_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	tz_buf_put(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			tz_buf_put(b, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			tz_buf_put(b, e, 6);
		} else {
			tz_buf_put(b, &s[i], 1);
		}
	}
	tz_buf_put(b, "\"", 1);
}

/* tz_search_keys(name, id_number, phone) -> '{"张三":0,"三":1,"zs":2,...}';
 * '{}' while the keys are deferred (the triggers then do nothing) */
static void fn_keys(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const int *deferred = sqlite3_user_data(ctx);
	if (deferred && *deferred) {
		sqlite3_result_text(ctx, "{}", 2, SQLITE_STATIC);
		return;
	}
	keyset *ks = calloc(1, sizeof *ks);
	tz_buf out = {0};
	if (!ks) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	const char *t[3] = {NULL, NULL, NULL};
	int len[3] = {0, 0, 0};
	for (int a = 0; a < argc && a < 3; a++) {
		t[a] = (const char *)sqlite3_value_text(argv[a]);
		len[a] = sqlite3_value_bytes(argv[a]);
	}
	row_keys(ks, t, len);
	tz_buf_put(&out, "{", 1);
	for (int i = 0; i < ks->n; i++) {
		char num[16];
		if (i)
			tz_buf_put(&out, ",", 1);
		json_string(&out, (const char *)ks->text.buf + ks->k[i].off, ks->k[i].len);
		int m = snprintf(num, sizeof num, ":%d", ks->k[i].kind);
		tz_buf_put(&out, num, (size_t)m);
	}
	tz_buf_put(&out, "}", 1);
	if (out.failed || ks->text.failed) {
		sqlite3_result_error_nomem(ctx);
		tz_buf_free(&out);
	} else {
		sqlite3_result_text(ctx, (const char *)out.buf, (int)out.len, free);
	}
	tz_buf_free(&ks->text);
	free(ks);
}

/* tz_search_id('1f7e...') -> the 16 bytes: the index stores ids as blobs,
 * half the size of their hex form.  NULL for anything but 32 hex digits. */
static void fn_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	uint8_t b[16];
	(void)argc;
	if (s && sqlite3_value_bytes(argv[0]) == 32 && tz_hex_decode(s, b, 16) == 0)
		sqlite3_result_blob(ctx, b, 16, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

/* tz_search_backfill(): index the rows already there (the migration that
 * creates the index runs it once).  A table with no rows, as in a new
 * database, is skipped. */
static void fn_backfill(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	static const struct {
		const char *has_rows, *fill;
	} step[] = {
		{"SELECT 1 FROM household LIMIT 1",
		 "INSERT OR IGNORE INTO search(kind, key, tbl, id)"
		 " SELECT j.value, j.key, 0, tz_search_id(h.id)"
		 " FROM household h, json_each(tz_search_keys(h.head_name, NULL, h.phone)) j"
		 " WHERE h._deleted = 0"},
		{"SELECT 1 FROM person LIMIT 1",
		 "INSERT OR IGNORE INTO search(kind, key, tbl, id)"
		 " SELECT j.value, j.key, 1, tz_search_id(p.id)"
		 " FROM person p, json_each(tz_search_keys(p.name, p.id_number, p.phone)) j"
		 " WHERE p._deleted = 0"},
	};
	sqlite3 *db = sqlite3_context_db_handle(ctx);
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof step / sizeof step[0]; i++) {
		sqlite3_stmt *st;
		int rows = 0;
		if (sqlite3_prepare_v2(db, step[i].has_rows, -1, &st, NULL) != SQLITE_OK)
			continue; /* no such table */
		rows = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (rows && sqlite3_exec(db, step[i].fill, NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_result_error(ctx, sqlite3_errmsg(db), -1);
			return;
		}
	}
	sqlite3_result_int(ctx, 1);
}

int tz_search_register(sqlite3 *sql, const int *deferred)
{
	/* not SQLITE_DETERMINISTIC: the result depends on the deferral */
	int rc = sqlite3_create_function_v2(sql, "tz_search_keys", 3,
					    SQLITE_UTF8 | SQLITE_INNOCUOUS, (void *)deferred,
					    fn_keys, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(sql, "tz_search_id", 1,
						SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
						NULL, fn_id, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(sql, "tz_search_backfill", 0,
						SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, fn_backfill,
						NULL, NULL, NULL);
	return rc;
}

/* ---- deferred keys (a merge) ----
 *
 * The triggers insert a row's keys one by one at random places of a large
 * index.  A merge of 100,000 persons instead lists the rows it touches and
 * writes all their keys at the end, sorted, so that each page of the index
 * is written once.  The index ends exactly as the triggers would leave it:
 * before a row is first written its keys (those of its state then) are
 * removed; at the end the keys of its final state are added if it is live. */

tz_status tz_search_defer(tz_db *db, tz_err *err)
{
	tz_status st = tz_db_exec(db,
			       "CREATE TEMP TABLE IF NOT EXISTS search_touched(tbl INTEGER NOT NULL,"
			       " id TEXT NOT NULL, PRIMARY KEY(tbl, id)) WITHOUT ROWID;"
			       "DELETE FROM temp.search_touched",
			       err);
	if (!st)
		db->search_deferred = 1;
	return st;
}

void tz_search_cancel(tz_db *db) { db->search_deferred = 0; }

tz_status tz_search_touch(tz_db *db, int table, const char idhex[33], int existed, tz_err *err)
{
	if (!db->search_deferred || (table != TBL_PERSON && table != TBL_HOUSEHOLD))
		return TZ_OK;
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT OR IGNORE INTO temp.search_touched VALUES(?1, ?2)");
	if (!st)
		return tz_db_fail(db, err, "search");
	sqlite3_bind_int(st, 1, table);
	sqlite3_bind_text(st, 2, idhex, 32, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "search");
	if (!existed || sqlite3_changes(db->sql) == 0)
		return TZ_OK; /* a new row has no keys; a row touched before has none left */
	/* the keys of the row as it is now, as the update trigger removes them */
	static const char *const del[2] = {
		[TBL_HOUSEHOLD] = "DELETE FROM search WHERE tbl = 0 AND id = tz_search_id(?1) AND"
				  " (key, kind) IN (SELECT j.key, j.value FROM household h,"
				  " json_each(tz_search_keys(h.head_name, NULL, h.phone)) j"
				  " WHERE h.id = ?1 AND h._deleted = 0)",
		[TBL_PERSON] = "DELETE FROM search WHERE tbl = 1 AND id = tz_search_id(?1) AND"
			       " (key, kind) IN (SELECT j.key, j.value FROM person p,"
			       " json_each(tz_search_keys(p.name, p.id_number, p.phone)) j"
			       " WHERE p.id = ?1 AND p._deleted = 0)",
	};
	if (!(st = tz_db_stmt(db, del[table])))
		return tz_db_fail(db, err, "search");
	sqlite3_bind_text(st, 1, idhex, 32, SQLITE_STATIC);
	db->search_deferred = 0;
	rc = sqlite3_step(st);
	db->search_deferred = 1;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, "search");
}

/* One key of the deferred batch: where its text lies in the batch's arena. */
typedef struct {
	uint64_t head; /* the key's first 8 bytes, big-endian, zero-padded */
	uint32_t off, len;
	uint8_t kind, tbl;
	uint8_t id[16];
} pending_key;

/* The index's order: kind, key (BINARY: bytes, then length), tbl, id. */
static int pending_cmp(const void *x, const void *y, void *arena)
{
	const pending_key *a = x, *b = y;
	const char *pending_text = arena;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->head != b->head) /* decides most comparisons, in the same order */
		return a->head < b->head ? -1 : 1;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(pending_text + a->off, pending_text + b->off, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->tbl != b->tbl)
		return a->tbl < b->tbl ? -1 : 1;
	return memcmp(a->id, b->id, 16);
}

tz_status tz_search_flush(tz_db *db, tz_err *err)
{
	if (!db->search_deferred)
		return TZ_OK;
	db->search_deferred = 0;
	/* The keys of every listed row's final state, made here in C (as the
	 * triggers' tz_search_keys() makes them), sorted in memory and
	 * inserted in the index's order, so that each page of the index is
	 * written once.  Memory: the batch's keys (a bundle's persons). */
	sqlite3_stmt *sel, *ins = tz_db_stmt(db, "INSERT OR IGNORE INTO search(kind, key, tbl, id)"
					       " VALUES(?1, ?2, ?3, ?4)");
	if (!ins || sqlite3_prepare_v2(db->sql,
				       "SELECT 0, h.id, h.head_name, NULL, h.phone"
				       " FROM temp.search_touched t JOIN household h ON h.id = t.id"
				       " WHERE t.tbl = 0 AND h._deleted = 0"
				       " UNION ALL"
				       " SELECT 1, p.id, p.name, p.id_number, p.phone"
				       " FROM temp.search_touched t JOIN person p ON p.id = t.id"
				       " WHERE t.tbl = 1 AND p._deleted = 0",
				       -1, &sel, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "search");
	keyset *ks = calloc(1, sizeof *ks);
	tz_buf text = {0};
	pending_key *v = NULL;
	size_t n = 0, cap = 0;
	int rc, oom = !ks;
	while (!oom && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		uint8_t id[16];
		const char *hex = (const char *)sqlite3_column_text(sel, 1);
		if (!hex || sqlite3_column_bytes(sel, 1) != 32 || tz_hex_decode(hex, id, 16))
			continue; /* the triggers index no such id either (tz_search_id: NULL) */
		ks->n = 0;
		ks->text.len = 0;
		const char *field[3];
		int flen[3];
		for (int a = 0; a < 3; a++) {
			field[a] = (const char *)sqlite3_column_text(sel, a + 2);
			flen[a] = sqlite3_column_bytes(sel, a + 2);
		}
		row_keys(ks, field, flen);
		if (ks->text.failed || (size_t)ks->n > cap - n) {
			size_t ncap = cap ? cap * 2 : 4096;
			while (ncap - n < (size_t)ks->n)
				ncap *= 2;
			pending_key *nv = ks->text.failed ? NULL : realloc(v, ncap * sizeof *nv);
			if (!nv) {
				oom = 1;
				break;
			}
			v = nv;
			cap = ncap;
		}
		for (int i = 0; i < ks->n; i++) {
			pending_key *k = &v[n++];
			const uint8_t *t = ks->text.buf + ks->k[i].off;
			k->kind = (uint8_t)ks->k[i].kind;
			k->tbl = (uint8_t)sqlite3_column_int(sel, 0);
			k->off = (uint32_t)text.len;
			k->len = (uint32_t)ks->k[i].len;
			k->head = 0;
			for (size_t j = 0; j < 8; j++)
				k->head = k->head << 8 | (j < ks->k[i].len ? t[j] : 0);
			memcpy(k->id, id, 16);
			tz_buf_put(&text, t, ks->k[i].len);
		}
		if (text.failed || text.len > UINT32_MAX)
			oom = 1;
	}
	sqlite3_finalize(sel);
	if (ks)
		tz_buf_free(&ks->text);
	free(ks);
	if (oom) {
		free(v);
		tz_buf_free(&text);
		return tz_nomem(err);
	}
	if (rc != SQLITE_DONE) {
		free(v);
		tz_buf_free(&text);
		return tz_db_fail(db, err, "search");
	}
	if (n > 1)
		qsort_r(v, n, sizeof *v, pending_cmp, text.buf);
	for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int(ins, 1, v[i].kind);
		sqlite3_bind_text(ins, 2, (const char *)text.buf + v[i].off, (int)v[i].len,
				  SQLITE_STATIC);
		sqlite3_bind_int(ins, 3, v[i].tbl);
		sqlite3_bind_blob(ins, 4, v[i].id, 16, SQLITE_STATIC);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_clear_bindings(ins);
	free(v);
	tz_buf_free(&text);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "search");
	return tz_db_exec(db, "DELETE FROM temp.search_touched", err);
}

/* ---- queries ---- */

static const char sql_exact[] = "SELECT tbl, id FROM search WHERE kind = ?1 AND key = ?2";
static const char sql_after[] =
	"SELECT tbl, id FROM search WHERE kind = ?1 AND key > ?2 AND key < ?3";
static const char sql_from[] =
	"SELECT tbl, id FROM search WHERE kind = ?1 AND key >= ?2 AND key < ?3";
/* ID number beginnings: the index reconcile() makes on person(id_number) */
static const char sql_idnum_exact[] =
	"SELECT 1, id FROM person WHERE id_number = ?2 AND _deleted = 0";
static const char sql_idnum_after[] =
	"SELECT 1, id FROM person WHERE id_number > ?2 AND id_number < ?3 AND _deleted = 0";
static const char sql_person[] =
	"SELECT p.name, p.id_number, p.phone, p.household, h.village, h.address"
	" FROM person p LEFT JOIN household h ON h.id = p.household"
	" WHERE p.id = ?1 AND p._deleted = 0";
static const char sql_household[] =
	"SELECT head_name, NULL, phone, id, village, address FROM household"
	" WHERE id = ?1 AND _deleted = 0";

const char *const *tz_search_statements(void)
{
	static const char *const all[] = {sql_exact,       sql_after,       sql_from,
					  sql_idnum_exact, sql_idnum_after, sql_person,
					  sql_household,   NULL};
	return all;
}

/* what a query's text is */
enum { Q_NAME, Q_LETTERS, Q_DIGITS };

/* One range scan: which kind, how the key relates to the query, the rank. */
typedef struct {
	int kind;
	int how;  /* 0 key = q, 1 key starts with q and is longer, 2 key starts with q */
	int rank;
	int form; /* 0 the query, 1 reversed (ID number endings), 2 upper case, in
		   * person(id_number) rather than the search table */
} scan;

static const scan scans_name[] = {
	{TZ_SK_NAME, 0, TZ_SEARCH_EXACT, 0},
	{TZ_SK_NAME, 1, TZ_SEARCH_PREFIX, 0},
	{TZ_SK_NAME_PART, 2, TZ_SEARCH_PART, 0},
	{-1, 0, 0, 0},
};
static const scan scans_letters[] = {
	{TZ_SK_INITIALS, 0, TZ_SEARCH_EXACT, 0},
	{TZ_SK_PINYIN, 0, TZ_SEARCH_EXACT, 0},
	{TZ_SK_NAME, 0, TZ_SEARCH_EXACT, 0},
	{TZ_SK_INITIALS, 1, TZ_SEARCH_PREFIX, 0},
	{TZ_SK_PINYIN, 1, TZ_SEARCH_PREFIX, 0},
	{TZ_SK_NAME, 1, TZ_SEARCH_PREFIX, 0},
	{TZ_SK_INITIALS_PART, 2, TZ_SEARCH_PART, 0},
	{TZ_SK_NAME_PART, 2, TZ_SEARCH_PART, 0},
	{-1, 0, 0, 0},
};
/* A short run of digits is mostly the last digits of an ID number (staff
 * know those); a beginning of 4-6 digits is the region, shared by all. */
static const scan scans_digits[] = {
	{TZ_SK_ID, 0, TZ_SEARCH_EXACT, 2},
	{TZ_SK_PHONE, 0, TZ_SEARCH_EXACT, 0},
	{TZ_SK_ID_END, 2, TZ_SEARCH_PREFIX, 1},
	{TZ_SK_ID, 1, TZ_SEARCH_PREFIX, 2},
	{TZ_SK_PHONE, 1, TZ_SEARCH_PREFIX, 0},
	{-1, 0, 0, 0},
};

static const char *scan_sql(const scan *sc)
{
	if (sc->form == 2)
		return sc->how == 0 ? sql_idnum_exact : sql_idnum_after;
	return sc->how == 0 ? sql_exact : sc->how == 1 ? sql_after : sql_from;
}

typedef struct {
	int rank, kind, order, tbl;
	char id[33];
	char *v[6]; /* name, id_number, phone, household, village, address */
} hit;

static int hit_cmp(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->order != y->order)
		return x->order - y->order;
	int c = strcmp(x->v[0] ? x->v[0] : "", y->v[0] ? y->v[0] : "");
	if (c)
		return c;
	if (x->tbl != y->tbl)
		return y->tbl - x->tbl; /* persons before households */
	return strcmp(x->id, y->id);
}

static void hits_free(hit *h, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < 6; j++)
			free(h[i].v[j]);
	free(h);
}

/* Classify and normalise the query into q (NUL-terminated). */
static int classify(const char *text, char *q, size_t qsize)
{
	tz_pinyin_text t;
	size_t off[TZ_PINYIN_UNITS + 1];
	char norm[NORM_MAX];
	size_t len = strlen(text);
	if (len > TZ_SEARCH_TEXT)
		len = TZ_SEARCH_TEXT;
	tz_pinyin_split(text, len, 0, &t);
	size_t n = normalise(text, &t, norm, off);
	if (n >= qsize)
		n = qsize - 1;
	memcpy(q, norm, n);
	q[n] = '\0';
	int digits = 0, letters = 0, other = 0;
	for (int i = 0; i < t.n; i++) {
		const char *w = t.u[i].word;
		if (w[0] >= '0' && w[0] <= '9')
			digits++;
		else if (w[0] == 'x' && !w[1] && i == t.n - 1 && digits)
			digits++; /* an ID number's final X */
		else if (w[0])
			letters++;
		else
			other++;
	}
	if (digits && !other && digits == t.n)
		return Q_DIGITS;
	if (letters && !other && !digits)
		return Q_LETTERS;
	return Q_NAME;
}

tz_status tz_search(tz_db *db, const char *text, int limit, tz_search_cb cb, void *ctx,
		    tz_err *err)
{
	char q[NORM_MAX + 1], f[3][NORM_MAX + 1], hi[3][NORM_MAX + 8];
	static const char top[] = "\xf4\x8f\xbf\xbf"; /* U+10FFFF: above any key with the prefix */
	int cls = classify(text ? text : "", q, sizeof q);
	size_t qn = strlen(q);
	if (qn == 0)
		return tz_fail(err, TZ_EUSAGE, "nothing to search for", "没有要查找的内容");
	if (limit <= 0)
		limit = TZ_SEARCH_LIMIT;
	if (limit > TZ_SEARCH_MAX)
		limit = TZ_SEARCH_MAX;
	/* the query in each form (see scan.form), and what is just above
	 * every key that begins with it */
	for (size_t i = 0; i < qn; i++) {
		f[1][i] = q[qn - 1 - i];
		f[2][i] = q[i] == 'x' ? 'X' : q[i];
	}
	memcpy(f[0], q, qn);
	for (int k = 0; k < 3; k++) {
		f[k][qn] = '\0';
		memcpy(hi[k], f[k], qn);
		memcpy(hi[k] + qn, top, sizeof top);
	}
	const scan *scans = cls == Q_DIGITS ? scans_digits : cls == Q_LETTERS ? scans_letters
									      : scans_name;

	hit *hits = calloc((size_t)limit, sizeof *hits);
	int nh = 0;
	tz_status st = TZ_OK;
	if (!hits)
		return tz_nomem(err);
	for (int s = 0; scans[s].kind >= 0 && nh < limit; s++) {
		const scan *sc = &scans[s];
		sqlite3_stmt *stmt = tz_db_stmt(db, scan_sql(sc));
		if (!stmt) {
			st = tz_db_fail(db, err, "search");
			goto done;
		}
		if (sc->form != 2)
			sqlite3_bind_int(stmt, 1, sc->kind);
		sqlite3_bind_text(stmt, 2, f[sc->form], -1, SQLITE_STATIC);
		if (sc->how)
			sqlite3_bind_text(stmt, 3, hi[sc->form], -1, SQLITE_STATIC);
		int rc = SQLITE_DONE;
		while (nh < limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			int tbl = sqlite3_column_int(stmt, 0);
			char id[33];
			if (sqlite3_column_type(stmt, 1) == SQLITE_BLOB &&
			    sqlite3_column_bytes(stmt, 1) == 16)
				tz_hex_encode(sqlite3_column_blob(stmt, 1), 16, id);
			else if (sqlite3_column_type(stmt, 1) == SQLITE_TEXT &&
				 sqlite3_column_bytes(stmt, 1) == 32)
				memcpy(id, sqlite3_column_text(stmt, 1), 33);
			else
				continue;
			if (tbl != TBL_PERSON && tbl != TBL_HOUSEHOLD)
				continue;
			int dup = 0;
			for (int i = 0; i < nh && !dup; i++)
				dup = hits[i].tbl == tbl && memcmp(hits[i].id, id, 32) == 0;
			if (dup)
				continue;
			hit *h = &hits[nh++];
			h->rank = sc->rank;
			h->kind = sc->kind;
			h->order = s;
			h->tbl = tbl;
			memcpy(h->id, id, 33);
		}
		if (nh < limit && rc != SQLITE_DONE) {
			sqlite3_reset(stmt);
			st = tz_db_fail(db, err, "search");
			goto done;
		}
		sqlite3_reset(stmt);
	}

	/* the rows themselves */
	int kept = 0;
	for (int i = 0; i < nh; i++) {
		hit *h = &hits[i];
		sqlite3_stmt *stmt = tz_db_stmt(db, h->tbl == TBL_PERSON ? sql_person : sql_household);
		if (!stmt) {
			st = tz_db_fail(db, err, "search");
			goto done;
		}
		sqlite3_bind_text(stmt, 1, h->id, 32, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			for (int j = 0; j < 6; j++) {
				const char *v = (const char *)sqlite3_column_text(stmt, j);
				h->v[j] = strdup(v ? v : "");
				if (!h->v[j])
					rc = SQLITE_NOMEM;
			}
		}
		sqlite3_reset(stmt);
		if (rc == SQLITE_NOMEM) {
			st = tz_nomem(err);
			goto done;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			st = tz_db_fail(db, err, "search");
			goto done;
		}
		if (rc == SQLITE_ROW) {
			if (kept != i) {
				hits[kept] = *h;
				memset(h->v, 0, sizeof h->v);
			}
			kept++;
		} else {
			for (int j = 0; j < 6; j++)
				free(h->v[j]);
			memset(h->v, 0, sizeof h->v);
		}
	}
	nh = kept;
	qsort(hits, (size_t)nh, sizeof *hits, hit_cmp);
	for (int i = 0; i < nh; i++) {
		const hit *h = &hits[i];
		tz_search_hit out = {
			.rank = h->rank,
			.kind = h->kind,
			.table = h->tbl == TBL_PERSON ? "person" : "household",
			.id = h->id,
			.name = h->v[0],
			.id_number = h->v[1],
			.phone = h->v[2],
			.household = h->v[3],
			.village = h->v[4],
			.address = h->v[5],
		};
		if (cb && cb(ctx, &out))
			break;
	}
done:
	hits_free(hits, nh);
	return st;
}
