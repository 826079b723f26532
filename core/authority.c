/* authority.c - who may write what (docs/threat-model.md, "Who may write
 * what").  A signature says who wrote an op; this says whether they were
 * allowed to.  Every row belongs to a region: a household to its village
 * code, a person to its household's, a visit, case, registration or
 * referral to its person's (and so on up the chain), a staff record or a
 * platform to its region code.  A signer may write rows whose region lies
 * within its own (a village: its code; a township: the first 9 digits; a
 * county: the first 6), before and after the op, so a row can neither be
 * taken from another region nor handed to one: a transfer between villages
 * is the township's to make.  Employers, vacancies and events are
 * township-wide: anyone may create one; it may then be changed by its
 * creator (the device whose whole-row op made it) and the levels above.
 * A change to a row not held here, or to a row whose parent is not, waits
 * until that row arrives (tz_oplog_recheck): the verdict never depends on
 * the order bundles come in.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/db_sql.h"
#include "taizhang/hex.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"

/* How a table's rows belong to a region: a region field, else a ref to a
 * parent; shared: written by townships and counties only. */
typedef struct {
	const char *table, *region, *parent;
	int shared;
} owner_rule;

static const owner_rule rules[] = {
	{"household", "village", NULL, 0},
	{"person", NULL, "household", 0},
	{"visit", NULL, "household", 0},
	{"aid_case", NULL, "person", 0},
	{"aid_action", NULL, "aid_case", 0},
	{"employer", NULL, NULL, 1},
	{"vacancy", NULL, NULL, 1},
	{"referral", NULL, "person", 0},
	{"registration", NULL, "person", 0},
	{"staff", "region", NULL, 0},
	{"event", NULL, NULL, 1},
	{"event_offer", NULL, NULL, 1},
	{"attendance", NULL, "person", 0},
	{"complaint", "region", "person", 0},
	{"staff_cert", NULL, "staff", 0},
	{"training", NULL, "staff", 0},
	{"staff_filing", NULL, "staff", 0},
	{"platform", "region", NULL, 0},
};

#define MAXT 32

/* Per table, resolved once: the field numbers (0: none), the parent's
 * table, and the SQL that reads a row's region, parent and creator. */
static struct {
	int known, shared, region_f, parent_f, parent_t;
	char sql[200];
} own[MAXT];
static int resolved;

static void resolve(void)
{
	if (resolved)
		return;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const tz_table *t = tz_schema_table_find(rules[i].table);
		int ti = t ? tz_schema_table_index(t) : -1;
		if (ti < 0 || ti >= MAXT)
			continue;
		own[ti].known = 1;
		own[ti].shared = rules[i].shared;
		int rf = rules[i].region ? tz_schema_field_find(t, rules[i].region) : -1;
		int pf = rules[i].parent ? tz_schema_field_find(t, rules[i].parent) : -1;
		own[ti].region_f = rf >= 0 ? rf + 1 : 0;
		own[ti].parent_f = pf >= 0 ? pf + 1 : 0;
		own[ti].parent_t = -1;
		if (pf >= 0) {
			const tz_table *p = tz_schema_table_find(t->fields[pf].ref);
			own[ti].parent_t = p ? tz_schema_table_index(p) : -1;
		}
		snprintf(own[ti].sql, sizeof own[ti].sql,
			 "SELECT %s%s%s, %s%s%s, _origin, _hlc FROM \"%s\" WHERE id = ?1",
			 rf >= 0 ? "\"" : "", rf >= 0 ? t->fields[rf].name : "NULL", rf >= 0 ? "\"" : "",
			 pf >= 0 ? "\"" : "", pf >= 0 ? t->fields[pf].name : "NULL", pf >= 0 ? "\"" : "",
			 t->name);
	}
	resolved = 1;
}

int tz_authority_table_known(int table)
{
	resolve();
	return table >= 0 && table < MAXT && table < tz_schema_ntables && own[table].known;
}

/* A row as held here: its region field and parent (empty when none);
 * 1 found, 0 not held, -1 on a database error.  *creator: the origin
 * index of the op that created the row whole (0 if none). */
static int row_get(tz_db *db, int table, const char *id, char rf[13], char parent[33],
		   int64_t *creator)
{
	rf[0] = parent[0] = '\0';
	*creator = 0;
	sqlite3_stmt *st = tz_db_stmt(db, own[table].sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	const unsigned char *r = sqlite3_column_text(st, 0);
	if (r && strlen((const char *)r) == 12)
		memcpy(rf, r, 13);
	const unsigned char *p = sqlite3_column_text(st, 1);
	if (p && strlen((const char *)p) == 32)
		memcpy(parent, p, 33);
	if (sqlite3_column_int64(st, 3))
		*creator = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 1;
}

/* Where the records checked lately belong, so that a batch's persons find
 * their households without a lookup each: direct-mapped by record id,
 * filled with the records the checks allowed, emptied at the start and
 * end of every apply (tz_authority_forget) and whenever an allowed change
 * moves a record that was already held (what hangs off it moved too). */
#define CACHE_SLOTS (1u << 16)
typedef struct {
	uint8_t id[16];
	uint32_t gen; /* valid while it is the current generation */
	int16_t table;
	char region[13];
} cslot;
static cslot *cache;
static uint32_t gen = 1;
static tz_db *cache_db; /* the database the slots describe */

void tz_authority_forget(tz_db *db)
{
	(void)db;
	if (++gen == 0) { /* wrapped: every slot is old again */
		if (cache)
			memset(cache, 0, CACHE_SLOTS * sizeof *cache);
		gen = 1;
	}
}

static cslot *cache_slot(const uint8_t id[16])
{
	return &cache[(id[0] | (unsigned)id[1] << 8 | (unsigned)id[2] << 16) & (CACHE_SLOTS - 1)];
}

static int cache_get(int table, const uint8_t id[16], char region[13])
{
	if (!cache)
		return 0;
	cslot *c = cache_slot(id);
	if (c->gen != gen || c->table != table || memcmp(c->id, id, 16))
		return 0;
	memcpy(region, c->region, 13);
	return 1;
}

static void cache_put(int table, const uint8_t id[16], const char region[13])
{
	if (!cache && !(cache = calloc(CACHE_SLOTS, sizeof *cache)))
		return;
	cslot *c = cache_slot(id);
	memcpy(c->id, id, 16);
	c->gen = gen;
	c->table = (int16_t)table;
	memcpy(c->region, region, 13);
}

/* The region of a row of `table` with region field rf and parent: 1 and
 * region set; 0 when it has none to tell (no region code, no parent);
 * 2 when a record it hangs off is not held here (yet); -1 on a database
 * error. */
static int region_of(tz_db *db, int table, const char *rf, const char *parent, char region[13],
		     int depth)
{
	if (rf[0]) {
		memcpy(region, rf, 13);
		return 1;
	}
	int pt = own[table].parent_t;
	if (!parent[0] || depth > 6 || pt < 0 || pt >= MAXT || !own[pt].known || own[pt].shared)
		return 0;
	uint8_t pid[16];
	if (!tz_hex_decode(parent, pid, 16) && cache_get(pt, pid, region))
		return 1;
	char prf[13], pp[33];
	int64_t c;
	int k = row_get(db, pt, parent, prf, pp, &c);
	if (k < 0)
		return -1;
	if (k == 0)
		return 2;
	return region_of(db, pt, prf, pp, region, depth + 1);
}

/* Digits of the region a role answers for. */
static size_t scope_len(int role)
{
	return role == TZ_ROLE_VILLAGE ? 12 : role == TZ_ROLE_TOWNSHIP ? 9 : role == TZ_ROLE_COUNTY ? 6 : 0;
}

int tz_authority_covers(const tz_authority *a, const char *region)
{
	size_t n = scope_len(a->role);
	return n && strlen(a->region) == 12 && !strncmp(a->region, region, n);
}

/* A text value of exactly n bytes into out (n + 1), else out empty. */
static void take(const tz_colval *cv, size_t n, char *out)
{
	out[0] = '\0';
	if (cv->tag == TZ_VAL_TEXT && cv->len == n) {
		memcpy(out, cv->s, n);
		out[n] = '\0';
	}
}

/* 1 if the device with local index creator lies within a's scope (as
 * enrolled here, or this database itself), or cannot be told and a is a
 * township or county; 0 if not; -1 on a database error. */
static int creator_below(tz_db *db, const tz_authority *a, int64_t creator)
{
	char region[13] = "";
	if (creator && creator == db->origin_idx) {
		char *r = tz_db_region(db);
		snprintf(region, sizeof region, "%s", r ? r : "");
		free(r);
	} else if (creator) {
		const uint8_t *o = tz_db_origin_id(db, creator);
		sqlite3_stmt *st =
			o ? tz_db_stmt(db, "SELECT region FROM keyring WHERE origin = ?1 ORDER BY added DESC LIMIT 1")
			  : NULL;
		if (o && !st)
			return -1;
		if (st) {
			sqlite3_bind_blob(st, 1, o, 16, SQLITE_TRANSIENT);
			int rc = sqlite3_step(st);
			const unsigned char *r = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
			snprintf(region, sizeof region, "%s", r ? (const char *)r : "");
			sqlite3_reset(st);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return -1;
		}
	}
	if (strlen(region) != 12)
		return a->role != TZ_ROLE_VILLAGE;
	return tz_authority_covers(a, region);
}

/* The reason, in the user's language. */
static void reason(char *why, size_t n, const char *en, const char *zh, ...)
	__attribute__((format(printf, 3, 5), format(printf, 4, 5)));
static void reason(char *why, size_t n, const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	vsnprintf(why, n, tz_tr(en, zh), ap);
	va_end(ap);
}

int tz_authority_check(tz_db *db, const tz_authority *a, const tz_op *op, int64_t origin_idx,
		       char *why, size_t whylen)
{
	resolve();
	int t = op->table;
	const tz_table *tb = tz_schema_tables[t];
	if (!tz_authority_table_known(t)) {
		if (a->role == TZ_ROLE_VILLAGE) {
			reason(why, whylen, "a village does not write this table", "村级不能写入此表");
			return 1;
		}
		return 0;
	}
	if (cache_db != db) {
		tz_authority_forget(db);
		cache_db = db;
	}
	char id[33], rf[13], parent[33], before[13], after[13];
	int64_t creator;
	tz_hex_encode(op->row, 16, id);
	int exists = row_get(db, t, id, rf, parent, &creator);
	if (exists < 0)
		return -1;
	if ((!exists || !creator) && !(op->flags & TZ_OP_FULL)) {
		/* a change to a record not held here (or of which only changes
		 * arrived): whose it is shows when the record arrives (bundles
		 * come in any order) */
		reason(why, whylen, "changes a %s record not held here yet", "修改的%s记录本机尚未收到",
		       tz_tr(tb->en, tb->zh));
		return 2;
	}
	/* a whole row where only changes arrived so far (they came before
	 * it) creates the record: its writer becomes the creator */
	int creates = !exists || ((op->flags & TZ_OP_FULL) && !creator);
	if (own[t].shared) {
		/* anyone may create one; it is then its creator's, and the
		 * levels above it may change it */
		if (creates || creator == origin_idx)
			return 0;
		int above = creator_below(db, a, creator);
		if (above < 0)
			return -1;
		if (above)
			return 0;
		if (a->role == TZ_ROLE_VILLAGE)
			reason(why, whylen,
			       "%s records created by another device are the township's to change, not a village's",
			       "其他设备创建的%s记录由乡镇修改，村级不能修改", tz_tr(tb->en, tb->zh));
		else
			reason(why, whylen, "the %s record was created outside %s", "该%s记录创建于 %s 范围之外",
			       tz_tr(tb->en, tb->zh), a->region);
		return 1;
	}
	int kb = exists ? region_of(db, t, rf, parent, before, 0) : 0;
	if (kb < 0)
		return -1;
	if (kb == 1 && !tz_authority_covers(a, before)) {
		reason(why, whylen, "the record belongs to %s, outside %s", "该记录属于 %s，不在 %s 范围内",
		       before, a->region);
		return 1;
	}
	/* the row as the op leaves it: a whole row empties what it does not
	 * name; a change keeps what it does not touch */
	if (op->flags & TZ_OP_FULL)
		rf[0] = parent[0] = '\0';
	size_t pos = 0;
	tz_colval cv;
	int moves = exists && (op->flags & TZ_OP_FULL); /* may change where it belongs */
	while (tz_oplog_data_next(op->data, op->len, &pos, &cv) == 1) {
		if (own[t].region_f && cv.field == own[t].region_f) {
			take(&cv, 12, rf);
			moves |= exists;
		} else if (own[t].parent_f && cv.field == own[t].parent_f) {
			take(&cv, 32, parent);
			moves |= exists;
		}
	}
	int ka = region_of(db, t, rf, parent, after, 0);
	if (ka < 0)
		return -1;
	if (ka == 1 && !tz_authority_covers(a, after)) {
		if (kb == 1)
			reason(why, whylen,
			       "moves the record from %s to %s: a transfer is the township's to make",
			       "把记录从 %s 移到 %s：迁移须由乡镇办理", before, after);
		else
			reason(why, whylen, "puts the record in %s, outside %s", "把记录放入 %s，不在 %s 范围内",
			       after, a->region);
		return 1;
	}
	if (kb == 2 || ka == 2) {
		reason(why, whylen, "the %s record hangs off a record not held here yet",
		       "该%s记录所属的上级记录本机尚未收到", tz_tr(tb->en, tb->zh));
		return 2;
	}
	if (ka == 0 && !creates && a->role == TZ_ROLE_VILLAGE && creator != origin_idx) {
		reason(why, whylen, "the record's place cannot be told and another device created it",
		       "无法确定该记录所属地区，且它由其他设备创建");
		return 1;
	}
	/* allowed.  A new record belongs where the op puts it; one whose
	 * place the op does not touch, where it was.  One the op may move
	 * (the per-column merge decides whether it does) is not remembered,
	 * nor is anything that hangs off it */
	if (moves)
		tz_authority_forget(db);
	else if (ka == 1)
		cache_put(t, op->row, after);
	return 0;
}
