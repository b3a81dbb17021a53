// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/teeqpriv0 (and /dev/teepriv0): the supplicant's node, with the
 * upstream request and response semantics. The secure side asks
 * (teeq_supp_call(), from TEEQ_SWDEV_IOC_SUPP_CALL); one supplicant at a
 * time takes requests with SUPPL_RECV and answers with SUPPL_SEND, either
 * one at a time, or several at once when it passes a META parameter,
 * which then carries the request's id both ways. A requester that is
 * killed or gives up (its timeout), or a supplicant that goes away, never
 * leaves the other waiting: the request ends with
 * TEEQ_ERROR_COMMUNICATION.
 *
 * Memrefs name the supplicant's own shared memory, as upstream's do (its
 * buffers are where the secure world's requests put their payloads): the
 * request holds each object it names, checked against it here, and the
 * secure side maps those objects itself (teeq_supp_ioctl_shm()), so no
 * payload byte passes through the driver.
 */
#include <linux/file.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "teeq_private.h"

struct teeq_supp_req {
	struct list_head link;
	int id;
	bool in_queue;
	bool processed;
	u32 func;
	u32 ret;
	u32 num_params;
	struct teeq_ioctl_param *params;
	/* memrefs: the objects they name, held; the windows asked for */
	struct teeq_shm *shm[TEEQ_NUM_PARAMS];
	u64 window[TEEQ_NUM_PARAMS];
	struct completion done;
};

/* An id whose requester gave up while the supplicant held the request:
 * kept busy so that its answer is refused. */
#define TEEQ_SUPP_ABANDONED ((struct teeq_supp_req *)ERR_PTR(-EBADF))

#define TEEQ_SUPP_META \
	(TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEEQ_IOCTL_PARAM_ATTR_META)

void teeq_supp_init(struct teeq_supp *supp)
{
	mutex_init(&supp->lock);
	idr_init(&supp->reqs);
	INIT_LIST_HEAD(&supp->queue);
	init_completion(&supp->queued);
	supp->req_id = -1;
}

void teeq_supp_destroy(struct teeq_supp *supp)
{
	idr_destroy(&supp->reqs);
	mutex_destroy(&supp->lock);
}

int teeq_supp_open(struct teeq_ctx *ctx)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	int ret = 0;

	mutex_lock(&supp->lock);
	if (supp->ctx)
		ret = -EBUSY;
	else
		supp->ctx = ctx;
	mutex_unlock(&supp->lock);
	return ret;
}

/* The supplicant is gone: every request it had or would have gets
 * TEEQ_ERROR_COMMUNICATION. */
void teeq_supp_release(struct teeq_ctx *ctx)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	struct teeq_supp_req *req;
	int id;

	mutex_lock(&supp->lock);
	if (supp->ctx != ctx) {
		mutex_unlock(&supp->lock);
		return;
	}
	idr_for_each_entry(&supp->reqs, req, id)
	{
		idr_remove(&supp->reqs, id);
		if (IS_ERR(req))
			continue;
		if (req->in_queue) {
			list_del(&req->link);
			req->in_queue = false;
		}
		req->processed = true;
		req->ret = TEEQ_ERROR_COMMUNICATION;
		complete(&req->done);
	}
	supp->ctx = NULL;
	supp->req_id = -1;
	mutex_unlock(&supp->lock);
}

static bool teeq_supp_is_memref(u64 attr)
{
	return attr >= TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT &&
	       attr <= TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
}

static bool teeq_supp_is_output(u64 attr)
{
	return attr == TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT ||
	       attr == TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
}

/* With the lock held: each memref of @req names an object of the
 * attached supplicant, within it and within the bound; takes a reference
 * on each. */
static int teeq_supp_memrefs(struct teeq_supp *supp, struct teeq_supp_req *req)
{
	u32 i;

	for (i = 0; i < req->num_params; i++) {
		struct teeq_ioctl_param *p = &req->params[i];
		struct teeq_shm *shm;

		if (!teeq_supp_is_memref(p->attr))
			continue;
		if (!supp->ctx || p->c > INT_MAX)
			return -ENOENT;
		shm = teeq_shm_lookup(supp->ctx, (int)p->c);
		if (!shm)
			return -ENOENT;
		req->shm[i] = shm;
		/* overflow-safe: a <= size, then b <= size - a */
		if (p->b > TEEQ_SWDEV_SUPP_MEMREF_MAX || p->a > shm->size ||
		    p->b > shm->size - p->a)
			return -EINVAL;
		req->window[i] = p->b;
	}
	return 0;
}

static void teeq_supp_req_free(struct teeq_supp_req *req)
{
	u32 i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++)
		if (req->shm[i])
			teeq_shm_put(req->shm[i]);
	kfree(req);
}

int teeq_supp_call(struct teeq_swdev_supp_call *c)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	struct teeq_supp_req *req;
	long left;
	int err;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	init_completion(&req->done);
	req->func = c->func;
	req->num_params = c->num_params;
	req->params = c->params;

	mutex_lock(&supp->lock);
	if ((c->flags & TEEQ_SWDEV_SUPP_NOWAIT) && !supp->ctx) {
		mutex_unlock(&supp->lock);
		teeq_supp_req_free(req);
		c->ret = TEEQ_ERROR_COMMUNICATION;
		return 0;
	}
	err = teeq_supp_memrefs(supp, req);
	if (!err) {
		req->id = idr_alloc(&supp->reqs, req, 1, 0, GFP_KERNEL);
		err = req->id < 0 ? req->id : 0;
	}
	if (err) {
		mutex_unlock(&supp->lock);
		teeq_supp_req_free(req);
		return err;
	}
	list_add_tail(&req->link, &supp->queue);
	req->in_queue = true;
	mutex_unlock(&supp->lock);
	teeq_stat_inc(supp_requests);
	complete(&supp->queued);

	if (c->timeout_ms)
		left = wait_for_completion_killable_timeout(
			&req->done, msecs_to_jiffies(c->timeout_ms));
	else
		left = wait_for_completion_killable(&req->done) ?: 1;
	err = 0;
	if (left <= 0) {
		mutex_lock(&supp->lock);
		if (req->in_queue) {
			/* not seen yet: withdrawn */
			idr_remove(&supp->reqs, req->id);
			list_del(&req->link);
			c->ret = TEEQ_ERROR_COMMUNICATION;
			err = left ? 0 : -ETIMEDOUT;
		} else if (req->processed) {
			c->ret = req->ret;
		} else {
			/* the supplicant holds it: its answer is refused */
			idr_replace(&supp->reqs, TEEQ_SUPP_ABANDONED, req->id);
			c->ret = TEEQ_ERROR_COMMUNICATION;
			err = left ? 0 : -ETIMEDOUT;
		}
		mutex_unlock(&supp->lock);
	} else {
		c->ret = req->ret;
	}
	teeq_supp_req_free(req);
	return err;
}

/* The secure side maps one of the attached supplicant's objects. */
long teeq_supp_ioctl_shm(void __user *uarg)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	struct teeq_swdev_supp_shm arg;
	struct teeq_shm *shm = NULL;
	struct file *file;
	int fd;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	mutex_lock(&supp->lock);
	if (supp->ctx && arg.id > 0)
		shm = teeq_shm_lookup(supp->ctx, arg.id);
	mutex_unlock(&supp->lock);
	if (!shm)
		return -ENOENT;
	/* registered pages as a dma-buf of ours holding the pin, an
	 * imported dma-buf as itself; pool memory is not for this */
	file = teeq_shm_sw_file(shm);
	arg.size = shm->size;
	arg.offset = shm->page_off;
	teeq_shm_put(shm);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	arg.fd = fd;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;
}

/* Copies a SUPPL_RECV/SEND argument: @fixed bytes, num_params at offset
 * 4, then the parameters, all within the buffer the caller described. */
static int teeq_supp_arg(void __user *ubuf, void *arg, size_t fixed,
			 struct teeq_ioctl_param **params, u32 *num_params,
			 void __user **uarg)
{
	struct teeq_ioctl_buf_data buf;

	if (copy_from_user(&buf, ubuf, sizeof(buf)))
		return -EFAULT;
	if (buf.buf_len > TEEQ_MAX_ARG_SIZE || buf.buf_len < fixed)
		return -EINVAL;
	*uarg = u64_to_user_ptr(buf.buf_ptr);
	if (copy_from_user(arg, *uarg, fixed))
		return -EFAULT;
	memcpy(num_params, (char *)arg + 4, sizeof(*num_params));
	if (fixed + (u64)*num_params * sizeof(**params) != buf.buf_len)
		return -EINVAL;
	*params = kcalloc(*num_params, sizeof(**params), GFP_KERNEL);
	if (*num_params && !*params)
		return -ENOMEM;
	if (copy_from_user(*params, (char __user *)*uarg + fixed,
			   *num_params * sizeof(**params))) {
		kfree(*params);
		return -EFAULT;
	}
	return 0;
}

/* The oldest request the supplicant has not seen, with the lock held. */
static struct teeq_supp_req *teeq_supp_pop(struct teeq_supp *supp, u32 room)
{
	struct teeq_supp_req *req;

	/* one at a time and several at once do not mix */
	if (supp->req_id != -1)
		return ERR_PTR(-EINVAL);
	if (list_empty(&supp->queue))
		return NULL;
	req = list_first_entry(&supp->queue, struct teeq_supp_req, link);
	if (room < req->num_params)
		return ERR_PTR(-EINVAL);
	list_del(&req->link);
	req->in_queue = false;
	return req;
}

long teeq_supp_ioctl_recv(struct teeq_ctx *ctx, void __user *ubuf)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	struct teeq_ioctl_supp_recv_arg arg;
	struct teeq_ioctl_param *params;
	struct teeq_supp_req *req;
	u32 num_params, num_meta, i;
	void __user *uarg;
	int ret;

	ret = teeq_supp_arg(ubuf, &arg, sizeof(arg), &params, &num_params,
			    &uarg);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (!num_params)
		goto out;
	/* only room, with or without the META parameter */
	for (i = 0; i < num_params; i++)
		if (params[i].attr &&
		    params[i].attr != TEEQ_IOCTL_PARAM_ATTR_META)
			goto out;
	num_meta = params[0].attr == TEEQ_IOCTL_PARAM_ATTR_META;

	for (;;) {
		mutex_lock(&supp->lock);
		req = teeq_supp_pop(supp, num_params - num_meta);
		if (req)
			break;
		mutex_unlock(&supp->lock);
		/* where a supplicant spends its life: a signal restarts it */
		if (wait_for_completion_interruptible(&supp->queued)) {
			ret = -ERESTARTSYS;
			goto out;
		}
	}
	if (IS_ERR(req)) {
		mutex_unlock(&supp->lock);
		ret = PTR_ERR(req);
		goto out;
	}
	if (num_meta) {
		params[0] = (struct teeq_ioctl_param){ .attr = TEEQ_SUPP_META,
						       .a = req->id };
	} else {
		supp->req_id = req->id;
	}
	arg.func = req->func;
	arg.num_params = req->num_params + num_meta;
	memcpy(params + num_meta, req->params,
	       req->num_params * sizeof(*params));
	mutex_unlock(&supp->lock);

	ret = 0;
	if (copy_to_user(uarg, &arg, sizeof(arg)) ||
	    copy_to_user((char __user *)uarg + sizeof(arg), params,
			 arg.num_params * sizeof(*params)))
		ret = -EFAULT;
out:
	kfree(params);
	return ret;
}

long teeq_supp_ioctl_send(struct teeq_ctx *ctx, void __user *ubuf)
{
	struct teeq_supp *supp = &teeq_dev.supp;
	struct teeq_ioctl_supp_send_arg arg;
	struct teeq_ioctl_param *params;
	struct teeq_supp_req *req;
	u32 num_params, num_meta, i;
	void __user *uarg;
	int ret, id;

	ret = teeq_supp_arg(ubuf, &arg, sizeof(arg), &params, &num_params,
			    &uarg);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (!num_params)
		goto out;
	mutex_lock(&supp->lock);
	if (supp->req_id == -1) {
		if (params[0].attr != TEEQ_SUPP_META || params[0].a > INT_MAX)
			goto out_unlock;
		id = (int)params[0].a;
		num_meta = 1;
	} else {
		id = supp->req_id;
		num_meta = 0;
	}
	req = idr_find(&supp->reqs, id);
	if (!req) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (IS_ERR(req)) {
		/* its requester gave up: the id is free again */
		idr_remove(&supp->reqs, id);
		supp->req_id = -1;
		ret = PTR_ERR(req);
		goto out_unlock;
	}
	if (num_params - num_meta != req->num_params)
		goto out_unlock;
	/* an output memref's size is what the supplicant produced, never
	 * more than its window: refused, the request still waits */
	for (i = 0; i < req->num_params; i++)
		if (teeq_supp_is_output(req->params[i].attr) &&
		    params[i + num_meta].b > req->window[i])
			goto out_unlock;
	idr_remove(&supp->reqs, id);
	supp->req_id = -1;
	for (i = 0; i < req->num_params; i++) {
		struct teeq_ioctl_param *p = &req->params[i];
		const struct teeq_ioctl_param *in = &params[i + num_meta];

		switch (p->attr & TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK) {
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT:
			p->a = in->a;
			p->b = in->b;
			p->c = in->c;
			break;
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT:
		case TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT:
			p->b = in->b;
			break;
		default:
			break;
		}
	}
	req->ret = arg.ret;
	req->processed = true;
	complete(&req->done);
	ret = 0;
out_unlock:
	mutex_unlock(&supp->lock);
out:
	kfree(params);
	return ret;
}
