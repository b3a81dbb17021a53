// SPDX-License-Identifier: MIT
/*
 * A peer that writes impossible indices, flags or stamps into shared memory
 * is detected or harmless: the ring reports itself broken, never hands out
 * more entries than it has, never touches memory outside its slots (ASan
 * watches the exactly-sized allocation), and a waiter returns -EPIPE
 * instead of looping.
 */
#include "ring/wait.h"
#include "tests/ring/ring_fixture.h"

/* The consumer reads the tail when it is about to sleep. */
static void consumer_sees_tail_beyond_ring(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 100);
	f.cons.hdr->tail = 100 + 9; /* one more than the ring holds */
	CHECK_EQ(ring_cons_prepare_sleep(&f.cons), 0);
	CHECK(ring_broken(&f.cons));
	CHECK_EQ(f.cons.hdr->flags, 0); /* announcement withdrawn */
	/* and stays broken: no entries, ever; a poller still looks, to
	 * report it (ring_cons_ready) */
	ring_prod_commit(&f.prod, 1);
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 0);
	CHECK(ring_cons_ready(&f.cons));
	ring_fixture_fini(&f);
}

static void consumer_sees_tail_far_behind(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 0);
	ring_prod_commit(&f.prod, 5);
	CHECK_EQ(ring_cons_avail(&f.cons, 8), 5);
	ring_cons_release(&f.cons, 5);
	f.cons.hdr->tail = 5 - 9; /* more than a ring behind our head */
	CHECK_EQ(ring_cons_prepare_sleep(&f.cons), 0);
	CHECK(ring_broken(&f.cons));
	ring_fixture_fini(&f);
}

static void producer_sees_head_past_tail(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 0u - 3);
	ring_prod_commit(&f.prod, 4);
	f.prod.hdr->head = 2; /* tail is 1 (wrapped): head ran past it */
	CHECK_EQ(ring_prod_space(&f.prod, 8), 0);
	CHECK(ring_broken(&f.prod));
	ring_fixture_fini(&f);
}

static void producer_sees_head_backwards(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 50);
	ring_prod_commit(&f.prod, 8);
	f.prod.hdr->head = 54;
	CHECK_EQ(ring_prod_space(&f.prod, 1), 4);
	f.prod.hdr->head = 53;
	CHECK_EQ(ring_prod_space(&f.prod, 8), 0);
	CHECK(ring_broken(&f.prod));
	ring_fixture_fini(&f);
}

static void producer_sees_unknown_flags(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 0);
	f.prod.hdr->flags = 0x80000000u;
	/* commit asks for a (harmless) wake-up and reports the breakage */
	CHECK(ring_prod_commit(&f.prod, 1));
	CHECK(ring_broken(&f.prod));
	ring_fixture_fini(&f);
}

static void waiter_returns_on_broken_ring(void)
{
	struct ring_fixture f;
	struct ring_wait w;

	ring_fixture_init(&f, 8, 64, 0);
	ring_wait_init(&w, 1000, -1, -1);
	f.cons.hdr->tail = 0x40000000u;
	CHECK_EQ(ring_wait_entries(&f.cons, &w, 1, -1), -EPIPE);
	ring_fixture_fini(&f);
}

/* Stamps written ahead of order, for later laps, or at random: a slot
 * counts as filled only if its stamp is exactly its index + 1, only in
 * order, and never more than the ring holds. */
static void forged_stamps(void)
{
	struct ring_fixture f;
	__u32 i;

	ring_fixture_init(&f, 8, 64, 0);
	*ring_stamp_at(&f.cons, 1) = 2; /* slot 1 "filled", slot 0 not */
	CHECK_EQ(ring_cons_avail(&f.cons, 8), 0);
	*ring_stamp_at(&f.cons, 0) = 1 + 8; /* the next lap's stamp */
	CHECK_EQ(ring_cons_avail(&f.cons, 8), 0);
	for (i = 0; i < 8; i++) /* all eight, then the 9th index wraps */
		*ring_stamp_at(&f.cons, i) = i + 1;
	CHECK_EQ(ring_cons_avail(&f.cons, 100), 8);
	ring_cons_release(&f.cons, 8);
	/* slot 0 still says 1; index 8 wants 9 */
	CHECK_EQ(ring_cons_avail(&f.cons, 8), 0);
	CHECK(!ring_broken(&f.cons));
	ring_fixture_fini(&f);
}

static void random_stamps(void)
{
	uint64_t rng = 42;
	int trial;

	for (trial = 0; trial < 20000; trial++) {
		struct ring_fixture f;
		__u32 start = (__u32)test_rand(&rng), avail, i, j;

		ring_fixture_init(&f, 16, 64, start);
		for (i = 0; i < 6; i++) {
			/* the hostile producer rewrites stamps: half of them
			 * plausible, half arbitrary */
			for (j = 0; j < 16; j++) {
				__u32 r = (__u32)test_rand(&rng);
				__u32 idx = f.cons.local + j;

				*ring_stamp_at(&f.cons, idx) =
					(r & 1) ? idx + 1 + (r >> 1) % 3 * 16 :
						  r;
			}
			avail = ring_cons_avail(
				&f.cons, 1 + (__u32)test_rand(&rng) % 40);
			CHECK(avail <= 16);
			if (avail) {
				const unsigned char *s =
					ring_cons_slot(&f.cons, avail - 1);

				CHECK(s >= f.cons.slots &&
				      s + 64 <= f.cons.slots + 16 * 64);
				ring_cons_release(&f.cons, avail);
			}
		}
		CHECK(!ring_broken(&f.cons));
		ring_fixture_fini(&f);
	}
}

int main(void)
{
	consumer_sees_tail_beyond_ring();
	consumer_sees_tail_far_behind();
	producer_sees_head_past_tail();
	producer_sees_head_backwards();
	producer_sees_unknown_flags();
	waiter_returns_on_broken_ring();
	forged_stamps();
	random_stamps();
	return T_PASS;
}
