/* fuzz_net.c - the server's request handling without sockets
 * (sync/net_proto.c): routing and header checks, the upload body counter
 * and hasher, the downward list a village parses, listen addresses and
 * server URLs.
 *
 * The first byte picks the part; the rest is split at '\n' into fields:
 *   0  route:  method, path, after, Content-Length, Transfer-Encoding
 *             (a field "-" stands for an absent one); two more bytes give the
 *             header count and size
 *   1  list:   the whole rest is a list answer
 *   2  body:   first line the declared length, the rest fed in pieces
 *   3  addr:   first line a listen address, second a URL
 *   4  index:  the rest is a down.idx (the server's own file, which anyone
 *             with the folder may have written), parsed line by line
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/net.h"

static int count(void *ctx, const tz_net_entry *e)
{
	size_t *n = ctx;
	if (e->last < e->first || e->n == 0)
		abort(); /* the parser promised otherwise */
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	static int init;
	if (!init) {
		if (sodium_init() < 0)
			abort();
		init = 1;
	}
	int mode = data[0] % 5;
	char *buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	size_t len = size - 1;
	char *f[6] = {0};
	int nf = 0;
	if (mode != 1 && mode != 4) {
		char *p = buf;
		while (nf < 6) {
			f[nf++] = p;
			char *nl = memchr(p, '\n', len - (size_t)(p - buf));
			if (!nl)
				break;
			*nl = '\0';
			p = nl + 1;
		}
	}
	switch (mode) {
	case 0: {
		const char *v[5];
		for (int i = 0; i < 5; i++)
			v[i] = i < nf && strcmp(f[i], "-") ? f[i] : NULL;
		size_t nh = nf > 5 ? (unsigned char)f[5][0] : 2, hb = nf > 5 && f[5][0] ? (unsigned char)f[5][1] * 64u : 100;
		tz_net_req r;
		tz_net_route(v[0], v[1], v[2], v[3], v[4], nh, hb, 65ull << 20, &r);
		if (r.status) {
			if (r.status < 400 || r.status > 499 || !r.en || !r.zh || strchr(r.en, '\n'))
				abort();
		} else if (r.kind == TZ_NET_UPLOAD &&
			   (r.length > (65ull << 20) || r.length < TZ_BUNDLE_MIN_FILE || !v[3] ||
			    strcmp(v[0], "PUT"))) {
			abort(); /* an upload the checks should have refused */
		}
		break;
	}
	case 1: {
		char id[33];
		size_t n = 0;
		if (tz_net_list_parse(buf, len, id, count, &n) == 0 && strlen(id) != 32)
			abort();
		break;
	}
	case 2: {
		uint64_t declared = strtoull(f[0], NULL, 10) % (1u << 20);
		tz_net_body b;
		uint8_t want[32] = {0};
		tz_net_body_init(&b, declared);
		const uint8_t *p = data + 1;
		size_t left = size - 1, fed = 0;
		while (left) {
			size_t k = (p[0] % 64) + 1;
			if (k > left)
				k = left;
			if (tz_net_body_feed(&b, p, k))
				break;
			fed += k;
			p += k;
			left -= k;
		}
		if (fed > declared)
			abort();
		int d = tz_net_body_done(&b, want);
		if ((fed == declared) != (d != 1))
			abort();
		break;
	}
	case 4: {
		char id[33], name[TZ_NET_NAME_MAX + 1];
		uint64_t n;
		int first = 1;
		for (char *p = buf, *nl; p < buf + len; p = nl + 1) {
			nl = memchr(p, '\n', len - (size_t)(p - buf));
			if (!nl)
				nl = buf + len;
			*nl = '\0';
			if (first) {
				if (!tz_net_index_head(p, id) && strlen(id) != 32)
					abort();
				first = 0;
			} else if (!tz_net_index_line(p, &n, name) &&
				   (!n || !tz_net_name_ok(name) || strlen(name) > TZ_NET_NAME_MAX))
				abort(); /* the parser promised otherwise */
		}
		break;
	}
	case 3: {
		struct sockaddr_storage ss;
		socklen_t sl;
		tz_err err;
		tz_net_parse_listen(f[0], &ss, &sl);
		if (nf > 1)
			tz_net_url_check(f[1], &err);
		break;
	}
	}
	free(buf);
	return 0;
}
