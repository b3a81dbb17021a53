// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Polls between two clock reads while spinning: a clock read costs about
 * as much as a few dozen polls of a cache line. */
#define RING_WAIT_POLLS_PER_CLOCK 64
/* Longest single sleep when a hang-up fd cannot be polled together with
 * the doorbell (futex doorbells): how late a dead peer may be noticed. */
#define RING_WAIT_FUTEX_SLICE_NS 20000000ll
/* Doorbell messages taken per drain: one per burst is all a well-behaved
 * peer sends while we sleep. */
#define RING_DOORBELL_DRAIN_MAX 16

uint64_t ring_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int ring_wait_init(struct ring_wait *w, uint64_t spin_ns, int event_fd,
		   int hangup_fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	socklen_t len = sizeof(int);
	int type, err = 0;

	w->spin_ns = spin_ns;
	w->event_fd = event_fd;
	w->poll_fd = -1;
	w->hangup_fd = hangup_fd;
	w->spin_hits = 0;
	w->sleeps = 0;
	if (event_fd < 0 ||
	    getsockopt(event_fd, SOL_SOCKET, SO_TYPE, &type, &len))
		return 0; /* the futex, or an eventfd */
	w->poll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (w->poll_fd < 0 ||
	    epoll_ctl(w->poll_fd, EPOLL_CTL_ADD, event_fd, &ev)) {
		err = -errno;
		if (w->poll_fd >= 0)
			close(w->poll_fd);
		w->poll_fd = w->event_fd = -1;
	}
	return err;
}

void ring_wait_fini(struct ring_wait *w)
{
	if (w->poll_fd >= 0)
		close(w->poll_fd);
	w->poll_fd = -1;
}

void ring_doorbell(struct ring *r, int event_fd)
{
	uint64_t one = 1;

	if (event_fd >= 0) {
		/* EAGAIN means the counter is saturated: a wake-up is pending */
		(void)!write(event_fd, &one, sizeof(one));
		return;
	}
	syscall(SYS_futex, &r->hdr->tail, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void ring_doorbell_socket(int sock)
{
	char one = 1;

	/* MSG_DONTWAIT whatever the socket's flags; EAGAIN means the consumer
	 * has not taken the earlier rings yet, so it is awake or about to be.
	 * MSG_NOSIGNAL: a consumer gone is noticed by its hang-up, not by a
	 * SIGPIPE here. */
	(void)!send(sock, &one, sizeof(one), MSG_DONTWAIT | MSG_NOSIGNAL);
}

int ring_doorbell_drain(int sock)
{
	char byte[RING_DOORBELL_DRAIN_MAX];
	struct iovec iov[RING_DOORBELL_DRAIN_MAX];
	struct mmsghdr msg[RING_DOORBELL_DRAIN_MAX];
	int i, n;

	for (i = 0; i < RING_DOORBELL_DRAIN_MAX; i++) {
		iov[i] = (struct iovec){ &byte[i], 1 };
		msg[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
							.msg_iovlen = 1 } };
	}
	/* one system call for every ring waiting, as for an eventfd's one
	 * read, not one each plus one to find the queue empty */
	n = recvmmsg(sock, msg, RING_DOORBELL_DRAIN_MAX, MSG_DONTWAIT, NULL);
	for (i = 0; i < n; i++)
		if (!msg[i].msg_len) /* end of file reads as empty messages */
			return -EPIPE;
	return 0;
}

static int ring_wait_hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = 0 };

	return poll(&pfd, 1, 0) > 0 &&
	       (pfd.revents & (POLLHUP | POLLERR | POLLNVAL | POLLRDHUP));
}

/* One sleep, at most @ns (< 0: unbounded). Returns -EPIPE if the peer hung
 * up, else 0; wake-ups may be spurious. */
static int ring_wait_sleep(struct ring *r, struct ring_wait *w, int64_t ns)
{
	if (w->event_fd >= 0) {
		struct pollfd pfd[2] = {
			{ .fd = w->poll_fd >= 0 ? w->poll_fd : w->event_fd,
			  .events = POLLIN },
			{ .fd = w->hangup_fd, .events = POLLRDHUP },
		};
		int ms = ns < 0 ? -1 : (int)((ns + 999999) / 1000000);
		uint64_t count;

		if (poll(pfd, w->hangup_fd >= 0 ? 2 : 1, ms) < 0 &&
		    errno != EINTR)
			return -errno;
		if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL | POLLRDHUP))
			return -EPIPE;
		if (!(pfd[0].revents & POLLIN))
			return 0;
		/* a socket's own hang-up makes its epoll instance readable
		 * too, and reads as end of file */
		if (w->poll_fd >= 0)
			return ring_doorbell_drain(w->event_fd);
		(void)!read(w->event_fd, &count, sizeof(count));
		return 0;
	}

	if (w->hangup_fd >= 0) {
		if (ring_wait_hung_up(w->hangup_fd))
			return -EPIPE;
		if (ns < 0 || ns > RING_WAIT_FUTEX_SLICE_NS)
			ns = RING_WAIT_FUTEX_SLICE_NS;
	}
	{
		struct timespec ts = { ns / 1000000000, ns % 1000000000 };

		/* sleeps only while the tail is still what we saw when we
		 * announced sleep */
		syscall(SYS_futex, &r->hdr->tail, FUTEX_WAIT, r->sleep_tail,
			ns < 0 ? NULL : &ts, NULL, 0);
	}
	return 0;
}

/* One burst of polls: > 0 when an entry arrived, -EPIPE, or 0. */
static long ring_wait_burst(struct ring *r, struct ring_wait *w)
{
	int i;

	for (i = 0; i < RING_WAIT_POLLS_PER_CLOCK; i++) {
		if (ring_cons_refresh(r, 1)) {
			/* stored atomically: stats read it from elsewhere */
			__atomic_store_n(&w->spin_hits, w->spin_hits + 1,
					 __ATOMIC_RELAXED);
			return 1;
		}
		if (ring_broken(r))
			return -EPIPE;
		teeq_cpu_relax();
	}
	return 0;
}

long ring_wait_entries(struct ring *r, struct ring_wait *w, __u32 want,
		       int64_t timeout_ns)
{
	uint64_t now, spin_end, deadline = UINT64_MAX;
	__u32 avail;
	long ret;

	avail = ring_cons_avail(r, want);
	if (avail)
		return avail;
	if (ring_broken(r))
		return -EPIPE;
	if (timeout_ns == 0)
		return 0;

	/* a first burst before reading the clock at all: a reply that is
	 * already on its way is seen without a clock read's delay */
	ret = w->spin_ns ? ring_wait_burst(r, w) : 0;
	if (ret)
		return ret > 0 ? ring_cons_avail(r, want) : ret;
	now = ring_now_ns();
	if (timeout_ns > 0)
		deadline = now + (uint64_t)timeout_ns;
	spin_end = now + w->spin_ns < deadline ? now + w->spin_ns : deadline;
	while (!ret && now < spin_end) {
		ret = ring_wait_burst(r, w);
		now = ring_now_ns();
	}
	if (ret)
		return ret > 0 ? ring_cons_avail(r, want) : ret;

	for (;;) {
		avail = ring_cons_prepare_sleep(r);
		if (avail)
			return ring_cons_avail(r, want);
		if (ring_broken(r))
			return -EPIPE;
		if (now >= deadline) {
			ring_cons_end_sleep(r);
			return 0;
		}
		__atomic_store_n(&w->sleeps, w->sleeps + 1, __ATOMIC_RELAXED);
		ret = ring_wait_sleep(r, w,
				      deadline == UINT64_MAX ?
					      -1 :
					      (int64_t)(deadline - now));
		ring_cons_end_sleep(r);
		if (ret)
			return ret;
		avail = ring_cons_refresh(r, want);
		if (avail)
			return avail;
		now = ring_now_ns();
	}
}
