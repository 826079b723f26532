/* date.h - calendar arithmetic (base/date.c): days since 1970-01-01,
 * proleptic Gregorian.  Validation of typed dates is valid.h's. */
#ifndef TAIZHANG_DATE_H
#define TAIZHANG_DATE_H

/* Days since 1970-01-01 for a valid YYYY-MM-DD (no check). */
long tz_date_days(const char *ymd);
/* YYYY-MM-DD for days since 1970-01-01 (clamped to years 0000..9999). */
void tz_date_from_days(long days, char out[11]);
/* The same from year, month (1-12) and day. */
long tz_date_from_civil(long y, long m, long d);
/* 1 if the day exists in that month of that year. */
int tz_date_real(long y, int m, int d);

#endif
