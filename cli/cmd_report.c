/* cmd_report.c - `taizhang report monthly`: the monitoring report;
 * `report staff`: per-staff performance; `report platform`: the platform
 * checklist (core/platform.c). */
#include <stdio.h>
#include <string.h>

#include "taizhang/perf.h"
#include "taizhang/platform.h"
#include "taizhang/report.h"
#include "taizhang/syncstat.h"
#include "taizhang/clock.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_REPORT "report monthly|staff|platform --period YYYY-MM [--format text|csv|xlsx] [--out FILE] | report sync [--period YYYY-MM] [--format text|csv|xlsx] [--out FILE]"

int cmd_report(tz_cli *c, int argc, char **argv)
{
	const char *period = NULL, *format = "text", *out = NULL;
	if (argc < 2 || (strcmp(argv[1], "monthly") && strcmp(argv[1], "staff") &&
			 strcmp(argv[1], "platform") && strcmp(argv[1], "sync")))
		return cli_usage(SYN_REPORT);
	const cli_option opts[] = {{"--period", &period, NULL}, {"--format", &format, NULL},
				   {"--out", &out, NULL}, {NULL}};
	int rc = cli_args(argc, argv, 2, opts, NULL, 0, SYN_REPORT);
	if (rc)
		return rc;
	char today[11];
	if (!period && !strcmp(argv[1], "sync")) {
		/* who has sent what: this month unless asked */
		tz_clock_today(today);
		today[7] = '\0';
		period = today;
	}
	if (!period)
		return cli_usage(SYN_REPORT);
	int sf = tz_sheet_format_parse(format), csv = sf >= 0;
	if (!csv && strcmp(format, "text"))
		return cli_errorf(TZ_EUSAGE, "unknown format '%.20s' (text, csv or xlsx)",
				  "未知格式“%.20s”（text、csv 或 xlsx）", format);
	if (out && !csv)
		return cli_errorf(TZ_EUSAGE, "--out goes with --format csv or xlsx",
				  "--out 只用于 --format csv 或 xlsx");
	if ((rc = cli_xlsx_not_on_screen(sf, out)))
		return rc;
	tz_err err = {0};
	char p[8];
	if (tz_valid_period(period, p, &err)) {
		err.status = TZ_EUSAGE;
		return cli_error(&err);
	}
	tz_db *db = cli_open_init(c, &rc);
	if (!db)
		return rc;
	tz_status st;
	if (!strcmp(argv[1], "staff")) {
		tz_perf perf;
		st = tz_perf_collect(db, p, &perf, &err);
		tz_db_close(db);
		if (st)
			return cli_error(&err);
		st = csv ? tz_perf_sheet(&perf, (tz_sheet_format)sf, stdout, out, &err) : tz_perf_text(&perf, stdout, &err);
		tz_perf_free(&perf);
		return st ? cli_error(&err) : cli_flush();
	}
	if (!strcmp(argv[1], "sync")) {
		tz_syncstat ss;
		st = tz_syncstat_collect(db, p, &ss, &err);
		tz_db_close(db);
		if (st)
			return cli_error(&err);
		st = csv ? tz_syncstat_sheet(&ss, (tz_sheet_format)sf, stdout, out, &err) : tz_syncstat_text(&ss, stdout, &err);
		tz_syncstat_free(&ss);
		return st ? cli_error(&err) : cli_flush();
	}
	if (!strcmp(argv[1], "platform")) {
		tz_platform_report pr;
		st = tz_platform_collect(db, p, &pr, &err);
		tz_db_close(db);
		if (st)
			return cli_error(&err);
		st = csv ? tz_platform_sheet(&pr, (tz_sheet_format)sf, stdout, out, &err) : tz_platform_text(&pr, stdout, &err);
		tz_platform_report_free(&pr);
		return st ? cli_error(&err) : cli_flush();
	}
	tz_report rep;
	if (tz_report_monthly(db, p, &rep, &err)) {
		tz_db_close(db);
		return cli_error(&err);
	}
	tz_db_close(db);
	st = csv ? tz_report_sheet(&rep, (tz_sheet_format)sf, stdout, out, &err) : tz_report_text(&rep, stdout, &err);
	tz_report_free(&rep);
	return st ? cli_error(&err) : cli_flush();
}
