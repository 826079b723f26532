/* cmd_check.c - `taizhang check`: the integrity report. */
#include <stdio.h>

#include "taizhang/check.h"
#include "taizhang/dump.h"
#include "taizhang/keyring.h"
#include "cli.h"
#include "commands.h"

static void check_line(void *ctx, const char *kind, const char *detail)
{
	(void)ctx;
	printf("%s\t", kind);
	tz_dump_escaped(stdout, detail);
	putchar('\n');
}

int cmd_check(tz_cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("check");
	int rc, problems = 0;
	tz_err err = {0};
	tz_db *db = cli_open(c, 0, &rc);
	if (!db)
		return rc;
	/* every keyring row signed by this PC (sync/keyring.c) */
	tz_keyring kr = {0};
	tz_err kerr = {0};
	int tampered = 0;
	if (tz_keyring_from_db(db, &kr, &kerr) == TZ_OK)
		tz_keyring_free(&kr);
	else {
		check_line(NULL, "keyring", kerr.msg);
		tampered = 1;
	}
	if (tz_check(db, check_line, NULL, &problems, &err))
		rc = cli_error(&err);
	problems += tampered;
	if (!rc && problems)
		rc = cli_errorf(TZ_ECHECK, "check found %d problem(s)", "检查发现 %d 个问题",
				problems);
	else if (!rc)
		printf("ok\n");
	tz_db_close(db);
	return rc;
}
