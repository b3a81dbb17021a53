// SPDX-License-Identifier: MIT
/*
 * Event suppression. Single-threaded: the producer is told to ring only
 * after the consumer announced sleep, and a commit racing with the
 * announcement is caught by the consumer's re-check. Two threads: a
 * consumer that always sleeps at once is woken with doorbells and no
 * wake-up is ever lost (a lost one would show as a 5 s timeout); every
 * 64 entries the producer waits until the consumer has drained the ring
 * and is asleep (NEED_WAKEUP set, thread blocked), so at least that many
 * doorbells are rung and sleeps slept, whatever either side's speed. A
 * consumer that spins makes the producer skip every doorbell.
 */
#include "ring/wait.h"
#include "tests/ring/ring_fixture.h"

#include <pthread.h>
#include <unistd.h>

static void protocol(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, 8, 64, 0);
	/* consumer awake: no doorbell needed */
	CHECK_EQ(ring_prod_commit(&f.prod, 1), 0);
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 1);
	ring_cons_release(&f.cons, 1);

	/* consumer announces sleep on an empty ring */
	CHECK_EQ(ring_cons_prepare_sleep(&f.cons), 0);
	CHECK_EQ(f.cons.hdr->flags, TEEQ_RING_NEED_WAKEUP);
	CHECK_EQ(ring_prod_commit(&f.prod, 1), 1); /* must ring */
	ring_cons_end_sleep(&f.cons);
	CHECK_EQ(ring_cons_avail(&f.cons, 1), 1);
	ring_cons_release(&f.cons, 1);

	/* producer commits before the consumer's re-check: no sleep */
	ring_prod_commit(&f.prod, 1);
	CHECK_EQ(ring_cons_prepare_sleep(&f.cons), 1);
	CHECK_EQ(f.cons.hdr->flags, 0); /* cleared again */
	ring_fixture_fini(&f);
}

#define PINGS 20000

static struct ring_fixture fix;
static uint64_t spin_budget;
static uint64_t received, sleeps, timeouts;
static pid_t consumer_tid; /* atomic */

static void *consumer(void *arg)
{
	struct ring_wait w;

	(void)arg;
	__atomic_store_n(&consumer_tid, gettid(), __ATOMIC_RELEASE);
	ring_wait_init(&w, spin_budget, -1, -1);
	while (received < PINGS) {
		long n = ring_wait_entries(&fix.cons, &w, 1, 5000000000ll);

		if (n <= 0) {
			timeouts++;
			break;
		}
		CHECK_EQ(*(const uint64_t *)((const char *)ring_cons_slot(
						     &fix.cons, 0) +
					     8),
			 received);
		ring_cons_release(&fix.cons, 1);
		/* read by the producer, which waits for us to catch up */
		__atomic_store_n(&received, received + 1, __ATOMIC_RELEASE);
	}
	sleeps = w.sleeps;
	return NULL;
}

/* Until the consumer has taken entry @i and is asleep waiting for more. */
static void wait_consumer_asleep(uint64_t i)
{
	uint64_t t0 = t_now_ms();

	while (__atomic_load_n(&received, __ATOMIC_ACQUIRE) <= i ||
	       !(__atomic_load_n(&fix.cons.hdr->flags, __ATOMIC_ACQUIRE) &
		 TEEQ_RING_NEED_WAKEUP) ||
	       !t_thread_blocked(
		       __atomic_load_n(&consumer_tid, __ATOMIC_ACQUIRE))) {
		CHECK(t_now_ms() - t0 < 10000);
		sched_yield();
	}
}

/* Returns the doorbells the producer rang for PINGS single entries; with
 * @pause_between, *@pauses counts the times it waited for a sleep. */
static uint64_t run(uint64_t spin_ns, int pause_between, uint64_t *pauses)
{
	uint64_t i, doorbells = 0;
	pthread_t t;

	ring_fixture_init(&fix, 64, 64, 0);
	spin_budget = spin_ns;
	received = sleeps = timeouts = 0;
	consumer_tid = 0;
	*pauses = 0;
	CHECK_EQ(pthread_create(&t, NULL, consumer, NULL), 0);
	for (i = 0; i < PINGS; i++) {
		while (ring_prod_space(&fix.prod, 1) < 1)
			sched_yield();
		*(uint64_t *)((char *)ring_prod_slot(&fix.prod, 0) + 8) = i;
		if (ring_prod_commit(&fix.prod, 1)) {
			ring_doorbell(&fix.prod, -1);
			doorbells++;
		}
		if (pause_between && i % 64 == 0 && i + 1 < PINGS) {
			/* the next commit must see the announcement */
			wait_consumer_asleep(i);
			(*pauses)++;
		}
	}
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(timeouts, 0);
	CHECK_EQ(received, PINGS);
	CHECK(!ring_broken(&fix.cons) && !ring_broken(&fix.prod));
	ring_fixture_fini(&fix);
	fprintf(stderr,
		"spin %" PRIu64 " ns: %" PRIu64 " doorbells, %" PRIu64
		" sleeps for %d entries\n",
		spin_ns, doorbells, sleeps, PINGS);
	return doorbells;
}

int main(void)
{
	uint64_t sleeping, spinning, pauses;

	protocol();
	sleeping = run(0, 1, &pauses);
	CHECK_EQ(pauses, (PINGS + 63) / 64);
	/* each pause ended with the consumer asleep behind its flag: the
	 * entry after it was announced with a doorbell, which woke it */
	CHECK(sleeping >= pauses);
	CHECK(sleeps >= pauses);
	spinning = run(1000000000ull, 0, &pauses); /* spin up to 1 s a wait */
	CHECK_EQ(sleeps, 0);
	CHECK_EQ(spinning, 0);
	return T_PASS;
}
