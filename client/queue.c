// SPDX-License-Identifier: MIT
/*
 * Queue pairs, client side. Each thread leases its own queue pair (as
 * NVMe and blk-mq give each CPU its own queue), so the call path takes no
 * lock; threads beyond the pairs available share the last pair under a
 * mutex. In-flight calls are bounded by the ring depth (the credits): a
 * call holds a tag, which is its slot in the pending table and its
 * user_data on the wire, from submission until its completion is consumed.
 *
 * Completions are untrusted: one that names no call in flight, or has
 * fields it may not have, kills the channel.
 */
#include "client/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define TEEQ_TL_SLOTS 8

/* The calling thread's leases: a small cache keyed by channel + gen. */
struct teeq_lease {
	struct teeq_chan *chan;
	uint64_t gen;
	struct teeq_qp *qp;
};

static __thread struct teeq_lease teeq_tl[TEEQ_TL_SLOTS];
static __thread char teeq_tl_token; /* its address names this thread */
static pthread_key_t teeq_tl_key;
static pthread_once_t teeq_tl_once = PTHREAD_ONCE_INIT;

/* Thread exit: hand our leases back to the channels still open. */
static void teeq_tl_release(void *unused)
{
	int i;

	(void)unused;
	for (i = 0; i < TEEQ_TL_SLOTS; i++) {
		struct teeq_lease *l = &teeq_tl[i];

		if (l->chan && teeq_chan_alive(l->chan, l->gen) &&
		    !l->qp->shared)
			__atomic_store_n(&l->qp->owner, NULL, __ATOMIC_RELEASE);
		l->chan = NULL;
	}
}

static void teeq_tl_init(void)
{
	pthread_key_create(&teeq_tl_key, teeq_tl_release);
}

int teeq_qp_init(struct teeq_chan *chan, uint32_t index)
{
	struct teeq_qp *qp = &chan->qp[index];
	uint32_t i;

	qp->chan = chan;
	qp->index = index;
	qp->sq_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	qp->cq_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (qp->sq_db < 0 || qp->cq_db < 0)
		return -errno;
	if (channel_attach_qpair(chan->region, &chan->layout, index, &qp->sq,
				 RING_PRODUCER, &qp->cq, RING_CONSUMER))
		return -EPROTO;
	qp->depth = qp->sq.entries;
	qp->pend = calloc(qp->depth, sizeof(*qp->pend));
	qp->free_tags = calloc(qp->depth, sizeof(*qp->free_tags));
	qp->stage = aligned_alloc(TEEQ_CACHELINE,
				  (size_t)qp->depth * sizeof(*qp->stage));
	if (!qp->pend || !qp->free_tags || !qp->stage ||
	    pthread_mutex_init(&qp->lock, NULL) ||
	    pthread_cond_init(&qp->cond, NULL))
		return -ENOMEM;
	for (i = 0; i < qp->depth; i++)
		qp->free_tags[i] = qp->depth - 1 - i;
	qp->nr_free = qp->depth;
	/* the last pair is the shared overflow pair */
	qp->shared = index == chan->nr_qp - 1;
	return 0;
}

void teeq_qp_fini(struct teeq_qp *qp)
{
	if (!qp->chan)
		return;
	if (qp->sq_db >= 0)
		close(qp->sq_db);
	if (qp->cq_db >= 0)
		close(qp->cq_db);
	free(qp->pend);
	free(qp->free_tags);
	free(qp->stage);
	pthread_mutex_destroy(&qp->lock);
	pthread_cond_destroy(&qp->cond);
}

/* ---- leases ------------------------------------------------------------------- */

struct teeq_qp *teeq_qp_lease_exclusive(struct teeq_chan *chan, void *owner)
{
	uint32_t i;
	void *none;

	for (i = 0; i + 1 < chan->nr_qp; i++) {
		none = NULL;
		if (__atomic_compare_exchange_n(&chan->qp[i].owner, &none,
						owner, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return &chan->qp[i];
	}
	return NULL;
}

struct teeq_qp *teeq_qp_get(struct teeq_chan *chan)
{
	struct teeq_lease *l, *slot = NULL;
	struct teeq_qp *qp;
	int i;

	for (i = 0; i < TEEQ_TL_SLOTS; i++) {
		l = &teeq_tl[i];
		if (l->chan == chan && l->gen == chan->gen)
			return l->qp;
		/* a free slot, or one for a channel since closed */
		if (!slot && (!l->chan || !teeq_chan_alive(l->chan, l->gen)))
			slot = l;
	}
	if (!slot) /* this thread uses many contexts at once */
		return &chan->qp[chan->nr_qp - 1];
	pthread_once(&teeq_tl_once, teeq_tl_init);
	pthread_setspecific(teeq_tl_key, &teeq_tl_token);
	qp = teeq_qp_lease_exclusive(chan, &teeq_tl_token);
	if (!qp)
		qp = &chan->qp[chan->nr_qp - 1];
	*slot = (struct teeq_lease){ chan, chan->gen, qp };
	return qp;
}

/* ---- tags ----------------------------------------------------------------------- */

int teeq_qp_tag_alloc(struct teeq_qp *qp, enum teeq_pending_kind kind)
{
	struct teeq_pending *p;
	uint32_t tag;

	if (!qp->nr_free)
		return -1;
	tag = qp->free_tags[--qp->nr_free];
	p = &qp->pend[tag];
	p->gen++;
	p->state = TEEQ_PENDING_PREPARED;
	p->kind = (uint8_t)kind;
	p->op = NULL;
	p->bounces = 0;
	return (int)tag;
}

void teeq_qp_tag_free(struct teeq_qp *qp, uint32_t tag)
{
	qp->pend[tag].state = TEEQ_PENDING_FREE;
	qp->free_tags[qp->nr_free++] = tag;
}

static uint64_t teeq_user_data(struct teeq_qp *qp, uint32_t tag)
{
	return (uint64_t)qp->pend[tag].gen << 32 | tag;
}

/*
 * Entries are prepared in private memory and copied into the ring when
 * they are committed, as NVMe drivers copy a command into their SQ: the
 * ring's lines were last read by the secure world, so the first store to
 * each waits for its line to come back, and stores complete in order.
 * Filled in place, every private store of the next preparations queues
 * behind that wait, one call after another; copied in a burst at commit,
 * the lines of a whole batch are fetched together.
 */
struct teeq_sqe *teeq_qp_prep(struct teeq_qp *qp, uint32_t tag)
{
	/* each staged entry holds a tag: never more than depth of them */
	struct teeq_sqe *sqe = &qp->stage[qp->prepared++];

	/* the first line; the second is cleared by teeq_params_lower()
	 * and copied only if a parameter lives there */
	memset(sqe, 0, TEEQ_CACHELINE);
	sqe->user_data = teeq_user_data(qp, tag);
	return sqe;
}

void teeq_qp_commit(struct teeq_qp *qp)
{
	uint32_t n = qp->prepared, i;

	if (!n)
		return;
	qp->prepared = 0;
	if (ring_prod_space(&qp->sq, n) < n) {
		/* only a broken (hostile) consumer gets here */
		teeq_chan_kill(qp->chan, "submission ring broken");
		return;
	}
	for (i = 0; i < n; i++) {
		const struct teeq_sqe *sqe = &qp->stage[i];
		char *slot = ring_prod_slot(&qp->sq, i);

		/* everything but the stamp, which the commit writes; fixed
		 * sizes, so a few wide moves, not a string instruction */
		memcpy(slot + RING_STAMP_SIZE,
		       (const char *)sqe + RING_STAMP_SIZE,
		       TEEQ_CACHELINE - RING_STAMP_SIZE);
		if (sqe->param_types & TEEQ_SQE_LINE2_PARAMS)
			memcpy(slot + TEEQ_CACHELINE,
			       (const char *)sqe + TEEQ_CACHELINE,
			       sizeof(*sqe) - TEEQ_CACHELINE);
	}
	if (ring_prod_commit(&qp->sq, n)) {
		ring_doorbell(&qp->sq, qp->sq_db);
		TEEQ_QP_STAT(qp, doorbells, 1);
	}
}

/* ---- completions ------------------------------------------------------------------ */

static void teeq_qp_done(struct teeq_qp *qp, uint32_t tag)
{
	struct teeq_pending *p = &qp->pend[tag];

	p->state = TEEQ_PENDING_DONE;
	TEEQ_QP_STAT(qp, calls, 1);
	if (p->kind == TEEQ_PENDING_DISCARD) {
		teeq_params_drop(qp, p);
		teeq_qp_tag_free(qp, tag);
	} else if (p->kind == TEEQ_PENDING_ASYNC) {
		p->next_done = 0;
		if (qp->done_tail)
			qp->pend[qp->done_tail - 1].next_done = tag + 1;
		else
			qp->done_head = tag + 1;
		qp->done_tail = tag + 1;
		qp->nr_done++;
	}
}

/* A completion must name a call in flight and keep to the format. */
static int teeq_cqe_valid(struct teeq_qp *qp, const struct teeq_cqe *cqe)
{
	uint32_t tag = (uint32_t)cqe->user_data;
	const struct teeq_pending *p;

	if (tag >= qp->depth)
		return 0;
	p = &qp->pend[tag];
	return p->state == TEEQ_PENDING_IN_FLIGHT &&
	       p->gen == (uint32_t)(cqe->user_data >> 32) && !cqe->flags &&
	       !cqe->reserved && cqe->origin >= TEEQ_ORIGIN_API &&
	       cqe->origin <= TEEQ_ORIGIN_TRUSTED_APP;
}

void teeq_qp_poll(struct teeq_qp *qp)
{
	struct teeq_cqe cqe;
	uint32_t n, i;

	/* no more completions can come than calls in flight: looking for
	 * exactly those touches no line the secure side is about to write */
	n = ring_cons_avail(&qp->cq, qp->depth - qp->nr_free);
	for (i = 0; i < n; i++) {
		memcpy(&cqe, ring_cons_slot(&qp->cq, i), sizeof(cqe));
		if (!teeq_cqe_valid(qp, &cqe)) {
			ring_cons_release(&qp->cq, i);
			teeq_chan_kill(qp->chan,
				       "bad completion from the secure "
				       "world");
			teeq_qp_fail_all(qp);
			return;
		}
		qp->pend[(uint32_t)cqe.user_data].cqe = cqe;
		teeq_qp_done(qp, (uint32_t)cqe.user_data);
	}
	if (n)
		ring_cons_release(&qp->cq, n);
	if (ring_broken(&qp->cq)) {
		teeq_chan_kill(qp->chan, "completion ring broken");
		teeq_qp_fail_all(qp);
	}
}

void teeq_qp_fail_all(struct teeq_qp *qp)
{
	uint32_t tag;

	for (tag = 0; tag < qp->depth; tag++) {
		struct teeq_pending *p = &qp->pend[tag];

		if (p->state != TEEQ_PENDING_IN_FLIGHT)
			continue;
		memset(&p->cqe, 0, sizeof(p->cqe));
		p->cqe.user_data = teeq_user_data(qp, tag);
		p->cqe.result = TEEQ_ERROR_TARGET_DEAD;
		p->cqe.origin = TEEQ_ORIGIN_COMMS;
		teeq_qp_done(qp, tag);
	}
}

/*
 * Blocks until the completion ring has entries (or @timeout_ns passes).
 * Touches only the completion ring's consumer side, so the shared pair's
 * waiter runs it unlocked. Returns nonzero when the channel is dead.
 */
static int teeq_qp_block(struct teeq_qp *qp, int64_t timeout_ns)
{
	uint64_t slept = qp->wait.sleeps, spun = qp->wait.spin_hits;
	long ret;

	if (teeq_chan_dead(qp->chan))
		return 1;
	ret = ring_wait_entries(&qp->cq, &qp->wait, 1, timeout_ns);
	if (qp->wait.sleeps != slept)
		TEEQ_QP_STAT(qp, waits_slept, 1);
	else if (qp->wait.spin_hits != spun)
		TEEQ_QP_STAT(qp, waits_spun, 1);
	if (ret < 0)
		teeq_chan_kill(qp->chan,
			       ret == -EPIPE ?
				       "the secure world hung up" :
				       "waiting for completions failed");
	return ret < 0;
}

/* One wait, then collect what arrived; a dead peer fails what is left. */
static void teeq_qp_wait_once(struct teeq_qp *qp, int64_t timeout_ns)
{
	if (teeq_qp_block(qp, timeout_ns))
		teeq_qp_fail_all(qp);
	else
		teeq_qp_poll(qp);
}

void teeq_qp_wait_tag(struct teeq_qp *qp, uint32_t tag)
{
	int dead;

	if (!qp->shared) {
		while (qp->pend[tag].state != TEEQ_PENDING_DONE)
			teeq_qp_wait_once(qp, -1);
		return;
	}
	/* shared pair: one thread blocks on the ring for everyone, the rest
	 * wait for it to hand their completions over */
	while (qp->pend[tag].state != TEEQ_PENDING_DONE) {
		if (qp->waiting) {
			pthread_cond_wait(&qp->cond, &qp->lock);
			continue;
		}
		teeq_qp_poll(qp);
		if (qp->pend[tag].state == TEEQ_PENDING_DONE)
			break;
		qp->waiting = 1;
		pthread_mutex_unlock(&qp->lock);
		/* nobody else touches the completion ring meanwhile */
		dead = teeq_qp_block(qp, -1);
		pthread_mutex_lock(&qp->lock);
		if (dead)
			teeq_qp_fail_all(qp);
		else
			teeq_qp_poll(qp);
		qp->waiting = 0;
		pthread_cond_broadcast(&qp->cond);
	}
}

void teeq_qp_wait_any(struct teeq_qp *qp, int64_t timeout_ns)
{
	uint64_t deadline = timeout_ns < 0 ?
				    UINT64_MAX :
				    ring_now_ns() + (uint64_t)timeout_ns;
	uint64_t now;

	teeq_qp_poll(qp);
	while (!qp->nr_done) {
		now = ring_now_ns();
		if (now >= deadline)
			return;
		teeq_qp_wait_once(qp, deadline == UINT64_MAX ?
					      -1 :
					      (int64_t)(deadline - now));
	}
}
