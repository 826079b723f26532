/* commands.h - the command table: X(name, function, synopsis, en, zh).
 * Each command lives in cli/cmd_*.c as `int cmd_<function>(tz_cli *, int, char **)`. */
#ifndef TAIZHANG_COMMANDS_H
#define TAIZHANG_COMMANDS_H

#include "cli.h"

#define TZ_COMMANDS(X)                                                                        \
	X("init", init, "init --role village|township|county --region CODE --name NAME",     \
	  "create the database and this device's signing key", "创建数据库和本机签名密钥")      \
	X("demo", demo, "demo [--seed N] [--villages N] [--households N] [--region CODE]",      \
	  "fill the database with realistic synthetic data", "生成演示数据")                   \
	X("record", record, "record add|set|del|get|list TABLE ...",                          \
	  "add, change, delete, show and list records", "增加、修改、删除、查看、列出记录")   \
	X("import-csv", import_csv, "import-csv TABLE FILE [--encoding utf-8|gb18030]",       \
	  "import a roster from a CSV file, all or nothing", "从 CSV 文件导入花名册（全部或不导入）") \
	X("dump", dump, "dump", "print the whole replicated state, canonical",                \
	  "按规范格式输出全部数据")                                                           \
	X("check", check, "check", "integrity report", "完整性检查")                                \
	X("due", due, "due [--date DATE] [--format tsv|text] [--kind KIND,...] [--region CODE]", \
	  "follow-ups and visits due or overdue", "到期和逾期的走访与跟踪")                       \
	X("match", match, "match vacancy|person ID [--limit N] [--date DATE]",                   \
	  "ranked candidates with the reasons for each score", "人岗匹配：按得分排序并说明理由")  \
	X("setting", setting, "setting list | get KEY | set KEY VALUE | unset KEY",              \
	  "local policy settings: intervals and weights", "本地政策设置：期限和权重")             \
	X("search", search, "search TEXT [--limit N]",                                          \
	  "persons and households by name, pinyin initials, ID number or phone",                \
	  "按姓名、拼音首字母、身份证号或电话查找人员和户")                                     \
	X("report", report, "report monthly|staff|platform|sync --period YYYY-MM [--format text|csv]", \
	  "the monthly monitoring report, staff performance, the platform checklist, who has sent what", \
	  "就业动态监测月报、工作人员绩效、服务平台达标情况、数据报送情况")                                   \
	X("key", key, "key show | key export-public FILE",                                    \
	  "this device's key fingerprint; write its public key", "本机密钥指纹；导出本机公钥")   \
	X("keyring", keyring, "keyring add|list|revoke|export ...",                           \
	  "trusted keys of other devices", "其他设备的可信密钥")                               \
	X("export", export, "export --out DIR [--max-mb N] [--forward]",                     \
	  "write this device's new changes as signed bundles", "把本机新变更写成签名数据包")  \
	X("import", import, "import FILE|DIR...", "verify and merge bundles",                 \
	  "校验并合并数据包")                                                                 \
	X("serve", serve, "serve --listen ADDR:PORT [--spool DIR] [--log FILE] [--max-mb N] ...",  \
	  "township/county: take bundles over HTTP, serve downward ones",                     \
	  "乡镇/县：通过网络接收数据包并提供下发数据包")                                      \
	X("push", push, "push [--to URL] [--max-mb N] [--retries N]",                          \
	  "send new changes (and forwarded bundles) to the server",                           \
	  "把新变更（及转发的数据包）发送到服务器")                                           \
	X("pull", pull, "pull [--from URL] [--retries N]",                                     \
	  "fetch and import the bundles the server has for this PC",                          \
	  "从服务器获取并导入下发的数据包")                                                   \
	X("verify", verify, "verify [--keyring FILE] FILE|DIR...",                            \
	  "auditor's check of bundles and chains", "审计：核验数据包签名和链")                 \
	X("status", status, "status", "what this database is and holds", "本数据库概况")     \
	X("schema", schema, "schema [TABLE] [--markdown]", "the tables, fields and codes",       \
	  "数据表、字段和代码表")                                                               \
	X("event", event,                                                                        \
	  "event summary EVENT | event signin EVENT --id-number N|--person ID"                 \
	  " [--intention VACANCY] [--date DATE] [--time HH:MM] [--staff NAME]",                  \
	  "job fairs and campaigns: sign-in with intentions, summary",                          \
	  "招聘活动：签到、现场意向、活动小结")                                                 \
	X("notice", notice, "notice [--format text|html] [--out FILE] [--date DATE]",            \
	  "current vacancies for the notice board (A4, large type)",                            \
	  "村信息公开栏招聘信息（A4 大字）")                                                    \
	X("calllist", calllist, "calllist VACANCY [--limit N] [--date DATE]",                    \
	  "names and phone numbers of matching job seekers (personal data)",                    \
	  "岗位电话联系名单（含个人信息）")

#define TZ_X(name, fn, syn, en, zh) int cmd_##fn(tz_cli *c, int argc, char **argv);
TZ_COMMANDS(TZ_X)
#undef TZ_X

#endif
