/* net.h - bundles over HTTP (docs/network.md).
 *
 * The township (or county) runs `taizhang serve`: villages PUT their
 * signed bundles to /bundles/<hash>, where <hash> is the 64 hex digits of
 * the bundle's body hash (tz_bundle_hash_*, as in its trusted comment); the
 * server verifies and imports them (the normal import path) and keeps them
 * content-addressed in its spool.  Villages GET /bundles?after=N for the
 * list of bundles addressed downward (the township's own) and
 * GET /bundles/<hash> for each.  Nothing in a request names a file.
 *
 * The request checks are pure functions (no sockets) so that they can be
 * unit-tested and fuzzed (tests/fuzz/fuzz_net.c).
 */
#ifndef TAIZHANG_NET_H
#define TAIZHANG_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "taizhang/bundle.h"
#include "taizhang/err.h"
#include "taizhang/db.h"

#define TZ_NET_MAX_HEADERS 40            /* more request headers: 431 */
#define TZ_NET_MAX_HEADER_BYTES 8192     /* names + values: 431 */
#define TZ_NET_DEFAULT_MAX_MB 65         /* fits any bundle (64 MiB payload) */
#define TZ_NET_MAX_URL 1024

/* ---- requests (server side) ---- */

typedef enum {
	TZ_NET_UPLOAD, /* PUT /bundles/<hash> */
	TZ_NET_LIST,   /* GET /bundles[?after=N] */
	TZ_NET_FETCH,  /* GET /bundles/<hash> */
	TZ_NET_HEALTH, /* GET /health */
	TZ_NET_RECEIPT, /* GET /receipts/<device id, 32 hex> */
} tz_net_kind;

typedef struct {
	tz_net_kind kind;
	uint8_t hash[32]; /* UPLOAD, FETCH */
	uint8_t device[16]; /* RECEIPT */
	uint64_t after;   /* LIST: entries numbered above this */
	uint64_t length;  /* UPLOAD: Content-Length */
	int status;       /* 0: accepted for handling; else the HTTP status refusing it */
	const char *en, *zh; /* one line: why it was refused */
	const char *allow;   /* 405: the methods the address takes (the Allow header) */
} tz_net_req;

/* Route and check a request before any body is read.  method and path as
 * received (path without the query); after: the `after` query argument or
 * NULL; clen: the Content-Length header or NULL; te: Transfer-Encoding or
 * NULL; nheaders, header_bytes: what the request carried; max_upload: the
 * largest body taken. */
void tz_net_route(const char *method, const char *path, const char *after, const char *clen,
		  const char *te, size_t nheaders, size_t header_bytes, uint64_t max_upload,
		  tz_net_req *r);

/* An upload body as it streams in: counted against the declared length and
 * given the body hash (everything but the signature trailer, bundle.h). */
typedef struct {
	uint64_t expect, got;
	tz_bundle_hasher h;
} tz_net_body;
void tz_net_body_init(tz_net_body *b, uint64_t length);
/* -1 if the data runs past the declared length. */
int tz_net_body_feed(tz_net_body *b, const void *p, size_t n);
/* 0: complete and its hash is want; 1: shorter than declared; 2: another hash. */
int tz_net_body_done(tz_net_body *b, const uint8_t want[32]);

/* ---- the downward list ---- */

typedef struct {
	uint64_t n;       /* position in the server's list, from 1 */
	uint8_t hash[32]; /* body hash: GET /bundles/<hex> */
	uint64_t size;    /* file bytes */
	uint8_t origin[16];
	uint64_t first, last;
} tz_net_entry;

#define TZ_NET_LIST_MAGIC "taizhang-spool v1"
#define TZ_NET_NAME_MAX 249 /* a spool file name's bytes */
/* "<n> <hash hex> <size> <origin hex> <first> <last>\n"; returns its length. */
int tz_net_entry_format(const tz_net_entry *e, char *out, size_t cap);
/* A list: "taizhang-spool v1 <32 hex spool id>\n" then entry lines.  cb
 * sees each entry (a nonzero return stops).  -1: malformed. */
int tz_net_list_parse(const char *buf, size_t len, char spool_id[33],
		      int (*cb)(void *ctx, const tz_net_entry *e), void *ctx);

/* The server's own down.idx, a file anyone with the folder may have written:
 * its first line is "taizhang-spool v1 <32 hex spool id>", then one line
 * "<n> <file name>" per downward bundle.  Each parser takes one line
 * without its '\n' and returns 0, or -1 for a line that is not well formed
 * (any length, any bytes). */
int tz_net_index_head(const char *line, char spool_id[33]);
int tz_net_index_line(const char *line, uint64_t *n, char name[TZ_NET_NAME_MAX + 1]);
/* A file name the spool keeps: "<...>.tzb", under TZ_NET_NAME_MAX bytes,
 * no leading dot, no space, tab, newline or slash.  1 if so. */
int tz_net_name_ok(const char *name);

/* ---- addresses ---- */

/* "ADDR:PORT" (IPv4, or [IPv6]:PORT; PORT 0 picks a free one).  0 ok. */
int tz_net_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* An http:// or https:// URL without spaces, controls, query or fragment. */
tz_status tz_net_url_check(const char *url, tz_err *err);

/* Where a database keeps its network folders: <db>.outbox (bundles
 * exported for push, until the server acknowledges them) and <db>.spool
 * (the server's). */
void tz_net_dirs(const char *db_path, char outbox[4096], char spool[4096]);

/* ---- the server ---- */

typedef struct {
	const char *listen;    /* ADDR:PORT */
	const char *spool;     /* the server's folder (created) */
	const char *outbox;    /* own bundles exported for pulls are also linked here; may be NULL */
	uint64_t max_upload;   /* bytes */
	unsigned max_conn;     /* concurrent connections */
	unsigned timeout_s;    /* idle seconds before a connection is dropped */
	unsigned deadline_s;   /* whole-request limit for slow uploads */
	unsigned header_s;     /* a client's time to send its request headers */
	unsigned max_per_addr; /* concurrent connections from one address */
	uint64_t max_tmp;      /* bytes all uploads in progress may hold in tmp/ */
	const uint8_t *sk;     /* unlocked key: export new own changes for pulls; NULL: don't */
	const uint8_t *rsk;    /* unlocked key: sign receipts (receipt.h); NULL: none are given */
	const uint8_t *esk;    /* unlocked encryption key (keys.h): decrypt uploads; NULL: encrypted
				* uploads are refused */
	int log_fd;            /* one line per request */
	void (*ready)(void *ctx, const char *addr); /* listening (the actual port) */
	void *ctx;
} tz_net_serve_opts;

/* Serve until SIGTERM or SIGINT (blocked in every thread, taken with
 * sigwait): stops accepting, finishes the queued imports, returns TZ_OK. */
tz_status tz_net_serve(tz_db *db, const tz_net_serve_opts *o, tz_err *err);

/* ---- the client ---- */

typedef struct {
	const char *url;      /* the server's base URL */
	const char *outbox;   /* push: the outbox folder (created) */
	const char *down;     /* push on a server's machine: own bundles linked here too; may be NULL */
	const uint8_t *sk;    /* push: unlocked key to export new changes; NULL: send the outbox only */
	const uint8_t *esk;   /* pull: unlocked encryption key (keys.h) to read encrypted bundles */
	size_t max_bytes;     /* bundle payload limit for the export (0: default) */
	unsigned retries;     /* transient failures retried this often per request */
	uint64_t again;       /* push: also send this device's bundles again from this change on
			       * (tz_bundle_reexport into the outbox); 0: no */
	/* each bundle: what ("applied", "present", "refused", "pulled"...), its name, detail */
	void (*line)(void *ctx, const char *what, const char *name, const char *detail);
	/* transfer progress (may be NULL): what moves (a bundle's name, "list", a
	 * hash) and its bytes so far of total (0 while not known), as often as
	 * libcurl reports them; then once with done 1 when that transfer is over,
	 * whatever its outcome */
	void (*progress)(void *ctx, const char *label, uint64_t now, uint64_t total, int done);
	void *ctx;
} tz_net_opts;

typedef struct {
	int sent, present, refused;    /* push */
	int unconfirmed;               /* push: bundles the server took but signed no receipt for
					* (kept in the outbox) */
	int receipt_refused;           /* push, pull: receipts that did not check out */
	int pruned;                    /* push, pull: outbox bundles a receipt covers, removed */
	int have_receipt;              /* push, pull: the server's receipt for this PC, checked */
	tz_receipt receipt;
	int fetched, applied, pulled_refused; /* pull */
	uint64_t bytes;
} tz_net_stats;

/* Export what is new into the outbox (and, on a township, forward received
 * village bundles), then upload every outbox bundle in chain order; each
 * one the server stored or already had is removed from the outbox.
 * TZ_EIO for network failures (nothing lost: the rest stays in the
 * outbox); refusals are counted in st->refused with TZ_OK. */
tz_status tz_net_push(tz_db *db, const tz_net_opts *o, tz_net_stats *st, tz_err *err);

/* Download the bundles addressed downward that this database does not
 * hold yet and import them. */
tz_status tz_net_pull(tz_db *db, const tz_net_opts *o, tz_net_stats *st, tz_err *err);

#endif
