// SPDX-License-Identifier: MIT
/*
 * Which secure world libteeq reaches, with the driver loaded and both a
 * kernel-mode and a host-mode teeq-sw serving. The default context
 * (NULL, "teeq") goes through the driver's /dev/teeq0; TEEQ_MODE=host
 * sends it to host mode's socket ($TEEQ_SOCKET) instead and
 * TEEQ_MODE=kernel to the driver; a name that is a path picks by what it
 * is, whatever TEEQ_MODE says: a node (/dev/teeq0, or the compat node
 * /dev/tee0) or a socket. A TEEQ_MODE that is no mode is BAD_PARAMETERS,
 * and a character device that is no teeq driver's is NOT_SUPPORTED; both
 * open nothing. Each context that opens works: a session and a call. The
 * mode a context got is told by the driver's count of open contexts and
 * by teeq_secure_stats(), which only host mode's socket answers.
 */
#include "tests/kernel/kfixture.h"
#include "uapi/teeq_host.h"

#include <tee_client_api.h>
#include <teeq.h>

#define KT_SOCK "/tmp/teeq-mode.sock"

enum kt_mode { KT_HOST, KT_KERNEL };

/* Opens a context of @name with TEEQ_MODE=@mode (NULL: unset), checks
 * that it reached @want and that it works, and closes it. */
static void kt_check(const char *name, const char *mode, enum kt_mode want)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_swdev_stats st0, st1;
	struct teeq_sw_stats sw;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;

	if (mode)
		setenv("TEEQ_MODE", mode, 1);
	else
		unsetenv("TEEQ_MODE");
	kt_stats(&st0);
	CHECK_EQ(TEEC_InitializeContext(name, &ctx), TEEC_SUCCESS);
	kt_stats(&st1);
	CHECK_EQ(st1.contexts - st0.contexts, want == KT_KERNEL);
	CHECK_EQ(teeq_secure_stats(&ctx, &sw),
		 want == KT_KERNEL ? TEEC_ERROR_NOT_SUPPORTED : TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	kt_stats(&st1);
	CHECK_EQ(st1.contexts, st0.contexts);
}

/* A context that must not open: nothing reaches the driver. */
static void kt_refused(const char *name, const char *mode, TEEC_Result want)
{
	struct teeq_swdev_stats st0, st1;
	TEEC_Context ctx;

	setenv("TEEQ_MODE", mode, 1);
	kt_stats(&st0);
	CHECK_EQ(TEEC_InitializeContext(name, &ctx), want);
	kt_stats(&st1);
	CHECK_EQ(st1.contexts, st0.contexts);
	CHECK_EQ(st1.channels, st0.channels);
}

int main(void)
{
	pid_t host;

	kt_sw_start();
	host = kt_host_sw_start(KT_SOCK);
	setenv("TEEQ_SOCKET", KT_SOCK, 1);

	kt_check(NULL, NULL, KT_KERNEL);
	kt_check("teeq", NULL, KT_KERNEL);
	kt_check(NULL, "", KT_KERNEL);
	kt_check(NULL, "kernel", KT_KERNEL);
	kt_check(NULL, "host", KT_HOST);
	kt_check("teeq", "host", KT_HOST);
	/* a path names its secure world, whatever TEEQ_MODE says */
	kt_check(KT_CLIENT, "host", KT_KERNEL);
	kt_check("/dev/tee0", NULL, KT_KERNEL);
	kt_check(KT_SOCK, "kernel", KT_HOST);

	kt_refused(NULL, "kernal", TEEC_ERROR_BAD_PARAMETERS);
	kt_refused(NULL, "Kernel", TEEC_ERROR_BAD_PARAMETERS);
	kt_refused("/dev/null", "", TEEC_ERROR_NOT_SUPPORTED);
	kt_refused("/dev/teeq9", "kernel", TEEC_ERROR_ITEM_NOT_FOUND);

	kt_host_sw_stop(host);
	return T_PASS;
}
