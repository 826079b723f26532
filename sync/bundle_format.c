/* bundle_format.c - the bundle format (docs/bundle-format.md): the header,
 * the signature trailer, recipient ids and names.
 *
 * Layout:
 *   body    = header (136 bytes + recipients) || payload
 *   trailer = minisign signature text over the body (fixed length)
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/db_sql.h"
#include "bundle_int.h"
#include "taizhang/bundle.h"
#include "taizhang/le.h"

_Static_assert(TRAILER_LEN == TZ_BUNDLE_TRAILER_BYTES,
	       "docs/bundle-format.md: the trailer is 411 bytes");
_Static_assert(sizeof(tz_bundle_hasher) >= sizeof(crypto_generichash_state) &&
		       _Alignof(tz_bundle_hasher) >= _Alignof(crypto_generichash_state),
	       "tz_bundle_hasher holds a crypto_generichash_state");
_Static_assert(SS_HEADER == 24 && SS_ABYTES == 17 && SEALED_BYTES == crypto_box_SEALBYTES + 32,
	       "docs/bundle-format.md: the version 2 payload layout");

/* ---- the body hash ---- */

static crypto_generichash_state *hstate(tz_bundle_hasher *h)
{
	return (crypto_generichash_state *)(void *)h->opaque;
}

void tz_bundle_hash_init(tz_bundle_hasher *h)
{
	crypto_generichash_init(hstate(h), NULL, 0, TZ_BUNDLE_HASH_BYTES);
}

void tz_bundle_hash_update(tz_bundle_hasher *h, const void *p, size_t n)
{
	crypto_generichash_update(hstate(h), p, (unsigned long long)n);
}

void tz_bundle_hash_final(tz_bundle_hasher *h, uint8_t hash[TZ_BUNDLE_HASH_BYTES])
{
	crypto_generichash_final(hstate(h), hash, TZ_BUNDLE_HASH_BYTES);
}

tz_status bundle_hash_body(int fd, uint64_t len, uint8_t prehash[64], uint8_t hash[32],
			   tz_err *err)
{
	crypto_generichash_state h512;
	tz_bundle_hasher h256;
	uint8_t *buf = malloc(CHUNK);
	tz_status st = TZ_OK;
	if (!buf)
		return tz_nomem(err);
	if (prehash)
		crypto_generichash_init(&h512, NULL, 0, 64);
	tz_bundle_hash_init(&h256);
	for (uint64_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? (size_t)(len - off) : CHUNK;
		if ((st = bundle_read_full(fd, buf, n, off, err)))
			break;
		if (prehash)
			crypto_generichash_update(&h512, buf, n);
		tz_bundle_hash_update(&h256, buf, n);
		off += n;
	}
	free(buf);
	if (!st) {
		if (prehash)
			crypto_generichash_final(&h512, prehash, 64);
		tz_bundle_hash_final(&h256, hash);
	}
	return st;
}

tz_status tz_bundle_body_hash(const char *path, uint64_t file_len,
			      uint8_t hash[TZ_BUNDLE_HASH_BYTES], tz_err *err)
{
	if (file_len < TZ_BUNDLE_TRAILER_BYTES)
		return refuse(err, "the file is too short to be a bundle (truncated?)",
			      "文件太短，不是完整的数据包（被截断？）");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tz_fail(err, TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", path,
			       tz_strerror(errno));
	tz_status st = bundle_hash_body(fd, file_len - TZ_BUNDLE_TRAILER_BYTES, NULL, hash, err);
	int e = errno;
	close(fd);
	errno = e; /* what went wrong reading, for callers that show it */
	return st;
}

/* ---- recipients ---- */

void tz_bundle_recipient_id(const uint8_t epk[32], uint8_t id[32])
{
	crypto_generichash(id, 32, epk, 32, NULL, 0);
}

/* Version 2 payload length for a zlib stream of z bytes (z >= 1). */
uint64_t bundle_sealed_len(uint64_t z)
{
	return SS_HEADER + z + SS_ABYTES * ((z + SS_CHUNK - 1) / SS_CHUNK);
}

/* ---- little-endian fields ---- */

void bundle_encode_header(const tz_bundle_info *h, uint8_t out[FIXED_HEADER])
{
	memset(out, 0, FIXED_HEADER);
	memcpy(out, MAGIC, 8);
	tz_le_put16(out + 8, h->version);
	tz_le_put16(out + 10, h->flags);
	tz_le_put32(out + 12, h->header_len);
	memcpy(out + 16, h->origin, 16);
	memcpy(out + 32, h->key_id, 8);
	tz_le_put64(out + 40, h->first_seq);
	tz_le_put64(out + 48, h->last_seq);
	tz_le_put64(out + 56, h->hlc_min);
	tz_le_put64(out + 64, h->hlc_max);
	memcpy(out + 72, h->prev, 32);
	tz_le_put64(out + 104, (uint64_t)h->created_ms);
	tz_le_put64(out + 112, h->payload_len);
	tz_le_put64(out + 120, h->inflated_len);
	tz_le_put32(out + 128, h->count);
	tz_le_put16(out + 132, h->nrecipients);
}

tz_status bundle_decode_header(const uint8_t in[FIXED_HEADER], uint64_t file_len,
			       tz_bundle_info *h, tz_err *err)
{
	memset(h, 0, sizeof *h);
	if (memcmp(in, MAGIC, 8))
		return refuse(err, "not a taizhang bundle", "不是台账数据包");
	h->version = tz_le_get16(in + 8);
	h->flags = tz_le_get16(in + 10);
	if (h->version != TZ_BUNDLE_VERSION_PLAIN && h->version != TZ_BUNDLE_VERSION)
		return tz_fail(err, TZ_EREFUSED,
			       "bundle format version %u is not supported (this taizhang reads 1 and %d):"
			       " the file was altered, or written by a newer taizhang",
			       "不支持数据包格式版本 %u（本程序支持 1 和 %d）：文件被改动过，或由更新版本的台账写成",
			       h->version,
			       TZ_BUNDLE_VERSION);
	int enc = h->version == TZ_BUNDLE_VERSION;
	if (h->flags != (enc ? TZ_BUNDLE_F_ENCRYPTED : 0))
		return refuse(err, enc ? "a version 2 bundle must be marked encrypted"
				       : "the bundle has unknown flags",
			      enc ? "第 2 版数据包必须标记为加密" : "数据包含有未知标志");
	h->header_len = tz_le_get32(in + 12);
	memcpy(h->origin, in + 16, 16);
	memcpy(h->key_id, in + 32, 8);
	h->first_seq = tz_le_get64(in + 40);
	h->last_seq = tz_le_get64(in + 48);
	h->hlc_min = tz_le_get64(in + 56);
	h->hlc_max = tz_le_get64(in + 64);
	memcpy(h->prev, in + 72, 32);
	h->created_ms = (int64_t)tz_le_get64(in + 104);
	h->payload_len = tz_le_get64(in + 112);
	h->inflated_len = tz_le_get64(in + 120);
	h->count = tz_le_get32(in + 128);
	h->nrecipients = tz_le_get16(in + 132);
	if (tz_le_get16(in + 134))
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
		    bundle_sealed_len(c - n * SS_ABYTES) != h->payload_len)
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


void bundle_trusted_comment(const tz_bundle_info *h, char out[TC_LEN + 1])
{
	char o[33], hh[65];
	tz_hex_encode(h->origin, 16, o);
	tz_hex_encode(h->hash, 32, hh);
	snprintf(out, TC_LEN + 1, TC_FMT, (unsigned)h->version % 10, o,
		 (unsigned long long)h->first_seq,
		 (unsigned long long)h->last_seq, hh);
}

void bundle_build_trailer(const tz_bundle_info *h, const uint8_t *sk, const uint8_t prehash[64],
			  char out[TRAILER_LEN + 1])
{
	uint8_t blk[74], sigtc[64 + TC_LEN], global[64];
	char tc[TC_LEN + 1], b64a[SIG_B64 + 1], b64b[GLOBAL_B64 + 1];
	blk[0] = 'E';
	blk[1] = 'D';
	memcpy(blk + 2, h->key_id, 8);
	crypto_sign_detached(blk + 10, NULL, prehash, 64, sk);
	bundle_trusted_comment(h, tc);
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

tz_status bundle_parse_trailer(const char *t, bundle_trailer *tr, tz_err *err)
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

void tz_bundle_name(const tz_bundle_info *info, char out[128])
{
	char o[33], hh[65];
	tz_hex_encode(info->origin, 16, o);
	tz_hex_encode(info->hash, 32, hh);
	o[8] = '\0';
	hh[16] = '\0';
	snprintf(out, 128, "%s-%llu-%llu-%s%s", o, (unsigned long long)info->first_seq,
		 (unsigned long long)info->last_seq, hh, TZ_BUNDLE_EXT);
}
