// SPDX-License-Identifier: MIT
/* Host mode's transport; see client/rings.h. */
#include "client/rings.h"

static int teeq_rings_wait_op(struct teeq_qp *qp, int64_t timeout_ns)
{
	return teeq_rings_wait(qp, timeout_ns);
}

static int teeq_rings_submit_op(struct teeq_qp *qp, const struct teeq_sqe *sqes,
				uint32_t n)
{
	return teeq_rings_submit(qp, sqes, n);
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
	.submit = teeq_rings_submit_op,
	.ready = teeq_rings_ready_op,
	.cqe = teeq_rings_cqe_op,
	.consume = teeq_rings_consume_op,
	.wait = teeq_rings_wait_op,
};
