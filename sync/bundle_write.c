/* bundle_write.c - exporting this device's ops as bundles: compress (and
 * for version 2 encrypt to the recipients picked from the keyring), sign,
 * write under a temporary name, fsync, rename, fsync the folder, read back.
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

#include "taizhang/db_sql.h"
#include "bundle_int.h"
#include "taizhang/bundle.h"
#include "taizhang/file.h"
#include "taizhang/keyring.h"
#include "taizhang/receipt.h"
#include "taizhang/key.h"
#include "taizhang/settings.h"

#define TMP_PREFIX ".tzb-export-"
#define DEFAULT_MAX_BYTES (4u << 20)

/* ---- writing ---- */

/* Where the zlib stream goes: nowhere (only counted and hashed: the first
 * pass of an encrypted bundle), the file (version 1), or the file through
 * crypto_secretstream (version 2). */
enum { SINK_COUNT, SINK_PLAIN, SINK_SEALED };

typedef struct {
	z_stream zs;
	int mode;
	tz_file *file; /* SINK_PLAIN, SINK_SEALED: where the bytes go */
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
	return tz_file_write(w->file, w->cbuf, (size_t)clen, w->err);
}

static tz_status sink(writer *w, const uint8_t *p, size_t n)
{
	tz_status st;
	w->comp += n;
	crypto_generichash_update(&w->zh, p, n);
	if (w->mode == SINK_COUNT)
		return TZ_OK;
	if (w->mode == SINK_PLAIN)
		return tz_file_write(w->file, p, n, w->err);
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
		w->st = tz_nomem(w->err);
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
		return tz_nomem(w->err);
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

static uint64_t meta_u64(tz_db *db, const char *key)
{
	char *v = tz_db_meta_get(db, key);
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
		return tz_nomem(err);
	}
	tz_role me = tz_db_role(db);
	char *region = tz_db_region(db);
	size_t m = 0;
	int self = 0;
	for (size_t i = 0; i < kr.n; i++) {
		const tz_keyent *k = &kr.v[i];
		int own = !memcmp(k->origin, tz_db_origin(db), 16);
		if (!tz_pubkey_enc_ok(k) || (!own && k->revoked_after >= 0))
			continue;
		if (!own && k->role != TZ_ROLE_ESCROW) {
			int d = area_digits(me) < area_digits(k->role) ? area_digits(me)
								      : area_digits(k->role);
			/* another level over or under this area, or another PC of
			 * this office (same role, same region) */
			int peer = k->role == me && region && !strcmp(region, k->region);
			if (!peer && (k->role == me || !region || strlen(region) != 12 ||
				      memcmp(region, k->region, (size_t)d)))
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
			    const char *dir, size_t max_bytes, uint64_t from, uint64_t limit,
			    const uint8_t prev[32], char final[4200], tz_bundle_info *info,
			    tz_err *err)
{
	tz_file *f = malloc(sizeof *f);
	writer *w = calloc(1, sizeof *w), *a = NULL;
	uint8_t *section = NULL, key[32], sshdr[SS_HEADER], zhash[32], zhash2[32];
	tz_status st;
	if (!w || !f) {
		free(w);
		free(f);
		return tz_nomem(err);
	}
	f->fd = -1;
	f->tmp[0] = '\0';
	w->file = f;
	w->err = err;
	w->max_raw = max_bytes * 8;
	w->max_comp = max_bytes;
	memset(info, 0, sizeof *info);
	uint64_t to = limit;
	if (nr) {
		/* first pass: where this bundle ends, and its zlib stream's hash */
		if (!(a = calloc(1, sizeof *a))) {
			st = tz_nomem(err);
			goto out;
		}
		*a = *w;
		a->mode = SINK_COUNT;
		if ((st = run_writer(db, a, from, limit, zhash)))
			goto out;
		to = a->last;
		info->version = TZ_BUNDLE_VERSION;
		info->flags = TZ_BUNDLE_F_ENCRYPTED;
		info->nrecipients = (uint16_t)nr;
		info->payload_len = bundle_sealed_len(a->comp);
		info->first_seq = a->first;
		info->last_seq = a->last;
		info->hlc_min = a->hlc_min;
		info->hlc_max = a->hlc_max;
		info->inflated_len = a->raw;
		info->count = a->count;
	}
	/* "<dir>/.tzb-export-.XXXXXX", named by its hash at the end */
	snprintf(final, 4200, "%s/%s", dir, TMP_PREFIX + 1);
	if (tz_file_open(f, final, 0644, err)) {
		st = tz_fail(err, TZ_EIO, "cannot write in %s: %s", "无法在 %s 中写入：%s", dir,
			     tz_strerror(errno));
		goto out;
	}
	snprintf(f->name, sizeof f->name, "%s", dir); /* messages name the stick */

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
		bundle_encode_header(info, hdr);
		if (!(section = malloc(nr * RECIPIENT_BYTES)) || !(w->pbuf = malloc(SS_CHUNK)) ||
		    !(w->cbuf = malloc(SS_CHUNK + SS_ABYTES))) {
			st = tz_nomem(err);
			goto fail;
		}
		if ((st = make_recipients(sk, hdr, r, nr, zhash, section, key, sshdr, err)))
			goto fail;
		/* crypto_secretstream's push state from a chosen header: init_pull
		 * sets up the same state init_push would after drawing it */
		crypto_secretstream_xchacha20poly1305_init_pull(&w->ss, sshdr, key);
		w->mode = SINK_SEALED;
		if ((st = tz_file_write(f, hdr, sizeof hdr, err)) ||
		    (st = tz_file_write(f, section, nr * RECIPIENT_BYTES, err)) ||
		    (st = tz_file_write(f, sshdr, SS_HEADER, err)))
			goto fail;
	} else {
		w->mode = SINK_PLAIN;
		if ((st = tz_file_write(f, hdr, sizeof hdr, err)))
			goto fail;
	}
	/* (second) pass: the payload itself */
	if ((st = run_writer(db, w, from, to, zhash2)))
		goto fail;
	if (nr) {
		uint8_t *ad = malloc(info->header_len);
		if (!ad) {
			st = tz_nomem(err);
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
		bundle_encode_header(info, hdr);
		if (pwrite(f->fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr) {
			st = tz_fail(err, TZ_EIO, "%s: write error: %s", "%s：写入错误：%s", dir,
				     tz_strerror(errno));
			goto fail;
		}
	}
	uint8_t prehash[64];
	if ((st = bundle_hash_body(f->fd, info->header_len + info->payload_len, prehash, info->hash,
				    err)))
		goto fail;
	char tr[TRAILER_LEN + 1];
	bundle_build_trailer(info, sk, prehash, tr);
	if (lseek(f->fd, 0, SEEK_END) < 0 || (st = tz_file_write(f, tr, TRAILER_LEN, err)))
		goto fail;
	char name[128];
	tz_bundle_name(info, name);
	snprintf(final, 4200, "%s/%s", dir, name);
	if ((st = tz_file_commit(f, final, err)))
		goto out;
	/* read it back from the medium and check it as an importer would */
	tz_bundle_info back;
	if ((st = bundle_verify_file(final, pk, NULL, nr ? key : NULL, &back, NULL, NULL, err)) ||
	    memcmp(back.hash, info->hash, 32)) {
		if (!st)
			st = tz_fail(err, TZ_EIO, "%s reads back differently", "%s 读回内容不一致", final);
		unlink(final);
		tz_file_sync_dir(dir, NULL);
	}
	for (size_t i = 0; i < nr && i < TZ_BUNDLE_SHOW_RECIPIENTS; i++)
		memcpy(info->recipient[i], r[i].id, 32);
	goto out;
fail:
	tz_file_abort(f);
out:
	tz_file_abort(f); /* (after a commit: nothing left to do) */
	free(f);
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
			       const char *keep, tz_path_cb cb, void *ctx, int *nbundles,
			       tz_err *err);

tz_status tz_bundle_export(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			   tz_path_cb cb, void *ctx, int *nbundles, tz_err *err)
{
	int dfd = lock_folder(dir); /* not a folder: export_locked says so */
	tz_status st = export_locked(db, sk, dir, max_bytes, NULL, cb, ctx, nbundles, err);
	if (dfd >= 0)
		close(dfd);
	return st;
}

static tz_status keep_copy(const char *path, const char *keep, tz_err *err);

typedef struct {
	const char *outbox;
	tz_path_cb cb;
	void *ctx;
	tz_status st;
	tz_err *err;
} keeping;

/* each bundle forwarded onto the stick: a copy stays in the outbox too */
static int keep_forwarded(void *ctx, const char *path)
{
	keeping *k = ctx;
	if (!k->st && k->outbox)
		k->st = keep_copy(path, k->outbox, k->err);
	if (k->cb)
		k->cb(k->ctx, path);
	return 0;
}

tz_status tz_bundle_export_stick(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
				 const char *outbox, int forward, tz_path_cb cb, void *ctx,
				 int *nbundles, int *nforwarded, int *nreceipts, tz_err *err)
{
	*nreceipts = *nforwarded = 0;
	if (outbox && mkdir(outbox, 0700) && errno != EEXIST)
		return tz_fail(err, TZ_EIO, "cannot create %s: %s", "无法创建 %s：%s", outbox,
			       tz_strerror(errno));
	int dfd = lock_folder(dir);
	tz_status st = export_locked(db, sk, dir, max_bytes, outbox, cb, ctx, nbundles, err);
	if (!st && forward && tz_db_role(db) != TZ_ROLE_VILLAGE) {
		keeping k = {outbox, cb, ctx, TZ_OK, err};
		st = tz_bundle_forward(db, dir, keep_forwarded, &k, nforwarded, err);
		if (!st)
			st = k.st;
	}
	if (!st && tz_db_role(db) != TZ_ROLE_VILLAGE)
		st = tz_receipt_export(db, sk, dir, NULL, NULL, nreceipts, err);
	/* a township's stick carries the county's bundles on to the villages */
	int nrelay = 0;
	if (!st)
		st = tz_bundle_relay(db, dir, cb, ctx, &nrelay, err);
	if (dfd >= 0)
		close(dfd);
	return st;
}

/* A copy of the bundle at path in folder keep (temporary name, fsync,
 * rename): kept there until a receipt covers it. */
static tz_status keep_copy(const char *path, const char *keep, tz_err *err)
{
	const char *base = strrchr(path, '/');
	char dst[4400];
	snprintf(dst, sizeof dst, "%s/%s", keep, base ? base + 1 : path);
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path,
			       tz_strerror(errno));
	tz_file f;
	tz_status st = tz_file_open(&f, dst, 0644, err);
	char buf[CHUNK];
	ssize_t n = 0;
	while (!st && (n = read(in, buf, sizeof buf)) > 0)
		st = tz_file_write(&f, buf, (size_t)n, err);
	if (!st && n < 0)
		st = tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path,
			     tz_strerror(errno));
	close(in);
	if (!st)
		return tz_file_commit(&f, NULL, err);
	tz_file_abort(&f);
	return st;
}

/* What every export checks first: an identity, the folder, this device's key. */
static tz_status export_ready(tz_db *db, const char *dir, uint8_t pk[32], uint8_t key_id[8],
			      tz_err *err)
{
	struct stat sb;
	if (!tz_db_has_identity(db))
		return tz_fail(err, TZ_EUSAGE, "this database has no identity: run 'taizhang init'",
			       "数据库尚未初始化：请运行 taizhang init");
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return tz_fail(err, TZ_EIO, "%s is not a folder (is the stick plugged in?)",
			       "%s 不是文件夹（U 盘插好了吗？）", dir);
	return tz_key_public(db, pk, key_id, err);
}

static tz_status export_locked(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			       const char *keep, tz_path_cb cb, void *ctx, int *nbundles,
			       tz_err *err)
{
	uint8_t pk[32], key_id[8], prev[32] = {0};
	tz_status st;
	*nbundles = 0;
	if ((st = export_ready(db, dir, pk, key_id, err)))
		return st;
	if (max_bytes == 0)
		max_bytes = DEFAULT_MAX_BYTES;
	uint64_t done = meta_u64(db, "export_seq");
	tz_db_meta_blob(db, "export_hash", prev, 32);
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
		if ((st = export_one(db, sk, pk, key_id, r, nr, dir, max_bytes, done + 1, UINT64_MAX,
				     prev, path, &info, err)))
			break;
		/* a copy for push, until the township signs that it holds it:
		 * a stick that never arrives is not a gap for ever */
		if (keep && strcmp(keep, dir) && (st = keep_copy(path, keep, err)))
			break;
		/* only now does the export state advance */
		char seq[24];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)info.last_seq);
		if ((st = tz_db_begin(db, err)))
			break;
		bundle_file own = {.fd = -1, .info = info};
		if ((st = tz_db_meta_put(db, "export_seq", seq, -1, 0, err)) ||
		    (st = tz_db_meta_put(db, "export_hash", info.hash, 32, 1, err)) ||
		    (st = ledger_store(db, &own, "applied", 0, err))) {
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

tz_status tz_bundle_reexport(tz_db *db, const uint8_t *sk, const char *dir, uint64_t from,
			     tz_path_cb cb, void *ctx, int *nbundles, tz_err *err)
{
	uint8_t pk[32], key_id[8];
	tz_status st;
	*nbundles = 0;
	if ((st = export_ready(db, dir, pk, key_id, err)))
		return st;
	/* the bundles this PC exported, as they were cut: from the one holding
	 * `from` on, each again from its first to its last change */
	typedef struct {
		uint64_t first, last;
		uint8_t prev[32];
	} cut;
	cut *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT first_seq, last_seq, prev FROM bundle WHERE origin=?1"
				     " AND status='applied' AND last_seq >= ?2 ORDER BY first_seq");
	if (!q)
		return tz_db_fail(db, err, "bundle");
	sqlite3_bind_blob(q, 1, tz_db_origin(db), 16, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)from);
	while (sqlite3_step(q) == SQLITE_ROW) {
		cut *nv = tz_buf_grow(v, n, &cap, sizeof *v);
		if (!nv) {
			sqlite3_reset(q);
			free(v);
			return tz_nomem(err);
		}
		v = nv;
		v[n].first = (uint64_t)sqlite3_column_int64(q, 0);
		v[n].last = (uint64_t)sqlite3_column_int64(q, 1);
		memset(v[n].prev, 0, 32);
		if (sqlite3_column_bytes(q, 2) == 32)
			memcpy(v[n].prev, sqlite3_column_blob(q, 2), 32);
		n++;
	}
	sqlite3_reset(q);
	recipient *r = NULL;
	size_t nr = 0, others = 0;
	if (n && tz_settings_int(db, "sync.encrypt") &&
	    (st = pick_recipients(db, &r, &nr, &others, err))) {
		free(v);
		return st;
	}
	st = TZ_OK;
	for (size_t i = 0; i < n && !st; i++) {
		char path[4200];
		tz_bundle_info info;
		if ((st = export_one(db, sk, pk, key_id, r, nr, dir, TZ_BUNDLE_MAX_PAYLOAD, v[i].first,
				     v[i].last, v[i].prev, path, &info, err)))
			break;
		if (info.last_seq != v[i].last) {
			st = tz_fail(err, TZ_EINVAL, "internal: a bundle sent again ends at %llu, not %llu",
				     "内部错误：重新导出的数据包止于 %llu，而非 %llu",
				     (unsigned long long)info.last_seq, (unsigned long long)v[i].last);
			break;
		}
		(*nbundles)++;
		if (cb)
			cb(ctx, path);
	}
	free(r);
	free(v);
	return st;
}

uint64_t tz_bundle_exported(tz_db *db)
{
	return meta_u64(db, "export_seq");
}
