// SPDX-License-Identifier: MIT
/* The io_uring baselines; see uring.h. */
#include "bench/uring.h"

#include "ring/atomics.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void uring_nop_batch(struct bench *b, struct io_uring *ring, uint32_t batch)
{
	struct io_uring_cqe *cqe;
	uint32_t i, seen = 0, bad = 0;
	unsigned int head;
	int ret;

	for (i = 0; i < batch; i++)
		io_uring_prep_nop(io_uring_get_sqe(ring));
	ret = io_uring_submit_and_wait(ring, batch);
	io_uring_for_each_cqe(ring, head, cqe)
	{
		bad += cqe->res < 0;
		seen++;
	}
	io_uring_cq_advance(ring, seen);
	if (ret != (int)batch || seen != batch || bad)
		bench_fail(b,
			   "io_uring: submitted %d, %u of %u completed, "
			   "%u failed",
			   ret, seen, batch, bad);
}

#define URING_MAX_POLLERS 16

/* The "iou-sqp-PID" threads of this process, up to @max of them. */
static int uring_pollers(pid_t *tids, int max)
{
	char path[300], comm[32];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	int n = 0;
	FILE *f;

	while (dir && n < max && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, "iou-sqp-", 8))
			tids[n++] = (pid_t)atoi(d->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return n;
}

static void uring_nap(void)
{
	struct timespec nap = { 0, 1000000 };

	nanosleep(&nap, NULL);
}

/*
 * The poller a ring set up after @before (the pollers there were then,
 * @nbefore of them) started, or 0. A poller names itself once it runs,
 * and one of an earlier ring may still be exiting: looked for until a new
 * one shows, for up to a second.
 */
static pid_t uring_new_poller(const pid_t *before, int nbefore)
{
	pid_t now[URING_MAX_POLLERS];
	int tries, n, i, j;

	for (tries = 0; tries < 1000; tries++) {
		n = uring_pollers(now, URING_MAX_POLLERS);
		for (i = 0; i < n; i++) {
			for (j = 0; j < nbefore && before[j] != now[i]; j++)
				;
			if (j == nbefore)
				return now[i];
		}
		uring_nap();
	}
	return 0;
}

int uring_sqpoll_open(struct uring_sqpoll *u, uint32_t batch, int idle_ms)
{
	struct io_uring_params params = {
		.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
		.sq_thread_cpu = BENCH_PEER_CPU,
		.sq_thread_idle = (uint32_t)idle_ms,
	};
	pid_t before[URING_MAX_POLLERS];
	int nbefore, ret;

	memset(u, 0, sizeof(*u));
	u->batch = batch;
	u->idle_ms = idle_ms;
	nbefore = uring_pollers(before, URING_MAX_POLLERS);
	ret = io_uring_queue_init_params(URING_SQPOLL_DEPTH, &u->ring, &params);
	if (ret < 0)
		return ret;
	u->tid = uring_new_poller(before, nbefore);
	if (!u->tid) {
		io_uring_queue_exit(&u->ring);
		return -ESRCH;
	}
	return 0;
}

/* Completions that are there, without entering the kernel. */
static int uring_sqpoll_reap(struct bench *b, struct uring_sqpoll *u)
{
	struct io_uring_cqe *cqe;
	unsigned int head;
	uint32_t seen = 0, bad = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe)
	{
		bad += cqe->res < 0;
		seen++;
	}
	io_uring_cq_advance(&u->ring, seen);
	u->in_flight -= seen;
	if (bad) {
		bench_fail(b, "io_uring: %u NOPs failed", bad);
		return -1;
	}
	return 0;
}

int uring_sqpoll_batch(struct bench *b, struct uring_sqpoll *u)
{
	struct io_uring_sqe *sqe;
	uint32_t i;
	int ret;

	if (uring_sqpoll_reap(b, u))
		return -1;
	while (u->in_flight + u->batch > URING_SQPOLL_DEPTH) {
		teeq_cpu_relax();
		if (uring_sqpoll_reap(b, u))
			return -1;
	}
	for (i = 0; i < u->batch; i++) {
		/* the poller has not taken an earlier batch yet */
		while (!(sqe = io_uring_get_sqe(&u->ring)))
			teeq_cpu_relax();
		io_uring_prep_nop(sqe);
	}
	/* with SQPOLL this says how many the poller has yet to take, and
	 * enters the kernel only if the poller sleeps */
	ret = io_uring_submit(&u->ring);
	if (ret < 0) {
		bench_fail(b, "io_uring_submit: %s", strerror(-ret));
		return -1;
	}
	u->in_flight += u->batch;
	return 0;
}

int uring_sqpoll_drain(struct bench *b, struct uring_sqpoll *u)
{
	while (u->in_flight) {
		if (uring_sqpoll_reap(b, u))
			return -1;
		teeq_cpu_relax();
	}
	return 0;
}

void uring_sqpoll_close(struct uring_sqpoll *u)
{
	pid_t now[URING_MAX_POLLERS];
	int tries, n, i;

	io_uring_queue_exit(&u->ring);
	for (tries = 0; tries < 1000; tries++) {
		n = uring_pollers(now, URING_MAX_POLLERS);
		for (i = 0; i < n && now[i] != u->tid; i++)
			;
		if (i == n)
			return;
		uring_nap();
	}
}
