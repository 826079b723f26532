/* cmd_notice.c - `taizhang notice`: the vacancies for the village notice
 * board, as text or a print-ready A4 HTML page, and `taizhang calllist`:
 * the job seekers to phone about a vacancy (core/platform.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/calllist.h"
#include "taizhang/file.h"
#include "taizhang/match.h"
#include "taizhang/notice.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_NOTICE "notice [--format text|html] [--out FILE] [--date DATE]"
#define SYN_CALLLIST "calllist VACANCY [--limit N] [--date DATE] [--format text|csv|xlsx] [--out FILE]"

int cmd_notice(tz_cli *c, int argc, char **argv)
{
	const char *fmt = "text", *out = NULL, *date = NULL;
	const cli_option opts[] = {
		{"--format", &fmt, NULL}, {"--out", &out, NULL}, {"--date", &date, NULL}, {NULL}};
	int rc = cli_args(argc, argv, 1, opts, NULL, 0, SYN_NOTICE);
	if (rc)
		return rc;
	int html = !strcmp(fmt, "html");
	if (!html && strcmp(fmt, "text"))
		return cli_errorf(TZ_EUSAGE, "unknown format '%.20s' (text or html)",
				  "未知格式“%.20s”（text 或 html）", fmt);
	tz_err err = {0};
	tz_db *db = cli_open_dated(c, date, 0, &rc);
	if (!db)
		return rc;
	tz_notice n;
	tz_status st = tz_notice_collect(db, date, &n, &err);
	tz_db_close(db);
	if (st)
		return cli_error(&err);
	/* a file is made whole in memory, then written atomically (base/file.c):
	 * never half a page */
	char *page = NULL;
	size_t plen = 0;
	FILE *f = out ? open_memstream(&page, &plen) : stdout;
	if (!f) {
		tz_notice_free(&n);
		tz_nomem(&err);
		return cli_error(&err);
	}
	st = html ? tz_notice_html(&n, f, &err) : tz_notice_text(&n, f, &err);
	tz_notice_free(&n);
	if (out) {
		if (fclose(f) && !st)
			st = tz_nomem(&err);
		if (!st)
			st = tz_file_put(out, page, plen, 0644, &err);
		free(page);
		if (!st)
			printf("%s\n", out);
	}
	return st ? cli_error(&err) : 0;
}

int cmd_calllist(tz_cli *c, int argc, char **argv)
{
	const char *id = NULL, *limit_s = NULL, *date = NULL, *fmt = "text", *out = NULL;
	const cli_option opts[] = {{"--limit", &limit_s, NULL}, {"--date", &date, NULL},
				   {"--format", &fmt, NULL},   {"--out", &out, NULL},
				   {NULL}};
	int rc = cli_args(argc, argv, 1, opts, &id, 1, SYN_CALLLIST);
	if (rc)
		return rc;
	static const char *const forms[] = {"text", NULL};
	int sheet;
	if ((rc = cli_format(fmt, forms, out, &sheet)))
		return rc;
	if (!id)
		return cli_usage(SYN_CALLLIST);
	int limit = TZ_MATCH_DEFAULT_LIMIT;
	if (limit_s && (rc = cli_limit(limit_s, 1000, &limit)))
		return rc;
	tz_err err = {0};
	tz_db *db = cli_open_dated(c, date, 0, &rc);
	if (!db)
		return rc;
	tz_call_list l;
	tz_status st = tz_calllist(db, id, date, limit, &l, &err);
	tz_db_close(db);
	if (st)
		return cli_error(&err);
	if (sheet >= 0) {
		const tz_sheet_col cols[] = {{tz_tr("no.", "序号"), TZ_COL_NUM},
					     {tz_tr("name", "姓名"), TZ_COL_TEXT},
					     {tz_tr("phone", "电话"), TZ_COL_CODE},
					     {tz_tr("called", "已联系"), TZ_COL_TEXT},
					     {tz_tr("outcome", "结果"), TZ_COL_TEXT}};
		char title[256];
		tz_trf(title, sizeof title, "Call list: %s", "电话联系名单：%s", l.title ? l.title : id);
		tz_sheet *s;
		if (!(rc = cli_sheet(&s, (tz_sheet_format)sheet, out, title, tz_calllist_reminder(), cols,
				     5))) {
			for (size_t i = 0; i < l.n; i++) {
				tz_sheet_putl(s, (long)(i + 1));
				tz_sheet_put(s, l.items[i].name);
				tz_sheet_put(s, l.items[i].phone);
				tz_sheet_row(s);
			}
			rc = cli_sheet_close(s);
		}
		tz_calllist_free(&l);
		return rc;
	}
	printf("# %s\n", tz_calllist_reminder());
	printf("# %s%s\n", tz_tr("Vacancy: ", "岗位："), l.title ? l.title : id);
	printf("%s\t%s\n", tz_tr("name", "姓名"), tz_tr("phone", "电话"));
	for (size_t i = 0; i < l.n; i++)
		printf("%s\t%s\n", l.items[i].name, l.items[i].phone ? l.items[i].phone : "-");
	tz_calllist_free(&l);
	return cli_flush();
}
