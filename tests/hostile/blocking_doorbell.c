// SPDX-License-Identifier: MIT
/*
 * A client that tries to make teeq-sw block on a doorbell: completion
 * doorbells that are blocking eventfds with their counters at the maximum,
 * NEED_WAKEUP set on every completion ring and a NOP on every queue pair,
 * so that posting the completions would write to a full counter. Another
 * client must keep getting its calls served meanwhile and after, and
 * SIGTERM must still stop teeq-sw promptly with the attacker attached.
 */
#include "tests/hostile/hostile.h"

#include <sys/eventfd.h>

static struct sw_fixture fx;

struct attack {
	int report; /* pipe: the HELLO status, then "posted" */
};

static int eventfd_attack(void *arg)
{
	struct attack *a = arg;
	struct raw_client rc;
	int fds[2 * TEEQ_MAX_QPAIRS];
	uint64_t full = 0xfffffffffffffffeull;
	uint32_t i, nr = TEEQ_MAX_QPAIRS;
	int status;

	raw_region(&rc, nr, 8);
	for (i = 0; i < nr; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		/* blocking, and full: a write() to it would wait forever */
		fds[nr + i] = eventfd(0, EFD_CLOEXEC);
		CHECK(fds[i] >= 0 && fds[nr + i] >= 0);
		CHECK_EQ(write(fds[nr + i], &full, sizeof(full)), sizeof(full));
	}
	status = raw_hello(&rc, fx.sock, fds, 2 * (int)nr);
	CHECK_EQ(write(a->report, &status, sizeof(status)), sizeof(status));
	if (status)
		return 0;
	for (i = 0; i < nr; i++) {
		uint64_t one = 1;

		/* asleep on the completion ring, as far as teeq-sw can tell */
		CHECK_EQ(ring_cons_prepare_sleep(&rc.cq[i]), 0);
		raw_nop(&rc, i, i);
		(void)!write(fds[i], &one, sizeof(one));
	}
	pause();
	return 0;
}

int main(void)
{
	struct good_client good;
	struct attack a;
	int pipefd[2], status;
	pid_t pid;

	alarm(60);
	sw_fixture_start(&fx);
	good_start(&good);
	good_watch(&good, 200, "before");

	CHECK(!pipe(pipefd));
	a.report = pipefd[1];
	pid = hostile_spawn(eventfd_attack, &a);
	CHECK_EQ(read(pipefd[0], &status, sizeof(status)), sizeof(status));
	fprintf(stderr, "eventfd doorbells: handshake status %d\n", status);
	good_watch(&good, 2000, "blocking eventfds");
	hostile_reap(pid, SIGKILL);
	good_watch(&good, 200, "after the attacker died");

	good_stop(&good);
	hostile_sw_term(&fx, 5000);
	return T_PASS;
}
