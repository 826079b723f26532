/* test_net.c - the pure parts of the network protocol (sync/net_proto.c):
 * routing and request checks, upload bodies, the downward list, addresses. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>

#include "taizhang/net.h"
#include "tz_test.h"

#define H64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define MAXUP (65ull << 20)

static tz_net_req route(const char *m, const char *p, const char *after, const char *clen)
{
	tz_net_req r;
	tz_net_route(m, p, after, clen, NULL, 3, 100, MAXUP, &r);
	return r;
}

TEST(routes)
{
	tz_net_req r = route("PUT", "/bundles/" H64, NULL, "5000");
	CHECK_INT(r.status, 0);
	CHECK_INT(r.kind, TZ_NET_UPLOAD);
	CHECK_INT(r.length, 5000);
	CHECK_INT(r.hash[0], 0x00);
	CHECK_INT(r.hash[1], 0x11);
	CHECK_INT(r.hash[31], 0xff);
	r = route("GET", "/bundles/" H64, NULL, NULL);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.kind, TZ_NET_FETCH);
	r = route("GET", "/bundles", "42", NULL);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.kind, TZ_NET_LIST);
	CHECK_INT(r.after, 42);
	r = route("GET", "/bundles/", NULL, NULL);
	CHECK_INT(r.kind, TZ_NET_LIST);
	CHECK_INT(r.after, 0);
	r = route("HEAD", "/health", NULL, NULL);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.kind, TZ_NET_HEALTH);
	/* upper-case hex is the same address */
	r = route("GET", "/bundles/00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff",
		  NULL, NULL);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.hash[10], 0xaa);
}

TEST(refusals)
{
	CHECK_INT(route("POST", "/bundles", NULL, "10").status, 405);
	CHECK_INT(route("DELETE", "/bundles/" H64, NULL, NULL).status, 405);
	CHECK_INT(route("PUT", "/health", NULL, "600").status, 405);
	CHECK_INT(route("GET", "/", NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundles/../x", NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundles/" H64 "/x", NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundles/" H64 "0", NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundles/g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
			NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundlesX", NULL, NULL).status, 404);
	CHECK_INT(route("GET", "/bundles", "-1", NULL).status, 400);
	CHECK_INT(route("GET", "/bundles", "", NULL).status, 400);
	CHECK_INT(route("GET", "/bundles", "99999999999999999999", NULL).status, 400);
	CHECK_INT(route("GET", "/bundles", "1 ", NULL).status, 400);
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, NULL).status, 411);
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, "12x").status, 400);
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, "+100").status, 400);
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, "100").status, 400); /* shorter than any bundle */
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, "68157440").status, 0);
	CHECK_INT(route("PUT", "/bundles/" H64, NULL, "68157441").status, 413);
	tz_net_req r;
	tz_net_route("PUT", "/bundles/" H64, NULL, "5000", "chunked", 3, 100, MAXUP, &r);
	CHECK_INT(r.status, 411);
	tz_net_route("GET", "/health", NULL, NULL, NULL, TZ_NET_MAX_HEADERS + 1, 100, MAXUP, &r);
	CHECK_INT(r.status, 431);
	tz_net_route("GET", "/health", NULL, NULL, NULL, 3, TZ_NET_MAX_HEADER_BYTES + 1, MAXUP, &r);
	CHECK_INT(r.status, 431);
	CHECK(r.en && r.zh && !strchr(r.en, '\n'));
	tz_net_route(NULL, "/health", NULL, NULL, NULL, 0, 0, MAXUP, &r);
	CHECK_INT(r.status, 400);
}

TEST(body)
{
	uint8_t data[1000], want[32];
	for (int i = 0; i < 1000; i++)
		data[i] = (uint8_t)(i * 7);
	crypto_generichash(want, 32, data, 1000 - TZ_BUNDLE_TRAILER_BYTES, NULL, 0);
	tz_net_body b;
	tz_net_body_init(&b, 1000);
	CHECK_INT(tz_net_body_feed(&b, data, 300), 0);
	CHECK_INT(tz_net_body_feed(&b, data + 300, 500), 0); /* crosses the body/trailer edge */
	CHECK_INT(tz_net_body_feed(&b, data + 800, 200), 0);
	CHECK_INT(tz_net_body_done(&b, want), 0);
	tz_net_body_init(&b, 1000);
	CHECK_INT(tz_net_body_feed(&b, data, 1000), 0);
	want[5] ^= 1;
	CHECK_INT(tz_net_body_done(&b, want), 2);
	tz_net_body_init(&b, 1000);
	CHECK_INT(tz_net_body_feed(&b, data, 999), 0);
	CHECK_INT(tz_net_body_feed(&b, data, 2), -1); /* beyond the declared length */
	CHECK_INT(tz_net_body_done(&b, want), 1);      /* short */
}

typedef struct {
	tz_net_entry got[4];
	int n;
} coll;

static int keep(void *ctx, const tz_net_entry *e)
{
	coll *c = ctx;
	if (c->n < 4)
		c->got[c->n++] = *e;
	return 0;
}

TEST(list)
{
	tz_net_entry e = {.n = 7, .size = 900, .first = 1, .last = 12};
	for (int i = 0; i < 32; i++)
		e.hash[i] = (uint8_t)i;
	for (int i = 0; i < 16; i++)
		e.origin[i] = (uint8_t)(0xf0 + i % 16);
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "%s 0123456789abcdef0123456789abcdef\n", TZ_NET_LIST_MAGIC);
	n += tz_net_entry_format(&e, buf + n, sizeof buf - (size_t)n);
	e.n = 9;
	e.first = 13;
	e.last = 13;
	n += tz_net_entry_format(&e, buf + n, sizeof buf - (size_t)n);
	char id[33];
	coll c = {.n = 0};
	CHECK_INT(tz_net_list_parse(buf, (size_t)n, id, keep, &c), 0);
	CHECK_STR(id, "0123456789abcdef0123456789abcdef");
	CHECK_INT(c.n, 2);
	CHECK_INT(c.got[0].n, 7);
	CHECK_INT(c.got[0].size, 900);
	CHECK_INT(c.got[0].hash[31], 31);
	CHECK_INT(c.got[0].origin[15], 0xff);
	CHECK_INT(c.got[1].first, 13);
	/* malformed lists */
	CHECK_INT(tz_net_list_parse(buf, (size_t)n - 1, id, NULL, NULL), -1); /* no final newline */
	CHECK_INT(tz_net_list_parse("", 0, id, NULL, NULL), -1);
	CHECK_INT(tz_net_list_parse("taizhang-spool v1 xyz\n", 22, id, NULL, NULL), -1);
	const char *dup = TZ_NET_LIST_MAGIC " 0123456789abcdef0123456789abcdef\n"
			  "2 " H64 " 900 0123456789abcdef0123456789abcdef 1 1\n"
			  "2 " H64 " 900 0123456789abcdef0123456789abcdef 2 2\n";
	CHECK_INT(tz_net_list_parse(dup, strlen(dup), id, NULL, NULL), -1); /* numbers must rise */
	const char *bad = TZ_NET_LIST_MAGIC " 0123456789abcdef0123456789abcdef\n"
			  "1 " H64 " 900 0123456789abcdef0123456789abcdef 5 4\n";
	CHECK_INT(tz_net_list_parse(bad, strlen(bad), id, NULL, NULL), -1); /* last < first */
	const char *empty = TZ_NET_LIST_MAGIC " 0123456789abcdef0123456789abcdef\n";
	CHECK_INT(tz_net_list_parse(empty, strlen(empty), id, NULL, NULL), 0);
}

TEST(listen_addr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	CHECK_INT(tz_net_parse_listen("127.0.0.1:8080", &ss, &len), 0);
	CHECK_INT(ss.ss_family, AF_INET);
	CHECK_INT(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
	CHECK_INT(tz_net_parse_listen("0.0.0.0:0", &ss, &len), 0);
	CHECK_INT(tz_net_parse_listen(":9000", &ss, &len), 0);
	CHECK_INT(tz_net_parse_listen("[::1]:443", &ss, &len), 0);
	CHECK_INT(ss.ss_family, AF_INET6);
	CHECK_INT(tz_net_parse_listen("127.0.0.1", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen("127.0.0.1:65536", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen("127.0.0.1:-1", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen("example.org:80", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen("::1:80", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen("[::1]80", &ss, &len), -1);
	CHECK_INT(tz_net_parse_listen(NULL, &ss, &len), -1);
}

TEST(urls)
{
	tz_err err;
	CHECK_INT(tz_net_url_check("http://10.0.0.1:8080", &err), TZ_OK);
	CHECK_INT(tz_net_url_check("https://township.example/tz/", &err), TZ_OK);
	CHECK_INT(tz_net_url_check("ftp://x", &err), TZ_EUSAGE);
	CHECK_INT(tz_net_url_check("http://", &err), TZ_EUSAGE);
	CHECK_INT(tz_net_url_check("http://a b", &err), TZ_EUSAGE);
	CHECK_INT(tz_net_url_check("http://a/?x=1", &err), TZ_EUSAGE);
	CHECK_INT(tz_net_url_check("", &err), TZ_EUSAGE);
	CHECK_INT(tz_net_url_check(NULL, &err), TZ_EUSAGE);
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(routes);
	RUN(refusals);
	RUN(body);
	RUN(list);
	RUN(listen_addr);
	RUN(urls);
	return tz_test_done();
}
