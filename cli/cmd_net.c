/* cmd_net.c - serve, push and pull: bundles over HTTP (docs/network.md). */
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/dump.h"
#include "taizhang/key.h"
#include "taizhang/net.h"
#include "taizhang/settings.h"
#include "cli.h"
#include "commands.h"

#define SYN_SERVE "serve --listen ADDR:PORT [--spool DIR] [--log FILE] [--max-mb N] [--max-connections N] [--timeout SEC] [--no-export]"
#define SYN_PUSH "push [--to URL] [--max-mb N] [--retries N] [--again SEQ]"
#define SYN_PULL "pull [--from URL] [--retries N]"

static int num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void ready(void *ctx, const char *addr)
{
	(void)ctx;
	printf("listening\t%s\n", addr);
	fflush(stdout);
}

int cmd_serve(tz_cli *c, int argc, char **argv)
{
	const char *listen = NULL, *spool = NULL, *logp = NULL, *mb = NULL, *mc = NULL, *to = NULL;
	int no_export = 0;
	const cli_option opts[] = {
		{"--listen", &listen, NULL}, {"--spool", &spool, NULL}, {"--log", &logp, NULL},
		{"--max-mb", &mb, NULL}, {"--max-connections", &mc, NULL},
		{"--timeout", &to, NULL}, {"--no-export", NULL, &no_export}, {NULL}};
	int bad = cli_args(argc, argv, 1, opts, NULL, 0, SYN_SERVE);
	if (bad)
		return bad;
	if (!listen)
		return cli_usage(SYN_SERVE);
	struct sockaddr_storage ss;
	socklen_t sl;
	if (tz_net_parse_listen(listen, &ss, &sl))
		return cli_errorf(TZ_EUSAGE, "--listen takes ADDR:PORT, e.g. 0.0.0.0:8080",
				  "--listen 的格式为 地址:端口，例如 0.0.0.0:8080");
	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	long max_mb = tz_settings_int(db, "net.max_upload_mb"),
	     max_conn = tz_settings_int(db, "net.max_connections"),
	     timeout = tz_settings_int(db, "net.timeout_seconds");
	if ((mb && num(mb, 1, 65, &max_mb)) || (mc && num(mc, 4, 10000, &max_conn)) ||
	    (to && num(to, 1, 3600, &timeout))) {
		tz_db_close(db);
		return cli_errorf(TZ_EUSAGE,
				  "--max-mb takes 1 to 65, --max-connections 4 to 10000, --timeout 1 to 3600",
				  "--max-mb 取 1 到 65，--max-connections 取 4 到 10000，--timeout 取 1 到 3600");
	}
	char outbox[4096], dspool[4096];
	tz_net_dirs(c->db_path, outbox, dspool);
	int logfd = 2;
	if (logp && (logfd = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) < 0) {
		tz_db_close(db);
		return cli_errorf(TZ_EIO, "cannot open the log %s: %m", "无法打开日志 %s：%m", logp);
	}
	/* with the keys unlocked the server decrypts uploads (bundles are
	 * encrypted to it) and exports this PC's new changes (the township's
	 * vacancies and corrections) for villages that pull */
	char *pass = NULL;
	uint8_t *sk = NULL, *esk = NULL;
	tz_err err = {0};
	if (c->passphrase_file || c->env_passphrase || isatty(0)) {
		if (!(pass = cli_passphrase(c, 0, &rc)))
			goto out;
		if (!(sk = sodium_malloc(TZ_SK_BYTES)) || !(esk = sodium_malloc(TZ_ESK_BYTES))) {
			rc = cli_nomem();
			goto out;
		}
		if (tz_key_unlock(db, pass, sk, &err) || tz_key_unlock_enc(db, pass, esk, &err)) {
			rc = cli_error(&err);
			goto out;
		}
	}
	tz_net_serve_opts o = {
		.listen = listen,
		.spool = spool ? spool : dspool,
		.outbox = tz_db_role(db) == TZ_ROLE_VILLAGE ? NULL : outbox,
		.max_upload = (uint64_t)max_mb << 20,
		.max_conn = (unsigned)max_conn,
		.timeout_s = (unsigned)timeout,
		.deadline_s = (unsigned)tz_settings_int(db, "net.upload_seconds"),
		.header_s = (unsigned)tz_settings_int(db, "net.header_seconds"),
		.max_per_addr = (unsigned)tz_settings_int(db, "net.max_per_address"),
		.max_tmp = (uint64_t)tz_settings_int(db, "net.spool_tmp_mb") << 20,
		.sk = no_export ? NULL : sk,
		.rsk = sk,
		.esk = esk,
		.log_fd = logfd,
		.ready = ready,
	};
	if (tz_net_serve(db, &o, &err))
		rc = cli_error(&err);
out:
	if (sk)
		sodium_free(sk);
	if (esk)
		sodium_free(esk);
	cli_passphrase_free(pass);
	if (logfd > 2)
		close(logfd);
	tz_db_close(db);
	return rc;
}

/* Transfer progress on stderr (a terminal), for transfers of 256 KiB and
 * more; the line is cleared when the transfer is over. */
static void print_progress(void *ctx, const char *label, uint64_t now, uint64_t total, int done)
{
	int *shown = ctx;
	if (done) {
		if (*shown)
			fputs("\r\033[K", stderr);
		*shown = 0;
		return;
	}
	if (total < (256 << 10))
		return;
	fprintf(stderr, "\r%s  %.1f / %.1f MB  %3d%%", label, (double)now / 1048576.0,
		(double)total / 1048576.0, (int)(total ? now * 100 / total : 0));
	*shown = 1;
}

static void print_line(void *ctx, const char *what, const char *name, const char *detail)
{
	(void)ctx;
	printf("%s\t%s\t", what, name);
	tz_dump_escaped(stdout, detail);
	putchar('\n');
	fflush(stdout);
	if (!strcmp(what, "refused"))
		fprintf(stderr, "taizhang: %s: %s\n", name, detail);
}

/* The server: --to/--from, else the remembered net.url. */
static char *server_url(tz_db *db, const char *given, int *rc)
{
	tz_err err;
	char *url = given ? strdup(given) : tz_settings_str(db, "net.url", NULL);
	*rc = 0;
	if (url && !*url) {
		free(url);
		*rc = cli_errorf(TZ_EUSAGE, "which server? give --to URL (it is remembered afterwards)",
				 "哪台服务器？请给出 --to 网址（之后会记住）");
		return NULL;
	}
	if (!url || tz_net_url_check(url, &err)) {
		*rc = url ? cli_error(&err) : cli_nomem();
		free(url);
		return NULL;
	}
	return url;
}

static int net_cmd(tz_cli *c, int argc, char **argv, int push)
{
	const char *syn = push ? SYN_PUSH : SYN_PULL, *given = NULL, *mb = NULL, *re = NULL,
		   *again = NULL;
	const cli_option opts[] = {{push ? "--to" : "--from", &given, NULL},
				   {"--retries", &re, NULL},
				   {push ? "--max-mb" : NULL, &mb, NULL},
				   {push ? "--again" : NULL, &again, NULL},
				   {NULL}};
	int bad = cli_args(argc, argv, 1, opts, NULL, 0, syn);
	if (bad)
		return bad;
	long max_mb = 4, retries = 3, from = 0;
	if (again && num(again, 1, LONG_MAX, &from))
		return cli_errorf(TZ_EUSAGE, "--again takes the first change to send again (1, 2, ...)",
				  "--again 取要重新发送的第一条变更的序号（1、2……）");
	if ((mb && num(mb, 1, 64, &max_mb)) || (re && num(re, 0, 10, &retries)))
		return cli_errorf(TZ_EUSAGE, "--max-mb takes 1 to 64, --retries 0 to 10",
				  "--max-mb 取 1 到 64，--retries 取 0 到 10");
	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	char outbox[4096], spool[4096], down[4200];
	tz_net_dirs(c->db_path, outbox, spool);
	snprintf(down, sizeof down, "%s/down", spool);
	char *url = server_url(db, given, &rc), *pass = NULL;
	uint8_t *sk = NULL, *esk = NULL;
	tz_err err = {0};
	tz_net_stats st;
	int shown = 0; /* a progress line is on stderr */
	if (!url)
		goto out;
	/* push signs (and encrypts) new bundles; pull decrypts what it fetches */
	if (!(pass = cli_passphrase(c, 0, &rc)))
		goto out;
	if (push && !(sk = sodium_malloc(TZ_SK_BYTES))) {
		rc = cli_nomem();
		goto out;
	}
	if (!push && !(esk = sodium_malloc(TZ_ESK_BYTES))) {
		rc = cli_nomem();
		goto out;
	}
	if (push ? tz_key_unlock(db, pass, sk, &err) : tz_key_unlock_enc(db, pass, esk, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	tz_net_opts o = {
		.url = url,
		.outbox = outbox,
		.down = tz_db_role(db) != TZ_ROLE_VILLAGE && access(down, F_OK) == 0 ? down : NULL,
		.sk = sk,
		.esk = esk,
		.max_bytes = (size_t)max_mb << 20,
		.retries = (unsigned)retries,
		.again = (uint64_t)from,
		.line = print_line,
		.progress = isatty(2) ? print_progress : NULL,
		.ctx = &shown,
	};
	if ((push ? tz_net_push : tz_net_pull)(db, &o, &st, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	/* it worked (as far as the network goes): remember the server */
	if (given)
		tz_settings_set(db, "net.url", url, NULL);
	if (push && st.sent + st.present + st.refused == 0)
		fprintf(stderr, "%s\n", tz_tr("taizhang: nothing new to push", "taizhang: 没有需要推送的新变更"));
	if (!push && st.fetched == 0)
		fprintf(stderr, "%s\n", tz_tr("taizhang: nothing new on the server", "taizhang: 服务器上没有新数据"));
	if (st.pruned)
		printf("outbox\tremoved=%d\n", st.pruned);
	if (st.have_receipt) {
		char t[32], holder[33];
		tz_receipt_utc(&st.receipt, t);
		tz_hex_encode(st.receipt.holder, 16, holder);
		printf("receipt\tholder=%s\tseq=%llu time=%s\n", holder,
		       (unsigned long long)st.receipt.seq, t);
	}
	if (st.unconfirmed)
		cli_errorf(TZ_OK, "%d bundles kept in the outbox: the server has not signed a receipt for"
			   " them (push again later)",
			   "%d 个数据包保留在发件箱：服务器尚未为它们签发回执（稍后再推送）",
			   st.unconfirmed);
	if (st.refused || st.pulled_refused || st.unconfirmed || st.receipt_refused)
		rc = tz_status_exit(TZ_EREFUSED); /* each refusal had its line */
out:
	if (sk)
		sodium_free(sk);
	if (esk)
		sodium_free(esk);
	cli_passphrase_free(pass);
	free(url);
	tz_db_close(db);
	return rc;
}

int cmd_push(tz_cli *c, int argc, char **argv)
{
	return net_cmd(c, argc, argv, 1);
}

int cmd_pull(tz_cli *c, int argc, char **argv)
{
	return net_cmd(c, argc, argv, 0);
}
