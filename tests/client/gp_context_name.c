// SPDX-License-Identifier: MIT
/*
 * The names TEEC_InitializeContext accepts: NULL and "teeq" name the
 * default secure world (here the fixture's, through TEEQ_SOCKET), an
 * absolute path names the socket of a teeq-sw. Any other name, the empty
 * one and other TEEs' names included, is TEEC_ERROR_ITEM_NOT_FOUND and
 * connects nowhere (the secure world sees no client). A path where no
 * teeq-sw listens is ITEM_NOT_FOUND too.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void works(const char *name)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InitializeContext(name, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

static void unknown(const char *name)
{
	TEEC_Context ctx;

	ctx.imp = (struct teeq_chan *)&ctx; /* overwritten */
	CHECK_EQ(TEEC_InitializeContext(name, &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
	CHECK(ctx.imp == NULL);
}

int main(void)
{
	static const char *const others[] = {
		"",
		"optee-tz",
		"teeq0",
		"TEEQ",
		"teeq ",
		"sw.sock",
		"tmp/teeq-sw.sock",
		"/dev/tee0-no-such-socket",
	};
	struct teeq_sw_stats st;
	uint64_t start;
	size_t i;

	sw_fixture_host_only(
		"a name that is a path names a teeq-sw's socket here");

	sw_fixture_start(&fx);
	works(NULL);
	works("teeq");
	works(fx.sock);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		unknown(others[i]);
	/* the finalized ones are gone once teeq-sw has seen them hang up
	 * (5 s is a guard): none of the others ever was a client */
	start = t_now_ms();
	do {
		sw_fixture_stats(&fx, &st);
	} while (st.clients && t_now_ms() - start < 5000 && !usleep(1000));
	CHECK_EQ(st.clients, 0);
	CHECK_EQ(st.clients_total, 3);
	CHECK_EQ(st.sessions_total, 3);
	sw_fixture_stop(&fx);
	return T_PASS;
}
