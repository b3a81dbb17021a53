/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Waiting for a ring, user space: spin for a budget, then sleep with
 * NEED_WAKEUP set until the producer rings the doorbell.
 *
 * The doorbell is a futex on the ring's own tail word (no extra shared
 * state: the producer's tail store is the event), an eventfd that the
 * producer writes, or a SOCK_SEQPACKET socketpair: the producer sends a
 * byte on its end and the consumer sleeps on its own. The last two are
 * pollable, so one thread can sleep on many rings and on a peer's socket
 * at once. An eventfd is for peers that trust each other (the description
 * is shared: either could clear O_NONBLOCK and fill or drain it); with a
 * socketpair each end is one side's alone and every send and receive is
 * MSG_DONTWAIT, so neither side can make the other block (uapi/teeq_host.h
 * says why host mode needs that). A consumer sleeps on a socket through an
 * epoll instance of its own that watches its end: a socket wakes a direct
 * sleeper with the scheduler's "sync" hint, which would queue it on the
 * CPU of a producer that goes on polling; an epoll instance passes the
 * wake-up on without it. The kernel side has its own wait code.
 */
#ifndef TEEQ_RING_WAIT_H
#define TEEQ_RING_WAIT_H

#include "ring.h"

#include <stdint.h>

struct ring_wait {
	uint64_t spin_ns; /* busy-poll budget before sleeping; 0: none */
	/* -1: futex on the tail; else the doorbell, an eventfd or our end
	 * of a socketpair */
	int event_fd;
	int poll_fd; /* a socket's: an epoll instance of ours watching it */
	int hangup_fd; /* -1, or an fd whose hangup means the peer died */
	/* counters, for stats and benchmarks; written by the waiter only,
	 * atomically, so that others may read them */
	uint64_t spin_hits; /* waits satisfied while spinning */
	uint64_t sleeps; /* times actually put to sleep */
};

/* Returns 0, or -errno if a socket's epoll instance cannot be made (then
 * waits fall back to the futex). ring_wait_fini() lets it go. */
int ring_wait_init(struct ring_wait *w, uint64_t spin_ns, int event_fd,
		   int hangup_fd);
void ring_wait_fini(struct ring_wait *w);

/*
 * Wait until the consumer ring @r has entries. @timeout_ns < 0 waits
 * forever. Returns the number known available (> 0; stamps are looked at
 * up to @want), 0 on timeout, -EPIPE when the ring is broken or the
 * hang-up fd reports the peer gone.
 */
long ring_wait_entries(struct ring *r, struct ring_wait *w, __u32 want,
		       int64_t timeout_ns);

/* Producer side: wake a consumer sleeping in ring_wait_entries() on the
 * futex (@event_fd -1) or on an eventfd. */
void ring_doorbell(struct ring *r, int event_fd);

/* The same on our end of a socketpair. Never blocks: a full socket buffer
 * means that the consumer has wake-ups waiting already. */
void ring_doorbell_socket(int sock);

/* Consumer side: takes the rings waiting on our end of a socketpair,
 * without blocking, at most a bounded number (a flood waits for the next
 * call). Returns -EPIPE if the peer hung up (an empty message counts as
 * that), else 0. */
int ring_doorbell_drain(int sock);

uint64_t ring_now_ns(void);

#endif /* TEEQ_RING_WAIT_H */
