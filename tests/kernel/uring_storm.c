// SPDX-License-Identifier: MIT
/*
 * A randomized storm of io_uring commands on /dev/teeq0: a few thousand,
 * from two threads with rings of their own (one with 128-byte SQEs and
 * 32-byte CQEs), with random and invalid arguments: unknown commands and
 * flags, fixed-buffer flags, arguments that are unmapped, unaligned, too
 * short or too long, random parameters (bad attributes, huge windows,
 * foreign and stale shm ids and sessions), cancels of random user_data,
 * closes of random sessions, commands forced onto io_uring's worker
 * threads, short waits that keep some in flight; while a third thread
 * closes and reopens the fds the commands name. Every command completes,
 * with a result or one of the errors the ABI names, never a hang; after,
 * nothing is in flight, the storm's objects are gone, and a clean command
 * still works. The stage checks the kernel log for warnings and oopses.
 */
#include "tests/kernel/kuring.h"

#define KU_THREADS 2
#define KU_BATCH 48

static uint64_t ku_cmds, ku_errors;

static uint64_t ku_number(uint64_t *rng)
{
	static const uint64_t edge[] = {
		0,
		1,
		2,
		4,
		16,
		1023,
		1024,
		1025,
		4096,
		1u << 20,
		INT32_MAX,
		UINT32_MAX,
		1ull << 32,
		UINT64_MAX,
		UINT64_MAX - 1,
		TEEQ_MEMREF_NULL,
	};

	switch (test_rand(rng) % 4) {
	case 0:
		return edge[test_rand(rng) % (sizeof(edge) / sizeof(edge[0]))];
	case 1:
		return (uint64_t)kt_storm.ids[test_rand(rng) % 8];
	case 2:
		return kt_storm.sessions[test_rand(rng) % 8];
	default:
		return test_rand(rng);
	}
}

static uint64_t ku_address(uint64_t *rng, void *good)
{
	switch (test_rand(rng) % 6) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)kt_storm.unmapped;
	case 2:
		return (uintptr_t)good + 1; /* unaligned */
	case 3:
		return test_rand(rng) | (1ull << 63); /* the kernel's */
	case 4:
		return test_rand(rng);
	default:
		return (uintptr_t)good;
	}
}

static void ku_random_param(uint64_t *rng, struct teeq_ioctl_param *p,
			    void *buf)
{
	static const uint64_t attrs[] = {
		KT_VIN,	 KT_VOUT,   KT_VINOUT, KT_MIN,
		KT_MOUT, KT_MINOUT, 0,	       TEEQ_IOCTL_PARAM_ATTR_META,
		4,	 8,	    0x1ff,
	};

	p->attr = attrs[test_rand(rng) % (sizeof(attrs) / sizeof(attrs[0]))];
	if (test_rand(rng) % 3 == 0)
		p->attr |= TEEQ_IOCTL_PARAM_ATTR_TEMP;
	p->a = test_rand(rng) % 2 ? ku_address(rng, buf) : ku_number(rng);
	p->b = test_rand(rng) % 2 ? test_rand(rng) % 8192 : ku_number(rng);
	p->c = ku_number(rng);
	/* noop WAIT: short, so the storm keeps moving */
	if (p->attr == KT_VIN)
		p->a %= 20;
}

/* A command that may well be valid: an INVOKE of noop or echo on a
 * session of the context the closer leaves alone, with a few sound
 * parameters. */
static void ku_plausible_cmd(uint64_t *rng, struct io_uring_sqe *sqe,
			     struct ku_arg *arg, void *buf, uint64_t user_data)
{
	int k = 4 + test_rand(rng) % 4;
	struct teeq_ioctl_param p[2];
	uint32_t n = test_rand(rng) % 3, i;

	for (i = 0; i < n; i++) {
		switch (test_rand(rng) % 4) {
		case 0:
			p[i] = kt_value(KT_VIN, test_rand(rng) % 10, 1);
			break;
		case 1:
			p[i] = kt_value(KT_VOUT, 0, 0);
			break;
		case 2:
			p[i] = kt_temp(KT_MIN, buf, test_rand(rng) % 512);
			break;
		default:
			p[i] = kt_temp(KT_MOUT, buf, test_rand(rng) % 512);
		}
	}
	ku_prep_invoke(sqe, kt_storm.fd, arg, kt_storm.sessions[k],
		       test_rand(rng) % 4, p, n, user_data);
	if (test_rand(rng) % 8 == 0)
		sqe->flags |= IOSQE_ASYNC;
}

/* One random command into @sqe; its argument in @arg (scratch). */
static void ku_random_cmd(uint64_t *rng, struct io_uring_sqe *sqe,
			  struct ku_arg *arg, void *buf, uint64_t user_data)
{
	static const uint32_t ops[] = {
		TEEQ_URING_CMD_OPEN_SESSION,
		TEEQ_URING_CMD_INVOKE,
		TEEQ_URING_CMD_INVOKE,
		TEEQ_URING_CMD_INVOKE,
		TEEQ_URING_CMD_CLOSE_SESSION,
		TEEQ_URING_CMD_CANCEL,
		TEEQ_IOC_INVOKE,
		0,
	};
	int fd = kt_storm.fds[test_rand(rng) % KT_STORM_FDS];
	uint32_t op = ops[test_rand(rng) % (sizeof(ops) / sizeof(ops[0]))];
	uint64_t a = 0, len = 0;
	uint32_t i, n;

	if (test_rand(rng) % 16 == 0)
		op = (uint32_t)test_rand(rng);
	memset(arg, 0, sizeof(*arg));
	n = test_rand(rng) % 3 ? test_rand(rng) % 5 : (uint32_t)ku_number(rng);
	switch (op) {
	case TEEQ_URING_CMD_OPEN_SESSION:
		kt_uuid(test_rand(rng) % 2 ? &kt_echo : &kt_noop,
			arg->u.open.uuid);
		if (test_rand(rng) % 8 == 0)
			arg->u.open.uuid[0] ^= 0x55; /* no such TA */
		arg->u.open.clnt_login = test_rand(rng) % 4 ?
						 test_rand(rng) % 8 :
						 (uint32_t)ku_number(rng);
		arg->u.open.num_params = n;
		for (i = 0; i < 4; i++)
			ku_random_param(rng, &arg->u.open.params[i], buf);
		a = (uintptr_t)&arg->u;
		len = sizeof(arg->u.open) + (n % 8) * 32;
		break;
	case TEEQ_URING_CMD_INVOKE:
	case TEEQ_IOC_INVOKE:
		arg->u.invoke.session = kt_storm.sessions[test_rand(rng) % 8];
		if (test_rand(rng) % 8 == 0)
			arg->u.invoke.session = (uint32_t)ku_number(rng);
		arg->u.invoke.func = test_rand(rng) % 5;
		arg->u.invoke.cancel_id = test_rand(rng) % 4;
		arg->u.invoke.num_params = n;
		for (i = 0; i < 4; i++)
			ku_random_param(rng, &arg->u.invoke.params[i], buf);
		a = (uintptr_t)&arg->u;
		len = sizeof(arg->u.invoke) + (n % 8) * 32;
		break;
	case TEEQ_URING_CMD_CLOSE_SESSION:
		a = test_rand(rng) % 4 ? kt_storm.sessions[test_rand(rng) % 8] :
					 ku_number(rng);
		break;
	case TEEQ_URING_CMD_CANCEL:
		a = user_data - test_rand(rng) % (2 * KU_BATCH);
		break;
	default:
		a = ku_number(rng);
		len = ku_number(rng);
	}
	if (test_rand(rng) % 6 == 0)
		a = ku_address(rng, arg);
	if (test_rand(rng) % 6 == 0)
		len = ku_number(rng);
	ku_prep_cmd(sqe, fd, op, a, (uint32_t)len, user_data);
	if (test_rand(rng) % 16 == 0) /* flags the ABI does not define */
		((struct teeq_uring_cmd *)sqe->cmd)->flags =
			(uint32_t)test_rand(rng);
	if (test_rand(rng) % 32 == 0)
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
	if (test_rand(rng) % 8 == 0)
		sqe->flags |= IOSQE_ASYNC; /* issued by io_uring's workers */
}

static int ku_res_known(int res)
{
	switch (res) {
	case 0:
	case -EINVAL:
	case -EFAULT:
	case -ENOMEM:
	case -EPERM:
	case -ENOENT:
	case -EBADF: /* the fd was closed under the storm */
	/* the closed fd's number taken meanwhile by another file, one
	 * without uring_cmd (io_uring refuses the command itself) */
	case -EOPNOTSUPP:
	case -ECANCELED:
		return 1;
	default:
		return res > 0; /* a cancel's count */
	}
}

static void *ku_storm_main(void *arg)
{
	/* a command io_uring itself refuses (a closed fd) must not stop
	 * the ones behind it */
	unsigned int flags =
		IORING_SETUP_SUBMIT_ALL |
		((uintptr_t)arg ? IORING_SETUP_SQE128 | IORING_SETUP_CQE32 : 0);
	uint64_t rng = 0x9e3779b97f4a7c15ull * ((uintptr_t)arg + 1);
	uint64_t rounds = test_scaled(40), r, ud = 1;
	struct ku_arg *args = calloc(KU_BATCH, sizeof(*args));
	void *buf = aligned_alloc(4096, 3 * 4096);
	struct io_uring ring;
	int i;

	CHECK(args && buf);
	ku_ring(&ring, KU_BATCH, flags);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < KU_BATCH; i++)
			(test_rand(&rng) % 3 ?
				 ku_random_cmd :
				 ku_plausible_cmd)(&rng,
						   io_uring_get_sqe(&ring),
						   &args[i], buf, ud++);
		CHECK_EQ(io_uring_submit(&ring), KU_BATCH);
		for (i = 0; i < KU_BATCH; i++) {
			struct ku_cqe c = ku_reap(&ring, 20000);

			if (!ku_res_known(c.res)) {
				fprintf(stderr, "command %llu: res %d\n",
					(unsigned long long)c.user_data, c.res);
				CHECK(!"an error the ABI does not name");
			}
			__atomic_add_fetch(&ku_cmds, 1, __ATOMIC_RELAXED);
			if (c.res < 0)
				__atomic_add_fetch(&ku_errors, 1,
						   __ATOMIC_RELAXED);
		}
	}
	io_uring_queue_exit(&ring);
	free(args);
	free(buf);
	return NULL;
}

int main(void)
{
	struct teeq_swdev_stats st;
	struct io_uring ring;
	struct ku_arg a;
	struct ku_cqe c;
	uint32_t s;
	int fd;

	kt_sw_start();
	kt_storm_setup(&kt_noop, 5000);
	kt_storm_run(ku_storm_main, KU_THREADS);
	kt_stats(&st);
	printf("%llu commands, %llu refused; %llu issued to the driver, "
	       "%llu cancels\n",
	       (unsigned long long)ku_cmds, (unsigned long long)ku_errors,
	       (unsigned long long)(st.uring_cmds - kt_storm.st0.uring_cmds),
	       (unsigned long long)(st.uring_cancels -
				    kt_storm.st0.uring_cancels));
	CHECK(ku_errors > ku_cmds / 4);
	CHECK(st.uring_cmds - kt_storm.st0.uring_cmds > ku_cmds / 20);

	/* still serving, cleanly, through io_uring */
	fd = kt_storm.fd;
	s = kt_session(fd, &kt_echo);
	ku_ring(&ring, 8, 0);
	{
		struct teeq_ioctl_param p[3] = { kt_value(KT_VIN, 1, 2),
						 kt_value(KT_VOUT, 0, 0),
						 kt_value(KT_VINOUT, 3, 4) };

		ku_prep_invoke(ku_sqe(&ring), fd, &a, s, TEEQ_ECHO_CMD_VALUES,
			       p, 3, 1);
		CHECK_EQ(io_uring_submit(&ring), 1);
		c = ku_reap(&ring, 10000);
		CHECK_EQ(c.res, 0);
		CHECK_EQ(a.u.invoke.ret, TEEQ_SUCCESS);
		CHECK_EQ(a.u.invoke.params[2].a, 4);
	}
	io_uring_queue_exit(&ring);
	kt_storm_teardown();
	return T_PASS;
}
