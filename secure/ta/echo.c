// SPDX-License-Identifier: MIT
/*
 * echo: parameter plumbing. Values out and back, a buffer copied, a buffer
 * changed in place, and the client's identity as the secure world saw it
 * at open_session.
 */
#include "secure/core/ta.h"

#include <string.h>

struct ta_echo_session {
	struct ta_identity who;
};

/* A memref window that may be read or written: a null memref is usable
 * only as an empty one. */
static int ta_echo_window_ok(const struct ta_param *param)
{
	return param->memref.buffer || !param->memref.size;
}

static uint32_t ta_echo_values(uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	uint32_t a, b;

	if (!ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT,
			   TEEQ_PARAM_VALUE_OUTPUT, TEEQ_PARAM_VALUE_INOUT,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	a = params[0].value.a;
	b = params[0].value.b;
	params[1].value.a = a;
	params[1].value.b = b;
	params[2].value.a += a;
	params[2].value.b += b;
	return TEEQ_SUCCESS;
}

static uint32_t ta_echo_copy(uint32_t param_types,
			     struct ta_param params[TEEQ_NUM_PARAMS])
{
	size_t len, room;

	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			   TEEQ_PARAM_MEMREF_OUTPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_echo_window_ok(&params[0]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	len = params[0].memref.size;
	/* a null output memref asks for the needed size */
	room = params[1].memref.buffer ? params[1].memref.size : 0;
	params[1].memref.size = len;
	if (room < len)
		return TEEQ_ERROR_SHORT_BUFFER;
	/* the client may hand in overlapping windows */
	if (len)
		memmove(params[1].memref.buffer, params[0].memref.buffer, len);
	return TEEQ_SUCCESS;
}

static uint32_t ta_echo_invert(uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	unsigned char *buf;
	size_t i, len;

	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INOUT,
			   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE, TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_echo_window_ok(&params[0]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	buf = params[0].memref.buffer;
	len = params[0].memref.size;
	for (i = 0; i < len; i++)
		buf[i] ^= 0xff;
	return TEEQ_SUCCESS;
}

static uint32_t ta_echo_identity(struct ta_echo_session *s,
				 uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS])
{
	if (!ta_params_are(param_types, TEEQ_PARAM_VALUE_OUTPUT,
			   TEEQ_PARAM_VALUE_OUTPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	params[0].value.a = s->who.login;
	params[0].value.b = s->who.uid;
	params[1].value.a = s->who.gid;
	params[1].value.b = s->who.pid;
	return TEEQ_SUCCESS;
}

static uint32_t ta_echo_open_session(void *session,
				     const struct ta_identity *who,
				     uint32_t param_types,
				     struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_echo_session *s = session;

	(void)param_types;
	(void)params;
	if (who)
		s->who = *who;
	return TEEQ_SUCCESS;
}

static uint32_t ta_echo_invoke(void *session, struct ta_call *call,
			       uint32_t cmd, uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	(void)call;

	switch (cmd) {
	case TEEQ_ECHO_CMD_VALUES:
		return ta_echo_values(param_types, params);
	case TEEQ_ECHO_CMD_COPY:
		return ta_echo_copy(param_types, params);
	case TEEQ_ECHO_CMD_INVERT:
		return ta_echo_invert(param_types, params);
	case TEEQ_ECHO_CMD_IDENTITY:
		return ta_echo_identity(session, param_types, params);
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static const struct teeq_ta ta_echo = {
	.name = "echo",
	.uuid = TEEQ_TA_ECHO_UUID,
	.session_size = sizeof(struct ta_echo_session),
	.open_session = ta_echo_open_session,
	.invoke = ta_echo_invoke,
};
TEEQ_TA_REGISTER(ta_echo);
