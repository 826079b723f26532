/* fuzz_csvimport.c - import-csv end to end (tz_roster_import_reader): header
 * mapping, the ID-number uniqueness table, validation and insertion of
 * every row, all or nothing.
 *
 * The database is in memory and holds one household and one person (ID
 * number 11010519491231002X), so "already registered" is reachable.  Each
 * input is imported inside an outer transaction that is rolled back, so runs
 * do not influence each other.
 *
 * Input: one mode byte, then the CSV file.
 *   bits 0-3  table index (mod the number of tables; 0 household, 1 person)
 *   bit 4     encoding: 0 UTF-8, 1 GB18030
 *   bit 7     messages in Chinese
 * Every "@H@" in the file is replaced by the household's id (ids are random,
 * so the fuzzer could not know it).
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/roster.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/db.h"

static tz_db *db;
static int verbose; /* FUZZ_VERBOSE=1: say what became of each input */
static char hh_id[33];
static long nbad_calls;

static void die(const char *what, const tz_err *err)
{
	fprintf(stderr, "fuzz_csvimport: %s: %s\n", what, err->msg);
	abort();
}

static void on_bad(void *ctx, long line, const char *msg)
{
	(void)ctx;
	if (verbose)
		fprintf(stderr, "fuzz_csvimport: line %ld: %s\n", line, msg);
	if (!msg || !*msg || strchr(msg, '\n'))
		abort(); /* one line each */
	nbad_calls++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	tz_err err = {0};
	char pid[33];
	setenv("TAIZHANG_NOW", "2026-03-01T12:00:00", 1);
	tz_lang_set(TZ_LANG_EN);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (tz_db_open(&db, ":memory:", TZ_OPEN_CREATE, &err))
		die("open", &err);
	if (tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "fuzz village", &err))
		die("identity", &err);
	tz_kv h[] = {{"village", "430181100201"}, {"address", "一组1号"}};
	if (tz_record_add(db, "household", h, 2, hh_id, &err))
		die("household", &err);
	tz_kv p[] = {{"household", hh_id}, {"name", "张三"}, {"id_number", "11010519491231002X"}};
	if (tz_record_add(db, "person", p, 3, pid, &err))
		die("person", &err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	const tz_table *t = tz_schema_tables[(mode & 15) % (unsigned)tz_schema_ntables];
	tz_csv_enc enc = mode & 16 ? TZ_ENC_GB18030 : TZ_ENC_UTF8;
	tz_lang_set(mode & 0x80 ? TZ_LANG_ZH : TZ_LANG_EN);

	/* "@H@" -> the household id */
	const char *in = (const char *)data + 1;
	size_t n = size - 1, o = 0;
	char *buf = malloc(n * 11 + 1);
	if (!buf)
		return 0;
	for (size_t i = 0; i < n;) {
		if (i + 3 <= n && !memcmp(in + i, "@H@", 3)) {
			memcpy(buf + o, hh_id, 32);
			o += 32;
			i += 3;
		} else {
			buf[o++] = in[i++];
		}
	}

	tz_err err = {0};
	tz_csv *c;
	tz_roster_report rep;
	if (tz_csv_open_mem(&c, buf, o, enc, &err))
		die("open", &err);
	if (tz_db_begin(db, &err))
		die("begin", &err);
	nbad_calls = 0;
	tz_status st = tz_roster_import_reader(db, t->name, c, NULL, on_bad, NULL, &rep, &err);
	if (verbose)
		fprintf(stderr, "fuzz_csvimport: %s: status %d, rows %ld imported %ld bad %ld: %s\n",
			t->name, st, rep.rows, rep.imported, rep.bad, st ? err.msg : "ok");
	if (st == TZ_OK) {
		if (rep.bad || rep.imported != rep.rows || (rep.imported && !rep.ids))
			abort();
		for (long i = 0; i < rep.imported; i++)
			if (strlen(rep.ids[i]) != 32)
				abort();
	} else if (st == TZ_EINVAL) {
		if (rep.imported || rep.ids || (!rep.bad && !nbad_calls))
			abort();
	} else {
		/* hostile text is data, not an environment failure */
		die("import returned an environment error", &err);
	}
	tz_roster_report_free(&rep);
	tz_csv_close(c);
	tz_db_rollback(db);
	free(buf);
	return 0;
}
