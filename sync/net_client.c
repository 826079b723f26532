/* push.c - `taizhang push` and `taizhang pull`: the client side of
 * docs/network.md, over libcurl (which honours http_proxy, https_proxy and
 * no_proxy from the environment).
 *
 * push: new changes are exported into the outbox folder first (the same
 * export as for a USB stick: temp file, fsync, rename, read back), so a
 * bundle is written once and stays there until the server has answered
 * "applied" or "present"; a cut connection or a server restart leaves it
 * in the outbox and the next push sends it again.  The server files an
 * upload under its hash only when all of it arrived and checked out, so
 * sending twice is harmless.
 * pull: the server's downward list after the last position seen; each
 * bundle not held yet is downloaded to a temporary file and imported.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/db_sql.h"
#include "net_lib.h"
#include "taizhang/buf.h"
#include "taizhang/bundle.h"
#include "taizhang/net.h"

#define ANSWER_MAX (1u << 20)  /* an answer line */
#define LIST_MAX (32u << 20)   /* a downward list */

typedef struct {
	char *buf;
	size_t len, max;
	int over;
} membuf;

static size_t to_mem(char *p, size_t sz, size_t nm, void *ctx)
{
	membuf *m = ctx;
	size_t n = sz * nm;
	if (m->len + n > m->max) {
		m->over = 1;
		return 0;
	}
	char *nb = realloc(m->buf, m->len + n + 1);
	if (!nb)
		return 0;
	m->buf = nb;
	memcpy(m->buf + m->len, p, n);
	m->len += n;
	m->buf[m->len] = '\0';
	return n;
}

typedef struct {
	int fd;
	uint64_t got, max;
	int over;
} filebuf;

static size_t to_file(char *p, size_t sz, size_t nm, void *ctx)
{
	filebuf *f = ctx;
	size_t n = sz * nm;
	if (f->got + n > f->max) {
		f->over = 1;
		return 0;
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(f->fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		off += (size_t)w;
	}
	f->got += n;
	return n;
}

/* A transfer's progress, for the caller's o->progress. */
typedef struct {
	const tz_net_opts *o;
	const char *label;
} progress;

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	progress *p = ctx;
	curl_off_t total = ultotal ? ultotal : dltotal, now = ultotal ? ulnow : dlnow;
	if (p->o->progress && total >= 0 && now >= 0)
		p->o->progress(p->o->ctx, p->label, (uint64_t)now, (uint64_t)total, 0);
	return 0;
}

static void progress_end(progress *p)
{
	if (p->o->progress)
		p->o->progress(p->o->ctx, p->label, 0, 0, 1);
}

/* Run a transfer set up on c, then let c and its headers go: the status
 * libcurl reports, the HTTP status in *code (0 when none came). */
static CURLcode perform(CURL *c, struct curl_slist *h, progress *pr, long *code)
{
	CURLcode cc = net_curl.easy_perform(c);
	*code = 0;
	net_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	progress_end(pr);
	net_curl.easy_cleanup(c);
	net_curl.slist_free_all(h);
	return cc;
}

static int curl_ready;

static CURL *client(const tz_net_opts *o, struct curl_slist **hdrs, char errbuf[CURL_ERROR_SIZE],
		    progress *pr)
{
	(void)o;
	if (!curl_ready) {
		if (net_curl.global_init(CURL_GLOBAL_DEFAULT))
			return NULL;
		curl_ready = 1;
	}
	CURL *c = net_curl.easy_init();
	if (!c)
		return NULL;
	*hdrs = net_curl.slist_append(NULL, tz_lang_get() == TZ_LANG_ZH ? "Accept-Language: zh"
								   : "Accept-Language: en");
	net_curl.easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	net_curl.easy_setopt(c, CURLOPT_USERAGENT, "taizhang");
	net_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	net_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	net_curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	/* a link slower than 100 bytes/s for a minute is dead: retry later */
	net_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 100L);
	net_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	net_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	net_curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	net_curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	net_curl.easy_setopt(c, CURLOPT_XFERINFODATA, pr);
	errbuf[0] = '\0';
	return c;
}

/* The first line of a server answer, without the leading word. */
static const char *answer_text(const membuf *m, char out[600])
{
	const char *b = m->buf ? m->buf : "";
	size_t n = strcspn(b, "\n");
	if (n >= 600)
		n = 599;
	memcpy(out, b, n);
	out[n] = '\0';
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	char *sp = strchr(out, ' ');
	return sp ? sp + 1 : out;
}

/* The address libcurl could not connect to -- the server's, or a proxy's
 * -- from its message "Failed to connect to HOST port N ...": "HOST:N",
 * or "" when the message has another form. */
static const char *failed_address(const char *errbuf, char out[160])
{
	const char *p = strstr(errbuf, "connect to "), *q;
	unsigned port;
	out[0] = '\0';
	if (!p)
		return out;
	p += strlen("connect to ");
	if (!(q = strstr(p, " port ")) || q - p >= 120 || sscanf(q, " port %u", &port) != 1)
		return out;
	if (memchr(p, ':', (size_t)(q - p))) /* IPv6: [::1]:8080 */
		snprintf(out, 160, "[%.*s]:%u", (int)(q - p), p, port);
	else
		snprintf(out, 160, "%.*s:%u", (int)(q - p), p, port);
	return out;
}

/* Why a transfer failed, in the user's language for what a village PC
 * meets (no network, server down or slow); libcurl's own text otherwise. */
static const char *net_reason(CURLcode cc, const char *errbuf)
{
	static _Thread_local char line[300];
	char addr[160];
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return tz_tr("the server's name is not known (no network, or a typing mistake in the"
			     " address?)",
			     "找不到服务器名称（没有联网，或地址写错了？）");
	case CURLE_COULDNT_RESOLVE_PROXY:
		return tz_tr("the proxy's name is not known (check http_proxy)",
			     "找不到代理服务器名称（请检查 http_proxy）");
	case CURLE_COULDNT_CONNECT:
		if (!failed_address(errbuf, addr)[0])
			return tz_tr("the server does not answer (not running, or no route to it)",
				     "服务器没有响应（未运行，或网络不通）");
		if (tz_lang_get() == TZ_LANG_ZH)
			snprintf(line, sizeof line, "%s 没有响应（服务器或代理未运行，或网络不通）", addr);
		else
			snprintf(line, sizeof line,
				 "nothing answers at %s (server or proxy not running, or no route to it)",
				 addr);
		return line;
	case CURLE_OPERATION_TIMEDOUT:
		return tz_tr("the connection timed out (the link is too slow or was cut)",
			     "连接超时（网络太慢或已中断）");
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return tz_tr("the connection broke off: try again", "连接中断，请重试");
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
		return tz_tr("the server's certificate was not accepted (HTTPS)",
			     "服务器证书未通过验证（HTTPS）");
	default:
		return errbuf[0] ? errbuf : net_curl.easy_strerror(cc);
	}
}

static tz_status net_fail(tz_err *err, const char *url, CURLcode cc, const char *errbuf)
{
	return tz_fail(err, TZ_EIO, "cannot reach %s: %s", "无法连接 %s：%s", url,
		       net_reason(cc, errbuf));
}

static void say(const tz_net_opts *o, const char *what, const char *name, const char *detail)
{
	if (o->line)
		o->line(o->ctx, what, name, detail);
}

/* ---- push ---- */

typedef struct {
	const tz_net_opts *o;
} linkctx;

static int link_down(void *ctx, const char *path)
{
	const tz_net_opts *o = ctx;
	const char *base = strrchr(path, '/');
	if (o->down && base) {
		char dst[4400];
		snprintf(dst, sizeof dst, "%s%s", o->down, base);
		if (link(path, dst) && errno != EEXIST) {
			/* the server's own export picks it up otherwise; nothing lost */
		}
	}
	say(o, "exported", base ? base + 1 : path, "");
	return 0;
}

/* Every *.tzb of dir (not hidden), in chain order. */
static int list_bundles(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	int n = 0;
	struct dirent *de;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, TZ_BUNDLE_EXT))
			continue;
		char **nv = realloc(v, (size_t)(n + 1) * sizeof *v);
		if (!nv)
			break;
		v = nv;
		if (asprintf(&v[n], "%s/%s", dir, de->d_name) >= 0)
			n++;
	}
	closedir(d);
	tz_bundle_sort(v, n);
	*out = v;
	return n;
}

static void join_url(char *out, size_t cap, const char *base, const char *suffix)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	snprintf(out, cap, "%.*s%s", (int)n, base, suffix);
}

/* The receipt after an answer's first line: checked and kept (receipt.h);
 * then the outbox bundles it covers go.  *ok 1 if it checked out.
 * *held (may be NULL): what the server signed that it holds of this PC's
 * changes, also when that is less than it said before (a server restored
 * from a backup: the receipt is not kept, but push sends the rest again);
 * -1 when no signed word came. */
static tz_status take_receipt(tz_db *db, const tz_net_opts *o, const char *text, size_t len,
			      tz_net_stats *st, int *ok, int64_t *held, tz_err *err)
{
	tz_receipt r;
	tz_receipt_outcome oc;
	char reason[TZ_ERR_MAX];
	tz_status s;
	*ok = 0;
	if (held)
		*held = -1;
	if (!len)
		return TZ_OK;
	if ((s = tz_receipt_take(db, text, len, &r, &oc, reason, err)))
		return s;
	int own = !memcmp(r.device, tz_db_origin(db), 16);
	if (oc == TZ_RECEIPT_STALE) {
		if (held && own)
			*held = (int64_t)r.seq;
		say(o, "behind", "receipt", reason);
		return TZ_OK;
	}
	if (oc == TZ_RECEIPT_REFUSED) {
		st->receipt_refused++;
		say(o, "refused", "receipt", reason);
		return TZ_OK;
	}
	if (oc == TZ_RECEIPT_OTHER)
		return TZ_OK;
	*ok = 1;
	if (held && own)
		*held = (int64_t)r.seq;
	int n = 0;
	if ((s = tz_receipt_prune(db, o->outbox, &n, err)))
		return s;
	st->pruned += n;
	return TZ_OK;
}

/* Upload one file.  0: the server has it and signed for it (removed from
 * the outbox); 1: refused (kept); an error status: network or server
 * trouble.  A 200/201 without a receipt that covers it leaves the file in
 * the outbox: nothing is forgotten on an unsigned word. */
static tz_status put_one(tz_db *db, const tz_net_opts *o, const char *path, tz_net_stats *st,
			 int *refused, tz_err *err)
{
	const char *name = strrchr(path, '/') + 1;
	struct stat sb;
	uint8_t hash[32];
	char hh[65], url[TZ_NET_MAX_URL + 128], line[600];
	tz_err herr;
	*refused = 0;
	if (stat(path, &sb) || (uint64_t)sb.st_size < TZ_BUNDLE_MIN_FILE ||
	    tz_bundle_body_hash(path, (uint64_t)sb.st_size, hash, &herr))
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path,
			       errno ? tz_strerror(errno) : tz_tr("too short", "太短"));
	tz_hex_encode(hash, 32, hh);
	char suffix[80];
	snprintf(suffix, sizeof suffix, "/bundles/%s", hh);
	join_url(url, sizeof url, o->url, suffix);
	for (unsigned attempt = 0;; attempt++) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path,
				       tz_strerror(errno));
		struct curl_slist *h = NULL;
		char eb[CURL_ERROR_SIZE];
		progress pr = {o, name};
		membuf m = {NULL, 0, ANSWER_MAX, 0};
		CURL *c = client(o, &h, eb, &pr);
		if (!c) {
			fclose(f);
			return tz_nomem(err);
		}
		net_curl.easy_setopt(c, CURLOPT_URL, url);
		net_curl.easy_setopt(c, CURLOPT_UPLOAD, 1L);
		net_curl.easy_setopt(c, CURLOPT_READDATA, f);
		net_curl.easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)sb.st_size);
		net_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_mem);
		net_curl.easy_setopt(c, CURLOPT_WRITEDATA, &m);
		long code;
		CURLcode cc = perform(c, h, &pr, &code);
		fclose(f);
		const char *text = answer_text(&m, line);
		int transient = cc != CURLE_OK || code >= 500 || code == 408 || code == 429;
		if (transient && attempt < o->retries) {
			free(m.buf);
			sleep(1u << (attempt < 4 ? attempt : 4));
			continue;
		}
		tz_status s = TZ_OK;
		if (cc != CURLE_OK)
			s = net_fail(err, url, cc, eb);
		else if (transient)
			s = tz_fail(err, TZ_EIO, "%s: the server could not take it (%ld): %s",
				    "%s：服务器暂时无法接收（%ld）：%s", name, code, text);
		else if (code == 200 || code == 201) {
			const char *nl = m.buf ? memchr(m.buf, '\n', m.len) : NULL;
			int ok = 0;
			if (code == 200)
				st->present++;
			else
				st->sent++;
			st->bytes += (uint64_t)sb.st_size;
			say(o, code == 201 ? "applied" : "present", name, text);
			if (nl)
				s = take_receipt(db, o, nl + 1, m.len - (size_t)(nl + 1 - m.buf), st, &ok,
						 NULL, err);
			if (!s && access(path, F_OK) == 0) {
				st->unconfirmed++;
				say(o, "kept", name,
				    ok ? tz_tr("the server's receipt does not reach this bundle yet (earlier"
					       " changes missing there): kept in the outbox",
					       "服务器的回执尚未覆盖此数据包（服务器缺少更早的变更），保留在发件箱")
				       : tz_tr("the server signed no receipt for it: kept in the outbox",
					       "服务器未为它签发回执，保留在发件箱"));
			}
		} else {
			*refused = 1;
			st->refused++;
			say(o, "refused", name, text);
		}
		free(m.buf);
		return s;
	}
}

/* GET /receipts/<this device>: what the server signs it holds of this
 * PC's changes, checked and kept; the outbox bundles it covers go.  A
 * server that holds nothing (404) is no error.  *held: what the server
 * signed it holds (0 after a 404), -1 when it gave no signed word. */
static tz_status get_receipt(tz_db *db, const tz_net_opts *o, tz_net_stats *st, int64_t *held,
			     tz_err *err)
{
	*held = -1;
	char url[TZ_NET_MAX_URL + 128], suffix[80], dev[33];
	tz_hex_encode(tz_db_origin(db), 16, dev);
	snprintf(suffix, sizeof suffix, "/receipts/%s", dev);
	join_url(url, sizeof url, o->url, suffix);
	for (unsigned attempt = 0;; attempt++) {
		struct curl_slist *h = NULL;
		char eb[CURL_ERROR_SIZE], line[600];
		progress pr = {o, "receipt"};
		membuf m = {NULL, 0, TZ_RECEIPT_MAX, 0};
		CURL *c = client(o, &h, eb, &pr);
		if (!c)
			return tz_nomem(err);
		net_curl.easy_setopt(c, CURLOPT_URL, url);
		net_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_mem);
		net_curl.easy_setopt(c, CURLOPT_WRITEDATA, &m);
		long code;
		CURLcode cc = perform(c, h, &pr, &code);
		int transient = (cc != CURLE_OK && !m.over) || code >= 500;
		if (transient && attempt < o->retries) {
			free(m.buf);
			sleep(1u << (attempt < 4 ? attempt : 4));
			continue;
		}
		tz_status s = TZ_OK;
		int ok = 0;
		if (m.over) {
			st->receipt_refused++;
			say(o, "refused", "receipt", tz_tr("the server's receipt is too long",
							   "服务器的回执过长"));
		} else if (cc != CURLE_OK)
			s = net_fail(err, url, cc, eb);
		else if (code == 200)
			s = take_receipt(db, o, m.buf ? m.buf : "", m.len, st, &ok, held, err);
		else if (code == 404) {
			/* "none": it holds nothing of this PC's; any other 404 is a
			 * server without receipts, which says nothing at all */
			if (m.buf && !strncmp(m.buf, "none ", 5))
				*held = 0;
		}
		else if (code != 501) /* 501: a server that signs nothing */
			s = tz_fail(err, code >= 500 ? TZ_EIO : TZ_EREFUSED, "%s: %ld %s", "%s：%ld %s", url,
				    code, answer_text(&m, line));
		free(m.buf);
		return s;
	}
}

/* After a push or a pull: what the server holds, as this PC last heard
 * it signed. */
static void best_receipt(tz_db *db, tz_net_stats *st)
{
	st->have_receipt = tz_receipt_best(db, tz_db_origin(db), &st->receipt);
}

/* The first of this PC's exported changes from `from` on that no bundle
 * in the outbox carries (0: all there). */
static uint64_t outbox_gap(tz_db *db, const char *outbox, uint64_t from)
{
	uint64_t done = tz_bundle_exported(db);
	char **files;
	int nf = list_bundles(outbox, &files); /* in chain order */
	for (int i = 0; i < nf; i++) {
		tz_bundle_info info;
		tz_err e;
		if (tz_bundle_peek(files[i], &info, &e) == TZ_OK &&
		    !memcmp(info.origin, tz_db_origin(db), 16) && info.first_seq <= from &&
		    info.last_seq >= from)
			from = info.last_seq + 1;
		free(files[i]);
	}
	if (nf > 0)
		free(files);
	return from <= done ? from : 0;
}

tz_status tz_net_push(tz_db *db, const tz_net_opts *o, tz_net_stats *st, tz_err *err)
{
	tz_status s;
	memset(st, 0, sizeof *st);
	if ((s = tz_net_url_check(o->url, err)) || (s = net_curl_load(err)))
		return s;
	if (mkdir(o->outbox, 0700) && errno != EEXIST)
		return tz_fail(err, TZ_EIO, "cannot create %s: %s", "无法创建 %s：%s", o->outbox,
			       tz_strerror(errno));
	int n = 0;
	if (o->sk && (s = tz_bundle_export(db, o->sk, o->outbox, o->max_bytes, link_down, (void *)o,
					   &n, err)))
		return s;
	if (tz_db_role(db) != TZ_ROLE_VILLAGE && (s = tz_bundle_forward(db, o->outbox, NULL, NULL, &n, err)))
		return s;
	/* what the server holds: one small question.  What it lacks of the
	 * changes exported (a stick that never arrived, a server restored
	 * from an old backup) is written again from the bundles as first cut;
	 * what it holds leaves the outbox */
	int64_t held = -1;
	if ((s = get_receipt(db, o, st, &held, err)))
		return s;
	uint64_t from = o->again, gap = held >= 0 ? outbox_gap(db, o->outbox, (uint64_t)held + 1) : 0;
	if (gap && (!from || from > gap))
		from = gap;
	if (from && o->sk && (s = tz_bundle_reexport(db, o->sk, o->outbox, from, NULL, NULL, &n, err)))
		return s;
	char **files;
	int nf = list_bundles(o->outbox, &files);
	if (nf < 0)
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", o->outbox,
			       tz_strerror(errno));
	s = TZ_OK;
	for (int i = 0; i < nf; i++) {
		int refused;
		/* a receipt for an earlier file may have covered this one */
		if (!s && access(files[i], F_OK) == 0)
			s = put_one(db, o, files[i], st, &refused, err);
		free(files[i]);
	}
	free(files);
	best_receipt(db, st);
	return s;
}

/* ---- pull ---- */

typedef struct {
	tz_net_entry *v;
	size_t n, cap;
} entries;

static int collect(void *ctx, const tz_net_entry *e)
{
	entries *es = ctx;
	tz_net_entry *v = tz_buf_grow(es->v, es->n, &es->cap, sizeof *v);
	if (!v)
		return 1;
	es->v = v;
	es->v[es->n++] = *e;
	return 0;
}

static int held(tz_db *db, const uint8_t hash[32])
{
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT 1 FROM bundle WHERE hash=?1 AND status='applied'");
	if (!q)
		return 0;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	int r = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	return r;
}

static tz_status get_list(const tz_net_opts *o, uint64_t after, membuf *m, tz_err *err)
{
	char url[TZ_NET_MAX_URL + 64], suffix[64];
	snprintf(suffix, sizeof suffix, "/bundles?after=%llu", (unsigned long long)after);
	join_url(url, sizeof url, o->url, suffix);
	for (unsigned attempt = 0;; attempt++) {
		struct curl_slist *h = NULL;
		char eb[CURL_ERROR_SIZE], line[600];
		progress pr = {o, "list"};
		CURL *c = client(o, &h, eb, &pr);
		if (!c)
			return tz_nomem(err);
		m->len = 0;
		m->over = 0;
		net_curl.easy_setopt(c, CURLOPT_URL, url);
		net_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_mem);
		net_curl.easy_setopt(c, CURLOPT_WRITEDATA, m);
		long code;
		CURLcode cc = perform(c, h, &pr, &code);
		int transient = (cc != CURLE_OK && !m->over) || code >= 500;
		if (transient && attempt < o->retries) {
			sleep(1u << (attempt < 4 ? attempt : 4));
			continue;
		}
		if (m->over)
			return tz_fail(err, TZ_EREFUSED, "%s: the list is too long", "%s：列表过长", url);
		if (cc != CURLE_OK)
			return net_fail(err, url, cc, eb);
		if (code != 200)
			return tz_fail(err, code >= 500 ? TZ_EIO : TZ_EREFUSED, "%s: %ld %s",
				       "%s：%ld %s", url, code, answer_text(m, line));
		return TZ_OK;
	}
}

static tz_status fetch_one(const tz_net_opts *o, const tz_net_entry *e, const char *tmp, int fd,
			   tz_err *err)
{
	char url[TZ_NET_MAX_URL + 128], suffix[80], hh[65];
	tz_hex_encode(e->hash, 32, hh);
	snprintf(suffix, sizeof suffix, "/bundles/%s", hh);
	join_url(url, sizeof url, o->url, suffix);
	for (unsigned attempt = 0;; attempt++) {
		struct curl_slist *h = NULL;
		char eb[CURL_ERROR_SIZE];
		progress pr = {o, hh};
		filebuf fb = {fd, 0, e->size, 0};
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
			return tz_fail(err, TZ_EIO, "cannot write %s: %s", "无法写入 %s：%s", tmp,
				       tz_strerror(errno));
		CURL *c = client(o, &h, eb, &pr);
		if (!c)
			return tz_nomem(err);
		net_curl.easy_setopt(c, CURLOPT_URL, url);
		net_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_file);
		net_curl.easy_setopt(c, CURLOPT_WRITEDATA, &fb);
		net_curl.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
		long code;
		CURLcode cc = perform(c, h, &pr, &code);
		int transient = (cc != CURLE_OK && !fb.over && (code == 0 || code >= 500));
		if (transient && attempt < o->retries) {
			sleep(1u << (attempt < 4 ? attempt : 4));
			continue;
		}
		if (fb.over)
			return tz_fail(err, TZ_EREFUSED, "%s: larger than the list said", "%s：比列表所说的大",
				       url);
		if (cc != CURLE_OK)
			return code >= 400 && code < 500
				       ? tz_fail(err, TZ_EREFUSED, "%s: %ld", "%s：%ld", url, code)
				       : net_fail(err, url, cc, eb);
		if (fsync(fd))
			return tz_fail(err, TZ_EIO, "cannot write %s: %s", "无法写入 %s：%s", tmp,
				       tz_strerror(errno));
		return TZ_OK;
	}
}

tz_status tz_net_pull(tz_db *db, const tz_net_opts *o, tz_net_stats *st, tz_err *err)
{
	tz_status s;
	memset(st, 0, sizeof *st);
	if ((s = tz_net_url_check(o->url, err)) || (s = net_curl_load(err)))
		return s;
	size_t released = 0;
	if ((s = tz_bundle_quarantine_release(db, &released, err)))
		return s;
	/* the position in this server's list; "<spool id> <n>" */
	char *cur = tz_db_meta_get(db, "pull_cursor"), sid[33] = "", got_id[33];
	unsigned long long after = 0;
	if (cur && sscanf(cur, "%32s %llu", sid, &after) != 2)
		after = 0;
	free(cur);
	membuf m = {NULL, 0, LIST_MAX, 0};
	entries es = {0};
	if ((s = get_list(o, after, &m, err)))
		goto out;
	if (tz_net_list_parse(m.buf ? m.buf : "", m.len, got_id, NULL, NULL)) {
		s = tz_fail(err, TZ_EREFUSED, "%s does not answer like a taizhang server",
			    "%s 的应答不像台账服务器", o->url);
		goto out;
	}
	if (strcmp(got_id, sid) && after) {
		/* another server, or its spool was renewed: start from its beginning */
		after = 0;
		if ((s = get_list(o, 0, &m, err)))
			goto out;
	}
	if (tz_net_list_parse(m.buf, m.len, got_id, collect, &es)) {
		s = tz_fail(err, TZ_EREFUSED, "%s does not answer like a taizhang server",
			    "%s 的应答不像台账服务器", o->url);
		goto out;
	}
	if (mkdir(o->outbox, 0700) && errno != EEXIST) {
		s = tz_fail(err, TZ_EIO, "cannot create %s: %s", "无法创建 %s：%s", o->outbox,
			    tz_strerror(errno));
		goto out;
	}
	/* downloads a killed pull left behind */
	DIR *od = opendir(o->outbox);
	struct dirent *de;
	while (od && (de = readdir(od)))
		if (!strncmp(de->d_name, ".pull-", 6)) {
			char stale[4400];
			snprintf(stale, sizeof stale, "%s/%s", o->outbox, de->d_name);
			unlink(stale);
		}
	if (od)
		closedir(od);
	uint64_t cursor = after;
	int blocked = 0;
	for (size_t i = 0; i < es.n && !s; i++) {
		const tz_net_entry *e = &es.v[i];
		char hh[65], tmp[4200];
		tz_hex_encode(e->hash, 32, hh);
		if (held(db, e->hash)) {
			if (!blocked)
				cursor = e->n;
			continue;
		}
		snprintf(tmp, sizeof tmp, "%s/.pull-XXXXXX", o->outbox);
		int fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			s = tz_fail(err, TZ_EIO, "cannot write in %s: %s", "无法在 %s 中写入：%s", o->outbox,
				    tz_strerror(errno));
			break;
		}
		s = fetch_one(o, e, tmp, fd, err);
		close(fd);
		if (!s) {
			tz_import_result res;
			s = tz_bundle_import(db, tmp, o->esk, &res, err);
			if (!s) {
				st->fetched++;
				st->bytes += e->size;
				char name[128], detail[TZ_ERR_MAX + 64];
				tz_bundle_name(&res.info, name);
				if (res.outcome == TZ_IMPORT_REFUSED) {
					st->pulled_refused++;
					blocked = 1;
					say(o, "refused", hh, res.reason);
				} else {
					st->applied += res.outcome == TZ_IMPORT_APPLIED;
					snprintf(detail, sizeof detail, "new=%zu%s%s", res.applied,
						 res.gap ? " gap" : "",
						 res.unauthorized ? " unauthorized" : "");
					say(o, res.outcome == TZ_IMPORT_APPLIED ? "applied" : "present",
					    name, detail);
					if (!blocked)
						cursor = e->n;
				}
			}
		}
		unlink(tmp);
	}
	if (cursor != after || strcmp(got_id, sid)) {
		char v[80];
		tz_err e2;
		snprintf(v, sizeof v, "%s %llu", got_id, (unsigned long long)cursor);
		tz_db_meta_put(db, "pull_cursor", v, -1, 0, &e2);
	}
	int64_t held;
	if (!s)
		s = get_receipt(db, o, st, &held, err);
	best_receipt(db, st);
out:
	free(m.buf);
	free(es.v);
	return s;
}
