/* cmd_import_csv.c - taizhang import-csv TABLE FILE [--encoding utf-8|gb18030]
 *
 * All or nothing.  On success stdout has the new ids, one per line, in file
 * order.  Otherwise stderr has one line per bad line of the file,
 * "taizhang: FILE:LINE: reason", then "taizhang: nothing imported: ...".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/roster.h"
#include "taizhang/schema.h"
#include "cli.h"
#include "commands.h"

static const char synopsis[] = "import-csv TABLE FILE [--encoding utf-8|gb18030]";

/* s on one line: control characters escaped, the rest as it is (messages
 * already show values escaped; escaping backslashes again would double them). */
static void put_one_line(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, *p == '\n' ? "\\n" : "\\x%02x", *p);
		else
			fputc(*p, f);
}

static void on_bad(void *ctx, long line, const char *msg)
{
	const char *file = ctx;
	fputs("taizhang: ", stderr);
	put_one_line(stderr, file);
	if (line > 0)
		fprintf(stderr, ":%ld", line);
	fputs(": ", stderr);
	put_one_line(stderr, msg);
	fputc('\n', stderr);
}

int cmd_import_csv(tz_cli *c, int argc, char **argv)
{
	const char *enc = NULL, *pos[2] = {NULL, NULL};
	const cli_option opts[] = {{"--encoding", &enc, NULL}, {NULL}};
	int bad = cli_args(argc, argv, 1, opts, pos, 2, synopsis);
	if (bad)
		return bad;
	const char *table = pos[0], *file = pos[1]; /* a FILE of "-" is standard input */
	if (!table || !file)
		return cli_usage(synopsis);
	if (enc && tz_csv_encoding_parse(enc) < 0)
		return cli_errorf(TZ_EUSAGE, "unknown encoding '%.40s' (use utf-8 or gb18030)",
				  "未知编码“%.40s”（可用 utf-8 或 gb18030）", enc);
	if (!tz_schema_table_find(table)) {
		char known[256] = "";
		for (int i = 0; i < tz_schema_ntables; i++) {
			if (i)
				strncat(known, ", ", sizeof known - strlen(known) - 1);
			strncat(known, tz_schema_tables[i]->name, sizeof known - strlen(known) - 1);
		}
		return cli_errorf(TZ_EUSAGE, "unknown table '%.40s' (tables: %s)",
				  "没有名为“%.40s”的表（可用：%s）", table, known);
	}
	/* the file before the database: its absence is the clearer message */
	if (strcmp(file, "-") && access(file, R_OK))
		return cli_errorf(TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", file,
				  tz_strerror(errno));

	int rc;
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	tz_csv_report rep;
	tz_err err = {0};
	tz_status st = tz_csv_import(db, table, file, enc, on_bad, (void *)file, &rep, &err);
	if (st) {
		rc = cli_error(&err);
	} else {
		for (long i = 0; i < rep.imported; i++)
			printf("%s\n", rep.ids[i]);
		rc = 0;
		if (fflush(stdout) || ferror(stdout))
			rc = cli_errorf(TZ_EIO, "cannot write the new ids: %s",
					"无法输出新记录编号：%s", tz_strerror(errno));
	}
	tz_csv_report_free(&rep);
	tz_db_close(db);
	return rc;
}
