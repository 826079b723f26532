/* strings.h - every string the full-screen program shows, in both
 * languages, from one table: X(id, english, chinese).  Function-key
 * labels fit 3 Chinese characters (6 columns). */
#ifndef TAIZHANG_TUI_STRINGS_H
#define TAIZHANG_TUI_STRINGS_H

#define TZ_STRINGS(X)                                                                   \
	X(S_APP, "taizhang", "台账")                                                     \
	X(S_HELP, "Help", "帮助")                                                        \
	X(S_SAVE, "Save", "保存")                                                        \
	X(S_NEW, "New", "新增")                                                          \
	X(S_EDIT, "Edit", "修改")                                                        \
	X(S_DELETE, "Delete", "删除")                                                    \
	X(S_SEARCH, "Find", "查找")                                                      \
	X(S_CHOOSE, "Choose", "选择")                                                    \
	X(S_VISIT, "Visit", "走访")                                                      \
	X(S_BACK, "Back", "返回")                                                        \
	X(S_QUIT, "Quit", "退出")                                                        \
	X(S_MEMBER, "Member", "成员")                                                    \
	X(S_HOME, "Home", "首页")                                                        \
	X(S_HOUSEHOLDS, "Households", "户列表")                                          \
	X(S_HOUSEHOLD, "Household", "户")                                                \
	X(S_PERSON, "Person", "人员")                                                    \
	X(S_MEMBERS, "Members", "家庭成员")                                              \
	X(S_VISITS, "Visits", "走访记录")                                                \
	X(S_LANG, "中文", "Eng")                                                         \
	X(S_K_FIND, "Find", "找户")                                                      \
	X(S_TOO_SMALL, "The terminal is too small: %dx%d, needs 80x24.",                 \
	  "终端窗口太小：%dx%d，至少需要 80x24。")                                        \
	X(S_TOO_SMALL2, "Enlarge the window, or press F10 to quit.",                     \
	  "请放大窗口，或按 F10 退出。")                                                  \
	X(S_SAVED, "Saved.", "已保存。")                                                 \
	X(S_DELETED, "Deleted.", "已删除。")                                             \
	X(S_DISCARD, "Discard the changes you typed?", "放弃已输入的内容？")             \
	X(S_HELP_EDIT_HOME, "  Ctrl-A   to the start of the field (also Home)",            \
	  "  Ctrl-A   移到本栏开头（也可按 Home）")                                         \
	X(S_HELP_EDIT_END, "  Ctrl-E   to the end of the field (also End)",                \
	  "  Ctrl-E   移到本栏末尾（也可按 End）")                                          \
	X(S_HELP_EDIT_KILL, "  Ctrl-K   delete to the end", "  Ctrl-K   删除光标后的内容")   \
	X(S_HELP_EDIT_START, "  Ctrl-U   delete to the start", "  Ctrl-U   删除光标前的内容") \
	X(S_HELP_EDIT_WORD, "  Ctrl-W   delete the word before the cursor",                \
	  "  Ctrl-W   删除光标前的一个词")                                                  \
	X(S_CONFIRM_DELETE_OF, "Delete %s \"%s\"? It is kept as deleted and can be seen in the dump.", \
	  "确定删除%s“%s”？删除会同步到乡镇。")                                          \
	X(S_YES_NO, "Y = yes, N = no", "Y 是，N 否")                                    \
	X(S_QUIT_Q, "Quit taizhang?", "退出台账？")                                      \
	X(S_TYPE_TO_SEARCH, "Type a name, pinyin initials (zs), ID digits or phone: ",    \
	  "输入姓名、拼音首字母(zs)、身份证号或电话：")                                   \
	X(S_NO_MATCH, "Nothing found.", "没有找到。")                                    \
	X(S_PICK_TYPE, "type part of it or its pinyin initials ",                        \
	  "输入其中几个字或拼音首字母 ")                                                   \
	X(S_PICK_EMPTY, "No records to choose from yet.", "还没有可选的记录。")          \
	X(S_PICK_CAPPED, "Only the first %d are listed: type to narrow the list.",      \
	  "只列出前 %d 条，请输入文字缩小范围。")                                          \
	X(S_HH_COUNT, "%ld households, %ld persons", "共 %ld 户，%ld 人")               \
	X(S_VILLAGE, "Village", "村")                                                    \
	X(S_ADDRESS, "Address", "住址")                                                  \
	X(S_HEAD, "Head", "户主")                                                        \
	X(S_PHONE, "Phone", "电话")                                                      \
	X(S_NAME, "Name", "姓名")                                                        \
	X(S_IDNUM, "ID number", "身份证号")                                              \
	X(S_STATUS, "Status", "状态")                                                    \
	X(S_DATE, "Date", "日期")                                                        \
	X(S_KIND, "Kind", "方式")                                                        \
	X(S_BY, "Staff", "走访人")                                                       \
	X(S_NOTES, "Findings", "情况")                                                   \
	X(S_COUNTS, "Records", "数据概况")                                               \
	X(S_NOT_EXPORTED, "Changes not yet exported: %llu", "尚未导出的变更：%llu 条")  \
	X(S_HELD_SHORT, "Confirmed held: %llu (%s)", "已确认收到：%llu 条（%s）")        \
	X(S_HELD_NONE, "Confirmed held: no receipt yet", "已确认收到：尚无回执")          \
	X(S_SILENT, "Sent nothing this month: %d of %d", "本月未报送：%d/%d 台设备")       \
	X(S_HELD, "%s holds your changes up to %llu (receipt of %s)",                      \
	  "%s 已确认收到本机至第 %llu 条变更（回执日期 %s）")                              \
	X(S_HELD_NOTHING, "No receipt yet: what you sent is kept until the level above signs for it", \
	  "尚无回执：已发出的数据包会保留，直到上级签收")                                 \
	X(S_R_RECEIPT, "receipt", "回执")                                                \
	X(S_R_RECEIPT_TEXT, "%s holds changes 1-%llu", "%s 已收到第 1-%llu 条变更")       \
	X(S_R_KEPT, "kept", "保留")                                                      \
	X(S_RECEIPTS_WRITTEN, "Exported %d file(s) and %d receipt(s) to %s.",             \
	  "已导出 %d 个文件和 %d 份回执到 %s。")                                           \
	X(S_CLOCK_WARN, "The PC's clock is behind the last recorded change: check the date!", \
	  "电脑时间早于最后一次记录的时间，请检查日期！")                                 \
	X(S_UNKNOWN_KEY, "That key does nothing here (F1: help).", "此处没有这个按键的功能（F1 帮助）。") \
	X(S_HELP_TITLE, "Keys on this screen", "本屏按键")                               \
	X(S_PRESS_ANY, "Press any key.", "按任意键继续。")                               \
	X(S_FIELD_ERR, "Check the highlighted field.", "请检查标亮的字段。")             \
	X(S_SELECT_ONE, "Choose (Enter; a letter jumps to it), Esc to cancel",            \
	  "选择（回车确认，按字母跳到该项，Esc 取消）")                                    \
	X(S_SELECT_TITLE, "Choose (Enter), several with Space, Esc to cancel",            \
	  "选择（回车确认，空格多选，Esc 取消）")                                          \
	X(S_NEW_HOUSEHOLD, "New household", "新增户")                                    \
	X(S_NEW_PERSON, "New member", "新增成员")                                        \
	X(S_NEW_VISIT, "Record a visit", "登记走访")                                     \
	X(S_EDIT_PERSON, "Person", "人员信息")                                           \
	X(S_EDIT_HOUSEHOLD, "Household", "户信息")                                       \
	X(S_K_CASES, "Cases", "援助")                                                    \
	X(S_K_ACTIONS, "Steps", "措施")                                                  \
	X(S_K_EMPLOYERS, "Firms", "单位")                                                \
	X(S_K_VACANCIES, "Jobs", "岗位")                                                 \
	X(S_K_STAFF, "Staff", "人员")                                                    \
	X(S_K_SYNC, "USB", "U盘")                                                        \
	X(S_K_EXPORT, "Export", "导出")                                                  \
	X(S_K_IMPORT, "Import", "导入")                                                  \
	X(S_K_PATH, "Path", "路径")                                                      \
	X(S_CASES, "Aid cases", "援助案例")                                              \
	X(S_ACTIONS, "Aid steps", "援助措施")                                            \
	X(S_EMPLOYERS, "Employers", "用人单位")                                          \
	X(S_VACANCIES, "Vacancies", "岗位")                                              \
	X(S_STAFF_LIST, "Staff", "工作人员")                                             \
	X(S_SYNC, "USB stick and keys", "U盘同步与密钥")                                 \
	X(S_FINGERPRINT, "This PC's key fingerprint: %s", "本机密钥指纹：%s")           \
	X(S_MEDIA, "Folders (a USB stick shows up here):", "文件夹（插入的U盘会显示在这里）：") \
	X(S_PASSPHRASE, "Passphrase: ", "口令：")                                        \
	X(S_TYPE_PATH, "Folder: ", "文件夹：")                                           \
	X(S_EXPORTED, "Exported %d file(s) to %s.", "已导出 %d 个文件到 %s。")          \
	X(S_NOTHING_NEW, "Nothing new to export.", "没有需要导出的新变更。")            \
	X(S_NO_BUNDLES, "No bundle files (*.tzb) in %s.", "%s 中没有数据包文件（*.tzb）。")   \
	X(S_IMPORTED, "Imported: %d applied, %d already present, %d refused.",            \
	  "导入完成：应用 %d 个，已有 %d 个，拒绝 %d 个。")                               \
	X(S_R_APPLIED, "applied", "已应用")                                              \
	X(S_R_PRESENT, "already present", "已存在")                                      \
	X(S_R_REFUSED, "refused", "已拒绝")                                              \
	X(S_R_FROM, "from %s: %zu new (changes %llu-%llu)", "来自 %s：新增 %zu 条（第 %llu-%llu 条）") \
	X(S_R_GAP, "; gap: earlier changes missing", "；有缺口：缺少更早的变更")            \
	X(S_R_CLOCK, "; %zu held: clock far ahead", "；%zu 条时间超前，暂扣")               \
	X(S_R_WAITING, "; %zu wait for records not here yet", "；%zu 条所改记录尚未收到")   \
	X(S_R_REVIEWS, "; %d to review (taizhang check)", "；%d 条待核查（taizhang check）") \
	X(S_R_HELD, "%zu outside its authority, held for review: %s",                    \
	  "%zu 条超出该设备权限，待核查：%s")                                             \
	X(S_ENC_TO, "%s  (encrypted to %s)", "%s（加密给：%s）")                          \
	X(S_PLAIN, "%s  (not encrypted)", "%s（未加密）")                                 \
	X(S_NO_FOLDER, "Choose or type a folder first.", "请先选择或输入文件夹。")       \
	X(S_K_PUSH, "Push", "推送")                                                      \
	X(S_K_PULL, "Pull", "拉取")                                                      \
	X(S_K_ROSTER, "Roster", "花名册") \
	X(S_ROSTER, "Import a roster", "导入花名册") \
	X(S_ROSTER_FILES, "CSV files in %s (in Excel: Save As, CSV):", "%s 中的 CSV 文件（Excel 中“另存为”CSV 格式）：") \
	X(S_ROSTER_NONE, "No CSV file in %s. In Excel: File, Save As, CSV UTF-8 (or CSV), onto the stick.", \
	  "%s 中没有 CSV 文件。请在 Excel 中：文件 > 另存为 > CSV UTF-8（或 CSV），保存到 U 盘。") \
	X(S_ROSTER_NAME, "File", "文件") \
	X(S_ROSTER_SIZE, "Size", "大小") \
	X(S_ROSTER_WHEN, "Saved", "保存时间") \
	X(S_ROSTER_FILE, "Roster of persons: %s", "人员花名册：%s") \
	X(S_ROSTER_ENC, "Encoding: %s (F2 switches)", "编码：%s（F2 切换）") \
	X(S_ROSTER_COLS, "%d columns: header, what it fills, first rows", "共 %d 列：表头、对应字段、前几行") \
	X(S_ROSTER_UNKNOWN, "? unknown (F4 leaves it out)", "？未识别（F4 不导入此列）") \
	X(S_ROSTER_NEAR, "? unknown: %s? (F3 yes, F4 leave out)", "？未识别：是“%s”吗？（F3 是，F4 不导入）") \
	X(S_ROSTER_TRY, "Trial import (nothing written yet):", "试导入（尚未写入）：") \
	X(S_ROSTER_WOULD, "%ld persons to add, %ld new households (%ld already there); %ld already registered (%ld the same, %ld differ).", \
	  "将新增 %ld 人，新建 %ld 户（已有户 %ld 户）；已登记 %ld 人（相同 %ld，不同 %ld）。") \
	X(S_ROSTER_BAD, "%ld lines to fix in the sheet first (then save it as CSV again); nothing is imported until then:", \
	  "有 %ld 行需先在表格中改正（改后重新另存为 CSV）；改正之前不导入任何内容：") \
	X(S_ROSTER_READY, "Enter imports them.", "按回车导入。") \
	X(S_ROSTER_DIFFER, "Nothing new; F5 applies the differences as edits.", "没有新增内容；F5 把不同之处作为修改写入。") \
	X(S_ROSTER_NOTHING, "Nothing new to import: every person is already registered.", "没有要导入的新内容：每个人都已登记。") \
	X(S_ROSTER_FIX_FIRST, "Fix the lines listed first: nothing was imported.", "请先改正所列各行：未导入任何内容。") \
	X(S_ROSTER_NO_UNKNOWN, "No unknown column for that.", "没有可这样处理的未识别列。") \
	X(S_ROSTER_ASK, "Import %ld persons and %ld new households?", "导入 %ld 人，新建 %ld 户？") \
	X(S_ROSTER_ASK_UPDATE, "Import %ld persons, %ld new households, and change %ld registered ones?", \
	  "导入 %ld 人、新建 %ld 户，并修改已登记的 %ld 人？") \
	X(S_ROSTER_DONE, "Imported %ld persons, %ld new households; %ld changed.", "已导入 %ld 人，新建 %ld 户；修改 %ld 人。") \
	X(S_K_ENC, "Encoding", "编码") \
	X(S_K_OPEN, "Open", "打开") \
	X(S_K_SUGGEST, "Take", "采用") \
	X(S_K_SKIPCOL, "Leave out", "不导入") \
	X(S_K_UPDATE, "Update", "更新") \
	X(S_SERVER, "Township server: %s", "乡镇服务器：%s")                              \
	X(S_NO_SERVER, "(not set: F8 or F9 asks for it)", "（未设置：按 F8 或 F9 时输入）") \
	X(S_SERVER_ASK, "Server address [%s]: ", "服务器地址 [%s]：")                    \
	X(S_PUSHED, "Pushed: %d applied, %d already there, %d refused.",                  \
	  "推送完成：应用 %d 个，服务器已有 %d 个，拒绝 %d 个。")                         \
	X(S_PULLED, "Pulled: %d applied, %d refused.", "拉取完成：应用 %d 个，拒绝 %d 个。") \
	X(S_HOME_MENU, "F3 households F4 employers F5 to do F6 USB F7 report F8 staff P platform", \
	  "F3 找户 F4 用人单位 F5 待办 F6 U盘 F7 报表 F8 工作人员 P 平台工作")              \
	X(S_K_DUE, "To do", "待办")                                                      \
	X(S_K_REPORT, "Report", "报表")                                                  \
	X(S_K_MATCH, "Match", "匹配")                                                    \
	X(S_K_REFER, "Refer", "推荐")                                                    \
	X(S_K_CSV, "Excel", "导出表")                                                    \
	X(S_K_PREV, "Prev", "上月")                                                      \
	X(S_K_NEXT, "Next", "下月")                                                      \
	X(S_DUE, "Due and overdue", "待办事项")                                          \
	X(S_DUE_SOON, "%s (%ld; %ld more soon)", "%s（%ld 项，另有 %ld 项即将到期）")      \
	X(S_REPORT, "Monthly report", "月度监测报表")                                    \
	X(S_MATCH, "Candidates", "匹配人选")                                             \
	X(S_OVERDUE, "Overdue", "逾期天")                                                \
	X(S_WHAT, "What", "事项")                                                        \
	X(S_WHO, "Who", "对象")                                                          \
	X(S_WHY, "Why", "原因")                                                          \
	X(S_SCORE, "Score", "得分")                                                      \
	X(S_FLAGS, "Note", "标记")                                                       \
	X(S_REASONS, "Reasons", "理由")                                                  \
	X(S_REFERRED, "Referral recorded.", "已登记推荐。")                              \
	X(S_CSV_PATH, "Save as (.xlsx or .csv): ", "保存为（.xlsx 或 .csv）：")          \
	X(S_CSV_SAVED, "Saved %s.", "已保存 %s。")                                       \
	X(S_DRAFT_FOUND, "An unsaved form was found (power cut?). Restore it?",           \
	  "发现未保存的表单（可能曾断电），是否恢复？") \
	X(S_K_SETUP, "Setup", "设置") \
	X(S_SETTINGS, "Settings", "设置") \
	X(S_LOGIN, "Sign in", "登录") \
	X(S_LOGIN_HELP, "Choose your name, press Enter and type your PIN.", "请选择本人姓名，按回车后输入 PIN。") \
	X(S_ROLE, "Role", "岗位") \
	X(S_PIN_ASK, "PIN for %s: ", "%s 的 PIN：") \
	X(S_PIN_WRONG, "Wrong PIN.", "PIN 错误。") \
	X(S_PIN_WAIT, "Three wrong PINs: wait 30 seconds.", "连续三次 PIN 错误，请等待 30 秒。") \
	X(S_WELCOME, "Signed in: %s", "已登录：%s") \
	X(S_K_PIN, "PIN", "设PIN") \
	X(S_PIN_NEW, "New PIN (4-12 digits): ", "新 PIN（4-12 位数字）：") \
	X(S_PIN_AGAIN, "The PIN again: ", "再次输入 PIN：") \
	X(S_PIN_MISMATCH, "The two PINs differ; nothing changed.", "两次输入的 PIN 不一致，未修改。") \
	X(S_PIN_SET, "PIN set for %s.", "已为 %s 设置 PIN。") \
	X(S_SETTING, "Setting", "设置项") \
	X(S_VALUE, "Value", "值") \
	X(S_MEANING, "Meaning", "说明") \
	X(S_LANG_ROW, "interface language (Enter switches zh/en)", "界面语言（回车切换中文/英文）") \
	X(S_PASS_ROW, "change the passphrase of this PC's key", "修改本机密钥口令") \
	X(S_NEW_VALUE, "New value for %s (empty: default): ", "%s 的新值（留空恢复默认）：") \
	X(S_DEFAULT_MARK, "%s (default)", "%s（默认）") \
	X(S_OLD_PASS, "Current passphrase: ", "当前口令：") \
	X(S_NEW_PASS, "New passphrase: ", "新口令：") \
	X(S_NEW_PASS2, "New passphrase again: ", "再次输入新口令：") \
	X(S_PASS_MISMATCH, "The two passphrases differ; nothing changed.", "两次输入的口令不一致，未修改。") \
	X(S_PASS_CHANGED, "Passphrase changed.", "口令已修改。") \
	X(S_K_KEYS, "Keys", "密钥环") \
	X(S_KEYRING, "Keyring: enrolled devices", "密钥环：已登记设备") \
	X(S_K_ENROL, "Enrol", "登记") \
	X(S_KEYFILE, "Public key file: ", "公钥文件：") \
	X(S_ROLE_ASK, "Role: village, township or county [%s]: ", "角色 village/township/county [%s]：") \
	X(S_REGION_ASK, "Region code [%s]: ", "区划代码 [%s]：") \
	X(S_FP_CHECK, "Fingerprint %s checked by phone?", "指纹 %s 已电话核对无误？") \
	X(S_ENROLLED, "Enrolled: %s", "已登记：%s") \
	X(S_REVOKED, "Revoked", "已吊销") \
	X(S_FPR, "Fingerprint", "指纹") \
	X(S_REGION, "Region", "区划") \
	X(S_KROLE, "Role", "角色") \
	X(S_KEYRING_EMPTY, "No device enrolled yet: F5 enrols a public key file.", "尚未登记任何设备：按 F5 登记公钥文件。") \
	X(S_BAD_ROLE, "Unknown role: village, township or county.", "未知角色：village、township 或 county。") \
	X(S_K_REFERRALS, "Refs", "推荐单") \
	X(S_REFERRALS, "Referrals", "推荐记录") \
	X(S_REFERRAL, "Referral and outcome", "推荐结果") \
	X(S_REFER_HOW, "Referrals are made from a vacancy's candidates (F7 on a vacancy).", \
	  "新的推荐请在岗位的匹配人选中登记（岗位列表按 F7）。") \
	X(S_K_CHART, "Chart", "图表") \
	X(S_CHART_EMP, "Employment by village at %s (persons)", "各村就业情况（截至 %s，人）") \
	X(S_CHART_LOCAL, "employed local", "本地就业") \
	X(S_CHART_MIGRANT, "employed away", "外出务工") \
	X(S_CHART_UNEMP, "unemployed", "失业") \
	X(S_CHART_PLACED, "Placed in work by measure, %s (persons)", "%s 各项措施实现就业（人）") \
	X(S_CHART_REF, "referral", "职业介绍") \
	X(S_CHART_POST, "public post", "公益性岗位") \
	X(S_CHART_TRAIN, "training", "职业培训") \
	X(S_CHART_SUBSIDY, "subsidy", "补贴") \
	X(S_CHART_OTHER, "other", "其他") \
	X(S_CHART_TOTAL, "Total", "合计") \
	X(S_CHART_NONE, "No figures for this month.", "本月没有数据。") \
	X(S_K_PLATFORM, "Platform", "平台") \
	X(S_PLATFORM, "Platform work", "平台工作") \
	X(S_PF_EVENTS, "Job fairs and campaigns: offers, sign-in, intentions", \
	  "招聘活动：参会岗位、签到、现场意向") \
	X(S_PF_COMPLAINTS, "Complaints and enquiries (first-inquiry owner)", \
	  "投诉咨询（首问负责）") \
	X(S_PF_NOTICE, "Notice board: current vacancies, print as A4", \
	  "信息公开栏：当前岗位，A4 打印") \
	X(S_PF_PERF, "Staff performance for a month", "工作人员月度绩效") \
	X(S_PF_CHECK, "Platform checklist and full-employment indicators", \
	  "服务平台达标与充分就业指标") \
	X(S_PF_PLATFORMS, "Platform facilities (space, computer, notice board)", \
	  "服务平台设施（场地、电脑、公开栏）") \
	X(S_PF_CERTS, "Staff certificates", "工作人员证书") \
	X(S_PF_TRAINING, "Staff training", "工作人员培训记录") \
	X(S_PF_FILING, "Annual filing of staff", "工作人员年检备案") \
	X(S_PF_HINT, "Enter opens; the staff list (F8 on Home) has certificates F6, training F7, filing F2.", \
	  "回车打开；工作人员列表（首页 F8）中 F6 证书、F7 培训、F2 年检。") \
	X(S_EVENTS, "Job fairs and campaigns", "招聘活动") \
	X(S_COMPLAINTS, "Complaints and enquiries", "投诉咨询") \
	X(S_PLATFORMS, "Service platforms", "服务平台") \
	X(S_CERTS, "Certificates", "证书") \
	X(S_TRAINING, "Training", "培训记录") \
	X(S_FILING, "Annual filing", "年检备案") \
	X(S_K_EVENT, "Open", "活动") \
	X(S_K_CERTS, "Certs", "证书") \
	X(S_K_TRAINING, "Train", "培训") \
	X(S_K_FILING, "Filing", "年检") \
	X(S_K_CALLS, "Calls", "名单") \
	X(S_EVENT, "Job fair", "招聘活动") \
	X(S_K_SIGNIN, "Sign in", "签到") \
	X(S_K_INTENT, "Intent", "意向") \
	X(S_K_OFFER, "Add job", "加岗位") \
	X(S_K_VIEW, "Switch", "切换") \
	X(S_K_SUMMARY, "Summary", "小结") \
	X(S_EV_OFFERS, "Vacancies offered (F6: sign-ins)", "参会岗位（F6 看签到）") \
	X(S_EV_SIGNINS, "Signed in (F6: vacancies)", "已签到人员（F6 看岗位）") \
	X(S_EV_FIGURES, "%ld signed in (%ld difficulty), %ld employers, %ld jobs, %ld wanted, %ld intent, %ld hired", \
	  "签到 %ld 人（困难 %ld），单位 %ld，岗位 %ld，招 %ld 人，意向 %ld，录用 %ld") \
	X(S_EV_IDNUM, "ID number of the person signing in: ", "签到人员身份证号：") \
	X(S_EV_SIGNED, "Signed in: %s.", "已签到：%s。") \
	X(S_EV_SIGNED_INTENT, "Signed in: %s, intention for %s recorded as a referral.", \
	  "已签到：%s，意向岗位“%s”已登记为推荐。") \
	X(S_EV_PICK_OFFER, "Choose a vacancy in the list first (F6 shows the vacancies).", \
	  "请先在岗位列表中选中一个岗位（F6 切换到岗位）。") \
	X(S_EV_PICK, "Vacancies valid today: Enter adds the selected one to the fair", \
	  "今日有效岗位：回车把选中的岗位加入本次活动") \
	X(S_EV_ADDED, "Added to the fair.", "已加入本次活动。") \
	X(S_COL_TIME, "Time", "时间") \
	X(S_COL_NAME, "Name", "姓名") \
	X(S_COL_INTENT, "Intention", "意向岗位") \
	X(S_COL_EMPLOYER, "Employer", "单位") \
	X(S_COL_TITLE, "Vacancy", "岗位") \
	X(S_COL_LEFT, "Wanted", "人数") \
	X(S_NOTICE, "Notice board", "信息公开栏") \
	X(S_K_HTML, "A4 page", "A4页") \
	X(S_HTML_PATH, "Save the A4 page (HTML) as: ", "A4 页面（HTML）保存为：") \
	X(S_HTML_SAVED, "Saved %s: open it in a browser and print (File, Print).", \
	  "已保存 %s：用浏览器打开后打印（文件→打印）。") \
	X(S_CALLS, "Call list (personal data)", "电话联系名单（含个人信息）") \
	X(S_PERF, "Staff performance", "工作人员绩效") \
	X(S_CHECKLIST, "Platform checklist", "服务平台达标情况") \
	X(S_SUMMARY, "Event summary", "活动小结") \
	X(S_YES, "yes", "是") \
	X(S_NO, "no", "否") \
	X(S_SEX, "Sex", "性别") \
	X(S_KEY_GROUPS, "Key groups", "重点群体") \
	X(S_HEAD_MEMBER, "%s (%s)", "%s（%s）") \
	X(S_FIELD_PROMPT, "%s: %s", "%s：%s") \
	X(S_NO_MEMORY, "out of memory", "内存不足") \
	X(S_NO_SCRIPT, "taizhang: cannot read %s", "taizhang: 无法读取 %s") \
	X(S_NO_TEST_TERM, "taizhang: cannot start the test terminal", "taizhang: 无法启动测试终端") \
	X(S_NO_TERM, "taizhang: cannot start the terminal", "taizhang: 无法启动终端")

enum {
#define TZ_S(id, en, zh) id,
	TZ_STRINGS(TZ_S)
#undef TZ_S
	S_COUNT
};

/* The string in the current language (tui/ui.c).  S() is its short
 * spelling, like gettext's _(): it is on nearly every line that draws (some
 * 150 calls), where the S_* id already says what it is. */
const char *tz_ui_str(int id);
#define S(id) tz_ui_str(id)

#endif
