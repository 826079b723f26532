/* cmd_dump.c - `taizhang dump`: the whole replicated state, canonical. */
#include <stdio.h>

#include "taizhang/dump.h"
#include "cli.h"
#include "commands.h"

int cmd_dump(tz_cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("dump");
	int rc;
	tz_err err = {0};
	tz_db *db = cli_open(c, 0, &rc);
	if (!db)
		return rc;
	if (tz_dump(db, stdout, &err))
		rc = cli_error(&err);
	tz_db_close(db);
	return rc;
}
