// SPDX-License-Identifier: GPL-2.0
/*
 * The ring backend's endpoint, /dev/teeqsw0: where the secure world
 * attaches (uapi/teeq_swdev.h), and the backend ops the core calls.
 *
 * Slow paths only: attaching, the events that announce contexts and
 * buffers to the secure side, its replies, detaching. Calls travel through
 * each context's rings (teeq_chan.c). Every reply is checked against what
 * the driver asked; a secure side that goes away (close or death) ends
 * every call of every context it served with TEEQ_ERROR_TARGET_DEAD.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "teeq_sw.h"

struct teeq_sw teeq_sw;

/* ---- events ------------------------------------------------------------------------ */

void teeq_sw_queue(struct teeq_event *ev, u32 type)
{
	spin_lock(&teeq_sw.ev_lock);
	ev->type = type;
	ev->queued = true;
	list_add_tail(&ev->link, &teeq_sw.events);
	spin_unlock(&teeq_sw.ev_lock);
	wake_up_interruptible(&teeq_sw.ev_wq);
}

/* Takes @ev back if the secure side has not read it yet. */
bool teeq_sw_unqueue(struct teeq_event *ev)
{
	bool was = false;

	spin_lock(&teeq_sw.ev_lock);
	if (ev->queued) {
		list_del(&ev->link);
		ev->queued = false;
		was = true;
	}
	spin_unlock(&teeq_sw.ev_lock);
	return was;
}

static struct teeq_event *teeq_sw_next_event(void)
{
	struct teeq_event *ev;

	spin_lock(&teeq_sw.ev_lock);
	ev = list_first_entry_or_null(&teeq_sw.events, struct teeq_event, link);
	if (ev) {
		list_del(&ev->link);
		ev->queued = false;
	}
	spin_unlock(&teeq_sw.ev_lock);
	return ev;
}

static void teeq_sw_requeue(struct teeq_event *ev)
{
	spin_lock(&teeq_sw.ev_lock);
	ev->queued = true;
	list_add(&ev->link, &teeq_sw.events);
	spin_unlock(&teeq_sw.ev_lock);
}

static void teeq_reg_free(struct teeq_reg *reg)
{
	if (reg->shm)
		teeq_shm_put(reg->shm);
	teeq_chan_put(reg->chan);
	kfree(reg);
}

/* ---- binding a context ------------------------------------------------------------- */

/*
 * Announces the channel to the attached secure side (once) and waits for
 * its answer. 0 when ready, -TEEQ_ENOTARGET when there is no secure side
 * or the channel died, -EINTR on a fatal signal.
 */
int teeq_chan_bind(struct teeq_chan *chan)
{
	int ret = 0;

	mutex_lock(&chan->lock);
	if (READ_ONCE(chan->state) == TEEQ_CHAN_IDLE) {
		ret = teeq_chan_region(chan);
		mutex_lock(&teeq_sw.lock);
		if (!ret && teeq_sw.attacher) {
			chan->epoch = teeq_sw.epoch;
			chan->listed = true;
			kref_get(&chan->ref);
			list_add_tail(&chan->link, &teeq_sw.chans);
			WRITE_ONCE(chan->state, TEEQ_CHAN_OPENING);
			teeq_sw_queue(&chan->ev_open, TEEQ_SWDEV_EV_CTX_OPEN);
		} else if (!ret) {
			ret = -TEEQ_ENOTARGET;
		}
		mutex_unlock(&teeq_sw.lock);
	}
	mutex_unlock(&chan->lock);
	if (ret)
		return ret;
	if (wait_for_completion_killable(&chan->opened))
		return -EINTR;
	return READ_ONCE(chan->state) == TEEQ_CHAN_READY ? 0 : -TEEQ_ENOTARGET;
}

static struct teeq_chan *teeq_sw_find_chan(u32 ctx_id)
{
	struct teeq_chan *chan;

	lockdep_assert_held(&teeq_sw.lock);
	list_for_each_entry(chan, &teeq_sw.chans, link)
		if (chan->ctx_id == ctx_id)
			return chan;
	return NULL;
}

/* Off the endpoint's list; the list's reference goes to the caller. */
static void teeq_sw_unlist(struct teeq_chan *chan)
{
	lockdep_assert_held(&teeq_sw.lock);
	list_del_init(&chan->link);
	chan->listed = false;
	teeq_sw_unqueue(&chan->ev_open);
	teeq_sw_unqueue(&chan->ev_close);
}

/* ---- the backend ops ---------------------------------------------------------------- */

static int teeq_sw_ctx_init(struct teeq_ctx *ctx)
{
	ctx->backend = teeq_chan_new(ctx);
	return ctx->backend ? 0 : -ENOMEM;
}

/* The client is gone: the secure side closes its sessions and lets go
 * of its buffers (CTX_CLOSE); its abandoned calls end when it answers. */
static void teeq_sw_ctx_release(struct teeq_ctx *ctx)
{
	struct teeq_chan *chan = ctx->backend, *drop = NULL;

	mutex_lock(&teeq_sw.lock);
	if (chan->listed) {
		if (chan->state == TEEQ_CHAN_OPENING &&
		    teeq_sw_unqueue(&chan->ev_open)) {
			/* never seen by the secure side */
			teeq_sw_unlist(chan);
			drop = chan;
		} else {
			WRITE_ONCE(chan->state, TEEQ_CHAN_CLOSING);
			teeq_sw_queue(&chan->ev_close, TEEQ_SWDEV_EV_CTX_CLOSE);
		}
	}
	mutex_unlock(&teeq_sw.lock);
	if (drop) {
		teeq_chan_kill(drop, TEEQ_ERROR_TARGET_DEAD);
		teeq_chan_put(drop);
	}
	teeq_chan_put(chan);
}

/* Registers @shm with the secure side on its first use in a call. */
static int teeq_sw_shm_register(struct teeq_ctx *ctx, struct teeq_shm *shm)
{
	struct teeq_chan *chan = ctx->backend;
	struct teeq_reg *reg;
	int ret;

	mutex_lock(&shm->reg_lock);
	if (shm->wire_id) {
		mutex_unlock(&shm->reg_lock);
		return 0;
	}
	ret = READ_ONCE(chan->state) == TEEQ_CHAN_READY ? 0 :
							  teeq_chan_bind(chan);
	if (ret)
		goto out;
	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg) {
		ret = -ENOMEM;
		goto out;
	}
	init_completion(&reg->done);
	kref_get(&chan->ref);
	reg->chan = chan;
	kref_get(&shm->ref);
	reg->shm = shm;

	mutex_lock(&teeq_sw.lock);
	if (!chan->listed || chan->state != TEEQ_CHAN_READY) {
		mutex_unlock(&teeq_sw.lock);
		teeq_reg_free(reg);
		ret = -TEEQ_ENOTARGET;
		goto out;
	}
	ret = xa_alloc_cyclic(&teeq_sw.regs, &reg->handle, reg,
			      XA_LIMIT(1, INT_MAX), &teeq_sw.reg_next,
			      GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&teeq_sw.lock);
		teeq_reg_free(reg);
		goto out;
	}
	teeq_sw_queue(&reg->ev, TEEQ_SWDEV_EV_BUF_REG);
	mutex_unlock(&teeq_sw.lock);

	if (wait_for_completion_killable(&reg->done)) {
		mutex_lock(&teeq_sw.lock);
		if (!completion_done(&reg->done)) {
			/* the reply (or the detach) frees it */
			reg->abandoned = true;
			mutex_unlock(&teeq_sw.lock);
			ret = -EINTR;
			goto out;
		}
		mutex_unlock(&teeq_sw.lock);
	}
	ret = reg->status;
	if (ret) {
		teeq_reg_free(reg);
		goto out;
	}
	/* the registration stays with the shm until it is freed */
	teeq_shm_put(reg->shm);
	reg->shm = NULL;
	shm->backend = reg;
	WRITE_ONCE(shm->wire_id, reg->wire_id);
out:
	mutex_unlock(&shm->reg_lock);
	return ret;
}

/* @shm is being freed and no call uses it: the secure side unmaps it,
 * unless the context is closing (that unmaps everything) or gone. */
static void teeq_sw_shm_unregister(struct teeq_shm *shm)
{
	struct teeq_reg *reg = shm->backend;

	if (!reg)
		return;
	shm->backend = NULL;
	mutex_lock(&teeq_sw.lock);
	if (reg->chan->listed && reg->chan->state == TEEQ_CHAN_READY) {
		teeq_sw_queue(&reg->ev, TEEQ_SWDEV_EV_BUF_UNREG);
		reg = NULL;
	}
	mutex_unlock(&teeq_sw.lock);
	if (reg)
		teeq_reg_free(reg);
}

const struct teeq_backend_ops teeq_sw_ops = {
	.ctx_init = teeq_sw_ctx_init,
	.ctx_release = teeq_sw_ctx_release,
	.shm_alloc = teeq_chan_shm_alloc,
	.shm_free = teeq_chan_shm_free,
	.shm_register = teeq_sw_shm_register,
	.shm_unregister = teeq_sw_shm_unregister,
	.call = teeq_chan_call,
	.cancel = teeq_chan_cancel,
	.submit = teeq_chan_submit_async,
	.cancel_async = teeq_chan_cancel_async,
	.abandon = teeq_chan_abandon,
};

/* ---- the node: attach and detach --------------------------------------------------- */

static int teeq_sw_open(struct inode *inode, struct file *filp)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	filp->private_data = NULL;
	return 0;
}

static bool teeq_sw_is_attacher(struct file *filp)
{
	return READ_ONCE(teeq_sw.attacher) == filp;
}

static long teeq_sw_attach(struct file *filp, void __user *uarg)
{
	struct teeq_swdev_attach a;
	int ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if ((a.version >> 16) != TEEQ_SWDEV_MAJOR || a.flags || a.reserved0 ||
	    a.reserved[0] || a.reserved[1] || a.reserved[2] ||
	    (a.features & ~TEEQ_SWDEV_FEAT_ALL))
		return -EINVAL;
	mutex_lock(&teeq_sw.lock);
	if (teeq_sw.attacher) {
		ret = -EBUSY;
		goto out;
	}
	a.version = TEEQ_SWDEV_VERSION;
	a.heap_size = teeq_heap_size;
	a.sq_entries = teeq_sq_entries;
	a.cq_entries = teeq_sq_entries;
	a.nr_qpairs = teeq_qpairs;
	if (copy_to_user(uarg, &a, sizeof(a))) {
		ret = -EFAULT;
		goto out;
	}
	teeq_sw.features = a.features;
	teeq_sw.epoch++;
	WRITE_ONCE(teeq_sw.attacher, filp);
	teeq_stat_inc(attaches);
out:
	mutex_unlock(&teeq_sw.lock);
	return ret;
}

/* The secure side is gone: every channel it served dies, every event and
 * registration it would have answered ends. */
static void teeq_sw_detach(void)
{
	struct teeq_chan *chan, *next;
	struct teeq_reg *reg, *next_reg;
	struct teeq_event *ev;
	unsigned long handle;
	LIST_HEAD(orphans);
	LIST_HEAD(dead);

	mutex_lock(&teeq_sw.lock);
	WRITE_ONCE(teeq_sw.attacher, NULL);
	teeq_sw.epoch++;
	list_for_each_entry_safe(chan, next, &teeq_sw.chans, link) {
		teeq_sw_unlist(chan);
		list_add_tail(&chan->link, &dead);
	}
	while ((ev = teeq_sw_next_event())) {
		/* channel events went with their channels above */
		reg = container_of(ev, struct teeq_reg, ev);
		if (ev->type == TEEQ_SWDEV_EV_BUF_UNREG)
			teeq_reg_free(reg);
	}
	xa_for_each(&teeq_sw.regs, handle, reg)
	{
		xa_erase(&teeq_sw.regs, handle);
		reg->status = -TEEQ_ENOTARGET;
		if (reg->abandoned)
			list_add_tail(&reg->ev.link, &orphans);
		else
			complete(&reg->done);
	}
	mutex_unlock(&teeq_sw.lock);
	/* freed unlocked: the last reference to a buffer unregisters it */
	list_for_each_entry_safe(reg, next_reg, &orphans, ev.link)
		teeq_reg_free(reg);
	list_for_each_entry_safe(chan, next, &dead, link) {
		list_del_init(&chan->link);
		teeq_chan_kill(chan, TEEQ_ERROR_TARGET_DEAD);
		teeq_chan_put(chan);
	}
}

static int teeq_sw_release(struct inode *inode, struct file *filp)
{
	if (teeq_sw_is_attacher(filp))
		teeq_sw_detach();
	return 0;
}

static __poll_t teeq_sw_poll(struct file *filp, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(filp, &teeq_sw.ev_wq, wait);
	spin_lock(&teeq_sw.ev_lock);
	if (teeq_sw_is_attacher(filp) && !list_empty(&teeq_sw.events))
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&teeq_sw.ev_lock);
	return mask;
}

/* ---- events out, replies in ------------------------------------------------------------ */

/* Fills @e for @ev; returns the file to give with it, NULL, or an error. */
static struct file *teeq_sw_event_fill(struct teeq_event *ev,
				       struct teeq_swdev_event *e)
{
	struct teeq_chan *chan;
	struct teeq_reg *reg;

	e->type = ev->type;
	switch (ev->type) {
	case TEEQ_SWDEV_EV_CTX_OPEN:
		chan = container_of(ev, struct teeq_chan, ev_open);
		e->ctx = chan->ctx_id;
		e->size = teeq_chan_region_size(chan);
		e->nr_qpairs = chan->nr_qpairs;
		e->uid = chan->uid;
		e->gid = chan->gid;
		e->pid = chan->pid;
		return teeq_chan_file(chan);
	case TEEQ_SWDEV_EV_CTX_CLOSE:
		chan = container_of(ev, struct teeq_chan, ev_close);
		e->ctx = chan->ctx_id;
		return NULL;
	case TEEQ_SWDEV_EV_BUF_REG:
		reg = container_of(ev, struct teeq_reg, ev);
		e->ctx = reg->chan->ctx_id;
		e->buf = reg->handle;
		e->flags = reg->shm->access;
		/* what the secure side maps: whole pages of user memory (the
		 * wire offsets count from the first), or the dma-buf */
		e->size = reg->shm->kind == TEEQ_SHM_DMABUF ?
				  reg->shm->dmabuf->size :
				  (u64)reg->shm->nr_pages << PAGE_SHIFT;
		return teeq_shm_sw_file(reg->shm);
	default: /* TEEQ_SWDEV_EV_BUF_UNREG */
		reg = container_of(ev, struct teeq_reg, ev);
		e->ctx = reg->chan->ctx_id;
		e->wire_id = reg->wire_id;
		return NULL;
	}
}

static long teeq_sw_event(struct file *filp, void __user *uarg)
{
	struct teeq_swdev_event e = { .fd = -1 };
	struct teeq_event *ev;
	struct file *file;
	int fd = -1;

	if (!teeq_sw_is_attacher(filp))
		return -EINVAL;
	ev = teeq_sw_next_event();
	if (!ev)
		return -EAGAIN;
	file = teeq_sw_event_fill(ev, &e);
	if (IS_ERR(file)) {
		teeq_sw_requeue(ev);
		return PTR_ERR(file);
	}
	if (file) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			fput(file);
			teeq_sw_requeue(ev);
			return fd;
		}
		e.fd = fd;
	}
	if (copy_to_user(uarg, &e, sizeof(e))) {
		if (file) {
			put_unused_fd(fd);
			fput(file);
		}
		teeq_sw_requeue(ev);
		return -EFAULT;
	}
	if (file)
		fd_install(fd, file);
	if (ev->type == TEEQ_SWDEV_EV_BUF_UNREG)
		teeq_reg_free(container_of(ev, struct teeq_reg, ev));
	return 0;
}

static int teeq_sw_reply_open(struct teeq_chan *chan,
			      const struct teeq_swdev_reply *r)
{
	struct eventfd_ctx *db[TEEQ_MAX_QPAIRS] = {};
	u32 i;

	if (chan->state == TEEQ_CHAN_CLOSING)
		return 0; /* closed meanwhile: CTX_CLOSE is on its way */
	for (i = 0; i < TEEQ_MAX_QPAIRS; i++) {
		if (i >= chan->nr_qpairs) {
			if (r->sq_fds[i] != -1)
				goto err;
			continue;
		}
		db[i] = eventfd_ctx_fdget(r->sq_fds[i]);
		if (IS_ERR(db[i])) {
			db[i] = NULL;
			goto err;
		}
	}
	for (i = 0; i < chan->nr_qpairs; i++)
		chan->qp[i].sq_db = db[i];
	WRITE_ONCE(chan->state, TEEQ_CHAN_READY);
	complete_all(&chan->opened);
	return 0;

err:
	for (i = 0; i < chan->nr_qpairs; i++)
		if (db[i])
			eventfd_ctx_put(db[i]);
	return -EINVAL;
}

/* Under teeq_sw.lock; what must be dropped unlocked (a buffer reference
 * whose end unregisters, or a whole registration) goes to the caller. */
static int teeq_sw_reply_reg(const struct teeq_swdev_reply *r,
			     struct teeq_shm **put, struct teeq_reg **freed)
{
	struct teeq_reg *reg = xa_load(&teeq_sw.regs, r->buf);

	if (!reg || reg->chan->ctx_id != r->ctx || r->status > 0 ||
	    (!r->status && r->wire_id <= TEEQ_BUF_ID_HEAP))
		return -EINVAL;
	xa_erase(&teeq_sw.regs, r->buf);
	reg->status = r->status;
	reg->wire_id = r->wire_id;
	if (!reg->abandoned) {
		complete(&reg->done);
	} else if (!r->status) {
		/* its caller is gone: the secure side may unmap it now */
		*put = reg->shm;
		reg->shm = NULL;
		teeq_sw_queue(&reg->ev, TEEQ_SWDEV_EV_BUF_UNREG);
	} else {
		*freed = reg;
	}
	return 0;
}

static long teeq_sw_reply(struct file *filp, void __user *uarg)
{
	struct teeq_chan *chan = NULL, *dead = NULL;
	struct teeq_reg *freed = NULL;
	struct teeq_shm *put = NULL;
	struct teeq_swdev_reply r;
	u32 result = TEEQ_ERROR_TARGET_DEAD;
	int ret = 0;

	if (!teeq_sw_is_attacher(filp))
		return -EINVAL;
	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	if (r.reserved[0] || r.reserved[1])
		return -EINVAL;
	mutex_lock(&teeq_sw.lock);
	if (r.type != TEEQ_SWDEV_EV_BUF_REG) {
		chan = teeq_sw_find_chan(r.ctx);
		if (!chan) {
			ret = -EINVAL;
			goto out;
		}
	}
	switch (r.type) {
	case TEEQ_SWDEV_EV_CTX_OPEN:
		/* an answer to an announcement the secure side has read */
		if ((chan->state != TEEQ_CHAN_OPENING &&
		     chan->state != TEEQ_CHAN_CLOSING) ||
		    chan->ev_open.queued) {
			ret = -EINVAL;
		} else if (chan->state == TEEQ_CHAN_OPENING && r.status) {
			/* refused: its calls end, nothing to close later */
			teeq_sw_unlist(chan);
			dead = chan;
			result = TEEQ_ERROR_COMMUNICATION;
		} else {
			ret = teeq_sw_reply_open(chan, &r);
		}
		break;
	case TEEQ_SWDEV_EV_CTX_CLOSE:
		if (chan->state != TEEQ_CHAN_CLOSING || chan->ev_close.queued) {
			ret = -EINVAL;
			break;
		}
		teeq_stat_add(sw_sessions_closed, r.count);
		teeq_sw_unlist(chan);
		dead = chan;
		break;
	case TEEQ_SWDEV_EV_BUF_REG:
		ret = teeq_sw_reply_reg(&r, &put, &freed);
		break;
	case TEEQ_SWDEV_REPLY_CTX_BROKEN:
		teeq_stat_inc(broken);
		teeq_sw_unlist(chan);
		dead = chan;
		result = TEEQ_ERROR_COMMUNICATION;
		break;
	default:
		ret = -EINVAL;
	}
out:
	mutex_unlock(&teeq_sw.lock);
	if (dead) {
		teeq_chan_kill(dead, result);
		teeq_chan_put(dead);
	}
	if (put)
		teeq_shm_put(put);
	if (freed)
		teeq_reg_free(freed);
	return ret;
}

static long teeq_sw_supp_call(struct file *filp, void __user *uarg)
{
	struct teeq_swdev_supp_call c;
	long ret;
	u32 i;

	if (!teeq_sw_is_attacher(filp) ||
	    !(teeq_sw.features & TEEQ_SWDEV_FEAT_SUPP))
		return -EINVAL;
	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.num_params > TEEQ_NUM_PARAMS || c.reserved ||
	    (c.flags & ~TEEQ_SWDEV_SUPP_NOWAIT))
		return -EINVAL;
	/* values and memrefs; no META, TEMP or unknown bits */
	for (i = 0; i < c.num_params; i++) {
		switch (c.params[i].attr) {
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_NONE:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT:
			break;
		default:
			return -EINVAL;
		}
	}
	ret = teeq_supp_call(&c);
	if (ret && ret != -ETIMEDOUT)
		return ret;
	if (copy_to_user(uarg, &c, sizeof(c)))
		return -EFAULT;
	return ret;
}

static long teeq_sw_stats(void __user *uarg)
{
	struct teeq_stats *s = &teeq_dev.stats;
	struct teeq_swdev_stats st = {
		.attached = !!READ_ONCE(teeq_sw.attacher),
		.attaches = atomic64_read(&s->attaches),
		.contexts = atomic64_read(&s->contexts),
		.channels = atomic64_read(&s->channels),
		.sessions = atomic64_read(&s->sessions),
		.shms = atomic64_read(&s->shms),
		.heap_pages = atomic64_read(&s->heap_pages),
		.in_flight = atomic64_read(&s->in_flight),
		.calls = atomic64_read(&s->calls),
		.calls_dead = atomic64_read(&s->calls_dead),
		.cqe_forged = atomic64_read(&s->cqe_forged),
		.cqe_duplicate = atomic64_read(&s->cqe_duplicate),
		.cqe_late = atomic64_read(&s->cqe_late),
		.cqe_malformed = atomic64_read(&s->cqe_malformed),
		.sq_doorbells = atomic64_read(&s->sq_doorbells),
		.cq_doorbells = atomic64_read(&s->cq_doorbells),
		.sw_sessions_closed = atomic64_read(&s->sw_sessions_closed),
		.broken = atomic64_read(&s->broken),
		.supp_requests = atomic64_read(&s->supp_requests),
		.uring_cmds = atomic64_read(&s->uring_cmds),
		.uring_in_flight = atomic64_read(&s->uring_in_flight),
		.uring_cancels = atomic64_read(&s->uring_cancels),
		.uring_orphaned = atomic64_read(&s->uring_orphaned),
		.credit_waits = atomic64_read(&s->credit_waits),
		.sq_publishes = atomic64_read(&s->sq_publishes),
	};

	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long teeq_sw_ioctl(struct file *filp, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TEEQ_SWDEV_IOC_ATTACH:
		return teeq_sw_attach(filp, uarg);
	case TEEQ_SWDEV_IOC_EVENT:
		return teeq_sw_event(filp, uarg);
	case TEEQ_SWDEV_IOC_REPLY:
		return teeq_sw_reply(filp, uarg);
	case TEEQ_SWDEV_IOC_SUPP_CALL:
		return teeq_sw_supp_call(filp, uarg);
	case TEEQ_SWDEV_IOC_SUPP_SHM:
		if (!teeq_sw_is_attacher(filp) ||
		    !(teeq_sw.features & TEEQ_SWDEV_FEAT_SUPP))
			return -EINVAL;
		return teeq_supp_ioctl_shm(uarg);
	case TEEQ_SWDEV_IOC_STATS:
		return teeq_sw_stats(uarg);
	default:
		return -EINVAL;
	}
}

static const struct file_operations teeq_sw_fops = {
	.owner = THIS_MODULE,
	.open = teeq_sw_open,
	.release = teeq_sw_release,
	.poll = teeq_sw_poll,
	.unlocked_ioctl = teeq_sw_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int teeq_sw_init(void)
{
	int ret = teeq_chan_params();

	if (ret)
		return ret;
	/* one slot of each queue pair is kept for cancellations */
	teeq_dev.qp_credits = teeq_sq_entries - 1;
	teeq_dev.qpairs = teeq_qpairs;
	mutex_init(&teeq_sw.lock);
	spin_lock_init(&teeq_sw.ev_lock);
	INIT_LIST_HEAD(&teeq_sw.events);
	INIT_LIST_HEAD(&teeq_sw.chans);
	init_waitqueue_head(&teeq_sw.ev_wq);
	xa_init_flags(&teeq_sw.regs, XA_FLAGS_ALLOC1);
	teeq_sw.node.minor = MISC_DYNAMIC_MINOR;
	teeq_sw.node.name = "teeqsw0";
	teeq_sw.node.fops = &teeq_sw_fops;
	teeq_sw.node.mode = 0600;
	return misc_register(&teeq_sw.node);
}

void teeq_sw_exit(void)
{
	misc_deregister(&teeq_sw.node);
	xa_destroy(&teeq_sw.regs);
	mutex_destroy(&teeq_sw.lock);
}
