// SPDX-License-Identifier: MIT
/*
 * Wrap-around at every index: for each ring size, start the free-running
 * indices at every slot position and at every value around the 32-bit wrap,
 * then push three rings' worth of entries through in mixed batch sizes.
 * Each slot must be the masked index, and the data must come out in order.
 */
#include "tests/ring/ring_fixture.h"

static void run(__u32 entries, __u32 start)
{
	struct ring_fixture f;
	__u64 next_in = 0, next_out = 0, total = 3ull * entries;
	__u32 batch = 1;

	ring_fixture_init(&f, entries, 64, start);
	while (next_out < total) {
		__u32 space = ring_prod_space(&f.prod, 1), n, i;

		n = batch < space ? batch : space;
		if (n > total - next_in)
			n = (__u32)(total - next_in);
		for (i = 0; i < n; i++) {
			__u64 *slot = ring_prod_slot(&f.prod, i);
			__u32 idx = start + (__u32)(next_in + i);

			CHECK(slot ==
			      (void *)(f.prod.slots +
				       (size_t)(idx & (entries - 1)) * 64));
			slot[1] = next_in + i;
			slot[2] = ~(next_in + i);
		}
		if (n) {
			ring_prod_commit(&f.prod, n);
			next_in += n;
		}

		n = ring_cons_avail(&f.cons, 1);
		CHECK(n <= entries);
		if (n > batch + 1)
			n = batch + 1;
		for (i = 0; i < n; i++) {
			const __u64 *slot = ring_cons_slot(&f.cons, i);

			CHECK_EQ(slot[1], next_out + i);
			CHECK_EQ(slot[2], ~(next_out + i));
		}
		ring_cons_release(&f.cons, n);
		next_out += n;
		batch = batch % entries + 1;
	}
	CHECK(!ring_broken(&f.prod) && !ring_broken(&f.cons));
	CHECK_EQ(f.prod.hdr->tail, start + (__u32)total);
	CHECK_EQ(f.cons.hdr->head, start + (__u32)total);
	ring_fixture_fini(&f);
}

int main(void)
{
	static const __u32 sizes[] = { 2, 4, 8, 64, 256 };
	unsigned int s;
	__u32 i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		__u32 n = sizes[s];

		for (i = 0; i < 2 * n; i++) {
			run(n, i); /* every slot position */
			run(n, 0u - n + i); /* every index around 2^32 */
			run(n, 0x80000000u - n + i); /* sign boundary */
		}
	}
	return T_PASS;
}
