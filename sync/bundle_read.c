/* bundle_read.c - reading and verifying bundles: open a file and check its
 * header and trailer, find this device's file key (version 2), decrypt,
 * inflate and decode the payload as it streams, check the signature.
 *
 * The payload is a zlib stream (version 1), or that stream encrypted with
 * crypto_secretstream_xchacha20poly1305 in 64 KiB chunks under a file key
 * sealed to each recipient (version 2).  It inflates to `count` ops, each
 *   varint hlc delta, varint table, row[16], varint flags, varint len, data
 * whose seqs are first_seq, first_seq + 1, ... in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "taizhang/schema.h"
#include "taizhang/db_sql.h"
#include "bundle_int.h"
#include "taizhang/bundle.h"

/* ---- reading ---- */

tz_status bundle_read_full(int fd, void *buf, size_t n, uint64_t off, tz_err *err)
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

void bundle_close(bundle_file *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	free(b->recips);
	b->recips = NULL;
	sodium_memzero(b->key, sizeof b->key);
	b->keyed = 0;
}

tz_status bundle_open(const char *path, bundle_file *b, tz_err *err)
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
	if ((st = bundle_read_full(b->fd, hdr, FIXED_HEADER, 0, err)) ||
	    (st = bundle_decode_header(hdr, (uint64_t)sb.st_size, &b->info, err)))
		goto fail;
	memcpy(b->hdr, hdr, FIXED_HEADER);
	if (b->info.version == TZ_BUNDLE_VERSION) {
		size_t n = b->info.nrecipients, len = n * RECIPIENT_BYTES;
		if (!(b->recips = malloc(len))) {
			st = tz_nomem(err);
			goto fail;
		}
		if ((st = bundle_read_full(b->fd, b->recips, len, FIXED_HEADER, err)))
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
	if ((st = bundle_read_full(b->fd, tbuf, TRAILER_LEN, b->info.file_len - TRAILER_LEN, err)))
		goto fail;
	tbuf[TRAILER_LEN] = '\0';
	if ((st = bundle_parse_trailer(tbuf, &b->tr, err)))
		goto fail;
	if (memcmp(b->tr.key_id, b->info.key_id, 8)) {
		st = refuse(err, "the signature's key id differs from the header's",
			    "签名的密钥编号与包头不一致");
		goto fail;
	}
	return TZ_OK;
fail:
	bundle_close(b);
	return st;
}

tz_status tz_bundle_peek(const char *path, tz_bundle_info *info, tz_err *err)
{
	bundle_file b;
	tz_status st = bundle_open(path, &b, err);
	if (st)
		return st;
	bundle_close(&b);
	*info = b.info;
	return TZ_OK;
}

/* Version 2: find this device among the recipients and open its sealed
 * copy of the file key. */
tz_status bundle_open_file_key(bundle_file *b, const uint8_t *esk, tz_err *err)
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
		if (tz_buf_varint_get(d->buf, d->len, &p, &dh) || tz_buf_varint_get(d->buf, d->len, &p, &table) ||
		    d->len - p < 16)
			goto partial;
		size_t rowpos = p;
		p += 16;
		if (tz_buf_varint_get(d->buf, d->len, &p, &flags) || tz_buf_varint_get(d->buf, d->len, &p, &len))
			goto partial;
		if (len > MAX_OP_DATA || table >= (uint64_t)tz_schema_ntables || flags > TZ_OP_FULL)
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
		if (!tz_oplog_data_valid(op.table, op.data, op.len))
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
	bundle_file *b;
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
			return tz_nomem(r->err);
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
tz_status bundle_scan_body(bundle_file *b, int decode, tz_op_cb cb, void *ctx,
			   uint8_t prehash[64], tz_err *err)
{
	crypto_generichash_state h512;
	tz_bundle_hasher h256;
	uint8_t *in = malloc(CHUNK);
	reader r = {.b = b, .err = err, .out = malloc(CHUNK),
		    .d = {.next_seq = b->info.first_seq, .prev_hlc = b->info.hlc_min, .h = &b->info,
			  .cb = cb, .ctx = ctx}};
	tz_status st = TZ_OK;
	uint64_t off = 0, body = b->info.header_len + b->info.payload_len;
	int enc = b->info.version == TZ_BUNDLE_VERSION;
	if (!in || !r.out) {
		st = tz_nomem(err);
		goto out;
	}
	crypto_generichash_init(&h512, NULL, 0, 64);
	tz_bundle_hash_init(&h256);
	if (decode && enc && !b->keyed) {
		st = refuse(err, "the bundle is encrypted: no key to read it",
			    "数据包已加密：没有可读取它的密钥");
		goto out;
	}
	if (decode && enc &&
	    (!(r.cbuf = malloc(SS_CHUNK + SS_ABYTES)) || !(r.pbuf = malloc(SS_CHUNK)))) {
		st = tz_nomem(err);
		goto out;
	}
	if (decode) {
		if (inflateInit(&r.zs) != Z_OK) {
			st = tz_nomem(err);
			goto out;
		}
		r.zinit = 1;
	}
	while (off < body) {
		size_t n = body - off < CHUNK ? (size_t)(body - off) : CHUNK;
		if ((st = bundle_read_full(b->fd, in, n, off, err)))
			goto out;
		crypto_generichash_update(&h512, in, n);
		tz_bundle_hash_update(&h256, in, n);
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
	tz_bundle_hash_final(&h256, b->info.hash);
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

tz_status bundle_check_signature(const bundle_file *b, const uint8_t pk[32],
				 const uint8_t prehash[64], tz_err *err)
{
	char tc[TC_LEN + 1];
	uint8_t sigtc[64 + TC_LEN];
	if (crypto_sign_verify_detached(b->tr.sig, prehash, 64, pk))
		return refuse(err, "bad signature: the bundle was changed or signed by another key",
			      "签名无效：数据包被改动或由其他密钥签名");
	bundle_trusted_comment(&b->info, tc);
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
tz_status bundle_verify_file(const char *path, const uint8_t pk[32], const uint8_t *esk,
			     const uint8_t *file_key, tz_bundle_info *info, tz_op_cb cb, void *ctx,
			     tz_err *err)
{
	bundle_file b;
	uint8_t prehash[64], prehash2[64];
	tz_status st = bundle_open(path, &b, err);
	if (st)
		return st;
	int enc = b.info.version == TZ_BUNDLE_VERSION, decode = 1;
	if (enc && file_key) {
		memcpy(b.key, file_key, 32);
		b.keyed = 1;
	} else if (enc && esk) {
		st = bundle_open_file_key(&b, esk, err);
	} else if (enc) {
		decode = 0;
		if (cb)
			st = refuse(err, "the bundle is encrypted: no key to read it",
				    "数据包已加密：没有可读取它的密钥");
	}
	/* the signature over the bytes first; only a signed file is decrypted,
	 * inflated and decoded, and it must be the same bytes again */
	if (!st && !(st = bundle_scan_body(&b, 0, NULL, NULL, prehash, err)))
		st = bundle_check_signature(&b, pk, prehash, err);
	if (!st && decode && !(st = bundle_scan_body(&b, 1, cb, ctx, prehash2, err)) &&
	    memcmp(prehash, prehash2, 64))
		st = refuse(err, "the file changed while it was being read", "读取过程中文件被改动");
	bundle_close(&b);
	if (info)
		*info = b.info;
	return st;
}

tz_status tz_bundle_verify(const char *path, const uint8_t pk[32], const uint8_t *esk,
			   tz_bundle_info *info, tz_op_cb cb, void *ctx, tz_err *err)
{
	return bundle_verify_file(path, pk, esk, NULL, info, cb, ctx, err);
}
