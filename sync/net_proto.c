/* net_proto.c - the pure parts of the network protocol: request routing
 * and checks, upload bodies, the downward list, addresses.  No sockets:
 * unit-tested (tests/unit/test_net.c) and fuzzed (tests/fuzz/fuzz_net.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/net.h"

static void refuse(tz_net_req *r, int status, const char *en, const char *zh)
{
	r->status = status;
	r->en = en;
	r->zh = zh;
}

/* 64 lower- or upper-case hex digits, nothing else. */
static int parse_hex(const char *s, uint8_t *out, int n)
{
	if (strlen(s) != (size_t)n * 2)
		return -1;
	for (int i = 0; i < n; i++) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char c = s[2 * i + j];
			int d = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10
						       : -1;
			if (d < 0)
				return -1;
			v = v * 16 + d;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int parse_hash(const char *s, uint8_t out[32])
{
	return parse_hex(s, out, 32);
}

/* A decimal number without sign, spaces or leading junk, below 2^63. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s || strlen(s) > 19)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = v;
	return 0;
}

void tz_net_route(const char *method, const char *path, const char *after, const char *clen,
		  const char *te, size_t nheaders, size_t header_bytes, uint64_t max_upload,
		  tz_net_req *r)
{
	memset(r, 0, sizeof *r);
	if (!method || !path) {
		refuse(r, 400, "malformed request", "请求格式错误");
		return;
	}
	if (nheaders > TZ_NET_MAX_HEADERS || header_bytes > TZ_NET_MAX_HEADER_BYTES) {
		refuse(r, 431, "too many or too large request headers", "请求头过多或过大");
		return;
	}
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD"), put = !strcmp(method, "PUT");
	static const char pre[] = "/bundles/";
	if (!strcmp(path, "/health")) {
		if (!get) {
			refuse(r, 405, "only GET here", "此处只接受 GET");
			r->allow = "GET, HEAD";
			return;
		}
		r->kind = TZ_NET_HEALTH;
		return;
	}
	if (!strcmp(path, "/bundles") || !strcmp(path, "/bundles/")) {
		if (!get) {
			refuse(r, 405, "upload with PUT /bundles/<hash>", "请用 PUT /bundles/<哈希> 上传");
			r->allow = "GET, HEAD";
			return;
		}
		r->kind = TZ_NET_LIST;
		if (after && parse_u64(after, &r->after)) {
			refuse(r, 400, "after= takes a number", "after= 需要一个数字");
			return;
		}
		return;
	}
	static const char rpre[] = "/receipts/";
	if (!strncmp(path, rpre, sizeof rpre - 1)) {
		if (parse_hex(path + sizeof rpre - 1, r->device, 16)) {
			refuse(r, 404, "a receipt is addressed by the 32 hex digits of a device id",
			       "回执地址应为设备编号的 32 位十六进制数");
			return;
		}
		if (!get) {
			refuse(r, 405, "only GET here", "此处只接受 GET");
			r->allow = "GET, HEAD";
			return;
		}
		r->kind = TZ_NET_RECEIPT;
		return;
	}
	if (strncmp(path, pre, sizeof pre - 1)) {
		refuse(r, 404, "no such address", "没有这个地址");
		return;
	}
	if (parse_hash(path + sizeof pre - 1, r->hash)) {
		refuse(r, 404, "a bundle is addressed by the 64 hex digits of its hash",
		       "数据包地址应为其哈希的 64 位十六进制数");
		return;
	}
	if (get) {
		r->kind = TZ_NET_FETCH;
		return;
	}
	if (!put) {
		refuse(r, 405, "only GET and PUT here", "此处只接受 GET 和 PUT");
		r->allow = "GET, HEAD, PUT";
		return;
	}
	r->kind = TZ_NET_UPLOAD;
	if (te && *te) {
		refuse(r, 411, "send the bundle with a Content-Length, not chunked",
		       "上传数据包须带 Content-Length，不能分块传输");
		return;
	}
	if (!clen) {
		refuse(r, 411, "Content-Length is required", "需要 Content-Length");
		return;
	}
	if (parse_u64(clen, &r->length)) {
		refuse(r, 400, "malformed Content-Length", "Content-Length 格式错误");
		return;
	}
	if (r->length > max_upload) {
		refuse(r, 413, "the bundle is larger than this server takes",
		       "数据包超过本服务器允许的大小");
		return;
	}
	if (r->length < TZ_BUNDLE_MIN_FILE) {
		refuse(r, 400, "too short to be a bundle", "内容太短，不是数据包");
		return;
	}
}

void tz_net_body_init(tz_net_body *b, uint64_t length)
{
	b->expect = length;
	b->got = 0;
	tz_bundle_hash_init(&b->h);
}

int tz_net_body_feed(tz_net_body *b, const void *p, size_t n)
{
	if (n > b->expect - b->got)
		return -1;
	uint64_t trailer = TZ_BUNDLE_TRAILER_BYTES;
	uint64_t body = b->expect >= trailer ? b->expect - trailer : 0;
	if (b->got < body) {
		uint64_t k = body - b->got < n ? body - b->got : n;
		tz_bundle_hash_update(&b->h, p, (size_t)k);
	}
	b->got += n;
	return 0;
}

int tz_net_body_done(tz_net_body *b, const uint8_t want[32])
{
	uint8_t h[32];
	if (b->got != b->expect)
		return 1;
	tz_bundle_hash_final(&b->h, h);
	return sodium_memcmp(h, want, 32) ? 2 : 0;
}

static void hex(const uint8_t *in, int n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (int i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int tz_net_entry_format(const tz_net_entry *e, char *out, size_t cap)
{
	char h[65], o[33];
	hex(e->hash, 32, h);
	hex(e->origin, 16, o);
	return snprintf(out, cap, "%llu %s %llu %s %llu %llu\n", (unsigned long long)e->n, h,
			(unsigned long long)e->size, o, (unsigned long long)e->first,
			(unsigned long long)e->last);
}

/* Split one line into at most max space-separated words (in place). */
static int words(char *line, char **w, int max)
{
	int n = 0;
	for (char *p = line; *p;) {
		if (n == max)
			return -1;
		w[n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
		if (!*p)
			return -1; /* trailing space */
	}
	return n;
}

int tz_net_list_parse(const char *buf, size_t len, char spool_id[33],
		      int (*cb)(void *ctx, const tz_net_entry *e), void *ctx)
{
	size_t pos = 0;
	int first = 1;
	uint64_t prev = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			return -1; /* every line ends with \n */
		size_t n = (size_t)(nl - (buf + pos));
		char line[256], *w[6];
		if (n >= sizeof line || memchr(buf + pos, '\0', n))
			return -1;
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + 1;
		if (first) {
			/* the list starts as the server's down.idx does */
			if (tz_net_index_head(line, spool_id))
				return -1;
			first = 0;
			continue;
		}
		if (words(line, w, 6) != 6)
			return -1;
		tz_net_entry e;
		uint8_t o32[32];
		if (parse_u64(w[0], &e.n) || parse_hash(w[1], e.hash) || parse_u64(w[2], &e.size) ||
		    strlen(w[3]) != 32 || parse_u64(w[4], &e.first) || parse_u64(w[5], &e.last))
			return -1;
		/* the origin is 32 hex digits: reuse the hash parser on a padded copy */
		char pad[65];
		memcpy(pad, w[3], 32);
		memset(pad + 32, '0', 32);
		pad[64] = '\0';
		if (parse_hash(pad, o32))
			return -1;
		memcpy(e.origin, o32, 16);
		if (e.n <= prev || e.first == 0 || e.last < e.first || e.size < TZ_BUNDLE_MIN_FILE ||
		    e.size > TZ_BUNDLE_MAX_FILE)
			return -1;
		prev = e.n;
		if (cb && cb(ctx, &e))
			return 0;
	}
	return first ? -1 : 0;
}

int tz_net_name_ok(const char *d)
{
	size_t l = strlen(d);
	return d[0] != '.' && l > 4 && l <= TZ_NET_NAME_MAX && !strcmp(d + l - 4, TZ_BUNDLE_EXT) &&
	       !strpbrk(d, " \n\r\t/");
}

int tz_net_index_head(const char *line, char spool_id[33])
{
	static const char m[] = TZ_NET_LIST_MAGIC " ";
	const char *id = line + sizeof m - 1;
	if (strncmp(line, m, sizeof m - 1) || strlen(id) != 32 ||
	    strspn(id, "0123456789abcdef") != 32)
		return -1;
	memcpy(spool_id, id, 33);
	return 0;
}

int tz_net_index_line(const char *line, uint64_t *n, char name[TZ_NET_NAME_MAX + 1])
{
	const char *sp = strchr(line, ' ');
	if (!sp || sp == line || (size_t)(sp - line) > 20 || strlen(sp + 1) > TZ_NET_NAME_MAX)
		return -1;
	char num[21];
	memcpy(num, line, (size_t)(sp - line));
	num[sp - line] = '\0';
	if (parse_u64(num, n) || *n == 0 || !tz_net_name_ok(sp + 1))
		return -1;
	strcpy(name, sp + 1);
	return 0;
}

int tz_net_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon;
	memset(ss, 0, sizeof *ss);
	if (!s)
		return -1;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			return -1;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof host || strchr(s, ':') != colon)
			return -1;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	uint64_t port;
	if (parse_u64(colon + 1, &port) || port > 65535)
		return -1;
	if (s[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -1;
		*len = sizeof *a;
		return 0;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &a->sin_addr) != 1)
		return -1;
	*len = sizeof *a;
	return 0;
}

tz_status tz_net_url_check(const char *url, tz_err *err)
{
	size_t n = url ? strlen(url) : 0;
	int https = n > 8 && !strncmp(url, "https://", 8);
	if (!n || n > TZ_NET_MAX_URL - 80 || (!https && (n <= 7 || strncmp(url, "http://", 7))))
		return tz_fail(err, TZ_EUSAGE, "a server address looks like http://HOST:PORT",
			       "服务器地址应形如 http://主机:端口");
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '?' || *p == '#' || *p == '"' ||
		    *p == '\\')
			return tz_fail(err, TZ_EUSAGE,
				       "the server address may not hold spaces, ?, # or quotes",
				       "服务器地址不能含空格、?、# 或引号");
	return TZ_OK;
}

void tz_net_dirs(const char *db_path, char outbox[4096], char spool[4096])
{
	snprintf(outbox, 4096, "%s.outbox", db_path);
	snprintf(spool, 4096, "%s.spool", db_path);
}
