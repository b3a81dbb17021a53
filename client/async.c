// SPDX-License-Identifier: MIT
/*
 * The async batch API (client/include/teeq.h): a queue is an exclusive
 * queue pair leased for the queue's life, driven through the lifecycle
 * verbs of queue.c.
 */
#include "client/internal.h"

#include <stdlib.h>
#include <string.h>

struct teeq_queue {
	uint32_t ctx_id; /* its context's id: the queue outlives it safely */
	struct teeq_chan *chan;
	struct teeq_qp *qp;
};

/* The queue's channel while its context is open, else NULL: a queue
 * still open when its context was finalized fails cleanly. */
static inline struct teeq_chan *teeq_queue_chan(const struct teeq_queue *q)
{
	return teeq_chan_lookup(q->ctx_id);
}

TEEQ_API TEEC_Result teeq_queue_open(TEEC_Context *context, teeq_queue **queue)
{
	struct teeq_queue *q;

	if (!context || !context->imp || !queue)
		return TEEC_ERROR_BAD_PARAMETERS;
	q = calloc(1, sizeof(*q));
	if (!q)
		return TEEC_ERROR_OUT_OF_MEMORY;
	q->chan = context->imp;
	q->ctx_id = q->chan->id;
	q->qp = teeq_qp_lease_queue(q->chan, q);
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
	if (teeq_queue_chan(q)) {
		qp = q->qp;
		teeq_submit(q);
		/* every operation completes (a dead peer completes them) */
		while (qp->nr_free < qp->depth)
			teeq_reap(q, done, 16, 1, -1);
		teeq_qp_release(qp);
	}
	free(q);
}

TEEQ_API unsigned int teeq_queue_space(teeq_queue *q)
{
	return q && teeq_queue_chan(q) ? q->qp->nr_free : 0;
}

TEEQ_API TEEC_Result teeq_prep_invoke(teeq_queue *q, TEEC_Session *session,
				      uint32_t command, TEEC_Operation *op,
				      uint64_t user_data)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	TEEC_Result res;
	uint32_t tag;

	if (teeq_unlikely(!q || !session || session->imp.ctx_id != q->ctx_id))
		return TEEC_ERROR_BAD_PARAMETERS;
	if (teeq_unlikely(!teeq_queue_chan(q)))
		return TEEC_ERROR_BAD_STATE; /* its context was finalized */
	if (teeq_unlikely(teeq_chan_dead(q->chan)))
		return TEEC_ERROR_TARGET_DEAD;
	qp = q->qp;
	sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_ASYNC, &tag);
	if (!sqe)
		return TEEC_ERROR_BUSY;
	p = &qp->pend[tag];
	p->op = op;
	p->user_data = user_data;
	sqe->opcode = TEEQ_OP_INVOKE;
	sqe->session = session->session_id;
	sqe->func = command;
	if (op) {
		op->session = session;
		res = teeq_op_cancelled(op) ? TEEC_ERROR_CANCEL :
					      teeq_params_lower(qp, op, sqe, p);
		if (res == TEEC_SUCCESS &&
		    teeq_op_start(q->chan, op, session->session_id)) {
			teeq_params_drop(qp, p);
			res = TEEC_ERROR_CANCEL;
		}
		if (teeq_unlikely(res != TEEC_SUCCESS)) {
			teeq_qp_unprep(qp, tag);
			return res;
		}
		sqe->cancel_id = op->imp.cancel_id;
	}
	return TEEC_SUCCESS;
}

TEEQ_API unsigned int teeq_submit(teeq_queue *q)
{
	uint32_t n;

	if (!q || !teeq_queue_chan(q))
		return 0;
	n = q->qp->prepared;
	teeq_qp_publish(q->qp);
	if (teeq_unlikely(teeq_chan_dead(q->chan)))
		teeq_qp_fail_all(q->qp);
	return n;
}

TEEQ_API unsigned int teeq_reap(teeq_queue *q, struct teeq_completion *out,
				unsigned int max, unsigned int min,
				int timeout_ms)
{
	uint64_t deadline = 0, now;
	struct teeq_completion *c;
	struct teeq_pending *p;
	struct teeq_qp *qp;
	unsigned int n = 0;
	uint32_t tag;

	if (!q || !out || !teeq_queue_chan(q))
		return 0;
	qp = q->qp;
	if (min > max)
		min = max;
	if (timeout_ms > 0)
		deadline = ring_now_ns() + (uint64_t)timeout_ms * 1000000;
	for (;;) {
		if (qp->nr_done < max - n)
			teeq_qp_poll(qp);
		while (n < max && (p = teeq_qp_pop_done(qp, &tag))) {
			c = &out[n++];
			c->user_data = p->user_data;
			c->operation = p->op;
			c->result = teeq_params_raise(qp, p->op, p, &c->origin);
			teeq_op_end(p->op);
			teeq_qp_put(qp, tag);
		}
		/* nothing more will come: never wait for it */
		if (n >= min || n == max || timeout_ms == 0 || !qp->in_flight)
			return n;
		if (timeout_ms < 0) {
			teeq_qp_wait_any(qp, -1);
			continue;
		}
		now = ring_now_ns();
		if (now >= deadline)
			return n;
		teeq_qp_wait_any(qp, (int64_t)(deadline - now));
	}
}
