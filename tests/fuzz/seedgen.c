/* seedgen.c - helper for tests/fuzz/make-seeds.sh (links libsodium and zlib
 * only, not the library, so it builds whatever state the tree is in).
 *
 *   seedgen resign OUTDIR BUNDLE...
 *       Re-sign exported bundles with the embedded fuzz test key: the
 *       header's origin and key id become the test device's (fz_origin,
 *       fz_key_id), the chain is kept (a bundle naming the original hash of
 *       an earlier one on the line names its new hash), the trailer is
 *       rebuilt.  Writes OUTDIR/<basename>.
 *   seedgen encrypt N BUNDLE OUT
 *       A version 1 bundle (re-signed as above) made version 2: its payload
 *       encrypted to the embedded recipient key and N - 1 decoys
 *       (fuzz_common.h fz_encrypt), signed again.
 *   seedgen unpack BUNDLE OUT
 *       Header || inflated payload: the input framing of the fuzz targets'
 *       modes 2 and 3 (without the mode byte).
 *   seedgen chain gap|future|big OUT
 *       Bundles continuing those fuzz_import starts from (fuzz_common.h
 *       fz_chain): "gap" seqs 3-4 exactly filling the gap, "future" 7-8 with
 *       a clock a year ahead (quarantined), both FZ_DEFLATE framing; "big"
 *       seq 7, one 200 KB op, FZ_RESIGN framing (header || zlib payload).
 *       Without the mode byte.
 *   seedgen ids N
 *       N distinct valid national ID numbers, one a line (GB 11643 check
 *       character), for import-csv seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *b = malloc(cap);
	for (;;) {
		if (n == cap)
			b = realloc(b, cap *= 2);
		size_t r = fread(b + n, 1, cap - n, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return b;
}

static void spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void check(const uint8_t *b, size_t n, const char *path)
{
	if (n < FZ_HEADER + FZ_TRAILER || memcmp(b, "TZBUNDLE", 8) ||
	    fz_get32(b + 12) + fz_get64(b + 112) + FZ_TRAILER != n) {
		fprintf(stderr, "seedgen: %s: not a well-formed bundle\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	fz_keys_init();
	if (argc >= 3 && !strcmp(argv[1], "resign")) {
		uint8_t (*old)[32] = calloc((size_t)argc, 32), (*new)[32] = calloc((size_t)argc, 32);
		for (int i = 3; i < argc; i++) {
			size_t n;
			uint8_t *b = slurp(argv[i], &n);
			check(b, n, argv[i]);
			size_t blen = n - FZ_TRAILER;
			crypto_generichash(old[i], 32, b, blen, NULL, 0);
			for (int j = 3; j < i; j++)
				if (!memcmp(b + 72, old[j], 32))
					memcpy(b + 72, new[j], 32);
			memcpy(b + 16, fz_origin, 16);
			memcpy(b + 32, fz_key_id, 8);
			crypto_generichash(new[i], 32, b, blen, NULL, 0);
			char tr[FZ_TRAILER + 1], out[4096];
			fz_trailer(b, blen, tr);
			memcpy(b + blen, tr, FZ_TRAILER);
			const char *base = strrchr(argv[i], '/');
			snprintf(out, sizeof out, "%s/%s", argv[2], base ? base + 1 : argv[i]);
			spit(out, b, n);
			free(b);
		}
		free(old);
		free(new);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "encrypt")) {
		size_t n, blen;
		uint8_t *b = slurp(argv[3], &n);
		check(b, n, argv[3]);
		size_t hl = fz_get32(b + 12);
		uint8_t *e = fz_encrypt(b, b + hl, (size_t)fz_get64(b + 112), atoi(argv[2]), &blen);
		if (!e || !(e = realloc(e, blen + FZ_TRAILER + 1))) {
			fprintf(stderr, "seedgen: %s: cannot encrypt\n", argv[3]);
			return 1;
		}
		char tr[FZ_TRAILER + 1];
		fz_trailer(e, blen, tr);
		memcpy(e + blen, tr, FZ_TRAILER);
		spit(argv[4], e, blen + FZ_TRAILER);
		free(e);
		free(b);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "unpack")) {
		size_t n;
		uint8_t *b = slurp(argv[2], &n);
		check(b, n, argv[2]);
		size_t hl = fz_get32(b + 12);
		uLongf ilen = (uLongf)fz_get64(b + 120);
		uint8_t *out = malloc(hl + ilen);
		memcpy(out, b, hl);
		if (uncompress(out + hl, &ilen, b + hl, (uLong)fz_get64(b + 112)) != Z_OK) {
			fprintf(stderr, "seedgen: %s: payload does not inflate\n", argv[2]);
			return 1;
		}
		spit(argv[3], out, hl + ilen);
		free(out);
		free(b);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "chain")) {
		uint8_t in[FZ_HEADER + 128], h12[32], h34[32], h56[32], *p;
		size_t n;
		fz_chain(h12, h34, h56);
		if (!strcmp(argv[2], "gap")) {
			n = fz_two_ops(in, 3, h12, 0);
		} else if (!strcmp(argv[2], "future")) {
			n = fz_two_ops(in, 7, h56, FZ_H_FUTURE);
		} else if (!strcmp(argv[2], "big")) {
			p = fz_big_op(7, h56, &n);
			spit(argv[3], p, n);
			free(p);
			return 0;
		} else {
			return 2;
		}
		spit(argv[3], in, n);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "ids")) {
		static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
		int n = atoi(argv[2]);
		for (int i = 0; i < n; i++) {
			char id[19];
			/* 430181, born 1950-1979 on the 1st-28th, sequence number */
			snprintf(id, sizeof id, "430181%04d%02d%02d%03d", 1950 + i % 30, 1 + i / 30 % 12,
				 1 + i / 360 % 28, i % 1000);
			int sum = 0;
			for (int k = 0; k < 17; k++)
				sum += (id[k] - '0') * w[k];
			id[17] = "10X98765432"[sum % 11];
			id[18] = '\0';
			puts(id);
		}
		return 0;
	}
	fprintf(stderr, "usage: seedgen resign OUTDIR BUNDLE... | encrypt N BUNDLE OUT | unpack BUNDLE OUT |"
		" chain gap|future|big OUT | ids N\n");
	return 2;
}
