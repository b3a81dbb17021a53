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
 *
 * each with the code of the benchmark named (bench/peer.h, bench/calls.h,
 * and its Google Benchmark loop: see PAIRED_ITERATIONS), an untimed
 * warm-up first, then calls for PAIRED_WINDOW_NS; a window's figure is
 * its mean. A round's ratios divide figures taken within a few
 * milliseconds of each other.
 *
 * A round is unsteady if one of its round-trip windows ran at more than
 * PAIRED_STEADY times the pace of its fastest PAIRED_CHECK_EVERY calls:
 * a side lost its CPU, or the placement changed, during the window.
 * Unsteady rounds are counted and written out, not grouped. The steady
 * ones are grouped by their floor: if the largest is more than
 * PAIRED_SPLIT_RATIO times the smallest, they split at the geometric mean
 * of the two into near (the lower floors) and far; else they are one
 * group. A group whose median floor is under PAIRED_NEAR_MAX_NS is near,
 * else far, and two groups that come out the same are one: a few odd
 * floors (the near placement itself ranges 50-100 ns) do not make a
 * second placement.
 *
 * Counters (plain): per placement seen, rounds_P, floor_P_ns, ring_P_ns,
 * sync_P_ns, ring_ratio_P, sync_ratio_P, async32_P_ops (P: near or far;
 * medians over its rounds, a ratio the median of the rounds' ratios);
 * over all rounds, rounds, ring_ratio, sync_ratio, async32_ops; and
 * rounds_unsteady, floor_split_ns (when the rounds split). Every round
 * goes to paired_rounds.csv in the report directory.
 *
 * The secure world is BENCH_ENV_IDLE's teeq-sw (its one worker on CPU 1
 * sleeps 50 us after its last call; the others are stopped), so that it
 * is asleep, not polling CPU 1, while a peer process has that CPU: each
 * window starts PAIRED_GAP_NS after the last one ended.
 *
 * ~100 rounds (30 with BENCH_QUICK; BENCH_PAIRED_ROUNDS=N says how many),
 * about 25 ms each, in one Google Benchmark run whose time and iteration
 * count mean nothing (see PAIRED_ITERATIONS).
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"
#include "bench/peer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
/* A window's mean over its fastest calls' pace, at most (steady windows
 * measured 1.02-1.35 on the development VM). */
#define PAIRED_STEADY 1.5
/* Rounds split into two groups when their floors differ this much. */
#define PAIRED_SPLIT_RATIO 2.0
/* A group of rounds is the near placement if its median floor is under
 * this (50-100 ns on the development VM; far is 350-420 ns). */
#define PAIRED_NEAR_MAX_NS 200.0

enum paired_fig {
	PAIRED_FLOOR, /* ns per round trip */
	PAIRED_RING, /* ns per round trip */
	PAIRED_SYNC, /* ns per round trip */
	PAIRED_ASYNC, /* ops per second */
	PAIRED_NR_FIGS,
};

enum paired_place {
	PAIRED_UNSTEADY = -1,
	PAIRED_NEAR,
	PAIRED_FAR,
	PAIRED_NR_PLACES,
};

static const char *const paired_place_names[PAIRED_NR_PLACES] = {
	[PAIRED_NEAR] = "near",
	[PAIRED_FAR] = "far",
};

struct paired_round {
	double fig[PAIRED_NR_FIGS];
	double at_ms; /* when the round started, from the first one */
	int steady; /* every round-trip window was */
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
	uint64_t fastest; /* ticks of the fastest PAIRED_CHECK_EVERY calls */
};

static void paired_begin(struct bench *b, struct paired_window *w)
{
	w->b = b;
	w->ticks = (uint64_t)(PAIRED_WINDOW_NS * bench_tsc_ghz());
	w->calls = 0;
	w->fastest = UINT64_MAX;
	w->t0 = w->now = w->last = bench_tsc();
}

/* After each stretch of calls, @n of them: is there time for another? */
static int paired_next(struct paired_window *w, int n)
{
	w->now = bench_tsc();
	w->calls += (uint64_t)n;
	if (n == PAIRED_CHECK_EVERY && w->now - w->last < w->fastest)
		w->fastest = w->now - w->last;
	w->last = w->now;
	return n == PAIRED_CHECK_EVERY && w->now - w->t0 < w->ticks &&
	       !w->b->failed;
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
	       PAIRED_STEADY * bench_tsc_to_ns(w->fastest) / PAIRED_CHECK_EVERY;
}

/*
 * @call, a round trip, PAIRED_WARMUP_CALLS times untimed, then in
 * stretches of PAIRED_CHECK_EVERY for PAIRED_WINDOW_NS; @mean gets the
 * mean nanoseconds per call, and @steady is cleared if the window was not
 * steady. Between two calls, the loop does what baseline/pingpong's does
 * (bench_run(), and a test of what it returns), and no more but a count.
 */
#define PAIRED_WINDOW(b, call, mean, steady)                                  \
	do {                                                                  \
		struct paired_window w_;                                      \
		int k_;                                                       \
		for (k_ = 0; k_ < PAIRED_WARMUP_CALLS; k_++) {                \
			call;                                                 \
		}                                                             \
		paired_begin(b, &w_);                                         \
		do {                                                          \
			for (k_ = 0; k_ < PAIRED_CHECK_EVERY && bench_run(b); \
			     k_++) {                                          \
				call;                                         \
			}                                                     \
		} while (paired_next(&w_, k_));                               \
		(mean) = paired_mean_ns(&w_);                                 \
		(steady) &= paired_steady(&w_);                               \
	} while (0)

static void paired_gap(void)
{
	struct timespec ts = { 0, PAIRED_GAP_NS };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void paired_floor(struct bench *b, struct paired_round *r)
{
	struct peer p;
	uint64_t i = 0;

	if (peer_start(b, &p, pingpong_child))
		return;
	PAIRED_WINDOW(b, pingpong_once(&p, ++i), r->fig[PAIRED_FLOOR],
		      r->steady);
	peer_stop_pingpong(&p);
	peer_finish(b, &p);
}

static void paired_ring(struct bench *b, struct paired_round *r)
{
	struct ring req, resp;
	struct peer p;
	uint64_t i = 0;

	if (peer_start_ring_rtt(b, &p, &req, &resp))
		return;
	PAIRED_WINDOW(b, ring_rtt_once(b, &req, &resp, i++),
		      r->fig[PAIRED_RING], r->steady);
	peer_stop_ring(&req);
	peer_finish(b, &p);
}

static void paired_sync(struct bench *b, struct paired_round *r,
			TEEC_Session *sess)
{
	PAIRED_WINDOW(b, bench_noop_invoke(b, sess, NULL), r->fig[PAIRED_SYNC],
		      r->steady);
}

/* Ops per second; like a run of teeq/async/noop_pipelined, the window
 * starts with an empty queue and ends, timed, when everything it
 * submitted has completed. */
static void paired_async(struct bench *b, struct paired_round *r,
			 struct bench_async *a)
{
	struct paired_window w;
	int k;

	for (k = 0; k < PAIRED_WARMUP_BATCHES; k++)
		if (bench_async_batch(b, a, 1))
			return;
	if (bench_async_drain(b, a))
		return;
	paired_begin(b, &w);
	do {
		for (k = 0;
		     k < PAIRED_CHECK_EVERY && bench_run_batch(b, a->batch);
		     k++)
			if (bench_async_batch(b, a, 1))
				return;
	} while (paired_next(&w, k));
	if (bench_async_drain(b, a))
		return;
	r->fig[PAIRED_ASYNC] = (double)(w.calls * a->batch) * 1e9 /
			       bench_tsc_to_ns(bench_tsc() - w.t0);
}

static void paired_round(struct bench *b, struct paired_round *r,
			 TEEC_Session *sess, struct bench_async *a)
{
	int i;

	for (i = 0; i < PAIRED_NR_FIGS; i++)
		r->fig[i] = NAN;
	r->steady = 1;
	paired_gap();
	paired_floor(b, r);
	paired_gap();
	paired_ring(b, r);
	paired_gap();
	paired_sync(b, r, sess);
	paired_gap();
	paired_async(b, r, a);
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

/* What a round says: its figures, and its ratios, a round trip over the
 * same round's floor. */
#define PAIRED_RING_RATIO PAIRED_NR_FIGS
#define PAIRED_SYNC_RATIO (PAIRED_NR_FIGS + 1)

static double paired_value(const struct paired_round *r, int what)
{
	if (what == PAIRED_RING_RATIO)
		return r->fig[PAIRED_RING] / r->fig[PAIRED_FLOOR];
	if (what == PAIRED_SYNC_RATIO)
		return r->fig[PAIRED_SYNC] / r->fig[PAIRED_FLOOR];
	return r->fig[what];
}

static int paired_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @what over the rounds in @place (-2: every round), or
 * NAN if there are none; @tmp has room for @n values. */
#define PAIRED_ALL (-2)

static double paired_median(const struct paired_round *r, size_t n, int place,
			    int what, double *tmp)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (place == PAIRED_ALL || r[i].place == place)
			tmp[m++] = paired_value(&r[i], what);
	if (!m)
		return NAN;
	qsort(tmp, m, sizeof(*tmp), paired_cmp);
	return m % 2 ? tmp[m / 2] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2;
}

/* Names the rounds' placements (see the top); returns the floor they
 * split at, or NAN if they are one group. */
static double paired_group(struct paired_round *r, size_t n, double *tmp)
{
	double lo = INFINITY, hi = 0, split = NAN, med;
	int place[2], g;
	size_t i;

	for (i = 0; i < n; i++) {
		r[i].place = r[i].steady ? 0 : PAIRED_UNSTEADY;
		if (!r[i].steady)
			continue;
		lo = fmin(lo, r[i].fig[PAIRED_FLOOR]);
		hi = fmax(hi, r[i].fig[PAIRED_FLOOR]);
	}
	if (hi > PAIRED_SPLIT_RATIO * lo) {
		split = sqrt(lo * hi);
		for (i = 0; i < n; i++)
			if (r[i].steady)
				r[i].place = r[i].fig[PAIRED_FLOOR] >= split;
	}
	/* groups 0 and 1 (lower and higher floors) named by their floor */
	for (g = 0; g < 2; g++) {
		med = paired_median(r, n, g, PAIRED_FLOOR, tmp);
		place[g] = isnan(med)		    ? g :
			   med < PAIRED_NEAR_MAX_NS ? PAIRED_NEAR :
						      PAIRED_FAR;
	}
	for (i = 0; i < n; i++)
		if (r[i].place != PAIRED_UNSTEADY)
			r[i].place = place[r[i].place];
	return place[0] != place[1] ? split : NAN;
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
	} stats[] = {
		{ "floor_%s_ns", PAIRED_FLOOR },
		{ "ring_%s_ns", PAIRED_RING },
		{ "sync_%s_ns", PAIRED_SYNC },
		{ "ring_ratio_%s", PAIRED_RING_RATIO },
		{ "sync_ratio_%s", PAIRED_SYNC_RATIO },
		{ "async32_%s_ops", PAIRED_ASYNC },
	};
	size_t i, count[PAIRED_NR_PLACES] = { 0 }, unsteady = 0;
	int p;

	for (i = 0; i < n; i++) {
		if (r[i].place == PAIRED_UNSTEADY)
			unsteady++;
		else
			count[r[i].place]++;
	}
	for (p = 0; p < PAIRED_NR_PLACES; p++) {
		if (!count[p])
			continue;
		paired_counter(b, "rounds_%s", p, (double)count[p]);
		for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
			paired_counter(b, stats[i].name, p,
				       paired_median(r, n, p, stats[i].what,
						     tmp));
	}
	bench_counter(b, "rounds", (double)n, BENCH_COUNTER_PLAIN);
	bench_counter(b, "rounds_unsteady", (double)unsteady,
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "ring_ratio",
		      paired_median(r, n, PAIRED_ALL, PAIRED_RING_RATIO, tmp),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "sync_ratio",
		      paired_median(r, n, PAIRED_ALL, PAIRED_SYNC_RATIO, tmp),
		      BENCH_COUNTER_PLAIN);
	bench_counter(b, "async32_ops",
		      paired_median(r, n, PAIRED_ALL, PAIRED_ASYNC, tmp),
		      BENCH_COUNTER_PLAIN);
}

/* Every round as measured, for whoever audits the report. */
static void paired_write(const struct paired_round *r, size_t n, double split)
{
	char path[4096];
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
	fprintf(f, "round,start_ms,floor_ns,ring_ns,sync_ns,async32_ops_per_s,"
		   "ring_ratio,sync_ratio,placement\n");
	for (i = 0; i < n; i++)
		fprintf(f, "%zu,%.1f,%.1f,%.1f,%.1f,%.0f,%.3f,%.3f,%s\n", i,
			r[i].at_ms, r[i].fig[PAIRED_FLOOR],
			r[i].fig[PAIRED_RING], r[i].fig[PAIRED_SYNC],
			r[i].fig[PAIRED_ASYNC],
			paired_value(&r[i], PAIRED_RING_RATIO),
			paired_value(&r[i], PAIRED_SYNC_RATIO),
			r[i].place == PAIRED_UNSTEADY ?
				"unsteady" :
				paired_place_names[r[i].place]);
	fclose(f);
}

/* ---- the benchmark ------------------------------------------------------------ */

static void bm_paired(struct bench *b)
{
	size_t rounds = (size_t)paired_rounds_wanted(), n;
	struct paired_round *r = calloc(rounds, sizeof(*r));
	double *tmp = calloc(rounds, sizeof(*tmp)), split;
	struct bench_async a;
	struct bench_env *env;
	TEEC_Session *sess;
	uint64_t start;
	int64_t left;

	if (!r || !tmp) {
		bench_fail(b, "out of memory");
		goto out;
	}
	/* the others stopped: no worker polls CPU 1 but this one's */
	env = bench_env_use(b, BENCH_ENV_IDLE);
	sess = env ? bench_env_session(b, env, BENCH_TA_NOOP) : NULL;
	if (!sess || !bench_env_deep_noop(b, env) ||
	    bench_async_open(b, &a, &env->deep_ctx, &env->deep_noop,
			     PAIRED_BATCH))
		goto out;
	start = bench_clock_ns();
	for (n = 0; n < rounds && !b->failed; n++) {
		r[n].at_ms = (double)(bench_clock_ns() - start) / 1e6;
		paired_round(b, &r[n], sess, &a);
	}
	/* the iterations the windows left, in one batch: the run is over */
	left = bench_max_iterations(b) - bench_iterations(b);
	while (bench_run_batch(b, left > 0 ? left : 1))
		;
	bench_async_close(&a);
	if (b->failed)
		goto out;
	split = paired_group(r, n, tmp);
	paired_counters(b, r, n, tmp);
	if (!isnan(split))
		bench_counter(b, "floor_split_ns", split, BENCH_COUNTER_PLAIN);
	paired_write(r, n, split);
	bench_label(b,
		    "%zu rounds of %.0f ms windows: ping-pong, bare ring, "
		    "sync noop, async noop b32; teeq-sw --spin-us 50",
		    n, PAIRED_WINDOW_NS / 1e6);
out:
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
