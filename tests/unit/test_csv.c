/* test_csv.c - the CSV reader (quotes, line breaks, line numbers, BOM,
 * limits, encodings) and the all-or-nothing import. */
#include <stdint.h>
#include <time.h>

#include "taizhang/csv.h"
#include "taizhang/roster.h"
#include "taizhang/record.h"
#include "taizhang/db.h"
#include "taizhang/validate.h"
#include "tz_test.h"

/* ---- reader helpers ---- */

typedef struct {
	tz_csv *c;
	tz_csv_rec r;
	tz_err e;
	tz_status st;
} rd;

static void rd_open(rd *x, const char *buf, size_t len, tz_csv_enc enc)
{
	memset(x, 0, sizeof *x);
	x->st = tz_csv_open_mem(&x->c, buf, len, enc, &x->e);
}

static int rd_next(rd *x)
{
	x->st = tz_csv_next(x->c, &x->r, &x->e);
	return x->st == TZ_OK ? x->r.n : -1;
}

#define OPEN(x, lit) rd_open(x, lit, sizeof(lit) - 1, TZ_ENC_UTF8)

TEST(simple_records_and_lines)
{
	rd x;
	OPEN(&x, "a,b,c\n1,2,3\n");
	CHECK_INT(rd_next(&x), 3);
	CHECK_INT(x.r.line, 1);
	CHECK_STR(x.r.field[0], "a");
	CHECK_STR(x.r.field[2], "c");
	CHECK_INT(rd_next(&x), 3);
	CHECK_INT(x.r.line, 2);
	CHECK_STR(x.r.field[1], "2");
	CHECK_INT(x.r.len[1], 1);
	CHECK_INT(rd_next(&x), 0);
	CHECK_INT(rd_next(&x), 0); /* stays at the end */
	CHECK_INT(tz_csv_separator(x.c), ',');
	tz_csv_close(x.c);
}

TEST(quotes_commas_and_escapes)
{
	rd x;
	OPEN(&x, "\"a \"\"q\"\" b\",\"x,y\",z,\"\",5'6\"\n");
	CHECK_INT(rd_next(&x), 5);
	CHECK_STR(x.r.field[0], "a \"q\" b");
	CHECK_STR(x.r.field[1], "x,y");
	CHECK_STR(x.r.field[2], "z");
	CHECK_STR(x.r.field[3], "");
	CHECK_STR(x.r.field[4], "5'6\""); /* a quote inside an unquoted field is text */
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
}

TEST(empty_fields_and_trailing_separator)
{
	rd x;
	OPEN(&x, "a,,\n,\nlast,");
	CHECK_INT(rd_next(&x), 3);
	CHECK_STR(x.r.field[1], "");
	CHECK_STR(x.r.field[2], "");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[0], "last");
	CHECK_STR(x.r.field[1], "");
	CHECK_INT(x.r.line, 3);
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
}

TEST(line_breaks_inside_quotes_keep_line_numbers)
{
	rd x;
	OPEN(&x, "h1,h2\n\"line1\nline2\nline3\",x\nnext,\"y\"\n\"\"\"\n\",z\nend,1\n");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 2);
	CHECK_STR(x.r.field[0], "line1\nline2\nline3");
	CHECK_STR(x.r.field[1], "x");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 5);
	CHECK_STR(x.r.field[1], "y");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 6);
	CHECK_STR(x.r.field[0], "\"\n");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 8);
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
}

TEST(crlf_and_cr_line_ends)
{
	rd x;
	OPEN(&x, "a,b\r\n1,2\r\n\"m\r\nn\",3\r\nlast,4");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 2);
	CHECK_STR(x.r.field[1], "2"); /* no stray CR */
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 3);
	CHECK_STR(x.r.field[0], "m\nn"); /* CRLF inside quotes becomes LF */
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 5);
	CHECK_STR(x.r.field[1], "4");
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);

	OPEN(&x, "a,b\r1,2\r\r3,4\r"); /* old Mac line ends */
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 2);
	CHECK_STR(x.r.field[1], "2");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 4);
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
}

TEST(bom_and_blank_lines)
{
	rd x;
	OPEN(&x, "\xef\xbb\xbfname,x\r\n\r\n\r\nb,c\r\n\r\n");
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[0], "name");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 4);
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);

	OPEN(&x, "");
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
	OPEN(&x, "\n\n");
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
	OPEN(&x, "\xef\xbb\xbf");
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);
}

TEST(tab_separated)
{
	rd x;
	OPEN(&x, "姓名\t电话\n张三\t13800138000\n\"a,b\"\tc\n");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(tz_csv_separator(x.c), '\t');
	CHECK_STR(x.r.field[0], "姓名");
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[1], "13800138000");
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[0], "a,b");
	tz_csv_close(x.c);

	OPEN(&x, "a\tb,c\n"); /* commas win */
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[0], "a\tb");
	tz_csv_close(x.c);
}

TEST(unterminated_quote_names_its_line)
{
	rd x;
	OPEN(&x, "a,b\n1,2\n3,\"abc\nd\ne\n");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.st, TZ_EINVAL);
	CHECK_INT(x.r.line, 3);
	CHECK(strstr(x.e.msg, "line 3") || strstr(x.e.msg, "第 3 行"));
	CHECK_INT(rd_next(&x), -1); /* sticky */
	CHECK_INT(x.r.line, 3);
	tz_csv_close(x.c);
}

TEST(text_after_closing_quote)
{
	rd x;
	OPEN(&x, "a\n\"x\"y,z\n");
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.r.line, 2);
	CHECK(strstr(x.e.msg, "\"\"") != NULL);
	tz_csv_close(x.c);
}

TEST(nul_and_binary_files)
{
	rd x;
	rd_open(&x, "a,b\nc\0d,e\n", 10, TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.r.line, 2);
	CHECK(strstr(x.e.msg, "NUL") != NULL);
	tz_csv_close(x.c);

	OPEN(&x, "PK\3\4\x14\0\0\0");
	CHECK_INT(rd_next(&x), -1);
	CHECK(strstr(x.e.msg, "Excel") != NULL);
	tz_csv_close(x.c);

	OPEN(&x, "\xff\xfe" "a\0,\0");
	CHECK_INT(rd_next(&x), -1);
	CHECK(strstr(x.e.msg, "UTF-16") != NULL);
	tz_csv_close(x.c);
}

/* A buffer of n copies of ch. */
static char *rep_char(char *p, int ch, size_t n)
{
	memset(p, ch, n);
	return p + n;
}

TEST(field_limit)
{
	size_t cap = TZ_CSV_MAX_FIELD + 64;
	char *buf = malloc(cap), *p;
	rd x;

	p = rep_char(buf, 'x', TZ_CSV_MAX_FIELD);
	*p++ = '\n';
	rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(x.r.len[0], TZ_CSV_MAX_FIELD);
	tz_csv_close(x.c);

	p = buf;
	memcpy(p, "ok\n\"", 4);
	p = rep_char(p + 4, 'x', TZ_CSV_MAX_FIELD + 1);
	*p++ = '"';
	rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.st, TZ_EINVAL);
	CHECK_INT(x.r.line, 2);
	CHECK(strstr(x.e.msg, "KiB") != NULL);
	tz_csv_close(x.c);
	free(buf);
}

TEST(fields_and_record_limits)
{
	char *buf = malloc(4096), *p = buf;
	rd x;
	for (int i = 0; i < TZ_CSV_MAX_FIELDS; i++) {
		*p++ = 'a';
		*p++ = ',';
	}
	p[-1] = '\n';
	size_t n256 = (size_t)(p - buf);
	rd_open(&x, buf, n256, TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), TZ_CSV_MAX_FIELDS);
	tz_csv_close(x.c);
	p[-1] = ',';
	*p++ = 'b';
	*p++ = '\n';
	rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.r.line, 1);
	CHECK(strstr(x.e.msg, "256") != NULL);
	tz_csv_close(x.c);
	free(buf);

	/* 20 fields of 60 KiB: each under the field limit, together over 1 MiB */
	size_t fl = 60 * 1024, cap = 20 * (fl + 1) + 16;
	buf = malloc(cap);
	p = buf;
	for (int i = 0; i < 20; i++) {
		p = rep_char(p, 'y', fl);
		*p++ = ',';
	}
	p[-1] = '\n';
	rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_UTF8);
	CHECK_INT(rd_next(&x), -1);
	CHECK(strstr(x.e.msg, "MiB") != NULL);
	tz_csv_close(x.c);
	free(buf);
}

TEST(invalid_utf8_names_line_and_suggests_gb18030)
{
	rd x;
	tz_lang_set(TZ_LANG_EN);
	OPEN(&x, "name\n张三\n\xd5\xc5\xc8\xfd\n");
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), 1);
	CHECK_STR(x.r.field[0], "张三");
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.st, TZ_EINVAL);
	CHECK_INT(x.r.line, 3);
	CHECK(strstr(x.e.msg, "gb18030") != NULL);
	tz_csv_close(x.c);

	/* with a BOM the file is UTF-8 for sure: no suggestion */
	OPEN(&x, "\xef\xbb\xbfname\n\xd5\xc5\n");
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	CHECK(strstr(x.e.msg, "gb18030") == NULL);
	tz_csv_close(x.c);

	/* overlong, surrogate, truncated at the end */
	OPEN(&x, "\xc0\xaf\n");
	CHECK_INT(rd_next(&x), -1);
	tz_csv_close(x.c);
	OPEN(&x, "a\n\xed\xa0\x80\n");
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.r.line, 2);
	tz_csv_close(x.c);
	OPEN(&x, "abc\xe5\xbc");
	CHECK_INT(rd_next(&x), -1);
	tz_csv_close(x.c);
	OPEN(&x, "\xf0\x9f\x98\x80,\xf4\x8f\xbf\xbf\n"); /* 4-byte ones are fine */
	CHECK_INT(rd_next(&x), 2);
	tz_csv_close(x.c);
}

TEST(gb18030_is_converted)
{
	rd x;
	/* 姓名,身份证号 / 张三,€😀 */
	static const char gb[] = "\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\r\n"
				 "\xd5\xc5\xc8\xfd,\xa2\xe3\x94\x39\xfc\x36\r\n";
	rd_open(&x, gb, sizeof gb - 1, TZ_ENC_GB18030);
	CHECK_INT(x.st, TZ_OK);
	CHECK_INT(rd_next(&x), 2);
	CHECK_STR(x.r.field[0], "姓名");
	CHECK_STR(x.r.field[1], "身份证号");
	CHECK_INT(rd_next(&x), 2);
	CHECK_INT(x.r.line, 2);
	CHECK_STR(x.r.field[0], "张三");
	CHECK_STR(x.r.field[1], "€😀");
	CHECK_INT(rd_next(&x), 0);
	tz_csv_close(x.c);

	/* a broken GBK character: the line is named */
	rd_open(&x, "a\nb\n\x81\x20\n", 7, TZ_ENC_GB18030);
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	CHECK_INT(x.r.line, 3);
	tz_csv_close(x.c);

	/* cut in the middle of a character at the end */
	rd_open(&x, "a\n\xd5", 3, TZ_ENC_GB18030);
	CHECK_INT(rd_next(&x), 1);
	CHECK_INT(rd_next(&x), -1);
	tz_csv_close(x.c);

	/* a UTF-8 BOM wins over the encoding asked for */
	OPEN(&x, "");
	tz_csv_close(x.c);
	rd_open(&x, "\xef\xbb\xbf张三\n", 10, TZ_ENC_GB18030);
	CHECK_INT(rd_next(&x), 1);
	CHECK_STR(x.r.field[0], "张三");
	tz_csv_close(x.c);

	CHECK_INT(tz_csv_encoding_parse("UTF-8"), TZ_ENC_UTF8);
	CHECK_INT(tz_csv_encoding_parse("GBK"), TZ_ENC_GB18030);
	CHECK_INT(tz_csv_encoding_parse("gb18030"), TZ_ENC_GB18030);
	CHECK_INT(tz_csv_encoding_parse("latin1"), -1);
}

/* Characters split across the reader's 64 KiB chunks, both encodings. */
TEST(characters_across_chunks)
{
	static const char u8[] = ",😀,张三\n\"x\ny\",😀\n";
	static const char gb[] = ",\x94\x39\xfc\x36,\xd5\xc5\xc8\xfd\n";
	for (int shift = 0; shift < 4; shift++) {
		size_t pad = 64 * 1024 - 1 - (size_t)shift;
		char *buf = malloc(pad + 64), *p = buf;
		p = rep_char(p, 'a', pad);
		memcpy(p, u8, sizeof u8 - 1);
		p += sizeof u8 - 1;
		rd x;
		rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_UTF8);
		CHECK_INT(rd_next(&x), 3);
		CHECK_STR(x.r.field[1], "😀");
		CHECK_STR(x.r.field[2], "张三");
		CHECK_INT(rd_next(&x), 2);
		CHECK_INT(x.r.line, 2);
		CHECK_STR(x.r.field[1], "😀");
		CHECK_INT(rd_next(&x), 0);
		tz_csv_close(x.c);

		p = rep_char(buf, 'a', pad);
		memcpy(p, gb, sizeof gb - 1);
		p += sizeof gb - 1;
		rd_open(&x, buf, (size_t)(p - buf), TZ_ENC_GB18030);
		CHECK_INT(rd_next(&x), 3);
		CHECK_STR(x.r.field[1], "😀");
		CHECK_STR(x.r.field[2], "张三");
		CHECK_INT(rd_next(&x), 0);
		tz_csv_close(x.c);
		free(buf);
	}
}

TEST(reads_a_stream)
{
	char path[512];
	snprintf(path, sizeof path, "%s/s.csv", tz_test_tmpdir());
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%d,\"名字%d\nsecond\",x\r\n", i, i);
	fclose(f);
	f = fopen(path, "rb");
	tz_csv *c;
	tz_csv_rec r;
	tz_err e;
	CHECK(tz_csv_open(&c, f, TZ_ENC_UTF8, &e) == TZ_OK);
	long n = 0, badline = 0;
	while (tz_csv_next(c, &r, &e) == TZ_OK && r.n) {
		if (r.line != 2 * n + 1 || atol(r.field[0]) != n)
			badline++;
		n++;
	}
	CHECK_INT(n, 20000);
	CHECK_INT(badline, 0);
	tz_csv_close(c);
	fclose(f);
}

/* ---- import ---- */

static tz_db *db;
static char household[33];

typedef struct {
	int n;
	long line[16];
	char msg[16][TZ_ERR_MAX];
} bads;

static void on_bad(void *ctx, long line, const char *msg)
{
	bads *b = ctx;
	if (b->n < 16) {
		b->line[b->n] = line;
		snprintf(b->msg[b->n], sizeof b->msg[0], "%s", msg);
	}
	b->n++;
}

static int count_cb(void *ctx, const tz_row *r)
{
	(void)r;
	++*(long *)ctx;
	return 0;
}

static long count(const char *table)
{
	long n = 0;
	tz_err e;
	tz_record_list(db, table, NULL, 0, count_cb, &n, &e);
	return n;
}

/* A valid ID number from a 17-digit stem. */
static void idnum(char out[19], const char *region6, int year, int seq)
{
	snprintf(out, 19, "%s%04d0101%03d", region6, year, seq % 1000);
	out[17] = tz_valid_idnum_check(out);
	out[18] = '\0';
}

static tz_status import_str(const char *table, const char *csv, tz_csv_enc enc, bads *b,
			    tz_roster_report *rep, tz_err *err)
{
	tz_csv *c;
	memset(b, 0, sizeof *b);
	tz_roster_report_free(rep); /* what the last call left, even when it failed */
	tz_status st = tz_csv_open_mem(&c, csv, strlen(csv), enc, err);
	if (st)
		return st;
	st = tz_roster_import_reader(db, table, c, NULL, on_bad, b, rep, err);
	tz_csv_close(c);
	return st;
}

static void setup_db(void)
{
	char path[512];
	tz_err e;
	snprintf(path, sizeof path, "%s/imp.db", tz_test_tmpdir());
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &e) ||
	    tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "测试村", &e)) {
		printf("FAIL setup: %s\n", e.msg);
		exit(1);
	}
	tz_kv kv[] = {{"village", "430181100201"}, {"address", "一组1号"}};
	if (tz_record_add(db, "household", kv, 2, household, &e)) {
		printf("FAIL setup household: %s\n", e.msg);
		exit(1);
	}
}

TEST(import_persons_with_chinese_headers)
{
	char csv[2048], a[19], b[19];
	idnum(a, "430181", 1985, 11);
	idnum(b, "430181", 1990, 22);
	snprintf(csv, sizeof csv,
		 "\xef\xbb\xbf 姓名 ,身份证号,户,电话,文化程度,就业状态,重点群体,备注\r\n"
		 "张三,%s,%s,13800138000,初中,外出务工,\"残疾人,低保\",\"两行\r\n备注\"\r\n"
		 ",,,,,,,\r\n"
		 "李四,%s,%s,,大学本科,,,\r\n"
		 "\r\n",
		 a, household, b, household);
	bads bd;
	tz_roster_report rep = {0};
	tz_err e = {0};
	long before = count("person");
	CHECK_INT(import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_OK);
	CHECK_INT(bd.n, 0);
	CHECK_INT(rep.imported, 2);
	CHECK_INT(rep.rows, 2);
	CHECK_INT(count("person"), before + 2);
	tz_row r;
	CHECK(tz_record_get(db, "person", rep.ids[0], &r, &e) == TZ_OK);
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "name")], "张三");
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "education")], "70");
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "key_groups")], "disabled,dibao");
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "gender")], "M");
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "note")], "两行\n备注");
	tz_record_row_free(&r);
	tz_roster_report_free(&rep);
	if (bd.n)
		printf("  unexpected: %ld %s\n", bd.line[0], bd.msg[0]);
	tz_roster_report_free(&rep);
}

TEST(import_is_all_or_nothing_and_names_every_bad_line)
{
	char csv[2048], a[19], b[19], c[19], bad[19];
	idnum(a, "430181", 1970, 101);
	idnum(b, "430181", 1971, 102);
	idnum(c, "430181", 1972, 103);
	idnum(bad, "430181", 1973, 104);
	bad[17] = bad[17] == '0' ? '1' : '0'; /* wrong check character */
	tz_lang_set(TZ_LANG_EN);
	snprintf(csv, sizeof csv,
		 "name,id_number,household,unemployed_since,education\n"
		 "ok1,%s,%s,,\n"
		 "badid,%s,%s,,\n"
		 "baddate,%s,%s,2024-02-30,\n"
		 "ok2,%s,%s,,\n"
		 "badenum,%s,%s,,博士后\n",
		 a, household, bad, household, b, household, c, household, a, household);
	/* the last line repeats a: a duplicate, reported before its enum */
	bads bd;
	tz_roster_report rep = {0};
	tz_err e = {0};
	long before = count("person");
	CHECK_INT(import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_EINVAL);
	CHECK_INT(bd.n, 3);
	CHECK_INT(bd.line[0], 3);
	CHECK_INT(bd.line[1], 4);
	CHECK_INT(bd.line[2], 6);
	CHECK(strstr(bd.msg[0], "check") != NULL);
	CHECK(strstr(bd.msg[2], "line 2") != NULL);
	CHECK_INT(rep.bad, 3);
	CHECK_INT(rep.imported, 0);
	CHECK(rep.ids == NULL);
	CHECK(strstr(e.msg, "nothing imported: 3 bad lines") != NULL);
	CHECK_INT(count("person"), before);

	/* the enum, and the ID number against a live record */
	snprintf(csv, sizeof csv, "name,id_number,household,education\nx,%s,%s,博士后\n", c,
		 household);
	CHECK_INT(import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK(strstr(bd.msg[0], "education") || strstr(bd.msg[0], "Education"));
	tz_kv kv[] = {{"name", "已有"}, {"id_number", c}};
	char id[33];
	CHECK(tz_record_add(db, "person", kv, 2, id, &e) == TZ_OK);
	/* already registered: nothing added, the difference reported, not applied */
	snprintf(csv, sizeof csv, "name,id_number\nx,%s\n", c);
	CHECK_INT(import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_OK);
	CHECK_INT(bd.n, 0);
	CHECK_INT(rep.imported, 0);
	CHECK_INT(rep.differ, 1);
	CHECK_INT(rep.same, 0);
	CHECK_INT(count("person"), before + 1);
	tz_roster_report_free(&rep);
	snprintf(csv, sizeof csv, "name,id_number\n已有,%s\n", c);
	CHECK_INT(import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_OK);
	CHECK_INT(rep.same, 1);
	tz_roster_report_free(&rep);
	/* lower-case x in a file still matches */
	tz_roster_report_free(&rep);
}

TEST(import_header_problems)
{
	bads bd;
	tz_roster_report rep = {0};
	tz_err e = {0};
	tz_lang_set(TZ_LANG_EN);
	CHECK_INT(import_str("person", "姓名,籍贯\n张三,湖南\n", TZ_ENC_UTF8, &bd, &rep, &e),
		  TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK_INT(bd.line[0], 1);
	CHECK(strstr(bd.msg[0], "籍贯") != NULL);
	CHECK_INT(rep.bad, 1);

	CHECK_INT(import_str("person", "姓名,name\n张三,张三\n", TZ_ENC_UTF8, &bd, &rep, &e),
		  TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK(strstr(bd.msg[0], "columns 1 and 2") != NULL);

	CHECK_INT(import_str("person", "id,姓名\nabc,张三\n", TZ_ENC_UTF8, &bd, &rep, &e),
		  TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK(strstr(bd.msg[0], "record set") != NULL);

	CHECK_INT(import_str("person", "", TZ_ENC_UTF8, &bd, &rep, &e), TZ_EINVAL);
	CHECK(strstr(e.msg, "nothing imported") != NULL);

	/* labels in any case, a required-mark star, English labels */
	CHECK_INT(import_str("person", "*姓名,Phone,ID Number\n张三,,\n", TZ_ENC_UTF8, &bd, &rep, &e),
		  TZ_OK);
	CHECK_INT(rep.imported, 1);
	tz_roster_report_free(&rep);

	/* header only: nothing to do, fine */
	CHECK_INT(import_str("person", "姓名\n", TZ_ENC_UTF8, &bd, &rep, &e), TZ_OK);
	CHECK_INT(rep.imported, 0);

	/* unknown table */
	CHECK_INT(import_str("nosuch", "a\n", TZ_ENC_UTF8, &bd, &rep, &e), TZ_EUSAGE);
	tz_roster_report_free(&rep);
}

TEST(import_row_shapes)
{
	bads bd;
	tz_roster_report rep = {0};
	tz_err e = {0};
	long before = count("person");
	/* short rows are padded; trailing empty cells and empty-header columns are fine */
	CHECK_INT(import_str("person", "姓名,电话,,\n甲\n乙,13900139000,,\n丙,,\n", TZ_ENC_UTF8,
			     &bd, &rep, &e),
		  TZ_OK);
	CHECK_INT(rep.imported, 3);
	tz_roster_report_free(&rep);
	CHECK_INT(count("person"), before + 3);
	/* longer rows with content, and content without a header, are bad */
	CHECK_INT(import_str("person", "姓名,电话,\n甲,,,x\n乙,,y\n丙\n", TZ_ENC_UTF8, &bd, &rep,
			     &e),
		  TZ_EINVAL);
	CHECK_INT(bd.n, 2);
	CHECK_INT(bd.line[0], 2);
	CHECK_INT(bd.line[1], 3);
	CHECK_INT(count("person"), before + 3);
	/* a parse error after good rows: reported with its line, nothing written */
	CHECK_INT(import_str("person", "姓名\n甲\n乙\n\"丙\n", TZ_ENC_UTF8, &bd, &rep, &e),
		  TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK_INT(bd.line[0], 4);
	CHECK_INT(count("person"), before + 3);
	tz_roster_report_free(&rep);
}

TEST(import_gb18030_file_from_path)
{
	char path[512], a[19];
	tz_err e = {0};
	tz_roster_report rep = {0};
	bads bd = {0};
	idnum(a, "430181", 1960, 7);
	a[17] = a[17] == 'X' ? 'x' : a[17];
	snprintf(path, sizeof path, "%s/gb.csv", tz_test_tmpdir());
	FILE *f = fopen(path, "wb");
	/* 姓名,身份证号 / 张三,ID */
	fprintf(f, "\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\r\n\xd5\xc5\xc8\xfd,%s\r\n", a);
	fclose(f);
	tz_lang_set(TZ_LANG_EN);
	CHECK_INT(tz_roster_import(db, "person", path, NULL, NULL, on_bad, &bd, &rep, &e), TZ_EINVAL);
	CHECK_INT(bd.n, 1);
	CHECK_INT(bd.line[0], 1);
	CHECK(strstr(bd.msg[0], "gb18030") != NULL);
	memset(&bd, 0, sizeof bd);
	CHECK_INT(tz_roster_import(db, "person", path, "gb18030", NULL, on_bad, &bd, &rep, &e), TZ_OK);
	CHECK_INT(rep.imported, 1);
	tz_row r;
	CHECK(tz_record_get(db, "person", rep.ids[0], &r, &e) == TZ_OK);
	CHECK_STR(r.vals[tz_schema_field_find(r.table, "name")], "张三");
	tz_record_row_free(&r);
	tz_roster_report_free(&rep);

	snprintf(path, sizeof path, "%s/missing.csv", tz_test_tmpdir());
	CHECK_INT(tz_roster_import(db, "person", path, NULL, NULL, on_bad, &bd, &rep, &e), TZ_EIO);
	CHECK_INT(tz_roster_import(db, "person", path, "latin1", NULL, on_bad, &bd, &rep, &e), TZ_EUSAGE);
	CHECK_INT(tz_roster_import(db, "person", tz_test_tmpdir(), NULL, NULL, on_bad, &bd, &rep, &e),
		  TZ_EIO);
	tz_roster_report_free(&rep);
}

TEST(import_caps_reported_lines)
{
	/* satisfaction 9 is out of range on every line */
	char *csv = malloc(1500 * 64 + 64), *p = csv;
	tz_err e = {0};
	tz_roster_report rep = {0};
	bads bd;
	p += sprintf(p, "household,date,satisfaction\n");
	for (int i = 0; i < 1500; i++)
		p += sprintf(p, "%s,2026-01-01,9\n", household);
	CHECK_INT(import_str("visit", csv, TZ_ENC_UTF8, &bd, &rep, &e), TZ_EINVAL);
	CHECK_INT(bd.n, TZ_CSV_MAX_BAD);
	CHECK_INT(rep.bad, TZ_CSV_MAX_BAD);
	CHECK_INT(rep.truncated, 1);
	CHECK(strstr(e.msg, "1002") != NULL); /* stopped at line 1002 */
	CHECK_INT(count("visit"), 0);
	free(csv);
	tz_roster_report_free(&rep);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(import_10000_persons_quickly)
{
	const int n = 10000;
	char *csv = malloc((size_t)n * 160 + 128), *p = csv, id[19];
	p += sprintf(p, "姓名,身份证号,户,电话,文化程度,就业状态\n");
	for (int i = 0; i < n; i++) {
		idnum(id, i % 2 ? "430181" : "430102", 1950 + i / 1000, i % 1000);
		p += sprintf(p, "人员%d,%s,%s,139%08d,初中,本地就业\n", i, id, household, i);
	}
	tz_err e = {0};
	tz_roster_report rep = {0};
	bads bd;
	long before = count("person");
	double t0 = now_s();
	tz_status st = import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e);
	double dt = now_s() - t0;
	CHECK_INT(st, TZ_OK);
	if (bd.n)
		printf("  unexpected: %ld %s\n", bd.line[0], bd.msg[0]);
	CHECK_INT(rep.imported, n);
	CHECK_INT(count("person"), before + n);
	printf("  import of %d persons: %.2f s (%.0f rows/s)\n", n, dt, n / dt);
	CHECK(dt < 60);
	tz_roster_report_free(&rep);

	/* the same again: every line is a live person already, nothing written */
	t0 = now_s();
	st = import_str("person", csv, TZ_ENC_UTF8, &bd, &rep, &e);
	dt = now_s() - t0;
	CHECK_INT(st, TZ_OK);
	CHECK_INT(rep.imported, 0);
	CHECK_INT(rep.same, n);
	CHECK_INT(count("person"), before + n);
	tz_roster_report_free(&rep);
	printf("  re-import of the same roster: %.2f s\n", dt);
	free(csv);
	tz_roster_report_free(&rep);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	RUN(simple_records_and_lines);
	RUN(quotes_commas_and_escapes);
	RUN(empty_fields_and_trailing_separator);
	RUN(line_breaks_inside_quotes_keep_line_numbers);
	RUN(crlf_and_cr_line_ends);
	RUN(bom_and_blank_lines);
	RUN(tab_separated);
	RUN(unterminated_quote_names_its_line);
	RUN(text_after_closing_quote);
	RUN(nul_and_binary_files);
	RUN(field_limit);
	RUN(fields_and_record_limits);
	RUN(invalid_utf8_names_line_and_suggests_gb18030);
	RUN(gb18030_is_converted);
	RUN(characters_across_chunks);
	RUN(reads_a_stream);
	setup_db();
	RUN(import_persons_with_chinese_headers);
	RUN(import_is_all_or_nothing_and_names_every_bad_line);
	RUN(import_header_problems);
	RUN(import_row_shapes);
	RUN(import_gb18030_file_from_path);
	RUN(import_caps_reported_lines);
	RUN(import_10000_persons_quickly);
	tz_db_close(db);
	return tz_test_done();
}
