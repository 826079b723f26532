/* clock.c - the wall clock and the one local "today".  TAIZHANG_NOW
 * (YYYY-MM-DD[THH:MM:SS], or ms since 1970) fixes both for tests, in
 * builds with the test hooks only (TZ_TEST_HOOKS: build/, not the
 * installed program, which always reads the PC's clock). */
#include "taizhang/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/date.h"

int64_t tz_clock_ms(void)
{
#ifdef TZ_TEST_HOOKS
	const char *fake = getenv("TAIZHANG_NOW");
	if (fake && *fake) {
		char *end;
		long long ms = strtoll(fake, &end, 10);
		if (!*end)
			return ms;
		int hh = 12, mi = 0, ss = 0;
		char date[11];
		if (strlen(fake) >= 10) {
			memcpy(date, fake, 10);
			date[10] = 0;
			if (fake[10] == 'T' || fake[10] == ' ')
				sscanf(fake + 11, "%d:%d:%d", &hh, &mi, &ss);
			long d = tz_date_days(date);
			return ((int64_t)d * 86400 + hh * 3600 + mi * 60 + ss) * 1000;
		}
	}
#endif
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long tz_clock_today_days(void)
{
	int64_t ms = tz_clock_ms();
	int64_t sec = ms / 1000 - (ms % 1000 < 0);
	time_t t = (time_t)sec;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return (long)(sec / 86400 - (sec % 86400 < 0));
	return tz_date_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday);
}

void tz_clock_today(char out[11])
{
	tz_date_from_days(tz_clock_today_days(), out);
}
