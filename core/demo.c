/* demo.c - realistic synthetic data, deterministic for a seed.
 *
 * Values are valid by construction and written straight to the op log
 * (tz_oplog_local, whole-row ops) one transaction per village: going through
 * tz_record_add would re-validate and look up every reference, too slow at
 * county scale.  tests/unit/test_demo.c re-validates every field and row.
 *
 * Each village draws from its own xoshiro256** stream seeded from (seed,
 * village index), row ids included.  Policy-like shares (education,
 * employment mix, key groups) live in the tables below, not in code.
 */
#include "taizhang/demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXF 64
#define VILLAGES_PER_TOWNSHIP 25
#define MAX_MEMBERS 6
#define MAX_EMP 8
#define MAX_VAC 32
#define MAX_STAFF 6

/* ---- the generator: splitmix64 seeding xoshiro256** ---- */

typedef struct {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [lo, hi]. */
static int rnd(rng *r, int lo, int hi)
{
	uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
	return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* True with probability permille / 1000. */
static int chance(rng *r, int permille) { return rnd(r, 0, 999) < permille; }

/* In [0, n), small values more likely: n * u * u for uniform u, in
 * integers so that every platform draws the same. */
static int rnd_sq(rng *r, int n)
{
	uint64_t u = rng_next(r) >> 32, u2 = (u * u) >> 32;
	return (int)((u2 * (uint64_t)n) >> 32);
}

/* ---- data tables ---- */

typedef struct {
	const char *code;
	int w;
} wcode;

static const char *pick(rng *r, const wcode *t)
{
	int sum = 0;
	for (const wcode *c = t; c->code; c++)
		sum += c->w;
	int x = rnd(r, 0, sum - 1);
	for (const wcode *c = t; c->code; c++)
		if ((x -= c->w) < 0)
			return c->code;
	return t->code;
}

#define ANY(r, a) ((a)[rnd(r, 0, N(a) - 1)])

/* Strings of 3-byte (BMP CJK) characters, one pick each. */
static const char surnames[] =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
	"叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
	"贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解";
static const char *const compound_surnames[] = {"欧阳", "司马", "诸葛"};

/* given-name characters by birth cohort (before 1970, before 1995, later) and gender */
static const char *const given[3][2] = {
	{"国建华明军强平福德春生林海成金荣文志忠义富贵山根树清",
	 "秀英兰芳桂珍凤玉梅琴华红霞翠莲菊香娥花云淑春"},
	{"伟勇斌磊超波鹏飞刚辉军涛杰峰亮俊明龙浩健兵锋",
	 "丽娟敏静燕艳慧玲莉婷娜霞芳琳颖倩洁雪萍丹"},
	{"子浩宇轩博睿俊泽辰晨杰涛鹏然航铭宸昊一皓嘉",
	 "欣怡梓涵雨诗婷琪萱佳悦思雪可馨若彤语嘉妍"},
};

_Static_assert((sizeof surnames - 1) % 3 == 0, "surnames are 3-byte characters");
#define NSURNAMES ((int)(sizeof surnames - 1) / 3)

/* Frequency of surname k in 1/10000: the top twenty after the census,
 * then a falling tail (the last few are rare). */
static int surname_w(int k)
{
	static const short top[20] = {710, 700, 670, 540, 450, 310, 240, 230, 200, 200,
				      170, 150, 140, 130, 130, 120, 120, 120, 110, 110};
	return k < 20 ? top[k] : k < NSURNAMES - 2 ? 100 - (k - 20) : 5;
}

static const char *const village_first[] = {
	"金", "石", "龙", "枫", "杨", "柏", "荷", "桃", "竹", "梅", "松", "清", "新",
	"永", "大", "长", "高", "白", "双", "东", "南", "西", "北", "上", "下",
};
static const char *const village_second[] = {
	"塘", "山", "田", "冲", "坪", "湾", "岭", "溪", "桥", "坳",
	"洲", "源", "江", "口", "园", "林", "湖", "港", "铺", "坡",
};
static const char *const townships[] = {
	"永安", "沙市", "官渡", "古港", "大瑶", "金刚", "镇头", "普迹", "达浒", "社港",
	"淳口", "高坪", "澄潭江", "中和", "张坊", "枨冲", "北盛", "龙伏", "葛家", "小河",
	"荷花", "洞阳", "柏加", "文家市",
};
static const char *const township_dir[] = {"", "东", "西", "南", "北"};

static const wcode ethnicity[] = {
	{"汉族", 930}, {"土家族", 30}, {"苗族", 20}, {"侗族", 10}, {"瑶族", 10}, {0},
};
static const wcode hukou[] = {{"agri", 88}, {"nonagri", 12}, {0}};

/* household size 1..6: mean about 4 persons */
static const int size_w[] = {5, 12, 20, 25, 22, 16};

/* education (GB/T 4658) by age at today */
static const wcode edu_young[] = { /* 19-34 */
	{"70", 33}, {"60", 20}, {"40", 14}, {"30", 18}, {"20", 11}, {"10", 1}, {"80", 3}, {0},
};
static const wcode edu_mid[] = { /* 35-59 */
	{"70", 56}, {"60", 16}, {"80", 16}, {"40", 5}, {"30", 5}, {"20", 1}, {"95", 1}, {0},
};
static const wcode edu_old[] = { /* 60 and over */
	{"80", 42}, {"70", 28}, {"95", 18}, {"60", 10}, {"40", 2}, {0},
};

/* employment status of the working-age population */
static const wcode emp_young[] = { /* 16-39 */
	{"migrant", 42}, {"local", 20}, {"flexible", 13}, {"business", 4}, {"unemployed", 7},
	{"public_post", 1}, {"unable", 1}, {0},
};
static const wcode emp_mid[] = { /* 40 to retirement */
	{"migrant", 28}, {"local", 26}, {"flexible", 22}, {"business", 5}, {"unemployed", 8},
	{"public_post", 2}, {"unable", 2}, {0},
};
static const wcode emp_old[] = { /* retirement age to 69 */
	{"flexible", 30}, {"local", 6}, {"retired", 52}, {"unable", 12}, {0},
};
static const wcode emp_aged[] = {{"retired", 70}, {"unable", 30}, {0}}; /* 70+ */

/* Jobs: the skill a person names, the vacancy title, its occupation code
 * (职业分类大典, approximate), minimum education and monthly pay. */
typedef struct {
	const char *skill, *title, *occ, *edu;
	int wage_lo, wage_hi;
} job;

static const job jobs[] = {
	{"电工", "电工", "6-31-01-03", "70", 4500, 7500},
	{"焊工", "焊工", "6-18-02-04", "70", 5000, 8500},
	{"厨师", "中式烹调师", "4-03-02-01", "80", 4000, 7000},
	{"保洁", "保洁员", "4-10-05-01", "80", 2500, 3800},
	{"家政", "家政服务员", "4-10-01-06", "80", 3500, 6500},
	{"养殖", "家畜饲养员", "5-03-01-01", "80", 3000, 5000},
	{"种植", "农艺工", "5-01-01-01", "80", 2800, 4500},
	{"驾驶", "货车司机", "4-02-02-02", "70", 5500, 9000},
	{"叉车", "叉车司机", "6-29-03-05", "70", 4500, 6500},
	{"缝纫", "缝纫工", "6-05-01-02", "80", 3800, 6500},
	{"电商", "电商运营", "4-01-02-02", "60", 4000, 8000},
	{"保安", "保安员", "4-07-05-01", "70", 3000, 4500},
	{"护工", "养老护理员", "4-10-01-05", "70", 3500, 5500},
	{"瓦工", "砌筑工", "6-29-01-01", "80", 5500, 9000},
	{"木工", "木工", "6-29-01-03", "80", 5500, 9000},
	{"普工", "普工", "6-99-00-00", "80", 3500, 5500},
	{"烟花", "烟花爆竹工", "6-16-01-03", "80", 4000, 6500},
	{"餐饮服务", "餐厅服务员", "4-03-02-05", "80", 3000, 4500},
	{"销售", "营业员", "4-01-02-01", "70", 3000, 5000},
	{"快递", "快递员", "4-02-07-02", "70", 4500, 7500},
	{"育婴", "育婴员", "4-10-01-02", "70", 4500, 8000},
	{"质检", "质检员", "6-31-03-01", "60", 3800, 5500},
	{"会计", "会计", "2-06-03-00", "30", 4000, 6500},
};
enum { J_NONE = -1, J_PLANT = 6, J_RAISE = 5, J_GENERAL = 15 };

/* Kinds of employer: industry (GB/T 4754 section), name suffix, jobs offered. */
typedef struct {
	const char *industry, *suffix;
	signed char jobs[4]; /* -1 ends */
} employer_kind;

static const employer_kind employer_kinds[] = {
	{"A", "种养专业合作社", {5, 6, -1}},
	{"A", "农业开发有限公司", {6, 5, 0, -1}},
	{"C", "电子有限公司", {15, 21, 8, -1}},
	{"C", "服装有限公司", {9, 15, 21, -1}},
	{"C", "烟花制造有限公司", {16, 15, 8, 22}},
	{"C", "食品有限公司", {15, 21, 7, -1}},
	{"C", "机械制造有限公司", {1, 0, 8, 15}},
	{"E", "建筑劳务有限公司", {13, 14, 0, 1}},
	{"F", "超市", {18, 10, -1}},
	{"F", "电子商务有限公司", {10, 18, 22, -1}},
	{"G", "物流有限公司", {7, 8, 19, -1}},
	{"H", "农家乐", {2, 17, -1}},
	{"H", "餐饮管理有限公司", {2, 17, 3, -1}},
	{"O", "家政服务有限公司", {4, 20, 3, -1}},
	{"Q", "康养中心", {12, 3, 2, -1}},
	{"L", "物业管理有限公司", {11, 3, 0, -1}},
};
static const char *const brands[] = {
	"鑫达", "恒通", "华兴", "宏发", "金源", "永盛", "佳禾", "天成", "富民", "兴旺",
	"龙腾", "瑞丰", "德顺", "新宇", "顺心", "湘源", "红日", "万家", "和美", "绿野",
};
static const wcode employer_size[] = {
	{"micro", 50}, {"small", 35}, {"medium", 12}, {"large", 3}, {0},
};
static const wcode job_form[] = {
	{"full_time", 82}, {"part_time", 6}, {"seasonal", 8}, {"dispatch", 4}, {0},
};
static const char *const perks[] = {
	"包吃住", "提供住宿", "缴纳五险", "月休四天", "计件工资，多劳多得", "节日福利", "有班车接送",
};

static const char *const migrant_outside[] = {
	"广东东莞", "广东深圳", "广东广州", "广东佛山", "浙江义乌", "浙江宁波",
	"江苏苏州", "江苏昆山", "上海", "福建厦门", "北京",
};
/* cities inside the province, by province code */
static const struct {
	int prov;
	const char *cities[5];
} in_province[] = {
	{43, {"长沙", "株洲", "湘潭", "岳阳", "衡阳"}},
	{36, {"南昌", "赣州", "九江", "上饶", "吉安"}},
	{42, {"武汉", "宜昌", "襄阳", "荆州", "黄石"}},
	{51, {"成都", "绵阳", "宜宾", "南充", "德阳"}},
	{52, {"贵阳", "遵义", "六盘水", "安顺", "毕节"}},
	{45, {"南宁", "柳州", "桂林", "玉林", "梧州"}},
	{41, {"郑州", "洛阳", "新乡", "南阳", "许昌"}},
	{34, {"合肥", "芜湖", "蚌埠", "安庆", "阜阳"}},
};
static const char *const local_places[] = {"本镇", "县城", "本村", "镇工业园"};
static const char *const returnee_notes[] = {
	"从广东返乡", "从浙江返乡", "从江苏返乡", "从上海返乡", "从福建返乡",
};
static const char *const unemp_reasons[] = {
	"合同到期", "单位裁员", "返乡", "毕业未就业", "个人原因离职", "企业停产",
};
static const char *const staff_certs[] = {
	"基层公共就业服务专员证", "职业指导人员（四级）", "职业指导人员（三级）",
	"劳动保障协理员（四级）", "人力资源管理员（四级）", "创业指导师（三级）",
};
static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
	"155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "183",
	"185", "186", "187", "188", "189", "191", "198", "199",
};
static const char *const case_needs[] = {
	"希望就近就业，兼顾照顾家庭", "需要技能培训后再就业", "希望安排公益性岗位",
	"咨询创业担保贷款", "需要职业指导", "希望推荐工资稳定的岗位",
};
static const char *const visit_needs[] = {
	"希望推荐就近岗位", "希望参加技能培训", "咨询创业担保贷款政策", "希望推荐公益性岗位",
	"咨询灵活就业社保补贴",
};
static const char *const visit_needs_other[] = {
	"了解社保缴费政策", "咨询职业技能培训补贴", "咨询子女就学政策",
};
static const wcode visit_kind[] = {{"home", 62}, {"phone", 30}, {"office", 8}, {0}};
static const int satisfaction_w[] = {5, 15, 80, 350, 550}; /* 1..5 per mille */
static const wcode referral_status[] = {
	{"suggested", 18}, {"referred", 24}, {"interviewed", 14}, {"hired", 18},
	{"rejected", 14}, {"no_show", 6}, {"declined", 6}, {0},
};
/* aid actions after the first, by weight */
static const wcode action_kind[] = {
	{"job_referral", 30}, {"training", 20}, {"follow_up", 30}, {"subsidy", 8}, {"guidance", 7},
	{0},
};
static const struct {
	const char *kind, *note;
} action_notes[] = {
	{"policy", "宣讲就业援助政策及补贴申领流程"},
	{"training", "推荐参加职业技能培训"},
	{"public_post", "安置至村级公益性岗位"},
	{"subsidy", "协助申领社保补贴和岗位补贴"},
	{"follow_up", "电话回访，了解求职进展"},
	{"guidance", "开展一对一职业指导"},
	{"internship", "推荐参加就业见习"},
	{"business", "介绍创业担保贷款政策"},
};

/* ---- fields: (table, field) pairs resolved once to indexes ---- */

#define TABLES(X) \
	X(household) X(person) X(visit) X(aid_case) X(aid_action) X(employer) X(vacancy) \
	X(referral) X(registration) X(staff) X(event) X(event_offer) X(attendance) X(complaint) \
	X(staff_cert) X(training) X(staff_filing) X(platform)

#define FIELDS(X)                                                                          \
	X(household, village) X(household, address) X(household, phone) X(household, note)   \
	X(household, head_name) X(household, flags) X(household, zero_emp_since)             \
	X(household, zero_emp_cleared)                                                        \
	X(person, household) X(person, name) X(person, id_number) X(person, gender)           \
	X(person, birth_date) X(person, phone) X(person, education)                           \
	X(person, employment_status) X(person, key_groups) X(person, skills)                  \
	X(person, job_intention) X(person, work_place) X(person, note) X(person, ethnicity)   \
	X(person, relation) X(person, hukou) X(person, disability_cert)                       \
	X(person, disability_level) X(person, work_ability) X(person, work_range)             \
	X(person, want_work) X(person, want_training) X(person, want_business)                \
	X(person, expected_wage) X(person, occupation) X(person, unemployed_since)            \
	X(visit, household) X(visit, staff) X(visit, date) X(visit, kind) X(visit, findings)  \
	X(visit, needs) X(visit, satisfaction) X(visit, next_visit) X(visit, met)             \
	X(aid_case, person) X(aid_case, opened) X(aid_case, owner) X(aid_case, category)      \
	X(aid_case, needs) X(aid_case, plan) X(aid_case, status) X(aid_case, closed)          \
	X(aid_case, close_reason)                                                             \
	X(aid_action, aid_case) X(aid_action, date) X(aid_action, staff) X(aid_action, kind)  \
	X(aid_action, note) X(aid_action, next_due) X(aid_action, vacancy)                    \
	X(employer, name) X(employer, credit_code) X(employer, contact) X(employer, phone)    \
	X(employer, address) X(employer, industry) X(employer, size) X(employer, region)      \
	X(vacancy, employer) X(vacancy, title) X(vacancy, openings) X(vacancy, wage_min)      \
	X(vacancy, wage_max) X(vacancy, location) X(vacancy, age_min) X(vacancy, age_max)     \
	X(vacancy, gender) X(vacancy, education_min) X(vacancy, skills)                       \
	X(vacancy, valid_until) X(vacancy, occupation) X(vacancy, valid_from) X(vacancy, form) \
	X(vacancy, description)                                                               \
	X(referral, vacancy) X(referral, person) X(referral, date) X(referral, staff)         \
	X(referral, status) X(referral, note) X(referral, score) X(referral, outcome_date)     \
	X(registration, person) X(registration, kind) X(registration, date)                   \
	X(registration, form) X(registration, employer) X(registration, reason)               \
	X(registration, cancelled) X(registration, cancel_reason)                             \
	X(registration, certificate_no)                                                       \
	X(staff, name) X(staff, role) X(staff, phone) X(staff, certificate)                   \
	X(staff, certificate_expiry) X(staff, status) X(staff, region)                        \
	X(event, name) X(event, kind) X(event, start) X(event, end) X(event, place)           \
	X(event, organiser) X(event, region)                                                  \
	X(event_offer, event) X(event_offer, employer) X(event_offer, vacancy)                \
	X(event_offer, booth)                                                                 \
	X(attendance, event) X(attendance, person) X(attendance, date) X(attendance, time)    \
	X(attendance, intention) X(attendance, referral) X(attendance, staff)                 \
	X(complaint, kind) X(complaint, complainant) X(complaint, person) X(complaint, phone) \
	X(complaint, received) X(complaint, received_by) X(complaint, channel)                \
	X(complaint, subject) X(complaint, deadline) X(complaint, actions)                    \
	X(complaint, resolution) X(complaint, status) X(complaint, resolved)                  \
	X(complaint, satisfaction) X(complaint, region)                                       \
	X(staff_cert, staff) X(staff_cert, name) X(staff_cert, number) X(staff_cert, issuer)  \
	X(staff_cert, issued) X(staff_cert, expiry)                                           \
	X(training, staff) X(training, date) X(training, topic) X(training, hours)            \
	X(training, organiser)                                                                \
	X(staff_filing, staff) X(staff_filing, year) X(staff_filing, date)                    \
	X(staff_filing, result)                                                               \
	X(platform, region) X(platform, name) X(platform, level) X(platform, staff_count)     \
	X(platform, space_m2) X(platform, office) X(platform, computer) X(platform, network)  \
	X(platform, archive) X(platform, notice_board) X(platform, phone) X(platform, address)

enum {
#define TX(t) T_##t,
	TABLES(TX)
#undef TX
	NTAB
};
enum {
#define FX(t, f) F_##t##_##f,
	FIELDS(FX)
#undef FX
	NFID
};
static const char *const table_names[] = {
#define TX(t) #t,
	TABLES(TX)
#undef TX
};
static const struct {
	int t;
	const char *f;
} field_names[] = {
#define FX(t, f) {T_##t, #f},
	FIELDS(FX)
#undef FX
};

/* key groups and household flags, by name; bits are code-table indexes */
enum { KG_ZERO, KG_DISABLED, KG_4050, KG_LONG, KG_DIBAO, KG_POVERTY, KG_LANDLESS, KG_RETURNEE,
       KG_GRADUATE, KG_VETERAN, KG_RELEASED, KG_SINGLE, NKG };
static const char *const kg_names[NKG] = {
	"zero_emp", "disabled", "age4050", "long_unemp", "dibao", "poverty",
	"landless", "returnee", "graduate", "veteran", "released", "single_parent",
};
enum { HF_DIBAO, HF_TUOPIN, HF_MONITORED, HF_ZERO, NHF };
static const char *const hf_names[NHF] = {"dibao", "tuopin", "monitored", "zero_emp"};

/* ---- state ---- */

typedef struct {
	uint8_t id[16];
	char name[16];
	char surname[8];
	char idn[19];
	char birth[11];
	char gender; /* 'M' or 'F' */
	long bday;
	int age;
	const char *rel, *edu, *emp, *ethnicity, *hukou, *ability, *work_place, *work_range;
	const char *note;
	unsigned groups; /* bit i: tz_schema_codes_key_groups[i] */
	char phone[12];
	int job, skill2; /* jobs[] index or -1 */
	char dis_cert[24];
	int dis_level;
	int want_work, want_training, want_business; /* -1: not recorded */
	int wage;
	long unemp_since;  /* day, 0 if none */
	int labour;        /* of working age and available for work */
	int working_age;
	int hire_vac;      /* vacancy index of a hire through a referral, -1 */
	long hire_day;
	long post_day;     /* placed on a public-welfare post (zero-emp clearance) */
	char employer[80]; /* where placed */
} person;

typedef struct {
	uint8_t id[16];
	person m[MAX_MEMBERS];
	int n;
	unsigned flags; /* bit i: household flags code i */
	long zero_since, zero_cleared;
	char address[160];
} household;

typedef struct {
	uint8_t id[16];
	char name[96];
	int kind;
} employer;

typedef struct {
	uint8_t id[16];
	int emp, job, age_min, age_max;
	long valid_from, valid_until;
} vacancy;

typedef struct {
	tz_db *db;
	tz_demo_stats *st;
	uint64_t seed;
	rng r;
	long today;
	char county[7];
	int prov;
	const char *area_code; /* fixed-line area code, or NULL */
	int tidx[NTAB];        /* table indexes in tz_schema_tables */
	int fidx[NFID];        /* field indexes in their table */
	int kg[NKG], hf[NHF];  /* code-table indexes */
	const tz_code *hf_codes;
	/* national ID numbers in use: bit (birth day - idmin) * 1000 + seq */
	uint8_t *idmap;
	long idmin, idays;
	long cert_serial;
	/* the row being built */
	const tz_table *rt;
	int rti;
	const char *rs[MAXF];
	int64_t rn[MAXF];
	unsigned char rhow[MAXF]; /* 0 empty, 1 text, 2 integer */
	char arena[8192];
	size_t au;
	tz_buf buf;
	/* the village */
	int vi;
	/* a village's database: the township's officers and service station
	 * are drawn (the data stays what it was) but not written, they are the
	 * township's records (core/authority.c) */
	int village_only;
	/* the township (and village) the database's region names: its villages
	 * are placed there, not across the county (-1: not fixed) */
	int fix_t, fix_v;
	char vcode[13], tcode[13];
	char vname[16], tname[32];
	char staff[MAX_STAFF][16];
	int nstaff;
	employer emp[MAX_EMP];
	int nemp;
	vacancy vac[MAX_VAC];
	int nvac;
	int zero_pending;
} gen;

/* ---- rows ---- */

static void row_start(gen *g, int t)
{
	g->rti = g->tidx[t];
	g->rt = tz_schema_tables[g->rti];
	memset(g->rhow, 0, sizeof g->rhow);
	g->au = 0;
}

/* printf into the row's arena; the text lives until the next row_start */
static const char *fmt(gen *g, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(gen *g, const char *f, ...)
{
	va_list ap;
	char *p = g->arena + g->au;
	size_t room = sizeof g->arena - g->au;
	va_start(ap, f);
	int n = vsnprintf(p, room, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return ""; /* never happens with these templates; an empty value is skipped */
	g->au += (size_t)n + 1;
	return p;
}

static const char *date_s(gen *g, long day)
{
	char d[11];
	tz_date_from_days(day, d);
	return fmt(g, "%s", d);
}

static void put_s(gen *g, int fid, const char *s)
{
	if (!s || !*s)
		return;
	int i = g->fidx[fid];
	g->rs[i] = s;
	g->rhow[i] = 1;
}

static void put_i(gen *g, int fid, int64_t v)
{
	int i = g->fidx[fid];
	g->rn[i] = v;
	g->rhow[i] = 2;
}

static void put_date(gen *g, int fid, long day)
{
	if (day)
		put_s(g, fid, date_s(g, day));
}

static tz_status row_emit(gen *g, const uint8_t id[16], tz_err *err)
{
	g->buf.len = 0;
	for (int i = 0; i < g->rt->nfields; i++) {
		if (!g->rhow[i])
			continue;
		int isint = tz_schema_field_is_int(&g->rt->fields[i]);
		if (isint != (g->rhow[i] == 2))
			return tz_fail(err, TZ_EINVAL, "demo: wrong type for %s.%s",
				       "演示数据：%s.%s 类型错误", g->rt->name, g->rt->fields[i].name);
		if (isint)
			tz_oplog_data_int(&g->buf, i + 1, g->rn[i]);
		else
			tz_oplog_data_text(&g->buf, i + 1, g->rs[i], strlen(g->rs[i]));
	}
	if (g->buf.failed)
		return tz_nomem(err);
	tz_status st = tz_oplog_local(g->db, g->rti, id, TZ_OP_FULL, g->buf.buf, g->buf.len, err);
	if (st)
		return st;
	g->st->count[g->rti]++;
	g->st->ops++;
	return TZ_OK;
}

static void new_id(gen *g, uint8_t id[16])
{
	uint64_t a = rng_next(&g->r), b = rng_next(&g->r);
	for (int i = 0; i < 8; i++) {
		id[i] = (uint8_t)(a >> (8 * i));
		id[8 + i] = (uint8_t)(b >> (8 * i));
	}
}

/* A SET value: the codes whose bits are set, in code-table order. */
static const char *set_s(gen *g, const tz_code *codes, unsigned bits)
{
	char *p = g->arena + g->au, *o = p;
	for (int i = 0; codes[i].code && bits; i++) {
		if (!(bits & (1u << i)))
			continue;
		size_t l = strlen(codes[i].code);
		if (g->au + (size_t)(o - p) + l + 2 >= sizeof g->arena)
			break;
		if (o != p)
			*o++ = ',';
		memcpy(o, codes[i].code, l);
		o += l;
		bits &= ~(1u << i);
	}
	*o = '\0';
	g->au += (size_t)(o - p) + 1;
	return p;
}

/* ---- small generators ---- */

static void cjk_pick(rng *r, const char *chars, char *out)
{
	int n = (int)strlen(chars) / 3, k = rnd(r, 0, n - 1);
	memcpy(out, chars + 3 * k, 3);
	out[3] = '\0';
}

static int surname_total(void)
{
	int t = 0, tail = NSURNAMES - 22;
	for (int k = 0; k < 20; k++)
		t += surname_w(k);
	return t + 100 * tail - tail * (tail - 1) / 2 + 2 * surname_w(NSURNAMES - 1);
}

static void surname_pick(rng *r, char out[8])
{
	if (chance(r, 3)) {
		strcpy(out, ANY(r, compound_surnames));
		return;
	}
	int k = 0, x = rnd(r, 0, surname_total() - 1);
	while (k < NSURNAMES - 1 && (x -= surname_w(k)) >= 0)
		k++;
	memcpy(out, surnames + 3 * k, 3);
	out[3] = '\0';
}

static int cohort(long bday)
{
	char d[11];
	tz_date_from_days(bday, d);
	int y = atoi(d);
	return y < 1970 ? 0 : y < 1995 ? 1 : 2;
}

/* surname + one given character (a third of names) or two */
static void name_make(rng *r, const char *surname, char gender, long bday, char *out, size_t cap)
{
	const char *pool = given[cohort(bday)][gender == 'F'];
	char a[4], b[4] = "";
	cjk_pick(r, pool, a);
	if (!chance(r, 333))
		cjk_pick(r, pool, b);
	snprintf(out, cap, "%s%s%s", surname, a, b);
}

static void mobile(rng *r, char out[12])
{
	snprintf(out, 12, "%s%08d", ANY(r, mobile_prefixes), rnd(r, 0, 99999999));
}

/* Exact age in whole years on `today`. */
static int age_on(const char *birth, long today)
{
	char t[11];
	tz_date_from_days(today, t);
	int age = atoi(t) - atoi(birth);
	if (strcmp(t + 5, birth + 5) < 0)
		age--;
	return age;
}

static int idbit(gen *g, long day, int seq, int set)
{
	long bit = (day - g->idmin) * 1000 + seq;
	int was = (g->idmap[bit >> 3] >> (bit & 7)) & 1;
	if (set)
		g->idmap[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	return was;
}

/* A national ID number unique in this run: county, birth date, sequence
 * (odd for men), check character.  Moves the birth day back a day in the
 * (never seen) case that all 500 sequences of the day are taken. */
static void idnum_make(gen *g, person *p)
{
	for (;;) {
		if (p->bday < g->idmin)
			p->bday = g->idmin;
		int odd = p->gender == 'M';
		int seq = rnd(&g->r, 0, 498) * 2 + (odd ? 1 : 2);
		for (int k = 0; k < 500; k++) {
			if (seq > 999)
				seq = odd ? 1 : 2;
			if (!idbit(g, p->bday, seq, 0)) {
				char d[11], first17[40];
				idbit(g, p->bday, seq, 1);
				tz_date_from_days(p->bday, d);
				snprintf(first17, sizeof first17, "%.6s%.4s%.2s%.2s%03u", g->county, d, d + 5,
					 d + 8, (unsigned)seq % 1000u);
				memcpy(p->idn, first17, 17);
				p->idn[17] = tz_valid_idnum_check(first17);
				p->idn[18] = '\0';
				memcpy(p->birth, d, 11);
				p->age = age_on(p->birth, g->today);
				return;
			}
			seq += 2;
		}
		p->bday--;
	}
}

/* A unified social credit code (GB 32100) with a valid organisation code
 * (GB 11714) inside. */
static void credit_make(gen *g, const char *kind2, char out[19])
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	char c[18];
	int sum = 0;
	memcpy(c, kind2, 2);
	memcpy(c + 2, g->county, 6);
	for (int i = 0; i < 8; i++) {
		int d = rnd(&g->r, 0, 9);
		c[8 + i] = (char)('0' + d);
		sum += d * w[i];
	}
	int ck = 11 - sum % 11;
	c[16] = ck == 10 ? 'X' : ck == 11 ? '0' : (char)('0' + ck);
	c[17] = '\0';
	memcpy(out, c, 17);
	out[17] = tz_valid_credit_check(c);
	out[18] = '\0';
}

static long day_between(gen *g, long a, long b)
{
	return b <= a ? a : a + rnd(&g->r, 0, (int)(b - a));
}

static long min_l(long a, long b) { return a < b ? a : b; }
static long max_l(long a, long b) { return a > b ? a : b; }
static int is(const char *a, const char *b) { return a && !strcmp(a, b); }

static void cert_no(gen *g, long day, char out[17])
{
	char d[11], buf[40];
	tz_date_from_days(day, d);
	snprintf(buf, sizeof buf, "%.6s%.4s%06ld", g->county, d, ++g->cert_serial % 1000000);
	memcpy(out, buf, 16);
	out[16] = '\0';
}

/* ---- village, staff, employers, vacancies ---- */

static void village_names(gen *g)
{
	int q = g->vi / VILLAGES_PER_TOWNSHIP, r = g->vi % VILLAGES_PER_TOWNSHIP;
	unsigned tc = (unsigned)(100 + q) % 1000u, vc = (unsigned)(201 + r) % 1000u;
	if (g->fix_t >= 0) {
		/* one township's villages, numbered on from the one named */
		q = 0;
		r = g->vi % (int)N(village_first);
		tc = (unsigned)g->fix_t % 1000u;
		vc = (unsigned)((g->fix_v >= 0 ? g->fix_v : 201) + g->vi) % 1000u;
	}
	snprintf(g->tcode, sizeof g->tcode, "%.6s%03u000", g->county, tc);
	snprintf(g->vcode, sizeof g->vcode, "%.6s%03u%03u", g->county, tc, vc);
	snprintf(g->tname, sizeof g->tname, "%s%s镇", townships[q % N(townships)],
		 township_dir[q / N(townships) % N(township_dir)]);
	snprintf(g->vname, sizeof g->vname, "%s%s村", village_first[r],
		 village_second[(q * 7 + r * 3) % N(village_second)]);
}

static tz_status staff_one(gen *g, const char *role, const char *region, int keep, tz_err *err)
{
	person p = {.gender = chance(&g->r, 550) ? 'F' : 'M'};
	uint8_t id[16];
	new_id(g, id);
	surname_pick(&g->r, p.surname);
	p.bday = g->today - rnd(&g->r, 25 * 365, 56 * 365);
	name_make(&g->r, p.surname, p.gender, p.bday, p.name, sizeof p.name);
	mobile(&g->r, p.phone);
	if (keep && g->nstaff < MAX_STAFF)
		snprintf(g->staff[g->nstaff++], sizeof g->staff[0], "%s", p.name);
	int skip = g->village_only && strcmp(region, g->vcode);
	row_start(g, T_staff);
	put_s(g, F_staff_name, p.name);
	put_s(g, F_staff_role, role);
	put_s(g, F_staff_phone, p.phone);
	put_s(g, F_staff_status, !strcmp(role, "village") && chance(&g->r, 350) ? "parttime"
										     : "fulltime");
	put_s(g, F_staff_region, region);
	if (chance(&g->r, 900)) {
		/* mostly valid for years; some expire soon, a few have expired */
		int u = rnd(&g->r, 0, 99);
		long exp = u < 6 ? g->today - rnd(&g->r, 1, 120)
			 : u < 20 ? g->today + rnd(&g->r, 0, 60)
				  : g->today + rnd(&g->r, 61, 3 * 365);
		put_s(g, F_staff_certificate, ANY(&g->r, staff_certs));
		put_date(g, F_staff_certificate_expiry, exp);
	}
	return skip ? TZ_OK : row_emit(g, id, err);
}

static tz_status staff_make(gen *g, tz_err *err)
{
	tz_status st;
	g->nstaff = 0;
	/* the township's own officers, with the first village of each township */
	if (g->fix_t >= 0 ? g->vi == 0 : g->vi % VILLAGES_PER_TOWNSHIP == 0)
		for (int i = 0; i < 3; i++)
			if ((st = staff_one(g, i ? "township" : "head", g->tcode, 0, err)))
				return st;
	int n = rnd(&g->r, 2, 3);
	for (int i = 0; i < n; i++)
		if ((st = staff_one(g, "village", g->vcode, 1, err)))
			return st;
	return TZ_OK;
}

static const char *staff_any(gen *g) { return g->staff[rnd(&g->r, 0, g->nstaff - 1)]; }

static tz_status vacancy_make(gen *g, int e, int j, const char *size, tz_err *err)
{
	vacancy *v = &g->vac[g->nvac];
	const job *jb = &jobs[j];
	new_id(g, v->id);
	v->emp = e;
	v->job = j;
	v->age_min = ANY(&g->r, ((const int[]){16, 18, 18, 18, 20}));
	v->age_max = ANY(&g->r, ((const int[]){40, 45, 50, 50, 55, 55, 60}));
	v->valid_until = g->today + rnd(&g->r, -30, 150);
	v->valid_from = v->valid_until - rnd(&g->r, 60, 180);
	int wmin = rnd(&g->r, jb->wage_lo / 100, (jb->wage_lo + jb->wage_hi) / 200) * 100;
	int wmax = wmin + rnd(&g->r, 5, 30) * 100;
	int open_hi = !strcmp(size, "large") ? 50 : !strcmp(size, "medium") ? 20
		    : !strcmp(size, "small") ? 8 : 3;
	const char *form = employer_kinds[g->emp[e].kind].industry[0] == 'A' && chance(&g->r, 400)
				   ? "seasonal" : pick(&g->r, job_form);
	row_start(g, T_vacancy);
	char eid[33];
	tz_hex_encode(g->emp[e].id, 16, eid);
	put_s(g, F_vacancy_employer, fmt(g, "%s", eid));
	put_s(g, F_vacancy_title, jb->title);
	put_i(g, F_vacancy_openings, rnd(&g->r, 1, open_hi));
	put_i(g, F_vacancy_wage_min, wmin);
	put_i(g, F_vacancy_wage_max, wmax);
	put_s(g, F_vacancy_location, chance(&g->r, 750) ? g->vcode : g->tcode);
	put_i(g, F_vacancy_age_min, v->age_min);
	put_i(g, F_vacancy_age_max, v->age_max);
	/* a gender requirement is recorded as found, rarely (the law forbids it) */
	put_s(g, F_vacancy_gender, chance(&g->r, 40) ? (chance(&g->r, 500) ? "M" : "F") : "any");
	put_s(g, F_vacancy_education_min, jb->edu);
	if (chance(&g->r, 500))
		put_s(g, F_vacancy_skills, fmt(g, "有%s经验者优先", jb->skill));
	put_date(g, F_vacancy_valid_until, v->valid_until);
	put_s(g, F_vacancy_occupation, jb->occ);
	put_date(g, F_vacancy_valid_from, v->valid_from);
	put_s(g, F_vacancy_form, form);
	put_s(g, F_vacancy_description,
	      fmt(g, "招聘%s，月薪%d-%d元，%s", jb->title, wmin, wmax, ANY(&g->r, perks)));
	tz_status st = row_emit(g, v->id, err);
	if (!st)
		g->nvac++;
	return st;
}

static tz_status employers_make(gen *g, tz_err *err)
{
	tz_status st;
	g->nemp = g->nvac = 0;
	int n = rnd(&g->r, 4, 6);
	for (int e = 0; e < n && e < MAX_EMP; e++) {
		employer *em = &g->emp[e];
		em->kind = rnd(&g->r, 0, N(employer_kinds) - 1);
		const employer_kind *k = &employer_kinds[em->kind];
		const char *brand = ANY(&g->r, brands);
		int coop = strstr(k->suffix, "合作社") != NULL;
		int shop = strstr(k->suffix, "公司") == NULL && !coop;
		if (coop || shop)
			snprintf(em->name, sizeof em->name, "%s%s%s", g->vname, brand, k->suffix);
		else
			snprintf(em->name, sizeof em->name, "%.*s%s%s",
				 (int)(strlen(g->tname) - strlen("镇")), g->tname, brand, k->suffix);
		char credit[19], contact[16], sur[8], phone[24];
		credit_make(g, coop ? "93" : shop ? "92" : "91", credit);
		surname_pick(&g->r, sur);
		name_make(&g->r, sur, chance(&g->r, 500) ? 'M' : 'F',
			  g->today - rnd(&g->r, 28 * 365, 55 * 365), contact, sizeof contact);
		if (g->area_code && chance(&g->r, 500))
			snprintf(phone, sizeof phone, "%s-8%07d", g->area_code, rnd(&g->r, 0, 9999999));
		else
			mobile(&g->r, phone);
		const char *size = coop || shop ? (chance(&g->r, 800) ? "micro" : "small")
						: pick(&g->r, employer_size);
		new_id(g, em->id);
		row_start(g, T_employer);
		put_s(g, F_employer_name, em->name);
		if (chance(&g->r, 960))
			put_s(g, F_employer_credit_code, credit);
		put_s(g, F_employer_contact, contact);
		put_s(g, F_employer_phone, phone);
		put_s(g, F_employer_address,
		      coop || shop || chance(&g->r, 400)
			      ? fmt(g, "%s%s%d组", g->tname, g->vname, rnd(&g->r, 1, 12))
					 : fmt(g, "%s工业园%d号", g->tname, rnd(&g->r, 1, 88)));
		put_s(g, F_employer_industry, k->industry);
		put_s(g, F_employer_size, size);
		put_s(g, F_employer_region, g->vcode);
		if ((st = row_emit(g, em->id, err)))
			return st;
		g->nemp = e + 1;
		int nv = rnd(&g->r, 1, 4), nj = 0;
		while (nj < 4 && k->jobs[nj] >= 0)
			nj++;
		for (int v = 0; v < nv && g->nvac < MAX_VAC; v++)
			if ((st = vacancy_make(g, e, k->jobs[rnd(&g->r, 0, nj - 1)], size, err)))
				return st;
	}
	return TZ_OK;
}

/* ---- households and persons ---- */

static void person_make(gen *g, person *p, const char *surname, char gender, int age,
			const char *rel)
{
	memset(p, 0, sizeof *p);
	new_id(g, p->id);
	p->gender = gender;
	p->rel = rel;
	p->job = p->skill2 = p->hire_vac = -1;
	p->want_work = p->want_training = p->want_business = -1;
	snprintf(p->surname, sizeof p->surname, "%s", surname);
	if (age < 0)
		age = 0;
	if (age > 98)
		age = 98;
	p->bday = g->today - (long)age * 365 - age / 4 - rnd(&g->r, 0, 364);
	if (p->bday > g->today - 1)
		p->bday = g->today - 1;
	name_make(&g->r, p->surname, gender, p->bday, p->name, sizeof p->name);
	idnum_make(g, p);
	p->ethnicity = pick(&g->r, ethnicity);
	p->hukou = pick(&g->r, hukou);
}

static char other(char gender) { return gender == 'M' ? 'F' : 'M'; }

/* Members: head, spouse, then children and parents (young head) or
 * children, a child's spouse and grandchildren (older head). */
static void members_make(gen *g, household *h)
{
	rng *r = &g->r;
	int size = 1, x = rnd(r, 0, 99);
	for (int i = 0; i < N(size_w); i++)
		if ((x -= size_w[i]) < 0) {
			size = i + 1;
			break;
		}
	int H = size == 1 ? (chance(r, 600) ? rnd(r, 60, 88) : rnd(r, 22, 59)) : rnd(r, 26, 76);
	char hg = chance(r, 850) ? 'M' : 'F';
	char sur[8];
	surname_pick(r, sur);
	person *head = &h->m[0];
	person_make(g, head, sur, hg, H, "head");
	h->n = 1;
	const char *fam = sur; /* the children's surname: the father's */
	if (size > 1 && chance(r, 920)) {
		char s2[8];
		surname_pick(r, s2);
		person_make(g, &h->m[h->n++], s2, other(hg), H + rnd(r, -4, 4) + (hg == 'M' ? -1 : 1),
			    "spouse");
		if (hg == 'F')
			fam = h->m[1].surname;
	}
	char famsur[8];
	snprintf(famsur, sizeof famsur, "%s", fam);
	int old = H >= 52, nchild = 0, nparent = 0, child = -1, inlaw = -1;
	while (h->n < size) {
		person *p = &h->m[h->n];
		if (old) {
			if (child < 0 || (h->n < size - 1 && chance(r, 250) && nchild < 3)) {
				int a = H - rnd(r, 22, 32);
				person_make(g, p, famsur, chance(r, 550) ? 'M' : 'F', a, "child");
				if (child < 0)
					child = h->n;
				nchild++;
			} else if (inlaw < 0 && h->m[child].age >= 22 && chance(r, 800)) {
				char s2[8];
				surname_pick(r, s2);
				person_make(g, p, s2, other(h->m[child].gender),
					    h->m[child].age + rnd(r, -3, 3), "in_law");
				inlaw = h->n;
			} else {
				int a = h->m[child].age - rnd(r, 22, 30);
				const char *gs = h->m[child].gender == 'M' || inlaw < 0
							 ? h->m[child].surname
							 : h->m[inlaw].surname;
				if (a < 0)
					person_make(g, p, famsur, chance(r, 500) ? 'M' : 'F',
						    H - rnd(r, 22, 34), "child");
				else
					person_make(g, p, gs, chance(r, 520) ? 'M' : 'F', a,
						    "grandchild");
			}
		} else {
			int want_parent = nparent < 2 && H + 22 <= 90 &&
					  (nchild >= 2 || (nchild >= 1 && chance(r, 400)));
			if (!want_parent && nchild < 4 && H >= 20) {
				int hi = H - 20 < 0 ? 0 : H - 20;
				int a = hi - rnd(r, 0, hi < 14 ? hi : 14);
				person_make(g, p, famsur, chance(r, 530) ? 'M' : 'F', a, "child");
				nchild++;
			} else if (nparent < 2 && H + 22 <= 90) {
				char pg = nparent == 0 ? (chance(r, 500) ? 'M' : 'F')
						       : other(h->m[h->n - 1].gender);
				char s2[8];
				if (pg == 'F') /* a mother has her own surname */
					surname_pick(r, s2);
				person_make(g, p, pg == 'M' ? sur : s2, pg, H + rnd(r, 22, 32), "parent");
				nparent++;
			} else {
				person_make(g, p, sur, chance(r, 500) ? 'M' : 'F', H + rnd(r, -8, 8),
					    "sibling");
			}
		}
		h->n++;
	}
}

static const char *in_province_city(gen *g)
{
	for (int i = 0; i < N(in_province); i++)
		if (in_province[i].prov == g->prov)
			return in_province[i].cities[rnd(&g->r, 0, 4)];
	return "省内";
}

/* Education, employment and what goes with them. */
static void status_make(gen *g, person *p)
{
	rng *r = &g->r;
	int a = p->age, maxage = p->gender == 'M' ? 59 : 54;
	p->working_age = a >= 16 && a <= maxage;
	if (a >= 16 && (a < 70 ? chance(r, 920) : chance(r, 450)))
		mobile(r, p->phone);
	if (a >= 16 && chance(r, 20)) { /* disabled, with a certificate */
		p->dis_level = rnd(r, 1, 4);
		snprintf(p->dis_cert, sizeof p->dis_cert, "%s%d%d", p->idn, rnd(r, 1, 7), p->dis_level);
		p->ability = p->dis_level == 1 || (p->dis_level == 2 && chance(r, 500)) ? "none"
											    : "partial";
	} else if (a >= 16) {
		p->ability = a >= 75 && chance(r, 400) ? "none" : "full";
	}
	if (a < 6)
		return;
	if (a < 16) {
		p->emp = "student";
		p->edu = a < 12 ? "80" : a < 15 ? "70" : "60";
		return;
	}
	p->edu = pick(r, a < 35 ? edu_young : a < 60 ? edu_mid : edu_old);
	if (is(p->ability, "none")) {
		p->emp = "unable";
		return;
	}
	if (p->working_age) {
		if (a <= 22 && chance(r, a <= 18 ? 750 : 400)) {
			p->emp = "student";
			p->edu = a <= 18 ? (chance(r, 700) ? "70" : "40") : (chance(r, 600) ? "60" : "40");
			return;
		}
		if (p->gender == 'M' && a >= 18 && a <= 24 && chance(r, 30)) {
			p->emp = "military";
			return;
		}
		p->emp = pick(r, a < 40 ? emp_young : emp_mid);
	} else {
		p->emp = pick(r, a < 70 ? emp_old : emp_aged);
	}
	if (!strcmp(p->emp, "unable")) {
		p->ability = "none";
		return;
	}
	if (!strcmp(p->emp, "retired"))
		return;
	p->labour = p->working_age;
	if (chance(r, 550))
		p->job = rnd(r, 0, N(jobs) - 1);
	if (p->job >= 0 && chance(r, 150))
		p->skill2 = rnd(r, 0, N(jobs) - 1);
	if (!strcmp(p->emp, "migrant")) {
		int outside = chance(r, 650);
		p->work_range = outside ? "outside" : "province";
		p->work_place = outside ? ANY(r, migrant_outside) : in_province_city(g);
	} else if (!strcmp(p->emp, "local") || !strcmp(p->emp, "public_post")) {
		p->work_range = chance(r, 550) ? "township" : "county";
		p->work_place = !strcmp(p->emp, "public_post") ? "本村公益性岗位"
				: !strcmp(p->work_range, "county") ? "县城"
								     : ANY(r, local_places);
	} else if (!strcmp(p->emp, "business")) {
		p->work_range = "township";
		p->work_place = "本村";
		p->want_business = 1;
		p->note = ANY(r, ((const char *const[]){"经营小超市", "经营养殖场", "开办农家乐",
						       "经营农资店", "开网店销售土特产"}));
	} else if (!strcmp(p->emp, "flexible")) {
		p->work_range = "township";
		if (p->job < 0)
			p->job = chance(r, 500) ? J_PLANT : J_RAISE;
		if (!p->working_age)
			p->note = "在家务农";
	}
	if (!strcmp(p->emp, "unemployed")) {
		/* mostly recent, some over a year */
		p->unemp_since = g->today - 10 - rnd_sq(r, 900);
		p->want_work = chance(r, 920);
		p->want_training = chance(r, 500);
		p->want_business = chance(r, 80);
		if (p->job < 0)
			p->job = chance(r, 600) ? J_GENERAL : rnd(r, 0, N(jobs) - 1);
		p->wage = rnd(r, 25, 60) * 100;
	} else if (p->labour && chance(r, 150)) {
		p->want_training = 1;
		p->want_work = 1;
	}
}


/* Key groups by rule; household flags were drawn before. */
static void groups_make(gen *g, household *h)
{
	rng *r = &g->r;
	person *head = &h->m[0];
	int spouse = 0, minor = 0;
	for (int i = 1; i < h->n; i++) {
		spouse |= is(h->m[i].rel, "spouse");
		minor |= is(h->m[i].rel, "child") && h->m[i].age < 18;
	}
	int landless = chance(r, 20);
	for (int i = 0; i < h->n; i++) {
		person *p = &h->m[i];
		unsigned gb = 0;
#define SET(k) (gb |= 1u << g->kg[k])
		if (p->dis_level)
			SET(KG_DISABLED);
		if (!p->labour) {
			p->groups = gb;
			continue;
		}
		if (h->flags & (1u << g->hf[HF_ZERO]))
			SET(KG_ZERO);
		if (h->flags & (1u << g->hf[HF_DIBAO]))
			SET(KG_DIBAO);
		if (h->flags & ((1u << g->hf[HF_TUOPIN]) | (1u << g->hf[HF_MONITORED])))
			SET(KG_POVERTY);
		if (landless)
			SET(KG_LANDLESS);
		int older = p->age >= (p->gender == 'F' ? 40 : 50);
		if (older && (is(p->emp, "unemployed") || is(p->emp, "flexible") ||
			      is(p->emp, "public_post")))
			SET(KG_4050);
		if (is(p->emp, "unemployed") && g->today - p->unemp_since > 365)
			SET(KG_LONG);
		if (p->age >= 25 && p->age <= 55 && !is(p->emp, "migrant") && chance(r, 60)) {
			SET(KG_RETURNEE);
			if (!p->note)
				p->note = ANY(r, returnee_notes);
		}
		if (p->age >= 21 && p->age <= 27 && is(p->emp, "unemployed") &&
		    (is(p->edu, "10") || is(p->edu, "20") || is(p->edu, "30")))
			SET(KG_GRADUATE);
		if (p->gender == 'M' && p->age >= 22 && chance(r, 15))
			SET(KG_VETERAN);
		if (p->gender == 'M' && chance(r, 2))
			SET(KG_RELEASED);
		if (p == head && !spouse && minor)
			SET(KG_SINGLE);
#undef SET
		p->groups = gb;
	}
}

/* A zero-employment household: every available member of working age is
 * unemployed; some have since been cleared by a public-welfare post. */
static int zero_emp_make(gen *g, household *h)
{
	rng *r = &g->r;
	int avail = 0;
	for (int i = 0; i < h->n; i++)
		avail += h->m[i].labour;
	if (!avail)
		return 0;
	h->flags |= 1u << g->hf[HF_ZERO];
	h->zero_since = g->today - rnd(r, 3, 150);
	if (g->today - h->zero_since > 40 && chance(r, 450))
		h->zero_cleared = h->zero_since + rnd(r, 7, 30);
	int placed = 0;
	for (int i = 0; i < h->n; i++) {
		person *p = &h->m[i];
		if (!p->labour)
			continue;
		p->work_place = p->work_range = NULL;
		p->note = NULL;
		p->unemp_since = h->zero_since - rnd(r, 0, 200);
		p->want_work = 1;
		p->want_training = chance(r, 600);
		if (p->job < 0)
			p->job = J_GENERAL;
		p->wage = rnd(r, 25, 45) * 100;
		if (h->zero_cleared && !placed) {
			placed = 1;
			p->emp = "public_post";
			p->post_day = h->zero_cleared;
			p->work_range = "township";
			p->work_place = "本村公益性岗位";
			snprintf(p->employer, sizeof p->employer, "%s村民委员会", g->vname);
		} else {
			p->emp = "unemployed";
		}
	}
	return 1;
}

static tz_status household_emit(gen *g, household *h, tz_err *err)
{
	person *head = &h->m[0];
	row_start(g, T_household);
	put_s(g, F_household_village, g->vcode);
	put_s(g, F_household_address, h->address);
	for (int i = 0; i < h->n; i++)
		if (h->m[i].phone[0]) {
			put_s(g, F_household_phone, h->m[i].phone);
			break;
		}
	put_s(g, F_household_head_name, head->name);
	if (h->flags)
		put_s(g, F_household_flags, set_s(g, g->hf_codes, h->flags));
	put_date(g, F_household_zero_emp_since, h->zero_since);
	put_date(g, F_household_zero_emp_cleared, h->zero_cleared);
	return row_emit(g, h->id, err);
}

static const char *skills_s(gen *g, const person *p)
{
	if (p->job < 0)
		return NULL;
	if (p->skill2 >= 0 && p->skill2 != p->job)
		return fmt(g, "%s、%s", jobs[p->job].skill, jobs[p->skill2].skill);
	return jobs[p->job].skill;
}

static tz_status person_emit(gen *g, household *h, person *p, tz_err *err)
{
	char hid[33];
	tz_hex_encode(h->id, 16, hid);
	row_start(g, T_person);
	put_s(g, F_person_household, fmt(g, "%s", hid));
	put_s(g, F_person_name, p->name);
	put_s(g, F_person_id_number, p->idn);
	put_s(g, F_person_gender, p->gender == 'M' ? "M" : "F");
	put_s(g, F_person_birth_date, p->birth);
	put_s(g, F_person_phone, p->phone);
	put_s(g, F_person_education, p->edu);
	put_s(g, F_person_employment_status, p->emp);
	if (p->groups)
		put_s(g, F_person_key_groups, set_s(g, tz_schema_codes_key_groups, p->groups));
	put_s(g, F_person_skills, skills_s(g, p));
	if (p->job >= 0 && (p->want_work == 1 || is(p->emp, "unemployed"))) {
		put_s(g, F_person_job_intention, jobs[p->job].title);
		put_s(g, F_person_occupation, jobs[p->job].occ);
	}
	put_s(g, F_person_work_place, p->employer[0] ? p->employer : p->work_place);
	put_s(g, F_person_note, p->note);
	put_s(g, F_person_ethnicity, p->ethnicity);
	put_s(g, F_person_relation, p->rel);
	put_s(g, F_person_hukou, p->hukou);
	put_s(g, F_person_disability_cert, p->dis_cert);
	if (p->dis_level)
		put_s(g, F_person_disability_level, fmt(g, "%d", p->dis_level));
	put_s(g, F_person_work_ability, p->ability);
	put_s(g, F_person_work_range, p->work_range);
	if (p->want_work >= 0)
		put_i(g, F_person_want_work, p->want_work);
	if (p->want_training >= 0)
		put_i(g, F_person_want_training, p->want_training);
	if (p->want_business >= 0)
		put_i(g, F_person_want_business, p->want_business);
	if (p->wage)
		put_i(g, F_person_expected_wage, p->wage);
	if (is(p->emp, "unemployed"))
		put_date(g, F_person_unemployed_since, p->unemp_since);
	return row_emit(g, p->id, err);
}

static int vacancy_for(gen *g, const person *p)
{
	int cand[MAX_VAC], n = 0, same = 0;
	for (int i = 0; i < g->nvac; i++) {
		const vacancy *v = &g->vac[i];
		if (p->age < v->age_min || p->age > v->age_max)
			continue;
		if (v->job == p->job && !same) {
			same = 1;
			n = 0;
		}
		if (!same || v->job == p->job)
			cand[n++] = i;
	}
	return n ? cand[rnd(&g->r, 0, n - 1)] : -1;
}

/* Referrals of an unemployed person who wants work; a hire changes the
 * person's status (the person row is written after this). */
static tz_status referrals_make(gen *g, person *p, tz_err *err)
{
	rng *r = &g->r;
	if (!is(p->emp, "unemployed") || p->want_work != 1 || !chance(r, 350))
		return TZ_OK;
	int n = rnd(r, 1, 2);
	long day = max_l(p->unemp_since + 1, g->today - 180);
	for (int k = 0; k < n && !p->hire_day; k++) {
		int vi = vacancy_for(g, p);
		if (vi < 0)
			return TZ_OK;
		vacancy *v = &g->vac[vi];
		day = day_between(g, day, g->today - 3);
		const char *status = pick(r, referral_status);
		long out = is(status, "suggested") || is(status, "referred")
				   ? 0 : min_l(day + rnd(r, 2, 20), g->today - 1);
		char vid[33], pid[33];
		tz_hex_encode(v->id, 16, vid);
		tz_hex_encode(p->id, 16, pid);
		uint8_t id[16];
		new_id(g, id);
		row_start(g, T_referral);
		put_s(g, F_referral_vacancy, fmt(g, "%s", vid));
		put_s(g, F_referral_person, fmt(g, "%s", pid));
		put_date(g, F_referral_date, day);
		put_s(g, F_referral_staff, staff_any(g));
		put_s(g, F_referral_status, status);
		put_i(g, F_referral_score, rnd(r, 45, 98));
		put_date(g, F_referral_outcome_date, out);
		if (is(status, "declined"))
			put_s(g, F_referral_note, ANY(r, ((const char *const[]){
				"工资待遇不满意", "离家太远", "需照顾老人小孩"})));
		else if (is(status, "rejected"))
			put_s(g, F_referral_note, "面试未通过");
		else if (is(status, "hired"))
			put_s(g, F_referral_note, "已签订劳动合同");
		tz_status st = row_emit(g, id, err);
		if (st)
			return st;
		if (is(status, "hired")) {
			p->hire_vac = vi;
			p->hire_day = out;
			p->emp = "local";
			p->work_range = "township";
			p->groups &= ~(1u << g->kg[KG_LONG]);
			snprintf(p->employer, sizeof p->employer, "%s", g->emp[v->emp].name);
		}
		day += rnd(r, 3, 30);
		if (day >= g->today - 3)
			break;
	}
	return TZ_OK;
}

static tz_status registration_emit(gen *g, const person *p, const char *kind, long day,
				   const char *form, const char *where, const char *reason,
				   long cancelled, const char *cert, tz_err *err)
{
	char pid[33];
	uint8_t id[16];
	tz_hex_encode(p->id, 16, pid);
	new_id(g, id);
	row_start(g, T_registration);
	put_s(g, F_registration_person, fmt(g, "%s", pid));
	put_s(g, F_registration_kind, kind);
	put_date(g, F_registration_date, day);
	put_s(g, F_registration_form, form);
	put_s(g, F_registration_employer, where);
	put_s(g, F_registration_reason, reason);
	put_date(g, F_registration_cancelled, cancelled);
	if (cancelled)
		put_s(g, F_registration_cancel_reason, "已实现就业");
	put_s(g, F_registration_certificate_no, cert);
	return row_emit(g, id, err);
}

static const struct {
	const char *emp, *form;
} reg_forms[] = {
	{"local", "unit"}, {"flexible", "flexible"}, {"business", "business"},
	{"public_post", "public_post"}, {"migrant", "migrant"},
};

static tz_status registrations_make(gen *g, const person *p, tz_err *err)
{
	rng *r = &g->r;
	char cert[17];
	tz_status st;
	long placed = p->hire_day ? p->hire_day : p->post_day;
	int was_unemp = p->unemp_since && (is(p->emp, "unemployed") || placed);
	if (was_unemp && chance(r, 700)) {
		long d = min_l(p->unemp_since + rnd(r, 0, 30), g->today - 1);
		if (placed && d > placed)
			d = placed;
		cert_no(g, d, cert);
		if ((st = registration_emit(g, p, "unemployment", d, NULL, NULL, ANY(r, unemp_reasons),
					    placed, cert, err)))
			return st;
		if (placed)
			return registration_emit(g, p, "employment", placed,
						 p->hire_day ? "unit" : "public_post", p->employer,
						 NULL, 0, cert, err);
		return TZ_OK;
	}
	if (placed) {
		cert_no(g, placed, cert);
		return registration_emit(g, p, "employment", placed, p->hire_day ? "unit" : "public_post",
					 p->employer, NULL, 0, cert, err);
	}
	if (p->labour && !is(p->emp, "unemployed") && chance(r, 40)) {
		const char *form = NULL;
		for (int i = 0; i < N(reg_forms); i++)
			if (is(p->emp, reg_forms[i].emp))
				form = reg_forms[i].form;
		if (!form)
			return TZ_OK;
		long d = g->today - rnd(r, 10, 3 * 365);
		cert_no(g, d, cert);
		char where[96] = "";
		if (is(form, "migrant"))
			snprintf(where, sizeof where, "%s务工", p->work_place ? p->work_place : "外地");
		return registration_emit(g, p, "employment", d, form, where, NULL, 0, cert, err);
	}
	return TZ_OK;
}

static const char *action_note(const char *kind)
{
	for (int i = 0; i < N(action_notes); i++)
		if (!strcmp(action_notes[i].kind, kind))
			return action_notes[i].note;
	return NULL;
}

/* An assistance case with its actions. */
static tz_status aid_make(gen *g, household *h, person *p, tz_err *err)
{
	rng *r = &g->r;
	if (!p->groups || !p->labour)
		return TZ_OK;
	long placed = p->hire_day ? p->hire_day : p->post_day;
	int unemp = is(p->emp, "unemployed");
	if (!(placed || (unemp && (chance(r, 500) || (p->groups & (1u << g->kg[KG_ZERO])))) ||
	      (!unemp && chance(r, 60))))
		return TZ_OK;
	long opened, closed = 0;
	const char *status, *reason = NULL;
	if (placed) {
		opened = max_l(p->unemp_since, placed - rnd(r, 20, 120));
		if (h->zero_since && opened < h->zero_since)
			opened = min_l(h->zero_since, placed);
		if (p->post_day) {
			status = "active"; /* on a public-welfare post: the case goes on */
		} else {
			status = "closed";
			closed = placed;
			reason = "employed";
		}
	} else if (unemp) {
		opened = min_l(max_l(p->unemp_since, g->today - 400) + rnd(r, 0, 60), g->today - 1);
		if (h->zero_since)
			opened = max_l(h->zero_since, opened);
		status = g->today - opened < 30 ? "open" : "active";
		if (g->today - opened > 200 && chance(r, 80)) {
			status = "closed";
			closed = min_l(opened + rnd(r, 90, 200), g->today - 1);
			reason = ANY(r, ((const char *const[]){"refused", "lost_contact", "moved"}));
		}
	} else {
		opened = g->today - rnd(r, 200, 600);
		closed = min_l(opened + rnd(r, 30, 180), g->today - 1);
		status = "closed";
		reason = "employed";
	}
	if (opened > g->today - 1)
		opened = g->today - 1;
	uint8_t cid[16];
	char pid[33], chex[33];
	new_id(g, cid);
	tz_hex_encode(p->id, 16, pid);
	tz_hex_encode(cid, 16, chex);
	const char *owner = staff_any(g);
	const char *intent = p->job >= 0 ? jobs[p->job].title : "普工";
	const char *extra = p->groups & (1u << g->kg[KG_ZERO]) ? "纳入零就业家庭动态清零台账，一月内帮扶一人就业"
			    : p->groups & (1u << g->kg[KG_4050]) ? "优先推荐公益性岗位和就近岗位"
			    : p->groups & (1u << g->kg[KG_DISABLED]) ? "联系残联推荐适合的岗位"
			    : p->groups & (1u << g->kg[KG_GRADUATE]) ? "推荐就业见习岗位"
								    : "每月跟踪回访";
	row_start(g, T_aid_case);
	put_s(g, F_aid_case_person, fmt(g, "%s", pid));
	put_date(g, F_aid_case_opened, opened);
	put_s(g, F_aid_case_owner, owner);
	put_s(g, F_aid_case_category, set_s(g, tz_schema_codes_key_groups, p->groups));
	put_s(g, F_aid_case_needs, ANY(r, case_needs));
	put_s(g, F_aid_case_plan,
	      fmt(g, "一人一策：开展职业指导，推荐%s等岗位；%s。", intent, extra));
	put_s(g, F_aid_case_status, status);
	put_date(g, F_aid_case_closed, closed);
	put_s(g, F_aid_case_close_reason, reason);
	tz_status st = row_emit(g, cid, err);
	if (st)
		return st;

	/* actions between opening and closing (or today) */
	long end = closed ? closed : g->today - 1, day = opened;
	int n = rnd(r, 1, 4);
	for (int k = 0; k < n; k++) {
		const char *kind;
		int vref = -1;
		if (k == 0)
			kind = chance(r, 600) ? "policy" : "guidance";
		else if (k == n - 1 && p->post_day)
			kind = "public_post";
		else if (k == n - 1 && p->hire_day)
			kind = "job_referral", vref = p->hire_vac;
		else
			kind = pick(r, action_kind);
		if (k == n - 1 && placed)
			day = placed;
		else
			day = day_between(g, day, min_l(day + 60, end));
		if (day > end)
			day = end;
		if (is(kind, "job_referral") && vref < 0)
			vref = g->nvac ? rnd(r, 0, g->nvac - 1) : -1;
		if (is(kind, "job_referral") && vref < 0)
			kind = "follow_up";
		uint8_t id[16];
		new_id(g, id);
		row_start(g, T_aid_action);
		put_s(g, F_aid_action_aid_case, fmt(g, "%s", chex));
		put_date(g, F_aid_action_date, day);
		put_s(g, F_aid_action_staff, k == 0 ? owner : staff_any(g));
		put_s(g, F_aid_action_kind, kind);
		if (vref >= 0) {
			const vacancy *v = &g->vac[vref];
			char vid[33];
			tz_hex_encode(v->id, 16, vid);
			put_s(g, F_aid_action_vacancy, fmt(g, "%s", vid));
			put_s(g, F_aid_action_note, fmt(g, "推荐至%s应聘%s", g->emp[v->emp].name,
							 jobs[v->job].title));
		} else if (is(kind, "training") && p->job >= 0) {
			put_s(g, F_aid_action_note, fmt(g, "推荐参加%s技能培训", jobs[p->job].skill));
		} else {
			put_s(g, F_aid_action_note, action_note(kind));
		}
		if (k == n - 1 && !closed)
			put_date(g, F_aid_action_next_due, day + rnd(r, 14, 60));
		if ((st = row_emit(g, id, err)))
			return st;
	}
	return TZ_OK;
}

/* What a visitor notes about the household. */
static const char *findings_s(gen *g, const household *h)
{
	const person *mig = NULL, *unemp = NULL;
	int labour = 0;
	for (int i = 0; i < h->n; i++) {
		const person *p = &h->m[i];
		labour += p->labour;
		if (!mig && is(p->emp, "migrant"))
			mig = p;
		if (!unemp && is(p->emp, "unemployed"))
			unemp = p;
	}
	if (h->flags & (1u << g->hf[HF_ZERO]) && !h->zero_cleared)
		return "零就业家庭，劳动力均处于失业状态，已登记求职意向";
	if (h->zero_cleared)
		return "零就业家庭已通过公益性岗位实现一人就业，继续跟踪";
	if (unemp)
		return fmt(g, "%s目前失业在家，%s", unemp->name,
			   unemp->want_work == 1 ? "有就业意愿" : "暂无就业意愿");
	if (mig)
		return fmt(g, "%s在%s务工，收入稳定", mig->name, mig->work_place);
	if (!labour)
		return "家中无劳动力，老人身体尚可";
	return "家庭成员就业情况稳定，无新增变化";
}

static tz_status visits_make(gen *g, household *h, tz_err *err)
{
	rng *r = &g->r;
	int zero = (h->flags & (1u << g->hf[HF_ZERO])) != 0, unemp = 0;
	for (int i = 0; i < h->n; i++)
		unemp |= is(h->m[i].emp, "unemployed");
	/* backwards from a recent last visit: quarterly or so, monthly for a
	 * zero-employment household since its recognition */
	int want = zero ? rnd(r, 3, 6) : rnd(r, 1, 3), n = 0;
	int gap_lo = zero ? 20 : 60, gap_hi = zero ? 35 : 150;
	long first = zero ? h->zero_since : g->today - 365, back[6], days[6], next[6];
	back[n++] = max_l(g->today - (zero ? rnd(r, 1, 30) : rnd(r, 1, 120)), first);
	while (n < want && back[n - 1] - gap_lo >= first)
		back[n] = max_l(back[n - 1] - rnd(r, gap_lo, gap_hi), first), n++;
	for (int k = 0; k < n; k++)
		days[k] = back[n - 1 - k];
	/* the next visit planned at each: about when the following one came;
	 * after the last one, some are overdue by now */
	for (int k = 0; k + 1 < n; k++)
		next[k] = max_l(days[k], days[k + 1] + rnd(r, -10, 5));
	next[n - 1] = days[n - 1] + rnd(r, gap_lo, gap_hi);
	char hid[33];
	tz_hex_encode(h->id, 16, hid);
	for (int k = 0; k < n; k++) {
		uint8_t id[16];
		new_id(g, id);
		const char *kind = pick(r, visit_kind);
		int s = 1, x = rnd(r, 0, 999);
		for (int i = 0; i < N(satisfaction_w); i++)
			if ((x -= satisfaction_w[i]) < 0) {
				s = i + 1;
				break;
			}
		const person *met = &h->m[rnd(r, 0, h->n - 1)];
		if (met->age < 16)
			met = &h->m[0];
		row_start(g, T_visit);
		put_s(g, F_visit_household, fmt(g, "%s", hid));
		put_s(g, F_visit_staff, staff_any(g));
		put_date(g, F_visit_date, days[k]);
		put_s(g, F_visit_kind, kind);
		put_s(g, F_visit_findings, findings_s(g, h));
		if (zero || unemp)
			put_s(g, F_visit_needs, zero ? "急需就近就业岗位" : ANY(r, visit_needs));
		else if (chance(r, 300))
			put_s(g, F_visit_needs, ANY(r, visit_needs_other));
		put_i(g, F_visit_satisfaction, s);
		put_date(g, F_visit_next_visit, next[k]);
		put_s(g, F_visit_met, is(kind, "phone") || met == &h->m[0]
					      ? met->name : fmt(g, "%s、%s", h->m[0].name, met->name));
		tz_status st = row_emit(g, id, err);
		if (st)
			return st;
	}
	return TZ_OK;
}

static tz_status household_make(gen *g, int hi, int nh, tz_err *err)
{
	rng *r = &g->r;
	household h;
	tz_status st;
	memset(&h, 0, sizeof h);
	new_id(g, h.id);
	int groups = nh / 40 + 1;
	snprintf(h.address, sizeof h.address, "%s%s%d组%d号", g->tname, g->vname,
		 hi % groups + 1, hi / groups + 1);
	members_make(g, &h);
	if (chance(r, 30))
		h.flags |= 1u << g->hf[HF_DIBAO];
	if (chance(r, 40))
		h.flags |= 1u << g->hf[HF_TUOPIN];
	if (chance(r, 10))
		h.flags |= 1u << g->hf[HF_MONITORED];
	for (int i = 0; i < h.n; i++)
		status_make(g, &h.m[i]);
	if (g->zero_pending && zero_emp_make(g, &h))
		g->zero_pending--;
	groups_make(g, &h);
	if ((st = household_emit(g, &h, err)))
		return st;
	for (int i = 0; i < h.n; i++)
		if ((st = referrals_make(g, &h.m[i], err)) || (st = person_emit(g, &h, &h.m[i], err)) ||
		    (st = registrations_make(g, &h.m[i], err)) || (st = aid_make(g, &h, &h.m[i], err)))
			return st;
	return visits_make(g, &h, err);
}

static tz_status village_make(gen *g, int vi, int nh, tz_err *err)
{
	tz_status st;
	g->vi = vi;
	rng_seed(&g->r, g->seed, (uint64_t)vi + 1);
	village_names(g);
	if ((st = tz_db_begin(g->db, err)))
		return st;
	/* the village's search keys are written at the end, sorted */
	if ((st = tz_search_defer(g->db, err)) || (st = staff_make(g, err)) ||
	    (st = employers_make(g, err)))
		goto fail;
	/* about 0.5% zero-employment households, at least one per village,
	 * at random places */
	int nz = (nh * 5 + 999) / 1000;
	int at[64], nat = 0;
	for (int k = 0; k < nz && k < N(at); k++)
		at[nat++] = rnd(&g->r, 0, nh - 1);
	g->zero_pending = 0;
	for (int hi = 0; hi < nh; hi++) {
		for (int k = 0; k < nat; k++)
			g->zero_pending += at[k] == hi;
		if ((st = household_make(g, hi, nh, err)))
			goto fail;
	}
	if ((st = tz_search_flush(g->db, err)))
		goto fail;
	return tz_db_commit(g->db, err);
fail:
	tz_search_cancel(g->db);
	tz_db_rollback(g->db);
	return st;
}

/* ---- the platform's own records (issue 8) ----
 *
 * After the villages, from a stream of its own so that the villages' data
 * stays what it was: a platform record per village and township, staff
 * certificates, training and annual filing, a Spring Breeze fair and a
 * recent job fair with offers, sign-ins and intentions, and complaints in
 * every state.  The people, staff and vacancies are read back in id order
 * (ids come from the seed), so the same database and seed give the same
 * rows. */

static const char *const complaint_subjects[] = {
	"推荐的岗位工资与招聘信息不符", "反映公益性岗位补贴未按时发放", "咨询灵活就业人员社保补贴申请",
	"反映用人单位未签订劳动合同", "建议增加夜间和周末服务时间", "咨询职业技能培训补贴",
};
static const char *const complaint_resolutions[] = {
	"已联系用人单位核实并补发差额", "已协调乡镇财政所发放到位", "已解释政策并帮助提交申请",
	"已转县劳动监察大队处理，单位已补签合同", "已调整为每周六上午值班", "已登记培训意愿并推荐报名",
};
static const char *const training_topics[] = {
	"基层公共就业服务业务培训", "职业指导实务", "就业援助政策解读", "信息系统操作培训",
	"创业指导能力提升",
};

typedef struct {
	char id[33], name[32], region[13];
} staff_ref;

/* Rows of a one- or two-column query, in order, into fixed slots. */
static int read_rows(gen *g, const char *sql, const char *arg, char (*a)[33], char (*b)[32],
		     char (*c)[13], int max)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(tz_db_sql(g->db), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		const char *x = (const char *)sqlite3_column_text(st, 0);
		const char *y = (const char *)sqlite3_column_text(st, 1);
		const char *z = (const char *)sqlite3_column_text(st, 2);
		snprintf(a[n], 33, "%s", x ? x : "");
		if (b)
			snprintf(b[n], 32, "%s", y ? y : "");
		if (c)
			snprintf(c[n], 13, "%s", z ? z : "");
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static tz_status platform_one(gen *g, const char *region, const char *name, const char *level,
			      tz_err *err)
{
	uint8_t id[16];
	new_id(g, id);
	int town = !strcmp(level, "township");
	char phone[16];
	row_start(g, T_platform);
	put_s(g, F_platform_region, region);
	put_s(g, F_platform_name, name);
	put_s(g, F_platform_level, level);
	put_i(g, F_platform_staff_count, town ? 3 : rnd(&g->r, 1, 2));
	put_i(g, F_platform_space_m2, town ? rnd(&g->r, 60, 180) : rnd(&g->r, 15, 50));
	put_i(g, F_platform_office, town || chance(&g->r, 900));
	put_i(g, F_platform_computer, 1);
	put_i(g, F_platform_network, chance(&g->r, town ? 1000 : 850));
	put_i(g, F_platform_archive, chance(&g->r, town ? 950 : 750));
	put_i(g, F_platform_notice_board, chance(&g->r, town ? 1000 : 850));
	if (g->area_code) {
		snprintf(phone, sizeof phone, "%s-%08d", g->area_code, rnd(&g->r, 80000000, 89999999));
		put_s(g, F_platform_phone, phone);
	}
	put_s(g, F_platform_address, fmt(g, "%s便民服务中心", name));
	return g->village_only && town ? TZ_OK : row_emit(g, id, err);
}

static tz_status staff_records_make(gen *g, tz_err *err)
{
	enum { MAXS = 256 };
	char (*sid)[33] = calloc(MAXS, 33);
	char (*sname)[32] = calloc(MAXS, 32);
	tz_status st = TZ_OK;
	if (!sid || !sname) {
		st = tz_nomem(err);
		goto out;
	}
	int n = read_rows(g, "SELECT id, name FROM staff WHERE _deleted = 0 AND region LIKE ?1 || '%'"
			     " ORDER BY id", g->county, sid, sname, NULL, MAXS);
	long year = strtol(date_s(g, g->today), NULL, 10);
	for (int i = 0; i < n && !st; i++) {
		uint8_t id[16];
		if (chance(&g->r, 450)) {
			/* a second certificate: a few expire within the warning window */
			int u = rnd(&g->r, 0, 99);
			long exp = u < 15 ? g->today + rnd(&g->r, 5, 55) : g->today + rnd(&g->r, 200, 1500);
			new_id(g, id);
			row_start(g, T_staff_cert);
			put_s(g, F_staff_cert_staff, sid[i]);
			put_s(g, F_staff_cert_name, ANY(&g->r, staff_certs));
			put_s(g, F_staff_cert_number, fmt(g, "%.6s%08d", g->county, rnd(&g->r, 0, 99999999)));
			put_s(g, F_staff_cert_issuer, "县人力资源和社会保障局");
			put_date(g, F_staff_cert_issued, exp - 3 * 365);
			put_date(g, F_staff_cert_expiry, exp);
			if ((st = row_emit(g, id, err)))
				break;
		}
		int nt = rnd(&g->r, 0, 2);
		for (int k = 0; k < nt && !st; k++) {
			new_id(g, id);
			row_start(g, T_training);
			put_s(g, F_training_staff, sid[i]);
			put_date(g, F_training_date, g->today - rnd(&g->r, 1, 330));
			put_s(g, F_training_topic, ANY(&g->r, training_topics));
			put_i(g, F_training_hours, ANY(&g->r, ((const int[]){8, 16, 24, 40})));
			put_s(g, F_training_organiser, "县人力资源和社会保障局");
			st = row_emit(g, id, err);
		}
		if (st)
			break;
		new_id(g, id);
		row_start(g, T_staff_filing);
		put_s(g, F_staff_filing_staff, sid[i]);
		put_i(g, F_staff_filing_year, year - 1);
		put_s(g, F_staff_filing_result, chance(&g->r, 950) ? "passed" : "pending");
		put_s(g, F_staff_filing_date, fmt(g, "%04ld-03-%02d", (year - 1) % 10000, rnd(&g->r, 1, 28)));
		st = row_emit(g, id, err);
	}
	(void)sname;
out:
	free(sid);
	free(sname);
	return st;
}

/* An event on day `day` with offers and sign-ins; hires: whether its
 * intentions have had time to turn into hires. */
static tz_status event_make(gen *g, const char *kind, const char *name, long day, int hires,
			    char (*vid)[33], char (*veid)[33], int nv, char (*pid)[33], int np,
			    const staff_ref *sr, int ns, tz_err *err)
{
	uint8_t eid[16];
	char ehex[33];
	tz_status st;
	new_id(g, eid);
	tz_hex_encode(eid, 16, ehex);
	char town[13];
	snprintf(town, sizeof town, "%.6s100000", g->county);
	row_start(g, T_event);
	put_s(g, F_event_name, name);
	put_s(g, F_event_kind, kind);
	put_date(g, F_event_start, day);
	if (!strcmp(kind, "spring"))
		put_date(g, F_event_end, day + 1);
	put_s(g, F_event_place, fmt(g, "%s镇文化广场", townships[0]));
	put_s(g, F_event_organiser, fmt(g, "%s镇劳动保障服务站", townships[0]));
	put_s(g, F_event_region, town);
	if ((st = row_emit(g, eid, err)))
		return st;
	int noff = nv < 5 ? nv : rnd(&g->r, 3, 5), off[5];
	for (int k = 0; k < noff; k++) {
		/* distinct vacancies */
		int again;
		do {
			off[k] = rnd(&g->r, 0, nv - 1);
			again = 0;
			for (int j = 0; j < k; j++)
				again |= off[j] == off[k];
		} while (again);
		uint8_t id[16];
		new_id(g, id);
		row_start(g, T_event_offer);
		put_s(g, F_event_offer_event, ehex);
		put_s(g, F_event_offer_employer, veid[off[k]]);
		put_s(g, F_event_offer_vacancy, vid[off[k]]);
		put_s(g, F_event_offer_booth, fmt(g, "%d号", k + 1));
		if ((st = row_emit(g, id, err)))
			return st;
	}
	int na = np < 12 ? np : rnd(&g->r, 8, 12);
	int first = np > na ? rnd(&g->r, 0, np - na) : 0;
	for (int k = 0; k < na; k++) {
		const char *pers = pid[first + k];
		const staff_ref *who = ns ? &sr[rnd(&g->r, 0, ns - 1)] : NULL;
		uint8_t aid[16], rid[16];
		char rhex[33] = "";
		int intent = noff && chance(&g->r, 350);
		const char *vac = intent ? vid[off[rnd(&g->r, 0, noff - 1)]] : NULL;
		if (intent) {
			new_id(g, rid);
			tz_hex_encode(rid, 16, rhex);
			/* an older fair's intentions have their outcomes by now */
			int u = rnd(&g->r, 0, 99);
			const char *status = !hires ? "referred" : u < 45 ? "hired"
							 : u < 80 ? "rejected" : "declined";
			row_start(g, T_referral);
			put_s(g, F_referral_vacancy, vac);
			put_s(g, F_referral_person, pers);
			put_date(g, F_referral_date, day);
			if (who)
				put_s(g, F_referral_staff, who->name);
			put_s(g, F_referral_status, status);
			put_s(g, F_referral_note, fmt(g, "%s现场达成意向", name));
			if (hires)
				put_date(g, F_referral_outcome_date, day + rnd(&g->r, 3, 20));
			if ((st = row_emit(g, rid, err)))
				return st;
		}
		new_id(g, aid);
		row_start(g, T_attendance);
		put_s(g, F_attendance_event, ehex);
		put_s(g, F_attendance_person, pers);
		put_date(g, F_attendance_date, day);
		put_s(g, F_attendance_time, fmt(g, "%02d:%02d", rnd(&g->r, 8, 11), rnd(&g->r, 0, 59)));
		if (intent) {
			put_s(g, F_attendance_intention, vac);
			put_s(g, F_attendance_referral, rhex);
		}
		if (who)
			put_s(g, F_attendance_staff, who->name);
		if ((st = row_emit(g, aid, err)))
			return st;
	}
	return TZ_OK;
}

static tz_status complaints_make(gen *g, const staff_ref *sr, int ns, char (*pid)[33],
				 char (*pname)[32], int np, tz_err *err)
{
	/* received this many days ago; resolved after (0: open) */
	static const struct {
		int ago, took, sat, subj;
		const char *kind;
	} plan[] = {
		{40, 6, 5, 0, "complaint"}, {33, 21, 3, 3, "complaint"}, {20, 2, 4, 2, "enquiry"},
		{12, 0, 0, 1, "complaint"}, {25, 0, 0, 0, "complaint"}, {3, 0, 0, 4, "suggestion"},
	};
	if (!ns || !np)
		return TZ_OK;
	for (int k = 0; k < N(plan); k++) {
		uint8_t id[16];
		new_id(g, id);
		const staff_ref *s = &sr[rnd(&g->r, 0, ns - 1)];
		int who = rnd(&g->r, 0, np - 1), subj = plan[k].subj;
		char phone[12];
		long rec = g->today - plan[k].ago;
		mobile(&g->r, phone);
		row_start(g, T_complaint);
		put_s(g, F_complaint_kind, plan[k].kind);
		put_s(g, F_complaint_complainant, pname[who]);
		put_s(g, F_complaint_person, pid[who]);
		put_s(g, F_complaint_phone, phone);
		put_date(g, F_complaint_received, rec);
		put_s(g, F_complaint_received_by, s->id);
		put_s(g, F_complaint_channel, ANY(&g->r, ((const char *const[]){"visit", "phone", "hotline"})));
		put_s(g, F_complaint_subject, complaint_subjects[subj]);
		put_s(g, F_complaint_region, s->region);
		if (plan[k].took) {
			put_s(g, F_complaint_actions, "电话联系当事人了解情况，与相关单位核实");
			put_s(g, F_complaint_resolution, complaint_resolutions[subj]);
			put_s(g, F_complaint_status, "resolved");
			put_date(g, F_complaint_resolved, rec + plan[k].took);
			put_i(g, F_complaint_satisfaction, plan[k].sat);
		} else {
			put_s(g, F_complaint_status, "open");
		}
		tz_status st = row_emit(g, id, err);
		if (st)
			return st;
	}
	return TZ_OK;
}

static tz_status platform_make(gen *g, int nv, tz_err *err)
{
	enum { MAXV = 64, MAXP = 400, MAXS = 64 };
	tz_status st;
	rng_seed(&g->r, g->seed, 0x504c4154464f524dULL); /* "PLATFORM" */
	char (*vid)[33] = calloc(MAXV, 33), (*veid)[33] = calloc(MAXV, 33);
	char (*pid)[33] = calloc(MAXP, 33);
	char (*pname)[32] = calloc(MAXP, 32);
	char (*sid)[33] = calloc(MAXS, 33);
	char (*sname)[32] = calloc(MAXS, 32);
	char (*sreg)[13] = calloc(MAXS, 13);
	staff_ref *sr = calloc(MAXS, sizeof *sr);
	if (!vid || !veid || !pid || !pname || !sid || !sname || !sreg || !sr) {
		st = tz_nomem(err);
		goto out;
	}
	if ((st = tz_db_begin(g->db, err)))
		goto out;
	for (int v = 0; v < nv && v < 200 && !st; v++) {
		char pname_s[96];
		g->vi = v;
		village_names(g);
		if (v % VILLAGES_PER_TOWNSHIP == 0) {
			snprintf(pname_s, sizeof pname_s, "%s劳动保障服务站", g->tname);
			st = platform_one(g, g->tcode, pname_s, "township", err);
		}
		snprintf(pname_s, sizeof pname_s, "%s%s就业服务站", g->tname, g->vname);
		if (!st)
			st = platform_one(g, g->vcode, pname_s, "village", err);
	}
	if (!st)
		st = staff_records_make(g, err);
	/* staff of the first village, vacancies valid today, job seekers */
	char today[11], v0[13];
	tz_date_from_days(g->today, today);
	snprintf(v0, sizeof v0, "%.6s100201", g->county);
	int ns = st ? 0 : read_rows(g, "SELECT id, name, region FROM staff WHERE _deleted = 0"
				       " AND region = ?1 ORDER BY id", v0, sid, sname, sreg, MAXS);
	for (int i = 0; i < ns; i++) {
		memcpy(sr[i].id, sid[i], 33);
		memcpy(sr[i].name, sname[i], 32);
		memcpy(sr[i].region, sreg[i], 13);
	}
	int nvac = st ? 0 : read_rows(g, "SELECT v.id, v.employer FROM vacancy v WHERE v._deleted = 0"
				     " AND coalesce(v.valid_from, '') <= ?1"
				     " AND coalesce(v.valid_until, '9999') >= ?1 ORDER BY v.id", today,
				     vid, NULL, NULL, MAXV);
	if (nvac > 0)
		for (int i = 0; i < nvac; i++) {
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(tz_db_sql(g->db), "SELECT employer FROM vacancy WHERE id=?1",
					       -1, &q, NULL) != SQLITE_OK)
				break;
			sqlite3_bind_text(q, 1, vid[i], -1, SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW)
				snprintf(veid[i], 33, "%s", (const char *)sqlite3_column_text(q, 0));
			sqlite3_finalize(q);
		}
	int np = st ? 0 : read_rows(g, "SELECT p.id, p.name FROM person p JOIN household h"
				       " ON h.id = p.household WHERE p._deleted = 0 AND h._deleted = 0"
				       " AND h.village LIKE substr(?1, 1, 6) || '%'"
				       " AND p.employment_status IN ('unemployed', 'flexible')"
				       " AND p.id_number IS NOT NULL ORDER BY p.id", g->county,
				       pid, pname, NULL, MAXP);
	if (ns < 0 || nvac < 0 || np < 0) {
		st = tz_db_fail(g->db, err, "demo");
	} else if (!st && nvac > 0 && np > 0) {
		long y = strtol(today, NULL, 10);
		char spring[24];
		snprintf(spring, sizeof spring, "%04ld-02-20",
			 (strcmp(today + 5, "02-21") < 0 ? y - 1 : y) % 10000);
		/* a Spring Breeze fair in February, a job fair a fortnight or so ago */
		char ename[96];
		snprintf(ename, sizeof ename, "%.4s年春风行动专场招聘会", spring);
		st = event_make(g, "spring", ename, tz_date_days(spring), 1, vid, veid, nvac, pid, np,
				sr, ns, err);
		if (!st) {
			long day = g->today - rnd(&g->r, 8, 20);
			snprintf(ename, sizeof ename, "%s镇就业服务专场招聘会", townships[0]);
			st = event_make(g, "job_fair", ename, day, 0, vid, veid, nvac, pid, np, sr, ns,
					err);
		}
	}
	if (!st)
		st = complaints_make(g, sr, ns, pid, pname, np, err);
	if (st)
		tz_db_rollback(g->db);
	else
		st = tz_db_commit(g->db, err);
out:
	free(vid);
	free(veid);
	free(pid);
	free(pname);
	free(sid);
	free(sname);
	free(sreg);
	free(sr);
	return st;
}

/* ---- setup ---- */

static int code_index(const tz_code *codes, const char *code)
{
	for (int i = 0; codes && codes[i].code; i++)
		if (!strcmp(codes[i].code, code))
			return i;
	return -1;
}

static tz_status resolve(gen *g, tz_err *err)
{
	for (int t = 0; t < NTAB; t++) {
		const tz_table *tb = tz_schema_table_find(table_names[t]);
		if (!tb || tb->nfields > MAXF)
			return tz_fail(err, TZ_EINVAL, "demo: no table %s", "演示数据：缺少表 %s",
				       table_names[t]);
		g->tidx[t] = tz_schema_table_index(tb);
		if (g->tidx[t] >= TZ_DEMO_MAX_TABLES)
			return tz_fail(err, TZ_EINVAL, "demo: too many tables", "演示数据：表过多");
	}
	for (int f = 0; f < NFID; f++) {
		const tz_table *tb = tz_schema_tables[g->tidx[field_names[f].t]];
		int i = tz_schema_field_find(tb, field_names[f].f);
		if (i < 0 || strcmp(tb->fields[i].name, field_names[f].f))
			return tz_fail(err, TZ_EINVAL, "demo: no field %s.%s", "演示数据：缺少字段 %s.%s",
				       tb->name, field_names[f].f);
		g->fidx[f] = i;
	}
	const tz_table *hh = tz_schema_tables[g->tidx[T_household]];
	g->hf_codes = hh->fields[g->fidx[F_household_flags]].codes;
	for (int k = 0; k < NKG; k++)
		if ((g->kg[k] = code_index(tz_schema_codes_key_groups, kg_names[k])) < 0 || g->kg[k] > 31)
			return tz_fail(err, TZ_EINVAL, "demo: no key group %s", "演示数据：缺少重点群体 %s",
				       kg_names[k]);
	for (int k = 0; k < NHF; k++)
		if ((g->hf[k] = code_index(g->hf_codes, hf_names[k])) < 0 || g->hf[k] > 31)
			return tz_fail(err, TZ_EINVAL, "demo: no household flag %s",
				       "演示数据：缺少户类别 %s", hf_names[k]);
	return TZ_OK;
}

/* Today's local date, as validate.c sees it. */
static long today_local(void)
{
	int64_t ms = tz_clock_ms();
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;
	char d[32];
	if (!localtime_r(&t, &tm))
		return (long)(t / 86400);
	snprintf(d, sizeof d, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1,
		 tm.tm_mday);
	return tz_date_days(d);
}

static tz_status county_from(gen *g, const char *region, tz_err *err)
{
	size_t n = region ? strlen(region) : 0;
	if (n != 6 && n != 12)
		return tz_fail(err, TZ_EUSAGE, "region %.20s: give a 6- or 12-digit code",
			       "区划代码 %.20s：应为 6 位或 12 位数字", region ? region : "");
	for (size_t i = 0; i < n; i++)
		if (region[i] < '0' || region[i] > '9')
			return tz_fail(err, TZ_EUSAGE, "region %.20s: digits only",
				       "区划代码 %.20s：只能是数字", region);
	memcpy(g->county, region, 6);
	g->county[6] = '\0';
	g->fix_t = g->fix_v = -1;
	if (n == 12) {
		int t = (region[6] - '0') * 100 + (region[7] - '0') * 10 + region[8] - '0',
		    v = (region[9] - '0') * 100 + (region[10] - '0') * 10 + region[11] - '0';
		if (t) {
			g->fix_t = t;
			g->fix_v = v ? v : -1;
		}
	}
	g->prov = (region[0] - '0') * 10 + region[1] - '0';
	if (!tz_valid_province(g->prov) || !strcmp(g->county + 2, "0000"))
		return tz_fail(err, TZ_EUSAGE, "region %.20s: %.6s is not a county code",
			       "区划代码 %.20s：%.6s 不是县级代码", region, g->county);
	return TZ_OK;
}

tz_status tz_demo_fill(tz_db *db, const tz_demo_opts *o, tz_demo_stats *out, tz_err *err)
{
	tz_demo_opts def = {0};
	tz_demo_stats local;
	tz_status st;
	if (!o)
		o = &def;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	int nv = o->villages ? o->villages : 3, nh = o->households ? o->households : 300;
	if (nv < 1 || nv > TZ_DEMO_MAX_VILLAGES || nh < 1 || nh > TZ_DEMO_MAX_HOUSEHOLDS)
		return tz_fail(err, TZ_EUSAGE,
			       "demo: villages must be 1 to %d and households 1 to %d",
			       "演示数据：村数应为 1 至 %d，每村户数应为 1 至 %d", TZ_DEMO_MAX_VILLAGES,
			       TZ_DEMO_MAX_HOUSEHOLDS);
	if (!tz_db_has_identity(db))
		return tz_fail(err, TZ_EUSAGE, "this database has no identity: run 'taizhang init'",
			       "数据库尚未初始化：请运行 taizhang init");
	gen *g = calloc(1, sizeof *g);
	if (!g)
		return tz_nomem(err);
	g->db = db;
	g->st = out;
	g->seed = o->seed;
	g->today = today_local();
	g->village_only = tz_db_role(db) == TZ_ROLE_VILLAGE && tz_db_has_identity(db);
	char *mine = o->region ? NULL : tz_db_meta_get(db, "region");
	const char *region = o->region ? o->region : mine;
	if (!o->region && (!region || county_from(g, region, NULL)))
		region = "430181";
	st = county_from(g, region, err);
	free(mine);
	if (st)
		goto out;
	if (!strncmp(g->county, "4301", 4))
		g->area_code = "0731";
	if ((st = resolve(g, err)))
		goto out;
	g->idays = 101L * 366 + 2;
	g->idmin = g->today - g->idays + 1;
	g->idmap = calloc((size_t)(g->idays * 1000 / 8 + 1), 1);
	if (!g->idmap) {
		st = tz_nomem(err);
		goto out;
	}
	memcpy(out->county, g->county, 7);
	/* as for a merge: a village's rows land at random places in large
	 * tables and their indexes, so a larger page cache keeps them from
	 * spilling into the WAL again and again; statement journals in memory */
	tz_db_bulk(db, 1);
	for (int v = 0; v < nv; v++) {
		if ((st = village_make(g, v, nh, err)))
			goto out;
		out->villages = v + 1;
		if (o->progress)
			o->progress(o->progress_ctx, v + 1, nv);
	}
	st = platform_make(g, nv, err);
out:
	tz_db_bulk(db, 0);
	tz_buf_free(&g->buf);
	free(g->idmap);
	free(g);
	return st;
}
