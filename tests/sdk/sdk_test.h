/* SPDX-License-Identifier: MIT */
/*
 * The in-process harness of the SDK's conformance tests: the test program
 * is the TA (its head comes from user_ta_header.c with this directory's
 * user_ta_header_defines.h) and calls the Internal Core API directly.
 *
 * sdk_expect_panic() runs a piece of TA code in a child process whose
 * runtime turns a panic into an exit with a known status after writing
 * the panicking function's name to a pipe: the test asserts that the code
 * panicked, and in which function, as GP says it must.
 */
#ifndef TEEQ_TESTS_SDK_TEST_H
#define TEEQ_TESTS_SDK_TEST_H

#include "tests/check.h"
#include "sdk/lib/internal.h"

#include "sdk/ta/user_ta_header.c"

#include <sys/wait.h>
#include <unistd.h>

#define SDK_PANIC_EXIT 86

static int sdk_panic_fd = -1;

static void sdk_test_panic(void *host, uint32_t code, const char *func)
{
	(void)host;
	(void)code;
	if (sdk_panic_fd >= 0 && write(sdk_panic_fd, func, strlen(func)) < 0)
		_exit(1);
	_exit(SDK_PANIC_EXIT);
}

static char sdk_last_log[512];

static void sdk_test_log(void *host, int level, const char *line)
{
	(void)host;
	(void)level;
	snprintf(sdk_last_log, sizeof(sdk_last_log), "%s", line);
	fprintf(stderr, "%s\n", line);
}

static const struct teeq_ta_runtime sdk_test_rt = {
	.panic = sdk_test_panic,
	.log = sdk_test_log,
};

static inline void sdk_test_init(void)
{
	ta_rt.ops = &sdk_test_rt;
}

/* Runs @fn(@arg) in a child: true when it panicked in @func. */
static inline bool sdk_panics(void (*fn)(void *), void *arg, const char *func)
{
	char name[128] = { 0 };
	int fds[2], status;
	pid_t pid;

	fflush(NULL);
	CHECK(!pipe(fds));
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		close(fds[0]);
		sdk_panic_fd = fds[1];
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], name, sizeof(name) - 1) < 0)
		name[0] = 0;
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != SDK_PANIC_EXIT) {
		fprintf(stderr, "expected a panic in %s, got status 0x%x\n",
			func, status);
		return false;
	}
	if (strcmp(name, func)) {
		fprintf(stderr, "expected a panic in %s, got one in %s\n", func,
			name);
		return false;
	}
	return true;
}

#define CHECK_PANIC(fn, arg, func) CHECK(sdk_panics((fn), (arg), (func)))

#endif /* TEEQ_TESTS_SDK_TEST_H */
