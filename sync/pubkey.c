/* pubkey.c - public key files: this device's, and reading one to enrol it.
 *
 * Public key file (minisign-compatible: `minisign -V -p FILE` reads it):
 *
 *   untrusted comment: minisign public key <KEYID> taizhang <ORIGIN> <ROLE> <REGION> <NAME>
 *   <BASE64>
 *   taizhang encryption key: <ENC>
 *
 *   KEYID   16 upper-case hex digits of the 8-byte key id read as a
 *           little-endian u64 (bytes 9F 2F .. 9C -> 9C..2F9F); minisign
 *           prints the same number without leading zeros, so 1 to 16
 *           digits are accepted on reading
 *   BASE64  standard base64 with padding of "Ed" || key id (8) || Ed25519
 *           public key (32): 42 bytes, always 56 characters
 *   ORIGIN  the device id, 32 lower-case hex digits
 *   ROLE    village, township, county (or escrow in a keyring); REGION the
 *           12-digit division code
 *   NAME    the device's name, spaces written as '_' (read back as spaces);
 *           absent when the name is empty
 *   ENC     base64 of the X25519 encryption public key (32) || the Ed25519
 *           signature (64) over tz_key_enc_statement(key id, origin, key):
 *           128 characters.  minisign reads only the first two lines; the
 *           third is optional (files from before encryption lack it), and a
 *           signature that does not verify is refused.
 *
 * Reading accepts a file made by stock `minisign -G` (any first line that
 * starts "untrusted comment: "); its origin is then unknown (all zero) and
 * the key cannot be enrolled.  A taizhang comment must be well formed, and
 * its KEYID must match the key.  Limits: 64 KiB, lines of 1023 bytes, no NUL
 * bytes, nothing but blank lines after the key; CRLF and a UTF-8 BOM are
 * accepted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/db_sql.h"
#include "keyring_int.h"
#include "taizhang/file.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/validate.h"

#define PUBKEY_MAX (64u << 10)
#define PUBKEY_LINE_MAX 1023 /* minisign reads comments of up to 1024 bytes */
#define COMMENT_PREFIX "untrusted comment: "
#define MINISIGN_PK "minisign public key "
#define BLOB_LEN 42 /* "Ed" || key id || pk */
#define ENC_PREFIX "taizhang encryption key: "

/* ---- small helpers ---- */

void tz_pubkey_id_hex(const uint8_t key_id[8], char out[17])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)key_id[i] << (8 * i);
	snprintf(out, 17, "%016" PRIX64, v);
}

/* Up to 16 hex digits (either case) into a key id: 0, or -1.  minisign
 * itself prints key ids without leading zeros. */
int kr_keyid_parse(const char *s, size_t n, uint8_t out[8])
{
	uint64_t v = 0;
	if (n < 1 || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int h = tz_hex_digit(s[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (uint64_t)h;
	}
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

int kr_origin_parse(const char *s, size_t n, uint8_t out[16])
{
	char buf[33];
	if (n != 32)
		return -1;
	memcpy(buf, s, 32);
	buf[32] = '\0';
	return tz_hex_decode(buf, out, 16);
}

int kr_all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* 1 if s[0..n) is UTF-8 without C0/C1 controls, DEL, NUL or U+2028/2029. */
int kr_name_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (!tz_utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 0;
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 0;
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9))
			return 0;
	}
	return 1;
}

/* Copy a name, cut at a character boundary to fit tz_keyent.name. */
void kr_name_copy(char dst[192], const char *s, size_t n)
{
	if (n > 191) {
		n = 191;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A path fit for a one-line message: controls as '?', cut at 200 bytes. */
static const char *show_path(const char *path, char out[208])
{
	size_t n = strlen(path), o = 0;
	if (n > 200) {
		n = 200;
		while (n > 0 && ((unsigned char)path[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < strlen(path)) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* "<path> line N: <reason>" (line 0: no line), status TZ_EREFUSED. */
tz_status kr_bad(tz_err *err, const char *path, int line, const char *en, const char *zh, ...)
{
	char why[TZ_ERR_MAX], p[208];
	va_list ap;
	va_start(ap, zh);
	vsnprintf(why, sizeof why, tz_tr(en, zh), ap);
	va_end(ap);
	show_path(path, p);
	if (line > 0)
		return tz_fail(err, TZ_EREFUSED, "%s line %d: %s", "%s 第 %d 行：%s", p, line, why);
	return tz_fail(err, TZ_EREFUSED, "%s: %s", "%s：%s", p, why);
}

static tz_status io_fail(tz_err *err, int writing, const char *path, int e)
{
	char p[208];
	show_path(path, p);
	if (writing)
		return tz_fail(err, TZ_EIO, "cannot write %s: %s", "无法写入 %s：%s", p, tz_strerror(e));
	return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", p, tz_strerror(e));
}

/* ---- files ---- */

/* Read a whole regular file of at most max bytes, NUL-terminated (NUL
 * bytes inside are left to kr_text_ok).  The buffer is sized from the
 * file's size (one byte more, to notice a file that grew since fstat, and
 * the NUL) and grows only if the file does, never past max + 2. */
tz_status kr_read_file(const char *path, size_t max, char **out, size_t *len, tz_err *err)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return io_fail(err, 0, path, errno);
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return kr_bad(err, path, 0, "not a regular file", "不是普通文件");
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		return kr_bad(err, path, 0, "too large (over %zu KiB)", "文件过大（超过 %zu KiB）",
			      max >> 10);
	}
	size_t cap = (size_t)sb.st_size + 2; /* <= max + 2 */
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return tz_nomem(err);
	}
	size_t n = 0;
	while (n <= max) {
		if (n == cap - 1) { /* full but for the NUL: the file grew */
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				close(fd);
				free(buf);
				return tz_nomem(err);
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return io_fail(err, 0, path, e);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		return kr_bad(err, path, 0, "too large (over %zu KiB)", "文件过大（超过 %zu KiB）",
			      max >> 10);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return TZ_OK;
}

tz_status kr_text_ok(const char *buf, size_t len, size_t max, const char *name, tz_err *err)
{
	if (len > max)
		return kr_bad(err, name, 0, "too large (over %zu KiB)", "文件过大（超过 %zu KiB）",
			      max >> 10);
	const char *nul = memchr(buf, 0, len);
	if (nul) {
		int line = 1;
		for (const char *q = buf; q < nul; q++)
			line += *q == '\n';
		return kr_bad(err, name, line, "contains a NUL byte (not a text file)",
			      "含有 NUL 字节（不是文本文件）");
	}
	return TZ_OK;
}

tz_status kr_text_copy(const char *buf, size_t len, size_t max, const char *name, char **out,
		       tz_err *err)
{
	*out = NULL;
	tz_status st = kr_text_ok(buf, len, max, name, err);
	if (st)
		return st;
	if (!(*out = malloc(len + 1)))
		return tz_nomem(err);
	if (len)
		memcpy(*out, buf, len);
	(*out)[len] = '\0';
	return TZ_OK;
}


void kr_lines_init(kr_line_iter *it, char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->no = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		it->p += 3; /* a BOM from a Windows editor */
}

/* The next line (without its \n or \r\n) and its length; NULL at the end. */
char *kr_lines_next(kr_line_iter *it, size_t *n)
{
	if (it->p >= it->end)
		return NULL;
	char *s = it->p, *nl = memchr(s, '\n', (size_t)(it->end - s));
	if (nl) {
		*nl = '\0';
		it->p = nl + 1;
	} else {
		nl = it->end;
		it->p = it->end;
	}
	*n = (size_t)(nl - s);
	if (*n && s[*n - 1] == '\r')
		s[--*n] = '\0';
	it->no++;
	return s;
}

int kr_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* ---- the key blob ---- */

void kr_blob_b64(const tz_keyent *k, char out[B64_LEN + 1])
{
	uint8_t blob[BLOB_LEN] = {'E', 'd'};
	memcpy(blob + 2, k->key_id, 8);
	memcpy(blob + 10, k->pk, 32);
	sodium_bin2base64(out, B64_LEN + 1, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

/* Decode BASE64 strictly into k->key_id and k->pk; on failure fill err. */
tz_status kr_blob_parse(const char *s, size_t n, tz_keyent *k, const char *path, int line,
			tz_err *err)
{
	uint8_t blob[BLOB_LEN + 3];
	size_t got = 0;
	const char *end = NULL;
	if (n != B64_LEN)
		return kr_bad(err, path, line,
			      "the key is %zu base64 characters, not %d (truncated or damaged)",
			      "密钥为 %zu 个 base64 字符，应为 %d 个（不完整或已损坏）", n, B64_LEN);
	if (sodium_base642bin(blob, sizeof blob, s, n, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    end != s + n || got != BLOB_LEN)
		return kr_bad(err, path, line, "the key is not valid base64",
			      "密钥不是有效的 base64 编码");
	if (blob[0] != 'E' || blob[1] != 'd')
		return kr_bad(err, path, line,
			      "not an Ed25519 minisign public key (algorithm '%c%c')",
			      "不是 Ed25519 minisign 公钥（算法“%c%c”）",
			      blob[0] >= 0x20 && blob[0] < 0x7f ? blob[0] : '?',
			      blob[1] >= 0x20 && blob[1] < 0x7f ? blob[1] : '?');
	if (!crypto_core_ed25519_is_valid_point(blob + 10))
		return kr_bad(err, path, line, "not a valid Ed25519 public key",
			      "不是有效的 Ed25519 公钥");
	memcpy(k->key_id, blob + 2, 8);
	memcpy(k->pk, blob + 10, 32);
	return TZ_OK;
}

void kr_ent_init(tz_keyent *k)
{
	memset(k, 0, sizeof *k);
	k->role = TZ_ROLE_VILLAGE;
	k->revoked_after = -1;
}

/* ---- the encryption key ---- */

int tz_pubkey_enc_ok(const tz_keyent *k)
{
	uint8_t stmt[TZ_ENC_STATEMENT_BYTES];
	if (!k->has_enc || sodium_is_zero(k->epk, 32))
		return 0;
	tz_key_enc_statement(k->key_id, k->origin, k->epk, stmt);
	return crypto_sign_verify_detached(k->esig, stmt, sizeof stmt, k->pk) == 0;
}

void kr_enc_b64(const tz_keyent *k, char out[ENC_B64_LEN + 1])
{
	uint8_t blob[ENC_LEN];
	memcpy(blob, k->epk, 32);
	memcpy(blob + 32, k->esig, 64);
	sodium_bin2base64(out, ENC_B64_LEN + 1, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

/* ENC into k (not yet checked against the signing key): 0, or -1. */
int kr_enc_parse(const char *s, size_t n, tz_keyent *k)
{
	uint8_t blob[ENC_LEN + 3];
	size_t got = 0;
	const char *end = NULL;
	if (n != ENC_B64_LEN ||
	    sodium_base642bin(blob, sizeof blob, s, n, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    end != s + n || got != ENC_LEN)
		return -1;
	memcpy(k->epk, blob, 32);
	memcpy(k->esig, blob + 32, 64);
	k->has_enc = 1;
	return 0;
}

/* ---- public key files ---- */

/* The next space-separated word of *s (NUL-terminated in place); NULL if none. */
char *kr_word(char **s, size_t *n)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	char *w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - w);
	if (*p)
		*p++ = '\0';
	*s = p;
	return w;
}

/* "taizhang <origin> <role> <region> [<name>]" after the key id. */
static tz_status comment_parse(char *c, tz_keyent *k, const char *path, tz_err *err)
{
	size_t n;
	char *w = kr_word(&c, &n);
	if (!w || strcmp(w, "taizhang"))
		return TZ_OK; /* a stock minisign comment, or some other text */
	if (!(w = kr_word(&c, &n)) || kr_origin_parse(w, n, k->origin))
		return kr_bad(err, path, 1,
			      "the comment does not give the device id as 32 hex digits",
			      "注释中的设备编号不是 32 位十六进制数");
	int r;
	if (!(w = kr_word(&c, &n)) || (r = tz_db_role_parse(w)) < 0)
		return kr_bad(err, path, 1,
			      "the comment names no role (village, township or county)",
			      "注释中没有角色（village、township 或 county）");
	k->role = (tz_role)r;
	if (!(w = kr_word(&c, &n)) || tz_valid_region(w, k->region, NULL) || strcmp(w, k->region))
		return kr_bad(err, path, 1, "the comment names no valid 12-digit region code",
			      "注释中没有有效的 12 位区划代码");
	while (*c == ' ')
		c++;
	n = strlen(c);
	while (n && c[n - 1] == ' ')
		n--;
	if (!kr_name_ok(c, n))
		return kr_bad(err, path, 1, "the name in the comment is not valid UTF-8 text",
			      "注释中的名称不是有效的 UTF-8 文本");
	kr_name_copy(k->name, c, n);
	for (char *p = k->name; *p; p++)
		if (*p == '_')
			*p = ' ';
	return TZ_OK;
}

/* The text of a public key file in buf (len bytes and a NUL, checked by
 * kr_text_ok; split in place, then freed); path names it in messages. */
static tz_status pubkey_parse(char *buf, size_t len, const char *path, tz_keyent *out,
			      tz_err *err)
{
	size_t n;
	tz_keyent k;
	tz_status st = TZ_OK;
	kr_ent_init(&k);
	kr_line_iter it;
	kr_lines_init(&it, buf, len);
	char *comment = kr_lines_next(&it, &n);
	if (!comment || n == 0) {
		st = kr_bad(err, path, 0, "empty, not a public key file", "文件为空，不是公钥文件");
		goto out;
	}
	if (n > PUBKEY_LINE_MAX) {
		st = kr_bad(err, path, 1, "line too long", "行过长");
		goto out;
	}
	if (strncmp(comment, COMMENT_PREFIX, strlen(COMMENT_PREFIX))) {
		st = kr_bad(err, path, 1, "not a public key file (no 'untrusted comment:' line)",
			    "不是公钥文件（缺少“untrusted comment:”行）");
		goto out;
	}
	char *b64 = kr_lines_next(&it, &n);
	if (!b64) {
		st = kr_bad(err, path, 2, "the key is missing", "缺少密钥");
		goto out;
	}
	if (n > PUBKEY_LINE_MAX) {
		st = kr_bad(err, path, 2, "line too long", "行过长");
		goto out;
	}
	while (n && (b64[n - 1] == ' ' || b64[n - 1] == '\t'))
		b64[--n] = '\0';
	if ((st = kr_blob_parse(b64, n, &k, path, 2, err)))
		goto out;
	char *extra;
	while ((extra = kr_lines_next(&it, &n))) {
		size_t pl = strlen(ENC_PREFIX);
		if (it.no == 3 && n >= pl && !strncmp(extra, ENC_PREFIX, pl)) {
			while (n > pl && (extra[n - 1] == ' ' || extra[n - 1] == '\t'))
				extra[--n] = '\0';
			if (kr_enc_parse(extra + pl, n - pl, &k)) {
				st = kr_bad(err, path, 3,
					    "the encryption key is damaged (not %d base64 characters)",
					    "加密密钥已损坏（应为 %d 个 base64 字符）", ENC_B64_LEN);
				goto out;
			}
			continue;
		}
		if (!kr_blank(extra)) {
			st = kr_bad(err, path, it.no, "unexpected text after the key",
				    "密钥之后有多余内容");
			goto out;
		}
	}
	/* the comment: "minisign public key <KEYID>[ taizhang ...]" */
	char *c = comment + strlen(COMMENT_PREFIX);
	if (!strncmp(c, MINISIGN_PK, strlen(MINISIGN_PK))) {
		c += strlen(MINISIGN_PK);
		char *w = kr_word(&c, &n);
		uint8_t kid[8];
		char want[17], said[17];
		if (w && !kr_keyid_parse(w, n, kid)) {
			if (memcmp(kid, k.key_id, 8)) {
				tz_pubkey_id_hex(k.key_id, want);
				tz_pubkey_id_hex(kid, said);
				st = kr_bad(err, path, 1, "the comment names key id %s but the key is %s",
					    "注释中的密钥编号为 %s，而密钥实为 %s", said, want);
				goto out;
			}
			if ((st = comment_parse(c, &k, path, err)))
				goto out;
		}
	}
	if (k.has_enc && !tz_pubkey_enc_ok(&k)) {
		st = kr_bad(err, path, 3, "the encryption key is not signed by this key (altered?)",
			    "加密密钥没有本密钥的有效签名（被改动？）");
		goto out;
	}
	*out = k;
out:
	free(buf);
	return st;
}

tz_status tz_pubkey_parse(const char *text, size_t len, const char *name, tz_keyent *out,
			  tz_err *err)
{
	char *buf;
	tz_status st = kr_text_copy(text, len, PUBKEY_MAX, name, &buf, err);
	return st ? st : pubkey_parse(buf, len, name, out, err);
}

tz_status tz_pubkey_read(const char *path, tz_keyent *out, tz_err *err)
{
	char *buf;
	size_t len;
	tz_status st = kr_read_file(path, PUBKEY_MAX, &buf, &len, err);
	if (!st && (st = kr_text_ok(buf, len, PUBKEY_MAX, path, err)))
		free(buf);
	return st ? st : pubkey_parse(buf, len, path, out, err);
}

/* This device's own key, as a keyring entry. */
tz_status kr_own_key(tz_db *db, tz_keyent *k, tz_err *err)
{
	kr_ent_init(k);
	tz_status st = tz_key_public(db, k->pk, k->key_id, err);
	if (st)
		return st;
	memcpy(k->origin, tz_db_origin(db), 16);
	k->role = tz_db_role(db);
	char *region = tz_db_meta_get(db, "region"), *name = tz_db_meta_get(db, "name");
	if (region && strlen(region) == 12)
		memcpy(k->region, region, 13);
	if (tz_key_enc_public(db, k->epk, k->esig, NULL) == TZ_OK)
		k->has_enc = 1;
	if (name && kr_name_ok(name, strlen(name)))
		kr_name_copy(k->name, name, strlen(name));
	free(region);
	free(name);
	return TZ_OK;
}

tz_status tz_pubkey_export(tz_db *db, const char *path, tz_err *err)
{
	tz_keyent k;
	tz_status st = kr_own_key(db, &k, err);
	if (st)
		return st;
	char kid[17], origin[33], b64[B64_LEN + 1], name[192], text[PUBKEY_LINE_MAX * 2];
	char enc[sizeof ENC_PREFIX + ENC_B64_LEN + 2] = "";
	tz_pubkey_id_hex(k.key_id, kid);
	tz_hex_encode(k.origin, 16, origin);
	kr_blob_b64(&k, b64);
	memcpy(name, k.name, sizeof name);
	for (char *p = name; *p; p++)
		if (*p == ' ')
			*p = '_';
	if (k.has_enc) {
		char e[ENC_B64_LEN + 1];
		kr_enc_b64(&k, e);
		snprintf(enc, sizeof enc, ENC_PREFIX "%s\n", e);
	}
	int n = snprintf(text, sizeof text, COMMENT_PREFIX MINISIGN_PK "%s taizhang %s %s %s%s%s\n%s\n%s",
			 kid, origin, tz_db_role_name(k.role), k.region, name[0] ? " " : "", name, b64, enc);
	return tz_file_put(path, text, (size_t)n, 0644, err);
}
