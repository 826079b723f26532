/* serve.c - `taizhang serve`: the township's (or county's) bundle server.
 *
 * Threads (docs/network.md):
 *   - libmicrohttpd's one internal polling thread (epoll) runs every
 *     connection: it routes and checks each request (net_proto.c), streams
 *     upload bodies into a temporary file in <spool>/tmp while hashing them,
 *     and serves downward bundle files.  It never touches the database.
 *   - ONE import worker owns the database (SQLite has one writer): when an
 *     upload is complete, or a village asks for the downward list, the
 *     connection is suspended and a job queued; the worker verifies and
 *     imports (tz_bundle_import, the same path as `import`), renames the file
 *     into <spool>/in/<hash>.tzb, and resumes the connection with the answer.
 *   - The calling thread waits for SIGTERM/SIGINT, then stops gracefully.
 * A slow client costs a socket, not a thread; imports never run two at once.
 *
 * Spool:
 *   in/<hash>.tzb      every bundle accepted (content-addressed, immutable)
 *   tmp/               uploads in progress (cleared at start)
 *   down/NAME.tzb      bundles served downward (the server's own exports,
 *                      or files an operator exported there)
 *   down.idx           the order in which down/ files were first seen, for
 *                      the `after` cursor; its first line names the spool
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/buf.h"
#include "taizhang/bundle.h"
#include "taizhang/file.h"
#include "taizhang/keyring.h"
#include "taizhang/net.h"
#include "bundle_int.h"
#include "net_lib.h"

typedef struct server server;

/* A connection, from accept to close (MHD_OPTION_NOTIFY_CONNECTION): the
 * main thread cuts one that takes longer than net.header_seconds to send
 * its request headers. */
typedef struct conn {
	struct conn *prev, *next;
	int fd;
	int busy; /* between its request's headers and that request's end */
	int cut;
	struct timespec start; /* accepted, or its last request ended */
} conn;

typedef struct rq {
	server *srv;
	struct MHD_Connection *con;
	tz_net_req req;
	int zh;           /* answer in Chinese (Accept-Language: zh...) */
	int fd;           /* upload temp file, -1 when none */
	char tmp[4300];
	tz_net_body body;
	int queued, done; /* job state (under srv->mu) */
	int status;       /* HTTP status answered */
	char *answer;     /* response text (malloc'd), handed to MHD */
	size_t answer_len;
	char note[200];   /* outcome for the log line */
	char method[8], path[80];
	struct timespec start;
	uint64_t in_bytes;
	uint64_t reserved; /* bytes of tmp/ this upload holds (net.spool_tmp_mb) */
	uint8_t head[FIXED_HEADER]; /* the upload's first bytes, checked as they arrive */
	size_t head_len;
	char early[400]; /* why the first look refused it */
	int early_status;
	conn *conn;
	struct rq *next;
} rq;

typedef struct {
	tz_net_entry e;
	char name[256];
} down_ent;

struct server {
	tz_db *db;
	const tz_net_serve_opts *o;
	char spool[4096], in[4200], tmpdir[4200], down[4200], idx[4200];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	rq *head, *tail;
	int stopping, worker_gone;
	int active; /* requests between their first call and completion */
	/* the downward list (worker writes, polling thread reads) */
	pthread_mutex_t imu;
	down_ent *ents;
	size_t n, cap;
	char spool_id[33];
	struct MHD_Daemon *d;
	/* the polling thread's and the main thread's shared state */
	pthread_mutex_t pmu;
	conn *conns;              /* every open connection */
	uint64_t tmp_used;        /* bytes reserved in tmp/ by uploads in progress */
	uint8_t (*kids)[8];       /* the key ids enrolled here, as the worker last read them */
	size_t nkids;
	struct timespec kids_at;  /* when */
};

static double ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

static void logf_(server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(server *s, const char *fmt, ...)
{
	char line[1024], ts[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int n = snprintf(line, sizeof line, "%s ", ts);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = m < 0 ? n : n + m > (int)sizeof line - 2 ? (int)sizeof line - 2 : n + m;
	/* one write per line, control characters flattened: lines never interleave or forge */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < ' ')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(s->o->log_fd, line, (size_t)n) < 0) {
		/* nowhere left to complain */
	}
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	logf_(cls, "http: %s", msg);
}

/* ---- responses ---- */

static enum MHD_Result answer(rq *r, int status, const char *word, const char *msg)
{
	char *buf;
	int n = asprintf(&buf, "%s %s\n", word, msg);
	if (n < 0)
		return MHD_NO;
	struct MHD_Response *resp =
		net_mhd.create_response_from_buffer((size_t)n, buf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(buf);
		return MHD_NO;
	}
	net_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == 405 && r->req.allow)
		net_mhd.add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->req.allow);
	if (status == 503)
		net_mhd.add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "60");
	r->status = status;
	if (!r->note[0])
		snprintf(r->note, sizeof r->note, "%.8s %.150s", word, msg);
	enum MHD_Result ret = net_mhd.queue_response(r->con, (unsigned)status, resp);
	net_mhd.destroy_response(resp);
	return ret;
}

/* ---- the downward list ---- */


/* The body hash and header of a bundle file; -1 if it is not one. */
static int describe(const char *path, tz_net_entry *e)
{
	tz_bundle_info info;
	tz_err err;
	if (tz_bundle_peek(path, &info, &err) ||
	    tz_bundle_body_hash(path, info.file_len, e->hash, &err))
		return -1;
	e->size = info.file_len;
	memcpy(e->origin, info.origin, 16);
	e->first = info.first_seq;
	e->last = info.last_seq;
	return 0;
}

static int known_name(server *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ents[i].name, name))
			return 1;
	return 0;
}

/* Append an entry numbered n (0: the next number). */
static int add_ent(server *s, const char *name, const tz_net_entry *e, uint64_t n)
{
	uint64_t last = s->n ? s->ents[s->n - 1].e.n : 0;
	if (!n)
		n = last + 1;
	if (n <= last)
		return -1;
	down_ent *v = tz_buf_grow(s->ents, s->n, &s->cap, sizeof *v);
	if (!v)
		return -1;
	s->ents = v;
	down_ent *d = &s->ents[s->n];
	d->e = *e;
	d->e.n = n;
	snprintf(d->name, sizeof d->name, "%s", name);
	s->n++;
	return 0;
}

static tz_status save_index(server *s, tz_err *err)
{
	tz_buf b = {0};
	tz_buf_printf(&b, "%s %s\n", TZ_NET_LIST_MAGIC, s->spool_id);
	for (size_t i = 0; i < s->n; i++)
		tz_buf_printf(&b, "%llu %s\n", (unsigned long long)s->ents[i].e.n, s->ents[i].name);
	tz_status st = b.failed ? tz_nomem(err) : tz_file_put(s->idx, b.buf, b.len, 0644, err);
	tz_buf_free(&b);
	return st;
}

/* Load down.idx, then take in files of down/ not yet listed (in chain order). */
static tz_status scan_down(server *s, int load, tz_err *err)
{
	char path[4600];
	if (load) {
		/* lines of any length: the file is the folder's, not ours alone */
		FILE *f = fopen(s->idx, "r");
		char *line = NULL;
		size_t lcap = 0;
		ssize_t ll;
		if (f && (ll = getline(&line, &lcap, f)) > 0 && line[ll - 1] == '\n' &&
		    (line[ll - 1] = '\0', !tz_net_index_head(line, s->spool_id))) {
			uint64_t n;
			char name[TZ_NET_NAME_MAX + 1];
			while ((ll = getline(&line, &lcap, f)) > 0) {
				if (line[ll - 1] != '\n')
					break; /* cut short: a write the server did not finish */
				line[ll - 1] = '\0';
				if (tz_net_index_line(line, &n, name))
					continue;
				tz_net_entry e = {0};
				snprintf(path, sizeof path, "%s/%s", s->down, name);
				if (describe(path, &e))
					memset(&e, 0, sizeof e); /* gone: keep its number, never list it */
				add_ent(s, name, &e, n);
			}
		} else {
			uint8_t id[16];
			randombytes_buf(id, sizeof id);
			tz_hex_encode(id, 16, s->spool_id);
		}
		free(line);
		if (f)
			fclose(f);
	}
	DIR *d = opendir(s->down);
	if (!d)
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", s->down,
			       tz_strerror(errno));
	char **fresh = NULL;
	int nf = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!tz_net_name_ok(de->d_name) || known_name(s, de->d_name))
			continue;
		char **v = realloc(fresh, (size_t)(nf + 1) * sizeof *v);
		if (!v)
			break;
		fresh = v;
		if (asprintf(&fresh[nf], "%s/%s", s->down, de->d_name) >= 0)
			nf++;
	}
	closedir(d);
	tz_bundle_sort(fresh, nf);
	int added = 0;
	pthread_mutex_lock(&s->imu);
	for (int i = 0; i < nf; i++) {
		tz_net_entry e = {0};
		if (!describe(fresh[i], &e) && !add_ent(s, strrchr(fresh[i], '/') + 1, &e, 0))
			added++;
		free(fresh[i]);
	}
	pthread_mutex_unlock(&s->imu);
	free(fresh);
	if (added || load)
		return save_index(s, err);
	return TZ_OK;
}

/* ---- the worker: the only thread that touches the database ---- */

static void link_out(server *s, const char *path)
{
	const char *base = strrchr(path, '/');
	char dst[4600];
	if (!s->o->outbox || !base)
		return;
	mkdir(s->o->outbox, 0700);
	snprintf(dst, sizeof dst, "%s%s", s->o->outbox, base);
	if (link(path, dst) && errno != EEXIST)
		logf_(s, "note: cannot link %s into %s: %s", path, s->o->outbox, strerror(errno));
}

static int exported(void *ctx, const char *path)
{
	server *s = ctx;
	link_out(s, path);
	logf_(s, "exported %s", path);
	return 0;
}

static int relayed(void *ctx, const char *path)
{
	logf_(ctx, "relayed %s", path);
	return 0;
}

static void do_list(server *s, rq *r)
{
	tz_err err = {0};
	int n = 0;
	if (s->o->sk && tz_bundle_export(s->db, s->o->sk, s->down, 0, exported, s, &n, &err))
		logf_(s, "export for pulls failed: %s", err.msg);
	/* the county's bundles, passed down to the villages unchanged */
	if (tz_bundle_relay(s->db, s->down, relayed, s, &n, &err))
		logf_(s, "relaying the county's bundles failed: %s", err.msg);
	if (scan_down(s, 0, &err))
		logf_(s, "%s", err.msg);
	pthread_mutex_lock(&s->imu);
	size_t cap = 64 + s->n * 200, len;
	char *buf = malloc(cap);
	size_t listed = 0;
	if (buf) {
		len = (size_t)snprintf(buf, cap, "%s %s\n", TZ_NET_LIST_MAGIC, s->spool_id);
		for (size_t i = 0; i < s->n; i++)
			if (s->ents[i].e.n > r->req.after && s->ents[i].e.size) {
				len += (size_t)tz_net_entry_format(&s->ents[i].e, buf + len, cap - len);
				listed++;
			}
	}
	pthread_mutex_unlock(&s->imu);
	if (!buf) {
		r->status = 503;
		return;
	}
	r->status = 200;
	r->answer = buf;
	r->answer_len = len;
	snprintf(r->note, sizeof r->note, "list %zu", listed);
}

static void set_answer(rq *r, int status, const char *word, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void set_answer(rq *r, int status, const char *word, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	r->status = status;
	int n = asprintf(&r->answer, "%s %s\n", word, msg);
	r->answer_len = n < 0 ? 0 : (size_t)n;
	if (n < 0)
		r->answer = NULL;
	snprintf(r->note, sizeof r->note, "%.8s %.150s", word, msg);
}

/* The receipt for device after the answer's first line, when this server
 * has its key and holds something of the device. */
static void add_receipt(server *s, rq *r, const uint8_t device[16])
{
	char text[TZ_RECEIPT_MAX];
	size_t len = 0;
	tz_err err = {0};
	if (!s->o->rsk || !r->answer || tz_receipt_make(s->db, s->o->rsk, device, text, &len, &err) ||
	    !len)
		return;
	char *nb = realloc(r->answer, r->answer_len + len + 1);
	if (!nb)
		return;
	memcpy(nb + r->answer_len, text, len);
	r->answer = nb;
	r->answer_len += len;
	nb[r->answer_len] = '\0';
}

static void do_receipt(server *s, rq *r)
{
	char text[TZ_RECEIPT_MAX];
	size_t len = 0;
	tz_err err = {0};
	if (!s->o->rsk) {
		set_answer(r, 501, "none", "%s",
			   tz_tr("this server signs no receipts: it was started without its passphrase",
				 "本服务器不签发回执：启动时未输入口令"));
		return;
	}
	if (tz_receipt_make(s->db, s->o->rsk, r->req.device, text, &len, &err)) {
		set_answer(r, tz_status_exit(err.status) == 3 ? 503 : 500, "error", "%s", err.msg);
		return;
	}
	if (!len) {
		set_answer(r, 404, "none", "%s", tz_tr("this server holds none of that device's changes",
						      "本服务器没有该设备的变更"));
		return;
	}
	if (!(r->answer = malloc(len + 1)))
		return;
	memcpy(r->answer, text, len + 1);
	r->answer_len = len;
	r->status = 200;
	snprintf(r->note, sizeof r->note, "receipt");
}

static void do_upload(server *s, rq *r)
{
	char hh[65], final[4400];
	tz_err err = {0};
	tz_hex_encode(r->req.hash, 32, hh);
	snprintf(final, sizeof final, "%s/%s%s", s->in, hh, TZ_BUNDLE_EXT);
	if (fsync(r->fd)) {
		set_answer(r, 503, "error", "%s", tz_tr("the server cannot write to its disk",
							 "服务器无法写入磁盘"));
		goto drop;
	}
	close(r->fd);
	r->fd = -1;
	tz_bundle_info info;
	if (tz_bundle_peek(r->tmp, &info, &err)) {
		set_answer(r, 422, "refused", "%s", err.msg);
		goto drop;
	}
	tz_keyent k;
	tz_status kst = tz_keyring_find(s->db, info.key_id, &k, &err);
	if (kst != TZ_OK && kst != TZ_ENOTFOUND) {
		set_answer(r, 503, "error", "%s", err.msg); /* the keyring is not to be trusted */
		logf_(s, "%s", err.msg);
		goto drop;
	}
	if (kst) {
		char kid[17];
		tz_pubkey_id_hex(info.key_id, kid);
		tz_fail(&err, TZ_EREFUSED,
			"unknown key %s: the server must enrol it first (taizhang keyring add)",
			"未知密钥 %s：服务器须先登记它（taizhang keyring add）", kid);
		set_answer(r, 403, "refused", "%s", err.msg);
		goto drop;
	}
	tz_import_result res;
	if (tz_bundle_import(s->db, r->tmp, s->o->esk, &res, &err)) {
		set_answer(r, tz_status_exit(err.status) == 3 ? 503 : 500, "error", "%s", err.msg);
		goto drop;
	}
	if (res.outcome == TZ_IMPORT_REFUSED) {
		set_answer(r, res.fork ? 409 : 422, "refused", "%s", res.reason);
		goto drop;
	}
	/* accepted: keep it under its hash (an identical earlier copy is simply replaced) */
	if (rename(r->tmp, final) || tz_file_sync_dir(s->in, NULL)) {
		logf_(s, "cannot keep %s in the spool: %s (it is in the database)", hh, strerror(errno));
		unlink(r->tmp);
	}
	r->tmp[0] = '\0';
	if (res.outcome == TZ_IMPORT_PRESENT) {
		set_answer(r, 200, "present", "%s", hh);
		add_receipt(s, r, info.origin);
		return;
	}
	set_answer(r, 201, "applied", "%s new=%zu%s%s%s", hh, res.applied, res.gap ? " gap" : "",
		   res.quarantined ? " quarantined" : "", res.unauthorized ? " unauthorized" : "");
	add_receipt(s, r, info.origin);
	if (res.unauthorized)
		logf_(s, "%s: %zu changes outside what the device may write, held for review", hh,
		      res.unauthorized);
	if (res.reviews)
		logf_(s, "%s: %d put on the review list", hh, res.reviews);
	return;
drop:
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	unlink(r->tmp);
	r->tmp[0] = '\0';
}

/* The key ids enrolled here, for the polling thread's first look at an
 * upload (the worker owns the database; it reads them when idle each
 * second and after every job). */
static void read_kids(server *s)
{
	tz_keyring kr = {0};
	tz_err err = {0};
	if (tz_keyring_from_db(s->db, &kr, &err))
		return; /* keep what we had: the worker checks every upload anyway */
	uint8_t(*v)[8] = kr.n ? malloc(kr.n * sizeof *v) : NULL;
	if (kr.n && !v) {
		tz_keyring_free(&kr);
		return;
	}
	for (size_t i = 0; i < kr.n; i++)
		memcpy(v[i], kr.v[i].key_id, 8);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&s->pmu);
	free(s->kids);
	s->kids = v;
	s->nkids = kr.n;
	s->kids_at = now;
	pthread_mutex_unlock(&s->pmu);
	tz_keyring_free(&kr);
}

static void *worker(void *arg)
{
	server *s = arg;
	read_kids(s);
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->head && !s->stopping) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT && !s->head &&
			    !s->stopping) {
				pthread_mutex_unlock(&s->mu);
				read_kids(s);
				pthread_mutex_lock(&s->mu);
			}
		}
		rq *r = s->head;
		if (!r) {
			s->worker_gone = 1;
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		s->head = r->next;
		if (!s->head)
			s->tail = NULL;
		pthread_mutex_unlock(&s->mu);
		tz_lang_set(r->zh ? TZ_LANG_ZH : TZ_LANG_EN);
		if (r->req.kind == TZ_NET_LIST)
			do_list(s, r);
		else if (r->req.kind == TZ_NET_RECEIPT)
			do_receipt(s, r);
		else
			do_upload(s, r);
		read_kids(s);
		pthread_mutex_lock(&s->mu);
		r->done = 1;
		pthread_mutex_unlock(&s->mu);
		net_mhd.resume_connection(r->con);
	}
}

/* Hand r to the worker and suspend its connection; 0 if the server is stopping. */
static int enqueue(server *s, rq *r)
{
	pthread_mutex_lock(&s->mu);
	if (s->worker_gone || s->stopping) {
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	r->queued = 1;
	r->next = NULL;
	if (s->tail)
		s->tail->next = r;
	else
		s->head = r;
	s->tail = r;
	net_mhd.suspend_connection(r->con);
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 1;
}

/* ---- the polling thread ---- */

typedef struct {
	size_t n, bytes;
} hdr_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	hdr_count *h = cls;
	h->n++;
	h->bytes += strlen(key) + (value ? strlen(value) : 0);
	return MHD_YES;
}

static enum MHD_Result fetch(server *s, rq *r)
{
	char path[4600] = "";
	uint64_t size = 0;
	pthread_mutex_lock(&s->imu);
	for (size_t i = 0; i < s->n; i++)
		if (s->ents[i].e.size && !memcmp(s->ents[i].e.hash, r->req.hash, 32)) {
			snprintf(path, sizeof path, "%s/%s", s->down, s->ents[i].name);
			size = s->ents[i].e.size;
			break;
		}
	pthread_mutex_unlock(&s->imu);
	int fd = path[0] ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) || (uint64_t)sb.st_size != size) {
		if (fd >= 0)
			close(fd);
		return answer(r, 404, "refused",
			      r->zh ? "本服务器没有这个数据包" : "no such bundle on this server");
	}
	struct MHD_Response *resp = net_mhd.create_response_from_fd64(size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	net_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
	r->status = 200;
	snprintf(r->note, sizeof r->note, "sent %llu bytes", (unsigned long long)size);
	enum MHD_Result ret = net_mhd.queue_response(r->con, 200, resp);
	net_mhd.destroy_response(resp);
	return ret;
}

/* The first look at an upload, as soon as its header is in: a header that
 * does not decode, or a key this server has not enrolled, is refused before
 * the body is written or imported (the worker checks everything again).
 * Sets r->early_status and the reason in r->early; 1 if refused. */
static int early_refusal(server *s, rq *r)
{
	tz_bundle_info info;
	tz_err err = {0};
	tz_lang_set(r->zh ? TZ_LANG_ZH : TZ_LANG_EN);
	if (bundle_decode_header(r->head, r->req.length, &info, &err)) {
		r->early_status = 422;
		snprintf(r->early, sizeof r->early, "%.399s", err.msg);
		return 1;
	}
	int known = 0, fresh;
	pthread_mutex_lock(&s->pmu);
	for (size_t i = 0; i < s->nkids && !known; i++)
		known = !memcmp(s->kids[i], info.key_id, 8);
	/* a key enrolled since the list was read is not refused here */
	fresh = s->kids_at.tv_sec > r->start.tv_sec ||
		(s->kids_at.tv_sec == r->start.tv_sec && s->kids_at.tv_nsec > r->start.tv_nsec);
	pthread_mutex_unlock(&s->pmu);
	if (known || !fresh)
		return 0;
	char kid[17];
	tz_pubkey_id_hex(info.key_id, kid);
	tz_fail(&err, TZ_EREFUSED, "unknown key %s: the server must enrol it first (taizhang keyring add)",
		"未知密钥 %s：服务器须先登记它（taizhang keyring add）", kid);
	r->early_status = 403;
	snprintf(r->early, sizeof r->early, "%.399s", err.msg);
	return 1;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	server *s = cls;
	rq *r = *con_cls;
	(void)version;
	if (!r) {
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		*con_cls = r;
		r->srv = s;
		r->con = con;
		r->fd = -1;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		snprintf(r->method, sizeof r->method, "%s", method);
		snprintf(r->path, sizeof r->path, "%s", url);
		__atomic_add_fetch(&s->active, 1, __ATOMIC_SEQ_CST);
		const union MHD_ConnectionInfo *sc =
			net_mhd.get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		if (sc && sc->socket_context) {
			r->conn = sc->socket_context;
			pthread_mutex_lock(&s->pmu);
			r->conn->busy = 1; /* its headers are in */
			pthread_mutex_unlock(&s->pmu);
		}
		const char *lang = net_mhd.lookup_connection_value(con, MHD_HEADER_KIND, "Accept-Language");
		r->zh = !lang || !strncmp(lang, "zh", 2);
		hdr_count hc = {0, 0};
		net_mhd.get_connection_values(con, MHD_HEADER_KIND, count_header, &hc);
		size_t nargs = (size_t)net_mhd.get_connection_values(con, MHD_GET_ARGUMENT_KIND, NULL, NULL);
		tz_net_route(method, url,
			     net_mhd.lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "after"),
			     net_mhd.lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length"),
			     net_mhd.lookup_connection_value(con, MHD_HEADER_KIND, "Transfer-Encoding"),
			     hc.n + nargs, hc.bytes, s->o->max_upload, &r->req);
		if (r->req.status)
			return answer(r, r->req.status, "refused", r->zh ? r->req.zh : r->req.en);
		switch (r->req.kind) {
		case TZ_NET_HEALTH:
			return answer(r, 200, "ok", "taizhang");
		case TZ_NET_FETCH:
			return fetch(s, r);
		case TZ_NET_LIST:
		case TZ_NET_RECEIPT:
			if (!enqueue(s, r))
				return answer(r, 503, "error", r->zh ? "服务器正在停止" : "the server is stopping");
			return MHD_YES;
		case TZ_NET_UPLOAD: {
			/* what uploads in progress may hold in tmp/ together */
			int full;
			pthread_mutex_lock(&s->pmu);
			full = s->o->max_tmp && s->tmp_used + r->req.length > s->o->max_tmp;
			if (!full)
				s->tmp_used += r->reserved = r->req.length;
			pthread_mutex_unlock(&s->pmu);
			if (full)
				return answer(r, 503, "error",
					      r->zh ? "服务器正在接收的上传已达上限，请稍后再试"
						    : "the server is taking as many uploads as it can hold: try again later");
		}
			snprintf(r->tmp, sizeof r->tmp, "%s/up-XXXXXX", s->tmpdir);
			r->fd = mkostemp(r->tmp, O_CLOEXEC);
			if (r->fd < 0) {
				r->tmp[0] = '\0';
				return answer(r, 503, "error",
					      r->zh ? "服务器无法写入磁盘" : "the server cannot write to its disk");
			}
			tz_net_body_init(&r->body, r->req.length);
			return MHD_YES; /* MHD answers "100 Continue" if asked */
		}
		return MHD_NO;
	}
	if (r->queued) {
		int done;
		pthread_mutex_lock(&s->mu);
		done = r->done;
		pthread_mutex_unlock(&s->mu);
		if (!done)
			return MHD_YES;
		if (!r->answer)
			return answer(r, 503, "error", r->zh ? "服务器内存不足" : "the server is out of memory");
		struct MHD_Response *resp =
			net_mhd.create_response_from_buffer(r->answer_len, r->answer, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			return MHD_NO;
		r->answer = NULL;
		net_mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
		enum MHD_Result ret = net_mhd.queue_response(con, (unsigned)r->status, resp);
		net_mhd.destroy_response(resp);
		return ret;
	}
	if (r->req.kind != TZ_NET_UPLOAD || (r->fd < 0 && !r->early[0]))
		return MHD_NO;
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		if (s->o->deadline_s && ms_since(&r->start) > s->o->deadline_s * 1000.0) {
			snprintf(r->note, sizeof r->note, "dropped: slower than %us for the whole upload",
				 s->o->deadline_s);
			return MHD_NO; /* a trickling client: close it */
		}
		if (r->early[0]) {
			/* refused at its first bytes: the rest is let pass, unread
			 * (libmicrohttpd 0.9.75 cannot answer before the body is in) */
			r->in_bytes += n;
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (tz_net_body_feed(&r->body, upload_data, n))
			return MHD_NO;
		if (r->head_len < FIXED_HEADER) {
			size_t k = FIXED_HEADER - r->head_len < n ? FIXED_HEADER - r->head_len : n;
			memcpy(r->head + r->head_len, upload_data, k);
			r->head_len += k;
			if (r->head_len == FIXED_HEADER && early_refusal(s, r)) {
				close(r->fd);
				r->fd = -1;
				unlink(r->tmp);
				r->tmp[0] = '\0';
				pthread_mutex_lock(&s->pmu);
				s->tmp_used -= r->reserved; /* holds nothing in tmp/ any more */
				r->reserved = 0;
				pthread_mutex_unlock(&s->pmu);
				r->in_bytes += n;
				*upload_data_size = 0;
				return MHD_YES;
			}
		}
		for (size_t off = 0; off < n;) {
			ssize_t w = write(r->fd, upload_data + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				snprintf(r->note, sizeof r->note, "dropped: spool write failed: %s",
					 strerror(errno));
				return MHD_NO;
			}
			off += (size_t)w;
		}
		r->in_bytes += n;
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* the whole body is in */
	if (r->early[0])
		return answer(r, r->early_status, "refused", r->early);
	int bad = tz_net_body_done(&r->body, r->req.hash);
	if (bad) {
		close(r->fd);
		r->fd = -1;
		unlink(r->tmp);
		r->tmp[0] = '\0';
		return answer(r, 400, "refused",
			      r->zh ? "内容的哈希与地址中的不符（传输损坏？）"
				    : "the body's hash is not the one in the address (damaged in transit?)");
	}
	if (!enqueue(s, r))
		return answer(r, 503, "error", r->zh ? "服务器正在停止" : "the server is stopping");
	return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	rq *r = *con_cls;
	if (!r)
		return;
	char peer[64] = "-";
	const union MHD_ConnectionInfo *ci =
		net_mhd.get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer,
				  sizeof peer);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  peer, sizeof peer);
	}
	const char *how = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
			  : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? " [timed out]"
			  : toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT   ? " [client went away]"
			  : toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? " [shutdown]"
									 : " [closed]";
	logf_(s, "%s %s %s %d in=%llu %.0fms %s%s", peer, r->method, r->path, r->status,
	      (unsigned long long)r->in_bytes, ms_since(&r->start), r->note[0] ? r->note : "-", how);
	if (r->fd >= 0)
		close(r->fd);
	if (r->tmp[0])
		unlink(r->tmp); /* an interrupted upload leaves nothing behind */
	pthread_mutex_lock(&s->pmu);
	s->tmp_used -= r->reserved;
	if (r->conn) {
		r->conn->busy = 0; /* the next request's headers are timed afresh */
		clock_gettime(CLOCK_MONOTONIC, &r->conn->start);
	}
	pthread_mutex_unlock(&s->pmu);
	free(r->answer);
	free(r);
	*con_cls = NULL;
	__atomic_sub_fetch(&s->active, 1, __ATOMIC_SEQ_CST);
}

static void conn_notify(void *cls, struct MHD_Connection *con, void **socket_context,
			enum MHD_ConnectionNotificationCode code)
{
	server *s = cls;
	conn *c = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (!(c = calloc(1, sizeof *c)))
			return; /* not timed: the idle timeout still holds */
		const union MHD_ConnectionInfo *ci =
			net_mhd.get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci ? ci->connect_fd : -1;
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		pthread_mutex_lock(&s->pmu);
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->pmu);
		*socket_context = c;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		pthread_mutex_lock(&s->pmu);
		if (c->prev)
			c->prev->next = c->next;
		else
			s->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&s->pmu);
		free(c);
		*socket_context = NULL;
	}
}

/* Cut the connections that have taken longer than net.header_seconds to
 * send their request headers (a client trickling header bytes resets the
 * idle timeout with every byte).  The socket is shut down, not closed: the
 * polling thread sees it end and closes it. */
static void sweep(server *s)
{
	int cut = 0;
	if (!s->o->header_s)
		return;
	pthread_mutex_lock(&s->pmu);
	for (conn *c = s->conns; c; c = c->next)
		if (!c->busy && !c->cut && c->fd >= 0 && ms_since(&c->start) > s->o->header_s * 1000.0) {
			shutdown(c->fd, SHUT_RDWR);
			c->cut = 1;
			cut++;
		}
	pthread_mutex_unlock(&s->pmu);
	if (cut)
		logf_(s, "dropped %d connection(s) that sent no request headers within %us", cut,
		      s->o->header_s);
}

/* ---- start and stop ---- */

static tz_status mkdir_p(const char *p, tz_err *err)
{
	if (mkdir(p, 0700) && errno != EEXIST)
		return tz_fail(err, TZ_EIO, "cannot create %s: %s", "无法创建 %s：%s", p, tz_strerror(errno));
	return TZ_OK;
}

static void clear_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[4600];
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
}

tz_status tz_net_serve(tz_db *db, const tz_net_serve_opts *o, tz_err *err)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	tz_status st;
	if (tz_net_parse_listen(o->listen, &ss, &sl))
		return tz_fail(err, TZ_EUSAGE, "--listen takes ADDR:PORT, e.g. 0.0.0.0:8080",
			       "--listen 的格式为 地址:端口，例如 0.0.0.0:8080");
	if ((st = net_mhd_load(err)))
		return st;
	server *s = calloc(1, sizeof *s);
	if (!s)
		return tz_nomem(err);
	s->db = db;
	s->o = o;
	snprintf(s->spool, sizeof s->spool, "%s", o->spool);
	snprintf(s->in, sizeof s->in, "%s/in", o->spool);
	snprintf(s->tmpdir, sizeof s->tmpdir, "%s/tmp", o->spool);
	snprintf(s->down, sizeof s->down, "%s/down", o->spool);
	snprintf(s->idx, sizeof s->idx, "%s/down.idx", o->spool);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->imu, NULL);
	pthread_mutex_init(&s->pmu, NULL);
	if ((st = mkdir_p(s->spool, err)) || (st = mkdir_p(s->in, err)) ||
	    (st = mkdir_p(s->tmpdir, err)) || (st = mkdir_p(s->down, err)))
		goto out;
	clear_tmp(s->tmpdir); /* uploads cut short by a crash: their clients retry */
	if ((st = scan_down(s, 1, err)))
		goto out;

	/* SIGTERM/SIGINT go to sigwait below, not to any thread */
	sigset_t sigs, old;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	pthread_t wt;
	if (pthread_create(&wt, NULL, worker, s)) {
		st = tz_fail(err, TZ_ENOMEM, "cannot start a thread", "无法启动线程");
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		goto out;
	}
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = net_mhd.start_daemon(flags, 0, NULL, NULL, handler, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_conn,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout_s,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 << 10),
				MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				MHD_OPTION_NOTIFY_CONNECTION, conn_notify, s,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->max_per_addr,
				MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				MHD_OPTION_END);
	if (!s->d) {
		st = tz_fail(err, TZ_EIO, "cannot listen on %s (in use, or not this machine's address?)",
			     "无法在 %s 上监听（端口被占用，或不是本机地址？）", o->listen);
		pthread_mutex_lock(&s->mu);
		s->stopping = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(wt, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		goto out;
	}
	const union MHD_DaemonInfo *di = net_mhd.get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	char addr[96], host[64] = "";
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
		snprintf(addr, sizeof addr, "[%s]:%u", host, di ? di->port : 0);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
		snprintf(addr, sizeof addr, "%s:%u", host, di ? di->port : 0);
	}
	logf_(s, "listening on %s, spool %s, up to %u connections, %llu bytes per upload", addr,
	      s->spool, o->max_conn, (unsigned long long)o->max_upload);
	if (o->ready)
		o->ready(o->ctx, addr);

	/* wait for the signal to stop, cutting slow headers once a second */
	int sig;
	for (;;) {
		struct timespec tick = {1, 0};
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig < 0 && errno != EAGAIN && errno != EINTR)
			break;
		sweep(s);
	}
	logf_(s, "signal %d: stopping (finishing queued imports)", sig);
	MHD_socket lfd = net_mhd.quiesce_daemon(s->d); /* no new connections */
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(wt, NULL);
	/* let answers already decided reach their clients (a few seconds at most) */
	for (int i = 0; i < 50 && __atomic_load_n(&s->active, __ATOMIC_SEQ_CST) > 0; i++)
		usleep(100000);
	net_mhd.stop_daemon(s->d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	logf_(s, "stopped");
	st = TZ_OK;
out:
	free(s->ents);
	free(s->kids);
	pthread_mutex_destroy(&s->pmu);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->imu);
	free(s);
	return st;
}
