// SPDX-License-Identifier: MIT
/* Every producer batch size from 1 to the ring size, each against several
 * consumer batch sizes: order and contents survive. */
#include "tests/ring/ring_fixture.h"

static void run(__u32 entries, __u32 pbatch, __u32 cbatch)
{
	struct ring_fixture f;
	__u64 in = 0, out = 0, total = 4ull * entries + pbatch;
	__u32 i, n;

	ring_fixture_init(&f, entries, 64, pbatch * 7919u);
	while (out < total) {
		/* the producer only publishes whole batches (or the tail end) */
		n = pbatch;
		if (n > total - in)
			n = (__u32)(total - in);
		if (n && ring_prod_space(&f.prod, n) >= n) {
			for (i = 0; i < n; i++)
				*(__u64 *)((char *)ring_prod_slot(&f.prod, i) +
					   8) = in + i;
			ring_prod_commit(&f.prod, n);
			in += n;
		}
		n = ring_cons_avail(&f.cons, cbatch);
		if (n > cbatch)
			n = cbatch;
		for (i = 0; i < n; i++)
			CHECK_EQ(*(const __u64 *)((const char *)ring_cons_slot(
							  &f.cons, i) +
						  8),
				 out + i);
		ring_cons_release(&f.cons, n);
		out += n;
	}
	CHECK_EQ(in, total);
	CHECK(!ring_broken(&f.prod) && !ring_broken(&f.cons));
	ring_fixture_fini(&f);
}

int main(void)
{
	const __u32 entries = 64;
	__u32 b;

	for (b = 1; b <= entries; b++) {
		run(entries, b, 1);
		run(entries, b, b);
		run(entries, b, 7);
		run(entries, b, entries);
	}
	return T_PASS;
}
