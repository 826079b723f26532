/* base.h - the leaf library (base/), all of it.
 *
 * base/ depends on nothing but the C library: no SQLite, no curses, no
 * zlib, no libsodium, and nothing else of taizhang's.  Every other layer
 * may use it (base <- core <- sync <- tui <- cli; `make layers` checks).
 *
 *   err.h    status codes with their exit statuses and default messages
 *            (one table), the language, tz_fail and the error carrier
 *   buf.h    the one growable buffer; LEB128 varints
 *   hex.h    bytes as hex
 *   le.h     little-endian integers (inline)
 *   utf8.h   the one UTF-8 decoder and validator
 *   clock.h  the wall clock (TAIZHANG_NOW for tests) and the one local "today"
 *   date.h   calendar arithmetic: days since 1970-01-01
 *   file.h   the one atomic file writer (temp, fsync, rename, fsync folder)
 *   valid.h  ID numbers, credit codes, dates, periods, phones, region codes
 */
#ifndef TAIZHANG_BASE_H
#define TAIZHANG_BASE_H

#include "taizhang/buf.h"
#include "taizhang/clock.h"
#include "taizhang/date.h"
#include "taizhang/err.h"
#include "taizhang/file.h"
#include "taizhang/hex.h"
#include "taizhang/le.h"
#include "taizhang/utf8.h"
#include "taizhang/valid.h"

#endif
