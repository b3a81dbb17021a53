/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets share. A target defines FZ_NAME (a string
 * literal) before including this.
 */
#ifndef TEEQ_FUZZ_H
#define TEEQ_FUZZ_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* An invariant that does not hold: say which, and let libFuzzer see it. */
#define FZ_FAIL(...)                                                           \
	do {                                                                   \
		fprintf(stderr, FZ_NAME ": invariant violated: " __VA_ARGS__); \
		fputc('\n', stderr);                                           \
		abort();                                                       \
	} while (0)
#define FZ_ASSERT(cond, ...)                  \
	do {                                  \
		if (!(cond))                  \
			FZ_FAIL(__VA_ARGS__); \
	} while (0)

static inline int fz_all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* Writes one seed file (TEEQ_FUZZ_WRITE_SEEDS); exits on failure. */
static inline void fz_write_file(const char *dir, const char *name,
				 const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

#endif /* TEEQ_FUZZ_H */
