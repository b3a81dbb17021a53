/* SPDX-License-Identifier: MIT */
/* libteeq internals: channels, queue pairs, pending calls, shared memory. */
#ifndef TEEQ_CLIENT_INTERNAL_H
#define TEEQ_CLIENT_INTERNAL_H

#include "ring/channel.h"
#include "ring/wait.h"
#include "shm/ids.h"
#include "shm/pool.h"
#include "uapi/teeq_host.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

#define TEEQ_API __attribute__((visibility("default")))

/* Defaults, each overridable from the environment (see client/chan.c). */
#define TEEQ_DEFAULT_QPAIRS 8
#define TEEQ_DEFAULT_DEPTH 64
#define TEEQ_DEFAULT_HEAP_MB 64
#define TEEQ_DEFAULT_SPIN_US 100
#define TEEQ_MAX_SHMS 4096

enum teeq_shm_kind {
	TEEQ_SHM_POOL, /* allocated in the heap: zero-copy */
	TEEQ_SHM_SHADOW, /* caller's memory, bounced through a heap shadow */
	TEEQ_SHM_FD, /* a sealed memfd mapped by the secure side: zero-copy */
};

struct teeq_shm {
	enum teeq_shm_kind kind;
	uint32_t flags; /* TEEC_MEM_* */
	uint64_t size;
	uint32_t wire_id; /* buffer id on the wire */
	uint64_t wire_off; /* where the buffer starts in it */
	void *shadow; /* SHADOW: the heap copy */
	void *map; /* FD: our mapping */
};

/* A temporary memref copied through the heap for one call. */
struct teeq_bounce {
	uint64_t heap_off; /* 0 with size 0: none */
	uint64_t size;
	void *user; /* where the caller's bytes are */
	int copy_back;
	int owned; /* a block of the call's own: freed at completion */
};

enum teeq_pending_state {
	TEEQ_PENDING_FREE,
	TEEQ_PENDING_PREPARED, /* in the SQ, not yet published */
	TEEQ_PENDING_IN_FLIGHT,
	TEEQ_PENDING_DONE,
};

enum teeq_pending_kind {
	TEEQ_PENDING_SYNC, /* a thread waits for exactly this one */
	TEEQ_PENDING_ASYNC, /* reaped by teeq_reap() */
	TEEQ_PENDING_DISCARD, /* fire and forget: freed when it completes */
};

struct teeq_pending {
	uint32_t gen;
	uint8_t state;
	uint8_t kind;
	uint16_t param_types; /* the wire types submitted */
	uint32_t window[TEEQ_NUM_PARAMS]; /* memref sizes submitted */
	struct teeq_cqe cqe; /* valid when DONE */
	TEEC_Operation *op;
	uint64_t user_data;
	struct teeq_bounce bounce[TEEQ_NUM_PARAMS];
	uint8_t bounces; /* bit i: bounce[i] is in use */
	uint32_t next_done; /* FIFO of DONE async entries */
};

/* Per queue pair, so calls on different pairs never share a counter's
 * line. One writer at a time (the pair's owner, or whoever holds the
 * shared pair's lock): a plain add, stored atomically for readers. */
struct teeq_qp_stats {
	uint64_t calls;
	uint64_t zero_copy_memrefs;
	uint64_t bounced_memrefs;
	uint64_t bounce_bytes;
	uint64_t doorbells;
	uint64_t waits_spun;
	uint64_t waits_slept;
};

#define TEEQ_QP_STAT(qp, field, n)                                    \
	__atomic_store_n(&(qp)->stats.field, (qp)->stats.field + (n), \
			 __ATOMIC_RELAXED)

struct teeq_qp {
	struct teeq_chan *chan;
	struct teeq_qp_stats stats;
	uint32_t index;
	struct ring sq, cq;
	int sq_db, cq_db; /* eventfds: we write sq_db, wait on cq_db */
	struct ring_wait wait;
	uint32_t depth;
	struct teeq_pending *pend;
	uint32_t *free_tags;
	uint32_t nr_free;
	struct teeq_sqe *stage; /* depth entries: prepared, not committed */
	uint32_t prepared; /* SQEs in stage[0 .. prepared) */
	uint32_t done_head, done_tail, nr_done; /* FIFO; tags + 1 */
	void *owner; /* lease holder; atomic */
	/* The last pair is shared by the threads that found no free pair:
	 * they take the lock around ring and table accesses, and one at a
	 * time (waiting set) blocks on the completion ring for all. */
	int shared;
	int waiting;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

struct teeq_chan {
	uint64_t gen; /* unique per channel, for thread-local caches */
	int sock;
	pthread_mutex_t ctl_lock; /* one control request at a time */
	uint32_t ctl_seq;
	int memfd;
	void *region;
	struct channel_layout layout;
	unsigned char *heap;
	struct shm_pool pool;
	struct shm_ids shms;
	uint32_t nr_qp;
	struct teeq_qp *qp;
	const char *dead; /* why the secure world is gone; atomic */
	uint32_t next_cancel_id; /* atomic */
	uint64_t spin_ns;
	uint32_t sw_pid;
	struct teeq_stats stats; /* the fixed figures; counters are per pair */
	struct teeq_chan *next_live;
};

/* chan.c */
int teeq_chan_open(const char *name, struct teeq_chan **out);
void teeq_chan_close(struct teeq_chan *chan);
void teeq_chan_kill(struct teeq_chan *chan, const char *why);
static inline int teeq_chan_dead(struct teeq_chan *chan)
{
	return __atomic_load_n(&chan->dead, __ATOMIC_ACQUIRE) != NULL;
}
int teeq_chan_reg_fd(struct teeq_chan *chan, int fd, uint32_t flags,
		     uint32_t *buf_id, uint64_t *size);
int teeq_chan_unreg(struct teeq_chan *chan, uint32_t buf_id);
int teeq_chan_sw_stats(struct teeq_chan *chan, struct teeq_sw_stats *st);
/* Is @chan (with generation @gen) still open? */
int teeq_chan_alive(struct teeq_chan *chan, uint64_t gen);

/* queue.c */
int teeq_qp_init(struct teeq_chan *chan, uint32_t index);
void teeq_qp_fini(struct teeq_qp *qp);
/* The calling thread's queue pair on @chan. */
struct teeq_qp *teeq_qp_get(struct teeq_chan *chan);
/* Around every use of a pair's rings and tables; free unless shared. */
static inline void teeq_qp_lock(struct teeq_qp *qp)
{
	if (qp->shared)
		pthread_mutex_lock(&qp->lock);
}
static inline void teeq_qp_unlock(struct teeq_qp *qp)
{
	if (qp->shared)
		pthread_mutex_unlock(&qp->lock);
}
/* Leases a pair for a teeq_queue (never the shared one); NULL if none. */
struct teeq_qp *teeq_qp_lease_exclusive(struct teeq_chan *chan, void *owner);
/* Takes a free tag; -1 when the queue is full. */
int teeq_qp_tag_alloc(struct teeq_qp *qp, enum teeq_pending_kind kind);
void teeq_qp_tag_free(struct teeq_qp *qp, uint32_t tag);
/* The next staged SQE, for @tag; fills user_data. */
struct teeq_sqe *teeq_qp_prep(struct teeq_qp *qp, uint32_t tag);
/* Copies the staged SQEs into the ring and publishes them, ringing the
 * doorbell if asked. */
void teeq_qp_commit(struct teeq_qp *qp);
/* Moves available completions into their pending entries. */
void teeq_qp_poll(struct teeq_qp *qp);
/* Waits until @tag is DONE (or the channel died: then it is made DONE
 * with TARGET_DEAD). Called with the pair locked; returns locked. */
void teeq_qp_wait_tag(struct teeq_qp *qp, uint32_t tag);
/* Waits until some async completion is DONE or @timeout_ns passes. */
void teeq_qp_wait_any(struct teeq_qp *qp, int64_t timeout_ns);
/* The channel is dead: complete everything in flight with TARGET_DEAD. */
void teeq_qp_fail_all(struct teeq_qp *qp);

/* params.c */
/* Lowers @op into the SQE and pending entry; bounces what must be.
 * Returns TEEC_SUCCESS or a TEEC error (origin API). */
TEEC_Result teeq_params_lower(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_sqe *sqe, struct teeq_pending *p);
/* Raises the completion into @op (outputs, sizes, copy-back) and frees the
 * bounces. Returns the final result; *origin is set. */
TEEC_Result teeq_params_raise(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_pending *p, uint32_t *origin);
/* Frees the bounces of a call that never reached the secure world. */
void teeq_params_drop(struct teeq_qp *qp, struct teeq_pending *p);

/* teec.c */
/* Gives @op a cancel id and marks it started; -ECANCELED if it was
 * cancelled before it started. */
int teeq_op_start(struct teeq_chan *chan, TEEC_Operation *op, uint32_t session);
void teeq_op_end(TEEC_Operation *op);
/* Runs one synchronous operation; fills the result and origin. */
TEEC_Result teeq_call(struct teeq_chan *chan, uint8_t opcode, uint32_t session,
		      uint32_t func, TEEC_Operation *op,
		      const struct teeq_uuid *uuid, uint32_t login_data,
		      uint32_t *origin, uint32_t *new_session);

#endif /* TEEQ_CLIENT_INTERNAL_H */
