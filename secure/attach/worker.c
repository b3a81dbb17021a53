// SPDX-License-Identifier: MIT
/*
 * Worker threads: each drains the submission rings of the queue pairs it
 * was given, dispatches every entry through the core and posts the
 * completions. It spins for a budget after the last work it saw, then sets
 * NEED_WAKEUP on all its rings and sleeps in epoll on their doorbells.
 *
 * A worker's set of queue pairs changes only on its own thread, through
 * commands the control thread queues (add a queue pair, detach a client),
 * so the draining loop takes no lock.
 *
 * Calls to commands a trusted app says may wait (ta_cmd_blocks()) do not
 * run on a worker: they go to the call threads (calls.c), and their
 * completions come back to the worker that owns the queue pair, which
 * alone produces into its completion ring. So a call that waits for
 * seconds holds up no other call, on any queue pair; only calls that
 * compute (a cipher over 16 MiB) keep their worker busy while they run.
 */
#include "secure/attach/attach.h"

#include "ring/wait.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* a sleeping worker re-checks its rings this often even without a
 * doorbell: a client that broke the credit rules must not wedge it */
#define SW_WORKER_SLEEP_MS 1000

static uint64_t sw_worker_now(void)
{
	return ring_now_ns();
}

static void sw_worker_queue(struct sw_worker *w, struct sw_cmd *cmd)
{
	uint64_t one = 1;

	cmd->next = NULL;
	pthread_mutex_lock(&w->cmd_lock);
	*w->cmds_tail = cmd;
	w->cmds_tail = &cmd->next;
	__atomic_store_n(&w->cmd_pending, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&w->cmd_lock);
	(void)!write(w->cmd_fd, &one, sizeof(one));
}

void sw_worker_add_qp(struct sw_worker *w, struct sw_hqp *qp)
{
	struct sw_cmd *cmd = calloc(1, sizeof(*cmd));

	if (!cmd)
		abort(); /* a few bytes at attach time */
	cmd->type = SW_CMD_ADD_QP;
	cmd->qp = qp;
	sw_worker_queue(w, cmd);
}

void sw_worker_detach(struct sw_worker *w, struct sw_hclient *hc)
{
	struct sw_cmd *cmd = calloc(1, sizeof(*cmd));

	if (!cmd)
		abort();
	cmd->type = SW_CMD_DETACH;
	cmd->hc = hc;
	sw_worker_queue(w, cmd);
}

static void sw_worker_do_add(struct sw_worker *w, struct sw_hqp *qp)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = qp };

	if (qp->db_socket)
		ev.events |= EPOLLRDHUP; /* the client closing its end */
	if (w->nr_qps == SW_WORKER_MAX_QPS ||
	    epoll_ctl(w->epfd, EPOLL_CTL_ADD, qp->sq_db, &ev)) {
		sw_control_client_broken(qp->hc,
					 "worker cannot take more rings");
		return;
	}
	w->qps[w->nr_qps++] = qp;
}

static void sw_worker_do_detach(struct sw_worker *w, struct sw_hclient *hc)
{
	uint32_t i = 0;
	uint64_t one = 1;

	while (i < w->nr_qps) {
		if (w->qps[i]->hc != hc) {
			i++;
			continue;
		}
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->qps[i]->sq_db, NULL);
		w->qps[i] = w->qps[--w->nr_qps];
	}
	/* release: we are done with the client before the control thread
	 * sees the count drop */
	if (__atomic_sub_fetch(&hc->detach_pending, 1, __ATOMIC_ACQ_REL) == 0)
		(void)!write(w->host->wake_fd, &one, sizeof(one));
}

static void sw_worker_commands(struct sw_worker *w)
{
	struct sw_cmd *cmd, *next;
	uint64_t count;

	pthread_mutex_lock(&w->cmd_lock);
	cmd = w->cmds;
	w->cmds = NULL;
	w->cmds_tail = &w->cmds;
	__atomic_store_n(&w->cmd_pending, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&w->cmd_lock);
	(void)!read(w->cmd_fd, &count, sizeof(count));
	for (; cmd; cmd = next) {
		next = cmd->next;
		if (cmd->type == SW_CMD_ADD_QP)
			sw_worker_do_add(w, cmd->qp);
		else
			sw_worker_do_detach(w, cmd->hc);
		free(cmd);
	}
}

/*
 * Called from inside a long trusted-app call: look at entries queued on our
 * rings, without consuming them, for cancellation requests, since this
 * thread cannot get to them otherwise until the call returns.
 */
static void sw_worker_peek_cancels(void *arg)
{
	struct sw_worker *w = arg;
	uint32_t i, j, n;

	for (i = 0; i < w->nr_qps; i++) {
		struct sw_hqp *qp = w->qps[i];

		n = ring_cons_avail(&qp->sq, qp->sq.entries);
		for (j = 0; j < n; j++)
			sw_peek_cancel(&qp->hc->core,
				       ring_cons_slot(&qp->sq, j));
	}
}

/* Rings @qp's client, who asked for it (NEED_WAKEUP). Never waits: the
 * socket end is ours alone and the send is MSG_DONTWAIT; the driver's
 * channel file takes a write at once. */
static void sw_worker_ring(struct sw_hqp *qp)
{
	uint64_t one = 1;

	if (qp->db_socket)
		ring_doorbell_socket(qp->cq_db);
	else
		(void)!write(qp->cq_db, &one, sizeof(one));
}

/* Publishes @n completions on @qp's completion ring (room was checked).
 * Inline: a sync call is a batch of one, and a call here would be a good
 * part of its cost. */
static inline __attribute__((always_inline)) void
sw_worker_post(struct sw_worker *w, struct sw_hqp *qp,
	       const struct teeq_cqe *cqes, uint32_t n)
{
	struct ring_batch out = ring_batch_of(&qp->cq);
	uint32_t i;

	/* counted before publishing: whoever sees a completion sees it in
	 * the stats too (the stamps are release stores); this thread is the
	 * count's only writer, so no locked add */
	__atomic_store_n(&w->calls,
			 __atomic_load_n(&w->calls, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
	/* our writes to the client's memory are done, as far as any later
	 * submission of it is concerned (before the first stamp) */
	teeq_peer_release(&qp->hc->core);
	for (i = 0; i < n; i++)
		ring_batch_put(&out, i, &cqes[i], sizeof(cqes[i]));
	if (ring_prod_publish(&qp->cq, n)) {
		sw_worker_ring(qp);
		__atomic_add_fetch(&w->doorbells, 1, __ATOMIC_RELAXED);
	}
}

/* The chain of the session @sqe names, or NULL for an entry of none. An
 * opening (of a loaded TA's session, which may wait) takes chain 0. */
static struct sw_chain *sw_worker_chain(struct sw_hqp *qp,
					const struct teeq_sqe *sqe)
{
	if (sqe->opcode != TEEQ_OP_INVOKE &&
	    sqe->opcode != TEEQ_OP_CLOSE_SESSION &&
	    sqe->opcode != TEEQ_OP_OPEN_SESSION)
		return NULL;
	return &qp->hc->chains[sqe->session & (SW_CHAINS - 1)];
}

/* Hands @sqe to the call threads, behind its session's earlier deferred
 * calls; 0 if there is no memory for it. */
static int sw_worker_defer(struct sw_hqp *qp, struct sw_chain *ch,
			   const struct teeq_sqe *sqe)
{
	struct sw_job *job = malloc(sizeof(*job));

	if (!job)
		return 0;
	job->qp = qp;
	job->sqe = *sqe;
	job->next = NULL;
	/* the client stays until its calls are back (sw_host_sweep) */
	__atomic_add_fetch(&qp->hc->jobs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ch->pending, 1, __ATOMIC_RELAXED);
	sw_calls_submit(&qp->worker->host->calls, qp->hc, ch, job);
	return 1;
}

/*
 * Runs the @n entries known to be in @qp's submission ring, for which its
 * completion ring has room: every call a worker makes goes through here
 * (`make bench-instr` counts the instructions of this function per call).
 */
static __attribute__((noinline)) void
sw_worker_run(struct sw_worker *w, struct sw_hqp *qp, uint32_t n)
{
	struct teeq_sqe sqes[SW_WORKER_BATCH];
	struct teeq_cqe cqes[SW_WORKER_BATCH];
	struct ring_batch in = ring_batch_of(&qp->sq);
	uint32_t i, jobs, done = 0;

	for (i = 0; i < n; i++)
		sw_sqe_copy(&sqes[i], ring_batch_slot(&in, i));
	ring_cons_release(&qp->sq, n);
	/* the client's memory: ordered by the client since our post */
	teeq_peer_acquire(&qp->hc->core);

	/* every call first, then the completions in one burst: a store to
	 * a completion slot waits for the line to come back from the
	 * client, and the locked instructions of a call (session lock and
	 * references) wait for every earlier store; interleaved, each call
	 * would pay one cross-core miss */
	/* the client's calls with the call threads (or their completions
	 * not posted yet): while there are none, no session has a deferred
	 * call for a later one to wait behind, and no chain is looked at;
	 * acquire: the calls that ended are over (pairs with the release
	 * of their count in sw_worker_post_jobs()) */
	jobs = __atomic_load_n(&qp->hc->jobs, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		struct sw_chain *ch = NULL;
		enum sw_dispatch_result res = SW_DEFERRED;

		/* behind a deferred call of its session: deferred too, in
		 * order; else run here, unless it would wait (only an entry
		 * of a session, with a chain, is ever deferred) */
		if (jobs)
			ch = sw_worker_chain(qp, &sqes[i]);
		if (!ch || !__atomic_load_n(&ch->pending, __ATOMIC_ACQUIRE))
			res = sw_dispatch(&qp->hc->core, &sqes[i], &cqes[done],
					  sw_worker_peek_cancels, w,
					  SW_DISPATCH_MAY_DEFER);
		if (res == SW_DEFERRED) {
			if (!ch)
				ch = sw_worker_chain(qp, &sqes[i]);
			if (ch && sw_worker_defer(qp, ch, &sqes[i])) {
				jobs = 1; /* the session's next ones go after */
				continue;
			}
			/* no memory to hand it over: it waits here */
			sw_dispatch(&qp->hc->core, &sqes[i], &cqes[done],
				    sw_worker_peek_cancels, w, 0);
		}
		done++;
	}
	/* a client dropped meanwhile gets nothing: its calls end with its
	 * connection (TARGET_DEAD), not with results of calls cut short */
	if (done && !__atomic_load_n(&qp->hc->core.dying, __ATOMIC_ACQUIRE))
		sw_worker_post(w, qp, cqes, done);
}

/* Drains up to one batch from @qp; returns the entries handled. */
uint32_t sw_worker_drain(struct sw_worker *w, struct sw_hqp *qp)
{
	uint32_t n, space;

	if (__atomic_load_n(&qp->hc->core.broken, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&qp->hc->core.dying, __ATOMIC_ACQUIRE))
		return 0;
	n = ring_cons_avail(&qp->sq, SW_WORKER_BATCH);
	if (!n) {
		if (ring_broken(&qp->sq))
			sw_control_client_broken(qp->hc, "bad submission ring");
		return 0;
	}
	/* never more than the completion ring can take: a client that
	 * ignores its credits stalls itself, not us */
	space = ring_prod_space(&qp->cq, n);
	if (ring_broken(&qp->cq)) {
		sw_control_client_broken(qp->hc, "bad completion ring");
		return 0;
	}
	if (n > space)
		n = space;
	if (n > SW_WORKER_BATCH)
		n = SW_WORKER_BATCH;
	sw_worker_run(w, qp, n);
	/* a batch, and no next entry yet: while the client is still filling
	 * its next batch, the lines of this one back to memory, where its
	 * fills one ring later take them without waiting for us */
	if (n > 1 && !ring_cons_ready(&qp->sq))
		ring_cons_drop(&qp->sq, n);
	return n;
}

/*
 * Completions the call threads handed back: posted on their queue pair's
 * completion ring. One that finds no room (a client ignoring its credits)
 * waits in w->retry for a later round.
 */
void sw_worker_post_jobs(struct sw_worker *w)
{
	struct sw_job *job, *next, **keep = &w->retry;
	uint64_t one = 1, count;

	/* the wake-up is consumed here; commands have their own flag */
	(void)!read(w->cmd_fd, &count, sizeof(count));
	pthread_mutex_lock(&w->jobs_lock);
	job = w->jobs_done;
	w->jobs_done = NULL;
	w->jobs_last = NULL;
	__atomic_store_n(&w->jobs_pending, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&w->jobs_lock);
	/* after the ones still waiting for room */
	while (*keep)
		keep = &(*keep)->next;
	*keep = job;
	for (job = w->retry, keep = &w->retry; job; job = next) {
		struct sw_hclient *hc = job->qp->hc;

		next = job->next;
		if (!__atomic_load_n(&hc->core.dying, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&hc->core.broken, __ATOMIC_RELAXED)) {
			if (!ring_prod_space(&job->qp->cq, 1)) {
				if (ring_broken(&job->qp->cq))
					sw_control_client_broken(
						hc, "bad completion ring");
				*keep = job;
				keep = &job->next;
				continue;
			}
			job->cqe.flags = hc->deferred_hint;
			sw_worker_post(w, job->qp, &job->cqe, 1);
		}
		free(job);
		/* release: done with the client before the control thread
		 * sees the count drop */
		if (__atomic_sub_fetch(&hc->jobs, 1, __ATOMIC_ACQ_REL) == 0 &&
		    __atomic_load_n(&hc->core.dying, __ATOMIC_ACQUIRE))
			(void)!write(w->host->wake_fd, &one, sizeof(one));
	}
	*keep = NULL;
}

/* Back to the worker that owns the job's queue pair, to be posted. */
void sw_worker_job_done(struct sw_job *job)
{
	struct sw_worker *w = job->qp->worker;
	uint64_t one = 1;

	job->next = NULL;
	pthread_mutex_lock(&w->jobs_lock);
	if (w->jobs_last)
		w->jobs_last->next = job;
	else
		w->jobs_done = job;
	w->jobs_last = job;
	__atomic_store_n(&w->jobs_pending, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&w->jobs_lock);
	(void)!write(w->cmd_fd, &one, sizeof(one));
}

/* Announce sleep on every ring; nonzero if one got work meanwhile. */
static int sw_worker_prepare_sleep(struct sw_worker *w)
{
	uint32_t i;

	for (i = 0; i < w->nr_qps; i++)
		if (ring_cons_prepare_sleep(&w->qps[i]->sq) ||
		    ring_broken(&w->qps[i]->sq))
			return 1;
	return 0;
}

static void sw_worker_end_sleep(struct sw_worker *w)
{
	uint32_t i;

	for (i = 0; i < w->nr_qps; i++)
		ring_cons_end_sleep(&w->qps[i]->sq);
}

/* Takes the rings of the doorbells that woke us; a doorbell whose client
 * end closed (or that says so) is the client hanging up. */
static void sw_worker_doorbells(struct sw_worker *w)
{
	struct epoll_event ev[16];
	uint64_t count;
	int n, i;

	n = epoll_wait(w->epfd, ev, 16, 0);
	for (i = 0; i < n; i++) {
		struct sw_hqp *qp = ev[i].data.ptr;

		if (ev[i].data.ptr == w) {
			/* the command eventfd: its flags say what is pending,
			 * and a wake-up written after they were taken (they
			 * are set before it is written) would wake every
			 * later sleep at once, for ever */
			(void)!read(w->cmd_fd, &count, sizeof(count));
			continue;
		}
		if (!qp->db_socket) {
			/* the kernel attachment's eventfd: ours and the
			 * driver's only, so a read cannot wait */
			(void)!read(qp->sq_db, &count, sizeof(count));
			continue;
		}
		if ((ev[i].events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) ||
		    ring_doorbell_drain(qp->sq_db)) {
			/* level-triggered, a hang-up would wake us for ever */
			epoll_ctl(w->epfd, EPOLL_CTL_DEL, qp->sq_db, NULL);
			sw_control_client_broken(qp->hc, "");
		}
	}
}

/*
 * Sleeps until a doorbell, a command or SW_WORKER_SLEEP_MS. In poll() on
 * the epoll instance rather than in epoll_wait(): a socket wakes whoever
 * waits on it directly with the scheduler's "sync" hint, which would put
 * us on the CPU of a client that goes on polling for its completion; the
 * epoll instance passes the wake-up on to poll() without it.
 */
static void sw_worker_sleep(struct sw_worker *w)
{
	struct pollfd pfd = { .fd = w->epfd, .events = POLLIN };

	if (poll(&pfd, 1, SW_WORKER_SLEEP_MS) > 0)
		sw_worker_doorbells(w);
	__atomic_add_fetch(&w->sleeps, 1, __ATOMIC_RELAXED);
}

static void *sw_worker_main(void *arg)
{
	struct sw_worker *w = arg;
	struct sw_host *h = w->host;
	uint64_t idle_since = sw_worker_now();
	uint32_t i, did, polls = 0;

	if (h->opts.cpus[w->index] >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(h->opts.cpus[w->index], &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&w->cmd_pending, __ATOMIC_ACQUIRE))
			sw_worker_commands(w);
		if (__atomic_load_n(&w->jobs_pending, __ATOMIC_ACQUIRE) ||
		    w->retry)
			sw_worker_post_jobs(w);
		/* a sweep reads one stamp per ring: its length is how late a
		 * worker polling many rings sees a call (a sync call waits
		 * for half a sweep, on average, before it is seen) */
		did = 0;
		for (i = 0; i < w->nr_qps; i++)
			if (ring_cons_ready(&w->qps[i]->sq))
				did += sw_worker_drain(w, w->qps[i]);
		if (did) {
			polls = 0;
			continue;
		}
		/* the clock is read every 64 empty polls, not every poll */
		if (++polls % 64 == 1) {
			uint64_t now = sw_worker_now();

			if (polls == 1)
				idle_since = now;
			if (now - idle_since < h->opts.spin_ns)
				continue;
		} else {
			teeq_cpu_relax();
			continue;
		}
		if (!sw_worker_prepare_sleep(w) &&
		    !__atomic_load_n(&w->cmd_pending, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&w->jobs_pending, __ATOMIC_ACQUIRE))
			sw_worker_sleep(w);
		sw_worker_end_sleep(w);
		polls = 0;
	}
	return NULL;
}

int sw_workers_start(struct sw_host *h)
{
	uint32_t i;
	int ret;

	h->workers = calloc(h->opts.workers, sizeof(*h->workers));
	if (!h->workers)
		return -ENOMEM;
	ret = sw_calls_start(&h->calls, h->opts.call_threads);
	if (ret)
		return ret;
	for (i = 0; i < h->opts.workers; i++) {
		struct sw_worker *w = &h->workers[i];
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = w };

		w->host = h;
		w->index = i;
		w->cmds_tail = &w->cmds;
		pthread_mutex_init(&w->cmd_lock, NULL);
		pthread_mutex_init(&w->jobs_lock, NULL);
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
		w->cmd_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (w->epfd < 0 || w->cmd_fd < 0 ||
		    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->cmd_fd, &ev) ||
		    pthread_create(&w->thread, NULL, sw_worker_main, w))
			return -errno;
	}
	return 0;
}

void sw_jobs_free(struct sw_job *job)
{
	struct sw_job *next;

	for (; job; job = next) {
		next = job->next;
		free(job);
	}
}

/* Call threads first (the caller made running calls see themselves
 * cancelled), then the workers; calls not yet back are dropped. */
void sw_workers_stop(struct sw_host *h)
{
	uint64_t one = 1;
	uint32_t i;

	sw_calls_stop(&h->calls);

	__atomic_store_n(&h->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < h->opts.workers && h->workers; i++) {
		struct sw_worker *w = &h->workers[i];

		(void)!write(w->cmd_fd, &one, sizeof(one));
		pthread_join(w->thread, NULL);
		/* commands that came too late to matter */
		while (w->cmds) {
			struct sw_cmd *next = w->cmds->next;

			free(w->cmds);
			w->cmds = next;
		}
		sw_jobs_free(w->jobs_done);
		sw_jobs_free(w->retry);
		close(w->epfd);
		close(w->cmd_fd);
		pthread_mutex_destroy(&w->cmd_lock);
		pthread_mutex_destroy(&w->jobs_lock);
	}
	free(h->workers);
	h->workers = NULL;
}

void sw_workers_stats(struct sw_host *h, struct teeq_sw_stats *st)
{
	uint32_t i;

	for (i = 0; i < h->opts.workers; i++) {
		struct sw_worker *w = &h->workers[i];

		st->calls += __atomic_load_n(&w->calls, __ATOMIC_RELAXED);
		st->doorbells_rung +=
			__atomic_load_n(&w->doorbells, __ATOMIC_RELAXED);
		st->worker_sleeps +=
			__atomic_load_n(&w->sleeps, __ATOMIC_RELAXED);
	}
}
