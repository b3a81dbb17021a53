// SPDX-License-Identifier: MIT
/*
 * compat_nodes=1: /dev/tee0 answers as /dev/teeq0 does; /dev/teepriv0 is
 * the supplicant's, one at a time, with upstream's request and response
 * semantics. The test is both the secure side (attached with the
 * supplicant feature, asking with TEEQ_SWDEV_IOC_SUPP_CALL) and the
 * supplicant (SUPPL_RECV / SUPPL_SEND), both in the asynchronous form
 * (a META parameter carries the request id) and the synchronous one. A
 * supplicant that goes away fails what it held; none there, with NOWAIT,
 * fails at once. (Memrefs: supp_memref.)
 */
#include "tests/kernel/kfixture.h"

#include <pthread.h>

#define KT_META \
	(TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEEQ_IOCTL_PARAM_ATTR_META)

struct kt_ask {
	int sw;
	struct teeq_swdev_supp_call c;
	int rc;
};

static void *kt_ask_main(void *arg)
{
	struct kt_ask *a = arg;

	a->rc = ioctl(a->sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a->c) ? -errno : 0;
	return NULL;
}

/* RECV or SEND with @n parameters; returns the ioctl's rc. */
static int kt_supp(int fd, unsigned long cmd, uint32_t *word0,
		   struct teeq_ioctl_param *params, uint32_t *n)
{
	union {
		struct teeq_ioctl_supp_recv_arg a;
		unsigned char raw[8 + 8 * 32];
	} u;
	struct teeq_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&u,
					  .buf_len = 8 + *n * 32 };
	int rc;

	u.a.func = *word0;
	u.a.num_params = *n;
	memcpy(u.a.params, params, *n * 32);
	rc = ioctl(fd, cmd, &bd) ? -errno : 0;
	*word0 = u.a.func;
	*n = u.a.num_params;
	memcpy(params, u.a.params, *n * 32 > 8 * 32 ? 8 * 32 : *n * 32);
	return rc;
}

static void kt_ask(struct kt_ask *a, pthread_t *t, uint32_t func)
{
	memset(&a->c, 0, sizeof(a->c));
	a->c.func = func;
	a->c.num_params = 2;
	a->c.params[0] = kt_value(KT_VINOUT, 5, 6);
	a->c.params[1] = kt_value(KT_VOUT, 0, 0);
	CHECK_EQ(pthread_create(t, NULL, kt_ask_main, a), 0);
}

int main(void)
{
	struct teeq_swdev_attach at = { .version = TEEQ_SWDEV_VERSION,
					.features = TEEQ_SWDEV_FEAT_SUPP };
	struct teeq_ioctl_version_data v;
	struct teeq_ioctl_param p[4];
	struct kt_ask a = { 0 };
	uint32_t w, n;
	pthread_t t;
	int tee, priv, priv2;

	tee = open("/dev/tee0", O_RDWR | O_CLOEXEC);
	CHECK(tee >= 0);
	CHECK_EQ(ioctl(tee, TEEQ_IOC_VERSION, &v), 0);
	CHECK_EQ(v.impl_id, TEEQ_IMPL_ID_TEEQ);
	CHECK(!(v.gen_caps & TEEQ_GEN_CAP_PRIVILEGED));
	n = 1;
	CHECK_EQ(kt_supp(tee, TEEQ_IOC_SUPPL_RECV, &w, p, &n), -EINVAL);
	priv = open("/dev/teepriv0", O_RDWR | O_CLOEXEC);
	CHECK(priv >= 0);
	CHECK_EQ(ioctl(priv, TEEQ_IOC_VERSION, &v), 0);
	CHECK(v.gen_caps & TEEQ_GEN_CAP_PRIVILEGED);
	priv2 = open("/dev/teepriv0", O_RDWR | O_CLOEXEC);
	CHECK(priv2 < 0 && errno == EBUSY);

	a.sw = open(KT_SW, O_RDWR | O_CLOEXEC);
	CHECK(a.sw >= 0);
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_ATTACH, &at), 0);
	CHECK_EQ(at.features, TEEQ_SWDEV_FEAT_SUPP);

	/* asynchronous: the META parameter carries the id */
	kt_ask(&a, &t, 7);
	memset(p, 0, sizeof(p));
	p[0].attr = TEEQ_IOCTL_PARAM_ATTR_META;
	n = 3;
	w = 0;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	CHECK_EQ(w, 7);
	CHECK_EQ(n, 3);
	CHECK_EQ(p[0].attr, KT_META);
	CHECK_EQ(p[1].attr, KT_VINOUT);
	CHECK_EQ(p[1].a, 5);
	CHECK_EQ(p[1].b, 6);
	p[1].a = 50;
	p[2].a = 60;
	p[2].b = 61;
	w = 0x1234;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.rc, 0);
	CHECK_EQ(a.c.ret, 0x1234);
	CHECK_EQ(a.c.params[0].a, 50);
	CHECK_EQ(a.c.params[1].a, 60);
	CHECK_EQ(a.c.params[1].b, 61);
	/* the same id twice: refused */
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), -ENOENT);

	/* synchronous: the driver remembers the request */
	kt_ask(&a, &t, 8);
	memset(p, 0, sizeof(p));
	n = 2;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	CHECK_EQ(w, 8);
	CHECK_EQ(n, 2);
	/* a second receive before the answer: not allowed */
	memset(p, 0, sizeof(p));
	n = 2;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), -EINVAL);
	p[1].a = 9;
	w = 0;
	n = 2;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_SEND, &w, p, &n), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.c.ret, 0);
	CHECK_EQ(a.c.params[1].a, 9);

	/* the supplicant goes with a request it has taken */
	kt_ask(&a, &t, 9);
	memset(p, 0, sizeof(p));
	n = 2;
	CHECK_EQ(kt_supp(priv, TEEQ_IOC_SUPPL_RECV, &w, p, &n), 0);
	close(priv);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(a.c.ret, TEEQ_ERROR_COMMUNICATION);
	/* none there now: NOWAIT fails at once */
	memset(&a.c, 0, sizeof(a.c));
	a.c.flags = TEEQ_SWDEV_SUPP_NOWAIT;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), 0);
	CHECK_EQ(a.c.ret, TEEQ_ERROR_COMMUNICATION);
	/* a memref names the supplicant's memory: with none, nothing */
	a.c.flags = 0;
	a.c.num_params = 1;
	a.c.params[0].attr = KT_MIN;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), -1);
	CHECK_EQ(errno, ENOENT);
	/* attributes a request may not carry */
	a.c.params[0].attr = KT_META;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), -1);
	CHECK_EQ(errno, EINVAL);
	a.c.params[0].attr = KT_MIN | TEEQ_IOCTL_PARAM_ATTR_TEMP;
	CHECK_EQ(ioctl(a.sw, TEEQ_SWDEV_IOC_SUPP_CALL, &a.c), -1);
	CHECK_EQ(errno, EINVAL);
	close(a.sw);
	close(tee);
	return T_PASS;
}
