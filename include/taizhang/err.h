/* err.h - status codes, bilingual messages and the error carrier (base/err.c).
 *
 * Core and sync functions never print: they return a tz_status and, on
 * failure, fill a tz_err with one line in the current language.  Status codes
 * and their exit classes come from one table (X-macro), as do the messages.
 */
#ifndef TAIZHANG_ERR_H
#define TAIZHANG_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, exit status, default message in English, in Chinese) -- exit
 * statuses follow the contract: 0 ok, 1 data refused or check failed,
 * 2 usage, 3 environment.  The messages are what tz_fail_code() says when
 * nothing more specific is known (SQLite's aMsg[], tig's STATUS_CODE_INFO). */
#define TZ_STATUS_LIST(X) \
	X(TZ_OK, 0, "ok", "成功") \
	X(TZ_EINVAL, 1, "invalid value", "数据无效") /* a field or record was refused */ \
	X(TZ_ENOTFOUND, 1, "not found", "没有找到") /* no such record */ \
	X(TZ_EREFUSED, 1, "refused", "被拒绝") /* a bundle or file was refused */ \
	X(TZ_ECHECK, 1, "the check found problems", "检查发现问题") \
	X(TZ_EUSAGE, 2, "usage error", "用法错误") /* bad command line */ \
	X(TZ_EIO, 3, "input/output error", "读写错误") /* I/O error, disk full */ \
	X(TZ_EDB, 3, "database error", "数据库错误") /* locked, corrupt */ \
	X(TZ_ENOMEM, 3, "out of memory", "内存不足") \
	X(TZ_ECRYPTO, 3, "cryptography error", "加密运算出错") \
	X(TZ_EKEY, 1, "wrong passphrase or missing key", "口令错误或缺少密钥")

typedef enum {
#define TZ_X(name, code, en, zh) name,
	TZ_STATUS_LIST(TZ_X)
#undef TZ_X
	TZ_STATUS_COUNT
} tz_status;

/* Exit status for the command line (0..3). */
int tz_status_exit(tz_status st);
/* The status's default message in the current language. */
const char *tz_status_msg(tz_status st);

typedef enum { TZ_LANG_ZH = 0, TZ_LANG_EN = 1 } tz_lang;

void tz_lang_set(tz_lang lang);
tz_lang tz_lang_get(void);
/* Pick a language from LC_ALL / LC_MESSAGES / LANG: zh* -> Chinese. */
tz_lang tz_lang_from_env(void);

/* Pick the string for the current language. */
const char *tz_tr(const char *en, const char *zh);
/* snprintf with the format in the current language (the same arguments in
 * the same order in both). */
void tz_trf(char *buf, size_t n, const char *en, const char *zh, ...)
	__attribute__((format(printf, 3, 5))) __attribute__((format(printf, 4, 5)));

/* strerror(e) in the current language: Chinese for the errors a user meets
 * (file missing, no permission, read-only or full medium, stick pulled...),
 * else the C library's text. */
const char *tz_strerror(int e);

#define TZ_ERR_MAX 512
typedef struct {
	tz_status status;
	char msg[TZ_ERR_MAX];
} tz_err;

/* Set err (if not NULL) and return st.  The format strings are given in
 * both languages with the same arguments in the same order. */
tz_status tz_fail(tz_err *err, tz_status st, const char *en, const char *zh, ...)
	__attribute__((format(printf, 4, 5)));
void tz_err_clear(tz_err *err);
/* Set err to the status's default message and return st. */
tz_status tz_fail_code(tz_err *err, tz_status st);
/* tz_fail_code(err, TZ_ENOMEM): "out of memory" / "内存不足". */
tz_status tz_nomem(tz_err *err);

#endif
