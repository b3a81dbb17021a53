/* SPDX-License-Identifier: MIT */
/*
 * The io_uring baselines, shared by their benchmarks (baseline.c) and the
 * paired rounds (paired.c), so that a figure measured in both places is
 * measured by the same code.
 *
 *   NOP, submit-wait: a batch submitted and waited for with one
 *	io_uring_enter, on this CPU.
 *   NOP with SQPOLL, pipelined: the kernel's poller thread, pinned to
 *	BENCH_PEER_CPU, takes the entries from the ring, as a teeq-sw worker
 *	does; this thread keeps the queue full as teeq's async benchmarks
 *	do (submit a batch whenever there is room, reap what is done, spin
 *	when there is none) and enters the kernel only to wake a poller
 *	that went to sleep.
 */
#ifndef TEEQ_BENCH_URING_H
#define TEEQ_BENCH_URING_H

#include "bench/bench.h"

#include <liburing.h>
#include <stdint.h>
#include <sys/types.h>

/* In flight at most with SQPOLL: teeq's deep context's depth. */
#define URING_SQPOLL_DEPTH 1024u

/* @batch NOPs submitted and waited for with one io_uring_enter; fails @b
 * if they did not all complete. */
void uring_nop_batch(struct bench *b, struct io_uring *ring, uint32_t batch);

struct uring_sqpoll {
	struct io_uring ring;
	pid_t tid; /* the poller thread (its CPU time: /proc/self/task) */
	uint64_t in_flight;
	uint32_t batch;
	int idle_ms; /* the poller sleeps after this long without work */
};

/* A ring with its poller on BENCH_PEER_CPU; 0, or a negative errno (the
 * kernel would not set one up: not measured), or -ESRCH (no poller thread
 * found: a failure). */
int uring_sqpoll_open(struct uring_sqpoll *u, uint32_t batch, int idle_ms);
/* One batch submitted, after reaping what is done and, when there is no
 * room for it, spinning until there is; 0, or -1 with @b failed. */
int uring_sqpoll_batch(struct bench *b, struct uring_sqpoll *u);
/* Spins until everything submitted has completed; 0, or -1. */
int uring_sqpoll_drain(struct bench *b, struct uring_sqpoll *u);
/* Tears the ring down and waits (up to a second) for its poller to be
 * gone, so that it takes nothing from whatever runs next on its CPU. */
void uring_sqpoll_close(struct uring_sqpoll *u);

#endif /* TEEQ_BENCH_URING_H */
