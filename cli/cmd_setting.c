/* cmd_setting.c - `taizhang setting list|get|set|unset`: local policy settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/settings.h"
#include "cli.h"
#include "commands.h"

#define SYN_SETTING "setting list | setting get KEY | setting set KEY VALUE | setting unset KEY"

int cmd_setting(tz_cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(SYN_SETTING);
	const char *sub = argv[1];
	int list = !strcmp(sub, "list"), get = !strcmp(sub, "get"), set = !strcmp(sub, "set"),
	    unset = !strcmp(sub, "unset");
	if ((list && argc != 2) || ((get || unset) && argc != 3) || (set && argc != 4) ||
	    !(list || get || set || unset))
		return cli_usage(SYN_SETTING);
	if (!list && !tz_settings_find(argv[2]))
		return cli_errorf(TZ_EUSAGE,
				  "unknown setting '%.60s' (see 'taizhang setting list')",
				  "没有名为“%.60s”的设置（见 taizhang setting list）", argv[2]);
	int rc;
	tz_db *db = cli_open(c, 0, &rc);
	if (!db)
		return rc;
	tz_err err = {0};
	if (list) {
		puts("key\tvalue\tdefault\tdescription");
		for (int i = 0; i < tz_settings_ndefs; i++) {
			const tz_setting_def *d = &tz_settings_defs[i];
			char *v = tz_settings_str(db, d->key, NULL);
			printf("%s\t%s\t%s\t%s\n", d->key, v ? v : "", d->dflt,
			       tz_tr(d->en, d->zh));
			free(v);
		}
	} else if (get) {
		char *v = tz_settings_str(db, argv[2], NULL);
		printf("%s\n", v ? v : "");
		free(v);
	} else if (tz_settings_set(db, argv[2], set ? argv[3] : NULL, &err)) {
		tz_db_close(db);
		return cli_error(&err);
	} else {
		char *v = tz_settings_str(db, argv[2], NULL);
		printf("%s\t%s\n", argv[2], v ? v : "");
		free(v);
	}
	tz_db_close(db);
	return 0;
}
