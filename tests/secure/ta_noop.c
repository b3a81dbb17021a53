// SPDX-License-Identifier: MIT
/*
 * The TA registry holds exactly the four built-in TAs, each found by its
 * UUID. noop: CMD_NOOP accepts any parameters and leaves them untouched;
 * CMD_WAIT takes p0 VALUE_INPUT only, caps the wait at 60000 ms, returns
 * TEEQ_SUCCESS when nobody cancels and TEEQ_ERROR_CANCEL once the call's
 * is_cancelled hook says so; unknown commands are TEEQ_ERROR_NOT_SUPPORTED.
 */
#include "secure/core/call.h"
#include "tests/check.h"
#include "tests/secure/platform.h"

static const struct ta_uuid noop_uuid = TEEQ_TA_NOOP_UUID;
static const struct ta_uuid echo_uuid = TEEQ_TA_ECHO_UUID;
static const struct ta_uuid digest_uuid = TEEQ_TA_DIGEST_UUID;
static const struct ta_uuid cipher_uuid = TEEQ_TA_CIPHER_UUID;

/* Counts polls through call->core; cancelled from poll @cancel_at on. */
struct poll_counter {
	int polls;
	int cancel_at; /* 0: never */
};

static int counting_is_cancelled(struct ta_call *call)
{
	struct poll_counter *pc = call->core;

	pc->polls++;
	return pc->cancel_at && pc->polls >= pc->cancel_at;
}

static void check_registry(void)
{
	const struct ta_uuid *uuids[] = { &noop_uuid, &echo_uuid, &digest_uuid,
					  &cipher_uuid };
	const char *names[] = { "noop", "echo", "digest", "cipher" };
	const struct teeq_ta *found[4];
	size_t i, j;

	/* the four built-ins; a later TA adds to them */
	CHECK(ta_registry_count() >= 4);
	for (i = 0; i < 4; i++) {
		found[i] = ta_registry_find(uuids[i]);
		CHECK(found[i]);
		CHECK_MEM(&found[i]->uuid, uuids[i], sizeof(struct ta_uuid));
		CHECK(!strcmp(found[i]->name, names[i]));
		CHECK(found[i]->invoke);
		for (j = 0; j < i; j++) {
			CHECK(memcmp(uuids[i], uuids[j], sizeof(*uuids[i])));
			CHECK(found[i] != found[j]);
		}
	}
	/* every slot holds a TA, each UUID once, and the walk ends there */
	for (i = 0; i < ta_registry_count(); i++) {
		CHECK(ta_registry_at(i));
		CHECK(ta_registry_find(&ta_registry_at(i)->uuid) ==
		      ta_registry_at(i));
	}
	CHECK(!ta_registry_at(ta_registry_count()));
}

static uint32_t noop_wait(const struct teeq_ta *ta, void *session,
			  struct ta_call *call, uint32_t ms)
{
	struct ta_param params[TEEQ_NUM_PARAMS] = {
		{ .type = TEEQ_PARAM_VALUE_INPUT, .value = { ms, 0 } },
	};

	return ta->invoke(session, call, TEEQ_NOOP_CMD_WAIT,
			  TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT,
					   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE,
					   TEEQ_PARAM_NONE),
			  params);
}

static void check_noop(const struct teeq_ta *ta, void *session)
{
	unsigned char buf[64], copy[64];
	struct ta_param params[TEEQ_NUM_PARAMS] = {
		{ .type = TEEQ_PARAM_VALUE_INOUT, .value = { 1, 2 } },
		{ .type = TEEQ_PARAM_MEMREF_OUTPUT,
		  .memref = { buf, sizeof(buf) } },
		{ .type = TEEQ_PARAM_MEMREF_INOUT, .memref = { buf + 8, 16 } },
		{ .type = TEEQ_PARAM_VALUE_OUTPUT, .value = { 3, 4 } },
	};
	struct ta_param before[TEEQ_NUM_PARAMS];

	memset(buf, 0xa5, sizeof(buf));
	memcpy(copy, buf, sizeof(buf));
	memcpy(before, params, sizeof(params));
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_NOOP,
			    TEEQ_PARAM_TYPES(params[0].type, params[1].type,
					     params[2].type, params[3].type),
			    params),
		 TEEQ_SUCCESS);
	CHECK_MEM(params, before, sizeof(params));
	CHECK_MEM(buf, copy, sizeof(buf));
	/* no parameters at all, and types that describe nothing sane */
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_NOOP, 0, params),
		 TEEQ_SUCCESS);
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_NOOP, 0xffff, params),
		 TEEQ_SUCCESS);
	CHECK_MEM(params, before, sizeof(params));
	CHECK_MEM(buf, copy, sizeof(buf));
}

static void check_wait(const struct teeq_ta *ta, void *session)
{
	struct poll_counter never = { 0, 0 }, soon = { 0, 3 }, now = { 0, 1 };
	struct ta_call call = { .is_cancelled = counting_is_cancelled };
	struct ta_call no_hook = { .is_cancelled = NULL };
	struct ta_param params[TEEQ_NUM_PARAMS] = {
		{ .type = TEEQ_PARAM_VALUE_INPUT, .value = { 5, 0 } },
		{ .type = TEEQ_PARAM_VALUE_INPUT, .value = { 5, 0 } },
	};

	/* nobody can cancel */
	CHECK_EQ(noop_wait(ta, session, NULL, 5), TEEQ_SUCCESS);
	CHECK_EQ(noop_wait(ta, session, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(noop_wait(ta, session, &no_hook, 5), TEEQ_SUCCESS);

	/* a hook that is asked but never cancels */
	call.core = &never;
	CHECK_EQ(noop_wait(ta, session, &call, 5), TEEQ_SUCCESS);
	CHECK(never.polls >= 1);

	/* cancelled on the third poll of a 60 s wait (the longest allowed) */
	call.core = &soon;
	CHECK_EQ(noop_wait(ta, session, &call, 60000), TEEQ_ERROR_CANCEL);
	CHECK_EQ(soon.polls, 3);

	/* already cancelled: even a zero wait reports it */
	call.core = &now;
	CHECK_EQ(noop_wait(ta, session, &call, 0), TEEQ_ERROR_CANCEL);

	/* over the cap, and wrong parameter types */
	CHECK_EQ(noop_wait(ta, session, NULL, 60001),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(noop_wait(ta, session, NULL, UINT32_MAX),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_WAIT,
			    TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INOUT,
					     TEEQ_PARAM_NONE, TEEQ_PARAM_NONE,
					     TEEQ_PARAM_NONE),
			    params),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_WAIT,
			    TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT,
					     TEEQ_PARAM_VALUE_INPUT,
					     TEEQ_PARAM_NONE, TEEQ_PARAM_NONE),
			    params),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ta->invoke(session, NULL, TEEQ_NOOP_CMD_WAIT, 0, params),
		 TEEQ_ERROR_BAD_PARAMETERS);
}

int main(void)
{
	struct ta_param params[TEEQ_NUM_PARAMS] = { { 0 } };
	const struct teeq_ta *ta;
	struct ta_identity who = { TEEQ_LOGIN_PUBLIC, 0, 0, 1 };
	void *session;

	sw_core_init(&t_platform_real);
	check_registry();

	ta = ta_registry_find(&noop_uuid);
	CHECK(ta);
	session = calloc(1, ta->session_size ? ta->session_size : 1);
	CHECK(session);
	if (ta->open_session)
		CHECK_EQ(ta->open_session(session, &who, 0, params),
			 TEEQ_SUCCESS);

	check_noop(ta, session);
	check_wait(ta, session);
	CHECK_EQ(ta->invoke(session, NULL, 2, 0, params),
		 TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(ta->invoke(session, NULL, UINT32_MAX, 0, params),
		 TEEQ_ERROR_NOT_SUPPORTED);

	if (ta->close_session)
		ta->close_session(session);
	free(session);
	return T_PASS;
}
