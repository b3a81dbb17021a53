// SPDX-License-Identifier: MIT
/*
 * teeq-bench-kinstr BATCH ROUNDS: the client's side of the uring_cmd
 * path, to be counted by callgrind (make bench-kernel-instr): per call,
 * the liburing preparation of an INVOKE command and of its argument, its
 * share of the io_uring_enter that submits its batch and waits for it, and
 * the reaping of its completion, all in kinstr_round(). Against
 * /dev/teeq0 when there is one; else against /dev/null, whose commands
 * complete at once with -EOPNOTSUPP: the user-space work is the same, and
 * callgrind sees no kernel instruction either way.
 */
#include "uapi/teeq_uring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct kinstr_arg {
	struct teeq_ioctl_invoke_arg invoke;
};

/* One batch: prepared, submitted and waited for with one io_uring_enter,
 * reaped. Returns the completions seen. */
static __attribute__((noipa)) unsigned int kinstr_round(struct io_uring *ring,
							struct kinstr_arg *args,
							uint32_t batch,
							uint32_t session)
{
	struct teeq_uring_cmd cmd = { 0 };
	struct io_uring_cqe *cqe;
	unsigned int head, seen = 0;
	uint32_t i;

	for (i = 0; i < batch; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		memset(&args[i].invoke, 0, sizeof(args[i].invoke));
		args[i].invoke.session = session;
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->cmd_op = TEEQ_URING_CMD_INVOKE;
		sqe->user_data = i;
		cmd.arg = (uintptr_t)&args[i].invoke;
		cmd.arg_len = sizeof(args[i].invoke);
		memcpy(sqe->cmd, &cmd, sizeof(cmd));
	}
	if (io_uring_submit_and_wait(ring, batch) != (int)batch)
		return 0;
	io_uring_for_each_cqe(ring, head, cqe) seen++;
	io_uring_cq_advance(ring, seen);
	return seen;
}

int main(int argc, char **argv)
{
	uint32_t batch = argc > 1 ? (uint32_t)atoi(argv[1]) : 32;
	long rounds = argc > 2 ? atol(argv[2]) : 1000, r;
	struct io_uring_params p = { .flags = IORING_SETUP_COOP_TASKRUN |
					      IORING_SETUP_TASKRUN_FLAG };
	struct kinstr_arg *args = calloc(batch, sizeof(*args));
	const char *dev = "/dev/teeq0";
	struct io_uring ring;
	int fd, ret;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		dev = "/dev/null";
		fd = open(dev, O_RDWR | O_CLOEXEC);
	}
	if (!args || fd < 0 || !batch) {
		fprintf(stderr, "teeq-bench-kinstr: set-up failed\n");
		return 1;
	}
	ret = io_uring_queue_init_params(batch, &ring, &p);
	if (!ret)
		ret = io_uring_register_files(&ring, &fd, 1);
	if (ret) {
		fprintf(stderr, "teeq-bench-kinstr: io_uring: %s\n",
			strerror(-ret));
		return 1;
	}
	for (r = 0; r < rounds; r++)
		if (kinstr_round(&ring, args, batch, 1) != batch) {
			fprintf(stderr,
				"teeq-bench-kinstr: a batch was lost\n");
			return 1;
		}
	printf("%ld rounds of %u commands on %s\n", rounds, batch, dev);
	io_uring_queue_exit(&ring);
	close(fd);
	free(args);
	return 0;
}
