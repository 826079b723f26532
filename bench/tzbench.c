/* tzbench.c - measuring and baselines for bench/bench.sh.  Not part of
 * `make test`.
 *
 *   tzbench version
 *       the schema version this build writes (the bench cache key)
 *   tzbench run OUT CMD [ARG...]
 *       runs CMD (stdin, stdout and stderr inherited), then writes
 *       "wall=S cpu=S rss_kb=N rc=N" to the file OUT: wall-clock seconds
 *       from fork to exit, user+system CPU seconds and the peak resident
 *       set of the child (wait4).  Exits with the command's status.
 *   tzbench copyrows SRC DST
 *       the merge baseline: a raw SQLite bulk insert of the final rows of
 *       SRC into a new database DST.  DST gets SRC's CREATE TABLE and
 *       CREATE INDEX statements (not its triggers: the rows they made are
 *       among the rows copied) and the pragmas taizhang's import runs with
 *       (WAL, synchronous=FULL, foreign_keys=ON, a 64 MiB page cache).
 *       Every row of every table is first read into memory (not timed);
 *       then, timed: BEGIN, one prepared INSERT per table stepped once per
 *       row, in SRC's storage order, COMMIT.  Prints
 *       "rows=N wall=S cpu=S".
 *   tzbench deflate BUNDLE...
 *       the export baseline: inflates each bundle's payload (not timed),
 *       then deflates that payload again with zlib at the level export
 *       uses (9, default window and memory), timing only deflate.
 *       Prints "in=BYTES out=BYTES wall=S cpu=S".
 *   tzbench minisign PUB BODY...
 *       the verify baseline: runs stock `minisign -V -q -p PUB -m BODY`
 *       (signature in BODY.minisig) once per body, one after the other;
 *       prints "files=N wall=S cpu=S" summed over the runs, fork to exit.
 *       Fails if minisign rejects any.
 *   tzbench open DB
 *       opens DB with SQLite, reads its schema and the row count of one
 *       table through the live-row counter, and exits (the start-up
 *       floor the TUI is compared with)
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "taizhang/db.h"

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_self(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "tzbench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* fork, exec, wait4: wall, CPU and peak RSS of the child */
static int spawn(char *const argv[], double *wall, double *cpu, long *rss_kb)
{
	double t0 = mono();
	pid_t pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "tzbench: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4", strerror(errno));
	*wall = mono() - t0;
	*cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmd_run(int argc, char **argv)
{
	if (argc < 2)
		die("usage: tzbench run OUT CMD [ARG...]", NULL);
	double wall, cpu;
	long rss;
	int rc = spawn(argv + 1, &wall, &cpu, &rss);
	FILE *f = fopen(argv[0], "w");
	if (!f)
		die(argv[0], strerror(errno));
	fprintf(f, "wall=%.6f cpu=%.6f rss_kb=%ld rc=%d\n", wall, cpu, rss, rc);
	fclose(f);
	return rc;
}

/* ---- copyrows ---- */

typedef struct {
	unsigned char *p;
	size_t len, cap;
} arena;

static void put(arena *a, const void *src, size_t n)
{
	if (a->len + n > a->cap) {
		size_t nc = a->cap ? a->cap : 1 << 20;
		while (nc < a->len + n)
			nc *= 2;
		unsigned char *np = realloc(a->p, nc);
		if (!np)
			die("out of memory", NULL);
		a->p = np;
		a->cap = nc;
	}
	memcpy(a->p + a->len, src, n);
	a->len += n;
}

typedef struct {
	char *name;
	int ncol;
	long rows;
	arena data; /* per value: type byte, then 8 bytes or a 4-byte length and the bytes */
} table;

static void exec_or_die(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

static int cmd_copyrows(int argc, char **argv)
{
	if (argc != 2)
		die("usage: tzbench copyrows SRC DST", NULL);
	sqlite3 *src, *dst;
	if (sqlite3_open_v2(argv[0], &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die(argv[0], sqlite3_errmsg(src));
	unlink(argv[1]);
	if (sqlite3_open(argv[1], &dst) != SQLITE_OK)
		die(argv[1], sqlite3_errmsg(dst));
	exec_or_die(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536");

	/* the same tables and indexes, then all rows into memory */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(src,
			       "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
			       " AND type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'"
			       " ORDER BY type = 'index', rowid",
			       -1, &st, NULL) != SQLITE_OK)
		die("schema", sqlite3_errmsg(src));
	table *t = NULL;
	int nt = 0;
	long total = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		exec_or_die(dst, (const char *)sqlite3_column_text(st, 2));
		if (strcmp(type, "table"))
			continue;
		table *nt_ = realloc(t, sizeof *t * (size_t)(nt + 1));
		if (!nt_)
			die("out of memory", NULL);
		t = nt_;
		table *x = &t[nt++];
		memset(x, 0, sizeof *x);
		x->name = strdup((const char *)sqlite3_column_text(st, 1));
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", x->name);
		sqlite3_stmt *rd;
		if (sqlite3_prepare_v2(src, sql, -1, &rd, NULL) != SQLITE_OK)
			die(sql, sqlite3_errmsg(src));
		sqlite3_free(sql);
		x->ncol = sqlite3_column_count(rd);
		while (sqlite3_step(rd) == SQLITE_ROW) {
			for (int c = 0; c < x->ncol; c++) {
				unsigned char type8 = (unsigned char)sqlite3_column_type(rd, c);
				put(&x->data, &type8, 1);
				if (type8 == SQLITE_INTEGER) {
					sqlite3_int64 v = sqlite3_column_int64(rd, c);
					put(&x->data, &v, 8);
				} else if (type8 == SQLITE_FLOAT) {
					double v = sqlite3_column_double(rd, c);
					put(&x->data, &v, 8);
				} else if (type8 == SQLITE_TEXT || type8 == SQLITE_BLOB) {
					const void *p = type8 == SQLITE_TEXT
								? (const void *)sqlite3_column_text(rd, c)
								: sqlite3_column_blob(rd, c);
					uint32_t n = (uint32_t)sqlite3_column_bytes(rd, c);
					put(&x->data, &n, 4);
					if (n)
						put(&x->data, p, n);
				}
			}
			x->rows++;
		}
		sqlite3_finalize(rd);
		total += x->rows;
	}
	sqlite3_finalize(st);
	sqlite3_close(src);

	/* timed: the inserts, one transaction */
	double c0 = cpu_self(), t0 = mono();
	exec_or_die(dst, "BEGIN");
	for (int i = 0; i < nt; i++) {
		table *x = &t[i];
		if (!x->rows)
			continue;
		char *sql = sqlite3_mprintf("INSERT INTO \"%w\" VALUES(?", x->name);
		for (int c = 1; c < x->ncol; c++) {
			char *s2 = sqlite3_mprintf("%s,?", sql);
			sqlite3_free(sql);
			sql = s2;
		}
		char *s2 = sqlite3_mprintf("%s)", sql);
		sqlite3_free(sql);
		sqlite3_stmt *ins;
		if (sqlite3_prepare_v2(dst, s2, -1, &ins, NULL) != SQLITE_OK)
			die(s2, sqlite3_errmsg(dst));
		sqlite3_free(s2);
		const unsigned char *p = x->data.p;
		for (long r = 0; r < x->rows; r++) {
			for (int c = 0; c < x->ncol; c++) {
				unsigned char type8 = *p++;
				sqlite3_int64 iv;
				double dv;
				uint32_t n;
				switch (type8) {
				case SQLITE_INTEGER:
					memcpy(&iv, p, 8);
					p += 8;
					sqlite3_bind_int64(ins, c + 1, iv);
					break;
				case SQLITE_FLOAT:
					memcpy(&dv, p, 8);
					p += 8;
					sqlite3_bind_double(ins, c + 1, dv);
					break;
				case SQLITE_TEXT:
				case SQLITE_BLOB:
					memcpy(&n, p, 4);
					p += 4;
					if (type8 == SQLITE_TEXT)
						sqlite3_bind_text(ins, c + 1, (const char *)p, (int)n,
								  SQLITE_STATIC);
					else
						sqlite3_bind_blob(ins, c + 1, p, (int)n, SQLITE_STATIC);
					p += n;
					break;
				default:
					sqlite3_bind_null(ins, c + 1);
				}
			}
			if (sqlite3_step(ins) != SQLITE_DONE)
				die(x->name, sqlite3_errmsg(dst));
			sqlite3_reset(ins);
		}
		sqlite3_finalize(ins);
	}
	exec_or_die(dst, "COMMIT");
	double wall = mono() - t0, cpu = cpu_self() - c0;
	sqlite3_close(dst);
	printf("rows=%ld wall=%.6f cpu=%.6f\n", total, wall, cpu);
	for (int i = 0; i < nt; i++) {
		free(t[i].name);
		free(t[i].data.p);
	}
	free(t);
	return 0;
}

/* ---- deflate ---- */

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb))
		die(path, strerror(errno));
	unsigned char *b = malloc((size_t)sb.st_size + 1);
	if (!b)
		die("out of memory", NULL);
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, b + got, (size_t)sb.st_size - got);
		if (n <= 0)
			die(path, "short read");
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return b;
}

static int cmd_deflate(int argc, char **argv)
{
	double wall = 0, cpu = 0;
	uint64_t in = 0, out = 0;
	for (int i = 0; i < argc; i++) {
		size_t len;
		unsigned char *f = slurp(argv[i], &len);
		if (len < 136 + 411 || memcmp(f, "TZBUNDLE", 8))
			die(argv[i], "not a bundle");
		uint64_t h = le(f + 12, 4), plen = le(f + 112, 8), ilen = le(f + 120, 8);
		if (h + plen + 411 != len)
			die(argv[i], "bad lengths");
		unsigned char *raw = malloc(ilen ? ilen : 1);
		uLongf rl = (uLongf)ilen;
		if (!raw || uncompress(raw, &rl, f + h, (uLong)plen) != Z_OK || rl != ilen)
			die(argv[i], "payload does not inflate");
		uLong bound = compressBound((uLong)ilen);
		unsigned char *z = malloc(bound);
		if (!z)
			die("out of memory", NULL);
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		double c0 = cpu_self(), t0 = mono();
		if (deflateInit(&zs, 9) != Z_OK)
			die("deflateInit", NULL);
		zs.next_in = raw;
		zs.avail_in = (uInt)ilen;
		zs.next_out = z;
		zs.avail_out = (uInt)bound;
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
			die("deflate", NULL);
		out += zs.total_out;
		deflateEnd(&zs);
		wall += mono() - t0;
		cpu += cpu_self() - c0;
		in += ilen;
		free(z);
		free(raw);
		free(f);
	}
	printf("in=%llu out=%llu wall=%.6f cpu=%.6f\n", (unsigned long long)in,
	       (unsigned long long)out, wall, cpu);
	return 0;
}

/* ---- minisign ---- */

static int cmd_minisign(int argc, char **argv)
{
	if (argc < 2)
		die("usage: tzbench minisign PUB BODY...", NULL);
	double wall = 0, cpu = 0;
	int devnull = open("/dev/null", O_WRONLY);
	int saved = dup(1);
	for (int i = 1; i < argc; i++) {
		static char prog[] = "minisign", v[] = "-V", q[] = "-q", p[] = "-p", m[] = "-m";
		char *av[] = {prog, v, q, p, argv[0], m, argv[i], NULL};
		double w, c;
		long rss;
		dup2(devnull, 1);
		int rc = spawn(av, &w, &c, &rss);
		dup2(saved, 1);
		if (rc)
			die("minisign rejected", argv[i]);
		wall += w;
		cpu += c;
	}
	printf("files=%d wall=%.6f cpu=%.6f\n", argc - 1, wall, cpu);
	return 0;
}

/* ---- open ---- */

static int cmd_open(int argc, char **argv)
{
	if (argc != 1)
		die("usage: tzbench open DB", NULL);
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(argv[0], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT n FROM live_count WHERE tbl = 'person'", -1, &st,
			       NULL) != SQLITE_OK)
		die(argv[0], sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		printf("%lld\n", (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "version")) {
		printf("%d\n", TZ_SCHEMA_VERSION);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "copyrows"))
		return cmd_copyrows(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "deflate"))
		return cmd_deflate(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "minisign"))
		return cmd_minisign(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "open"))
		return cmd_open(argc - 2, argv + 2);
	fprintf(stderr, "usage: tzbench version|run|copyrows|deflate|minisign|open ...\n");
	return 2;
}
