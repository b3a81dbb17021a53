// SPDX-License-Identifier: MIT
/* The wait strategy: a timeout returns 0, an eventfd doorbell wakes, and a
 * peer hang-up turns a wait into -EPIPE with either doorbell kind. */
#include "ring/wait.h"
#include "tests/ring/ring_fixture.h"

#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static struct ring_fixture fix;
static int efd = -1;

static void *late_producer(void *arg)
{
	struct timespec ts = { 0, 20000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	*(uint32_t *)((char *)ring_prod_slot(&fix.prod, 0) + 8) = 0xfeed;
	if (ring_prod_commit(&fix.prod, 1))
		ring_doorbell(&fix.prod, efd);
	return NULL;
}

static void *late_hangup(void *arg)
{
	struct timespec ts = { 0, 20000000 };

	nanosleep(&ts, NULL);
	close(*(int *)arg);
	return NULL;
}

int main(void)
{
	struct ring_wait w;
	pthread_t t;
	int sv[2];

	ring_fixture_init(&fix, 8, 64, 0);

	/* timeout with nothing produced, with and without spinning */
	ring_wait_init(&w, 0, -1, -1);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 1000000), 0);
	ring_wait_init(&w, 100000, -1, -1);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 2000000), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 0), 0);
	CHECK_EQ(fix.cons.hdr->flags, 0); /* never left announced */

	/* eventfd doorbell: the waiter sleeps in poll and is woken */
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(efd >= 0);
	ring_wait_init(&w, 0, efd, -1);
	CHECK_EQ(pthread_create(&t, NULL, late_producer, NULL), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), 1);
	CHECK_EQ(
		*(const uint32_t *)((const char *)ring_cons_slot(&fix.cons, 0) +
				    8),
		0xfeed);
	ring_cons_release(&fix.cons, 1);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(w.sleeps >= 1);

	/* peer hang-up while sleeping on an eventfd: -EPIPE, promptly */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ring_wait_init(&w, 0, efd, sv[0]);
	CHECK_EQ(pthread_create(&t, NULL, late_hangup, &sv[1]), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), -EPIPE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	close(sv[0]);

	/* and while sleeping on the futex (noticed within a time slice) */
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ring_wait_init(&w, 0, -1, sv[0]);
	CHECK_EQ(pthread_create(&t, NULL, late_hangup, &sv[1]), 0);
	CHECK_EQ(ring_wait_entries(&fix.cons, &w, 1, 5000000000ll), -EPIPE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	close(sv[0]);

	close(efd);
	ring_fixture_fini(&fix);
	return T_PASS;
}
