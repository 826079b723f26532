/* err.c - status codes, language and the error carrier. */
#include "taizhang/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tz_lang cur_lang = TZ_LANG_ZH;

static const unsigned char status_exit[TZ_STATUS_COUNT] = {
#define TZ_X(name, code) [name] = code,
	TZ_STATUS_LIST(TZ_X)
#undef TZ_X
};

int tz_status_exit(tz_status st)
{
	if ((unsigned)st >= TZ_STATUS_COUNT)
		return 3;
	return status_exit[st];
}

void tz_set_lang(tz_lang lang) { cur_lang = lang; }
tz_lang tz_get_lang(void) { return cur_lang; }

tz_lang tz_lang_from_env(void)
{
	static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "zh", 2) == 0 ? TZ_LANG_ZH : TZ_LANG_EN;
	}
	return TZ_LANG_EN;
}

const char *tz_tr(const char *en, const char *zh)
{
	return cur_lang == TZ_LANG_ZH ? zh : en;
}

tz_status tz_fail(tz_err *err, tz_status st, const char *en, const char *zh, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, zh);
		err->status = st;
		vsnprintf(err->msg, sizeof err->msg, tz_tr(en, zh), ap);
		va_end(ap);
	}
	return st;
}

void tz_err_clear(tz_err *err)
{
	if (err) {
		err->status = TZ_OK;
		err->msg[0] = '\0';
	}
}
