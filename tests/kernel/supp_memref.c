// SPDX-License-Identifier: MIT
/*
 * Memrefs in supplicant requests, at the driver. The test is both the
 * secure side (attached with TEEQ_SWDEV_FEAT_SUPP) and the supplicant (on
 * /dev/teeqpriv0, with a buffer registered there).
 *
 *  - The secure side's mapping of the supplicant's buffer
 *    (TEEQ_SWDEV_IOC_SUPP_SHM) is the same memory: bytes written on one
 *    side are read on the other, both ways, with no copy.
 *  - A request's memref reaches the supplicant as it was asked (offset,
 *    size, id), and the size it answers comes back.
 *  - Refused by the driver before anything is queued: a window past the
 *    buffer, one whose end overflows, one larger than
 *    TEEQ_SWDEV_SUPP_MEMREF_MAX (EINVAL); an id that is not the
 *    supplicant's, a client's buffer included (ENOENT). SUPP_SHM of a
 *    client's id: ENOENT.
 *  - An answer whose size is larger than the window: EINVAL to the
 *    supplicant, the request still waiting for a good answer.
 *  - A request nobody answers ends at its timeout (ETIMEDOUT, ret
 *    COMMUNICATION); the supplicant's late answer is refused.
 */
#include "tests/kernel/kfixture.h"

#include <pthread.h>

#define KT_PRIV "/dev/teeqpriv0"
#define BUF_LEN (2u << 20)
#define KT_MINOUT_ TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT

struct kt_ask {
	int sw;
	struct teeq_swdev_supp_call c;
	int rc;
	uint64_t ms;
};

static void *kt_ask_main(void *arg)
{
	struct kt_ask *a = arg;
	uint64_t t0 = t_now_ms();

	a->rc = ioctl(a->sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a->c) ? -errno : 0;
	a->ms = t_now_ms() - t0;
	return NULL;
}

/* One memref request from the secure side: the ioctl's rc, synchronous
 * (for the ones refused before they are queued). */
static int kt_memref_call(int sw, uint64_t attr, uint64_t off, uint64_t size,
			  uint64_t id)
{
	struct teeq_swdev_supp_call c = { .func = 2, .num_params = 1 };

	c.params[0] = (struct teeq_ioctl_param){
		.attr = attr, .a = off, .b = size, .c = id
	};
	return ioctl(sw, TEEQ_SWDEV_IOC_SUPP_CALL, &c) ? -errno : 0;
}

int main(void)
{
	struct teeq_swdev_attach at = { .version = TEEQ_SWDEV_VERSION,
					.features = TEEQ_SWDEV_FEAT_SUPP };
	struct teeq_ioctl_shm_register_data reg = { 0 };
	struct teeq_swdev_supp_shm shm = { 0 };
	struct teeq_ioctl_param p[4];
	struct kt_ask a = { 0 };
	unsigned char *buf, *sw_view;
	int priv, reg_fd, client, client_id, client_fd, refused = 0;
	uint32_t w, n;
	pthread_t t;

	priv = open(KT_PRIV, O_RDWR | O_CLOEXEC);
	CHECK(priv >= 0);
	buf = mmap(NULL, BUF_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(buf != MAP_FAILED);
	reg.addr = (uintptr_t)buf;
	reg.length = BUF_LEN;
	reg_fd = ioctl(priv, TEEQ_IOC_SHM_REGISTER, &reg);
	CHECK(reg_fd >= 0);
	a.sw = open(KT_SW, O_RDWR | O_CLOEXEC);
	CHECK(a.sw >= 0);
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_ATTACH, &at), 0);
	CHECK_EQ(at.features, TEEQ_SWDEV_FEAT_SUPP);

	/* the secure side's view is the same memory */
	shm.id = reg.id;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_SHM, &shm), 0);
	CHECK_EQ(shm.size, BUF_LEN);
	CHECK_EQ(shm.offset, 0);
	sw_view = mmap(NULL, BUF_LEN, PROT_READ | PROT_WRITE, MAP_SHARED,
		       shm.fd, 0);
	CHECK(sw_view != MAP_FAILED);
	close(shm.fd);
	memcpy(buf + 12345, "from the supplicant", 19);
	CHECK_MEM(sw_view + 12345, "from the supplicant", 19);
	memcpy(sw_view + BUF_LEN - 20, "from the secure side", 20);
	CHECK_MEM(buf + BUF_LEN - 20, "from the secure side", 20);
	shm.id = reg.id + 1000;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_SHM, &shm), -1);
	CHECK_EQ(errno, ENOENT);

	/* a memref reaches the supplicant as asked; its size comes back */
	memset(&a.c, 0, sizeof(a.c));
	a.c.func = 2;
	a.c.num_params = 2;
	a.c.params[0] = kt_value(KT_VINOUT, 1, 2);
	a.c.params[1] = (struct teeq_ioctl_param){
		.attr = KT_MINOUT_, .a = 65536, .b = 4096, .c = (uint64_t)reg.id
	};
	memcpy(sw_view + 65536, "request bytes", 13);
	CHECK_EQ(pthread_create(&t, NULL, kt_ask_main, &a), 0);
	memset(p, 0, sizeof(p));
	n = 4;
	w = 0;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	CHECK_EQ(w, 2);
	CHECK_EQ(n, 2);
	CHECK_EQ(p[1].attr, KT_MINOUT_);
	CHECK_EQ(p[1].a, 65536);
	CHECK_EQ(p[1].b, 4096);
	CHECK_EQ(p[1].c, (uint64_t)reg.id);
	CHECK_MEM(buf + p[1].a, "request bytes", 13);
	memcpy(buf + p[1].a, "reply", 5);
	/* more than the window: refused, the request still waits */
	p[1].b = 4097;
	w = 0;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), -EINVAL);
	refused++;
	p[1].b = 5;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.rc, 0);
	CHECK_EQ(a.c.ret, TEEQ_SUCCESS);
	CHECK_EQ(a.c.params[1].b, 5);
	CHECK_MEM(sw_view + 65536, "reply", 5);

	/* refused before anything is queued */
	CHECK_EQ(kt_memref_call(a.sw, KT_MIN, BUF_LEN - 4095, 4096, reg.id),
		 -EINVAL);
	CHECK_EQ(kt_memref_call(a.sw, KT_MOUT, BUF_LEN + 1, 0, reg.id),
		 -EINVAL);
	CHECK_EQ(kt_memref_call(a.sw, KT_MIN, UINT64_MAX - 10, 4096, reg.id),
		 -EINVAL);
	CHECK_EQ(kt_memref_call(a.sw, KT_MINOUT_, 0,
				TEEQ_SWDEV_SUPP_MEMREF_MAX + 1ull, reg.id),
		 -EINVAL);
	CHECK_EQ(kt_memref_call(a.sw, KT_MIN, 0, 16, reg.id + 1000), -ENOENT);
	CHECK_EQ(kt_memref_call(a.sw, KT_MIN, 0, 16, 1ull << 40), -ENOENT);
	refused += 6;
	/* a client's buffer is not the supplicant's */
	client = kt_open();
	client_fd = kt_shm_register(client, buf, 4096, &client_id);
	CHECK_EQ(kt_memref_call(a.sw, KT_MIN, 0, 16, client_id), -ENOENT);
	shm = (struct teeq_swdev_supp_shm){ .id = client_id };
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_SHM, &shm), -1);
	CHECK_EQ(errno, ENOENT);
	refused += 2;
	close(client_fd);
	close(client);
	/* the largest window is fine */
	memset(&a.c, 0, sizeof(a.c));
	a.c.func = 3;
	a.c.num_params = 1;
	a.c.params[0] =
		(struct teeq_ioctl_param){ .attr = KT_MIN,
					   .a = BUF_LEN -
						TEEQ_SWDEV_SUPP_MEMREF_MAX,
					   .b = TEEQ_SWDEV_SUPP_MEMREF_MAX,
					   .c = (uint64_t)reg.id };
	CHECK_EQ(pthread_create(&t, NULL, kt_ask_main, &a), 0);
	memset(p, 0, sizeof(p));
	n = 4;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	CHECK_EQ(w, 3);
	CHECK_EQ(p[0].b, TEEQ_SWDEV_SUPP_MEMREF_MAX);
	w = 0;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.rc, 0);

	/* nobody answers: the timeout ends it, the late answer is refused */
	memset(&a.c, 0, sizeof(a.c));
	a.c.func = 4;
	a.c.num_params = 1;
	a.c.params[0] = kt_value(KT_VINOUT, 1, 0);
	a.c.timeout_ms = 300;
	CHECK_EQ(pthread_create(&t, NULL, kt_ask_main, &a), 0);
	memset(p, 0, sizeof(p));
	n = 4;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	CHECK_EQ(w, 4);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.rc, -ETIMEDOUT);
	CHECK_EQ(a.c.ret, TEEQ_ERROR_COMMUNICATION);
	CHECK(a.ms >= 290 && a.ms < 5000);
	w = 0;
	CHECK_EQ(kt_supp_io(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), -EBADF);
	/* and one never taken is withdrawn at its timeout */
	a.c.timeout_ms = 100;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), -1);
	CHECK_EQ(errno, ETIMEDOUT);
	CHECK_EQ(a.c.ret, TEEQ_ERROR_COMMUNICATION);
	/* reserved must be zero */
	a.c.reserved = 1;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), -1);
	CHECK_EQ(errno, EINVAL);

	munmap(sw_view, BUF_LEN);
	close(a.sw);
	close(reg_fd);
	close(priv);
	printf("supplicant memrefs: %d refusals, the window shared both ways\n",
	       refused);
	return T_PASS;
}
