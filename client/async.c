// SPDX-License-Identifier: MIT
/* The async batch API (client/include/teeq.h): one leased pair per queue. */
#include "client/internal.h"

#include <stdlib.h>
#include <string.h>

struct teeq_queue {
	struct teeq_chan *chan;
	struct teeq_qp *qp;
};

TEEQ_API TEEC_Result teeq_queue_open(TEEC_Context *context, teeq_queue **queue)
{
	struct teeq_queue *q;

	if (!context || !context->imp || !queue)
		return TEEC_ERROR_BAD_PARAMETERS;
	q = calloc(1, sizeof(*q));
	if (!q)
		return TEEC_ERROR_OUT_OF_MEMORY;
	q->chan = context->imp;
	q->qp = teeq_qp_lease_exclusive(q->chan, q);
	if (!q->qp) {
		free(q);
		return TEEC_ERROR_BUSY;
	}
	*queue = q;
	return TEEC_SUCCESS;
}

TEEQ_API void teeq_queue_close(teeq_queue *q)
{
	struct teeq_completion done[16];
	struct teeq_qp *qp;

	if (!q)
		return;
	qp = q->qp;
	teeq_submit(q);
	/* every operation completes (a dead peer completes them too) */
	while (qp->nr_free < qp->depth)
		teeq_reap(q, done, 16, 1, -1);
	__atomic_store_n(&qp->owner, NULL, __ATOMIC_RELEASE);
	free(q);
}

TEEQ_API unsigned int teeq_queue_space(teeq_queue *q)
{
	return q ? q->qp->nr_free : 0;
}

TEEQ_API TEEC_Result teeq_prep_invoke(teeq_queue *q, TEEC_Session *session,
				      uint32_t command, TEEC_Operation *op,
				      uint64_t user_data)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	TEEC_Result res;
	int tag;

	if (!q || !session || session->imp.chan != q->chan)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (teeq_chan_dead(q->chan))
		return TEEC_ERROR_TARGET_DEAD;
	qp = q->qp;
	if (!qp->nr_free)
		return TEEC_ERROR_BUSY;
	if (teeq_op_start(q->chan, op, session->session_id))
		return TEEC_ERROR_CANCEL;
	tag = teeq_qp_tag_alloc(qp, TEEQ_PENDING_ASYNC);
	p = &qp->pend[tag];
	sqe = teeq_qp_prep(qp, (uint32_t)tag);
	res = teeq_params_lower(qp, op, sqe, p);
	if (res != TEEC_SUCCESS) {
		qp->prepared--;
		teeq_qp_tag_free(qp, (uint32_t)tag);
		teeq_op_end(op);
		return res;
	}
	if (op)
		op->session = session;
	sqe->opcode = TEEQ_OP_INVOKE;
	sqe->cancel_id = op ? op->imp.cancel_id : 0;
	sqe->session = session->session_id;
	sqe->func = command;
	p->op = op;
	p->user_data = user_data;
	return TEEC_SUCCESS;
}

TEEQ_API unsigned int teeq_submit(teeq_queue *q)
{
	struct teeq_qp *qp;
	uint32_t n, i, tag;

	if (!q)
		return 0;
	qp = q->qp;
	n = qp->prepared;
	for (i = 0; i < n; i++) {
		tag = (uint32_t)qp->stage[i].user_data;
		qp->pend[tag].state = TEEQ_PENDING_IN_FLIGHT;
	}
	teeq_qp_commit(qp);
	if (teeq_chan_dead(q->chan))
		teeq_qp_fail_all(qp);
	return n;
}

TEEQ_API unsigned int teeq_reap(teeq_queue *q, struct teeq_completion *out,
				unsigned int max, unsigned int min,
				int timeout_ms)
{
	uint64_t deadline = 0;
	struct teeq_qp *qp;
	unsigned int n = 0;

	if (!q || !out)
		return 0;
	qp = q->qp;
	if (min > max)
		min = max;
	if (timeout_ms > 0)
		deadline = ring_now_ns() + (uint64_t)timeout_ms * 1000000;
	for (;;) {
		if (qp->nr_done < max - n)
			teeq_qp_poll(qp);
		while (n < max && qp->nr_done) {
			uint32_t tag = qp->done_head - 1;
			struct teeq_pending *p = &qp->pend[tag];

			qp->done_head = p->next_done;
			if (!qp->done_head)
				qp->done_tail = 0;
			qp->nr_done--;
			out[n].user_data = p->user_data;
			out[n].operation = p->op;
			out[n].result =
				teeq_params_raise(qp, p->op, p, &out[n].origin);
			teeq_op_end(p->op);
			teeq_qp_tag_free(qp, tag);
			n++;
		}
		if (n >= min || n == max || timeout_ms == 0)
			return n;
		if (timeout_ms < 0) {
			teeq_qp_wait_any(qp, -1);
		} else {
			uint64_t now = ring_now_ns();

			if (now >= deadline)
				return n;
			teeq_qp_wait_any(qp, (int64_t)(deadline - now));
			if (!qp->nr_done && ring_now_ns() >= deadline)
				return n;
		}
	}
}
