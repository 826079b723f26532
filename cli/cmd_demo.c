/* cmd_demo.c - `taizhang demo`: fill the database with synthetic data.
 *
 * stdout: one `table<TAB>rows written` line per table, nothing else.
 * Progress goes to stderr, and only when stderr is a terminal.  Running it
 * again adds to the database: the same seed rewrites the same rows, another
 * seed adds more households to the same villages (see taizhang/demo.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/demo.h"
#include "taizhang/schema.h"
#include "cli.h"
#include "commands.h"

#define SYNOPSIS "demo [--seed N] [--villages N] [--households N] [--region CODE]"

/* A decimal number in [lo, hi], digits only. */
static int parse_num(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	uint64_t v = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
	if (s[0] < '0' || s[0] > '9' || *end || errno || v < lo || v > hi) {
		cli_errorf(TZ_EUSAGE, "%s: '%.40s' is not a number from %llu to %llu",
			   "%s：“%.40s”不是 %llu 至 %llu 之间的数", opt, s, (unsigned long long)lo,
			   (unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

static void progress(void *ctx, int done, int total)
{
	(void)ctx;
	fprintf(stderr, "\r%s %d/%d", tz_tr("villages", "村"), done, total);
	if (done == total)
		fputc('\n', stderr);
}

int cmd_demo(tz_cli *c, int argc, char **argv)
{
	tz_demo_opts o = {0};
	uint64_t v;
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: taizhang %s\n", SYNOPSIS);
			return 0;
		}
		if ((r = cli_opt(argc, argv, &i, "--seed", &val)) > 0) {
			if (parse_num("--seed", val, 0, UINT64_MAX, &v))
				return 2;
			o.seed = v;
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--villages", &val)) > 0) {
			if (parse_num("--villages", val, 1, TZ_DEMO_MAX_VILLAGES, &v))
				return 2;
			o.villages = (int)v;
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--households", &val)) > 0) {
			if (parse_num("--households", val, 1, TZ_DEMO_MAX_HOUSEHOLDS, &v))
				return 2;
			o.households = (int)v;
		} else if (r == 0 && (r = cli_opt(argc, argv, &i, "--region", &val)) > 0) {
			o.region = val;
		} else if (r < 0) {
			return cli_errorf(TZ_EUSAGE, "%s needs a value", "%s 需要一个值", argv[i]);
		} else {
			return cli_usage(SYNOPSIS);
		}
	}
	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	tz_demo_stats st;
	tz_err err = {0};
	tz_status s = tz_demo_fill(db, &o, &st, &err);
	tz_db_close(db);
	if (s)
		return cli_error(&err);
	for (int t = 0; t < tz_schema_ntables && t < TZ_DEMO_MAX_TABLES; t++)
		printf("%s\t%ld\n", tz_schema_tables[t]->name, st.count[t]);
	return fflush(stdout) ? cli_errorf(TZ_EIO, "cannot write the output", "无法写出结果") : 0;
}
