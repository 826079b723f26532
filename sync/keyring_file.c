/* keyring_file.c - keyring files (taizhang keyring export; read by verify).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/buf.h"
#include "taizhang/db_sql.h"
#include "keyring_int.h"
#include "taizhang/file.h"
#include "taizhang/keyring.h"
#include "taizhang/validate.h"

#define KEYRING_MAX (4u << 20)
#define KEYRING_LINE_MAX 4095
#define KEYRING_HEADER "# taizhang keyring v1"
#define DAY_MS 86400000LL

/* ---- keyring files ---- */

static void date_of(int64_t ms, char out[11])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int64_t local = ms / 1000;
	if (localtime_r(&t, &tm))
		local += tm.tm_gmtoff;
	tz_date_from_days((long)(local / 86400 - (local % 86400 < 0)), out);
}

static void format_line(tz_buf *b, const tz_keyent *k)
{
	char kid[17], b64[B64_LEN + 1], origin[33], tmp[64];
	tz_pubkey_id_hex(k->key_id, kid);
	kr_blob_b64(k, b64);
	tz_hex_encode(k->origin, 16, origin);
	tz_buf_str(b, kid);
	tz_buf_str(b, " ");
	tz_buf_str(b, b64);
	tz_buf_str(b, " origin=");
	tz_buf_str(b, origin);
	tz_buf_str(b, " role=");
	tz_buf_str(b, tz_db_role_name(k->role));
	tz_buf_str(b, " region=");
	tz_buf_str(b, k->region);
	tz_buf_str(b, " added=");
	if (k->added_ms > 0)
		date_of(k->added_ms, tmp);
	else
		strcpy(tmp, "-");
	tz_buf_str(b, tmp);
	tz_buf_str(b, " revoked_after=");
	if (k->revoked_after >= 0)
		snprintf(tmp, sizeof tmp, "%lld", (long long)k->revoked_after);
	else
		strcpy(tmp, "-");
	tz_buf_str(b, tmp);
	if (k->has_enc) {
		char e[ENC_B64_LEN + 1];
		kr_enc_b64(k, e);
		tz_buf_str(b, " enc=");
		tz_buf_str(b, e);
	}
	tz_buf_str(b, " name=");
	for (const char *p = k->name; *p; p++) {
		switch (*p) {
		case '\\': tz_buf_str(b, "\\\\"); break;
		case ' ': tz_buf_str(b, "\\s"); break;
		case '\t': tz_buf_str(b, "\\t"); break;
		case '\n': tz_buf_str(b, "\\n"); break;
		default: tz_buf_put(b, p, 1);
		}
	}
	tz_buf_str(b, "\n");
}

tz_status tz_keyring_export(tz_db *db, const char *path, tz_err *err)
{
	tz_keyring kr;
	tz_keyent own;
	tz_status st = kr_own_key(db, &own, err); /* an auditor needs this device's key too */
	if (st)
		return st;
	if ((st = kr_load_db(db, 1, &kr, err)))
		return st;
	tz_buf b = {0};
	tz_buf_str(&b, KEYRING_HEADER "\n");
	for (size_t i = 0; i < kr.n; i++)
		format_line(&b, &kr.v[i]);
	tz_keyring_free(&kr);
	if (b.failed)
		st = tz_nomem(err);
	else
		st = tz_file_put(path, b.buf, b.len, 0644, err);
	tz_buf_free(&b);
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
	kr_ent_init(k);
	if (!(w = kr_word(&c, &n)) || kr_keyid_parse(w, n, kid))
		return kr_bad(err, path, no, "does not start with a 16-digit key id",
			      "行首不是 16 位密钥编号");
	if (!(w = kr_word(&c, &n)))
		return kr_bad(err, path, no, "the key is missing", "缺少密钥");
	tz_status st = kr_blob_parse(w, n, k, path, no, err);
	if (st)
		return st;
	if (memcmp(kid, k->key_id, 8)) {
		char a[17], b[17];
		tz_pubkey_id_hex(kid, a);
		tz_pubkey_id_hex(k->key_id, b);
		return kr_bad(err, path, no, "the line names key id %s but the key is %s",
			      "该行的密钥编号为 %s，而密钥实为 %s", a, b);
	}
	enum { F_ORIGIN = 1, F_ROLE = 2, F_REGION = 4, F_ADDED = 8, F_REVOKED = 16, F_NAME = 32,
	       F_ENC = 64 };
	static const char *const keys[] = {"origin", "role", "region", "added", "revoked_after",
					   "name", "enc"};
	unsigned seen = 0;
	while ((w = kr_word(&c, &n))) {
		char *eq = strchr(w, '=');
		if (!eq || eq == w)
			return kr_bad(err, path, no, "expected key=value, got '%.40s'",
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
			return kr_bad(err, path, no, "%s given twice", "%s 重复出现", w);
		seen |= 1u << f;
		int r;
		switch (f) {
		case 0:
			if (kr_origin_parse(v, vn, k->origin) || kr_all_zero(k->origin, 16))
				return kr_bad(err, path, no, "origin is not 32 hex digits",
					      "origin 不是 32 位十六进制数");
			break;
		case 1:
			if ((r = tz_db_role_parse(v)) < 0)
				return kr_bad(err, path, no,
					      "role is not village, township or county",
					      "role 不是 village、township 或 county");
			k->role = (tz_role)r;
			break;
		case 2:
			if (tz_valid_region(v, k->region, NULL) || strcmp(v, k->region))
				return kr_bad(err, path, no, "region is not a 12-digit region code",
					      "region 不是 12 位区划代码");
			break;
		case 3: {
			char d[11];
			if (!strcmp(v, "-"))
				break;
			if (vn != 10 || tz_valid_date(v, d, NULL))
				return kr_bad(err, path, no, "added is not a date YYYY-MM-DD",
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
			return kr_bad(err, path, no, "revoked_after is not a seq number or -",
				      "revoked_after 不是序号或 -");
		}
		case 6:
			if (kr_enc_parse(v, vn, k))
				return kr_bad(err, path, no, "enc is not %d base64 characters",
					      "enc 不是 %d 个 base64 字符", ENC_B64_LEN);
			break;
		default:
			if (unescape(v, &vn))
				return kr_bad(err, path, no, "bad escape in the name (\\\\ \\s \\t \\n)",
					      "名称中的转义有误（\\\\ \\s \\t \\n）");
			if (!kr_name_ok(v, vn))
				return kr_bad(err, path, no,
					      "the name is not valid UTF-8 text without control characters",
					      "名称不是有效的 UTF-8 文本或含有控制字符");
			kr_name_copy(k->name, v, vn);
		}
	}
	if ((seen & (F_ORIGIN | F_ROLE | F_REGION)) != (F_ORIGIN | F_ROLE | F_REGION))
		return kr_bad(err, path, no, "origin, role and region are required",
			      "origin、role 和 region 为必填项");
	if (k->has_enc && !tz_pubkey_enc_ok(k))
		return kr_bad(err, path, no, "the encryption key is not signed by the line's key (altered?)",
			      "加密密钥没有该行密钥的有效签名（被改动？）");
	return TZ_OK;
}

/* Sort the keys; a key id twice is refused, naming the later line. */
static tz_status sort_unique(tz_keyring *kr, const int *lineno, const char *path, tz_err *err)
{
	tz_keyent *v = malloc((kr->n + 1) * sizeof *v);
	tz_status st = TZ_OK;
	if (!v) {
		st = tz_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < kr->n; i++)
		v[i] = kr->v[i];
	qsort(v, kr->n, sizeof *v, kr_ent_cmp);
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
		tz_pubkey_id_hex(v[i].key_id, kid);
		st = kr_bad(err, path, second, "key id %s appears twice (also line %d)",
			    "密钥编号 %s 重复出现（另见第 %d 行）", kid, first);
		goto out;
	}
	if (kr->n)
		memcpy(kr->v, v, kr->n * sizeof *v);
out:
	free(v);
	return st;
}

/* The text of a keyring file in buf (len bytes and a NUL, checked by
 * kr_text_ok; split in place, then freed) into kr (emptied); path names it
 * in messages. */
static tz_status keyring_parse(char *buf, size_t len, const char *path, tz_keyring *kr,
			       tz_err *err)
{
	char *line;
	size_t n, cap = 0, lcap = 0;
	int *lineno = NULL;
	tz_status st = TZ_OK;
	kr_line_iter it;
	kr_lines_init(&it, buf, len);
	line = kr_lines_next(&it, &n);
	if (!line || strcmp(line, KEYRING_HEADER)) {
		if (line && !strncmp(line, "# taizhang keyring v", 20))
			st = kr_bad(err, path, 1, "keyring format '%.20s' is not supported (this is v1)",
				    "不支持密钥环格式“%.20s”（本程序为 v1）", line + 19);
		else
			st = kr_bad(err, path, 1, "not a taizhang keyring (no '" KEYRING_HEADER "' line)",
				    "不是台账密钥环（缺少“" KEYRING_HEADER "”行）");
		goto out;
	}
	while ((line = kr_lines_next(&it, &n))) {
		tz_keyent k;
		if (n > KEYRING_LINE_MAX) {
			st = kr_bad(err, path, it.no, "line too long", "行过长");
			goto out;
		}
		if (line[0] == '#' || kr_blank(line))
			continue;
		if ((st = keyring_line(line, &k, path, it.no, err)))
			goto out;
		if (kr->n == lcap) {
			lcap = lcap ? lcap * 2 : 16;
			int *p = realloc(lineno, lcap * sizeof *p);
			if (!p) {
				st = tz_nomem(err);
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

tz_status tz_keyring_parse(const char *text, size_t len, const char *name, tz_keyring *kr,
			   tz_err *err)
{
	char *buf;
	kr->v = NULL;
	kr->n = 0;
	tz_status st = kr_text_copy(text, len, KEYRING_MAX, name, &buf, err);
	return st ? st : keyring_parse(buf, len, name, kr, err);
}

tz_status tz_keyring_load(const char *path, tz_keyring *kr, tz_err *err)
{
	char *buf;
	size_t len;
	kr->v = NULL;
	kr->n = 0;
	tz_status st = kr_read_file(path, KEYRING_MAX, &buf, &len, err);
	if (!st && (st = kr_text_ok(buf, len, KEYRING_MAX, path, err)))
		free(buf);
	if (st)
		return st;
	/* one device's public key file is a keyring of that one key */
	static const char pub[] = "untrusted comment: minisign public key ";
	if (len >= sizeof pub - 1 && !memcmp(buf, pub, sizeof pub - 1)) {
		tz_keyent k;
		st = tz_pubkey_parse(buf, len, path, &k, err);
		free(buf);
		if (st)
			return st;
		size_t cap = 0;
		return kr_push(kr, &cap, &k, err);
	}
	return keyring_parse(buf, len, path, kr, err);
}
