/* main.c - taizhang's entry point: the TUI, or a command of the CLI. */
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "taizhang/settings.h"
#include "taizhang/tui.h"

#ifndef TZ_VERSION
#define TZ_VERSION "0.1.0"
#endif

static const struct {
	const char *name;
	tz_cmd_fn fn;
	const char *synopsis, *en, *zh;
} commands[] = {
#define TZ_X(name, fn, syn, en, zh) {name, cmd_##fn, syn, en, zh},
	TZ_COMMANDS(TZ_X)
#undef TZ_X
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void help(FILE *f)
{
	fprintf(f, "%s\n\n", tz_tr("taizhang - the register of a grassroots employment-service platform",
				   "台账 - 基层公共就业服务平台台账"));
	fprintf(f, "%s\n", tz_tr("usage: taizhang [--db PATH] [--lang zh|en] [--passphrase-file FILE] COMMAND ...",
				 "用法：taizhang [--db 路径] [--lang zh|en] [--passphrase-file 文件] 命令 ..."));
	fprintf(f, "\n%s\n", tz_tr("commands:", "命令："));
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *syn = commands[i].synopsis, *what = tz_tr(commands[i].en, commands[i].zh);
		if (strlen(syn) > 58)
			fprintf(f, "  %s\n  %-58s %s\n", syn, "", what);
		else
			fprintf(f, "  %-58s %s\n", syn, what);
	}
	fprintf(f, "\n%s\n", tz_tr("The database is --db, else $TAIZHANG_DB, else $XDG_DATA_HOME/taizhang/taizhang.db.\n"
				   "Exit status: 0 ok, 1 data refused or check failed, 2 usage, 3 environment.\n"
				   "See docs/cli.md.",
				   "数据库路径：--db，否则 $TAIZHANG_DB，否则 $XDG_DATA_HOME/taizhang/taizhang.db。\n"
				   "退出码：0 成功，1 数据被拒绝或检查未通过，2 用法错误，3 环境错误。\n"
				   "详见 docs/cli.md。"));
}

static const char *default_db(void)
{
	static char buf[4096];
	const char *env = getenv("TAIZHANG_DB");
	if (env && *env)
		return env;
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(buf, sizeof buf, "%s/taizhang/taizhang.db", xdg);
	else
		snprintf(buf, sizeof buf, "%s/.local/share/taizhang/taizhang.db", home ? home : ".");
	return buf;
}

int main(int argc, char **argv)
{
	tz_cli c = {0};
	const char *lang = NULL;
	clock_gettime(CLOCK_MONOTONIC, &tz_app_started);
	/* Buffers of a megabyte or more (a bundle's ops during a merge, the
	 * sorted search keys) come from mmap and go back to the system when
	 * freed.  Without a fixed threshold glibc raises it after the first
	 * such free, and a merge of many bundles leaves their freed buffers
	 * resident in a fragmented heap: peak RSS would grow with the set. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	/* a zh_CN.UTF-8 that is not installed still means UTF-8: fall back to
	 * C.UTF-8 for the character type, so Chinese shows and widths are right */
	const char *loc = setlocale(LC_ALL, "");
	const char *want = getenv("LC_ALL");
	if (!want || !*want)
		want = getenv("LC_CTYPE");
	if (!want || !*want)
		want = getenv("LANG");
	if ((!loc || !strstr(loc, "UTF")) && want && (strstr(want, "UTF-8") || strstr(want, "utf8")))
		setlocale(LC_CTYPE, "C.UTF-8");
	tz_lang_set(tz_lang_from_env());

	/* global options may stand anywhere; take them out of argv */
	int n = 1;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if ((r = cli_opt(argc, argv, &i, "--db", &v)) ||
		    (r = cli_opt(argc, argv, &i, "--lang", &lang)) ||
		    (r = cli_opt(argc, argv, &i, "--passphrase-file", &c.passphrase_file))) {
			if (r < 0)
				return cli_errorf(TZ_EUSAGE, "%s needs a value", "%s 需要一个值", argv[i]);
			if (v)
				c.db_path = v;
			continue;
		}
		argv[n++] = argv[i];
	}
	argc = n;
	argv[argc] = NULL;
	if (lang) {
		if (!strcmp(lang, "zh"))
			tz_lang_set(TZ_LANG_ZH);
		else if (!strcmp(lang, "en"))
			tz_lang_set(TZ_LANG_EN);
		else
			return cli_errorf(TZ_EUSAGE, "--lang takes zh or en", "--lang 只能是 zh 或 en");
	}
	if (!c.db_path)
		c.db_path = default_db();
	int bad = cli_take_env_passphrase(&c);
	if (bad)
		return bad;

	if (argc < 2 || !strcmp(argv[1], "tui")) {
		int rc;
		tz_db *db = cli_open_init(&c, &rc);
		if (!db)
			return rc;
		if (!lang) {
			/* the language chosen on the settings screen */
			char *l = tz_settings_str(db, "ui.lang", NULL);
			if (l && !strcmp(l, "zh"))
				tz_lang_set(TZ_LANG_ZH);
			else if (l && !strcmp(l, "en"))
				tz_lang_set(TZ_LANG_EN);
			free(l);
		}
		rc = tz_app_main(db, c.db_path);
		tz_db_close(db);
		return rc;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("taizhang %s\n", TZ_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(&c, argc - 1, argv + 1);
	return cli_errorf(TZ_EUSAGE, "unknown command '%.40s' (see taizhang --help)",
			  "未知命令“%.40s”（见 taizhang --help）", cmd);
}
