// SPDX-License-Identifier: MIT
/*
 * echo: VALUES copies p0 to p1 and adds it to p2 (mod 2^32); COPY copies
 * exactly the source, sets the output size and answers SHORT_BUFFER with
 * the needed size, writing nothing, when the output is too small (a null
 * output counts as no room); INVERT flips every byte in place; IDENTITY
 * returns what open_session was given, per session. Wrong parameter types
 * are BAD_PARAMETERS, unknown commands NOT_SUPPORTED.
 */
#include "secure/core/ta.h"
#include "tests/check.h"

#define T_NONE TEEQ_PARAM_NONE
#define T_VIN TEEQ_PARAM_VALUE_INPUT
#define T_VOUT TEEQ_PARAM_VALUE_OUTPUT
#define T_VINOUT TEEQ_PARAM_VALUE_INOUT
#define T_MIN TEEQ_PARAM_MEMREF_INPUT
#define T_MOUT TEEQ_PARAM_MEMREF_OUTPUT
#define T_MINOUT TEEQ_PARAM_MEMREF_INOUT

static const struct ta_uuid echo_uuid = TEEQ_TA_ECHO_UUID;
static const struct teeq_ta *ta;

static struct ta_param val(unsigned int type, uint32_t a, uint32_t b)
{
	struct ta_param p = { .type = type, .value = { a, b } };

	return p;
}

static struct ta_param mem(unsigned int type, void *buffer, size_t size)
{
	struct ta_param p = { .type = type, .memref = { buffer, size } };

	return p;
}

/* Invokes with the types the parameters carry. */
static uint32_t call(void *session, uint32_t cmd, struct ta_param *p)
{
	return ta->invoke(session, NULL, cmd,
			  TEEQ_PARAM_TYPES(p[0].type, p[1].type, p[2].type,
					   p[3].type),
			  p);
}

static void *open_as(const struct ta_identity *who)
{
	struct ta_param none[TEEQ_NUM_PARAMS] = { { 0 } };
	void *session = calloc(1, ta->session_size ? ta->session_size : 1);

	CHECK(session);
	if (ta->open_session)
		CHECK_EQ(ta->open_session(session, who, 0, none), TEEQ_SUCCESS);
	return session;
}

static void close_it(void *session)
{
	if (ta->close_session)
		ta->close_session(session);
	free(session);
}

static void check_values(void *s)
{
	struct ta_param p[4] = { val(T_VIN, 7, 0xffffffff),
				 val(T_VOUT, 0xdead, 0xbeef),
				 val(T_VINOUT, 10, 2), val(T_NONE, 0, 0) };

	CHECK_EQ(call(s, TEEQ_ECHO_CMD_VALUES, p), TEEQ_SUCCESS);
	CHECK_EQ(p[0].value.a, 7);
	CHECK_EQ(p[0].value.b, 0xffffffff);
	CHECK_EQ(p[1].value.a, 7);
	CHECK_EQ(p[1].value.b, 0xffffffff);
	CHECK_EQ(p[2].value.a, 17);
	CHECK_EQ(p[2].value.b, 1); /* 2 + 0xffffffff wraps */

	p[2].type = T_VOUT;
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_VALUES, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[2].type = T_VINOUT;
	p[3].type = T_VIN;
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_VALUES, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[3].type = T_NONE;
	p[1].type = T_VINOUT;
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_VALUES, p), TEEQ_ERROR_BAD_PARAMETERS);
	/* nothing changed by the refused calls */
	CHECK_EQ(p[2].value.a, 17);
	CHECK_EQ(p[2].value.b, 1);
}

static void check_copy(void *s)
{
	unsigned char src[100], dst[128], expect[128];
	struct ta_param p[4];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	memset(dst, 0xee, sizeof(dst));
	memcpy(expect, src, sizeof(src));
	memset(expect + sizeof(src), 0xee, sizeof(dst) - sizeof(src));

	/* larger output: exactly the source, size := source size */
	p[0] = mem(T_MIN, src, sizeof(src));
	p[1] = mem(T_MOUT, dst, sizeof(dst));
	p[2] = p[3] = val(T_NONE, 0, 0);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_SUCCESS);
	CHECK_EQ(p[1].memref.size, sizeof(src));
	CHECK_MEM(dst, expect, sizeof(dst));

	/* one byte short: the needed size, nothing written */
	memset(dst, 0xee, sizeof(dst));
	p[1] = mem(T_MOUT, dst, sizeof(src) - 1);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].memref.size, sizeof(src));
	for (i = 0; i < sizeof(dst); i++)
		CHECK_EQ(dst[i], 0xee);

	/* a null output asks for the size, whatever size it claims */
	p[1] = mem(T_MOUT, NULL, 0);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].memref.size, sizeof(src));
	p[1] = mem(T_MOUT, NULL, 4096);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].memref.size, sizeof(src));

	/* exact fit, and the same window as source and destination */
	p[1] = mem(T_MOUT, dst, sizeof(src));
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_SUCCESS);
	CHECK_MEM(dst, src, sizeof(src));
	p[0] = mem(T_MIN, dst, sizeof(src));
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_SUCCESS);
	CHECK_MEM(dst, src, sizeof(src));

	/* empty source (null memref): size 0, output untouched */
	memset(dst, 0xee, sizeof(dst));
	p[0] = mem(T_MIN, NULL, 0);
	p[1] = mem(T_MOUT, dst, sizeof(dst));
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_SUCCESS);
	CHECK_EQ(p[1].memref.size, 0);
	CHECK_EQ(dst[0], 0xee);
	/* a null source claiming bytes */
	p[0] = mem(T_MIN, NULL, 5);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_BAD_PARAMETERS);

	/* wrong types */
	p[0] = mem(T_MIN, src, sizeof(src));
	p[1] = mem(T_MINOUT, dst, sizeof(dst));
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[1] = mem(T_MOUT, dst, sizeof(dst));
	p[2] = mem(T_MIN, src, 1);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_COPY, p), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(p[1].memref.size, sizeof(dst));
}

static void check_invert(void *s)
{
	unsigned char buf[257], orig[257];
	struct ta_param p[4];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = orig[i] = (unsigned char)i;
	p[0] = mem(T_MINOUT, buf, sizeof(buf));
	p[1] = p[2] = p[3] = val(T_NONE, 0, 0);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_SUCCESS);
	CHECK_EQ(p[0].memref.size, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], orig[i] ^ 0xff);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_SUCCESS);
	CHECK_MEM(buf, orig, sizeof(buf));

	/* a window inside the buffer: only it changes */
	p[0] = mem(T_MINOUT, buf + 10, 5);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_SUCCESS);
	for (i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], i >= 10 && i < 15 ? orig[i] ^ 0xff : orig[i]);

	p[0] = mem(T_MINOUT, NULL, 0);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_SUCCESS);
	p[0] = mem(T_MINOUT, NULL, 3);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[0] = mem(T_MIN, buf, sizeof(buf));
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[0] = mem(T_MINOUT, buf, sizeof(buf));
	p[1] = mem(T_MINOUT, buf, 1);
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_INVERT, p), TEEQ_ERROR_BAD_PARAMETERS);
	for (i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], i >= 10 && i < 15 ? orig[i] ^ 0xff : orig[i]);
}

static void check_identity(void *s, const struct ta_identity *who)
{
	struct ta_param p[4] = { val(T_VOUT, 0, 0), val(T_VOUT, 0, 0),
				 val(T_NONE, 0, 0), val(T_NONE, 0, 0) };

	CHECK_EQ(call(s, TEEQ_ECHO_CMD_IDENTITY, p), TEEQ_SUCCESS);
	CHECK_EQ(p[0].value.a, who->login);
	CHECK_EQ(p[0].value.b, who->uid);
	CHECK_EQ(p[1].value.a, who->gid);
	CHECK_EQ(p[1].value.b, who->pid);

	p[1].type = T_VINOUT;
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_IDENTITY, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[1].type = T_VOUT;
	p[2].type = T_VOUT;
	CHECK_EQ(call(s, TEEQ_ECHO_CMD_IDENTITY, p), TEEQ_ERROR_BAD_PARAMETERS);
}

int main(void)
{
	const struct ta_identity alice = { TEEQ_LOGIN_USER_APPLICATION, 1000,
					   100, 4242 };
	const struct ta_identity bob = { TEEQ_LOGIN_GROUP, 2000, 200, 77 };
	struct ta_param p[4] = { { 0 } };
	void *s1, *s2;

	ta = ta_registry_find(&echo_uuid);
	CHECK(ta);
	s1 = open_as(&alice);
	s2 = open_as(&bob);

	check_values(s1);
	check_copy(s1);
	check_invert(s1);
	check_identity(s1, &alice);
	check_identity(s2, &bob);

	CHECK_EQ(ta->invoke(s1, NULL, 4, 0, p), TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(ta->invoke(s1, NULL, UINT32_MAX, 0, p),
		 TEEQ_ERROR_NOT_SUPPORTED);

	close_it(s1);
	close_it(s2);
	return T_PASS;
}
