// SPDX-License-Identifier: MIT
/*
 * Entries filled in place and consumed in one pass. ring_clear_slot()
 * zeroes a slot but its stamp, so a slot being filled never reads as
 * filled before the commit, even the one whose filled stamp is 0 (index
 * 0xffffffff); ring_batch_filled_sized() finds exactly the committed
 * slots, in order, across the wrap of the indices; ring_cons_release_seen()
 * hands them back, so that the producer gets its space again and
 * ring_cons_avail() goes on from there, nothing lost or repeated.
 */
#include "tests/ring/ring_fixture.h"

#define FIP_ENTRIES 8u
#define FIP_SIZE 128u

/* Fills @n slots in place with @first, @first + 1, ... at byte 8. */
static void fip_fill(struct ring *prod, __u32 n, __u32 first)
{
	unsigned char *slot;
	__u32 i, stamp, off;

	for (i = 0; i < n; i++) {
		slot = ring_prod_slot_sized(prod, i, FIP_SIZE);
		CHECK(slot == ring_prod_slot(prod, i));
		memcpy(&stamp, slot, sizeof(stamp));
		ring_clear_slot(slot, FIP_SIZE);
		/* the stamp is the ring's: left as it was */
		CHECK_EQ(*(const __u32 *)slot, stamp);
		CHECK(stamp != prod->local + i + 1);
		for (off = RING_STAMP_SIZE; off < FIP_SIZE; off++)
			CHECK_EQ(slot[off], 0);
		memcpy(slot + 8, &(__u32){ first + i }, sizeof(__u32));
	}
}

/* Consumes in one pass what is filled, up to @want; returns how many,
 * checking their values go on from *@next. */
static __u32 fip_take(struct ring *cons, __u32 want, __u32 *next)
{
	struct ring_batch b = ring_batch_of(cons);
	__u32 i, value;

	for (i = 0; i < want && ring_batch_filled_sized(&b, i, FIP_SIZE); i++) {
		memcpy(&value, ring_batch_slot_sized(&b, i, FIP_SIZE) + 8,
		       sizeof(value));
		CHECK_EQ(value, (*next)++);
	}
	ring_cons_release_seen(cons, i);
	return i;
}

int main(void)
{
	struct ring_fixture f;
	struct ring_batch b;
	__u32 round, next = 0, made = 0, n;

	/* the indices pass 0xffffffff, whose filled stamp is 0, early */
	ring_fixture_init(&f, FIP_ENTRIES, FIP_SIZE, 0u - 3);
	for (round = 0; round < 4 * FIP_ENTRIES; round++) {
		n = 1 + round % FIP_ENTRIES;
		CHECK(ring_prod_space(&f.prod, n) >= n);
		fip_fill(&f.prod, n, made);
		/* filled, not committed: nothing to see */
		b = ring_batch_of(&f.cons);
		CHECK(!ring_batch_filled_sized(&b, 0, FIP_SIZE));
		CHECK_EQ(ring_cons_avail(&f.cons, 1), 0);
		ring_prod_commit(&f.prod, n);
		made += n;

		if (round % 2) {
			/* all in one pass; never past what was committed */
			CHECK_EQ(fip_take(&f.cons, FIP_ENTRIES, &next), n);
		} else {
			/* the first half in one pass, the rest as before */
			CHECK_EQ(fip_take(&f.cons, n / 2, &next), n / 2);
			CHECK_EQ(ring_cons_avail(&f.cons, n), n - n / 2);
			CHECK_EQ(fip_take(&f.cons, n, &next), n - n / 2);
		}
		CHECK_EQ(next, made);
		CHECK_EQ(ring_cons_avail(&f.cons, 1), 0);
	}
	/* a view that ring_cons_avail() took further than the pass */
	CHECK(ring_prod_space(&f.prod, 4) >= 4);
	fip_fill(&f.prod, 4, made);
	ring_prod_commit(&f.prod, 4);
	made += 4;
	CHECK_EQ(ring_cons_avail(&f.cons, 4), 4);
	CHECK_EQ(fip_take(&f.cons, 1, &next), 1);
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 3);
	CHECK_EQ(fip_take(&f.cons, 4, &next), 3);
	CHECK_EQ(next, made);
	CHECK_EQ(ring_prod_space(&f.prod, FIP_ENTRIES), FIP_ENTRIES);
	CHECK(!ring_broken(&f.prod) && !ring_broken(&f.cons));
	ring_fixture_fini(&f);
	return T_PASS;
}
