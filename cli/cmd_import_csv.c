/* cmd_import_csv.c - taizhang import-csv TABLE FILE [--encoding utf-8|gb18030]
 *   [--map 'HEADER=FIELD']... [--skip HEADER]... [--map-file FILE]
 *   [--save-map FILE] [--dry-run] [--update]
 *
 * All or nothing.  On success stdout has the new ids, one per line, in file
 * order, and stderr one summary line (what was added, what was already
 * there).  Otherwise stderr has one line per bad line of the file,
 * "taizhang: FILE:LINE: reason", then "taizhang: nothing imported: ...".
 * With --dry-run stdout has the summary of what would happen instead, and
 * nothing is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/buf.h"
#include "taizhang/file.h"
#include "taizhang/roster.h"
#include "taizhang/schema.h"
#include "cli.h"
#include "commands.h"

static const char synopsis[] =
	"import-csv TABLE FILE [--encoding utf-8|gb18030] [--map 'HEADER=FIELD']... "
	"[--skip HEADER]... [--map-file FILE] [--save-map FILE] [--dry-run] [--update]";

#define MAXMAP 64

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

typedef struct {
	char *e[MAXMAP];
	int n;
} maps;

/* One "HEADER=FIELD" entry; header NULL: `to` is the whole entry. */
static int map_add(maps *m, const char *header, const char *to)
{
	if (m->n == MAXMAP)
		return cli_errorf(TZ_EUSAGE, "at most %d --map and --skip", "--map 和 --skip 最多 %d 个",
				  MAXMAP);
	size_t n = (header ? strlen(header) + 1 : 0) + strlen(to) + 1;
	if (!(m->e[m->n] = malloc(n)))
		return cli_errorf(TZ_ENOMEM, "out of memory", "内存不足");
	snprintf(m->e[m->n++], n, "%s%s%s", header ? header : "", header ? "=" : "", to);
	return 0;
}

/* A saved mapping: "HEADER=FIELD" lines ("HEADER=-" skips), # comments. */
static int map_file(maps *m, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return cli_errorf(TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", path,
				  tz_strerror(errno));
	char line[512];
	int rc = 0, ln = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		char *s = line;
		if (!strncmp(s, "\xef\xbb\xbf", 3))
			s += 3;
		if (!*s || *s == '#')
			continue;
		char *eq = strrchr(s, '=');
		if (!eq || eq == s) {
			rc = cli_errorf(TZ_EUSAGE, "%s:%d: not HEADER=FIELD", "%s:%d：应为“表头=字段”", path,
					ln);
			break;
		}
		*eq = '\0';
		rc = map_add(m, s, eq + 1);
	}
	if (!rc && ferror(f))
		rc = cli_errorf(TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path, tz_strerror(errno));
	fclose(f);
	return rc;
}

static int save_map(const char *path, const tz_roster_report *rep)
{
	tz_buf b = {0};
	tz_buf_str(&b, "# taizhang import-csv --map-file: HEADER=FIELD, HEADER=- skips\n");
	for (int i = 0; i < rep->ncols; i++)
		if (rep->cols[i].header[0])
			tz_buf_printf(&b, "%s=%s\n", rep->cols[i].header, rep->cols[i].target);
	tz_err err = {0};
	int rc = 0;
	if (b.failed)
		rc = cli_errorf(TZ_ENOMEM, "out of memory", "内存不足");
	else if (tz_file_put(path, b.buf, b.len, 0644, &err))
		rc = cli_error(&err);
	tz_buf_free(&b);
	return rc;
}

static void summary(FILE *f, const char *table, const tz_roster_report *r)
{
	const tz_table *t = tz_schema_table_find(table);
	const char *what = tz_tr(t->en, t->zh);
	if (tz_lang_get() == TZ_LANG_ZH) {
		fprintf(f, "%s%s：%s %ld 条", r->dry_run ? "试导入（未写入）：" : "", what,
			r->dry_run ? "将新增" : "新增", r->imported);
		if (r->households || r->hh_found)
			fprintf(f, "，%s户 %ld 户（已有户 %ld 户）", r->dry_run ? "将新建" : "新建",
				r->households, r->hh_found);
		if (r->same || r->differ)
			fprintf(f, "；已登记 %ld 条（相同 %ld，不同 %ld%s）", r->same + r->differ, r->same,
				r->differ, r->updated ? (r->dry_run ? "，将更新" : "，已更新") : "");
		fputs("\n", f);
		return;
	}
	fprintf(f, "%s%s: %ld %s", r->dry_run ? "dry run, nothing written: " : "", what, r->imported,
		r->dry_run ? "would be added" : "added");
	if (r->households || r->hh_found)
		fprintf(f, ", %ld new households (%ld already there)", r->households, r->hh_found);
	if (r->same || r->differ)
		fprintf(f, "; %ld already there (%ld the same, %ld differ%s)", r->same + r->differ,
			r->same, r->differ,
			r->updated ? (r->dry_run ? ", would be updated" : ", updated") : "");
	fputs("\n", f);
}

int cmd_import_csv(tz_cli *c, int argc, char **argv)
{
	const char *enc = NULL, *pos[2] = {NULL, NULL}, *save = NULL;
	int dry = 0, update = 0, np = 0, rc = 0;
	maps m = {0};
	for (int i = 1; i < argc && !rc; i++) {
		const char *a = argv[i], *v = NULL;
		int r;
		if (a[0] != '-' || !a[1]) {
			if (np == 2)
				rc = cli_usage(synopsis);
			else
				pos[np++] = a;
		} else if (!strcmp(a, "--dry-run")) {
			dry = 1;
		} else if (!strcmp(a, "--update")) {
			update = 1;
		} else if ((r = cli_opt(argc, argv, &i, "--encoding", &enc))) {
			rc = r < 0 ? cli_usage(synopsis) : 0;
		} else if ((r = cli_opt(argc, argv, &i, "--save-map", &save))) {
			rc = r < 0 ? cli_usage(synopsis) : 0;
		} else if ((r = cli_opt(argc, argv, &i, "--map", &v))) {
			const char *eq = r < 0 ? NULL : strrchr(v, '=');
			if (!eq || eq == v)
				rc = cli_errorf(TZ_EUSAGE, "--map wants 'HEADER=FIELD' (FIELD - skips the column)",
						"--map 应为“表头=字段”（字段写 - 表示跳过该列）");
			else
				rc = map_add(&m, NULL, v);
		} else if ((r = cli_opt(argc, argv, &i, "--skip", &v))) {
			rc = r < 0 ? cli_usage(synopsis) : map_add(&m, v, "-");
		} else if ((r = cli_opt(argc, argv, &i, "--map-file", &v))) {
			rc = r < 0 ? cli_usage(synopsis) : map_file(&m, v);
		} else {
			rc = cli_usage(synopsis);
		}
	}
	const char *table = pos[0], *file = pos[1]; /* a FILE of "-" is standard input */
	if (!rc && (!table || !file))
		rc = cli_usage(synopsis);
	if (!rc && enc && tz_csv_encoding_parse(enc) < 0)
		rc = cli_errorf(TZ_EUSAGE, "unknown encoding '%.40s' (use utf-8 or gb18030)",
				"未知编码“%.40s”（可用 utf-8 或 gb18030）", enc);
	if (!rc && !tz_schema_table_find(table)) {
		char known[256] = "";
		for (int i = 0; i < tz_schema_ntables; i++) {
			if (i)
				strncat(known, ", ", sizeof known - strlen(known) - 1);
			strncat(known, tz_schema_tables[i]->name, sizeof known - strlen(known) - 1);
		}
		rc = cli_errorf(TZ_EUSAGE, "unknown table '%.40s' (tables: %s)",
				"没有名为“%.40s”的表（可用：%s）", table, known);
	}
	/* the file before the database: its absence is the clearer message */
	if (!rc && strcmp(file, "-") && access(file, R_OK))
		rc = cli_errorf(TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", file,
				tz_strerror(errno));
	tz_db *db = NULL;
	if (!rc)
		db = cli_open_init(c, &rc);
	if (db) {
		tz_roster_opts o = {.map = (const char *const *)m.e,
				    .nmap = m.n,
				    .dry_run = dry,
				    .update = update,
				    .note = on_bad,
				    .note_ctx = (void *)file};
		tz_roster_report rep;
		tz_err err = {0};
		tz_status st = tz_roster_import(db, table, file, enc, &o, on_bad, (void *)file, &rep, &err);
		/* the mapping is saved even when rows were bad: it is what to fix them with */
		if (save && rep.ncols)
			rc = save_map(save, &rep);
		if (rc) {
			/* reported */
		} else if (st) {
			rc = cli_error(&err);
		} else if (dry) {
			summary(stdout, table, &rep);
			rc = cli_flush();
		} else {
			for (long i = 0; i < rep.imported; i++)
				printf("%s\n", rep.ids[i]);
			rc = cli_flush();
			if (!rc) {
				fputs("taizhang: ", stderr);
				summary(stderr, table, &rep);
			}
		}
		tz_roster_report_free(&rep);
		tz_db_close(db);
	}
	for (int i = 0; i < m.n; i++)
		free(m.e[i]);
	return rc;
}
