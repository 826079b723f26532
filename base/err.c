/* err.c - status codes and their messages, language and the error carrier. */
#include "taizhang/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* per thread: serve answers each request in its own language */
static _Thread_local tz_lang cur_lang = TZ_LANG_ZH;

static const struct {
	unsigned char exit;
	const char *en, *zh;
} status_info[TZ_STATUS_COUNT] = {
#define TZ_X(name, code, en, zh) [name] = {code, en, zh},
	TZ_STATUS_LIST(TZ_X)
#undef TZ_X
};

int tz_status_exit(tz_status st)
{
	if ((unsigned)st >= TZ_STATUS_COUNT)
		return 3;
	return status_info[st].exit;
}

const char *tz_status_msg(tz_status st)
{
	if ((unsigned)st >= TZ_STATUS_COUNT)
		st = TZ_EIO;
	return tz_tr(status_info[st].en, status_info[st].zh);
}

void tz_lang_set(tz_lang lang) { cur_lang = lang; }
tz_lang tz_lang_get(void) { return cur_lang; }

tz_lang tz_lang_from_env(void)
{
	static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "zh", 2) == 0 ? TZ_LANG_ZH : TZ_LANG_EN;
	}
	return TZ_LANG_EN;
}

const char *tz_tr(const char *en, const char *zh)
{
	return cur_lang == TZ_LANG_ZH ? zh : en;
}

/* Chinese for the errors users meet; the rest keep the C library's text */
static const struct {
	int e;
	const char *zh;
} errno_zh[] = {
	{ENOENT, "没有这个文件或文件夹"},
	{EACCES, "没有权限"},
	{EPERM, "没有权限"},
	{EROFS, "只读的存储设备（U 盘的写保护开关打开了吗？）"},
	{ENOSPC, "磁盘已满"},
	{EDQUOT, "超出磁盘配额"},
	{EIO, "读写错误（设备损坏或被拔出？）"},
	{ENODEV, "设备不存在（U 盘被拔出了吗？）"},
	{ENXIO, "设备不存在（U 盘被拔出了吗？）"},
	{ENOTDIR, "不是文件夹"},
	{EISDIR, "是文件夹，不是文件"},
	{EEXIST, "已经存在"},
	{ENAMETOOLONG, "名称太长"},
	{EBUSY, "设备或资源正忙"},
	{EMFILE, "打开的文件太多"},
	{ENFILE, "打开的文件太多"},
	{ENOMEM, "内存不足"},
	{EFBIG, "文件太大"},
	{EINVAL, "参数无效"},
	{ELOOP, "符号链接层数过多"},
	{ETIMEDOUT, "连接超时"},
	{ECONNREFUSED, "连接被拒绝"},
};

const char *tz_strerror(int e)
{
	if (cur_lang == TZ_LANG_ZH)
		for (size_t i = 0; i < sizeof errno_zh / sizeof errno_zh[0]; i++)
			if (errno_zh[i].e == e)
				return errno_zh[i].zh;
	return strerror(e);
}

tz_status tz_fail(tz_err *err, tz_status st, const char *en, const char *zh, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, zh);
		err->status = st;
		vsnprintf(err->msg, sizeof err->msg, tz_tr(en, zh), ap);
		va_end(ap);
	}
	return st;
}

tz_status tz_fail_code(tz_err *err, tz_status st)
{
	return tz_fail(err, st, "%s", "%s", tz_status_msg(st));
}

tz_status tz_nomem(tz_err *err)
{
	return tz_fail_code(err, TZ_ENOMEM);
}

void tz_trf(char *buf, size_t n, const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	vsnprintf(buf, n, tz_tr(en, zh), ap);
	va_end(ap);
}

void tz_err_clear(tz_err *err)
{
	if (err) {
		err->status = TZ_OK;
		err->msg[0] = '\0';
	}
}
