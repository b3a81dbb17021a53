// SPDX-License-Identifier: MIT
/*
 * CANCEL: a call waiting in the trusted app (noop WAIT, 10 s) ends with
 * TEEQ_ERROR_CANCEL soon after another thread cancels it; a cancel that
 * names another session or another cancel id leaves it alone.
 */
#include "tests/kernel/kfixture.h"

#include <pthread.h>

struct kt_waiter {
	int fd;
	uint32_t session;
	struct kt_result res;
	int rc;
	uint64_t ms;
};

static void *kt_wait_call(void *arg)
{
	struct kt_waiter *w = arg;
	struct teeq_ioctl_param p = kt_value(KT_VIN, 10000, 0);
	uint64_t t0 = t_now_ms();

	w->rc = kt_invoke_cancel(w->fd, w->session, TEEQ_NOOP_CMD_WAIT, 42, &p,
				 1, &w->res);
	w->ms = t_now_ms() - t0;
	return NULL;
}

static int kt_cancel(int fd, uint32_t cancel_id, uint32_t session)
{
	struct teeq_ioctl_cancel_arg a = { .cancel_id = cancel_id,
					   .session = session };

	return ioctl(fd, TEEQ_IOC_CANCEL, &a) ? -errno : 0;
}

int main(void)
{
	struct kt_waiter w = { 0 };
	struct teeq_swdev_stats st;
	uint32_t other;
	pthread_t t;

	kt_sw_start();
	w.fd = kt_open();
	w.session = kt_session(w.fd, &kt_noop);
	other = kt_session(w.fd, &kt_noop);
	CHECK_EQ(pthread_create(&t, NULL, kt_wait_call, &w), 0);
	KT_WAIT_STATS(st, st.in_flight == 1, 5000);
	CHECK_EQ(st.in_flight, 1);
	usleep(200 * 1000);
	/* not this call: another id, another session */
	CHECK_EQ(kt_cancel(w.fd, 41, w.session), 0);
	CHECK_EQ(kt_cancel(w.fd, 42, other), 0);
	usleep(300 * 1000);
	kt_stats(&st);
	CHECK_EQ(st.in_flight, 1);
	/* a session that is not ours */
	CHECK_EQ(kt_cancel(w.fd, 42, 0x7fffffff), -EINVAL);
	CHECK_EQ(kt_cancel(w.fd, 42, w.session), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(w.rc, 0);
	CHECK_EQ(w.res.ret, TEEQ_ERROR_CANCEL);
	CHECK(w.ms < 5000);
	printf("cancelled after %llu ms\n", (unsigned long long)w.ms);
	close(w.fd);
	return T_PASS;
}
