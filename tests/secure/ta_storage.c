// SPDX-License-Identifier: MIT
/*
 * The storage TA's commands, called directly over the storage core in
 * process: wrong parameter types, a null or empty or too long id, a
 * handle never given, closed, or of another session are BAD_PARAMETERS;
 * an unknown command NOT_SUPPORTED; a session holds at most
 * TEEQ_STORAGE_HANDLES handles (OUT_OF_MEMORY beyond, and closing one
 * makes room); READ sets the output size; SEEK takes and gives 64-bit
 * positions in two halves; LIST returns length-prefixed ids and answers
 * SHORT_BUFFER with the size it needs; closing the session closes its
 * handles (the object opens exclusively again). The commands that may
 * reach the supplicant are exactly the TA's blocking ones.
 */
#include "tests/secure/storage_fixture.h"

static struct core_fixture fx;
static const struct teeq_ta *ta;

#define T_NONE TEEQ_PARAM_NONE
#define T_VIN TEEQ_PARAM_VALUE_INPUT
#define T_VOUT TEEQ_PARAM_VALUE_OUTPUT
#define T_MIN TEEQ_PARAM_MEMREF_INPUT
#define T_MOUT TEEQ_PARAM_MEMREF_OUTPUT

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

static uint32_t call(void *s, uint32_t cmd, struct ta_param *p)
{
	return ta->invoke(s, NULL, cmd,
			  TEEQ_PARAM_TYPES(p[0].type, p[1].type, p[2].type,
					   p[3].type),
			  p);
}

static uint32_t create(void *s, const char *id, uint32_t flags,
		       uint32_t *handle)
{
	struct ta_param p[4] = { mem(T_MIN, (void *)id, strlen(id)),
				 val(T_VIN, flags, 0), mem(T_MIN, "data", 4),
				 val(T_VOUT, 0, 0) };
	uint32_t res = call(s, TEEQ_STORAGE_CMD_CREATE, p);

	*handle = p[3].value.a;
	return res;
}

static uint32_t on_handle(void *s, uint32_t cmd, uint32_t h, uint32_t b)
{
	struct ta_param p[4] = { val(T_VIN, h, b) };

	return call(s, cmd, p);
}

int main(void)
{
	static const struct ta_uuid uuid = TEEQ_TA_STORAGE_UUID;
	uint32_t h, hs[TEEQ_STORAGE_HANDLES], extra;
	unsigned char out[64];
	char long_id[TEEQ_STORAGE_ID_MAX + 2];
	void *s1, *s2;
	int i;

	core_init(&fx, 4096);
	ta = ta_registry_find(&uuid);
	CHECK(ta);
	CHECK(!strcmp(ta->name, "storage"));
	s1 = calloc(1, ta->session_size);
	s2 = calloc(1, ta->session_size);
	CHECK(s1 && s2);
	/* blocking: exactly what may reach the supplicant */
	for (i = 0; i < 64; i++)
		CHECK_EQ(ta_cmd_blocks(ta, (uint32_t)i),
			 i == TEEQ_STORAGE_CMD_CREATE ||
				 i == TEEQ_STORAGE_CMD_OPEN ||
				 i == TEEQ_STORAGE_CMD_WRITE ||
				 i == TEEQ_STORAGE_CMD_TRUNCATE ||
				 i == TEEQ_STORAGE_CMD_RENAME ||
				 i == TEEQ_STORAGE_CMD_DELETE ||
				 i == TEEQ_STORAGE_CMD_LIST);

	/* ids */
	memset(long_id, 'x', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = 0;
	CHECK_EQ(create(s1, long_id, 0, &h), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(create(s1, "", 0, &h), TEEQ_ERROR_BAD_PARAMETERS);
	{
		struct ta_param p[4] = { mem(T_MIN, NULL, 4), val(T_VIN, 0, 0),
					 mem(T_MIN, NULL, 0),
					 val(T_VOUT, 0, 0) };

		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_CREATE, p),
			 TEEQ_ERROR_BAD_PARAMETERS);
		/* wrong types */
		p[0] = mem(T_MIN, "id", 2);
		p[3] = val(T_VIN, 0, 0);
		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_CREATE, p),
			 TEEQ_ERROR_BAD_PARAMETERS);
		p[3] = val(T_VOUT, 0, 0);
		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_OPEN, p),
			 TEEQ_ERROR_BAD_PARAMETERS);
	}
	CHECK_EQ(on_handle(s1, 77, 1, 0), TEEQ_ERROR_NOT_SUPPORTED);

	/* handles */
	CHECK_EQ(create(s1, "obj",
			TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_ACCESS_WRITE,
			&h),
		 TEEQ_SUCCESS);
	CHECK(h != 0);
	CHECK_EQ(on_handle(s2, TEEQ_STORAGE_CMD_CLOSE, h, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(on_handle(s1, TEEQ_STORAGE_CMD_CLOSE, h + 0x100, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(on_handle(s1, TEEQ_STORAGE_CMD_CLOSE, 0, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);
	{
		struct ta_param p[4] = { val(T_VIN, h, 0),
					 mem(T_MOUT, out, sizeof(out)) };

		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_READ, p), TEEQ_SUCCESS);
		CHECK_EQ(p[1].memref.size, 4);
		CHECK_MEM(out, "data", 4);
		/* seek: -2 from the end, as two halves */
		p[1] = val(T_VIN, (uint32_t)-2, 0xffffffff);
		p[2] = val(T_VOUT, 0, 0);
		p[0].value.b = TEEQ_STORAGE_SEEK_END;
		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_SEEK, p), TEEQ_SUCCESS);
		CHECK_EQ(p[2].value.a, 2);
		CHECK_EQ(p[2].value.b, 0);
		/* info */
		p[1] = val(T_VOUT, 0, 0);
		p[2] = val(T_VOUT, 0, 0);
		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_INFO, p), TEEQ_SUCCESS);
		CHECK_EQ(p[1].value.a, 4);
		CHECK_EQ(p[1].value.b, 2);
		CHECK_EQ(p[2].value.a,
			 TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_ACCESS_WRITE);
	}
	CHECK_EQ(on_handle(s1, TEEQ_STORAGE_CMD_CLOSE, h, 0), TEEQ_SUCCESS);
	CHECK_EQ(on_handle(s1, TEEQ_STORAGE_CMD_CLOSE, h, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);

	/* the handle table */
	for (i = 0; i < TEEQ_STORAGE_HANDLES; i++) {
		struct ta_param p[4] = { mem(T_MIN, "obj", 3),
					 val(T_VIN,
					     TEEQ_STORAGE_ACCESS_READ |
						     TEEQ_STORAGE_SHARE_READ,
					     0),
					 val(T_NONE, 0, 0), val(T_VOUT, 0, 0) };

		CHECK_EQ(call(s1, TEEQ_STORAGE_CMD_OPEN, p), TEEQ_SUCCESS);
		hs[i] = p[3].value.a;
	}
	CHECK_EQ(create(s1, "more", 0, &extra), TEEQ_ERROR_OUT_OF_MEMORY);
	CHECK_EQ(on_handle(s1, TEEQ_STORAGE_CMD_CLOSE, hs[5], 0), TEEQ_SUCCESS);
	CHECK_EQ(create(s1, "more", 0, &extra), TEEQ_SUCCESS);
	CHECK(extra != hs[5]); /* a new generation in the same slot */
	/* another session cannot open it exclusively meanwhile */
	CHECK_EQ(create(s2, "obj", TEEQ_STORAGE_OVERWRITE, &h),
		 TEEQ_ERROR_ACCESS_CONFLICT);
	/* closing the session closes them all */
	ta->close_session(s1);
	memset(s1, 0, ta->session_size);
	CHECK_EQ(create(s2, "obj",
			TEEQ_STORAGE_OVERWRITE | TEEQ_STORAGE_ACCESS_WRITE_META,
			&h),
		 TEEQ_SUCCESS);
	CHECK_EQ(on_handle(s2, TEEQ_STORAGE_CMD_DELETE, h, 0), TEEQ_SUCCESS);
	CHECK_EQ(on_handle(s2, TEEQ_STORAGE_CMD_CLOSE, h, 0),
		 TEEQ_ERROR_BAD_PARAMETERS); /* closed by the delete */

	/* list: "more" alone now */
	{
		struct ta_param p[4] = { mem(T_MOUT, out, 2),
					 val(T_VOUT, 0, 0) };

		CHECK_EQ(call(s2, TEEQ_STORAGE_CMD_LIST, p),
			 TEEQ_ERROR_SHORT_BUFFER);
		CHECK_EQ(p[0].memref.size, 5);
		p[0] = mem(T_MOUT, out, sizeof(out));
		CHECK_EQ(call(s2, TEEQ_STORAGE_CMD_LIST, p), TEEQ_SUCCESS);
		CHECK_EQ(p[0].memref.size, 5);
		CHECK_EQ(p[1].value.a, 1);
		CHECK_EQ(out[0], 4);
		CHECK_MEM(out + 1, "more", 4);
	}
	ta->close_session(s2);
	free(s1);
	free(s2);
	core_fini(&fx);
	return T_PASS;
}
