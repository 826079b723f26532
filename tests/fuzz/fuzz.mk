# tests/fuzz/fuzz.mk - build the fuzz targets with clang, libFuzzer, ASan and
# UBSan into build-fuzz/ (tests/fuzz/run.sh calls this; see tests/fuzz/README.md).
# The library sources are compiled again here, instrumented; nothing in
# build/ is used.
#   make -f tests/fuzz/fuzz.mk [FZ_B=build-fuzz] [CLANG=clang]

FZ_B       ?= build-fuzz
CLANG      ?= clang
PKG_CONFIG ?= pkg-config

LIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags sqlite3 zlib libsodium libmicrohttpd libcurl 2>/dev/null)
LIB_LIBS   := $(shell $(PKG_CONFIG) --libs sqlite3 zlib libsodium 2>/dev/null || echo -lsqlite3 -lz -lsodium) -ldl -lpthread
SAN        := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FZ_CFLAGS  := -std=c11 -O1 -g $(SAN) -Iinclude -I. -Itests/fuzz -D_GNU_SOURCE -DTZ_TEST_HOOKS \
              -DSQLITE_OMIT_DEPRECATED $(LIB_CFLAGS) -Wall -Wextra

# the TUI's pure parts (no curses) too, for fuzz_edit
LIB_SRC  := $(sort $(wildcard base/*.c core/*.c sync/*.c)) tui/text.c tui/edit.c
LIB_OBJ  := $(LIB_SRC:%.c=$(FZ_B)/obj/%.o)
TARGETS  := bundle import keyring csv csvimport validate edit net receipt
BINS     := $(TARGETS:%=$(FZ_B)/fuzz_%)

.PHONY: all
all: $(BINS) $(FZ_B)/seedgen

$(FZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FZ_B)/libtaizhang-fuzz.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FZ_B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FZ_B)/libtaizhang-fuzz.a
	$(CLANG) $(FZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FZ_B)/libtaizhang-fuzz.a \
	  $(LIB_LIBS) -lm

# not instrumented: it only writes seed files
$(FZ_B)/seedgen: tests/fuzz/seedgen.c tests/fuzz/fuzz_common.h
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 -O1 -g -D_GNU_SOURCE -Wall -Wextra $(LIB_CFLAGS) -o $@ $< $(LIB_LIBS)

-include $(shell find $(FZ_B) -name '*.d' 2>/dev/null)
