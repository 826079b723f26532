/* tz_test.h - a tiny unit-test harness.
 *
 * TEST(name) { ... CHECK(cond); CHECK_STR(a, b); ... }
 * int main(void) { RUN(name); ...; return tz_test_done(); }
 * Each binary prints one line per failure and a closing
 * "<file>: N passed, N failed" line that tests/run.sh adds up.
 */
#ifndef TZ_TEST_H
#define TZ_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tz_t_passed, tz_t_failed, tz_t_cur_failed;
static const char *tz_t_name;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			printf("FAIL %s:%d %s: %s\n", __FILE__, __LINE__, tz_t_name, \
			       #cond);                                               \
			tz_t_cur_failed = 1;                                         \
		}                                                                    \
	} while (0)

#define CHECK_STR(a, b)                                                                  \
	do {                                                                             \
		const char *tz_a_ = (a), *tz_b_ = (b);                                   \
		if (!tz_a_ || !tz_b_ || strcmp(tz_a_, tz_b_) != 0) {                     \
			printf("FAIL %s:%d %s: %s == %s (\"%s\" vs \"%s\")\n", __FILE__, \
			       __LINE__, tz_t_name, #a, #b, tz_a_ ? tz_a_ : "(null)",    \
			       tz_b_ ? tz_b_ : "(null)");                                \
			tz_t_cur_failed = 1;                                             \
		}                                                                        \
	} while (0)

#define CHECK_INT(a, b)                                                                     \
	do {                                                                                \
		long long tz_a_ = (long long)(a), tz_b_ = (long long)(b);                   \
		if (tz_a_ != tz_b_) {                                                       \
			printf("FAIL %s:%d %s: %s == %s (%lld vs %lld)\n", __FILE__, __LINE__, \
			       tz_t_name, #a, #b, tz_a_, tz_b_);                            \
			tz_t_cur_failed = 1;                                                \
		}                                                                           \
	} while (0)

#define RUN(name)                        \
	do {                             \
		tz_t_name = #name;       \
		tz_t_cur_failed = 0;     \
		name();                  \
		if (tz_t_cur_failed)     \
			tz_t_failed++;   \
		else                     \
			tz_t_passed++;   \
	} while (0)

static inline int tz_test_done(void)
{
	printf("%s: %d passed, %d failed\n", __BASE_FILE__, tz_t_passed, tz_t_failed);
	return tz_t_failed ? 1 : 0;
}

/* A fresh temporary directory for the test's files. */
static inline const char *tz_test_tmpdir(void)
{
	static char dir[256];
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/tztest.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	return dir;
}

#endif
