// SPDX-License-Identifier: MIT
/*
 * Clients that try to make teeq-sw block on a doorbell or on a descriptor
 * they sent, while another client must keep getting its calls served
 * (during and after), and SIGTERM must still stop teeq-sw promptly with
 * the attackers attached:
 *  - a HELLO with doorbells of its own, blocking eventfds at the maximum
 *    count (writing to one waits for ever), one of them watched from an
 *    epoll instance whose lock the client holds, so that closing it waits
 *    too (needs userfaultfd, so root: said so if not run): refused,
 *    disposed of without waiting;
 *  - a client that never reads its doorbells, with blocking flags and the
 *    smallest buffers, NEED_WAKEUP set on every completion ring and a NOP
 *    on every queue pair, again and again, so that teeq-sw's doorbells find
 *    its buffers full; it floods teeq-sw's ends meanwhile;
 *  - a client that closes its doorbells after the handshake: a hang-up,
 *    and not counted as misbehaviour.
 */
#include "tests/hostile/raw.h"

static struct sw_fixture fx;

enum attack_kind {
	OWN_EVENTFDS,
	FULL_DOORBELLS,
	CLOSED_DOORBELLS,
};

struct attack {
	enum attack_kind kind;
	int go; /* pipe: one byte, when to start */
	int report; /* pipe: the HELLO status, then how armed */
	int status, armed;
	pid_t pid;
};

static void report(struct attack *a, int value)
{
	CHECK_EQ(write(a->report, &value, sizeof(value)), sizeof(value));
}

/* Keeps every queue pair busy: completions taken, NEED_WAKEUP set again,
 * one more NOP, teeq-sw's end rung; for ever. */
static void keep_ringing(struct raw_client *rc, int flood)
{
	uint64_t n = 0;
	uint32_t i;
	char byte = 1;

	for (;;) {
		for (i = 0; i < rc->nr_qp; i++) {
			uint32_t done = ring_cons_avail(&rc->cq[i], 8);

			if (done)
				ring_cons_release(&rc->cq[i], done);
			if (ring_cons_prepare_sleep(&rc->cq[i]))
				continue;
			if (ring_prod_space(&rc->sq[i], 1))
				raw_nop(rc, i, n++);
			while (i < (uint32_t)rc->nr_db &&
			       send(rc->db[i], &byte, 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL) == 1 &&
			       flood)
				;
		}
		usleep(200);
	}
}

static int own_eventfds(struct attack *a)
{
	uint64_t full = 0xfffffffffffffffeull;
	int fds[2 * TEEQ_MAX_QPAIRS], status, trap;
	uint32_t i, nr = 2 * TEEQ_MAX_QPAIRS;
	struct raw_client rc;

	raw_region(&rc, TEEQ_MAX_QPAIRS, 8);
	for (i = 0; i < nr; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC); /* blocking */
		CHECK(fds[i] >= 0);
		CHECK_EQ(write(fds[i], &full, sizeof(full)), sizeof(full));
	}
	trap = raw_trap_fd();
	if (trap >= 0) {
		close(fds[0]);
		fds[0] = trap;
	}
	status = raw_hello(&rc, fx.sock, fds, (int)nr);
	report(a, status);
	report(a, trap >= 0 ? 1 : trap);
	pause();
	return 0;
}

static int full_doorbells(struct attack *a)
{
	struct raw_client rc;
	int tiny = 1, status;
	uint32_t i;

	raw_region(&rc, TEEQ_MAX_QPAIRS, 8);
	status = raw_hello(&rc, fx.sock, NULL, 0);
	report(a, status);
	if (status)
		return 1;
	for (i = 0; i < rc.nr_qp; i++) {
		/* our own descriptions: blocking, and as small as it gets */
		CHECK(!fcntl(rc.db[i], F_SETFL, 0));
		CHECK(!setsockopt(rc.db[i], SOL_SOCKET, SO_RCVBUF, &tiny,
				  sizeof(tiny)));
		CHECK(!setsockopt(rc.db[i], SOL_SOCKET, SO_SNDBUF, &tiny,
				  sizeof(tiny)));
	}
	report(a, 1);
	keep_ringing(&rc, 1);
	return 0;
}

static int closed_doorbells(struct attack *a)
{
	struct raw_client rc;
	int status;

	raw_region(&rc, 4, 8);
	status = raw_hello(&rc, fx.sock, NULL, 0);
	report(a, status);
	if (status)
		return 1;
	while (rc.nr_db > 0)
		close(rc.db[--rc.nr_db]);
	report(a, 1);
	keep_ringing(&rc, 0);
	return 0;
}

static int attack_main(void *arg)
{
	struct attack *a = arg;
	char byte;

	CHECK_EQ(read(a->go, &byte, 1), 1);
	switch (a->kind) {
	case OWN_EVENTFDS:
		return own_eventfds(a);
	case FULL_DOORBELLS:
		return full_doorbells(a);
	case CLOSED_DOORBELLS:
		return closed_doorbells(a);
	}
	return 1;
}

/* Forks an attacker that waits for its go: before the good client's
 * thread exists, since a process with threads should not fork one that
 * makes threads (ThreadSanitizer refuses it). */
static void attack_fork(struct attack *a, enum attack_kind kind)
{
	int go[2], report[2];

	CHECK(!pipe(go) && !pipe(report));
	a->kind = kind;
	a->go = go[0];
	a->report = report[1];
	a->pid = hostile_spawn(attack_main, a);
	close(go[0]);
	close(report[1]);
	a->go = go[1];
	a->report = report[0];
}

/* Lets it go; its HELLO status and how it is armed (1, or -errno of what
 * it lacked) come back. */
static void attack_go(struct attack *a)
{
	CHECK_EQ(write(a->go, "", 1), 1);
	CHECK_EQ(read(a->report, &a->status, sizeof(a->status)),
		 sizeof(a->status));
	CHECK_EQ(read(a->report, &a->armed, sizeof(a->armed)),
		 sizeof(a->armed));
}

static void wait_clients(uint64_t clients)
{
	struct teeq_sw_stats st;
	uint64_t t0 = t_now_ms();

	do {
		sw_fixture_stats(&fx, &st);
		if (st.clients == clients)
			break;
		usleep(2000);
	} while (t_now_ms() - t0 < 5000);
	CHECK_EQ(st.clients, clients);
	CHECK_EQ(st.clients_dropped, 0);
}

int main(void)
{
	struct attack own, full, closed;
	struct good_client good;
	struct teeq_sw_stats st;

	hostile_watchdog(60);
	sw_fixture_start(&fx);
	attack_fork(&own, OWN_EVENTFDS);
	attack_fork(&full, FULL_DOORBELLS);
	attack_fork(&closed, CLOSED_DOORBELLS);
	good_start(&good);
	good_watch(&good, 200, "before");

	attack_go(&own);
	CHECK(own.status < 0); /* refused: teeq-sw makes the doorbells */
	if (own.armed != 1)
		fprintf(stderr,
			"note: userfaultfd cannot hold a kernel fault here "
			"(%s): the descriptor whose close waits is not "
			"tried\n",
			strerror(-own.armed));
	good_watch(&good, 1000, "own eventfds, one a trap");
	/* the control thread is not stuck on the trap */
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients_refused, 1);

	attack_go(&full);
	CHECK_EQ(full.status, 0);
	good_watch(&good, 2000, "full doorbells");
	wait_clients(2);

	attack_go(&closed);
	CHECK_EQ(closed.status, 0);
	good_watch(&good, 500, "closed doorbells");
	/* a hang-up, not misbehaviour; its connection is still open */
	wait_clients(2);

	sw_fixture_stats(&fx, &st);
	CHECK(st.calls > 1000);
	/* SIGTERM, with the attackers attached and busy */
	good_stop(&good);
	hostile_sw_term(&fx, 5000);
	hostile_reap(own.pid, SIGKILL);
	hostile_reap(full.pid, SIGKILL);
	hostile_reap(closed.pid, SIGKILL);
	hostile_reap_orphans(2000);
	return T_PASS;
}
