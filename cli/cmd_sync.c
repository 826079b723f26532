/* cmd_sync.c - export, import and verify bundles. */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/audit.h"
#include "taizhang/dump.h"
#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/keys.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define SYN_EXPORT "export --out DIR [--max-mb N] [--forward]"
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
	const char *out = NULL, *mb = NULL;
	int forward = 0;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--out", &out)) ||
		    (r = cli_opt(argc, argv, &i, "--max-mb", &mb))) {
			if (r < 0)
				return cli_usage(SYN_EXPORT);
		} else if (!strcmp(argv[i], "--forward")) {
			forward = 1;
		} else {
			return cli_usage(SYN_EXPORT);
		}
	}
	long max_mb = 4;
	if (!out)
		return cli_usage(SYN_EXPORT);
	if (mb) {
		char *end;
		max_mb = strtol(mb, &end, 10);
		if (*end || max_mb < 1 || max_mb > 64)
			return cli_errorf(TZ_EUSAGE, "--max-mb takes 1 to 64", "--max-mb 取 1 到 64");
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
			rc = cli_errorf(TZ_ENOMEM, "out of memory", "内存不足");
		goto out;
	}
	if (tz_key_unlock(db, pass, sk, &err) ||
	    tz_bundle_export(db, sk, out, (size_t)max_mb << 20, print_path, NULL, &n, &err) ||
	    (forward && tz_bundle_forward(db, out, print_path, NULL, &nf, &err)))
		rc = cli_error(&err);
	else if (n + nf == 0)
		fprintf(stderr, "%s\n", tz_tr("taizhang: nothing new to export", "taizhang: 没有需要导出的新变更"));
out:
	if (sk)
		sodium_free(sk);
	cli_passphrase_free(pass);
	tz_db_close(db);
	return rc;
}

/* Expand folders into their *.tzb files, in chain order. */
static int collect(char *const *args, int nargs, char ***out, int *nout)
{
	char **v = NULL;
	int n = 0, cap = 0;
	for (int i = 0; i < nargs; i++) {
		struct stat sb;
		char **names = NULL;
		int nn = 0;
		if (stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			struct dirent **ents;
			int k = scandir(args[i], &ents, NULL, alphasort);
			for (int j = 0; j < k; j++) {
				const char *d = ents[j]->d_name;
				size_t l = strlen(d);
				if (d[0] != '.' && l > 4 && !strcmp(d + l - 4, TZ_BUNDLE_EXT)) {
					names = realloc(names, (size_t)(nn + 1) * sizeof *names);
					names[nn] = malloc(strlen(args[i]) + l + 2);
					sprintf(names[nn++], "%s/%s", args[i], d);
				}
				free(ents[j]);
			}
			if (k >= 0)
				free(ents);
			tz_bundle_sort(names, nn);
		} else {
			names = malloc(sizeof *names);
			names[nn++] = strdup(args[i]);
		}
		for (int j = 0; j < nn; j++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				v = realloc(v, (size_t)cap * sizeof *v);
			}
			v[n++] = names[j];
		}
		free(names);
	}
	*out = v;
	*nout = n;
	return 0;
}

int cmd_import(tz_cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(SYN_IMPORT);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(SYN_IMPORT);
	int rc, refused = 0, unreadable = 0;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	char **files;
	int nfiles;
	size_t released = 0;
	tz_err qerr = {0};
	/* changes held back while this PC's clock was wrong go in first */
	if (tz_quarantine_release(db, &released, &qerr)) {
		rc = cli_error(&qerr);
		tz_db_close(db);
		return rc;
	}
	if (released)
		printf("released\t%zu\n", released);
	collect(argv + 1, argc - 1, &files, &nfiles);
	if (!nfiles)
		rc = cli_errorf(TZ_EREFUSED, "no bundle files (*.tzb) found", "没有找到数据包文件（*.tzb）");
	/* encrypted bundles need this device's encryption key: ask for the
	 * passphrase once, and only if there is one */
	uint8_t *esk = NULL;
	for (int i = 0; i < nfiles && !esk && !rc; i++) {
		tz_bundle_info pi;
		tz_err perr = {0};
		if (tz_bundle_peek(files[i], &pi, &perr) || pi.version != TZ_BUNDLE_VERSION)
			continue;
		char *pass = cli_passphrase(c, 0, &rc);
		if (!pass)
			break;
		if (!(esk = sodium_malloc(TZ_ESK_BYTES)))
			rc = cli_errorf(TZ_ENOMEM, "out of memory", "内存不足");
		else if (tz_key_unlock_enc(db, pass, esk, &perr))
			rc = cli_error(&perr);
		cli_passphrase_free(pass);
	}
	for (int i = 0; i < nfiles && !rc; i++) {
		tz_import_result res;
		tz_err err = {0};
		if (access(files[i], R_OK)) {
			/* an unreadable file is the environment's fault, not the data's */
			unreadable = cli_errorf(TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s",
						files[i], tz_strerror(errno));
			continue;
		}
		if (tz_bundle_import(db, files[i], esk, &res, &err)) {
			rc = cli_error(&err);
			break;
		}
		const tz_bundle_info *h = &res.info;
		char origin[33];
		tz_hex(h->origin, 16, origin);
		switch (res.outcome) {
		case TZ_IMPORT_APPLIED:
			printf("applied\t%s\torigin=%s seq=%llu-%llu new=%zu", files[i], origin,
			       (unsigned long long)h->first_seq, (unsigned long long)h->last_seq,
			       res.applied);
			if (res.gap)
				printf(" gap");
			if (res.quarantined)
				printf(" quarantined=%zu", res.quarantined);
			if (res.reviews)
				printf(" review=%d", res.reviews);
			putchar('\n');
			if (res.quarantined)
				cli_errorf(TZ_OK, "%s: %zu changes held back: their clock is far ahead of this PC's",
					   "%s：%zu 条变更的时间远超本机时间，已隔离", files[i], res.quarantined);
			break;
		case TZ_IMPORT_PRESENT:
			printf("present\t%s\torigin=%s seq=%llu-%llu\n", files[i], origin,
			       (unsigned long long)h->first_seq, (unsigned long long)h->last_seq);
			break;
		default:
			refused++;
			printf("refused\t%s\t", files[i]);
			tz_put_escaped(stdout, res.reason);
			putchar('\n');
			cli_errorf(TZ_OK, "%s: %s", "%s：%s", files[i], res.reason);
		}
		fflush(stdout);
	}
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (esk)
		sodium_free(esk);
	tz_db_close(db);
	if (!rc && unreadable)
		rc = unreadable;
	if (!rc && refused)
		rc = tz_status_exit(TZ_EREFUSED);
	return rc;
}

static void audit_line(void *ctx, const char *kind, int ok, const char *line)
{
	(void)ctx;
	(void)kind;
	(void)ok;
	tz_put_escaped(stdout, line);
	putchar('\n');
}

int cmd_verify(tz_cli *c, int argc, char **argv)
{
	const char *krpath = NULL;
	char **paths = calloc((size_t)argc, sizeof *paths);
	int np = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--keyring", &krpath);
		if (r < 0) {
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
	} else if (access(c->db_path, F_OK) == 0) {
		tz_db *db = cli_open(c, 0, &rc);
		if (db && tz_keyring_from_db(db, &kr, &err))
			rc = cli_error(&err);
		tz_db_close(db);
	}
	if (!rc && tz_audit(&kr, paths, np, audit_line, NULL, &problems, &err))
		rc = cli_error(&err);
	if (!rc && problems)
		rc = cli_errorf(TZ_ECHECK, "%d problem(s) found", "发现 %d 个问题", problems);
	tz_keyring_free(&kr);
	free(paths);
	return rc;
}
