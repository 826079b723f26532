/* settings.c - the known local settings, their defaults and checks. */
#include "taizhang/settings.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "taizhang/file.h"
#include "taizhang/oplog.h"
#include "taizhang/utf8.h"
#include "taizhang/validate.h"

#define DAYS(key, d, lo, hi, en, zh) {key, TZ_SETTING_INT, d, lo, hi, NULL, en, zh}
#define WEIGHT(key, d, en, zh) {key, TZ_SETTING_INT, d, 0, 1000, NULL, en, zh}

const tz_setting_def tz_settings_defs[] = {
	/* follow-up schedule (core/due.c) */
	DAYS("due.visit_lookahead_days", "0", 0, 365,
	     "list household visits falling due within this many days",
	     "提前多少天列出将到期的入户走访"),
	DAYS("due.case_no_action_days", "30", 1, 3650,
	     "an open aid case with no action for this many days is due",
	     "援助案例超过多少天无措施即需跟踪"),
	DAYS("due.keygroup_visit_days", "90", 1, 3650,
	     "a key-group person's household must be visited every this many days",
	     "重点群体人员所在户应每隔多少天走访一次"),
	DAYS("due.referral_outcome_days", "14", 1, 3650,
	     "a referral waiting this many days for its outcome is due",
	     "推荐后超过多少天无结果即需跟进"),
	DAYS("due.zero_emp_clear_days", "30", 1, 3650,
	     "a zero-employment household must be cleared within this many days of recognition",
	     "零就业家庭认定后应在多少天内清零"),
	DAYS("due.cert_warn_days", "60", 0, 3650,
	     "warn this many days before a staff certificate expires",
	     "工作人员证书到期前多少天提醒"),
	/* labour force (due and match) */
	DAYS("labour.age_min", "16", 14, 30, "working age starts at", "劳动年龄下限（周岁）"),
	DAYS("labour.retire_age_m", "60", 45, 75, "men: working age ends at (exclusive)",
	     "男性劳动年龄上限（达到即退出，周岁）"),
	DAYS("labour.retire_age_f", "55", 40, 75, "women: working age ends at (exclusive)",
	     "女性劳动年龄上限（达到即退出，周岁）"),
	/* matching (core/match.c) */
	{"match.seeker_status", TZ_SETTING_CODES, "unemployed,flexible", 0, 0, tz_schema_codes_employment,
	 "employment statuses that make a person of working age a job seeker"
	 " (besides wanting work)",
	 "视为求职人员的就业状态（另加有就业意愿者）"},
	{"match.employed_status", TZ_SETTING_CODES, "local,migrant,business,public_post", 0, 0,
	 tz_schema_codes_employment, "employment statuses marked 'employed' in match results",
	 "匹配结果中标记为“已就业”的就业状态"},
	WEIGHT("match.w.skills", "30", "points for skills matching the vacancy", "技能匹配得分"),
	WEIGHT("match.w.occupation", "25",
	       "points for the same occupation code (less for a shared prefix)",
	       "职业代码相同的得分（前缀相同得部分分）"),
	WEIGHT("match.w.location", "20",
	       "points for working in the home village (less farther away)",
	       "在本村工作的得分（越远越少）"),
	WEIGHT("match.w.wage", "15", "points for pay meeting the expected wage",
	       "工资满足期望的得分"),
	WEIGHT("match.w.key_group", "10", "priority points for a key-group person",
	       "重点群体优先得分"),
	WEIGHT("match.w.aid_case", "20", "priority points for a person with an open aid case",
	       "援助对象（案例未结）优先得分"),
	WEIGHT("match.w.work_range", "10",
	       "points taken off when the job is farther than the person's work range",
	       "超出本人务工范围的扣分"),
	/* the monthly report and the platform checklist (core/report.c, docs/reports.md) */
	{"report.labour_exclude_status", TZ_SETTING_CODES, "student,retired,unable,military", 0, 0, tz_schema_codes_employment, "statuses outside the labour force",
	 "不计入劳动力的就业状态"},
	{"report.labour_exclude_ability", TZ_SETTING_CODES, "none", 0, 0, tz_schema_codes_work_ability,
	 "work abilities outside the labour force", "不计入劳动力的劳动能力"},
	{"report.employed_status", TZ_SETTING_CODES, "local,migrant,flexible,business,public_post",
	 0, 0, tz_schema_codes_employment, "statuses counted as employed", "计为就业的就业状态"},
	{"report.unemployed_status", TZ_SETTING_CODES, "unemployed", 0, 0, tz_schema_codes_employment, "statuses counted as unemployed", "计为失业的就业状态"},
	{"report.migrant_status", TZ_SETTING_CODES, "migrant", 0, 0, tz_schema_codes_employment,
	 "statuses that make an employed person a migrant worker", "计为外出务工的就业状态"},
	{"report.migrant_range", TZ_SETTING_CODES, "province,outside", 0, 0, tz_schema_codes_work_range,
	 "work ranges that make an employed person a migrant worker", "计为外出务工的务工范围"},
	{"report.long_unemp_months", TZ_SETTING_INT, "6", 1, 120, NULL,
	 "unemployed for more than this many months counts as long", "失业超过多少个月单列"},
	{"report.placed_reasons", TZ_SETTING_CODES, "employed", 0, 0, tz_schema_codes_close_reason,
	 "close reasons that count as a placement", "计为帮扶就业的结案原因"},
	{"report.staff_min.county", TZ_SETTING_INT, "0", 0, 100, NULL,
	 "minimum employment staff of a county", "县级最低配备人数"},
	{"report.staff_min.township", TZ_SETTING_INT, "3", 0, 100, NULL,
	 "minimum employment staff of a township or street", "乡镇（街道）最低配备人数"},
	{"report.staff_min.community", TZ_SETTING_INT, "2", 0, 100, NULL,
	 "minimum employment staff of a community", "社区最低配备人数"},
	{"report.staff_min.village", TZ_SETTING_INT, "1", 0, 100, NULL,
	 "minimum employment staff of an administrative village", "行政村最低配备人数"},
	{"report.staff_status.county", TZ_SETTING_CODES, "fulltime", 0, 0, tz_schema_codes_staff_status,
	 "staff statuses counted toward a county's minimum", "县级计入配备的在岗状态"},
	{"report.staff_status.township", TZ_SETTING_CODES, "fulltime", 0, 0, tz_schema_codes_staff_status,
	 "staff statuses counted toward a township's minimum", "乡镇计入配备的在岗状态"},
	{"report.staff_status.community", TZ_SETTING_CODES, "fulltime", 0, 0, tz_schema_codes_staff_status,
	 "staff statuses counted toward a community's minimum", "社区计入配备的在岗状态"},
	{"report.staff_status.village", TZ_SETTING_CODES, "fulltime,parttime", 0, 0, tz_schema_codes_staff_status, "staff statuses counted toward a village's minimum", "行政村计入配备的在岗状态"},
	/* the full-screen program */
	{"ui.lang", TZ_SETTING_ENUM, "", 0, 0, tz_settings_codes_lang,
	 "language of the full-screen program (empty: from the locale; --lang overrides)",
	 "全屏界面的语言（留空：按系统区域设置；--lang 优先）"},
	DAYS("ui.lock_minutes", "10", 0, 1440,
	     "lock the screen (ask a staff PIN) after this many idle minutes; 0: never",
	     "无操作多少分钟后锁屏（需输入工作人员 PIN）；0 表示不锁"),
	{"sync.last_dir", TZ_SETTING_PATH, "", 0, 0, NULL,
	 "the folder the full-screen program last exported to or imported from (offered first)",
	 "全屏界面上次导出或导入所用的文件夹（下次优先提供）"},
	/* the network (docs/network.md) */
	{"net.url", TZ_SETTING_URL, "", 0, 0, NULL,
	 "the township server push and pull use (remembered after each success)",
	 "推送和拉取所用的乡镇服务器地址（每次成功后记住）"},
	DAYS("net.max_upload_mb", "65", 1, 65, "serve: the largest bundle upload taken, in MiB",
	     "serve：接收的数据包上传上限（MiB）"),
	DAYS("net.max_connections", "256", 4, 10000, "serve: concurrent connections at most",
	     "serve：同时连接数上限"),
	DAYS("net.timeout_seconds", "30", 5, 3600,
	     "serve: drop a connection idle this many seconds",
	     "serve：连接空闲多少秒后断开"),
	DAYS("net.upload_seconds", "600", 2, 86400,
	     "serve: drop an upload still unfinished after this many seconds",
	     "serve：上传超过多少秒仍未完成即断开"),
	DAYS("net.header_seconds", "10", 1, 3600,
	     "serve: drop a connection that has not sent its request headers after this many seconds",
	     "serve：连接后多少秒仍未发完请求头即断开"),
	DAYS("net.max_per_address", "16", 1, 10000,
	     "serve: concurrent connections from one address at most",
	     "serve：同一地址的并发连接数上限"),
	DAYS("net.spool_tmp_mb", "1024", 65, 1048576,
	     "serve: uploads in progress may hold this many MiB in the spool's tmp/ at most",
	     "serve：进行中的上传在 tmp/ 中最多占用多少 MiB"),
	/* merging bundles (docs/bundle-format.md) */
	DAYS("clock_skew_hours", "1", 1, 8760,
	     "import: hold back changes whose clock is more than this many hours ahead of this PC's",
	     "导入：时钟比本机快超过多少小时的变更暂不合并（待核实）"),
	/* reporting calendar and complaints (core/due.c) */
	DAYS("due.complaint_warn_days", "3", 0, 365,
	     "list open complaints this many days before their deadline",
	     "投诉咨询办结时限前多少天列出"),
	DAYS("due.report_lead_days", "7", 0, 60,
	     "list reports due upward this many days ahead (calendar.reports)",
	     "提前多少天列出需上报的报表（calendar.reports）"),
	{"calendar.reports", TZ_SETTING_CALENDAR, TZ_CALENDAR_DEFAULT, 0, 0, tz_settings_codes_calendar,
	 "reports due upward: NAME@DD (every month) or NAME@MM-DD (every year), comma-separated",
	 "需向上级报送的报表：名称@日（每月）或 名称@月-日（每年），以逗号分隔"},
	/* complaints and the platform (core/platform.c) */
	DAYS("complaint.deadline_days", "15", 1, 365,
	     "a complaint without its own deadline must be resolved within this many days",
	     "未填办结时限的投诉咨询应在受理后多少天内办结"),
	DAYS("platform.space_min.township", "100", 0, 100000,
	     "minimum service space of a township platform, m2", "乡镇平台最低服务场地面积（平方米）"),
	DAYS("platform.space_min.street", "100", 0, 100000,
	     "minimum service space of a street platform, m2", "街道平台最低服务场地面积（平方米）"),
	DAYS("platform.space_min.community", "30", 0, 100000,
	     "minimum service space of a community platform, m2", "社区平台最低服务场地面积（平方米）"),
	DAYS("platform.space_min.village", "0", 0, 100000,
	     "minimum service space of a village platform, m2 (a village needs an office)",
	     "行政村平台最低服务场地面积（平方米；村须有办公场所）"),
	DAYS("platform.rate_min", "95", 0, 100,
	     "full-employment community: minimum employment rates, percent",
	     "充分就业社区：各项就业率的最低值（%）"),
	/* bundles (sync/bundle.c, docs/bundle-format.md) */
	DAYS("sync.encrypt", "1", 0, 1,
	     "1: bundles are encrypted to their recipients (version 2); 0: written unencrypted"
	     " (version 1), for readers that cannot decrypt",
	     "1：数据包加密给接收方（第 2 版）；0：不加密写出（第 1 版），供无法解密的一方使用"),
	DAYS("sync.accept_plaintext", "0", 0, 1,
	     "1: import also takes unencrypted (version 1) bundles; 0: refuses them",
	     "1：导入时也接收未加密（第 1 版）的数据包；0：拒收"),
};
const int tz_settings_ndefs = (int)(sizeof tz_settings_defs / sizeof tz_settings_defs[0]);

const tz_setting_def *tz_settings_find(const char *key)
{
	for (int i = 0; key && i < tz_settings_ndefs; i++)
		if (!strcmp(tz_settings_defs[i].key, key))
			return &tz_settings_defs[i];
	return NULL;
}

/* The names of the reporting calendar that have labels (others are shown
 * as written). */
const tz_code tz_settings_codes_lang[] = {
	{"zh", "中文", "Chinese"},
	{"en", "英文", "English"},
	{NULL, NULL, NULL},
};

const tz_code tz_settings_codes_calendar[] = {
	{"monthly", "就业动态监测月报", "monthly monitoring report"},
	{"quarterly", "季度报表", "quarterly report"},
	{"annual", "年度报表", "annual report"},
	{"filing", "工作人员年检备案", "staff annual filing"},
	{0},
};

int tz_settings_calendar_parse(const char *list, tz_calendar_entry *out, int max)
{
	int n = 0;
	size_t len = list ? strlen(list) : 0;
	if (len && list[len - 1] == ',')
		return -1;
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		char item[96];
		if (k == 0 || k >= sizeof item)
			return -1;
		memcpy(item, p, k);
		item[k] = '\0';
		p += k + (p[k] == ',');
		char *at = strchr(item, '@');
		if (!at || at == item || at - item > 40 || strchr(at + 1, '@'))
			return -1;
		*at = '\0';
		const char *w = at + 1;
		int month = 0, day;
		if (strlen(w) == 2 && strspn(w, "0123456789") == 2) {
			day = atoi(w);
		} else if (strlen(w) == 5 && w[2] == '-' && strspn(w, "0123456789") == 2 &&
			   strspn(w + 3, "0123456789") == 2) {
			month = atoi(w);
			day = atoi(w + 3);
			char d[16], ignored[11];
			snprintf(d, sizeof d, "2000-%s", w); /* a leap year: 02-29 is allowed */
			if (tz_valid_date(d, ignored, NULL))
				return -1;
		} else {
			return -1;
		}
		if (day < 1 || day > 31)
			return -1;
		if (n < max && out) {
			snprintf(out[n].name, sizeof out[n].name, "%.47s", item);
			out[n].month = month;
			out[n].day = day;
		}
		n++;
	}
	return n;
}

tz_status tz_settings_check(const tz_setting_def *d, const char *val, char **norm, tz_err *err)
{
	*norm = NULL;
	if (d->type == TZ_SETTING_CALENDAR) {
		if (tz_settings_calendar_parse(val, NULL, 0) < 1)
			return tz_fail(err, TZ_EINVAL,
				       "%s: give NAME@DD or NAME@MM-DD, comma-separated (not '%.60s')",
				       "%s：应为 名称@日 或 名称@月-日，以逗号分隔（而不是“%.60s”）",
				       d->key, val ? val : "");
		if (!(*norm = strdup(val)))
			return tz_nomem(err);
		return TZ_OK;
	}
	if (d->type == TZ_SETTING_INT) {
		tz_field f = {.name = d->key, .zh = d->key, .en = d->key, .type = TZ_T_INT,
			      .min = d->min, .max = d->max};
		tz_status st = tz_validate_field(NULL, &f, val, norm, err);
		if (!st && !*norm)
			st = tz_fail(err, TZ_EINVAL, "%s: a number is needed", "%s：需要一个数字",
				     d->key);
		return st;
	}
	if (d->type == TZ_SETTING_PATH) {
		size_t n = strlen(val);
		int ok = n < TZ_PATH_MAX && tz_utf8_valid(val, n);
		for (size_t i = 0; ok && i < n; i++)
			ok = (unsigned char)val[i] >= ' ' && val[i] != 0x7f;
		if (!ok)
			return tz_fail(err, TZ_EINVAL, "%s: a folder name is needed",
				       "%s：需要一个文件夹名称", d->key);
		*norm = strdup(val);
		return *norm ? TZ_OK : tz_nomem(err);
	}
	if (d->type == TZ_SETTING_URL) {
		size_t n = strlen(val);
		int ok = n < 900 && (!strncmp(val, "http://", 7) || !strncmp(val, "https://", 8));
		for (size_t i = 0; ok && i < n; i++)
			ok = (unsigned char)val[i] > ' ' && val[i] != 0x7f && !strchr("?#\"\\", val[i]);
		if (!ok)
			return tz_fail(err, TZ_EINVAL, "%s: an address like http://HOST:PORT is needed",
				       "%s：需要形如 http://主机:端口 的地址", d->key);
		*norm = strdup(val);
		return *norm ? TZ_OK : tz_nomem(err);
	}
	tz_field f = {.name = d->key, .zh = d->key, .en = d->key,
		      .type = d->type == TZ_SETTING_ENUM ? TZ_T_ENUM : TZ_T_SET, .codes = d->codes};
	tz_status st = tz_validate_field(NULL, &f, val, norm, err);
	if (!st && !*norm)
		st = tz_fail(err, TZ_EINVAL, "%s: at least one code is needed",
			     "%s：至少需要一个代码", d->key);
	return st;
}

tz_status tz_settings_set(tz_db *db, const char *key, const char *val, tz_err *err)
{
	const tz_setting_def *d = tz_settings_find(key);
	if (!d)
		return tz_fail(err, TZ_EUSAGE,
			       "unknown setting '%.60s' (see 'taizhang setting list')",
			       "没有名为“%.60s”的设置（见 taizhang setting list）", key ? key : "");
	if (!val || !*val)
		return tz_db_setting_set(db, key, NULL, err);
	char *norm = NULL;
	tz_status st = tz_settings_check(d, val, &norm, err);
	if (!st)
		st = tz_db_setting_set(db, key, norm, err);
	free(norm);
	return st;
}

char *tz_settings_str(tz_db *db, const char *key, int *is_default)
{
	const tz_setting_def *d = tz_settings_find(key);
	if (is_default)
		*is_default = 1;
	if (!d)
		return NULL;
	char *v = tz_db_setting_get(db, key), *norm = NULL;
	if (v && tz_settings_check(d, v, &norm, NULL) == TZ_OK && norm) {
		free(v);
		if (is_default)
			*is_default = 0;
		return norm;
	}
	free(v);
	free(norm);
	return strdup(d->dflt);
}

long tz_settings_int(tz_db *db, const char *key)
{
	const tz_setting_def *d = tz_settings_find(key);
	if (!d || d->type != TZ_SETTING_INT)
		return 0;
	char *v = tz_settings_str(db, key, NULL);
	long r = v ? strtol(v, NULL, 10) : strtol(d->dflt, NULL, 10);
	free(v);
	return r;
}

char *tz_settings_list(tz_db *db, const char *key)
{
	char *v = tz_settings_str(db, key, NULL);
	if (!v)
		return NULL;
	size_t n = strlen(v);
	char *r = malloc(n + 3);
	if (r)
		snprintf(r, n + 3, ",%s,", v);
	free(v);
	return r;
}

int tz_settings_codes_has(const char *list, const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (!list || !n)
		return 0;
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, code, n))
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}
