// SPDX-License-Identifier: MIT
/* A forked peer process for the baselines; see peer.h. */
#include "bench/peer.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void *peer_ring_mem(struct peer *p, int which)
{
	return (char *)p->mem + 4096 + (size_t)which * p->ring_len;
}

void peer_attach(struct peer *p, struct ring *r, int which, enum ring_role role)
{
	if (ring_attach(r, peer_ring_mem(p, which), p->ring_len,
			PEER_RING_ENTRIES, PEER_ENTRY_SIZE, role))
		abort();
}

int peer_start(struct bench *b, struct peer *p, void (*child)(struct peer *))
{
	pid_t parent = getpid();

	memset(p, 0, sizeof(*p));
	p->ring_len = ring_bytes(PEER_RING_ENTRIES, PEER_ENTRY_SIZE);
	p->len = 4096 + 2 * p->ring_len;
	p->mem = mmap(NULL, p->len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->mem == MAP_FAILED) {
		bench_fail(b, "mmap: %s", strerror(errno));
		return -1;
	}
	p->ctl = p->mem;
	if (ring_format(peer_ring_mem(p, 0), p->ring_len, PEER_RING_ENTRIES,
			PEER_ENTRY_SIZE, 0) ||
	    ring_format(peer_ring_mem(p, 1), p->ring_len, PEER_RING_ENTRIES,
			PEER_ENTRY_SIZE, 0))
		abort();
	p->pid = fork();
	if (p->pid < 0) {
		bench_fail(b, "fork: %s", strerror(errno));
		munmap(p->mem, p->len);
		return -1;
	}
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		bench_pin(BENCH_PEER_CPU);
		child(p);
		_exit(__atomic_load_n(&p->ctl->bad, __ATOMIC_RELAXED) ? 3 : 0);
	}
	peer_spin_until(&p->ctl->ready, 1);
	return 0;
}

void peer_finish(struct bench *b, struct peer *p)
{
	int status;

	if (waitpid(p->pid, &status, 0) != p->pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		bench_fail(b, "peer process failed (status 0x%x)", status);
	munmap(p->mem, p->len);
}

void pingpong_child(struct peer *p)
{
	uint64_t last = 0, v;

	__atomic_store_n(&p->ctl->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		v = peer_next_ping(p, last);
		if (v == PEER_STOP)
			return;
		__atomic_store_n(&p->ctl->pong, v, __ATOMIC_RELEASE);
		last = v;
	}
}

void ringrtt_child(struct peer *p)
{
	struct ring req, resp;
	struct peer_msg m;

	peer_attach(p, &req, 0, RING_CONSUMER);
	peer_attach(p, &resp, 1, RING_PRODUCER);
	__atomic_store_n(&p->ctl->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		while (!ring_cons_avail(&req, 1))
			teeq_cpu_relax();
		memcpy(&m, ring_cons_slot(&req, 0), sizeof(m));
		ring_cons_release(&req, 1);
		if (m.seq == PEER_STOP)
			return;
		m.payload[0] = m.seq * 3;
		while (!ring_prod_space(&resp, 1))
			teeq_cpu_relax();
		memcpy(PEER_MSG_BODY(ring_prod_slot(&resp, 0)),
		       PEER_MSG_BODY(&m), PEER_MSG_BODY_LEN);
		ring_prod_commit(&resp, 1); /* the peer spins: no doorbell */
	}
}

int peer_start_ring_rtt(struct bench *b, struct peer *p, struct ring *req,
			struct ring *resp)
{
	if (peer_start(b, p, ringrtt_child))
		return -1;
	peer_attach(p, req, 0, RING_PRODUCER);
	peer_attach(p, resp, 1, RING_CONSUMER);
	return 0;
}
