/* test_search.c - the search index and its queries, on the core directly.
 *
 * Names (whole, beginning, any later part), pinyin initials and full pinyin,
 * ID number beginnings and endings, phone beginnings; the ranking; the
 * index following every write path (local add, edit and delete, ops merged
 * from another device, an older file upgraded); every query an index range
 * scan (EXPLAIN QUERY PLAN).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>

#include "core/internal.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/search.h"
#include "taizhang/db.h"
#include "tz_test.h"

static int dbno;

static tz_db *fresh_db(void)
{
	char path[512];
	tz_db *db = NULL;
	tz_err err = {0};
	snprintf(path, sizeof path, "%s/s%d.db", tz_test_tmpdir(), dbno++);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "t", &err)) {
		printf("open: %s\n", err.msg);
		exit(2);
	}
	return db;
}

/* An ID number with the right check character: 17 digits given. */
static const char *idnum(const char *d17)
{
	static char out[4][19];
	static int k;
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char *o = out[k++ & 3];
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	memcpy(o, d17, 17);
	o[17] = "10X98765432"[sum % 11];
	o[18] = '\0';
	return o;
}

static void add(tz_db *db, const char *table, const tz_kv *kv, int n, char id[33])
{
	tz_err err = {0};
	if (tz_record_add(db, table, kv, n, id, &err) != TZ_OK) {
		printf("add %s: %s\n", table, err.msg);
		exit(2);
	}
}

static char *add_person(tz_db *db, const char *hh, const char *name, const char *id_number,
			const char *phone)
{
	static char id[8][33];
	static int k;
	char *o = id[k++ & 7];
	tz_kv kv[] = {{"household", hh}, {"name", name}, {"id_number", id_number},
		      {"phone", phone}};
	add(db, "person", kv, 4, o);
	return o;
}

/* ---- collecting hits ---- */

typedef struct {
	int n;
	tz_search_hit h[64];
	char names[64][64], ids[64][33];
} hits;

static int collect(void *ctx, const tz_search_hit *h)
{
	hits *r = ctx;
	if (r->n >= 64)
		return 1;
	r->h[r->n] = *h;
	snprintf(r->names[r->n], sizeof r->names[0], "%s", h->name);
	snprintf(r->ids[r->n], sizeof r->ids[0], "%s", h->id);
	r->h[r->n].name = r->names[r->n];
	r->h[r->n].id = r->ids[r->n];
	r->h[r->n].id_number = r->h[r->n].phone = r->h[r->n].household = "";
	r->h[r->n].village = r->h[r->n].address = "";
	r->n++;
	return 0;
}

static hits *find(tz_db *db, const char *text, int limit)
{
	static hits r;
	tz_err err = {0};
	memset(&r, 0, sizeof r);
	if (tz_search(db, text, limit, collect, &r, &err) != TZ_OK)
		printf("search %s: %s\n", text, err.msg);
	return &r;
}

/* the index of the hit with this id and table, or -1 */
static int pos_of(const hits *r, const char *table, const char *id)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->h[i].table, table) && !strcmp(r->ids[i], id))
			return i;
	return -1;
}

/* The index holds exactly the keys of the live rows, recomputed. */
static int index_consistent(tz_db *db)
{
	static const char sql[] =
		"WITH want AS ("
		" SELECT j.value AS kind, j.key AS key, 1 AS tbl, tz_search_id(p.id) AS id"
		"  FROM person p,"
		"  json_each(tz_search_keys(p.name, p.id_number, p.phone)) j WHERE p._deleted = 0"
		" UNION SELECT j.value, j.key, 0, tz_search_id(h.id) FROM household h,"
		"  json_each(tz_search_keys(h.head_name, NULL, h.phone)) j WHERE h._deleted = 0)"
		" SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT"
		"  SELECT kind, key, tbl, id FROM search))"
		" + (SELECT count(*) FROM (SELECT kind, key, tbl, id FROM search EXCEPT"
		"  SELECT * FROM want))";
	sqlite3_stmt *st;
	int bad = -1;
	if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &st, NULL) != SQLITE_OK) {
		printf("consistency: %s\n", sqlite3_errmsg(tz_db_sql(db)));
		return 0;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		bad = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (bad)
		printf("index differs from the rows in %d keys\n", bad);
	return bad == 0;
}

static int keys_of(tz_db *db, const char *id)
{
	sqlite3_stmt *st;
	int n = -1;
	sqlite3_prepare_v2(tz_db_sql(db), "SELECT count(*) FROM search WHERE id = tz_search_id(?1)", -1, &st,
			   NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- a small village ---- */

static tz_db *db;
static char hh1[33], hh2[33];
static char p_zhangsan[33], p_wxm[33], p_zsf[33], p_lizs[33], p_shan[33], p_zeng[33];
static char id_zhangsan[19], id_wxm[19];

static void setup(void)
{
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	db = fresh_db();
	tz_err err = {0};
	tz_kv h1[] = {{"village", "430181100201"}, {"address", "一组12号"},
		      {"phone", "13800138000"}, {"head_name", "张三"}};
	tz_kv h2[] = {{"village", "430181100202"}, {"address", "二组3号"},
		      {"phone", "0731-84567890"}, {"head_name", "王大明"}};
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	add(db, "household", h1, 4, hh1);
	add(db, "household", h2, 4, hh2);
	snprintf(id_zhangsan, sizeof id_zhangsan, "%s", idnum("11010519491231002"));
	snprintf(id_wxm, sizeof id_wxm, "%s", idnum("43018119900101123"));
	strcpy(p_zhangsan, add_person(db, hh1, "张三", id_zhangsan, "13800138000"));
	strcpy(p_wxm, add_person(db, hh2, "王小明", id_wxm, "13912345678"));
	strcpy(p_zsf, add_person(db, hh1, "张三丰", idnum("43018119800505456"), ""));
	strcpy(p_lizs, add_person(db, hh1, "李张三", idnum("43018119850505456"), "15000000001"));
	strcpy(p_shan, add_person(db, hh2, "单田芳", idnum("43018119340505456"), ""));
	strcpy(p_zeng, add_person(db, hh2, "曾小红", idnum("43018120000505456"), ""));
	CHECK(tz_db_commit(db, &err) == TZ_OK);
}

TEST(table_numbers)
{
	/* the triggers (core/db.c, migration 4) hard-code these */
	CHECK_INT(tz_schema_table_index(tz_schema_table_find("household")), 0);
	CHECK_INT(tz_schema_table_index(tz_schema_table_find("person")), 1);
	CHECK_STR(tz_search_kind_name(TZ_SK_INITIALS), "initials");
	CHECK_STR(tz_search_kind_name(TZ_SK_ID_END), "id_number_end");
	CHECK_STR(tz_search_kind_name(99), "?");
}

TEST(by_name)
{
	hits *r = find(db, "张三", 0);
	/* exact: the person and the household whose head he is; then the name
	 * that begins with it; then the one that has it later */
	CHECK_INT(r->n, 4);
	CHECK_STR(r->names[0], "张三");
	CHECK_STR(r->h[0].table, "person");
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	CHECK_INT(r->h[0].kind, TZ_SK_NAME);
	CHECK_STR(r->h[1].table, "household");
	CHECK_STR(r->ids[1], hh1);
	CHECK_STR(r->names[2], "张三丰");
	CHECK_INT(r->h[2].rank, TZ_SEARCH_PREFIX);
	CHECK_STR(r->names[3], "李张三");
	CHECK_INT(r->h[3].rank, TZ_SEARCH_PART);
	CHECK_INT(r->h[3].kind, TZ_SK_NAME_PART);

	r = find(db, "小明", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_wxm);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_PART);

	r = find(db, "明", 0); /* one character: 王小明 and household head 王大明 */
	CHECK_INT(r->n, 2);
	r = find(db, " 张 三 ", 0); /* spaces do not matter */
	CHECK_INT(r->n, 4);
	r = find(db, "赵", 0);
	CHECK_INT(r->n, 0);
}

TEST(by_initials_and_pinyin)
{
	hits *r = find(db, "zs", 0);
	CHECK(r->n >= 3);
	CHECK_STR(r->names[0], "张三");
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	CHECK_INT(r->h[0].kind, TZ_SK_INITIALS);
	CHECK(pos_of(r, "household", hh1) == 1);
	int zsf = pos_of(r, "person", p_zsf), lizs = pos_of(r, "person", p_lizs);
	CHECK(zsf > 1);
	CHECK(lizs > zsf); /* lzs has zs later: a part */
	CHECK_INT(r->h[lizs].rank, TZ_SEARCH_PART);
	CHECK_INT(r->h[lizs].kind, TZ_SK_INITIALS_PART);

	r = find(db, "ZS", 0); /* case does not matter */
	CHECK_STR(r->names[0], "张三");
	r = find(db, "wxm", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_wxm);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	r = find(db, "xm", 0);
	CHECK(pos_of(r, "person", p_wxm) >= 0);

	r = find(db, "zhangs", 0);
	CHECK(pos_of(r, "person", p_zhangsan) >= 0);
	CHECK(pos_of(r, "person", p_zsf) >= 0);
	CHECK_INT(r->h[pos_of(r, "person", p_zsf)].kind, TZ_SK_PINYIN);
	CHECK_INT(r->h[pos_of(r, "person", p_zsf)].rank, TZ_SEARCH_PREFIX);
	r = find(db, "zhang san", 0);
	CHECK_STR(r->names[0], "张三");
	CHECK_INT(r->h[0].kind, TZ_SK_PINYIN);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	r = find(db, "wangxiaoming", 0);
	CHECK_INT(r->n, 1);

	/* surnames: 单 shan (and dan), 曾 zeng (and ceng) */
	r = find(db, "shantianfang", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_shan);
	r = find(db, "stf", 0);
	CHECK_INT(r->n, 1);
	r = find(db, "dtf", 0);
	CHECK_INT(r->n, 1);
	r = find(db, "zengx", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_zeng);
	r = find(db, "zxh", 0);
	CHECK_INT(r->n, 1);
}

TEST(by_id_number)
{
	/* the last four digits: staff often know only those */
	hits *r = find(db, id_wxm + 14, 0);
	CHECK(pos_of(r, "person", p_wxm) == 0);
	CHECK_INT(r->h[0].kind, TZ_SK_ID_END);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_PREFIX);
	/* ending in X, either case */
	CHECK(!strcmp(id_zhangsan + 17, "X"));
	r = find(db, "002x", 0);
	CHECK(pos_of(r, "person", p_zhangsan) == 0);
	r = find(db, "002X", 0);
	CHECK(pos_of(r, "person", p_zhangsan) == 0);
	/* the beginning */
	r = find(db, "1101051949", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_zhangsan);
	CHECK_INT(r->h[0].kind, TZ_SK_ID);
	r = find(db, "430181", 0);
	CHECK_INT(r->n, 5);
	/* the whole number: exact */
	r = find(db, id_wxm, 0);
	CHECK_INT(r->n, 1);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	CHECK_INT(r->h[0].kind, TZ_SK_ID);
	r = find(db, "9999", 0);
	CHECK_INT(r->n, 0);
}

TEST(by_phone)
{
	hits *r = find(db, "1380013", 0);
	CHECK_INT(r->n, 2); /* 张三 and his household */
	CHECK_INT(r->h[0].kind, TZ_SK_PHONE);
	r = find(db, "13800138000", 0);
	CHECK_INT(r->n, 2);
	CHECK_INT(r->h[0].rank, TZ_SEARCH_EXACT);
	CHECK_INT(r->h[1].rank, TZ_SEARCH_EXACT);
	CHECK_STR(r->h[0].table, "person");
	r = find(db, "139 1234", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], p_wxm);
	/* a fixed line, with or without its area code */
	r = find(db, "0731-8456", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->ids[0], hh2);
	r = find(db, "84567890", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->h[0].table, "household");
}

typedef struct {
	int n;
	char line[512];
} one_line;

static int line_cb(void *ctx, const tz_search_hit *h)
{
	one_line *g = ctx;
	snprintf(g->line, sizeof g->line, "%s|%s|%s|%s|%s|%s|%s|%s", h->table, h->id, h->name,
		 h->id_number, h->phone, h->household, h->village, h->address);
	g->n++;
	return 0;
}

static int stop_cb(void *ctx, const tz_search_hit *h)
{
	(void)h;
	(*(int *)ctx)++;
	return 1;
}

TEST(hit_fields)
{
	tz_err err = {0};
	one_line got = {0};
	char want[512];
	CHECK(tz_search(db, "wxm", 0, line_cb, &got, &err) == TZ_OK);
	CHECK_INT(got.n, 1);
	snprintf(want, sizeof want, "person|%s|王小明|%s|13912345678|%s|430181100202|二组3号", p_wxm,
		 id_wxm, hh2);
	CHECK_STR(got.line, want);
	got.n = 0;
	CHECK(tz_search(db, "王大明", 0, line_cb, &got, &err) == TZ_OK);
	CHECK_INT(got.n, 1);
	/* a household: its own id as the household, its phone as stored */
	snprintf(want, sizeof want, "household|%s|王大明||0731-84567890|%s|430181100202|二组3号",
		 hh2, hh2);
	CHECK_STR(got.line, want);
	/* a callback's non-zero return stops */
	int calls = 0;
	CHECK(tz_search(db, "zs", 0, stop_cb, &calls, &err) == TZ_OK);
	CHECK_INT(calls, 1);
	CHECK(find(db, "zs", 0)->n > 1);
}

TEST(limit_and_bad_queries)
{
	hits *r = find(db, "430181", 2);
	CHECK_INT(r->n, 2);
	r = find(db, "z", 1);
	CHECK_INT(r->n, 1);
	tz_err err = {0};
	CHECK(tz_search(db, "", 0, collect, find(db, "x", 0), &err) == TZ_EUSAGE);
	CHECK(tz_search(db, " · ", 0, NULL, NULL, &err) == TZ_EUSAGE);
	CHECK(tz_search(db, NULL, 0, NULL, NULL, &err) == TZ_EUSAGE);
	/* odd text is just text */
	r = find(db, "%_'\"\\", 0);
	CHECK_INT(r->n, 0);
	r = find(db, "\xff\xfe张三", 0);
	CHECK_STR(r->names[0], "张三");
	char longq[1000];
	memset(longq, 'z', sizeof longq - 1);
	longq[sizeof longq - 1] = '\0';
	r = find(db, longq, 0);
	CHECK_INT(r->n, 0);
}

TEST(edits_and_deletes)
{
	tz_err err = {0};
	char id[33];
	char *p = add_person(db, hh1, "赵六", idnum("43018119700101777"), "");
	strcpy(id, p);
	CHECK(pos_of(find(db, "zl", 0), "person", id) >= 0);
	int before = keys_of(db, id);
	CHECK(before > 0);

	/* a new name: the old keys go, the new ones come */
	tz_kv kv[] = {{"name", "钱七"}};
	CHECK(tz_record_set(db, "person", id, kv, 1, &err) == TZ_OK);
	CHECK(pos_of(find(db, "zl", 0), "person", id) < 0);
	CHECK(pos_of(find(db, "赵", 0), "person", id) < 0);
	CHECK(pos_of(find(db, "qq", 0), "person", id) >= 0);
	CHECK(pos_of(find(db, "七", 0), "person", id) >= 0);
	CHECK(pos_of(find(db, "0777", 0), "person", id) < 0); /* check char differs */

	/* a field the index ignores leaves it alone */
	tz_kv kv2[] = {{"skills", "电工"}};
	CHECK(tz_record_set(db, "person", id, kv2, 1, &err) == TZ_OK);
	CHECK(pos_of(find(db, "qq", 0), "person", id) >= 0);

	/* a new phone */
	tz_kv kv3[] = {{"phone", "18612345678"}};
	CHECK(tz_record_set(db, "person", id, kv3, 1, &err) == TZ_OK);
	CHECK(pos_of(find(db, "1861234", 0), "person", id) >= 0);
	CHECK(index_consistent(db));

	/* deleted: found by nothing, no keys left */
	CHECK(tz_record_del(db, "person", id, &err) == TZ_OK);
	CHECK(pos_of(find(db, "qq", 0), "person", id) < 0);
	CHECK(pos_of(find(db, "钱七", 0), "person", id) < 0);
	CHECK(pos_of(find(db, "1861234", 0), "person", id) < 0);
	CHECK_INT(keys_of(db, id), 0);
	CHECK(index_consistent(db));

	/* a rolled-back edit leaves the index as it was */
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	tz_kv kv4[] = {{"name", "孙八"}};
	CHECK(tz_record_set(db, "person", p_wxm, kv4, 1, &err) == TZ_OK);
	CHECK(pos_of(find(db, "sb", 0), "person", p_wxm) >= 0);
	tz_db_rollback(db);
	CHECK(pos_of(find(db, "sb", 0), "person", p_wxm) < 0);
	CHECK(pos_of(find(db, "wxm", 0), "person", p_wxm) >= 0);
	CHECK(index_consistent(db));
}

/* ---- merged from another device ---- */

typedef struct {
	tz_op *ops;
	size_t n, cap;
} opset;

static int collect_op(void *ctx, const tz_op *op)
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

static void opset_free(opset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free((void *)s->ops[i].data);
	free(s->ops);
	memset(s, 0, sizeof *s);
}

static void ship(tz_db *from, uint64_t first, tz_db *to)
{
	tz_err err = {0};
	opset s = {0};
	size_t applied = 0;
	CHECK(tz_oplog_read(from, tz_db_origin(from), first, UINT64_MAX, collect_op, &s, &err) ==
	      TZ_OK);
	CHECK(tz_db_begin(to, &err) == TZ_OK);
	CHECK(tz_oplog_apply(to, s.ops, s.n, &applied, &err) == TZ_OK);
	CHECK(tz_db_commit(to, &err) == TZ_OK);
	CHECK_INT(applied, s.n);
	opset_free(&s);
}

TEST(merged_changes)
{
	tz_db *a = fresh_db(), *b = fresh_db();
	tz_err err = {0};
	char h[33], p[33];
	tz_kv hk[] = {{"village", "430181100203"}, {"address", "三组1号"}, {"head_name", "欧阳娜娜"}};
	add(a, "household", hk, 3, h);
	strcpy(p, add_person(a, h, "欧阳娜娜", idnum("43018119950303321"), "13712345678"));
	ship(a, 1, b);
	hits *r = find(b, "oynn", 0);
	CHECK_INT(r->n, 2);
	CHECK(pos_of(r, "person", p) == 0);
	CHECK(pos_of(find(b, idnum("43018119950303321") + 14, 0), "person", p) == 0);
	CHECK(index_consistent(b));

	/* an edit and then a delete, merged */
	uint64_t next = tz_oplog_high_water(a, tz_db_origin(a)) + 1;
	tz_kv kv[] = {{"name", "欧阳菲菲"}};
	CHECK(tz_record_set(a, "person", p, kv, 1, &err) == TZ_OK);
	ship(a, next, b);
	CHECK(pos_of(find(b, "oynn", 0), "person", p) < 0);
	CHECK(pos_of(find(b, "oyff", 0), "person", p) == 0);
	CHECK(index_consistent(b));
	next = tz_oplog_high_water(a, tz_db_origin(a)) + 1;
	CHECK(tz_record_del(a, "person", p, &err) == TZ_OK);
	ship(a, next, b);
	CHECK_INT(find(b, "oyff", 0)->n, 0);
	CHECK_INT(keys_of(b, p), 0);
	CHECK(index_consistent(b));

	/* hostile values from a bundle: quotes, backslashes, control
	 * characters, a very long name -- indexed, bounded, consistent */
	tz_buf d = {0};
	static const char odd[] = "张\"三\\\x01\t'";
	tz_oplog_data_text(&d, 2, odd, sizeof odd - 1); /* name */
	char longname[3 * 3000 + 1] = "";
	for (int i = 0; i < 3000; i++)
		strcat(longname, "行");
	tz_buf d2 = {0};
	tz_oplog_data_text(&d2, 2, longname, strlen(longname));
	uint8_t origin[16] = {9, 9, 9}, row1[16] = {1}, row2[16] = {2};
	tz_op ops[2] = {
		{.seq = 1, .hlc = TZ_HLC_MAKE(1700000000000LL, 0), .table = 1, .flags = TZ_OP_FULL,
		 .data = d.buf, .len = d.len},
		{.seq = 2, .hlc = TZ_HLC_MAKE(1700000000001LL, 0), .table = 1, .flags = TZ_OP_FULL,
		 .data = d2.buf, .len = d2.len},
	};
	memcpy(ops[0].origin, origin, 16);
	memcpy(ops[1].origin, origin, 16);
	memcpy(ops[0].row, row1, 16);
	memcpy(ops[1].row, row2, 16);
	size_t applied = 0;
	CHECK(tz_db_begin(b, &err) == TZ_OK);
	CHECK(tz_oplog_apply(b, ops, 2, &applied, &err) == TZ_OK);
	CHECK(tz_db_commit(b, &err) == TZ_OK);
	CHECK_INT(applied, 2);
	r = find(b, "张\"三", 0);
	CHECK_INT(r->n, 1);
	CHECK_STR(r->names[0], odd);
	r = find(b, "xingxingxing", 0);
	CHECK_INT(r->n, 1);
	char rid[33];
	for (int i = 0; i < 16; i++)
		snprintf(rid + 2 * i, 3, "%02x", row2[i]);
	int n = keys_of(b, rid);
	CHECK(n > 0 && n < 400);
	CHECK(index_consistent(b));
	tz_buf_free(&d);
	tz_buf_free(&d2);
	tz_db_close(a);
	tz_db_close(b);
}

/* The same ops with the keys deferred to the end of the transaction, as
 * import does (core/search.c); defer 0: as ship(); 2: rolled back. */
static void ship_deferred(tz_db *from, uint64_t first, tz_db *to, int mode)
{
	tz_err err = {0};
	opset s = {0};
	size_t applied = 0;
	CHECK(tz_oplog_read(from, tz_db_origin(from), first, UINT64_MAX, collect_op, &s, &err) ==
	      TZ_OK);
	CHECK(tz_db_begin(to, &err) == TZ_OK);
	CHECK(tz_search_defer(to, &err) == TZ_OK);
	CHECK(tz_oplog_apply(to, s.ops, s.n, &applied, &err) == TZ_OK);
	if (mode == 2) {
		tz_search_cancel(to);
		tz_db_rollback(to);
	} else {
		CHECK(tz_search_flush(to, &err) == TZ_OK);
		CHECK(tz_db_commit(to, &err) == TZ_OK);
		CHECK_INT(applied, s.n);
	}
	opset_free(&s);
}

/* the whole index as text, in key order */
static char *index_text(tz_db *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(tz_db_sql(x),
			   "SELECT kind, key, tbl, hex(id) FROM search ORDER BY kind, key, tbl, id", -1,
			   &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(f, "%d %s %d %s\n", sqlite3_column_int(st, 0), sqlite3_column_text(st, 1),
			sqlite3_column_int(st, 2), sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

TEST(deferred_keys_match_the_triggers)
{
	tz_db *a = fresh_db(), *b = fresh_db(), *c = fresh_db();
	tz_err err = {0};
	char h1[33], h2[33], p1[33], p2[33], p3[33];
	tz_kv hk[] = {{"village", "430181100203"}, {"address", "三组1号"}, {"head_name", "欧阳娜娜"}};
	add(a, "household", hk, 3, h1);
	tz_kv hk2[] = {{"village", "430181100203"}, {"address", "三组2号"}, {"head_name", "李四"},
		       {"phone", "0731-84567890"}};
	add(a, "household", hk2, 4, h2);
	strcpy(p1, add_person(a, h1, "欧阳娜娜", idnum("43018119950303321"), "13712345678"));
	strcpy(p2, add_person(a, h2, "李四", idnum("43018119800101123"), "13800001111"));
	strcpy(p3, add_person(a, h2, "王小明", idnum("43018120010101456"), NULL));
	/* keys the triggers pass through JSON: quotes, backslashes, mixed
	 * case, full-width letters, many readings */
	add_person(a, h2, "O\"Brien\\李", NULL, "0731-8456789");
	add_person(a, h2, "ＺＨＡＮＧ三 Mary", NULL, NULL);
	add_person(a, h2, "单长乐行重朝曾解", NULL, NULL);
	ship(a, 1, b);
	ship_deferred(a, 1, c, 1);
	char *tb = index_text(b), *tc = index_text(c);
	CHECK(tb && *tb);
	CHECK_STR(tc, tb);
	free(tb);
	free(tc);

	/* edits of rows already indexed, a delete, a new row edited and
	 * deleted within the same batch, a household renamed twice */
	uint64_t next = tz_oplog_high_water(a, tz_db_origin(a)) + 1;
	tz_kv kv[] = {{"name", "欧阳菲菲"}, {"phone", "13912345678"}};
	CHECK(tz_record_set(a, "person", p1, kv, 2, &err) == TZ_OK);
	CHECK(tz_record_del(a, "person", p2, &err) == TZ_OK);
	tz_kv kv3[] = {{"id_number", idnum("43018120010101457")}};
	CHECK(tz_record_set(a, "person", p3, kv3, 1, &err) == TZ_OK);
	char p4[33], p5[33];
	strcpy(p4, add_person(a, h1, "赵钱孙", NULL, "15011112222"));
	tz_kv kv4[] = {{"name", "赵六"}};
	CHECK(tz_record_set(a, "person", p4, kv4, 1, &err) == TZ_OK);
	strcpy(p5, add_person(a, h1, "短命", NULL, NULL));
	CHECK(tz_record_del(a, "person", p5, &err) == TZ_OK);
	tz_kv hk3[] = {{"head_name", "李五"}};
	CHECK(tz_record_set(a, "household", h2, hk3, 1, &err) == TZ_OK);
	tz_kv hk4[] = {{"head_name", "李六"}, {"phone", ""}};
	CHECK(tz_record_set(a, "household", h2, hk4, 2, &err) == TZ_OK);

	/* rolled back: the index is as before */
	tz_db *d = fresh_db();
	ship(a, 1, d); /* the whole history, with the triggers */
	char *before = index_text(c);
	ship_deferred(a, next, c, 2);
	tc = index_text(c);
	CHECK_STR(tc, before);
	free(tc);
	free(before);

	ship(a, next, b);
	ship_deferred(a, next, c, 1);
	tb = index_text(b);
	tc = index_text(c);
	char *td = index_text(d);
	CHECK_STR(tc, tb);
	CHECK_STR(td, tb);
	CHECK(index_consistent(c));
	CHECK(pos_of(find(c, "oyff", 0), "person", p1) == 0);
	CHECK(pos_of(find(c, "oynn", 0), "person", p1) < 0);
	CHECK_INT(keys_of(c, p2), 0);
	CHECK_INT(keys_of(c, p5), 0);
	CHECK(pos_of(find(c, "zl", 0), "person", p4) >= 0);
	CHECK(pos_of(find(c, "zqs", 0), "person", p4) < 0);
	/* and the triggers work again after the deferral */
	CHECK(tz_record_set(c, "household", h1, hk3, 1, &err) == TZ_OK);
	CHECK(index_consistent(c));
	free(tb);
	free(tc);
	free(td);
	tz_db_close(a);
	tz_db_close(b);
	tz_db_close(c);
	tz_db_close(d);
}

/* ---- an older file ---- */

TEST(older_file_is_indexed)
{
	char path[512];
	tz_db *old = NULL;
	tz_err err = {0};
	snprintf(path, sizeof path, "%s/old3.db", tz_test_tmpdir());
	CHECK(tz_db_open(&old, path, TZ_OPEN_CREATE | TZ_OPEN_NOMIGRATE, &err) == TZ_OK);
	CHECK(tz_db_migrate_to(old, 3, &err) == TZ_OK);
	sqlite3 *s = tz_db_sql(old);
	CHECK(sqlite3_exec(s,
			   "INSERT INTO household(id, village, address, head_name, phone) VALUES"
			   " ('00000000000000000000000000000001', '430181100201', 'a', '周树人',"
			   "  '13100000000');"
			   "INSERT INTO person(id, name, id_number, phone) VALUES"
			   " ('00000000000000000000000000000002', '周树人', '110105194912310021', NULL),"
			   " ('00000000000000000000000000000003', '许广平', NULL, NULL);"
			   "INSERT INTO person(id, _deleted, name) VALUES"
			   " ('00000000000000000000000000000004', 1, '周作人');",
			   NULL, NULL, NULL) == SQLITE_OK);
	tz_db_close(old);
	tz_db *db2 = NULL;
	CHECK(tz_db_open(&db2, path, 0, &err) == TZ_OK);
	CHECK_INT(tz_db_user_version(db2), TZ_SCHEMA_VERSION);
	CHECK_INT(find(db2, "zsr", 0)->n, 2);
	CHECK_INT(find(db2, "xgp", 0)->n, 1);
	CHECK_INT(find(db2, "0021", 0)->n, 1);
	CHECK_INT(find(db2, "zzr", 0)->n, 0); /* deleted */
	CHECK(index_consistent(db2));
	tz_db_close(db2);
}

/* ---- every query is an index range scan ---- */

static int plan_ok(sqlite3 *s, const char *sql, const char *want)
{
	char eqp[2048];
	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s, eqp, -1, &st, NULL) != SQLITE_OK) {
		printf("plan of %s: %s\n", sql, sqlite3_errmsg(s));
		return 0;
	}
	char plan[2048] = "";
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		strncat(plan, d ? d : "", sizeof plan - strlen(plan) - 2);
		strcat(plan, ";");
	}
	sqlite3_finalize(st);
	/* no SCAN of a table: only SEARCH (and json_each, a virtual table) */
	int ok = strstr(plan, want) != NULL;
	for (const char *p = plan; (p = strstr(p, "SCAN ")) != NULL; p += 5)
		if (strncmp(p, "SCAN json_each", 14) != 0)
			ok = 0;
	if (!ok)
		printf("plan of %s:\n  %s\n", sql, plan);
	return ok;
}

TEST(query_plans)
{
	sqlite3 *s = tz_db_sql(db);
	const char *const *sql = tz_search_statements();
	CHECK(plan_ok(s, sql[0], "SEARCH search USING PRIMARY KEY (kind=? AND key=?)"));
	CHECK(plan_ok(s, sql[1], "SEARCH search USING PRIMARY KEY (kind=? AND key>? AND key<?)"));
	CHECK(plan_ok(s, sql[2], "SEARCH search USING PRIMARY KEY (kind=? AND key>? AND key<?)"));
	CHECK(plan_ok(s, sql[3], "SEARCH person USING INDEX person_id_number (id_number=?)"));
	CHECK(plan_ok(s, sql[4],
		      "SEARCH person USING INDEX person_id_number (id_number>? AND id_number<?)"));
	CHECK(plan_ok(s, sql[5], "SEARCH p USING PRIMARY KEY (id=?)"));
	CHECK(plan_ok(s, sql[5], "SEARCH h USING PRIMARY KEY (id=?)"));
	CHECK(plan_ok(s, sql[6], "SEARCH household USING PRIMARY KEY (id=?)"));
	CHECK(sql[7] == NULL);
	/* the triggers' delete (core/db.c, migration 4) looks up each key */
	CHECK(plan_ok(s,
		      "DELETE FROM search WHERE (key, kind) IN (SELECT key, value"
		      " FROM json_each(tz_search_keys(?1, ?2, ?3)) WHERE ?4 = 0)"
		      " AND tbl = 1 AND id = tz_search_id(?5)",
		      "SEARCH search USING PRIMARY KEY (kind=? AND key=? AND tbl=? AND id=?)"));
	/* and the trigger in the file says just that */
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(s, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
				    " AND sql LIKE '%DELETE FROM search WHERE (key, kind) IN (SELECT key,"
				    " value%AND tbl = _ AND id = tz_search_id(OLD.id)%'",
				 -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 4);
	sqlite3_finalize(st);
}

int main(void)
{
	setup();
	RUN(table_numbers);
	RUN(by_name);
	RUN(by_initials_and_pinyin);
	RUN(by_id_number);
	RUN(by_phone);
	RUN(hit_fields);
	RUN(limit_and_bad_queries);
	RUN(edits_and_deletes);
	RUN(merged_changes);
	RUN(deferred_keys_match_the_triggers);
	RUN(older_file_is_indexed);
	RUN(query_plans);
	tz_db_close(db);
	return tz_test_done();
}
