// SPDX-License-Identifier: MIT
/*
 * teeq-bench-kinstr MODE BATCH ROUNDS: calls made only to be counted in
 * instructions (make bench-kernel-instr), ROUNDS batches of BATCH:
 *
 *   uring   INVOKEs of the noop TA as uring commands, two batches in
 *           flight, completions polled as bench/kernel.c polls them
 *   nop     io_uring NOPs, a batch per io_uring_enter (the kernel's floor)
 *   ioctl   TEEQ_IOC_INVOKE of the noop TA, one ioctl per call
 *   null    a failing ioctl on the node (a null system call)
 *
 * On a host, callgrind counts the client's side of the uring path in
 * kinstr_round() (user space only), against /dev/null when there is no
 * /dev/teeq0: its commands complete at once with -EOPNOTSUPP, and the
 * user-space work is the same. In the QEMU guest, with teeq-sw attached,
 * bench/qemu_insn.c counts the kernel's instructions between the markers
 * this program runs around each measured loop.
 */
#include "uapi/teeq_gp.h"
#include "uapi/teeq_tas.h"
#include "uapi/teeq_uring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct kinstr_arg {
	struct teeq_ioctl_invoke_arg invoke;
};

struct kinstr {
	struct io_uring ring;
	struct kinstr_arg *args;
	uint32_t batch, in_flight, next;
	uint32_t session;
	int fd;
};

/* The marker qemu-insn.so snapshots its counts at: a NOP no compiler
 * emits. */
static inline void kinstr_mark(void)
{
	__asm__ __volatile__(".byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x65, 0x71, "
			     "0x00, 0x00" ::
				     : "memory");
}

/* Takes the completions there are; @wait: polls until there is one. */
static uint32_t kinstr_reap(struct kinstr *k, int wait)
{
	struct io_uring_cqe *cqe;
	unsigned int head, seen;

	for (;;) {
		seen = 0;
		io_uring_for_each_cqe(&k->ring, head, cqe) seen++;
		io_uring_cq_advance(&k->ring, seen);
		if (seen || !wait)
			return seen;
		/* completions wait in task work: run it */
		if (IO_URING_READ_ONCE(*k->ring.sq.kflags) & IORING_SQ_TASKRUN)
			io_uring_get_events(&k->ring);
	}
}

/* One batch of uring commands out, room for it reaped first: the
 * client's side of the uring path, all of it in here. */
static __attribute__((noipa)) void kinstr_round(struct kinstr *k)
{
	struct teeq_uring_cmd cmd = { 0 };
	uint32_t i;

	while (2 * k->batch - k->in_flight < k->batch)
		k->in_flight -= kinstr_reap(k, 1);
	for (i = 0; i < k->batch; i++) {
		struct kinstr_arg *a = &k->args[k->next++ % (2 * k->batch)];
		struct io_uring_sqe *sqe = io_uring_get_sqe(&k->ring);

		memset(&a->invoke, 0, sizeof(a->invoke));
		a->invoke.session = k->session;
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->cmd_op = TEEQ_URING_CMD_INVOKE;
		sqe->user_data = i;
		cmd.arg = (uintptr_t)&a->invoke;
		cmd.arg_len = sizeof(a->invoke);
		memcpy(sqe->cmd, &cmd, sizeof(cmd));
	}
	io_uring_submit(&k->ring);
	k->in_flight += k->batch;
}

static void kinstr_nop(struct kinstr *k)
{
	uint32_t i;

	for (i = 0; i < k->batch; i++)
		io_uring_prep_nop(io_uring_get_sqe(&k->ring));
	io_uring_submit_and_wait(&k->ring, k->batch);
	kinstr_reap(k, 0);
}

static int kinstr_invoke(struct kinstr *k)
{
	struct teeq_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)k->args,
					   .buf_len = sizeof(k->args->invoke) };

	memset(&k->args->invoke, 0, sizeof(k->args->invoke));
	k->args->invoke.session = k->session;
	return ioctl(k->fd, TEEQ_IOC_INVOKE, &buf) ||
	       k->args->invoke.ret != TEEQ_SUCCESS;
}

/* A noop session, on /dev/teeq0; 1 (unchecked) on /dev/null. */
static uint32_t kinstr_session(int fd, int teeq)
{
	static const struct {
		uint32_t time_low;
		uint16_t time_mid, time_hi;
		uint8_t node[8];
	} noop = TEEQ_TA_NOOP_UUID;
	struct teeq_ioctl_open_session_arg open = { 0 };
	struct teeq_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&open,
					   .buf_len = sizeof(open) };
	struct teeq_uuid w;

	if (!teeq)
		return 1;
	teeq_uuid_pack(&w, noop.time_low, noop.time_mid, noop.time_hi,
		       noop.node);
	memcpy(open.uuid, w.b, sizeof(w.b));
	if (ioctl(fd, TEEQ_IOC_OPEN_SESSION, &buf) || open.ret)
		return 0;
	return open.session;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "uring";
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE |
					      IORING_SETUP_COOP_TASKRUN |
					      IORING_SETUP_TASKRUN_FLAG };
	struct kinstr k = { .batch = argc > 2 ? (uint32_t)atoi(argv[2]) : 32 };
	long rounds = argc > 3 ? atol(argv[3]) : 1000, r;
	int teeq = 1, ret = 0;

	k.fd = open("/dev/teeq0", O_RDWR | O_CLOEXEC);
	if (k.fd < 0) {
		teeq = 0;
		k.fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	k.args = calloc(2 * k.batch + 1, sizeof(*k.args));
	k.session = kinstr_session(k.fd, teeq);
	p.cq_entries = 4 * k.batch;
	if (!k.args || k.fd < 0 || !k.batch || !k.session ||
	    io_uring_queue_init_params(2 * k.batch, &k.ring, &p) ||
	    io_uring_register_files(&k.ring, &k.fd, 1)) {
		fprintf(stderr, "teeq-bench-kinstr: set-up failed\n");
		return 1;
	}
	/* warm: the paths are in place before the first marker */
	for (r = 0; r < 8 && !strcmp(mode, "uring"); r++)
		kinstr_round(&k);
	while (k.in_flight)
		k.in_flight -= kinstr_reap(&k, 1);
	kinstr_mark();
	for (r = 0; r < rounds && !ret; r++) {
		if (!strcmp(mode, "uring")) {
			kinstr_round(&k);
		} else if (!strcmp(mode, "nop")) {
			kinstr_nop(&k);
		} else if (!strcmp(mode, "ioctl")) {
			ret = kinstr_invoke(&k);
		} else if (!strcmp(mode, "null")) {
			ret = !ioctl(k.fd, _IO(TEEQ_IOC_MAGIC, 0x1f));
		} else {
			fprintf(stderr, "teeq-bench-kinstr: no mode %s\n",
				mode);
			return 2;
		}
	}
	while (k.in_flight)
		k.in_flight -= kinstr_reap(&k, 1);
	kinstr_mark();
	if (ret) {
		fprintf(stderr, "teeq-bench-kinstr: a call failed\n");
		return 1;
	}
	printf("%s: %ld rounds of %u on %s\n", mode, rounds, k.batch,
	       teeq ? "/dev/teeq0" : "/dev/null");
	io_uring_queue_exit(&k.ring);
	close(k.fd);
	free(k.args);
	return 0;
}
