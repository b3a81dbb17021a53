/* SPDX-License-Identifier: MIT */
/*
 * libteeq internals: channels, queue pairs and the call lifecycle, shared
 * memory. The front ends (teec.c for GlobalPlatform, async.c for batches)
 * drive calls through queue.c: synchronous ones whole (teeq_call(),
 * teeq_call_open(), teeq_cancel()), async ones through its verbs, as
 * liburing's helpers drive io_uring:
 *
 *   qp  = teeq_qp_lease_queue(chan, q)   a queue pair for the queue's life
 *   sqe = teeq_qp_get_sqe(qp, kind, &t, &p)  an entry, its tag (credit)
 *                                        and its pending entry
 *         ... fill it (never read it back); teeq_params_lower() ...
 *         teeq_qp_unprep(qp, t)          or take it back, unpublished
 *         teeq_qp_publish(qp)            everything got so far, in flight
 *   n   = teeq_qp_reap_into(qp, out, m)  completions out, raised, tags
 *                                        given back (teeq_qp_wait() to
 *                                        wait for some)
 *         teeq_qp_release(qp)
 *
 * Beneath the verbs a transport moves entries to the secure world and
 * completions back (struct teeq_xport_ops): host mode fills entries in
 * place in the channel's shared rings and reaps completions straight out
 * of them (rings.c); kernel mode turns each into an
 * ioctl of the driver's node (kernel.c), with the lifecycle above
 * unchanged.
 */
#ifndef TEEQ_CLIENT_INTERNAL_H
#define TEEQ_CLIENT_INTERNAL_H

#include "ring/channel.h"
#include "ring/wait.h"
#include "shm/ids.h"
#include "shm/pool.h"
#include "uapi/teeq_host.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <tee_client_api_extensions.h>
#include <teeq.h>

#define TEEQ_API __attribute__((visibility("default")))
/* The call path's helpers, whose inlining the instruction counts need. */
#define TEEQ_ALWAYS_INLINE static inline __attribute__((always_inline))
/* Thread-locals of the call path: a fixed offset from the thread pointer,
 * not a __tls_get_addr() call per access. */
#define TEEQ_TLS __thread __attribute__((tls_model("initial-exec")))

/* Defaults, each overridable from the environment (see client/chan.c). */
#define TEEQ_DEFAULT_QPAIRS 8
#define TEEQ_DEFAULT_DEPTH 64
#define TEEQ_DEFAULT_HEAP_MB 64
#define TEEQ_DEFAULT_SPIN_US 100
/* A channel's pairs hold at most this part of its heap in deferred
 * bounces (params.c). */
#define TEEQ_DEFER_HEAP_PART 4
#define TEEQ_MAX_SHMS 4096

enum teeq_shm_kind {
	TEEQ_SHM_ALLOC, /* allocated in the heap: zero-copy, ours to free */
	TEEQ_SHM_IN_HEAP, /* caller's memory that lies in the heap: in place */
	TEEQ_SHM_SHADOW, /* caller's memory, bounced through a heap shadow */
	TEEQ_SHM_FD, /* a sealed memfd mapped by the secure side: zero-copy */
	TEEQ_SHM_ALLOC_FD, /* allocated as a memfd of its own (too big for
			    * the heap): zero-copy, ours to unmap and close */
	TEEQ_SHM_DRIVER, /* kernel mode: a buffer of the driver's (allocated,
			  * pinned or imported), owned by fd: zero-copy */
};

struct teeq_shm {
	enum teeq_shm_kind kind;
	uint32_t flags; /* TEEC_MEM_* */
	uint64_t size;
	uint32_t wire_id; /* buffer id on the wire */
	uint64_t wire_off; /* where the buffer starts in it */
	void *shadow; /* SHADOW: the heap copy (kernel mode: none, the
		       * driver copies the window of each call) */
	void *map; /* FD, ALLOC_FD, DRIVER: our mapping, or NULL */
	int fd; /* ALLOC_FD: the memfd; DRIVER: the driver's fd */
	int pooled; /* DRIVER: allocated from the driver's pool */
};

/* A temporary memref copied for one call: through a heap block, or, when
 * the heap cannot hold it, through a memfd registered for the call. */
struct teeq_bounce {
	uint64_t heap_off; /* the block, when fd < 0 */
	uint64_t size;
	void *user; /* where the caller's bytes are */
	int copy_back;
	int owned; /* a block (or memfd) of the call's own: freed at the end */
	int fd; /* -1, or the call's own memfd */
	void *map; /* its mapping */
	uint32_t buf_id; /* its registration */
	int by_driver; /* kernel mode: the driver copies, we count */
};

enum teeq_pending_state {
	TEEQ_PENDING_FREE,
	TEEQ_PENDING_PREPARED, /* got, not yet published */
	TEEQ_PENDING_IN_FLIGHT,
	TEEQ_PENDING_DONE,
};

enum teeq_pending_kind {
	TEEQ_PENDING_SYNC, /* a thread waits for exactly this one */
	TEEQ_PENDING_ASYNC, /* reaped by teeq_reap() */
	TEEQ_PENDING_DISCARD, /* fire and forget: freed when it completes */
};

/* In teeq_pending.bounces: the call raised its pair's spin budget
 * (params.c), which teeq_params_drop() restores. */
#define TEEQ_BOUNCES_SPIN 0x80u

/* One call from getting its entry until its completion is consumed. */
struct teeq_pending {
	/* the user_data of its entries: gen << 32 | tag, where gen counts
	 * the entry's uses, so that a completion of an earlier use, or of
	 * another tag, never matches it */
	uint64_t wire_user_data;
	union {
		struct {
			uint8_t state; /* enum teeq_pending_state */
			uint8_t kind; /* enum teeq_pending_kind */
		};
		/* both, for one test of the reap's common case */
		uint16_t state_kind; /* TEEQ_STATE_KIND() */
	};
	uint16_t param_types; /* the wire types submitted */
	uint8_t bounces; /* bit i: bounce[i] is in use; TEEQ_BOUNCES_SPIN */
	uint32_t next_done; /* FIFO of DONE async entries */
	TEEC_Operation *op;
	struct teeq_cqe cqe; /* valid when DONE */
	uint64_t user_data; /* the async caller's */
	uint32_t window[TEEQ_NUM_PARAMS]; /* memref sizes submitted */
	struct teeq_bounce *bounce; /* TEEQ_NUM_PARAMS of them */
} __attribute__((aligned(TEEQ_CACHELINE)));

/* What a pending entry's state_kind holds for @state and @kind. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEEQ_STATE_KIND(state, kind) ((uint16_t)((state) | (kind) << 8))
#else
#define TEEQ_STATE_KIND(state, kind) ((uint16_t)((state) << 8 | (kind)))
#endif

/* Per queue pair, so calls on different pairs never share a counter's
 * line. One writer at a time (the pair's lessee, or whoever holds the
 * shared pair's lock): a plain add, stored atomically for readers. */
struct teeq_qp_stats {
	uint64_t calls;
	uint64_t zero_copy_memrefs;
	uint64_t bounced_memrefs;
	uint64_t bounce_bytes;
	uint64_t doorbells;
	uint64_t payload_spins;
};

#define TEEQ_QP_STAT(qp, field, n)                                    \
	__atomic_store_n(&(qp)->stats.field, (qp)->stats.field + (n), \
			 __ATOMIC_RELAXED)

/*
 * A queue pair. Pairs 0 .. nr_qp - 2 are exclusive: one lessee at a time
 * owns everything below, with no lock. Leased for one synchronous call,
 * a pair carries that call alone (the solo call: no tag, its own pending
 * entry, user_data solo_seq); leased by an async queue for its life, it
 * carries up to depth tagged calls. The last pair is shared: any number
 * of tagged calls are in flight on it at once, each thread holding its
 * lock while it touches the pair; cancellations go there too.
 */
struct teeq_qp {
	struct teeq_chan *chan;
	/* the lessee: NULL when free; set by compare-and-swap; atomic */
	void *owner;
	int shared;
	uint32_t index;
	uint32_t depth;
	/* tags a sync call may not take: on the shared pair one is kept for
	 * cancellations, so that one can always reach the secure world */
	uint32_t reserve;
	uint32_t nr_free;
	uint32_t prepared; /* entries got, not yet published */
	uint32_t in_flight; /* published, completion not yet seen */
	uint32_t done_head, done_tail, nr_done; /* FIFO; tags + 1 */
	struct teeq_pending *pend;
	uint32_t *free_tags;
	uint32_t *prep_tags; /* the tags of the entries got, in order */
	/* a transport without a submission ring of the channel's: the
	 * entries it submits, depth of them, in the slots of a private ring
	 * in sq (teeq_qp_sqe_at()); NULL in host mode */
	struct teeq_sqe *stage;
	void *stage_ring;
	uint64_t solo_seq; /* user_data of the solo call */
	struct teeq_pending solo;
	struct teeq_bounce *bounces; /* depth + 1 sets: tags', then solo's */
	/* a heap bounce of a solo call whose bytes were copied back with
	 * its lines kept in our cache: flushed and freed while the pair's
	 * next call waits (teeq_qp_flush_deferred()); its block, its size,
	 * the bytes read from it (0: none) */
	uint64_t defer_off, defer_size, defer_len;
	struct teeq_qp_stats stats;
	/* the transport's: host mode's rings and doorbells */
	struct ring sq, cq;
	/* our end of the pair's doorbell socket (teeq-sw hands it over in
	 * the handshake): we ring teeq-sw on it and sleep on it */
	int db;
	struct ring_wait wait;
	struct teeq_kqp *kqp; /* kernel mode's (client/kernel.c) */
	/* shared pair only: one waiter at a time blocks on the completions
	 * for everyone (waiting set); the others wait on cond, which is
	 * broadcast whenever a completion or a tag comes back */
	int waiting;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/*
 * What moves entries between libteeq and a secure world. Called by the
 * pair's lessee (or with the shared pair's lock held), except wait, which
 * the shared pair's waiter calls unlocked: it may touch only what takes
 * completions in, and cancel, which any thread calls.
 *
 * A transport whose calls are system calls that block until the call ends
 * (kernel mode's ioctls) cannot run tagged calls on the thread that
 * publishes them, which may hold the shared pair or want to go on with
 * its batch: its submit hands them to threads of its own, which post the
 * completions that ready() then finds. Its solo calls run on the calling
 * thread (call), and cancellations go straight to the secure world
 * (cancel), since no ring carries them there.
 */
struct teeq_xport_ops {
	/* The transport's part of a new pair: what it moves entries
	 * through, and qp->depth, the calls it may have in flight. */
	int (*qp_init)(struct teeq_qp *qp);
	/* Lets go of it; nothing of the pair is in use any more. */
	void (*qp_fini)(struct teeq_qp *qp);
	/* Sends the @n entries got since the last submit, filled where
	 * teeq_qp_sqe_at() says: @sqes (qp->stage), or, in host mode, the
	 * ring's slots already. 0, or -EPROTO when the channel broke.
	 * Credits guarantee room: the transport never has to wait for it. */
	int (*submit)(struct teeq_qp *qp, const struct teeq_sqe *sqes,
		      uint32_t n);
	/* Completions that have arrived, looking for up to @want; or
	 * -EPROTO when the channel broke. */
	int (*ready)(struct teeq_qp *qp, uint32_t want);
	/* Completion @i of those (0: the oldest), where the peer wrote it:
	 * the caller copies it before it believes any of it. */
	const struct teeq_cqe *(*cqe)(struct teeq_qp *qp, uint32_t i);
	/* The oldest @n completions are copied: the peer may reuse them. */
	void (*consume)(struct teeq_qp *qp, uint32_t n);
	/* Waits until completions may be there or @timeout_ns passes (< 0:
	 * no limit); @want (at least 1) is how many the caller is after, a
	 * hint a transport may wait for at once. 0, -EPIPE when the secure
	 * world is gone, or -EPROTO when the channel broke. */
	int (*wait)(struct teeq_qp *qp, uint32_t want, int64_t timeout_ns);
	/* Optional: runs the solo call's entry to its end on the calling
	 * thread, its completion ready when it returns; without it the solo
	 * call is submitted and waited for. 0, or -EPROTO. */
	int (*call)(struct teeq_qp *qp, const struct teeq_sqe *sqe);
	/* Optional: asks the secure world to cancel the call in flight that
	 * carries @cancel_id (of @session, 0 for an open), without an entry;
	 * without it a TEEQ_OP_CANCEL entry goes on the shared pair. */
	void (*cancel)(struct teeq_chan *chan, uint32_t session,
		       uint32_t cancel_id);
};

extern const struct teeq_xport_ops teeq_rings_ops;
extern const struct teeq_xport_ops teeq_kdev_ops;

struct teeq_chan {
	const struct teeq_xport_ops *ops;
	struct teeq_qp *qp;
	uint32_t nr_qp;
	uint32_t nr_excl; /* exclusive pairs: nr_qp - 1 */
	const char *dead; /* why the secure world is gone; atomic */
	uint32_t id; /* in teeq_chans[], what the TEEC structs hold */
	int finalized; /* atomic */
	int sock;
	pthread_mutex_t ctl_lock; /* one control request at a time */
	uint32_t ctl_seq;
	int memfd;
	void *region;
	struct channel_layout layout;
	unsigned char *heap;
	struct shm_pool pool;
	/* heap bytes the pairs' deferred bounces hold (params.c); atomic */
	uint64_t deferred;
	struct shm_ids shms;
	uint64_t spin_ns;
	uint32_t sw_pid;
	struct teeq_queue *queues; /* its async queues; under ctl_lock */
	struct teeq_stats stats; /* the fixed figures; counters are per pair */
	/* kernel mode: the driver's node, and the bytes of its pool our
	 * allocations hold (atomic) */
	int kfd;
	uint64_t kpool_bytes;
	int kuring_off; /* no io_uring commands on the node; atomic */
};

/*
 * Sessions, shared memory, operations and queues name their channel by
 * id, not by pointer: an id is a slot of teeq_chans[] and a generation,
 * so one kept past TEEC_FinalizeContext() (which frees the channel), or
 * copied, finds nothing and fails cleanly instead of touching freed
 * memory. Id 0 is never issued.
 */
#define TEEQ_CHAN_SLOT_BITS 10
#define TEEQ_MAX_CONTEXTS (1u << TEEQ_CHAN_SLOT_BITS) /* open at once */

struct teeq_chan_slot {
	uint32_t id; /* 0: free; atomic */
	struct teeq_chan *chan;
};

extern struct teeq_chan_slot teeq_chans[TEEQ_MAX_CONTEXTS];

/* The open channel @id names, or NULL. */
static inline struct teeq_chan *teeq_chan_lookup(uint32_t id)
{
	const struct teeq_chan_slot *s =
		&teeq_chans[id & (TEEQ_MAX_CONTEXTS - 1)];

	/* acquire: the slot's chan is at least as new as its id; pairs
	 * with the release in teeq_chan_open() */
	if (teeq_unlikely(__atomic_load_n(&s->id, __ATOMIC_ACQUIRE) != id ||
			  !id))
		return NULL;
	return s->chan;
}

/* chan.c */
int teeq_chan_open(const char *name, struct teeq_chan **out);
/* TEEC_FinalizeContext(): hangs up, frees the channel, and with it the
 * shared memory still registered; its id finds nothing from now on. */
void teeq_chan_close(struct teeq_chan *chan);
void teeq_chan_kill(struct teeq_chan *chan, const char *why);
static inline int teeq_chan_dead(struct teeq_chan *chan)
{
	return __atomic_load_n(&chan->dead, __ATOMIC_ACQUIRE) != NULL;
}
static inline int teeq_chan_finalized(struct teeq_chan *chan)
{
	return __atomic_load_n(&chan->finalized, __ATOMIC_ACQUIRE);
}
/* Does @chan reach the secure world through the kernel driver? */
static inline int teeq_chan_kernel(const struct teeq_chan *chan)
{
	return chan->ops == &teeq_kdev_ops;
}
int teeq_chan_reg_fd(struct teeq_chan *chan, int fd, uint32_t flags,
		     uint32_t *buf_id, uint64_t *size);
int teeq_chan_unreg(struct teeq_chan *chan, uint32_t buf_id);
int teeq_chan_sw_stats(struct teeq_chan *chan, struct teeq_sw_stats *st);

/* debug.c: TEEQ_DEBUG=1 says on stderr, once each, what went wrong or
 * was unusual; silent otherwise. */
enum teeq_debug_event {
	TEEQ_DEBUG_SHARED_PAIR, /* a call found every exclusive pair busy */
	TEEQ_DEBUG_CREDIT_WAIT, /* a sync call waited for credit */
	TEEQ_DEBUG_MEMFD_BOUNCE, /* a temp memref too big for the heap */
	TEEQ_DEBUG_MEMFD_ALLOC, /* shared memory too big for the heap */
	TEEQ_DEBUG_URING_OFF, /* kernel mode: async calls by ioctl */
	TEEQ_DEBUG_NR_EVENTS,
};
void teeq_debug_event(enum teeq_debug_event ev);
/* A channel died; its reason is said once per channel. */
void teeq_debug_dead(const struct teeq_chan *chan, const char *why);

/* ---- queue.c: queue pairs and the call lifecycle ------------------------ */

int teeq_qp_init(struct teeq_chan *chan, uint32_t index);
void teeq_qp_fini(struct teeq_qp *qp);

/* The pair a thread tries first (a hint: index + 1, 0 = none yet). */
extern TEEQ_TLS uint32_t teeq_qp_home;
/* Lessee value of a pair leased for one call. */
#define TEEQ_QP_CALL ((void *)1)

static inline int teeq_qp_try_lease(struct teeq_qp *qp, void *lessee)
{
	void *none = NULL;

	/* acquire: what the previous lessee did to the pair is visible to
	 * us; pairs with the release in teeq_qp_release() */
	return __atomic_compare_exchange_n(&qp->owner, &none, lessee, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

struct teeq_qp *teeq_qp_acquire_slow(struct teeq_chan *chan);
/* The shared pair, locked. */
struct teeq_qp *teeq_qp_acquire_shared(struct teeq_chan *chan);

/*
 * A queue pair for one call: the thread's home pair when it is free,
 * else another free exclusive pair (which becomes home), else the shared
 * pair, locked. A thread holds no pair between calls.
 */
static inline struct teeq_qp *teeq_qp_acquire(struct teeq_chan *chan)
{
	uint32_t home = teeq_qp_home - 1;

	if (teeq_likely(home < chan->nr_excl) &&
	    teeq_likely(teeq_qp_try_lease(&chan->qp[home], TEEQ_QP_CALL)))
		return &chan->qp[home];
	return teeq_qp_acquire_slow(chan);
}

/* An exclusive pair's lease is over. */
static inline void teeq_qp_release_excl(struct teeq_qp *qp)
{
	/* release: our use of the pair is over before the next lessee's
	 * begins; pairs with the acquire in teeq_qp_try_lease() */
	__atomic_store_n(&qp->owner, NULL, __ATOMIC_RELEASE);
}

static inline void teeq_qp_release(struct teeq_qp *qp)
{
	if (qp->shared)
		pthread_mutex_unlock(&qp->lock);
	else
		teeq_qp_release_excl(qp);
}

/* The pair a queue leases for its life (never the shared one); NULL if
 * every exclusive pair is in use. */
struct teeq_qp *teeq_qp_lease_queue(struct teeq_chan *chan, void *queue);

static inline uint64_t teeq_qp_user_data(const struct teeq_qp *qp, uint32_t tag)
{
	return qp->pend[tag].wire_user_data;
}

/* Waits (sync calls) until a tag is free for them; 0, or -EPIPE when the
 * channel died meanwhile. */
int teeq_qp_wait_credit(struct teeq_qp *qp, enum teeq_pending_kind kind);

/*
 * Where entry @i of those got since the last publish is filled: a slot of
 * the pair's submission ring. Host mode fills the channel's ring in
 * place, as liburing fills its SQ: the stamp stays the ring's
 * (ring_clear_slot()), and a filled entry is never read back, since the
 * peer can change it. Another transport's sq is a private ring over its
 * stage, never committed, so that slot i stays stage[i], where its submit
 * takes the entries (teeq_qp_init()).
 */
TEEQ_ALWAYS_INLINE struct teeq_sqe *teeq_qp_sqe_at(const struct teeq_qp *qp,
						   uint32_t i)
{
	return (struct teeq_sqe *)ring_prod_slot_sized(&qp->sq, i,
						       sizeof(struct teeq_sqe));
}

/*
 * Gets an entry: a free tag for a call of @kind, and the entry it fills
 * (teeq_qp_sqe_at()), its first line zeroed and user_data set. NULL when
 * the pair has no credit left for @kind (async callers say BUSY; sync
 * callers wait in teeq_qp_wait_credit() and try again).
 */
TEEQ_ALWAYS_INLINE struct teeq_sqe *teeq_qp_get_sqe(struct teeq_qp *qp,
						    enum teeq_pending_kind kind,
						    uint32_t *tagp,
						    struct teeq_pending **pp)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	uint64_t user_data;
	uint32_t tag, nr_free = qp->nr_free, prepared = qp->prepared;

	if (teeq_unlikely(nr_free <=
			  (kind == TEEQ_PENDING_SYNC ? qp->reserve : 0)))
		return NULL;
	tag = qp->free_tags[--nr_free];
	qp->nr_free = nr_free;
	/* each entry got holds a tag: never more than depth of them, the
	 * ring's entries, so the ring has room once the secure world
	 * released the entries of the calls that completed */
	qp->prep_tags[prepared] = tag;
	sqe = teeq_qp_sqe_at(qp, prepared);
	qp->prepared = prepared + 1;
	p = &qp->pend[tag];
	p->wire_user_data += 1ull << 32; /* the next gen */
	user_data = p->wire_user_data;
	p->state = TEEQ_PENDING_PREPARED;
	p->kind = (uint8_t)kind;
	p->param_types = 0;
	p->bounces = 0;
	/* the second line is zeroed by teeq_params_lower(), and sent only
	 * when a parameter lives there (teeq_sqe_size()) */
	ring_clear_slot(sqe, TEEQ_CACHELINE);
	sqe->user_data = user_data;
	*tagp = tag;
	*pp = p;
	return sqe;
}

/* Gives a tag back once its completion is consumed (or it never left). */
static inline void teeq_qp_put(struct teeq_qp *qp, uint32_t tag)
{
	qp->pend[tag].state = TEEQ_PENDING_FREE;
	qp->free_tags[qp->nr_free++] = tag;
}

/* Takes back the last entry got (@tag), which was not published. */
void teeq_qp_unprep(struct teeq_qp *qp, uint32_t tag);
/* Publishes every entry got since the last publish: in flight now. */
void teeq_qp_publish(struct teeq_qp *qp);
/* Moves completions that arrived into their pending entries. */
void teeq_qp_poll(struct teeq_qp *qp);
/* Waits until @tag is DONE (a dead channel completes it with
 * TARGET_DEAD). The shared pair's lock is held, and may be dropped and
 * taken again meanwhile. */
void teeq_qp_wait_tag(struct teeq_qp *qp, uint32_t tag);
/* Waits once until completions may be there or @timeout_ns passes; a
 * dead channel completes what is in flight with TARGET_DEAD. */
void teeq_qp_wait(struct teeq_qp *qp, uint32_t want, int64_t timeout_ns);
/* The oldest async completion on the done list, or NULL. */
struct teeq_pending *teeq_qp_pop_done(struct teeq_qp *qp, uint32_t *tag);
/* Up to @max async completions into @out, raised into their operations,
 * their tags given back: first the done list's, then new ones. */
unsigned int teeq_qp_reap_into(struct teeq_qp *qp, struct teeq_completion *out,
			       unsigned int max);
/* The channel is dead: complete everything in flight with TARGET_DEAD. */
void teeq_qp_fail_all(struct teeq_qp *qp);

/* Was @op cancelled before it started? Then it is reset to not started
 * (and the call returns TEEC_ERROR_CANCEL before lowering anything). */
int teeq_op_cancelled(TEEC_Operation *op);
/* Marks @op started with a fresh cancel id; -ECANCELED (and @op reset to
 * not started) when it was cancelled before it started. */
int teeq_op_start(struct teeq_chan *chan, TEEC_Operation *op, uint32_t session);
/* The operation is over: a cancellation now has nothing to reach. */
static inline void teeq_op_end(TEEC_Operation *op)
{
	if (op)
		__atomic_store_n(&op->imp.cancel_id, 0, __ATOMIC_RELAXED);
}
/* Runs one synchronous operation (INVOKE, CLOSE_SESSION); returns the
 * result and fills its origin. */
TEEC_Result teeq_call(struct teeq_chan *chan, uint8_t opcode, uint32_t session,
		      uint32_t func, TEEC_Operation *op, uint32_t *origin);
/* What an OPEN_SESSION's completion gave. */
struct teeq_opened {
	uint32_t session; /* the new session's id, on success */
	uint32_t hints; /* TEEQ_CQE_F_*: for TEEC_Session.imp.hints */
};

/* Runs one OPEN_SESSION; *@opened says what it gave. */
TEEC_Result teeq_call_open(struct teeq_chan *chan, const struct teeq_uuid *uuid,
			   uint32_t login, uint32_t login_data,
			   TEEC_Operation *op, uint32_t *origin,
			   struct teeq_opened *opened);
/* Sends a cancellation for @op's call in flight (best effort). */
void teeq_cancel(TEEC_Operation *op);

/* async.c: the context is being finalized; its queues fail from now on. */
void teeq_queues_orphan(struct teeq_chan *chan);

/* ---- params.c -------------------------------------------------------- */

/* Lowers @op into the entry and pending entry; bounces what must be.
 * Returns TEEC_SUCCESS or a TEEC error (origin API); nothing is left
 * held on error. */
TEEC_Result teeq_params_lower(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_sqe *sqe, struct teeq_pending *p);
/* Raises the completion into @op (outputs, sizes, copy-back) and frees the
 * bounces. Returns the final result; *origin is set. */
TEEC_Result teeq_params_raise(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_pending *p, uint32_t *origin);
/* Frees the bounces of a call whose outputs nobody will read. */
void teeq_params_drop(struct teeq_qp *qp, struct teeq_pending *p);
/* Flushes and frees the pair's deferred bounce (params.c). */
void teeq_qp_flush_deferred_now(struct teeq_qp *qp);
/* The same if it has one: called while the pair's next call with memory
 * references waits, when the flush takes nothing from the call. */
TEEQ_ALWAYS_INLINE void teeq_qp_flush_deferred(struct teeq_qp *qp)
{
	if (teeq_unlikely(qp->defer_len))
		teeq_qp_flush_deferred_now(qp);
}

/*
 * Operations of values only, the common case, lowered and raised in line:
 * no memory, no bounce, and the wire's types are GlobalPlatform's. In a
 * type nibble, memrefs have bit 2 (and GP's registered ones bit 3),
 * outputs bit 1, inputs bit 0.
 */
#define TEEQ_TYPES_MEMREF 0x4444u
#define TEEQ_TYPES_OUTPUT 0x2222u
#define TEEQ_TYPES_INPUT 0x1111u

/* Is every parameter NONE or a VALUE_*? */
static inline int teeq_params_values_only(uint32_t types)
{
	return !(types & 0xccccu);
}

/* A value's a and b, one 8-byte word on both sides of the boundary. */
_Static_assert(sizeof(TEEC_Value) == 8 &&
		       __builtin_offsetof(union teeq_param, value.b) == 4 &&
		       __builtin_offsetof(union teeq_param_out, value.b) == 4,
	       "a value's a and b move as one word");

/* @types: the operation's paramTypes, values only (read once by the
 * caller: stores into the entry could alias the operation) */
TEEQ_ALWAYS_INLINE void teeq_params_lower_values(const TEEC_Operation *op,
						 uint32_t types,
						 struct teeq_sqe *sqe,
						 struct teeq_pending *p)
{
	int i;

	types &= 0xffffu;
	/* inputs and inouts carry a and b; everything else stays zero */
#pragma GCC unroll 4
	for (i = 0; i < TEEQ_NUM_PARAMS; i++)
		if ((types >> (4 * i)) & 1u)
			memcpy(&sqe->params[i].value, &op->params[i].value,
			       sizeof(TEEC_Value));
	p->param_types = (uint16_t)types;
	sqe->param_types = (uint16_t)types;
}

TEEQ_ALWAYS_INLINE void teeq_params_raise_values(TEEC_Operation *op,
						 const struct teeq_pending *p)
{
	uint32_t types = p->param_types;
	int i;

#pragma GCC unroll 4
	for (i = 0; i < TEEQ_NUM_PARAMS; i++)
		if ((types >> (4 * i)) & 2u)
			memcpy(&op->params[i].value, &p->cqe.params[i].value,
			       sizeof(TEEC_Value));
}

/* ---- kernel.c: kernel mode ---------------------------------------------- */

/*
 * Kernel mode's staged entries name memory as the driver's ioctls do:
 * buf_id is a shm id of the driver's, TEEQ_BUF_ID_NULL a NULL memref, or
 * TEEQ_KBUF_USER, a temporary memref at the caller's address (offset),
 * which the driver copies in before the call and out after it.
 */
#define TEEQ_KBUF_USER 0xffffffffu

/*
 * Which secure world @name reaches. 1: the driver's node, whose path goes
 * to @path; 0: host mode, its socket to @path; or -errno. The default
 * (NULL) is the driver's /dev/teeq0 when it exists, else host mode, and
 * TEEQ_MODE=host|kernel overrides that; an absolute path names a node
 * when it is a character device, else a socket.
 */
int teeq_kdev_choose(const char *name, char *path, size_t len);
/* The node opened and checked, chan->ops kernel mode's and the context's
 * figures set; the queue pairs (@depth calls each) are set up by the
 * caller. 0 or -errno. */
int teeq_kdev_open(struct teeq_chan *chan, const char *node, uint32_t depth);
/* After the pairs are gone: the node closes. */
void teeq_kdev_close(struct teeq_chan *chan);
/* Shared memory of the driver's: TEEC_AllocateSharedMemory (the pool, a
 * dma-buf mapped), TEEC_RegisterSharedMemory (the caller's pages pinned;
 * memory that cannot be pinned is copied by each call instead), and a
 * memfd's or dma-buf's fd. Fill @shm; 0 or -errno. */
int teeq_kdev_shm_alloc(struct teeq_chan *chan, struct teeq_shm *shm);
int teeq_kdev_shm_register(struct teeq_chan *chan, struct teeq_shm *shm,
			   void *buffer);
int teeq_kdev_shm_register_fd(struct teeq_chan *chan, struct teeq_shm *shm,
			      int fd);
void teeq_kdev_shm_free(struct teeq_chan *chan, struct teeq_shm *shm);

/* ---- shared memory (teec.c) ------------------------------------------- */

/* Frees what @shm holds and @shm itself (the context is finalized). */
void teeq_shm_destroy(struct teeq_chan *chan, struct teeq_shm *shm);

/* A sealed memfd of @size bytes, mapped and registered with the secure
 * world, for a buffer the heap cannot hold. 0 or -errno. */
int teeq_memfd_buffer(struct teeq_chan *chan, uint64_t size, uint32_t flags,
		      int *fd, void **map, uint32_t *buf_id);
void teeq_memfd_buffer_free(struct teeq_chan *chan, int fd, void *map,
			    uint64_t size, uint32_t buf_id);

#endif /* TEEQ_CLIENT_INTERNAL_H */
