/* cmd_match.c - `taizhang match vacancy ID` / `taizhang match person ID`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/match.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_MATCH "match vacancy|person ID [--limit N] [--date DATE]"

int cmd_match(tz_cli *c, int argc, char **argv)
{
	const char *limit_s = NULL, *date = NULL, *pos[2] = {NULL, NULL};
	const cli_option opts[] = {{"--limit", &limit_s, NULL}, {"--date", &date, NULL}, {NULL}};
	int rc = cli_args(argc, argv, 1, opts, pos, 2, SYN_MATCH);
	if (rc)
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
