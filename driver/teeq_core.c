// SPDX-License-Identifier: GPL-2.0
/*
 * The generic core: the client nodes and their ioctl ABI (binary-compatible
 * with include/uapi/linux/tee.h), contexts, sessions and parameters.
 *
 * Everything a client passes is copied once and checked here before the
 * backend sees it: argument sizes, attributes, shared-memory ids (a context
 * reaches only its own), windows (overflow-safe), session ids (only its
 * own), login methods. The login identity is the opener's credentials,
 * set by the kernel; a group login must name a group the caller is in.
 */
#include <linux/cred.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "teeq_private.h"

static bool compat_nodes;
module_param(compat_nodes, bool, 0444);
MODULE_PARM_DESC(
	compat_nodes,
	"also create /dev/tee0 and /dev/teepriv0 for clients of the upstream TEE subsystem");

struct teeq_device teeq_dev;

static atomic_t teeq_ctx_next = ATOMIC_INIT(0);

/* ---- contexts ------------------------------------------------------------------- */

static void teeq_ctx_free(struct kref *ref)
{
	struct teeq_ctx *ctx = container_of(ref, struct teeq_ctx, ref);

	mutex_destroy(&ctx->lock);
	kmem_cache_free(teeq_dev.ctx_cache, ctx);
}

void teeq_ctx_put(struct teeq_ctx *ctx)
{
	kref_put(&ctx->ref, teeq_ctx_free);
}

static int teeq_open(struct inode *inode, struct file *filp)
{
	struct miscdevice *node = filp->private_data;
	const struct cred *cred = current_cred();
	struct teeq_ctx *ctx;
	int ret;

	ctx = kmem_cache_zalloc(teeq_dev.ctx_cache, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	kref_init(&ctx->ref);
	mutex_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->sessions);
	teeq_uring_ctx_init(ctx);
	do
		ctx->id = (u32)atomic_inc_return(&teeq_ctx_next);
	while (!ctx->id);
	ctx->privileged = node == &teeq_dev.priv_node ||
			  node == &teeq_dev.suppl_node;
	ctx->uid = from_kuid_munged(&init_user_ns, cred->euid);
	ctx->gid = from_kgid_munged(&init_user_ns, cred->egid);
	ctx->pid = (u32)task_tgid_nr(current);

	if (ctx->privileged) {
		ret = teeq_supp_open(ctx);
		if (ret)
			goto err;
	}
	ret = teeq_dev.ops->ctx_init(ctx);
	if (ret) {
		if (ctx->privileged)
			teeq_supp_release(ctx);
		goto err;
	}
	filp->private_data = ctx;
	teeq_stat_inc(contexts);
	return 0;

err:
	teeq_ctx_put(ctx);
	return ret;
}

/* No ioctl runs any more: forget the sessions (the backend closes them in
 * the secure world with the context). */
static int teeq_release(struct inode *inode, struct file *filp)
{
	struct teeq_ctx *ctx = filp->private_data;
	struct teeq_session *sess, *next;

	teeq_uring_ctx_release(ctx);
	if (ctx->privileged)
		teeq_supp_release(ctx);
	mutex_lock(&ctx->lock);
	ctx->released = true;
	list_for_each_entry_safe(sess, next, &ctx->sessions, link) {
		xa_erase(&teeq_dev.session_ids, sess->id);
		list_del(&sess->link);
		kfree_rcu(sess, rcu);
		teeq_stat_dec(sessions);
	}
	mutex_unlock(&ctx->lock);
	teeq_dev.ops->ctx_release(ctx);
	teeq_stat_dec(contexts);
	teeq_ctx_put(ctx);
	return 0;
}

/* ---- sessions ------------------------------------------------------------------- */

/* The secure side's id of the context's session @id, or 0. No lock: the
 * table is read under RCU and sessions are freed after a grace period. */
static u32 teeq_session_wire_id(struct teeq_ctx *ctx, u32 id)
{
	struct teeq_session *sess;
	u32 wire_id = 0;

	rcu_read_lock();
	sess = xa_load(&teeq_dev.session_ids, id);
	if (sess && sess->ctx == ctx)
		wire_id = READ_ONCE(sess->wire_id);
	rcu_read_unlock();
	return wire_id;
}

/* ---- arguments -------------------------------------------------------------------- */

/*
 * Copies the argument struct of an OPEN_SESSION or INVOKE (@fixed bytes,
 * num_params at @np_off) from @buf_ptr and its parameters; every size is
 * checked against the @buf_len the caller gave. Inlined, and the
 * parameters copied one by one, so that every copy has a size known at
 * compile time: the hardened usercopy checks then cost nothing per call.
 */
static __always_inline int teeq_arg_read(u64 buf_ptr, u64 buf_len, void *arg,
					 size_t fixed, size_t np_off,
					 struct teeq_ioctl_param *params,
					 u32 *num_params)
{
	const struct teeq_ioctl_param __user *uparams;
	void __user *uarg = u64_to_user_ptr(buf_ptr);
	u32 i;

	if (buf_len > TEEQ_MAX_ARG_SIZE || buf_len < fixed)
		return -EINVAL;
	if (copy_from_user(arg, uarg, fixed))
		return -EFAULT;
	memcpy(num_params, (char *)arg + np_off, sizeof(*num_params));
	/* the wire carries four: more is refused, never cut */
	if (*num_params > TEEQ_NUM_PARAMS ||
	    fixed + *num_params * sizeof(*params) != buf_len)
		return -EINVAL;
	uparams = (const void __user *)((char __user *)uarg + fixed);
	for (i = 0; i < *num_params; i++)
		if (copy_from_user(&params[i], &uparams[i], sizeof(*params)))
			return -EFAULT;
	return 0;
}

static __always_inline int teeq_arg_write(void __user *uarg, const void *arg,
					  size_t fixed,
					  const struct teeq_ioctl_param *params,
					  u32 num_params)
{
	struct teeq_ioctl_param __user *uparams =
		(void __user *)((char __user *)uarg + fixed);
	u32 i;

	if (copy_to_user(uarg, arg, fixed))
		return -EFAULT;
	for (i = 0; i < num_params; i++)
		if (copy_to_user(&uparams[i], &params[i], sizeof(*params)))
			return -EFAULT;
	return 0;
}

/* ---- parameters -------------------------------------------------------------------- */

void teeq_call_end(struct teeq_call *call, u32 result)
{
	call->cqe = (struct teeq_cqe){ .result = result,
				       .origin = TEEQ_ORIGIN_COMMS };
}

void teeq_call_release(struct teeq_call *call)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		if (call->shm[i])
			teeq_shm_put(call->shm[i]);
		call->shm[i] = NULL;
	}
}

/* One memref parameter onto the wire; takes a reference to its shm.
 * -EAGAIN if its buffer is yet to be registered and !@may_wait. */
static int teeq_param_memref(struct teeq_ctx *ctx, struct teeq_call *call,
			     int i, const struct teeq_ioctl_param *p,
			     unsigned int type, bool may_wait)
{
	union teeq_param *wire = &call->sqe.params[i];
	struct teeq_shm *shm;
	int ret;

	if (p->b > U32_MAX)
		return -EINVAL; /* a window on the wire is below 4 GiB */
	call->window[i] = (u32)p->b;
	wire->memref.size = (u32)p->b;

	if (p->attr & TEEQ_IOCTL_PARAM_ATTR_TEMP) {
		if (p->c)
			return -EINVAL;
		if (!p->a) /* a NULL buffer: lets a TA say what it needs */
			return 0;
		shm = teeq_shm_temp_alloc(ctx, p->b);
		if (IS_ERR(shm))
			return PTR_ERR(shm);
		call->shm[i] = shm;
		if (type != TEEQ_PARAM_MEMREF_OUTPUT) {
			ret = teeq_shm_copy(shm, 0, u64_to_user_ptr(p->a), p->b,
					    false);
			if (ret)
				return ret;
		}
		wire->memref.buf_id = shm->wire_id;
		wire->memref.offset = shm->pool_off;
		return 0;
	}

	if (p->c == TEEQ_MEMREF_NULL)
		return p->a ? -EINVAL : 0;
	if (p->c > INT_MAX)
		return -EINVAL;
	shm = teeq_shm_lookup(ctx, (int)p->c);
	if (!shm)
		return -EINVAL; /* stale, foreign or never issued */
	call->shm[i] = shm;
	if (p->a > shm->size || p->b > shm->size - p->a)
		return -EINVAL;
	if (!READ_ONCE(shm->wire_id)) {
		if (!may_wait)
			return -EAGAIN;
		ret = teeq_dev.ops->shm_register(ctx, shm);
		if (ret)
			return ret;
	}
	wire->memref.buf_id = shm->wire_id;
	wire->memref.offset =
		(shm->kind == TEEQ_SHM_POOL ? shm->pool_off : shm->page_off) +
		p->a;
	return 0;
}

/* The client's parameters onto the wire entry of @call. */
static int teeq_params_in(struct teeq_ctx *ctx, struct teeq_call *call,
			  const struct teeq_ioctl_param *params, u32 num,
			  bool may_wait)
{
	u16 types = 0;
	u32 i;
	int ret;

	for (i = 0; i < num; i++) {
		const struct teeq_ioctl_param *p = &params[i];
		unsigned int type = p->attr & TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK;
		union teeq_param *wire = &call->sqe.params[i];

		/* the supplicant's META bit and unknown bits are refused */
		if (p->attr & ~(u64)(TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK |
				     TEEQ_IOCTL_PARAM_ATTR_TEMP) ||
		    !teeq_param_type_valid(type))
			return -EINVAL;
		if ((p->attr & TEEQ_IOCTL_PARAM_ATTR_TEMP) &&
		    !teeq_param_is_memref(type))
			return -EINVAL;
		types |= type << (4 * i);
		switch (type) {
		case TEEQ_PARAM_NONE:
		case TEEQ_PARAM_VALUE_OUTPUT:
			break;
		case TEEQ_PARAM_VALUE_INPUT:
		case TEEQ_PARAM_VALUE_INOUT:
			/* GlobalPlatform values are 32-bit; nothing is cut */
			if (p->a > U32_MAX || p->b > U32_MAX || p->c)
				return -EINVAL;
			wire->value.a = (u32)p->a;
			wire->value.b = (u32)p->b;
			break;
		default:
			ret = teeq_param_memref(ctx, call, i, p, type,
						may_wait);
			if (ret)
				return ret;
		}
	}
	call->sqe.param_types = types;
	return 0;
}

bool teeq_call_cqe_valid(const struct teeq_call *call,
			 const struct teeq_cqe *cqe)
{
	bool reached = cqe->origin == TEEQ_ORIGIN_TRUSTED_APP;
	int i;

	/* flags: no hints, which our regions never ask for */
	if (cqe->flags || cqe->reserved || cqe->origin < TEEQ_ORIGIN_API ||
	    cqe->origin > TEEQ_ORIGIN_TRUSTED_APP)
		return false;
	/* a session id comes only with an opened session */
	if ((call->sqe.opcode == TEEQ_OP_OPEN_SESSION &&
	     cqe->result == TEEQ_SUCCESS) != !!cqe->session)
		return false;
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(call->sqe.param_types, i);
		const union teeq_param_out *out = &cqe->params[i];

		if (!teeq_param_is_output(t)) {
			if (out->value.a || out->value.b)
				return false;
		} else if (teeq_param_is_memref(t)) {
			/* past the window: only as a needed size */
			if (out->memref.pad ||
			    (reached && out->memref.size > call->window[i] &&
			     cqe->result != TEEQ_ERROR_SHORT_BUFFER))
				return false;
		}
	}
	return true;
}

/* The completion's outputs back into the client's parameters. */
static int teeq_params_out(struct teeq_call *call,
			   struct teeq_ioctl_param *params, u32 num)
{
	u32 i, n;
	int ret;

	for (i = 0; i < num; i++) {
		struct teeq_ioctl_param *p = &params[i];
		unsigned int type = p->attr & TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK;
		const union teeq_param_out *out = &call->cqe.params[i];

		if (!teeq_param_is_output(type))
			continue;
		if (teeq_param_is_value(type)) {
			p->a = out->value.a;
			p->b = out->value.b;
			p->c = 0;
			continue;
		}
		p->b = out->memref.size;
		if (!(p->attr & TEEQ_IOCTL_PARAM_ATTR_TEMP) || !call->shm[i] ||
		    call->cqe.result != TEEQ_SUCCESS)
			continue;
		n = min(out->memref.size, call->window[i]);
		ret = teeq_shm_copy(call->shm[i], 0, u64_to_user_ptr(p->a), n,
				    true);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- the ioctls ----------------------------------------------------------------------- */

static long teeq_ioctl_version(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_version_data v = {
		.impl_id = TEEQ_IMPL_ID_TEEQ,
		.impl_caps = TEEQ_IMPL_CAP_TEMP_MEMREF |
			     TEEQ_IMPL_CAP_REGISTER_FD |
			     TEEQ_IMPL_CAP_URING_CMD,
		.gen_caps = TEEQ_GEN_CAP_GP | TEEQ_GEN_CAP_REG_MEM |
			    TEEQ_GEN_CAP_MEMREF_NULL,
	};

	if (ctx->privileged)
		v.gen_caps |= TEEQ_GEN_CAP_PRIVILEGED;
	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* The login on the wire: method and group; -EPERM for what a caller may
 * not claim. */
static int teeq_login(const struct teeq_ioctl_open_session_arg *arg,
		      u32 *login_data)
{
	kgid_t group;
	gid_t gid;

	*login_data = 0;
	switch (arg->clnt_login) {
	case TEEQ_IOCTL_LOGIN_PUBLIC:
	case TEEQ_IOCTL_LOGIN_USER:
	case TEEQ_IOCTL_LOGIN_APPLICATION:
	case TEEQ_IOCTL_LOGIN_USER_APPLICATION:
		return 0;
	case TEEQ_IOCTL_LOGIN_GROUP:
	case TEEQ_IOCTL_LOGIN_GROUP_APPLICATION:
		/* as upstream: the group in the first bytes of clnt_uuid,
		 * one the caller belongs to */
		memcpy(&gid, arg->clnt_uuid, sizeof(gid));
		group = make_kgid(current_user_ns(), gid);
		if (!gid_valid(group) || !in_egroup_p(group))
			return -EPERM;
		*login_data = from_kgid(&init_user_ns, group);
		return 0;
	default:
		/* the kernel's own logins are not for user space */
		if (arg->clnt_login >= TEEQ_IOCTL_LOGIN_REE_KERNEL_MIN &&
		    arg->clnt_login <= TEEQ_IOCTL_LOGIN_REE_KERNEL_MAX)
			return -EPERM;
		return -EINVAL;
	}
}

/* ---- a client request's life ------------------------------------------------------- */

static int teeq_op_prepare_open(struct teeq_ctx *ctx, struct teeq_op *op)
{
	struct teeq_ioctl_open_session_arg *arg = &op->arg.open;
	struct teeq_session *sess;
	u32 id;
	int ret;

	ret = teeq_login(arg, &op->call.sqe.login_data);
	if (ret)
		return ret;
	op->call.sqe.opcode = TEEQ_OP_OPEN_SESSION;
	op->call.sqe.func = arg->clnt_login;
	memcpy(op->call.sqe.uuid.b, arg->uuid, sizeof(op->call.sqe.uuid.b));
	op->call.cancel_id = arg->cancel_id;
	op->call.cancellable = arg->cancel_id != 0;

	/* the id first, so an opened session always finds a place */
	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return -ENOMEM;
	sess->ctx = ctx;
	ret = xa_alloc_cyclic(&teeq_dev.session_ids, &id, sess,
			      XA_LIMIT(1, INT_MAX), &teeq_dev.session_next,
			      GFP_KERNEL);
	if (ret < 0) {
		kfree(sess);
		return ret;
	}
	sess->id = id;
	op->sess = sess;
	return 0;
}

static int teeq_op_prepare_invoke(struct teeq_ctx *ctx, struct teeq_op *op)
{
	struct teeq_ioctl_invoke_arg *arg = &op->arg.invoke;

	op->call.sqe.opcode = TEEQ_OP_INVOKE;
	op->call.sqe.func = arg->func;
	op->call.sqe.session = teeq_session_wire_id(ctx, arg->session);
	if (!op->call.sqe.session)
		return -EINVAL;
	op->call.session = arg->session;
	op->call.cancel_id = arg->cancel_id;
	op->call.cancellable = arg->cancel_id != 0;
	return 0;
}

void teeq_op_abort(struct teeq_op *op)
{
	teeq_call_release(&op->call);
	if (op->sess) {
		xa_erase(&teeq_dev.session_ids, op->sess->id);
		kfree(op->sess);
		op->sess = NULL;
	}
}

int teeq_op_prepare(struct teeq_ctx *ctx, struct teeq_op *op, u8 opcode,
		    u64 buf_ptr, u64 buf_len, bool may_wait)
{
	int ret;

	op->opcode = opcode;
	op->ended = false;
	op->uarg = u64_to_user_ptr(buf_ptr);
	op->sess = NULL;
	memset(&op->call, 0, sizeof(op->call));
	if (opcode == TEEQ_OP_OPEN_SESSION) {
		ret = teeq_arg_read(buf_ptr, buf_len, &op->arg.open,
				    sizeof(op->arg.open),
				    offsetof(typeof(op->arg.open), num_params),
				    op->params, &op->num_params);
		if (!ret)
			ret = teeq_op_prepare_open(ctx, op);
	} else {
		ret = teeq_arg_read(buf_ptr, buf_len, &op->arg.invoke,
				    sizeof(op->arg.invoke),
				    offsetof(typeof(op->arg.invoke),
					     num_params),
				    op->params, &op->num_params);
		if (!ret)
			ret = teeq_op_prepare_invoke(ctx, op);
	}
	if (!ret)
		ret = teeq_params_in(ctx, &op->call, op->params, op->num_params,
				     may_wait);
	if (ret == -TEEQ_ENOTARGET) {
		/* no secure side to register a buffer with: the call ends
		 * TARGET_DEAD, as upstream's communication errors end a
		 * call with a result rather than an errno */
		teeq_call_end(&op->call, TEEQ_ERROR_TARGET_DEAD);
		op->ended = true;
		ret = 0;
	}
	if (ret)
		teeq_op_abort(op);
	return ret;
}

int teeq_op_prepare_close(struct teeq_ctx *ctx, struct teeq_op *op, u32 session)
{
	struct teeq_session *sess;

	mutex_lock(&ctx->lock);
	sess = xa_load(&teeq_dev.session_ids, session);
	if (!sess || sess->ctx != ctx || !sess->wire_id) {
		mutex_unlock(&ctx->lock);
		return -EINVAL;
	}
	/* gone for the client before the secure side hears of it */
	xa_erase(&teeq_dev.session_ids, session);
	list_del(&sess->link);
	mutex_unlock(&ctx->lock);
	teeq_stat_dec(sessions);

	op->opcode = TEEQ_OP_CLOSE_SESSION;
	op->ended = false;
	op->uarg = NULL;
	op->num_params = 0;
	op->sess = NULL;
	memset(&op->call, 0, sizeof(op->call));
	op->call.sqe.opcode = TEEQ_OP_CLOSE_SESSION;
	op->call.sqe.session = sess->wire_id;
	op->call.session = session;
	kfree_rcu(sess, rcu);
	return 0;
}

static int teeq_op_finish_open(struct teeq_ctx *ctx, struct teeq_op *op,
			       bool to_user)
{
	struct teeq_ioctl_open_session_arg *arg = &op->arg.open;
	struct teeq_session *sess = op->sess;
	int ret = 0;

	if (to_user)
		ret = teeq_params_out(&op->call, op->params, op->num_params);
	arg->ret = op->call.cqe.result;
	arg->ret_origin = op->call.cqe.origin;
	arg->session = 0;
	if (op->call.cqe.result == TEEQ_SUCCESS) {
		/* opened: it is the context's even if the client never
		 * learns its id (it is closed with the context) */
		mutex_lock(&ctx->lock);
		WRITE_ONCE(sess->wire_id, op->call.cqe.session);
		list_add(&sess->link, &ctx->sessions);
		mutex_unlock(&ctx->lock);
		teeq_stat_inc(sessions);
		arg->session = sess->id;
		op->sess = NULL;
	}
	if (!ret && to_user)
		ret = teeq_arg_write(op->uarg, arg, sizeof(*arg), op->params,
				     op->num_params);
	return ret;
}

int teeq_op_finish(struct teeq_ctx *ctx, struct teeq_op *op, bool to_user)
{
	struct teeq_ioctl_invoke_arg *arg = &op->arg.invoke;
	int ret = 0;

	switch (op->opcode) {
	case TEEQ_OP_OPEN_SESSION:
		ret = teeq_op_finish_open(ctx, op, to_user);
		break;
	case TEEQ_OP_INVOKE:
		if (!to_user)
			break;
		ret = teeq_params_out(&op->call, op->params, op->num_params);
		if (ret)
			break;
		arg->ret = op->call.cqe.result;
		arg->ret_origin = op->call.cqe.origin;
		ret = teeq_arg_write(op->uarg, arg, sizeof(*arg), op->params,
				     op->num_params);
		break;
	default:
		/* CLOSE_SESSION: closed for the client whatever the secure
		 * side answers; a dead one has closed it already */
		break;
	}
	teeq_op_abort(op);
	return ret;
}

/* ---- the ioctls, continued --------------------------------------------------------------- */

/* OPEN_SESSION, INVOKE, CLOSE_SESSION: the request, waited for. */
static long teeq_ioctl_call(struct teeq_ctx *ctx, u8 opcode, void __user *ubuf)
{
	struct teeq_ioctl_close_session_arg close;
	struct teeq_ioctl_buf_data buf;
	struct teeq_op op;
	int ret;

	if (opcode == TEEQ_OP_CLOSE_SESSION) {
		if (copy_from_user(&close, ubuf, sizeof(close)))
			return -EFAULT;
		ret = teeq_op_prepare_close(ctx, &op, close.session);
	} else {
		if (copy_from_user(&buf, ubuf, sizeof(buf)))
			return -EFAULT;
		ret = teeq_op_prepare(ctx, &op, opcode, buf.buf_ptr,
				      buf.buf_len, true);
	}
	if (ret)
		return ret;
	if (!op.ended) {
		ret = teeq_dev.ops->call(ctx, &op.call);
		if (ret) {
			teeq_op_abort(&op);
			/* the session is closed for the client regardless */
			return opcode == TEEQ_OP_CLOSE_SESSION ? 0 : ret;
		}
	}
	return teeq_op_finish(ctx, &op, true);
}

static long teeq_ioctl_cancel(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_cancel_arg arg;
	u32 wire_session = 0;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.session) {
		wire_session = teeq_session_wire_id(ctx, arg.session);
		if (!wire_session)
			return -EINVAL;
	}
	if (arg.cancel_id)
		teeq_dev.ops->cancel(ctx, arg.cancel_id, wire_session);
	return 0;
}

static long teeq_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct teeq_ctx *ctx = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case TEEQ_IOC_VERSION:
		return teeq_ioctl_version(ctx, uarg);
	case TEEQ_IOC_SHM_ALLOC:
		return teeq_shm_ioctl_alloc(ctx, uarg);
	case TEEQ_IOC_SHM_REGISTER:
		return teeq_shm_ioctl_register(ctx, uarg);
	case TEEQ_IOC_SHM_REGISTER_FD:
		return teeq_shm_ioctl_register_fd(ctx, uarg);
	case TEEQ_IOC_OPEN_SESSION:
		return teeq_ioctl_call(ctx, TEEQ_OP_OPEN_SESSION, uarg);
	case TEEQ_IOC_INVOKE:
		return teeq_ioctl_call(ctx, TEEQ_OP_INVOKE, uarg);
	case TEEQ_IOC_CANCEL:
		return teeq_ioctl_cancel(ctx, uarg);
	case TEEQ_IOC_CLOSE_SESSION:
		return teeq_ioctl_call(ctx, TEEQ_OP_CLOSE_SESSION, uarg);
	case TEEQ_IOC_URING_INFO:
		return teeq_uring_ioctl_info(ctx, uarg);
	case TEEQ_IOC_SUPPL_RECV:
		return ctx->privileged ? teeq_supp_ioctl_recv(ctx, uarg) :
					 -EINVAL;
	case TEEQ_IOC_SUPPL_SEND:
		return ctx->privileged ? teeq_supp_ioctl_send(ctx, uarg) :
					 -EINVAL;
	default:
		return -EINVAL;
	}
}

static const struct file_operations teeq_fops = {
	.owner = THIS_MODULE,
	.open = teeq_open,
	.release = teeq_release,
	.unlocked_ioctl = teeq_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = teeq_uring_cmd,
};

/* ---- the module ------------------------------------------------------------------------- */

static int teeq_node_add(struct miscdevice *node, const char *name,
			 umode_t mode)
{
	node->minor = MISC_DYNAMIC_MINOR;
	node->name = name;
	node->fops = &teeq_fops;
	node->mode = mode;
	return misc_register(node);
}

static int __init teeq_init(void)
{
	int ret;

	teeq_dev.ops = &teeq_sw_ops;
	xa_init_flags(&teeq_dev.shm_ids, XA_FLAGS_ALLOC1);
	xa_init_flags(&teeq_dev.session_ids, XA_FLAGS_ALLOC1);
	teeq_supp_init(&teeq_dev.supp);
	teeq_dev.ctx_cache = KMEM_CACHE(teeq_ctx, 0);
	teeq_dev.shm_cache = KMEM_CACHE(teeq_shm, 0);
	if (!teeq_dev.ctx_cache || !teeq_dev.shm_cache) {
		ret = -ENOMEM;
		goto err_caches;
	}
	ret = teeq_uring_init();
	if (ret)
		goto err_caches;
	ret = teeq_sw_init();
	if (ret)
		goto err_uring;
	ret = teeq_node_add(&teeq_dev.client_node, "teeq0", 0666);
	if (ret)
		goto err_sw;
	/* the device our dma-bufs sync the CPU's view through: no limit on
	 * the addresses of its pages */
	ret = dma_coerce_mask_and_coherent(teeq_dev.client_node.this_device,
					   DMA_BIT_MASK(64));
	if (ret)
		goto err_client;
	/* the supplicant's node: root's, as upstream's udev rules give
	 * teepriv0 to the supplicant's user only */
	ret = teeq_node_add(&teeq_dev.suppl_node, "teeqpriv0", 0600);
	if (ret)
		goto err_client;
	if (compat_nodes) {
		ret = teeq_node_add(&teeq_dev.compat_node, "tee0", 0666);
		if (ret)
			goto err_suppl;
		ret = teeq_node_add(&teeq_dev.priv_node, "teepriv0", 0600);
		if (ret)
			goto err_compat;
	}
	return 0;

err_compat:
	misc_deregister(&teeq_dev.compat_node);
err_suppl:
	misc_deregister(&teeq_dev.suppl_node);
err_client:
	misc_deregister(&teeq_dev.client_node);
err_sw:
	teeq_sw_exit();
err_uring:
	teeq_uring_exit();
err_caches:
	kmem_cache_destroy(teeq_dev.shm_cache);
	kmem_cache_destroy(teeq_dev.ctx_cache);
	teeq_supp_destroy(&teeq_dev.supp);
	return ret;
}

/* Every node is closed (each open holds the module) and every dma-buf we
 * exported is gone (each holds the module too). */
static void __exit teeq_exit(void)
{
	if (compat_nodes) {
		misc_deregister(&teeq_dev.priv_node);
		misc_deregister(&teeq_dev.compat_node);
	}
	misc_deregister(&teeq_dev.suppl_node);
	misc_deregister(&teeq_dev.client_node);
	teeq_sw_exit();
	teeq_uring_exit();
	/* sessions are freed after a grace period */
	rcu_barrier();
	WARN_ON(!xa_empty(&teeq_dev.shm_ids));
	WARN_ON(!xa_empty(&teeq_dev.session_ids));
	xa_destroy(&teeq_dev.shm_ids);
	xa_destroy(&teeq_dev.session_ids);
	kmem_cache_destroy(teeq_dev.shm_cache);
	kmem_cache_destroy(teeq_dev.ctx_cache);
	teeq_supp_destroy(&teeq_dev.supp);
}

module_init(teeq_init);
module_exit(teeq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("teeq: batched, zero-copy transport to a secure world");
MODULE_IMPORT_NS(DMA_BUF);
