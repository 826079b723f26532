/* clock.h - the wall clock and today's date (base/clock.c). */
#ifndef TAIZHANG_CLOCK_H
#define TAIZHANG_CLOCK_H

#include <stdint.h>

/* Wall clock in ms since 1970; TAIZHANG_NOW (YYYY-MM-DD[THH:MM:SS] or ms)
 * overrides it for tests (a date and time given so are read as UTC). */
int64_t tz_clock_ms(void);
/* Today's date in local time (the office's calendar), YYYY-MM-DD, from
 * tz_clock_ms so that TAIZHANG_NOW fixes it.  Every "today" in the program
 * comes from here. */
void tz_clock_today(char out[11]);
/* The same, in days since 1970-01-01 (taizhang/date.h). */
long tz_clock_today_days(void);

#endif
