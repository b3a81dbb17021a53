// SPDX-License-Identifier: MIT
/*
 * TEEC_InitializeContext / TEEC_FinalizeContext: a NULL context is
 * BAD_PARAMETERS; with autostart off and no teeq-sw (no socket file, a
 * stale socket file nobody listens on, a path name that does not exist)
 * initialisation fails with ITEM_NOT_FOUND at once instead of hanging; a
 * name that is a path picks that socket; finalizing NULL, a context that
 * failed to initialise, or the same context twice is harmless; each
 * context is one client of teeq-sw and finalizing it detaches it.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void wait_clients(struct sw_fixture *f, uint64_t want)
{
	struct teeq_sw_stats st;
	int i;

	for (i = 0; i < 5000; i++) {
		sw_fixture_stats(f, &st);
		if (st.clients == want)
			return;
		usleep(1000);
	}
	CHECK_EQ(st.clients, want);
}

static void one_call(TEEC_Context *ctx)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sess;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_CloseSession(&sess);
}

int main(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	TEEC_Context ctx, ctx2;
	char other[128];
	int fd;

	sw_fixture_host_only("context names that are sockets, autostart");

	/* the whole test is bounded: a hang is a failure, not a stall */
	alarm(20);

	CHECK_EQ(TEEC_InitializeContext(NULL, NULL), TEEC_ERROR_BAD_PARAMETERS);
	TEEC_FinalizeContext(NULL);

	/* no teeq-sw and no socket: an error at once */
	sw_fixture_init(&fx);
	ctx.imp = (void *)&ctx; /* garbage the call must overwrite */
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
	CHECK(ctx.imp == NULL);
	TEEC_FinalizeContext(&ctx); /* harmless on a failed context */

	/* a stale socket file that nobody listens on */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fx.sock);
	CHECK(!bind(fd, (struct sockaddr *)&addr, sizeof(addr)));
	close(fd);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
	CHECK(ctx.imp == NULL);

	/* now a real one (it replaces the stale socket) */
	sw_fixture_start_on(&fx, NULL);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK(ctx.imp != NULL);
	one_call(&ctx);
	wait_clients(&fx, 1);

	/* a name that is a path names the socket, whatever TEEQ_SOCKET says */
	snprintf(other, sizeof(other), "%s/none.sock", fx.dir);
	CHECK_EQ(TEEC_InitializeContext(other, &ctx2),
		 TEEC_ERROR_ITEM_NOT_FOUND);
	setenv("TEEQ_SOCKET", other, 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx2),
		 TEEC_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(TEEC_InitializeContext(fx.sock, &ctx2), TEEC_SUCCESS);
	setenv("TEEQ_SOCKET", fx.sock, 1);
	/* a name that is not a path: the default socket */
	one_call(&ctx2);
	wait_clients(&fx, 2);

	TEEC_FinalizeContext(&ctx2);
	CHECK(ctx2.imp == NULL);
	TEEC_FinalizeContext(&ctx2); /* twice: nothing left to do */
	wait_clients(&fx, 1);
	one_call(&ctx); /* the other context is untouched */

	CHECK_EQ(TEEC_InitializeContext("teeq", &ctx2), TEEC_SUCCESS);
	one_call(&ctx2);
	TEEC_FinalizeContext(&ctx2);
	TEEC_FinalizeContext(&ctx);
	wait_clients(&fx, 0);
	sw_fixture_stop(&fx);
	return T_PASS;
}
