// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring commands on the client node (uapi/teeq_uring.h): the requests of
 * the OPEN_SESSION, INVOKE and CLOSE_SESSION ioctls, queued without
 * waiting and answered in the submitter's task, plus cancel by user_data.
 *
 * A command's life:
 *   issue    (io_uring, in the submitter): the argument is read and checked
 *            by the ioctl's own code (teeq_op_prepare()) and the call goes
 *            to the backend as an asynchronous one (ops->submit), which
 *            queues it without waiting, for a credit neither. What would
 *            have to wait (the context's first call, a buffer's first
 *            registration) returns -EAGAIN under IO_URING_F_NONBLOCK, with
 *            nothing left behind: io_uring issues it again from its worker
 *            threads, where waiting is allowed.
 *   end      (any context): the backend hands the call back (done()),
 *            which queues task work to the submitter.
 *   answer   (task work, in the submitter): the outputs are written to the
 *            argument (teeq_op_finish()), then io_uring_cmd_done() posts the
 *            completion, so a client that sees it sees them.
 *
 * 6.1 gives a driver no way to hear that a command's ring or submitter is
 * gone (later kernels call uring_cmd with IO_URING_F_CANCEL), and io_uring
 * then waits for the command, or warns after five minutes. So a context
 * with commands in flight looks at them every TEEQ_URING_ORPHAN_MS: one
 * whose ring is closing, or whose submitter exits or execs, ends
 * -ECANCELED at once; the secure side is asked to cancel it, and the
 * backend keeps what it sent until it ends there.
 */
#include <linux/io_uring_types.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "teeq_private.h"

#define TEEQ_URING_ORPHAN_MS 100
/* Finished commands a context keeps for its next ones: no allocation per
 * command while a steady load stays under this. */
#define TEEQ_URING_CACHE 256

/* One command in flight; its io_uring_cmd's pdu points here. */
struct teeq_ucmd {
	struct teeq_acall acall;
	struct teeq_ctx *ctx;
	struct io_uring_cmd *ioucmd;
	struct list_head link; /* in ctx->ucmds, under ctx->ucmd_lock */
	struct teeq_ucmd *next_free; /* in ctx->ucmd_cache */
	u64 user_data;
	bool orphaned; /* ended -ECANCELED (under ctx->ucmd_lock) */
	struct teeq_op op;
};

static struct kmem_cache *teeq_ucmd_cache;

/* Off: every command is refused -EOPNOTSUPP, as by a kernel without the
 * hook, so that a client's fallback to the ioctls can be tested. */
static bool teeq_uring_on = true;
module_param_named(uring_cmd, teeq_uring_on, bool, 0644);
MODULE_PARM_DESC(uring_cmd, "take io_uring commands (default on)");

static void teeq_ucmd_done(struct teeq_acall *acall);

/* ---- what 6.1's io_uring tells a driver only through its request --------------- */

static struct teeq_ucmd *teeq_ucmd_of(struct io_uring_cmd *ioucmd)
{
	return *(struct teeq_ucmd **)ioucmd->pdu;
}

static u64 teeq_ucmd_user_data(struct io_uring_cmd *ioucmd)
{
	return cmd_to_io_kiocb(ioucmd)->cqe.user_data;
}

/* Nobody will reap the command: its ring is being torn down, or its
 * submitter is exiting or in exec (whose cancellation waits for it). */
static bool teeq_ucmd_orphan(struct io_uring_cmd *ioucmd)
{
	struct io_kiocb *req = cmd_to_io_kiocb(ioucmd);

	return percpu_ref_is_dying(&req->ctx->refs) ||
	       (READ_ONCE(req->task->flags) & PF_EXITING) ||
	       atomic_read(&req->task->io_uring->in_idle);
}

/* ---- a command's memory --------------------------------------------------------------- */

static void teeq_uring_orphan_arm(struct teeq_ctx *ctx)
{
	schedule_delayed_work(&ctx->orphan_work,
			      msecs_to_jiffies(TEEQ_URING_ORPHAN_MS));
}

static void teeq_ucmd_init(struct teeq_ucmd *uc, struct teeq_ctx *ctx,
			   struct io_uring_cmd *ioucmd)
{
	uc->ctx = ctx;
	uc->ioucmd = ioucmd;
	uc->user_data = teeq_ucmd_user_data(ioucmd);
	uc->orphaned = false;
	uc->acall.call = &uc->op.call;
	uc->acall.done = teeq_ucmd_done;
	uc->acall.qp = NULL;
	uc->acall.where = 0;
	*(struct teeq_ucmd **)ioucmd->pdu = uc;
	if (list_empty(&ctx->ucmds))
		teeq_uring_orphan_arm(ctx);
	list_add_tail(&uc->link, &ctx->ucmds);
}

/*
 * A command for @ioucmd, listed in flight at once (nothing of it is out
 * yet, so a CANCEL or the orphan work that finds it does nothing), from
 * the context's cache when it has one. NULL without memory.
 */
static struct teeq_ucmd *teeq_ucmd_get(struct teeq_ctx *ctx,
				       struct io_uring_cmd *ioucmd)
{
	struct teeq_ucmd *uc;

	spin_lock(&ctx->ucmd_lock);
	uc = ctx->ucmd_cache;
	if (uc) {
		ctx->ucmd_cache = uc->next_free;
		ctx->ucmd_cached--;
		teeq_ucmd_init(uc, ctx, ioucmd);
	}
	spin_unlock(&ctx->ucmd_lock);
	if (uc)
		return uc;
	uc = kmem_cache_alloc(teeq_ucmd_cache, GFP_KERNEL_ACCOUNT);
	if (!uc)
		return NULL;
	spin_lock(&ctx->ucmd_lock);
	teeq_ucmd_init(uc, ctx, ioucmd);
	spin_unlock(&ctx->ucmd_lock);
	return uc;
}

/* Off the in-flight list, into the cache (or freed). */
static void teeq_ucmd_put(struct teeq_ucmd *uc)
{
	struct teeq_ctx *ctx = uc->ctx;

	spin_lock(&ctx->ucmd_lock);
	list_del(&uc->link);
	if (ctx->ucmd_cached < TEEQ_URING_CACHE) {
		uc->next_free = ctx->ucmd_cache;
		ctx->ucmd_cache = uc;
		ctx->ucmd_cached++;
		uc = NULL;
	}
	spin_unlock(&ctx->ucmd_lock);
	if (uc)
		kmem_cache_free(teeq_ucmd_cache, uc);
}

/* ---- the answer ---------------------------------------------------------------------- */

/* Task work of the submitter (or io_uring's fallback worker, when the
 * submitter is gone): the outputs, then the completion. */
static void teeq_ucmd_answer(struct io_uring_cmd *ioucmd,
			     unsigned int issue_flags)
{
	struct teeq_ucmd *uc = teeq_ucmd_of(ioucmd);
	struct teeq_ctx *ctx = uc->ctx;
	const struct teeq_cqe *cqe = &uc->op.call.cqe;
	/* only the submitter writes to its memory, and not while exiting */
	bool to_user = current->mm &&
		       !(current->flags & (PF_EXITING | PF_KTHREAD));
	u64 res2 = 0;
	int res;

	if (uc->orphaned) {
		teeq_op_abort(&uc->op);
		res = -ECANCELED;
	} else {
		res = teeq_op_finish(ctx, &uc->op, to_user);
		if (!res)
			res2 = cqe->result | (u64)cqe->origin << 32;
	}
	teeq_ucmd_put(uc);
	teeq_stat_dec(uring_in_flight);
	io_uring_cmd_done(ioucmd, res, res2, issue_flags);
}

/* The backend is done with the call, from any context. */
static void teeq_ucmd_done(struct teeq_acall *acall)
{
	struct teeq_ucmd *uc = container_of(acall, struct teeq_ucmd, acall);

	io_uring_cmd_complete_in_task(uc->ioucmd, teeq_ucmd_answer);
}

/* ---- commands whose ring or submitter went away --------------------------------------- */

static void teeq_uring_orphan_work(struct work_struct *work)
{
	struct teeq_ctx *ctx = container_of(to_delayed_work(work),
					    struct teeq_ctx, orphan_work);
	struct teeq_ucmd *uc;

	spin_lock(&ctx->ucmd_lock);
	list_for_each_entry(uc, &ctx->ucmds, link) {
		if (uc->orphaned || !teeq_ucmd_orphan(uc->ioucmd) ||
		    !teeq_dev.ops->abandon(ctx, &uc->acall))
			continue;
		uc->orphaned = true;
		teeq_stat_inc(uring_orphaned);
		io_uring_cmd_complete_in_task(uc->ioucmd, teeq_ucmd_answer);
	}
	if (!list_empty(&ctx->ucmds))
		teeq_uring_orphan_arm(ctx);
	spin_unlock(&ctx->ucmd_lock);
}

void teeq_uring_ctx_init(struct teeq_ctx *ctx)
{
	spin_lock_init(&ctx->ucmd_lock);
	INIT_LIST_HEAD(&ctx->ucmds);
	ctx->ucmd_cache = NULL;
	ctx->ucmd_cached = 0;
	INIT_DELAYED_WORK(&ctx->orphan_work, teeq_uring_orphan_work);
}

/* Every command holds the context's file: none is left, and the orphan
 * work stops for good. */
void teeq_uring_ctx_release(struct teeq_ctx *ctx)
{
	struct teeq_ucmd *uc;

	WARN_ON(!list_empty(&ctx->ucmds));
	cancel_delayed_work_sync(&ctx->orphan_work);
	while ((uc = ctx->ucmd_cache)) {
		ctx->ucmd_cache = uc->next_free;
		kmem_cache_free(teeq_ucmd_cache, uc);
	}
}

/* ---- issue ------------------------------------------------------------------------------ */

/* TEEQ_URING_CMD_CANCEL: answered at once, the cancelled ones later. */
static int teeq_uring_cancel(struct teeq_ctx *ctx,
			     const struct teeq_uring_cmd *cmd)
{
	struct teeq_ucmd *uc;
	int found = 0;

	if (cmd->arg_len)
		return -EINVAL;
	teeq_stat_inc(uring_cancels);
	spin_lock(&ctx->ucmd_lock);
	list_for_each_entry(uc, &ctx->ucmds, link) {
		if (uc->user_data != cmd->arg || uc->orphaned)
			continue;
		found++;
		teeq_dev.ops->cancel_async(ctx, &uc->acall);
	}
	spin_unlock(&ctx->ucmd_lock);
	return found ? found : -ENOENT;
}

int teeq_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct teeq_ctx *ctx = ioucmd->file->private_data;
	bool may_wait = !(issue_flags & IO_URING_F_NONBLOCK);
	struct teeq_uring_cmd cmd;
	struct teeq_ucmd *uc;
	int ret;

	if (!READ_ONCE(teeq_uring_on))
		return -EOPNOTSUPP;
	/* one copy: the SQE is the submitter's to rewrite meanwhile */
	memcpy(&cmd, ioucmd->cmd, sizeof(cmd));
	/* fixed buffers mean nothing here; flags are refused until defined */
	if (ioucmd->flags || cmd.flags)
		return -EINVAL;
	switch (ioucmd->cmd_op) {
	case TEEQ_URING_CMD_OPEN_SESSION:
	case TEEQ_URING_CMD_INVOKE:
	case TEEQ_URING_CMD_CLOSE_SESSION:
		break;
	case TEEQ_URING_CMD_CANCEL:
		return teeq_uring_cancel(ctx, &cmd);
	default:
		return -EINVAL;
	}
	uc = teeq_ucmd_get(ctx, ioucmd);
	if (!uc)
		return -ENOMEM;
	if (ioucmd->cmd_op == TEEQ_URING_CMD_CLOSE_SESSION) {
		ret = -EINVAL;
		if (!cmd.arg_len && cmd.arg <= U32_MAX)
			ret = teeq_op_prepare_close(ctx, &uc->op, (u32)cmd.arg);
		/* a context with a session is past its first call: nothing
		 * waits, and the session is already gone for the client */
		may_wait = true;
	} else {
		ret = teeq_op_prepare(ctx, &uc->op,
				      ioucmd->cmd_op == TEEQ_URING_CMD_INVOKE ?
					      TEEQ_OP_INVOKE :
					      TEEQ_OP_OPEN_SESSION,
				      cmd.arg, cmd.arg_len, may_wait);
		/* cancellable by its user_data, whatever its cancel_id */
		uc->op.call.cancellable = true;
	}
	if (ret)
		goto out_put;
	teeq_stat_inc(uring_cmds);
	ret = uc->op.ended ? 1 :
			     teeq_dev.ops->submit(ctx, &uc->acall, may_wait);
	if (!ret) {
		teeq_stat_inc(uring_in_flight);
		return -EIOCBQUEUED;
	}
	if (ret == 1) {
		/* ended before it reached the secure side: answered now */
		ret = teeq_op_finish(ctx, &uc->op, true);
	} else {
		teeq_stat_dec(uring_cmds);
		teeq_op_abort(&uc->op);
	}
out_put:
	teeq_ucmd_put(uc);
	return ret;
}

/* ---- what the driver's commands are ----------------------------------------------------- */

long teeq_uring_ioctl_info(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_uring_info info;

	if (copy_from_user(&info, uarg, sizeof(info)))
		return -EFAULT;
	if (info.flags)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.version = TEEQ_URING_VERSION;
	info.features = TEEQ_URING_FEAT_ALL;
	info.qp_credits = teeq_dev.qp_credits;
	info.qpairs = teeq_dev.qpairs;
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

int teeq_uring_init(void)
{
	/* the argument and its parameters are copied to and from user
	 * space: that part of the object alone (hardened usercopy) */
	size_t from = offsetof(struct teeq_ucmd, op.arg);

	teeq_ucmd_cache = kmem_cache_create_usercopy(
		"teeq_ucmd", sizeof(struct teeq_ucmd),
		__alignof__(struct teeq_ucmd), 0, from,
		offsetofend(struct teeq_ucmd, op.params) - from, NULL);
	return teeq_ucmd_cache ? 0 : -ENOMEM;
}

void teeq_uring_exit(void)
{
	kmem_cache_destroy(teeq_ucmd_cache);
}
