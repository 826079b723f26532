/* date.c - calendar arithmetic on YYYY-MM-DD dates (proleptic Gregorian,
 * days since 1970-01-01). */
#include "taizhang/date.h"

#include <string.h>

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : 0);
	return v;
}

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long y, int m)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int tz_date_real(long y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
long tz_date_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

long tz_date_days(const char *ymd)
{
	if (!ymd || strnlen(ymd, 10) < 10)
		return 0;
	return tz_date_from_civil(num(ymd, 4), num(ymd + 5, 2), num(ymd + 8, 2));
}

void tz_date_from_days(long days, char out[11])
{
	long y;
	int m, d;

	/* 0000-01-01 .. 9999-12-31 so the year has four digits */
	if (days < -719528)
		days = -719528;
	if (days > 2932896)
		days = 2932896;
	civil_from_days(days, &y, &m, &d);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}
