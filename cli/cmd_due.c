/* cmd_due.c - `taizhang due`: follow-ups and visits due or overdue. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/due.h"
#include "taizhang/schema.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_DUE "due [--date DATE] [--format tsv|text|csv|xlsx] [--out FILE] [--kind KIND,...] [--region CODE]"

/* A TSV field: tab, newline, CR and backslash escaped as in record get. */
static int parse_kinds(const char *s, unsigned *out)
{
	*out = 0;
	while (*s) {
		size_t k = strcspn(s, ",");
		char w[40];
		snprintf(w, sizeof w, "%.*s", (int)(k < 39 ? k : 39), s);
		int i = tz_due_kind_find(w);
		if (i < 0)
			return cli_errorf(TZ_EUSAGE,
					  "unknown kind '%.40s' (visit, case_action, case_idle,"
					  " keygroup_unvisited, referral_outcome, zero_emp, certificate,"
					  " complaint, report)",
					  "未知类别“%.40s”（visit、case_action、case_idle、"
					  "keygroup_unvisited、referral_outcome、zero_emp、certificate、"
					  "complaint、report）",
					  w);
		*out |= 1u << i;
		s += k + (s[k] == ',');
	}
	return 0;
}

static void print_text(const tz_due_list *l)
{
	printf("%s %s\n", tz_tr("Due on", "截至"), l->date);
	for (size_t i = 0; i < l->n; i++) {
		const tz_due_item *it = &l->items[i];
		char when[64];
		if (it->overdue > 0)
			tz_trf(when, sizeof when, "overdue %ld days", "逾期 %ld 天", it->overdue);
		else if (it->overdue == 0)
			snprintf(when, sizeof when, "%s", tz_tr("due today", "今天到期"));
		else
			tz_trf(when, sizeof when, "due in %ld days", "%ld 天后到期", -it->overdue);
		printf("%s  %s  [%s] ", it->due, when, tz_due_kind_label(it->kind));
		cli_tsv(it->label);
		fputs(tz_tr(": ", "："), stdout);
		cli_tsv(it->reason);
		printf("  (%s %s)\n", it->table, it->id);
	}
	char total[64];
	tz_trf(total, sizeof total, "%zu items", "共 %zu 项", l->n);
	puts(total);
}

static int print_sheet(const tz_due_list *l, tz_sheet_format fmt, const char *out)
{
	const tz_sheet_col cols[] = {
		{tz_tr("due date", "到期日期"), TZ_COL_DATE},
		{tz_tr("days overdue", "逾期天数"), TZ_COL_NUM},
		{tz_tr("kind", "类别"), TZ_COL_TEXT},
		{tz_tr("who", "对象"), TZ_COL_TEXT},
		{tz_tr("why", "原因"), TZ_COL_TEXT},
		{tz_tr("village code", "村(区划代码)"), TZ_COL_CODE},
		{tz_tr("record", "记录类别"), TZ_COL_TEXT},
		{tz_tr("record id", "记录编号"), TZ_COL_CODE},
	};
	char title[64], sub[64];
	tz_trf(title, sizeof title, "Due and overdue %s", "待办事项 %s", l->date);
	tz_trf(sub, sizeof sub, "%zu items", "共 %zu 项", l->n);
	tz_sheet *s;
	int rc = cli_sheet(&s, fmt, out, title, sub, cols, (int)(sizeof cols / sizeof *cols));
	if (rc)
		return rc;
	for (size_t i = 0; i < l->n; i++) {
		const tz_due_item *it = &l->items[i];
		const tz_table *t = tz_schema_table_find(it->table);
		tz_sheet_put(s, it->due);
		tz_sheet_putl(s, it->overdue);
		tz_sheet_put(s, tz_due_kind_label(it->kind));
		tz_sheet_put(s, it->label);
		tz_sheet_put(s, it->reason);
		tz_sheet_put(s, it->region);
		tz_sheet_put(s, t ? tz_tr(t->en, t->zh) : it->table);
		tz_sheet_put(s, it->id);
		tz_sheet_row(s);
	}
	return cli_sheet_close(s);
}

int cmd_due(tz_cli *c, int argc, char **argv)
{
	const char *date = NULL, *fmt = "tsv", *kinds = NULL, *region = NULL, *out = NULL;
	const cli_option opts[] = {
		{"--date", &date, NULL}, {"--format", &fmt, NULL}, {"--out", &out, NULL},
		{"--kind", &kinds, NULL}, {"--region", &region, NULL}, {NULL}};
	int rc = cli_args(argc, argv, 1, opts, NULL, 0, SYN_DUE);
	if (rc)
		return rc;
	static const char *const forms[] = {"tsv", "text", NULL};
	int sheet;
	if ((rc = cli_format(fmt, forms, out, &sheet)))
		return rc;
	tz_due_opts o = {.date = date, .region = region};
	if (kinds && (rc = parse_kinds(kinds, &o.kinds)))
		return rc;
	if (region && (strlen(region) > 12 || strspn(region, "0123456789") != strlen(region)))
		return cli_errorf(TZ_EUSAGE,
				  "--region takes the digits of a region code (a prefix)",
				  "--region 应为区划代码（或其前几位）");
	tz_err err = {0};
	tz_db *db = cli_open_dated(c, date, 0, &rc);
	if (!db)
		return rc;
	tz_due_list l;
	if (tz_due_collect(db, &o, &l, &err)) {
		tz_db_close(db);
		return cli_error(&err);
	}
	if (sheet >= 0) {
		rc = print_sheet(&l, (tz_sheet_format)sheet, out);
	} else if (!strcmp(fmt, "text")) {
		print_text(&l);
	} else {
		puts("due_date\tdays_overdue\tkind\ttable\tid\tlabel\treason");
		for (size_t i = 0; i < l.n; i++) {
			const tz_due_item *it = &l.items[i];
			printf("%s\t%ld\t%s\t%s\t%s\t", it->due, it->overdue,
			       tz_due_kind_name(it->kind), it->table, it->id);
			cli_tsv(it->label);
			putchar('\t');
			cli_tsv(it->reason);
			putchar('\n');
		}
	}
	tz_due_free(&l);
	tz_db_close(db);
	return rc ? rc : cli_flush();
}
