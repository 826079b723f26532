/* test_sheet.c - the sheet writer: CSV cells as spreadsheets read them, the
 * whole CSV form, xlsx written safely or not at all.  (What Excel's own
 * readers make of the files is checked in tests/cli/excel.sh with openpyxl,
 * and with LibreOffice by `make test-office`.) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/err.h"
#include "taizhang/sheet.h"
#include "tz_test.h"

static const char *cell(const char *v, tz_col_kind k)
{
	static char out[1024];
	tz_sheet_csv_cell(v, k, out, sizeof out);
	return out;
}

static void csv_cells_keep_what_spreadsheets_mangle(void)
{
	/* numbers that are not numbers: kept as text with ="…" */
	CHECK_STR(cell("430181196010213012", TZ_COL_CODE), "\"=\"\"430181196010213012\"\"\"");
	CHECK_STR(cell("07318123456", TZ_COL_CODE), "\"=\"\"07318123456\"\"\"");
	CHECK_STR(cell("13800138000", TZ_COL_TEXT), "\"=\"\"13800138000\"\"\"");
	CHECK_STR(cell("430181200201", TZ_COL_CODE), "\"=\"\"430181200201\"\"\"");
	/* an ID number ending in X, a hex id with letters: text already */
	CHECK_STR(cell("43018119601021301X", TZ_COL_CODE), "43018119601021301X");
	CHECK_STR(cell("0076b5e2987e9f7832cd3c6d892b7102", TZ_COL_CODE),
		  "0076b5e2987e9f7832cd3c6d892b7102");
	/* what would become a date, a time, a number in E notation */
	CHECK_STR(cell("5-1", TZ_COL_TEXT), "\"=\"\"5-1\"\"\"");
	CHECK_STR(cell("1/2", TZ_COL_TEXT), "\"=\"\"1/2\"\"\"");
	CHECK_STR(cell("12:30", TZ_COL_TEXT), "\"=\"\"12:30\"\"\"");
	CHECK_STR(cell("1e5", TZ_COL_TEXT), "\"=\"\"1e5\"\"\"");
	CHECK_STR(cell("4-10-01-06", TZ_COL_TEXT), "\"=\"\"4-10-01-06\"\"\"");
	/* a formula typed into a name or a note never runs */
	CHECK_STR(cell("=HYPERLINK(\"http://x\")", TZ_COL_TEXT),
		  "\"=\"\"=HYPERLINK(\"\"\"\"http://x\"\"\"\")\"\"\"");
	CHECK_STR(cell("=1+1", TZ_COL_TEXT), "\"=\"\"=1+1\"\"\"");
	CHECK_STR(cell("@SUM(A1)", TZ_COL_TEXT), "\"=\"\"@SUM(A1)\"\"\"");
	CHECK_STR(cell("+86 138", TZ_COL_TEXT), "\"=\"\"+86 138\"\"\"");
	CHECK_STR(cell("=1+1", TZ_COL_NUM), "\"=\"\"=1+1\"\"\"");
	/* numbers and dates stay what they are */
	CHECK_STR(cell("12", TZ_COL_NUM), "12");
	CHECK_STR(cell("4.33", TZ_COL_NUM), "4.33");
	CHECK_STR(cell("-3", TZ_COL_NUM), "-3");
	CHECK_STR(cell("2026-05-01", TZ_COL_DATE), "2026-05-01");
	/* ordinary text, quoting by RFC 4180 */
	CHECK_STR(cell("张三", TZ_COL_TEXT), "张三");
	CHECK_STR(cell("", TZ_COL_CODE), "");
	CHECK_STR(cell("李\"四\"", TZ_COL_TEXT), "\"李\"\"四\"\"\"");
	CHECK_STR(cell("a,b", TZ_COL_TEXT), "\"a,b\"");
	CHECK_STR(cell("两行\n文字", TZ_COL_TEXT), "\"两行\n文字\"");
	CHECK_STR(cell(" 前后空格 ", TZ_COL_TEXT), "\" 前后空格 \"");
	/* control characters dropped, a tab kept */
	CHECK_STR(cell("王\x01\x1b[31m五\x7f", TZ_COL_TEXT), "王[31m五");
	/* a long value to keep as text: the apostrophe (a formula holds 255) */
	char longnum[301];
	memset(longnum, '1', 300);
	longnum[300] = '\0';
	const char *c = cell(longnum, TZ_COL_TEXT);
	CHECK(c[0] == '\'' && strlen(c) == 301);
	CHECK_STR(cell("=1\n+1", TZ_COL_TEXT), "\"'=1\n+1\"");
}

static void csv_form_has_bom_crlf_and_whole_rows(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	tz_sheet *s;
	const tz_sheet_col cols[] = {
		{"姓名", TZ_COL_TEXT}, {"身份证号码", TZ_COL_CODE}, {"人数", TZ_COL_NUM}};
	CHECK_INT(tz_sheet_open(&s, TZ_SHEET_CSV, f, NULL, "名册", "2026-05", cols, 3, &err), TZ_OK);
	tz_sheet_put(s, "张三");
	tz_sheet_put(s, "430181196010213012");
	tz_sheet_putl(s, 3);
	tz_sheet_row(s);
	tz_sheet_put(s, "李四"); /* a short row: filled with empty cells */
	tz_sheet_row(s);
	tz_sheet_total(s);
	tz_sheet_put(s, "合计");
	tz_sheet_put(s, NULL);
	tz_sheet_put(s, "3");
	tz_sheet_put(s, "dropped: more cells than columns");
	tz_sheet_row(s);
	CHECK_INT(tz_sheet_rows(s), 3);
	CHECK_INT(tz_sheet_close(s, &err), TZ_OK);
	fclose(f);
	CHECK_STR(buf, "\xef\xbb\xbf姓名,身份证号码,人数\r\n"
		       "张三,\"=\"\"430181196010213012\"\"\",3\r\n"
		       "李四,,\r\n"
		       "合计,,3\r\n");
	free(buf);
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static void xlsx_to_a_path_is_whole_or_absent(void)
{
	char dir[512], path[600];
	tz_err err = {0};
	tz_sheet *s;
	snprintf(dir, sizeof dir, "%s/xlsx", tz_test_tmpdir());
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/报表.xlsx", dir);
	const tz_sheet_col cols[] = {{"区划", TZ_COL_CODE}, {"日期", TZ_COL_DATE}, {"人数", TZ_COL_NUM}};
	CHECK_INT(tz_sheet_open(&s, TZ_SHEET_XLSX, NULL, path, "月报 & 名册", "2026-05", cols, 3, &err),
		  TZ_OK);
	/* nothing at the path until the sheet is finished */
	CHECK(access(path, F_OK) != 0);
	for (int i = 0; i < 100; i++) {
		tz_sheet_put(s, "430181200201");
		tz_sheet_put(s, i % 2 ? "2026-05-01" : "not a date");
		tz_sheet_putl(s, i);
		tz_sheet_row(s);
	}
	CHECK_INT(tz_sheet_close(s, &err), TZ_OK);
	FILE *f = fopen(path, "rb");
	char magic[4] = {0};
	CHECK(f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "PK\3\4", 4));
	if (f)
		fclose(f);
	CHECK_INT(dir_entries(dir), 1); /* no temporary file left */
	/* given up: nothing at the new path, nothing temporary */
	snprintf(path, sizeof path, "%s/abandoned.xlsx", dir);
	CHECK_INT(tz_sheet_open(&s, TZ_SHEET_XLSX, NULL, path, "x", NULL, cols, 3, &err), TZ_OK);
	tz_sheet_put(s, "1");
	tz_sheet_row(s);
	tz_sheet_abort(s);
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(dir_entries(dir), 1);
	/* a folder that is not there: one line naming the file */
	CHECK_INT(tz_sheet_open(&s, TZ_SHEET_CSV, NULL, "/nonexistent-dir/x.csv", "x", NULL, cols, 3,
				&err),
		  TZ_EIO);
	CHECK(strstr(err.msg, "/nonexistent-dir/x.csv") != NULL);
	CHECK(!strchr(err.msg, '\n'));
}

static void xlsx_to_a_stream(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	tz_sheet *s;
	const tz_sheet_col cols[] = {{"name", TZ_COL_TEXT}};
	CHECK_INT(tz_sheet_open(&s, TZ_SHEET_XLSX, f, NULL, "[bad]:name/*?", NULL, cols, 1, &err),
		  TZ_OK);
	tz_sheet_put(s, "a");
	tz_sheet_row(s);
	CHECK_INT(tz_sheet_close(s, &err), TZ_OK);
	fclose(f);
	CHECK(len > 1000 && !memcmp(buf, "PK\3\4", 4));
	free(buf);
	CHECK_INT(tz_sheet_format_parse("xlsx"), TZ_SHEET_XLSX);
	CHECK_INT(tz_sheet_format_parse("csv"), TZ_SHEET_CSV);
	CHECK_INT(tz_sheet_format_parse("xls"), -1);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	RUN(csv_cells_keep_what_spreadsheets_mangle);
	RUN(csv_form_has_bom_crlf_and_whole_rows);
	RUN(xlsx_to_a_path_is_whole_or_absent);
	RUN(xlsx_to_a_stream);
	return tz_test_done();
}
