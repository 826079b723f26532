/* cmd_key.c - key show|export-public, keyring add|list|revoke|export. */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/dump.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_KEY "key show | key export-public FILE"
#define SYN_SHOW "key show"
#define SYN_EXPORT_PUB "key export-public FILE"
#define SYN_KEYRING \
	"keyring add FILE --role ROLE --region CODE | list | revoke FINGERPRINT [--after-seq N] | export FILE"
#define SYN_ADD "keyring add FILE --role village|township|county|escrow --region CODE [--name NAME]"
#define SYN_LIST "keyring list"
#define SYN_REVOKE "keyring revoke FINGERPRINT|KEYID [--after-seq N]"
#define SYN_EXPORT "keyring export FILE"

/* The encryption public key as base64 (44 characters), or "-". */
static void enc_text(const tz_keyent *k, char out[48])
{
	if (k->has_enc)
		sodium_bin2base64(out, 48, k->epk, 32, sodium_base64_VARIANT_ORIGINAL);
	else
		strcpy(out, "-");
}

static int key_show(tz_db *db)
{
	tz_err err = {0};
	tz_keyent k;
	uint8_t pk[TZ_PK_BYTES], id[TZ_KEYID_BYTES];
	if (tz_key_public(db, pk, id, &err) || tz_keyring_find(db, id, &k, &err))
		return cli_error(&err);
	char fp[40], kid[17], dev[33];
	tz_key_fingerprint(k.pk, fp);
	tz_pubkey_id_hex(k.key_id, kid);
	tz_hex_encode(k.origin, 16, dev);
	printf("fingerprint\t%s\nkey_id\t%s\ndevice\t%s\nrole\t%s\nregion\t%s\nname\t", fp, kid,
	       dev, tz_db_role_name(k.role), k.region);
	tz_dump_escaped(stdout, k.name);
	char enc[48];
	enc_text(&k, enc);
	printf("\nencryption_key\t%s\n", enc);
	return 0;
}

int cmd_key(tz_cli *c, int argc, char **argv)
{
	int rc;
	tz_err err = {0};
	if (argc < 2)
		return cli_usage(SYN_KEY);
	if (!strcmp(argv[1], "show")) {
		if (argc != 2)
			return cli_usage(SYN_SHOW);
	} else if (!strcmp(argv[1], "export-public")) {
		if (argc != 3 || !argv[2][0])
			return cli_usage(SYN_EXPORT_PUB);
	} else {
		return cli_usage(SYN_KEY);
	}
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	if (argc == 2) {
		rc = key_show(db);
	} else if (tz_pubkey_export(db, argv[2], &err)) {
		rc = cli_error(&err);
	} else {
		uint8_t pk[TZ_PK_BYTES], id[TZ_KEYID_BYTES];
		char fp[40];
		tz_key_public(db, pk, id, &err);
		tz_key_fingerprint(pk, fp);
		printf("%s\n", fp);
	}
	tz_db_close(db);
	return rc;
}

static int keyring_add(tz_cli *c, tz_db *db, int argc, char **argv)
{
	const char *file = NULL, *role = NULL, *region = NULL, *name = NULL;
	const cli_option opts[] = {
		{"--role", &role, NULL}, {"--region", &region, NULL}, {"--name", &name, NULL}, {NULL}};
	int bad = cli_args(argc, argv, 1, opts, &file, 1, SYN_ADD);
	if (bad)
		return bad;
	if (file && !file[0])
		return cli_usage(SYN_ADD);
	if (!file || !role || !region)
		return cli_usage(SYN_ADD);
	int ro = tz_db_role_parse(role);
	if (ro < 0)
		return cli_errorf(TZ_EUSAGE, "unknown role '%.20s' (village, township, county or escrow)",
				  "未知角色“%.20s”（village、township、county 或 escrow）", role);
	tz_err err = {0};
	tz_keyent k;
	char reg[13];
	if (tz_valid_region(region, reg, &err) || tz_pubkey_read(file, &k, &err))
		return cli_error(&err);
	k.role = (tz_role)ro;
	memcpy(k.region, reg, sizeof reg);
	if (name) {
		if (strlen(name) >= sizeof k.name)
			return cli_errorf(TZ_EINVAL, "the name is longer than %d bytes",
					  "名称超过 %d 字节", (int)sizeof k.name - 1);
		memcpy(k.name, name, strlen(name) + 1);
	}
	/* who changes whom this PC trusts proves they are its operator */
	int locked;
	uint8_t *sk = cli_unlock(c, db, &locked);
	if (!sk)
		return locked;
	tz_status st = tz_keyring_add(db, &k, sk, &err);
	sodium_free(sk);
	if (st)
		return cli_error(&err);
	char fp[40], kid[17], dev[33];
	tz_key_fingerprint(k.pk, fp);
	tz_pubkey_id_hex(k.key_id, kid);
	tz_hex_encode(k.origin, 16, dev);
	printf("%s\n", fp);
	/* the device the key will sign for, for the one enrolling to compare
	 * with what the device's owner reads out */
	cli_errorf(TZ_OK, "enrolled key %s for device %s (%s %s)", "已登记密钥 %s，设备 %s（%s %s）",
		   kid, dev, tz_db_role_name(k.role), k.region);
	if (!k.has_enc)
		cli_errorf(TZ_OK, "note: %s has no encryption key: bundles cannot be encrypted to it"
			   " until its owner sends a newer public key file",
			   "注意：%s 没有加密密钥，在对方发来新的公钥文件之前无法向其加密数据包", file);
	return 0;
}

static int list_line(void *ctx, const tz_keyent *k)
{
	(void)ctx;
	char fp[40], kid[17], dev[33];
	tz_key_fingerprint(k->pk, fp);
	tz_pubkey_id_hex(k->key_id, kid);
	tz_hex_encode(k->origin, 16, dev);
	printf("%s\t%s\t%s\t%s\t%s\t", fp, kid, dev, tz_db_role_name(k->role), k->region);
	tz_dump_escaped(stdout, k->name);
	if (k->revoked_after >= 0)
		printf("\t%" PRId64, k->revoked_after);
	else
		fputs("\t-", stdout);
	char date[11] = "-";
	if (k->added_ms > 0) {
		/* the local date */
		time_t t = (time_t)(k->added_ms / 1000);
		struct tm tm;
		int64_t s = k->added_ms / 1000;
		if (localtime_r(&t, &tm))
			s += tm.tm_gmtoff;
		tz_date_from_days((long)(s / 86400 - (s % 86400 < 0)), date);
	}
	char enc[48];
	enc_text(k, enc);
	printf("\t%s\t%s\n", date, enc);
	return 0;
}

/* N >= 0, digits only: 0, or -1. */
static int parse_seq(const char *s, int64_t *out)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int keyring_revoke(tz_cli *c, tz_db *db, int argc, char **argv)
{
	/* the fingerprint may come as one argument or as its eight groups */
	char which[128] = "";
	const char *seq = NULL;
	int64_t after = -1;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--after-seq", &seq);
		if (r < 0)
			return cli_usage(SYN_REVOKE);
		if (r)
			continue;
		if (argv[i][0] == '-' || strlen(which) + strlen(argv[i]) + 2 > sizeof which)
			return cli_usage(SYN_REVOKE);
		if (which[0])
			strcat(which, " ");
		strcat(which, argv[i]);
	}
	if (!which[0] || (seq && parse_seq(seq, &after)))
		return cli_usage(SYN_REVOKE);
	tz_err err = {0};
	int locked;
	uint8_t *sk = cli_unlock(c, db, &locked);
	if (!sk)
		return locked;
	tz_status st = tz_keyring_revoke(db, which, after, sk, &err);
	sodium_free(sk);
	if (st)
		return cli_error(&err);
	return 0;
}

int cmd_keyring(tz_cli *c, int argc, char **argv)
{
	static const char *const subs[] = {"add", "list", "revoke", "export"};
	int which = -1, rc;
	tz_err err = {0};
	for (int i = 0; argc >= 2 && i < 4; i++)
		if (!strcmp(argv[1], subs[i]))
			which = i;
	if (which < 0)
		return cli_usage(SYN_KEYRING);
	if (which == 1 && argc != 2)
		return cli_usage(SYN_LIST);
	if (which == 3 && (argc != 3 || !argv[2][0]))
		return cli_usage(SYN_EXPORT);
	if (which == 2 && argc < 3)
		return cli_usage(SYN_REVOKE);
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	switch (which) {
	case 0:
		rc = keyring_add(c, db, argc - 1, argv + 1);
		break;
	case 1:
		printf("fingerprint\tkey_id\torigin\trole\tregion\tname\trevoked_after\tadded\tencryption_key\n");
		if (tz_keyring_list(db, list_line, NULL, &err))
			rc = cli_error(&err);
		break;
	case 2:
		rc = keyring_revoke(c, db, argc - 1, argv + 1);
		break;
	default:
		if (tz_keyring_export(db, argv[2], &err))
			rc = cli_error(&err);
	}
	tz_db_close(db);
	return rc;
}
