/* audit.c - verify bundle files and each device's chain of bundles. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "taizhang/audit.h"
#include "taizhang/buf.h"
#include "taizhang/bundle.h"
#include "taizhang/db_sql.h"

typedef struct {
	tz_bundle_info info;
	const tz_keyent *key;
} good;

typedef struct {
	const tz_keyring *kr;
	tz_audit_cb cb;
	void *ctx;
	int problems;
	good *v;
	size_t n, cap;
	char **receipts; /* receipt files, checked once every bundle has been */
	size_t nr, rcap;
	size_t files;    /* bundle and receipt files looked at */
	struct failed {
		uint8_t origin[16];
		int n;
	} *failed;       /* devices with bundles that failed (when their header could be read) */
	size_t nfailed, fcap;
} auditor;

/* A bundle of origin failed: the device is listed even if none of its
 * bundles verified. */
static void note_failed(auditor *a, const uint8_t origin[16])
{
	for (size_t i = 0; i < a->nfailed; i++)
		if (!memcmp(a->failed[i].origin, origin, 16)) {
			a->failed[i].n++;
			return;
		}
	struct failed *v = tz_buf_grow(a->failed, a->nfailed, &a->fcap, sizeof *v);
	if (!v)
		return;
	a->failed = v;
	memcpy(v[a->nfailed].origin, origin, 16);
	v[a->nfailed++].n = 1;
}

static void say(auditor *a, const char *kind, int ok, const char *en, const char *zh, ...)
	__attribute__((format(printf, 4, 0), format(printf, 5, 0)));

static void say(auditor *a, const char *kind, int ok, const char *en, const char *zh, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, zh);
	vsnprintf(line, sizeof line, tz_tr(en, zh), ap);
	va_end(ap);
	if (!ok)
		a->problems++;
	a->cb(a->ctx, kind, ok, line);
}

static int is_receipt(const char *path)
{
	size_t l = strlen(path);
	return l > 4 && !strcmp(path + l - 4, TZ_RECEIPT_EXT);
}

/* A receipt: signed by a key of the keyring, and, where the files given
 * hold the device's bundle ending at its seq, naming that bundle. */
static void check_receipt(auditor *a, const char *path)
{
	char text[TZ_RECEIPT_MAX], dev[33], kid[17], t[32];
	FILE *f = fopen(path, "rb");
	size_t len = f ? fread(text, 1, sizeof text, f) : 0;
	if (f)
		fclose(f);
	if (!f) {
		say(a, "receipt", 0, "FAIL receipt %s cannot be read", "FAIL receipt %s 无法读取", path);
		return;
	}
	tz_receipt r;
	uint8_t sig[64];
	size_t sl;
	tz_err err = {0};
	if (tz_receipt_parse(text, len, &r, sig, &sl, &err)) {
		say(a, "receipt", 0, "FAIL receipt %s %s", "FAIL receipt %s %s", path, err.msg);
		return;
	}
	tz_pubkey_id_hex(r.key_id, kid);
	tz_hex_encode(r.device, 16, dev);
	const tz_keyent *k = tz_keyring_lookup(a->kr, r.key_id);
	if (!k) {
		say(a, "receipt", 0, "FAIL receipt %s device=%s seq=%llu unknown key %s",
		    "FAIL receipt %s device=%s seq=%llu 未知密钥 %s", path, dev,
		    (unsigned long long)r.seq, kid);
		return;
	}
	if (tz_receipt_check(text, len, k, &r, &err)) {
		say(a, "receipt", 0, "FAIL receipt %s device=%s seq=%llu %s",
		    "FAIL receipt %s device=%s seq=%llu %s", path, dev, (unsigned long long)r.seq,
		    err.msg);
		return;
	}
	const char *chain = "";
	uint64_t top = 0;
	for (size_t i = 0; i < a->n; i++)
		if (!memcmp(a->v[i].info.origin, r.device, 16) && a->v[i].info.last_seq > top)
			top = a->v[i].info.last_seq;
	if (top && top < r.seq) {
		/* the device's bundles given end before what the signer holds:
		 * the end of the chain was cut off */
		say(a, "receipt", 0,
		    "FAIL receipt %s device=%s seq=%llu: the bundles given end at %llu, changes %llu-%llu"
		    " that %s %s signed for are missing (cut off)",
		    "FAIL receipt %s device=%s seq=%llu：所给数据包止于第 %llu 条，第 %llu-%llu 条"
		    "（%s %s 已签收）缺失（被截断）",
		    path, dev, (unsigned long long)r.seq, (unsigned long long)top,
		    (unsigned long long)(top + 1), (unsigned long long)r.seq, tz_db_role_name(k->role),
		    k->region);
		return;
	}
	for (size_t i = 0; i < a->n; i++) {
		const tz_bundle_info *b = &a->v[i].info;
		if (memcmp(b->origin, r.device, 16) || b->last_seq != r.seq)
			continue;
		if (memcmp(b->hash, r.head, 32)) {
			say(a, "receipt", 0,
			    "FAIL receipt %s device=%s seq=%llu names a head that is not the device's"
			    " bundle ending there",
			    "FAIL receipt %s device=%s seq=%llu 所述链头不是该设备止于此处的数据包", path,
			    dev, (unsigned long long)r.seq);
			return;
		}
		chain = tz_tr(" chain=matches", " chain=相符");
	}
	tz_receipt_utc(&r, t);
	say(a, "receipt", 1, "OK receipt %s device=%s seq=%llu by=%s %s key=%s time=%s%s",
	    "OK receipt %s device=%s seq=%llu by=%s %s key=%s time=%s%s", path, dev,
	    (unsigned long long)r.seq, tz_db_role_name(k->role), k->region, kid, t, chain);
}

static void check_file(auditor *a, const char *path)
{
	a->files++;
	if (is_receipt(path)) {
		char **nv = tz_buf_grow(a->receipts, a->nr, &a->rcap, sizeof *nv);
		char *p = strdup(path);
		if (nv)
			a->receipts = nv;
		if (!nv || !p) {
			free(p);
			say(a, "receipt", 0, "FAIL receipt %s out of memory", "FAIL receipt %s 内存不足", path);
			return;
		}
		a->receipts[a->nr++] = p;
		return;
	}
	tz_bundle_info info;
	tz_err err = {0};
	char kid[17], origin[33];
	if (tz_bundle_peek(path, &info, &err)) {
		say(a, "bundle", 0, "FAIL %s %s", "FAIL %s %s", path, err.msg);
		return;
	}
	tz_pubkey_id_hex(info.key_id, kid);
	tz_hex_encode(info.origin, 16, origin);
	const tz_keyent *k = tz_keyring_lookup(a->kr, info.key_id);
	if (!k) {
		say(a, "bundle", 0, "FAIL %s origin=%s seq=%llu-%llu unknown key %s",
		    "FAIL %s origin=%s seq=%llu-%llu 未知密钥 %s", path, origin,
		    (unsigned long long)info.first_seq, (unsigned long long)info.last_seq, kid);
		note_failed(a, info.origin);
		return;
	}
	if (memcmp(k->origin, info.origin, 16)) {
		say(a, "bundle", 0, "FAIL %s origin=%s key %s belongs to another device",
		    "FAIL %s origin=%s 密钥 %s 属于另一台设备", path, origin, kid);
		note_failed(a, info.origin);
		return;
	}
	if (tz_bundle_verify(path, k->pk, NULL, &info, NULL, NULL, &err)) {
		say(a, "bundle", 0, "FAIL %s origin=%s seq=%llu-%llu %s", "FAIL %s origin=%s seq=%llu-%llu %s",
		    path, origin, (unsigned long long)info.first_seq,
		    (unsigned long long)info.last_seq, err.msg);
		note_failed(a, info.origin);
		return;
	}
	if (k->revoked_after >= 0 && info.last_seq > (uint64_t)k->revoked_after) {
		say(a, "bundle", 0, "FAIL %s origin=%s seq=%llu-%llu key %s revoked after %lld",
		    "FAIL %s origin=%s seq=%llu-%llu 密钥 %s 在第 %lld 条之后已吊销", path, origin,
		    (unsigned long long)info.first_seq, (unsigned long long)info.last_seq, kid,
		    (long long)k->revoked_after);
		note_failed(a, info.origin);
		return;
	}
	/* who can read it: the recipients' key ids where the keyring knows
	 * their encryption keys ("?" where it does not) */
	char to[TZ_BUNDLE_SHOW_RECIPIENTS * 18 + 32] = "";
	if (info.version == TZ_BUNDLE_VERSION) {
		size_t l = (size_t)snprintf(to, sizeof to, " encrypted to=");
		for (int i = 0; i < info.nrecipients && i < TZ_BUNDLE_SHOW_RECIPIENTS; i++) {
			char rk[17] = "?";
			for (size_t j = 0; j < a->kr->n; j++) {
				uint8_t id[32];
				if (!a->kr->v[j].has_enc)
					continue;
				tz_bundle_recipient_id(a->kr->v[j].epk, id);
				if (!memcmp(id, info.recipient[i], 32)) {
					tz_pubkey_id_hex(a->kr->v[j].key_id, rk);
					break;
				}
			}
			l += (size_t)snprintf(to + l, sizeof to - l, "%s%s", i ? "," : "", rk);
		}
		if (info.nrecipients > TZ_BUNDLE_SHOW_RECIPIENTS)
			snprintf(to + l, sizeof to - l, ",+%d",
				 info.nrecipients - TZ_BUNDLE_SHOW_RECIPIENTS);
	} else {
		snprintf(to, sizeof to, " unencrypted");
	}
	say(a, "bundle", 1, "OK %s origin=%s seq=%llu-%llu key=%s ops=%u%s",
	    "OK %s origin=%s seq=%llu-%llu key=%s ops=%u%s", path, origin,
	    (unsigned long long)info.first_seq, (unsigned long long)info.last_seq, kid, info.count,
	    to);
	good *nv = tz_buf_grow(a->v, a->n, &a->cap, sizeof *nv);
	if (!nv)
		return;
	a->v = nv;
	a->v[a->n].info = info;
	a->v[a->n].key = k;
	a->n++;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static tz_status check_dir(auditor *a, const char *dir, int depth, tz_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return tz_fail(err, TZ_EIO, "cannot read the folder %s", "无法读取文件夹 %s", dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		if (l < 5 ||
		    (strcmp(e->d_name + l - 4, TZ_BUNDLE_EXT) && strcmp(e->d_name + l - 4, TZ_RECEIPT_EXT))) {
			/* a folder of stick folders: each is read too */
			struct stat sb;
			char p[4400];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			if (depth >= 4 || lstat(p, &sb) || !S_ISDIR(sb.st_mode))
				continue;
		}
		char **nn = tz_buf_grow(names, n, &cap, sizeof *nn);
		if (!nn)
			break;
		names = nn;
		names[n] = malloc(strlen(dir) + l + 2);
		if (!names[n])
			break;
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	tz_status st = TZ_OK;
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (!st && lstat(names[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			st = check_dir(a, names[i], depth + 1, err);
		else if (!st)
			check_file(a, names[i]);
		free(names[i]);
	}
	free(names);
	return st;
}

static int cmp_good(const void *x, const void *y)
{
	const good *a = x, *b = y;
	int c = memcmp(a->info.origin, b->info.origin, 16);
	if (c)
		return c;
	if (a->info.first_seq != b->info.first_seq)
		return a->info.first_seq < b->info.first_seq ? -1 : 1;
	return memcmp(a->info.hash, b->info.hash, 32);
}

/* Per device: walk its bundles in seq order. */
static void report_devices(auditor *a)
{
	if (a->n)
		qsort(a->v, a->n, sizeof *a->v, cmp_good);
	for (size_t i = 0; i < a->n;) {
		size_t j = i;
		while (j < a->n && !memcmp(a->v[j].info.origin, a->v[i].info.origin, 16))
			j++;
		char origin[33], kid[160] = "", held[512] = "", missing[512] = "", forks[512] = "",
						       breaks[256] = "";
		tz_hex_encode(a->v[i].info.origin, 16, origin);
		uint64_t next = 1, run_start = 0;
		const good *prev = NULL;
		for (size_t k = i; k < j; k++) {
			const good *g = &a->v[k];
			/* every key seen signing for the device, in seq order */
			char one[17];
			tz_pubkey_id_hex(g->key->key_id, one);
			if (!strstr(kid, one) && strlen(kid) + 18 < sizeof kid) {
				size_t l = strlen(kid);
				snprintf(kid + l, sizeof kid - l, "%s%s", l ? "," : "", one);
			}
			if (prev && !memcmp(prev->info.hash, g->info.hash, 32))
				continue; /* the same bundle given twice */
			if (prev && g->info.first_seq <= prev->info.last_seq) {
				size_t l = strlen(forks);
				snprintf(forks + l, sizeof forks - l, "%s%llu-%llu", l ? "," : "",
					 (unsigned long long)g->info.first_seq,
					 (unsigned long long)(g->info.last_seq < prev->info.last_seq
								      ? g->info.last_seq
								      : prev->info.last_seq));
				continue;
			}
			if (g->info.first_seq > next) {
				size_t l = strlen(missing);
				snprintf(missing + l, sizeof missing - l, "%s%llu-%llu", l ? "," : "",
					 (unsigned long long)next,
					 (unsigned long long)(g->info.first_seq - 1));
				if (run_start) {
					l = strlen(held);
					snprintf(held + l, sizeof held - l, "%s%llu-%llu", l ? "," : "",
						 (unsigned long long)run_start,
						 (unsigned long long)(next - 1));
				}
				run_start = g->info.first_seq;
			} else if (prev && memcmp(g->info.prev, prev->info.hash, 32)) {
				size_t l = strlen(breaks);
				snprintf(breaks + l, sizeof breaks - l, "%s%llu", l ? "," : "",
					 (unsigned long long)g->info.first_seq);
			}
			if (!run_start)
				run_start = g->info.first_seq;
			next = g->info.last_seq + 1;
			prev = g;
		}
		size_t l = strlen(held);
		snprintf(held + l, sizeof held - l, "%s%llu-%llu", l ? "," : "",
			 (unsigned long long)run_start, (unsigned long long)(next - 1));
		const tz_keyent *key = a->v[i].key;
		if (forks[0])
			say(a, "device", 0,
			    "device %s key=%s %s %s FORK: two different signed bundles for %s (proof of equivocation) name=%s",
			    "device %s key=%s %s %s 分叉：%s 有两个不同的签名数据包（重复签署的证据） name=%s",
			    origin, kid, tz_db_role_name(key->role), key->region, forks, key->name);
		if (breaks[0])
			say(a, "device", 0, "device %s key=%s %s %s chain broken at %s name=%s",
			    "device %s key=%s %s %s 链在 %s 处断开 name=%s", origin, kid,
			    tz_db_role_name(key->role), key->region, breaks, key->name);
		if (missing[0])
			say(a, "device", 0, "device %s key=%s %s %s gaps: holds %s, missing %s name=%s",
			    "device %s key=%s %s %s 有缺口：已有 %s，缺少 %s name=%s", origin, kid,
			    tz_db_role_name(key->role), key->region, held, missing, key->name);
		/* one live key per device: two unrevoked keys in the keyring
		 * for it means one of them borrowed its identity */
		int live = 0;
		for (size_t q = 0; q < a->kr->n; q++)
			live += !memcmp(a->kr->v[q].origin, a->v[i].info.origin, 16) &&
				a->kr->v[q].revoked_after < 0;
		if (live > 1)
			say(a, "device", 0,
			    "device %s key=%s %s %s has %d live keys: only one may sign for a device"
			    " (revoke the one that is not its own)",
			    "device %s key=%s %s %s 有 %d 个有效密钥：一台设备只能有一个签名密钥"
			    "（请吊销不属于它的那个）",
			    origin, kid, tz_db_role_name(key->role), key->region, live);
		else if (!forks[0] && !breaks[0] && !missing[0])
			say(a, "device", 1, "device %s key=%s %s %s intact %s name=%s",
			    "device %s key=%s %s %s 完整 %s name=%s", origin, kid,
			    tz_db_role_name(key->role), key->region, held, key->name);
		i = j;
	}
}

tz_status tz_audit(const tz_keyring *kr, char *const *paths, int npaths, tz_audit_cb cb, void *ctx,
		   int *problems, tz_err *err)
{
	auditor a = {.kr = kr, .cb = cb, .ctx = ctx};
	tz_status st = TZ_OK;
	for (int i = 0; i < npaths && !st; i++) {
		struct stat sb;
		if (stat(paths[i], &sb)) {
			say(&a, "bundle", 0, "FAIL %s cannot be read", "FAIL %s 无法读取", paths[i]);
			continue;
		}
		size_t before = a.files;
		if (S_ISDIR(sb.st_mode))
			st = check_dir(&a, paths[i], 0, err);
		else
			check_file(&a, paths[i]);
		if (!st && a.files == before)
			say(&a, "bundle", 0, "FAIL %s holds no bundle or receipt files",
			    "FAIL %s 中没有数据包或回执文件", paths[i]);
	}
	for (size_t i = 0; i < a.nr; i++) {
		if (!st)
			check_receipt(&a, a.receipts[i]);
		free(a.receipts[i]);
	}
	free(a.receipts);
	if (!st)
		report_devices(&a);
	/* devices none of whose bundles verified */
	for (size_t i = 0; !st && i < a.nfailed; i++) {
		int seen = 0;
		for (size_t j = 0; j < a.n && !seen; j++)
			seen = !memcmp(a.v[j].info.origin, a.failed[i].origin, 16);
		if (seen)
			continue;
		char origin[33];
		tz_hex_encode(a.failed[i].origin, 16, origin);
		say(&a, "device", 0, "device %s FAIL: none of its %d bundle(s) verified",
		    "device %s 失败：它的 %d 个数据包均未通过验证", origin, a.failed[i].n);
	}
	free(a.failed);
	free(a.v);
	*problems = a.problems;
	return st;
}

tz_status tz_audit_held(tz_db *db, tz_audit_cb cb, void *ctx, int *problems, tz_err *err)
{
	auditor a = {.cb = cb, .ctx = ctx};
	sqlite3_stmt *st;
	*problems = 0;
	/* per device: the changes not applied for lack of authority (a
	 * problem), and those waiting for a record not received (not one) */
	if (sqlite3_prepare_v2(tz_db_sql(db),
			       "SELECT q.origin, q.pending, count(*), min(q.seq), max(q.seq),"
			       " (SELECT reason FROM quarantine r WHERE r.origin = q.origin"
			       "  AND r.pending = q.pending AND r.reason IS NOT NULL ORDER BY r.seq LIMIT 1),"
			       " (SELECT role || ' ' || region FROM keyring k WHERE k.origin = q.origin"
			       "  ORDER BY k.added DESC LIMIT 1)"
			       " FROM quarantine q WHERE q.reason IS NOT NULL"
			       " GROUP BY q.origin, q.pending ORDER BY q.origin, q.pending",
			       -1, &st, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, "quarantine");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char origin[33] = "?";
		if (sqlite3_column_bytes(st, 0) == 16)
			tz_hex_encode(sqlite3_column_blob(st, 0), 16, origin);
		const char *why = (const char *)sqlite3_column_text(st, 5),
			   *who = (const char *)sqlite3_column_text(st, 6);
		long long n = sqlite3_column_int64(st, 2), lo = sqlite3_column_int64(st, 3),
			  hi = sqlite3_column_int64(st, 4);
		if (sqlite3_column_int(st, 1))
			say(&a, "device", 1,
			    "device %s %s %lld changes (seq %lld-%lld) wait for records not received yet",
			    "device %s %s %lld 条变更（序号 %lld-%lld）所修改的记录尚未收到，暂缓应用", origin,
			    who ? who : "?", n, lo, hi);
		else
			say(&a, "device", 0,
			    "device %s %s OUTSIDE ITS AUTHORITY: %lld changes (seq %lld-%lld) not applied,"
			    " held for review; first: %s",
			    "device %s %s 超出权限：%lld 条变更（序号 %lld-%lld）未应用，待核查；首条：%s",
			    origin, who ? who : "?", n, lo, hi, why ? why : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "quarantine");
	*problems = a.problems;
	return TZ_OK;
}
