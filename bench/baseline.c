// SPDX-License-Identifier: MIT
/*
 * Baselines, measured in the same run as teeq so that every headline is a
 * ratio: the timer itself; a raw cross-process cache-line ping-pong (the
 * floor for one synchronous call) and the bare ring between two processes
 * (folded in from ringlat); io_uring NOPs; a Unix-socket request/response
 * round trip (how socket-based TEE emulators talk); memcpy.
 *
 * A peer process is forked for each run, pinned to BENCH_PEER_CPU while the
 * benchmark thread stays on BENCH_CLIENT_CPU, the same placement as the
 * secure world's worker in the teeq figures. No teeq-sw runs meanwhile.
 */
#include "bench/bench.h"
#include "bench/env.h"
#include "bench/peer.h"
#include "bench/uring.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the timer ---------------------------------------------------------- */

/* What one reading of the clock adds to a sample: two back-to-back reads. */
static void bm_timer(struct bench *b)
{
	struct bench_lat lat;

	bench_env_none();
	bench_lat_begin(b, &lat);
	while (bench_run(b)) {
		uint64_t t0 = bench_tsc();

		bench_lat_add(&lat, bench_tsc() - t0);
	}
	bench_lat_end(b, &lat);
	bench_label(b, "lfence; rdtsc, %.3f GHz", bench_tsc_ghz());
}

/* ---- cross-process cache-line ping-pong: the floor ------------------------- */

static void bm_pingpong(struct bench *b)
{
	struct peer p;
	uint64_t i = 0;

	bench_env_none();
	if (peer_start(b, &p, pingpong_child))
		return;
	bench_set_peer(b, p.pid);
	BENCH_ROUND_TRIPS(b, pingpong_once(&p, ++i));
	peer_stop_pingpong(&p);
	peer_finish(b, &p);
	bench_label(b, "process on CPU %d <-> process on CPU %d",
		    BENCH_CLIENT_CPU, BENCH_PEER_CPU);
}

/* ---- the bare ring: round trip, and pipelined throughput ------------------- */

static void bm_ring_rtt(struct bench *b)
{
	struct ring req, resp;
	struct peer p;
	uint64_t i = 0;

	bench_env_none();
	if (peer_start_ring_rtt(b, &p, &req, &resp))
		return;
	bench_set_peer(b, p.pid);
	BENCH_ROUND_TRIPS(b, ring_rtt_once(b, &req, &resp, i++));
	peer_stop_ring(&req);
	peer_finish(b, &p);
	bench_label(b, "64 B entries, process on CPU %d <-> CPU %d",
		    BENCH_CLIENT_CPU, BENCH_PEER_CPU);
}

static void ringtput_child(struct peer *p)
{
	uint64_t seen = 0, bad = 0;
	struct ring req;
	uint32_t n, i;

	peer_attach(p, &req, 0, RING_CONSUMER);
	__atomic_store_n(&p->ctl->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		n = ring_cons_avail(&req, 32);
		if (!n) {
			teeq_cpu_relax();
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct peer_msg *m = ring_cons_slot(&req, i);

			if (m->seq == PEER_STOP) {
				ring_cons_release(&req, i + 1);
				if (bad)
					__atomic_store_n(&p->ctl->bad, 1,
							 __ATOMIC_RELAXED);
				return;
			}
			bad += m->seq != seen + i;
		}
		ring_cons_release(&req, n);
		seen += n;
	}
}

/*
 * 64-byte messages one way at batch @arg, the consumer releasing as it
 * goes. The run ends, timed, when the consumer has released everything.
 */
static void bm_ring_pipelined(struct bench *b)
{
	uint32_t batch = (uint32_t)bench_arg(b), i;
	uint64_t sent = 0;
	struct ring req;
	struct peer p;

	bench_env_none();
	if (peer_start(b, &p, ringtput_child))
		return;
	bench_set_peer(b, p.pid);
	peer_attach(&p, &req, 0, RING_PRODUCER);
	while (bench_run_batch(b, batch)) {
		while (ring_prod_space(&req, batch) < batch)
			teeq_cpu_relax();
		for (i = 0; i < batch; i++) {
			struct peer_msg *m = ring_prod_slot(&req, i);

			m->seq = sent + i;
			m->payload[0] = sent;
		}
		ring_prod_commit(&req, batch);
		sent += batch;
		if (bench_iterations(b) >= bench_max_iterations(b))
			while (ring_prod_space(&req, PEER_RING_ENTRIES) <
			       PEER_RING_ENTRIES)
				teeq_cpu_relax();
	}
	peer_stop_ring(&req);
	peer_finish(b, &p);
	bench_items(b, bench_iterations(b));
	bench_label(b, "64 B, one way, process on CPU %d -> CPU %d",
		    BENCH_CLIENT_CPU, BENCH_PEER_CPU);
}

/* ---- Unix-socket request/response -------------------------------------------- */

#define RPC_REQ 128 /* an SQE's size */
#define RPC_RESP 64 /* a CQE's size */

static inline void socket_rpc_once(struct bench *b, int fd, char *req,
				   char *resp)
{
	if (send(fd, req, RPC_REQ, 0) != RPC_REQ ||
	    recv(fd, resp, RPC_RESP, 0) != RPC_RESP)
		bench_fail(b, "socket round trip: %s", strerror(errno));
	req[1]++;
}

static void bm_socket_rpc(struct bench *b)
{
	char req[RPC_REQ] = { 1 }, resp[RPC_RESP];
	pid_t parent = getpid(), pid;
	int sv[2], status;

	bench_env_none();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		bench_fail(b, "socketpair: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		bench_fail(b, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		char in[RPC_REQ], out[RPC_RESP] = { 2 };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		bench_pin(BENCH_PEER_CPU);
		close(sv[0]);
		/* a server: blocking receive, answer, until hang-up */
		while (recv(sv[1], in, sizeof(in), 0) == sizeof(in)) {
			out[1] = in[1];
			if (send(sv[1], out, sizeof(out), 0) != sizeof(out))
				_exit(2);
		}
		_exit(0);
	}
	close(sv[1]);
	bench_set_peer(b, pid);
	BENCH_ROUND_TRIPS(b, socket_rpc_once(b, sv[0], req, resp));
	close(sv[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bench_fail(b, "socket server failed (status 0x%x)", status);
	bench_label(b,
		    "SOCK_SEQPACKET, %d B request, %d B reply, blocking, "
		    "CPU %d <-> CPU %d",
		    RPC_REQ, RPC_RESP, BENCH_CLIENT_CPU, BENCH_PEER_CPU);
}

/* ---- io_uring NOP ------------------------------------------------------------ */

static void bm_uring_nop(struct bench *b)
{
	uint32_t batch = (uint32_t)bench_arg(b);
	struct io_uring ring;
	int ret;

	bench_env_none();
	ret = io_uring_queue_init(64, &ring, 0);
	if (ret < 0) {
		bench_not_measured(b, "io_uring_queue_init: %s",
				   strerror(-ret));
		return;
	}
	if (batch == 1) {
		/* a system call's round trip: percentiles too */
		BENCH_ROUND_TRIPS(b, uring_nop_batch(b, &ring, 1));
	} else {
		while (bench_run_batch(b, batch))
			uring_nop_batch(b, &ring, batch);
	}
	io_uring_queue_exit(&ring);
	bench_items(b, bench_iterations(b));
	bench_label(b, "submit %u, wait for %u, one io_uring_enter", batch,
		    batch);
}

/* ---- io_uring NOP with SQPOLL: a kernel poller on the other CPU --------------- */

/* The same shape as teeq's async batches, pipelined (uring.h); the
 * poller idles after 1 s, as the teeq-sw worker it is set against. */
static void bm_uring_sqpoll(struct bench *b)
{
	uint32_t batch = (uint32_t)bench_arg(b);
	struct uring_sqpoll u;
	int ret;

	bench_env_none();
	ret = uring_sqpoll_open(&u, batch, 1000);
	if (ret == -ESRCH) {
		bench_fail(b, "io_uring SQPOLL: no poller thread found");
		return;
	}
	if (ret < 0) {
		bench_not_measured(b, "io_uring SQPOLL: %s", strerror(-ret));
		return;
	}
	bench_set_peer_thread(b, u.tid);
	while (bench_run_batch(b, batch)) {
		if (uring_sqpoll_batch(b, &u))
			break;
		/* the run ends, timed, when everything has completed */
		if (bench_iterations(b) >= bench_max_iterations(b) &&
		    uring_sqpoll_drain(b, &u))
			break;
	}
	uring_sqpoll_close(&u);
	bench_items(b, bench_iterations(b));
	bench_label(b,
		    "pipelined, batch %u, depth %u, SQPOLL thread on CPU %d, "
		    "idle after 1 s",
		    batch, URING_SQPOLL_DEPTH, BENCH_PEER_CPU);
}

/* ---- memcpy ---------------------------------------------------------------------- */

void bench_memcpy(struct bench *b)
{
	size_t len = (size_t)bench_arg(b);
	char *src = aligned_alloc(4096, len), *dst = aligned_alloc(4096, len);

	bench_env_none();
	if (!src || !dst) {
		bench_fail(b, "out of memory");
		free(src);
		free(dst);
		return;
	}
	memset(src, 0x5a, len);
	memset(dst, 0, len);
	while (bench_run(b)) {
		memcpy(dst, src, len);
		bench_clobber(dst);
	}
	if (dst[len - 1] != 0x5a)
		bench_fail(b, "memcpy did not copy");
	bench_bytes(b, bench_iterations(b) * (int64_t)len);
	free(src);
	free(dst);
}

/* ---- the table --------------------------------------------------------------------- */

size_t bench_timer_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("baseline/timer", bm_timer);
	return n;
}

size_t bench_floor_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("baseline/pingpong", bm_pingpong);
	d[n++] = BENCH_DEF("baseline/ring_rtt", bm_ring_rtt);
	return n;
}

/* The floor again, after the headline round trips: a virtual machine can
 * move its vCPUs mid-run, and the report says when the floor moved. */
size_t bench_floor_recheck_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("baseline/pingpong_recheck", bm_pingpong);
	return n;
}

size_t bench_batch_baseline_defs(struct bench_def *d, size_t n)
{
	/* the floor once more, next to the throughput figures: this VM
	 * moves its vCPUs, and throughput depends on where they are */
	d[n++] = BENCH_DEF("baseline/pingpong_throughput", bm_pingpong);
	d[n++] = BENCH_DEF_ARG("baseline/uring_nop", bm_uring_nop, "batch", 1);
	d[n++] = BENCH_DEF_ARG("baseline/uring_nop", bm_uring_nop, "batch", 32);
	d[n++] = BENCH_DEF_ARG("baseline/uring_sqpoll_nop", bm_uring_sqpoll,
			       "batch", 32);
	d[n++] = BENCH_DEF_ARG("baseline/ring_pipelined", bm_ring_pipelined,
			       "batch", 32);
	return n;
}

size_t bench_rpc_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("baseline/socket_rpc", bm_socket_rpc);
	return n;
}
