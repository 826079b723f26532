/* bundle.c - writing, reading, verifying and importing bundles.
 *
 * Layout (docs/bundle-format.md):
 *   body    = header (136 bytes + recipients) || payload
 *   trailer = minisign signature text over the body (fixed length)
 * The payload is a zlib stream (version 1), or that stream encrypted with
 * crypto_secretstream_xchacha20poly1305 in 64 KiB chunks under a file key
 * sealed to each recipient (version 2).  It inflates to `count` ops, each
 *   varint hlc delta, varint table, row[16], varint flags, varint len, data
 * whose seqs are first_seq, first_seq + 1, ... in order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/internal.h"
#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/keys.h"
#include "taizhang/settings.h"

#define MAGIC "TZBUNDLE"
#define FIXED_HEADER 136
#define RECIPIENT_BYTES 112 /* recipient id (32) + sealed file key (80) */
#define SEALED_BYTES 80     /* crypto_box_seal of the 32-byte file key */
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_CHUNK (64u << 10) /* plaintext bytes per encrypted chunk (the last: 1 ... this) */
#define MAX_OP_DATA (1u << 20)
#define CHUNK (64u << 10)
#define TMP_PREFIX ".tzb-export-"
#define DEFAULT_MAX_BYTES (4u << 20)

#define UNTRUSTED "untrusted comment: taizhang bundle signature\n"
#define TRUSTED_PREFIX "trusted comment: "
#define TC_FMT "taizhang-bundle v%u %s %020llu %020llu %s"
#define TC_LEN (19 + 32 + 1 + 20 + 1 + 20 + 1 + 64)
#define SIG_B64 100    /* base64 of "ED" || key id || signature (74 bytes) */
#define GLOBAL_B64 88  /* base64 of the 64-byte comment signature */
#define TRAILER_LEN (sizeof UNTRUSTED - 1 + SIG_B64 + 1 + sizeof TRUSTED_PREFIX - 1 + TC_LEN + 1 + \
		     GLOBAL_B64 + 1)

_Static_assert(TRAILER_LEN == 411, "docs/bundle-format.md: the trailer is 411 bytes");
_Static_assert(SS_HEADER == 24 && SS_ABYTES == 17 && SEALED_BYTES == crypto_box_SEALBYTES + 32,
	       "docs/bundle-format.md: the version 2 payload layout");

void tz_bundle_recipient_id(const uint8_t epk[32], uint8_t id[32])
{
	crypto_generichash(id, 32, epk, 32, NULL, 0);
}

/* Version 2 payload length for a zlib stream of z bytes (z >= 1). */
static uint64_t sealed_len(uint64_t z)
{
	return SS_HEADER + z + SS_ABYTES * ((z + SS_CHUNK - 1) / SS_CHUNK);
}

/* ---- little-endian fields ---- */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}
static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void encode_header(const tz_bundle_info *h, uint8_t out[FIXED_HEADER])
{
	memset(out, 0, FIXED_HEADER);
	memcpy(out, MAGIC, 8);
	put16(out + 8, h->version);
	put16(out + 10, h->flags);
	put32(out + 12, h->header_len);
	memcpy(out + 16, h->origin, 16);
	memcpy(out + 32, h->key_id, 8);
	put64(out + 40, h->first_seq);
	put64(out + 48, h->last_seq);
	put64(out + 56, h->hlc_min);
	put64(out + 64, h->hlc_max);
	memcpy(out + 72, h->prev, 32);
	put64(out + 104, (uint64_t)h->created_ms);
	put64(out + 112, h->payload_len);
	put64(out + 120, h->inflated_len);
	put32(out + 128, h->count);
	put16(out + 132, h->nrecipients);
}

static tz_status refuse(tz_err *err, const char *en, const char *zh)
{
	return tz_fail(err, TZ_EREFUSED, "%s", "%s", tz_tr(en, zh));
}

static tz_status decode_header(const uint8_t in[FIXED_HEADER], uint64_t file_len,
			       tz_bundle_info *h, tz_err *err)
{
	memset(h, 0, sizeof *h);
	if (memcmp(in, MAGIC, 8))
		return refuse(err, "not a taizhang bundle", "不是台账数据包");
	h->version = get16(in + 8);
	h->flags = get16(in + 10);
	if (h->version != TZ_BUNDLE_VERSION_PLAIN && h->version != TZ_BUNDLE_VERSION)
		return tz_fail(err, TZ_EREFUSED,
			       "bundle format version %u is not supported (this taizhang reads 1 and %d)",
			       "不支持数据包格式版本 %u（本程序支持 1 和 %d）", h->version,
			       TZ_BUNDLE_VERSION);
	int enc = h->version == TZ_BUNDLE_VERSION;
	if (h->flags != (enc ? TZ_BUNDLE_F_ENCRYPTED : 0))
		return refuse(err, enc ? "a version 2 bundle must be marked encrypted"
				       : "the bundle has unknown flags",
			      enc ? "第 2 版数据包必须标记为加密" : "数据包含有未知标志");
	h->header_len = get32(in + 12);
	memcpy(h->origin, in + 16, 16);
	memcpy(h->key_id, in + 32, 8);
	h->first_seq = get64(in + 40);
	h->last_seq = get64(in + 48);
	h->hlc_min = get64(in + 56);
	h->hlc_max = get64(in + 64);
	memcpy(h->prev, in + 72, 32);
	h->created_ms = (int64_t)get64(in + 104);
	h->payload_len = get64(in + 112);
	h->inflated_len = get64(in + 120);
	h->count = get32(in + 128);
	h->nrecipients = get16(in + 132);
	if (get16(in + 134))
		return refuse(err, "the bundle header is damaged", "数据包头已损坏");
	if (h->nrecipients > (enc ? TZ_BUNDLE_MAX_RECIPIENTS_V2 : TZ_BUNDLE_MAX_RECIPIENTS) ||
	    (enc && h->nrecipients == 0) ||
	    h->header_len != FIXED_HEADER + (uint32_t)h->nrecipients * RECIPIENT_BYTES)
		return refuse(err, "the bundle header has a wrong length", "数据包头长度错误");
	if (h->first_seq == 0 || h->last_seq < h->first_seq || h->last_seq > (uint64_t)INT64_MAX ||
	    h->count == 0 || h->count > TZ_BUNDLE_MAX_OPS ||
	    h->last_seq - h->first_seq + 1 != h->count)
		return refuse(err, "the bundle header claims an impossible range of changes",
			      "数据包头声明的变更范围不合理");
	if (h->hlc_min == 0 || h->hlc_max < h->hlc_min || h->hlc_max > (uint64_t)INT64_MAX)
		return refuse(err, "the bundle header has an impossible clock range",
			      "数据包头的时间范围不合理");
	if (h->payload_len == 0 || h->payload_len > TZ_BUNDLE_MAX_PAYLOAD ||
	    h->inflated_len == 0 || h->inflated_len > TZ_BUNDLE_MAX_INFLATED)
		return refuse(err, "the bundle declares a payload larger than allowed",
			      "数据包声明的内容超过上限");
	if (enc) {
		/* the chunks: SS_HEADER, then full chunks of SS_CHUNK + SS_ABYTES,
		 * then a last one of 1 + SS_ABYTES ... SS_CHUNK + SS_ABYTES */
		uint64_t c = h->payload_len > SS_HEADER ? h->payload_len - SS_HEADER : 0;
		uint64_t n = (c + SS_CHUNK + SS_ABYTES - 1) / (SS_CHUNK + SS_ABYTES);
		if (c < SS_ABYTES + 1 || c - n * SS_ABYTES == 0 ||
		    sealed_len(c - n * SS_ABYTES) != h->payload_len)
			return refuse(err, "the encrypted payload has an impossible length",
				      "加密内容的长度不合理");
	}
	if (h->first_seq == 1 && !sodium_is_zero(h->prev, 32))
		return refuse(err, "the first bundle of a device names a predecessor",
			      "设备的第一个数据包不应有前序包");
	h->file_len = h->header_len + h->payload_len + TRAILER_LEN;
	if (file_len != h->file_len)
		return tz_fail(err, TZ_EREFUSED,
			       "the file is %llu bytes but the bundle needs %llu (truncated or padded)",
			       "文件为 %llu 字节，数据包应为 %llu 字节（被截断或有多余数据）",
			       (unsigned long long)file_len, (unsigned long long)h->file_len);
	return TZ_OK;
}

/* ---- the signature trailer ---- */

typedef struct {
	uint8_t key_id[8];
	uint8_t sig[64];
	uint8_t global[64];
	char tc[TC_LEN + 1];
} trailer;

static void trusted_comment(const tz_bundle_info *h, char out[TC_LEN + 1])
{
	char o[33], hh[65];
	tz_hex(h->origin, 16, o);
	tz_hex(h->hash, 32, hh);
	snprintf(out, TC_LEN + 1, TC_FMT, (unsigned)h->version % 10, o,
		 (unsigned long long)h->first_seq,
		 (unsigned long long)h->last_seq, hh);
}

static void build_trailer(const tz_bundle_info *h, const uint8_t *sk, const uint8_t prehash[64],
			  char out[TRAILER_LEN + 1])
{
	uint8_t blk[74], sigtc[64 + TC_LEN], global[64];
	char tc[TC_LEN + 1], b64a[SIG_B64 + 1], b64b[GLOBAL_B64 + 1];
	blk[0] = 'E';
	blk[1] = 'D';
	memcpy(blk + 2, h->key_id, 8);
	crypto_sign_detached(blk + 10, NULL, prehash, 64, sk);
	trusted_comment(h, tc);
	memcpy(sigtc, blk + 10, 64);
	memcpy(sigtc + 64, tc, TC_LEN);
	crypto_sign_detached(global, NULL, sigtc, sizeof sigtc, sk);
	sodium_bin2base64(b64a, sizeof b64a, blk, sizeof blk, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b64b, sizeof b64b, global, 64, sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, TRAILER_LEN + 1, "%s%s\n%s%s\n%s\n", UNTRUSTED, b64a, TRUSTED_PREFIX, tc, b64b);
}

static int b64_exact(const char *s, size_t slen, uint8_t *out, size_t want)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, s, slen, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	return got == want && end == s + slen ? 0 : -1;
}

static tz_status parse_trailer(const char *t, trailer *tr, tz_err *err)
{
	const char *p = t;
	size_t ul = sizeof UNTRUSTED - 1, tl = sizeof TRUSTED_PREFIX - 1;
	uint8_t blk[74];
	if (memcmp(p, UNTRUSTED, ul))
		goto bad;
	p += ul;
	if (p[SIG_B64] != '\n' || b64_exact(p, SIG_B64, blk, sizeof blk) || blk[0] != 'E' ||
	    blk[1] != 'D')
		goto bad;
	memcpy(tr->key_id, blk + 2, 8);
	memcpy(tr->sig, blk + 10, 64);
	p += SIG_B64 + 1;
	if (memcmp(p, TRUSTED_PREFIX, tl))
		goto bad;
	p += tl;
	if (p[TC_LEN] != '\n' || memchr(p, '\n', TC_LEN))
		goto bad;
	memcpy(tr->tc, p, TC_LEN);
	tr->tc[TC_LEN] = '\0';
	p += TC_LEN + 1;
	if (p[GLOBAL_B64] != '\n' || b64_exact(p, GLOBAL_B64, tr->global, 64))
		goto bad;
	return TZ_OK;
bad:
	return refuse(err, "the bundle's signature block is damaged", "数据包的签名部分已损坏");
}

/* ---- reading ---- */

static tz_status read_full(int fd, void *buf, size_t n, uint64_t off, tz_err *err)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t r = pread(fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return tz_fail(err, TZ_EIO, "read error: %s", "读取错误：%s", tz_strerror(errno));
		if (r == 0)
			return refuse(err, "the file ended early (truncated?)", "文件提前结束（被截断？）");
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return TZ_OK;
}

typedef struct {
	int fd;
	tz_bundle_info info;
	trailer tr;
	uint8_t hdr[FIXED_HEADER]; /* as read: with the recipients, the final chunk's AD */
	uint8_t *recips;           /* version 2: the recipients section (malloc'd) */
	uint8_t key[32];           /* version 2: the file key, once known */
	int keyed;
} bfile;

static void close_bundle(bfile *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	free(b->recips);
	b->recips = NULL;
	sodium_memzero(b->key, sizeof b->key);
	b->keyed = 0;
}

static tz_status open_bundle(const char *path, bfile *b, tz_err *err)
{
	struct stat sb;
	uint8_t hdr[FIXED_HEADER];
	char tbuf[TRAILER_LEN + 1];
	tz_status st;
	b->recips = NULL;
	b->keyed = 0;
	b->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (b->fd < 0)
		return tz_fail(err, errno == ENOENT ? TZ_EIO : TZ_EIO, "cannot open %s: %s",
			       "无法打开 %s：%s", path, tz_strerror(errno));
	if (fstat(b->fd, &sb) || !S_ISREG(sb.st_mode)) {
		st = refuse(err, "not a regular file", "不是普通文件");
		goto fail;
	}
	if ((uint64_t)sb.st_size < FIXED_HEADER + TRAILER_LEN) {
		st = refuse(err, "the file is too short to be a bundle (truncated?)",
			    "文件太短，不是完整的数据包（被截断？）");
		goto fail;
	}
	if ((st = read_full(b->fd, hdr, FIXED_HEADER, 0, err)) ||
	    (st = decode_header(hdr, (uint64_t)sb.st_size, &b->info, err)))
		goto fail;
	memcpy(b->hdr, hdr, FIXED_HEADER);
	if (b->info.version == TZ_BUNDLE_VERSION) {
		size_t n = b->info.nrecipients, len = n * RECIPIENT_BYTES;
		if (!(b->recips = malloc(len))) {
			st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
			goto fail;
		}
		if ((st = read_full(b->fd, b->recips, len, FIXED_HEADER, err)))
			goto fail;
		for (size_t i = 1; i < n; i++)
			if (memcmp(b->recips + (i - 1) * RECIPIENT_BYTES,
				   b->recips + i * RECIPIENT_BYTES, 32) >= 0) {
				st = refuse(err, "the bundle's recipients are not in order",
					    "数据包的接收方顺序错误");
				goto fail;
			}
		for (size_t i = 0; i < n && i < TZ_BUNDLE_SHOW_RECIPIENTS; i++)
			memcpy(b->info.recipient[i], b->recips + i * RECIPIENT_BYTES, 32);
	}
	if ((st = read_full(b->fd, tbuf, TRAILER_LEN, b->info.file_len - TRAILER_LEN, err)))
		goto fail;
	tbuf[TRAILER_LEN] = '\0';
	if ((st = parse_trailer(tbuf, &b->tr, err)))
		goto fail;
	if (memcmp(b->tr.key_id, b->info.key_id, 8)) {
		st = refuse(err, "the signature's key id differs from the header's",
			    "签名的密钥编号与包头不一致");
		goto fail;
	}
	return TZ_OK;
fail:
	close_bundle(b);
	return st;
}

tz_status tz_bundle_peek(const char *path, tz_bundle_info *info, tz_err *err)
{
	bfile b;
	tz_status st = open_bundle(path, &b, err);
	if (st)
		return st;
	close_bundle(&b);
	*info = b.info;
	return TZ_OK;
}

/* Version 2: find this device among the recipients and open its sealed
 * copy of the file key. */
static tz_status open_file_key(bfile *b, const uint8_t *esk, tz_err *err)
{
	uint8_t epk[32], id[32];
	if (!esk)
		return refuse(err, "the bundle is encrypted: this device's passphrase is needed to read it",
			      "数据包已加密：需要本机口令才能读取");
	crypto_scalarmult_base(epk, esk);
	tz_bundle_recipient_id(epk, id);
	const uint8_t *hit = NULL;
	for (size_t i = 0; i < b->info.nrecipients && !hit; i++)
		if (!memcmp(b->recips + i * RECIPIENT_BYTES, id, 32))
			hit = b->recips + i * RECIPIENT_BYTES + 32;
	if (!hit)
		return tz_fail(err, TZ_EREFUSED,
			       "this device is not among the bundle's %u recipients: it cannot decrypt it",
			       "本机不在该数据包的 %u 个接收方之中，无法解密",
			       (unsigned)b->info.nrecipients);
	if (crypto_box_seal_open(b->key, hit, SEALED_BYTES, epk, esk))
		return refuse(err, "the file key sealed to this device does not open (the bundle was altered)",
			      "加密给本机的文件密钥无法打开（数据包被改动）");
	b->keyed = 1;
	return TZ_OK;
}

/* Streaming op decoder over inflated bytes. */
typedef struct {
	uint8_t *buf;
	size_t len, cap;
	uint64_t next_seq, prev_hlc, seen, total;
	const tz_bundle_info *h;
	tz_op_cb cb;
	void *ctx;
	int stopped;
} decoder;

/* Parse complete ops from d->buf; keep a partial tail.  -1 malformed. */
static int decode_ops(decoder *d, int final)
{
	size_t pos = 0;
	while (pos < d->len) {
		size_t p = pos;
		uint64_t dh, table, flags, len;
		if (tz_varint_get(d->buf, d->len, &p, &dh) || tz_varint_get(d->buf, d->len, &p, &table) ||
		    d->len - p < 16)
			goto partial;
		size_t rowpos = p;
		p += 16;
		if (tz_varint_get(d->buf, d->len, &p, &flags) || tz_varint_get(d->buf, d->len, &p, &len))
			goto partial;
		if (len > MAX_OP_DATA || table >= (uint64_t)tz_ntables || flags > TZ_OP_FULL)
			return -1;
		if (d->len - p < len)
			goto partial;
		if (d->seen >= d->h->count)
			return -1; /* more ops than declared */
		tz_op op;
		memcpy(op.origin, d->h->origin, 16);
		op.seq = d->next_seq++;
		if (dh > d->h->hlc_max - d->prev_hlc)
			return -1;
		op.hlc = d->prev_hlc + dh;
		if (d->seen == 0 && op.hlc != d->h->hlc_min)
			return -1;
		if (d->seen > 0 && dh == 0)
			return -1; /* one origin's clock strictly increases */
		d->prev_hlc = op.hlc;
		op.table = (int)table;
		memcpy(op.row, d->buf + rowpos, 16);
		op.flags = (unsigned)flags;
		op.data = d->buf + p;
		op.len = (size_t)len;
		if (!tz_opdata_valid(op.table, op.data, op.len))
			return -1;
		d->seen++;
		if (d->seen == d->h->count && op.hlc != d->h->hlc_max)
			return -1;
		if (d->cb && !d->stopped && d->cb(d->ctx, &op))
			d->stopped = 1;
		pos = p + (size_t)len;
	}
partial:
	if (final && pos != d->len)
		return -1;
	memmove(d->buf, d->buf + pos, d->len - pos);
	d->len -= pos;
	return 0;
}

static int dec_append(decoder *d, const uint8_t *p, size_t n)
{
	if (d->len + n > d->cap) {
		size_t cap = d->cap ? d->cap : CHUNK * 2;
		while (cap < d->len + n)
			cap *= 2;
		if (cap > MAX_OP_DATA * 2 + CHUNK * 4)
			return -1;
		uint8_t *nb = realloc(d->buf, cap);
		if (!nb)
			return -1;
		d->buf = nb;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, p, n);
	d->len += n;
	return 0;
}

/* The payload on its way to the ops: decrypted (version 2), inflated,
 * decoded. */
typedef struct {
	bfile *b;
	tz_err *err;
	z_stream zs;
	int zinit, zend;
	uint8_t *out;
	uint64_t inflated;
	decoder d;
	/* version 2 */
	crypto_secretstream_xchacha20poly1305_state ss;
	uint8_t *cbuf, *pbuf; /* one ciphertext chunk, its plaintext */
	size_t clen;
	int started, final;
} reader;

static tz_status rd_inflate(reader *r, const uint8_t *p, size_t n)
{
	if (!n)
		return TZ_OK;
	if (r->zend)
		return refuse(r->err, "the bundle has data after the end of its payload",
			      "数据包内容结束后还有多余数据");
	r->zs.next_in = (uint8_t *)(uintptr_t)p;
	r->zs.avail_in = (uInt)n;
	while (r->zs.avail_in && !r->zend) {
		r->zs.next_out = r->out;
		r->zs.avail_out = CHUNK;
		int zr = inflate(&r->zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			return refuse(r->err, "the bundle's payload does not decompress",
				      "数据包内容无法解压");
		size_t got = CHUNK - r->zs.avail_out;
		r->inflated += got;
		if (r->inflated > r->b->info.inflated_len)
			return refuse(r->err, "the payload inflates beyond its declared size",
				      "数据包解压后超过声明的大小");
		if (got && (dec_append(&r->d, r->out, got) || decode_ops(&r->d, 0)))
			return refuse(r->err, "the bundle holds a malformed change",
				      "数据包中有格式错误的变更");
		if (zr == Z_STREAM_END)
			r->zend = 1;
		else if (!got && r->zs.avail_in == 0)
			break;
	}
	if (r->zend && r->zs.avail_in)
		return refuse(r->err, "the bundle has data after the end of its payload",
			      "数据包内容结束后还有多余数据");
	return TZ_OK;
}

/* Decrypt the chunk in cbuf; the last one carries the final tag and the
 * header with the recipients as associated data. */
static tz_status rd_chunk(reader *r, int last)
{
	unsigned long long plen = 0;
	unsigned char tag = 0;
	const uint8_t *ad = NULL;
	uint8_t *adbuf = NULL;
	size_t adlen = 0;
	if (last) {
		adlen = r->b->info.header_len;
		if (!(adbuf = malloc(adlen)))
			return tz_fail(r->err, TZ_ENOMEM, "out of memory", "内存不足");
		memcpy(adbuf, r->b->hdr, FIXED_HEADER);
		memcpy(adbuf + FIXED_HEADER, r->b->recips, adlen - FIXED_HEADER);
		ad = adbuf;
	}
	int bad = crypto_secretstream_xchacha20poly1305_pull(&r->ss, r->pbuf, &plen, &tag, r->cbuf,
							      r->clen, ad, adlen);
	free(adbuf);
	if (bad)
		return refuse(r->err,
			      "the encrypted payload does not authenticate (altered, or its header was"
			      " changed and the bundle signed again)",
			      "加密内容校验失败（被改动，或包头被改后重新签名）");
	if (last != (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) ||
	    (!last && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE))
		return refuse(r->err, "the encrypted payload is cut short or out of order (truncated?)",
			      "加密内容不完整或顺序错误（被截断？）");
	r->clen = 0;
	if (last)
		r->final = 1;
	return rd_inflate(r, r->pbuf, (size_t)plen);
}

/* Payload bytes in file order; last: these end the payload. */
static tz_status rd_payload(reader *r, const uint8_t *p, size_t n, int last)
{
	if (r->b->info.version != TZ_BUNDLE_VERSION)
		return rd_inflate(r, p, n);
	tz_status st;
	while (n) {
		if (!r->started) {
			/* the stream header: the first SS_HEADER payload bytes
			 * (a read may end inside them) */
			size_t k = SS_HEADER - r->clen < n ? SS_HEADER - r->clen : n;
			memcpy(r->cbuf + r->clen, p, k);
			r->clen += k;
			p += k;
			n -= k;
			if (r->clen < SS_HEADER)
				continue;
			if (crypto_secretstream_xchacha20poly1305_init_pull(&r->ss, r->cbuf, r->b->key))
				return refuse(r->err, "the encrypted payload's header is damaged",
					      "加密内容的头部已损坏");
			r->started = 1;
			r->clen = 0;
			continue;
		}
		if (r->clen == SS_CHUNK + SS_ABYTES && (st = rd_chunk(r, 0)))
			return st;
		size_t room = SS_CHUNK + SS_ABYTES - r->clen, k = n < room ? n : room;
		memcpy(r->cbuf + r->clen, p, k);
		r->clen += k;
		p += k;
		n -= k;
	}
	if (last) {
		if (!r->started || !r->clen)
			return refuse(r->err, "the encrypted payload is incomplete (truncated?)",
				      "加密内容不完整（被截断？）");
		return rd_chunk(r, 1);
	}
	return TZ_OK;
}

/* Read the body, hashing it, and (if decode) decrypt, inflate and decode
 * the payload.  On success hash256/prehash hold the body's hashes. */
static tz_status scan_body(bfile *b, int decode, tz_op_cb cb, void *ctx, uint8_t prehash[64],
			   tz_err *err)
{
	crypto_generichash_state h512, h256;
	uint8_t *in = malloc(CHUNK);
	reader r = {.b = b, .err = err, .out = malloc(CHUNK),
		    .d = {.next_seq = b->info.first_seq, .prev_hlc = b->info.hlc_min, .h = &b->info,
			  .cb = cb, .ctx = ctx}};
	tz_status st = TZ_OK;
	uint64_t off = 0, body = b->info.header_len + b->info.payload_len;
	int enc = b->info.version == TZ_BUNDLE_VERSION;
	if (!in || !r.out) {
		st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
		goto out;
	}
	crypto_generichash_init(&h512, NULL, 0, 64);
	crypto_generichash_init(&h256, NULL, 0, 32);
	if (decode && enc && !b->keyed) {
		st = refuse(err, "the bundle is encrypted: no key to read it",
			    "数据包已加密：没有可读取它的密钥");
		goto out;
	}
	if (decode && enc &&
	    (!(r.cbuf = malloc(SS_CHUNK + SS_ABYTES)) || !(r.pbuf = malloc(SS_CHUNK)))) {
		st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
		goto out;
	}
	if (decode) {
		if (inflateInit(&r.zs) != Z_OK) {
			st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
			goto out;
		}
		r.zinit = 1;
	}
	while (off < body) {
		size_t n = body - off < CHUNK ? (size_t)(body - off) : CHUNK;
		if ((st = read_full(b->fd, in, n, off, err)))
			goto out;
		crypto_generichash_update(&h512, in, n);
		crypto_generichash_update(&h256, in, n);
		size_t skip = off < b->info.header_len ? (size_t)(b->info.header_len - off) : 0;
		off += n;
		if (!decode || skip >= n)
			continue;
		if ((st = rd_payload(&r, in + skip, n - skip, off == body)))
			goto out;
	}
	if (decode) {
		if (!r.zend) {
			st = refuse(err, "the bundle's payload is incomplete (truncated?)",
				    "数据包内容不完整（被截断？）");
			goto out;
		}
		if (r.inflated != b->info.inflated_len || decode_ops(&r.d, 1) ||
		    r.d.seen != b->info.count) {
			st = refuse(err, "the bundle holds other changes than its header declares",
				    "数据包中的变更与包头声明不符");
			goto out;
		}
	}
	crypto_generichash_final(&h512, prehash, 64);
	crypto_generichash_final(&h256, b->info.hash, 32);
out:
	if (r.zinit)
		inflateEnd(&r.zs);
	free(in);
	free(r.out);
	free(r.d.buf);
	free(r.cbuf);
	if (r.pbuf) {
		sodium_memzero(r.pbuf, SS_CHUNK);
		free(r.pbuf);
	}
	sodium_memzero(&r.ss, sizeof r.ss);
	return st;
}

static tz_status check_signature(const bfile *b, const uint8_t pk[32], const uint8_t prehash[64],
				 tz_err *err)
{
	char tc[TC_LEN + 1];
	uint8_t sigtc[64 + TC_LEN];
	if (crypto_sign_verify_detached(b->tr.sig, prehash, 64, pk))
		return refuse(err, "bad signature: the bundle was changed or signed by another key",
			      "签名无效：数据包被改动或由其他密钥签名");
	trusted_comment(&b->info, tc);
	memcpy(sigtc, b->tr.sig, 64);
	memcpy(sigtc + 64, b->tr.tc, TC_LEN);
	if (crypto_sign_verify_detached(b->tr.global, sigtc, sizeof sigtc, pk))
		return refuse(err, "bad signature on the bundle's trusted comment",
			      "数据包可信注释的签名无效");
	if (strcmp(tc, b->tr.tc))
		return refuse(err, "the signed comment does not match the bundle",
			      "签名注释与数据包内容不符");
	return TZ_OK;
}

/* Verify a file: with file_key (the writer's read-back) or esk the whole
 * payload; with neither, an encrypted payload only as far as an auditor can. */
static tz_status verify_file(const char *path, const uint8_t pk[32], const uint8_t *esk,
			     const uint8_t *file_key, tz_bundle_info *info, tz_op_cb cb, void *ctx,
			     tz_err *err)
{
	bfile b;
	uint8_t prehash[64];
	tz_status st = open_bundle(path, &b, err);
	if (st)
		return st;
	int enc = b.info.version == TZ_BUNDLE_VERSION, decode = 1;
	if (enc && file_key) {
		memcpy(b.key, file_key, 32);
		b.keyed = 1;
	} else if (enc && esk) {
		st = open_file_key(&b, esk, err);
	} else if (enc) {
		decode = 0;
		if (cb)
			st = refuse(err, "the bundle is encrypted: no key to read it",
				    "数据包已加密：没有可读取它的密钥");
	}
	if (!st && !(st = scan_body(&b, decode, cb, ctx, prehash, err)))
		st = check_signature(&b, pk, prehash, err);
	close_bundle(&b);
	if (info)
		*info = b.info;
	return st;
}

tz_status tz_bundle_verify(const char *path, const uint8_t pk[32], const uint8_t *esk,
			   tz_bundle_info *info, tz_op_cb cb, void *ctx, tz_err *err)
{
	return verify_file(path, pk, esk, NULL, info, cb, ctx, err);
}

void tz_bundle_name(const tz_bundle_info *info, char out[128])
{
	char o[33], hh[65];
	tz_hex(info->origin, 16, o);
	tz_hex(info->hash, 32, hh);
	o[8] = '\0';
	hh[16] = '\0';
	snprintf(out, 128, "%s-%llu-%llu-%s%s", o, (unsigned long long)info->first_seq,
		 (unsigned long long)info->last_seq, hh, TZ_BUNDLE_EXT);
}

/* ---- writing ---- */

static tz_status store_bundle(tz_db *db, const bfile *b, const char *status, int keep_data,
			      tz_err *err);

static tz_status write_all(int fd, const void *buf, size_t n, const char *path, tz_err *err)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			if (errno == ENOSPC || errno == EDQUOT)
				return tz_fail(err, TZ_EIO, "%s: the disk is full", "%s：磁盘已满", path);
			if (errno == EROFS)
				return tz_fail(err, TZ_EIO, "%s: the disk is read-only", "%s：磁盘只读", path);
			return tz_fail(err, TZ_EIO, "%s: write error: %s (was the stick pulled out?)",
				       "%s：写入错误：%s（U 盘被拔出了吗？）", path, tz_strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return TZ_OK;
}

static tz_status fsync_dir(const char *dir, tz_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return tz_fail(err, TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", dir, tz_strerror(errno));
	int r = fsync(fd);
	int e = errno;
	close(fd);
	if (r && e != EINVAL)
		return tz_fail(err, TZ_EIO, "%s: cannot flush to disk: %s", "%s：无法写入磁盘：%s", dir,
			       tz_strerror(e));
	return TZ_OK;
}

/* Where the zlib stream goes: nowhere (only counted and hashed: the first
 * pass of an encrypted bundle), the file (version 1), or the file through
 * crypto_secretstream (version 2). */
enum { SINK_COUNT, SINK_PLAIN, SINK_SEALED };

typedef struct {
	z_stream zs;
	int fd, mode;
	const char *path;
	uint8_t out[CHUNK];
	tz_buf op;           /* encoding of one op */
	uint64_t raw, comp;  /* bytes in, bytes of zlib stream out */
	uint64_t first, last, hlc_min, hlc_max, prev_hlc;
	uint32_t count;
	size_t max_raw, max_comp;
	crypto_generichash_state zh; /* BLAKE2b-256 of the zlib stream */
	crypto_secretstream_xchacha20poly1305_state ss;
	uint8_t *pbuf, *cbuf; /* SINK_SEALED: plaintext chunk being filled, its ciphertext */
	size_t plen;
	tz_status st;
	tz_err *err;
} writer;

/* Encrypt the chunk in pbuf and write it; the last one with the final tag
 * and ad (the header and recipients). */
static tz_status seal_chunk(writer *w, int last, const uint8_t *ad, size_t adlen)
{
	unsigned long long clen = 0;
	crypto_secretstream_xchacha20poly1305_push(
		&w->ss, w->cbuf, &clen, w->pbuf, w->plen, ad, adlen,
		last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
		     : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
	w->plen = 0;
	return write_all(w->fd, w->cbuf, (size_t)clen, w->path, w->err);
}

static tz_status sink(writer *w, const uint8_t *p, size_t n)
{
	tz_status st;
	w->comp += n;
	crypto_generichash_update(&w->zh, p, n);
	if (w->mode == SINK_COUNT)
		return TZ_OK;
	if (w->mode == SINK_PLAIN)
		return write_all(w->fd, p, n, w->path, w->err);
	while (n) {
		/* a full chunk goes out only once more follows: the last one
		 * (1 ... SS_CHUNK bytes) carries the final tag */
		if (w->plen == SS_CHUNK && (st = seal_chunk(w, 0, NULL, 0)))
			return st;
		size_t k = SS_CHUNK - w->plen < n ? SS_CHUNK - w->plen : n;
		memcpy(w->pbuf + w->plen, p, k);
		w->plen += k;
		p += k;
		n -= k;
	}
	return TZ_OK;
}

static tz_status deflate_some(writer *w, int flush)
{
	int zr;
	do {
		w->zs.next_out = w->out;
		w->zs.avail_out = CHUNK;
		zr = deflate(&w->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return tz_fail(w->err, TZ_EIO, "compression failed", "压缩失败");
		size_t n = CHUNK - w->zs.avail_out;
		if (n) {
			tz_status st = sink(w, w->out, n);
			if (st)
				return st;
		}
	} while (w->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return TZ_OK;
}

static int writer_op(void *ctx, const tz_op *op)
{
	writer *w = ctx;
	if (w->count && (w->raw >= w->max_raw || w->comp >= w->max_comp ||
			 w->count >= TZ_BUNDLE_MAX_OPS))
		return 1; /* this bundle is full: the next one takes the rest */
	if (op->len > MAX_OP_DATA) {
		w->st = tz_fail(w->err, TZ_EINVAL, "a change is too large to export (%zu bytes)",
				"变更过大，无法导出（%zu 字节）", op->len);
		return 1;
	}
	if (!w->count) {
		w->first = op->seq;
		w->hlc_min = w->prev_hlc = op->hlc;
	}
	w->op.len = 0;
	tz_buf_varint(&w->op, op->hlc - w->prev_hlc);
	tz_buf_varint(&w->op, (uint64_t)op->table);
	tz_buf_put(&w->op, op->row, 16);
	tz_buf_varint(&w->op, op->flags);
	tz_buf_varint(&w->op, op->len);
	tz_buf_put(&w->op, op->data, op->len);
	if (w->op.failed) {
		w->st = tz_fail(w->err, TZ_ENOMEM, "out of memory", "内存不足");
		return 1;
	}
	w->prev_hlc = w->hlc_max = op->hlc;
	w->last = op->seq;
	w->count++;
	w->raw += w->op.len;
	w->zs.next_in = w->op.buf;
	w->zs.avail_in = (uInt)w->op.len;
	if ((w->st = deflate_some(w, Z_NO_FLUSH)))
		return 1;
	return 0;
}

/* Compress this device's ops from..to through w's sink, stopping where
 * the bundle is full; *zhash: BLAKE2b-256 of the zlib stream. */
static tz_status run_writer(tz_db *db, writer *w, uint64_t from, uint64_t to, uint8_t zhash[32])
{
	if (deflateInit(&w->zs, 9) != Z_OK)
		return tz_fail(w->err, TZ_ENOMEM, "out of memory", "内存不足");
	crypto_generichash_init(&w->zh, NULL, 0, 32);
	tz_status st = tz_oplog_read(db, tz_db_origin(db), from, to, writer_op, w, w->err);
	if (!st)
		st = w->st;
	if (!st)
		st = deflate_some(w, Z_FINISH);
	deflateEnd(&w->zs);
	if (!st)
		crypto_generichash_final(&w->zh, zhash, 32);
	return st;
}

/* Hash the body of an open file (header + payload). */
static tz_status hash_body(int fd, uint64_t len, uint8_t prehash[64], uint8_t hash[32], tz_err *err)
{
	crypto_generichash_state h512, h256;
	uint8_t *buf = malloc(CHUNK);
	tz_status st = TZ_OK;
	if (!buf)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	crypto_generichash_init(&h512, NULL, 0, 64);
	crypto_generichash_init(&h256, NULL, 0, 32);
	for (uint64_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? (size_t)(len - off) : CHUNK;
		if ((st = read_full(fd, buf, n, off, err)))
			break;
		crypto_generichash_update(&h512, buf, n);
		crypto_generichash_update(&h256, buf, n);
		off += n;
	}
	free(buf);
	if (!st) {
		crypto_generichash_final(&h512, prehash, 64);
		crypto_generichash_final(&h256, hash, 32);
	}
	return st;
}

static uint64_t meta_u64(tz_db *db, const char *key)
{
	char *v = tz_meta_get(db, key);
	uint64_t r = v ? strtoull(v, NULL, 10) : 0;
	free(v);
	return r;
}

/* A recipient: its id in the bundle and its X25519 key. */
typedef struct {
	uint8_t id[32];
	uint8_t epk[32];
} recipient;

static int recipient_cmp(const void *a, const void *b)
{
	return memcmp(((const recipient *)a)->id, ((const recipient *)b)->id, 32);
}

/* Digits of the region code that name a device's own area: a village's
 * all 12, a township's first 9, a county's first 6. */
static int area_digits(tz_role r)
{
	return r == TZ_ROLE_VILLAGE ? 12 : r == TZ_ROLE_TOWNSHIP ? 9 : 6;
}

/* Who may read this device's bundles (docs/bundle-format.md, "Recipients"):
 * this device; every enrolled, unrevoked key with a signed encryption key
 * of another level whose area contains this device's or lies in it (a
 * village: its township and county; a township: its county and villages; a
 * county: its townships and villages); every escrow key.  Sorted by id,
 * each once.  *others: how many besides this device. */
static tz_status pick_recipients(tz_db *db, recipient **out, size_t *n, size_t *others,
				 tz_err *err)
{
	tz_keyring kr;
	tz_status st = tz_keyring_from_db(db, &kr, err);
	*out = NULL;
	*n = *others = 0;
	if (st)
		return st;
	recipient *v = calloc(kr.n + 1, sizeof *v);
	if (!v) {
		tz_keyring_free(&kr);
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	}
	tz_role me = tz_db_role(db);
	char *region = tz_db_region(db);
	size_t m = 0;
	int self = 0;
	for (size_t i = 0; i < kr.n; i++) {
		const tz_keyent *k = &kr.v[i];
		int own = !memcmp(k->origin, tz_db_origin(db), 16);
		if (!tz_keyent_enc_ok(k) || (!own && k->revoked_after >= 0))
			continue;
		if (!own && k->role != TZ_ROLE_ESCROW) {
			int d = area_digits(me) < area_digits(k->role) ? area_digits(me)
								      : area_digits(k->role);
			if (k->role == me || !region || strlen(region) != 12 ||
			    memcmp(region, k->region, (size_t)d))
				continue;
		}
		self |= own;
		tz_bundle_recipient_id(k->epk, v[m].id);
		memcpy(v[m].epk, k->epk, 32);
		m++;
	}
	free(region);
	tz_keyring_free(&kr);
	if (m)
		qsort(v, m, sizeof *v, recipient_cmp);
	size_t u = 0;
	for (size_t i = 0; i < m; i++)
		if (!u || memcmp(v[u - 1].id, v[i].id, 32))
			v[u++] = v[i];
	if (!self) {
		free(v);
		return tz_fail(err, TZ_EKEY,
			       "this device has no encryption key yet: unlock it with the passphrase first",
			       "本机尚无加密密钥：请先用口令解锁");
	}
	if (u > TZ_BUNDLE_MAX_RECIPIENTS_V2) {
		free(v);
		return tz_fail(err, TZ_EREFUSED, "more than %d devices would read this bundle",
			       "读取该数据包的设备超过 %d 台", TZ_BUNDLE_MAX_RECIPIENTS_V2);
	}
	*out = v;
	*n = u;
	*others = u - 1;
	return TZ_OK;
}

/* BLAKE2b keyed with key over label || a || b, outlen bytes. */
static void prf(uint8_t *out, size_t outlen, const uint8_t key[32], const char *label,
		const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, 32, outlen);
	crypto_generichash_update(&st, (const uint8_t *)label, strlen(label) + 1);
	if (alen)
		crypto_generichash_update(&st, a, alen);
	if (blen)
		crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, out, outlen);
	sodium_memzero(&st, sizeof st);
}

/* The recipients section of a version 2 bundle and its stream header.
 * Everything is derived from the file key, itself derived from the signing
 * seed, the header, the recipients and the payload, so that writing the
 * same range again gives the same bytes (docs/bundle-format.md):
 *   file key  K = BLAKE2b-256(key = seed, "taizhang-bundle-v2 file key\0"
 *                              || header || ids || BLAKE2b-256(zlib stream))
 *   stream header = BLAKE2b-192(key = K, "taizhang-bundle-v2 stream\0")
 *   per recipient R: e = BLAKE2b-256(key = K, "taizhang-bundle-v2 ephemeral\0" || R),
 *   sealed = X25519(e) || crypto_box(K, nonce = BLAKE2b-192(X25519(e) || R), R, e),
 *   which is exactly a crypto_box_seal of K to R. */
static tz_status make_recipients(const uint8_t *sk, const uint8_t hdr[FIXED_HEADER],
				 const recipient *r, size_t n, const uint8_t zhash[32],
				 uint8_t *section, uint8_t key[32], uint8_t sshdr[SS_HEADER],
				 tz_err *err)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, sk, 32, 32); /* the seed: sk's first 32 bytes */
	crypto_generichash_update(&st, (const uint8_t *)"taizhang-bundle-v2 file key", 28);
	crypto_generichash_update(&st, hdr, FIXED_HEADER);
	for (size_t i = 0; i < n; i++)
		crypto_generichash_update(&st, r[i].id, 32);
	crypto_generichash_update(&st, zhash, 32);
	crypto_generichash_final(&st, key, 32);
	sodium_memzero(&st, sizeof st);
	prf(sshdr, SS_HEADER, key, "taizhang-bundle-v2 stream", NULL, 0, NULL, 0);
	for (size_t i = 0; i < n; i++) {
		uint8_t e[32], nonce[crypto_box_NONCEBYTES], *out = section + i * RECIPIENT_BYTES;
		prf(e, 32, key, "taizhang-bundle-v2 ephemeral", r[i].epk, 32, NULL, 0);
		memcpy(out, r[i].id, 32);
		crypto_scalarmult_base(out + 32, e);
		crypto_generichash_init(&st, NULL, 0, sizeof nonce);
		crypto_generichash_update(&st, out + 32, 32);
		crypto_generichash_update(&st, r[i].epk, 32);
		crypto_generichash_final(&st, nonce, sizeof nonce);
		int bad = crypto_box_easy(out + 64, key, 32, nonce, r[i].epk, e);
		sodium_memzero(e, sizeof e);
		if (bad)
			return tz_fail(err, TZ_EREFUSED,
				       "cannot encrypt to an enrolled key (not a usable X25519 key)",
				       "无法加密给一个已登记的密钥（不是可用的 X25519 密钥）");
	}
	return TZ_OK;
}

/* Write one bundle of ops from `from` into dir, encrypted to r[0..nr) (nr
 * 0: unencrypted, version 1). */
static tz_status export_one(tz_db *db, const uint8_t *sk, const uint8_t pk[32],
			    const uint8_t key_id[8], const recipient *r, size_t nr,
			    const char *dir, size_t max_bytes, uint64_t from, const uint8_t prev[32],
			    char final[4200], tz_bundle_info *info, tz_err *err)
{
	char tmp[4200];
	writer *w = calloc(1, sizeof *w), *a = NULL;
	uint8_t *section = NULL, key[32], sshdr[SS_HEADER], zhash[32], zhash2[32];
	tz_status st;
	if (!w)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	w->fd = -1;
	w->path = dir; /* messages name the stick, not the temporary file */
	w->err = err;
	w->max_raw = max_bytes * 8;
	w->max_comp = max_bytes;
	memset(info, 0, sizeof *info);
	uint64_t to = UINT64_MAX;
	if (nr) {
		/* first pass: where this bundle ends, and its zlib stream's hash */
		if (!(a = calloc(1, sizeof *a))) {
			st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
			goto out;
		}
		*a = *w;
		a->mode = SINK_COUNT;
		if ((st = run_writer(db, a, from, UINT64_MAX, zhash)))
			goto out;
		to = a->last;
		info->version = TZ_BUNDLE_VERSION;
		info->flags = TZ_BUNDLE_F_ENCRYPTED;
		info->nrecipients = (uint16_t)nr;
		info->payload_len = sealed_len(a->comp);
		info->first_seq = a->first;
		info->last_seq = a->last;
		info->hlc_min = a->hlc_min;
		info->hlc_max = a->hlc_max;
		info->inflated_len = a->raw;
		info->count = a->count;
	}
	snprintf(tmp, sizeof tmp, "%s/" TMP_PREFIX "XXXXXX", dir);
	w->fd = mkostemp(tmp, O_CLOEXEC);
	if (w->fd < 0) {
		st = tz_fail(err, TZ_EIO, "cannot write in %s: %s", "无法在 %s 中写入：%s", dir,
			     tz_strerror(errno));
		goto out;
	}

	uint8_t hdr[FIXED_HEADER] = {0};
	info->header_len = FIXED_HEADER + (uint32_t)nr * RECIPIENT_BYTES;
	memcpy(info->origin, tz_db_origin(db), 16);
	memcpy(info->key_id, key_id, 8);
	memcpy(info->prev, prev, 32);
	if (nr) {
		/* from the ops, not the wall clock: exporting the same range
		 * again (after a crash before the state advanced) gives the
		 * same bytes */
		info->created_ms = TZ_HLC_WALL(info->hlc_max);
		encode_header(info, hdr);
		if (!(section = malloc(nr * RECIPIENT_BYTES)) || !(w->pbuf = malloc(SS_CHUNK)) ||
		    !(w->cbuf = malloc(SS_CHUNK + SS_ABYTES))) {
			st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
			goto fail;
		}
		if ((st = make_recipients(sk, hdr, r, nr, zhash, section, key, sshdr, err)))
			goto fail;
		/* crypto_secretstream's push state from a chosen header: init_pull
		 * sets up the same state init_push would after drawing it */
		crypto_secretstream_xchacha20poly1305_init_pull(&w->ss, sshdr, key);
		w->mode = SINK_SEALED;
		if ((st = write_all(w->fd, hdr, sizeof hdr, dir, err)) ||
		    (st = write_all(w->fd, section, nr * RECIPIENT_BYTES, dir, err)) ||
		    (st = write_all(w->fd, sshdr, SS_HEADER, dir, err)))
			goto fail;
	} else {
		w->mode = SINK_PLAIN;
		if ((st = write_all(w->fd, hdr, sizeof hdr, dir, err)))
			goto fail;
	}
	/* (second) pass: the payload itself */
	if ((st = run_writer(db, w, from, to, zhash2)))
		goto fail;
	if (nr) {
		uint8_t *ad = malloc(info->header_len);
		if (!ad) {
			st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
			goto fail;
		}
		memcpy(ad, hdr, FIXED_HEADER);
		memcpy(ad + FIXED_HEADER, section, nr * RECIPIENT_BYTES);
		st = seal_chunk(w, 1, ad, info->header_len);
		free(ad);
		if (st)
			goto fail;
		if (w->comp != a->comp || w->raw != a->raw || w->count != a->count ||
		    w->last != a->last || memcmp(zhash, zhash2, 32)) {
			st = tz_fail(err, TZ_EINVAL, "internal: the two passes over the changes differ",
				     "内部错误：两次读取的变更不一致");
			goto fail;
		}
	} else {
		info->version = TZ_BUNDLE_VERSION_PLAIN;
		info->first_seq = w->first;
		info->last_seq = w->last;
		info->hlc_min = w->hlc_min;
		info->hlc_max = w->hlc_max;
		info->created_ms = TZ_HLC_WALL(w->hlc_max);
		info->payload_len = w->comp;
		info->inflated_len = w->raw;
		info->count = w->count;
	}
	if (info->payload_len > TZ_BUNDLE_MAX_PAYLOAD || info->inflated_len > TZ_BUNDLE_MAX_INFLATED) {
		st = tz_fail(err, TZ_EINVAL, "internal: bundle over the size limit", "内部错误：数据包超限");
		goto fail;
	}
	if (!nr) {
		encode_header(info, hdr);
		if (pwrite(w->fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr) {
			st = tz_fail(err, TZ_EIO, "%s: write error: %s", "%s：写入错误：%s", dir,
				     tz_strerror(errno));
			goto fail;
		}
	}
	uint8_t prehash[64];
	if ((st = hash_body(w->fd, info->header_len + info->payload_len, prehash, info->hash, err)))
		goto fail;
	char tr[TRAILER_LEN + 1];
	build_trailer(info, sk, prehash, tr);
	if (lseek(w->fd, 0, SEEK_END) < 0 || (st = write_all(w->fd, tr, TRAILER_LEN, dir, err)))
		goto fail;
	if (fsync(w->fd)) {
		st = tz_fail(err, TZ_EIO, "%s: cannot flush to disk: %s", "%s：无法写入磁盘：%s", dir,
			     tz_strerror(errno));
		goto fail;
	}
	char name[128];
	tz_bundle_name(info, name);
	snprintf(final, 4200, "%s/%s", dir, name);
	if (rename(tmp, final)) {
		st = tz_fail(err, TZ_EIO, "cannot rename %s: %s", "无法重命名 %s：%s", tmp, tz_strerror(errno));
		goto fail;
	}
	close(w->fd);
	w->fd = -1;
	if ((st = fsync_dir(dir, err))) {
		unlink(final);
		goto out;
	}
	/* read it back from the medium and check it as an importer would */
	tz_bundle_info back;
	if ((st = verify_file(final, pk, NULL, nr ? key : NULL, &back, NULL, NULL, err)) ||
	    memcmp(back.hash, info->hash, 32)) {
		if (!st)
			st = tz_fail(err, TZ_EIO, "%s reads back differently", "%s 读回内容不一致", final);
		unlink(final);
		fsync_dir(dir, NULL);
	}
	for (size_t i = 0; i < nr && i < TZ_BUNDLE_SHOW_RECIPIENTS; i++)
		memcpy(info->recipient[i], r[i].id, 32);
	goto out;
fail:
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	unlink(tmp);
out:
	if (w->fd >= 0)
		close(w->fd);
	sodium_memzero(key, sizeof key);
	tz_buf_free(&w->op);
	if (a)
		tz_buf_free(&a->op);
	free(a);
	free(section);
	if (w->pbuf) {
		sodium_memzero(w->pbuf, SS_CHUNK);
		free(w->pbuf);
	}
	free(w->cbuf);
	sodium_memzero(&w->ss, sizeof w->ss);
	free(w);
	return st;
}

/* Temporary files of exports killed before their rename (a power cut, a
 * pulled stick put back): removed before the next export into the folder,
 * so they do not pile up on the stick -- but only when no other export is
 * writing there.  Every export holds a shared flock() on the folder while
 * it writes; the cleaner needs it exclusively (not waiting for it), then
 * keeps it shared for its own export.  Returns the folder's descriptor
 * (-1 if it cannot be opened: then nothing is removed). */
static int lock_folder(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (flock(dfd, LOCK_EX | LOCK_NB) == 0) {
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			struct stat sb;
			if (strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) ||
			    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) || !S_ISREG(sb.st_mode))
				continue;
			unlinkat(dfd, e->d_name, 0);
		}
		if (d)
			closedir(d);
	}
	flock(dfd, LOCK_SH); /* converts, or waits out another export's cleaning */
	return dfd;
}

static tz_status export_locked(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			       tz_path_cb cb, void *ctx, int *nbundles, tz_err *err);

tz_status tz_bundle_export(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			   tz_path_cb cb, void *ctx, int *nbundles, tz_err *err)
{
	int dfd = lock_folder(dir); /* not a folder: export_locked says so */
	tz_status st = export_locked(db, sk, dir, max_bytes, cb, ctx, nbundles, err);
	if (dfd >= 0)
		close(dfd);
	return st;
}

static tz_status export_locked(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			       tz_path_cb cb, void *ctx, int *nbundles, tz_err *err)
{
	uint8_t pk[32], key_id[8], prev[32] = {0};
	tz_status st;
	struct stat sb;
	*nbundles = 0;
	if (!tz_db_has_identity(db))
		return tz_fail(err, TZ_EUSAGE, "this database has no identity: run 'taizhang init'",
			       "数据库尚未初始化：请运行 taizhang init");
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return tz_fail(err, TZ_EIO, "%s is not a folder (is the stick plugged in?)",
			       "%s 不是文件夹（U 盘插好了吗？）", dir);
	if ((st = tz_key_public(db, pk, key_id, err)))
		return st;
	if (max_bytes == 0)
		max_bytes = DEFAULT_MAX_BYTES;
	uint64_t done = meta_u64(db, "export_seq");
	tz_meta_blob(db, "export_hash", prev, 32);
	uint64_t top = tz_oplog_high_water(db, tz_db_origin(db));
	recipient *r = NULL;
	size_t nr = 0, others = 0;
	if (done < top && tz_settings_int(db, "sync.encrypt")) {
		if ((st = pick_recipients(db, &r, &nr, &others, err)))
			return st;
		if (!others) {
			free(r);
			return tz_fail(err, TZ_EREFUSED,
				       "no other device could read an encrypted bundle: enrol your township's"
				       " or county's public key first (taizhang keyring add), or turn"
				       " encryption off (taizhang setting set sync.encrypt 0)",
				       "没有其他设备能读取加密数据包：请先登记乡镇或县的公钥（taizhang keyring"
				       " add），或关闭加密（taizhang setting set sync.encrypt 0）");
		}
	}
	while (done < top) {
		char path[4200];
		tz_bundle_info info;
		if ((st = export_one(db, sk, pk, key_id, r, nr, dir, max_bytes, done + 1, prev, path,
				     &info, err)))
			break;
		/* only now does the export state advance */
		char seq[24];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)info.last_seq);
		if ((st = tz_db_begin(db, err)))
			break;
		bfile own = {.fd = -1, .info = info};
		if ((st = tz_meta_put(db, "export_seq", seq, -1, 0, err)) ||
		    (st = tz_meta_put(db, "export_hash", info.hash, 32, 1, err)) ||
		    (st = store_bundle(db, &own, "applied", 0, err))) {
			tz_db_rollback(db);
			break;
		}
		if ((st = tz_db_commit(db, err)))
			break;
		done = info.last_seq;
		memcpy(prev, info.hash, 32);
		(*nbundles)++;
		if (cb)
			cb(ctx, path);
	}
	free(r);
	return st;
}

/* ---- importing ---- */

/* Ops are applied in batches of up to BATCH_OPS ops or BATCH_BYTES of op
 * data (a whole bundle as `export` writes them): tz_oplog_apply sorts each
 * batch by row, so the larger the batch, the more of the tables it writes
 * in order.  Both bounds keep memory independent of the file. */
#define BATCH_OPS (1u << 18)
#define BATCH_BYTES (32u << 20)
_Static_assert(MAX_OP_DATA <= BATCH_BYTES, "an op fits an empty batch");

static size_t batch_ops = BATCH_OPS;

void tz_bundle_batch_limit(size_t ops)
{
	batch_ops = ops && ops < BATCH_OPS ? ops : BATCH_OPS;
}

typedef struct {
	tz_db *db;
	tz_op *ops;
	uint8_t *arena;
	size_t used, cap, n;
	size_t applied, quarantined;
	int64_t horizon; /* ops whose wall clock lies beyond this are quarantined */
	int overflow;    /* pass 1 could not keep every op: pass 2 reads the file again */
	tz_status st;
	tz_err *err;
} applier;

static tz_status flush_batch(applier *a)
{
	size_t got = 0;
	if (!a->n)
		return TZ_OK;
	tz_status st = tz_oplog_apply(a->db, a->ops, a->n, &got, a->err);
	a->applied += got;
	a->n = 0;
	a->used = 0;
	return st;
}

static tz_status quarantine(applier *a, const tz_op *op)
{
	sqlite3_stmt *st = tz_stmt(a->db, "INSERT OR IGNORE INTO quarantine(origin, seq, hlc, tbl,"
					  " row, flags, data, received) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
	if (!st)
		return tz_db_fail(a->db, a->err, "quarantine");
	sqlite3_bind_blob(st, 1, op->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)op->hlc);
	sqlite3_bind_int(st, 4, op->table);
	sqlite3_bind_blob(st, 5, op->row, 16, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, (int)op->flags);
	sqlite3_bind_blob(st, 7, op->len ? (const void *)op->data : "", (int)op->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, tz_wall_ms());
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(a->db, a->err, "quarantine");
	a->quarantined++;
	return TZ_OK;
}

static int batch_full(const applier *a, const tz_op *op)
{
	return a->n >= batch_ops || a->used + op->len > a->cap;
}

/* Append op (its data copied into the arena) to the batch; it has room. */
static void batch_add(applier *a, const tz_op *op)
{
	tz_op *o = &a->ops[a->n++];
	*o = *op;
	memcpy(a->arena + a->used, op->data, op->len);
	o->data = a->arena + a->used;
	a->used += op->len;
}

static int apply_cb(void *ctx, const tz_op *op)
{
	applier *a = ctx;
	if (TZ_HLC_WALL(op->hlc) > a->horizon) {
		a->st = quarantine(a, op);
		return a->st != TZ_OK;
	}
	if (batch_full(a, op) && (a->st = flush_batch(a)))
		return 1;
	batch_add(a, op);
	return 0;
}

/* Pass 1 keeps the ops it verified, when they fit one batch (a bundle as
 * `export` writes them does): pass 2 then applies what was verified
 * without reading, decrypting and inflating the file again. */
static int collect_cb(void *ctx, const tz_op *op)
{
	applier *a = ctx;
	if (a->overflow)
		return 0;
	if (batch_full(a, op)) {
		a->overflow = 1;
		a->n = a->used = 0;
		return 0;
	}
	batch_add(a, op);
	return 0;
}

/* Pass 2 from what pass 1 kept: quarantine the ops from too far ahead,
 * apply the rest as one batch. */
static tz_status apply_kept(applier *a)
{
	size_t keep = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (TZ_HLC_WALL(a->ops[i].hlc) > a->horizon) {
			tz_status st = quarantine(a, &a->ops[i]);
			if (st)
				return st;
		} else {
			a->ops[keep++] = a->ops[i];
		}
	}
	a->n = keep;
	return flush_batch(a);
}

static void applier_free(applier *a)
{
	if (!a)
		return;
	free(a->arena);
	free(a->ops);
	free(a);
}

/* An applier with room for one batch, or NULL when memory is short. */
static applier *applier_new(tz_db *db, tz_err *why)
{
	applier *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->db = db;
	a->err = why;
	/* MAX_OP_DATA <= BATCH_BYTES: every op fits an empty batch */
	a->cap = BATCH_BYTES;
	a->arena = malloc(a->cap);
	a->ops = malloc(BATCH_OPS * sizeof *a->ops);
	if (!a->arena || !a->ops) {
		applier_free(a);
		return NULL;
	}
	a->horizon = tz_wall_ms() + tz_setting_int(db, "clock_skew_hours", 24) * 3600000LL;
	return a;
}

/* Which roles' bundles a database of role `me` takes. */
static int role_accepts(tz_role me, tz_role from)
{
	static const unsigned char ok[3][3] = {
		/* from:      village township county */
		[TZ_ROLE_VILLAGE] = {0, 1, 1},
		[TZ_ROLE_TOWNSHIP] = {1, 0, 1},
		[TZ_ROLE_COUNTY] = {1, 1, 0},
	};
	return (unsigned)me < 3 && (unsigned)from < 3 && ok[me][from];
}

static tz_status store_bundle(tz_db *db, const bfile *b, const char *status, int keep_data,
			      tz_err *err)
{
	sqlite3_stmt *st = tz_stmt(db, "INSERT OR IGNORE INTO bundle(hash, origin, first_seq, last_seq,"
				       " prev, key_id, received, status, data)"
				       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	if (!st)
		return tz_db_fail(db, err, "bundle");
	const tz_bundle_info *h = &b->info;
	sqlite3_bind_blob(st, 1, h->hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h->first_seq);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)h->last_seq);
	sqlite3_bind_blob(st, 5, h->prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, h->key_id, 8, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, tz_wall_ms());
	sqlite3_bind_text(st, 8, status, -1, SQLITE_STATIC);
	if (keep_data)
		sqlite3_bind_zeroblob64(st, 9, h->file_len);
	else
		sqlite3_bind_null(st, 9);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "bundle");
	if (!keep_data || sqlite3_changes(db->sql) == 0)
		return TZ_OK;
	/* copy the file, unchanged, for forwarding or as evidence */
	sqlite3_int64 rowid = sqlite3_last_insert_rowid(db->sql);
	sqlite3_blob *blob;
	if (sqlite3_blob_open(db->sql, "main", "bundle", "data", rowid, 1, &blob) != SQLITE_OK)
		return tz_db_fail(db, err, "bundle");
	uint8_t *buf = malloc(CHUNK), h256[32];
	crypto_generichash_state hs;
	tz_status s = TZ_OK;
	crypto_generichash_init(&hs, NULL, 0, 32);
	for (uint64_t off = 0; buf && off < h->file_len;) {
		size_t n = h->file_len - off < CHUNK ? (size_t)(h->file_len - off) : CHUNK;
		if ((s = read_full(b->fd, buf, n, off, err)))
			break;
		if (off < h->header_len + h->payload_len)
			crypto_generichash_update(&hs, buf,
						  off + n <= h->header_len + h->payload_len
							  ? n
							  : (size_t)(h->header_len + h->payload_len - off));
		if (sqlite3_blob_write(blob, buf, (int)n, (int)off) != SQLITE_OK) {
			s = tz_db_fail(db, err, "bundle");
			break;
		}
		off += n;
	}
	if (!buf)
		s = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	sqlite3_blob_close(blob);
	free(buf);
	if (!s) {
		crypto_generichash_final(&hs, h256, 32);
		if (memcmp(h256, h->hash, 32))
			s = refuse(err, "the file changed while it was being read", "读取过程中文件被改动");
	}
	return s;
}

static int has_bundle(tz_db *db, const uint8_t hash[32], const char *status)
{
	sqlite3_stmt *st = tz_stmt(db, "SELECT 1 FROM bundle WHERE hash=?1 AND status=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

/* A different applied bundle of the same origin overlapping this range. */
static int overlapping(tz_db *db, const tz_bundle_info *h)
{
	sqlite3_stmt *st = tz_stmt(db, "SELECT 1 FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND first_seq <= ?3 AND last_seq >= ?2 AND hash <> ?4");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)h->first_seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h->last_seq);
	sqlite3_bind_blob(st, 4, h->hash, 32, SQLITE_STATIC);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

/* The hash of the applied bundle ending right before this one, if known. */
static int predecessor(tz_db *db, const tz_bundle_info *h, uint8_t out[32])
{
	sqlite3_stmt *st = tz_stmt(db, "SELECT hash FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND last_seq=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(h->first_seq - 1));
	int r = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		r = 1;
	}
	sqlite3_reset(st);
	return r;
}

/* Persons this bundle touched (read back from the op log) who share a
 * national ID number with another live person; persons with two open
 * cases. */
/* The applied bundle starting right after this one must name this one as
 * its predecessor: 1 if one exists and does not. */
static int successor_disowns(tz_db *db, const tz_bundle_info *h)
{
	sqlite3_stmt *st = tz_stmt(db, "SELECT prev FROM bundle WHERE origin=?1 AND status='applied'"
				       " AND first_seq=?2");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, h->origin, 16, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(h->last_seq + 1));
	int r = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32)
		r = memcmp(sqlite3_column_blob(st, 0), h->hash, 32) != 0;
	sqlite3_reset(st);
	return r;
}

static tz_status record_reviews(tz_db *db, const tz_bundle_info *h, int *n, tz_err *err)
{
	static const char *const sql[] = {
		"INSERT OR IGNORE INTO review(kind, tbl, row, other, detail, created)"
		" SELECT 'duplicate_id', 'person', a.id, b.id, a.id_number, ?1"
		" FROM op o JOIN person a ON a.id = lower(hex(o.row))"
		" JOIN person b ON b.id_number = a.id_number AND b.id <> a.id AND b._deleted = 0"
		" WHERE o.origin = ?2 AND o.seq BETWEEN ?3 AND ?4 AND o.tbl = 1"
		" AND a._deleted = 0 AND a.id_number IS NOT NULL",
		/* the persons of the open cases this bundle touched (aid_case
		 * is table 3 in bundles, core/schema.c), not the whole table:
		 * an import costs what the bundle holds */
		"INSERT OR IGNORE INTO review(kind, tbl, row, other, detail, created)"
		" SELECT 'open_cases', 'person', c.person, group_concat(c.id, ','), NULL, ?1"
		" FROM aid_case c WHERE c._deleted = 0 AND c.status <> 'closed'"
		" AND c.person IS NOT NULL AND c.person IN"
		" (SELECT a.person FROM op o JOIN aid_case a ON a.id = lower(hex(o.row))"
		"  WHERE o.origin = ?2 AND o.seq BETWEEN ?3 AND ?4 AND o.tbl = 3"
		"  AND a._deleted = 0 AND a.status <> 'closed')"
		" GROUP BY c.person HAVING count(*) > 1",
	};
	*n = 0;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = tz_stmt(db, sql[i]);
		if (!st)
			return tz_db_fail(db, err, "review");
		sqlite3_bind_int64(st, 1, tz_wall_ms());
		if (sqlite3_bind_parameter_count(st) >= 4) {
			sqlite3_bind_int64(st, 2, tz_origin_idx(db, h->origin, 0));
			sqlite3_bind_int64(st, 3, (sqlite3_int64)h->first_seq);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)h->last_seq);
		}
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return tz_db_fail(db, err, "review");
		*n += sqlite3_changes(db->sql);
	}
	return TZ_OK;
}

static tz_status refused(tz_import_result *res, const tz_err *why)
{
	res->outcome = TZ_IMPORT_REFUSED;
	snprintf(res->reason, sizeof res->reason, "%s", why->msg);
	return TZ_OK;
}

tz_status tz_bundle_import(tz_db *db, const char *path, const uint8_t *esk,
			   tz_import_result *res, tz_err *err)
{
	bfile b;
	tz_err why = {0};
	tz_keyent k;
	uint8_t prehash[64], prehash2[64];
	tz_status st;
	memset(res, 0, sizeof *res);
	if (open_bundle(path, &b, &why))
		return refused(res, &why);
	res->info = b.info;
	if (tz_keyring_find(db, b.info.key_id, &k, &why) != TZ_OK) {
		char kid[17];
		tz_keyid_hex(b.info.key_id, kid);
		tz_fail(&why, TZ_EREFUSED, "unknown key %s: enrol it first (taizhang keyring add)",
			"未知密钥 %s：请先登记（taizhang keyring add）", kid);
		goto refuse;
	}
	int own = !memcmp(k.origin, tz_db_origin(db), 16);
	if (memcmp(k.origin, b.info.origin, 16)) {
		refuse(&why, "the key that signed this bundle belongs to another device",
		       "签署此数据包的密钥属于另一台设备");
		goto refuse;
	}
	if (k.revoked_after >= 0 && b.info.last_seq > (uint64_t)k.revoked_after) {
		tz_fail(&why, TZ_EREFUSED, "the key was revoked after change %lld",
			"该密钥在第 %lld 条变更之后已被吊销", (long long)k.revoked_after);
		goto refuse;
	}
	if (!own && !role_accepts(tz_db_role(db), k.role)) {
		tz_fail(&why, TZ_EREFUSED, "a %s does not take bundles from a %s device",
			"%s不接收%s设备的数据包", tz_role_name(tz_db_role(db)), tz_role_name(k.role));
		goto refuse;
	}
	if (b.info.version != TZ_BUNDLE_VERSION && !tz_settings_int(db, "sync.accept_plaintext")) {
		refuse(&why,
		       "the bundle is not encrypted, and this database takes only encrypted bundles"
		       " (taizhang setting set sync.accept_plaintext 1 allows them)",
		       "数据包未加密，本数据库只接收加密数据包（taizhang setting set"
		       " sync.accept_plaintext 1 可允许）");
		goto refuse;
	}
	if (b.info.version == TZ_BUNDLE_VERSION && open_file_key(&b, esk, &why))
		goto refuse;
	/* pass 1: the whole file checks out before anything is touched */
	applier *a = applier_new(db, &why);
	if (!a) {
		close_bundle(&b);
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	}
	if (scan_body(&b, 1, collect_cb, a, prehash, &why) ||
	    check_signature(&b, k.pk, prehash, &why)) {
		applier_free(a);
		goto refuse;
	}
	res->info = b.info;
	if (has_bundle(db, b.info.hash, "applied")) {
		applier_free(a);
		res->outcome = TZ_IMPORT_PRESENT;
		close_bundle(&b);
		return TZ_OK;
	}
	uint8_t pred[32];
	int fork = overlapping(db, &b.info);
	if (!fork && predecessor(db, &b.info, pred) && memcmp(pred, b.info.prev, 32))
		fork = 1; /* validly signed, yet not chained onto what we hold */
	if (!fork && successor_disowns(db, &b.info))
		fork = 1; /* fills a gap, but what follows it names another bundle */
	if (fork) {
		applier_free(a);
		a = NULL;
		/* keep the evidence: two bundles signed for the same changes */
		if ((st = tz_db_begin(db, err)))
			goto fail;
		if ((st = store_bundle(db, &b, "fork", 1, err))) {
			tz_db_rollback(db);
			goto fail;
		}
		if ((st = tz_db_commit(db, err)))
			goto fail;
		res->fork = 1;
		char o[33];
		tz_hex(b.info.origin, 16, o);
		tz_fail(&why, TZ_EREFUSED,
			"FORK: device %s signed two different bundles for changes %llu-%llu; kept as evidence",
			"分叉：设备 %s 对第 %llu-%llu 条变更签署了两个不同的数据包，已保存为证据", o,
			(unsigned long long)b.info.first_seq, (unsigned long long)b.info.last_seq);
		goto refuse;
	}
	res->gap = b.info.first_seq > 1 &&
		   tz_oplog_high_water(db, b.info.origin) < b.info.first_seq - 1;

	/* pass 2: apply inside one transaction; any failure rolls it all back */
	tz_db_bulk(db, 1);
	if ((st = tz_db_begin(db, err))) {
		applier_free(a);
		tz_db_bulk(db, 0);
		goto fail;
	}
	/* the search keys of the persons and households merged are written
	 * at the end, sorted (core/search.c) */
	tz_status s2 = tz_search_defer(db, &why);
	int reread = a->overflow;
	if (!s2 && !reread)
		s2 = apply_kept(a); /* exactly the ops pass 1 verified */
	if (!s2 && reread) {
		a->n = a->used = 0;
		s2 = scan_body(&b, 1, apply_cb, a, prehash2, &why);
		if (!s2)
			s2 = a->st;
		if (!s2)
			s2 = flush_batch(a);
	}
	if (!s2)
		s2 = tz_search_flush(db, &why);
	res->applied = a->applied;
	res->quarantined = a->quarantined;
	applier_free(a);
	if (!s2 && reread && memcmp(prehash, prehash2, 64))
		s2 = refuse(&why, "the file changed while it was being read", "读取过程中文件被改动");
	if (!s2)
		s2 = store_bundle(db, &b, "applied", tz_db_role(db) != TZ_ROLE_VILLAGE && !own, &why);
	if (!s2)
		s2 = record_reviews(db, &b.info, &res->reviews, &why);
	if (s2) {
		tz_search_cancel(db);
		tz_db_rollback(db);
		tz_db_bulk(db, 0);
		res->applied = res->quarantined = 0;
		res->reviews = 0;
		if (tz_status_exit(s2) == 3) { /* disk full, locked: not the file's fault */
			*err = why;
			close_bundle(&b);
			return s2;
		}
		goto refuse;
	}
	st = tz_db_commit(db, err);
	tz_db_bulk(db, 0);
	if (st)
		goto fail;
	res->outcome = TZ_IMPORT_APPLIED;
	close_bundle(&b);
	return TZ_OK;
fail:
	close_bundle(&b);
	return st;
refuse:
	close_bundle(&b);
	return refused(res, &why);
}

uint64_t tz_bundle_exported(tz_db *db)
{
	return meta_u64(db, "export_seq");
}

tz_status tz_quarantine_release(tz_db *db, size_t *released, tz_err *err)
{
	int64_t horizon = tz_wall_ms() + tz_setting_int(db, "clock_skew_hours", 24) * 3600000LL;
	sqlite3_stmt *st;
	tz_status s;
	*released = 0;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT origin, seq, hlc, tbl, row, flags, data FROM quarantine"
			       " WHERE (hlc >> 16) <= ?1 ORDER BY origin, seq",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "quarantine");
	sqlite3_bind_int64(st, 1, horizon);
	if ((s = tz_db_begin(db, err))) {
		sqlite3_finalize(st);
		return s;
	}
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tz_op op;
		size_t got = 0;
		if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 4) != 16)
			continue;
		memcpy(op.origin, sqlite3_column_blob(st, 0), 16);
		op.seq = (uint64_t)sqlite3_column_int64(st, 1);
		op.hlc = (uint64_t)sqlite3_column_int64(st, 2);
		op.table = sqlite3_column_int(st, 3);
		memcpy(op.row, sqlite3_column_blob(st, 4), 16);
		op.flags = (unsigned)sqlite3_column_int(st, 5);
		op.data = sqlite3_column_blob(st, 6);
		op.len = (size_t)sqlite3_column_bytes(st, 6);
		if ((s = tz_oplog_apply(db, &op, 1, &got, err)))
			break;
		n += got;
		/* what an import looks for, for the op now applied: the review
		 * of its bundle covered only the ops applied then */
		tz_bundle_info h = {.first_seq = op.seq, .last_seq = op.seq};
		int nrev;
		memcpy(h.origin, op.origin, 16);
		if (got && (s = record_reviews(db, &h, &nrev, err)))
			break;
	}
	sqlite3_finalize(st);
	if (!s && rc != SQLITE_DONE && rc != SQLITE_ROW)
		s = tz_db_fail(db, err, "quarantine");
	if (!s) {
		sqlite3_stmt *d = tz_stmt(db, "DELETE FROM quarantine WHERE (hlc >> 16) <= ?1");
		if (!d)
			s = tz_db_fail(db, err, "quarantine");
		else {
			sqlite3_bind_int64(d, 1, horizon);
			if (sqlite3_step(d) != SQLITE_DONE)
				s = tz_db_fail(db, err, "quarantine");
			sqlite3_reset(d);
		}
	}
	if (s) {
		tz_db_rollback(db);
		return s;
	}
	*released = n;
	return tz_db_commit(db, err);
}

/* ---- ordering ---- */

typedef struct {
	char *path;
	int ok; /* header readable */
	tz_bundle_info info;
} entry;

/* Each device's bundles in chain order (names sort 10 before 5); files
 * whose header cannot be read last, by name. */
static int cmp_entry(const void *x, const void *y)
{
	const entry *a = x, *b = y;
	if (a->ok != b->ok)
		return a->ok ? -1 : 1;
	if (a->ok) {
		int c = memcmp(a->info.origin, b->info.origin, 16);
		if (c)
			return c;
		if (a->info.first_seq != b->info.first_seq)
			return a->info.first_seq < b->info.first_seq ? -1 : 1;
	}
	return strcmp(a->path, b->path);
}

void tz_bundle_sort(char **names, int n)
{
	entry *e = calloc((size_t)n, sizeof *e);
	if (!e)
		return;
	for (int i = 0; i < n; i++) {
		tz_err err;
		e[i].path = names[i];
		e[i].ok = tz_bundle_peek(names[i], &e[i].info, &err) == TZ_OK;
	}
	qsort(e, (size_t)n, sizeof *e, cmp_entry);
	for (int i = 0; i < n; i++)
		names[i] = e[i].path;
	free(e);
}

/* ---- forwarding ---- */

tz_status tz_bundle_forward(tz_db *db, const char *dir, tz_path_cb cb, void *ctx, int *nbundles,
			    tz_err *err)
{
	sqlite3_stmt *st;
	*nbundles = 0;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT id, hash, origin, first_seq, last_seq, length(data) FROM bundle"
			       " WHERE status = 'applied' AND forwarded = 0 AND data IS NOT NULL"
			       " ORDER BY origin, first_seq",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "bundle");
	tz_status s = TZ_OK;
	uint8_t *buf = malloc(CHUNK);
	while (buf && !s && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		tz_bundle_info info = {0};
		memcpy(info.hash, sqlite3_column_blob(st, 1), 32);
		memcpy(info.origin, sqlite3_column_blob(st, 2), 16);
		info.first_seq = (uint64_t)sqlite3_column_int64(st, 3);
		info.last_seq = (uint64_t)sqlite3_column_int64(st, 4);
		int64_t len = sqlite3_column_int64(st, 5);
		char name[128], tmp[4200], final[4200];
		tz_bundle_name(&info, name);
		snprintf(final, sizeof final, "%s/%s", dir, name);
		snprintf(tmp, sizeof tmp, "%s/.tzb-forward-XXXXXX", dir);
		int fd = mkstemp(tmp);
		if (fd < 0) {
			s = tz_fail(err, TZ_EIO, "cannot write in %s: %s", "无法在 %s 中写入：%s", dir,
				    tz_strerror(errno));
			break;
		}
		sqlite3_blob *blob;
		if (sqlite3_blob_open(db->sql, "main", "bundle", "data", rowid, 0, &blob) != SQLITE_OK) {
			s = tz_db_fail(db, err, "bundle");
			close(fd);
			unlink(tmp);
			break;
		}
		for (int64_t off = 0; !s && off < len;) {
			int n = len - off < CHUNK ? (int)(len - off) : (int)CHUNK;
			if (sqlite3_blob_read(blob, buf, n, (int)off) != SQLITE_OK)
				s = tz_db_fail(db, err, "bundle");
			else
				s = write_all(fd, buf, (size_t)n, tmp, err);
			off += n;
		}
		sqlite3_blob_close(blob);
		if (!s && fsync(fd))
			s = tz_fail(err, TZ_EIO, "%s: cannot flush to disk: %s", "%s：无法写入磁盘：%s", tmp,
				    tz_strerror(errno));
		close(fd);
		if (!s && rename(tmp, final))
			s = tz_fail(err, TZ_EIO, "cannot rename %s: %s", "无法重命名 %s：%s", tmp,
				    tz_strerror(errno));
		if (s) {
			unlink(tmp);
			break;
		}
		if ((s = fsync_dir(dir, err)))
			break;
		tz_bundle_info back;
		if (tz_bundle_peek(final, &back, err)) {
			s = tz_fail(err, TZ_EIO, "%s reads back differently", "%s 读回内容不一致", final);
			unlink(final);
			break;
		}
		sqlite3_stmt *u = tz_stmt(db, "UPDATE bundle SET forwarded = 1 WHERE id = ?1");
		if (!u) {
			s = tz_db_fail(db, err, "bundle");
			break;
		}
		sqlite3_bind_int64(u, 1, rowid);
		int rc = sqlite3_step(u);
		sqlite3_reset(u);
		if (rc != SQLITE_DONE) {
			s = tz_db_fail(db, err, "bundle");
			break;
		}
		(*nbundles)++;
		if (cb)
			cb(ctx, final);
	}
	if (!buf)
		s = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	free(buf);
	sqlite3_finalize(st);
	return s;
}
