// SPDX-License-Identifier: MIT
/*
 * storage: GlobalPlatform persistent objects for clients, in the TA's own
 * namespace, through the storage core (secure/storage/storage.h). A
 * session holds up to TEEQ_STORAGE_HANDLES open objects.
 *
 * The commands that may go to the supplicant are blocking_cmds: teeq-sw
 * runs them on call threads, so a slow or dead supplicant holds up no
 * ring worker. Reading, seeking, closing and asking about a handle work
 * on the object's contents in secure memory and never wait.
 *
 * Ids and data are copied out of shared memory once, before use.
 */
#include "secure/core/ta.h"

#include "secure/storage/storage.h"

#include <string.h>

struct ta_storage_session {
	struct storage_obj *objs[TEEQ_STORAGE_HANDLES];
	uint16_t gen[TEEQ_STORAGE_HANDLES];
};

static const struct ta_uuid ta_storage_ns = TEEQ_TA_STORAGE_UUID;

/* A handle the client names: (generation << 8) | (slot + 1). */
static struct storage_obj **ta_storage_slot(struct ta_storage_session *s,
					    uint32_t handle)
{
	uint32_t slot = (handle & 0xff) - 1;

	if (slot >= TEEQ_STORAGE_HANDLES || !s->objs[slot] ||
	    handle >> 8 != s->gen[slot])
		return NULL;
	return &s->objs[slot];
}

/* A free slot's handle for @obj, or 0 when all are taken. */
static uint32_t ta_storage_add(struct ta_storage_session *s,
			       struct storage_obj *obj)
{
	uint32_t i;

	for (i = 0; i < TEEQ_STORAGE_HANDLES; i++) {
		if (s->objs[i])
			continue;
		s->objs[i] = obj;
		s->gen[i] = (uint16_t)(s->gen[i] + 1);
		if (!s->gen[i])
			s->gen[i] = 1;
		return (uint32_t)s->gen[i] << 8 | (i + 1);
	}
	return 0;
}

static int ta_storage_has_room(const struct ta_storage_session *s)
{
	uint32_t i;

	for (i = 0; i < TEEQ_STORAGE_HANDLES; i++)
		if (!s->objs[i])
			return 1;
	return 0;
}

/* The id from shared memory, copied; 0 or BAD_PARAMETERS. */
static uint32_t ta_storage_id(const struct ta_param *p,
			      uint8_t id[TEEQ_STORAGE_ID_MAX], size_t *len)
{
	*len = p->memref.size;
	if (!p->memref.buffer || !*len || *len > TEEQ_STORAGE_ID_MAX)
		return TEEQ_ERROR_BAD_PARAMETERS;
	memcpy(id, p->memref.buffer, *len);
	return TEEQ_SUCCESS;
}

static uint32_t ta_storage_open(struct ta_storage_session *s, int create,
				uint32_t param_types,
				struct ta_param params[TEEQ_NUM_PARAMS])
{
	uint8_t id[TEEQ_STORAGE_ID_MAX];
	struct storage_obj *obj;
	size_t id_len;
	uint32_t res;

	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			   TEEQ_PARAM_VALUE_INPUT,
			   create ? TEEQ_PARAM_MEMREF_INPUT : TEEQ_PARAM_NONE,
			   TEEQ_PARAM_VALUE_OUTPUT))
		return TEEQ_ERROR_BAD_PARAMETERS;
	res = ta_storage_id(&params[0], id, &id_len);
	if (res)
		return res;
	if (create && params[2].memref.size && !params[2].memref.buffer)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_storage_has_room(s))
		return TEEQ_ERROR_OUT_OF_MEMORY;
	if (create)
		/* the core copies the data once, before it seals it */
		res = storage_create(&ta_storage_ns, id, id_len,
				     params[1].value.a, NULL, 0,
				     params[2].memref.buffer,
				     params[2].memref.size, &obj);
	else
		res = storage_open(&ta_storage_ns, id, id_len,
				   params[1].value.a, &obj);
	if (res)
		return res;
	params[3].value.a = ta_storage_add(s, obj);
	params[3].value.b = 0;
	return TEEQ_SUCCESS;
}

static uint32_t ta_storage_list(uint32_t param_types,
				struct ta_param params[TEEQ_NUM_PARAMS])
{
	uint8_t id[STORAGE_ID_MAX];
	unsigned char *out = params[0].memref.buffer;
	size_t cap = params[0].memref.size, need = 0, id_len;
	struct storage_enum *e;
	uint32_t res, count = 0;

	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_OUTPUT,
			   TEEQ_PARAM_VALUE_OUTPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	res = storage_enum_start(&ta_storage_ns, &e);
	if (res == TEEQ_ERROR_ITEM_NOT_FOUND)
		res = TEEQ_SUCCESS; /* none: an empty list */
	else if (res)
		return res;
	else {
		while (!storage_enum_next(e, id, &id_len, NULL)) {
			if (out && need + 1 + id_len <= cap) {
				out[need] = (uint8_t)id_len;
				memcpy(out + need + 1, id, id_len);
			}
			need += 1 + id_len;
			count++;
		}
		storage_enum_free(e);
	}
	params[0].memref.size = need;
	params[1].value.a = count;
	params[1].value.b = 0;
	return need > cap || (need && !out) ? TEEQ_ERROR_SHORT_BUFFER :
					      TEEQ_SUCCESS;
}

/* The commands on one open handle (p0 a). */
static uint32_t ta_storage_on_handle(struct ta_storage_session *s, uint32_t cmd,
				     uint32_t param_types,
				     struct ta_param params[TEEQ_NUM_PARAMS])
{
	unsigned int t1 = TEEQ_PARAM_NONE, t2 = TEEQ_PARAM_NONE;
	struct storage_obj **slot;
	struct storage_info info;
	uint8_t id[TEEQ_STORAGE_ID_MAX];
	size_t n, id_len;
	uint64_t pos;
	uint32_t res;

	switch (cmd) {
	case TEEQ_STORAGE_CMD_READ:
		t1 = TEEQ_PARAM_MEMREF_OUTPUT;
		break;
	case TEEQ_STORAGE_CMD_WRITE:
	case TEEQ_STORAGE_CMD_RENAME:
		t1 = TEEQ_PARAM_MEMREF_INPUT;
		break;
	case TEEQ_STORAGE_CMD_SEEK:
		t1 = TEEQ_PARAM_VALUE_INPUT;
		t2 = TEEQ_PARAM_VALUE_OUTPUT;
		break;
	case TEEQ_STORAGE_CMD_INFO:
		t1 = TEEQ_PARAM_VALUE_OUTPUT;
		t2 = TEEQ_PARAM_VALUE_OUTPUT;
		break;
	}
	if (!ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT, t1, t2,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	slot = ta_storage_slot(s, params[0].value.a);
	if (!slot)
		return TEEQ_ERROR_BAD_PARAMETERS;

	switch (cmd) {
	case TEEQ_STORAGE_CMD_CLOSE:
		storage_close(*slot);
		*slot = NULL;
		return TEEQ_SUCCESS;
	case TEEQ_STORAGE_CMD_READ:
		if (params[1].memref.size && !params[1].memref.buffer)
			return TEEQ_ERROR_BAD_PARAMETERS;
		res = storage_read(*slot, params[1].memref.buffer,
				   params[1].memref.size, &n);
		params[1].memref.size = res ? 0 : n;
		return res;
	case TEEQ_STORAGE_CMD_WRITE:
		if (params[1].memref.size && !params[1].memref.buffer)
			return TEEQ_ERROR_BAD_PARAMETERS;
		return storage_write(*slot, params[1].memref.buffer,
				     params[1].memref.size);
	case TEEQ_STORAGE_CMD_SEEK:
		res = storage_seek(*slot,
				   (int64_t)((uint64_t)params[1].value.b << 32 |
					     params[1].value.a),
				   params[0].value.b, &pos);
		params[2].value.a = res ? 0 : (uint32_t)pos;
		params[2].value.b = res ? 0 : (uint32_t)(pos >> 32);
		return res;
	case TEEQ_STORAGE_CMD_TRUNCATE:
		return storage_truncate(*slot, params[0].value.b);
	case TEEQ_STORAGE_CMD_RENAME:
		res = ta_storage_id(&params[1], id, &id_len);
		return res ? res : storage_rename(*slot, id, id_len);
	case TEEQ_STORAGE_CMD_DELETE:
		res = storage_delete(*slot);
		if (!res)
			*slot = NULL; /* closed with it */
		return res;
	case TEEQ_STORAGE_CMD_INFO:
		res = storage_info(*slot, &info);
		if (res)
			return res;
		params[1].value.a = (uint32_t)info.data_size;
		params[1].value.b = (uint32_t)info.position;
		params[2].value.a = info.flags;
		params[2].value.b = 0;
		return TEEQ_SUCCESS;
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static uint32_t ta_storage_invoke(void *session, struct ta_call *call,
				  uint32_t cmd, uint32_t param_types,
				  struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_storage_session *s = session;

	(void)call;
	switch (cmd) {
	case TEEQ_STORAGE_CMD_CREATE:
		return ta_storage_open(s, 1, param_types, params);
	case TEEQ_STORAGE_CMD_OPEN:
		return ta_storage_open(s, 0, param_types, params);
	case TEEQ_STORAGE_CMD_LIST:
		return ta_storage_list(param_types, params);
	case TEEQ_STORAGE_CMD_CLOSE:
	case TEEQ_STORAGE_CMD_READ:
	case TEEQ_STORAGE_CMD_WRITE:
	case TEEQ_STORAGE_CMD_SEEK:
	case TEEQ_STORAGE_CMD_TRUNCATE:
	case TEEQ_STORAGE_CMD_RENAME:
	case TEEQ_STORAGE_CMD_DELETE:
	case TEEQ_STORAGE_CMD_INFO:
		return ta_storage_on_handle(s, cmd, param_types, params);
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static void ta_storage_close_session(void *session)
{
	struct ta_storage_session *s = session;
	uint32_t i;

	for (i = 0; i < TEEQ_STORAGE_HANDLES; i++)
		storage_close(s->objs[i]);
}

static const struct teeq_ta ta_storage = {
	.name = "storage",
	.uuid = TEEQ_TA_STORAGE_UUID,
	.session_size = sizeof(struct ta_storage_session),
	.close_session = ta_storage_close_session,
	.invoke = ta_storage_invoke,
	/* these may wait for the supplicant */
	.blocking_cmds =
		1ull << TEEQ_STORAGE_CMD_CREATE |
		1ull << TEEQ_STORAGE_CMD_OPEN | 1ull << TEEQ_STORAGE_CMD_WRITE |
		1ull << TEEQ_STORAGE_CMD_TRUNCATE |
		1ull << TEEQ_STORAGE_CMD_RENAME |
		1ull << TEEQ_STORAGE_CMD_DELETE | 1ull << TEEQ_STORAGE_CMD_LIST,
};
TEEQ_TA_REGISTER(ta_storage);
