// SPDX-License-Identifier: MIT
/*
 * A teeq-sw killed with SIGKILL leaves its socket file and its lock file
 * behind; the next client finds the socket refusing connections, starts a
 * new teeq-sw, which takes the lock its dead owner no longer holds,
 * replaces the stale socket and serves: a new pid, and calls work.
 */
#include "tests/client/autostart.h"

#include <sys/stat.h>

static struct sw_fixture fx;

int main(void)
{
	char lock[160];
	struct stat st;
	TEEC_Context ctx;
	pid_t first, second;
	int status;

	sw_fixture_host_only("autostart: host mode starts its own teeq-sw");
	autostart_init(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	autostart_call(&ctx);
	first = autostart_pid(&ctx);
	TEEC_FinalizeContext(&ctx);

	CHECK(!kill(first, SIGKILL));
	CHECK(autostart_exited(first, 5000, &status));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	snprintf(lock, sizeof(lock), "%s.lock", fx.sock);
	CHECK(!stat(fx.sock, &st) && S_ISSOCK(st.st_mode)); /* stale */
	CHECK(!stat(lock, &st));
	CHECK_EQ(ring_host_await(fx.sock, 0, 0), -ETIMEDOUT);

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	autostart_call(&ctx);
	second = autostart_pid(&ctx);
	CHECK(second != first);
	TEEC_FinalizeContext(&ctx);

	CHECK(!kill(second, SIGTERM));
	CHECK(autostart_exited(second, 5000, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return T_PASS;
}
