/* cmd_event.c - `taizhang event`: sign-in at a job fair or campaign and
 * the event's summary (core/platform.c). */
#include <stdio.h>
#include <string.h>

#include "taizhang/event.h"
#include "taizhang/record.h"
#include "taizhang/validate.h"
#include "cli.h"
#include "commands.h"

#define SYN_EVENT                                                                          \
	"event summary EVENT | event signin EVENT --id-number N|--person ID"              \
	" [--intention VACANCY] [--date DATE] [--time HH:MM] [--staff NAME]"

static int summary(tz_cli *c, int argc, char **argv)
{
	if (argc != 3 || argv[2][0] == '-')
		return cli_usage(SYN_EVENT);
	int rc;
	tz_db *db = cli_open(c, 0, &rc);
	if (!db)
		return rc;
	tz_err err = {0};
	tz_event_summary s;
	tz_status st = tz_event_summarise(db, argv[2], &s, &err);
	tz_db_close(db);
	if (st)
		return cli_error(&err);
	st = tz_event_summary_text(&s, stdout, &err);
	tz_event_summary_free(&s);
	return st ? cli_error(&err) : 0;
}

static int signin(tz_cli *c, int argc, char **argv)
{
	const char *idn = NULL, *person = NULL, *event = NULL;
	tz_signin s = {0};
	const cli_option opts[] = {
		{"--id-number", &idn, NULL}, {"--person", &person, NULL},
		{"--intention", &s.intention, NULL}, {"--date", &s.date, NULL},
		{"--time", &s.time, NULL}, {"--staff", &s.staff, NULL}, {NULL}};
	int bad = cli_args(argc, argv, 2, opts, &event, 1, SYN_EVENT);
	if (bad)
		return bad;
	if (!event || !idn == !person)
		return cli_usage(SYN_EVENT);
	tz_err err = {0};
	int rc;
	tz_db *db = cli_open_dated(c, s.date, 1, &rc);
	if (!db)
		return rc;
	char pid[33], att[33], ref[33];
	if (idn) {
		if (tz_record_by_idnum(db, idn, pid, &err)) {
			tz_db_close(db);
			if (err.status == TZ_ENOTFOUND)
				err.status = TZ_EINVAL;
			return cli_error(&err);
		}
		person = pid;
	}
	s.event = event;
	s.person = person;
	tz_status st = tz_event_signin(db, &s, att, ref, &err);
	tz_db_close(db);
	if (st)
		return cli_error(&err);
	printf("%s\n", att);
	if (ref[0])
		printf("%s\n", ref);
	return cli_flush();
}

int cmd_event(tz_cli *c, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "summary"))
		return summary(c, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "signin"))
		return signin(c, argc, argv);
	return cli_usage(SYN_EVENT);
}
