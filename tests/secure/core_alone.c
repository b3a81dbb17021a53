// SPDX-License-Identifier: MIT
/*
 * The portable core runs on a platform of its own: this program links the
 * core, the storage core and the built-in trusted apps with ring/ and shm/
 * only (not teeq-sw's attachments: the Makefile links it so, and refuses
 * to build it when a core file includes an attachment's header), and
 * gives the core the platform of tests/secure/platform.h.
 *
 * Without a platform a client cannot be set up (-EINVAL) and a trusted
 * app cannot wait (TEEQ_ERROR_BAD_STATE). With one: a registered buffer a
 * call holds while its client removes it is released by the platform
 * once, for that client, when the call ends, and not before; its id is
 * stale afterwards; noop's 5-second wait runs on the platform's clock (5
 * virtual seconds, no real ones); fini releases the buffers still
 * registered.
 */
#include "tests/secure/platform.h"
#include "uapi/teeq_host.h"
#include "uapi/teeq_tas.h"

#include <stdlib.h>

/* A trusted app of this test: HOLD writes into its memref, then removes
 * the buffer it is in while the call still holds it. */
#define T_HOLD_CMD 7
#define T_HOLD_UUID                                                    \
	{                                                              \
		0x3c0aa1e5, 0x4f1b, 0x4c2e,                            \
		{                                                      \
			0x9a, 0x10, 0x6b, 0x0d, 0x2e, 0x51, 0x7c, 0x44 \
		}                                                      \
	}

static struct sw_client client;
static uint32_t hold_id;
static int hold_removed = -1;
static uint32_t hold_released_inside;

static uint32_t t_hold_invoke(void *session, struct ta_call *call, uint32_t cmd,
			      uint32_t param_types,
			      struct ta_param params[TEEQ_NUM_PARAMS])
{
	(void)session;
	(void)call;
	if (cmd != T_HOLD_CMD ||
	    !ta_params_are(param_types, TEEQ_PARAM_MEMREF_INOUT,
			   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE, TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	memcpy(params[0].memref.buffer, "core alone", 10);
	params[0].memref.size = 10;
	hold_removed = sw_client_remove_ext(&client, hold_id);
	hold_released_inside =
		__atomic_load_n(&t_plat_released, __ATOMIC_RELAXED);
	return TEEQ_SUCCESS;
}

static const struct teeq_ta t_hold_ta = {
	.name = "hold",
	.uuid = T_HOLD_UUID,
	.invoke = t_hold_invoke,
};
TEEQ_TA_REGISTER(t_hold_ta);

static void sqe_init(struct teeq_sqe *sqe, uint8_t opcode, uint32_t session,
		     uint32_t func)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = opcode;
	sqe->session = session;
	sqe->func = func;
	sqe->user_data = 0xa10e;
}

static uint32_t open_session(const struct ta_uuid *uuid)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	sqe_init(&sqe, TEEQ_OP_OPEN_SESSION, 0, TEEQ_LOGIN_PUBLIC);
	ta_uuid_to_wire(uuid, &sqe.uuid);
	CHECK_EQ(sw_dispatch(&client, &sqe, &cqe, NULL, NULL, 0),
		 SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK(cqe.session);
	return cqe.session;
}

/* HOLD on the registered buffer @id, 16 bytes at offset 0. */
static void hold(uint32_t session, uint32_t id, struct teeq_cqe *cqe)
{
	struct teeq_sqe sqe;

	sqe_init(&sqe, TEEQ_OP_INVOKE, session, T_HOLD_CMD);
	sqe.param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_MEMREF_INOUT,
					   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE,
					   TEEQ_PARAM_NONE);
	sqe.params[0].memref.buf_id = id;
	sqe.params[0].memref.size = 16;
	CHECK_EQ(sw_dispatch(&client, &sqe, cqe, NULL, NULL, 0), SW_DISPATCHED);
}

int main(void)
{
	static const struct ta_uuid hold_uuid = T_HOLD_UUID;
	static const struct ta_uuid noop_uuid = TEEQ_TA_NOOP_UUID;
	struct ta_identity who = { .uid = 1000, .gid = 1000, .pid = 1 };
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = 8,
				    .heap_size = TEEQ_PAGE_SIZE,
				    .features = TEEQ_FEAT_ALL };
	struct channel_layout layout;
	struct sw_ext_buf *buf;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
	uint32_t hold_session, noop_session;
	uint64_t started_ms;
	int64_t id;
	void *region;

	region = t_plat_region(&p, &layout);

	/* no platform yet */
	CHECK_EQ(sw_client_init(&client, 1, region, &layout, &who), -EINVAL);
	CHECK_EQ(ta_wait(NULL, 1), TEEQ_ERROR_BAD_STATE);

	sw_core_init(&t_platform_virtual);
	CHECK_EQ(sw_client_init(&client, 1, region, &layout, &who), 0);
	hold_session = open_session(&hold_uuid);
	noop_session = open_session(&noop_uuid);

	/* removed while a call holds it: released when the call ends */
	buf = t_plat_ext_new(TEEQ_PAGE_SIZE,
			     TEEQ_HOST_REG_READ | TEEQ_HOST_REG_WRITE);
	id = sw_client_add_ext(&client, buf);
	CHECK(id > 0);
	hold_id = (uint32_t)id;
	hold(hold_session, hold_id, &cqe);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TRUSTED_APP);
	CHECK_EQ(cqe.params[0].memref.size, 10);
	CHECK_EQ(hold_removed, 1);
	CHECK_EQ(hold_released_inside, 0);
	CHECK_EQ(t_plat_released, 1);
	CHECK(t_plat_released_by == &client);
	/* and its id names nothing now */
	hold(hold_session, hold_id, &cqe);
	CHECK_EQ(cqe.result, TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TEE);
	CHECK_EQ(t_plat_released, 1);

	/* noop waits 5 s of the platform's time, in its 1 ms slices */
	started_ms = t_now_ms();
	sqe_init(&sqe, TEEQ_OP_INVOKE, noop_session, TEEQ_NOOP_CMD_WAIT);
	sqe.param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT,
					   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE,
					   TEEQ_PARAM_NONE);
	sqe.params[0].value.a = 5000;
	CHECK_EQ(sw_dispatch(&client, &sqe, &cqe, NULL, NULL, 0),
		 SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK(t_plat_virtual_ns >= 5000ull * 1000000);
	CHECK(t_plat_sleeps >= 5000);
	CHECK(t_now_ms() - started_ms < 2000);

	/* fini releases what is still registered */
	id = sw_client_add_ext(&client, t_plat_ext_new(64, TEEQ_HOST_REG_READ));
	CHECK(id > 0);
	sw_client_fini(&client);
	CHECK_EQ(t_plat_released, 2);
	free(region);
	printf("core alone: 2 buffers released by the platform, %" PRIu64
	       " virtual ms waited in %" PRIu64 " real ms\n",
	       t_plat_virtual_ns / 1000000, t_now_ms() - started_ms);
	return T_PASS;
}
