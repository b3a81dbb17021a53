// SPDX-License-Identifier: GPL-2.0
/*
 * A context's channel to the secure side: its region (the ring protocol's
 * header, queue pairs and heap, in pages the secure side maps through the
 * channel file), its calls in flight, and waiting on both rings.
 *
 * A call takes a credit (a request slot of its queue pair; at most as many
 * as the submission ring holds, so neither ring can overflow), writes its
 * entry and publishes it, then waits: it spins for spin_us reaping
 * completions (anyone's: the reaper completes every call it finds), then
 * sleeps with NEED_WAKEUP set on the completion ring. So under load the
 * secure side posts completions without a doorbell, and a doorbell (its
 * write to the channel file) reaps them when a waiter sleeps. The
 * submission side does the same in the other direction: the eventfd is
 * signalled only when the secure side asked for it.
 *
 * Completions are matched by user_data (generation << 32 | slot) and
 * checked before they are delivered; anything else is counted and dropped.
 */
#include <linux/anon_inodes.h>
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "teeq_sw.h"

unsigned int teeq_sq_entries = 64;
module_param_named(ring_entries, teeq_sq_entries, uint, 0444);
MODULE_PARM_DESC(
	ring_entries,
	"slots per ring, a power of two: the calls a queue pair keeps in flight");
unsigned int teeq_qpairs = 1;
module_param_named(qpairs, teeq_qpairs, uint, 0444);
MODULE_PARM_DESC(qpairs, "queue pairs per context, 1..16");
static unsigned int teeq_heap_mb = 64;
module_param_named(heap_mb, teeq_heap_mb, uint, 0444);
MODULE_PARM_DESC(
	heap_mb,
	"MiB of heap per context (allocated memory and copies of temporary memrefs), populated as used");
static unsigned int teeq_spin_us = 20;
module_param_named(spin_us, teeq_spin_us, uint, 0644);
MODULE_PARM_DESC(
	spin_us,
	"microseconds a caller polls for its completion before it sleeps");

unsigned long teeq_heap_size;

int teeq_chan_params(void)
{
	if (teeq_sq_entries < TEEQ_RING_MIN_ENTRIES ||
	    teeq_sq_entries > TEEQ_RING_MAX_ENTRIES ||
	    (teeq_sq_entries & (teeq_sq_entries - 1)) || !teeq_qpairs ||
	    teeq_qpairs > TEEQ_MAX_QPAIRS || !teeq_heap_mb ||
	    teeq_heap_mb > 4096)
		return -EINVAL;
	teeq_heap_size = (unsigned long)teeq_heap_mb << 20;
	return 0;
}

#define TEEQ_REAP_BATCH 16u

/* ---- the region ----------------------------------------------------------------- */

struct teeq_chan *teeq_chan_new(struct teeq_ctx *ctx)
{
	struct teeq_chan *chan = kzalloc(sizeof(*chan), GFP_KERNEL);

	if (!chan)
		return NULL;
	kref_init(&chan->ref);
	mutex_init(&chan->lock);
	init_completion(&chan->opened);
	INIT_LIST_HEAD(&chan->link);
	chan->ctx_id = ctx->id;
	chan->uid = ctx->uid;
	chan->gid = ctx->gid;
	chan->pid = ctx->pid;
	chan->nr_qpairs = teeq_qpairs;
	teeq_stat_inc(channels);
	return chan;
}

static void teeq_chan_free(struct kref *ref)
{
	struct teeq_chan *chan = container_of(ref, struct teeq_chan, ref);
	unsigned long i, heap_pages = 0;
	u32 q;

	for (q = 0; q < chan->nr_qpairs; q++) {
		struct teeq_qp *qp = &chan->qp[q];

		if (qp->sq_db)
			eventfd_ctx_put(qp->sq_db);
		kvfree(qp->reqs);
		kvfree(qp->free);
	}
	if (chan->rings)
		vunmap(chan->rings);
	if (chan->heap)
		gen_pool_destroy(chan->heap);
	for (i = 0; chan->pages && i < chan->nr_pages; i++) {
		if (!chan->pages[i])
			continue;
		__free_page(chan->pages[i]);
		heap_pages += i >= chan->ring_pages;
	}
	teeq_stat_add(heap_pages, -(s64)heap_pages);
	kvfree(chan->pages);
	mutex_destroy(&chan->lock);
	teeq_stat_dec(channels);
	kfree(chan);
}

void teeq_chan_put(struct teeq_chan *chan)
{
	kref_put(&chan->ref, teeq_chan_free);
}

static int teeq_qp_init(struct teeq_chan *chan, struct teeq_qp *qp, u32 index)
{
	u32 i;
	int ret;

	qp->chan = chan;
	spin_lock_init(&qp->sq_lock);
	spin_lock_init(&qp->cq_lock);
	spin_lock_init(&qp->wake_lock);
	init_waitqueue_head(&qp->credit_wq);
	INIT_LIST_HEAD(&qp->zombies);
	INIT_LIST_HEAD(&qp->backlog);
	INIT_LIST_HEAD(&qp->cancels);
	atomic_set(&qp->wakers, 0);
	ret = channel_attach_qpair(chan->rings, &chan->layout, index, &qp->sq,
				   RING_PRODUCER, &qp->cq, RING_CONSUMER);
	if (ret)
		return ret;
	qp->nr_reqs = chan->layout.qp[index].sq_entries;
	qp->reqs = kvcalloc(qp->nr_reqs, sizeof(*qp->reqs), GFP_KERNEL);
	qp->free = kvcalloc(qp->nr_reqs, sizeof(*qp->free), GFP_KERNEL);
	if (!qp->reqs || !qp->free)
		return -ENOMEM;
	for (i = 0; i < qp->nr_reqs; i++) {
		init_waitqueue_head(&qp->reqs[i].wq);
		INIT_LIST_HEAD(&qp->reqs[i].link);
		INIT_LIST_HEAD(&qp->reqs[i].cancel_link);
		qp->free[i] = qp->nr_reqs - 1 - i;
	}
	qp->nr_free = qp->nr_reqs;
	return 0;
}

/*
 * Lays the region out and formats it, once, under chan->lock: the ring
 * pages are allocated and mapped now, heap pages when a buffer first
 * covers them. On failure what was built is freed with the channel.
 */
int teeq_chan_region(struct teeq_chan *chan)
{
	struct channel_params params = {
		.nr_qpairs = chan->nr_qpairs,
		.sq_entries = teeq_sq_entries,
		.heap_size = teeq_heap_size,
		.features = TEEQ_FEAT_NEED_WAKEUP | TEEQ_FEAT_CANCEL |
			    TEEQ_FEAT_EXT_SHM,
	};
	unsigned long i;
	u32 q;
	int ret;

	lockdep_assert_held(&chan->lock);
	if (chan->heap)
		return 0;
	ret = channel_plan(&params, &chan->layout);
	if (ret)
		return ret;
	chan->nr_pages = chan->layout.region_size >> PAGE_SHIFT;
	chan->ring_pages = chan->layout.heap_off >> PAGE_SHIFT;
	chan->pages =
		kvcalloc(chan->nr_pages, sizeof(*chan->pages), GFP_KERNEL);
	if (!chan->pages)
		return -ENOMEM;
	for (i = 0; i < chan->ring_pages; i++) {
		chan->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!chan->pages[i])
			return -ENOMEM;
	}
	chan->rings = vmap(chan->pages, chan->ring_pages, VM_MAP, PAGE_KERNEL);
	if (!chan->rings)
		return -ENOMEM;
	ret = channel_format(chan->rings, &chan->layout);
	if (ret)
		return ret;
	for (q = 0; q < chan->nr_qpairs; q++) {
		ret = teeq_qp_init(chan, &chan->qp[q], q);
		if (ret)
			return ret;
	}
	chan->heap = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);
	if (!chan->heap)
		return -ENOMEM;
	/* by region offset: the heap starts past the rings, never at 0 */
	ret = gen_pool_add(chan->heap, chan->layout.heap_off,
			   chan->layout.heap_size, NUMA_NO_NODE);
	if (ret) {
		gen_pool_destroy(chan->heap);
		chan->heap = NULL;
	}
	return ret;
}

u64 teeq_chan_region_size(struct teeq_chan *chan)
{
	return chan->layout.region_size;
}

/* ---- the pool ---------------------------------------------------------------------- */

int teeq_chan_shm_alloc(struct teeq_ctx *ctx, struct teeq_shm *shm)
{
	struct teeq_chan *chan = ctx->backend;
	unsigned long first, n, i, off;
	int ret;

	mutex_lock(&chan->lock);
	ret = teeq_chan_region(chan);
	mutex_unlock(&chan->lock);
	if (ret)
		return ret;
	n = PAGE_ALIGN(max_t(u64, shm->size, 1)) >> PAGE_SHIFT;
	if (n > chan->layout.heap_size >> PAGE_SHIFT)
		return -ENOMEM;
	off = gen_pool_alloc(chan->heap, n << PAGE_SHIFT);
	if (!off)
		return -ENOMEM;
	first = off >> PAGE_SHIFT;
	/* blocks never share a page, so nobody else fills these */
	for (i = first; i < first + n; i++) {
		struct page *page;

		if (chan->pages[i])
			continue;
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page) {
			gen_pool_free(chan->heap, off, n << PAGE_SHIFT);
			return -ENOMEM;
		}
		/* release: the zeroed page before its pointer, for the
		 * secure side's fault handler */
		smp_store_release(&chan->pages[i], page);
		teeq_stat_inc(heap_pages);
	}
	kref_get(&chan->ref);
	shm->backend = chan;
	shm->pages = &chan->pages[first];
	shm->nr_pages = n;
	shm->pool_off = off - chan->layout.heap_off;
	shm->wire_id = TEEQ_BUF_ID_HEAP;
	return 0;
}

void teeq_chan_shm_free(struct teeq_shm *shm)
{
	struct teeq_chan *chan = shm->backend;

	gen_pool_free(chan->heap, shm->pool_off + chan->layout.heap_off,
		      shm->nr_pages << PAGE_SHIFT);
	teeq_chan_put(chan);
}

/* ---- the channel file: the secure side's view ------------------------------------ */

static vm_fault_t teeq_chan_fault(struct vm_fault *vmf)
{
	struct teeq_chan *chan = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= chan->nr_pages)
		return VM_FAULT_SIGBUS;
	/* acquire: pairs with the population in teeq_chan_shm_alloc() */
	page = smp_load_acquire(&chan->pages[vmf->pgoff]);
	if (!page) /* heap the driver never handed out */
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address, page_to_pfn(page));
}

static const struct vm_operations_struct teeq_chan_vm_ops = {
	.fault = teeq_chan_fault,
};

static int teeq_chan_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct teeq_chan *chan = filp->private_data;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    vma_pages(vma) > chan->nr_pages)
		return -EINVAL;
	/* page table entries hold no page: the file keeps the region */
	teeq_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &teeq_chan_vm_ops;
	vma->vm_private_data = chan;
	return 0;
}

static void teeq_qp_reap(struct teeq_qp *qp, bool wait_for_lock);

/* The completion doorbell: the secure side posted completions and a
 * waiter asked to be woken. */
static ssize_t teeq_chan_write(struct file *filp, const char __user *buf,
			       size_t len, loff_t *ppos)
{
	struct teeq_chan *chan = filp->private_data;
	u32 q;

	if (len < sizeof(u64))
		return -EINVAL;
	teeq_stat_inc(cq_doorbells);
	if (READ_ONCE(chan->state) != TEEQ_CHAN_DEAD)
		for (q = 0; q < chan->nr_qpairs; q++)
			teeq_qp_reap(&chan->qp[q], true);
	return sizeof(u64);
}

static int teeq_chan_release(struct inode *inode, struct file *filp)
{
	teeq_chan_put(filp->private_data);
	return 0;
}

static const struct file_operations teeq_chan_fops = {
	.owner = THIS_MODULE,
	.mmap = teeq_chan_mmap,
	.write = teeq_chan_write,
	.release = teeq_chan_release,
};

struct file *teeq_chan_file(struct teeq_chan *chan)
{
	struct file *file;

	kref_get(&chan->ref);
	file = anon_inode_getfile("teeq-channel", &teeq_chan_fops, chan,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file))
		teeq_chan_put(chan);
	return file;
}

/* ---- publishing ------------------------------------------------------------------------- */

/*
 * NEED_WAKEUP on the completion ring: set while a waiter sleeps or a call
 * nobody polls for is in flight (an asynchronous one, an internal
 * CANCEL), clear otherwise. wake_lock held.
 */
static void teeq_qp_cq_wake_update(struct teeq_qp *qp)
{
	bool want = qp->sleepers || atomic_read(&qp->wakers);

	if (want == qp->cq_wake)
		return;
	qp->cq_wake = want;
	if (want)
		teeq_store_relaxed(&qp->cq.hdr->flags, TEEQ_RING_NEED_WAKEUP);
	else
		ring_cons_end_sleep(&qp->cq);
}

/*
 * Whether a call may take a free slot: all but one are the calls' credits,
 * the last is kept for CANCEL entries, so that a cancellation reaches the
 * secure side even while every credit is held by a call that waits for it.
 * sq_lock held.
 */
static bool teeq_qp_call_credit(const struct teeq_qp *qp)
{
	return qp->nr_free > 1;
}

/* Writes the entry into pending slot @i: everything but the stamp, and
 * the second line only when a parameter lives there. sq_lock held. */
static void teeq_qp_write_sqe(struct teeq_qp *qp, u32 i,
			      const struct teeq_sqe *sqe)
{
	ring_prod_fill(&qp->sq, i, sqe, teeq_sqe_size(sqe->param_types));
}

/*
 * Writes @req's call (in req->call) as the next pending entry; it goes
 * out with the next teeq_qp_publish(). false when the ring cannot take it:
 * the channel is dead, or a secure side holds more entries than the
 * credits allow (broken). sq_lock held.
 */
static bool teeq_qp_post(struct teeq_qp *qp, struct teeq_req *req)
{
	struct teeq_chan *chan = qp->chan;
	u32 slot = req - qp->reqs;

	if (READ_ONCE(chan->state) == TEEQ_CHAN_DEAD ||
	    ring_prod_space(&qp->sq, qp->sq_pending + 1) < qp->sq_pending + 1)
		return false;
	req->gen++;
	if (req->call.cancellable) {
		u32 id;

		/* the wire's cancel ids are the channel's own, so that one
		 * context's cancel can never name another's call */
		do
			id = (u32)atomic_inc_return(&chan->next_cancel_id);
		while (!id);
		req->call.sqe.cancel_id = id;
	}
	req->call.sqe.user_data = (u64)req->gen << 32 | slot;
	teeq_qp_write_sqe(qp, qp->sq_pending, &req->call.sqe);
	/* before the entry is published: its completion may follow at once */
	WRITE_ONCE(req->state, TEEQ_REQ_IN_FLIGHT);
	teeq_stat_inc(in_flight);
	if (req->acall || req->abandoned) {
		/* nobody polls for it: the doorbell reaps it, and its slot
		 * comes back at once for the calls waiting for one */
		req->wakes = true;
		atomic_inc(&qp->wakers);
		qp->sq_wake_check = true;
	}
	qp->sq_pending++;
	return true;
}

/* Publishes the pending entries; true when the secure side sleeps and
 * must be rung (teeq_qp_ring(), once the lock is dropped). sq_lock held. */
static bool teeq_qp_publish(struct teeq_qp *qp)
{
	bool ring;

	if (!qp->sq_pending)
		return false;
	if (qp->sq_wake_check) {
		/* NEED_WAKEUP on the CQ before the entries are out; the
		 * release of their stamps in ring_prod_commit() orders this
		 * flag store before them, so a secure side that sees an entry
		 * sees the flag when it posts the completion */
		qp->sq_wake_check = false;
		spin_lock(&qp->wake_lock);
		teeq_qp_cq_wake_update(qp);
		spin_unlock(&qp->wake_lock);
	}
	ring = ring_prod_commit(&qp->sq, qp->sq_pending);
	qp->sq_pending = 0;
	teeq_stat_inc(sq_publishes);
	return ring;
}

static void teeq_qp_ring(struct teeq_qp *qp, bool ring)
{
	if (!ring)
		return;
	teeq_eventfd_signal(qp->sq_db);
	teeq_stat_inc(sq_doorbells);
}

/* A CANCEL entry for @target in slot @req (an internal call nobody waits
 * for). sq_lock held. */
static bool teeq_qp_post_cancel(struct teeq_qp *qp, struct teeq_req *req,
				const struct teeq_req *target)
{
	memset(&req->call, 0, sizeof(req->call));
	req->call.sqe.opcode = TEEQ_OP_CANCEL;
	req->call.sqe.session = target->call.sqe.session;
	req->call.sqe.cancel_id = target->call.sqe.cancel_id;
	req->abandoned = true;
	req->acall = NULL;
	return teeq_qp_post(qp, req);
}

/* Moves @acall's call into slot @req and writes it. sq_lock held. */
static bool teeq_qp_post_acall(struct teeq_qp *qp, struct teeq_req *req,
			       struct teeq_acall *acall)
{
	req->call = *acall->call;
	/* the references are the request's while it is out */
	memset(acall->call->shm, 0, sizeof(acall->call->shm));
	req->abandoned = false;
	req->acall = acall;
	if (!teeq_qp_post(qp, req)) {
		*acall->call = req->call;
		req->acall = NULL;
		return false;
	}
	acall->where = TEEQ_ACALL_POSTED;
	WRITE_ONCE(acall->qp, qp);
	acall->slot = req - qp->reqs;
	acall->gen = req->gen;
	return true;
}

/*
 * A slot is free again: it goes first to a CANCEL waiting for one, then
 * to the oldest call in the backlog, else to the free stack. sq_lock held;
 * the caller publishes. false when the ring could not take an entry on a
 * live channel (a secure side that holds more than the credits): the
 * caller kills the channel.
 */
static bool teeq_qp_free_slot(struct teeq_qp *qp, struct teeq_req *req)
{
	struct teeq_req *target;
	struct teeq_acall *acall;

	WRITE_ONCE(req->state, TEEQ_REQ_FREE);
	/* its call is over: nothing to cancel any more */
	list_del_init(&req->cancel_link);
	if (READ_ONCE(qp->chan->state) == TEEQ_CHAN_DEAD)
		goto free;
	target = list_first_entry_or_null(&qp->cancels, struct teeq_req,
					  cancel_link);
	if (target) {
		list_del_init(&target->cancel_link);
		if (teeq_qp_post_cancel(qp, req, target))
			return true;
		goto stalled;
	}
	acall = list_first_entry_or_null(&qp->backlog, struct teeq_acall, link);
	/* a call never takes the last free slot: it is the cancels' */
	if (acall && qp->nr_free) {
		list_del_init(&acall->link);
		if (teeq_qp_post_acall(qp, req, acall))
			return true;
		list_add(&acall->link, &qp->backlog);
		goto stalled;
	}
free:
	qp->free[qp->nr_free++] = req - qp->reqs;
	return true;
stalled:
	qp->free[qp->nr_free++] = req - qp->reqs;
	return false;
}

/* Asks the secure side to cancel @target, in a free slot now or in the
 * next one freed. sq_lock held; the caller publishes. */
static void teeq_qp_cancel_req(struct teeq_qp *qp, struct teeq_req *target)
{
	struct teeq_req *req;

	if (!list_empty(&target->cancel_link) || !target->call.cancellable ||
	    READ_ONCE(target->state) != TEEQ_REQ_IN_FLIGHT)
		return;
	if (qp->nr_free && list_empty(&qp->cancels)) {
		req = &qp->reqs[qp->free[--qp->nr_free]];
		if (teeq_qp_post_cancel(qp, req, target))
			return;
		qp->free[qp->nr_free++] = req - qp->reqs;
		return;
	}
	list_add_tail(&target->cancel_link, &qp->cancels);
}

/*
 * The end of the submitter's batch: io_uring plugs its submissions
 * (blk_start_plug()) when it has more than two to issue, and this runs
 * when it unplugs, after the last one, or when the submitter blocks in
 * between. So the commands of one io_uring_enter go out together, with
 * one doorbell at most.
 *
 * The queue pair outlives this: a command issued in this batch is in
 * flight, its io_uring request holds the context's file (so the context
 * and its channel), and it cannot complete before the batch ends, as its
 * completion runs as task work of this very submitter.
 */
static void teeq_qp_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	struct teeq_qp *qp = cb->data;
	bool ring;

	kfree(cb);
	spin_lock(&qp->sq_lock);
	ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
}

/* A secure side that holds more entries than the credits allow broke the
 * protocol: its channel dies. */
static void teeq_qp_stalled(struct teeq_qp *qp, bool live)
{
	if (live || READ_ONCE(qp->chan->state) == TEEQ_CHAN_DEAD)
		return;
	teeq_stat_inc(broken);
	teeq_chan_kill(qp->chan, TEEQ_ERROR_COMMUNICATION);
}

/* ---- completions ---------------------------------------------------------------------- */

static bool teeq_req_done(struct teeq_req *req)
{
	/* acquire: the completion is read after its state */
	return smp_load_acquire(&req->state) == TEEQ_REQ_DONE;
}

/* Ends @req with @cqe; cq_lock held. */
static void teeq_req_end(struct teeq_qp *qp, struct teeq_req *req,
			 const struct teeq_cqe *cqe)
{
	req->call.cqe = *cqe;
	/* release: the completion is written before the state says so */
	smp_store_release(&req->state, TEEQ_REQ_DONE);
	teeq_stat_dec(in_flight);
	if (req->wakes) {
		req->wakes = false;
		if (atomic_dec_and_test(&qp->wakers)) {
			spin_lock(&qp->wake_lock);
			teeq_qp_cq_wake_update(qp);
			spin_unlock(&qp->wake_lock);
		}
	}
	if (req->acall || req->abandoned)
		list_add_tail(&req->link, &qp->zombies);
	else if (wq_has_sleeper(&req->wq))
		wake_up(&req->wq);
}

/* One completion from the ring, already copied; cq_lock held. */
static void teeq_qp_complete(struct teeq_qp *qp, struct teeq_cqe *cqe)
{
	u32 slot = (u32)cqe->user_data, gen = (u32)(cqe->user_data >> 32);
	struct teeq_req *req;

	if (slot >= qp->nr_reqs) {
		teeq_stat_inc(cqe_forged);
		return;
	}
	req = &qp->reqs[slot];
	if (gen != req->gen) {
		/* an earlier call of this slot is over: late; a later one
		 * was never issued: forged */
		if ((s32)(req->gen - gen) > 0)
			teeq_stat_inc(cqe_late);
		else
			teeq_stat_inc(cqe_forged);
		return;
	}
	if (req->state != TEEQ_REQ_IN_FLIGHT) {
		teeq_stat_inc(cqe_duplicate);
		return;
	}
	if (!teeq_call_cqe_valid(&req->call, cqe)) {
		teeq_stat_inc(cqe_malformed);
		*cqe = (struct teeq_cqe){ .result = TEEQ_ERROR_COMMUNICATION,
					  .origin = TEEQ_ORIGIN_COMMS };
	}
	teeq_stat_inc(calls);
	teeq_req_end(qp, req, cqe);
}

/*
 * Calls that ended and that nobody waits on: an abandoned one's references
 * go, an asynchronous one goes back to its acall (done()); their slots go
 * to whoever waits for one, and what that wrote is published.
 */
static void teeq_qp_bury(struct teeq_qp *qp, struct list_head *ended)
{
	struct teeq_acall *acall, *done = NULL, **last = &done;
	struct teeq_req *req;
	bool ring, live = true;

	if (list_empty(ended))
		return;
	/* unlocked: dropping a buffer's last reference may sleep, and these
	 * requests are no one else's until their slots are put back */
	list_for_each_entry(req, ended, link) {
		if (req->acall)
			*req->acall->call = req->call;
		else
			teeq_call_release(&req->call);
	}
	/* the lists are dropped whole, not entry by entry: an entry's link
	 * is written again before it is read */
	spin_lock(&qp->sq_lock);
	list_for_each_entry(req, ended, link) {
		acall = req->acall;
		if (acall) {
			req->acall = NULL;
			acall->where = TEEQ_ACALL_ENDED;
			acall->next_done = NULL;
			*last = acall;
			last = &acall->next_done;
		}
		live &= teeq_qp_free_slot(qp, req);
	}
	ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
	/* in order; done() hands the call back: not ours after that */
	while ((acall = done)) {
		done = acall->next_done;
		acall->done(acall);
	}
	if (wq_has_sleeper(&qp->credit_wq))
		wake_up(&qp->credit_wq);
	teeq_qp_stalled(qp, live);
}

static void teeq_qp_reap(struct teeq_qp *qp, bool wait_for_lock)
{
	struct teeq_cqe cqe;
	LIST_HEAD(ended);
	bool broken;
	u32 n, i;

	if (wait_for_lock)
		spin_lock(&qp->cq_lock);
	else if (!spin_trylock(&qp->cq_lock))
		return; /* someone else is reaping */
	while ((n = ring_cons_avail(&qp->cq, TEEQ_REAP_BATCH))) {
		for (i = 0; i < n; i++) {
			/* one copy, then only the copy is looked at */
			memcpy(&cqe, ring_cons_slot(&qp->cq, i), sizeof(cqe));
			teeq_qp_complete(qp, &cqe);
		}
		ring_cons_release(&qp->cq, n);
	}
	broken = ring_broken(&qp->cq) || ring_broken(&qp->sq);
	list_splice_init(&qp->zombies, &ended);
	spin_unlock(&qp->cq_lock);
	teeq_qp_bury(qp, &ended);
	if (broken && READ_ONCE(qp->chan->state) != TEEQ_CHAN_DEAD) {
		teeq_stat_inc(broken);
		teeq_chan_kill(qp->chan, TEEQ_ERROR_COMMUNICATION);
	}
}

/*
 * Around a waiter's sleep: NEED_WAKEUP stays set on the completion ring
 * while anyone sleeps, so the secure side rings the doorbell for any
 * completion it posts meanwhile.
 */
static void teeq_qp_sleep_begin(struct teeq_qp *qp)
{
	spin_lock(&qp->wake_lock);
	qp->sleepers++;
	teeq_qp_cq_wake_update(qp);
	spin_unlock(&qp->wake_lock);
	/* full barrier: the flag store is visible before we look at the
	 * stamps again; pairs with the barrier in ring_prod_commit() */
	smp_mb();
	teeq_qp_reap(qp, true);
}

static void teeq_qp_sleep_end(struct teeq_qp *qp)
{
	spin_lock(&qp->wake_lock);
	qp->sleepers--;
	teeq_qp_cq_wake_update(qp);
	spin_unlock(&qp->wake_lock);
}

/* 0 once @req is done, -EINTR if a fatal signal came first. */
static int teeq_req_wait(struct teeq_qp *qp, struct teeq_req *req)
{
	u64 until = ktime_get_ns() + READ_ONCE(teeq_spin_us) * NSEC_PER_USEC;
	int ret;

	while (!teeq_req_done(req)) {
		teeq_qp_reap(qp, false);
		if (teeq_req_done(req))
			return 0;
		if (need_resched() || fatal_signal_pending(current) ||
		    ktime_get_ns() > until)
			break;
		cpu_relax();
	}
	if (teeq_req_done(req))
		return 0;
	teeq_qp_sleep_begin(qp);
	ret = wait_event_killable(req->wq, teeq_req_done(req));
	teeq_qp_sleep_end(qp);
	return ret ? -EINTR : 0;
}

/* ---- submission ------------------------------------------------------------------------- */

void teeq_chan_kill(struct teeq_chan *chan, u32 result)
{
	const struct teeq_cqe dead = { .result = result,
				       .origin = TEEQ_ORIGIN_COMMS };
	struct teeq_acall *acall, *next;
	LIST_HEAD(backlog);
	LIST_HEAD(ended);
	u32 q, i;

	WRITE_ONCE(chan->dead_result, result);
	WRITE_ONCE(chan->state, TEEQ_CHAN_DEAD);
	for (q = 0; chan->heap && q < chan->nr_qpairs; q++) {
		struct teeq_qp *qp = &chan->qp[q];

		/* no submitter is between its check and its publish */
		spin_lock(&qp->sq_lock);
		spin_lock(&qp->cq_lock);
		for (i = 0; i < qp->nr_reqs; i++) {
			list_del_init(&qp->reqs[i].cancel_link);
			if (qp->reqs[i].state != TEEQ_REQ_IN_FLIGHT)
				continue;
			teeq_stat_inc(calls_dead);
			teeq_req_end(qp, &qp->reqs[i], &dead);
		}
		/* written, never published: the ring is dead */
		qp->sq_pending = 0;
		qp->sq_wake_check = false;
		list_splice_init(&qp->zombies, &ended);
		list_splice_tail_init(&qp->backlog, &backlog);
		spin_unlock(&qp->cq_lock);
		spin_unlock(&qp->sq_lock);
		teeq_qp_bury(qp, &ended);
		wake_up_all(&qp->credit_wq);
	}
	list_for_each_entry_safe(acall, next, &backlog, link) {
		list_del_init(&acall->link);
		acall->where = TEEQ_ACALL_ENDED;
		teeq_stat_inc(calls_dead);
		teeq_call_end(acall->call, result);
		acall->done(acall);
	}
	complete_all(&chan->opened);
}

/* A free slot for a call, or -1; -2 once the channel is dead. */
static int teeq_qp_take(struct teeq_qp *qp)
{
	int slot = -1;

	spin_lock(&qp->sq_lock);
	if (READ_ONCE(qp->chan->state) == TEEQ_CHAN_DEAD)
		slot = -2;
	else if (teeq_qp_call_credit(qp))
		slot = qp->free[--qp->nr_free];
	spin_unlock(&qp->sq_lock);
	return slot;
}

static void teeq_qp_put_slot(struct teeq_qp *qp, struct teeq_req *req)
{
	bool ring, live;

	spin_lock(&qp->sq_lock);
	live = teeq_qp_free_slot(qp, req);
	ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
	if (wq_has_sleeper(&qp->credit_wq))
		wake_up(&qp->credit_wq);
	teeq_qp_stalled(qp, live);
}

static struct teeq_qp *teeq_chan_qp(struct teeq_chan *chan)
{
	return &chan->qp[raw_smp_processor_id() % chan->nr_qpairs];
}

/*
 * Puts @call in flight on a queue pair, moving its references into the
 * request, and publishes it; waits (killable) for a credit. Returns the
 * request, NULL with @call ended when the channel is dead, or an ERR_PTR.
 */
static struct teeq_req *teeq_chan_submit(struct teeq_chan *chan,
					 struct teeq_call *call,
					 struct teeq_qp **qpp)
{
	struct teeq_qp *qp = teeq_chan_qp(chan);
	struct teeq_req *req;
	bool ring = false, posted;
	int slot = teeq_qp_take(qp);

	if (slot == -1) {
		teeq_stat_inc(credit_waits);
		if (wait_event_killable(qp->credit_wq,
					(slot = teeq_qp_take(qp)) != -1))
			return ERR_PTR(-EINTR);
	}
	if (slot < 0) {
		teeq_call_end(call, READ_ONCE(chan->dead_result));
		return NULL;
	}
	req = &qp->reqs[slot];
	req->abandoned = false;
	req->acall = NULL;
	req->call = *call;
	memset(call->shm, 0, sizeof(call->shm));

	spin_lock(&qp->sq_lock);
	posted = teeq_qp_post(qp, req);
	if (posted)
		ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	if (!posted) {
		/* dead, or a secure side that took more than the credits */
		if (READ_ONCE(chan->state) != TEEQ_CHAN_DEAD) {
			teeq_stat_inc(broken);
			teeq_chan_kill(chan, TEEQ_ERROR_COMMUNICATION);
		}
		*call = req->call;
		teeq_call_end(call, READ_ONCE(chan->dead_result));
		teeq_qp_put_slot(qp, req);
		return NULL;
	}
	teeq_qp_ring(qp, ring);
	*qpp = qp;
	return req;
}

/* The channel ready for calls: 0, -TEEQ_ENOTARGET (dead, or no secure
 * side), -EAGAIN if that needs a wait and !@may_wait, or -EINTR. */
static int teeq_chan_ready(struct teeq_chan *chan, bool may_wait)
{
	int state = READ_ONCE(chan->state);

	if (state == TEEQ_CHAN_READY)
		return 0;
	if (state == TEEQ_CHAN_DEAD || state == TEEQ_CHAN_CLOSING)
		return -TEEQ_ENOTARGET;
	if (!may_wait)
		return -EAGAIN;
	return teeq_chan_bind(chan);
}

int teeq_chan_call(struct teeq_ctx *ctx, struct teeq_call *call)
{
	struct teeq_chan *chan = ctx->backend;
	struct teeq_req *req;
	struct teeq_qp *qp;
	int ret;

	ret = teeq_chan_ready(chan, true);
	if (ret == -TEEQ_ENOTARGET) {
		teeq_call_end(call, TEEQ_ERROR_TARGET_DEAD);
		return 0;
	}
	if (ret)
		return ret;
	req = teeq_chan_submit(chan, call, &qp);
	if (IS_ERR_OR_NULL(req))
		return PTR_ERR_OR_ZERO(req);
	ret = teeq_req_wait(qp, req);
	if (ret) {
		spin_lock(&qp->cq_lock);
		if (req->state != TEEQ_REQ_DONE) {
			/* the reaper releases it when it is over */
			req->abandoned = true;
			spin_unlock(&qp->cq_lock);
			return ret;
		}
		spin_unlock(&qp->cq_lock);
	}
	*call = req->call;
	teeq_qp_put_slot(qp, req);
	return 0;
}

/*
 * Queues @acall without waiting: into a free slot if there is one and no
 * earlier call waits for one, else into the backlog, whose calls take
 * slots as they free up. A call issued inside a plugged batch (io_uring's
 * submission of several commands) is published when the batch ends.
 */
int teeq_chan_submit_async(struct teeq_ctx *ctx, struct teeq_acall *acall,
			   bool may_wait)
{
	struct teeq_chan *chan = ctx->backend;
	struct teeq_call *call = acall->call;
	struct teeq_req *req;
	struct teeq_qp *qp;
	bool ring = false;
	int ret;

	ret = teeq_chan_ready(chan, may_wait);
	if (ret == -TEEQ_ENOTARGET) {
		teeq_call_end(call, TEEQ_ERROR_TARGET_DEAD);
		return 1;
	}
	if (ret)
		return ret;
	qp = teeq_chan_qp(chan);
	spin_lock(&qp->sq_lock);
	if (READ_ONCE(chan->state) == TEEQ_CHAN_DEAD) {
		spin_unlock(&qp->sq_lock);
		teeq_call_end(call, READ_ONCE(chan->dead_result));
		return 1;
	}
	if (list_empty(&qp->backlog) && teeq_qp_call_credit(qp)) {
		req = &qp->reqs[qp->free[--qp->nr_free]];
		if (!teeq_qp_post_acall(qp, req, acall)) {
			qp->free[qp->nr_free++] = req - qp->reqs;
			spin_unlock(&qp->sq_lock);
			/* a secure side that took more than the credits */
			teeq_stat_inc(broken);
			teeq_chan_kill(chan, TEEQ_ERROR_COMMUNICATION);
			teeq_call_end(call, READ_ONCE(chan->dead_result));
			return 1;
		}
		/* in a plugged batch, it goes out when the batch ends; the
		 * plug is only ever armed by a call in flight, whose request
		 * keeps the context's file (see teeq_qp_unplug()) */
		if (!blk_check_plugged(teeq_qp_unplug, qp,
				       sizeof(struct blk_plug_cb)))
			ring = teeq_qp_publish(qp);
	} else {
		acall->where = TEEQ_ACALL_BACKLOG;
		WRITE_ONCE(acall->qp, qp);
		list_add_tail(&acall->link, &qp->backlog);
		teeq_stat_inc(credit_waits);
	}
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
	return 0;
}

/* The request carrying @acall, if it is still out; sq_lock held. */
static struct teeq_req *teeq_acall_req(struct teeq_qp *qp,
				       struct teeq_acall *acall)
{
	struct teeq_req *req;

	if (acall->where != TEEQ_ACALL_POSTED)
		return NULL;
	req = &qp->reqs[acall->slot];
	return req->acall == acall && req->gen == acall->gen ? req : NULL;
}

void teeq_chan_cancel_async(struct teeq_ctx *ctx, struct teeq_acall *acall)
{
	struct teeq_qp *qp = READ_ONCE(acall->qp);
	struct teeq_req *req;
	bool ring, ended = false;

	if (!qp)
		return;
	spin_lock(&qp->sq_lock);
	if (acall->where == TEEQ_ACALL_BACKLOG) {
		list_del_init(&acall->link);
		acall->where = TEEQ_ACALL_ENDED;
		ended = true;
	} else {
		req = teeq_acall_req(qp, acall);
		if (req)
			teeq_qp_cancel_req(qp, req);
	}
	ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
	if (ended) {
		/* it never reached the secure side */
		teeq_call_end(acall->call, TEEQ_ERROR_CANCEL);
		acall->done(acall);
	}
}

bool teeq_chan_abandon(struct teeq_ctx *ctx, struct teeq_acall *acall)
{
	struct teeq_qp *qp = READ_ONCE(acall->qp);
	struct teeq_req *req;
	bool ring, let_go = false;

	if (!qp)
		return false;
	spin_lock(&qp->sq_lock);
	if (acall->where == TEEQ_ACALL_BACKLOG) {
		list_del_init(&acall->link);
		let_go = true;
	} else if ((req = teeq_acall_req(qp, acall))) {
		spin_lock(&qp->cq_lock);
		if (req->state == TEEQ_REQ_IN_FLIGHT) {
			/* the reaper buries it, references and all */
			req->acall = NULL;
			req->abandoned = true;
			let_go = true;
		}
		spin_unlock(&qp->cq_lock);
		if (let_go)
			teeq_qp_cancel_req(qp, req);
	}
	if (let_go)
		acall->where = TEEQ_ACALL_ENDED;
	ring = teeq_qp_publish(qp);
	spin_unlock(&qp->sq_lock);
	teeq_qp_ring(qp, ring);
	return let_go;
}

/*
 * Cancels each call of the context that carries the client's @cancel_id
 * (and @session, if not 0): one at the secure side gets a CANCEL entry (in
 * a free slot, or the next one freed: this never waits), one still in the
 * backlog ends at once.
 */
void teeq_chan_cancel(struct teeq_ctx *ctx, u32 cancel_id, u32 session)
{
	struct teeq_chan *chan = ctx->backend;
	struct teeq_acall *acall, *next;
	LIST_HEAD(ended);
	bool ring;
	u32 q, i;

	if (READ_ONCE(chan->state) != TEEQ_CHAN_READY)
		return;
	for (q = 0; q < chan->nr_qpairs; q++) {
		struct teeq_qp *qp = &chan->qp[q];

		spin_lock(&qp->sq_lock);
		for (i = 0; i < qp->nr_reqs; i++) {
			struct teeq_req *req = &qp->reqs[i];

			if (req->state == TEEQ_REQ_IN_FLIGHT &&
			    req->call.cancel_id == cancel_id &&
			    (!session || req->call.sqe.session == session))
				teeq_qp_cancel_req(qp, req);
		}
		list_for_each_entry_safe(acall, next, &qp->backlog, link) {
			if (acall->call->cancel_id != cancel_id ||
			    (session && acall->call->sqe.session != session))
				continue;
			list_move_tail(&acall->link, &ended);
			acall->where = TEEQ_ACALL_ENDED;
		}
		ring = teeq_qp_publish(qp);
		spin_unlock(&qp->sq_lock);
		teeq_qp_ring(qp, ring);
	}
	list_for_each_entry_safe(acall, next, &ended, link) {
		list_del_init(&acall->link);
		teeq_call_end(acall->call, TEEQ_ERROR_CANCEL);
		acall->done(acall);
	}
}
