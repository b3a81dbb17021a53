// SPDX-License-Identifier: MIT
/*
 * ring_batch_put() and ring_prod_publish(), the producer's one-pass way:
 * each slot's bytes (all but the stamp) arrive as given, its stamp is the
 * ring's (index + 1) and is there before the batch is published, so a
 * consumer that reads stamps sees a slot as soon as it is put; the tail
 * moves only at publish. Every batch size over a wrapping index, for
 * one-line and two-line entries; publish asks for a doorbell exactly when
 * the consumer announced sleep, and flags a peer never writes break the
 * ring (and ask for the doorbell, so a waiter sees it).
 */
#include "tests/ring/ring_fixture.h"

static void fill_entry(unsigned char *e, __u32 len, __u64 seq)
{
	__u32 i;

	for (i = 0; i < len; i++)
		e[i] = (unsigned char)(seq * 31 + i);
}

static void run(__u32 esz, __u32 pbatch)
{
	const __u32 entries = 16;
	struct ring_fixture f;
	unsigned char e[128], want[128];
	__u64 seq = 0, out = 0, total = 5ull * entries + pbatch;
	__u32 start = 0xfffffff0u, i, n;

	ring_fixture_init(&f, entries, esz, start);
	while (out < total) {
		n = pbatch;
		if (n > total - seq)
			n = (__u32)(total - seq);
		if (n && ring_prod_space(&f.prod, n) >= n) {
			struct ring_batch b = ring_batch_of(&f.prod);
			__u32 tail = f.prod.hdr->tail;

			for (i = 0; i < n; i++) {
				fill_entry(e, esz, seq + i);
				ring_batch_put(&b, i, e, esz);
				/* stamped at once, the tail not moved yet */
				CHECK_EQ(*(const __u32 *)ring_prod_slot(&f.prod,
									i),
					 start + (__u32)(seq + i) + 1);
			}
			CHECK_EQ(f.prod.hdr->tail, tail);
			/* the consumer sees the stamped slots already */
			CHECK_EQ(ring_cons_avail(&f.cons, n) >= n, 1);
			CHECK_EQ(ring_prod_publish(&f.prod, n), 0);
			CHECK_EQ(f.prod.hdr->tail, tail + n);
			seq += n;
		}
		n = ring_cons_avail(&f.cons, 3);
		if (n > 3)
			n = 3;
		for (i = 0; i < n; i++) {
			const unsigned char *slot = ring_cons_slot(&f.cons, i);

			fill_entry(want, esz, out + i);
			CHECK_MEM(slot + RING_STAMP_SIZE,
				  want + RING_STAMP_SIZE,
				  esz - RING_STAMP_SIZE);
		}
		ring_cons_release(&f.cons, n);
		out += n;
	}
	CHECK_EQ(seq, total);
	CHECK(!ring_broken(&f.prod) && !ring_broken(&f.cons));
	ring_fixture_fini(&f);
}

static void wakeup_and_flags(void)
{
	struct ring_fixture f;
	unsigned char e[64] = { 0 };
	struct ring_batch b;

	ring_fixture_init(&f, 8, 64, 0);
	CHECK_EQ(ring_cons_prepare_sleep(&f.cons), 0);
	b = ring_batch_of(&f.prod);
	ring_batch_put(&b, 0, e, sizeof(e));
	CHECK_EQ(ring_prod_publish(&f.prod, 1), 1); /* must ring */
	ring_cons_end_sleep(&f.cons);
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 1);
	ring_cons_release(&f.cons, 1);

	/* a flag the protocol does not define: broken, and a doorbell */
	f.prod.hdr->flags = 0x80000000u;
	b = ring_batch_of(&f.prod);
	ring_batch_put(&b, 0, e, sizeof(e));
	CHECK_EQ(ring_prod_publish(&f.prod, 1), 1);
	CHECK(ring_broken(&f.prod));
	ring_fixture_fini(&f);
}

int main(void)
{
	__u32 b;

	for (b = 1; b <= 16; b++) {
		run(64, b);
		run(128, b);
	}
	wakeup_and_flags();
	return T_PASS;
}
