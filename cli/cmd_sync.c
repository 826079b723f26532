/* cmd_sync.c - export, import and verify bundles. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/audit.h"
#include "taizhang/dump.h"
#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/net.h"
#include <time.h>
#include "cli.h"
#include "commands.h"

#define SYN_EXPORT "export --out DIR [--max-mb N] [--forward] [--again SEQ]"
#define SYN_IMPORT "import FILE|DIR..."
#define SYN_VERIFY "verify [--keyring FILE] FILE|DIR..."

static int print_path(void *ctx, const char *path)
{
	(void)ctx;
	printf("%s\n", path);
	fflush(stdout);
	return 0;
}

int cmd_export(tz_cli *c, int argc, char **argv)
{
	const char *out = NULL, *mb = NULL, *again = NULL;
	int forward = 0;
	const cli_option opts[] = {{"--out", &out, NULL},
				   {"--max-mb", &mb, NULL},
				   {"--forward", NULL, &forward},
				   {"--again", &again, NULL},
				   {NULL}};
	int bad = cli_args(argc, argv, 1, opts, NULL, 0, SYN_EXPORT);
	if (bad)
		return bad;
	long max_mb = 4;
	if (!out)
		return cli_usage(SYN_EXPORT);
	if (mb) {
		char *end;
		max_mb = strtol(mb, &end, 10);
		if (*end || max_mb < 1 || max_mb > 64)
			return cli_errorf(TZ_EUSAGE, "--max-mb takes 1 to 64", "--max-mb 取 1 到 64");
	}
	unsigned long long from = 0;
	if (again) {
		char *end;
		from = strtoull(again, &end, 10);
		if (*end || !from || again[0] == '-')
			return cli_errorf(TZ_EUSAGE, "--again takes the first change to send again (1, 2, ...)",
					  "--again 取要重新发送的第一条变更的序号（1、2……）");
	}
	int rc;
	tz_err err = {0};
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	char *pass = cli_passphrase(c, 0, &rc);
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	int n = 0, nf = 0;
	if (!pass || !sk) {
		if (!rc)
			rc = cli_nomem();
		goto out;
	}
	char outbox[4096], spool[4096];
	int nr = 0;
	tz_net_dirs(c->db_path, outbox, spool);
	if (again) {
		/* a range sent again: the bundles as first cut, the state unmoved */
		if (tz_key_unlock(db, pass, sk, &err) ||
		    tz_bundle_reexport(db, sk, out, from, print_path, NULL, &n, &err))
			rc = cli_error(&err);
		else if (!n)
			rc = cli_errorf(TZ_EREFUSED, "no exported bundle holds change %llu or later",
					"没有已导出的数据包含第 %llu 条及以后的变更", from);
	} else if (tz_key_unlock(db, pass, sk, &err) ||
	    tz_bundle_export_stick(db, sk, out, (size_t)max_mb << 20, outbox, forward, print_path,
				   NULL, &n, &nf, &nr, &err))
		rc = cli_error(&err);
	else if (n + nf == 0 && nr)
		cli_errorf(TZ_OK, "nothing new to export; %d receipts written",
			   "没有需要导出的新变更；已写入 %d 份回执", nr);
	else if (n + nf == 0)
		fprintf(stderr, "%s\n", tz_tr("taizhang: nothing new to export", "taizhang: 没有需要导出的新变更"));
out:
	if (sk)
		sodium_free(sk);
	cli_passphrase_free(pass);
	tz_db_close(db);
	return rc;
}

typedef struct {
	tz_cli *c;
	tz_db *db;
	int failed, rc; /* the passphrase could not be had (cli_passphrase said why) */
} importing;

static tz_status import_unlock(void *ctx, uint8_t *esk, tz_err *err)
{
	importing *im = ctx;
	char *pass = cli_passphrase(im->c, 0, &im->rc);
	if (!pass) {
		im->failed = 1;
		return TZ_EUSAGE;
	}
	tz_status st = tz_key_unlock_enc(im->db, pass, esk, err);
	cli_passphrase_free(pass);
	return st;
}

static void import_released(void *ctx, size_t n)
{
	(void)ctx;
	if (n)
		printf("released\t%zu\n", n);
}

static void import_line(void *ctx, const tz_import_file *f)
{
	(void)ctx;
	const tz_import_result *res = &f->res;
	const tz_bundle_info *h = &res->info;
	char origin[33];
	if (f->status) {
		cli_errorf(TZ_OK, "%s", "%s", res->reason);
		return;
	}
	if (f->receipt && f->routcome != TZ_RECEIPT_REFUSED) {
		char dev[33], holder[33], t[32];
		tz_receipt_utc(&f->rc, t);
		tz_hex_encode(f->rc.device, 16, dev);
		tz_hex_encode(f->rc.holder, 16, holder);
		if (f->routcome == TZ_RECEIPT_OTHER)
			printf("skipped\t%s\t%s\n", f->path, res->reason);
		else
			printf("receipt\t%s\tdevice=%s seq=%llu holder=%s time=%s%s\n", f->path, dev,
			       (unsigned long long)f->rc.seq, holder, t,
			       f->routcome == TZ_RECEIPT_KNOWN ? " known" : "");
		fflush(stdout);
		return;
	}
	tz_hex_encode(h->origin, 16, origin);
	switch (res->outcome) {
	case TZ_IMPORT_APPLIED:
		printf("applied\t%s\torigin=%s seq=%llu-%llu new=%zu", f->path, origin,
		       (unsigned long long)h->first_seq, (unsigned long long)h->last_seq, res->applied);
		if (res->gap)
			printf(" gap");
		if (res->quarantined)
			printf(" quarantined=%zu", res->quarantined);
		if (res->unauthorized)
			printf(" unauthorized=%zu", res->unauthorized);
		if (res->waiting)
			printf(" waiting=%zu", res->waiting);
		if (res->rechecked)
			printf(" rechecked=%zu", res->rechecked);
		if (res->reviews)
			printf(" review=%d", res->reviews);
		putchar('\n');
		if (res->quarantined)
			cli_errorf(TZ_OK, "%s: %zu changes held back: their clock is far ahead of this PC's",
				   "%s：%zu 条变更的时间远超本机时间，已隔离", f->path, res->quarantined);
		if (res->unauthorized)
			cli_errorf(TZ_OK,
				   "%s: %zu changes not applied: outside what the device may write (taizhang check lists them)",
				   "%s：%zu 条变更超出该设备的权限，未应用（taizhang check 列出）", f->path,
				   res->unauthorized);
		break;
	case TZ_IMPORT_PRESENT:
		printf("present\t%s\torigin=%s seq=%llu-%llu\n", f->path, origin,
		       (unsigned long long)h->first_seq, (unsigned long long)h->last_seq);
		break;
	default:
		printf("refused\t%s\t", f->path);
		tz_dump_escaped(stdout, res->reason);
		putchar('\n');
		cli_errorf(TZ_OK, "%s: %s", "%s：%s", f->path, res->reason);
	}
	fflush(stdout);
}

int cmd_import(tz_cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(SYN_IMPORT);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(SYN_IMPORT);
	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	importing im = {c, db, 0, 0};
	char outbox[4096], spool[4096];
	tz_net_dirs(c->db_path, outbox, spool);
	tz_import_opts o = {.unlock = import_unlock, .released = import_released,
			    .file = import_line, .ctx = &im, .outbox = outbox};
	tz_import_report rep;
	tz_err err = {0};
	tz_status st = tz_bundle_import_files(db, argv + 1, argc - 1, &o, &rep, &err);
	if (st)
		rc = im.failed ? im.rc : cli_error(&err);
	else if (!rep.found)
		rc = cli_errorf(TZ_EREFUSED, "no bundle files (*.tzb) found", "没有找到数据包文件（*.tzb）");
	if (!st && rep.pruned)
		printf("outbox\tremoved=%d\n", rep.pruned);
	else if (rep.unreadable)
		rc = tz_status_exit(TZ_EIO);
	else if (rep.refused)
		rc = tz_status_exit(TZ_EREFUSED);
	tz_bundle_import_report_free(&rep);
	tz_db_close(db);
	return rc;
}

static void audit_line(void *ctx, const char *kind, int ok, const char *line)
{
	(void)ctx;
	(void)kind;
	(void)ok;
	tz_dump_escaped(stdout, line);
	putchar('\n');
}

int cmd_verify(tz_cli *c, int argc, char **argv)
{
	const char *krpath = NULL;
	char **paths = calloc((size_t)argc, sizeof *paths);
	int np = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--keyring", &krpath);
		if (r < 0 || (r == 0 && argv[i][0] == '-' && argv[i][1])) {
			/* an unknown option is not a file name */
			free(paths);
			return cli_usage(SYN_VERIFY);
		}
		if (r == 0)
			paths[np++] = argv[i];
	}
	if (!np) {
		free(paths);
		return cli_usage(SYN_VERIFY);
	}
	tz_keyring kr = {0};
	tz_err err = {0};
	int rc = 0, problems = 0;
	if (krpath) {
		if (tz_keyring_load(krpath, &kr, &err))
			rc = cli_error(&err);
	}
	/* without --keyring: the database's keys, and what it held back */
	tz_db *db = !krpath && access(c->db_path, F_OK) == 0 ? cli_open(c, 0, &rc) : NULL;
	if (db && tz_keyring_from_db(db, &kr, &err))
		rc = cli_error(&err);
	if (!rc && tz_audit(&kr, paths, np, audit_line, NULL, &problems, &err))
		rc = cli_error(&err);
	int held = 0;
	if (!rc && db && tz_audit_held(db, audit_line, NULL, &held, &err))
		rc = cli_error(&err);
	problems += held;
	tz_db_close(db);
	if (!rc && problems)
		rc = cli_errorf(TZ_ECHECK, "%d problem(s) found", "发现 %d 个问题", problems);
	tz_keyring_free(&kr);
	free(paths);
	return rc;
}
