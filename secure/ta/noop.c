// SPDX-License-Identifier: MIT
/*
 * noop: the latency probe. CMD_NOOP returns at once and touches nothing,
 * so a round trip measures the transport alone; CMD_WAIT holds the call
 * open to exercise cancellation.
 */
#include "secure/core/ta.h"

/* Longest CMD_WAIT: a call parked for minutes is a bug, not a probe. */
#define TA_NOOP_WAIT_MAX_MS 60000u

static uint32_t ta_noop_wait(struct ta_call *call, uint32_t param_types,
			     struct ta_param params[TEEQ_NUM_PARAMS])
{
	uint32_t ms;

	if (!ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	ms = params[0].value.a;
	if (ms > TA_NOOP_WAIT_MAX_MS)
		return TEEQ_ERROR_BAD_PARAMETERS;
	return ta_wait(call, ms);
}

static uint32_t ta_noop_invoke(void *session, struct ta_call *call,
			       uint32_t cmd, uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	(void)session;

	switch (cmd) {
	case TEEQ_NOOP_CMD_NOOP:
		return TEEQ_SUCCESS;
	case TEEQ_NOOP_CMD_WAIT:
		return ta_noop_wait(call, param_types, params);
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static const struct teeq_ta ta_noop = {
	.name = "noop",
	.blocking_cmds = 1ull << TEEQ_NOOP_CMD_WAIT,
	.uuid = TEEQ_TA_NOOP_UUID,
	.session_size = 0,
	.invoke = ta_noop_invoke,
};
TEEQ_TA_REGISTER(ta_noop);
