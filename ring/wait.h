/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Waiting for a ring, user space: spin for a budget, then sleep with
 * NEED_WAKEUP set until the producer rings the doorbell.
 *
 * The doorbell is either a futex on the ring's own tail word (no extra
 * shared state: the producer's tail store is the event) or an eventfd that
 * the producer writes (pollable, so one thread can sleep on many rings and
 * on a peer's socket at once). The kernel side has its own wait code.
 */
#ifndef TEEQ_RING_WAIT_H
#define TEEQ_RING_WAIT_H

#include "ring.h"

#include <stdint.h>

struct ring_wait {
	uint64_t spin_ns; /* busy-poll budget before sleeping; 0: none */
	int event_fd; /* -1: futex on the tail; else the doorbell eventfd */
	int hangup_fd; /* -1, or an fd whose hangup means the peer died */
	/* counters, for stats and benchmarks; written by the waiter only,
	 * atomically, so that others may read them */
	uint64_t spin_hits; /* waits satisfied while spinning */
	uint64_t sleeps; /* times actually put to sleep */
};

void ring_wait_init(struct ring_wait *w, uint64_t spin_ns, int event_fd,
		    int hangup_fd);

/*
 * Wait until the consumer ring @r has entries. @timeout_ns < 0 waits
 * forever. Returns the number known available (> 0; stamps are looked at
 * up to @want), 0 on timeout, -EPIPE when the ring is broken or the
 * hang-up fd reports the peer gone.
 */
long ring_wait_entries(struct ring *r, struct ring_wait *w, __u32 want,
		       int64_t timeout_ns);

/* Producer side: wake a consumer sleeping in ring_wait_entries(). */
void ring_doorbell(struct ring *r, int event_fd);

uint64_t ring_now_ns(void);

#endif /* TEEQ_RING_WAIT_H */
