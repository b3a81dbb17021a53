/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring backend's internals: the endpoint /dev/teeqsw0 (teeq_sw.c) and
 * the channels it serves, one per client context (teeq_chan.c). The wire
 * contract is uapi/teeq_swdev.h and uapi/teeq_ring.h.
 */
#ifndef TEEQ_SW_H
#define TEEQ_SW_H

#include <linux/eventfd.h>
#include <linux/genalloc.h>
#include <linux/spinlock.h>

#include "ring/channel.h"
#include "teeq_private.h"

/* Something the secure side must hear of, queued on the endpoint. It is
 * part of the object it speaks of, so queuing never allocates. */
struct teeq_event {
	struct list_head link;
	u32 type; /* TEEQ_SWDEV_EV_* */
	bool queued;
};

enum teeq_req_state {
	TEEQ_REQ_FREE,
	TEEQ_REQ_IN_FLIGHT, /* its entry is written (published, or about to be) */
	TEEQ_REQ_DONE, /* call.cqe holds its end */
};

/* Where an asynchronous call is (teeq_acall.where), under its qp's
 * sq_lock. */
enum teeq_acall_where {
	TEEQ_ACALL_BACKLOG = 1, /* waiting for a slot, in qp->backlog */
	TEEQ_ACALL_POSTED, /* in slot acall->slot, generation acall->gen */
	TEEQ_ACALL_ENDED, /* handed back, or let go */
};

/*
 * A call in flight: one per credit of its queue pair. Nobody waits on an
 * abandoned one (its waiter was killed, or it is an internal CANCEL): the
 * reaper buries it. An asynchronous one is handed back to its acall.
 */
struct teeq_req {
	u32 gen; /* bumped per call; with the index, the user_data */
	u8 state; /* enum teeq_req_state; written under a qp lock */
	bool abandoned;
	bool wakes; /* counted in qp->wakers until it ends (cq_lock) */
	wait_queue_head_t wq;
	/* in qp->cancels: a CANCEL for it waits for a slot (sq_lock) */
	struct list_head cancel_link;
	struct list_head link; /* ended: to bury or hand back */
	/* the asynchronous call it carries; set under sq_lock, cleared
	 * under sq_lock, or both locks when abandoned */
	struct teeq_acall *acall;
	struct teeq_call call; /* the backend's copy, references included */
};

/*
 * One queue pair. The submission side (credits, the SQ's tail, entries
 * written but not yet published, the backlog) is under sq_lock; the
 * completion side (the CQ's head, completing calls) under cq_lock, and
 * NEED_WAKEUP on the CQ under wake_lock. When several are taken, sq_lock
 * comes first and wake_lock last.
 *
 * Entries are written as calls come and published in batches: at once for
 * a call someone waits for, at the end of the submitter's batch for io_uring
 * commands (teeq_qp_unplug()), and after a reap that refilled slots from the
 * backlog. NEED_WAKEUP stays set on the CQ while anyone sleeps or an
 * asynchronous call is in flight: nobody polls for those, so the secure
 * side's doorbell (one per batch it posts) is what reaps them.
 */
struct teeq_qp {
	struct teeq_chan *chan;
	spinlock_t sq_lock;
	struct ring sq; /* producer */
	u32 *free; /* stack of free request slots */
	u32 nr_free;
	u32 sq_pending; /* entries written, not yet published */
	bool sq_wake_check; /* one of them needs NEED_WAKEUP on the CQ */
	struct list_head backlog; /* asynchronous calls waiting for a slot */
	/* calls whose CANCEL waits for a slot, oldest request first: the
	 * secure world remembers a bounded number of cancellations for calls
	 * it has not started, so the ones most likely running go first */
	struct list_head cancels;
	wait_queue_head_t credit_wq; /* submitters waiting for a slot */
	struct eventfd_ctx *sq_db; /* the secure side's doorbell */

	spinlock_t cq_lock;
	struct ring cq; /* consumer */
	struct list_head zombies; /* ended calls to bury or hand back */
	atomic_t wakers; /* calls in flight nobody polls for */
	/* NEED_WAKEUP on the CQ: a lock of its own, held for a few
	 * instructions, so that publishing never waits for a reap */
	spinlock_t wake_lock;
	u32 sleepers; /* waiters asleep */
	bool cq_wake; /* NEED_WAKEUP is set on the CQ */

	struct teeq_req *reqs;
	u32 nr_reqs;
};

enum teeq_chan_state {
	TEEQ_CHAN_IDLE, /* not announced to a secure side */
	TEEQ_CHAN_OPENING, /* CTX_OPEN sent, no answer yet */
	TEEQ_CHAN_READY,
	TEEQ_CHAN_CLOSING, /* CTX_CLOSE sent: the context is gone */
	TEEQ_CHAN_DEAD, /* calls end with dead_result */
};

/*
 * A context's channel: the region the secure side maps (ring protocol
 * header, queue pairs, heap), its calls, and its binding to an attacher.
 * Held by the context, by the endpoint while announced (listed), by the
 * secure side's channel file, and by every pool buffer in its heap.
 */
struct teeq_chan {
	struct kref ref;
	u32 ctx_id;
	u32 uid, gid, pid;
	struct mutex lock; /* creating the region; announcing */
	int state; /* enum teeq_chan_state; under teeq_sw.lock */
	u32 dead_result;
	bool listed; /* in teeq_sw.chans, for the current attacher */
	u64 epoch; /* the attach it was announced to */
	struct list_head link;
	struct teeq_event ev_open, ev_close;
	struct completion opened; /* the answer to CTX_OPEN, or death */
	atomic_t next_cancel_id;

	/* the region, once created (pages[] is set before rings) */
	struct page **pages; /* ring pages, then heap pages as populated */
	unsigned long nr_pages, ring_pages;
	void *rings; /* the ring pages, mapped */
	struct channel_layout layout;
	struct gen_pool *heap; /* by region offset, page granular */

	u32 nr_qpairs;
	struct teeq_qp qp[TEEQ_MAX_QPAIRS];
};

/* A buffer from outside the heap, registered with the secure side. */
struct teeq_reg {
	struct teeq_event ev; /* BUF_REG, later BUF_UNREG */
	struct teeq_chan *chan; /* holds a reference */
	struct teeq_shm *shm; /* holds a reference while BUF_REG is out */
	u32 handle; /* in teeq_sw.regs while BUF_REG is out */
	u32 wire_id;
	int status;
	bool abandoned; /* the registering caller was killed */
	struct completion done;
};

/* The endpoint. */
struct teeq_sw {
	struct miscdevice node;
	struct mutex lock; /* attacher, chans, regs */
	struct file *attacher;
	u64 epoch; /* bumped at every attach and detach */
	u64 features;
	struct list_head chans; /* listed channels */
	struct xarray regs; /* handle -> struct teeq_reg, BUF_REG out */
	u32 reg_next;
	spinlock_t ev_lock;
	struct list_head events;
	wait_queue_head_t ev_wq;
};

extern struct teeq_sw teeq_sw;

/* teeq_sw.c */
void teeq_sw_queue(struct teeq_event *ev, u32 type);
bool teeq_sw_unqueue(struct teeq_event *ev);

/* teeq_chan.c */
struct teeq_chan *teeq_chan_new(struct teeq_ctx *ctx);
void teeq_chan_put(struct teeq_chan *chan);
int teeq_chan_region(struct teeq_chan *chan);
int teeq_chan_bind(struct teeq_chan *chan);
/* Ends every call in flight with @result; new ones end so too. */
void teeq_chan_kill(struct teeq_chan *chan, u32 result);
struct file *teeq_chan_file(struct teeq_chan *chan);
u64 teeq_chan_region_size(struct teeq_chan *chan);
int teeq_chan_call(struct teeq_ctx *ctx, struct teeq_call *call);
void teeq_chan_cancel(struct teeq_ctx *ctx, u32 cancel_id, u32 session);
int teeq_chan_submit_async(struct teeq_ctx *ctx, struct teeq_acall *acall,
			   bool may_wait);
void teeq_chan_cancel_async(struct teeq_ctx *ctx, struct teeq_acall *acall);
bool teeq_chan_abandon(struct teeq_ctx *ctx, struct teeq_acall *acall);
int teeq_chan_shm_alloc(struct teeq_ctx *ctx, struct teeq_shm *shm);
void teeq_chan_shm_free(struct teeq_shm *shm);

/* Checks the module parameters and derives what depends on them. */
int teeq_chan_params(void);

extern unsigned int teeq_sq_entries, teeq_qpairs;
extern unsigned long teeq_heap_size;

#endif /* TEEQ_SW_H */
