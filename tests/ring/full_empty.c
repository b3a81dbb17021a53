// SPDX-License-Identifier: MIT
/* An empty ring has nothing to consume; a full ring has no space; one
 * release makes exactly one slot free again; nothing is lost or repeated.
 * ring_cons_ready() agrees with ring_cons_avail() at every step. */
#include "tests/ring/ring_fixture.h"

int main(void)
{
	struct ring_fixture f;
	const __u32 n = 16;
	__u32 i, round;

	ring_fixture_init(&f, n, 128, 0u - 5);

	/* empty */
	CHECK(!ring_cons_ready(&f.cons));
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 0);
	CHECK_EQ(ring_prod_space(&f.prod, 1), n);
	CHECK_EQ(ring_prod_in_flight(&f.prod), 0);

	for (round = 0; round < 3; round++) {
		/* fill to the brim */
		for (i = 0; i < n; i++)
			*(__u32 *)((char *)ring_prod_slot(&f.prod, i) + 8) =
				round * 1000 + i;
		CHECK(!ring_cons_ready(&f.cons)); /* filled, not stamped */
		ring_prod_commit(&f.prod, n);
		CHECK_EQ(ring_prod_space(&f.prod, 1), 0);
		CHECK_EQ(ring_prod_in_flight(&f.prod), n);
		CHECK(ring_cons_ready(&f.cons)); /* by the stamp */
		CHECK_EQ(ring_cons_avail(&f.cons, n), n);
		CHECK(ring_cons_ready(&f.cons)); /* known filled */

		/* one out, exactly one in */
		CHECK_EQ(*(const __u32 *)((const char *)ring_cons_slot(&f.cons,
								       0) +
					  8),
			 round * 1000);
		ring_cons_release(&f.cons, 1);
		CHECK_EQ(ring_prod_space(&f.prod, 1), 1);
		*(__u32 *)((char *)ring_prod_slot(&f.prod, 0) + 8) =
			round * 1000 + n;
		ring_prod_commit(&f.prod, 1);
		CHECK_EQ(ring_prod_space(&f.prod, 1), 0);

		/* drain: n entries, in order, then empty */
		CHECK_EQ(ring_cons_avail(&f.cons, n), n);
		for (i = 0; i < n; i++)
			CHECK_EQ(*(const __u32 *)((const char *)ring_cons_slot(
							  &f.cons, i) +
						  8),
				 round * 1000 + 1 + i);
		ring_cons_release(&f.cons, n);
		CHECK(!ring_cons_ready(&f.cons));
		CHECK_EQ(ring_cons_avail(&f.cons, 1), 0);
		CHECK_EQ(ring_prod_space(&f.prod, n), n);
	}
	CHECK(!ring_broken(&f.prod) && !ring_broken(&f.cons));
	ring_fixture_fini(&f);
	return T_PASS;
}
