/* cmd_search.c - `taizhang search TEXT [--limit N]`: persons and households
 * by name, pinyin initials or full pinyin, ID number (beginning or end) or
 * phone.
 *
 * stdout: a header line, then one tab-separated line per hit, best first:
 * rank kind table id name id_number phone household village address.
 * Nothing found is not an error: only the header is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/dump.h"
#include "taizhang/schema.h"
#include "taizhang/search.h"
#include "cli.h"
#include "commands.h"

#define SYNOPSIS "search TEXT [--limit N] [--format tsv|csv|xlsx] [--out FILE]"

static int sheet_hit(void *ctx, const tz_search_hit *h)
{
	tz_sheet *s = ctx;
	tz_sheet_putl(s, h->rank);
	tz_sheet_put(s, h->name);
	tz_sheet_put(s, h->id_number);
	tz_sheet_put(s, h->phone);
	tz_sheet_put(s, h->address);
	tz_sheet_put(s, h->village);
	tz_sheet_put(s, tz_search_kind_name(h->kind));
	const tz_table *t = tz_schema_table_find(h->table);
	tz_sheet_put(s, t ? tz_tr(t->en, t->zh) : h->table);
	tz_sheet_put(s, h->id);
	tz_sheet_put(s, h->household);
	tz_sheet_row(s);
	return 0;
}

static int print_hit(void *ctx, const tz_search_hit *h)
{
	(void)ctx;
	const char *v[] = {h->table, h->id,        h->name,    h->id_number,
			   h->phone, h->household, h->village, h->address};
	printf("%d\t%s", h->rank, tz_search_kind_name(h->kind));
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		putchar('\t');
		tz_dump_escaped(stdout, v[i] ? v[i] : "");
	}
	putchar('\n');
	return 0;
}

int cmd_search(tz_cli *c, int argc, char **argv)
{
	char text[TZ_SEARCH_TEXT + 1] = "";
	size_t tl = 0;
	int limit = TZ_SEARCH_LIMIT;
	const char *fmt = "tsv", *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: taizhang %s\n", SYNOPSIS);
			return 0;
		}
		if ((r = cli_opt(argc, argv, &i, "--limit", &val)) != 0) {
			if (r < 0)
				return cli_usage(SYNOPSIS);
			if ((r = cli_limit(val, TZ_SEARCH_MAX, &limit)))
				return r;
			continue;
		}
		if ((r = cli_opt(argc, argv, &i, "--format", &val)) != 0) {
			if (r < 0)
				return cli_usage(SYNOPSIS);
			fmt = val;
			continue;
		}
		if ((r = cli_opt(argc, argv, &i, "--out", &val)) != 0) {
			if (r < 0)
				return cli_usage(SYNOPSIS);
			out = val;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_usage(SYNOPSIS);
		/* several words are one text: search zhang san */
		size_t n = strlen(argv[i]);
		if (tl + (tl > 0) + n > TZ_SEARCH_TEXT)
			return cli_errorf(TZ_EUSAGE, "the text is too long (at most %d bytes)",
					  "查找内容过长（最多 %d 字节）", TZ_SEARCH_TEXT);
		if (tl)
			text[tl++] = ' ';
		memcpy(text + tl, argv[i], n + 1);
		tl += n;
	}
	if (strspn(text, " \t") == tl)
		return cli_usage(SYNOPSIS);
	int rc, sheet;
	static const char *const forms[] = {"tsv", NULL};
	if ((rc = cli_format(fmt, forms, out, &sheet)))
		return rc;
	tz_db *db = cli_open(c, 0, &rc);
	if (!db)
		return rc;
	tz_err err = {0};
	if (sheet >= 0) {
		const tz_sheet_col cols[] = {
			{tz_tr("rank", "名次"), TZ_COL_NUM},
			{tz_tr("name", "姓名"), TZ_COL_TEXT},
			{tz_tr("ID number", "身份证号码"), TZ_COL_CODE},
			{tz_tr("phone", "电话"), TZ_COL_CODE},
			{tz_tr("address", "地址"), TZ_COL_TEXT},
			{tz_tr("village code", "村(区划代码)"), TZ_COL_CODE},
			{tz_tr("found by", "匹配方式"), TZ_COL_TEXT},
			{tz_tr("record", "记录类别"), TZ_COL_TEXT},
			{tz_tr("record id", "记录编号"), TZ_COL_CODE},
			{tz_tr("household id", "户编号"), TZ_COL_CODE},
		};
		char title[TZ_SEARCH_TEXT + 32];
		tz_trf(title, sizeof title, "Search: %s", "查找：%s", text);
		tz_sheet *s;
		if ((rc = cli_sheet(&s, (tz_sheet_format)sheet, out, title, NULL, cols,
				    (int)(sizeof cols / sizeof *cols)))) {
			tz_db_close(db);
			return rc;
		}
		tz_status st = tz_search(db, text, (int)limit, sheet_hit, s, &err);
		tz_db_close(db);
		if (st) {
			tz_sheet_abort(s);
			return cli_error(&err);
		}
		return cli_sheet_close(s);
	}
	printf("rank\tkind\ttable\tid\tname\tid_number\tphone\thousehold\tvillage\taddress\n");
	tz_status st = tz_search(db, text, (int)limit, print_hit, NULL, &err);
	tz_db_close(db);
	if (st)
		return cli_error(&err);
	return fflush(stdout) ? cli_errorf(TZ_EIO, "cannot write the output", "无法写出结果") : 0;
}
