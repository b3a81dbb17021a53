// SPDX-License-Identifier: MIT
/*
 * echo IDENTITY through the real transport: the login method the session
 * was opened with and the uid, gid and pid teeq-sw took from the socket's
 * SO_PEERCRED (a forked child is seen as itself, not its parent). GROUP and
 * GROUP_APPLICATION logins with the caller's own gid are accepted; with
 * another gid they are ACCESS_DENIED from the TEE and open no session.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;
static pid_t owner;

/* A failed CHECK exits: take the private teeq-sw down with us (not from a
 * forked child, whose failure its parent reports). */
static void cleanup(void)
{
	char lock[128];

	if (getpid() != owner)
		return;
	if (fx.pid > 0) {
		kill(fx.pid, SIGKILL);
		waitpid(fx.pid, NULL, 0);
		fx.pid = 0;
	}
	if (fx.dir[0]) {
		snprintf(lock, sizeof(lock), "%s.lock", fx.sock);
		unlink(lock);
		unlink(fx.sock);
		rmdir(fx.dir);
	}
}

static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;

static void identity(TEEC_Context *ctx, uint32_t method, const void *data)
{
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, &sess, &echo, method, data, NULL,
				  &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT,
					 TEEC_NONE, TEEC_NONE);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_IDENTITY, &op,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].value.a, method);
	CHECK_EQ(op.params[0].value.b, getuid());
	CHECK_EQ(op.params[1].value.a, getgid());
	CHECK_EQ(op.params[1].value.b, getpid());
	TEEC_CloseSession(&sess);
}

int main(void)
{
	uint32_t gid = (uint32_t)getgid(), other = gid + 1, origin;
	gid_t groups[256];
	int n = getgroups(256, groups), i;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	int status;
	pid_t child;

	/* a group the caller is in no way in (supplementary ones count) */
	CHECK(n >= 0);
	for (i = 0; i < n; i++)
		if (groups[i] == other || other == (uint32_t)getegid())
			other++, i = -1;
	owner = getpid();
	sw_fixture_start(&fx);
	atexit(cleanup);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);

	identity(&ctx, TEEC_LOGIN_PUBLIC, NULL);
	identity(&ctx, TEEC_LOGIN_USER, NULL);
	identity(&ctx, TEEC_LOGIN_APPLICATION, NULL);
	identity(&ctx, TEEC_LOGIN_USER_APPLICATION, NULL);
	identity(&ctx, TEEC_LOGIN_GROUP, &gid);
	identity(&ctx, TEEC_LOGIN_GROUP_APPLICATION, &gid);

	/* a group the caller is not in */
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_GROUP, &other,
				  NULL, &origin),
		 TEEC_ERROR_ACCESS_DENIED);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo,
				  TEEC_LOGIN_GROUP_APPLICATION, &other, NULL,
				  &origin),
		 TEEC_ERROR_ACCESS_DENIED);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(st.sessions_total, 6);

	/* another process is itself to the secure world */
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		TEEC_Context c;

		if (TEEC_InitializeContext(NULL, &c) != TEEC_SUCCESS)
			_exit(2);
		identity(&c, TEEC_LOGIN_USER, NULL);
		TEEC_FinalizeContext(&c);
		_exit(0);
	}
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);

	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
