// SPDX-License-Identifier: MIT
/* Host mode's transport; see client/rings.h. */
#include "client/rings.h"

#include <unistd.h>

/* A pair's rings in the channel's region; its doorbell comes with the
 * handshake. */
static int teeq_rings_qp_init(struct teeq_qp *qp)
{
	struct teeq_chan *chan = qp->chan;

	qp->db = -1; /* from the handshake */
	qp->wait.poll_fd = -1;
	if (channel_attach_qpair(chan->region, &chan->layout, qp->index,
				 &qp->sq, RING_PRODUCER, &qp->cq,
				 RING_CONSUMER))
		return -EPROTO;
	qp->depth = qp->sq.entries;
	return 0;
}

static void teeq_rings_qp_fini(struct teeq_qp *qp)
{
	ring_wait_fini(&qp->wait);
	if (qp->db >= 0)
		close(qp->db);
}

static int teeq_rings_wait_op(struct teeq_qp *qp, uint32_t want,
			      int64_t timeout_ns)
{
	(void)want; /* the rings' waiter wakes for the first */
	return teeq_rings_wait(qp, timeout_ns);
}

static int teeq_rings_submit_op(struct teeq_qp *qp, const struct teeq_sqe *sqes,
				uint32_t n)
{
	(void)sqes; /* filled in place, in the ring's slots */
	return teeq_rings_submit(qp, n);
}

static int teeq_rings_ready_op(struct teeq_qp *qp, uint32_t want)
{
	return teeq_rings_ready(qp, want);
}

static const struct teeq_cqe *teeq_rings_cqe_op(struct teeq_qp *qp, uint32_t i)
{
	return teeq_rings_cqe(qp, i);
}

static void teeq_rings_consume_op(struct teeq_qp *qp, uint32_t n)
{
	teeq_rings_consume(qp, n);
}

const struct teeq_xport_ops teeq_rings_ops = {
	.qp_init = teeq_rings_qp_init,
	.qp_fini = teeq_rings_qp_fini,
	.submit = teeq_rings_submit_op,
	.ready = teeq_rings_ready_op,
	.cqe = teeq_rings_cqe_op,
	.consume = teeq_rings_consume_op,
	.wait = teeq_rings_wait_op,
};
