/* keyring.c - public key files, the database's keyring, keyring files.
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
 *
 * Keyring file (UTF-8 text, for auditors; printable, diffable):
 *
 *   # taizhang keyring v1
 *   <KEYID> <BASE64> origin=<ORIGIN> role=<ROLE> region=<REGION> added=<DATE> revoked_after=<N> [enc=<ENC>] name=<NAME>
 *
 *   one line per key, sorted by KEYID; KEYID and BASE64 as in a public key
 *   file (KEYID must match the key id in BASE64)
 *   DATE            the enrolment date YYYY-MM-DD (local), or - if unknown
 *                   (this device's own key)
 *   N               ops with seq > N are refused; - when not revoked
 *   NAME            escaped: \\ for \, \s for space, \t tab, \n newline
 *                   (names never hold control characters, so \t and \n are
 *                   refused on reading); empty allowed
 * The first line must be the header exactly.  Lines starting with # and blank
 * lines are ignored.  Fields are separated by spaces; after BASE64 they are
 * key=value in any order; origin, role and region are required, added,
 * revoked_after and name optional; unknown keys are ignored (forward
 * compatible); a repeated key, a bare word or a repeated KEYID is refused.
 * Limits: 4 MiB, lines of 4095 bytes, no NUL bytes.
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
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "taizhang/keyring.h"
#include "taizhang/keys.h"
#include "taizhang/oplog.h"
#include "taizhang/validate.h"

#define PUBKEY_MAX (64u << 10)
#define PUBKEY_LINE_MAX 1023 /* minisign reads comments of up to 1024 bytes */
#define KEYRING_MAX (4u << 20)
#define KEYRING_LINE_MAX 4095
#define COMMENT_PREFIX "untrusted comment: "
#define MINISIGN_PK "minisign public key "
#define KEYRING_HEADER "# taizhang keyring v1"
#define BLOB_LEN 42 /* "Ed" || key id || pk */
#define B64_LEN 56
#define ENC_PREFIX "taizhang encryption key: "
#define ENC_LEN 96 /* X25519 public key || Ed25519 signature */
#define ENC_B64_LEN 128
#define DAY_MS 86400000LL

/* ---- small helpers ---- */

void tz_keyid_hex(const uint8_t key_id[8], char out[17])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)key_id[i] << (8 * i);
	snprintf(out, 17, "%016" PRIX64, v);
}

/* Up to 16 hex digits (either case) into a key id: 0, or -1.  minisign
 * itself prints key ids without leading zeros. */
static int keyid_parse(const char *s, size_t n, uint8_t out[8])
{
	uint64_t v = 0;
	if (n < 1 || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int h = tz_hexdigit(s[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (uint64_t)h;
	}
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

static int origin_parse(const char *s, size_t n, uint8_t out[16])
{
	char buf[33];
	if (n != 32)
		return -1;
	memcpy(buf, s, 32);
	buf[32] = '\0';
	return tz_unhex(buf, out, 16);
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* 1 if s[0..n) is UTF-8 without C0/C1 controls, DEL, NUL or U+2028/2029. */
static int name_ok(const char *s, size_t n)
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
static void name_copy(char dst[192], const char *s, size_t n)
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
static tz_status bad(tz_err *err, const char *path, int line, const char *en, const char *zh, ...)
	__attribute__((format(printf, 5, 6)));
static tz_status bad(tz_err *err, const char *path, int line, const char *en, const char *zh, ...)
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

/* Read a whole regular file of at most max bytes, NUL-terminated.  A NUL
 * byte inside is refused.  The buffer is sized from the file's size (one
 * byte more, to notice a file that grew since fstat, and the NUL) and grows
 * only if the file does, never past max + 2. */
static tz_status read_file(const char *path, size_t max, char **out, size_t *len, tz_err *err)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return io_fail(err, 0, path, errno);
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return bad(err, path, 0, "not a regular file", "不是普通文件");
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		return bad(err, path, 0, "too large (over %zu KiB)", "文件过大（超过 %zu KiB）",
			   max >> 10);
	}
	size_t cap = (size_t)sb.st_size + 2; /* <= max + 2 */
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	}
	size_t n = 0;
	while (n <= max) {
		if (n == cap - 1) { /* full but for the NUL: the file grew */
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				close(fd);
				free(buf);
				return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
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
		return bad(err, path, 0, "too large (over %zu KiB)", "文件过大（超过 %zu KiB）",
			   max >> 10);
	}
	buf[n] = '\0';
	const char *nul = memchr(buf, 0, n);
	if (nul) {
		int line = 1;
		for (const char *q = buf; q < nul; q++)
			line += *q == '\n';
		free(buf);
		return bad(err, path, line, "contains a NUL byte (not a text file)",
			   "含有 NUL 字节（不是文本文件）");
	}
	*out = buf;
	*len = n;
	return TZ_OK;
}

/* Line by line through a NUL-terminated buffer, splitting it in place. */
typedef struct {
	char *p, *end;
	int no;
} line_iter;

static void lines_init(line_iter *it, char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->no = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		it->p += 3; /* a BOM from a Windows editor */
}

/* The next line (without its \n or \r\n) and its length; NULL at the end. */
static char *lines_next(line_iter *it, size_t *n)
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

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* Write data to path: a temporary file beside it, fsync, rename, fsync the
 * folder.  A crash or a pulled stick leaves the old file or none. */
static tz_status write_atomic(const char *path, const char *data, size_t len, tz_err *err)
{
	size_t n = strlen(path);
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp = malloc(n + 16), *dir = malloc(dlen + 2);
	if (!tmp || !dir) {
		free(tmp);
		free(dir);
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	}
	/* "<dir>/.<base>.XXXXXX" */
	memcpy(tmp, path, dlen);
	snprintf(tmp + dlen, n + 16 - dlen, ".%s.XXXXXX", path + dlen);
	if (dlen) {
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
	} else {
		strcpy(dir, ".");
	}
	tz_status st = TZ_OK;
	int e = 0;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		goto fail_noclose;
	}
	if (fchmod(fd, 0644))
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) && errno == EIO) {
			e = errno;
			close(dfd);
			st = io_fail(err, 1, path, e);
			goto out;
		}
		close(dfd);
	}
	goto out;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
fail_noclose:
	st = io_fail(err, 1, path, e);
out:
	free(tmp);
	free(dir);
	return st;
}

/* ---- the key blob ---- */

static void blob_b64(const tz_keyent *k, char out[B64_LEN + 1])
{
	uint8_t blob[BLOB_LEN] = {'E', 'd'};
	memcpy(blob + 2, k->key_id, 8);
	memcpy(blob + 10, k->pk, 32);
	sodium_bin2base64(out, B64_LEN + 1, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

/* Decode BASE64 strictly into k->key_id and k->pk; on failure fill err. */
static tz_status blob_parse(const char *s, size_t n, tz_keyent *k, const char *path, int line,
			    tz_err *err)
{
	uint8_t blob[BLOB_LEN + 3];
	size_t got = 0;
	const char *end = NULL;
	if (n != B64_LEN)
		return bad(err, path, line,
			   "the key is %zu base64 characters, not %d (truncated or damaged)",
			   "密钥为 %zu 个 base64 字符，应为 %d 个（不完整或已损坏）", n, B64_LEN);
	if (sodium_base642bin(blob, sizeof blob, s, n, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    end != s + n || got != BLOB_LEN)
		return bad(err, path, line, "the key is not valid base64",
			   "密钥不是有效的 base64 编码");
	if (blob[0] != 'E' || blob[1] != 'd')
		return bad(err, path, line, "not an Ed25519 minisign public key (algorithm '%c%c')",
			   "不是 Ed25519 minisign 公钥（算法“%c%c”）",
			   blob[0] >= 0x20 && blob[0] < 0x7f ? blob[0] : '?',
			   blob[1] >= 0x20 && blob[1] < 0x7f ? blob[1] : '?');
	if (!crypto_core_ed25519_is_valid_point(blob + 10))
		return bad(err, path, line, "not a valid Ed25519 public key",
			   "不是有效的 Ed25519 公钥");
	memcpy(k->key_id, blob + 2, 8);
	memcpy(k->pk, blob + 10, 32);
	return TZ_OK;
}

static void ent_init(tz_keyent *k)
{
	memset(k, 0, sizeof *k);
	k->role = TZ_ROLE_VILLAGE;
	k->revoked_after = -1;
}

/* ---- the encryption key ---- */

int tz_keyent_enc_ok(const tz_keyent *k)
{
	uint8_t stmt[TZ_ENC_STATEMENT_BYTES];
	if (!k->has_enc || sodium_is_zero(k->epk, 32))
		return 0;
	tz_key_enc_statement(k->key_id, k->origin, k->epk, stmt);
	return crypto_sign_verify_detached(k->esig, stmt, sizeof stmt, k->pk) == 0;
}

static void enc_b64(const tz_keyent *k, char out[ENC_B64_LEN + 1])
{
	uint8_t blob[ENC_LEN];
	memcpy(blob, k->epk, 32);
	memcpy(blob + 32, k->esig, 64);
	sodium_bin2base64(out, ENC_B64_LEN + 1, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

/* ENC into k (not yet checked against the signing key): 0, or -1. */
static int enc_parse(const char *s, size_t n, tz_keyent *k)
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
static char *word(char **s, size_t *n)
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
	char *w = word(&c, &n);
	if (!w || strcmp(w, "taizhang"))
		return TZ_OK; /* a stock minisign comment, or some other text */
	if (!(w = word(&c, &n)) || origin_parse(w, n, k->origin))
		return bad(err, path, 1, "the comment does not give the device id as 32 hex digits",
			   "注释中的设备编号不是 32 位十六进制数");
	int r;
	if (!(w = word(&c, &n)) || (r = tz_role_parse(w)) < 0)
		return bad(err, path, 1, "the comment names no role (village, township or county)",
			   "注释中没有角色（village、township 或 county）");
	k->role = (tz_role)r;
	if (!(w = word(&c, &n)) || tz_valid_region(w, k->region, NULL) || strcmp(w, k->region))
		return bad(err, path, 1, "the comment names no valid 12-digit region code",
			   "注释中没有有效的 12 位区划代码");
	while (*c == ' ')
		c++;
	n = strlen(c);
	while (n && c[n - 1] == ' ')
		n--;
	if (!name_ok(c, n))
		return bad(err, path, 1, "the name in the comment is not valid UTF-8 text",
			   "注释中的名称不是有效的 UTF-8 文本");
	name_copy(k->name, c, n);
	for (char *p = k->name; *p; p++)
		if (*p == '_')
			*p = ' ';
	return TZ_OK;
}

tz_status tz_pubkey_read(const char *path, tz_keyent *out, tz_err *err)
{
	char *buf;
	size_t len, n;
	tz_keyent k;
	ent_init(&k);
	tz_status st = read_file(path, PUBKEY_MAX, &buf, &len, err);
	if (st)
		return st;
	line_iter it;
	lines_init(&it, buf, len);
	char *comment = lines_next(&it, &n);
	if (!comment || n == 0) {
		st = bad(err, path, 0, "empty, not a public key file", "文件为空，不是公钥文件");
		goto out;
	}
	if (n > PUBKEY_LINE_MAX) {
		st = bad(err, path, 1, "line too long", "行过长");
		goto out;
	}
	if (strncmp(comment, COMMENT_PREFIX, strlen(COMMENT_PREFIX))) {
		st = bad(err, path, 1, "not a public key file (no 'untrusted comment:' line)",
			 "不是公钥文件（缺少“untrusted comment:”行）");
		goto out;
	}
	char *b64 = lines_next(&it, &n);
	if (!b64) {
		st = bad(err, path, 2, "the key is missing", "缺少密钥");
		goto out;
	}
	if (n > PUBKEY_LINE_MAX) {
		st = bad(err, path, 2, "line too long", "行过长");
		goto out;
	}
	while (n && (b64[n - 1] == ' ' || b64[n - 1] == '\t'))
		b64[--n] = '\0';
	if ((st = blob_parse(b64, n, &k, path, 2, err)))
		goto out;
	char *extra;
	while ((extra = lines_next(&it, &n))) {
		size_t pl = strlen(ENC_PREFIX);
		if (it.no == 3 && n >= pl && !strncmp(extra, ENC_PREFIX, pl)) {
			while (n > pl && (extra[n - 1] == ' ' || extra[n - 1] == '\t'))
				extra[--n] = '\0';
			if (enc_parse(extra + pl, n - pl, &k)) {
				st = bad(err, path, 3, "the encryption key is damaged (not %d base64 characters)",
					 "加密密钥已损坏（应为 %d 个 base64 字符）", ENC_B64_LEN);
				goto out;
			}
			continue;
		}
		if (!blank(extra)) {
			st = bad(err, path, it.no, "unexpected text after the key",
				 "密钥之后有多余内容");
			goto out;
		}
	}
	/* the comment: "minisign public key <KEYID>[ taizhang ...]" */
	char *c = comment + strlen(COMMENT_PREFIX);
	if (!strncmp(c, MINISIGN_PK, strlen(MINISIGN_PK))) {
		c += strlen(MINISIGN_PK);
		char *w = word(&c, &n);
		uint8_t kid[8];
		char want[17], said[17];
		if (w && !keyid_parse(w, n, kid)) {
			if (memcmp(kid, k.key_id, 8)) {
				tz_keyid_hex(k.key_id, want);
				tz_keyid_hex(kid, said);
				st = bad(err, path, 1, "the comment names key id %s but the key is %s",
					 "注释中的密钥编号为 %s，而密钥实为 %s", said, want);
				goto out;
			}
			if ((st = comment_parse(c, &k, path, err)))
				goto out;
		}
	}
	if (k.has_enc && !tz_keyent_enc_ok(&k)) {
		st = bad(err, path, 3, "the encryption key is not signed by this key (altered?)",
			 "加密密钥没有本密钥的有效签名（被改动？）");
		goto out;
	}
	*out = k;
out:
	free(buf);
	return st;
}

/* This device's own key, as a keyring entry. */
static tz_status own_key(tz_db *db, tz_keyent *k, tz_err *err)
{
	ent_init(k);
	tz_status st = tz_key_public(db, k->pk, k->key_id, err);
	if (st)
		return st;
	memcpy(k->origin, tz_db_origin(db), 16);
	k->role = tz_db_role(db);
	char *region = tz_meta_get(db, "region"), *name = tz_meta_get(db, "name");
	if (region && strlen(region) == 12)
		memcpy(k->region, region, 13);
	if (tz_key_enc_public(db, k->epk, k->esig, NULL) == TZ_OK)
		k->has_enc = 1;
	if (name && name_ok(name, strlen(name)))
		name_copy(k->name, name, strlen(name));
	free(region);
	free(name);
	return TZ_OK;
}

tz_status tz_pubkey_export(tz_db *db, const char *path, tz_err *err)
{
	tz_keyent k;
	tz_status st = own_key(db, &k, err);
	if (st)
		return st;
	char kid[17], origin[33], b64[B64_LEN + 1], name[192], text[PUBKEY_LINE_MAX * 2];
	char enc[sizeof ENC_PREFIX + ENC_B64_LEN + 2] = "";
	tz_keyid_hex(k.key_id, kid);
	tz_hex(k.origin, 16, origin);
	blob_b64(&k, b64);
	memcpy(name, k.name, sizeof name);
	for (char *p = name; *p; p++)
		if (*p == ' ')
			*p = '_';
	if (k.has_enc) {
		char e[ENC_B64_LEN + 1];
		enc_b64(&k, e);
		snprintf(enc, sizeof enc, ENC_PREFIX "%s\n", e);
	}
	int n = snprintf(text, sizeof text, COMMENT_PREFIX MINISIGN_PK "%s taizhang %s %s %s%s%s\n%s\n%s",
			 kid, origin, tz_role_name(k.role), k.region, name[0] ? " " : "", name, b64, enc);
	return write_atomic(path, text, (size_t)n, err);
}

/* ---- the database's keyring ---- */

static const char SQL_GET[] =
	"SELECT key_id, pk, origin, role, region, name, added, revoked_after, enc FROM keyring"
	" WHERE key_id=?1";
static const char SQL_ALL[] =
	"SELECT key_id, pk, origin, role, region, name, added, revoked_after, enc FROM keyring";
static const char SQL_BY_PK[] = "SELECT key_id FROM keyring WHERE pk=?1";
static const char SQL_INSERT[] =
	"INSERT INTO keyring(key_id, pk, origin, role, region, name, added, revoked_after, enc)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_UPDATE[] =
	"UPDATE keyring SET role=?2, region=?3, name=?4, enc=coalesce(?5, enc) WHERE key_id=?1";
static const char SQL_REVOKE[] = "UPDATE keyring SET revoked_after=?2 WHERE key_id=?1";

/* A row of SQL_GET/SQL_ALL into k: 0, or -1 if the row is damaged. */
static int row_ent(sqlite3_stmt *s, tz_keyent *k)
{
	ent_init(k);
	if (sqlite3_column_bytes(s, 0) != 8 || sqlite3_column_bytes(s, 1) != 32 ||
	    sqlite3_column_bytes(s, 2) != 16)
		return -1;
	memcpy(k->key_id, sqlite3_column_blob(s, 0), 8);
	memcpy(k->pk, sqlite3_column_blob(s, 1), 32);
	memcpy(k->origin, sqlite3_column_blob(s, 2), 16);
	int r = tz_role_parse((const char *)sqlite3_column_text(s, 3));
	const char *region = (const char *)sqlite3_column_text(s, 4);
	const char *name = (const char *)sqlite3_column_text(s, 5);
	if (r < 0 || !region || strlen(region) != 12 || !name)
		return -1;
	k->role = (tz_role)r;
	memcpy(k->region, region, 13);
	name_copy(k->name, name, strlen(name));
	k->added_ms = sqlite3_column_int64(s, 6);
	k->revoked_after =
		sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 7);
	if (k->revoked_after < -1)
		return -1;
	if (sqlite3_column_bytes(s, 8) == ENC_LEN) {
		const uint8_t *e = sqlite3_column_blob(s, 8);
		memcpy(k->epk, e, 32);
		memcpy(k->esig, e + 32, 64);
		k->has_enc = 1;
	}
	return 0;
}

static tz_status damaged(tz_err *err)
{
	return tz_fail(err, TZ_EDB, "the keyring in the database is damaged",
		       "数据库中的密钥环已损坏");
}

static uint64_t keyid_u64(const uint8_t id[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)id[i] << (8 * i);
	return v;
}

static int ent_cmp(const void *a, const void *b)
{
	uint64_t x = keyid_u64(((const tz_keyent *)a)->key_id);
	uint64_t y = keyid_u64(((const tz_keyent *)b)->key_id);
	return x < y ? -1 : x > y;
}

static tz_status kr_push(tz_keyring *kr, size_t *cap, const tz_keyent *k, tz_err *err)
{
	if (kr->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		tz_keyent *v = realloc(kr->v, nc * sizeof *v);
		if (!v)
			return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
		kr->v = v;
		*cap = nc;
	}
	kr->v[kr->n++] = *k;
	return TZ_OK;
}

/* The keyring table, sorted by key id, optionally with this device's key. */
static tz_status load_db(tz_db *db, int with_own, tz_keyring *kr, tz_err *err)
{
	size_t cap = 0;
	tz_keyent k;
	tz_status st = TZ_OK;
	kr->v = NULL;
	kr->n = 0;
	sqlite3_stmt *s = tz_stmt(db, SQL_ALL);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_ent(s, &k)) {
			st = damaged(err);
			break;
		}
		if ((st = kr_push(kr, &cap, &k, err)))
			break;
	}
	if (!st && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_reset(s);
	if (!st && with_own && own_key(db, &k, NULL) == TZ_OK)
		st = kr_push(kr, &cap, &k, err);
	if (st) {
		tz_keyring_free(kr);
		return st;
	}
	if (kr->n > 1)
		qsort(kr->v, kr->n, sizeof *kr->v, ent_cmp);
	return TZ_OK;
}

tz_status tz_keyring_add(tz_db *db, const tz_keyent *k, tz_err *err)
{
	char kid[17], reg[13], other[17];
	tz_keyid_hex(k->key_id, kid);
	if (all_zero(k->origin, 16))
		return tz_fail(err, TZ_EINVAL,
			       "this public key file does not name a taizhang device (key id %s)",
			       "该公钥文件没有注明台账设备（密钥编号 %s）", kid);
	if ((unsigned)k->role > TZ_ROLE_ESCROW)
		return tz_fail(err, TZ_EINVAL, "unknown role", "未知角色");
	if (tz_valid_region(k->region, reg, err))
		return err ? err->status : TZ_EINVAL;
	if (!memchr(k->name, 0, sizeof k->name) || !name_ok(k->name, strlen(k->name)))
		return tz_fail(err, TZ_EINVAL, "the device name is not valid UTF-8 text",
			       "设备名称不是有效的 UTF-8 文本");
	if (!crypto_core_ed25519_is_valid_point(k->pk))
		return tz_fail(err, TZ_EINVAL, "not a valid Ed25519 public key",
			       "不是有效的 Ed25519 公钥");
	if (k->has_enc && !tz_keyent_enc_ok(k))
		return tz_fail(err, TZ_EINVAL,
			       "the encryption key of key %s is not signed by it (altered?)",
			       "密钥 %s 的加密密钥没有它的有效签名（被改动？）", kid);
	uint8_t enc[ENC_LEN];
	memcpy(enc, k->epk, 32);
	memcpy(enc + 32, k->esig, 64);
	uint8_t own_pk[32], own_id[8];
	if (tz_key_public(db, own_pk, own_id, NULL) == TZ_OK &&
	    (!memcmp(own_pk, k->pk, 32) || !memcmp(own_id, k->key_id, 8)))
		return tz_fail(err, TZ_EINVAL, "key %s is this device's own key",
			       "密钥 %s 是本机自己的密钥", kid);
	if (tz_db_has_identity(db) && !memcmp(tz_db_origin(db), k->origin, 16))
		return tz_fail(err, TZ_EINVAL, "key %s claims to belong to this device",
			       "密钥 %s 声称属于本机", kid);

	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	tz_keyent old;
	int found = 0, rc;
	sqlite3_stmt *s = tz_stmt(db, SQL_GET);
	if (!s)
		goto dbfail;
	sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		if (row_ent(s, &old)) {
			sqlite3_reset(s);
			st = damaged(err);
			goto fail;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto dbfail;
	if (found && (memcmp(old.pk, k->pk, 32) || memcmp(old.origin, k->origin, 16))) {
		st = tz_fail(err, TZ_EINVAL,
			     "key id %s is already enrolled with another key or device",
			     "密钥编号 %s 已登记为另一个密钥或设备", kid);
		goto fail;
	}
	if (!found) {
		if (!(s = tz_stmt(db, SQL_BY_PK)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->pk, 32, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 8)
			tz_keyid_hex(sqlite3_column_blob(s, 0), other);
		sqlite3_reset(s);
		if (rc == SQLITE_ROW) {
			st = tz_fail(err, TZ_EINVAL,
				     "this public key is already enrolled under key id %s",
				     "该公钥已以密钥编号 %s 登记", other);
			goto fail;
		}
		if (rc != SQLITE_DONE)
			goto dbfail;
		if (!(s = tz_stmt(db, SQL_INSERT)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, k->pk, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, k->origin, 16, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, tz_role_name(k->role), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, reg, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, k->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, k->added_ms > 0 ? k->added_ms : tz_wall_ms());
		if (k->revoked_after >= 0)
			sqlite3_bind_int64(s, 8, k->revoked_after);
		if (k->has_enc)
			sqlite3_bind_blob(s, 9, enc, ENC_LEN, SQLITE_STATIC);
	} else {
		/* enrolled again: new role, region and name; enrolment date and
		 * any revocation stay */
		if (!(s = tz_stmt(db, SQL_UPDATE)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, tz_role_name(k->role), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, reg, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, k->name, -1, SQLITE_STATIC);
		if (k->has_enc)
			sqlite3_bind_blob(s, 5, enc, ENC_LEN, SQLITE_STATIC);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto dbfail;
	return tz_db_commit(db, err);
dbfail:
	st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
fail:
	tz_db_rollback(db);
	return st;
}

tz_status tz_keyring_revoke(tz_db *db, const char *which, int64_t after_seq, tz_err *err)
{
	char norm[33], show[40];
	size_t n = 0;
	for (const char *p = which ? which : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (n == 32 || tz_hexdigit(*p) < 0) {
			n = 0;
			break;
		}
		norm[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
	}
	norm[n] = '\0';
	if (n != 32 && n != 16)
		return tz_fail(err, TZ_EINVAL,
			       "'%.40s' is not a key fingerprint (32 hex digits) or key id (16)",
			       "“%.40s”不是密钥指纹（32 位十六进制）或密钥编号（16 位）",
			       which ? which : "");
	/* this device's key is not in the keyring */
	tz_keyent own;
	if (own_key(db, &own, NULL) == TZ_OK) {
		tz_key_fingerprint(own.pk, show);
		char mine[33], *o = mine;
		for (const char *p = show; *p; p++)
			if (*p != ' ')
				*o++ = *p;
		*o = '\0';
		tz_keyid_hex(own.key_id, show);
		for (char *p = show; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		if (!strcmp(norm, n == 32 ? mine : show))
			return tz_fail(err, TZ_EINVAL,
				       "that is this device's own key; it is not in the keyring",
				       "这是本机自己的密钥，不在密钥环中");
	}
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	tz_keyent k, hit;
	int found = 0, rc;
	sqlite3_stmt *s = tz_stmt(db, SQL_ALL);
	if (!s)
		goto dbfail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_ent(s, &k)) {
			sqlite3_reset(s);
			st = damaged(err);
			goto fail;
		}
		char id[40], *o = id;
		if (n == 32) {
			tz_key_fingerprint(k.pk, show);
			for (const char *p = show; *p; p++)
				if (*p != ' ')
					*o++ = *p;
			*o = '\0';
		} else {
			tz_keyid_hex(k.key_id, id);
			for (char *p = id; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		}
		if (!strcmp(id, norm)) {
			hit = k;
			found = 1;
			break;
		}
	}
	sqlite3_reset(s);
	if (!found && rc != SQLITE_DONE)
		goto dbfail;
	if (!found) {
		st = tz_fail(err, TZ_ENOTFOUND, "no key %s in the keyring",
			     "密钥环中没有密钥 %s", norm);
		goto fail;
	}
	int64_t to = after_seq < 0 ? 0 : after_seq;
	if (hit.revoked_after >= 0 && to > hit.revoked_after) {
		st = tz_fail(err, TZ_EINVAL,
			     "the key is already revoked after seq %lld; a revocation can only"
			     " be tightened",
			     "该密钥已从序号 %lld 之后吊销；吊销只能收紧，不能放宽",
			     (long long)hit.revoked_after);
		goto fail;
	}
	if (!(s = tz_stmt(db, SQL_REVOKE)))
		goto dbfail;
	sqlite3_bind_blob(s, 1, hit.key_id, 8, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, to);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto dbfail;
	return tz_db_commit(db, err);
dbfail:
	st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
fail:
	tz_db_rollback(db);
	return st;
}

tz_status tz_keyring_list(tz_db *db, tz_keyent_cb cb, void *ctx, tz_err *err)
{
	tz_keyring kr;
	tz_status st = load_db(db, 0, &kr, err);
	if (st)
		return st;
	for (size_t i = 0; i < kr.n; i++)
		if (cb(ctx, &kr.v[i]))
			break;
	tz_keyring_free(&kr);
	return TZ_OK;
}

tz_status tz_keyring_find(tz_db *db, const uint8_t key_id[8], tz_keyent *out, tz_err *err)
{
	char kid[17];
	sqlite3_stmt *s = tz_stmt(db, SQL_GET);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_bind_blob(s, 1, key_id, 8, SQLITE_STATIC);
	int rc = sqlite3_step(s), bad_row = 0;
	if (rc == SQLITE_ROW)
		bad_row = row_ent(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return bad_row ? damaged(err) : TZ_OK;
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	tz_keyent own;
	if (own_key(db, &own, NULL) == TZ_OK && !memcmp(own.key_id, key_id, 8)) {
		*out = own;
		return TZ_OK;
	}
	tz_keyid_hex(key_id, kid);
	return tz_fail(err, TZ_ENOTFOUND, "unknown key id %s (not in the keyring)",
		       "未知密钥编号 %s（不在密钥环中）", kid);
}

/* ---- keyring files ---- */

tz_status tz_keyring_from_db(tz_db *db, tz_keyring *kr, tz_err *err)
{
	return load_db(db, 1, kr, err);
}

const tz_keyent *tz_keyring_lookup(const tz_keyring *kr, const uint8_t key_id[8])
{
	for (size_t i = 0; kr && i < kr->n; i++)
		if (!memcmp(kr->v[i].key_id, key_id, 8))
			return &kr->v[i];
	return NULL;
}

void tz_keyring_free(tz_keyring *kr)
{
	if (!kr)
		return;
	free(kr->v);
	kr->v = NULL;
	kr->n = 0;
}

/* A growing string. */
typedef struct {
	char *s;
	size_t n, cap;
	int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 1024;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *p = realloc(b->s, nc);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = nc;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void date_of(int64_t ms, char out[11])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int64_t local = ms / 1000;
	if (localtime_r(&t, &tm))
		local += tm.tm_gmtoff;
	tz_days_date((long)(local / 86400 - (local % 86400 < 0)), out);
}

static void format_line(sbuf *b, const tz_keyent *k)
{
	char kid[17], b64[B64_LEN + 1], origin[33], tmp[64];
	tz_keyid_hex(k->key_id, kid);
	blob_b64(k, b64);
	tz_hex(k->origin, 16, origin);
	sb_str(b, kid);
	sb_str(b, " ");
	sb_str(b, b64);
	sb_str(b, " origin=");
	sb_str(b, origin);
	sb_str(b, " role=");
	sb_str(b, tz_role_name(k->role));
	sb_str(b, " region=");
	sb_str(b, k->region);
	sb_str(b, " added=");
	if (k->added_ms > 0)
		date_of(k->added_ms, tmp);
	else
		strcpy(tmp, "-");
	sb_str(b, tmp);
	sb_str(b, " revoked_after=");
	if (k->revoked_after >= 0)
		snprintf(tmp, sizeof tmp, "%lld", (long long)k->revoked_after);
	else
		strcpy(tmp, "-");
	sb_str(b, tmp);
	if (k->has_enc) {
		char e[ENC_B64_LEN + 1];
		enc_b64(k, e);
		sb_str(b, " enc=");
		sb_str(b, e);
	}
	sb_str(b, " name=");
	for (const char *p = k->name; *p; p++) {
		switch (*p) {
		case '\\': sb_str(b, "\\\\"); break;
		case ' ': sb_str(b, "\\s"); break;
		case '\t': sb_str(b, "\\t"); break;
		case '\n': sb_str(b, "\\n"); break;
		default: sb_add(b, p, 1);
		}
	}
	sb_str(b, "\n");
}

tz_status tz_keyring_export(tz_db *db, const char *path, tz_err *err)
{
	tz_keyring kr;
	tz_keyent own;
	tz_status st = own_key(db, &own, err); /* an auditor needs this device's key too */
	if (st)
		return st;
	if ((st = load_db(db, 1, &kr, err)))
		return st;
	sbuf b = {0};
	sb_str(&b, KEYRING_HEADER "\n");
	for (size_t i = 0; i < kr.n; i++)
		format_line(&b, &kr.v[i]);
	tz_keyring_free(&kr);
	if (b.oom)
		st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	else
		st = write_atomic(path, b.s, b.n, err);
	free(b.s);
	return st;
}

/* Undo the name escapes in place: 0, or -1 for a bad escape. */
static int unescape(char *s, size_t *n)
{
	size_t o = 0;
	for (size_t i = 0; i < *n; i++) {
		if (s[i] != '\\') {
			s[o++] = s[i];
			continue;
		}
		if (++i == *n)
			return -1;
		switch (s[i]) {
		case '\\': s[o++] = '\\'; break;
		case 's': s[o++] = ' '; break;
		case 't': s[o++] = '\t'; break;
		case 'n': s[o++] = '\n'; break;
		default: return -1;
		}
	}
	s[o] = '\0';
	*n = o;
	return 0;
}

/* One key line of a keyring file into k. */
static tz_status keyring_line(char *line, tz_keyent *k, const char *path, int no, tz_err *err)
{
	size_t n;
	char *c = line, *w;
	uint8_t kid[8];
	ent_init(k);
	if (!(w = word(&c, &n)) || keyid_parse(w, n, kid))
		return bad(err, path, no, "does not start with a 16-digit key id",
			   "行首不是 16 位密钥编号");
	if (!(w = word(&c, &n)))
		return bad(err, path, no, "the key is missing", "缺少密钥");
	tz_status st = blob_parse(w, n, k, path, no, err);
	if (st)
		return st;
	if (memcmp(kid, k->key_id, 8)) {
		char a[17], b[17];
		tz_keyid_hex(kid, a);
		tz_keyid_hex(k->key_id, b);
		return bad(err, path, no, "the line names key id %s but the key is %s",
			   "该行的密钥编号为 %s，而密钥实为 %s", a, b);
	}
	enum { F_ORIGIN = 1, F_ROLE = 2, F_REGION = 4, F_ADDED = 8, F_REVOKED = 16, F_NAME = 32,
	       F_ENC = 64 };
	static const char *const keys[] = {"origin", "role", "region", "added", "revoked_after",
					   "name", "enc"};
	unsigned seen = 0;
	while ((w = word(&c, &n))) {
		char *eq = strchr(w, '=');
		if (!eq || eq == w)
			return bad(err, path, no, "expected key=value, got '%.40s'",
				   "应为 键=值，而不是“%.40s”", w);
		*eq = '\0';
		char *v = eq + 1;
		size_t vn = n - (size_t)(v - w);
		int f = -1;
		for (int i = 0; i < 7; i++)
			if (!strcmp(w, keys[i]))
				f = i;
		if (f < 0)
			continue; /* a later version's field */
		if (seen & (1u << f))
			return bad(err, path, no, "%s given twice", "%s 重复出现", w);
		seen |= 1u << f;
		int r;
		switch (f) {
		case 0:
			if (origin_parse(v, vn, k->origin) || all_zero(k->origin, 16))
				return bad(err, path, no, "origin is not 32 hex digits",
					   "origin 不是 32 位十六进制数");
			break;
		case 1:
			if ((r = tz_role_parse(v)) < 0)
				return bad(err, path, no,
					   "role is not village, township or county",
					   "role 不是 village、township 或 county");
			k->role = (tz_role)r;
			break;
		case 2:
			if (tz_valid_region(v, k->region, NULL) || strcmp(v, k->region))
				return bad(err, path, no, "region is not a 12-digit region code",
					   "region 不是 12 位区划代码");
			break;
		case 3: {
			char d[11];
			if (!strcmp(v, "-"))
				break;
			if (vn != 10 || tz_valid_date(v, d, NULL))
				return bad(err, path, no, "added is not a date YYYY-MM-DD",
					   "added 不是 YYYY-MM-DD 格式的日期");
			/* midday UTC: the same local date anywhere within 12 hours */
			k->added_ms = (int64_t)tz_date_days(d) * DAY_MS + DAY_MS / 2;
			break;
		}
		case 4: {
			int64_t x = 0;
			if (!strcmp(v, "-"))
				break;
			if (vn == 0 || vn > 18)
				goto bad_seq;
			for (size_t i = 0; i < vn; i++) {
				if (v[i] < '0' || v[i] > '9')
					goto bad_seq;
				x = x * 10 + (v[i] - '0');
			}
			k->revoked_after = x;
			break;
bad_seq:
			return bad(err, path, no, "revoked_after is not a seq number or -",
				   "revoked_after 不是序号或 -");
		}
		case 6:
			if (enc_parse(v, vn, k))
				return bad(err, path, no, "enc is not %d base64 characters",
					   "enc 不是 %d 个 base64 字符", ENC_B64_LEN);
			break;
		default:
			if (unescape(v, &vn))
				return bad(err, path, no, "bad escape in the name (\\\\ \\s \\t \\n)",
					   "名称中的转义有误（\\\\ \\s \\t \\n）");
			if (!name_ok(v, vn))
				return bad(err, path, no,
					   "the name is not valid UTF-8 text without control characters",
					   "名称不是有效的 UTF-8 文本或含有控制字符");
			name_copy(k->name, v, vn);
		}
	}
	if ((seen & (F_ORIGIN | F_ROLE | F_REGION)) != (F_ORIGIN | F_ROLE | F_REGION))
		return bad(err, path, no, "origin, role and region are required",
			   "origin、role 和 region 为必填项");
	if (k->has_enc && !tz_keyent_enc_ok(k))
		return bad(err, path, no, "the encryption key is not signed by the line's key (altered?)",
			   "加密密钥没有该行密钥的有效签名（被改动？）");
	return TZ_OK;
}

/* Sort the keys; a key id twice is refused, naming the later line. */
static tz_status sort_unique(tz_keyring *kr, const int *lineno, const char *path, tz_err *err)
{
	tz_keyent *v = malloc((kr->n + 1) * sizeof *v);
	tz_status st = TZ_OK;
	if (!v) {
		st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
		goto out;
	}
	for (size_t i = 0; i < kr->n; i++)
		v[i] = kr->v[i];
	qsort(v, kr->n, sizeof *v, ent_cmp);
	for (size_t i = 1; i < kr->n; i++) {
		if (memcmp(v[i - 1].key_id, v[i].key_id, 8))
			continue;
		/* the line of the second occurrence in the file */
		int first = 0, second = 0;
		for (size_t j = 0; j < kr->n; j++) {
			if (memcmp(kr->v[j].key_id, v[i].key_id, 8))
				continue;
			if (!first)
				first = lineno[j];
			else if (!second)
				second = lineno[j];
		}
		char kid[17];
		tz_keyid_hex(v[i].key_id, kid);
		st = bad(err, path, second, "key id %s appears twice (also line %d)",
			 "密钥编号 %s 重复出现（另见第 %d 行）", kid, first);
		goto out;
	}
	if (kr->n)
		memcpy(kr->v, v, kr->n * sizeof *v);
out:
	free(v);
	return st;
}

tz_status tz_keyring_load(const char *path, tz_keyring *kr, tz_err *err)
{
	char *buf, *line;
	size_t len, n, cap = 0, lcap = 0;
	int *lineno = NULL;
	kr->v = NULL;
	kr->n = 0;
	tz_status st = read_file(path, KEYRING_MAX, &buf, &len, err);
	if (st)
		return st;
	line_iter it;
	lines_init(&it, buf, len);
	line = lines_next(&it, &n);
	if (!line || strcmp(line, KEYRING_HEADER)) {
		if (line && !strncmp(line, "# taizhang keyring v", 20))
			st = bad(err, path, 1, "keyring format '%.20s' is not supported (this is v1)",
				 "不支持密钥环格式“%.20s”（本程序为 v1）", line + 19);
		else
			st = bad(err, path, 1, "not a taizhang keyring (no '" KEYRING_HEADER "' line)",
				 "不是台账密钥环（缺少“" KEYRING_HEADER "”行）");
		goto out;
	}
	while ((line = lines_next(&it, &n))) {
		tz_keyent k;
		if (n > KEYRING_LINE_MAX) {
			st = bad(err, path, it.no, "line too long", "行过长");
			goto out;
		}
		if (line[0] == '#' || blank(line))
			continue;
		if ((st = keyring_line(line, &k, path, it.no, err)))
			goto out;
		if (kr->n == lcap) {
			lcap = lcap ? lcap * 2 : 16;
			int *p = realloc(lineno, lcap * sizeof *p);
			if (!p) {
				st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
				goto out;
			}
			lineno = p;
		}
		lineno[kr->n] = it.no;
		if ((st = kr_push(kr, &cap, &k, err)))
			goto out;
	}
	st = sort_unique(kr, lineno, path, err);
out:
	if (st)
		tz_keyring_free(kr);
	free(lineno);
	free(buf);
	return st;
}
