// SPDX-License-Identifier: MIT
/*
 * TEEQ_DEBUG=1 makes libteeq say on stderr why a channel died and each
 * rare event, once each: a child process hits three of them again and
 * again (its sync calls find the one exclusive pair leased by a queue and
 * share the last pair; temporary memrefs the 1 MiB heap cannot hold go
 * through memfds; its teeq-sw is killed and its calls fail) and prints
 * exactly one line for each. Without TEEQ_DEBUG, or with TEEQ_DEBUG=0,
 * the same child prints nothing.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <tee_client_api.h>
#include <teeq.h>

#define BIG (2u << 20)

static struct sw_fixture fx;

static void child(int err_fd)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static unsigned char buf[BIG];
	TEEC_Operation op;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	teeq_queue *q;
	int i;

	setenv("TEEQ_QPAIRS", "2", 1);
	setenv("TEEQ_HEAP_MB", "1", 1);
	sw_fixture_start(&fx);
	/* from here on stderr is libteeq's alone */
	CHECK(dup2(err_fd, 2) == 2);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	for (i = 0; i < 3; i++) {
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT,
						 TEEC_NONE, TEEC_NONE,
						 TEEC_NONE);
		op.params[0].tmpref.buffer = buf;
		op.params[0].tmpref.size = sizeof(buf);
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op,
					    &origin),
			 TEEC_SUCCESS);
	}
	sw_fixture_kill(&fx, SIGKILL);
	for (i = 0; i < 3; i++)
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, NULL,
					    &origin),
			 TEEC_ERROR_TARGET_DEAD);
	teeq_queue_close(q);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	exit(0);
}

/* Runs the child with TEEQ_DEBUG as @debug (NULL: unset); returns what it
 * wrote to stderr. */
static char *run(const char *debug)
{
	static char out[4096];
	int pipe_fd[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	CHECK(!pipe(pipe_fd));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(pipe_fd[0]);
		if (debug)
			setenv("TEEQ_DEBUG", debug, 1);
		else
			unsetenv("TEEQ_DEBUG");
		child(pipe_fd[1]);
	}
	close(pipe_fd[1]);
	while ((n = read(pipe_fd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	close(pipe_fd[0]);
	out[len] = 0;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "child (TEEQ_DEBUG=%s) said:\n%s", debug, out);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

static int lines_with(const char *out, const char *what)
{
	int n = 0;

	for (; (out = strstr(out, what)); out++)
		n++;
	return n;
}

int main(void)
{
	const char *out;

	sw_fixture_host_only("host mode's heap and its memfds");

	CHECK_EQ(strlen(run(NULL)), 0);
	CHECK_EQ(strlen(run("0")), 0);
	out = run("1");
	fprintf(stderr, "with TEEQ_DEBUG=1:\n%s", out);
	CHECK_EQ(lines_with(out, "\n"), 3);
	CHECK_EQ(lines_with(out, "teeq: "), 3);
	CHECK_EQ(lines_with(out, "exclusive queue pair was in use"), 1);
	CHECK_EQ(lines_with(out, "temporary memref the heap could not hold"),
		 1);
	CHECK_EQ(lines_with(out, "closed: the secure world hung up"), 1);
	return T_PASS;
}
