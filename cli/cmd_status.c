/* cmd_status.c - `taizhang status`: what this database is and holds. */
#include <stdlib.h>
#include <string.h>

#include "taizhang/key.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "cli.h"
#include "commands.h"

int cmd_status(tz_cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("status");
	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	char dev[33], fp[40] = "";
	uint8_t pk[TZ_PK_BYTES], kid[TZ_KEYID_BYTES];
	tz_err err = {0};
	tz_hex_encode(tz_db_origin(db), 16, dev);
	if (tz_key_public(db, pk, kid, &err) == TZ_OK)
		tz_key_fingerprint(pk, fp);
	printf("db\t%s\nrole\t%s\ndevice\t%s\nfingerprint\t%s\nchanges\t%llu\n", c->db_path,
	       tz_db_role_name(tz_db_role(db)), dev, fp,
	       (unsigned long long)tz_oplog_high_water(db, tz_db_origin(db)));
	for (int k = 0; k < tz_schema_ntables; k++)
		printf("%s\t%ld\n", tz_schema_tables[k]->name, tz_record_count(db, tz_schema_tables[k]->name));
	tz_db_close(db);
	return 0;
}
