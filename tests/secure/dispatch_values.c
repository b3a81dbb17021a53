// SPDX-License-Identifier: MIT
/*
 * Invocations whose parameters are all NONE or VALUE, every one of the 256
 * ways to type four parameters so, through sw_sqe_copy() and sw_dispatch()
 * as a worker calls them. The trusted app sees each VALUE's a and b as
 * submitted and each NONE parameter all zero (type, value, the rest); the
 * completion carries what the app left in the outputs (OUTPUT, INOUT) and
 * zeros for inputs and NONE, and the entry's user_data. Refused with
 * BAD_PARAMETERS (origin TEE) and never reaching the app: a nonzero pad
 * of any parameter that is part of the entry, a nonzero a or b of a NONE
 * one, a nonzero reserved word. Line 2 of an entry without a type in
 * parameters 1..3 is not part of it: whatever it holds, the call runs.
 */
#include "tests/check.h"
#include "tests/secure/platform.h"

#define T_VALS_CMD 3
#define T_VALS_UUID                                                    \
	{                                                              \
		0x6a1f0c3e, 0x52d4, 0x4b8a,                            \
		{                                                      \
			0x8e, 0x27, 0x19, 0xc4, 0x60, 0x3b, 0xf5, 0x0d \
		}                                                      \
	}

static struct sw_client client;
static unsigned int vals_calls;
static struct ta_param vals_seen[TEEQ_NUM_PARAMS];
static uint32_t vals_types_seen;

/* Records what it is given, then writes into every parameter. */
static uint32_t t_vals_invoke(void *session, struct ta_call *call, uint32_t cmd,
			      uint32_t param_types,
			      struct ta_param params[TEEQ_NUM_PARAMS])
{
	int i;

	(void)session;
	(void)call;
	if (cmd != T_VALS_CMD)
		return TEEQ_ERROR_NOT_SUPPORTED;
	vals_calls++;
	vals_types_seen = param_types;
	memcpy(vals_seen, params, sizeof(vals_seen));
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		params[i].value.a = ~params[i].value.a;
		params[i].value.b = 0x0b000000u + (uint32_t)i;
	}
	return TEEQ_SUCCESS;
}

static const struct teeq_ta t_vals_ta = {
	.name = "vals",
	.uuid = T_VALS_UUID,
	.invoke = t_vals_invoke,
};
TEEQ_TA_REGISTER(t_vals_ta);

static uint32_t open_vals(void)
{
	static const struct ta_uuid uuid = T_VALS_UUID;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = TEEQ_OP_OPEN_SESSION;
	sqe.func = TEEQ_LOGIN_PUBLIC;
	ta_uuid_to_wire(&uuid, &sqe.uuid);
	CHECK_EQ(sw_dispatch(&client, &sqe, &cqe, NULL, NULL, 0),
		 SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK(cqe.session);
	return cqe.session;
}

/* A well-formed entry of @types in @slot (a ring slot's 128 bytes). */
static void entry(struct teeq_sqe *slot, uint32_t session, uint32_t types)
{
	int i;

	memset(slot, 0, sizeof(*slot));
	slot->stamp = 0x57a3;
	slot->opcode = TEEQ_OP_INVOKE;
	slot->param_types = (uint16_t)types;
	slot->session = session;
	slot->func = T_VALS_CMD;
	slot->cancel_id = types + 1;
	slot->user_data = 0xda7a0000ull + types;
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		if (!TEEQ_PARAM_TYPE_GET(types, i))
			continue;
		slot->params[i].value.a = 0xa0000000u + types * 4 + (uint32_t)i;
		slot->params[i].value.b = 0xb0000000u + (uint32_t)i;
	}
}

/* Copies @slot as a worker does and dispatches it. */
static void run(const struct teeq_sqe *slot, struct teeq_cqe *cqe)
{
	struct teeq_sqe sqe;

	sw_sqe_copy(&sqe, slot);
	memset(cqe, 0xa5, sizeof(*cqe));
	CHECK_EQ(sw_dispatch(&client, &sqe, cqe, NULL, NULL, 0), SW_DISPATCHED);
}

static void refused(const struct teeq_sqe *slot)
{
	unsigned int calls = vals_calls;
	struct teeq_cqe cqe;

	run(slot, &cqe);
	CHECK_EQ(cqe.result, TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TEE);
	CHECK_EQ(cqe.user_data, slot->user_data);
	CHECK_EQ(vals_calls, calls);
}

static void well_formed(uint32_t session, uint32_t types)
{
	static const struct ta_param zero;
	struct teeq_sqe slot;
	struct teeq_cqe cqe;
	unsigned int calls = vals_calls;
	int i;

	entry(&slot, session, types);
	run(&slot, &cqe);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TRUSTED_APP);
	CHECK_EQ(cqe.session, 0);
	CHECK_EQ(cqe.user_data, slot.user_data);
	CHECK_EQ(cqe.flags, 0);
	CHECK_EQ(cqe.reserved, 0);
	CHECK_EQ(vals_calls, calls + 1);
	CHECK_EQ(vals_types_seen, types);
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(types, i);

		if (type == TEEQ_PARAM_NONE) {
			CHECK_MEM(&vals_seen[i], &zero, sizeof(zero));
		} else {
			CHECK_EQ(vals_seen[i].type, type);
			CHECK_EQ(vals_seen[i].value.a, slot.params[i].value.a);
			CHECK_EQ(vals_seen[i].value.b, slot.params[i].value.b);
		}
		if (type == TEEQ_PARAM_VALUE_OUTPUT ||
		    type == TEEQ_PARAM_VALUE_INOUT) {
			CHECK_EQ(cqe.params[i].value.a,
				 ~slot.params[i].value.a);
			CHECK_EQ(cqe.params[i].value.b,
				 0x0b000000u + (uint32_t)i);
		} else {
			CHECK_EQ(cqe.params[i].value.a, 0);
			CHECK_EQ(cqe.params[i].value.b, 0);
		}
	}
}

static void malformed(uint32_t session, uint32_t types)
{
	int line2 = (types & TEEQ_SQE_LINE2_PARAMS) != 0;
	struct teeq_sqe slot;
	struct teeq_cqe cqe;
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		/* a parameter in line 2 is part of the entry only with it */
		int part = i == 0 || line2;

		entry(&slot, session, types);
		slot.params[i].value.pad = 1ull << (8 * i + 3);
		if (part) {
			refused(&slot);
		} else {
			run(&slot, &cqe);
			CHECK_EQ(cqe.result, TEEQ_SUCCESS);
		}
		if (TEEQ_PARAM_TYPE_GET(types, i))
			continue;
		entry(&slot, session, types);
		slot.params[i].value.b = 0x100;
		if (part)
			refused(&slot);
		entry(&slot, session, types);
		slot.params[i].value.a = 1;
		if (part)
			refused(&slot);
	}
	for (i = 0; i < 4; i++) {
		entry(&slot, session, types);
		slot.reserved[i] = 0x40;
		if (line2) {
			refused(&slot);
		} else {
			run(&slot, &cqe);
			CHECK_EQ(cqe.result, TEEQ_SUCCESS);
		}
	}
}

int main(void)
{
	struct ta_identity who = { .uid = 1000, .gid = 1000, .pid = 1 };
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = 8,
				    .heap_size = TEEQ_PAGE_SIZE,
				    .features = TEEQ_FEAT_ALL };
	struct channel_layout layout;
	uint32_t session, types, t, i;
	unsigned int combos = 0;
	void *region;

	region = t_plat_region(&p, &layout);
	sw_core_init(&t_platform_real);
	CHECK_EQ(sw_client_init(&client, 1, region, &layout, &who), 0);
	session = open_vals();

	for (types = 0; types < 0x10000; types++) {
		/* every nibble NONE or one of the three VALUE types */
		for (i = 0, t = types; i < TEEQ_NUM_PARAMS; i++, t >>= 4)
			if ((t & 0xf) > TEEQ_PARAM_VALUE_INOUT)
				break;
		if (i < TEEQ_NUM_PARAMS)
			continue;
		well_formed(session, types);
		malformed(session, types);
		combos++;
	}
	CHECK_EQ(combos, 256);
	sw_client_fini(&client);
	free(region);
	printf("dispatch values: %u type combinations, %u calls reached the "
	       "trusted app\n",
	       combos, vals_calls);
	return T_PASS;
}
