// SPDX-License-Identifier: MIT
/* shm_copy_for_peer() and shm_copy_from_peer(): the bytes arrive whole at
 * any size and alignment, on both sides of the size where they start
 * streaming or flushing, the source keeps its bytes, and nothing around
 * the destination is written. */
#include "shm/copy.h"
#include "tests/check.h"

#define COPY_GUARD 64

static void copy_one(void (*copy)(void *, const void *, size_t),
		     unsigned char *src, unsigned char *dst_mem, size_t n,
		     size_t src_off, size_t dst_off)
{
	unsigned char *dst = dst_mem + COPY_GUARD + dst_off;
	size_t i, total = n + 2 * COPY_GUARD + 16;

	for (i = 0; i < n; i++)
		src[src_off + i] = (unsigned char)(i * 7 + n + src_off);
	memset(dst_mem, 0xa5, total);
	copy(dst, src + src_off, n);
	CHECK(memcmp(dst, src + src_off, n) == 0);
	for (i = 0; i < n; i++)
		CHECK_EQ(src[src_off + i],
			 (unsigned char)(i * 7 + n + src_off));
	for (i = 0; i < COPY_GUARD + dst_off; i++)
		CHECK_EQ(dst_mem[i], 0xa5);
	for (i = COPY_GUARD + dst_off + n; i < total; i++)
		CHECK_EQ(dst_mem[i], 0xa5);
}

int main(void)
{
	const size_t big = SHM_COPY_STREAM_MIN;
	const size_t sizes[] = {
		0,    1,       15,  16,	     63,       64,	 65,
		4096, big - 1, big, big + 1, big + 17, big + 64, (1u << 20) + 5
	};
	const size_t offs[] = { 0, 1, 8, 15, 16, 33 };
	size_t s, a, b, max = (1u << 20) + 128; /* a multiple of 64 */
	unsigned char *src = aligned_alloc(64, max);
	unsigned char *dst = aligned_alloc(64, max + 2 * COPY_GUARD + 64);

	CHECK(src && dst);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (a = 0; a < sizeof(offs) / sizeof(offs[0]); a++)
			for (b = 0; b < sizeof(offs) / sizeof(offs[0]); b++)
				copy_one(shm_copy_for_peer, src, dst, sizes[s],
					 offs[a], offs[b]);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (a = 0; a < sizeof(offs) / sizeof(offs[0]); a++)
			for (b = 0; b < sizeof(offs) / sizeof(offs[0]); b++)
				copy_one(shm_copy_from_peer, src, dst, sizes[s],
					 offs[a], offs[b]);
	free(src);
	free(dst);
	return T_PASS;
}
