// SPDX-License-Identifier: MIT
/*
 * Paired rounds: each ratio from one placement of the vCPUs.
 *
 * This VM moves its two vCPUs between placements, sometimes within
 * seconds (a near one, cross-core ping-pong 60-100 ns, and a far one,
 * 350-420 ns), so a ratio of figures from separate runs can divide a
 * round trip in one placement by a floor in the other. Here one run makes
 * many rounds; each measures, back to back, a short window of
 *
 *	the cross-process cache-line ping-pong (the floor; baseline/pingpong),
 *	the bare ring round trip (baseline/ring_rtt),
 *	a synchronous noop TEEC_InvokeCommand (teeq/sync/noop),
 *	async noop invocations at batch 32, pipelined, on a deep context
 *	(teeq/async/noop_pipelined/batch:32),
 *	io_uring NOPs at batch 32, submit-wait (baseline/uring_nop/batch:32),
 *	io_uring NOPs at batch 32 with SQPOLL, pipelined
 *	(baseline/uring_sqpoll_nop/batch:32; its poller set up for the
 *	window and gone before the next),
 *	AES-128-CTR of 1 MiB through the TEE, zero-copy and copied
 *	(teeq/payload/cipher_pool and cipher_tmpref), in this process
 *	(baseline/inproc_cipher) and copied to a peer process that does it
 *	(baseline/copy_floor_cipher), each from bench/payload.c,
 *	the floor again (floor_end),
 *
 * each with the code of the benchmark named (bench/peer.h, bench/calls.h,
 * bench/uring.h, and its Google Benchmark loop: see PAIRED_ITERATIONS),
 * an untimed warm-up first, then calls for PAIRED_WINDOW_NS; a window's
 * figure is its mean. A round's ratios divide figures taken within a few
 * milliseconds of each other: sync over ring (and over the floor), async
 * over each io_uring figure, AES-CTR's speed each way over in process's
 * and the copied call's over its floor's.
 *
 * A round is left out only for a cause that does not depend on how fast
 * teeq's own windows ran, so that leaving rounds out cannot favour teeq:
 *
 *	the floor's window was unsteady: its mean was more than
 *	PAIRED_STEADY times the pace of its fastest PAIRED_CHECK_EVERY
 *	calls (the placement changed, or a side lost its CPU, while the
 *	floor was measured);
 *	CPU time was lost in any window: this thread or the window's peer
 *	(the peer process, teeq-sw, the SQPOLL thread) waited on a run
 *	queue for more than 5% of the window in all (schedstat's run delay,
 *	see paired_cpu_check()), or the hypervisor reported stolen time;
 *	the placement changed within the round: its last floor falls on
 *	the other side of the split (below) from its first.
 *
 * Every figure is reported twice, over the rounds kept and over all
 * rounds. Rounds are grouped by their floor: if the largest floor of the
 * kept rounds (of all, when none is kept) is more than PAIRED_SPLIT_RATIO
 * times the smallest, they split at the geometric mean of the two into
 * near (the lower floors) and far; else they are one group. A group whose
 * median floor is under PAIRED_NEAR_MAX_NS is near, else far, and two
 * groups that come out the same are one: a few odd floors (the near
 * placement itself ranges 50-100 ns) do not make a second placement.
 *
 * Counters (plain), per placement seen (P: near or far; medians over its
 * kept rounds, a ratio the median of the rounds' ratios; _all: over all
 * its rounds): rounds_P, rounds_P_all, floor_P_ns, ring_P_ns, sync_P_ns,
 * async32_P_ops, uring32_P_ops, sqpoll32_P_ops, ring_ratio_P,
 * sync_ratio_P, zerocopy_P_ns, copied_P_ns, inproc_P_ns,
 * copy_floor_P_ns, copy_floor_ratio_P, copied_to_floor_P, and
 * sync_to_ring_P, async_to_uring_P, async_to_sqpoll_P, zerocopy_ratio_P,
 * copied_ratio_P with their _all; over every placement: rounds,
 * rounds_kept, rounds_left_out, left_out_floor, left_out_lost_cpu,
 * left_out_moved, sync_to_ring, async_to_uring, async_to_sqpoll,
 * zerocopy_ratio, copied_ratio (kept rounds) with their _all, and
 * ring_ratio, sync_ratio, async32_ops (all rounds); floor_split_ns when
 * the rounds split. Every round goes to paired_rounds.csv in the report
 * directory.
 *
 * The secure world is BENCH_ENV_IDLE's teeq-sw (its one worker on CPU 1
 * sleeps 50 us after its last call; the others are stopped), so that it
 * is asleep, not polling CPU 1, while a peer process has that CPU: each
 * window starts PAIRED_GAP_NS after the last one ended. The AES-CTR
 * windows through the TEE use BENCH_ENV_SPIN's, the payload figures'
 * (polling), and the ones after them none.
 *
 * ~100 rounds (30 with BENCH_QUICK; BENCH_PAIRED_ROUNDS=N says how many),
 * about 70 ms each, in one Google Benchmark run whose time and iteration
 * count mean nothing (see PAIRED_ITERATIONS).
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"
#include "bench/peer.h"
#include "bench/uring.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAIRED_ROUNDS 100
#define PAIRED_ROUNDS_QUICK 30
#define PAIRED_ROUNDS_MAX 1000
#define PAIRED_WINDOW_NS 4000000ull /* timed calls of one window */
#define PAIRED_GAP_NS 1000000l /* the worker's 50 us spin, and then some */
#define PAIRED_WARMUP_CALLS 300 /* round trips before a window */
#define PAIRED_WARMUP_BATCHES 16 /* async batches before a window */
#define PAIRED_CHECK_EVERY 64 /* calls between readings of the clock */
#define PAIRED_BATCH 32
/* The floor window's mean over its fastest calls' pace, at most (steady
 * windows measured 1.02-1.35 on the development VM). */
#define PAIRED_STEADY 1.5
/* Rounds split into two groups when their floors differ this much. */
#define PAIRED_SPLIT_RATIO 2.0
/* A group of rounds is the near placement if its median floor is under
 * this (50-100 ns on the development VM; far is 350-420 ns). */
#define PAIRED_NEAR_MAX_NS 200.0
/* The SQPOLL thread sleeps this long after its last entry (it is set up
 * and torn down around its window anyway). */
#define PAIRED_SQPOLL_IDLE_MS 10
/* AES-CTR calls of this many bytes, the payload figures' headline size,
 * after this many untimed ones */
#define PAIRED_CIPHER_LEN ((size_t)1 << 20)
#define PAIRED_CIPHER_WARMUP 2

enum paired_fig {
	PAIRED_FLOOR, /* ns per round trip */
	PAIRED_RING, /* ns per round trip */
	PAIRED_SYNC, /* ns per round trip */
	PAIRED_ASYNC, /* ops per second */
	PAIRED_URING, /* ops per second */
	PAIRED_SQPOLL, /* ops per second */
	/* AES-128-CTR of PAIRED_CIPHER_LEN bytes, ns per call: */
	PAIRED_ZEROCOPY, /* through the TEE, allocated shared memory */
	PAIRED_COPIED, /* through the TEE, temporary memrefs */
	PAIRED_INPROC, /* in this process */
	PAIRED_COPY_FLOOR, /* copied to a peer process and back */
	PAIRED_FLOOR_END, /* ns per round trip, the round's last window */
	PAIRED_NR_FIGS,
};

/* What a round says beyond its figures: ratios within the round. */
enum paired_ratio {
	PAIRED_RING_RATIO = PAIRED_NR_FIGS, /* ring / floor */
	PAIRED_SYNC_RATIO, /* sync / floor */
	PAIRED_SYNC_TO_RING, /* sync / ring */
	PAIRED_ASYNC_TO_URING, /* async / io_uring submit-wait */
	PAIRED_ASYNC_TO_SQPOLL, /* async / io_uring SQPOLL */
	/* the speed of AES-CTR each way over in process (the inverse of
	 * the time per call's ratio), and the copied call's over its floor */
	PAIRED_ZEROCOPY_RATIO,
	PAIRED_COPIED_RATIO,
	PAIRED_COPY_FLOOR_RATIO,
	PAIRED_COPIED_TO_FLOOR,
};

enum paired_place {
	PAIRED_NEAR,
	PAIRED_FAR,
	PAIRED_NR_PLACES,
};

static const char *const paired_place_names[PAIRED_NR_PLACES] = {
	[PAIRED_NEAR] = "near",
	[PAIRED_FAR] = "far",
};

/* Why a round was left out (bits). */
#define PAIRED_OUT_FLOOR 1u /* the floor's window was unsteady */
#define PAIRED_OUT_LOST_CPU 2u /* a window lost CPU time */
#define PAIRED_OUT_MOVED 4u /* the placement changed within the round */

struct paired_round {
	double fig[PAIRED_NR_FIGS];
	double at_ms; /* when the round started, from the first one */
	unsigned int left_out; /* PAIRED_OUT_* */
	double lost_us; /* the most CPU time a window of it lost */
	/* bit (1 << fig): a round-trip window whose pace wandered as the
	 * floor's must not; the round is kept (its own speed is no reason
	 * to leave it out) and the CSV says so */
	unsigned int wandered;
	int place; /* enum paired_place */
};

/*
 * A window's timed loop is the Google Benchmark loop of the benchmark it
 * copies, one iteration of this run per call: bench_run() before each
 * round trip, bench_run_batch() before each async batch. That is on
 * purpose: how soon a loop issues its next call changes a cache-line
 * ping-pong's round trip by up to half (in the VM's near placement, ~63
 * ns with bench_run() between calls, ~95 ns in a tight inlined loop), and
 * a window must time what the benchmark of the same call times. The run
 * has PAIRED_ITERATIONS iterations, far more than the windows use; the
 * rest go at the end, in one batch.
 */
#define PAIRED_ITERATIONS 1000000000000ll

struct paired_window {
	struct bench *b;
	uint64_t t0, ticks, now, last;
	uint64_t calls; /* made, once the window is over */
	int every; /* calls between readings of the clock */
	uint64_t fastest; /* ticks of the fastest @every calls */
};

static void paired_begin(struct bench *b, struct paired_window *w, int every)
{
	w->b = b;
	w->ticks = (uint64_t)(PAIRED_WINDOW_NS * bench_tsc_ghz());
	w->calls = 0;
	w->every = every;
	w->fastest = UINT64_MAX;
	w->t0 = w->now = w->last = bench_tsc();
}

/* After each stretch of calls, @n of them: is there time for another? */
static int paired_next(struct paired_window *w, int n)
{
	w->now = bench_tsc();
	w->calls += (uint64_t)n;
	if (n == w->every && w->now - w->last < w->fastest)
		w->fastest = w->now - w->last;
	w->last = w->now;
	return n == w->every && w->now - w->t0 < w->ticks && !w->b->failed;
}

static double paired_mean_ns(const struct paired_window *w)
{
	return bench_tsc_to_ns(w->now - w->t0) / (double)w->calls;
}

static int paired_steady(const struct paired_window *w)
{
	if (w->fastest == UINT64_MAX)
		return 1; /* too short to tell */
	return paired_mean_ns(w) <=
	       PAIRED_STEADY * bench_tsc_to_ns(w->fastest) / w->every;
}

/*
 * @call, a round trip, @warm times untimed, then in stretches of @every
 * for PAIRED_WINDOW_NS; @mean gets the mean nanoseconds per call,
 * @steady whether the window was steady. Between two calls, the loop
 * does what baseline/pingpong's does (bench_run(), and a test of what it
 * returns), and no more but a count.
 */
#define PAIRED_WINDOW_OF(b, call, warm, every, mean, steady)               \
	do {                                                               \
		struct paired_window w_;                                   \
		int k_;                                                    \
		for (k_ = 0; k_ < (warm); k_++) {                          \
			call;                                              \
		}                                                          \
		paired_begin(b, &w_, (every));                             \
		do {                                                       \
			for (k_ = 0; k_ < (every) && bench_run(b); k_++) { \
				call;                                      \
			}                                                  \
		} while (paired_next(&w_, k_));                            \
		(mean) = paired_mean_ns(&w_);                              \
		(steady) = paired_steady(&w_);                             \
	} while (0)

#define PAIRED_WINDOW(b, call, mean, steady)                               \
	PAIRED_WINDOW_OF(b, call, PAIRED_WARMUP_CALLS, PAIRED_CHECK_EVERY, \
			 mean, steady)

/* The same for batches of @batch: @step is one batch (0, or -1 with @b
 * failed), @drain waits for all; @ops gets operations per second. Like a
 * run of the pipelined benchmark, the window starts with an empty queue
 * and ends, timed, when everything it submitted has completed. */
#define PAIRED_BATCH_WINDOW(b, batch, step, drain, ops)                  \
	do {                                                             \
		struct paired_window w_;                                 \
		int k_, bad_ = 0;                                        \
		for (k_ = 0; k_ < PAIRED_WARMUP_BATCHES && !bad_; k_++)  \
			bad_ = (step);                                   \
		if (bad_ || (drain))                                     \
			break;                                           \
		paired_begin(b, &w_, PAIRED_CHECK_EVERY);                \
		do {                                                     \
			for (k_ = 0; k_ < PAIRED_CHECK_EVERY && !bad_ && \
				     bench_run_batch(b, (batch));        \
			     k_++)                                       \
				bad_ = (step);                           \
		} while (!bad_ && paired_next(&w_, k_));                 \
		if (bad_ || (drain))                                     \
			break;                                           \
		(ops) = (double)(w_.calls * (batch)) * 1e9 /             \
			bench_tsc_to_ns(bench_tsc() - w_.t0);            \
	} while (0)

static void paired_gap(void)
{
	struct timespec ts = { 0, PAIRED_GAP_NS };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- lost CPU time ----------------------------------------------------------- */

/*
 * CPU time a side lost in a window is the time it spent runnable while
 * another task had its CPU: the run-queue delay that /proc/.../schedstat
 * reports per thread, in nanoseconds. Counting involuntary switches
 * instead left every round out on this VM, quiet or not: any kernel
 * thread that runs for a few microseconds on a CPU where a side spins
 * switches it out. A side is this thread and every thread of the
 * window's peer that ran for at least a quarter of the window (the
 * peer's idle threads waiting for a CPU lose nothing the window needs).
 * On this VM, quiet, a round's worst window loses a median 84 us (2% of
 * it); 5% of a window lost moves its mean by no more than that.
 */
#define PAIRED_LOST_MAX_NS (PAIRED_WINDOW_NS / 20)
#define PAIRED_MAX_THREADS 64

struct paired_sched {
	pid_t tid;
	unsigned long long run, wait; /* ns on the CPU, ns runnable */
};

static int paired_task_sched(const char *path, struct paired_sched *t)
{
	FILE *f = fopen(path, "r");
	int ok = f && fscanf(f, "%llu %llu", &t->run, &t->wait) == 2;

	if (f)
		fclose(f);
	return ok;
}

/* Every thread of process @pid, or thread @tid of this one, into @t. */
static unsigned int paired_threads(pid_t pid, pid_t tid, struct paired_sched *t)
{
	unsigned int n = 0;
	char path[320];
	struct dirent *d;
	DIR *dir;

	if (tid) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat",
			 (int)tid);
		t->tid = tid;
		return paired_task_sched(path, t);
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir)) && n < PAIRED_MAX_THREADS) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat",
			 (int)pid, d->d_name);
		t[n].tid = atoi(d->d_name);
		n += paired_task_sched(path, &t[n]);
	}
	if (dir)
		closedir(dir);
	return n;
}

static void paired_self(struct paired_sched *t)
{
	t->tid = gettid();
	if (!paired_task_sched("/proc/thread-self/schedstat", t))
		t->run = t->wait = 0;
}

/* Time the hypervisor stole from this VM's CPUs, in ticks (/proc/stat). */
static unsigned long long paired_steal(void)
{
	unsigned long long v[8], steal = 0;
	char line[256];
	FILE *f = fopen("/proc/stat", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu", 3) || line[3] == ' ')
			continue;
		if (sscanf(line, "%*s %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) == 8)
			steal += v[7];
	}
	if (f)
		fclose(f);
	return steal;
}

/* A window's peer, and where it and this thread stood before it. */
struct paired_cpu {
	pid_t pid, tid; /* the peer: a process, or a thread of this one */
	struct paired_sched mine, peer[PAIRED_MAX_THREADS];
	unsigned int nr_peer;
	unsigned long long steal;
};

static void paired_cpu_mark(struct paired_cpu *c, pid_t pid, pid_t tid)
{
	c->pid = pid;
	c->tid = tid;
	c->nr_peer = pid || tid ? paired_threads(pid, tid, c->peer) : 0;
	c->steal = paired_steal();
	paired_self(&c->mine);
}

/* Leaves @r out if a side of the window was kept from its CPU for more
 * than PAIRED_LOST_MAX_NS in all, or time was stolen, since
 * paired_cpu_mark(). */
static void paired_cpu_check(const struct paired_cpu *c, struct paired_round *r)
{
	struct paired_sched now[PAIRED_MAX_THREADS], me;
	unsigned long long lost;
	unsigned int i, j, n;

	paired_self(&me);
	lost = me.wait - c->mine.wait;
	n = c->pid || c->tid ? paired_threads(c->pid, c->tid, now) : 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < c->nr_peer; j++)
			if (now[i].tid == c->peer[j].tid &&
			    now[i].run - c->peer[j].run >= PAIRED_WINDOW_NS / 4)
				lost += now[i].wait - c->peer[j].wait;
	if (lost / 1e3 > r->lost_us)
		r->lost_us = lost / 1e3;
	if (lost > PAIRED_LOST_MAX_NS || paired_steal() != c->steal)
		r->left_out |= PAIRED_OUT_LOST_CPU;
}

/* ---- the windows ------------------------------------------------------------- */

/* The floor, into @fig: PAIRED_FLOOR, or PAIRED_FLOOR_END. */
static void paired_floor(struct bench *b, struct paired_round *r, int fig)
{
	struct paired_cpu cpu;
	struct peer p;
	uint64_t i = 0;
	int steady;

	if (peer_start(b, &p, pingpong_child))
		return;
	paired_cpu_mark(&cpu, p.pid, 0);
	PAIRED_WINDOW(b, pingpong_once(&p, ++i), r->fig[fig], steady);
	paired_cpu_check(&cpu, r);
	if (!steady)
		r->left_out |= PAIRED_OUT_FLOOR;
	peer_stop_pingpong(&p);
	peer_finish(b, &p);
}

static void paired_ring(struct bench *b, struct paired_round *r)
{
	struct paired_cpu cpu;
	struct ring req, resp;
	struct peer p;
	uint64_t i = 0;
	int steady;

	if (peer_start_ring_rtt(b, &p, &req, &resp))
		return;
	paired_cpu_mark(&cpu, p.pid, 0);
	PAIRED_WINDOW(b, ring_rtt_once(b, &req, &resp, i++),
		      r->fig[PAIRED_RING], steady);
	paired_cpu_check(&cpu, r);
	if (!steady)
		r->wandered |= 1u << PAIRED_RING;
	peer_stop_ring(&req);
	peer_finish(b, &p);
}

static void paired_sync(struct bench *b, struct paired_round *r,
			TEEC_Session *sess, pid_t sw)
{
	struct paired_cpu cpu;
	int steady;

	paired_cpu_mark(&cpu, sw, 0);
	PAIRED_WINDOW(b, bench_noop_invoke(b, sess, NULL), r->fig[PAIRED_SYNC],
		      steady);
	paired_cpu_check(&cpu, r);
	if (!steady)
		r->wandered |= 1u << PAIRED_SYNC;
}

static void paired_async(struct bench *b, struct paired_round *r,
			 struct bench_async *a, pid_t sw)
{
	struct paired_cpu cpu;

	paired_cpu_mark(&cpu, sw, 0);
	PAIRED_BATCH_WINDOW(b, a->batch, bench_async_batch(b, a, 1),
			    bench_async_drain(b, a), r->fig[PAIRED_ASYNC]);
	paired_cpu_check(&cpu, r);
}

static int paired_uring_step(struct bench *b, struct io_uring *ring)
{
	uring_nop_batch(b, ring, PAIRED_BATCH);
	return b->failed ? -1 : 0;
}

static void paired_uring(struct bench *b, struct paired_round *r,
			 struct io_uring *ring)
{
	struct paired_cpu cpu;

	paired_cpu_mark(&cpu, 0, 0);
	PAIRED_BATCH_WINDOW(b, PAIRED_BATCH, paired_uring_step(b, ring), 0,
			    r->fig[PAIRED_URING]);
	paired_cpu_check(&cpu, r);
}

static void paired_sqpoll(struct bench *b, struct paired_round *r)
{
	struct paired_cpu cpu;
	struct uring_sqpoll u;
	int ret = uring_sqpoll_open(&u, PAIRED_BATCH, PAIRED_SQPOLL_IDLE_MS);

	if (ret) {
		/* not measured here, as baseline/uring_sqpoll_nop says */
		if (ret == -ESRCH)
			bench_fail(b,
				   "io_uring SQPOLL: no poller thread found");
		return;
	}
	paired_cpu_mark(&cpu, 0, u.tid);
	PAIRED_BATCH_WINDOW(b, PAIRED_BATCH, uring_sqpoll_batch(b, &u),
			    uring_sqpoll_drain(b, &u), r->fig[PAIRED_SQPOLL]);
	paired_cpu_check(&cpu, r);
	uring_sqpoll_close(&u);
}

/* AES-CTR through the TEE, on the secure world the payload benchmarks
 * use (its worker polls), each way into its figure. */
static void paired_cipher_tee(struct bench *b, struct paired_round *r,
			      struct bench_cipher *c)
{
	static const struct {
		enum bench_cipher_way way;
		int fig;
	} ways[] = {
		{ BENCH_CIPHER_ZEROCOPY, PAIRED_ZEROCOPY },
		{ BENCH_CIPHER_COPIED, PAIRED_COPIED },
	};
	struct bench_env *env = bench_env_use(b, BENCH_ENV_SPIN);
	struct paired_cpu cpu;
	unsigned int i;
	int steady;

	for (i = 0; env && i < sizeof(ways) / sizeof(ways[0]); i++) {
		paired_cpu_mark(&cpu, env->pid, 0);
		PAIRED_WINDOW_OF(b, bench_cipher_call(b, c, ways[i].way),
				 PAIRED_CIPHER_WARMUP, 1, r->fig[ways[i].fig],
				 steady);
		paired_cpu_check(&cpu, r);
	}
	(void)steady;
}

/* AES-CTR in this process, and the copied call's floor, with no secure
 * world running. */
static void paired_cipher_local(struct bench *b, struct paired_round *r,
				struct bench_cipher *c)
{
	struct paired_cpu cpu;
	struct peer p;
	int steady;

	bench_env_none();
	paired_cpu_mark(&cpu, 0, 0);
	PAIRED_WINDOW_OF(b, bench_cipher_call(b, c, BENCH_CIPHER_INPROC),
			 PAIRED_CIPHER_WARMUP, 1, r->fig[PAIRED_INPROC],
			 steady);
	paired_cpu_check(&cpu, r);
	if (bench_cipher_floor_start(b, c, &p))
		return;
	paired_cpu_mark(&cpu, p.pid, 0);
	PAIRED_WINDOW_OF(b, bench_cipher_call(b, c, BENCH_CIPHER_FLOOR),
			 PAIRED_CIPHER_WARMUP, 1, r->fig[PAIRED_COPY_FLOOR],
			 steady);
	paired_cpu_check(&cpu, r);
	bench_cipher_floor_stop(b, &p);
	(void)steady;
}

struct paired_sides {
	struct bench_env *env; /* BENCH_ENV_IDLE's */
	TEEC_Session *sess;
	struct bench_async async;
	struct io_uring uring;
	int uring_ok;
	pid_t sw;
	struct bench_cipher *cipher;
};

static void paired_round(struct bench *b, struct paired_round *r,
			 struct paired_sides *sides)
{
	int i;

	for (i = 0; i < PAIRED_NR_FIGS; i++)
		r->fig[i] = NAN;
	r->left_out = 0;
	r->wandered = 0;
	if (!bench_env_use(b, BENCH_ENV_IDLE))
		return;
	paired_gap();
	paired_floor(b, r, PAIRED_FLOOR);
	paired_gap();
	paired_ring(b, r);
	paired_gap();
	paired_sync(b, r, sides->sess, sides->sw);
	paired_gap();
	paired_async(b, r, &sides->async, sides->sw);
	if (sides->uring_ok) {
		paired_gap();
		paired_uring(b, r, &sides->uring);
	}
	paired_gap();
	paired_sqpoll(b, r);
	paired_cipher_tee(b, r, sides->cipher);
	paired_cipher_local(b, r, sides->cipher);
	paired_floor(b, r, PAIRED_FLOOR_END);
}

static int paired_rounds_wanted(void)
{
	const char *s = getenv("BENCH_PAIRED_ROUNDS");
	long n = s && *s ? strtol(s, NULL, 10) : 0;

	if (n > 0)
		return n < PAIRED_ROUNDS_MAX ? (int)n : PAIRED_ROUNDS_MAX;
	return bench_quick() ? PAIRED_ROUNDS_QUICK : PAIRED_ROUNDS;
}

/* ---- analysis ---------------------------------------------------------------- */

static double paired_value(const struct paired_round *r, int what)
{
	switch (what) {
	case PAIRED_RING_RATIO:
		return r->fig[PAIRED_RING] / r->fig[PAIRED_FLOOR];
	case PAIRED_SYNC_RATIO:
		return r->fig[PAIRED_SYNC] / r->fig[PAIRED_FLOOR];
	case PAIRED_SYNC_TO_RING:
		return r->fig[PAIRED_SYNC] / r->fig[PAIRED_RING];
	case PAIRED_ASYNC_TO_URING:
		return r->fig[PAIRED_ASYNC] / r->fig[PAIRED_URING];
	case PAIRED_ASYNC_TO_SQPOLL:
		return r->fig[PAIRED_ASYNC] / r->fig[PAIRED_SQPOLL];
	case PAIRED_ZEROCOPY_RATIO:
		return r->fig[PAIRED_INPROC] / r->fig[PAIRED_ZEROCOPY];
	case PAIRED_COPIED_RATIO:
		return r->fig[PAIRED_INPROC] / r->fig[PAIRED_COPIED];
	case PAIRED_COPY_FLOOR_RATIO:
		return r->fig[PAIRED_INPROC] / r->fig[PAIRED_COPY_FLOOR];
	case PAIRED_COPIED_TO_FLOOR:
		return r->fig[PAIRED_COPY_FLOOR] / r->fig[PAIRED_COPIED];
	default:
		return r->fig[what];
	}
}

static int paired_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Which rounds a median is over. */
#define PAIRED_ALL_PLACES (-1)

/* The median of @what over the rounds in @place (or all places), only
 * the kept ones unless @all, or NAN if there are none (a figure that was
 * not measured, NAN, counts as none); @tmp has room for @n values. */
static double paired_median(const struct paired_round *r, size_t n, int place,
			    int all, int what, double *tmp)
{
	size_t i, m = 0;
	double v;

	for (i = 0; i < n; i++) {
		if ((place != PAIRED_ALL_PLACES && r[i].place != place) ||
		    (!all && r[i].left_out))
			continue;
		v = paired_value(&r[i], what);
		if (!isnan(v))
			tmp[m++] = v;
	}
	if (!m)
		return NAN;
	qsort(tmp, m, sizeof(*tmp), paired_cmp);
	return m % 2 ? tmp[m / 2] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2;
}

static size_t paired_count(const struct paired_round *r, size_t n, int place,
			   int all)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		m += (place == PAIRED_ALL_PLACES || r[i].place == place) &&
		     (all || !r[i].left_out);
	return m;
}

/* Names the rounds' placements (see the top); returns the floor they
 * split at, or NAN if they are one group. */
static double paired_group(struct paired_round *r, size_t n, double *tmp)
{
	double lo = INFINITY, hi = 0, split = NAN, med;
	int place[2], g, all = paired_count(r, n, PAIRED_ALL_PLACES, 0) == 0;
	size_t i;

	for (i = 0; i < n; i++) {
		r[i].place = 0;
		if ((r[i].left_out && !all) || isnan(r[i].fig[PAIRED_FLOOR]))
			continue;
		lo = fmin(lo, r[i].fig[PAIRED_FLOOR]);
		hi = fmax(hi, r[i].fig[PAIRED_FLOOR]);
	}
	if (hi > PAIRED_SPLIT_RATIO * lo) {
		split = sqrt(lo * hi);
		for (i = 0; i < n; i++)
			r[i].place = r[i].fig[PAIRED_FLOOR] >= split;
	}
	/* groups 0 and 1 (lower and higher floors) named by their floor */
	for (g = 0; g < 2; g++) {
		med = paired_median(r, n, g, all, PAIRED_FLOOR, tmp);
		place[g] = isnan(med)		    ? g :
			   med < PAIRED_NEAR_MAX_NS ? PAIRED_NEAR :
						      PAIRED_FAR;
	}
	for (i = 0; i < n; i++)
		r[i].place = place[r[i].place];
	return place[0] != place[1] ? split : NAN;
}

/* Leaves out the rounds whose last floor is on the other side of @split
 * from their first: the placement changed within the round. */
static void paired_moved(struct paired_round *r, size_t n, double split)
{
	size_t i;

	for (i = 0; i < n && !isnan(split); i++)
		if (!isnan(r[i].fig[PAIRED_FLOOR_END]) &&
		    (r[i].fig[PAIRED_FLOOR] >= split) !=
			    (r[i].fig[PAIRED_FLOOR_END] >= split))
			r[i].left_out |= PAIRED_OUT_MOVED;
}

static void paired_counter(struct bench *b, const char *fmt, int place,
			   double v)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, paired_place_names[place]);
	bench_counter(b, name, v, BENCH_COUNTER_PLAIN);
}

static void paired_counters(struct bench *b, const struct paired_round *r,
			    size_t n, double *tmp)
{
	static const struct {
		const char *name; /* %s: the placement */
		int what;
		int with_all; /* also over all rounds: name_all */
	} stats[] = {
		{ "floor_%s_ns", PAIRED_FLOOR, 0 },
		{ "ring_%s_ns", PAIRED_RING, 0 },
		{ "sync_%s_ns", PAIRED_SYNC, 0 },
		{ "async32_%s_ops", PAIRED_ASYNC, 0 },
		{ "uring32_%s_ops", PAIRED_URING, 0 },
		{ "sqpoll32_%s_ops", PAIRED_SQPOLL, 0 },
		{ "ring_ratio_%s", PAIRED_RING_RATIO, 0 },
		{ "sync_ratio_%s", PAIRED_SYNC_RATIO, 0 },
		{ "sync_to_ring_%s", PAIRED_SYNC_TO_RING, 1 },
		{ "async_to_uring_%s", PAIRED_ASYNC_TO_URING, 1 },
		{ "async_to_sqpoll_%s", PAIRED_ASYNC_TO_SQPOLL, 1 },
		{ "zerocopy_%s_ns", PAIRED_ZEROCOPY, 0 },
		{ "copied_%s_ns", PAIRED_COPIED, 0 },
		{ "inproc_%s_ns", PAIRED_INPROC, 0 },
		{ "copy_floor_%s_ns", PAIRED_COPY_FLOOR, 0 },
		{ "zerocopy_ratio_%s", PAIRED_ZEROCOPY_RATIO, 1 },
		{ "copied_ratio_%s", PAIRED_COPIED_RATIO, 1 },
		{ "copy_floor_ratio_%s", PAIRED_COPY_FLOOR_RATIO, 0 },
		{ "copied_to_floor_%s", PAIRED_COPIED_TO_FLOOR, 0 },
	};
	static const struct {
		const char *name;
		int what;
	} overall[] = {
		{ "sync_to_ring", PAIRED_SYNC_TO_RING },
		{ "async_to_uring", PAIRED_ASYNC_TO_URING },
		{ "async_to_sqpoll", PAIRED_ASYNC_TO_SQPOLL },
		{ "zerocopy_ratio", PAIRED_ZEROCOPY_RATIO },
		{ "copied_ratio", PAIRED_COPIED_RATIO },
	};
	size_t i, floor_out = 0, cpu_out = 0, moved = 0;
	char name[64];
	int p;

	for (p = 0; p < PAIRED_NR_PLACES; p++) {
		if (!paired_count(r, n, p, 1))
			continue;
		paired_counter(b, "rounds_%s", p,
			       (double)paired_count(r, n, p, 0));
		paired_counter(b, "rounds_%s_all", p,
			       (double)paired_count(r, n, p, 1));
		for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
			paired_counter(b, stats[i].name, p,
				       paired_median(r, n, p, 0, stats[i].what,
						     tmp));
			if (!stats[i].with_all)
				continue;
			snprintf(name, sizeof(name), "%s_all", stats[i].name);
			paired_counter(b, name, p,
				       paired_median(r, n, p, 1, stats[i].what,
						     tmp));
		}
	}
	for (i = 0; i < sizeof(overall) / sizeof(overall[0]); i++) {
		bench_counter(b, overall[i].name,
			      paired_median(r, n, PAIRED_ALL_PLACES, 0,
					    overall[i].what, tmp),
			      BENCH_COUNTER_PLAIN);
		snprintf(name, sizeof(name), "%s_all", overall[i].name);
		bench_counter(b, name,
			      paired_median(r, n, PAIRED_ALL_PLACES, 1,
					    overall[i].what, tmp),
			      BENCH_COUNTER_PLAIN);
	}
	for (i = 0; i < n; i++) {
		floor_out += !!(r[i].left_out & PAIRED_OUT_FLOOR);
		cpu_out += !!(r[i].left_out & PAIRED_OUT_LOST_CPU);
		moved += !!(r[i].left_out & PAIRED_OUT_MOVED);
	}
	bench_counter(b, "rounds", (double)n, BENCH_COUNTER_PLAIN);
	bench_counter(b, "rounds_kept",
		      (double)paired_count(r, n, PAIRED_ALL_PLACES, 0),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "rounds_left_out",
		      (double)(n - paired_count(r, n, PAIRED_ALL_PLACES, 0)),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "left_out_floor", (double)floor_out,
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "left_out_lost_cpu", (double)cpu_out,
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "left_out_moved", (double)moved, BENCH_COUNTER_PLAIN);
	bench_counter(b, "ring_ratio",
		      paired_median(r, n, PAIRED_ALL_PLACES, 1,
				    PAIRED_RING_RATIO, tmp),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "sync_ratio",
		      paired_median(r, n, PAIRED_ALL_PLACES, 1,
				    PAIRED_SYNC_RATIO, tmp),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "async32_ops",
		      paired_median(r, n, PAIRED_ALL_PLACES, 1, PAIRED_ASYNC,
				    tmp),
		      BENCH_COUNTER_PLAIN);
}

/* @bits as @names joined by '+', into @buf of @len bytes. */
static const char *paired_bits(char *buf, size_t len, unsigned int bits,
			       const char *const *names, unsigned int nr)
{
	unsigned int i;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < nr; i++)
		if (bits & (1u << i) && names[i] && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
					       at ? "+" : "", names[i]);
	return buf;
}

/* Every round as measured, for whoever audits the report. */
static void paired_write(const struct paired_round *r, size_t n, double split)
{
	/* by bit: PAIRED_OUT_*, and the figures that may wander */
	static const char *const out_names[] = { "floor", "lost_cpu", "moved" };
	static const char *const wander_names[PAIRED_NR_FIGS] = {
		[PAIRED_RING] = "ring",
		[PAIRED_SYNC] = "sync",
	};
	char path[4096], out[64], wandered[64];
	size_t i;
	FILE *f;

	if (!bench_data_dir())
		return;
	snprintf(path, sizeof(path), "%s/paired_rounds.csv", bench_data_dir());
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "# teeq/paired: %zu rounds of %.0f ms windows; ", n,
		PAIRED_WINDOW_NS / 1e6);
	if (isnan(split))
		fprintf(f, "one placement\n");
	else
		fprintf(f, "near and far, split at a floor of %.1f ns\n",
			split);
	fprintf(f, "# left_out: floor (a floor window unsteady), lost_cpu (a "
		   "side runnable but kept from its CPU for over 5%% of a "
		   "window, or time stolen; lost_us: the most a window of "
		   "the round lost), moved (the round's last floor, "
		   "floor_end_ns, on the other side of the split from its "
		   "first); "
		   "wandered: round-trip windows as unsteady as a floor's "
		   "must not be (kept); AES-CTR of 1 MiB: ns per call, and "
		   "ratios of speed to in process's\n");
	fprintf(f, "round,start_ms,floor_ns,ring_ns,sync_ns,async32_ops_per_s,"
		   "uring32_ops_per_s,sqpoll32_ops_per_s,ring_ratio,sync_ratio,"
		   "sync_to_ring,async_to_uring,async_to_sqpoll,"
		   "aes_zerocopy_ns,aes_copied_ns,aes_inproc_ns,"
		   "aes_copy_floor_ns,zerocopy_ratio,copied_ratio,"
		   "copy_floor_ratio,copied_to_floor,floor_end_ns,placement,"
		   "lost_us,left_out,wandered\n");
	for (i = 0; i < n; i++)
		fprintf(f,
			"%zu,%.1f,%.1f,%.1f,%.1f,%.0f,%.0f,%.0f,%.3f,%.3f,"
			"%.3f,%.3f,%.3f,%.0f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,"
			"%.3f,%.1f,%s,%.1f,%s,%s\n",
			i, r[i].at_ms, r[i].fig[PAIRED_FLOOR],
			r[i].fig[PAIRED_RING], r[i].fig[PAIRED_SYNC],
			r[i].fig[PAIRED_ASYNC], r[i].fig[PAIRED_URING],
			r[i].fig[PAIRED_SQPOLL],
			paired_value(&r[i], PAIRED_RING_RATIO),
			paired_value(&r[i], PAIRED_SYNC_RATIO),
			paired_value(&r[i], PAIRED_SYNC_TO_RING),
			paired_value(&r[i], PAIRED_ASYNC_TO_URING),
			paired_value(&r[i], PAIRED_ASYNC_TO_SQPOLL),
			r[i].fig[PAIRED_ZEROCOPY], r[i].fig[PAIRED_COPIED],
			r[i].fig[PAIRED_INPROC], r[i].fig[PAIRED_COPY_FLOOR],
			paired_value(&r[i], PAIRED_ZEROCOPY_RATIO),
			paired_value(&r[i], PAIRED_COPIED_RATIO),
			paired_value(&r[i], PAIRED_COPY_FLOOR_RATIO),
			paired_value(&r[i], PAIRED_COPIED_TO_FLOOR),
			r[i].fig[PAIRED_FLOOR_END],
			paired_place_names[r[i].place], r[i].lost_us,
			paired_bits(out, sizeof(out), r[i].left_out, out_names,
				    3),
			paired_bits(wandered, sizeof(wandered), r[i].wandered,
				    wander_names, PAIRED_NR_FIGS));
	fclose(f);
}

/* ---- the benchmark ------------------------------------------------------------ */

static void bm_paired(struct bench *b)
{
	size_t rounds = (size_t)paired_rounds_wanted(), n = 0;
	struct paired_round *r = calloc(rounds, sizeof(*r));
	double *tmp = calloc(rounds, sizeof(*tmp)), split;
	struct paired_sides sides = { 0 };
	struct bench_env *env;
	uint64_t start;
	int64_t left;

	if (!r || !tmp) {
		bench_fail(b, "out of memory");
		goto out;
	}
	/* AES-CTR's session and buffers on the polling secure world */
	env = bench_env_use(b, BENCH_ENV_SPIN);
	sides.cipher = env ? bench_cipher_open(b, env, PAIRED_CIPHER_LEN) :
			     NULL;
	if (!sides.cipher)
		goto out;
	/* the others stopped: no worker polls CPU 1 but this one's */
	env = bench_env_use(b, BENCH_ENV_IDLE);
	sides.sess = env ? bench_env_session(b, env, BENCH_TA_NOOP) : NULL;
	if (!sides.sess || !bench_env_deep_noop(b, env) ||
	    bench_async_open(b, &sides.async, &env->deep_ctx, &env->deep_noop,
			     PAIRED_BATCH))
		goto out;
	sides.sw = env->pid;
	/* a kernel that has no io_uring leaves its figures not measured */
	sides.uring_ok = io_uring_queue_init(64, &sides.uring, 0) == 0;
	start = bench_clock_ns();
	for (n = 0; n < rounds && !b->failed; n++) {
		r[n].at_ms = (double)(bench_clock_ns() - start) / 1e6;
		paired_round(b, &r[n], &sides);
	}
	/* the iterations the windows left, in one batch: the run is over */
	left = bench_max_iterations(b) - bench_iterations(b);
	while (bench_run_batch(b, left > 0 ? left : 1))
		;
	/* each closed with its secure world running */
	if (bench_env_use(b, BENCH_ENV_IDLE))
		bench_async_close(&sides.async);
	if (sides.uring_ok)
		io_uring_queue_exit(&sides.uring);
	if (b->failed)
		goto out;
	split = paired_group(r, n, tmp);
	paired_moved(r, n, split);
	paired_counters(b, r, n, tmp);
	if (!isnan(split))
		bench_counter(b, "floor_split_ns", split, BENCH_COUNTER_PLAIN);
	paired_write(r, n, split);
	bench_label(b,
		    "%zu rounds of %.0f ms windows: ping-pong, bare ring, "
		    "sync noop, async noop b32, io_uring NOP b32 submit-wait "
		    "and SQPOLL (teeq-sw --spin-us 50); AES-CTR 1 MiB "
		    "zero-copy and copied (teeq-sw polling), in process and "
		    "copied to a peer; ping-pong",
		    n, PAIRED_WINDOW_NS / 1e6);
out:
	if (sides.cipher) {
		/* its shared memory goes back to a running secure world */
		bench_env_use(b, BENCH_ENV_SPIN);
		bench_cipher_close(sides.cipher);
	}
	free(r);
	free(tmp);
}

size_t bench_paired_defs(struct bench_def *d, size_t n)
{
	/* one run, however many repetitions the others get */
	d[n++] = (struct bench_def){
		.name = "teeq/paired",
		.fn = bm_paired,
		.iterations = PAIRED_ITERATIONS,
		.repetitions = 1,
	};
	return n;
}
