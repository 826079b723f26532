/* test_merge.c - the merge algebra of the change log, on the core directly.
 *
 * State is the per-column last-writer-wins fold of the op log: applying the
 * same ops in any order gives the same dump, re-applying is a no-op, a later
 * hlc wins per column with ties broken by origin id, and delete/edit merge
 * like any other column.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/dump.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/db.h"
#include "tz_test.h"

static int dbno;

static tz_db *fresh_db(int with_identity)
{
	char path[512];
	tz_db *db = NULL;
	tz_err err = {0};
	snprintf(path, sizeof path, "%s/m%d.db", tz_test_tmpdir(), dbno++);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err)) {
		printf("open: %s\n", err.msg);
		exit(2);
	}
	if (with_identity && tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "t", &err)) {
		printf("identity: %s\n", err.msg);
		exit(2);
	}
	return db;
}

static char *dump_of(tz_db *db)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	if (tz_dump(db, f, &err))
		printf("dump: %s\n", err.msg);
	fclose(f);
	return buf;
}

/* ---- collected ops (deep copies) ---- */

typedef struct {
	tz_op *ops;
	size_t n, cap;
} opset;

static int collect_cb(void *ctx, const tz_op *op)
{
	opset *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->ops = realloc(s->ops, s->cap * sizeof *s->ops);
	}
	tz_op *o = &s->ops[s->n++];
	*o = *op;
	uint8_t *d = malloc(op->len + 1);
	memcpy(d, op->data, op->len);
	o->data = d;
	return 0;
}

static void collect(tz_db *db, opset *s)
{
	tz_err err = {0};
	CHECK(tz_oplog_read(db, tz_db_origin(db), 1, UINT64_MAX, collect_cb, s, &err) == TZ_OK);
}

static void opset_free(opset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free((void *)s->ops[i].data);
	free(s->ops);
	s->ops = NULL;
	s->n = s->cap = 0;
}

static size_t apply(tz_db *db, const tz_op *ops, size_t n)
{
	tz_err err = {0};
	size_t applied = 0;
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	if (tz_oplog_apply(db, ops, n, &applied, &err)) {
		printf("apply: %s\n", err.msg);
		tz_db_rollback(db);
		return (size_t)-1;
	}
	CHECK(tz_db_commit(db, &err) == TZ_OK);
	return applied;
}

static void set_now(const char *when) { setenv("TAIZHANG_NOW", when, 1); }

static char *add(tz_db *db, const char *table, const tz_kv *kv, int n)
{
	static char id[33];
	tz_err err = {0};
	if (tz_record_add(db, table, kv, n, id, &err)) {
		printf("add: %s\n", err.msg);
		return NULL;
	}
	return id;
}

static int set1(tz_db *db, const char *table, const char *id, const char *f, const char *v)
{
	tz_err err = {0};
	tz_kv kv = {f, v};
	if (tz_record_set(db, table, id, &kv, 1, &err)) {
		printf("set: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Three villages edit shared records concurrently; every order of applying
 * their op sets (and of single ops) gives the same state. */
TEST(permutations_converge)
{
	tz_db *a = fresh_db(1), *b = fresh_db(1), *c = fresh_db(1);
	tz_err err = {0};
	opset sa = {0}, sb = {0}, sc = {0};

	set_now("2026-03-01T09:00:00");
	tz_kv hh[] = {{"village", "430181100201"}, {"address", "一组1号"}, {"phone", "13800000001"}};
	char hid[33];
	snprintf(hid, sizeof hid, "%s", add(a, "household", hh, 3));
	tz_kv pp[] = {{"household", hid}, {"name", "张三"}, {"id_number", "11010519491231002X"}};
	char pid[33];
	snprintf(pid, sizeof pid, "%s", add(a, "person", pp, 3));
	collect(a, &sa);
	/* b and c receive a's records, then all three edit concurrently */
	CHECK_INT(apply(b, sa.ops, sa.n), sa.n);
	CHECK_INT(apply(c, sa.ops, sa.n), sa.n);
	opset_free(&sa);

	set_now("2026-03-02T10:00:00");
	CHECK(set1(a, "household", hid, "address", "一组1号(A改)") == 0);
	set_now("2026-03-02T11:00:00");
	CHECK(set1(b, "household", hid, "address", "一组1号(B改)") == 0); /* later: wins */
	CHECK(set1(b, "person", pid, "phone", "13911112222") == 0);
	set_now("2026-03-02T09:00:00");
	CHECK(set1(c, "person", pid, "skills", "电工") == 0);          /* other field: kept */
	CHECK(set1(c, "household", hid, "phone", "13700000000") == 0);
	set_now("2026-03-03T09:00:00");
	tz_kv hh2[] = {{"village", "430181100201"}, {"address", "二组5号"}};
	CHECK(add(c, "household", hh2, 2) != NULL);

	collect(a, &sa);
	collect(b, &sb);
	collect(c, &sc);
	opset *sets[3] = {&sa, &sb, &sc};
	static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
				       {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	char *first = NULL;
	for (int p = 0; p < 6; p++) {
		tz_db *t = fresh_db(0);
		for (int k = 0; k < 3; k++)
			apply(t, sets[perm[p][k]]->ops, sets[perm[p][k]]->n);
		char *d = dump_of(t);
		if (!first)
			first = d;
		else {
			CHECK_STR(d, first);
			free(d);
		}
		tz_db_close(t);
	}
	/* single ops in reverse order, each as its own batch */
	tz_db *t = fresh_db(0);
	for (int k = 2; k >= 0; k--)
		for (size_t i = sets[k]->n; i-- > 0;)
			apply(t, &sets[k]->ops[i], 1);
	char *d = dump_of(t);
	CHECK_STR(d, first);
	free(d);
	tz_db_close(t);
	/* every op of the three devices in one batch, last first: the batch is
	 * folded row by row (sorted), each row's ops in the order given */
	opset all = {0};
	for (int k = 2; k >= 0; k--)
		for (size_t i = sets[k]->n; i-- > 0;)
			collect_cb(&all, &sets[k]->ops[i]);
	t = fresh_db(0);
	CHECK_INT(apply(t, all.ops, all.n), all.n);
	d = dump_of(t);
	CHECK_STR(d, first);
	free(d);
	opset_free(&all);

	/* the expected winners */
	tz_row r;
	CHECK(tz_record_get(t, "household", hid, &r, &err) == TZ_OK);
	CHECK_STR(r.vals[1], "一组1号(B改)");
	CHECK_STR(r.vals[2], "13700000000");
	tz_record_row_free(&r);
	CHECK(tz_record_get(t, "person", pid, &r, &err) == TZ_OK);
	CHECK_STR(r.vals[5], "13911112222");
	CHECK_STR(r.vals[9], "电工");
	CHECK_STR(r.vals[1], "张三");
	tz_record_row_free(&r);

	/* re-applying everything is a no-op */
	for (int k = 0; k < 3; k++)
		CHECK_INT(apply(t, sets[k]->ops, sets[k]->n), 0);
	d = dump_of(t);
	CHECK_STR(d, first);
	free(d);
	tz_db_close(t);
	free(first);
	opset_free(&sa);
	opset_free(&sb);
	opset_free(&sc);
	tz_db_close(a);
	tz_db_close(b);
	tz_db_close(c);
	unsetenv("TAIZHANG_NOW");
}

/* Hand-made ops give exact control of hlc and origin. */
static tz_op mkop(uint8_t origin_byte, uint64_t seq, uint64_t hlc, uint8_t row_byte, unsigned flags,
		  tz_buf *b)
{
	tz_op op = {.seq = seq, .hlc = hlc, .table = 0, .flags = flags, .data = b->buf, .len = b->len};
	memset(op.origin, origin_byte, 16);
	memset(op.row, row_byte, 16);
	return op;
}

static char *field_of(tz_db *db, uint8_t row_byte, int field)
{
	uint8_t row[16];
	char id[33];
	tz_row r;
	tz_err err = {0};
	memset(row, row_byte, 16);
	tz_hex_encode(row, 16, id);
	if (tz_record_get(db, "household", id, &r, &err))
		return NULL;
	char *v = field == 0 ? strdup(r.deleted ? "1" : "0")
			     : r.vals[field - 1] ? strdup(r.vals[field - 1]) : NULL;
	tz_record_row_free(&r);
	return v;
}

TEST(tie_broken_by_origin)
{
	tz_buf b1 = {0}, b2 = {0};
	tz_oplog_data_text(&b1, 2, "from-11", 7);
	tz_oplog_data_text(&b2, 2, "from-22", 7);
	tz_op o1 = mkop(0x11, 1, 1000, 0x55, 0, &b1);
	tz_op o2 = mkop(0x22, 1, 1000, 0x55, 0, &b2); /* same hlc, greater origin id */
	tz_db *x = fresh_db(0), *y = fresh_db(0);
	apply(x, &o1, 1);
	apply(x, &o2, 1);
	apply(y, &o2, 1);
	apply(y, &o1, 1);
	char *vx = field_of(x, 0x55, 2), *vy = field_of(y, 0x55, 2);
	CHECK_STR(vx, "from-22");
	CHECK_STR(vy, "from-22");
	free(vx);
	free(vy);
	char *dx = dump_of(x), *dy = dump_of(y);
	CHECK_STR(dx, dy);
	free(dx);
	free(dy);
	tz_db_close(x);
	tz_db_close(y);
	tz_buf_free(&b1);
	tz_buf_free(&b2);
}

/* Ties with an origin the id cache does not hold yet, on either side of
 * the comparison: the lookup reloads the cache (a use-after-free under
 * ASan before version_cmp copied the first id), and the greater origin id
 * still wins. */
TEST(tie_with_an_origin_new_to_the_cache)
{
	tz_buf b[6] = {{0}};
	const char *v[6] = {"o33", "o44", "o55", "o33b", "o44b", "o66"};
	for (int i = 0; i < 6; i++)
		tz_oplog_data_text(&b[i], 2, v[i], strlen(v[i]));
	tz_db *x = fresh_db(0);
	tz_op o[6] = {
		mkop(0x33, 1, 1000, 0x61, 0, &b[0]),
		mkop(0x44, 1, 1000, 0x61, 0, &b[1]), /* a tie: the cache now holds 33, 44 */
		mkop(0x55, 1, 2000, 0x62, 0, &b[2]), /* a third origin, no tie */
		mkop(0x33, 2, 2000, 0x62, 0, &b[3]), /* 33 (cached) against 55 (not) */
		mkop(0x44, 2, 3000, 0x63, 0, &b[4]),
		mkop(0x66, 1, 3000, 0x63, 0, &b[5]), /* 66 (not cached) against 44 */
	};
	for (int i = 0; i < 6; i++)
		apply(x, &o[i], 1);
	static const struct {
		uint8_t row;
		const char *want;
	} won[] = {{0x61, "o44"}, {0x62, "o55"}, {0x63, "o66"}};
	for (size_t i = 0; i < 3; i++) {
		char *got = field_of(x, won[i].row, 2);
		CHECK_STR(got, won[i].want);
		free(got);
	}
	tz_db_close(x);
	for (int i = 0; i < 6; i++)
		tz_buf_free(&b[i]);
}

TEST(later_hlc_wins_per_column)
{
	tz_buf full = {0}, e1 = {0}, e2 = {0};
	tz_oplog_data_text(&full, 1, "430181100201", 12);
	tz_oplog_data_text(&full, 2, "addr0", 5);
	tz_oplog_data_text(&full, 3, "13800000000", 11);
	tz_oplog_data_text(&e1, 2, "addr-late", 9);
	tz_oplog_data_text(&e2, 2, "addr-early", 10);
	tz_oplog_data_text(&e2, 4, "note-early", 10);
	tz_op ops[3] = {mkop(0x01, 1, 100, 0x66, TZ_OP_FULL, &full),
			mkop(0x02, 1, 300, 0x66, 0, &e1), mkop(0x03, 1, 200, 0x66, 0, &e2)};
	static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
				       {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	char *first = NULL;
	for (int p = 0; p < 6; p++) {
		tz_db *x = fresh_db(0);
		for (int k = 0; k < 3; k++)
			apply(x, &ops[perm[p][k]], 1);
		char *v = field_of(x, 0x66, 2);
		CHECK_STR(v, "addr-late");
		free(v);
		v = field_of(x, 0x66, 4);
		CHECK_STR(v, "note-early"); /* a column nobody else wrote later */
		free(v);
		v = field_of(x, 0x66, 3);
		CHECK_STR(v, "13800000000"); /* the whole-row op arrived last in some orders */
		free(v);
		char *d = dump_of(x);
		if (!first)
			first = d;
		else {
			CHECK_STR(d, first);
			free(d);
		}
		tz_db_close(x);
	}
	free(first);
	tz_buf_free(&full);
	tz_buf_free(&e1);
	tz_buf_free(&e2);
}

/* A whole-row op older than an edit of a row never seen must not clobber
 * the edit, and fields it leaves empty must be empty. */
TEST(full_row_after_newer_edit)
{
	tz_buf full = {0}, e = {0};
	tz_oplog_data_text(&full, 1, "430181100201", 12);
	tz_oplog_data_text(&full, 2, "old", 3);
	tz_oplog_data_text(&e, 2, "new", 3);
	tz_oplog_data_text(&e, 4, "n", 1);
	tz_op f = mkop(0x01, 1, 100, 0x77, TZ_OP_FULL, &full), u = mkop(0x02, 1, 200, 0x77, 0, &e);
	tz_db *x = fresh_db(0), *y = fresh_db(0);
	apply(x, &u, 1);
	apply(x, &f, 1);
	apply(y, &f, 1);
	apply(y, &u, 1);
	char *dx = dump_of(x), *dy = dump_of(y);
	CHECK_STR(dx, dy);
	CHECK(strstr(dx, "\taddress\tnew\n") != NULL);
	CHECK(strstr(dx, "\tvillage\t430181100201\n") != NULL);
	free(dx);
	free(dy);
	tz_db_close(x);
	tz_db_close(y);
	tz_buf_free(&full);
	tz_buf_free(&e);
}

TEST(delete_and_edit_commute)
{
	tz_buf full = {0}, del = {0}, ed = {0}, undel = {0};
	tz_oplog_data_text(&full, 1, "430181100201", 12);
	tz_oplog_data_text(&full, 2, "a", 1);
	tz_oplog_data_int(&del, TZ_FIELD_DELETED, 1);
	tz_oplog_data_text(&ed, 2, "edited", 6);
	tz_oplog_data_int(&undel, TZ_FIELD_DELETED, 0);
	/* delete before a later edit: still deleted (the edit does not undelete),
	 * the edit's value is kept under the tombstone */
	tz_op ops1[3] = {mkop(0x01, 1, 100, 0x88, TZ_OP_FULL, &full), mkop(0x01, 2, 200, 0x88, 0, &del),
			 mkop(0x02, 1, 300, 0x88, 0, &ed)};
	/* an edit before a later delete; then a later undelete wins over the delete */
	tz_op ops2[4] = {mkop(0x01, 3, 100, 0x99, TZ_OP_FULL, &full), mkop(0x02, 2, 150, 0x99, 0, &ed),
			 mkop(0x01, 4, 200, 0x99, 0, &del), mkop(0x03, 1, 250, 0x99, 0, &undel)};
	tz_db *x = fresh_db(0), *y = fresh_db(0);
	for (int k = 0; k < 3; k++)
		apply(x, &ops1[k], 1);
	for (int k = 2; k >= 0; k--)
		apply(y, &ops1[k], 1);
	for (int k = 0; k < 4; k++)
		apply(x, &ops2[k], 1);
	for (int k = 3; k >= 0; k--)
		apply(y, &ops2[k], 1);
	char *dx = dump_of(x), *dy = dump_of(y);
	CHECK_STR(dx, dy);
	free(dx);
	free(dy);
	char *v = field_of(x, 0x88, 0);
	CHECK_STR(v, "1");
	free(v);
	v = field_of(x, 0x88, 2);
	CHECK_STR(v, "edited");
	free(v);
	v = field_of(y, 0x99, 0);
	CHECK_STR(v, "0");
	free(v);
	v = field_of(y, 0x99, 2);
	CHECK_STR(v, "edited");
	free(v);
	tz_db_close(x);
	tz_db_close(y);
	tz_buf_free(&full);
	tz_buf_free(&del);
	tz_buf_free(&ed);
	tz_buf_free(&undel);
}

typedef struct {
	int n;
	uint64_t first[8], last[8];
} ranges;

static int range_cb(void *ctx, const uint8_t origin[16], uint64_t first, uint64_t last)
{
	ranges *r = ctx;
	(void)origin;
	if (r->n < 8) {
		r->first[r->n] = first;
		r->last[r->n] = last;
	}
	r->n++;
	return 0;
}

TEST(gaps_are_applied_and_reported)
{
	tz_buf b1 = {0};
	tz_oplog_data_text(&b1, 2, "x", 1);
	tz_op o1 = mkop(0x42, 1, 100, 0x10, 0, &b1), o3 = mkop(0x42, 3, 300, 0x11, 0, &b1),
	      o4 = mkop(0x42, 4, 400, 0x12, 0, &b1), o2 = mkop(0x42, 2, 200, 0x13, 0, &b1);
	tz_db *x = fresh_db(0);
	tz_err err = {0};
	uint8_t origin[16];
	memset(origin, 0x42, 16);
	apply(x, &o1, 1);
	apply(x, &o3, 1);
	apply(x, &o4, 1);
	CHECK_INT(tz_oplog_high_water(x, origin), 1);
	ranges r = {0};
	CHECK(tz_oplog_ranges(x, range_cb, &r, &err) == TZ_OK);
	CHECK_INT(r.n, 2);
	CHECK_INT(r.first[0], 1);
	CHECK_INT(r.last[0], 1);
	CHECK_INT(r.first[1], 3);
	CHECK_INT(r.last[1], 4);
	char *v = field_of(x, 0x11, 2);
	CHECK_STR(v, "x"); /* applied despite the gap */
	free(v);
	apply(x, &o2, 1);
	CHECK_INT(tz_oplog_high_water(x, origin), 4);
	memset(&r, 0, sizeof r);
	CHECK(tz_oplog_ranges(x, range_cb, &r, &err) == TZ_OK);
	CHECK_INT(r.n, 1);
	tz_db_close(x);
	tz_buf_free(&b1);
}

TEST(malformed_ops_refused_whole)
{
	tz_db *x = fresh_db(0);
	tz_err err = {0};
	tz_buf good = {0}, bad = {0}, wrongtype = {0};
	tz_oplog_data_text(&good, 2, "ok", 2);
	tz_oplog_data_text(&bad, 99, "no such field", 13);
	tz_oplog_data_int(&wrongtype, 2, 5); /* address is text */
	tz_op ops[2] = {mkop(0x01, 1, 100, 0x20, 0, &good), mkop(0x01, 2, 200, 0x21, 0, &bad)};
	char *before = dump_of(x);
	CHECK(tz_db_begin(x, &err) == TZ_OK);
	CHECK(tz_oplog_apply(x, ops, 2, NULL, &err) == TZ_EINVAL);
	tz_db_rollback(x);
	tz_op w = mkop(0x01, 1, 100, 0x22, 0, &wrongtype);
	CHECK(tz_db_begin(x, &err) == TZ_OK);
	CHECK(tz_oplog_apply(x, &w, 1, NULL, &err) == TZ_EINVAL);
	tz_db_rollback(x);
	char *after = dump_of(x);
	CHECK_STR(after, before);
	free(before);
	free(after);
	/* truncated data */
	tz_op t = mkop(0x01, 1, 100, 0x23, 0, &good);
	t.len--;
	CHECK(tz_db_begin(x, &err) == TZ_OK);
	CHECK(tz_oplog_apply(x, &t, 1, NULL, &err) == TZ_EINVAL);
	tz_db_rollback(x);
	tz_db_close(x);
	tz_buf_free(&good);
	tz_buf_free(&bad);
	tz_buf_free(&wrongtype);
}

/* Importing advances the clock: a local edit made after receiving a
 * correction wins over it even when this PC's clock is behind. */
TEST(clock_advances_past_imports)
{
	tz_db *a = fresh_db(1), *b = fresh_db(1);
	opset sa = {0}, sb = {0};
	set_now("2026-05-01");
	tz_kv hh[] = {{"village", "430181100201"}, {"address", "x"}};
	char hid[33];
	snprintf(hid, sizeof hid, "%s", add(a, "household", hh, 2));
	collect(a, &sa);
	apply(b, sa.ops, sa.n);
	opset_free(&sa);
	set_now("2026-06-01"); /* township's clock */
	CHECK(set1(a, "household", hid, "address", "correction") == 0);
	collect(a, &sa);
	apply(b, &sa.ops[1], 1);
	set_now("2026-05-02"); /* the village PC's clock is a month behind */
	CHECK(set1(b, "household", hid, "address", "village edit after") == 0);
	collect(b, &sb);
	CHECK(sb.ops[sb.n - 1].hlc > sa.ops[1].hlc);
	apply(a, &sb.ops[sb.n - 1], 1);
	char *da = dump_of(a), *db_ = dump_of(b);
	CHECK_STR(da, db_);
	CHECK(strstr(da, "village edit after") != NULL);
	free(da);
	free(db_);
	opset_free(&sa);
	opset_free(&sb);
	tz_db_close(a);
	tz_db_close(b);
	unsetenv("TAIZHANG_NOW");
}

/* A local write that fails validation writes nothing: no op, no seq. */
TEST(refused_write_leaves_nothing)
{
	tz_db *a = fresh_db(1);
	tz_err err = {0};
	tz_kv bad[] = {{"village", "430181100201"}, {"address", "x"}, {"phone", "12345"}};
	char id[33];
	CHECK(tz_record_add(a, "household", bad, 3, id, &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "phone") != NULL || strstr(err.msg, "电话") != NULL);
	opset s = {0};
	collect(a, &s);
	CHECK_INT(s.n, 0);
	tz_kv good[] = {{"village", "430181100201"}, {"address", "x"}};
	CHECK(tz_record_add(a, "household", good, 2, id, &err) == TZ_OK);
	collect(a, &s);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.ops[0].seq, 1);
	opset_free(&s);
	tz_db_close(a);
}

static int count_cb(void *ctx, const tz_row *r)
{
	(void)r;
	(*(long *)ctx)++;
	return 0;
}

/* The live-row counters kept by triggers agree with the rows, through
 * inserts, deletes and undeletes arriving in any order. */
TEST(live_counts_follow_merges)
{
	tz_buf full = {0}, del = {0}, undel = {0};
	tz_oplog_data_text(&full, 1, "430181100201", 12);
	tz_oplog_data_text(&full, 2, "a", 1);
	tz_oplog_data_int(&del, TZ_FIELD_DELETED, 1);
	tz_oplog_data_int(&undel, TZ_FIELD_DELETED, 0);
	tz_op ops[6] = {mkop(0x01, 1, 100, 0xa1, TZ_OP_FULL, &full),
			mkop(0x01, 2, 110, 0xa2, TZ_OP_FULL, &full),
			mkop(0x01, 3, 120, 0xa3, TZ_OP_FULL, &full),
			mkop(0x01, 4, 200, 0xa1, 0, &del),
			mkop(0x02, 1, 210, 0xa2, 0, &del),
			mkop(0x02, 2, 300, 0xa2, 0, &undel)};
	static const int order[2][6] = {{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}};
	tz_err err = {0};
	for (int o = 0; o < 2; o++) {
		tz_db *x = fresh_db(0);
		for (int k = 0; k < 6; k++) {
			apply(x, &ops[order[o][k]], 1);
			long live = 0;
			CHECK(tz_record_list(x, "household", NULL, 0, count_cb, &live, &err) == TZ_OK);
			CHECK_INT(tz_record_count(x, "household"), live);
		}
		CHECK_INT(tz_record_count(x, "household"), 2);
		tz_db_close(x);
	}
	/* all six in one batch (folded row by row), and a batch refused at
	 * its last op: the counts are written with the batch or not at all */
	tz_db *x = fresh_db(0);
	tz_op rev[6];
	for (int k = 0; k < 6; k++)
		rev[k] = ops[5 - k];
	CHECK_INT(apply(x, rev, 6), 6);
	CHECK_INT(tz_record_count(x, "household"), 2);
	tz_op bad[2] = {mkop(0x03, 1, 400, 0xa4, TZ_OP_FULL, &full), ops[0]};
	bad[1].data = (const uint8_t *)"\xff";
	bad[1].len = 1;
	bad[1].seq = 2;
	memset(bad[1].origin, 0x03, 16);
	CHECK(tz_db_begin(x, &err) == TZ_OK);
	CHECK(tz_oplog_apply(x, bad, 2, NULL, &err) != TZ_OK);
	tz_db_rollback(x);
	CHECK_INT(tz_record_count(x, "household"), 2);
	tz_db_close(x);
	tz_buf_free(&full);
	tz_buf_free(&del);
	tz_buf_free(&undel);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	RUN(permutations_converge);
	RUN(tie_broken_by_origin);
	RUN(tie_with_an_origin_new_to_the_cache);
	RUN(later_hlc_wins_per_column);
	RUN(full_row_after_newer_edit);
	RUN(delete_and_edit_commute);
	RUN(gaps_are_applied_and_reported);
	RUN(malformed_ops_refused_whole);
	RUN(clock_advances_past_imports);
	RUN(refused_write_leaves_nothing);
	RUN(live_counts_follow_merges);
	return tz_test_done();
}
