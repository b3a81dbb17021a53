// SPDX-License-Identifier: MIT
/*
 * The kernel-mode figures, measured in one run inside the guest, each next
 * to its baseline: a synchronous INVOKE of the noop TA through the ioctl
 * against a failing ioctl on the same node (a null system call); the same
 * call through libteeq in kernel mode (TEEC_InvokeCommand over the ioctl,
 * on the context and session the raw ioctls use); and host mode's synchronous round trip (libteeq and teeq-sw over their
 * own rings, no kernel in the path) in the same guest. Rounds alternate so
 * that every side of each ratio sees the same machine. Also the doorbells
 * per call in each direction, which NEED_WAKEUP keeps off the path while a
 * side polls. The calls must succeed; the figures are printed, as ratios
 * too.
 */
#include "client/internal.h"
#include "tests/kernel/kfixture.h"

#include <tee_client_api.h>

/* Many short rounds, each mode in turn: a guest under TCG shares its host
 * with others, and a median over rounds this short pairs each figure with
 * its baselines' in the same few hundred milliseconds. */
#define KT_ROUNDS 25

static uint64_t kt_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double kt_null_ioctl(int fd, int n)
{
	uint64_t t0 = kt_ns();
	int i;

	for (i = 0; i < n; i++)
		CHECK(ioctl(fd, _IO(TEEQ_IOC_MAGIC, 0x1f)) < 0);
	return (double)(kt_ns() - t0) / n;
}

/*
 * The round trips below time @n calls after n / 10 untimed ones. Whoever
 * has been idle sleeps (a teeq-sw worker, a caller past its spin), and
 * under TCG a block that starts from there can stay in that slower regime
 * throughout: the untimed calls make each block start where the one
 * before it left off, whatever ran between them.
 */
static double kt_ioctl_rtt(int fd, uint32_t s, int n)
{
	struct kt_result res;
	uint64_t t0 = 0;
	int i;

	for (i = -n / 10; i < n; i++) {
		if (!i)
			t0 = kt_ns();
		CHECK_EQ(kt_invoke(fd, s, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res),
			 0);
		CHECK_EQ(res.ret, TEEQ_SUCCESS);
	}
	return (double)(kt_ns() - t0) / n;
}

/* libteeq's synchronous round trip: kernel or host mode by the context. */
static double kt_teec_rtt(TEEC_Session *sess, int n)
{
	uint32_t origin;
	uint64_t t0 = 0;
	int i;

	for (i = -n / 10; i < n; i++) {
		if (!i)
			t0 = kt_ns();
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
	}
	return (double)(kt_ns() - t0) / n;
}

static int kt_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double kt_median(double *v)
{
	qsort(v, KT_ROUNDS, sizeof(*v), kt_cmp);
	return v[KT_ROUNDS / 2];
}

/* A public session of the noop TA on a context of the TEE @name names. */
static void kt_teec_open(const char *name, TEEC_Context *ctx,
			 TEEC_Session *sess)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint32_t origin;

	CHECK_EQ(TEEC_InitializeContext(name, ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

/* teeq-sw in host mode on a socket of its own, and a libteeq context
 * there (named by its socket: the default would be the driver's). */
static pid_t kt_host_start(TEEC_Context *ctx, TEEC_Session *sess)
{
	pid_t pid = kt_host_sw_start("/tmp/teeq-rtt.sock");

	kt_teec_open("/tmp/teeq-rtt.sock", ctx, sess);
	return pid;
}

int main(void)
{
	double nul[KT_ROUNDS], rtt[KT_ROUNDS], teec[KT_ROUNDS], host[KT_ROUNDS];
	struct teeq_swdev_stats st0, st1;
	int n = (int)test_scaled(300), i, fd;
	TEEC_Context hctx, kctx;
	TEEC_Session hsess, ksess;
	double m_nul, m_rtt, m_teec, m_host;
	pid_t host_sw;
	uint32_t s;

	kt_sw_start();
	/* the raw ioctls on libteeq's own context and session: the same
	 * channel, so the same teeq-sw worker, serves both */
	kt_teec_open(KT_CLIENT, &kctx, &ksess);
	fd = ((struct teeq_chan *)kctx.imp)->kfd;
	s = ksess.session_id;
	host_sw = kt_host_start(&hctx, &hsess);
	kt_ioctl_rtt(fd, s, n);
	kt_teec_rtt(&ksess, n);
	kt_teec_rtt(&hsess, n);
	kt_stats(&st0);
	for (i = 0; i < KT_ROUNDS; i++) {
		nul[i] = kt_null_ioctl(fd, n);
		rtt[i] = kt_ioctl_rtt(fd, s, n);
		teec[i] = kt_teec_rtt(&ksess, n);
		host[i] = kt_teec_rtt(&hsess, n);
	}
	kt_stats(&st1);
	m_nul = kt_median(nul);
	m_rtt = kt_median(rtt);
	m_teec = kt_median(teec);
	m_host = kt_median(host);
	CHECK(m_nul > 0 && m_rtt > 0 && m_teec > 0 && m_host > 0);
	printf("kernel_null_ioctl_ns %.0f\n", m_nul);
	printf("kernel_ioctl_noop_rtt_ns %.0f\n", m_rtt);
	printf("kernel_teec_noop_rtt_ns %.0f\n", m_teec);
	printf("host_noop_rtt_ns %.0f\n", m_host);
	printf("ioctl invoke / null ioctl: %.2fx\n", m_rtt / m_nul);
	printf("ioctl invoke / host mode: %.2fx\n", m_rtt / m_host);
	printf("libteeq kernel mode / ioctl invoke: %.2fx\n", m_teec / m_rtt);
	printf("libteeq kernel mode / null ioctl: %.2fx\n", m_teec / m_nul);
	printf("libteeq kernel mode / host mode: %.2fx\n", m_teec / m_host);
	printf("doorbells per kernel-mode call: to teeq-sw %.4f, from it "
	       "%.4f\n",
	       (double)(st1.sq_doorbells - st0.sq_doorbells) /
		       (2.0 * KT_ROUNDS * (n + n / 10)),
	       (double)(st1.cq_doorbells - st0.cq_doorbells) /
		       (2.0 * KT_ROUNDS * (n + n / 10)));
	/* the raw ioctls' and libteeq's, all through the driver */
	CHECK_EQ(st1.calls - st0.calls, (uint64_t)2 * KT_ROUNDS * (n + n / 10));

	TEEC_CloseSession(&ksess);
	TEEC_FinalizeContext(&kctx);
	TEEC_CloseSession(&hsess);
	TEEC_FinalizeContext(&hctx);
	kt_host_sw_stop(host_sw);
	return T_PASS;
}
