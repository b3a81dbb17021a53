/* SPDX-License-Identifier: MIT */
/*
 * Host mode's transport: entries go straight into the channel's shared
 * rings (ring/ring.h), completions come straight out of them, and a
 * doorbell (our end of a socketpair teeq-sw made, uapi/teeq_host.h) is
 * rung only when the secure world's worker has said it is going to sleep. Waiting spins for the channel's budget, then
 * sleeps on the completion doorbell and the socket, whose hangup means
 * teeq-sw is gone.
 *
 * These are the ops of teeq_rings_ops (rings.c); the call path inlines
 * them when a channel uses them (teeq_xport_*() in client/internal.h).
 */
#ifndef TEEQ_CLIENT_RINGS_H
#define TEEQ_CLIENT_RINGS_H

#include "client/internal.h"

#include <errno.h>

/*
 * Publishes the @n entries got since the last submit, filled in place in
 * the ring's slots (teeq_qp_sqe_at()): their stamps, the tail, and a
 * doorbell when the secure world sleeps.
 *
 * The ring's head is never read: credits alone make room. Every entry in
 * the ring holds one of the pair's tags until its completion is seen (the
 * solo call is alone on its pair), the ring has a slot per tag, and the
 * secure world takes entries in order and is done with one before it posts
 * a completion for it or for any later one; so a free tag means the slot
 * about to be filled was taken. The head's line is written by the secure
 * world's worker every batch: reading it here would take the line from the
 * worker, whose next store would wait to get it back. A secure world that
 * completes calls without taking their entries has only its own view of
 * our slots overwritten.
 */
TEEQ_ALWAYS_INLINE int teeq_rings_submit(struct teeq_qp *qp, uint32_t n)
{
	int bell = ring_prod_commit(&qp->sq, n);

	/* the next batch's lines, asked for while we reap and wait, on the
	 * guess that it is as big as this one */
	ring_prod_prefetch(&qp->sq, n);
	if (teeq_unlikely(bell)) {
		ring_doorbell_socket(qp->db);
		TEEQ_QP_STAT(qp, doorbells, 1);
		if (ring_broken(&qp->sq))
			return -EPROTO;
	}
	return 0;
}

TEEQ_ALWAYS_INLINE int teeq_rings_ready(struct teeq_qp *qp, uint32_t want)
{
	uint32_t n = ring_cons_avail(&qp->cq, want);

	if (teeq_unlikely(!n && ring_broken(&qp->cq)))
		return -EPROTO;
	return (int)n;
}

TEEQ_ALWAYS_INLINE const struct teeq_cqe *teeq_rings_cqe(struct teeq_qp *qp,
							 uint32_t i)
{
	return (const struct teeq_cqe *)ring_cons_slot(&qp->cq, i);
}

TEEQ_ALWAYS_INLINE void teeq_rings_consume(struct teeq_qp *qp, uint32_t n)
{
	ring_cons_release(&qp->cq, n);
}

/* Spin, then sleep on the completion doorbell and the socket. */
TEEQ_ALWAYS_INLINE int teeq_rings_wait(struct teeq_qp *qp, int64_t timeout_ns)
{
	long ret = ring_wait_entries(&qp->cq, &qp->wait, 1, timeout_ns);

	if (teeq_likely(ret >= 0))
		return 0;
	return ring_broken(&qp->cq) ? -EPROTO : -EPIPE;
}

#endif /* TEEQ_CLIENT_RINGS_H */
