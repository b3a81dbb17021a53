// SPDX-License-Identifier: MIT
#include "copy.h"

#include "ring/atomics.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <emmintrin.h>

/* SSE2 is part of x86-64: the streaming stores need no CPU check. */
static void shm_copy_stream(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t head = (16 - ((uintptr_t)d & 15)) & 15;

	memcpy(d, s, head); /* up to the first 16-byte boundary of @dst */
	d += head;
	s += head;
	n -= head;
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		__m128i a = _mm_loadu_si128((const __m128i *)s);
		__m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(s + 32));
		__m128i e = _mm_loadu_si128((const __m128i *)(s + 48));

		_mm_stream_si128((__m128i *)d, a);
		_mm_stream_si128((__m128i *)(d + 16), b);
		_mm_stream_si128((__m128i *)(d + 32), c);
		_mm_stream_si128((__m128i *)(d + 48), e);
	}
	memcpy(d, s, n);
	/* Streaming stores are weakly ordered: make them visible before
	 * whatever we store next (the entry that names these bytes, whose
	 * publication is a release store that does not order them). */
	_mm_sfence();
}
#endif

void shm_copy_for_peer_big(void *dst, const void *src, size_t n)
{
#if defined(__x86_64__)
	shm_copy_stream(dst, src, n);
#else
	memcpy(dst, src, n);
#endif
}

void shm_drop_lines(const void *p, size_t n)
{
	const char *line = (const char *)((uintptr_t)p & ~(uintptr_t)63);
	const char *end = (const char *)p + n;

	for (; line < end; line += 64)
		teeq_line_drop(line);
}

void shm_copy_from_peer_big(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	shm_drop_lines(src, n);
}
