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
	uint32_t ctx_id; /* its context's id */
	struct teeq_chan *chan;
	/* the pair it leased; NULL once its context is finalized, when
	 * the queue only fails cleanly */
	struct teeq_qp *qp;
	struct teeq_queue *next; /* the channel's queues (chan->queues) */
};

/* The context is being finalized: its queues are left with nothing, and
 * fail cleanly from now on. */
void teeq_queues_orphan(struct teeq_chan *chan)
{
	struct teeq_queue *q;

	pthread_mutex_lock(&chan->ctl_lock);
	for (q = chan->queues; q; q = q->next) {
		q->qp = NULL;
		q->chan = NULL;
	}
	chan->queues = NULL;
	pthread_mutex_unlock(&chan->ctl_lock);
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
	pthread_mutex_lock(&q->chan->ctl_lock);
	q->next = q->chan->queues;
	q->chan->queues = q;
	pthread_mutex_unlock(&q->chan->ctl_lock);
	*queue = q;
	return TEEC_SUCCESS;
}

TEEQ_API void teeq_queue_close(teeq_queue *q)
{
	struct teeq_completion done[16];
	struct teeq_queue **pp;
	struct teeq_qp *qp;

	if (!q)
		return;
	qp = q->qp;
	if (qp) {
		teeq_submit(q);
		/* every operation completes (a dead peer completes them) */
		while (qp->nr_free < qp->depth)
			teeq_reap(q, done, 16, 1, -1);
		pthread_mutex_lock(&q->chan->ctl_lock);
		for (pp = &q->chan->queues; *pp != q; pp = &(*pp)->next)
			;
		*pp = q->next;
		pthread_mutex_unlock(&q->chan->ctl_lock);
		teeq_qp_release(qp);
	}
	free(q);
}

TEEQ_API unsigned int teeq_queue_space(teeq_queue *q)
{
	return q && q->qp ? q->qp->nr_free : 0;
}

/* An invocation's entry, all but its operation's part (a call without
 * one is complete with it): *@sqep and *@tagp are its entry and tag. */
TEEQ_ALWAYS_INLINE TEEC_Result
teeq_prep_entry(teeq_queue *q, TEEC_Session *session, uint32_t command,
		TEEC_Operation *op, uint64_t user_data, struct teeq_sqe **sqep,
		uint32_t *tagp)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;

	if (teeq_unlikely(!q || !session || session->imp.ctx_id != q->ctx_id))
		return TEEC_ERROR_BAD_PARAMETERS;
	qp = q->qp;
	if (teeq_unlikely(!qp))
		return TEEC_ERROR_BAD_STATE; /* its context was finalized */
	if (teeq_unlikely(teeq_chan_dead(q->chan)))
		return TEEC_ERROR_TARGET_DEAD;
	sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_ASYNC, tagp, &p);
	if (teeq_unlikely(!sqe))
		return TEEC_ERROR_BUSY;
	p->op = op;
	p->user_data = user_data;
	sqe->opcode = TEEQ_OP_INVOKE;
	sqe->session = session->session_id;
	sqe->func = command;
	*sqep = sqe;
	return TEEC_SUCCESS;
}

/* An invocation with an operation: its entry, then the operation lowered
 * and started (or found cancelled, and the entry taken back). Out of
 * line: the call without one needs no registers saved. */
static __attribute__((noinline)) TEEC_Result
teeq_prep_invoke_op(teeq_queue *q, TEEC_Session *session, uint32_t command,
		    TEEC_Operation *op, uint64_t user_data)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	TEEC_Result res;
	uint32_t tag;

	res = teeq_prep_entry(q, session, command, op, user_data, &sqe, &tag);
	if (res != TEEC_SUCCESS)
		return res;
	qp = q->qp;
	p = &qp->pend[tag];
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
	return TEEC_SUCCESS;
}

TEEQ_API TEEC_Result teeq_prep_invoke(teeq_queue *q, TEEC_Session *session,
				      uint32_t command, TEEC_Operation *op,
				      uint64_t user_data)
{
	struct teeq_sqe *sqe;
	uint32_t tag;

	if (op)
		return teeq_prep_invoke_op(q, session, command, op, user_data);
	return teeq_prep_entry(q, session, command, NULL, user_data, &sqe,
			       &tag);
}

TEEQ_API unsigned int teeq_submit(teeq_queue *q)
{
	uint32_t n;

	if (!q || !q->qp)
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
	struct teeq_qp *qp;
	unsigned int n = 0;

	if (!q || !out || !q->qp)
		return 0;
	qp = q->qp;
	if (min > max)
		min = max;
	if (timeout_ms > 0)
		deadline = ring_now_ns() + (uint64_t)timeout_ms * 1000000;
	for (;;) {
		n += teeq_qp_reap_into(qp, out + n, max - n);
		/* nothing more will come: never wait for it */
		if (n >= min || timeout_ms == 0 ||
		    (!qp->in_flight && !qp->nr_done))
			return n;
		if (timeout_ms < 0) {
			teeq_qp_wait(qp, min - n, -1);
			continue;
		}
		now = ring_now_ns();
		if (now >= deadline)
			return n;
		teeq_qp_wait(qp, min - n, (int64_t)(deadline - now));
	}
}
