# taizhang - plain Makefile.  See README.md.
#   make          build build/taizhang
#   make run      install missing packages, build, open the TUI on a demo database
#   make test     install missing packages, build, run the whole suite
#   make asan     the same suite under AddressSanitizer + UBSan (build-asan/)
#   make test-office  only the LibreOffice round trip of the CSV and xlsx files
#                 (tests/cli/spreadsheet.sh; make test runs it too)
#   make bench    benchmarks against baselines, township and county (docs/performance.md)
#   make bench-quick  the same at township scale only
#   make layers   build the objects, then check the layers (tools/layers.sh: calls go down only,
#                 libraries by layer, internal headers stay in their folder, one naming rule);
#                 make test runs it too, on its own build (tests/cli/check_layers.sh)
#   make release  build-release/taizhang: the program without the test hooks
#   make install  PREFIX=/usr/local DESTDIR= (installs build-release/taizhang)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config
B       ?= build

CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wundef -Wvla -Werror
# -Iinclude only: a module's internal headers are found beside its files
# ("internal.h" from core/), so no other folder can reach them; tests are
# white-box and add -I.
CPPFLAGS += -Iinclude -D_GNU_SOURCE -DSQLITE_OMIT_DEPRECATED
# The test hooks (TAIZHANG_NOW fixes the clock, TAIZHANG_TUI_SCRIPT drives
# the full-screen program from a file) are in the builds the suite runs
# (build/, build-asan/); `make release` and `make install` build
# build-release/ without them, so the installed program always reads the
# PC's own clock and terminal.
HOOKS ?= 1
ifeq ($(HOOKS),1)
CPPFLAGS += -DTZ_TEST_HOOKS
endif

pc = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null || echo $(3))
LIB_CFLAGS := $(call pc,--cflags,sqlite3 zlib libsodium libmicrohttpd libcurl xlsxwriter,)
# libcurl and libmicrohttpd: headers only; sync/net_lib.c loads them when a
# network command runs (they and their dependencies slowed every start-up)
LIB_LIBS   := $(call pc,--libs,sqlite3 zlib libsodium,-lsqlite3 -lz -lsodium) -ldl -lpthread
TUI_CFLAGS := $(call pc,--cflags,ncursesw,-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600)
TUI_LIBS   := $(call pc,--libs,ncursesw,-lncursesw -ltinfo)

ALL_CFLAGS = -std=c11 $(WARN) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS)

BASE_SRC := $(sort $(wildcard base/*.c))
LIB_SRC  := $(BASE_SRC) $(sort $(wildcard core/*.c sync/*.c))
TUI_SRC  := $(sort $(wildcard tui/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
BASE_OBJ := $(BASE_SRC:%.c=$(B)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
# the TUI's pure parts (no curses) are unit-tested too
TUI_PURE := $(B)/tui/text.o $(B)/tui/edit.o
# every object of the layer folders, lowest first (tools/layers.sh has their ranks)
LAYER_OBJ := $(patsubst %.c,$(B)/%.o,$(sort $(wildcard $(addsuffix /*.c,base core sync tui cli))))

.PHONY: all run test test-office check asan deps deps-test install uninstall clean bench bench-quick demo layers release
all: $(B)/taizhang

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/tui/%.o: tui/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TUI_CFLAGS) -MMD -MP -c $< -o $@

# the leaf library alone: libc only, no SQLite, no curses (tests link a
# program against it and nothing else)
$(B)/libtzbase.a: $(BASE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libtaizhang.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/taizhang: $(CLI_OBJ) $(TUI_OBJ) $(B)/libtaizhang.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(TUI_OBJ) $(B)/libtaizhang.a $(TUI_LIBS) $(LIB_LIBS) -lm

$(B)/tests/%: tests/unit/%.c tests/unit/tz_test.h $(B)/libtaizhang.a $(TUI_PURE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I. -Itests/unit -MMD -MP $(LDFLAGS) -o $@ $< $(TUI_PURE) $(B)/libtaizhang.a $(LIB_LIBS) -lm

# the leaf library's test links it alone: no SQLite, no curses, no libsodium
$(B)/tests/test_base: tests/unit/test_base.c tests/unit/tz_test.h $(B)/libtzbase.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I. -Itests/unit -MMD -MP $(LDFLAGS) -o $@ $< $(B)/libtzbase.a

layers: $(LAYER_OBJ)
	@sh tools/layers.sh $(B) .

deps:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test

DEMO_DB ?= $(B)/demo.db
run: deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo-db.sh $(B)/taizhang $(DEMO_DB)
	TAIZHANG_PASSPHRASE=demo ./$(B)/taizhang --db $(DEMO_DB)

test: deps-test
	@$(MAKE) --no-print-directory $(B)/taizhang $(TESTS)
	@$(MAKE) --no-print-directory release
	@sh tests/run.sh $(B)
check: test

test-office: deps-test
	@$(MAKE) --no-print-directory $(B)/taizhang
	@sh tests/run.sh $(B) spreadsheet

asan: deps-test
	@$(MAKE) --no-print-directory B=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" test

# benchmarks (docs/performance.md): one table of figures against baselines
bench: deps-test
	@$(MAKE) --no-print-directory all
	@sh bench/bench.sh $(B)
bench-quick: deps-test
	@$(MAKE) --no-print-directory all
	@BENCH_SCALES=township BENCH_TUI_RUNS=3 sh bench/bench.sh $(B)

RELEASE_CFLAGS ?= -O2 -g
release:
	@$(MAKE) --no-print-directory B=build-release HOOKS=0 CFLAGS="$(RELEASE_CFLAGS)" LDFLAGS= \
	  build-release/taizhang

install: release
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 build-release/taizhang $(DESTDIR)$(BINDIR)/taizhang
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/taizhang

clean:
	rm -rf build build-asan build-fuzz build-release

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Fuzzing (tests/fuzz/README.md): clang + libFuzzer + ASan/UBSan into build-fuzz/.
#   make fuzz        replay the regressions, then each target FUZZ_SECONDS, two at a time
#   make fuzz-smoke  the same ~5 s each from the committed seeds (CI)
FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-smoke
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh fuzz
fuzz-smoke:
	@sh tests/fuzz/smoke.sh
