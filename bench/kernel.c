// SPDX-License-Identifier: MIT
/*
 * Kernel mode: the same calls through /dev/teeq0, by ioctl and by
 * io_uring IORING_OP_URING_CMD. Reported as not measured, with the
 * reason, until both the driver and libteeq's kernel path exist here.
 */
#include "bench/bench.h"

#include <unistd.h>

#define KERNEL_DEV "/dev/teeq0"

static void kernel_run(struct bench *b)
{
	if (access(KERNEL_DEV, F_OK))
		bench_not_measured(b, KERNEL_DEV " absent (driver not loaded)");
	else
		bench_not_measured(b, "libteeq has no kernel-mode path yet");
}

static void bm_kernel_ioctl_sync(struct bench *b)
{
	kernel_run(b);
}

static void bm_kernel_uring_cmd(struct bench *b)
{
	kernel_run(b);
}

size_t bench_kernel_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("teeq/kernel/ioctl_sync_noop", bm_kernel_ioctl_sync);
	d[n++] = BENCH_DEF_ARG("teeq/kernel/uring_cmd_noop_pipelined",
			       bm_kernel_uring_cmd, "batch", 32);
	return n;
}
