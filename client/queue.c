// SPDX-License-Identifier: MIT
/*
 * Queue pairs and the call lifecycle, client side. The front ends call
 * the verbs declared in client/internal.h; this file owns every state a
 * call goes through (got, published, in flight, done, given back) and
 * knows nothing of how entries travel (the transport's ops do).
 *
 * Which pair a call uses. Pairs 0 .. nr_qp - 2 are exclusive and leased
 * with one compare-and-swap, for one synchronous call or for an async
 * queue's life. A thread tries its home pair first (spread over the pairs
 * round-robin, so threads rarely meet), then any free one, and gives the
 * pair back when the call returns: a thread holds no pair between calls.
 * A pair leased for a call carries that call alone, the solo call: no
 * lock, no tag, and the lessee itself collects the completion, which must
 * carry the pair's current solo_seq. When every exclusive pair is in use
 * (more threads in calls than pairs, or pairs leased by queues) the call
 * goes to the last pair, shared under a mutex by any number of calls in
 * flight: one thread blocks on the completions for all and hands each
 * its own.
 *
 * Credits. A call on the shared pair or in a queue holds a tag, its slot
 * in the pending table and its user_data on the wire, from getting its
 * entry until its completion is consumed, so in-flight calls never
 * outnumber the ring's entries. A synchronous call on the shared pair
 * that finds no tag free waits for one to come back; it never fails for
 * lack of ring space. One tag of the shared pair is kept back from
 * synchronous calls for cancellations, which go there, so a cancellation
 * can always be sent, even when every call in flight waits for one.
 *
 * Completions are untrusted: one that names no call in flight, or has
 * fields it may not have, kills the channel.
 */
#include "client/rings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TEEQ_TLS uint32_t teeq_qp_home;
/* Round-robin home pairs for new threads; atomic. */
static uint32_t teeq_qp_next_home;

/* Cancel ids: each thread takes a block of them at a time, so that a call
 * takes no atomic operation for its own. Nonzero, and reused only after
 * 2^32 ids, as the secure side expects. A block starts at a multiple of
 * its size, so the thread's next id says by itself when the block is used
 * up (0: none taken yet). */
#define TEEQ_CANCEL_BLOCK 4096u
static uint32_t teeq_cancel_next_block; /* atomic */
static TEEQ_TLS uint32_t teeq_cancel_next;

/*
 * A transport without a submission ring of the channel's submits from a
 * stage: a private ring, formatted here and never committed, so that its
 * slot i is stage[i] for good and an entry is got the one way, a slot of
 * qp->sq (teeq_qp_sqe_at()), whatever the transport.
 */
static int teeq_qp_stage_ring(struct teeq_qp *qp)
{
	uint32_t entries = TEEQ_RING_MIN_ENTRIES;
	size_t len;

	while (entries < qp->depth)
		entries <<= 1;
	len = ring_bytes(entries, sizeof(struct teeq_sqe));
	qp->stage_ring = aligned_alloc(TEEQ_CACHELINE, len);
	if (!qp->stage_ring ||
	    ring_format(qp->stage_ring, len, entries, sizeof(struct teeq_sqe),
			0) ||
	    ring_attach(&qp->sq, qp->stage_ring, len, entries,
			sizeof(struct teeq_sqe), RING_PRODUCER))
		return -ENOMEM;
	qp->stage = teeq_qp_sqe_at(qp, 0);
	return 0;
}

int teeq_qp_init(struct teeq_chan *chan, uint32_t index)
{
	struct teeq_qp *qp = &chan->qp[index];
	uint32_t i;
	int ret;

	qp->chan = chan;
	qp->index = index;
	ret = chan->ops->qp_init(qp);
	if (ret)
		return ret;
	/* a tag is a user_data's bits under depth - 1 (teeq_qp_named()) */
	if (qp->depth & (qp->depth - 1))
		return -EINVAL;
	qp->pend = aligned_alloc(TEEQ_CACHELINE,
				 (size_t)qp->depth * sizeof(*qp->pend));
	qp->bounces = calloc((size_t)(qp->depth + 1) * TEEQ_NUM_PARAMS,
			     sizeof(*qp->bounces));
	qp->free_tags = calloc(qp->depth, sizeof(*qp->free_tags));
	qp->prep_tags = calloc(qp->depth, sizeof(*qp->prep_tags));
	if (!qp->sq.slots && teeq_qp_stage_ring(qp))
		return -ENOMEM;
	if (!qp->pend || !qp->bounces || !qp->free_tags || !qp->prep_tags ||
	    pthread_mutex_init(&qp->lock, NULL) ||
	    pthread_cond_init(&qp->cond, NULL))
		return -ENOMEM;
	memset(qp->pend, 0, (size_t)qp->depth * sizeof(*qp->pend));
	for (i = 0; i < qp->depth; i++) {
		qp->pend[i].wire_user_data = i; /* gen 0, not yet used */
		qp->free_tags[i] = qp->depth - 1 - i;
		qp->pend[i].bounce = &qp->bounces[i * TEEQ_NUM_PARAMS];
	}
	qp->solo.bounce = &qp->bounces[qp->depth * TEEQ_NUM_PARAMS];
	qp->nr_free = qp->depth;
	/* the last pair is the shared overflow pair */
	qp->shared = index == chan->nr_qp - 1;
	qp->reserve = qp->shared ? 1 : 0;
	return 0;
}

void teeq_qp_fini(struct teeq_qp *qp)
{
	if (!qp->chan)
		return;
	qp->chan->ops->qp_fini(qp);
	free(qp->pend);
	free(qp->bounces);
	free(qp->free_tags);
	free(qp->prep_tags);
	free(qp->stage_ring);
	pthread_mutex_destroy(&qp->lock);
	pthread_cond_destroy(&qp->cond);
}

/* ---- leases ------------------------------------------------------------- */

struct teeq_qp *teeq_qp_acquire_slow(struct teeq_chan *chan)
{
	uint32_t home = teeq_qp_home - 1, i, n = chan->nr_excl;
	struct teeq_qp *qp;

	if (home >= n) {
		/* a thread's first call: its home, round-robin */
		home = __atomic_fetch_add(&teeq_qp_next_home, 1,
					  __ATOMIC_RELAXED) %
		       n;
		teeq_qp_home = home + 1;
		if (teeq_qp_try_lease(&chan->qp[home], TEEQ_QP_CALL))
			return &chan->qp[home];
	}
	/* home is busy: the next free one becomes home */
	for (i = 1; i < n; i++) {
		qp = &chan->qp[(home + i) % n];
		if (teeq_qp_try_lease(qp, TEEQ_QP_CALL)) {
			teeq_qp_home = qp->index + 1;
			return qp;
		}
	}
	teeq_debug_event(TEEQ_DEBUG_SHARED_PAIR);
	return teeq_qp_acquire_shared(chan);
}

struct teeq_qp *teeq_qp_acquire_shared(struct teeq_chan *chan)
{
	struct teeq_qp *qp = &chan->qp[chan->nr_qp - 1];

	pthread_mutex_lock(&qp->lock);
	return qp;
}

struct teeq_qp *teeq_qp_lease_queue(struct teeq_chan *chan, void *queue)
{
	uint32_t i;

	for (i = 0; i < chan->nr_excl; i++)
		if (teeq_qp_try_lease(&chan->qp[i], queue)) {
			/* no solo call frees it while the queue has the pair */
			teeq_qp_flush_deferred(&chan->qp[i]);
			return &chan->qp[i];
		}
	return NULL;
}

/* ---- the transport: host mode's inlined, any other through its ops -------- */

/*
 * Every use of the transport names its ops. The hot paths are written
 * once, always inlined, and instantiated twice: with &teeq_rings_ops, a
 * constant, so host mode's ring code is inlined and no pointer is
 * followed; and with whatever ops a channel has.
 */
#define TEEQ_RINGS(ops) ((ops) == &teeq_rings_ops)

/* The @n entries got since the last submit (teeq_qp_sqe_at()). */
TEEQ_ALWAYS_INLINE int teeq_xport_submit(const struct teeq_xport_ops *ops,
					 struct teeq_qp *qp, uint32_t n)
{
	return TEEQ_RINGS(ops) ? teeq_rings_submit(qp, n) :
				 ops->submit(qp, qp->stage, n);
}

TEEQ_ALWAYS_INLINE int teeq_xport_ready(const struct teeq_xport_ops *ops,
					struct teeq_qp *qp, uint32_t want)
{
	return TEEQ_RINGS(ops) ? teeq_rings_ready(qp, want) :
				 ops->ready(qp, want);
}

/*
 * Completion @i of those ready. A loop over them keeps host mode's ring
 * geometry in @b (teeq_xport_cqes(), once before the loop): the copies
 * out of the slots cannot change it, so it is not read again per entry.
 */
TEEQ_ALWAYS_INLINE void teeq_xport_cqes(const struct teeq_xport_ops *ops,
					struct teeq_qp *qp,
					struct ring_batch *b)
{
	if (TEEQ_RINGS(ops))
		*b = ring_batch_of(&qp->cq);
}

TEEQ_ALWAYS_INLINE const struct teeq_cqe *
teeq_xport_cqe(const struct teeq_xport_ops *ops, struct teeq_qp *qp,
	       const struct ring_batch *b, uint32_t i)
{
	return TEEQ_RINGS(ops) ?
		       (const struct teeq_cqe *)ring_batch_slot(b, i) :
		       ops->cqe(qp, i);
}

TEEQ_ALWAYS_INLINE void teeq_xport_consume(const struct teeq_xport_ops *ops,
					   struct teeq_qp *qp, uint32_t n)
{
	if (TEEQ_RINGS(ops))
		teeq_rings_consume(qp, n);
	else
		ops->consume(qp, n);
}

TEEQ_ALWAYS_INLINE int teeq_xport_wait(const struct teeq_xport_ops *ops,
				       struct teeq_qp *qp, uint32_t want,
				       int64_t timeout_ns)
{
	return TEEQ_RINGS(ops) ? teeq_rings_wait(qp, timeout_ns) :
				 ops->wait(qp, want, timeout_ns);
}

/* ---- completions: checks and failures --------------------------------------- */

/* The hints a completion may carry, where they sit in the 64 bits of its
 * flags and reserved words read as one. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEEQ_CQE_TAIL_HINTS ((uint64_t)TEEQ_CQE_FLAGS_ALL)
#else
#define TEEQ_CQE_TAIL_HINTS ((uint64_t)TEEQ_CQE_FLAGS_ALL << 32)
#endif

/* The format of a completion, in our copy: nothing a peer may not set. */
static inline int teeq_cqe_clean(const struct teeq_cqe *cqe)
{
	return !((cqe->flags & ~TEEQ_CQE_FLAGS_ALL) | cqe->reserved) &&
	       cqe->origin - TEEQ_ORIGIN_API <=
		       TEEQ_ORIGIN_TRUSTED_APP - TEEQ_ORIGIN_API;
}

static void teeq_pending_fail(struct teeq_pending *p, uint64_t user_data)
{
	memset(&p->cqe, 0, sizeof(p->cqe));
	p->cqe.user_data = user_data;
	p->cqe.result = TEEQ_ERROR_TARGET_DEAD;
	p->cqe.origin = TEEQ_ORIGIN_COMMS;
}

static void teeq_qp_done_other(struct teeq_qp *qp, uint32_t tag);

/* A call is done, its completion in its pending entry; whoever counts
 * it out of the pair's in_flight and calls does so. */
static inline void teeq_qp_done_uncounted(struct teeq_qp *qp, uint32_t tag)
{
	struct teeq_pending *p = &qp->pend[tag];

	p->state = TEEQ_PENDING_DONE;
	if (teeq_unlikely(p->kind != TEEQ_PENDING_SYNC))
		teeq_qp_done_other(qp, tag);
}

static inline void teeq_qp_done(struct teeq_qp *qp, uint32_t tag)
{
	qp->in_flight--;
	TEEQ_QP_STAT(qp, calls, 1);
	teeq_qp_done_uncounted(qp, tag);
}

/* Async and discarded calls: onto the done list, or gone at once. */
static void teeq_qp_done_other(struct teeq_qp *qp, uint32_t tag)
{
	struct teeq_pending *p = &qp->pend[tag];

	if (p->kind == TEEQ_PENDING_DISCARD) {
		teeq_params_drop(qp, p);
		teeq_qp_put(qp, tag);
		return;
	}
	p->next_done = 0;
	if (qp->done_tail)
		qp->pend[qp->done_tail - 1].next_done = tag + 1;
	else
		qp->done_head = tag + 1;
	qp->done_tail = tag + 1;
	qp->nr_done++;
}

void teeq_qp_fail_all(struct teeq_qp *qp)
{
	uint32_t tag;

	for (tag = 0; qp->in_flight && tag < qp->depth; tag++) {
		struct teeq_pending *p = &qp->pend[tag];

		if (p->state != TEEQ_PENDING_IN_FLIGHT)
			continue;
		teeq_pending_fail(p, teeq_qp_user_data(qp, tag));
		teeq_qp_done(qp, tag);
	}
}

static void teeq_qp_broken(struct teeq_qp *qp, const char *why)
{
	teeq_chan_kill(qp->chan, why);
	teeq_qp_fail_all(qp);
}

/*
 * Blocks until completions may be there (or @timeout_ns passes).
 * Touches only what takes completions in, so the shared pair's waiter
 * runs it unlocked. Returns nonzero when the channel is dead.
 */
static const char *teeq_wait_failed(int err)
{
	return err == -EPIPE ? "the secure world hung up" :
			       "the completion ring broke";
}

static int teeq_qp_block(struct teeq_qp *qp, uint32_t want, int64_t timeout_ns)
{
	const struct teeq_xport_ops *ops = qp->chan->ops;
	int err;

	if (teeq_chan_dead(qp->chan))
		return 1;
	err = teeq_xport_wait(ops, qp, want, timeout_ns);
	if (teeq_likely(!err))
		return 0;
	teeq_chan_kill(qp->chan, teeq_wait_failed(err));
	return 1;
}

/* ---- the solo call of an exclusive pair ------------------------------------ */

/* Its entry: the pair's next (teeq_qp_sqe_at()), line one zeroed, the
 * next user_data. */
TEEQ_ALWAYS_INLINE struct teeq_sqe *teeq_qp_solo_sqe(struct teeq_qp *qp)
{
	struct teeq_sqe *sqe = teeq_qp_sqe_at(qp, 0);

	ring_clear_slot(sqe, TEEQ_CACHELINE);
	sqe->user_data = qp->solo_seq + 1;
	return sqe;
}

/*
 * Sends it: solo_seq then names it, and counts it among the pair's calls
 * (each is completed, by the secure world or by the channel's death).
 * Nonzero when the channel broke instead.
 */
TEEQ_ALWAYS_INLINE int teeq_qp_solo_send(const struct teeq_xport_ops *ops,
					 struct teeq_qp *qp)
{
	int err;

	/* stored atomically: teeq_context_stats() reads it */
	__atomic_store_n(&qp->solo_seq, qp->solo_seq + 1, __ATOMIC_RELAXED);
	err = TEEQ_RINGS(ops) ? teeq_rings_submit(qp, 1) :
	      ops->call	      ? ops->call(qp, qp->stage) :
				ops->submit(qp, qp->stage, 1);
	if (teeq_unlikely(err))
		/* only a broken (hostile) consumer gets here */
		teeq_chan_kill(qp->chan, "the submission ring broke");
	return err;
}

/* What teeq_qp_solo_wait() does with a completion besides its result. */
enum teeq_solo_take {
	TEEQ_SOLO_RESULT, /* nothing else: a call without outputs */
	TEEQ_SOLO_WHOLE, /* all of it, into qp->solo.cqe */
	TEEQ_SOLO_VALUES, /* value outputs, straight into the operation */
};

/*
 * Waits for the solo call's completion and returns its result and origin;
 * @take says what else it keeps (@op: the values' operation). Each field
 * is read once and checked in our copy: it must carry the pair's solo_seq
 * and keep to the format, and outputs are believed only from a trusted app
 * that ran. A dead channel completes the call with TARGET_DEAD. Nothing
 * else is in flight on the pair.
 */
TEEQ_ALWAYS_INLINE TEEC_Result teeq_qp_solo_wait(
	const struct teeq_xport_ops *ops, struct teeq_qp *qp,
	enum teeq_solo_take take, TEEC_Operation *op, uint32_t *origin)
{
	struct ring_batch b;
	struct teeq_cqe *copy = &qp->solo.cqe;
	const struct teeq_cqe *slot;
	uint64_t user_data, tail;
	uint32_t result, org;
	const char *why;
	int n;

	for (;;) {
		n = teeq_xport_wait(ops, qp, 1, -1);
		if (teeq_unlikely(n)) {
			why = teeq_wait_failed(n);
			goto dead;
		}
		n = teeq_xport_ready(ops, qp, 1);
		if (teeq_likely(n > 0))
			break;
		if (n < 0) {
			why = "the completion ring broke";
			goto dead;
		}
	}
	teeq_xport_cqes(ops, qp, &b);
	slot = teeq_xport_cqe(ops, qp, &b, 0);
	if (take == TEEQ_SOLO_WHOLE) {
		memcpy(copy, slot, sizeof(*copy));
		user_data = copy->user_data;
		result = copy->result;
		org = copy->origin;
		memcpy(&tail, &copy->flags, sizeof(tail));
	} else {
		/* only what a call without outputs needs, each field once */
		user_data = teeq_load_relaxed(&slot->user_data);
		result = teeq_load_relaxed(&slot->result);
		org = teeq_load_relaxed(&slot->origin);
		tail = teeq_load_relaxed((const uint64_t *)&slot->flags);
	}
	if (teeq_unlikely(user_data != qp->solo_seq ||
			  (tail & ~TEEQ_CQE_TAIL_HINTS) ||
			  org - TEEQ_ORIGIN_API >
				  TEEQ_ORIGIN_TRUSTED_APP - TEEQ_ORIGIN_API)) {
		why = "a bad completion from the secure world";
		goto dead;
	}
	if (take == TEEQ_SOLO_VALUES && org == TEEQ_ORIGIN_TRUSTED_APP) {
		uint32_t types = qp->solo.param_types;
		int i;

#pragma GCC unroll 4
		for (i = 0; i < TEEQ_NUM_PARAMS; i++)
			if ((types >> (4 * i)) & 2u) { /* OUTPUT, INOUT */
				/* a and b, one word (teeq_params_lower_values) */
				uint64_t ab = teeq_load_relaxed(
					(const uint64_t *)&slot->params[i]
						.value.a);

				memcpy(&op->params[i].value, &ab, sizeof(ab));
			}
	}
	teeq_xport_consume(ops, qp, 1);
	*origin = org;
	return result;
dead:
	teeq_chan_kill(qp->chan, why);
	teeq_pending_fail(&qp->solo, qp->solo_seq);
	*origin = TEEC_ORIGIN_COMMS;
	return TEEC_ERROR_TARGET_DEAD;
}

/* ---- tagged calls: entries ----------------------------------------------- */

void teeq_qp_unprep(struct teeq_qp *qp, uint32_t tag)
{
	/* only the last entry got can be taken back */
	qp->prepared--;
	teeq_qp_put(qp, tag);
}

TEEQ_ALWAYS_INLINE void teeq_qp_send(const struct teeq_xport_ops *ops,
				     struct teeq_qp *qp)
{
	struct teeq_pending *pend = qp->pend;
	const uint32_t *tags = qp->prep_tags;
	uint32_t n = qp->prepared, i;

	/* from our own list of the tags: the entries are the peer's to
	 * read, and maybe to change, once they are filled in place */
#pragma GCC unroll 4
	for (i = 0; i < n; i++)
		pend[tags[i]].state = TEEQ_PENDING_IN_FLIGHT;
	qp->prepared = 0;
	qp->in_flight += n;
	if (teeq_unlikely(teeq_xport_submit(ops, qp, n)))
		/* only a broken (hostile) consumer gets here */
		teeq_qp_broken(qp, "the submission ring broke");
}

void teeq_qp_publish(struct teeq_qp *qp)
{
	if (!qp->prepared)
		return;
	if (TEEQ_RINGS(qp->chan->ops))
		teeq_qp_send(&teeq_rings_ops, qp);
	else
		teeq_qp_send(qp->chan->ops, qp);
}

/* ---- tagged calls: completions --------------------------------------------- */

/* Does @user_data name a tagged call of ours in flight, with its
 * generation? */
static inline struct teeq_pending *teeq_qp_named(struct teeq_qp *qp,
						 uint64_t user_data)
{
	/* the depth is a power of two; the whole user_data must match */
	struct teeq_pending *p = &qp->pend[user_data & (qp->depth - 1)];

	if (teeq_unlikely(p->wire_user_data != user_data ||
			  p->state != TEEQ_PENDING_IN_FLIGHT))
		return NULL;
	return p;
}

/*
 * Moves the completions that arrived into their calls' pending entries.
 * Each is copied once, straight into the entry its user_data names, and
 * checked there: it must name a call in flight with its generation (the
 * user_data is read once and kept) and keep to the format. Anything else
 * is a hostile or broken secure world, and kills the channel.
 */
TEEQ_ALWAYS_INLINE void teeq_qp_reap_with(const struct teeq_xport_ops *ops,
					  struct teeq_qp *qp)
{
	struct ring_batch b;
	const struct teeq_cqe *slot;
	struct teeq_pending *p;
	uint64_t user_data;
	uint32_t i;
	int n;

	if (!qp->in_flight)
		return;
	/* no more completions can come than calls in flight: looking for
	 * exactly those touches no line the secure side is about to write */
	n = teeq_xport_ready(ops, qp, qp->in_flight);
	if (teeq_unlikely(n <= 0)) {
		if (n < 0)
			teeq_qp_broken(qp, "the completion ring broke");
		return;
	}
	teeq_xport_cqes(ops, qp, &b);
	for (i = 0; i < (uint32_t)n; i++) {
		slot = teeq_xport_cqe(ops, qp, &b, i);
		user_data = teeq_load_relaxed(&slot->user_data);
		p = teeq_qp_named(qp, user_data);
		if (teeq_unlikely(!p))
			goto bad;
		memcpy(&p->cqe, slot, sizeof(p->cqe));
		p->cqe.user_data = user_data;
		if (teeq_unlikely(!teeq_cqe_clean(&p->cqe)))
			goto bad;
		teeq_qp_done(qp, (uint32_t)user_data);
	}
	teeq_xport_consume(ops, qp, (uint32_t)n);
	return;
bad:
	teeq_xport_consume(ops, qp, i);
	teeq_qp_broken(qp, "a bad completion from the secure world");
}

static void teeq_qp_reap(struct teeq_qp *qp)
{
	if (TEEQ_RINGS(qp->chan->ops))
		teeq_qp_reap_with(&teeq_rings_ops, qp);
	else
		teeq_qp_reap_with(qp->chan->ops, qp);
}

void teeq_qp_poll(struct teeq_qp *qp)
{
	teeq_qp_reap(qp);
}

/* One wait, then collect what arrived; a dead peer fails what is left. */
static void teeq_qp_wait_once(struct teeq_qp *qp, int64_t timeout_ns)
{
	if (teeq_unlikely(teeq_qp_block(qp, 1, timeout_ns)))
		teeq_qp_fail_all(qp);
	else
		teeq_qp_reap(qp);
}

/* The shared pair, lock held: block on the completions for everyone,
 * unlocked, then hand them over. */
static void teeq_qp_wait_shared(struct teeq_qp *qp)
{
	int dead;

	qp->waiting = 1;
	pthread_mutex_unlock(&qp->lock);
	/* nobody else touches the completion side meanwhile */
	dead = teeq_qp_block(qp, 1, -1);
	pthread_mutex_lock(&qp->lock);
	if (dead)
		teeq_qp_fail_all(qp);
	else
		teeq_qp_reap(qp);
	qp->waiting = 0;
	pthread_cond_broadcast(&qp->cond);
}

void teeq_qp_wait_tag(struct teeq_qp *qp, uint32_t tag)
{
	const struct teeq_pending *p = &qp->pend[tag];

	if (!qp->shared) {
		/* our own pair: we collect its completions ourselves */
		while (p->state != TEEQ_PENDING_DONE)
			teeq_qp_wait_once(qp, -1);
		return;
	}
	/* shared pair: one thread blocks on the completions for everyone,
	 * the rest wait for it to hand theirs over */
	while (p->state != TEEQ_PENDING_DONE) {
		if (qp->waiting) {
			pthread_cond_wait(&qp->cond, &qp->lock);
			continue;
		}
		teeq_qp_reap(qp);
		if (p->state == TEEQ_PENDING_DONE) {
			pthread_cond_broadcast(&qp->cond);
			break;
		}
		teeq_qp_wait_shared(qp);
	}
}

void teeq_qp_wait(struct teeq_qp *qp, uint32_t want, int64_t timeout_ns)
{
	if (teeq_qp_block(qp, want, timeout_ns))
		teeq_qp_fail_all(qp);
}

struct teeq_pending *teeq_qp_pop_done(struct teeq_qp *qp, uint32_t *tagp)
{
	struct teeq_pending *p;
	uint32_t tag;

	if (!qp->nr_done)
		return NULL;
	tag = qp->done_head - 1;
	p = &qp->pend[tag];
	qp->done_head = p->next_done;
	if (!qp->done_head)
		qp->done_tail = 0;
	qp->nr_done--;
	*tagp = tag;
	return p;
}

/* ---- async completions, straight to the caller ------------------------------ */

/* A completed async call into @c: raised into its operation, its tag
 * given back. */
TEEQ_ALWAYS_INLINE void teeq_qp_deliver(struct teeq_qp *qp,
					struct teeq_pending *p, uint32_t tag,
					struct teeq_completion *c)
{
	TEEC_Operation *op = p->op;

	c->user_data = p->user_data;
	c->operation = op;
	if (teeq_likely(!op)) {
		c->result = p->cqe.result;
		c->origin = p->cqe.origin;
	} else {
		c->result = teeq_params_raise(qp, op, p, &c->origin);
		teeq_op_end(op);
	}
	teeq_qp_put(qp, tag);
}

/*
 * A completion of a call that is not async without an operation (named
 * and in flight, its user_data read once): copied once into its pending
 * entry and checked there, then handed out to @c (async: 1) or left for
 * its waiter (0); -EPROTO when it breaks the format. The caller counts
 * it out of in_flight and calls. Out of line, so that the common case's
 * loop keeps its registers.
 */
static __attribute__((noinline)) int
teeq_qp_reap_other(struct teeq_qp *qp, uint32_t tag,
		   const struct teeq_cqe *slot, uint64_t user_data,
		   struct teeq_completion *c)
{
	struct teeq_pending *p = &qp->pend[tag];

	memcpy(&p->cqe, slot, sizeof(p->cqe));
	p->cqe.user_data = user_data;
	if (teeq_unlikely(!teeq_cqe_clean(&p->cqe)))
		return -EPROTO;
	if (p->kind != TEEQ_PENDING_ASYNC) {
		teeq_qp_done_uncounted(qp, tag); /* not ours to hand out */
		return 0;
	}
	teeq_qp_deliver(qp, p, tag, c);
	return 1;
}

/* The @n completions a reap took are calls done: off the ring. */
TEEQ_ALWAYS_INLINE void teeq_qp_took(const struct teeq_xport_ops *ops,
				     struct teeq_qp *qp, uint32_t n)
{
	qp->in_flight -= n;
	TEEQ_QP_STAT(qp, calls, n);
	if (TEEQ_RINGS(ops))
		ring_cons_release_seen(&qp->cq, n);
	else
		ops->consume(qp, n);
}

/*
 * Up to @max async completions into @out: first the done list's, then
 * new ones, in one pass over the completion ring (host mode: each slot's
 * stamp is looked at as the pass comes to it). Each completion's user_data
 * is read once and must name a call in flight with its generation; the
 * common one, an async call without an operation, goes straight from the
 * slot to @out, each field it needs read once and checked in that copy.
 */
TEEQ_ALWAYS_INLINE unsigned int
teeq_qp_reap_into_with(const struct teeq_xport_ops *ops, struct teeq_qp *qp,
		       struct teeq_completion *out, unsigned int max)
{
	struct teeq_pending *pend = qp->pend, *p;
	struct teeq_completion *c;
	struct ring_batch b;
	const struct teeq_cqe *slot;
	unsigned int n = 0;
	uint64_t user_data;
	uint32_t tag, want, i, tag_mask = qp->depth - 1;
	uint32_t *free_tags = qp->free_tags;
	uint32_t nr_free;
	int got;

	/* those an earlier poll moved to the done list come first */
	while (teeq_unlikely(qp->nr_done) && n < max) {
		p = teeq_qp_pop_done(qp, &tag);
		teeq_qp_deliver(qp, p, tag, &out[n++]);
	}
	want = qp->in_flight < max - n ? qp->in_flight : max - n;
	if (!want)
		return n;
	if (TEEQ_RINGS(ops)) {
		if (teeq_unlikely(ring_broken(&qp->cq))) {
			teeq_qp_broken(qp, "the completion ring broke");
			return n;
		}
		/* no more completions can come than calls in flight: the
		 * pass stops there, or at the first slot not stamped */
		b = ring_batch_of(&qp->cq);
	} else {
		got = ops->ready(qp, want);
		if (teeq_unlikely(got <= 0)) {
			if (got < 0)
				teeq_qp_broken(qp, "the completion ring broke");
			return n;
		}
		want = (uint32_t)got;
	}
	/* in registers through the loop, written back around anything else
	 * that looks at them */
	nr_free = qp->nr_free;
	c = out + n;
	for (i = 0; i < want; i++) {
		if (TEEQ_RINGS(ops)) {
			if (!ring_batch_filled_sized(&b, i, sizeof(*slot)))
				break;
			slot = (const struct teeq_cqe *)ring_batch_slot_sized(
				&b, i, sizeof(*slot));
		} else {
			slot = ops->cqe(qp, i);
		}
		/* one field read once, then the whole of it must be the
		 * wire_user_data of a call in flight (teeq_qp_named()) */
		user_data = teeq_load_relaxed(&slot->user_data);
		tag = (uint32_t)user_data & tag_mask;
		p = &pend[tag];
		if (teeq_unlikely(p->wire_user_data != user_data))
			goto bad;
		if (teeq_likely(p->state_kind ==
					TEEQ_STATE_KIND(TEEQ_PENDING_IN_FLIGHT,
							TEEQ_PENDING_ASYNC) &&
				!p->op)) {
			uint32_t result = teeq_load_relaxed(&slot->result);
			uint32_t origin = teeq_load_relaxed(&slot->origin);
			uint64_t tail = teeq_load_relaxed(
				(const uint64_t *)&slot->flags);

			if (teeq_unlikely((tail & ~TEEQ_CQE_TAIL_HINTS) ||
					  origin - TEEQ_ORIGIN_API >
						  TEEQ_ORIGIN_TRUSTED_APP -
							  TEEQ_ORIGIN_API))
				goto bad;
			c->user_data = p->user_data;
			c->result = result;
			c->origin = origin;
			c->operation = NULL;
			c++;
			p->state = TEEQ_PENDING_FREE;
			free_tags[nr_free++] = tag;
			continue;
		}
		if (teeq_unlikely(p->state != TEEQ_PENDING_IN_FLIGHT))
			goto bad;
		qp->nr_free = nr_free;
		got = teeq_qp_reap_other(qp, tag, slot, user_data, c);
		nr_free = qp->nr_free;
		if (teeq_unlikely(got < 0))
			goto bad;
		c += got;
	}
	qp->nr_free = nr_free;
	if (!i)
		return n;
	teeq_qp_took(ops, qp, i);
	return (unsigned int)(c - out);
bad:
	qp->nr_free = nr_free;
	teeq_qp_took(ops, qp, i);
	teeq_qp_broken(qp, "a bad completion from the secure world");
	return (unsigned int)(c - out);
}

unsigned int teeq_qp_reap_into(struct teeq_qp *qp, struct teeq_completion *out,
			       unsigned int max)
{
	if (teeq_likely(TEEQ_RINGS(qp->chan->ops)))
		return teeq_qp_reap_into_with(&teeq_rings_ops, qp, out, max);
	return teeq_qp_reap_into_with(qp->chan->ops, qp, out, max);
}

/* ---- tagged calls: credit ---------------------------------------------------- */

static int teeq_qp_has_credit(struct teeq_qp *qp, enum teeq_pending_kind kind)
{
	return qp->nr_free > (kind == TEEQ_PENDING_SYNC ? qp->reserve : 0);
}

int teeq_qp_wait_credit(struct teeq_qp *qp, enum teeq_pending_kind kind)
{
	teeq_debug_event(TEEQ_DEBUG_CREDIT_WAIT);
	for (;;) {
		if (!qp->waiting)
			teeq_qp_reap(qp); /* cancellations free their tags */
		if (teeq_qp_has_credit(qp, kind))
			return 0;
		if (teeq_chan_dead(qp->chan)) {
			teeq_qp_fail_all(qp);
			if (teeq_qp_has_credit(qp, kind))
				return 0;
			if (!qp->shared || (!qp->in_flight && !qp->waiting))
				return -EPIPE;
		}
		if (!qp->shared)
			/* a queue's own pair: its tags are calls in flight */
			teeq_qp_wait_once(qp, -1);
		else if (qp->waiting || !qp->in_flight)
			/* the tags are with calls done and not yet consumed,
			 * or being waited for: their threads broadcast */
			pthread_cond_wait(&qp->cond, &qp->lock);
		else
			teeq_qp_wait_shared(qp);
	}
}

/* ---- operations and cancellation ------------------------------------------ */

/*
 * TEEC_Operation.started is the only state an operation carries between
 * calls, as GlobalPlatform has it: 0 before the call (the application
 * zeroes it), 1 once started. A cancellation before the start leaves
 * TEEQ_OP_CANCELLED there instead, which the start consumes. The imp
 * fields are written before started says 1 and are read only after.
 */
#define TEEQ_OP_CANCELLED 2u

TEEQ_ALWAYS_INLINE uint32_t teeq_cancel_id(void)
{
	uint32_t id = teeq_cancel_next;

	if (teeq_unlikely(!(id % TEEQ_CANCEL_BLOCK))) {
		id = __atomic_fetch_add(&teeq_cancel_next_block,
					TEEQ_CANCEL_BLOCK, __ATOMIC_RELAXED);
		id += !id; /* 0 means "not cancellable" */
	}
	teeq_cancel_next = id + 1;
	return id;
}

int teeq_op_cancelled(TEEC_Operation *op)
{
	uint32_t state = TEEQ_OP_CANCELLED;

	if (teeq_likely(__atomic_load_n(&op->started, __ATOMIC_RELAXED) !=
			TEEQ_OP_CANCELLED))
		return 0; /* teeq_op_start() catches a cancel from now on */
	/* consumed: the operation can be used again */
	return __atomic_compare_exchange_n(&op->started, &state, 0, 0,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

TEEQ_ALWAYS_INLINE int teeq_op_start_inline(struct teeq_chan *chan,
					    TEEC_Operation *op,
					    uint32_t session)
{
	op->imp.ctx_id = chan->id;
	op->imp.session_id = session;
	__atomic_store_n(&op->imp.cancel_id, teeq_cancel_id(),
			 __ATOMIC_RELAXED);
	/* full barrier (an exchange): the imp fields are visible before
	 * started, and a cancellation that got there first is seen */
	if (teeq_unlikely(
		    __atomic_exchange_n(&op->started, 1, __ATOMIC_ACQ_REL) ==
		    TEEQ_OP_CANCELLED)) {
		/* consumed: the operation can be used again */
		__atomic_store_n(&op->imp.cancel_id, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&op->started, 0, __ATOMIC_RELEASE);
		return -ECANCELED;
	}
	return 0;
}

int teeq_op_start(struct teeq_chan *chan, TEEC_Operation *op, uint32_t session)
{
	return teeq_op_start_inline(chan, op, session);
}

void teeq_cancel(TEEC_Operation *op)
{
	struct teeq_pending *p;
	struct teeq_chan *chan;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	uint32_t state = 0, cancel_id, session, tag;

	/* not started yet (started still 0): it will not start */
	if (__atomic_compare_exchange_n(&op->started, &state, TEEQ_OP_CANCELLED,
					0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE) ||
	    state != 1)
		return;
	/* started: tell the secure world, if the call is still on */
	cancel_id = __atomic_load_n(&op->imp.cancel_id, __ATOMIC_RELAXED);
	chan = teeq_chan_lookup(op->imp.ctx_id);
	session = op->imp.session_id;
	if (!cancel_id || !chan || teeq_chan_dead(chan))
		return;
	if (chan->ops->cancel) { /* straight to the secure world */
		chan->ops->cancel(chan, session, cancel_id);
		return;
	}
	/* on the shared pair, whose last tag is kept for this */
	qp = teeq_qp_acquire_shared(chan);
	sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_DISCARD, &tag, &p);
	if (!sqe && !teeq_qp_wait_credit(qp, TEEQ_PENDING_DISCARD))
		sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_DISCARD, &tag, &p);
	if (sqe) {
		sqe->opcode = TEEQ_OP_CANCEL;
		sqe->session = session;
		sqe->cancel_id = cancel_id;
		teeq_qp_publish(qp);
	}
	teeq_qp_release(qp);
}

/* ---- synchronous calls -------------------------------------------------- */

/* What a call's entry says besides its parameters. */
struct teeq_call_fields {
	uint8_t opcode;
	uint32_t session;
	uint32_t func;
	uint32_t login_data;
	const struct teeq_uuid *uuid;
};

static TEEC_Result teeq_call_dead(struct teeq_chan *chan, uint32_t *origin)
{
	if (teeq_chan_finalized(chan)) {
		*origin = TEEC_ORIGIN_API;
		return TEEC_ERROR_BAD_STATE;
	}
	*origin = TEEC_ORIGIN_COMMS;
	return TEEC_ERROR_TARGET_DEAD;
}

/* The operation's part of a call, after which @p holds its parameters;
 * TEEC_SUCCESS or why it never left. */
TEEQ_ALWAYS_INLINE TEEC_Result
teeq_call_op(struct teeq_chan *chan, struct teeq_qp *qp, struct teeq_sqe *sqe,
	     struct teeq_pending *p, TEEC_Operation *op, uint32_t session)
{
	TEEC_Result res;
	uint32_t types;

	if (teeq_unlikely(teeq_op_cancelled(op)))
		return TEEC_ERROR_CANCEL;
	types = op->paramTypes;
	if (teeq_likely(teeq_params_values_only(types))) {
		if (teeq_sqe_size((uint16_t)types) > TEEQ_CACHELINE)
			memset((char *)sqe + TEEQ_CACHELINE, 0,
			       sizeof(*sqe) - TEEQ_CACHELINE);
		teeq_params_lower_values(op, types, sqe, p);
	} else {
		p->bounces = 0;
		res = teeq_params_lower(qp, op, sqe, p);
		if (res != TEEC_SUCCESS)
			return res;
	}
	if (teeq_unlikely(teeq_op_start_inline(chan, op, session))) {
		teeq_params_drop(qp, p);
		return TEEC_ERROR_CANCEL;
	}
	sqe->cancel_id = op->imp.cancel_id;
	p->op = op;
	return TEEC_SUCCESS;
}

/* A completed call's result, its outputs raised. */
TEEQ_ALWAYS_INLINE TEEC_Result teeq_call_result(struct teeq_qp *qp,
						struct teeq_pending *p,
						TEEC_Operation *op,
						uint32_t *origin)
{
	if (teeq_likely(!op || !p->param_types)) { /* nothing to raise */
		*origin = p->cqe.origin;
		return p->cqe.result;
	}
	return teeq_params_raise(qp, op, p, origin);
}

/* What a completion says about its session (its TEEQ_CQE_F_* hints),
 * kept where its next calls find it: in the session an invocation names
 * (op->session, set by TEEC_InvokeCommand), or with a new session's id. */
TEEQ_ALWAYS_INLINE void teeq_call_hints(const struct teeq_pending *p,
					TEEC_Operation *op,
					struct teeq_opened *opened)
{
	if (opened) {
		opened->session = p->cqe.session;
		opened->hints = p->cqe.flags;
	} else if (op && op->session &&
		   __atomic_load_n(&op->session->imp.hints, __ATOMIC_RELAXED) !=
			   p->cqe.flags) {
		/* threads may share a session: atomic, and written only when
		 * it changes, so that they do not trade its line per call */
		__atomic_store_n(&op->session->imp.hints, p->cqe.flags,
				 __ATOMIC_RELAXED);
	}
}

/* A call on the shared pair (locked): a tagged one, waiting for credit
 * there if need be. Gives the pair back. */
static TEEC_Result teeq_call_shared(struct teeq_chan *chan, struct teeq_qp *qp,
				    const struct teeq_call_fields *f,
				    TEEC_Operation *op, uint32_t *origin,
				    struct teeq_opened *opened)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	TEEC_Result res;
	uint32_t tag;

	while (!(sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_SYNC, &tag, &p)))
		if (teeq_qp_wait_credit(qp, TEEQ_PENDING_SYNC)) {
			teeq_qp_release(qp);
			return teeq_call_dead(chan, origin);
		}
	sqe->opcode = f->opcode;
	sqe->session = f->session;
	sqe->func = f->func;
	sqe->login_data = f->login_data;
	if (f->uuid)
		sqe->uuid = *f->uuid;
	if (op) {
		res = teeq_call_op(chan, qp, sqe, p, op, f->session);
		if (res != TEEC_SUCCESS) {
			/* nothing was published: take the entry back */
			teeq_qp_unprep(qp, tag);
			teeq_qp_release(qp);
			*origin = TEEC_ORIGIN_API;
			return res;
		}
	}
	teeq_qp_publish(qp);
	teeq_qp_wait_tag(qp, tag);
	res = teeq_call_result(qp, p, op, origin);
	teeq_call_hints(p, op, opened);
	teeq_qp_put(qp, tag);
	/* a thread may wait for that tag */
	pthread_cond_broadcast(&qp->cond);
	teeq_qp_release(qp);
	teeq_op_end(op);
	return res;
}

/*
 * A synchronous call: the solo call of the thread's home pair, or of
 * another free exclusive pair, else a tagged call on the shared pair.
 * Written once, instantiated per transport (see teeq_xport_submit()).
 */
TEEQ_ALWAYS_INLINE TEEC_Result
teeq_call_with(const struct teeq_xport_ops *ops, struct teeq_chan *chan,
	       uint8_t opcode, uint32_t session, uint32_t func,
	       uint32_t login_data, const struct teeq_uuid *uuid,
	       TEEC_Operation *op, uint32_t *origin, struct teeq_opened *opened)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	TEEC_Result res;

	if (teeq_unlikely(teeq_chan_dead(chan)))
		return teeq_call_dead(chan, origin);
	qp = teeq_qp_acquire(chan);
	if (teeq_unlikely(qp->shared)) {
		const struct teeq_call_fields f = { .opcode = opcode,
						    .session = session,
						    .func = func,
						    .login_data = login_data,
						    .uuid = uuid };

		return teeq_call_shared(chan, qp, &f, op, origin, opened);
	}
	p = &qp->solo;
	sqe = teeq_qp_solo_sqe(qp);
	sqe->opcode = opcode;
	sqe->session = session;
	sqe->func = func;
	sqe->login_data = login_data;
	if (uuid)
		sqe->uuid = *uuid;
	if (op) {
		res = teeq_call_op(chan, qp, sqe, p, op, session);
		if (teeq_unlikely(res != TEEC_SUCCESS)) {
			teeq_qp_release_excl(qp);
			*origin = TEEC_ORIGIN_API;
			return res;
		}
	}
	if (teeq_likely(!op || !p->param_types)) {
		/* nothing to raise: the completion's fields straight */
		if (teeq_unlikely(teeq_qp_solo_send(ops, qp))) {
			teeq_pending_fail(p, qp->solo_seq);
			*origin = TEEC_ORIGIN_COMMS;
			res = TEEC_ERROR_TARGET_DEAD;
		} else {
			res = teeq_qp_solo_wait(ops, qp,
						opened ? TEEQ_SOLO_WHOLE :
							 TEEQ_SOLO_RESULT,
						op, origin);
		}
		if (opened) /* its fields straight, with or without an op */
			teeq_call_hints(p, op, opened);
	} else if (teeq_likely(teeq_params_values_only(p->param_types) &&
			       !opened)) {
		/* values: their outputs straight from the completion */
		if (teeq_unlikely(teeq_qp_solo_send(ops, qp))) {
			*origin = TEEC_ORIGIN_COMMS;
			res = TEEC_ERROR_TARGET_DEAD;
		} else {
			res = teeq_qp_solo_wait(ops, qp, TEEQ_SOLO_VALUES, op,
						origin);
		}
	} else {
		if (teeq_qp_solo_send(ops, qp)) {
			teeq_pending_fail(p, qp->solo_seq);
		} else {
			/* the secure world has the call: the last one's
			 * lines, meanwhile (params.c) */
			teeq_qp_flush_deferred(qp);
			teeq_qp_solo_wait(ops, qp, TEEQ_SOLO_WHOLE, op, origin);
		}
		res = teeq_params_raise(qp, op, p, origin);
		teeq_call_hints(p, op, opened);
	}
	teeq_qp_release_excl(qp);
	teeq_op_end(op);
	return res;
}

TEEC_Result teeq_call(struct teeq_chan *chan, uint8_t opcode, uint32_t session,
		      uint32_t func, TEEC_Operation *op, uint32_t *origin)
{
	if (teeq_likely(TEEQ_RINGS(chan->ops)))
		return teeq_call_with(&teeq_rings_ops, chan, opcode, session,
				      func, 0, NULL, op, origin, NULL);
	return teeq_call_with(chan->ops, chan, opcode, session, func, 0, NULL,
			      op, origin, NULL);
}

TEEC_Result teeq_call_open(struct teeq_chan *chan, const struct teeq_uuid *uuid,
			   uint32_t login, uint32_t login_data,
			   TEEC_Operation *op, uint32_t *origin,
			   struct teeq_opened *opened)
{
	return teeq_call_with(chan->ops, chan, TEEQ_OP_OPEN_SESSION, 0, login,
			      login_data, uuid, op, origin, opened);
}
