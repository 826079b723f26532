/* commands.h - the command table: X(name, function, synopsis, en, zh).
 * Each command lives in tui/cmd_*.c as `int cmd_<function>(tz_cli *, int, char **)`. */
#ifndef TAIZHANG_COMMANDS_H
#define TAIZHANG_COMMANDS_H

#include "tui/cli.h"

#define TZ_COMMANDS(X)                                                                        \
	X("init", init, "init --role village|township|county --region CODE --name NAME",     \
	  "create the database and this device's signing key", "创建数据库和本机签名密钥")      \
	X("record", record, "record add|set|del|get|list TABLE ...",                          \
	  "add, change, delete, show and list records", "增加、修改、删除、查看、列出记录")   \
	X("dump", dump, "dump", "print the whole replicated state, canonical",                \
	  "按规范格式输出全部数据")                                                           \
	X("check", check, "check", "integrity report", "完整性检查")

#define TZ_X(name, fn, syn, en, zh) int cmd_##fn(tz_cli *c, int argc, char **argv);
TZ_COMMANDS(TZ_X)
#undef TZ_X

#endif
