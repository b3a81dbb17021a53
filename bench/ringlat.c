// SPDX-License-Identifier: MIT
/*
 * ringlat: the ring's round-trip latency and pipelined throughput between
 * two processes over a sealed memfd, next to the floor measured in the same
 * run: a raw cross-core cache-line ping-pong between the same two
 * processes. Repetitions interleave the three experiments so that machine
 * noise hits all of them alike; the report gives medians over repetitions
 * and ratios to the floor.
 *
 *   ringlat [-r REPS] [-n ROUND_TRIPS] [-m MESSAGES] [-b BATCH]
 *
 * BENCH_QUICK=1 in the environment runs a short version.
 */
#include "ring/ring.h"
#include "ring/wait.h"
#include "shm/memfd.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RING_ENTRIES 1024u
#define ENTRY_SIZE 64u
#define CTL_SIZE 4096u
#define MAX_REPS 101

struct ctl {
	uint64_t ping __attribute__((aligned(64))); /* parent writes */
	uint64_t pong __attribute__((aligned(64))); /* child writes */
	uint64_t ready __attribute__((aligned(64))); /* child is set up */
};

/* A 64-byte slot: the ring's stamp, then 60 bytes of message. */
struct msg {
	uint32_t stamp; /* the ring's: never copied in */
	uint32_t tag;
	uint64_t seq;
	uint64_t payload[6];
};
_Static_assert(sizeof(struct msg) == ENTRY_SIZE, "msg size");
#define MSG_BODY(m) ((char *)(m) + RING_STAMP_SIZE)
#define MSG_BODY_LEN (sizeof(struct msg) - RING_STAMP_SIZE)

static size_t ring_len, region_len;
static void *region;
static struct ctl *ctl;

static void *ring_mem(int which)
{
	return (char *)region + CTL_SIZE + (size_t)which * ring_len;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set); /* best effort */
}

static void spin_until(uint64_t *word, uint64_t value)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != value)
		teeq_cpu_relax();
}

static void reset_rings(void)
{
	if (ring_format(ring_mem(0), ring_len, RING_ENTRIES, ENTRY_SIZE, 0) ||
	    ring_format(ring_mem(1), ring_len, RING_ENTRIES, ENTRY_SIZE, 0))
		abort();
	memset(ctl, 0, sizeof(*ctl));
}

static void attach(struct ring *r, int which, enum ring_role role)
{
	if (ring_attach(r, ring_mem(which), ring_len, RING_ENTRIES, ENTRY_SIZE,
			role))
		abort();
}

/* ---- the experiments: each returns ns (per round trip) or msgs/s ------ */

static void pingpong_child(uint64_t iters)
{
	uint64_t i;

	__atomic_store_n(&ctl->ready, 1, __ATOMIC_RELEASE);
	for (i = 1; i <= iters; i++) {
		spin_until(&ctl->ping, i);
		__atomic_store_n(&ctl->pong, i, __ATOMIC_RELEASE);
	}
}

static double pingpong_parent(uint64_t iters)
{
	uint64_t i, t0, t1;

	spin_until(&ctl->ready, 1);
	t0 = ring_now_ns();
	for (i = 1; i <= iters; i++) {
		__atomic_store_n(&ctl->ping, i, __ATOMIC_RELEASE);
		spin_until(&ctl->pong, i);
	}
	t1 = ring_now_ns();
	return (double)(t1 - t0) / (double)iters;
}

static void ringrtt_child(uint64_t iters)
{
	struct ring req, resp;
	struct msg m;
	uint64_t i;

	attach(&req, 0, RING_CONSUMER);
	attach(&resp, 1, RING_PRODUCER);
	__atomic_store_n(&ctl->ready, 1, __ATOMIC_RELEASE);
	for (i = 0; i < iters; i++) {
		while (!ring_cons_avail(&req, 1))
			teeq_cpu_relax();
		memcpy(&m, ring_cons_slot(&req, 0), sizeof(m));
		ring_cons_release(&req, 1);
		m.payload[0] = m.seq * 3;
		while (!ring_prod_space(&resp, 1))
			teeq_cpu_relax();
		memcpy(MSG_BODY(ring_prod_slot(&resp, 0)), MSG_BODY(&m),
		       MSG_BODY_LEN);
		ring_prod_commit(&resp, 1); /* the peer spins: no doorbell */
	}
}

static double ringrtt_parent(uint64_t iters)
{
	struct ring req, resp;
	struct msg m = { 0 };
	uint64_t i, t0, t1;

	attach(&req, 0, RING_PRODUCER);
	attach(&resp, 1, RING_CONSUMER);
	spin_until(&ctl->ready, 1);
	t0 = ring_now_ns();
	for (i = 0; i < iters; i++) {
		m.seq = i;
		while (!ring_prod_space(&req, 1))
			teeq_cpu_relax();
		memcpy(MSG_BODY(ring_prod_slot(&req, 0)), MSG_BODY(&m),
		       MSG_BODY_LEN);
		ring_prod_commit(&req, 1);
		while (!ring_cons_avail(&resp, 1))
			teeq_cpu_relax();
		memcpy(&m, ring_cons_slot(&resp, 0), sizeof(m));
		ring_cons_release(&resp, 1);
		if (m.seq != i || m.payload[0] != i * 3)
			abort();
	}
	t1 = ring_now_ns();
	return (double)(t1 - t0) / (double)iters;
}

static uint32_t batch = 32;

static void tput_child(uint64_t total)
{
	uint64_t seen = 0, bad = 0;
	struct ring req;
	uint32_t n, i;

	attach(&req, 0, RING_CONSUMER);
	__atomic_store_n(&ctl->ready, 1, __ATOMIC_RELEASE);
	while (seen < total) {
		n = ring_cons_avail(&req, batch);
		if (!n) {
			teeq_cpu_relax();
			continue;
		}
		if (n > batch)
			n = batch;
		for (i = 0; i < n; i++) {
			const struct msg *m = ring_cons_slot(&req, i);

			bad += m->seq != seen + i;
		}
		ring_cons_release(&req, n);
		seen += n;
	}
	if (bad)
		_exit(3);
}

static double tput_parent(uint64_t total)
{
	uint64_t sent = 0, t0, t1;
	struct ring req;
	uint32_t n, i;

	attach(&req, 0, RING_PRODUCER);
	spin_until(&ctl->ready, 1);
	t0 = ring_now_ns();
	while (sent < total) {
		n = batch;
		if (n > total - sent)
			n = (uint32_t)(total - sent);
		if (ring_prod_space(&req, n) < n) {
			teeq_cpu_relax();
			continue;
		}
		for (i = 0; i < n; i++) {
			struct msg *m = ring_prod_slot(&req, i);

			m->seq = sent + i;
			m->payload[0] = sent;
		}
		ring_prod_commit(&req, n);
		sent += n;
	}
	/* done when the consumer has released everything */
	while (ring_prod_space(&req, RING_ENTRIES) < RING_ENTRIES)
		teeq_cpu_relax();
	t1 = ring_now_ns();
	return (double)total * 1e9 / (double)(t1 - t0);
}

static double run(void (*child)(uint64_t), double (*parent)(uint64_t),
		  uint64_t n)
{
	double result;
	int status;
	pid_t pid;

	reset_rings();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		pin(1);
		child(n);
		_exit(0);
	}
	pin(0);
	result = parent(n);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "ringlat: child failed\n");
		exit(1);
	}
	return result;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int quick = getenv("BENCH_QUICK") && atoi(getenv("BENCH_QUICK"));
	uint64_t rtts = quick ? 50000 : 200000;
	uint64_t msgs = quick ? 4000000 : 32000000;
	int reps = quick ? 5 : 11, opt, i, fd;
	double pp[MAX_REPS], rr[MAX_REPS], tp[MAX_REPS], ratio[MAX_REPS];
	double pp_med, rr_med, tp_med, ratio_med;

	while ((opt = getopt(argc, argv, "r:n:m:b:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 'n':
			rtts = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			msgs = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			batch = (uint32_t)atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: ringlat [-r reps] [-n round_trips] "
				"[-m messages] [-b batch]\n");
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS || !rtts || !msgs || batch < 1 ||
	    batch > RING_ENTRIES) {
		fprintf(stderr, "ringlat: bad arguments\n");
		return 2;
	}

	ring_len = ring_bytes(RING_ENTRIES, ENTRY_SIZE);
	region_len = CTL_SIZE + 2 * ring_len;
	fd = shm_memfd_create("teeq-ringlat", region_len);
	if (fd < 0 || shm_map(fd, region_len, &region)) {
		fprintf(stderr, "ringlat: memfd: %s\n", strerror(-fd));
		return 1;
	}
	ctl = region;

	printf("ringlat: %d repetitions, %llu round trips, %llu messages of "
	       "%u bytes at batch %u, process to process over memfd, CPUs "
	       "0 and 1\n",
	       reps, (unsigned long long)rtts, (unsigned long long)msgs,
	       ENTRY_SIZE, batch);
	for (i = 0; i < reps; i++) {
		pp[i] = run(pingpong_child, pingpong_parent, rtts);
		rr[i] = run(ringrtt_child, ringrtt_parent, rtts);
		tp[i] = run(tput_child, tput_parent, msgs);
		ratio[i] = rr[i] / pp[i];
		fprintf(stderr,
			"  rep %2d: ping-pong %6.1f ns  ring rtt %6.1f ns  "
			"(%.2fx)  pipelined %.1f M/s\n",
			i + 1, pp[i], rr[i], ratio[i], tp[i] / 1e6);
	}
	pp_med = median(pp, reps);
	rr_med = median(rr, reps);
	tp_med = median(tp, reps);
	ratio_med = median(ratio, reps);

	printf("\n| metric (median of %d) | value | target |\n", reps);
	printf("|---|---|---|\n");
	printf("| raw cache-line ping-pong RTT (floor) | %.1f ns | - |\n",
	       pp_med);
	printf("| ring round trip, 64 B entry | %.1f ns | - |\n", rr_med);
	printf("| ring RTT / ping-pong (median of per-rep ratios) | %.2fx | "
	       "<= 1.5x: %s |\n",
	       ratio_med, ratio_med <= 1.5 ? "met" : "MISSED");
	printf("| pipelined, 64 B at batch %u | %.1f M msgs/s (%.1f ns each) "
	       "| >= 30 M/s: %s |\n",
	       batch, tp_med / 1e6, 1e9 / tp_med,
	       tp_med >= 30e6 ? "met" : "MISSED");
	shm_unmap(region, region_len);
	close(fd);
	return 0;
}
