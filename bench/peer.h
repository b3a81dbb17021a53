/* SPDX-License-Identifier: MIT */
/*
 * A forked peer process for the baselines that need another side: shared
 * memory with a control block and two formatted rings, and a child pinned
 * to BENCH_PEER_CPU running one of the loops below while the benchmark
 * thread stays on BENCH_CLIENT_CPU (the same placement as the secure
 * world's worker in the teeq figures).
 *
 * peer_start() starts nothing else and stops nothing: a caller that wants
 * no teeq-sw running meanwhile says so (bench_env_none()), and names the
 * peer to its run (bench_set_peer()) if its CPU time should be reported.
 *
 *	if (peer_start(b, &p, pingpong_child))
 *		return;
 *	... pingpong_once(&p, ++i) ...
 *	peer_stop_pingpong(&p);
 *	peer_finish(b, &p);
 */
#ifndef TEEQ_BENCH_PEER_H
#define TEEQ_BENCH_PEER_H

#include "bench/bench.h"

#include "ring/ring.h"

#include <stdint.h>
#include <string.h>

#define PEER_RING_ENTRIES 1024u
#define PEER_ENTRY_SIZE 64u
#define PEER_STOP UINT64_MAX

struct peer_ctl {
	uint64_t ping __attribute__((aligned(64))); /* parent writes */
	uint64_t pong __attribute__((aligned(64))); /* child writes */
	uint64_t ready __attribute__((aligned(64))); /* child is set up */
	uint64_t bad __attribute__((aligned(64))); /* child saw garbage */
};

/* A 64-byte ring message: the ring's stamp, then the body. */
struct peer_msg {
	uint32_t stamp;
	uint32_t tag;
	uint64_t seq;
	uint64_t payload[6];
};
_Static_assert(sizeof(struct peer_msg) == PEER_ENTRY_SIZE, "peer_msg");
#define PEER_MSG_BODY(m) ((char *)(m) + RING_STAMP_SIZE)
#define PEER_MSG_BODY_LEN (sizeof(struct peer_msg) - RING_STAMP_SIZE)

struct peer {
	void *mem;
	size_t len, ring_len;
	struct peer_ctl *ctl;
	pid_t pid;
};

/* Shared memory, two formatted rings, and the child running @child,
 * set up (its ready word written) when this returns 0. Fails @b and
 * returns -1 when it cannot. */
int peer_start(struct bench *b, struct peer *p, void (*child)(struct peer *));
/* Waits for the child (told to stop beforehand) and unmaps; fails @b if
 * the child did not exit cleanly. */
void peer_finish(struct bench *b, struct peer *p);
/* Ring @which (0: requests, 1: responses) of @p, as @role. */
void peer_attach(struct peer *p, struct ring *r, int which,
		 enum ring_role role);

static inline void peer_spin_until(uint64_t *word, uint64_t value)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != value)
		teeq_cpu_relax();
}

/* ---- cross-process cache-line ping-pong: the floor ------------------------- */

/* The child: answers each ping with a pong of the same value. */
void pingpong_child(struct peer *p);

/* A peer's wait for the next ping after @last: its value, or PEER_STOP. */
static inline uint64_t peer_next_ping(struct peer *p, uint64_t last)
{
	uint64_t v;

	while ((v = __atomic_load_n(&p->ctl->ping, __ATOMIC_ACQUIRE)) == last)
		teeq_cpu_relax();
	return v;
}

static inline void pingpong_once(struct peer *p, uint64_t i)
{
	__atomic_store_n(&p->ctl->ping, i, __ATOMIC_RELEASE);
	peer_spin_until(&p->ctl->pong, i);
}

static inline void peer_stop_pingpong(struct peer *p)
{
	__atomic_store_n(&p->ctl->ping, PEER_STOP, __ATOMIC_RELEASE);
}

/* ---- the bare ring round trip ---------------------------------------------- */

/* The child: consumes each request of ring 0 and answers on ring 1. */
void ringrtt_child(struct peer *p);

static inline void ring_send(struct ring *r, struct peer_msg *m)
{
	while (!ring_prod_space(r, 1))
		teeq_cpu_relax();
	memcpy(PEER_MSG_BODY(ring_prod_slot(r, 0)), PEER_MSG_BODY(m),
	       PEER_MSG_BODY_LEN);
	ring_prod_commit(r, 1);
}

/* One message there and its answer back, as ringlat did. */
static inline void ring_rtt_once(struct bench *b, struct ring *req,
				 struct ring *resp, uint64_t i)
{
	struct peer_msg m = { .seq = i };

	ring_send(req, &m);
	while (!ring_cons_avail(resp, 1))
		teeq_cpu_relax();
	memcpy(&m, ring_cons_slot(resp, 0), sizeof(m));
	ring_cons_release(resp, 1);
	if (m.seq != i || m.payload[0] != i * 3)
		bench_fail(b, "ring round trip returned garbage");
}

/* A peer running ringrtt_child, and this side's ends: @req to produce
 * requests into, @resp to consume responses from. As peer_start(). */
int peer_start_ring_rtt(struct bench *b, struct peer *p, struct ring *req,
			struct ring *resp);

/* Tells a ring child (round trip or throughput) to exit. */
static inline void peer_stop_ring(struct ring *req)
{
	struct peer_msg stop = { .seq = PEER_STOP };

	ring_send(req, &stop);
}

#endif /* TEEQ_BENCH_PEER_H */
