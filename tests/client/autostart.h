/* SPDX-License-Identifier: MIT */
/*
 * For tests of libteeq starting teeq-sw by itself: a private socket path
 * (TEEQ_SOCKET) with autostart on and TEEQ_SW naming this build's teeq-sw.
 * The test process is made a subreaper, so that the teeq-sw libteeq starts
 * (detached, double-forked) is reparented to it: it can be waited for, and
 * a failed test takes it down.
 */
#ifndef TEEQ_TESTS_CLIENT_AUTOSTART_H
#define TEEQ_TESTS_CLIENT_AUTOSTART_H

#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <sys/prctl.h>
#include <tee_client_api.h>
#include <teeq.h>

/* Autostarted teeq-sws of this test, killed if it fails. */
#define AUTOSTART_MAX 32
static pid_t autostart_pids[AUTOSTART_MAX];

static inline void autostart_cleanup(void)
{
	int i;

	if (getpid() != sw_fixture_owner)
		return;
	for (i = 0; i < AUTOSTART_MAX; i++) {
		if (autostart_pids[i] > 0) {
			kill(autostart_pids[i], SIGKILL);
			waitpid(autostart_pids[i], NULL, 0);
		}
	}
}

static inline void autostart_init(struct sw_fixture *f)
{
	char exe[PATH_MAX], abs[PATH_MAX];

	sw_fixture_init(f);
	atexit(autostart_cleanup); /* runs before the fixture's */
	unsetenv("TEEQ_NO_AUTOSTART");
	sw_fixture_exe(exe, sizeof(exe));
	CHECK(realpath(exe, abs));
	setenv("TEEQ_SW", abs, 1);
	CHECK(!prctl(PR_SET_CHILD_SUBREAPER, 1));
}

/* The pid of the teeq-sw serving @ctx, remembered for the cleanup. */
static inline pid_t autostart_pid(TEEC_Context *ctx)
{
	struct teeq_sw_stats st;
	int i;

	CHECK_EQ(teeq_secure_stats(ctx, &st), TEEC_SUCCESS);
	for (i = 0; i < AUTOSTART_MAX; i++)
		if (autostart_pids[i] == (pid_t)st.pid)
			return (pid_t)st.pid;
	for (i = 0; i < AUTOSTART_MAX && autostart_pids[i]; i++)
		;
	CHECK(i < AUTOSTART_MAX);
	autostart_pids[i] = (pid_t)st.pid;
	return (pid_t)st.pid;
}

/* Waits (bounded) for an autostarted teeq-sw to exit; 1 if it did. */
static inline int autostart_exited(pid_t pid, uint64_t limit_ms, int *status)
{
	uint64_t t0 = t_now_ms();
	int i;

	do {
		if (waitpid(pid, status, WNOHANG) == pid) {
			for (i = 0; i < AUTOSTART_MAX; i++)
				if (autostart_pids[i] == pid)
					autostart_pids[i] = 0;
			return 1;
		}
		usleep(5000);
	} while (t_now_ms() - t0 < limit_ms);
	return 0;
}

/* One noop call on a fresh session of @ctx. */
static inline void autostart_call(TEEC_Context *ctx)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sess;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_CloseSession(&sess);
}

#endif /* TEEQ_TESTS_CLIENT_AUTOSTART_H */
