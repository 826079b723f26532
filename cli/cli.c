/* cli.c - shared plumbing of the command-line face. */
#include "cli.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "taizhang/key.h"
#include "taizhang/validate.h"


int cli_error(const tz_err *err)
{
	fprintf(stderr, "taizhang: %s\n", err->msg[0] ? err->msg : "error");
	return tz_status_exit(err->status);
}

int cli_nomem(void)
{
	tz_err err;
	tz_nomem(&err);
	return cli_error(&err);
}

int cli_errorf(tz_status st, const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	fputs("taizhang: ", stderr);
	vfprintf(stderr, tz_tr(en, zh), ap);
	fputc('\n', stderr);
	va_end(ap);
	return tz_status_exit(st);
}

int cli_check_date(const char *date)
{
	tz_err err = {0};
	char d[11];
	if (!date || !tz_valid_date(date, d, &err))
		return 0;
	err.status = TZ_EUSAGE;
	return cli_error(&err);
}

int cli_usage(const char *synopsis)
{
	return cli_errorf(TZ_EUSAGE, "usage: taizhang %s", "用法：taizhang %s", synopsis);
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

int cli_args(int argc, char **argv, int first, const cli_option *opts,
	     const char **pos, int npos, const char *synopsis)
{
	int np = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if (np >= npos)
				return cli_usage(synopsis);
			pos[np++] = a;
			continue;
		}
		const cli_option *o = opts;
		int r = 0;
		for (; o->name; o++) {
			if (!o->val) {
				if (!strcmp(a, o->name)) {
					*o->flag = 1;
					break;
				}
			} else if ((r = cli_opt(argc, argv, &i, o->name, o->val))) {
				break;
			}
		}
		if (!o->name || r < 0)
			return cli_usage(synopsis);
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return -1;
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = '\0';
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -1;
	return 0;
}

tz_db *cli_open(tz_cli *c, unsigned flags, int *rc)
{
	tz_err err = {0};
	tz_db *db = NULL;
	if ((flags & TZ_OPEN_CREATE) && mkdirs(c->db_path)) {
		*rc = cli_errorf(TZ_EIO, "cannot create the folder for %s: %s",
				 "无法为 %s 创建文件夹：%s", c->db_path, tz_strerror(errno));
		return NULL;
	}
	if (tz_db_open(&db, c->db_path, flags, &err)) {
		*rc = cli_error(&err);
		return NULL;
	}
	*rc = 0;
	return db;
}

tz_db *cli_open_init(tz_cli *c, int *rc)
{
	tz_db *db = cli_open(c, 0, rc);
	if (db && !tz_db_has_identity(db)) {
		*rc = cli_errorf(TZ_EUSAGE, "%s is not initialised: run 'taizhang init' first",
				 "%s 尚未初始化：请先运行 taizhang init", c->db_path);
		tz_db_close(db);
		return NULL;
	}
	return db;
}

tz_db *cli_open_dated(tz_cli *c, const char *date, int init, int *rc)
{
	if ((*rc = cli_check_date(date)))
		return NULL;
	return init ? cli_open_init(c, rc) : cli_open(c, 0, rc);
}

#define PASS_MAX 1024

static char *read_tty_line(const char *prompt, int *rc)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty) {
		*rc = cli_errorf(TZ_EKEY,
				 "no passphrase: give --passphrase-file or set TAIZHANG_PASSPHRASE",
				 "缺少口令：请使用 --passphrase-file 或设置 TAIZHANG_PASSPHRASE");
		return NULL;
	}
	struct termios old, quiet;
	int have = tcgetattr(fileno(tty), &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	fputs(prompt, tty);
	fflush(tty);
	char *buf = sodium_malloc(PASS_MAX);
	char *ok = buf ? fgets(buf, PASS_MAX, tty) : NULL;
	if (have)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (!ok) {
		if (buf)
			sodium_free(buf);
		*rc = cli_errorf(TZ_EKEY, "no passphrase given", "未输入口令");
		return NULL;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

int cli_take_env_passphrase(tz_cli *c)
{
	char *env = getenv("TAIZHANG_PASSPHRASE");
	if (!env)
		return 0;
	size_t n = strlen(env);
	if (sodium_init() < 0)
		return cli_nomem();
	if (n >= PASS_MAX)
		return cli_errorf(TZ_EKEY, "the passphrase is too long", "口令过长");
	if (!(c->env_passphrase = sodium_malloc(PASS_MAX)))
		return cli_nomem();
	memcpy(c->env_passphrase, env, n + 1);
	sodium_memzero(env, n); /* the copy in /proc/PID/environ too */
	unsetenv("TAIZHANG_PASSPHRASE");
	return 0;
}

char *cli_passphrase(tz_cli *c, int confirm, int *rc)
{
	char *buf = NULL;
	const char *env = c->env_passphrase;
	*rc = 0;
	if (c->passphrase_file) {
		FILE *f = fopen(c->passphrase_file, "r");
		if (!f) {
			*rc = cli_errorf(TZ_EIO, "cannot read the passphrase file %s: %s",
					 "无法读取口令文件 %s：%s", c->passphrase_file, tz_strerror(errno));
			return NULL;
		}
		/* a secret others may read is no secret: refuse it, as ssh does */
		struct stat sb;
		if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077)) {
			fclose(f);
			*rc = cli_errorf(TZ_EKEY,
					 "the passphrase file %s can be read by others: chmod 600 %s",
					 "口令文件 %s 他人可读：请执行 chmod 600 %s", c->passphrase_file,
					 c->passphrase_file);
			return NULL;
		}
		buf = sodium_malloc(PASS_MAX);
		if (!buf || !fgets(buf, PASS_MAX, f)) {
			fclose(f);
			if (buf)
				sodium_free(buf);
			*rc = cli_errorf(TZ_EKEY, "the passphrase file %s is empty",
					 "口令文件 %s 为空", c->passphrase_file);
			return NULL;
		}
		fclose(f);
		buf[strcspn(buf, "\r\n")] = '\0';
	} else if (env) {
		size_t n = strlen(env);
		if (n >= PASS_MAX || !(buf = sodium_malloc(PASS_MAX))) {
			*rc = cli_errorf(TZ_EKEY, "the passphrase is too long", "口令过长");
			return NULL;
		}
		memcpy(buf, env, n + 1);
	} else {
		buf = read_tty_line(tz_tr("Passphrase: ", "口令："), rc);
		if (!buf)
			return NULL;
		if (confirm) {
			char *again = read_tty_line(tz_tr("Passphrase again: ", "再次输入口令："), rc);
			if (!again) {
				sodium_free(buf);
				return NULL;
			}
			int same = strcmp(buf, again) == 0;
			sodium_free(again);
			if (!same) {
				sodium_free(buf);
				*rc = cli_errorf(TZ_EKEY, "the two passphrases differ", "两次输入的口令不一致");
				return NULL;
			}
		}
	}
	if (!*buf) {
		sodium_free(buf);
		*rc = cli_errorf(TZ_EKEY, "the passphrase is empty", "口令为空");
		return NULL;
	}
	return buf;
}

void cli_passphrase_free(char *p)
{
	if (p)
		sodium_free(p); /* zeroes the memory */
}

uint8_t *cli_unlock(tz_cli *c, tz_db *db, int *rc)
{
	char *pass = cli_passphrase(c, 0, rc);
	if (!pass)
		return NULL;
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	tz_err err = {0};
	*rc = !sk ? cli_nomem() : tz_key_unlock(db, pass, sk, &err) ? cli_error(&err) : 0;
	cli_passphrase_free(pass);
	if (*rc && sk) {
		sodium_free(sk);
		sk = NULL;
	}
	return sk;
}

int cli_limit(const char *val, long max, int *out)
{
	char *end;
	errno = 0;
	long n = val[0] >= '0' && val[0] <= '9' ? strtol(val, &end, 10) : -1;
	if (n < 1 || n > max || errno || *end)
		return cli_errorf(TZ_EUSAGE, "--limit takes a number from 1 to %ld, not '%.20s'",
				  "--limit 应为 1 至 %ld 的数字，而不是“%.20s”", max, val);
	*out = (int)n;
	return 0;
}

void cli_tsv(const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(*s);
		}
	}
}

int cli_xlsx_not_on_screen(int fmt, const char *out)
{
	if (!out && fmt == TZ_SHEET_XLSX && isatty(STDOUT_FILENO))
		return cli_errorf(TZ_EUSAGE,
				  "an xlsx file is not for the screen: add --out FILE.xlsx (or redirect: > FILE.xlsx)",
				  "xlsx 文件不能显示在屏幕上：请加 --out 文件.xlsx（或重定向：> 文件.xlsx）");
	return 0;
}

int cli_sheet(tz_sheet **s, tz_sheet_format fmt, const char *out, const char *title,
	      const char *subtitle, const tz_sheet_col *cols, int ncols)
{
	tz_err err = {0};
	tz_status st;
	int rc = cli_xlsx_not_on_screen(fmt, out);
	if (rc)
		return rc;
	st = tz_sheet_open(s, fmt, stdout, out, title, subtitle, cols, ncols, &err);
	return st ? cli_error(&err) : 0;
}

int cli_format(const char *fmt, const char *const *others, const char *out, int *sheet)
{
	*sheet = tz_sheet_format_parse(fmt);
	int known = *sheet >= 0;
	char list[200] = "";
	size_t k = 0;
	for (int i = 0; others[i]; i++) {
		known |= !strcmp(fmt, others[i]);
		k += (size_t)snprintf(list + k, sizeof list - k, "%s, ", others[i]);
	}
	if (!known)
		return cli_errorf(TZ_EUSAGE, "unknown format '%.20s' (%scsv or xlsx)",
				  "未知格式“%.20s”（%scsv 或 xlsx）", fmt, list);
	if (out && *sheet < 0)
		return cli_errorf(TZ_EUSAGE, "--out goes with --format csv or xlsx",
				  "--out 只用于 --format csv 或 xlsx");
	return 0;
}

int cli_sheet_close(tz_sheet *s)
{
	tz_err err = {0};
	if (tz_sheet_close(s, &err))
		return cli_error(&err);
	return cli_flush();
}

int cli_flush(void)
{
	if (fflush(stdout) || ferror(stdout))
		return cli_errorf(TZ_EIO, "cannot write the output", "无法写出结果");
	return 0;
}
