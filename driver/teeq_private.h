/* SPDX-License-Identifier: GPL-2.0 */
/*
 * teeq.ko internals: the generic core (device nodes, contexts, sessions,
 * shared memory, the ioctl ABI) and the backend interface it reaches the
 * secure world through, in the shape of drivers/tee's tee_driver_ops.
 *
 *   teeq_core.c     /dev/teeq0 (and /dev/tee0): contexts, sessions, the
 *                   ioctls and their validation, parameters; a client
 *                   request's life (struct teeq_op)
 *   teeq_uring.c    the same requests as io_uring commands (uring_cmd):
 *                   queued without waiting, completed in the submitter
 *   teeq_shm.c      shared-memory objects: allocated, registered user
 *                   pages, imported dma-bufs; ids and lifetimes
 *   teeq_dmabuf.c   the dma-buf exporter over a page array
 *   teeq_supp.c     /dev/teepriv0: supplicant requests and responses
 *   teeq_sw.c       the backend of this module: /dev/teeqsw0, where the
 *                   secure world (teeq-sw) attaches, and the channels
 *   teeq_chan.c     one context's channel: region, rings, calls in flight
 *   teeq_ring.c     the ring protocol's code, shared with user space
 *
 * A backend that talks to a real secure OS (an SMC or FF-A conduit)
 * implements the same ops; nothing in the core knows about rings.
 */
#ifndef TEEQ_PRIVATE_H
#define TEEQ_PRIVATE_H

#include <linux/completion.h>
#include <linux/dma-buf.h>
#include <linux/io_uring.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/version.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "uapi/teeq_ioctl.h"
#include "uapi/teeq_ring.h"
#include "uapi/teeq_swdev.h"
#include "uapi/teeq_uring.h"

struct teeq_ctx;
struct teeq_shm;
struct teeq_call;
struct teeq_acall;

/* ---- the few kernel APIs that moved after 6.1 ------------------------------ */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define teeq_vm_flags_set(vma, flags) vm_flags_set(vma, flags)
#else
#define teeq_vm_flags_set(vma, flags) ((vma)->vm_flags |= (flags))
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define teeq_eventfd_signal(ctx) eventfd_signal(ctx)
#else
#define teeq_eventfd_signal(ctx) eventfd_signal(ctx, 1)
#endif

/* A backend's answer when the secure side is not there (never attached,
 * gone, or the context's channel died): the call ends TARGET_DEAD. */
#define TEEQ_ENOTARGET ENODEV

/* ---- the backend interface ------------------------------------------------ */

struct teeq_backend_ops {
	/* Per-context state; called at open. */
	int (*ctx_init)(struct teeq_ctx *ctx);
	/* The context's file is gone, and so is every call it waited for:
	 * close its sessions in the secure world, let go of its buffers
	 * once the secure side is done with them. Cannot fail. */
	void (*ctx_release)(struct teeq_ctx *ctx);
	/* Memory from the backend's pool for @shm->size bytes: fills
	 * shm->pages, shm->nr_pages and the backend's reference. */
	int (*shm_alloc)(struct teeq_ctx *ctx, struct teeq_shm *shm);
	void (*shm_free)(struct teeq_shm *shm);
	/* Memory from outside the pool, on its first use in a call: make it
	 * reachable by the secure side and set shm->wire_id. May sleep. */
	int (*shm_register)(struct teeq_ctx *ctx, struct teeq_shm *shm);
	/* @shm is being freed: no call uses it. */
	void (*shm_unregister)(struct teeq_shm *shm);
	/*
	 * One call whose parameters the core checked: submit it, wait for
	 * its completion and fill call->cqe. Returns 0 with the result in
	 * the completion (TARGET_DEAD / COMMS included), or -errno when the
	 * call never reached the secure side. A fatal signal abandons the
	 * wait: the backend then keeps the call's references until the
	 * secure side is done and releases them with teeq_call_release().
	 */
	int (*call)(struct teeq_ctx *ctx, struct teeq_call *call);
	/* Ask the secure side to cancel the context's calls in flight that
	 * carry @cancel_id (and @session, if not 0). Never waits. */
	void (*cancel)(struct teeq_ctx *ctx, u32 cancel_id, u32 session);
	/*
	 * An asynchronous call whose parameters the core checked: queue it
	 * without waiting, for a credit neither. Returns 0 when queued: the
	 * backend then calls acall->done() once, from any context, when the
	 * call ended (references and completion back in *acall->call);
	 * 1 when it ended at once (a secure side that is not there), done()
	 * not called; -EAGAIN when queuing it would have to wait for the
	 * secure side and @may_wait is false; another -errno when it never
	 * reached the backend.
	 */
	int (*submit)(struct teeq_ctx *ctx, struct teeq_acall *acall,
		      bool may_wait);
	/* Cancel @acall: one still waiting in the backend ends at once
	 * (TEEQ_ERROR_CANCEL, done() called), one at the secure side is
	 * cancelled there. Never waits; any context. */
	void (*cancel_async)(struct teeq_ctx *ctx, struct teeq_acall *acall);
	/* Nobody waits for @acall any more: true when the backend let go of
	 * it (done() will not be called, and the references are the
	 * backend's to drop if it sent the call); false when done() was or
	 * will be called. Cancels what it let go of. Any context. */
	bool (*abandon)(struct teeq_ctx *ctx, struct teeq_acall *acall);
};

/* ---- the device ---------------------------------------------------------------- */

struct teeq_supp {
	struct mutex lock;
	struct teeq_ctx *ctx; /* the supplicant, or NULL */
	struct idr reqs; /* id -> struct teeq_supp_req, or an error poison */
	struct list_head queue; /* requests the supplicant has not seen */
	struct completion queued; /* a request joined the queue */
	int req_id; /* synchronous supplicant: the request it holds */
};

struct teeq_stats {
	atomic64_t contexts, channels, sessions, shms, heap_pages, in_flight;
	atomic64_t calls, calls_dead, cqe_forged, cqe_duplicate, cqe_late;
	atomic64_t cqe_malformed, sq_doorbells, cq_doorbells;
	atomic64_t sw_sessions_closed, broken, supp_requests, attaches;
	atomic64_t uring_cmds, uring_in_flight, uring_cancels, uring_orphaned;
	atomic64_t credit_waits, sq_publishes;
};

struct teeq_device {
	struct miscdevice client_node; /* /dev/teeq0 */
	struct miscdevice compat_node; /* /dev/tee0, with compat_nodes */
	struct miscdevice priv_node; /* /dev/teepriv0, with compat_nodes */
	struct miscdevice suppl_node; /* /dev/teeqpriv0: the same, always */
	const struct teeq_backend_ops *ops;
	struct xarray shm_ids; /* id -> struct teeq_shm *, all contexts */
	u32 shm_next;
	struct xarray session_ids; /* id -> struct teeq_session * */
	u32 session_next;
	struct teeq_supp supp;
	struct teeq_stats stats;
	u32 qp_credits, qpairs; /* the backend's, for TEEQ_IOC_URING_INFO */
	struct kmem_cache *ctx_cache, *shm_cache;
};

extern struct teeq_device teeq_dev;

#define teeq_stat_inc(name) atomic64_inc(&teeq_dev.stats.name)
#define teeq_stat_dec(name) atomic64_dec(&teeq_dev.stats.name)
#define teeq_stat_add(name, n) atomic64_add(n, &teeq_dev.stats.name)

/* ---- contexts and sessions ------------------------------------------------------ */

struct teeq_ctx {
	struct kref ref; /* the file, shared memory, the backend's channel */
	u32 id; /* nonzero; names the context to the secure side */
	bool privileged; /* opened through /dev/teepriv0 */
	bool released; /* the file is gone */
	/* the opener, as the secure side's logins see it */
	u32 uid, gid, pid;
	struct mutex lock; /* sessions list; the backend's binding */
	struct list_head sessions;
	void *backend; /* the backend's per-context state */
	/* io_uring commands in flight (teeq_uring.c) */
	spinlock_t ucmd_lock;
	struct list_head ucmds;
	void *ucmd_cache; /* finished ones, for the next: a stack */
	u32 ucmd_cached;
	struct delayed_work orphan_work; /* ends those whose ring is gone */
};

struct teeq_session {
	struct rcu_head rcu;
	struct list_head link; /* in ctx->sessions, under ctx->lock */
	struct teeq_ctx *ctx;
	u32 id; /* what the client names it by */
	u32 wire_id; /* the secure side's id */
};

void teeq_ctx_put(struct teeq_ctx *ctx);

/* ---- shared memory ---------------------------------------------------------------- */

enum teeq_shm_kind {
	TEEQ_SHM_POOL, /* TEEQ_IOC_SHM_ALLOC: the backend's pool */
	TEEQ_SHM_USER, /* TEEQ_IOC_SHM_REGISTER: the caller's pinned pages */
	TEEQ_SHM_DMABUF, /* TEEQ_IOC_SHM_REGISTER_FD: an imported dma-buf */
	TEEQ_SHM_TEMP, /* a temporary memref's copy, in the pool, one call */
};

/* Pinned user pages: shared by the shm and the secure side's mapping. */
struct teeq_pin {
	struct kref ref;
	struct page **pages;
	unsigned long nr_pages;
};

/* A dma-buf this module exports over an array of pages. */
struct teeq_export {
	struct page **pages;
	unsigned long nr_pages;
	size_t size;
	/* the dma-buf is gone: drop what the export held */
	void (*release)(struct teeq_export *exp);
	struct sg_table *cpu_sgt; /* for begin/end_cpu_access */
	enum dma_data_direction cpu_dir;
};

struct teeq_shm {
	struct rcu_head rcu;
	struct kref ref; /* the client's fd, each call using it */
	struct teeq_ctx *ctx; /* holds a context reference */
	enum teeq_shm_kind kind;
	int id; /* in teeq_dev.shm_ids; 0 for TEMP */
	u64 size; /* bytes the client asked for / registered */
	unsigned int page_off; /* USER: the first byte in pages[0] */
	unsigned int access; /* TEEQ_SWDEV_BUF_* the secure side may do */
	/* POOL, USER, TEMP: the memory */
	struct page **pages;
	unsigned long nr_pages;
	/* POOL, TEMP: where in the pool (the heap, for the ring backend) */
	u64 pool_off;
	struct teeq_export export; /* POOL: the client's dma-buf */
	struct teeq_pin *pin; /* USER */
	struct dma_buf *dmabuf; /* DMABUF: the imported buffer */
	/* the secure side's name for it: set by the pool for POOL and
	 * TEMP, on first use for USER and DMABUF (under reg_lock) */
	struct mutex reg_lock;
	u32 wire_id;
	void *backend; /* the backend's own (registration) */
};

struct teeq_shm *teeq_shm_lookup(struct teeq_ctx *ctx, int id);
void teeq_shm_put(struct teeq_shm *shm);
struct teeq_shm *teeq_shm_temp_alloc(struct teeq_ctx *ctx, u64 size);
int teeq_shm_copy(struct teeq_shm *shm, u64 off, void __user *ubuf, u64 len,
		  bool to_user);
long teeq_shm_ioctl_alloc(struct teeq_ctx *ctx, void __user *uarg);
long teeq_shm_ioctl_register(struct teeq_ctx *ctx, void __user *uarg);
long teeq_shm_ioctl_register_fd(struct teeq_ctx *ctx, void __user *uarg);
/* The secure side's view of a registered buffer (USER or DMABUF): a
 * new reference to a file it can mmap. */
struct file *teeq_shm_sw_file(struct teeq_shm *shm);
void teeq_pin_put(struct teeq_pin *pin);

/* teeq_dmabuf.c */
struct dma_buf *teeq_export_dmabuf(struct teeq_export *exp, int flags);

/* ---- calls ---------------------------------------------------------------------------- */

/*
 * One call, from the ioctl to the secure side and back. The core fills the
 * entry and takes the references; the backend owns the call while it is in
 * flight (a copy of it, for a call whose waiter was killed).
 */
struct teeq_call {
	struct teeq_sqe sqe; /* stamp and user_data are the backend's */
	struct teeq_cqe cqe; /* the validated completion */
	struct teeq_shm *shm[TEEQ_NUM_PARAMS]; /* references held */
	u32 window[TEEQ_NUM_PARAMS]; /* memref sizes submitted */
	u32 cancel_id; /* the client's (0: none) */
	u32 session; /* the client's session id, 0 for OPEN_SESSION */
	/* the secure side can cancel it (a client's cancel_id, or any
	 * asynchronous call, which may be cancelled by its user_data) */
	bool cancellable;
};

/*
 * A call the core does not wait for (an io_uring command): it holds the
 * call while the backend queues it, and the backend hands it back with
 * done(). The rest is the backend's bookkeeping.
 */
struct teeq_acall {
	struct teeq_call *call;
	void (*done)(struct teeq_acall *acall);
	/* the backend's */
	struct list_head link; /* in a queue pair's backlog */
	struct teeq_acall *next_done; /* ended, to hand back */
	void *qp;
	u32 slot, gen; /* where it is at the secure side */
	u8 where; /* the backend's TEEQ_ACALL_* */
};

/*
 * One client request (OPEN_SESSION, INVOKE, CLOSE_SESSION) from its
 * argument to its answer, whether the ioctl waits for it or an io_uring
 * command does not: teeq_op_prepare() reads and checks the argument and
 * builds the call; teeq_op_finish() writes the answer back and lets go of
 * everything the request held.
 */
struct teeq_op {
	u8 opcode; /* TEEQ_OP_* */
	bool ended; /* the call ended before it reached the backend */
	void __user *uarg; /* the argument struct, written back */
	union {
		struct teeq_ioctl_open_session_arg open;
		struct teeq_ioctl_invoke_arg invoke;
	} arg;
	u32 num_params;
	struct teeq_ioctl_param params[TEEQ_NUM_PARAMS];
	struct teeq_session *sess; /* OPEN_SESSION: the session to be */
	struct teeq_call call;
};

/* -EAGAIN if it would have to wait for the secure side and !@may_wait. */
int teeq_op_prepare(struct teeq_ctx *ctx, struct teeq_op *op, u8 opcode,
		    u64 buf_ptr, u64 buf_len, bool may_wait);
int teeq_op_prepare_close(struct teeq_ctx *ctx, struct teeq_op *op,
			  u32 session);
/* The call ended (op->call.cqe): the answer to the client, if @to_user
 * (else the client is gone), and everything released. 0 or -errno. */
int teeq_op_finish(struct teeq_ctx *ctx, struct teeq_op *op, bool to_user);
/* Lets go of a prepared op whose call never went out. */
void teeq_op_abort(struct teeq_op *op);

/* Drops the references a call holds (the backend, for an abandoned one). */
void teeq_call_release(struct teeq_call *call);
/* Ends @call without the secure side: @result, origin COMMS. */
void teeq_call_end(struct teeq_call *call, u32 result);
/* Checks a completion against its call; false: refuse it. */
bool teeq_call_cqe_valid(const struct teeq_call *call,
			 const struct teeq_cqe *cqe);

/* ---- io_uring commands (teeq_uring.c) ------------------------------------------ */

void teeq_uring_ctx_init(struct teeq_ctx *ctx);
/* The context's file is going: no command is in flight any more. */
void teeq_uring_ctx_release(struct teeq_ctx *ctx);
int teeq_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
long teeq_uring_ioctl_info(struct teeq_ctx *ctx, void __user *uarg);
int teeq_uring_init(void);
void teeq_uring_exit(void);

/* ---- the supplicant ---------------------------------------------------------------- */

void teeq_supp_init(struct teeq_supp *supp);
void teeq_supp_destroy(struct teeq_supp *supp);
int teeq_supp_open(struct teeq_ctx *ctx);
void teeq_supp_release(struct teeq_ctx *ctx);
long teeq_supp_ioctl_recv(struct teeq_ctx *ctx, void __user *uarg);
long teeq_supp_ioctl_send(struct teeq_ctx *ctx, void __user *uarg);
/* A request from the secure side (TEEQ_SWDEV_IOC_SUPP_CALL), its
 * parameters checked here: 0 with c->ret and the outputs set, or -errno
 * (-ETIMEDOUT with c->ret set too). */
int teeq_supp_call(struct teeq_swdev_supp_call *c);
/* TEEQ_SWDEV_IOC_SUPP_SHM */
long teeq_supp_ioctl_shm(void __user *uarg);

/* ---- the ring backend -------------------------------------------------------------- */

extern const struct teeq_backend_ops teeq_sw_ops;
int teeq_sw_init(void);
void teeq_sw_exit(void);

#endif /* TEEQ_PRIVATE_H */
