// SPDX-License-Identifier: MIT
/*
 * Which secure world a context reaches where no teeq driver serves it:
 * TEEQ_MODE=host reaches host mode's teeq-sw (a client of its socket,
 * whose statistics answer); TEEQ_MODE=kernel asks for the driver's
 * /dev/teeq0, which is ITEM_NOT_FOUND at once where there is none; a
 * TEEQ_MODE that is no mode is BAD_PARAMETERS, and a character device
 * that is no teeq driver's (/dev/null) is NOT_SUPPORTED. Refused, they
 * reach nothing: teeq-sw sees no client. (Where the driver is loaded,
 * TEEQ_MODE=kernel reaches it instead; the kernel stage's
 * kernel/libteeq_mode tells the modes apart there.)
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static uint64_t clients_total(void)
{
	struct teeq_sw_stats st;

	sw_fixture_stats(&fx, &st);
	return st.clients_total;
}

static void refused(const char *name, const char *mode, TEEC_Result want)
{
	TEEC_Context ctx;
	uint64_t before = clients_total();

	setenv("TEEQ_MODE", mode, 1);
	CHECK_EQ(TEEC_InitializeContext(name, &ctx), want);
	CHECK_EQ(clients_total(), before);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_sw_stats sw;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;

	sw_fixture_host_only("it is about a machine where no driver serves");
	sw_fixture_start(&fx);

	setenv("TEEQ_MODE", "host", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(teeq_secure_stats(&ctx, &sw), TEEC_SUCCESS);
	CHECK_EQ(sw.clients, 1);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);

	if (access("/dev/teeq0", F_OK)) {
		refused(NULL, "kernel", TEEC_ERROR_ITEM_NOT_FOUND);
		refused("teeq", "kernel", TEEC_ERROR_ITEM_NOT_FOUND);
	} else { /* a developer's machine with the driver loaded */
		setenv("TEEQ_MODE", "kernel", 1);
		CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
		CHECK_EQ(teeq_secure_stats(&ctx, &sw),
			 TEEC_ERROR_NOT_SUPPORTED);
		TEEC_FinalizeContext(&ctx);
	}
	refused(NULL, "kernal", TEEC_ERROR_BAD_PARAMETERS);
	refused(NULL, "HOST", TEEC_ERROR_BAD_PARAMETERS);
	refused("/dev/null", "host", TEEC_ERROR_NOT_SUPPORTED);

	sw_fixture_stop(&fx);
	return T_PASS;
}
