// SPDX-License-Identifier: MIT
/*
 * Opening a session to a TA that does not exist is ITEM_NOT_FOUND with
 * origin TEE, whichever part of the UUID differs (time_low, time_mid,
 * time_hi_and_version, one bit of the node, all zero, all ones), and opens
 * nothing; the context keeps working.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_UUID bad[7];
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	size_t i;

	for (i = 0; i < 7; i++)
		bad[i] = echo;
	bad[0].timeLow ^= 1;
	bad[1].timeMid ^= 0x100;
	bad[2].timeHiAndVersion ^= 0x8000;
	bad[3].clockSeqAndNode[7] ^= 0x01;
	bad[4].clockSeqAndNode[0] ^= 0x80;
	memset(&bad[5], 0, sizeof(bad[5]));
	memset(&bad[6], 0xff, sizeof(bad[6]));

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < 7; i++) {
		memset(&sess, 0, sizeof(sess));
		origin = 0;
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &bad[i],
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_ERROR_ITEM_NOT_FOUND);
		CHECK_EQ(origin, TEEC_ORIGIN_TEE);
		CHECK_EQ(sess.imp.ctx_id, 0); /* not a session */
	}
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(st.sessions_total, 0);
	CHECK_EQ(sw_fixture_calls(&fx), 7); /* each reached the TEE */

	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
