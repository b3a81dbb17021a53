/* SPDX-License-Identifier: MIT */
/*
 * The hostile suite's watch: attackers run as child processes, a
 * well-behaved libteeq client on a thread is watched (each of its calls
 * must come back within HOSTILE_STALL_MS whatever the attackers do), a
 * watchdog takes everything down if a test runs out of time, and SIGTERM
 * must stop teeq-sw promptly. Raw protocol clients are in raw.h.
 */
#ifndef TEEQ_TESTS_HOSTILE_WATCH_H
#define TEEQ_TESTS_HOSTILE_WATCH_H

#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <tee_client_api.h>
#include <teeq.h>

/* A noop round trip takes microseconds; under sanitizers on a loaded
 * machine, milliseconds. One that takes seconds is a stalled secure
 * world. */
#define HOSTILE_STALL_MS 3000

/* ---- hostile children --------------------------------------------------------- */

/* Raw clients run in children, so that a stuck one cannot take the test
 * with it; a failed CHECK in the test kills them all. */
#define HOSTILE_MAX_CHILDREN 16
static pid_t hostile_children[HOSTILE_MAX_CHILDREN];
static pid_t hostile_owner;

static inline void hostile_cleanup(void)
{
	int i;

	if (getpid() != hostile_owner)
		return;
	for (i = 0; i < HOSTILE_MAX_CHILDREN; i++) {
		if (hostile_children[i] > 0) {
			kill(hostile_children[i], SIGKILL);
			waitpid(hostile_children[i], NULL, 0);
			hostile_children[i] = 0;
		}
	}
}

/* Makes @pid, a child of ours, one that a failed test kills. */
static inline void hostile_adopt(pid_t pid)
{
	int i;

	if (!hostile_owner) {
		hostile_owner = getpid();
		atexit(hostile_cleanup);
	}
	for (i = 0; i < HOSTILE_MAX_CHILDREN && hostile_children[i]; i++)
		;
	CHECK(i < HOSTILE_MAX_CHILDREN);
	hostile_children[i] = pid;
}

/* Forks; the child runs @fn(@arg) and exits with its return value. */
static inline pid_t hostile_spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	hostile_adopt(pid);
	return pid;
}

/* A child reaped elsewhere: nothing to kill any more. */
static inline void hostile_forget(pid_t pid)
{
	int i;

	for (i = 0; i < HOSTILE_MAX_CHILDREN; i++)
		if (hostile_children[i] == pid)
			hostile_children[i] = 0;
}

/* Kills and reaps a child from hostile_spawn(); returns its status. */
static inline int hostile_reap(pid_t pid, int sig)
{
	int i, status = 0;

	if (sig)
		kill(pid, sig);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	for (i = 0; i < HOSTILE_MAX_CHILDREN; i++)
		if (hostile_children[i] == pid)
			hostile_children[i] = 0;
	return status;
}

/* A failed test must not leave teeq-sw or an attacker behind, even when it
 * fails by running out of time. */
static inline void hostile_alarm(int sig)
{
	static const char msg[] = "hostile: out of time\n";

	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	hostile_cleanup();
	sw_fixture_cleanup();
	_exit(T_FAIL);
}

/* Also makes us the reaper of what our children leave behind (teeq-sw's
 * own helper process), so that nothing lingers as a zombie. */
static inline void hostile_watchdog(unsigned int seconds)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGALRM, hostile_alarm);
	alarm(seconds);
}

/* Reaps orphans handed to us, waiting up to @ms for them to end. */
static inline void hostile_reap_orphans(uint64_t ms)
{
	uint64_t t0 = t_now_ms();

	while (t_now_ms() - t0 < ms) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid < 0) /* no child left */
			return;
		if (pid == 0)
			usleep(2000);
	}
}

/* ---- the well-behaved client ---------------------------------------------------- */

struct good_client {
	TEEC_Context ctx;
	TEEC_Session sess;
	pthread_t thread;
	uint64_t calls; /* atomic */
	uint64_t last_ms; /* atomic: when the last call came back */
	uint64_t worst_ms; /* atomic */
	uint32_t failed; /* atomic: a call's result was not SUCCESS */
	int stop; /* atomic */
};

static inline void *good_main(void *arg)
{
	struct good_client *g = arg;

	while (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		uint64_t t0 = t_now_ms(), dt;
		uint32_t origin = 0;

		if (TEEC_InvokeCommand(&g->sess, TEEQ_NOOP_CMD_NOOP, NULL,
				       &origin) != TEEC_SUCCESS)
			__atomic_add_fetch(&g->failed, 1, __ATOMIC_RELAXED);
		dt = t_now_ms() - t0;
		if (dt > __atomic_load_n(&g->worst_ms, __ATOMIC_RELAXED))
			__atomic_store_n(&g->worst_ms, dt, __ATOMIC_RELAXED);
		__atomic_store_n(&g->last_ms, t_now_ms(), __ATOMIC_RELEASE);
		__atomic_add_fetch(&g->calls, 1, __ATOMIC_RELEASE);
		usleep(1000);
	}
	return NULL;
}

/* Attaches through libteeq (TEEQ_SOCKET) and starts calling. */
static inline void good_start(struct good_client *g)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint32_t origin = 0;

	memset(g, 0, sizeof(*g));
	CHECK_EQ(TEEC_InitializeContext(NULL, &g->ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&g->ctx, &g->sess, &noop, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	g->last_ms = t_now_ms();
	CHECK_EQ(pthread_create(&g->thread, NULL, good_main, g), 0);
}

/*
 * Watches the good client for @ms: it must keep completing calls, none
 * failing, with no gap longer than HOSTILE_STALL_MS. Returns the calls
 * made meanwhile (at least one).
 */
static inline uint64_t good_watch(struct good_client *g, uint64_t ms,
				  const char *what)
{
	uint64_t t0 = t_now_ms(),
		 calls0 = __atomic_load_n(&g->calls, __ATOMIC_ACQUIRE);
	uint64_t calls;

	do {
		uint64_t last = __atomic_load_n(&g->last_ms, __ATOMIC_ACQUIRE);
		uint64_t now = t_now_ms();

		if (now > last && now - last > HOSTILE_STALL_MS) {
			fprintf(stderr,
				"%s: the good client's call has not come back "
				"for %llu ms\n",
				what, (unsigned long long)(now - last));
			exit(T_FAIL);
		}
		usleep(10000);
	} while (t_now_ms() - t0 < ms);
	calls = __atomic_load_n(&g->calls, __ATOMIC_ACQUIRE) - calls0;
	if (!calls)
		fprintf(stderr, "%s: the good client made no call in %llu ms\n",
			what, (unsigned long long)ms);
	CHECK(calls > 0);
	CHECK_EQ(__atomic_load_n(&g->failed, __ATOMIC_RELAXED), 0);
	return calls;
}

static inline void good_stop(struct good_client *g)
{
	__atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(g->thread, NULL), 0);
	CHECK_EQ(__atomic_load_n(&g->failed, __ATOMIC_RELAXED), 0);
	TEEC_CloseSession(&g->sess);
	TEEC_FinalizeContext(&g->ctx);
}

/* SIGTERM must stop teeq-sw, cleanly, within @ms whatever its clients
 * do; then the fixture's directory goes. */
static inline void hostile_sw_term(struct sw_fixture *f, uint64_t ms)
{
	uint64_t t0 = t_now_ms();
	int status = 0;
	pid_t got;

	CHECK(f->pid > 0);
	kill(f->pid, SIGTERM);
	while ((got = waitpid(f->pid, &status, WNOHANG)) == 0 &&
	       t_now_ms() - t0 < ms)
		usleep(5000);
	if (got != f->pid)
		fprintf(stderr,
			"teeq-sw did not stop within %llu ms of "
			"SIGTERM\n",
			(unsigned long long)ms);
	CHECK_EQ(got, f->pid);
	f->pid = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sw_fixture_stop(f);
}

#endif /* TEEQ_TESTS_HOSTILE_WATCH_H */
