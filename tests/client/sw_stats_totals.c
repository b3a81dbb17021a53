// SPDX-License-Identifier: MIT
/*
 * teeq-sw's "ever" counters never go backwards: after clients leave,
 * clients_total, sessions_total ("opened ever") and calls still count what
 * the departed clients did, while the "now" counters (clients, sessions,
 * qpairs, region_bytes) drop to what remains.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void settle(struct teeq_sw_stats *st, uint64_t clients, uint64_t calls)
{
	int i;

	for (i = 0; i < 5000; i++) {
		sw_fixture_stats(&fx, st);
		if (st->clients == clients && st->calls >= calls)
			return;
		usleep(1000);
	}
	CHECK_EQ(st->clients, clients);
	CHECK_EQ(st->calls, calls);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sa[3], sb[2];
	struct teeq_sw_stats st;
	TEEC_Context a, b;
	uint64_t qpairs;
	uint32_t origin;
	int i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &a), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &b), TEEC_SUCCESS);
	for (i = 0; i < 3; i++)
		CHECK_EQ(TEEC_OpenSession(&a, &sa[i], &noop, TEEC_LOGIN_PUBLIC,
					  NULL, NULL, &origin),
			 TEEC_SUCCESS);
	for (i = 0; i < 2; i++)
		CHECK_EQ(TEEC_OpenSession(&b, &sb[i], &noop, TEEC_LOGIN_PUBLIC,
					  NULL, NULL, &origin),
			 TEEC_SUCCESS);
	CHECK_EQ(TEEC_InvokeCommand(&sa[0], TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_CloseSession(&sa[2]);
	settle(&st, 2, 7);
	/* each context's queue pairs: libteeq's in host mode, the driver's
	 * channel's in kernel mode */
	qpairs = st.qpairs;
	CHECK(qpairs >= 2 && qpairs % 2 == 0);
	CHECK_EQ(st.calls, 7);
	CHECK_EQ(st.clients_total, 2);
	CHECK_EQ(st.sessions, 4);
	CHECK_EQ(st.sessions_total, 5);

	/* a leaves (two sessions still open: closed by teeq-sw) */
	TEEC_FinalizeContext(&a);
	settle(&st, 1, 7);
	CHECK_EQ(st.sessions, 2);
	CHECK_EQ(st.qpairs, qpairs / 2);
	CHECK_EQ(st.clients_total, 2);
	CHECK_EQ(st.calls, 7);
	CHECK_EQ(st.sessions_total, 5);

	TEEC_FinalizeContext(&b);
	settle(&st, 0, 7);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(st.region_bytes, 0);
	CHECK_EQ(st.clients_total, 2);
	CHECK_EQ(st.calls, 7);
	CHECK_EQ(st.sessions_total, 5);
	sw_fixture_stop(&fx);
	return T_PASS;
}
