// SPDX-License-Identifier: MIT
/*
 * What every benchmark run gets: the loop, software perf counters of the
 * calling thread (hardware ones where the machine has them), the CPU time
 * of the peer process, per-call latency percentiles, and the clock.
 */
#include "bench/bench.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int bench_nr_failures; /* atomic */

int bench_failures(void)
{
	return __atomic_load_n(&bench_nr_failures, __ATOMIC_RELAXED);
}

/* ---- clock ---------------------------------------------------------------- */

static double bench_ticks_per_ns = 1.0;

uint64_t bench_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One (tsc, ns) pair, taken where the two reads are closest together. */
static void bench_clock_pair(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		uint64_t a = bench_clock_ns(), t = bench_tsc();
		uint64_t c = bench_clock_ns();

		if (c - a < best) {
			best = c - a;
			*tsc = t;
			*ns = a + (c - a) / 2;
		}
	}
}

void bench_clock_calibrate(void)
{
#if defined(__x86_64__)
	struct timespec step = { 0, 50000000 };
	uint64_t t0 = 0, n0 = 0, t1 = 0, n1 = 0;

	bench_clock_pair(&t0, &n0);
	nanosleep(&step, NULL);
	bench_clock_pair(&t1, &n1);
	bench_ticks_per_ns = (double)(t1 - t0) / (double)(n1 - n0);
#endif
}

/* The smallest step the clock takes: on some virtual machines the TSC
 * moves in steps of many ticks. */
double bench_clock_resolution_ns(void)
{
	uint64_t best = UINT64_MAX, a, d;
	int i;

	for (i = 0; i < 100000; i++) {
		a = bench_tsc();
		while ((d = bench_tsc() - a) == 0)
			;
		if (d < best)
			best = d;
	}
	return bench_tsc_to_ns(best);
}

double bench_tsc_ghz(void)
{
	return bench_ticks_per_ns;
}

double bench_tsc_to_ns(uint64_t ticks)
{
	return (double)ticks / bench_ticks_per_ns;
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* ---- perf counters ---------------------------------------------------------- */

static const struct bench_perf_event {
	const char *name; /* counter name, per iteration */
	uint32_t type;
	uint64_t config;
	double scale;
} bench_perf_events[BENCH_MAX_PERF] = {
	{ "cpu_ns", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1 },
	{ "ctx_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES,
	  1 },
	{ "page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1 },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1 },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1 },
};

static int bench_hw_ok = -1; /* probed once */
static char bench_hw_why[160];

static int bench_perf_open(const struct bench_perf_event *e)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = e->type;
	attr.config = e->config;
	attr.disabled = 1;
	attr.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/* Does this machine count cycles and instructions? Said once, with why
 * not; nothing is ever estimated in their place. */
const char *bench_perf_hw_status(void)
{
	int fd, i;

	if (bench_hw_ok >= 0)
		return bench_hw_ok ? NULL : bench_hw_why;
	bench_hw_ok = 1;
	for (i = 3; i < BENCH_MAX_PERF && bench_hw_ok; i++) {
		fd = bench_perf_open(&bench_perf_events[i]);
		if (fd < 0) {
			snprintf(bench_hw_why, sizeof(bench_hw_why),
				 "unavailable: perf_event_open(%s): %s",
				 bench_perf_events[i].name, strerror(errno));
			bench_hw_ok = 0;
		} else {
			close(fd);
		}
	}
	return bench_hw_ok ? NULL : bench_hw_why;
}

static void bench_perf_setup(struct bench *b)
{
	int i, n = bench_perf_hw_status() ? 3 : BENCH_MAX_PERF;

	for (i = 0; i < BENCH_MAX_PERF; i++)
		b->perf_fd[i] = i < n ? bench_perf_open(&bench_perf_events[i]) :
					-1;
}

static void bench_perf_ctl(struct bench *b, unsigned long req)
{
	int i;

	for (i = 0; i < BENCH_MAX_PERF; i++)
		if (b->perf_fd[i] >= 0)
			ioctl(b->perf_fd[i], req, 0);
}

/* CPU time of the peer: a process (its CPU clock), or a thread of this
 * process (the time on a CPU that /proc/self/task/TID/schedstat counts,
 * for the kernel's own threads, which have no clock id we may read). */
static uint64_t bench_peer_cpu(struct bench *b)
{
	unsigned long long ns = 0;
	struct timespec ts;
	char path[64];
	clockid_t clk;
	FILE *f;

	if (b->peer_is_thread) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat",
			 (int)b->peer);
		f = fopen(path, "r");
		if (!f)
			return 0;
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
		return ns;
	}
	if (clock_getcpuclockid(b->peer, &clk) || clock_gettime(clk, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void bench_start(struct bench *b)
{
	b->started = 1;
	if (b->peer > 0)
		b->peer_cpu0 = bench_peer_cpu(b);
	bench_perf_ctl(b, PERF_EVENT_IOC_RESET);
	bench_perf_ctl(b, PERF_EVENT_IOC_ENABLE);
}

static void bench_stop(struct bench *b)
{
	uint64_t v;
	int i;

	bench_perf_ctl(b, PERF_EVENT_IOC_DISABLE);
	b->stopped = 1;
	if (b->peer > 0) {
		uint64_t now = bench_peer_cpu(b);

		b->peer_cpu_ns =
			now > b->peer_cpu0 ? (double)(now - b->peer_cpu0) : 0;
	}
	if (b->failed || !bench_gb_iterations(b->st))
		return;
	for (i = 0; i < BENCH_MAX_PERF; i++) {
		if (b->perf_fd[i] < 0 ||
		    read(b->perf_fd[i], &v, sizeof(v)) != sizeof(v))
			continue;
		bench_counter(b, bench_perf_events[i].name,
			      (double)v * bench_perf_events[i].scale,
			      BENCH_COUNTER_PER_ITER);
	}
	if (b->peer > 0)
		bench_counter(b, "peer_cpu_ns", b->peer_cpu_ns,
			      BENCH_COUNTER_PER_ITER);
}

void bench_dispatch(const struct bench_def *def, struct bench_state *st)
{
	struct bench b;
	int i;

	memset(&b, 0, sizeof(b));
	b.st = st;
	b.def = def;
	b.thread = bench_gb_thread_index(st);
	bench_perf_setup(&b);
	def->fn(&b);
	for (i = 0; i < BENCH_MAX_PERF; i++)
		if (b.perf_fd[i] >= 0)
			close(b.perf_fd[i]);
}

/* ---- the loop -------------------------------------------------------------- */

int bench_run(struct bench *b)
{
	if (!b->started)
		bench_start(b);
	if (bench_gb_keep_running(b->st))
		return 1;
	bench_stop(b);
	return 0;
}

int bench_run_batch(struct bench *b, int64_t n)
{
	if (!b->started)
		bench_start(b);
	if (bench_gb_keep_running_batch(b->st, n))
		return 1;
	bench_stop(b);
	return 0;
}

int64_t bench_arg(struct bench *b)
{
	return b->def->arg_name ? bench_gb_range(b->st, 0) : 0;
}

int64_t bench_iterations(struct bench *b)
{
	return bench_gb_iterations(b->st);
}

int64_t bench_max_iterations(struct bench *b)
{
	return bench_gb_max_iterations(b->st);
}

int bench_threads(struct bench *b)
{
	return bench_gb_threads(b->st);
}

void bench_pause(struct bench *b)
{
	bench_perf_ctl(b, PERF_EVENT_IOC_DISABLE);
	bench_gb_pause(b->st);
}

void bench_resume(struct bench *b)
{
	bench_gb_resume(b->st);
	bench_perf_ctl(b, PERF_EVENT_IOC_ENABLE);
}

void bench_counter(struct bench *b, const char *name, double value, int flags)
{
	bench_gb_counter(b->st, name, value, flags);
}

void bench_bytes(struct bench *b, int64_t bytes)
{
	bench_gb_bytes(b->st, bytes);
}

void bench_items(struct bench *b, int64_t items)
{
	bench_gb_items(b->st, items);
}

void bench_label(struct bench *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bench_gb_label(b->st, buf);
}

void bench_set_peer(struct bench *b, pid_t pid)
{
	b->peer = pid;
	b->peer_is_thread = 0;
}

void bench_set_peer_thread(struct bench *b, pid_t tid)
{
	b->peer = tid;
	b->peer_is_thread = 1;
}

static void bench_skip(struct bench *b, const char *prefix, const char *fmt,
		       va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s", prefix);

	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (!b->failed)
		bench_gb_skip(b->st, buf);
	b->failed = 1;
}

void bench_fail(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->failed) {
		__atomic_add_fetch(&bench_nr_failures, 1, __ATOMIC_RELAXED);
		va_start(ap, fmt);
		bench_skip(b, "failed: ", fmt, ap);
		va_end(ap);
	}
}

void bench_not_measured(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_skip(b, "not measured: ", fmt, ap);
	va_end(ap);
}

/* ---- per-call latency ------------------------------------------------------ */

/* Samples per run at most: 16 M (64 MiB); a longer run keeps the first. */
#define BENCH_LAT_MAX ((size_t)16 << 20)

static __thread uint32_t *bench_lat_buf, *bench_lat_tmp;
static __thread size_t bench_lat_cap;

/* Sample buffers are mapped, not malloc'ed, so that they can be left out
 * of the processes a baseline forks: otherwise every page written after
 * a fork takes a copy-on-write fault in the timed loop. */
static uint32_t *bench_lat_map(size_t count)
{
	size_t len = count * sizeof(uint32_t);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_DONTFORK);
	/* fault the pages in now, not in the timed loop */
	memset(p, 0xff, len);
	return p;
}

void bench_lat_begin(struct bench *b, struct bench_lat *lat)
{
	bench_lat_begin_n(lat, bench_max_iterations(b));
}

void bench_lat_begin_n(struct bench_lat *lat, int64_t n)
{
	size_t want = n > 0 ? (size_t)n : 0;

	if (want > BENCH_LAT_MAX)
		want = BENCH_LAT_MAX;
	if (want < 1024)
		want = 1024;
	if (want > bench_lat_cap) {
		if (bench_lat_buf)
			munmap(bench_lat_buf, bench_lat_cap * sizeof(uint32_t));
		if (bench_lat_tmp)
			munmap(bench_lat_tmp, bench_lat_cap * sizeof(uint32_t));
		bench_lat_buf = bench_lat_map(want);
		bench_lat_tmp = bench_lat_map(want);
		bench_lat_cap = want;
		if (!bench_lat_buf || !bench_lat_tmp) {
			if (bench_lat_buf)
				munmap(bench_lat_buf, want * sizeof(uint32_t));
			if (bench_lat_tmp)
				munmap(bench_lat_tmp, want * sizeof(uint32_t));
			bench_lat_buf = bench_lat_tmp = NULL;
			bench_lat_cap = 0;
		}
	}
	lat->v = bench_lat_buf;
	lat->cap = bench_lat_cap < want ? bench_lat_cap : want;
	lat->n = 0;
	lat->overflow = 0;
}

/* LSD radix sort, 11 bits a pass: three passes over 32-bit samples. */
static void bench_sort_u32(uint32_t *v, uint32_t *tmp, size_t n)
{
	uint32_t *src = v, *dst = tmp, *swap;
	int shift;

	for (shift = 0; shift < 33; shift += 11) {
		size_t count[2048] = { 0 }, sum = 0, i, c;

		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & 2047]++;
		for (i = 0; i < 2048; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 2047]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

/* Nearest-rank percentile of sorted @v. */
static double bench_pct(const uint32_t *v, size_t n, double p)
{
	size_t rank = (size_t)(p * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return bench_tsc_to_ns(v[rank - 1]);
}

static void bench_lat_file_name(struct bench *b, char *buf, size_t len)
{
	char name[200];
	size_t i;

	if (b->def->arg_name)
		snprintf(name, sizeof(name), "%s/%s:%lld", b->def->name,
			 b->def->arg_name, (long long)b->def->arg);
	else
		snprintf(name, sizeof(name), "%s", b->def->name);
	for (i = 0; name[i]; i++)
		if (name[i] == '/' || name[i] == ':')
			name[i] = '_';
	snprintf(buf, len, "%s/lat/%s.dat", bench_data_dir(), name);
}

/*
 * The distribution of this run, for the latency chart: latency at
 * percentiles spaced evenly on a 1/(1 - p) scale, up to what the sample
 * count supports. The last run of a benchmark (its last repetition) wins.
 */
static void bench_lat_write(struct bench *b, const uint32_t *v, size_t n)
{
	char path[512];
	FILE *f;
	int k;

	if (!bench_data_dir())
		return;
	bench_lat_file_name(b, path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "# %s: %zu samples; percentile latency_ns\n", b->def->name,
		n);
	for (k = 0;; k++) {
		/* 40 points a decade of 1/(1 - p), from the median on */
		double tail = 0.5 * pow(10.0, -k / 40.0);
		double p = 1.0 - tail;

		if (tail * (double)n < 1.0)
			break;
		fprintf(f, "%.6f %.1f\n", p * 100, bench_pct(v, n, p));
	}
	fprintf(f, "%.6f %.1f\n", 100.0, bench_tsc_to_ns(v[n - 1]));
	fclose(f);
}

void bench_lat_end(struct bench *b, struct bench_lat *lat)
{
	size_t n = lat->n;

	if (b->failed || !n)
		return;
	bench_sort_u32(lat->v, bench_lat_tmp, n);
	bench_counter(b, "p50_ns", bench_pct(lat->v, n, 0.50), 0);
	bench_counter(b, "p99_ns", bench_pct(lat->v, n, 0.99), 0);
	/* a 99.9th percentile of fewer than 1000 samples is the maximum */
	if (n >= 1000)
		bench_counter(b, "p999_ns", bench_pct(lat->v, n, 0.999), 0);
	bench_counter(b, "max_ns", bench_tsc_to_ns(lat->v[n - 1]), 0);
	bench_counter(b, "samples", (double)n, 0);
	if (lat->overflow)
		bench_counter(b, "clamped_samples", (double)lat->overflow, 0);
	if (b->thread == 0)
		bench_lat_write(b, lat->v, n);
}
