/* cmd_init.c - `taizhang init`: the database and this device's signing key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/key.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_INIT "init --role village|township|county --region CODE --name NAME"

static void remove_db_files(const char *path)
{
	char buf[4200];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
}

int cmd_init(tz_cli *c, int argc, char **argv)
{
	const char *role = NULL, *region = NULL, *name = NULL;
	const cli_option opts[] = {
		{"--role", &role, NULL}, {"--region", &region, NULL}, {"--name", &name, NULL}, {NULL}};
	int bad = cli_args(argc, argv, 1, opts, NULL, 0, SYN_INIT);
	if (bad)
		return bad;
	if (!role || !region || !name)
		return cli_usage(SYN_INIT);
	int ro = tz_db_role_parse(role);
	if (ro < 0 || ro == TZ_ROLE_ESCROW)
		return cli_errorf(TZ_EUSAGE, "unknown role '%.20s' (village, township or county)",
				  "未知角色“%.20s”（village、township 或 county）", role);
	tz_err err = {0};
	char reg[13];
	if (tz_valid_region(region, reg, &err))
		return cli_error(&err);
	static const tz_field name_field = {.name = "name", .zh = "名称", .en = "name",
					    .type = TZ_T_TEXT, .max = 60};
	char *nm = NULL;
	if (tz_validate_field(NULL, &name_field, name, &nm, &err))
		return cli_error(&err);
	if (!nm) {
		return cli_errorf(TZ_EINVAL, "the name is empty", "名称为空");
	}
	int existed = access(c->db_path, F_OK) == 0;
	int rc;
	tz_db *db = cli_open(c, TZ_OPEN_CREATE, &rc);
	if (!db) {
		free(nm);
		return rc;
	}
	if (tz_db_has_identity(db)) {
		tz_db_close(db);
		free(nm);
		return cli_errorf(TZ_EINVAL, "%s is already initialised", "%s 已经初始化过",
				  c->db_path);
	}
	char *pass = cli_passphrase(c, 1, &rc);
	if (!pass)
		goto fail;
	if (tz_db_begin(db, &err) || tz_db_set_identity(db, (tz_role)ro, reg, nm, &err) ||
	    tz_key_create(db, pass, &err) || tz_db_commit(db, &err)) {
		tz_db_rollback(db);
		rc = cli_error(&err);
		goto fail;
	}
	cli_passphrase_free(pass);
	uint8_t pk[TZ_PK_BYTES], kid[TZ_KEYID_BYTES];
	char fp[40], dev[33];
	tz_key_public(db, pk, kid, &err);
	tz_key_fingerprint(pk, fp);
	tz_hex_encode(tz_db_origin(db), 16, dev);
	printf("db=%s\ndevice=%s\nrole=%s\nregion=%s\nname=%s\nfingerprint=%s\n", c->db_path, dev,
	       role, reg, nm, fp);
	free(nm);
	tz_db_close(db);
	return 0;
fail:
	cli_passphrase_free(pass);
	free(nm);
	tz_db_close(db);
	if (!existed)
		remove_db_files(c->db_path);
	return rc;
}

/* FIELD=VALUE arguments into kv (pointing into argv). */
