/* SPDX-License-Identifier: MIT */
/* A ring in private memory with a producer and a consumer handle. */
#ifndef TEEQ_TESTS_RING_FIXTURE_H
#define TEEQ_TESTS_RING_FIXTURE_H

#include "ring/ring.h"
#include "tests/check.h"

struct ring_fixture {
	void *mem;
	size_t len;
	struct ring prod;
	struct ring cons;
};

/* Ring of @entries slots of @esz bytes whose indices both start at @start. */
static inline void ring_fixture_init(struct ring_fixture *f, __u32 entries,
				     __u32 esz, __u32 start)
{
	f->len = ring_bytes(entries, esz);
	CHECK(posix_memalign(&f->mem, 64, f->len) == 0);
	memset(f->mem, 0xa5, f->len);
	CHECK_EQ(ring_format(f->mem, f->len, entries, esz, start), 0);
	CHECK_EQ(ring_attach(&f->prod, f->mem, f->len, entries, esz,
			     RING_PRODUCER),
		 0);
	CHECK_EQ(ring_attach(&f->cons, f->mem, f->len, entries, esz,
			     RING_CONSUMER),
		 0);
}

static inline void ring_fixture_fini(struct ring_fixture *f)
{
	free(f->mem);
}

#endif /* TEEQ_TESTS_RING_FIXTURE_H */
