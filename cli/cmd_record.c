/* cmd_record.c - `taizhang record add|set|del|get|list`. */
#include <stdlib.h>
#include <string.h>

#include "taizhang/clock.h"
#include "taizhang/dump.h"
#include "taizhang/record.h"
#include "cli.h"
#include "commands.h"

static int parse_assignments(int argc, char **argv, tz_kv *kv, const char *syn)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i])
			return -cli_errorf(TZ_EUSAGE, "expected FIELD=VALUE, got '%.40s' (usage: taizhang %s)",
					   "应为 字段=值，而不是“%.40s”（用法：taizhang %s）", argv[i], syn);
		*eq = '\0';
		kv[i].name = argv[i];
		kv[i].value = eq + 1;
	}
	return 0;
}

typedef enum { FMT_TSV, FMT_CSV, FMT_JSON, FMT_XLSX } list_fmt;

typedef struct {
	list_fmt fmt;
	int n;
	tz_sheet *sheet; /* csv and xlsx: for people (labels, Chinese headers) */
} list_ctx;

static tz_col_kind field_kind(const tz_field *f)
{
	switch (f->type) {
	case TZ_T_INT:
		return TZ_COL_NUM;
	case TZ_T_DATE:
		return TZ_COL_DATE;
	case TZ_T_REF:
	case TZ_T_IDNUM:
	case TZ_T_CREDIT:
	case TZ_T_PHONE:
	case TZ_T_REGION:
		return TZ_COL_CODE;
	default:
		return TZ_COL_TEXT;
	}
}

static int sheet_begin(list_ctx *lc, const tz_table *t, const char *out)
{
	tz_sheet_col cols[1 + 64];
	int n = 0;
	cols[n++] = (tz_sheet_col){tz_tr("record id", "记录编号"), TZ_COL_CODE};
	for (int i = 0; i < t->nfields && n < 65; i++)
		cols[n++] = (tz_sheet_col){tz_tr(t->fields[i].en, t->fields[i].zh),
					   field_kind(&t->fields[i])};
	char date[11];
	tz_clock_today(date);
	return cli_sheet(&lc->sheet, lc->fmt == FMT_XLSX ? TZ_SHEET_XLSX : TZ_SHEET_CSV, out,
			 tz_tr(t->en, t->zh), date, cols, n);
}

static void sheet_row(list_ctx *lc, const tz_row *r)
{
	static char buf[64 * 1024];
	tz_sheet_put(lc->sheet, r->id);
	for (int i = 0; i < r->table->nfields; i++) {
		tz_schema_value_label(&r->table->fields[i], r->vals[i], buf, sizeof buf);
		tz_sheet_put(lc->sheet, buf);
	}
	tz_sheet_row(lc->sheet);
}

static void json_put(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void list_header(const tz_table *t, list_fmt fmt)
{
	if (fmt == FMT_JSON) {
		putchar('[');
		return;
	}
	fputs("id", stdout);
	for (int i = 0; i < t->nfields; i++) {
		putchar('\t');
		fputs(t->fields[i].name, stdout);
	}
	putchar('\n');
}

static int list_row(void *ctx, const tz_row *r)
{
	list_ctx *lc = ctx;
	const tz_table *t = r->table;
	if (lc->sheet) {
		sheet_row(lc, r);
	} else if (lc->fmt == FMT_JSON) {
		fputs(lc->n ? ",\n{" : "\n{", stdout);
		json_put("id");
		putchar(':');
		json_put(r->id);
		for (int i = 0; i < t->nfields; i++) {
			if (!r->vals[i])
				continue;
			putchar(',');
			json_put(t->fields[i].name);
			putchar(':');
			if (t->fields[i].type == TZ_T_INT || t->fields[i].type == TZ_T_BOOL)
				fputs(r->vals[i], stdout);
			else
				json_put(r->vals[i]);
		}
		putchar('}');
	} else {
		fputs(r->id, stdout);
		for (int i = 0; i < t->nfields; i++) {
			putchar('\t');
			if (r->vals[i])
				tz_dump_escaped(stdout, r->vals[i]);
		}
		putchar('\n');
	}
	lc->n++;
	return 0;
}

#define SYN_RECORD "record add|set|del|get|list TABLE ..."
#define SYN_ADD "record add TABLE FIELD=VALUE..."
#define SYN_SET "record set TABLE ID FIELD=VALUE..."
#define SYN_DEL "record del TABLE ID"
#define SYN_GET "record get TABLE ID"
#define SYN_LIST "record list TABLE [--where FIELD=VALUE]... [--format tsv|csv|xlsx|json] [--out FILE]"

static int record_list(tz_db *db, int argc, char **argv)
{
	tz_kv where[16];
	int nw = 0;
	list_ctx lc = {FMT_TSV, 0, NULL};
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--where", &v))) {
			if (r < 0 || nw >= 16)
				return cli_usage(SYN_LIST);
			char *w = (char *)v;
			if (parse_assignments(1, &w, &where[nw], SYN_LIST))
				return 2;
			nw++;
		} else if ((r = cli_opt(argc, argv, &i, "--format", &v))) {
			if (r < 0)
				return cli_usage(SYN_LIST);
			if (!strcmp(v, "tsv"))
				lc.fmt = FMT_TSV;
			else if (!strcmp(v, "csv"))
				lc.fmt = FMT_CSV;
			else if (!strcmp(v, "json"))
				lc.fmt = FMT_JSON;
			else if (!strcmp(v, "xlsx"))
				lc.fmt = FMT_XLSX;
			else
				return cli_usage(SYN_LIST);
		} else if ((r = cli_opt(argc, argv, &i, "--out", &v))) {
			if (r < 0)
				return cli_usage(SYN_LIST);
			out = v;
		} else {
			return cli_usage(SYN_LIST);
		}
	}
	tz_err err = {0};
	const tz_table *t = tz_schema_table_find(argv[0]);
	int sheet = lc.fmt == FMT_CSV || lc.fmt == FMT_XLSX;
	if (out && !sheet)
		return cli_errorf(TZ_EUSAGE, "--out goes with --format csv or xlsx",
				  "--out 只用于 --format csv 或 xlsx");
	int rc;
	if (t && sheet && (rc = sheet_begin(&lc, t, out)))
		return rc;
	if (t && !sheet)
		list_header(t, lc.fmt);
	if (tz_record_list(db, argv[0], where, nw, list_row, &lc, &err)) {
		if (lc.sheet)
			tz_sheet_abort(lc.sheet);
		if (t)
			fflush(stdout);
		return cli_error(&err);
	}
	if (lc.sheet)
		return cli_sheet_close(lc.sheet);
	if (lc.fmt == FMT_JSON)
		fputs(lc.n ? "\n]\n" : "]\n", stdout);
	return 0;
}

static int record_get(tz_db *db, const char *table, const char *id)
{
	tz_err err = {0};
	tz_row r;
	if (tz_record_get(db, table, id, &r, &err))
		return cli_error(&err);
	printf("id=%s\n", r.id);
	for (int i = 0; i < r.table->nfields; i++) {
		printf("%s=", r.table->fields[i].name);
		if (r.vals[i])
			tz_dump_escaped(stdout, r.vals[i]);
		putchar('\n');
	}
	if (r.deleted)
		printf("_deleted=1\n");
	tz_record_row_free(&r);
	return 0;
}

int cmd_record(tz_cli *c, int argc, char **argv)
{
	if (argc < 3)
		return cli_usage(SYN_RECORD);
	const char *sub = argv[1], *table = argv[2];
	int rc;
	tz_err err = {0};
	static const char *const subs[] = {"add", "set", "del", "get", "list"};
	int which = -1;
	for (int i = 0; i < 5; i++)
		if (!strcmp(sub, subs[i]))
			which = i;
	if (which < 0)
		return cli_usage(SYN_RECORD);
	if (!tz_schema_table_find(table)) {
		char known[256] = "";
		for (int i = 0; i < tz_schema_ntables; i++) {
			strcat(known, i ? ", " : "");
			strcat(known, tz_schema_tables[i]->name);
		}
		return cli_errorf(TZ_EUSAGE, "unknown table '%.40s' (tables: %s)",
				  "没有名为“%.40s”的表（可用：%s）", table, known);
	}
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	tz_kv kv[128];
	switch (which) {
	case 0: { /* add */
		int n = argc - 3;
		char id[33];
		if (n > 128) {
			rc = cli_usage(SYN_ADD);
			break;
		}
		if ((rc = -parse_assignments(n, argv + 3, kv, SYN_ADD)))
			break;
		if (tz_record_add(db, table, kv, n, id, &err))
			rc = cli_error(&err);
		else
			printf("%s\n", id);
		break;
	}
	case 1: { /* set */
		int n = argc - 4;
		if (n < 1 || n > 128) {
			rc = cli_usage(SYN_SET);
			break;
		}
		if ((rc = -parse_assignments(n, argv + 4, kv, SYN_SET)))
			break;
		if (tz_record_set(db, table, argv[3], kv, n, &err))
			rc = cli_error(&err);
		break;
	}
	case 2: /* del */
		if (argc != 4)
			rc = cli_usage(SYN_DEL);
		else if (tz_record_del(db, table, argv[3], &err))
			rc = cli_error(&err);
		break;
	case 3: /* get */
		rc = argc != 4 ? cli_usage(SYN_GET) : record_get(db, table, argv[3]);
		break;
	default:
		rc = record_list(db, argc - 2, argv + 2);
	}
	tz_db_close(db);
	return rc;
}
