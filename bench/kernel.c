// SPDX-License-Identifier: MIT
/*
 * Kernel mode: calls through /dev/teeq0 (teeq.ko, served by a teeq-sw
 * attached with --kernel), each beside its baseline in the same run:
 *
 *   teeq/kernel/null_ioctl              a failing ioctl on the node: the
 *                                       system call under every sync call
 *   teeq/kernel/ioctl_sync_noop         an INVOKE of the noop TA, one
 *                                       ioctl per call (round trip)
 *   teeq/kernel/teec_sync_noop          the same through libteeq in kernel
 *                                       mode (TEEC_InvokeCommand);
 *                                       teeq/sync/noop is host mode's,
 *                                       same run
 *   teeq/kernel/uring_cmd_noop_pipelined/batch:N
 *                                       the same INVOKE as io_uring
 *                                       commands, N per io_uring_enter,
 *                                       kept in flight as async.c keeps
 *                                       libteeq's queue (throughput);
 *                                       baseline/uring_nop/batch:32 is the
 *                                       kernel's own floor, and
 *                                       teeq/async/noop_pipelined/batch:32
 *                                       host mode's figure, same run
 *   teeq/kernel/teeq_async_noop_pipelined/batch:32
 *                                       libteeq's async queue in kernel
 *                                       mode, kept full the same way: its
 *                                       batches as uring commands
 *   teeq/kernel/cipher_vgem/bytes:1048576
 *                                       AES-128-CTR over 1 MiB of a vgem
 *                                       buffer registered by its dma-buf
 *                                       fd: used in place, zero-copy
 *   teeq/kernel/cipher_tmpref/bytes:1048576
 *                                       the same through temporary
 *                                       memrefs, which the driver copies
 *
 * Without the driver, as on a host running `make bench`, each row says it
 * was not measured here: `make bench-kernel` boots a guest that has it.
 */
#include "bench/bench.h"
#include "bench/calls.h"

#include "uapi/teeq_swdev.h"
#include "uapi/teeq_tas.h"
#include "uapi/teeq_uring.h"

#include <tee_client_api.h>

#include <drm.h>
#include <drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define KERNEL_DEV "/dev/teeq0"
#define KERNEL_SW_DEV "/dev/teeqsw0"
#define KERNEL_ARG_MAX                                \
	(sizeof(struct teeq_ioctl_open_session_arg) + \
	 4 * sizeof(struct teeq_ioctl_param))
#define KERNEL_MIB (1u << 20)

/* One call's argument: the ioctl's struct with room for its params. */
struct kernel_arg {
	union {
		struct teeq_ioctl_invoke_arg invoke;
		struct teeq_ioctl_open_session_arg open;
		unsigned char raw[KERNEL_ARG_MAX];
	} u;
};

/* ---- the node ---------------------------------------------------------------- */

static int kernel_stats(struct teeq_swdev_stats *st)
{
	int fd = open(KERNEL_SW_DEV, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, TEEQ_SWDEV_IOC_STATS, st);
	close(fd);
	return ret;
}

/* /dev/teeq0 with a secure world attached, or -1 with @b not measured. */
static int kernel_open(struct bench *b)
{
	struct teeq_swdev_stats st;
	int fd;

	if (access(KERNEL_DEV, F_OK)) {
		bench_not_measured(b, KERNEL_DEV " absent: not measured "
						 "here, see make bench-kernel");
		return -1;
	}
	if (kernel_stats(&st) || !st.attached) {
		bench_not_measured(b, "no teeq-sw attached to " KERNEL_SW_DEV
				      ": see make bench-kernel");
		return -1;
	}
	fd = open(KERNEL_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		bench_fail(b, KERNEL_DEV ": %s", strerror(errno));
	return fd;
}

static uint32_t kernel_session(struct bench *b, int fd, const TEEC_UUID *ta)
{
	struct kernel_arg a;
	struct teeq_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&a.u,
					   .buf_len = sizeof(a.u.open) };
	struct teeq_uuid w;

	memset(&a, 0, sizeof(a));
	teeq_uuid_pack(&w, ta->timeLow, ta->timeMid, ta->timeHiAndVersion,
		       ta->clockSeqAndNode);
	memcpy(a.u.open.uuid, w.b, sizeof(w.b));
	if (ioctl(fd, TEEQ_IOC_OPEN_SESSION, &buf) ||
	    a.u.open.ret != TEEQ_SUCCESS) {
		bench_fail(b, "OPEN_SESSION: %s, result 0x%08x",
			   strerror(errno), a.u.open.ret);
		return 0;
	}
	return a.u.open.session;
}

static void kernel_prep_invoke(struct kernel_arg *a, uint32_t session,
			       uint32_t func,
			       const struct teeq_ioctl_param *params,
			       uint32_t n)
{
	memset(&a->u.invoke, 0, sizeof(a->u.invoke));
	a->u.invoke.func = func;
	a->u.invoke.session = session;
	a->u.invoke.num_params = n;
	if (n)
		memcpy(a->u.invoke.params, params, n * sizeof(*params));
}

static int kernel_invoke(struct bench *b, int fd, struct kernel_arg *a)
{
	struct teeq_ioctl_buf_data buf = {
		.buf_ptr = (uintptr_t)&a->u,
		.buf_len =
			sizeof(a->u.invoke) +
			a->u.invoke.num_params * sizeof(a->u.invoke.params[0]),
	};

	if (ioctl(fd, TEEQ_IOC_INVOKE, &buf) ||
	    a->u.invoke.ret != TEEQ_SUCCESS) {
		bench_fail(b, "INVOKE: %s, result 0x%08x", strerror(errno),
			   a->u.invoke.ret);
		return -1;
	}
	return 0;
}

/* ---- the sync path and its floor ----------------------------------------------------- */

static void bm_kernel_null_ioctl(struct bench *b)
{
	int fd = kernel_open(b);

	if (fd < 0)
		return;
	BENCH_ROUND_TRIPS(b,
			  if (ioctl(fd, _IO(TEEQ_IOC_MAGIC, 0x1f)) == 0)
				  bench_fail(b, "an unknown ioctl succeeded"));
	bench_label(b, "an unknown request on " KERNEL_DEV ": EINVAL");
	close(fd);
}

static void bm_kernel_ioctl_sync(struct bench *b)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct kernel_arg a;
	int fd = kernel_open(b);
	uint32_t s;

	if (fd < 0)
		return;
	s = kernel_session(b, fd, &noop);
	if (s) {
		kernel_prep_invoke(&a, s, TEEQ_NOOP_CMD_NOOP, NULL, 0);
		BENCH_ROUND_TRIPS(b, kernel_invoke(b, fd, &a));
		bench_label(b, "TEEQ_IOC_INVOKE of the noop TA, one ioctl "
			       "per call");
	}
	close(fd);
}

/* ---- io_uring commands, pipelined ------------------------------------------------ */

/*
 * The client as a latency-minded io_uring user sets it up: task work run
 * when it enters the kernel rather than by an interrupt
 * (IORING_SETUP_COOP_TASKRUN, with IORING_SETUP_TASKRUN_FLAG telling it
 * when there is some), /dev/teeq0 as a registered file, and completions
 * polled for a while before it sleeps in io_uring_enter, as libteeq's own
 * waits spin before they sleep.
 */
#define KERNEL_URING_SPIN_NS 1000000

struct kernel_uring {
	struct io_uring ring;
	struct kernel_arg *args; /* one per slot */
	uint32_t *free, nr_free; /* free slots */
	uint32_t depth, in_flight;
	uint64_t enters; /* io_uring_enter calls, counted as they are made */
};

static int kernel_uring_init(struct bench *b, struct kernel_uring *u, int fd,
			     uint32_t batch)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE |
					      IORING_SETUP_COOP_TASKRUN |
					      IORING_SETUP_TASKRUN_FLAG };
	uint32_t i;
	int ret;

	memset(u, 0, sizeof(*u));
	/* two batches in flight: one being answered, one queued behind */
	u->depth = 2 * batch;
	p.cq_entries = 2 * u->depth;
	ret = io_uring_queue_init_params(u->depth, &u->ring, &p);
	if (!ret)
		ret = io_uring_register_files(&u->ring, &fd, 1);
	if (ret) {
		bench_not_measured(b, "io_uring set-up: %s", strerror(-ret));
		return -1;
	}
	u->args = calloc(u->depth, sizeof(*u->args));
	u->free = calloc(u->depth, sizeof(*u->free));
	if (!u->args || !u->free) {
		bench_fail(b, "out of memory");
		return -1;
	}
	for (i = 0; i < u->depth; i++)
		u->free[u->nr_free++] = i;
	return 0;
}

static void kernel_uring_fini(struct kernel_uring *u)
{
	if (u->ring.ring_fd > 0)
		io_uring_queue_exit(&u->ring);
	free(u->args);
	free(u->free);
}

/* Takes the completions there are; each must have succeeded. */
static int kernel_uring_take(struct bench *b, struct kernel_uring *u,
			     uint32_t *taken)
{
	struct io_uring_cqe *cqe;
	unsigned int head, seen = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe)
	{
		const struct kernel_arg *a = &u->args[cqe->user_data];

		if (cqe->res || a->u.invoke.ret != TEEQ_SUCCESS) {
			bench_fail(b, "uring_cmd: res %d, result 0x%08x",
				   cqe->res, a->u.invoke.ret);
			return -1;
		}
		u->free[u->nr_free++] = (uint32_t)cqe->user_data;
		seen++;
	}
	io_uring_cq_advance(&u->ring, seen);
	u->in_flight -= seen;
	*taken = seen;
	return 0;
}

/* At least @want completions: polled, running task work when there is
 * some, asleep in io_uring_enter after KERNEL_URING_SPIN_NS. */
static int kernel_uring_reap(struct bench *b, struct kernel_uring *u,
			     uint32_t want)
{
	uint64_t since = 0;
	uint32_t n;

	for (;;) {
		if (kernel_uring_take(b, u, &n))
			return -1;
		want = n >= want ? 0 : want - n;
		if (!want)
			return 0;
		if (IO_URING_READ_ONCE(*u->ring.sq.kflags) &
		    IORING_SQ_TASKRUN) {
			/* completions wait in task work: run it */
			io_uring_get_events(&u->ring);
			u->enters++;
			since = 0;
		} else if (!since) {
			since = bench_clock_ns();
		} else if (bench_clock_ns() - since > KERNEL_URING_SPIN_NS) {
			if (io_uring_submit_and_wait(&u->ring, want) < 0) {
				bench_fail(b, "io_uring_enter: %s",
					   strerror(errno));
				return -1;
			}
			u->enters++;
			since = 0;
		}
	}
}

/* One batch out with one io_uring_enter, after taking room for it from
 * the batch before: the queue stays full, as an io_uring user keeps it. */
static int kernel_uring_batch(struct bench *b, struct kernel_uring *u,
			      uint32_t session, uint32_t batch)
{
	struct teeq_uring_cmd cmd = { 0 };
	uint32_t i, slot;
	int ret;

	if (u->depth - u->in_flight < batch &&
	    kernel_uring_reap(b, u, batch - (u->depth - u->in_flight)))
		return -1;
	for (i = 0; i < batch; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		slot = u->free[--u->nr_free];
		kernel_prep_invoke(&u->args[slot], session, TEEQ_NOOP_CMD_NOOP,
				   NULL, 0);
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, 0, NULL, 0, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->cmd_op = TEEQ_URING_CMD_INVOKE;
		sqe->user_data = slot;
		cmd.arg = (uintptr_t)&u->args[slot].u;
		cmd.arg_len = sizeof(u->args[slot].u.invoke);
		memcpy(sqe->cmd, &cmd, sizeof(cmd));
	}
	ret = io_uring_submit(&u->ring);
	u->enters++;
	if (ret != (int)batch) {
		bench_fail(b, "io_uring_submit: %d of %u", ret, batch);
		return -1;
	}
	u->in_flight += batch;
	return 0;
}

static void bm_kernel_uring(struct bench *b)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint32_t batch = (uint32_t)bench_arg(b), s;
	struct teeq_swdev_stats st0, st1;
	struct kernel_uring u;
	int fd = kernel_open(b);

	if (fd < 0)
		return;
	memset(&u, 0, sizeof(u));
	s = kernel_session(b, fd, &noop);
	if (!s || kernel_uring_init(b, &u, fd, batch))
		goto out;
	kernel_stats(&st0);
	while (bench_run_batch(b, batch)) {
		if (kernel_uring_batch(b, &u, s, batch))
			break;
		/* the run ends, timed, when what it submitted is done */
		if (bench_iterations(b) >= bench_max_iterations(b) &&
		    kernel_uring_reap(b, &u, u.in_flight))
			break;
	}
	kernel_stats(&st1);
	bench_items(b, bench_iterations(b));
	/* what each call cost in system calls and doorbells, both ways */
	bench_counter(b, "io_uring_enters", (double)u.enters,
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "publishes",
		      (double)(st1.sq_publishes - st0.sq_publishes),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "doorbells_to_sw",
		      (double)(st1.sq_doorbells - st0.sq_doorbells),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "doorbells_from_sw",
		      (double)(st1.cq_doorbells - st0.cq_doorbells),
		      BENCH_COUNTER_PER_ITER);
	bench_label(b,
		    "INVOKE noop by uring_cmd, batch %u per "
		    "io_uring_enter, up to %u in flight",
		    batch, u.depth);
out:
	kernel_uring_fini(&u);
	close(fd);
}

/* ---- libteeq in kernel mode: the same calls through the client API ------------- */

/* A context on the node (kernel mode whatever TEEQ_MODE says) with a
 * noop session; 0, or -1 with @b not measured or failed. */
static int kernel_teec_open(struct bench *b, TEEC_Context *ctx,
			    TEEC_Session *sess)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Result res;
	int fd = kernel_open(b);

	if (fd < 0)
		return -1;
	close(fd);
	res = TEEC_InitializeContext(KERNEL_DEV, ctx);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_InitializeContext(" KERNEL_DEV "): 0x%08x",
			   res);
		return -1;
	}
	res = TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL, NULL,
			       NULL);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_OpenSession: 0x%08x", res);
		TEEC_FinalizeContext(ctx);
		return -1;
	}
	return 0;
}

static void bm_kernel_teec_sync(struct bench *b)
{
	TEEC_Context ctx;
	TEEC_Session sess;

	if (kernel_teec_open(b, &ctx, &sess))
		return;
	BENCH_ROUND_TRIPS(b, bench_noop_invoke(b, &sess, NULL));
	bench_label(b, "TEEC_InvokeCommand of the noop TA, libteeq in kernel "
		       "mode: one ioctl per call");
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

/* libteeq's async queue in kernel mode, kept full as bench/async.c keeps
 * host mode's: its batches go as uring commands, one io_uring_enter each. */
static void bm_kernel_teeq_async(struct bench *b)
{
	uint32_t batch = (uint32_t)bench_arg(b);
	struct teeq_swdev_stats st0, st1;
	struct teeq_stats ts0, ts1;
	struct bench_async a;
	TEEC_Context ctx;
	TEEC_Session sess;

	if (kernel_teec_open(b, &ctx, &sess))
		return;
	if (bench_async_open(b, &a, &ctx, &sess, batch))
		goto out;
	kernel_stats(&st0);
	teeq_context_stats(&ctx, &ts0);
	while (bench_run_batch(b, batch)) {
		if (bench_async_batch(b, &a, 1))
			break;
		if (bench_iterations(b) >= bench_max_iterations(b) &&
		    bench_async_drain(b, &a))
			break;
	}
	kernel_stats(&st1);
	teeq_context_stats(&ctx, &ts1);
	bench_async_close(&a);
	bench_items(b, bench_iterations(b));
	bench_counter(b, "submits", (double)(ts1.doorbells - ts0.doorbells),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "uring_cmds",
		      (double)(st1.uring_cmds - st0.uring_cmds),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "publishes",
		      (double)(st1.sq_publishes - st0.sq_publishes),
		      BENCH_COUNTER_PER_ITER);
	bench_label(b,
		    "teeq_submit/teeq_reap of noop, libteeq in kernel mode, "
		    "batch %u, queue depth %u",
		    batch, a.depth);
out:
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

/* ---- 1 MiB of AES-CTR: a vgem buffer in place, or copied ---------------------------- */

/* NIST SP 800-38A F.5.1: CTR-AES128, the first block */
static const uint8_t kernel_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
					0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
					0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t kernel_iv[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5,
				       0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
				       0xfc, 0xfd, 0xfe, 0xff };
static const uint8_t kernel_plain[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40,
					  0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11,
					  0x73, 0x93, 0x17, 0x2a };
static const uint8_t kernel_cipher[16] = { 0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20,
					   0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64,
					   0x99, 0x0d, 0xb6, 0xce };

/* The first vgem device, or -1. */
static int kernel_vgem(void)
{
	char path[32], name[16];
	struct drm_version v;
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(name, 0, sizeof(name));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

/* A vgem buffer of @size bytes exported as a dma-buf: its fd, mapped at
 * *map; -1 when there is no vgem. */
static int kernel_vgem_dmabuf(size_t size, uint8_t **map)
{
	struct drm_mode_create_dumb c = { .width = 1024, .bpp = 32 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_mode_map_dumb m = { 0 };
	int vgem = kernel_vgem(), ret = -1;

	if (vgem < 0)
		return -1;
	c.height = (uint32_t)(size / 4096);
	if (ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &c) || c.size < size)
		goto out;
	m.handle = c.handle;
	prime.handle = c.handle;
	if (ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &m) ||
	    ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime))
		goto out;
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vgem,
		    (off_t)m.offset);
	if (*map != MAP_FAILED)
		ret = prime.fd;
	else
		close(prime.fd);
out:
	/* the dma-buf and the mapping keep the buffer */
	close(vgem);
	return ret;
}

enum kernel_mem { KERNEL_VGEM, KERNEL_TMPREF };

static void kernel_cipher_run(struct bench *b, enum kernel_mem mem)
{
	static const TEEC_UUID cipher = TEEQ_TA_CIPHER_UUID;
	size_t len = (size_t)bench_arg(b), size = 2 * len + 4096;
	struct teeq_ioctl_shm_register_fd_data reg = { 0 };
	struct teeq_ioctl_param p[3];
	uint8_t *map = MAP_FAILED, *src, *dst;
	int fd = kernel_open(b), dmabuf = -1, reg_fd = -1;
	struct kernel_arg a;
	uint32_t s;

	if (fd < 0)
		return;
	s = kernel_session(b, fd, &cipher);
	if (!s)
		goto out;
	p[0] = (struct teeq_ioctl_param){
		.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT,
		.a = TEEQ_CIPHER_MODE_CTR
	};
	p[1] = (struct teeq_ioctl_param){
		.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT |
			TEEQ_IOCTL_PARAM_ATTR_TEMP,
		.a = (uintptr_t)kernel_key,
		.b = sizeof(kernel_key),
	};
	kernel_prep_invoke(&a, s, TEEQ_CIPHER_CMD_SET_KEY, p, 2);
	if (kernel_invoke(b, fd, &a))
		goto out;

	/* the IV, then the source, then the destination */
	if (mem == KERNEL_VGEM) {
		dmabuf = kernel_vgem_dmabuf(size, &map);
		if (dmabuf < 0) {
			bench_not_measured(b, "no vgem device (modprobe vgem)");
			goto out;
		}
		reg.fd = dmabuf;
		reg_fd = ioctl(fd, TEEQ_IOC_SHM_REGISTER_FD, &reg);
		if (reg_fd < 0) {
			bench_fail(b, "SHM_REGISTER_FD: %s", strerror(errno));
			goto out;
		}
	} else {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED) {
			bench_fail(b, "out of memory");
			goto out;
		}
	}
	src = map + 4096;
	dst = src + len;
	memcpy(map, kernel_iv, sizeof(kernel_iv));
	memset(src, 0x5a, len);
	memcpy(src, kernel_plain, sizeof(kernel_plain));
	memset(dst, 0, len);
	if (mem == KERNEL_VGEM) {
		p[0] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
			.a = 0,
			.b = sizeof(kernel_iv),
			.c = (uint64_t)reg.id
		};
		p[1] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
			.a = 4096,
			.b = len,
			.c = (uint64_t)reg.id
		};
		p[2] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
			.a = 4096 + len,
			.b = len,
			.c = (uint64_t)reg.id
		};
	} else {
		p[0] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT |
				TEEQ_IOCTL_PARAM_ATTR_TEMP,
			.a = (uintptr_t)map,
			.b = sizeof(kernel_iv)
		};
		p[1] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT |
				TEEQ_IOCTL_PARAM_ATTR_TEMP,
			.a = (uintptr_t)src,
			.b = len
		};
		p[2] = (struct teeq_ioctl_param){
			.attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT |
				TEEQ_IOCTL_PARAM_ATTR_TEMP,
			.a = (uintptr_t)dst,
			.b = len
		};
	}
	/* one checked call first: the figure is never that of doing
	 * nothing */
	kernel_prep_invoke(&a, s, TEEQ_CIPHER_CMD_CTR, p, 3);
	if (kernel_invoke(b, fd, &a))
		goto out;
	if (a.u.invoke.params[2].b != len ||
	    memcmp(dst, kernel_cipher, sizeof(kernel_cipher))) {
		bench_fail(b, "the ciphertext is not AES-CTR's");
		goto out;
	}
	BENCH_ROUND_TRIPS(b, kernel_invoke(b, fd, &a));
	bench_bytes(b, bench_iterations(b) * (int64_t)len);
	bench_label(b, mem == KERNEL_VGEM ?
			       "AES-128-CTR in place in a vgem buffer "
			       "(SHM_REGISTER_FD), zero-copy" :
			       "AES-128-CTR through temporary memrefs, "
			       "copied in and out by the driver");
out:
	if (reg_fd >= 0)
		close(reg_fd);
	if (dmabuf >= 0)
		close(dmabuf);
	if (map != MAP_FAILED)
		munmap(map, size);
	close(fd);
}

static void bm_kernel_cipher_vgem(struct bench *b)
{
	kernel_cipher_run(b, KERNEL_VGEM);
}

static void bm_kernel_cipher_tmpref(struct bench *b)
{
	kernel_cipher_run(b, KERNEL_TMPREF);
}

size_t bench_kernel_defs(struct bench_def *d, size_t n)
{
	static const int64_t batches[] = { 1, 8, 32, 128 };
	size_t i;

	d[n++] = BENCH_DEF("teeq/kernel/null_ioctl", bm_kernel_null_ioctl);
	d[n++] = BENCH_DEF("teeq/kernel/ioctl_sync_noop", bm_kernel_ioctl_sync);
	d[n++] = BENCH_DEF("teeq/kernel/teec_sync_noop", bm_kernel_teec_sync);
	d[n++] = BENCH_DEF_ARG("teeq/kernel/teeq_async_noop_pipelined",
			       bm_kernel_teeq_async, "batch", 32);
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
		d[n++] = BENCH_DEF_ARG("teeq/kernel/uring_cmd_noop_pipelined",
				       bm_kernel_uring, "batch", batches[i]);
	d[n++] = BENCH_DEF_ARG("teeq/kernel/cipher_vgem", bm_kernel_cipher_vgem,
			       "bytes", KERNEL_MIB);
	d[n++] = BENCH_DEF_ARG("teeq/kernel/cipher_tmpref",
			       bm_kernel_cipher_tmpref, "bytes", KERNEL_MIB);
	return n;
}
