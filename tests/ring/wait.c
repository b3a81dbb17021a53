// SPDX-License-Identifier: MIT
/*
 * The wait strategy: a timeout returns 0, no sooner than asked (on the
 * monotonic clock) and leaves no NEED_WAKEUP behind; a socket doorbell
 * wakes a waiter that announced sleep and slept, and a peer hang-up (the
 * doorbell's own, or a separate one) turns a wait into -EPIPE with either
 * doorbell kind. The peer acts once the
 * waiter is asleep: its NEED_WAKEUP flag set and its thread blocked, not
 * after a pause that may or may not have been long enough.
 */
#include "ring/wait.h"
#include "tests/ring/ring_fixture.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static struct ring_fixture fix;
static int db[2] = { -1, -1 }; /* the waiter's end, the producer's */
static pid_t waiter_tid;
static int rang; /* the producer's commit asked for the doorbell */

/* Until the waiter has announced sleep and is blocked in it. */
static void wait_asleep(void)
{
	uint64_t t0 = t_now_ms();

	while (!(__atomic_load_n(&fix.cons.hdr->flags, __ATOMIC_ACQUIRE) &
		 TEEQ_RING_NEED_WAKEUP) ||
	       !t_thread_blocked(waiter_tid)) {
		CHECK(t_now_ms() - t0 < 10000);
		sched_yield();
	}
}

static void *late_producer(void *arg)
{
	(void)arg;
	wait_asleep();
	*(uint32_t *)((char *)ring_prod_slot(&fix.prod, 0) + 8) = 0xfeed;
	rang = ring_prod_commit(&fix.prod, 1);
	if (rang)
		ring_doorbell_socket(db[1]);
	return NULL;
}

static void *late_hangup(void *arg)
{
	wait_asleep();
	close(*(int *)arg);
	return NULL;
}

/* A wait that times out: 0, after @timeout_ns at least, flag cleared. */
static void timeout(struct ring_wait *w, int64_t timeout_ns)
{
	uint64_t t0 = t_now_ns();

	CHECK_EQ(ring_wait_entries(&fix.cons, w, 1, timeout_ns), 0);
	CHECK(t_now_ns() - t0 >= (uint64_t)timeout_ns);
	CHECK_EQ(fix.cons.hdr->flags, 0); /* never left announced */
}

int main(void)
{
	struct ring_wait w;
	pthread_t t;
	int sv[2];

	ring_fixture_init(&fix, 8, 64, 0);
	waiter_tid = gettid();

	/* timeout with nothing produced: sleeping at once, after spinning
	 * for a part of it, and spinning longer than the timeout */
	ring_wait_init(&w, 0, -1, -1);
	timeout(&w, 1000000);
	CHECK_EQ(w.sleeps, 1);
	ring_wait_init(&w, 100000, -1, -1);
	timeout(&w, 2000000);
	CHECK_EQ(w.sleeps, 1);
	ring_wait_init(&w, 50000000, -1, -1);
	timeout(&w, 3000000);
	CHECK_EQ(w.sleeps, 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 0), 0);
	/* and on a doorbell */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, db), 0);
	CHECK_EQ(ring_wait_init(&w, 0, db[0], -1), 0);
	timeout(&w, 1500000);
	ring_wait_fini(&w);

	/* socket doorbell: the waiter sleeps in poll and is woken */
	CHECK_EQ(ring_wait_init(&w, 0, db[0], -1), 0);
	CHECK_EQ(pthread_create(&t, NULL, late_producer, NULL), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), 1);
	CHECK_EQ(
		*(const uint32_t *)((const char *)ring_cons_slot(&fix.cons, 0) +
				    8),
		0xfeed);
	ring_cons_release(&fix.cons, 1);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(rang); /* the producer saw the announcement */
	CHECK_EQ(w.sleeps, 1);
	CHECK_EQ(fix.cons.hdr->flags, 0);
	ring_wait_fini(&w);

	/* peer hang-up while sleeping on the doorbell: -EPIPE, promptly */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(ring_wait_init(&w, 0, db[0], sv[0]), 0);
	CHECK_EQ(pthread_create(&t, NULL, late_hangup, &sv[1]), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), -EPIPE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(w.sleeps, 1);
	close(sv[0]);
	ring_wait_fini(&w);

	/* and the doorbell's own peer hanging up */
	CHECK_EQ(ring_wait_init(&w, 0, db[0], -1), 0);
	CHECK_EQ(pthread_create(&t, NULL, late_hangup, &db[1]), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), -EPIPE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(w.sleeps, 1);
	ring_wait_fini(&w);

	/* and while sleeping on the futex (noticed within a time slice) */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ring_wait_init(&w, 0, -1, sv[0]);
	CHECK_EQ(pthread_create(&t, NULL, late_hangup, &sv[1]), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), -EPIPE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(w.sleeps >= 1);
	close(sv[0]);

	close(db[0]);
	ring_fixture_fini(&fix);
	return T_PASS;
}
