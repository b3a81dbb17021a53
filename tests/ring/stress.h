/* SPDX-License-Identifier: MIT */
/*
 * The producer and consumer loops shared by the thread and process stress
 * tests. 64-byte entries carry a sequence number, a payload derived from
 * it and a checksum; batch sizes are random; now and then the producer
 * pauses until the consumer has fallen asleep (its NEED_WAKEUP flag set,
 * its thread blocked), so that it must be woken by the doorbell.
 */
#ifndef TEEQ_TESTS_RING_STRESS_H
#define TEEQ_TESTS_RING_STRESS_H

#include "ring/wait.h"
#include "tests/check.h"

#include <sched.h>
#include <unistd.h>

struct stress_entry {
	uint32_t stamp; /* the ring's; never written here */
	uint32_t pad;
	uint64_t seq;
	uint64_t payload[5];
	uint64_t checksum;
};

struct stress_result {
	uint64_t received;
	uint64_t bad_order;
	uint64_t bad_checksum;
	uint64_t sleeps;
	uint64_t doorbells;
	uint64_t pauses; /* producer: times it waited for the consumer to sleep */
	pid_t tid; /* consumer: its thread, for the producer to watch; atomic */
	int broken;
};

#define STRESS_MAX_BATCH 64
#define STRESS_PAUSE_EVERY (1u << 20) /* entries between producer pauses */

static inline uint64_t stress_checksum(const struct stress_entry *e)
{
	uint64_t sum = e->seq * 0x9E3779B97F4A7C15ull;
	int i;

	for (i = 0; i < 5; i++)
		sum = (sum ^ e->payload[i]) * 0x100000001B3ull;
	return sum;
}

/* Until the consumer of @r (thread @cons->tid) is asleep on it. */
static inline void stress_wait_asleep(struct ring *r,
				      const struct stress_result *cons)
{
	uint64_t t0 = t_now_ms();

	while (!(__atomic_load_n(&r->hdr->flags, __ATOMIC_ACQUIRE) &
		 TEEQ_RING_NEED_WAKEUP) ||
	       !t_thread_blocked(
		       __atomic_load_n(&cons->tid, __ATOMIC_ACQUIRE))) {
		CHECK(t_now_ms() - t0 < 10000);
		sched_yield();
	}
}

static inline void stress_produce(struct ring *r, uint64_t total,
				  struct stress_result *res,
				  const struct stress_result *cons)
{
	uint64_t seq = 0, rng = 0x1234567, next_pause = STRESS_PAUSE_EVERY;
	__u32 n, i;
	int k;

	while (seq < total) {
		n = 1 + (__u32)(test_rand(&rng) % STRESS_MAX_BATCH);
		if (n > total - seq)
			n = (__u32)(total - seq);
		while (ring_prod_space(r, n) < n) {
			if (ring_broken(r)) {
				res->broken = 1;
				return;
			}
			sched_yield();
		}
		for (i = 0; i < n; i++) {
			struct stress_entry *e = ring_prod_slot(r, i);

			e->seq = seq + i;
			for (k = 0; k < 5; k++)
				e->payload[k] = (seq + i) * (k + 3) ^ rng;
			e->checksum = stress_checksum(e);
		}
		seq += n;
		if (ring_prod_commit(r, n)) {
			ring_doorbell(r, -1);
			res->doorbells++;
		}
		if (seq >= next_pause && seq < total) {
			/* the consumer drains the ring and sleeps; the next
			 * commit must wake it */
			stress_wait_asleep(r, cons);
			res->pauses++;
			next_pause += STRESS_PAUSE_EVERY;
		}
	}
}

static inline void stress_consume(struct ring *r, uint64_t total,
				  struct stress_result *res)
{
	struct ring_wait w;
	uint64_t rng = 0x7654321;
	struct stress_entry e;
	long avail;
	__u32 n, i;

	__atomic_store_n(&res->tid, gettid(), __ATOMIC_RELEASE);
	ring_wait_init(&w, 50000, -1, -1);
	while (res->received < total) {
		n = 1 + (__u32)(test_rand(&rng) % STRESS_MAX_BATCH);
		avail = ring_wait_entries(r, &w, n, 10000000000ll);
		if (avail <= 0) {
			res->broken = 1; /* broken, or 10 s without progress */
			break;
		}
		if (n > (__u32)avail)
			n = (__u32)avail;
		for (i = 0; i < n; i++) {
			memcpy(&e, ring_cons_slot(r, i), sizeof(e));
			if (e.seq != res->received + i)
				res->bad_order++;
			if (e.checksum != stress_checksum(&e))
				res->bad_checksum++;
		}
		ring_cons_release(r, n);
		res->received += n;
	}
	res->sleeps = w.sleeps;
}

static inline void stress_report(const struct stress_result *p,
				 const struct stress_result *c, uint64_t total)
{
	fprintf(stderr,
		"received %" PRIu64 "/%" PRIu64 ", bad order %" PRIu64
		", bad checksum %" PRIu64 ", consumer sleeps %" PRIu64
		", doorbells %" PRIu64 ", pauses %" PRIu64 "\n",
		c->received, total, c->bad_order, c->bad_checksum, c->sleeps,
		p->doorbells, p->pauses);
	CHECK(!p->broken && !c->broken);
	CHECK_EQ(c->received, total);
	CHECK_EQ(c->bad_order, 0);
	CHECK_EQ(c->bad_checksum, 0);
	/* each pause ended with the consumer asleep, and the commit after it
	 * saw the announcement and rang */
	CHECK_EQ(p->pauses, (total - 1) / STRESS_PAUSE_EVERY);
	CHECK(c->sleeps >= p->pauses);
	CHECK(p->doorbells >= p->pauses);
}

#endif /* TEEQ_TESTS_RING_STRESS_H */
