// SPDX-License-Identifier: MIT
/*
 * Kernel mode: libteeq over the client node of the teeq driver
 * (/dev/teeq0, docs/kernel.md) and its classic TEE ioctls
 * (uapi/teeq_ioctl.h). A context is an open node; the driver owns the
 * rings to the secure world, checks every argument again, and sets every
 * identity from our credentials.
 *
 * The transport (teeq_kdev_ops) sits under the same call lifecycle as host
 * mode's rings (queue.c): entries are got (into the pair's stage, not a
 * shared ring), and completions checked, as there; each entry becomes one
 * ioctl or one io_uring command, whose answer becomes a completion.
 *   - a solo call runs its ioctl on the calling thread (call);
 *   - an async queue's calls (its pair is exclusive) go as io_uring
 *     commands (IORING_OP_URING_CMD, uapi/teeq_uring.h) on a ring of the
 *     pair: a batch is one io_uring_enter, and a reap takes every
 *     completion there. Where the kernel takes no such command on the
 *     node, they go as the shared pair's do, said once on stderr;
 *   - the shared pair's tagged calls go to a few helper threads of the
 *     pair, which run their ioctls (each blocks until its call ends) and
 *     post the completions to the pair's list: the publisher goes on at
 *     once, and a call that waits in its trusted app holds up no other. A
 *     session's calls keep their order, as host mode's ring keeps it: one
 *     runs only once the one before it on the pair has ended;
 *   - a cancellation is the CANCEL ioctl, from any thread, which reaches
 *     ioctls and commands alike; a call still queued for a helper is
 *     marked instead, and refused when its turn comes (TEEC_ERROR_CANCEL
 *     from the TEE, as teeq-sw refuses one that had not started).
 * Memory is the driver's: allocations come from its pool as dma-bufs we
 * map, registrations pin our pages, memfds and dma-bufs are imported, and
 * temporary memrefs go by address for the driver to copy.
 */
#include "client/internal.h"

#include "shm/memfd.h"
#include "uapi/teeq_ioctl.h"
#include "uapi/teeq_uring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEEQ_KDEV_NODE "/dev/teeq0"
#define TEEQ_KDEV_HEAP_MB "/sys/module/teeq/parameters/heap_mb"
/* Helper threads of a pair at most: as many of its tagged calls can wait
 * in the secure world at once; more run as helpers come free. */
#define TEEQ_KDEV_HELPERS 8
/* A helper's stack: an ioctl's arguments and little else. */
#define TEEQ_KDEV_STACK (256 * 1024)
/* The user_data of a command whose completion answers no call of ours
 * (the probe, cancellations); a call's is its slot's index. */
#define TEEQ_KDEV_NOT_A_CALL UINT64_MAX

struct teeq_kqp;
union teeq_karg;

struct teeq_khelper {
	struct teeq_kqp *k;
	pthread_t thread;
	/* the call it runs, under the pair's lock: busy, its session (0 for
	 * an open) and cancel id (0: not cancellable) */
	int busy;
	uint32_t session, cancel_id;
};

/* A tagged call waiting for a helper. */
struct teeq_kentry {
	struct teeq_sqe sqe;
	struct teeq_kentry *next;
	int cancelled; /* refused when its turn comes */
};

/*
 * A pair's state in kernel mode: the calls waiting for a helper, oldest
 * first, in entries of their own, and a FIFO of completions for ready().
 * Neither outgrows the depth: no more calls are in flight on a pair.
 */
struct teeq_kqp {
	struct teeq_chan *chan;
	uint32_t mask; /* depth - 1 */
	pthread_mutex_t lock; /* all below but cq_head */
	pthread_cond_t work; /* calls for the helpers, or stop */
	pthread_cond_t done; /* a completion was posted */
	struct teeq_kentry *entries; /* depth of them */
	struct teeq_kentry *free; /* entries not in use */
	struct teeq_kentry *queue, **queue_end; /* waiting, oldest first */
	struct teeq_cqe *cq;
	uint32_t cq_head; /* the consumer's: the lessee, or the shared
			   * pair's lock holder */
	uint32_t cq_tail;
	uint32_t nr_helpers, idle; /* started, of which not in a call */
	int stop;
	struct teeq_khelper helper[TEEQ_KDEV_HELPERS];
	/* io_uring commands, an exclusive pair's (an async queue's): 0 not
	 * tried yet, 1 in use, -1 the helpers instead */
	int uring;
	int fixed; /* the node is the ring's registered file 0 */
	struct io_uring ring;
	struct teeq_kslot *slots; /* depth of them, each a call's argument */
	uint32_t *free_slots, nr_free_slots;
};

/* ---- which secure world ------------------------------------------------- */

static int teeq_kdev_copy(char *path, size_t len, const char *node)
{
	if (strlen(node) >= len)
		return -ENAMETOOLONG;
	strcpy(path, node);
	return 1;
}

int teeq_kdev_choose(const char *name, char *path, size_t len)
{
	const char *mode = secure_getenv("TEEQ_MODE");
	struct stat st;

	if (name && name[0] == '/')
		return !stat(name, &st) && S_ISCHR(st.st_mode) ?
			       teeq_kdev_copy(path, len, name) :
			       0;
	if (!mode || !*mode)
		return access(TEEQ_KDEV_NODE, F_OK) ?
			       0 :
			       teeq_kdev_copy(path, len, TEEQ_KDEV_NODE);
	if (!strcmp(mode, "host"))
		return 0;
	if (!strcmp(mode, "kernel"))
		return teeq_kdev_copy(path, len, TEEQ_KDEV_NODE);
	return -EINVAL; /* a mode we do not know: said, not guessed */
}

/* ---- one entry, one ioctl ------------------------------------------------- */

/* An ioctl the driver refused: the call never reached the secure world.
 * Refusals are the TEE's (its kernel part), as upstream's clients see. */
static void teeq_kdev_refused(struct teeq_cqe *cqe, int err)
{
	cqe->origin = TEEQ_ORIGIN_TEE;
	switch (err) {
	case EINVAL:
	case EFAULT:
	case EBADF:
		cqe->result = TEEQ_ERROR_BAD_PARAMETERS;
		break;
	case ENOMEM:
	case ENOSPC:
		cqe->result = TEEQ_ERROR_OUT_OF_MEMORY;
		break;
	case EPERM:
	case EACCES:
		cqe->result = TEEQ_ERROR_ACCESS_DENIED;
		break;
	default: /* killed mid-call, or a driver that is going away */
		cqe->result = TEEQ_ERROR_COMMUNICATION;
		cqe->origin = TEEQ_ORIGIN_COMMS;
	}
}

/* The entry's parameters as the ioctl takes them. */
static void teeq_kdev_params_in(const struct teeq_sqe *sqe,
				struct teeq_ioctl_param *params)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const union teeq_param *w = &sqe->params[i];
		struct teeq_ioctl_param *p = &params[i];

		*p = (struct teeq_ioctl_param){ .attr = type };
		if (teeq_param_is_value(type)) {
			p->a = w->value.a;
			p->b = w->value.b;
		} else if (teeq_param_is_memref(type)) {
			p->b = w->memref.size;
			if (w->memref.buf_id == TEEQ_BUF_ID_NULL) {
				p->c = TEEQ_MEMREF_NULL;
			} else if (w->memref.buf_id == TEEQ_KBUF_USER) {
				p->attr |= TEEQ_IOCTL_PARAM_ATTR_TEMP;
				p->a = w->memref.offset;
			} else {
				p->a = w->memref.offset;
				p->c = w->memref.buf_id;
			}
		}
	}
}

/* The outputs the driver wrote back, as a completion carries them. */
static void teeq_kdev_params_out(const struct teeq_sqe *sqe,
				 const struct teeq_ioctl_param *params,
				 struct teeq_cqe *cqe)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const struct teeq_ioctl_param *p = &params[i];

		if (!teeq_param_is_output(type))
			continue;
		if (teeq_param_is_value(type)) {
			cqe->params[i].value.a = (uint32_t)p->a;
			cqe->params[i].value.b = (uint32_t)p->b;
		} else {
			/* the lifecycle believes it only within the window */
			cqe->params[i].memref.size =
				p->b > UINT32_MAX ? UINT32_MAX : (uint32_t)p->b;
		}
	}
}

/* An open's or an invoke's argument, as the ioctl and the uring command
 * take it: the struct, then its parameters. */
union teeq_karg {
	struct teeq_ioctl_open_session_arg open;
	struct teeq_ioctl_invoke_arg invoke;
	unsigned char raw[sizeof(struct teeq_ioctl_open_session_arg) +
			  TEEQ_NUM_PARAMS * sizeof(struct teeq_ioctl_param)];
};

/* A call sent as a uring command: its entry, and the argument the driver
 * reads at issue and writes back before the completion. */
struct teeq_kslot {
	struct teeq_sqe sqe;
	int busy;
	union teeq_karg a; /* last: its structs end in flexible arrays */
};

/* Fills @a from @sqe, an open or an invoke; returns its length. */
static uint32_t teeq_kdev_arg(const struct teeq_sqe *sqe, union teeq_karg *a)
{
	struct teeq_ioctl_param *params;
	uint32_t len;

	memset(a, 0, sizeof(*a));
	if (sqe->opcode == TEEQ_OP_OPEN_SESSION) {
		memcpy(a->open.uuid, sqe->uuid.b, sizeof(a->open.uuid));
		a->open.clnt_login = sqe->func;
		/* a group login's group, where upstream's ABI has it */
		memcpy(a->open.clnt_uuid, &sqe->login_data,
		       sizeof(sqe->login_data));
		a->open.cancel_id = sqe->cancel_id;
		a->open.num_params = TEEQ_NUM_PARAMS;
		params = a->open.params;
		len = sizeof(a->open);
	} else {
		a->invoke.func = sqe->func;
		a->invoke.session = sqe->session;
		a->invoke.cancel_id = sqe->cancel_id;
		a->invoke.num_params = TEEQ_NUM_PARAMS;
		params = a->invoke.params;
		len = sizeof(a->invoke);
	}
	teeq_kdev_params_in(sqe, params);
	return len + TEEQ_NUM_PARAMS * sizeof(*params);
}

/* The answer the driver wrote into @a, as @sqe's completion. */
static void teeq_kdev_answer(struct teeq_chan *chan, const struct teeq_sqe *sqe,
			     const union teeq_karg *a, struct teeq_cqe *cqe)
{
	int open = sqe->opcode == TEEQ_OP_OPEN_SESSION;
	uint32_t ret = open ? a->open.ret : a->invoke.ret;
	uint32_t origin = open ? a->open.ret_origin : a->invoke.ret_origin;

	cqe->result = ret;
	cqe->origin = origin;
	if (open && ret == TEEQ_SUCCESS)
		cqe->session = a->open.session;
	teeq_kdev_params_out(sqe, open ? a->open.params : a->invoke.params,
			     cqe);
	if (ret == TEEQ_ERROR_TARGET_DEAD && origin == TEEQ_ORIGIN_COMMS)
		teeq_chan_kill(chan, "the secure world is gone");
}

/* What an entry that is neither an open nor an invoke does at once:
 * 1 if @sqe was one of those (@cqe answered), 0 if not. */
static int teeq_kdev_other(struct teeq_chan *chan, const struct teeq_sqe *sqe,
			   struct teeq_cqe *cqe)
{
	switch (sqe->opcode) {
	case TEEQ_OP_OPEN_SESSION:
	case TEEQ_OP_INVOKE:
		return 0;
	case TEEQ_OP_CLOSE_SESSION: {
		struct teeq_ioctl_close_session_arg c = { sqe->session };

		/* closed for us whatever the answer, as GP has it */
		ioctl(chan->kfd, TEEQ_IOC_CLOSE_SESSION, &c);
		cqe->origin = TEEQ_ORIGIN_TEE;
		return 1;
	}
	case TEEQ_OP_CANCEL: {
		struct teeq_ioctl_cancel_arg c = { sqe->cancel_id,
						   sqe->session };

		ioctl(chan->kfd, TEEQ_IOC_CANCEL, &c);
		cqe->origin = TEEQ_ORIGIN_TEE;
		return 1;
	}
	default:
		cqe->result = TEEQ_ERROR_NOT_SUPPORTED;
		cqe->origin = TEEQ_ORIGIN_API;
		return 1;
	}
}

/*
 * Runs @sqe as its ioctl and writes its answer into @cqe. Returns when the
 * call has ended: with the secure world's answer, the driver's refusal,
 * or TARGET_DEAD when the secure world is gone (the driver's context then
 * stays dead, so the channel dies with it).
 */
static void teeq_kdev_run(struct teeq_chan *chan, const struct teeq_sqe *sqe,
			  struct teeq_cqe *cqe)
{
	union teeq_karg a;
	struct teeq_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&a };

	memset(cqe, 0, sizeof(*cqe));
	cqe->user_data = sqe->user_data;
	if (teeq_kdev_other(chan, sqe, cqe))
		return;
	buf.buf_len = teeq_kdev_arg(sqe, &a);
	if (ioctl(chan->kfd,
		  sqe->opcode == TEEQ_OP_INVOKE ? TEEQ_IOC_INVOKE :
						  TEEQ_IOC_OPEN_SESSION,
		  &buf)) {
		teeq_kdev_refused(cqe, errno);
		return;
	}
	teeq_kdev_answer(chan, sqe, &a, cqe);
}

/* ---- helpers: the tagged calls ---------------------------------------------- */

/* Is a call of @session running on the pair? Lock held. */
static int teeq_kdev_session_busy(const struct teeq_kqp *k, uint32_t session)
{
	uint32_t i;

	for (i = 0; session && i < k->nr_helpers; i++)
		if (k->helper[i].busy && k->helper[i].session == session)
			return 1;
	return 0;
}

/* The oldest waiting call whose session has none running, taken off the
 * queue into @sqe; 0 if there is none. Lock held. */
static int teeq_kdev_take(struct teeq_kqp *k, struct teeq_sqe *sqe,
			  int *cancelled)
{
	struct teeq_kentry **pp, *e;

	for (pp = &k->queue; (e = *pp); pp = &e->next) {
		if (teeq_kdev_session_busy(k, e->sqe.session))
			continue;
		*sqe = e->sqe;
		*cancelled = e->cancelled;
		*pp = e->next;
		if (k->queue_end == &e->next)
			k->queue_end = pp;
		e->next = k->free;
		k->free = e;
		return 1;
	}
	return 0;
}

/* How many helpers the waiting calls could keep busy now: one per
 * session (each open its own), at most all of them. Lock held. */
static uint32_t teeq_kdev_runnable(const struct teeq_kqp *k)
{
	uint32_t seen[TEEQ_KDEV_HELPERS], n = 0, i;
	const struct teeq_kentry *e;

	for (e = k->queue; e && n < TEEQ_KDEV_HELPERS; e = e->next) {
		for (i = 0;
		     i < n && (!e->sqe.session || seen[i] != e->sqe.session);
		     i++)
			;
		if (i == n && !teeq_kdev_session_busy(k, e->sqe.session))
			seen[n++] = e->sqe.session;
	}
	return n;
}

static void teeq_kdev_post(struct teeq_kqp *k, const struct teeq_cqe *cqe)
{
	k->cq[k->cq_tail++ & k->mask] = *cqe;
	pthread_cond_broadcast(&k->done);
}

static void *teeq_kdev_helper(void *arg)
{
	struct teeq_khelper *h = arg;
	struct teeq_kqp *k = h->k;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
	int cancelled;

	pthread_mutex_lock(&k->lock);
	while (!k->stop) {
		if (!teeq_kdev_take(k, &sqe, &cancelled)) {
			pthread_cond_wait(&k->work, &k->lock);
			continue;
		}
		if (cancelled) { /* never reached the secure world */
			cqe = (struct teeq_cqe){ .user_data = sqe.user_data,
						 .result = TEEQ_ERROR_CANCEL,
						 .origin = TEEQ_ORIGIN_TEE };
			teeq_kdev_post(k, &cqe);
			continue;
		}
		h->busy = 1;
		h->session = sqe.session;
		h->cancel_id = sqe.cancel_id;
		k->idle--;
		pthread_mutex_unlock(&k->lock);
		teeq_kdev_run(k->chan, &sqe, &cqe);
		pthread_mutex_lock(&k->lock);
		h->busy = 0;
		k->idle++;
		teeq_kdev_post(k, &cqe);
		/* its session's next call may run now */
		pthread_cond_broadcast(&k->work);
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

/* Another helper, with every signal blocked (the application's handlers
 * run on its own threads). Lock held. */
static int teeq_kdev_spawn(struct teeq_kqp *k)
{
	struct teeq_khelper *h = &k->helper[k->nr_helpers];
	sigset_t all, old;
	pthread_attr_t attr;
	int err;

	h->k = k;
	h->busy = 0;
	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setstacksize(&attr, TEEQ_KDEV_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&h->thread, &attr, teeq_kdev_helper, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	k->nr_helpers++;
	k->idle++;
	return 0;
}

/* ---- io_uring commands: an async queue's calls -------------------------------- */

/*
 * An async queue's pair sends its calls as IORING_OP_URING_CMD commands
 * (uapi/teeq_uring.h) on a ring of its own: a batch is one io_uring_enter,
 * whose commands the driver publishes together, and ready() reaps every
 * completion there at once. The argument of each call lives in a slot of
 * the pair until its completion is reaped, as the driver reads it at issue
 * and writes the answer back before it posts the completion. Where the
 * running kernel takes no such command on the node (no io_uring, or a
 * driver without the hook, or one told not to: teeq.ko's uring_cmd=0),
 * the pair's calls go to the helpers, and libteeq says so once.
 */

static int teeq_kdev_uring_said; /* atomic */

static void teeq_kdev_uring_off(int err)
{
	if (__atomic_exchange_n(&teeq_kdev_uring_said, 1, __ATOMIC_RELAXED))
		return;
	fprintf(stderr,
		"libteeq: " TEEQ_KDEV_NODE " takes no io_uring commands here "
		"(%s): async calls go by ioctl\n",
		strerror(err));
	teeq_debug_event(TEEQ_DEBUG_URING_OFF);
}

static void teeq_kdev_uring_prep(struct teeq_kqp *k, uint32_t cmd_op,
				 uint64_t arg, uint32_t arg_len,
				 uint64_t user_data)
{
	struct teeq_uring_cmd cmd = { .arg = arg, .arg_len = arg_len };
	struct io_uring_sqe *sqe = io_uring_get_sqe(&k->ring);

	if (!sqe) { /* a full submission ring: what is there goes first */
		io_uring_submit(&k->ring);
		sqe = io_uring_get_sqe(&k->ring);
	}
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, k->fixed ? 0 : k->chan->kfd,
			 NULL, 0, 0);
	if (k->fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
}

/* Submits what is prepared; 0 or -errno. */
static int teeq_kdev_uring_enter(struct teeq_kqp *k)
{
	int ret;

	do
		ret = io_uring_submit(&k->ring);
	while (ret == -EINTR);
	return ret < 0 ? ret : 0;
}

/*
 * The pair's ring, and whether the driver takes commands on it: a CANCEL
 * of a user_data nothing carries is answered -ENOENT by a driver that
 * does. 0, or the error that says it does not.
 */
static int teeq_kdev_uring_probe(struct teeq_kqp *k, uint32_t depth)
{
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_queue_init(depth, &k->ring, 0);
	if (ret)
		return ret;
	k->fixed = !io_uring_register_files(&k->ring, &k->chan->kfd, 1);
	teeq_kdev_uring_prep(k, TEEQ_URING_CMD_CANCEL, TEEQ_KDEV_NOT_A_CALL, 0,
			     TEEQ_KDEV_NOT_A_CALL);
	ret = teeq_kdev_uring_enter(k);
	while (!ret && (ret = io_uring_wait_cqe(&k->ring, &cqe)) == -EINTR)
		ret = 0;
	if (!ret) {
		ret = cqe->res == -ENOENT ? 0 :
		      cqe->res < 0	  ? cqe->res :
					    -EPROTO;
		io_uring_cqe_seen(&k->ring, cqe);
	}
	if (ret)
		io_uring_queue_exit(&k->ring);
	return ret;
}

/* On the pair's first batch: commands, or the helpers from now on. */
static void teeq_kdev_uring_start(struct teeq_qp *qp)
{
	struct teeq_kqp *k = qp->kqp;
	uint32_t i;
	int ret;

	k->uring = -1;
	if (__atomic_load_n(&qp->chan->kuring_off, __ATOMIC_RELAXED))
		return;
	ret = teeq_kdev_uring_probe(k, qp->depth);
	if (ret) {
		__atomic_store_n(&qp->chan->kuring_off, 1, __ATOMIC_RELAXED);
		teeq_kdev_uring_off(-ret);
		return;
	}
	k->slots = calloc(qp->depth, sizeof(*k->slots));
	k->free_slots = calloc(qp->depth, sizeof(*k->free_slots));
	if (!k->slots || !k->free_slots) {
		free(k->slots);
		free(k->free_slots);
		k->slots = NULL;
		k->free_slots = NULL;
		io_uring_queue_exit(&k->ring);
		return; /* the helpers, this once: no memory is no verdict */
	}
	for (i = 0; i < qp->depth; i++)
		k->free_slots[i] = qp->depth - 1 - i;
	k->nr_free_slots = qp->depth;
	k->uring = 1;
}

/* A batch: one command per call, one io_uring_enter for them all. */
static int teeq_kdev_uring_submit(struct teeq_qp *qp,
				  const struct teeq_sqe *sqes, uint32_t n)
{
	struct teeq_kqp *k = qp->kqp;
	struct teeq_kslot *slot;
	struct teeq_cqe cqe;
	uint32_t i, idx, len;

	pthread_mutex_lock(&k->lock);
	for (i = 0; i < n; i++) {
		cqe = (struct teeq_cqe){ .user_data = sqes[i].user_data };
		if (teeq_kdev_other(qp->chan, &sqes[i], &cqe) ||
		    !k->nr_free_slots) {
			if (!cqe.origin) /* no slot: a dead channel's leftovers */
				teeq_kdev_refused(&cqe, EPIPE);
			k->cq[k->cq_tail++ & k->mask] = cqe;
			continue;
		}
		idx = k->free_slots[--k->nr_free_slots];
		slot = &k->slots[idx];
		slot->sqe = sqes[i];
		slot->busy = 1;
		len = teeq_kdev_arg(&sqes[i], &slot->a);
		teeq_kdev_uring_prep(k,
				     sqes[i].opcode == TEEQ_OP_INVOKE ?
					     TEEQ_URING_CMD_INVOKE :
					     TEEQ_URING_CMD_OPEN_SESSION,
				     (uintptr_t)&slot->a, len, idx);
	}
	pthread_mutex_unlock(&k->lock);
	if (teeq_kdev_uring_enter(k)) {
		teeq_chan_kill(qp->chan, "io_uring refused a batch");
		return -EPROTO;
	}
	TEEQ_QP_STAT(qp, doorbells, 1);
	return 0;
}

/* Every completion on the ring, answered into the pair's list (or, when
 * @drop, only their slots freed). Lock held. */
static void teeq_kdev_uring_reap(struct teeq_qp *qp, int drop)
{
	struct teeq_kqp *k = qp->kqp;
	struct io_uring_cqe *c;
	struct teeq_kslot *slot;
	struct teeq_cqe cqe;
	unsigned int head, seen = 0;

	io_uring_for_each_cqe(&k->ring, head, c)
	{
		seen++;
		if (c->user_data >= qp->depth || !k->slots[c->user_data].busy)
			continue; /* a cancellation's, or the probe's */
		slot = &k->slots[c->user_data];
		if (!drop) {
			cqe = (struct teeq_cqe){ .user_data =
							 slot->sqe.user_data };
			if (c->res < 0)
				teeq_kdev_refused(&cqe, -c->res);
			else
				teeq_kdev_answer(qp->chan, &slot->sqe, &slot->a,
						 &cqe);
			k->cq[k->cq_tail++ & k->mask] = cqe;
		}
		slot->busy = 0;
		k->free_slots[k->nr_free_slots++] = (uint32_t)c->user_data;
	}
	io_uring_cq_advance(&k->ring, seen);
}

/* Until @want completions are on the ring (at most those in flight) or
 * @timeout_ns passes: spinning first, as host mode's wait does, then
 * asleep in one io_uring_enter that wakes for all of them. */
static void teeq_kdev_uring_wait(struct teeq_qp *qp, uint32_t want,
				 int64_t timeout_ns)
{
	struct teeq_kqp *k = qp->kqp;
	uint64_t spin = qp->chan->spin_ns, t0 = ring_now_ns(), waited;
	uint32_t busy = qp->depth - k->nr_free_slots;
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;

	want = want < 1 ? 1 : want > busy ? busy : want;
	if (!want)
		return;
	while (io_uring_cq_ready(&k->ring) < want) {
		waited = ring_now_ns() - t0;
		if (waited < spin &&
		    (timeout_ns < 0 || waited < (uint64_t)timeout_ns)) {
			teeq_cpu_relax();
			continue;
		}
		if (timeout_ns < 0) {
			/* EINTR alike: the caller looks again */
			io_uring_wait_cqe_nr(&k->ring, &cqe, want);
			return;
		}
		if (waited >= (uint64_t)timeout_ns)
			return;
		timeout_ns -= (int64_t)waited;
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		io_uring_wait_cqes(&k->ring, &cqe, want, &ts, NULL);
		return;
	}
}

/* The pair is going away: its calls in flight are cancelled and waited
 * for, as the helpers' are, since the driver may write to their slots
 * until each has ended. */
static void teeq_kdev_uring_fini(struct teeq_qp *qp)
{
	struct teeq_kqp *k = qp->kqp;
	struct io_uring_cqe *cqe;
	uint32_t i;

	if (k->uring != 1)
		return;
	pthread_mutex_lock(&k->lock);
	for (i = 0; i < qp->depth; i++)
		if (k->slots[i].busy)
			teeq_kdev_uring_prep(k, TEEQ_URING_CMD_CANCEL, i, 0,
					     TEEQ_KDEV_NOT_A_CALL);
	teeq_kdev_uring_enter(k);
	while (k->nr_free_slots < qp->depth) {
		pthread_mutex_unlock(&k->lock);
		io_uring_wait_cqe(&k->ring, &cqe);
		pthread_mutex_lock(&k->lock);
		teeq_kdev_uring_reap(qp, 1);
	}
	pthread_mutex_unlock(&k->lock);
	io_uring_queue_exit(&k->ring);
	free(k->slots);
	free(k->free_slots);
	k->uring = -1;
}

/* ---- the transport ------------------------------------------------------------ */

static int teeq_kdev_qp_init(struct teeq_qp *qp)
{
	uint32_t depth = qp->chan->stats.queue_depth, i;
	struct teeq_kqp *k = calloc(1, sizeof(*k));
	pthread_condattr_t attr;

	if (!k)
		return -ENOMEM;
	qp->kqp = k;
	k->chan = qp->chan;
	k->mask = depth - 1;
	k->entries = calloc(depth, sizeof(*k->entries));
	k->cq = calloc(depth, sizeof(*k->cq));
	if (!k->entries || !k->cq || pthread_mutex_init(&k->lock, NULL)) {
		free(k->entries);
		free(k->cq);
		free(k);
		qp->kqp = NULL;
		return -ENOMEM;
	}
	pthread_cond_init(&k->work, NULL);
	/* timed waits count on the monotonic clock, as teeq_reap() does */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&k->done, &attr);
	pthread_condattr_destroy(&attr);
	for (i = 0; i < depth; i++) {
		k->entries[i].next = k->free;
		k->free = &k->entries[i];
	}
	k->queue_end = &k->queue;
	qp->depth = depth;
	return 0;
}

/* The context is closing: queued calls are dropped, running ones asked
 * to end (the driver's cancel), and the helpers wait for no more. */
static void teeq_kdev_qp_fini(struct teeq_qp *qp)
{
	struct teeq_kqp *k = qp->kqp;
	struct teeq_ioctl_cancel_arg cancel[TEEQ_KDEV_HELPERS];
	uint32_t i, n = 0;

	if (!k)
		return;
	teeq_kdev_uring_fini(qp);
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	for (i = 0; i < k->nr_helpers; i++)
		if (k->helper[i].busy && k->helper[i].cancel_id)
			cancel[n++] = (struct teeq_ioctl_cancel_arg){
				k->helper[i].cancel_id, k->helper[i].session
			};
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
	for (i = 0; i < n; i++)
		ioctl(k->chan->kfd, TEEQ_IOC_CANCEL, &cancel[i]);
	for (i = 0; i < k->nr_helpers; i++)
		pthread_join(k->helper[i].thread, NULL);
	pthread_cond_destroy(&k->work);
	pthread_cond_destroy(&k->done);
	pthread_mutex_destroy(&k->lock);
	free(k->entries);
	free(k->cq);
	free(k);
	qp->kqp = NULL;
}

static int teeq_kdev_submit(struct teeq_qp *qp, const struct teeq_sqe *sqes,
			    uint32_t n)
{
	struct teeq_kqp *k = qp->kqp;
	struct teeq_kentry *e;
	uint32_t i, queued = 0;
	int ret = 0;

	/* an async queue's pair: uring commands where the kernel takes them */
	if (!qp->shared && !k->uring)
		teeq_kdev_uring_start(qp);
	if (k->uring == 1)
		return teeq_kdev_uring_submit(qp, sqes, n);
	pthread_mutex_lock(&k->lock);
	for (i = 0; i < n; i++) {
		/* credits: never more entries than depth in flight */
		e = k->free;
		k->free = e->next;
		e->sqe = sqes[i];
		e->cancelled = 0;
		e->next = NULL;
		*k->queue_end = e;
		k->queue_end = &e->next;
	}
	queued = teeq_kdev_runnable(k);
	while (k->idle < queued && k->nr_helpers < TEEQ_KDEV_HELPERS)
		if (teeq_kdev_spawn(k))
			break;
	/* without a helper nothing would ever run them */
	if (!k->nr_helpers)
		ret = -EPROTO;
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
	return ret;
}

static int teeq_kdev_ready(struct teeq_qp *qp, uint32_t want)
{
	struct teeq_kqp *k = qp->kqp;
	uint32_t n;

	pthread_mutex_lock(&k->lock);
	if (k->uring == 1)
		teeq_kdev_uring_reap(qp, 0);
	n = k->cq_tail - k->cq_head;
	pthread_mutex_unlock(&k->lock);
	return (int)(n < want ? n : want);
}

/* Slots before cq_tail are written once and not again until consumed:
 * ready() took the lock after they were, so they are ours to read. */
static const struct teeq_cqe *teeq_kdev_cqe(struct teeq_qp *qp, uint32_t i)
{
	struct teeq_kqp *k = qp->kqp;

	return &k->cq[(k->cq_head + i) & k->mask];
}

static void teeq_kdev_consume(struct teeq_qp *qp, uint32_t n)
{
	struct teeq_kqp *k = qp->kqp;

	pthread_mutex_lock(&k->lock);
	k->cq_head += n;
	pthread_mutex_unlock(&k->lock);
}

static int teeq_kdev_wait(struct teeq_qp *qp, uint32_t want, int64_t timeout_ns)
{
	struct teeq_kqp *k = qp->kqp;
	struct timespec until;

	if (k->uring == 1) {
		/* completions answered at submit are on the list already */
		if (k->cq_head ==
		    __atomic_load_n(&k->cq_tail, __ATOMIC_RELAXED))
			teeq_kdev_uring_wait(qp, want, timeout_ns);
		return 0;
	}
	if (timeout_ns >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += timeout_ns / 1000000000;
		until.tv_nsec += timeout_ns % 1000000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&k->lock);
	while (k->cq_head == k->cq_tail) {
		if (timeout_ns < 0) {
			pthread_cond_wait(&k->done, &k->lock);
		} else if (pthread_cond_timedwait(&k->done, &k->lock, &until) ==
			   ETIMEDOUT) {
			break;
		}
	}
	pthread_mutex_unlock(&k->lock);
	return 0;
}

/* The solo call: its ioctl on this thread, its completion posted. */
static int teeq_kdev_call(struct teeq_qp *qp, const struct teeq_sqe *sqe)
{
	struct teeq_kqp *k = qp->kqp;
	struct teeq_cqe cqe;

	teeq_kdev_run(qp->chan, sqe, &cqe);
	pthread_mutex_lock(&k->lock);
	k->cq[k->cq_tail++ & k->mask] = cqe;
	pthread_mutex_unlock(&k->lock);
	return 0;
}

/* A call still queued here is marked; one with the driver is the
 * driver's to cancel. Cancel ids are unique within the process. */
static void teeq_kdev_cancel(struct teeq_chan *chan, uint32_t session,
			     uint32_t cancel_id)
{
	struct teeq_ioctl_cancel_arg c = { cancel_id, session };
	struct teeq_kentry *e;
	uint32_t i;

	for (i = 0; i < chan->nr_qp; i++) {
		struct teeq_kqp *k = chan->qp[i].kqp;

		pthread_mutex_lock(&k->lock);
		for (e = k->queue; e; e = e->next)
			if (e->sqe.cancel_id == cancel_id)
				e->cancelled = 1;
		pthread_mutex_unlock(&k->lock);
	}
	ioctl(chan->kfd, TEEQ_IOC_CANCEL, &c);
}

const struct teeq_xport_ops teeq_kdev_ops = {
	.qp_init = teeq_kdev_qp_init,
	.qp_fini = teeq_kdev_qp_fini,
	.submit = teeq_kdev_submit,
	.ready = teeq_kdev_ready,
	.cqe = teeq_kdev_cqe,
	.consume = teeq_kdev_consume,
	.wait = teeq_kdev_wait,
	.call = teeq_kdev_call,
	.cancel = teeq_kdev_cancel,
};

/* ---- the node ------------------------------------------------------------------- */

/* The driver's pool per context (its heap_mb), or 0 if it does not say. */
static uint64_t teeq_kdev_pool_size(void)
{
	unsigned long long mb = 0;
	FILE *f = fopen(TEEQ_KDEV_HEAP_MB, "re");

	if (f) {
		if (fscanf(f, "%llu", &mb) != 1)
			mb = 0;
		fclose(f);
	}
	return (uint64_t)mb << 20;
}

int teeq_kdev_open(struct teeq_chan *chan, const char *node, uint32_t depth)
{
	struct teeq_ioctl_version_data v;

	chan->ops = &teeq_kdev_ops;
	chan->stats.queue_pairs = chan->nr_qp;
	chan->stats.queue_depth = depth;
	chan->stats.heap_size = teeq_kdev_pool_size();
	chan->kfd = open(node, O_RDWR | O_CLOEXEC);
	if (chan->kfd < 0)
		return -errno;
	/* teeq's driver: its temporary memrefs and fd registrations are
	 * what the client API's memory becomes */
	if (ioctl(chan->kfd, TEEQ_IOC_VERSION, &v) ||
	    v.impl_id != TEEQ_IMPL_ID_TEEQ || !(v.gen_caps & TEEQ_GEN_CAP_GP) ||
	    (v.impl_caps &
	     (TEEQ_IMPL_CAP_TEMP_MEMREF | TEEQ_IMPL_CAP_REGISTER_FD)) !=
		    (TEEQ_IMPL_CAP_TEMP_MEMREF | TEEQ_IMPL_CAP_REGISTER_FD))
		return -EPROTO;
	return 0;
}

void teeq_kdev_close(struct teeq_chan *chan)
{
	if (chan->kfd >= 0)
		close(chan->kfd);
	chan->kfd = -1;
}

/* ---- shared memory ------------------------------------------------------------- */

static uint64_t teeq_kdev_page_round(uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(page - 1);
}

int teeq_kdev_shm_alloc(struct teeq_chan *chan, struct teeq_shm *shm)
{
	struct teeq_ioctl_shm_alloc_data d = { .size = shm->size ? shm->size :
								   1 };
	void *map;
	int fd;

	fd = ioctl(chan->kfd, TEEQ_IOC_SHM_ALLOC, &d);
	if (fd < 0)
		return -errno;
	map = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		return -ENOMEM;
	}
	shm->kind = TEEQ_SHM_DRIVER;
	shm->fd = fd;
	shm->map = map;
	shm->wire_id = (uint32_t)d.id;
	shm->wire_off = 0;
	shm->pooled = 1;
	__atomic_add_fetch(&chan->kpool_bytes, teeq_kdev_page_round(d.size),
			   __ATOMIC_RELAXED);
	return 0;
}

/* One of our pool buffers that holds [@buffer, + @size), or NULL. */
static struct teeq_shm *teeq_kdev_pool_holding(struct teeq_chan *chan,
					       uintptr_t buffer, uint64_t size)
{
	uint32_t cursor = 0, id;
	struct shm_buf buf;

	while ((id = shm_ids_next(&chan->shms, &cursor))) {
		struct teeq_shm *shm;

		if (shm_ids_lookup(&chan->shms, id, &buf))
			continue;
		shm = (struct teeq_shm *)(uintptr_t)buf.cookie;
		if (shm->kind == TEEQ_SHM_DRIVER && shm->pooled &&
		    buffer >= (uintptr_t)shm->map &&
		    shm_window_ok(shm->size, buffer - (uintptr_t)shm->map,
				  size))
			return shm;
	}
	return NULL;
}

int teeq_kdev_shm_register(struct teeq_chan *chan, struct teeq_shm *shm,
			   void *buffer)
{
	struct teeq_ioctl_shm_register_data d = {
		.addr = (uintptr_t)buffer,
		.length = shm->size,
	};
	struct teeq_shm *pool;
	int fd;

	/* inside a buffer of the pool: passed in place, as that one is */
	pool = teeq_kdev_pool_holding(chan, (uintptr_t)buffer, shm->size);
	if (pool && shm->size) {
		shm->kind = TEEQ_SHM_IN_HEAP;
		shm->wire_id = pool->wire_id;
		shm->wire_off = (uintptr_t)buffer - (uintptr_t)pool->map;
		return 0;
	}
	fd = shm->size ? ioctl(chan->kfd, TEEQ_IOC_SHM_REGISTER, &d) : -1;
	if (fd < 0) {
		/* nothing to pin, or pages that cannot be (read-only, a
		 * device's): each call's window is copied by the driver */
		shm->kind = TEEQ_SHM_SHADOW;
		shm->shadow = NULL;
		return 0;
	}
	shm->kind = TEEQ_SHM_DRIVER;
	shm->fd = fd;
	shm->wire_id = (uint32_t)d.id;
	shm->wire_off = 0;
	return 0;
}

int teeq_kdev_shm_register_fd(struct teeq_chan *chan, struct teeq_shm *shm,
			      int fd)
{
	struct teeq_ioctl_shm_register_fd_data d = { .fd = fd };
	uint64_t size;
	void *map;
	int rfd;

	/* a dma-buf (a DRM driver's PRIME export, say): imported in place */
	rfd = ioctl(chan->kfd, TEEQ_IOC_SHM_REGISTER_FD, &d);
	if (rfd >= 0) {
		map = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   0);
		if (map == MAP_FAILED) /* reached by the secure side only */
			map = mmap(NULL, d.size, PROT_READ, MAP_SHARED, fd, 0);
		shm->kind = TEEQ_SHM_DRIVER;
		shm->fd = rfd;
		shm->map = map == MAP_FAILED ? NULL : map;
		shm->size = d.size;
		shm->wire_id = (uint32_t)d.id;
		return 0;
	}
	if (errno != EINVAL && errno != EBADF)
		return -errno;
	/* not a dma-buf: a sealed memfd, whose pages are pinned */
	if (shm_memfd_check(fd, &size) || !size)
		return -EINVAL;
	if (shm_map(fd, size, &map)) {
		/* sealed against writing: read through a copy per call */
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			return -EINVAL;
	}
	shm->map = map;
	shm->size = size;
	return teeq_kdev_shm_register(chan, shm, map);
}

void teeq_kdev_shm_free(struct teeq_chan *chan, struct teeq_shm *shm)
{
	uint64_t len = shm->size ? shm->size : 1;

	if (shm->map)
		munmap(shm->map, len);
	if (shm->fd >= 0)
		close(shm->fd);
	if (shm->pooled)
		__atomic_sub_fetch(&chan->kpool_bytes,
				   teeq_kdev_page_round(len), __ATOMIC_RELAXED);
	shm->map = NULL;
	shm->fd = -1;
}
