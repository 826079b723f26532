/* schema.c - the replicated tables and their code tables.
 *
 * Field order is the op log's field numbering (field i is number i + 1):
 * append new fields at the end, never reorder or remove.  Labels double as
 * CSV headers and form labels.
 */
#include "taizhang/schema.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "taizhang/err.h"

/* Code tables.  Policy categories live here, not in if statements. */
const tz_code tz_schema_codes_gender[] = {
	{"M", "男", "male"},
	{"F", "女", "female"},
	{0},
};

static const tz_code codes_gender_req[] = {
	{"any", "不限", "any"},
	{"M", "男", "male"},
	{"F", "女", "female"},
	{0},
};

/* GB/T 4658-2006 education levels, plus 95 for no schooling (local). */
const tz_code tz_schema_codes_education[] = {
	{"10", "研究生", "postgraduate"},
	{"20", "大学本科", "bachelor"},
	{"30", "大学专科", "college"},
	{"40", "中专/中技", "vocational secondary"},
	{"60", "普通高中", "senior high school"},
	{"70", "初中", "junior high school"},
	{"80", "小学", "primary school"},
	{"90", "其他", "other"},
	{"95", "未上过学", "no schooling"},
	{0},
};

const tz_code tz_schema_codes_employment[] = {
	{"local", "本地就业", "employed locally"},
	{"migrant", "外出务工", "migrant worker"},
	{"flexible", "灵活就业", "flexible employment"},
	{"business", "自主创业", "self-employed"},
	{"public_post", "公益性岗位", "public-welfare post"},
	{"unemployed", "失业", "unemployed"},
	{"student", "在校学生", "student"},
	{"retired", "退休", "retired"},
	{"unable", "无劳动能力", "unable to work"},
	{"military", "服兵役", "in military service"},
	{0},
};

const tz_code tz_schema_codes_key_groups[] = {
	{"zero_emp", "零就业家庭", "zero-employment household"},
	{"disabled", "残疾人", "disabled"},
	{"age4050", "大龄(4050)", "4050 age"},
	{"long_unemp", "长期失业", "long-term unemployed"},
	{"dibao", "低保", "low-income (dibao)"},
	{"poverty", "脱贫/监测对象", "poverty-monitored"},
	{"landless", "失地农民", "landless farmer"},
	{"returnee", "返乡农民工", "returning migrant worker"},
	{"graduate", "高校毕业生", "college graduate"},
	{"veteran", "退役军人", "veteran"},
	{"released", "刑满释放/戒毒康复", "released prisoner / recovered"},
	{"single_parent", "单亲抚养", "single parent"},
	{0},
};

static const tz_code codes_household_flags[] = {
	{"dibao", "低保户", "low-income household"},
	{"tuopin", "脱贫户", "lifted from poverty"},
	{"monitored", "监测对象", "poverty-monitored"},
	{"zero_emp", "零就业家庭", "zero-employment household"},
	{0},
};

static const tz_code codes_relation[] = {
	{"head", "户主", "head"},
	{"spouse", "配偶", "spouse"},
	{"child", "子女", "child"},
	{"parent", "父母", "parent"},
	{"grandchild", "孙子女", "grandchild"},
	{"sibling", "兄弟姐妹", "sibling"},
	{"in_law", "儿媳/女婿", "child-in-law"},
	{"other", "其他", "other"},
	{0},
};

static const tz_code codes_hukou[] = {
	{"agri", "农业户口", "rural"},
	{"nonagri", "非农业户口", "urban"},
	{0},
};

static const tz_code codes_disability_level[] = {
	{"1", "一级", "grade 1"},
	{"2", "二级", "grade 2"},
	{"3", "三级", "grade 3"},
	{"4", "四级", "grade 4"},
	{0},
};

const tz_code tz_schema_codes_work_ability[] = {
	{"full", "完全劳动能力", "full"},
	{"partial", "部分劳动能力", "partial"},
	{"none", "无劳动能力", "none"},
	{0},
};

const tz_code tz_schema_codes_work_range[] = {
	{"township", "乡内", "within the township"},
	{"county", "县内", "within the county"},
	{"province", "省内", "within the province"},
	{"outside", "省外", "outside the province"},
	{0},
};

static const tz_code codes_visit_kind[] = {
	{"home", "上门", "home visit"},
	{"phone", "电话", "phone"},
	{"office", "来访", "office"},
	{0},
};

static const tz_code codes_case_status[] = {
	{"open", "已登记", "open"},
	{"active", "援助中", "active"},
	{"closed", "已结案", "closed"},
	{0},
};

const tz_code tz_schema_codes_close_reason[] = {
	{"employed", "已就业", "employed"},
	{"retired", "达到退休年龄", "reached retirement age"},
	{"incapacity", "丧失劳动能力", "lost capacity to work"},
	{"school_army", "升学或参军", "entered school or army"},
	{"moved", "迁出", "moved away"},
	{"refused", "6个月内3次拒绝服务", "refused service 3 times in 6 months"},
	{"lost_contact", "失联6个月", "out of contact 6 months"},
	{"false_info", "提供虚假信息", "false information"},
	{"other", "其他", "other"},
	{0},
};

static const tz_code codes_action_kind[] = {
	{"policy", "政策咨询", "policy advice"},
	{"job_referral", "职业介绍", "job referral"},
	{"training", "职业培训", "training"},
	{"public_post", "公益性岗位", "public-welfare post"},
	{"subsidy", "补贴", "subsidy"},
	{"follow_up", "跟踪回访", "follow-up"},
	{"guidance", "职业指导", "career guidance"},
	{"internship", "就业见习", "internship"},
	{"business", "创业扶持", "business support"},
	{0},
};

/* GB/T 4754-2017 sections. */
static const tz_code codes_industry[] = {
	{"A", "农、林、牧、渔业", "agriculture"},
	{"B", "采矿业", "mining"},
	{"C", "制造业", "manufacturing"},
	{"D", "电力、热力、燃气及水", "utilities"},
	{"E", "建筑业", "construction"},
	{"F", "批发和零售业", "wholesale and retail"},
	{"G", "交通运输、仓储和邮政", "transport and post"},
	{"H", "住宿和餐饮业", "hotels and catering"},
	{"I", "信息传输、软件和信息技术", "information technology"},
	{"J", "金融业", "finance"},
	{"K", "房地产业", "real estate"},
	{"L", "租赁和商务服务业", "business services"},
	{"M", "科学研究和技术服务业", "research and technical"},
	{"N", "水利、环境和公共设施管理", "environment and public facilities"},
	{"O", "居民服务、修理和其他服务", "household services"},
	{"P", "教育", "education"},
	{"Q", "卫生和社会工作", "health and social work"},
	{"R", "文化、体育和娱乐业", "culture and sport"},
	{"S", "公共管理、社会保障", "public administration"},
	{"T", "国际组织", "international organisations"},
	{0},
};

static const tz_code codes_employer_size[] = {
	{"micro", "微型", "micro"},
	{"small", "小型", "small"},
	{"medium", "中型", "medium"},
	{"large", "大型", "large"},
	{0},
};

static const tz_code codes_job_form[] = {
	{"full_time", "全日制", "full time"},
	{"part_time", "非全日制", "part time"},
	{"seasonal", "季节性", "seasonal"},
	{"dispatch", "劳务派遣", "agency"},
	{0},
};

static const tz_code codes_referral_status[] = {
	{"suggested", "拟推荐", "suggested"},
	{"referred", "已推荐", "referred"},
	{"interviewed", "已面试", "interviewed"},
	{"hired", "已录用", "hired"},
	{"rejected", "未录用", "rejected"},
	{"no_show", "未到场", "no show"},
	{"declined", "本人拒绝", "declined by person"},
	{0},
};

static const tz_code codes_reg_kind[] = {
	{"employment", "就业登记", "employment"},
	{"unemployment", "失业登记", "unemployment"},
	{0},
};

static const tz_code codes_reg_form[] = {
	{"unit", "单位就业", "employed by a unit"},
	{"flexible", "灵活就业", "flexible employment"},
	{"business", "自主创业", "self-employed"},
	{"public_post", "公益性岗位", "public-welfare post"},
	{"migrant", "外出务工", "migrant work"},
	{0},
};

static const tz_code codes_staff_role[] = {
	{"village", "村专干", "village officer"},
	{"community", "社区专干", "community officer"},
	{"township", "乡镇专干", "township officer"},
	{"head", "负责人", "head"},
	{0},
};

const tz_code tz_schema_codes_staff_status[] = {
	{"fulltime", "专职", "full time"},
	{"parttime", "兼职", "part time"},
	{"left", "已离岗", "left"},
	{0},
};

static const tz_code codes_event_kind[] = {
	{"spring", "春风行动", "Spring Breeze campaign"},
	{"aid_month", "就业援助月", "employment-assistance month"},
	{"private", "民营企业招聘周", "private-enterprise recruitment week"},
	{"autumn", "金秋招聘月", "Golden Autumn recruitment month"},
	{"job_fair", "招聘会", "job fair"},
	{"other", "其他", "other"},
	{0},
};

static const tz_code codes_complaint_kind[] = {
	{"complaint", "投诉", "complaint"},
	{"enquiry", "咨询", "enquiry"},
	{"suggestion", "建议", "suggestion"},
	{0},
};

static const tz_code codes_complaint_channel[] = {
	{"visit", "来访", "in person"},
	{"phone", "电话", "phone"},
	{"letter", "来信", "letter"},
	{"online", "网络", "online"},
	{"hotline", "12333热线", "12333 hotline"},
	{0},
};

static const tz_code codes_complaint_status[] = {
	{"open", "办理中", "open"},
	{"resolved", "已办结", "resolved"},
	{"withdrawn", "已撤回", "withdrawn"},
	{0},
};

static const tz_code codes_filing_result[] = {
	{"pending", "待审核", "pending"},
	{"passed", "合格", "passed"},
	{"failed", "不合格", "failed"},
	{0},
};

/* The level of a service platform (基层公共就业服务平台). */
const tz_code tz_schema_codes_platform_level[] = {
	{"township", "乡镇", "township"},
	{"street", "街道", "street"},
	{"community", "社区", "community"},
	{"village", "行政村", "village"},
	{0},
};

#define F(n, z, e, t) .name = n, .zh = z, .en = e, .type = t
#define REQ .flags = TZ_F_REQUIRED
#define ML .flags = TZ_F_MULTILINE
#define LEN(n) .max = n
#define CODES(c) .codes = c

static const tz_field household_fields[] = {
	{F("village", "村(区划代码)", "village code", TZ_T_REGION), REQ, .aka = "村代码|行政村代码|区划代码|村区划代码|所在村代码|村级代码|village"},
	{F("address", "住址", "address", TZ_T_TEXT), REQ, LEN(120), .aka = "家庭住址|地址|现住址|家庭地址|居住地址|户籍地址|现居住地址|详细地址|家庭详细地址"},
	{F("phone", "电话", "phone", TZ_T_PHONE), .aka = "户电话|家庭电话|户联系电话"},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
	{F("head_name", "户主姓名", "head of household", TZ_T_TEXT), LEN(30), .aka = "户主|户主名|户主名字"},
	{F("flags", "户类别", "household flags", TZ_T_SET), CODES(codes_household_flags), .aka = "户类型|家庭类别|户属性|家庭类型"},
	{F("zero_emp_since", "零就业认定日期", "zero-employment recognised", TZ_T_DATE)},
	{F("zero_emp_cleared", "零就业清零日期", "zero-employment cleared", TZ_T_DATE)},
};

static const tz_field person_fields[] = {
	{F("household", "户", "household", TZ_T_REF), .ref = "household", .aka = "户号|户编号|家庭编号|户序号|户代码|家庭户号"},
	{F("name", "姓名", "name", TZ_T_TEXT), REQ, LEN(30), .aka = "名字|人员姓名|劳动力姓名|成员姓名|家庭成员姓名"},
	{F("id_number", "身份证号", "ID number", TZ_T_IDNUM), .aka = "身份证号码|公民身份号码|公民身份证号码|证件号码|证件号|身份证|身份证件号码|社会保障号码|身份证号码(18位)"},
	{F("gender", "性别", "gender", TZ_T_ENUM), .flags = TZ_F_DERIVED, CODES(tz_schema_codes_gender)},
	{F("birth_date", "出生日期", "birth date", TZ_T_DATE), .flags = TZ_F_DERIVED, .aka = "出生年月|出生年月日|生日"},
	{F("phone", "电话", "phone", TZ_T_PHONE), .aka = "联系电话|手机号码|手机号|手机|联系方式|电话号码|本人电话|本人联系电话"},
	{F("education", "文化程度", "education", TZ_T_ENUM), CODES(tz_schema_codes_education), .aka = "学历|文化|最高学历|文化程度(学历)"},
	{F("employment_status", "就业状态", "employment status", TZ_T_ENUM),
	 CODES(tz_schema_codes_employment), .aka = "就业情况|就业状况|务工状态|就业类型|就业形式|目前状态|就业状态(务工情况)"},
	{F("key_groups", "重点群体", "key groups", TZ_T_SET), CODES(tz_schema_codes_key_groups), .aka = "人员类别|困难类别|就业困难类别|重点人群|人员类型|困难人员类别"},
	{F("skills", "技能特长", "skills", TZ_T_TEXT), LEN(200), .aka = "技能|特长|专业技能|职业技能"},
	{F("job_intention", "择业意向", "job intention", TZ_T_TEXT), LEN(200), .aka = "就业意向|求职意向|意向工种|意向岗位"},
	{F("work_place", "务工地", "work place", TZ_T_TEXT), LEN(100), .aka = "务工地点|就业地点|就业地址|务工所在地|工作地点"},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000), .aka = "说明|其他说明"},
	{F("ethnicity", "民族", "ethnicity", TZ_T_TEXT), LEN(20)},
	{F("relation", "与户主关系", "relation to head", TZ_T_ENUM), CODES(codes_relation), .aka = "关系|与户主的关系|家庭关系|户主关系"},
	{F("hukou", "户籍性质", "hukou", TZ_T_ENUM), CODES(codes_hukou), .aka = "户口性质|户籍类别|户口类型|户籍"},
	{F("disability_cert", "残疾证号", "disability certificate", TZ_T_TEXT), LEN(30), .aka = "残疾证号码|残疾证"},
	{F("disability_level", "残疾等级", "disability grade", TZ_T_ENUM),
	 CODES(codes_disability_level), .aka = "残疾级别"},
	{F("work_ability", "劳动能力", "work ability", TZ_T_ENUM), CODES(tz_schema_codes_work_ability), .aka = "劳动能力状况"},
	{F("work_range", "务工范围", "work range", TZ_T_ENUM), CODES(tz_schema_codes_work_range), .aka = "就业范围|务工区域"},
	{F("want_work", "就业意愿", "wants work", TZ_T_BOOL), .aka = "就业需求|有无就业意愿|是否有就业意愿"},
	{F("want_training", "培训意愿", "wants training", TZ_T_BOOL), .aka = "培训需求|有无培训意愿|是否有培训意愿"},
	{F("want_business", "创业意愿", "wants to start a business", TZ_T_BOOL), .aka = "创业需求|有无创业意愿|是否有创业意愿"},
	{F("expected_wage", "期望月薪", "expected monthly wage", TZ_T_INT), .min = 0,
	 .max = 1000000, .aka = "期望工资|期望薪资|期望收入|月薪期望"},
	{F("occupation", "意向职业代码", "intended occupation code", TZ_T_TEXT), LEN(16)},
	{F("unemployed_since", "失业起始日期", "unemployed since", TZ_T_DATE), .aka = "失业时间|失业日期"},
};

static const tz_field visit_fields[] = {
	{F("household", "户", "household", TZ_T_REF), REQ, .ref = "household"},
	{F("staff", "走访人", "staff", TZ_T_TEXT), LEN(30)},
	{F("date", "走访日期", "date", TZ_T_DATE), REQ},
	{F("kind", "方式", "kind", TZ_T_ENUM), REQ, CODES(codes_visit_kind), .dflt = "home"},
	{F("findings", "走访情况", "findings", TZ_T_TEXT), ML, LEN(2000)},
	{F("needs", "需求", "needs", TZ_T_TEXT), ML, LEN(2000)},
	{F("satisfaction", "满意度", "satisfaction", TZ_T_INT), .min = 1, .max = 5},
	{F("next_visit", "下次走访", "next visit", TZ_T_DATE)},
	{F("met", "接待人", "persons met", TZ_T_TEXT), LEN(100)},
};

static const tz_field aid_case_fields[] = {
	{F("person", "人员", "person", TZ_T_REF), REQ, .ref = "person"},
	{F("opened", "认定日期", "opened", TZ_T_DATE), REQ},
	{F("owner", "责任人", "owner", TZ_T_TEXT), LEN(30)},
	{F("category", "援助类别", "category", TZ_T_SET), CODES(tz_schema_codes_key_groups)},
	{F("needs", "援助需求", "needs", TZ_T_TEXT), ML, LEN(2000)},
	{F("plan", "一人一策", "plan", TZ_T_TEXT), ML, LEN(4000)},
	{F("status", "状态", "status", TZ_T_ENUM), REQ, CODES(codes_case_status), .dflt = "open"},
	{F("closed", "结案日期", "closed", TZ_T_DATE)},
	{F("close_reason", "结案原因", "close reason", TZ_T_ENUM), CODES(tz_schema_codes_close_reason)},
};

static const tz_field aid_action_fields[] = {
	{F("aid_case", "援助案例", "aid case", TZ_T_REF), REQ, .ref = "aid_case"},
	{F("date", "日期", "date", TZ_T_DATE), REQ},
	{F("staff", "经办人", "staff", TZ_T_TEXT), LEN(30)},
	{F("kind", "措施", "kind", TZ_T_ENUM), REQ, CODES(codes_action_kind)},
	{F("note", "内容", "note", TZ_T_TEXT), ML, LEN(2000)},
	{F("next_due", "下次跟踪", "next due", TZ_T_DATE)},
	{F("vacancy", "岗位", "vacancy", TZ_T_REF), .ref = "vacancy"},
};

static const tz_field employer_fields[] = {
	{F("name", "单位名称", "name", TZ_T_TEXT), REQ, LEN(100), .aka = "企业名称|用工单位|公司名称|单位"},
	{F("credit_code", "统一社会信用代码", "credit code", TZ_T_CREDIT), .aka = "信用代码|社会信用代码|统一代码"},
	{F("contact", "联系人", "contact", TZ_T_TEXT), LEN(30)},
	{F("phone", "电话", "phone", TZ_T_PHONE), .aka = "联系电话|联系方式|电话号码"},
	{F("address", "地址", "address", TZ_T_TEXT), LEN(120), .aka = "单位地址|企业地址|公司地址"},
	{F("industry", "行业", "industry", TZ_T_ENUM), CODES(codes_industry)},
	{F("size", "规模", "size", TZ_T_ENUM), CODES(codes_employer_size)},
	{F("region", "所在地区划", "region code", TZ_T_REGION)},
};

static const tz_field vacancy_fields[] = {
	{F("employer", "单位", "employer", TZ_T_REF), REQ, .ref = "employer"},
	{F("title", "岗位名称", "title", TZ_T_TEXT), REQ, LEN(60), .aka = "岗位|职位|职位名称|招聘岗位|工种"},
	{F("openings", "招聘人数", "openings", TZ_T_INT), REQ, .min = 1, .max = 100000, .aka = "招聘数量|需求人数|人数"},
	{F("wage_min", "月薪下限", "minimum wage", TZ_T_INT), .min = 0, .max = 1000000},
	{F("wage_max", "月薪上限", "maximum wage", TZ_T_INT), .min = 0, .max = 1000000},
	{F("location", "工作地区划", "location", TZ_T_REGION)},
	{F("age_min", "年龄下限", "minimum age", TZ_T_INT), .min = 16, .max = 70},
	{F("age_max", "年龄上限", "maximum age", TZ_T_INT), .min = 16, .max = 70},
	{F("gender", "性别要求", "gender", TZ_T_ENUM), CODES(codes_gender_req), .dflt = "any"},
	{F("education_min", "学历要求", "minimum education", TZ_T_ENUM),
	 CODES(tz_schema_codes_education)},
	{F("skills", "技能要求", "skills", TZ_T_TEXT), LEN(200)},
	{F("valid_until", "有效期至", "valid until", TZ_T_DATE)},
	{F("occupation", "职业代码", "occupation code", TZ_T_TEXT), LEN(16)},
	{F("valid_from", "发布日期", "valid from", TZ_T_DATE)},
	{F("form", "用工形式", "employment form", TZ_T_ENUM), CODES(codes_job_form)},
	{F("description", "工种描述", "description", TZ_T_TEXT), ML, LEN(2000)},
};

static const tz_field referral_fields[] = {
	{F("vacancy", "岗位", "vacancy", TZ_T_REF), REQ, .ref = "vacancy"},
	{F("person", "人员", "person", TZ_T_REF), REQ, .ref = "person"},
	{F("date", "日期", "date", TZ_T_DATE), REQ},
	{F("staff", "经办人", "staff", TZ_T_TEXT), LEN(30)},
	{F("status", "状态", "status", TZ_T_ENUM), REQ, CODES(codes_referral_status),
	 .dflt = "suggested"},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
	{F("score", "匹配分", "score", TZ_T_INT), .min = 0, .max = 1000},
	{F("outcome_date", "结果日期", "outcome date", TZ_T_DATE)},
};

static const tz_field registration_fields[] = {
	{F("person", "人员", "person", TZ_T_REF), REQ, .ref = "person"},
	{F("kind", "登记类型", "kind", TZ_T_ENUM), REQ, CODES(codes_reg_kind)},
	{F("date", "登记日期", "date", TZ_T_DATE), REQ},
	{F("form", "就业形式", "form", TZ_T_ENUM), CODES(codes_reg_form)},
	{F("employer", "就业单位", "employer", TZ_T_TEXT), LEN(100)},
	{F("reason", "原因", "reason", TZ_T_TEXT), LEN(200)},
	{F("cancelled", "注销日期", "cancelled", TZ_T_DATE)},
	{F("cancel_reason", "注销原因", "cancel reason", TZ_T_TEXT), LEN(200)},
	{F("certificate_no", "就业创业证号", "certificate number", TZ_T_TEXT), LEN(16)},
};

static const tz_field staff_fields[] = {
	{F("name", "姓名", "name", TZ_T_TEXT), REQ, LEN(30)},
	{F("role", "岗位", "role", TZ_T_ENUM), CODES(codes_staff_role), .dflt = "village"},
	{F("phone", "电话", "phone", TZ_T_PHONE)},
	{F("certificate", "证书", "certificate", TZ_T_TEXT), LEN(60)},
	{F("certificate_expiry", "证书有效期", "certificate expiry", TZ_T_DATE)},
	{F("status", "在岗状态", "status", TZ_T_ENUM), CODES(tz_schema_codes_staff_status),
	 .dflt = "fulltime"},
	{F("region", "所属区划", "region code", TZ_T_REGION)},
};

static const tz_field event_fields[] = {
	{F("name", "活动名称", "name", TZ_T_TEXT), REQ, LEN(60)},
	{F("kind", "活动类别", "kind", TZ_T_ENUM), REQ, CODES(codes_event_kind), .dflt = "job_fair"},
	{F("start", "开始日期", "start", TZ_T_DATE), REQ},
	{F("end", "结束日期", "end", TZ_T_DATE)},
	{F("place", "地点", "place", TZ_T_TEXT), LEN(120)},
	{F("organiser", "主办单位", "organiser", TZ_T_TEXT), LEN(60)},
	{F("region", "所属区划", "region code", TZ_T_REGION)},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
};

static const tz_field event_offer_fields[] = {
	{F("event", "活动", "event", TZ_T_REF), REQ, .ref = "event"},
	{F("employer", "参会单位", "employer", TZ_T_REF), REQ, .ref = "employer"},
	{F("vacancy", "岗位", "vacancy", TZ_T_REF), .ref = "vacancy"},
	{F("booth", "展位", "booth", TZ_T_TEXT), LEN(20)},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
};

static const tz_field attendance_fields[] = {
	{F("event", "活动", "event", TZ_T_REF), REQ, .ref = "event"},
	{F("person", "人员", "person", TZ_T_REF), REQ, .ref = "person"},
	{F("date", "签到日期", "date", TZ_T_DATE), REQ},
	{F("time", "签到时间", "time", TZ_T_TEXT), LEN(5)},
	{F("intention", "达成意向岗位", "intention (vacancy)", TZ_T_REF), .ref = "vacancy"},
	{F("referral", "推荐记录", "referral", TZ_T_REF), .ref = "referral"},
	{F("staff", "经办人", "staff", TZ_T_TEXT), LEN(30)},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
};

static const tz_field complaint_fields[] = {
	{F("kind", "类别", "kind", TZ_T_ENUM), REQ, CODES(codes_complaint_kind),
	 .dflt = "complaint"},
	{F("complainant", "投诉人", "complainant", TZ_T_TEXT), REQ, LEN(30)},
	{F("person", "人员", "person", TZ_T_REF), .ref = "person"},
	{F("phone", "电话", "phone", TZ_T_PHONE)},
	{F("received", "受理日期", "received", TZ_T_DATE), REQ},
	{F("received_by", "首问责任人", "received by", TZ_T_REF), REQ, .ref = "staff"},
	{F("channel", "渠道", "channel", TZ_T_ENUM), CODES(codes_complaint_channel),
	 .dflt = "visit"},
	{F("subject", "内容", "contents", TZ_T_TEXT), .flags = TZ_F_REQUIRED | TZ_F_MULTILINE,
	 LEN(2000)},
	{F("deadline", "办结时限", "deadline", TZ_T_DATE)},
	{F("actions", "处理经过", "actions", TZ_T_TEXT), ML, LEN(4000)},
	{F("resolution", "处理结果", "resolution", TZ_T_TEXT), ML, LEN(2000)},
	{F("status", "状态", "status", TZ_T_ENUM), REQ, CODES(codes_complaint_status),
	 .dflt = "open"},
	{F("resolved", "办结日期", "resolved", TZ_T_DATE)},
	{F("satisfaction", "满意度", "satisfaction", TZ_T_INT), .min = 1, .max = 5},
	{F("region", "所属区划", "region code", TZ_T_REGION)},
};

static const tz_field staff_cert_fields[] = {
	{F("staff", "工作人员", "staff", TZ_T_REF), REQ, .ref = "staff"},
	{F("name", "证书名称", "certificate", TZ_T_TEXT), REQ, LEN(60)},
	{F("number", "证书编号", "number", TZ_T_TEXT), LEN(40)},
	{F("issuer", "发证机关", "issuer", TZ_T_TEXT), LEN(60)},
	{F("issued", "发证日期", "issued", TZ_T_DATE)},
	{F("expiry", "有效期至", "expiry", TZ_T_DATE)},
};

static const tz_field training_fields[] = {
	{F("staff", "工作人员", "staff", TZ_T_REF), REQ, .ref = "staff"},
	{F("date", "培训日期", "date", TZ_T_DATE), REQ},
	{F("topic", "培训内容", "topic", TZ_T_TEXT), REQ, LEN(100)},
	{F("hours", "学时", "hours", TZ_T_INT), .min = 0, .max = 1000},
	{F("organiser", "培训机构", "organiser", TZ_T_TEXT), LEN(60)},
	{F("certificate", "取得证书", "certificate obtained", TZ_T_TEXT), LEN(60)},
};

static const tz_field staff_filing_fields[] = {
	{F("staff", "工作人员", "staff", TZ_T_REF), REQ, .ref = "staff"},
	{F("year", "年度", "year", TZ_T_INT), REQ, .min = 2000, .max = 2100},
	{F("date", "备案日期", "date", TZ_T_DATE)},
	{F("result", "年检结果", "result", TZ_T_ENUM), REQ, CODES(codes_filing_result),
	 .dflt = "pending"},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
};

static const tz_field platform_fields[] = {
	{F("region", "区划代码", "region code", TZ_T_REGION), REQ},
	{F("name", "平台名称", "name", TZ_T_TEXT), REQ, LEN(60)},
	{F("level", "层级", "level", TZ_T_ENUM), REQ, CODES(tz_schema_codes_platform_level)},
	{F("staff_count", "配备人数", "staff (declared)", TZ_T_INT), .min = 0, .max = 1000},
	{F("space_m2", "场地面积(平方米)", "space (m2)", TZ_T_INT), .min = 0, .max = 100000},
	{F("office", "独立办公场所", "office", TZ_T_BOOL)},
	{F("computer", "电脑", "computer", TZ_T_BOOL)},
	{F("network", "网络", "network", TZ_T_BOOL)},
	{F("archive", "档案存放设施", "archive storage", TZ_T_BOOL)},
	{F("notice_board", "信息公开栏", "notice board", TZ_T_BOOL)},
	{F("phone", "电话", "phone", TZ_T_PHONE)},
	{F("address", "地址", "address", TZ_T_TEXT), LEN(120)},
	{F("note", "备注", "note", TZ_T_TEXT), ML, LEN(2000)},
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TABLE(var, n, z, e, f) static const tz_table var = {n, z, e, f, N(f)}

TABLE(t_household, "household", "户", "household", household_fields);
TABLE(t_person, "person", "人员", "person", person_fields);
TABLE(t_visit, "visit", "走访", "visit", visit_fields);
TABLE(t_aid_case, "aid_case", "援助案例", "aid case", aid_case_fields);
TABLE(t_aid_action, "aid_action", "援助措施", "aid action", aid_action_fields);
TABLE(t_employer, "employer", "用人单位", "employer", employer_fields);
TABLE(t_vacancy, "vacancy", "岗位", "vacancy", vacancy_fields);
TABLE(t_referral, "referral", "推荐", "referral", referral_fields);
TABLE(t_registration, "registration", "就业失业登记", "registration", registration_fields);
TABLE(t_staff, "staff", "工作人员", "staff", staff_fields);
TABLE(t_event, "event", "招聘活动", "event", event_fields);
TABLE(t_event_offer, "event_offer", "参会单位岗位", "event offer", event_offer_fields);
TABLE(t_attendance, "attendance", "活动签到", "attendance", attendance_fields);
TABLE(t_complaint, "complaint", "投诉咨询", "complaint", complaint_fields);
TABLE(t_staff_cert, "staff_cert", "工作人员证书", "staff certificate", staff_cert_fields);
TABLE(t_training, "training", "培训记录", "training", training_fields);
TABLE(t_staff_filing, "staff_filing", "年检备案", "annual filing", staff_filing_fields);
TABLE(t_platform, "platform", "服务平台", "platform", platform_fields);

/* Bundle index order: append only. */
const tz_table *const tz_schema_tables[] = {
	&t_household, &t_person, &t_visit, &t_aid_case, &t_aid_action,
	&t_employer, &t_vacancy, &t_referral, &t_registration, &t_staff,
	&t_event, &t_event_offer, &t_attendance, &t_complaint, &t_staff_cert, &t_training,
	&t_staff_filing, &t_platform,
};
const int tz_schema_ntables = N(tz_schema_tables);

const tz_table *tz_schema_table_find(const char *name)
{
	for (int i = 0; i < tz_schema_ntables; i++)
		if (strcmp(tz_schema_tables[i]->name, name) == 0 || strcmp(tz_schema_tables[i]->zh, name) == 0 ||
		    strcasecmp(tz_schema_tables[i]->en, name) == 0)
			return tz_schema_tables[i];
	return NULL;
}

int tz_schema_table_index(const tz_table *t)
{
	for (int i = 0; i < tz_schema_ntables; i++)
		if (tz_schema_tables[i] == t)
			return i;
	return -1;
}

int tz_schema_field_find(const tz_table *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return i;
	for (int i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].zh, name) == 0 || strcasecmp(t->fields[i].en, name) == 0)
			return i;
	return -1;
}

/* Other names of codes, as rosters write them: the short and sub-level
 * forms of the national code tables (GB/T 2261.1 gender, GB/T 4658
 * education, GB/T 4761 family relation) and everyday usage.  Matched after
 * the code and its labels. */
static const struct {
	const tz_code *codes;
	const char *code;
	const char *aka; /* '|'-separated */
} code_aka[] = {
	{tz_schema_codes_gender, "M", "男性|男士|1"},
	{tz_schema_codes_gender, "F", "女性|女士|2"},
	{tz_schema_codes_education, "10", "研究生及以上|硕士|博士|硕士研究生|博士研究生|研究生教育"},
	{tz_schema_codes_education, "20", "本科|大学|大本|学士|本科及以上"},
	{tz_schema_codes_education, "30", "大专|专科|高职|高职高专|大学专科及以上"},
	{tz_schema_codes_education, "40", "中专|中技|技校|职高|中职|中专/职高|中等专科|中等职业教育|技工学校|职业高中|中专中技"},
	{tz_schema_codes_education, "60", "高中|高中及以下|普高|高级中学"},
	{tz_schema_codes_education, "70", "初中及以下|初级中学|初小"},
	{tz_schema_codes_education, "80", "小学及以下|小学以下"},
	{tz_schema_codes_education, "95", "文盲|半文盲|文盲或半文盲|文盲半文盲|不识字|无学历|未上学|学龄前"},
	{codes_relation, "head", "本人|户主本人"},
	{codes_relation, "spouse", "妻|妻子|夫|丈夫|之妻|之夫|爱人|老伴"},
	{codes_relation, "child", "子|儿子|女|女儿|长子|次子|三子|四子|五子|长女|次女|三女|四女|五女|独生子|独生女|养子|养女|继子|继女|之子|之女|儿女|其他儿子|其他女儿"},
	{codes_relation, "parent", "父亲|母亲|父|母|父子|母子|公公|婆婆|岳父|岳母|继父|继母|养父|养母"},
	{codes_relation, "grandchild", "孙子|孙女|外孙|外孙子|外孙女|孙|曾孙|曾孙子|曾孙女"},
	{codes_relation, "sibling", "兄|弟|姐|妹|哥哥|弟弟|姐姐|妹妹|兄弟|姐妹"},
	{codes_relation, "in_law", "儿媳|女婿|媳妇|儿媳妇|之媳"},
	{codes_relation, "other", "祖父|祖母|外祖父|外祖母|爷爷|奶奶|嫂|嫂子|弟媳|姐夫|妹夫|侄子|侄女|外甥|外甥女|孙媳|孙女婿|其他亲属|非亲属"},
	{tz_schema_codes_employment, "local", "本地务工|就地就业|就近就业|在家务农|务农|本地|乡内务工|县内务工|在本地"},
	{tz_schema_codes_employment, "migrant", "务工|外出|外出打工|打工|县外务工|省外务工|省内务工|外地务工|外出就业|转移就业"},
	{tz_schema_codes_employment, "flexible", "零工|打零工|灵活|临时工"},
	{tz_schema_codes_employment, "business", "创业|个体|个体经营|个体户|自营|自主经营"},
	{tz_schema_codes_employment, "public_post", "公益岗|公益岗位|公益性岗位安置"},
	{tz_schema_codes_employment, "unemployed", "未就业|待业|无业|失业人员|登记失业|失业登记"},
	{tz_schema_codes_employment, "student", "学生|在校生|在读|上学|就学"},
	{tz_schema_codes_employment, "retired", "离退休|已退休|离休"},
	{tz_schema_codes_employment, "unable", "丧失劳动能力|无劳力"},
	{tz_schema_codes_employment, "military", "参军|现役军人|当兵|服役"},
	{tz_schema_codes_key_groups, "zero_emp", "零就业|零就业户"},
	{tz_schema_codes_key_groups, "disabled", "残疾|残疾人员|残疾人士"},
	{tz_schema_codes_key_groups, "age4050", "4050|4050人员|大龄|大龄人员|大龄失业人员"},
	{tz_schema_codes_key_groups, "long_unemp", "长期失业人员|长期失业者"},
	{tz_schema_codes_key_groups, "dibao", "低保户|低保对象|低保家庭|低保人员"},
	{tz_schema_codes_key_groups, "poverty", "脱贫户|脱贫人口|监测户|监测对象|脱贫劳动力|建档立卡"},
	{tz_schema_codes_key_groups, "landless", "失地|被征地农民|失地人员"},
	{tz_schema_codes_key_groups, "returnee", "返乡|返乡人员|返乡农民工人员"},
	{tz_schema_codes_key_groups, "graduate", "大学毕业生|毕业生|未就业高校毕业生"},
	{tz_schema_codes_key_groups, "veteran", "退役|退伍军人|退伍|退役士兵"},
	{codes_household_flags, "dibao", "低保|低保家庭"},
	{codes_household_flags, "tuopin", "脱贫|脱贫家庭|建档立卡户"},
	{codes_household_flags, "monitored", "监测户|防返贫监测户"},
	{codes_household_flags, "zero_emp", "零就业|零就业户"},
	{codes_hukou, "agri", "农业|农村|农村户口|农业户籍|农业户"},
	{codes_hukou, "nonagri", "非农业|非农|城镇|城镇户口|居民户口|非农户口"},
	{tz_schema_codes_work_ability, "full", "完全|有劳动能力|健康|正常|全劳动力|全劳力"},
	{tz_schema_codes_work_ability, "partial", "部分|半劳动力|弱劳动力|半劳力|弱劳力"},
	{tz_schema_codes_work_ability, "none", "无|丧失劳动能力|无劳力"},
	{codes_disability_level, "1", "1级|一|残疾一级"},
	{codes_disability_level, "2", "2级|二|残疾二级"},
	{codes_disability_level, "3", "3级|三|残疾三级"},
	{codes_disability_level, "4", "4级|四|残疾四级"},
};

static int aka_has(const char *list, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = list; p; p = strchr(p, '|'), p = p ? p + 1 : NULL) {
		size_t k = strcspn(p, "|");
		if (k == n && !memcmp(p, s, n))
			return 1;
	}
	return 0;
}

int tz_schema_aka_has(const char *list, const char *s) { return list && *s && aka_has(list, s); }

static const tz_code *code_exact(const tz_code *codes, const char *code)
{
	for (const tz_code *c = codes; c->code; c++)
		if (strcmp(c->code, code) == 0)
			return c;
	return NULL;
}

/* A two-digit sub-level of GB/T 4658 (21 = bachelor, graduated) or GB/T
 * 4761 (22 = eldest son) to the level kept here. */
static const tz_code *code_national(const tz_code *codes, const char *s)
{
	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && !s[2]))
		return NULL;
	int n = (s[0] - '0') * 10 + (s[1] - '0');
	if (codes == tz_schema_codes_education) {
		char tens[3] = {s[0], '0', '\0'};
		return n >= 10 ? code_exact(codes, tens) : NULL;
	}
	if (codes == codes_relation) {
		const char *c = n <= 2 ? "head" : n < 20 ? "spouse"
			      : n == 28 || n == 38 ? "in_law" : n < 40 ? "child"
			      : n < 50 ? "grandchild" : n < 60 ? "parent"
			      : n == 71 || n == 73 || n == 75 || n == 77 ? "sibling" : "other";
		return n ? code_exact(codes, c) : NULL;
	}
	return NULL;
}

const tz_code *tz_schema_code_find(const tz_code *codes, const char *s)
{
	if (!codes)
		return NULL;
	const tz_code *c = code_exact(codes, s);
	if (c)
		return c;
	for (c = codes; c->code; c++)
		if (strcmp(c->zh, s) == 0 || strcasecmp(c->en, s) == 0)
			return c;
	for (size_t i = 0; i < sizeof code_aka / sizeof code_aka[0]; i++)
		if (code_aka[i].codes == codes && aka_has(code_aka[i].aka, s))
			return code_exact(codes, code_aka[i].code);
	return code_national(codes, s);
}

const char *tz_schema_code_label(const tz_code *codes, const char *code)
{
	const tz_code *c = code ? tz_schema_code_find(codes, code) : NULL;
	return c ? tz_tr(c->en, c->zh) : code;
}

void tz_schema_value_label(const tz_field *f, const char *v, char *out, size_t n)
{
	if (!n)
		return;
	out[0] = '\0';
	if (!v)
		return;
	if (f->type == TZ_T_ENUM && f->codes) {
		snprintf(out, n, "%s", tz_schema_code_label(f->codes, v));
	} else if (f->type == TZ_T_SET && f->codes) {
		size_t k = 0;
		for (const char *p = v; *p && k + 1 < n;) {
			size_t len = strcspn(p, ",");
			char code[64];
			snprintf(code, sizeof code, "%.*s", (int)(len < 63 ? len : 63), p);
			int w = snprintf(out + k, n - k, "%s%s", k ? tz_tr(", ", "、") : "",
					 tz_schema_code_label(f->codes, code));
			k = w < 0 || (size_t)w >= n - k ? n - 1 : k + (size_t)w;
			p += len + (p[len] == ',');
		}
	} else if (f->type == TZ_T_BOOL) {
		snprintf(out, n, "%s", !strcmp(v, "1") ? tz_tr("yes", "是") : !strcmp(v, "0") ? tz_tr("no", "否") : v);
	} else {
		snprintf(out, n, "%s", v);
	}
}

int tz_schema_field_is_int(const tz_field *f)
{
	return f->type == TZ_T_INT || f->type == TZ_T_BOOL;
}
