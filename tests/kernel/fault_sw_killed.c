// SPDX-License-Identifier: MIT
/*
 * teeq-sw killed mid-call: the waiting call ends TEEQ_ERROR_TARGET_DEAD,
 * origin COMMS, at once; the context stays dead (its sessions went with
 * the secure world); nothing is left in flight. A new teeq-sw attaches and
 * serves new contexts. A teeq-sw that detaches cleanly (SIGTERM) has the
 * same effect on what was in flight.
 */
#include "tests/kernel/kfixture.h"

#include <pthread.h>

struct kt_waiter {
	int fd;
	uint32_t session;
	struct kt_result res;
	int rc;
};

static void *kt_wait_call(void *arg)
{
	struct kt_waiter *w = arg;
	struct teeq_ioctl_param p = kt_value(KT_VIN, 20000, 0);

	w->rc = kt_invoke(w->fd, w->session, TEEQ_NOOP_CMD_WAIT, &p, 1,
			  &w->res);
	return NULL;
}

static void kt_kill_under_call(int sig)
{
	struct kt_waiter w = { 0 };
	struct teeq_swdev_stats st;
	struct kt_result res;
	uint64_t t0, dead;
	pthread_t t;
	int fd;

	kt_sw_start();
	w.fd = kt_open();
	w.session = kt_session(w.fd, &kt_noop);
	CHECK_EQ(pthread_create(&t, NULL, kt_wait_call, &w), 0);
	KT_WAIT_STATS(st, st.in_flight == 1, 5000);
	CHECK_EQ(st.in_flight, 1);
	dead = st.calls_dead;
	t0 = t_now_ms();
	if (sig == SIGKILL) {
		kt_sw_kill();
	} else {
		kt_sw_stop();
	}
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(t_now_ms() - t0 < 5000);
	CHECK_EQ(w.rc, 0);
	CHECK_EQ(w.res.ret, TEEQ_ERROR_TARGET_DEAD);
	CHECK_EQ(w.res.origin, TEEQ_ORIGIN_COMMS);
	kt_stats(&st);
	CHECK_EQ(st.attached, 0);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.calls_dead, dead + 1);
	/* the old context is dead for good, even once a new one attaches */
	CHECK_EQ(kt_invoke(w.fd, w.session, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res),
		 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_TARGET_DEAD);
	/* no secure world at all: a new context's calls end so too */
	fd = kt_open();
	CHECK_EQ(kt_open_session_login(fd, &kt_noop, TEEQ_IOCTL_LOGIN_PUBLIC, 0,
				       NULL, 0, &res, &w.rc),
		 0);
	CHECK_EQ(w.rc, 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_TARGET_DEAD);
	CHECK_EQ(res.origin, TEEQ_ORIGIN_COMMS);
	close(fd);

	kt_sw_start();
	CHECK_EQ(kt_invoke(w.fd, w.session, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res),
		 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_TARGET_DEAD);
	fd = kt_open();
	w.session = kt_session(fd, &kt_noop);
	CHECK_EQ(kt_invoke(fd, w.session, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res),
		 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	close(fd);
	close(w.fd);
	kt_sw_stop();
}

int main(void)
{
	kt_kill_under_call(SIGKILL);
	kt_kill_under_call(SIGTERM);
	return T_PASS;
}
