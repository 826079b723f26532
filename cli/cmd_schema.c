/* cmd_schema.c - `taizhang schema [TABLE]`: the tables, fields and codes
 * as the program knows them (also generates docs/schema.md). */
#include <string.h>

#include "taizhang/schema.h"
#include "cli.h"
#include "commands.h"

static const char *type_name(tz_ftype t)
{
	static const char *const names[] = {
		[TZ_T_TEXT] = "text",     [TZ_T_INT] = "integer",  [TZ_T_DATE] = "date",
		[TZ_T_ENUM] = "code",     [TZ_T_SET] = "codes",    [TZ_T_REF] = "ref",
		[TZ_T_IDNUM] = "id_number", [TZ_T_CREDIT] = "credit_code", [TZ_T_PHONE] = "phone",
		[TZ_T_REGION] = "region", [TZ_T_BOOL] = "bool",
	};
	return names[t];
}

static void print_table(const tz_table *t, int markdown)
{
	if (markdown) {
		printf("### `%s` — %s (%s)\n\n", t->name, t->zh, t->en);
		printf("| # | field | 标签 | label | type | rule |\n|---|---|---|---|---|---|\n");
	}
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		char rule[512] = "";
		size_t l = 0;
		if (f->flags & TZ_F_REQUIRED)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "required; ");
		if (f->type == TZ_T_REF)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "-> %s; ", f->ref);
		if (f->type == TZ_T_INT)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "%ld..%ld; ", f->min, f->max);
		if (f->type == TZ_T_TEXT && f->max)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "max %ld chars%s; ", f->max,
					      f->flags & TZ_F_MULTILINE ? ", multi-line" : "");
		if (f->flags & TZ_F_DERIVED)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "derived from id_number; ");
		if (f->dflt)
			l += (size_t)snprintf(rule + l, sizeof rule - l, "default %s; ", f->dflt);
		if (f->codes) {
			for (const tz_code *c = f->codes; c->code && l < sizeof rule - 64; c++)
				l += (size_t)snprintf(rule + l, sizeof rule - l, "%s%s=%s", c == f->codes ? "" : ", ",
						      c->code, c->zh);
			l += (size_t)snprintf(rule + l, sizeof rule - l, "; ");
		}
		if (l >= 2)
			rule[l - 2] = '\0';
		if (markdown)
			printf("| %d | `%s` | %s | %s | %s | %s |\n", i + 1, f->name, f->zh, f->en,
			       type_name(f->type), rule);
		else
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", t->name, f->name, type_name(f->type), f->zh, f->en,
			       rule);
	}
	if (markdown)
		printf("\n");
}

int cmd_schema(tz_cli *c, int argc, char **argv)
{
	(void)c;
	int markdown = 0;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown"))
			markdown = 1;
		else if (!only && argv[i][0] != '-')
			only = argv[i];
		else
			return cli_usage("schema [TABLE] [--markdown]");
	}
	if (only && !tz_schema_table_find(only))
		return cli_errorf(TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", only);
	for (int k = 0; k < tz_schema_ntables; k++)
		if (!only || tz_schema_tables[k] == tz_schema_table_find(only))
			print_table(tz_schema_tables[k], markdown);
	return 0;
}
