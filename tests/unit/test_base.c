/* test_base.c - the leaf library alone.  This program links only
 * libtzbase.a (no SQLite, no curses, no libsodium, no zlib): that it builds
 * and validates an ID number is the proof that base/ depends on nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/base.h"
#include "tz_test.h"

TEST(idnum_without_sqlite)
{
	char out[19], birth[11], g = 0;
	tz_err err;
	tz_lang_set(TZ_LANG_EN);
	CHECK_INT(tz_valid_idnum("11010519491231002X", out, birth, &g, &err), TZ_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_STR(birth, "1949-12-31");
	CHECK_INT(g, 'F');
	/* the check character wrong */
	CHECK_INT(tz_valid_idnum("110105194912310021", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(strstr(err.msg, "ID number") != NULL);
	tz_lang_set(TZ_LANG_ZH);
	CHECK_INT(tz_valid_idnum("110105194912310021", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(strstr(err.msg, "身份证号") != NULL);
	/* full-width digits from an input method */
	CHECK_INT(tz_valid_idnum("１１０１０５１９４９１２３１００２Ｘ", out, NULL, NULL, &err), TZ_OK);
	CHECK_STR(out, "11010519491231002X");
}

TEST(status_messages)
{
	tz_err err;
	tz_lang_set(TZ_LANG_EN);
	CHECK_INT(tz_nomem(&err), TZ_ENOMEM);
	CHECK_STR(err.msg, "out of memory");
	CHECK_INT(tz_status_exit(TZ_ENOMEM), 3);
	tz_lang_set(TZ_LANG_ZH);
	CHECK_INT(tz_nomem(&err), TZ_ENOMEM);
	CHECK_STR(err.msg, "内存不足");
	CHECK_STR(tz_status_msg(TZ_EUSAGE), "用法错误");
	CHECK_INT(tz_status_exit(TZ_EUSAGE), 2);
	for (int s = 0; s < TZ_STATUS_COUNT; s++)
		CHECK(tz_status_msg((tz_status)s)[0] != '\0');
}

TEST(buffer)
{
	tz_buf b = {0};
	tz_buf_str(&b, "台账");
	tz_buf_printf(&b, "-%d-", 42);
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	tz_buf_printf(&b, "%s", big); /* past the small stack buffer */
	CHECK(!b.failed);
	CHECK_INT(b.len, 6 + 4 + 599);
	char *s = tz_buf_cstr(&b);
	CHECK(s && !strncmp(s, "台账-42-xxx", 13) && strlen(s) == b.len);
	size_t pos = 0;
	uint64_t v = 0;
	tz_buf_free(&b);
	tz_buf_varint(&b, 300);
	CHECK_INT(b.len, 2);
	CHECK_INT(tz_buf_varint_get(b.buf, b.len, &pos, &v), 0);
	CHECK_INT(v, 300);
	CHECK_INT(tz_buf_varint_get(b.buf, 1, &(size_t){0}, &v), -1); /* cut short */
	tz_buf_free(&b);
}

TEST(growing_array)
{
	long *v = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		long *p = tz_buf_grow(v, n, &cap, sizeof *p);
		CHECK(p != NULL);
		if (!p)
			break;
		v = p;
		CHECK(cap > n);
		v[n++] = i;
	}
	CHECK_INT(n, 1000);
	CHECK_INT(cap, 1024); /* 16, doubled */
	long sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	CHECK_INT(sum, 999 * 1000 / 2);
	CHECK(tz_buf_grow(v, n, &cap, sizeof *v) == v); /* room left: nothing moves */
	size_t huge = SIZE_MAX / 4;
	CHECK(tz_buf_grow(v, huge, &huge, 8) == NULL); /* would overflow: refused */
	CHECK_INT(huge, SIZE_MAX / 4);
	free(v);
}

TEST(bytes)
{
	uint8_t in[3] = {0x00, 0xab, 0xff}, back[3];
	char hex[7];
	tz_hex_encode(in, 3, hex);
	CHECK_STR(hex, "00abff");
	CHECK_INT(tz_hex_decode("00ABff", back, 3), 0);
	CHECK(!memcmp(in, back, 3));
	CHECK_INT(tz_hex_decode("00abfg", back, 3), -1);
	CHECK_INT(tz_hex_decode("00abff0", back, 3), -1);
	uint8_t le[8];
	tz_le_put64(le, 0x0102030405060708ull);
	CHECK_INT(le[0], 8);
	CHECK_INT(le[7], 1);
	CHECK(tz_le_get64(le) == 0x0102030405060708ull);
	tz_le_put32(le, 0xdeadbeef);
	CHECK(tz_le_get32(le) == 0xdeadbeef);
	tz_le_put16(le, 0xbeef);
	CHECK_INT(tz_le_get16(le), 0xbeef);
}

TEST(utf8)
{
	size_t l;
	CHECK_INT(tz_utf8_decode("台", 3, &l), 0x53f0);
	CHECK_INT(l, 3);
	CHECK_INT(tz_utf8_decode("\xe5\x8f", 2, &l), -1); /* cut */
	CHECK_INT(l, 1);
	CHECK_INT(tz_utf8_decode("\xc0\xaf", 2, &l), -1); /* overlong */
	CHECK_INT(tz_utf8_decode("\xed\xa0\x80", 3, &l), -1); /* surrogate */
	CHECK_INT(tz_utf8_count("台账ab\xff", 9), 5);
	CHECK(tz_utf8_valid("台账 register", strlen("台账 register")));
	CHECK(!tz_utf8_valid("\xed\xa0\x80", 3));
	CHECK(!tz_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	/* every code point encodes to what decodes back to it */
	char enc[4];
	for (long cp = 0; cp <= 0x10ffff; cp += cp < 0x20000 ? 1 : 97) {
		int n = tz_utf8_encode(cp, enc);
		if (cp >= 0xd800 && cp <= 0xdfff) {
			CHECK_INT(n, 0);
			continue;
		}
		if (tz_utf8_decode(enc, (size_t)n, &l) != cp || l != (size_t)n) {
			CHECK_INT(cp, -1);
			break;
		}
	}
	CHECK_INT(tz_utf8_encode(0x110000, enc), 0);
	CHECK_INT(tz_utf8_encode(0x53f0, enc), 3);
	CHECK(!memcmp(enc, "台", 3));
}

TEST(today_is_local)
{
	char d[11];
	/* 2026-12-06 20:30 UTC is already 2026-12-07 in China */
	setenv("TAIZHANG_NOW", "2026-12-06T20:30:00", 1);
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	tz_clock_today(d);
	CHECK_STR(d, "2026-12-07");
	setenv("TZ", "UTC", 1);
	tzset();
	tz_clock_today(d);
	CHECK_STR(d, "2026-12-06");
	CHECK(tz_clock_ms() == (int64_t)(tz_date_days("2026-12-06") * 86400 + 20 * 3600 + 1800) * 1000);
	unsetenv("TAIZHANG_NOW");
	unsetenv("TZ");
	tzset();
}

static char *slurp(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static int count_files(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

TEST(atomic_file)
{
	char dir[300], path[400], final[400];
	tz_err err;
	snprintf(dir, sizeof dir, "%s/afile", tz_test_tmpdir());
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/keyring.txt", dir);
	CHECK_INT(tz_file_put(path, "one\n", 4, 0644, &err), TZ_OK);
	CHECK_STR(slurp(path), "one\n");
	CHECK_INT(tz_file_put(path, "two\n", 4, 0600, &err), TZ_OK);
	CHECK_STR(slurp(path), "two\n");
	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	/* abandoned half-way: the old file stays, no temporary is left */
	tz_file a;
	CHECK_INT(tz_file_open(&a, path, 0644, &err), TZ_OK);
	CHECK_INT(tz_file_write(&a, "thr", 3, &err), TZ_OK);
	CHECK_STR(slurp(path), "two\n");
	tz_file_abort(&a);
	tz_file_abort(&a); /* twice is harmless */
	CHECK_STR(slurp(path), "two\n");
	CHECK_INT(count_files(dir), 1);
	/* a name chosen at the end (a bundle is named by its hash) */
	CHECK_INT(tz_file_open(&a, path, 0644, &err), TZ_OK);
	CHECK_INT(tz_file_write(&a, "abc", 3, &err), TZ_OK);
	snprintf(final, sizeof final, "%s/named.tzb", dir);
	CHECK_INT(tz_file_commit(&a, final, &err), TZ_OK);
	CHECK_STR(slurp(final), "abc");
	CHECK_INT(count_files(dir), 2);
	/* a folder that is not there: one line naming the file */
	tz_lang_set(TZ_LANG_EN);
	snprintf(path, sizeof path, "%s/missing/x.txt", dir);
	CHECK_INT(tz_file_put(path, "x", 1, 0644, &err), TZ_EIO);
	CHECK(strstr(err.msg, "missing/x.txt") && strstr(err.msg, "No such file"));
	CHECK(!strchr(err.msg, '\n'));
	/* a full disk says so, naming what the caller chose (a bundle: the stick) */
	CHECK_INT(tz_file_open(&a, path, 0644, &err), TZ_EIO);
	CHECK_INT(errno, ENOENT); /* the cause, for a caller that words it itself */
	snprintf(path, sizeof path, "%s/full.txt", dir);
	CHECK_INT(tz_file_open(&a, path, 0644, &err), TZ_OK);
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (full >= 0) {
		close(a.fd);
		a.fd = full;
		snprintf(a.name, sizeof a.name, "/media/stick");
		CHECK_INT(tz_file_write(&a, "x", 1, &err), TZ_EIO);
		CHECK_STR(err.msg, "/media/stick: the disk is full");
		tz_lang_set(TZ_LANG_ZH);
		CHECK_INT(tz_file_write(&a, "x", 1, &err), TZ_EIO);
		CHECK_STR(err.msg, "/media/stick：磁盘已满");
		tz_lang_set(TZ_LANG_EN);
	}
	tz_file_abort(&a);
	CHECK_INT(count_files(dir), 2);
	/* a name with no folder part is written in the current folder */
	char cwd[300];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	CHECK(chdir(dir) == 0);
	CHECK_INT(tz_file_put("here.txt", "h", 1, 0644, &err), TZ_OK);
	CHECK_STR(slurp("here.txt"), "h");
	CHECK(chdir(cwd) == 0);
}

int main(void)
{
	RUN(idnum_without_sqlite);
	RUN(status_messages);
	RUN(buffer);
	RUN(growing_array);
	RUN(bytes);
	RUN(utf8);
	RUN(today_is_local);
	RUN(atomic_file);
	return tz_test_done();
}
