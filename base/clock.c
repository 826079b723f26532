/* clock.c - the wall clock and the one local "today".  TAIZHANG_NOW
 * (YYYY-MM-DD[THH:MM:SS], or ms since 1970) fixes both for tests. */
#include "taizhang/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/valid.h"

int64_t tz_wall_ms(void)
{
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
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tz_today(char out[11])
{
	int64_t ms = tz_wall_ms();
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		tz_days_date((long)(t / 86400), out);
		return;
	}
	long y = tm.tm_year + 1900L;
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	char d[16];
	d[0] = (char)('0' + y / 1000);
	d[1] = (char)('0' + y / 100 % 10);
	d[2] = (char)('0' + y / 10 % 10);
	d[3] = (char)('0' + y % 10);
	d[4] = '-';
	d[5] = (char)('0' + (tm.tm_mon + 1) / 10);
	d[6] = (char)('0' + (tm.tm_mon + 1) % 10);
	d[7] = '-';
	d[8] = (char)('0' + tm.tm_mday / 10);
	d[9] = (char)('0' + tm.tm_mday % 10);
	d[10] = '\0';
	memcpy(out, d, 11);
}
