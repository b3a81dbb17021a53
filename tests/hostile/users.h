/* SPDX-License-Identifier: MIT */
/*
 * Tests with more than one user. We are root: children switch to
 * throwaway uids (numbers no account uses, so there is no user to create
 * or remove), in a mount namespace of the test's own with a fresh tmpfs on
 * /tmp, so that /tmp/teeq-<uid> and its like belong to this test alone. Not
 * root, such a test cannot run: it says so and skips.
 */
#ifndef TEEQ_TESTS_HOSTILE_USERS_H
#define TEEQ_TESTS_HOSTILE_USERS_H

#include "tests/hostile/watch.h"

#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* Throwaway uids: no account has them (checked). */
#define USERS_VICTIM 61001u
#define USERS_ATTACKER 61002u

/* A private /tmp (tmpfs, sticky and world-writable like the real one). */
static inline void users_private_tmp(void)
{
	if (geteuid() != 0)
		SKIP("needs root, to switch uids and mount a private /tmp");
	CHECK(!getpwuid(USERS_VICTIM) && !getpwuid(USERS_ATTACKER));
	CHECK(!unshare(CLONE_NEWNS));
	CHECK(!mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL));
	CHECK(!mount("teeq-test", "/tmp", "tmpfs", 0, "mode=1777"));
}

/* In a child: become @uid (group the same number, no other groups). */
static inline void users_become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid)) {
		perror("users_become");
		_exit(126);
	}
}

/* Runs @fn(@arg) as @uid in a child and returns what it returned (a
 * 32-bit result, e.g. a TEEC_Result); fails the test if the child does not
 * finish within @limit_ms. */
static inline uint32_t users_call_as(uid_t uid, uint32_t (*fn)(void *),
				     void *arg, uint64_t limit_ms)
{
	uint64_t t0 = t_now_ms();
	int pipefd[2], status;
	uint32_t res = 0;
	pid_t pid, got;

	CHECK(!pipe(pipefd));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		users_become(uid);
		res = fn(arg);
		(void)!write(pipefd[1], &res, sizeof(res));
		_exit(0);
	}
	close(pipefd[1]);
	while ((got = waitpid(pid, &status, WNOHANG)) == 0 &&
	       t_now_ms() - t0 < limit_ms)
		usleep(5000);
	if (got != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fprintf(stderr,
			"the child of uid %u did not finish in %llu ms\n",
			(unsigned)uid, (unsigned long long)limit_ms);
		CHECK(0);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(read(pipefd[0], &res, sizeof(res)), sizeof(res));
	close(pipefd[0]);
	return res;
}

/* Starts teeq-sw as @uid serving @sock (more arguments: a NULL-terminated
 * list); returns its pid without waiting for it. */
static inline pid_t users_sw_as(uid_t uid, const char *sock, ...)
{
	const char *argv[16] = { "teeq-sw", "--socket", sock };
	char exe[PATH_MAX];
	int argc = 3;
	va_list ap;
	pid_t pid;

	va_start(ap, sock);
	while (argc < 15 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	sw_fixture_exe(exe, sizeof(exe));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		users_become(uid);
		execv(exe, (char **)argv);
		_exit(127);
	}
	hostile_adopt(pid);
	return pid;
}

/* Waits until something accepts connections on @sock, or @pid exits:
 * returns 1 if it serves, 0 if it exited (its status in @status). */
static inline int users_sw_serves(pid_t pid, const char *sock, int *status)
{
	uint64_t t0 = t_now_ms();

	while (t_now_ms() - t0 < 10000) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			hostile_forget(pid);
			return 0;
		}
		if (ring_host_await(sock, 0, 0) == 0)
			return 1;
		usleep(2000);
	}
	fprintf(stderr, "teeq-sw %d neither serves nor exits\n", (int)pid);
	CHECK(0);
	return 0;
}

#endif /* TEEQ_TESTS_HOSTILE_USERS_H */
