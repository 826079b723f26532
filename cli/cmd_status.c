/* cmd_status.c - `taizhang status`: what this database is and holds. */
#include <stdlib.h>
#include <string.h>

#include <time.h>
#include "taizhang/receipt.h"
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
	/* what the level above signed that it holds of this PC's changes */
	tz_receipt r;
	if (tz_receipt_best(db, tz_db_origin(db), &r)) {
		char t[32], holder[33];
		tz_receipt_utc(&r, t);
		tz_hex_encode(r.holder, 16, holder);
		printf("held\t%llu\t%s\t%s\n", (unsigned long long)r.seq, t, holder);
	} else
		printf("held\t0\n");
	for (int k = 0; k < tz_schema_ntables; k++)
		printf("%s\t%ld\n", tz_schema_tables[k]->name, tz_record_count(db, tz_schema_tables[k]->name));
	tz_db_close(db);
	return 0;
}
