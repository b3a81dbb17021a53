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
	do
		ctx->id = (u32)atomic_inc_return(&teeq_ctx_next);
	while (!ctx->id);
	ctx->privileged = node == &teeq_dev.priv_node;
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
 * num_params at @np_off) and its parameters; every size is checked
 * against the buffer the caller described.
 */
static int teeq_arg_read(void __user *ubuf, void *arg, size_t fixed,
			 size_t np_off, struct teeq_ioctl_param *params,
			 void __user **uarg)
{
	struct teeq_ioctl_buf_data buf;
	u32 num_params;

	if (copy_from_user(&buf, ubuf, sizeof(buf)))
		return -EFAULT;
	if (buf.buf_len > TEEQ_MAX_ARG_SIZE || buf.buf_len < fixed)
		return -EINVAL;
	*uarg = u64_to_user_ptr(buf.buf_ptr);
	if (copy_from_user(arg, *uarg, fixed))
		return -EFAULT;
	memcpy(&num_params, (char *)arg + np_off, sizeof(num_params));
	/* the wire carries four: more is refused, never cut */
	if (num_params > TEEQ_NUM_PARAMS ||
	    fixed + num_params * sizeof(*params) != buf.buf_len)
		return -EINVAL;
	if (copy_from_user(params, (char __user *)*uarg + fixed,
			   num_params * sizeof(*params)))
		return -EFAULT;
	return 0;
}

static int teeq_arg_write(void __user *uarg, const void *arg, size_t fixed,
			  const struct teeq_ioctl_param *params, u32 num_params)
{
	if (copy_to_user(uarg, arg, fixed) ||
	    copy_to_user((char __user *)uarg + fixed, params,
			 num_params * sizeof(*params)))
		return -EFAULT;
	return 0;
}

/* ---- parameters -------------------------------------------------------------------- */

void teeq_call_end(struct teeq_call *call, u32 result)
{
	call->cqe = (struct teeq_cqe){ .result = result,
				       .origin = TEEQ_ORIGIN_COMMS };
}

/* The call to make once the parameters are on the wire; a secure side
 * that is not there ends it TARGET_DEAD, as upstream's communication
 * errors end a call with a result rather than an errno. */
static int teeq_call(struct teeq_ctx *ctx, struct teeq_call *call, int ret)
{
	if (ret == -TEEQ_ENOTARGET) {
		teeq_call_end(call, TEEQ_ERROR_TARGET_DEAD);
		return 0;
	}
	return ret ? ret : teeq_dev.ops->call(ctx, call);
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

/* One memref parameter onto the wire; takes a reference to its shm. */
static int teeq_param_memref(struct teeq_ctx *ctx, struct teeq_call *call,
			     int i, const struct teeq_ioctl_param *p,
			     unsigned int type)
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
	if (!shm->wire_id) {
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
			  const struct teeq_ioctl_param *params, u32 num)
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
			ret = teeq_param_memref(ctx, call, i, p, type);
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
			     TEEQ_IMPL_CAP_REGISTER_FD,
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

static long teeq_ioctl_open_session(struct teeq_ctx *ctx, void __user *ubuf)
{
	struct teeq_ioctl_param params[TEEQ_NUM_PARAMS];
	struct teeq_ioctl_open_session_arg arg;
	struct teeq_call call = {};
	struct teeq_session *sess;
	void __user *uarg;
	u32 id;
	int ret;

	ret = teeq_arg_read(ubuf, &arg, sizeof(arg),
			    offsetof(typeof(arg), num_params), params, &uarg);
	if (ret)
		return ret;
	ret = teeq_login(&arg, &call.sqe.login_data);
	if (ret)
		return ret;
	call.sqe.opcode = TEEQ_OP_OPEN_SESSION;
	call.sqe.func = arg.clnt_login;
	memcpy(call.sqe.uuid.b, arg.uuid, sizeof(call.sqe.uuid.b));
	call.cancel_id = arg.cancel_id;

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

	ret = teeq_call(ctx, &call,
			teeq_params_in(ctx, &call, params, arg.num_params));
	if (ret)
		goto out_free;
	ret = teeq_params_out(&call, params, arg.num_params);
	arg.ret = call.cqe.result;
	arg.ret_origin = call.cqe.origin;
	arg.session = 0;
	if (call.cqe.result == TEEQ_SUCCESS) {
		mutex_lock(&ctx->lock);
		WRITE_ONCE(sess->wire_id, call.cqe.session);
		list_add(&sess->link, &ctx->sessions);
		mutex_unlock(&ctx->lock);
		teeq_stat_inc(sessions);
		arg.session = id;
		sess = NULL;
	}
	if (!ret)
		ret = teeq_arg_write(uarg, &arg, sizeof(arg), params,
				     arg.num_params);
out_free:
	teeq_call_release(&call);
	if (sess) {
		xa_erase(&teeq_dev.session_ids, id);
		kfree(sess);
	}
	return ret;
}

static long teeq_ioctl_invoke(struct teeq_ctx *ctx, void __user *ubuf)
{
	struct teeq_ioctl_param params[TEEQ_NUM_PARAMS];
	struct teeq_ioctl_invoke_arg arg;
	struct teeq_call call = {};
	void __user *uarg;
	int ret;

	ret = teeq_arg_read(ubuf, &arg, sizeof(arg),
			    offsetof(typeof(arg), num_params), params, &uarg);
	if (ret)
		return ret;
	call.sqe.opcode = TEEQ_OP_INVOKE;
	call.sqe.func = arg.func;
	call.sqe.session = teeq_session_wire_id(ctx, arg.session);
	if (!call.sqe.session)
		return -EINVAL;
	call.session = arg.session;
	call.cancel_id = arg.cancel_id;
	ret = teeq_call(ctx, &call,
			teeq_params_in(ctx, &call, params, arg.num_params));
	if (!ret)
		ret = teeq_params_out(&call, params, arg.num_params);
	teeq_call_release(&call);
	if (ret)
		return ret;
	arg.ret = call.cqe.result;
	arg.ret_origin = call.cqe.origin;
	return teeq_arg_write(uarg, &arg, sizeof(arg), params, arg.num_params);
}

static long teeq_ioctl_close_session(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_close_session_arg arg;
	struct teeq_call call = {};
	struct teeq_session *sess;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	mutex_lock(&ctx->lock);
	sess = xa_load(&teeq_dev.session_ids, arg.session);
	if (!sess || sess->ctx != ctx || !sess->wire_id) {
		mutex_unlock(&ctx->lock);
		return -EINVAL;
	}
	/* gone for the client before the secure side hears of it */
	xa_erase(&teeq_dev.session_ids, arg.session);
	list_del(&sess->link);
	mutex_unlock(&ctx->lock);
	teeq_stat_dec(sessions);

	call.sqe.opcode = TEEQ_OP_CLOSE_SESSION;
	call.sqe.session = sess->wire_id;
	call.session = arg.session;
	kfree_rcu(sess, rcu);
	/* the session is closed for the client whatever the secure side
	 * answers; a dead one has closed it already */
	teeq_dev.ops->call(ctx, &call);
	return 0;
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
		return teeq_ioctl_open_session(ctx, uarg);
	case TEEQ_IOC_INVOKE:
		return teeq_ioctl_invoke(ctx, uarg);
	case TEEQ_IOC_CANCEL:
		return teeq_ioctl_cancel(ctx, uarg);
	case TEEQ_IOC_CLOSE_SESSION:
		return teeq_ioctl_close_session(ctx, uarg);
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
	ret = teeq_sw_init();
	if (ret)
		goto err_caches;
	ret = teeq_node_add(&teeq_dev.client_node, "teeq0", 0666);
	if (ret)
		goto err_sw;
	/* the device our dma-bufs sync the CPU's view through: no limit on
	 * the addresses of its pages */
	ret = dma_coerce_mask_and_coherent(teeq_dev.client_node.this_device,
					   DMA_BIT_MASK(64));
	if (ret)
		goto err_client;
	if (compat_nodes) {
		ret = teeq_node_add(&teeq_dev.compat_node, "tee0", 0666);
		if (ret)
			goto err_client;
		/* the supplicant's node: root's, as upstream's udev rules
		 * give it to the supplicant's user only */
		ret = teeq_node_add(&teeq_dev.priv_node, "teepriv0", 0600);
		if (ret)
			goto err_compat;
	}
	return 0;

err_compat:
	misc_deregister(&teeq_dev.compat_node);
err_client:
	misc_deregister(&teeq_dev.client_node);
err_sw:
	teeq_sw_exit();
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
	misc_deregister(&teeq_dev.client_node);
	teeq_sw_exit();
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
