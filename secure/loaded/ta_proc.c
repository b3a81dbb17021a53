// SPDX-License-Identifier: MIT
/*
 * One loaded TA instance, one process: teeq-ta-host, started here with
 * its .ta file and a channel of the client ring protocol
 * (uapi/teeq_ta_proc.h), reached through that ring, and watched until it
 * is gone.
 *
 * Calls take turns (GP runs one entry point of an instance at a time):
 * the caller holding the turn owns the ring and the channel's heap, into
 * which it copies the call's memrefs and from which it copies the outputs
 * back (docs/ta-isolation.md says why they are copied). It waits for the
 * answer on the completion ring, spinning, then sleeping on the doorbell,
 * never longer than the next thing it must do: forward a cancellation,
 * cancel a call past the time limit, kill a process that does not end a
 * cancelled call in time.
 *
 * A supervisor thread watches every process's pidfd and reaps the dead
 * (a death wakes the caller waiting on it), sends sessions' closes that
 * no call could take along, and destroys instances nobody holds: QUIT,
 * then a kill if the process does not exit in time. Nothing here waits on
 * a TA process without a deadline, and no write to one can block (every
 * descriptor it shares is non-blocking on our side).
 */
#include "secure/core/call.h"
#include "secure/loaded/ta_proc.h"

#include "ring/channel.h"
#include "ring/wait.h"
#include "shm/memfd.h"
#include "uapi/teeq_ta_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define TA_PROC_RING_ENTRIES 64u
/* user_data of a session's close: never a call's tag */
#define TA_PROC_TAG_CLOSE (1ull << 63)
/* how often a waiting caller looks at its call's cancellation */
#define TA_PROC_SLICE_NS 10000000ll
/* the supervisor's tick while it has closes to send */
#define TA_PROC_TICK_MS 10
/* how long a new process may take to be ready (its loading, then
 * TA_CreateEntryPoint), when the call time limit is shorter */
#define TA_PROC_START_MS 10000

extern char **environ;

struct ta_proc_close {
	struct ta_proc_close *next;
	uint32_t session;
};

struct ta_proc {
	struct ta_uuid uuid;
	char name[TA_UUID_STR_LEN]; /* the UUID, for logs */
	uint32_t ta_flags;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* the turn came free, or the process died */
	/* the turn: its holder owns the rings, the heap, next_tag and
	 * outstanding (under lock) */
	int busy;
	/* why the process is dead or being killed; NULL while it lives
	 * (under lock; read without it only as a hint) */
	const char *dead;
	struct ta_proc_close *closes; /* to send (under lock) */
	uint32_t refs; /* under ta_procs.lock */
	int quit_sent, reaped; /* the supervisor's */
	int killed; /* teeq-sw killed it (under lock) */
	uint64_t kill_at; /* the supervisor's: after QUIT, in ns */
	pid_t pid;
	int pidfd, sock, sq_db, cq_db, region_fd;
	void *region;
	struct channel_layout layout;
	struct ring sq, cq;
	unsigned char *heap;
	uint32_t outstanding; /* entries without their completion yet */
	uint64_t next_tag;
	/* the TA's persistent objects: the turn holder's (the starter holds
	 * the turn until READY); closed by the first to hold the turn, or
	 * the supervisor, once the process is dead */
	struct ta_storage storage;
	void *msg; /* a request and its reply, TEEQ_TA_STORAGE_MSG_MAX each */
	struct ta_proc *next; /* ta_procs.all */
};

static struct {
	struct ta_proc_opts opts;
	pthread_mutex_t lock;
	struct ta_proc *all;
	uint32_t count;
	pthread_t thread;
	int running;
	int epfd, wake_fd;
	int stop; /* under lock */
} ta_procs = { .lock = PTHREAD_MUTEX_INITIALIZER, .epfd = -1, .wake_fd = -1 };

static void ta_proc_log(const struct ta_proc *p, int verbose_only,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ta_proc_log(const struct ta_proc *p, int verbose_only,
			const char *fmt, ...)
{
	va_list ap;

	if (verbose_only && !ta_procs.opts.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "teeq-sw[%d]: TA %s (pid %d): ", (int)getpid(), p->name,
		(int)p->pid);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t ta_proc_now(void)
{
	return ring_now_ns();
}

static void ta_proc_poke(void)
{
	uint64_t one = 1;

	(void)!write(ta_procs.wake_fd, &one, sizeof(one));
}

/* ---- death ---------------------------------------------------------------- */

/* Kills the process (if it still lives) for @why; its callers see it dead
 * at once. Under p->lock. */
static void ta_proc_kill_locked(struct ta_proc *p, const char *why)
{
	uint64_t one = 1;

	if (!p->dead) {
		p->dead = why;
		p->killed = 1;
		ta_proc_log(p, 0, "killed: %s", why);
	}
	pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
	pthread_cond_broadcast(&p->cond);
	/* a caller sleeping on the completion doorbell wakes to see it */
	(void)!write(p->cq_db, &one, sizeof(one));
}

static void ta_proc_kill(struct ta_proc *p, const char *why)
{
	pthread_mutex_lock(&p->lock);
	ta_proc_kill_locked(p, why);
	pthread_mutex_unlock(&p->lock);
}

/* Its socket hung up: the process ended (the reaper says how), or is
 * about to, and it is made sure of. */
static void ta_proc_ended(struct ta_proc *p)
{
	uint64_t one = 1;

	pthread_mutex_lock(&p->lock);
	if (!p->dead)
		p->dead = "the TA process ended";
	pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
	pthread_cond_broadcast(&p->cond);
	(void)!write(p->cq_db, &one, sizeof(one));
	pthread_mutex_unlock(&p->lock);
}

bool ta_proc_dead(struct ta_proc *p)
{
	bool dead;

	pthread_mutex_lock(&p->lock);
	dead = p->dead != NULL;
	pthread_mutex_unlock(&p->lock);
	return dead;
}

uint32_t ta_proc_flags(const struct ta_proc *p)
{
	return p->ta_flags;
}

/* The pidfd is readable: the process is gone. Supervisor only. */
static void ta_proc_reap(struct ta_proc *p)
{
	siginfo_t info;
	uint64_t one = 1;

	memset(&info, 0, sizeof(info));
	if (waitid((idtype_t)P_PIDFD, (id_t)p->pidfd, &info,
		   WEXITED | WNOHANG) ||
	    !info.si_pid)
		return; /* not yet: a zombie in the making */
	epoll_ctl(ta_procs.epfd, EPOLL_CTL_DEL, p->pidfd, NULL);
	p->reaped = 1;
	pthread_mutex_lock(&p->lock);
	if (!p->dead)
		p->dead = "the TA process ended";
	/* how, unless teeq-sw ended it */
	if (!p->killed && !p->quit_sent) {
		if (info.si_code == CLD_EXITED)
			ta_proc_log(p, 0, "ended (exit %d)", info.si_status);
		else
			ta_proc_log(p, 0, "ended by signal %d", info.si_status);
	}
	pthread_cond_broadcast(&p->cond);
	(void)!write(p->cq_db, &one, sizeof(one));
	pthread_mutex_unlock(&p->lock);
	if (p->quit_sent)
		ta_proc_log(p, 1, "instance destroyed");
}

/* ---- the ring ------------------------------------------------------------- */

/*
 * Takes completions the process posted, up to the one tagged @want (0:
 * none wanted), which goes to @got. Turn holder only. Returns 1 when @want
 * came, 0 otherwise, -EPROTO when the process broke the protocol (*@why
 * says how; the caller kills it).
 */
static int ta_proc_drain(struct ta_proc *p, uint64_t want, struct teeq_cqe *got,
			 const char **why)
{
	struct teeq_cqe cqe;
	uint32_t n, i;

	n = ring_cons_avail(&p->cq, p->cq.entries);
	for (i = 0; i < n; i++) {
		/* the slot at our head: each release moves it on */
		memcpy(&cqe, ring_cons_slot(&p->cq, 0), sizeof(cqe));
		ring_cons_release(&p->cq, 1);
		if (!p->outstanding) {
			*why = "it completed more entries than it was given";
			return -EPROTO;
		}
		p->outstanding--;
		if (want && cqe.user_data == want) {
			*got = cqe;
			return 1;
		}
		if (!(cqe.user_data & TA_PROC_TAG_CLOSE)) {
			*why = "it completed an entry it was not given";
			return -EPROTO;
		}
	}
	if (ring_broken(&p->cq)) {
		*why = "it broke its completion ring";
		return -EPROTO;
	}
	return 0;
}

/* Room for one more entry, the completion ring's credit included. */
static int ta_proc_room(struct ta_proc *p)
{
	return p->outstanding < p->cq.entries && ring_prod_space(&p->sq, 1);
}

static void ta_proc_produce(struct ta_proc *p, const struct teeq_sqe *sqe)
{
	/* everything but the stamp, which the commit writes */
	memcpy((char *)ring_prod_slot(&p->sq, 0) + RING_STAMP_SIZE,
	       (const char *)sqe + RING_STAMP_SIZE,
	       sizeof(*sqe) - RING_STAMP_SIZE);
	p->outstanding++;
	if (ring_prod_commit(&p->sq, 1))
		ring_doorbell(&p->sq, p->sq_db);
}

/* Sends the closes that fit; turn holder, under p->lock. Returns nonzero
 * if some are left. */
static int ta_proc_flush_closes(struct ta_proc *p)
{
	struct ta_proc_close *c;
	struct teeq_sqe sqe;
	const char *why;

	if (p->closes && !p->dead && ta_proc_drain(p, 0, NULL, &why) < 0)
		ta_proc_kill_locked(p, why);
	if (p->dead) {
		while ((c = p->closes)) {
			p->closes = c->next;
			free(c);
		}
		return 0;
	}
	while ((c = p->closes) && ta_proc_room(p)) {
		memset(&sqe, 0, sizeof(sqe));
		sqe.opcode = TEEQ_OP_CLOSE_SESSION;
		sqe.session = c->session;
		sqe.user_data = TA_PROC_TAG_CLOSE | c->session;
		ta_proc_produce(p, &sqe);
		p->closes = c->next;
		free(c);
	}
	return p->closes != NULL;
}

/* ---- memrefs: into the channel's heap and back ------------------------------ */

static uint64_t ta_proc_align(uint64_t v)
{
	return (v + TEEQ_CACHELINE - 1) & ~(uint64_t)(TEEQ_CACHELINE - 1);
}

/* Lowers @req into @sqe, copying memref inputs into the heap; 0 or a
 * TEEQ_ERROR_* (origin TEE). Turn holder. */
static uint32_t ta_proc_stage(struct ta_proc *p, const struct ta_proc_req *req,
			      struct teeq_sqe *sqe)
{
	uint64_t off = 0;
	int i;

	sqe->param_types = (uint16_t)req->param_types;
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(req->param_types, i);
		const struct ta_param *prm = &req->params[i];
		union teeq_param *w = &sqe->params[i];
		size_t size = prm->memref.size;

		if (teeq_param_is_value(type)) {
			w->value.a = prm->value.a;
			w->value.b = prm->value.b;
			continue;
		}
		if (!teeq_param_is_memref(type))
			continue;
		if (size > UINT32_MAX)
			return TEEQ_ERROR_EXCESS_DATA;
		w->memref.size = (uint32_t)size;
		if (!prm->memref.buffer) {
			w->memref.buf_id = TEEQ_BUF_ID_NULL;
			continue;
		}
		if (size > p->layout.heap_size - off) {
			ta_proc_log(p, 0,
				    "a call's memrefs exceed the %llu bytes a "
				    "call may carry (--ta-heap-mb)",
				    (unsigned long long)p->layout.heap_size);
			return TEEQ_ERROR_OUT_OF_MEMORY;
		}
		w->memref.buf_id = TEEQ_BUF_ID_HEAP;
		w->memref.offset = off;
		if (type == TEEQ_PARAM_MEMREF_OUTPUT)
			/* whatever an earlier call left there, maybe another
			 * client's, never reaches this one */
			memset(p->heap + off, 0, size);
		else
			memcpy(p->heap + off, prm->memref.buffer, size);
		off = ta_proc_align(off + size);
	}
	return 0;
}

/* Raises the completion into @req's outputs; memref bytes come back only
 * for a success, and never more than the window. Turn holder. */
static void ta_proc_unstage(struct ta_proc *p, const struct ta_proc_req *req,
			    const struct teeq_sqe *sqe,
			    const struct teeq_cqe *cqe)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(req->param_types, i);
		struct ta_param *prm = &req->params[i];
		const union teeq_param *w = &sqe->params[i];
		uint32_t out = cqe->params[i].memref.size;

		if (!teeq_param_is_output(type))
			continue;
		if (teeq_param_is_value(type)) {
			prm->value.a = cqe->params[i].value.a;
			prm->value.b = cqe->params[i].value.b;
			continue;
		}
		if (cqe->result == TEEQ_SUCCESS && prm->memref.buffer &&
		    w->memref.buf_id == TEEQ_BUF_ID_HEAP)
			memcpy(prm->memref.buffer, p->heap + w->memref.offset,
			       out < w->memref.size ? out : w->memref.size);
		prm->memref.size = out;
	}
}

/* ---- the turn ---------------------------------------------------------------- */

/*
 * Waits for the turn; 0, or TEEQ_ERROR_CANCEL / TARGET_DEAD. A dead
 * process's turn is waited for too (its holder gives it back as soon as
 * it sees the death): TARGET_DEAD is said only once the TA's objects are
 * closed, so that whoever is told can open them again at once.
 */
static uint32_t ta_proc_take_turn(struct ta_proc *p, struct ta_call *call)
{
	struct timespec until;
	uint32_t ret = 0;

	pthread_mutex_lock(&p->lock);
	while (p->busy) {
		pthread_mutex_unlock(&p->lock);
		if (ta_cancelled(call))
			return TEEQ_ERROR_CANCEL;
		pthread_mutex_lock(&p->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += TA_PROC_SLICE_NS;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		if (p->busy)
			pthread_cond_timedwait(&p->cond, &p->lock, &until);
	}
	if (p->dead) {
		ta_storage_release(&p->storage);
		ret = TEEQ_ERROR_TARGET_DEAD;
	} else {
		p->busy = 1;
	}
	pthread_mutex_unlock(&p->lock);
	return ret;
}

/* Gives the turn back; a dead process's objects are closed first, before
 * its holder's caller hears of the death (not when the supervisor reaps
 * it, which lags under load). */
static void ta_proc_give_turn(struct ta_proc *p)
{
	int left;

	pthread_mutex_lock(&p->lock);
	left = ta_proc_flush_closes(p);
	if (p->dead)
		ta_storage_release(&p->storage);
	p->busy = 0;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (left)
		ta_proc_poke();
}

/* ---- the TA's storage requests ---------------------------------------------------- */

/*
 * The message waiting on the control socket, into p->msg: its length, 0
 * when there is none, or -EPIPE when the process hung up. The turn
 * holder's, or the starter's.
 */
static ssize_t ta_proc_recv(struct ta_proc *p)
{
	ssize_t n;

	if (!p->msg)
		p->msg = malloc(2 * (size_t)TEEQ_TA_STORAGE_MSG_MAX);
	if (!p->msg)
		return -ENOMEM;
	n = recv(p->sock, p->msg, TEEQ_TA_STORAGE_MSG_MAX, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -EPIPE;
	return n ? n : -EPIPE;
}

/* Serves the storage request of @n bytes in p->msg; 0, or -EPROTO when
 * it is not one (the process is killed). */
static int ta_proc_storage(struct ta_proc *p, size_t n)
{
	const struct teeq_ta_proc_storage *q = p->msg;
	struct teeq_ta_proc_storage_reply *r =
		(void *)((char *)p->msg + TEEQ_TA_STORAGE_MSG_MAX);

	if (n < sizeof(*q) || q->hdr.magic != TEEQ_TA_PROC_MAGIC ||
	    q->hdr.type != TEEQ_TA_PROC_STORAGE || q->hdr.len != n ||
	    q->hdr.reserved || q->hdr.reserved2) {
		ta_proc_kill(p, "it sent a message that is no storage request");
		return -EPROTO;
	}
	ta_storage_serve(&p->storage, &p->uuid, q, r);
	/* the process waits for this reply: a full socket is its fault */
	if (send(p->sock, r, r->hdr.len, MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)r->hdr.len) {
		ta_proc_kill(p, "it does not read its socket");
		return -EPROTO;
	}
	return 0;
}

/*
 * Waits up to @ns for a completion (polling the ring first) or a message
 * of the process's. Returns nonzero when the control socket has one. A
 * storage request is not looked for while polling: the TA waits for its
 * answer, and a turn holder with nothing on its ring comes to sleep soon.
 */
static int ta_proc_wait(struct ta_proc *p, struct ring_wait *w, int64_t ns)
{
	struct pollfd pfd[2] = { { .fd = p->cq_db, .events = POLLIN },
				 { .fd = p->sock, .events = POLLIN } };
	uint64_t count;

	if (ring_wait_entries(&p->cq, w, 1,
			      (int64_t)w->spin_ns < ns ? (int64_t)w->spin_ns :
							 ns) ||
	    ring_cons_prepare_sleep(&p->cq) || ring_broken(&p->cq))
		return 0;
	/* NEED_WAKEUP is set: a completion from now on rings the doorbell */
	if (poll(pfd, 2, (int)((ns + 999999) / 1000000)) > 0 &&
	    (pfd[0].revents & POLLIN))
		(void)!read(p->cq_db, &count, sizeof(count));
	ring_cons_end_sleep(&p->cq);
	return pfd[1].revents != 0;
}

/* ---- a call ------------------------------------------------------------------- */

/*
 * A cancelled call (its client asked, or went away) the TA does not end
 * in time is cut by a kill when the instance is the session's own: that
 * ends no one else's sessions. A shared one (TA_FLAG_SINGLE_INSTANCE) is
 * killed at the time limit only, so that one client cannot end others'.
 */
static int ta_proc_private(const struct ta_proc *p)
{
	return !(p->ta_flags & TEEQ_TA_FLAG_SINGLE_INSTANCE);
}

static void ta_proc_send_cancel(struct ta_proc *p, uint32_t cancel_id)
{
	struct teeq_ta_proc_cancel m = {
		.hdr = { .magic = TEEQ_TA_PROC_MAGIC,
			 .type = TEEQ_TA_PROC_CANCEL,
			 .len = sizeof(m) },
		.cancel_id = cancel_id,
	};

	/* never blocks: a process that does not read its socket gets
	 * killed at the deadline instead */
	if (send(p->sock, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    sizeof(m))
		ta_proc_log(p, 1, "could not send a cancellation");
}

/* Submits @sqe and waits for its completion, or for the process's death
 * or kill. 0 with @cqe, or TEEQ_ERROR_TARGET_DEAD. Turn holder. */
static uint32_t ta_proc_roundtrip(struct ta_proc *p, struct ta_call *call,
				  struct teeq_sqe *sqe, struct teeq_cqe *cqe)
{
	const struct ta_proc_opts *o = &ta_procs.opts;
	uint64_t start = ta_proc_now();
	uint64_t cancel_at = start + (uint64_t)o->limit_ms * 1000000;
	uint64_t kill_at = cancel_at + (uint64_t)o->kill_ms * 1000000;
	const char *why;
	struct ring_wait w;
	int cancel_sent = 0, sent = 0, r;

	ring_wait_init(&w, o->spin_ns, p->cq_db, -1);
	if (++p->next_tag >= TA_PROC_TAG_CLOSE)
		p->next_tag = 1;
	sqe->user_data = p->next_tag;
	/* the id the process's cancellation matches */
	sqe->cancel_id = (uint32_t)p->next_tag ? (uint32_t)p->next_tag : 1;
	for (;;) {
		uint64_t now, next;
		ssize_t n;

		pthread_mutex_lock(&p->lock);
		if (p->dead) {
			pthread_mutex_unlock(&p->lock);
			return TEEQ_ERROR_TARGET_DEAD;
		}
		pthread_mutex_unlock(&p->lock);
		r = ta_proc_drain(p, sent ? sqe->user_data : 0, cqe, &why);
		if (r > 0)
			return 0;
		if (r < 0) {
			ta_proc_kill(p, why);
			continue;
		}
		if (!sent) {
			/* the TA never saw it */
			if (ta_cancelled(call))
				return TEEQ_ERROR_CANCEL;
			if (ta_proc_room(p)) {
				ta_proc_produce(p, sqe);
				sent = 1;
				continue;
			}
		}
		now = ta_proc_now();
		if (!cancel_sent &&
		    (now >= cancel_at || (sent && ta_cancelled(call)))) {
			if (sent)
				ta_proc_send_cancel(p, sqe->cancel_id);
			cancel_sent = 1;
			if (now >= cancel_at)
				ta_proc_log(p, 0,
					    "a call ran past %u ms: cancelled",
					    o->limit_ms);
			if (ta_proc_private(p) &&
			    now + (uint64_t)o->kill_ms * 1000000 < kill_at)
				kill_at = now + (uint64_t)o->kill_ms * 1000000;
		}
		if (now >= kill_at) {
			ta_proc_kill(p, cancel_sent && now < cancel_at ?
						"it did not end a cancelled "
						"call in time" :
						"a call ran past its time "
						"limit and did not end when "
						"cancelled");
			return TEEQ_ERROR_TARGET_DEAD;
		}
		next = kill_at - now;
		if (!cancel_sent && cancel_at - now < next)
			next = cancel_at - now;
		if (next > (uint64_t)TA_PROC_SLICE_NS)
			next = TA_PROC_SLICE_NS;
		if (!ta_proc_wait(p, &w, (int64_t)next))
			continue;
		/* the TA asks its storage, from within this call */
		n = ta_proc_recv(p);
		if (n > 0)
			ta_proc_storage(p, (size_t)n);
		else if (n < 0)
			ta_proc_ended(p);
	}
}

uint32_t ta_proc_call(struct ta_proc *p, struct ta_call *call,
		      const struct ta_proc_req *req, uint32_t *session,
		      uint32_t *origin)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
	uint32_t ret;

	*origin = TEEQ_ORIGIN_TEE;
	ret = ta_proc_take_turn(p, call);
	if (ret)
		return ret;
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = req->opcode;
	sqe.session = req->session;
	sqe.func = req->func;
	if (req->opcode == TEEQ_OP_OPEN_SESSION)
		sqe.uuid = req->client;
	ret = ta_proc_stage(p, req, &sqe);
	if (!ret)
		ret = ta_proc_roundtrip(p, call, &sqe, &cqe);
	if (!ret) {
		ret = cqe.result;
		*origin = cqe.origin == TEEQ_ORIGIN_TEE ?
				  TEEQ_ORIGIN_TEE :
				  TEEQ_ORIGIN_TRUSTED_APP;
		ta_proc_unstage(p, req, &sqe, &cqe);
		if (session)
			*session = cqe.session;
		if (session && ret == TEEQ_SUCCESS && !cqe.session) {
			ta_proc_kill(p, "it opened a session without an id");
			ret = TEEQ_ERROR_TARGET_DEAD;
			*origin = TEEQ_ORIGIN_TEE;
		}
	}
	ta_proc_give_turn(p);
	return ret;
}

struct ta_proc_close *ta_proc_close_node(void)
{
	return calloc(1, sizeof(struct ta_proc_close));
}

void ta_proc_close_session(struct ta_proc *p, struct ta_proc_close *node,
			   uint32_t session)
{
	int left = 1;

	pthread_mutex_lock(&p->lock);
	if (p->dead) {
		free(node);
		left = 0;
	} else {
		node->session = session;
		node->next = p->closes;
		p->closes = node;
		/* the turn is free: send it now, else its holder does */
		if (!p->busy) {
			p->busy = 1;
			left = ta_proc_flush_closes(p);
			p->busy = 0;
			pthread_cond_broadcast(&p->cond);
		} else {
			left = 0;
		}
	}
	pthread_mutex_unlock(&p->lock);
	if (left)
		ta_proc_poke();
}

/* ---- holding and destroying ---------------------------------------------------- */

void ta_proc_get(struct ta_proc *p)
{
	pthread_mutex_lock(&ta_procs.lock);
	p->refs++;
	pthread_mutex_unlock(&ta_procs.lock);
}

void ta_proc_put(struct ta_proc *p)
{
	int last;

	pthread_mutex_lock(&ta_procs.lock);
	last = --p->refs == 0;
	pthread_mutex_unlock(&ta_procs.lock);
	if (last)
		ta_proc_poke(); /* the supervisor destroys it */
}

static void ta_proc_free(struct ta_proc *p)
{
	struct ta_proc_close *c;

	while ((c = p->closes)) {
		p->closes = c->next;
		free(c);
	}
	ta_storage_release(&p->storage);
	free(p->msg);
	shm_unmap(p->region, p->layout.region_size);
	if (p->region_fd >= 0)
		close(p->region_fd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->sock >= 0)
		close(p->sock);
	if (p->sq_db >= 0)
		close(p->sq_db);
	if (p->cq_db >= 0)
		close(p->cq_db);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
}

/*
 * The supervisor's look at one instance: closes that wait for the turn,
 * QUIT for one nobody holds, a kill when it does not exit in time.
 * Returns nonzero while it has something left to do on a tick.
 */
static int ta_proc_tend(struct ta_proc *p, uint32_t refs, uint64_t now)
{
	struct teeq_ta_proc_hdr quit = { .magic = TEEQ_TA_PROC_MAGIC,
					 .type = TEEQ_TA_PROC_QUIT,
					 .len = sizeof(quit) };
	int pending = 0;

	pthread_mutex_lock(&p->lock);
	if (!p->dead && !p->busy && (p->closes || (!refs && !p->quit_sent))) {
		p->busy = 1;
		pending = ta_proc_flush_closes(p);
		if (!refs && !pending && !p->dead) {
			if (send(p->sock, &quit, sizeof(quit),
				 MSG_DONTWAIT | MSG_NOSIGNAL) != sizeof(quit))
				ta_proc_kill_locked(p, "it does not read its "
						       "socket");
			p->quit_sent = 1;
			p->kill_at =
				now + (uint64_t)ta_procs.opts.kill_ms * 1000000;
		}
		p->busy = 0;
		pthread_cond_broadcast(&p->cond);
	} else if (p->closes && !p->dead) {
		pending = 1;
	}
	if (p->quit_sent && !p->reaped) {
		if (now >= p->kill_at && !p->dead)
			ta_proc_kill_locked(p,
					    "it did not exit when destroyed");
		pending = 1;
	}
	/* a dead TA's objects are closed now, not when its last session
	 * lets go: they may block other handles' share flags meanwhile */
	if (p->reaped && !p->busy)
		ta_storage_release(&p->storage);
	pthread_mutex_unlock(&p->lock);
	return pending;
}

static void *ta_proc_supervise(void *arg)
{
	struct epoll_event ev[16];
	uint64_t stop_at = 0;
	int n, i, tick = 0;

	(void)arg;
	for (;;) {
		struct ta_proc **pp, *p;
		uint64_t now, count;
		int stop, alive = 0;

		n = epoll_wait(ta_procs.epfd, ev, 16,
			       tick ? TA_PROC_TICK_MS : 1000);
		for (i = 0; i < n; i++) {
			if (!ev[i].data.ptr)
				(void)!read(ta_procs.wake_fd, &count,
					    sizeof(count));
			else
				ta_proc_reap(ev[i].data.ptr);
		}
		now = ta_proc_now();
		tick = 0;
		pthread_mutex_lock(&ta_procs.lock);
		for (pp = &ta_procs.all; (p = *pp);) {
			if (!p->refs && p->reaped) {
				*pp = p->next;
				ta_procs.count--;
				ta_proc_free(p);
				continue;
			}
			tick |= ta_proc_tend(p, p->refs, now);
			/* stopping: whatever still runs a while later is
			 * killed, held or not */
			if (stop_at && now >= stop_at && !p->reaped)
				ta_proc_kill(p, "teeq-sw stops");
			if (!p->reaped && ta_proc_dead(p))
				ta_proc_reap(p); /* killed: look again soon */
			if (!p->reaped)
				tick |= ta_proc_dead(p);
			alive += !p->reaped;
			pp = &p->next;
		}
		if (ta_procs.stop && !stop_at)
			stop_at = now + 2ull * ta_procs.opts.kill_ms * 1000000;
		tick |= ta_procs.stop && alive;
		stop = ta_procs.stop && !alive;
		pthread_mutex_unlock(&ta_procs.lock);
		if (stop)
			return NULL;
	}
}

/* ---- starting ---------------------------------------------------------------- */

/* The child, between clone and exec: raw system calls only (the parent
 * has other threads, whose locks are copied held). */
static void __attribute__((noreturn))
ta_proc_child(const int fds[5], const char *exe, const cpu_set_t *cpus)
{
	char *const argv[] = { (char *)"teeq-ta-host", NULL };
	uint64_t no_signals = 0;
	int moved[5], i;

	/* above the targets first: a source may sit on a target number */
	for (i = 0; i < 5; i++) {
		moved[i] = (int)syscall(SYS_fcntl, fds[i], F_DUPFD_CLOEXEC, 64);
		if (moved[i] < 0)
			syscall(SYS_exit_group, 126);
	}
	for (i = 0; i < 5; i++)
		if (syscall(SYS_dup3, moved[i], TEEQ_TA_PROC_FD_SOCK + i, 0) <
		    0)
			syscall(SYS_exit_group, 126);
	syscall(SYS_close_range, TEEQ_TA_PROC_FD_SOCK + 5, ~0u, 0);
	/* teeq-sw blocks the signals its control thread reads */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &no_signals, NULL,
		sizeof(no_signals));
	/* not the CPU a pinned thread of teeq-sw that started it has */
	syscall(SYS_sched_setaffinity, 0, sizeof(*cpus), cpus);
	syscall(SYS_execve, exe, argv, environ);
	syscall(SYS_exit_group, 127);
	__builtin_unreachable();
}

static int ta_proc_spawn(struct ta_proc *p, int ta_fd)
{
	struct clone_args args;
	int sv[2], fds[5];
	cpu_set_t cpus;
	long pid;

	/* any CPU (the kernel keeps it within teeq-sw's cpuset) */
	memset(&cpus, 0xff, sizeof(cpus));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fds[0] = sv[1];
	fds[1] = ta_fd;
	fds[2] = p->region_fd;
	fds[3] = p->sq_db;
	fds[4] = p->cq_db;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&p->pidfd;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		ta_proc_child(fds, ta_procs.opts.host_exe, &cpus);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -errno;
	}
	p->pid = (pid_t)pid;
	p->sock = sv[0];
	return 0;
}

static int ta_proc_channel(struct ta_proc *p)
{
	struct channel_params cp = {
		.nr_qpairs = 1,
		.sq_entries = TA_PROC_RING_ENTRIES,
		.heap_size = ta_procs.opts.heap_size,
		.features = TEEQ_FEAT_NEED_WAKEUP,
	};
	int ret;

	ret = channel_plan(&cp, &p->layout);
	if (ret)
		return ret;
	p->region_fd =
		shm_memfd_create("teeq-ta-channel", p->layout.region_size);
	if (p->region_fd < 0)
		return p->region_fd;
	ret = shm_map(p->region_fd, p->layout.region_size, &p->region);
	if (ret) {
		p->region = NULL;
		return ret;
	}
	ret = channel_format(p->region, &p->layout);
	if (!ret)
		ret = channel_attach_qpair(p->region, &p->layout, 0, &p->sq,
					   RING_PRODUCER, &p->cq,
					   RING_CONSUMER);
	p->heap = (unsigned char *)p->region + p->layout.heap_off;
	return ret;
}

static struct ta_proc *ta_proc_alloc(const struct ta_uuid *uuid)
{
	struct ta_proc *p = calloc(1, sizeof(*p));
	pthread_condattr_t attr;

	if (!p)
		return NULL;
	p->uuid = *uuid;
	ta_load_uuid_str(uuid, p->name);
	p->pidfd = p->sock = p->region_fd = -1;
	p->refs = 1;
	/* the starter holds the turn until the TA is ready: it alone serves
	 * TA_CreateEntryPoint's storage requests */
	p->busy = 1;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&p->lock, NULL);
	p->sq_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->cq_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->sq_db < 0 || p->cq_db < 0 || ta_proc_channel(p)) {
		ta_proc_free(p);
		return NULL;
	}
	return p;
}

/* Waits for READY, at most the call time limit (or TA_PROC_START_MS,
 * if longer); 0 with @r, or an error (TEE) with the process killed. */
static uint32_t ta_proc_wait_ready(struct ta_proc *p, struct ta_call *call,
				   struct teeq_ta_proc_ready *r)
{
	uint32_t ms = ta_procs.opts.limit_ms > TA_PROC_START_MS ?
			      ta_procs.opts.limit_ms :
			      TA_PROC_START_MS;
	uint64_t deadline = ta_proc_now() + (uint64_t)ms * 1000000;
	struct pollfd pfd = { .fd = p->sock, .events = POLLIN };
	const struct teeq_ta_proc_hdr *h;
	ssize_t n;

	for (;;) {
		uint64_t now = ta_proc_now();

		if (ta_cancelled(call)) {
			ta_proc_kill(p, "its start was cancelled");
			return TEEQ_ERROR_CANCEL;
		}
		if (now >= deadline) {
			ta_proc_kill(p, "it did not start in time");
			return TEEQ_ERROR_TARGET_DEAD;
		}
		if (poll(&pfd, 1, TA_PROC_SLICE_NS / 1000000) <= 0)
			continue;
		n = ta_proc_recv(p);
		if (!n)
			continue;
		if (n < 0) {
			ta_proc_ended(p);
			return TEEQ_ERROR_TARGET_DEAD;
		}
		h = p->msg;
		/* TA_CreateEntryPoint may use the TA's storage */
		if (h->type == TEEQ_TA_PROC_STORAGE) {
			if (ta_proc_storage(p, (size_t)n))
				return TEEQ_ERROR_TARGET_DEAD;
			continue;
		}
		if (n != sizeof(*r) || h->magic != TEEQ_TA_PROC_MAGIC ||
		    h->type != TEEQ_TA_PROC_READY || h->len != sizeof(*r)) {
			ta_proc_kill(p, "it did not say READY");
			return TEEQ_ERROR_TARGET_DEAD;
		}
		memcpy(r, p->msg, sizeof(*r));
		r->why[sizeof(r->why) - 1] = 0;
		return 0;
	}
}

uint32_t ta_proc_start(const struct ta_uuid *uuid,
		       const struct ta_load_file *file, struct ta_call *call,
		       struct ta_proc **out, uint32_t *origin)
{
	struct teeq_ta_proc_hello hello = {
		.hdr = { .magic = TEEQ_TA_PROC_MAGIC,
			 .type = TEEQ_TA_PROC_HELLO,
			 .len = sizeof(hello) },
		.version = TEEQ_TA_PROC_VERSION,
		.sw_pid = (uint32_t)getpid(),
		.file_size = file->size,
		.spin_ns = ta_procs.opts.spin_ns,
	};
	struct epoll_event ev = { .events = EPOLLIN };
	struct teeq_ta_proc_ready ready;
	struct ta_proc *p;
	uint32_t ret;

	*origin = TEEQ_ORIGIN_TEE;
	pthread_mutex_lock(&ta_procs.lock);
	if (!ta_procs.running || ta_procs.stop ||
	    ta_procs.count >= ta_procs.opts.max_procs) {
		pthread_mutex_unlock(&ta_procs.lock);
		fprintf(stderr,
			"teeq-sw[%d]: no TA process started: %u of %u run "
			"(--ta-max-procs)\n",
			(int)getpid(), ta_procs.count, ta_procs.opts.max_procs);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	ta_procs.count++; /* reserved */
	pthread_mutex_unlock(&ta_procs.lock);

	p = ta_proc_alloc(uuid);
	if (!p || ta_proc_spawn(p, file->memfd)) {
		if (p)
			ta_proc_free(p);
		pthread_mutex_lock(&ta_procs.lock);
		ta_procs.count--;
		pthread_mutex_unlock(&ta_procs.lock);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	/* from here the supervisor reaps it, and frees it with its last
	 * reference */
	ev.data.ptr = p;
	pthread_mutex_lock(&ta_procs.lock);
	p->next = ta_procs.all;
	ta_procs.all = p;
	if (epoll_ctl(ta_procs.epfd, EPOLL_CTL_ADD, p->pidfd, &ev))
		ta_proc_kill(p, "it cannot be watched");
	pthread_mutex_unlock(&ta_procs.lock);
	ta_proc_log(p, 1, "started");

	ta_uuid_to_wire(uuid, &hello.uuid);
	hello.region_size = p->layout.region_size;
	if (send(p->sock, &hello, sizeof(hello), MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    sizeof(hello)) {
		ta_proc_kill(p, "it could not be greeted");
		ret = TEEQ_ERROR_TARGET_DEAD;
		goto fail;
	}
	ret = ta_proc_wait_ready(p, call, &ready);
	if (ret)
		goto fail;
	if (ready.status) {
		ta_proc_log(p, 0, "not loaded: %s (%s)", ready.why,
			    strerror(-ready.status));
		ta_proc_kill(p, "its TA could not be loaded");
		ret = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto fail;
	}
	if (ready.ta_flags != file->ta_flags) {
		ta_proc_kill(p, "its code's flags are not its file's");
		ret = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto fail;
	}
	if (ready.result != TEEQ_SUCCESS) {
		ta_proc_log(p, 1, "TA_CreateEntryPoint failed: 0x%08x",
			    ready.result);
		ta_proc_kill(p, "its TA_CreateEntryPoint failed");
		ret = ready.result;
		*origin = TEEQ_ORIGIN_TRUSTED_APP;
		goto fail;
	}
	p->ta_flags = ready.ta_flags;
	ta_proc_give_turn(p);
	*out = p;
	return TEEQ_SUCCESS;

fail:
	ta_proc_give_turn(p); /* dead: its objects closed */
	ta_proc_put(p);
	return ret;
}

/* ---- the whole ------------------------------------------------------------------ */

uint32_t ta_proc_count(void)
{
	uint32_t n;

	pthread_mutex_lock(&ta_procs.lock);
	n = ta_procs.count;
	pthread_mutex_unlock(&ta_procs.lock);
	return n;
}

int ta_proc_init(const struct ta_proc_opts *o)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	sigset_t all, old;
	int err;

	ta_procs.opts = *o;
	ta_procs.epfd = epoll_create1(EPOLL_CLOEXEC);
	ta_procs.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ta_procs.epfd < 0 || ta_procs.wake_fd < 0 ||
	    epoll_ctl(ta_procs.epfd, EPOLL_CTL_ADD, ta_procs.wake_fd, &ev)) {
		ta_proc_fini();
		return -ENOMEM;
	}
	/* the supervisor takes no signal: the host's control thread reads
	 * those it cares about */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&ta_procs.thread, NULL, ta_proc_supervise, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		ta_proc_fini();
		return -err;
	}
	ta_procs.running = 1;
	return 0;
}

/* Every instance is destroyed (the caller dropped its holds), each
 * process gone or killed; then the supervisor ends. */
void ta_proc_fini(void)
{
	struct ta_proc *p;

	if (ta_procs.running) {
		pthread_mutex_lock(&ta_procs.lock);
		ta_procs.stop = 1;
		pthread_mutex_unlock(&ta_procs.lock);
		ta_proc_poke();
		pthread_join(ta_procs.thread, NULL);
		ta_procs.running = 0;
		/* all reaped; still held only if a hold was never dropped */
		while ((p = ta_procs.all)) {
			ta_procs.all = p->next;
			ta_proc_log(p, 0, "still held at exit");
			ta_proc_free(p);
		}
		ta_procs.count = 0;
	}
	if (ta_procs.epfd >= 0)
		close(ta_procs.epfd);
	if (ta_procs.wake_fd >= 0)
		close(ta_procs.wake_fd);
	ta_procs.epfd = ta_procs.wake_fd = -1;
	ta_procs.stop = 0;
}
