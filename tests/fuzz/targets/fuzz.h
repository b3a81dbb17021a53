/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets share. A target defines FZ_NAME (a string
 * literal) before including this.
 */
#ifndef TEEQ_FUZZ_H
#define TEEQ_FUZZ_H

#include "uapi/teeq_gp.h"

#include <stddef.h>
#include <stdint.h>
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

/* Is @r a result code the secure world may send? */
static inline int fz_result_known(uint32_t r)
{
	switch (r) {
	case TEEQ_SUCCESS:
	case TEEQ_ERROR_GENERIC:
	case TEEQ_ERROR_ACCESS_DENIED:
	case TEEQ_ERROR_CANCEL:
	case TEEQ_ERROR_ACCESS_CONFLICT:
	case TEEQ_ERROR_EXCESS_DATA:
	case TEEQ_ERROR_BAD_FORMAT:
	case TEEQ_ERROR_BAD_PARAMETERS:
	case TEEQ_ERROR_BAD_STATE:
	case TEEQ_ERROR_ITEM_NOT_FOUND:
	case TEEQ_ERROR_NOT_IMPLEMENTED:
	case TEEQ_ERROR_NOT_SUPPORTED:
	case TEEQ_ERROR_NO_DATA:
	case TEEQ_ERROR_OUT_OF_MEMORY:
	case TEEQ_ERROR_BUSY:
	case TEEQ_ERROR_COMMUNICATION:
	case TEEQ_ERROR_SECURITY:
	case TEEQ_ERROR_SHORT_BUFFER:
	case TEEQ_ERROR_EXTERNAL_CANCEL:
	case TEEQ_ERROR_TARGET_DEAD:
	case TEEQ_ERROR_STORAGE_NO_SPACE:
	case TEEQ_ERROR_MAC_INVALID:
		return 1;
	default:
		return 0;
	}
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
