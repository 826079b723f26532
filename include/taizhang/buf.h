/* buf.h - the one growable buffer (base/buf.c), growing arrays, and LEB128
 * varints. */
#ifndef TAIZHANG_BUF_H
#define TAIZHANG_BUF_H

#include <stddef.h>
#include <stdint.h>

/* Zero-initialise ({0}).  After a failed allocation `failed` is set, the
 * contents are what fitted and every later put does nothing: check once. */
typedef struct {
	uint8_t *buf;
	size_t len, cap;
	int failed;
} tz_buf;

void tz_buf_free(tz_buf *b);
void tz_buf_put(tz_buf *b, const void *p, size_t n);
void tz_buf_str(tz_buf *b, const char *s);
void tz_buf_printf(tz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a NUL-terminated string (the NUL is not counted in len),
 * or NULL after a failed allocation. */
char *tz_buf_cstr(tz_buf *b);
/* A growing array with room for element n (git's ALLOC_GROW): items as it
 * is while n < *cap, else reallocated to twice the room (16 elements at
 * first) with *cap updated.  NULL when memory runs out or the size would
 * overflow; items is then untouched and still the caller's to free. */
void *tz_buf_grow(void *items, size_t n, size_t *cap, size_t size);

/* An unsigned LEB128 varint. */
void tz_buf_varint(tz_buf *b, uint64_t v);
/* Read a varint at p[*pos..len): 0 and *pos advanced, or -1 if malformed. */
int tz_buf_varint_get(const uint8_t *p, size_t len, size_t *pos, uint64_t *v);

#endif
