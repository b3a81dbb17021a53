/* SPDX-License-Identifier: MIT */
/*
 * teeq-bench: benchmarks written in C, run by Google Benchmark.
 *
 * bench/shim.cc is the only C++: it registers the table of struct
 * bench_def with benchmark::RegisterBenchmark and exposes the few
 * benchmark::State operations a C benchmark needs (bench_gb_*). Everything
 * else is C: each benchmark is a function of a struct bench, which wraps
 * the State with what every run also measures (software perf counters,
 * the peer's CPU time) and per-call latency percentiles.
 *
 *	static void bm_thing(struct bench *b)	  // a throughput
 *	{
 *		while (bench_run_batch(b, 32))
 *			thing_times_32(b);
 *		bench_items(b, bench_iterations(b));
 *	}
 *
 *	static void bm_call(struct bench *b)	  // a round trip
 *	{
 *		BENCH_ROUND_TRIPS(b, call(b));
 *	}
 *
 * A benchmark reports its failure with bench_fail(), and what this
 * machine cannot measure with bench_not_measured().
 */
#ifndef TEEQ_BENCH_BENCH_H
#define TEEQ_BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the table the shim registers ------------------------------------- */

struct bench;

struct bench_def {
	const char *name; /* family name, e.g. "teeq/sync/noop" */
	void (*fn)(struct bench *b);
	const char *arg_name; /* NULL: no argument */
	int64_t arg; /* shown as name/arg_name:arg */
	int threads; /* 0 or 1: the calling thread only */
	int64_t iterations; /* 0: as many as the minimum time needs */
	int repetitions; /* 0: as the command line says */
};

#define BENCH_DEF(n, f) ((struct bench_def){ .name = (n), .fn = (f) })
#define BENCH_DEF_ARG(n, f, an, a) \
	((struct bench_def){       \
		.name = (n), .fn = (f), .arg_name = (an), .arg = (a) })

/* ---- the shim: benchmark::State for C (bench/shim.cc) ----------------- */

struct bench_state; /* a benchmark::State */

enum bench_counter_flags {
	BENCH_COUNTER_PLAIN = 0, /* shown as set */
	BENCH_COUNTER_PER_ITER = 1, /* divided by the iterations */
	BENCH_COUNTER_RATE = 2, /* divided by the run's time */
};

int bench_gb_keep_running(struct bench_state *st);
int bench_gb_keep_running_batch(struct bench_state *st, int64_t n);
int64_t bench_gb_range(struct bench_state *st, int index);
int64_t bench_gb_iterations(struct bench_state *st);
int64_t bench_gb_max_iterations(struct bench_state *st);
int bench_gb_thread_index(struct bench_state *st);
int bench_gb_threads(struct bench_state *st);
void bench_gb_pause(struct bench_state *st);
void bench_gb_resume(struct bench_state *st);
void bench_gb_counter(struct bench_state *st, const char *name, double value,
		      int flags);
void bench_gb_bytes(struct bench_state *st, int64_t bytes);
void bench_gb_items(struct bench_state *st, int64_t items);
void bench_gb_skip(struct bench_state *st, const char *message);
void bench_gb_label(struct bench_state *st, const char *label);
/* A key/value in the "context" stanza of the report. */
void bench_gb_context(const char *key, const char *value);
/* Registers @defs, runs what the command line selects; returns the number
 * of benchmarks run, or -1 on a bad command line. */
int bench_gb_main(int argc, char **argv, const struct bench_def *defs,
		  size_t count);

/* Called by the shim for every run of @def (C side, bench/core.c). */
void bench_dispatch(const struct bench_def *def, struct bench_state *st);

#ifndef __cplusplus

/* ---- what a C benchmark uses (bench/core.c) ---------------------------- */

#define BENCH_MAX_PERF 5

struct bench {
	struct bench_state *st;
	const struct bench_def *def;
	int thread; /* index of this thread in the run */
	int started, stopped, failed;
	/* software (and hardware, where there are any) perf counters of the
	 * calling thread, enabled between the first and the last iteration */
	int perf_fd[BENCH_MAX_PERF];
	/* the other side of the measurement (teeq-sw, a forked peer, a
	 * kernel thread of this process) */
	pid_t peer;
	int peer_is_thread;
	uint64_t peer_cpu0;
	double peer_cpu_ns;
};

/* The benchmark loop: nonzero while there are iterations left. */
int bench_run(struct bench *b);
/* The same, @n iterations at a time (counts @n per call). */
int bench_run_batch(struct bench *b, int64_t n);
int64_t bench_arg(struct bench *b);
int64_t bench_iterations(struct bench *b);
int64_t bench_max_iterations(struct bench *b);
int bench_threads(struct bench *b);
void bench_pause(struct bench *b);
void bench_resume(struct bench *b);
void bench_counter(struct bench *b, const char *name, double value, int flags);
void bench_bytes(struct bench *b, int64_t bytes);
void bench_items(struct bench *b, int64_t items);
void bench_label(struct bench *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Also measure the CPU time @pid uses during the run (peer_cpu_ns/op). */
void bench_set_peer(struct bench *b, pid_t pid);
/* The same for thread @tid of this process (a kernel poller). */
void bench_set_peer_thread(struct bench *b, pid_t tid);
/* The run failed: reported as an error, and teeq-bench exits non-zero. */
void bench_fail(struct bench *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* This machine cannot measure it: reported, not a failure. */
void bench_not_measured(struct bench *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bench_failures(void);
/* Where per-run data files go (the report directory), or NULL. */
const char *bench_data_dir(void);
int bench_quick(void);

/* ---- time ---------------------------------------------------------------- */

uint64_t bench_clock_ns(void); /* CLOCK_MONOTONIC */

/* A cheap clock: the TSC, read after earlier instructions (the loads
 * that ended a wait) have completed; converted with a rate calibrated
 * against CLOCK_MONOTONIC at start-up. A sample holds one reading's cost
 * too: baseline/timer measures it and the report shows it beside the
 * percentiles; nothing is subtracted. */
static inline uint64_t bench_tsc(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
#else
	return bench_clock_ns();
#endif
}

void bench_clock_calibrate(void);
double bench_tsc_ghz(void); /* ticks per ns */
double bench_clock_resolution_ns(void);
double bench_tsc_to_ns(uint64_t ticks);

/* Per-call latency samples (ticks), kept whole: percentiles are exact. */
struct bench_lat {
	uint32_t *v;
	size_t n, cap;
	uint64_t overflow; /* samples too large for 32 bits (clamped) */
};

/* Room for the run's iterations (bench_lat_begin), or for @n samples. */
void bench_lat_begin(struct bench *b, struct bench_lat *lat);
void bench_lat_begin_n(struct bench_lat *lat, int64_t n);
static inline void bench_lat_add(struct bench_lat *lat, uint64_t ticks)
{
	if (lat->n < lat->cap) {
		if (ticks > UINT32_MAX) {
			ticks = UINT32_MAX;
			lat->overflow++;
		}
		lat->v[lat->n++] = (uint32_t)ticks;
	}
}
/* Reports p50/p99/p99.9 (ns) and the distribution of this run. */
void bench_lat_end(struct bench *b, struct bench_lat *lat);

/*
 * A round-trip benchmark. The benchmark loop runs @call back to back with
 * no clock in between, so Google Benchmark's time is the mean round trip;
 * then as many calls again are timed one by one for the percentiles
 * (counters p50_ns, p99_ns, p999_ns). @call reports a failure with
 * bench_fail(), which ends both passes.
 */
#define BENCH_ROUND_TRIPS(b, call)           \
	do {                                 \
		while (bench_run(b)) {       \
			call;                \
		}                            \
		BENCH_LATENCY_PASS(b, call); \
	} while (0)

/* The second pass alone, after a benchmark loop of @call. */
#define BENCH_LATENCY_PASS(b, call)                              \
	do {                                                     \
		struct bench_lat lat_;                           \
		int64_t i_, n_ = bench_iterations(b);            \
		bench_lat_begin_n(&lat_, n_);                    \
		for (i_ = 0; i_ < n_ && !(b)->failed; i_++) {    \
			uint64_t t0_ = bench_tsc();              \
			call;                                    \
			bench_lat_add(&lat_, bench_tsc() - t0_); \
		}                                                \
		bench_lat_end(b, &lat_);                         \
	} while (0)

/* Keeps the compiler from dropping computations into @p. */
static inline void bench_clobber(const void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* Pins the calling thread to @cpu (best effort; 0 on success). */
int bench_pin(int cpu);
#define BENCH_CLIENT_CPU 0
#define BENCH_PEER_CPU 1

/* ---- the benchmark families ---------------------------------------------- */

/* Each appends its entries to the table at @n; returns the new count. */
size_t bench_timer_defs(struct bench_def *defs, size_t n);
size_t bench_floor_defs(struct bench_def *defs, size_t n);
size_t bench_sync_noop_defs(struct bench_def *defs, size_t n);
size_t bench_sync_defs(struct bench_def *defs, size_t n);
size_t bench_floor_recheck_defs(struct bench_def *defs, size_t n);
size_t bench_paired_defs(struct bench_def *defs, size_t n);
size_t bench_batch_baseline_defs(struct bench_def *defs, size_t n);
size_t bench_async_defs(struct bench_def *defs, size_t n);
size_t bench_rpc_defs(struct bench_def *defs, size_t n);
size_t bench_payload_defs(struct bench_def *defs, size_t n);
size_t bench_idle_defs(struct bench_def *defs, size_t n);
size_t bench_kernel_defs(struct bench_def *defs, size_t n);
/* Secure storage (bench/storage.c): its own teeq-sw (@sw_path) with a
 * supplicant, started on first use and stopped by bench_storage_fini(). */
size_t bench_storage_defs(struct bench_def *defs, size_t n);
void bench_storage_init(const char *sw_path);
void bench_storage_fini(void);
size_t bench_ta_defs(struct bench_def *defs, size_t n);
/* Loaded TAs: points $TEEQ_TA_DIR at tas/ next to teeq-bench, for the
 * teeq-sw processes the benchmarks start (bench/ta.c). */
void bench_ta_env(void);
/* memcpy of bench_arg() bytes: the payload figures' copy baseline */
void bench_memcpy(struct bench *b);
/* NULL when cycles and instructions can be counted, else why not. */
const char *bench_perf_hw_status(void);

#endif /* !__cplusplus */

#ifdef __cplusplus
}
#endif

#endif /* TEEQ_BENCH_BENCH_H */
