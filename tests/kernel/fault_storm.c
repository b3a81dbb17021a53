// SPDX-License-Identifier: MIT
/*
 * A randomized ioctl storm on both nodes, with teeq-sw serving: a few
 * thousand requests with random and invalid arguments (foreign and stale
 * ids, huge sizes, unaligned and unmapped addresses, bad attributes and
 * lengths), from two threads, while a third closes and reopens their fds
 * mid-call. Every request must end with an error or a result, never a
 * hang; afterwards the driver holds nothing in flight, the storm's objects
 * are all gone, and a clean call still works. The kernel log is checked
 * for warnings and oopses by the stage (tests/kernel/run.sh).
 */
#include "tests/kernel/kfixture.h"

#define KT_THREADS 2

static int kt_sw_fd;
static uint64_t kt_ops, kt_errors;

static const unsigned long kt_cmds[] = {
	TEEQ_IOC_VERSION,	  TEEQ_IOC_SHM_ALLOC,  TEEQ_IOC_OPEN_SESSION,
	TEEQ_IOC_INVOKE,	  TEEQ_IOC_CANCEL,     TEEQ_IOC_CLOSE_SESSION,
	TEEQ_IOC_SUPPL_RECV,	  TEEQ_IOC_SUPPL_SEND, TEEQ_IOC_SHM_REGISTER,
	TEEQ_IOC_SHM_REGISTER_FD,
};

static const unsigned long kt_sw_cmds[] = {
	TEEQ_SWDEV_IOC_ATTACH,	  TEEQ_SWDEV_IOC_EVENT, TEEQ_SWDEV_IOC_REPLY,
	TEEQ_SWDEV_IOC_SUPP_CALL, TEEQ_SWDEV_IOC_STATS,
};

static uint64_t kt_pick(uint64_t *rng, const uint64_t *v, size_t n)
{
	return v[test_rand(rng) % n];
}

/* A number that is often meaningful, often not. */
static uint64_t kt_number(uint64_t *rng)
{
	static const uint64_t edge[] = {
		0,
		1,
		2,
		4,
		7,
		16,
		4095,
		4096,
		4097,
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
		return kt_pick(rng, edge, sizeof(edge) / sizeof(edge[0]));
	case 1:
		return (uint64_t)kt_storm.ids[test_rand(rng) % 8];
	case 2:
		return kt_storm.sessions[test_rand(rng) % 8];
	default:
		return test_rand(rng);
	}
}

static void *kt_address(uint64_t *rng, void *good)
{
	switch (test_rand(rng) % 5) {
	case 0:
		return NULL;
	case 1:
		return kt_storm.unmapped;
	case 2:
		return (char *)good + 1; /* unaligned */
	case 3:
		return (void *)(uintptr_t)test_rand(rng);
	default:
		return good;
	}
}

static void kt_random_param(uint64_t *rng, struct teeq_ioctl_param *p,
			    void *buf)
{
	static const uint64_t attrs[] = {
		KT_VIN,	 KT_VOUT,   KT_VINOUT, KT_MIN,
		KT_MOUT, KT_MINOUT, 0,	       TEEQ_IOCTL_PARAM_ATTR_META,
		4,	 8,	    0x1ff,
	};

	p->attr = kt_pick(rng, attrs, sizeof(attrs) / sizeof(attrs[0]));
	if (test_rand(rng) % 3 == 0)
		p->attr |= TEEQ_IOCTL_PARAM_ATTR_TEMP;
	p->a = test_rand(rng) % 2 ? (uintptr_t)kt_address(rng, buf) :
				    kt_number(rng);
	p->b = test_rand(rng) % 2 ? test_rand(rng) % 8192 : kt_number(rng);
	p->c = kt_number(rng);
	/* nothing that would park a thread in noop WAIT for long */
	if (p->attr == KT_VIN)
		p->a %= 50;
}

static void kt_storm_one(uint64_t *rng, void *buf)
{
	union {
		struct teeq_ioctl_invoke_arg inv;
		struct teeq_ioctl_open_session_arg open;
		unsigned char raw[2048];
	} arg;
	struct teeq_ioctl_buf_data bd;
	unsigned long cmd;
	void *argp = buf;
	uint32_t i, n;
	int fd, ret;

	if (test_rand(rng) % 8 == 0) {
		fd = kt_sw_fd;
		cmd = kt_sw_cmds[test_rand(rng) %
				 (sizeof(kt_sw_cmds) / sizeof(kt_sw_cmds[0]))];
		for (i = 0; i < 64; i++)
			((uint64_t *)buf)[i] = kt_number(rng);
	} else {
		fd = kt_storm.fds[test_rand(rng) % KT_STORM_FDS];
		cmd = kt_cmds[test_rand(rng) %
			      (sizeof(kt_cmds) / sizeof(kt_cmds[0]))];
		if (test_rand(rng) % 16 == 0)
			cmd = test_rand(rng); /* not a request at all */
	}
	memset(&arg, 0, sizeof(arg));
	switch (cmd) {
	case TEEQ_IOC_OPEN_SESSION:
	case TEEQ_IOC_INVOKE:
	case TEEQ_IOC_SUPPL_RECV:
	case TEEQ_IOC_SUPPL_SEND:
		n = test_rand(rng) % 3 ? test_rand(rng) % 5 : kt_number(rng);
		if (cmd == TEEQ_IOC_INVOKE) {
			arg.inv.session = kt_storm.sessions[test_rand(rng) % 8];
			arg.inv.func = test_rand(rng) % 5;
			arg.inv.cancel_id = test_rand(rng) % 4;
			arg.inv.num_params = n;
		} else {
			memcpy(arg.open.uuid, test_rand(rng) % 2 ? "teeq" : "",
			       4);
			kt_uuid(test_rand(rng) % 2 ? &kt_echo : &kt_digest,
				arg.open.uuid);
			arg.open.clnt_login = test_rand(rng) % 8;
			arg.open.num_params = n;
		}
		for (i = 0; i < 4; i++)
			kt_random_param(rng, &arg.open.params[i], buf);
		bd.buf_ptr = (uintptr_t)&arg;
		bd.buf_len = test_rand(rng) % 4 ?
				     sizeof(arg.open) + (n % 8) * 32 :
				     kt_number(rng);
		if (test_rand(rng) % 10 == 0)
			bd.buf_ptr = (uintptr_t)kt_address(rng, &arg);
		argp = &bd;
		break;
	case TEEQ_IOC_SHM_REGISTER: {
		struct teeq_ioctl_shm_register_data *d = buf;

		d->addr = (uintptr_t)kt_address(rng, buf);
		d->length = test_rand(rng) % 2 ? test_rand(rng) % 65536 :
						 kt_number(rng);
		d->flags = test_rand(rng) % 4 ? 0 : kt_number(rng);
		break;
	}
	case TEEQ_IOC_SHM_ALLOC: {
		struct teeq_ioctl_shm_alloc_data *d = buf;

		d->size = test_rand(rng) % 2 ? test_rand(rng) % 100000 :
					       kt_number(rng);
		d->flags = test_rand(rng) % 4 ? 0 : kt_number(rng);
		break;
	}
	case TEEQ_IOC_SHM_REGISTER_FD: {
		struct teeq_ioctl_shm_register_fd_data *d = buf;

		d->fd = test_rand(rng) % 2 ?
				kt_storm.fds[test_rand(rng) % KT_STORM_FDS] :
				(int64_t)kt_number(rng);
		d->flags = 0;
		break;
	}
	default:
		if (test_rand(rng) % 6 == 0)
			argp = kt_address(rng, buf);
	}
	ret = ioctl(fd, cmd, argp);
	__atomic_add_fetch(&kt_ops, 1, __ATOMIC_RELAXED);
	if (ret < 0)
		__atomic_add_fetch(&kt_errors, 1, __ATOMIC_RELAXED);
	else if (cmd == TEEQ_IOC_SHM_ALLOC || cmd == TEEQ_IOC_SHM_REGISTER ||
		 cmd == TEEQ_IOC_SHM_REGISTER_FD)
		close(ret); /* an fd that owns what was made */
}

static void *kt_storm_main(void *arg)
{
	uint64_t rng = 0x9e3779b97f4a7c15ull * ((uintptr_t)arg + 1);
	void *buf = aligned_alloc(4096, 3 * 4096);
	uint64_t n = test_scaled(2000), i;

	CHECK(buf);
	for (i = 0; i < n; i++) {
		memset(buf, (int)i, 3 * 4096);
		kt_storm_one(&rng, buf);
	}
	free(buf);
	return NULL;
}

int main(void)
{
	struct kt_result res;
	uint32_t s;
	int fd;

	kt_sw_start();
	kt_sw_fd = open(KT_SW, O_RDWR | O_CLOEXEC);
	CHECK(kt_sw_fd >= 0);
	kt_storm_setup(&kt_digest, 2000);
	kt_storm_run(kt_storm_main, KT_THREADS);
	printf("%llu requests, %llu refused\n", (unsigned long long)kt_ops,
	       (unsigned long long)kt_errors);
	CHECK(kt_errors > kt_ops / 2);

	/* still serving, cleanly */
	fd = kt_storm.fd;
	s = kt_session(fd, &kt_echo);
	{
		struct teeq_ioctl_param p[3] = { kt_value(KT_VIN, 1, 2),
						 kt_value(KT_VOUT, 0, 0),
						 kt_value(KT_VINOUT, 3, 4) };

		CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_VALUES, p, 3, &res), 0);
		CHECK_EQ(res.ret, TEEQ_SUCCESS);
		CHECK_EQ(p[2].a, 4);
	}
	close(kt_sw_fd);
	kt_storm_teardown();
	return T_PASS;
}
