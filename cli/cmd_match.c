/* cmd_match.c - `taizhang match vacancy ID` / `taizhang match person ID`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/match.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_MATCH "match vacancy|person ID [--limit N] [--date DATE] [--format tsv|csv|xlsx] [--out FILE]"

static int match_sheet(const tz_match_list *l, tz_sheet_format fmt, const char *out,
		       const char *what, const char *id)
{
	int person = !strcmp(what, "vacancy"); /* the candidates of a vacancy are persons */
	const tz_sheet_col cols[] = {
		{tz_tr("rank", "名次"), TZ_COL_NUM},
		{tz_tr("score", "得分"), TZ_COL_NUM},
		{person ? tz_tr("name", "姓名") : tz_tr("vacancy", "岗位"), TZ_COL_TEXT},
		{tz_tr("note", "标记"), TZ_COL_TEXT},
		{tz_tr("reasons", "理由"), TZ_COL_TEXT},
		{tz_tr("record id", "记录编号"), TZ_COL_CODE},
	};
	char title[96];
	tz_trf(title, sizeof title, person ? "Candidates for vacancy %s" : "Vacancies for %s",
	    person ? "岗位 %s 的匹配人选" : "%s 的匹配岗位", id);
	tz_sheet *s;
	int rc = cli_sheet(&s, fmt, out, title, NULL, cols, (int)(sizeof cols / sizeof *cols));
	if (rc)
		return rc;
	for (size_t i = 0; i < l->n; i++) {
		const tz_match_item *it = &l->items[i];
		tz_sheet_putl(s, (long)(i + 1));
		tz_sheet_putl(s, it->score);
		tz_sheet_put(s, it->name);
		tz_sheet_put(s, it->flags);
		tz_sheet_put(s, it->reasons);
		tz_sheet_put(s, it->id);
		tz_sheet_row(s);
	}
	return cli_sheet_close(s);
}

int cmd_match(tz_cli *c, int argc, char **argv)
{
	const char *limit_s = NULL, *date = NULL, *pos[2] = {NULL, NULL}, *fmt = "tsv", *out = NULL;
	const cli_option opts[] = {{"--limit", &limit_s, NULL}, {"--date", &date, NULL},
				   {"--format", &fmt, NULL},   {"--out", &out, NULL},
				   {NULL}};
	int rc = cli_args(argc, argv, 1, opts, pos, 2, SYN_MATCH);
	if (rc)
		return rc;
	static const char *const forms[] = {"tsv", NULL};
	int sheet;
	if ((rc = cli_format(fmt, forms, out, &sheet)))
		return rc;
	const char *what = pos[0], *id = pos[1];
	if (!what || !id || (strcmp(what, "vacancy") && strcmp(what, "person")))
		return cli_usage(SYN_MATCH);
	tz_match_opts o = {.date = date, .limit = TZ_MATCH_DEFAULT_LIMIT};
	if (limit_s && (rc = cli_limit(limit_s, 100000, &o.limit)))
		return rc;
	tz_err err = {0};
	tz_db *db = cli_open_dated(c, date, 0, &rc);
	if (!db)
		return rc;
	tz_match_list l;
	tz_status st = !strcmp(what, "vacancy") ? tz_match_vacancy(db, id, &o, &l, &err)
						: tz_match_person(db, id, &o, &l, &err);
	if (st) {
		tz_db_close(db);
		return cli_error(&err);
	}
	for (size_t i = 0; i < l.nwarnings; i++)
		fprintf(stderr, "taizhang: %s%s\n", tz_tr("warning: ", "注意："), l.warnings[i]);
	if (sheet >= 0) {
		rc = match_sheet(&l, (tz_sheet_format)sheet, out, what, id);
		tz_match_free(&l);
		tz_db_close(db);
		return rc;
	}
	puts("rank\tscore\tid\tname\tflags\treasons");
	for (size_t i = 0; i < l.n; i++) {
		const tz_match_item *it = &l.items[i];
		printf("%zu\t%d\t%s\t", i + 1, it->score, it->id);
		cli_tsv(it->name);
		putchar('\t');
		cli_tsv(it->flags[0] ? it->flags : "-");
		putchar('\t');
		cli_tsv(it->reasons);
		putchar('\n');
	}
	tz_match_free(&l);
	tz_db_close(db);
	return cli_flush();
}
