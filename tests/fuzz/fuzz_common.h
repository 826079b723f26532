/* fuzz_common.h - shared by the fuzz targets and the seed generator.
 *
 * - An embedded Ed25519 test key pair, derived from a fixed seed with
 *   crypto_sign_seed_keypair, so that seed bundles signed with it pass the
 *   signature check and the fuzzer explores what lies behind it.  It is a
 *   TEST key: never enrol it anywhere real.
 * - fz_make_bundle: turn a fuzz input into a bundle file signed with that
 *   key, following docs/bundle-format.md (as tests/unit/test_bundle.c's
 *   handmade() does), so that mutated headers and payloads still carry a
 *   valid signature and reach inflate and op decoding with any content.
 * - fz_file: a per-process memfd, reachable by path (/proc/self/fd/N), for
 *   the APIs that take a path.
 * - An embedded X25519 test key pair (fz_epk, fz_esk) and fz_encrypt: turn
 *   header || zlib stream into a version 2 body encrypted to it (and to up
 *   to two decoy keys), per docs/bundle-format.md, deterministically.
 *
 * Needs only libsodium and zlib (seedgen.c links nothing else).
 */
#ifndef TZ_FUZZ_COMMON_H
#define TZ_FUZZ_COMMON_H

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

/* ---- the embedded test key ---- */

#define FZ_HEADER 136
#define FZ_RECIPIENT 112
#define FZ_TRAILER 411
#define FZ_UNTRUSTED "untrusted comment: taizhang bundle signature\n"

static const uint8_t fz_seed[32] = "taizhang fuzz test key, not real";
/* The key id is arbitrary (minisign uses random ids); the origin is the
 * device the key is enrolled for in fuzz_import. */
static const uint8_t fz_key_id[8] = {0x46, 0x55, 0x5a, 0x5a, 0x4b, 0x45, 0x59, 0x31};
static const uint8_t fz_origin[16] = {0xf0, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};

static const uint8_t fz_eseed[32] = "taizhang fuzz recipient key, no!";

static uint8_t fz_pk[32], fz_sk[64], fz_epk[32], fz_esk[32];

static inline void fz_keys_init(void)
{
	static int done;
	if (done)
		return;
	if (sodium_init() < 0)
		abort();
	crypto_sign_seed_keypair(fz_pk, fz_sk, fz_seed);
	crypto_box_seed_keypair(fz_epk, fz_esk, fz_eseed);
	done = 1;
}

/* ---- little-endian fields ---- */

static inline uint32_t fz_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t fz_get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void fz_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void fz_hex(const uint8_t *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The 411-byte trailer for body[0..blen) per docs/bundle-format.md: key id,
 * origin and seq range come from the body's header. out[FZ_TRAILER + 1]. */
static inline void fz_trailer(const uint8_t *body, size_t blen, char out[FZ_TRAILER + 1])
{
	uint8_t h64[64], h32[32], blk[74], global[64], sigtc[64 + 200];
	char o[33], hh[65], tc[200], b1[120], b2[100];
	fz_keys_init();
	crypto_generichash(h64, 64, body, blen, NULL, 0);
	crypto_generichash(h32, 32, body, blen, NULL, 0);
	blk[0] = 'E';
	blk[1] = 'D';
	memcpy(blk + 2, body + 32, 8);
	crypto_sign_detached(blk + 10, NULL, h64, 64, fz_sk);
	fz_hex(body + 16, 16, o);
	fz_hex(h32, 32, hh);
	int tcl = snprintf(tc, sizeof tc, "taizhang-bundle v%d %s %020llu %020llu %s", body[8] % 10, o,
			   (unsigned long long)fz_get64(body + 40),
			   (unsigned long long)fz_get64(body + 48), hh);
	memcpy(sigtc, blk + 10, 64);
	memcpy(sigtc + 64, tc, (size_t)tcl);
	crypto_sign_detached(global, NULL, sigtc, 64 + (size_t)tcl, fz_sk);
	sodium_bin2base64(b1, sizeof b1, blk, 74, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b2, sizeof b2, global, 64, sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, FZ_TRAILER + 1, "%s%s\ntrusted comment: %s\n%s\n", FZ_UNTRUSTED, b1, tc, b2);
}

static inline void fz_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void fz_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline int fz_id_cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

/* A version 2 body (malloc'd, *blen) from a 136-byte header and a zlib
 * stream z[0..zlen): encrypted to fz_epk and nrec - 1 decoy keys (nrec 1 to
 * 3), in 64 KiB chunks, the last one carrying the header and recipients as
 * associated data.  Deterministic: the file key, stream header and
 * ephemeral keys are hashes of the input (as taizhang's writer does it).
 * NULL if zlen is 0 or out of memory. */
static inline uint8_t *fz_encrypt(const uint8_t *hdr, const uint8_t *z, size_t zlen, int nrec,
				  size_t *blen)
{
	fz_keys_init();
	if (!zlen || nrec < 1 || nrec > 3)
		return NULL;
	size_t nch = (zlen + 65535) / 65536, plen = 24 + zlen + 17 * nch;
	size_t hl = FZ_HEADER + FZ_RECIPIENT * (size_t)nrec;
	uint8_t *body = malloc(hl + plen), key[32], ss_hdr[24];
	if (!body)
		return NULL;
	memcpy(body, hdr, FZ_HEADER);
	fz_put16(body + 8, 2);
	fz_put16(body + 10, 1);
	fz_put32(body + 12, (uint32_t)hl);
	fz_put64(body + 112, plen);
	fz_put16(body + 132, (uint16_t)nrec);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, hdr, FZ_HEADER);
	crypto_generichash_update(&st, z, zlen);
	crypto_generichash_final(&st, key, 32);
	crypto_generichash(ss_hdr, 24, key, 32, (const uint8_t *)"fuzz stream header", 18);
	uint8_t rk[3][64]; /* id || public key */
	for (int i = 0; i < nrec; i++) {
		uint8_t dsk[32];
		if (i == 0) {
			memcpy(rk[i] + 32, fz_epk, 32);
		} else {
			memset(dsk, 0x40 + i, 32);
			crypto_scalarmult_base(rk[i] + 32, dsk);
		}
		crypto_generichash(rk[i], 32, rk[i] + 32, 32, NULL, 0);
	}
	qsort(rk, (size_t)nrec, sizeof rk[0], fz_id_cmp);
	for (int i = 0; i < nrec; i++) {
		uint8_t *o = body + FZ_HEADER + FZ_RECIPIENT * i, e[32], nonce[24];
		memcpy(o, rk[i], 32);
		crypto_generichash(e, 32, rk[i] + 32, 32, key, 32);
		crypto_scalarmult_base(o + 32, e);
		crypto_generichash_init(&st, NULL, 0, 24);
		crypto_generichash_update(&st, o + 32, 32);
		crypto_generichash_update(&st, rk[i] + 32, 32);
		crypto_generichash_final(&st, nonce, 24);
		if (crypto_box_easy(o + 64, key, 32, nonce, rk[i] + 32, e))
			abort();
	}
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_secretstream_xchacha20poly1305_init_pull(&ss, ss_hdr, key);
	uint8_t *out = body + hl;
	memcpy(out, ss_hdr, 24);
	out += 24;
	for (size_t off = 0; off < zlen; off += 65536) {
		size_t n = zlen - off < 65536 ? zlen - off : 65536;
		int last = off + n == zlen;
		crypto_secretstream_xchacha20poly1305_push(
			&ss, out, NULL, z + off, n, last ? body : NULL, last ? hl : 0,
			last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		out += n + 17;
	}
	*blen = hl + plen;
	return body;
}

/* How fz_make_bundle reads its input. */
enum {
	FZ_RAW = 0,       /* the input is the file, unchanged */
	FZ_RESIGN = 1,    /* header || zlib payload [|| old trailer]: payload length fixed, re-signed */
	FZ_DEFLATE = 2,   /* header || raw ops: compressed, both lengths fixed, re-signed */
	FZ_DEFLATE_DECL = 3, /* the same, but the header's declared inflated length is kept */
};

/* Build a bundle file from in[0..n) (malloc'd, *outlen).  force_id: put the
 * embedded key id and fz_origin into the header (fuzz_import's keyring
 * knows only that device).  enc (1 to 3, modes other than FZ_RAW): a
 * version 2 bundle encrypted to fz_epk and enc - 1 decoys, its payload
 * what the mode makes of the input.  NULL if out of memory. */
static inline uint8_t *fz_make_bundle_enc(const uint8_t *in, size_t n, int mode, int force_id,
					  int enc, size_t *outlen)
{
	uint8_t *out;
	if (mode == FZ_RAW || n < FZ_HEADER) {
		out = malloc(n ? n : 1);
		if (out && n)
			memcpy(out, in, n);
		*outlen = n;
		return out;
	}
	/* where the payload starts: the declared header length when it is
	 * plausible (the reader refuses anything else anyway) */
	size_t hl = fz_get32(in + 12);
	if (hl < FZ_HEADER || hl > FZ_HEADER + 16 * FZ_RECIPIENT || hl > n || enc)
		hl = FZ_HEADER;
	const uint8_t *rest = in + hl;
	size_t restlen = n - hl;
	uint8_t *payload = NULL;
	size_t plen;
	if (mode == FZ_RESIGN) {
		if (restlen >= FZ_TRAILER && !memcmp(in + n - FZ_TRAILER, "untrusted comment: ", 19))
			restlen -= FZ_TRAILER; /* the old signature goes */
		plen = restlen;
	} else {
		uLongf cl = compressBound((uLong)restlen);
		payload = malloc(cl);
		if (!payload || compress2(payload, &cl, rest, (uLong)restlen, 6) != Z_OK) {
			free(payload);
			return NULL;
		}
		plen = cl;
	}
	size_t blen = hl + plen;
	out = malloc(blen + FZ_TRAILER + 1);
	if (!out) {
		free(payload);
		return NULL;
	}
	memcpy(out, in, hl);
	memcpy(out + hl, payload ? payload : rest, plen);
	free(payload);
	fz_put64(out + 112, plen);
	if (mode == FZ_DEFLATE)
		fz_put64(out + 120, restlen);
	if (force_id) {
		memcpy(out + 16, fz_origin, 16);
		memcpy(out + 32, fz_key_id, 8);
	}
	if (enc) {
		uint8_t *e = fz_encrypt(out, out + hl, plen, enc, &blen);
		free(out);
		if (!e || !(out = realloc(e, blen + FZ_TRAILER + 1))) {
			free(e);
			return NULL;
		}
	}
	char tr[FZ_TRAILER + 1];
	fz_trailer(out, blen, tr);
	memcpy(out + blen, tr, FZ_TRAILER);
	*outlen = blen + FZ_TRAILER;
	return out;
}

static inline uint8_t *fz_make_bundle(const uint8_t *in, size_t n, int mode, int force_id,
				      size_t *outlen)
{
	return fz_make_bundle_enc(in, n, mode, force_id, 0, outlen);
}

/* ---- the bundles fuzz_import starts from, and seeds that continue them ----
 *
 * fuzz_import's database holds the test device's seqs 1-2 and 5-6 (a gap at
 * 3-4); seedgen's seeds fill the gap (3-4) or continue (7-...). */

/* One household op, like tests/unit/test_bundle.c's op_bytes(). */
static inline size_t fz_op_bytes(uint8_t *out, uint8_t hlc_delta, uint8_t rb, const char *addr)
{
	size_t n = 0, al = strlen(addr);
	out[n++] = hlc_delta;
	out[n++] = 0; /* household */
	memset(out + n, rb, 16);
	n += 16;
	out[n++] = 0;                 /* flags */
	out[n++] = (uint8_t)(3 + al); /* data length */
	out[n++] = 2;                 /* field: address */
	out[n++] = 2;                 /* text */
	out[n++] = (uint8_t)al;
	memcpy(out + n, addr, al);
	return n + al;
}

#define FZ_H0 ((uint64_t)1767225600000ULL << 16)     /* 2026-01-01 */
#define FZ_H_FUTURE ((uint64_t)1798761600000ULL << 16) /* 2027-01-01: quarantined */

static inline void fz_header(uint8_t *in, uint64_t first, uint64_t last, uint64_t hmin,
			     uint64_t hmax, const uint8_t prev[32])
{
	memset(in, 0, FZ_HEADER);
	memcpy(in, "TZBUNDLE", 8);
	in[8] = 1;
	in[12] = FZ_HEADER;
	memcpy(in + 16, fz_origin, 16);
	memcpy(in + 32, fz_key_id, 8);
	fz_put64(in + 40, first);
	fz_put64(in + 48, last);
	fz_put64(in + 56, hmin);
	fz_put64(in + 64, hmax);
	if (prev)
		memcpy(in + 72, prev, 32);
	fz_put64(in + 104, hmax >> 16);
	in[128] = (uint8_t)(last - first + 1);
}

/* Header || raw ops (FZ_DEFLATE framing) of two household ops, seqs
 * first..first+1, naming prev (NULL: none), the first at clock h0 (0: a
 * default in 2026).  in[FZ_HEADER + 128]. */
static inline size_t fz_two_ops(uint8_t *in, uint64_t first, const uint8_t prev[32], uint64_t h0)
{
	if (!h0)
		h0 = FZ_H0 + (first - 1) * 16;
	fz_header(in, first, first + 1, h0, h0 + 5, prev);
	size_t n = FZ_HEADER;
	n += fz_op_bytes(in + n, 0, (uint8_t)(0xa0 + first), "一组1号");
	n += fz_op_bytes(in + n, 5, (uint8_t)(0xa1 + first), "一组2号");
	return n;
}

/* The BLAKE2b-256 of the body of the bundle fz_make_bundle makes of in. */
static inline void fz_body_hash(const uint8_t *in, size_t n, int mode, uint8_t out[32])
{
	size_t flen;
	uint8_t *f = fz_make_bundle(in, n, mode, 1, &flen);
	if (!f)
		abort();
	crypto_generichash(out, 32, f, flen - FZ_TRAILER, NULL, 0);
	free(f);
}

/* The body hashes of the test device's bundles 1-2, 3-4 (chained onto 1-2)
 * and 5-6 (chained onto 3-4), all FZ_DEFLATE framing of fz_two_ops. */
static inline void fz_chain(uint8_t h12[32], uint8_t h34[32], uint8_t h56[32])
{
	uint8_t in[FZ_HEADER + 128];
	size_t n = fz_two_ops(in, 1, NULL, 0);
	fz_body_hash(in, n, FZ_DEFLATE, h12);
	n = fz_two_ops(in, 3, h12, 0);
	fz_body_hash(in, n, FZ_DEFLATE, h34);
	n = fz_two_ops(in, 5, h34, 0);
	fz_body_hash(in, n, FZ_DEFLATE, h56);
}

/* Header || zlib payload (FZ_RESIGN framing) of one household op whose four
 * text fields hold 50000 bytes each: an op larger than the reader's first
 * buffer and the inflate chunk.  malloc'd, *n. */
static inline uint8_t *fz_big_op(uint64_t first, const uint8_t prev[32], size_t *n)
{
	enum { FIELD = 50000, NF = 4 };
	size_t dlen = NF * (1 + 1 + 3 + FIELD), rawlen = 0;
	uint8_t *raw = malloc(32 + dlen), *out;
	uint64_t h0 = FZ_H0 + (first - 1) * 16;
	raw[rawlen++] = 0;       /* hlc delta */
	raw[rawlen++] = 0;       /* household */
	memset(raw + rawlen, 0xbb, 16);
	rawlen += 16;
	raw[rawlen++] = 0;       /* flags */
	for (size_t v = dlen; ; v >>= 7) { /* data length, varint */
		raw[rawlen++] = (uint8_t)(v & 0x7f) | (v >= 0x80 ? 0x80 : 0);
		if (v < 0x80)
			break;
	}
	for (int f = 1; f <= NF; f++) {
		raw[rawlen++] = (uint8_t)f;
		raw[rawlen++] = 2; /* text */
		raw[rawlen++] = (uint8_t)(FIELD & 0x7f) | 0x80;
		raw[rawlen++] = (uint8_t)((FIELD >> 7) & 0x7f) | 0x80;
		raw[rawlen++] = (uint8_t)(FIELD >> 14);
		memset(raw + rawlen, 'a' + f, FIELD);
		rawlen += FIELD;
	}
	uLongf cl = compressBound((uLong)rawlen);
	out = malloc(FZ_HEADER + cl);
	fz_header(out, first, first, h0, h0, prev);
	if (compress2(out + FZ_HEADER, &cl, raw, (uLong)rawlen, 9) != Z_OK)
		abort();
	fz_put64(out + 112, cl);
	fz_put64(out + 120, rawlen);
	free(raw);
	*n = FZ_HEADER + cl;
	return out;
}

/* ---- a file by path, in memory ---- */

#ifdef TZ_FUZZ_TARGET
static int fz_fd = -1;
static char fz_path[64];

/* Replace the memfd's contents with p[0..n); returns its path. */
static inline const char *fz_file(const void *p, size_t n)
{
	if (fz_fd < 0) {
		fz_fd = memfd_create("tzfuzz", MFD_CLOEXEC);
		if (fz_fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(fz_path, sizeof fz_path, "/proc/self/fd/%d", fz_fd);
	}
	if (ftruncate(fz_fd, 0))
		abort();
	const uint8_t *b = p;
	for (size_t off = 0; off < n;) {
		ssize_t w = pwrite(fz_fd, b + off, n - off, (off_t)off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	return fz_path;
}
#endif

#endif
