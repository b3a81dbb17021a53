// SPDX-License-Identifier: MIT
/*
 * A loaded TA's persistent objects (uapi/teeq_ta_proc.h, STORAGE): its
 * requests, read once and checked, carried out by the storage core in the
 * TA's own namespace (its UUID, which the TA cannot choose), and the
 * handles it holds: indices into a table of its instance's, of the kind
 * asked for, so a forged one is refused, and all closed when the process
 * ends.
 */
#include "secure/loaded/ta_proc.h"

#include "secure/storage/storage.h"
#include "uapi/teeq_ta_proc.h"

#include <stdlib.h>
#include <string.h>

/* GP's TEE_DATA_FLAG_* that a TA may ask for, the storage core's values */
#define TA_STORAGE_FLAGS                                  \
	(STORAGE_ACCESS_READ | STORAGE_ACCESS_WRITE |     \
	 STORAGE_ACCESS_WRITE_META | STORAGE_SHARE_READ | \
	 STORAGE_SHARE_WRITE | STORAGE_OVERWRITE)

/* A handle of @kind (0: an object, 1: an enumerator), or NULL. */
static struct ta_storage_slot *ta_storage_slot(struct ta_storage *t,
					       uint32_t handle, int kind)
{
	struct ta_storage_slot *s;

	if (!handle || handle > TA_STORAGE_HANDLES)
		return NULL;
	s = &t->slots[handle - 1];
	return (kind ? s->en != NULL : s->obj != NULL) ? s : NULL;
}

/* A free handle, or 0. */
static uint32_t ta_storage_free_slot(struct ta_storage *t)
{
	uint32_t i;

	for (i = 0; i < TA_STORAGE_HANDLES; i++)
		if (!t->slots[i].obj && !t->slots[i].en)
			return i + 1;
	return 0;
}

static uint32_t ta_storage_info(struct storage_obj *obj,
				struct teeq_ta_proc_storage_reply *r)
{
	struct storage_info info;
	uint32_t ret = storage_info(obj, &info);

	if (!ret) {
		r->data_size = info.data_size;
		r->position = info.position;
		r->flags = info.flags;
	}
	return ret;
}

/* The metadata of an open object into the reply's data. */
static uint32_t ta_storage_meta(struct storage_obj *obj,
				struct teeq_ta_proc_storage_reply *r)
{
	size_t len = TEEQ_TA_STORAGE_META_MAX;
	uint32_t ret = storage_meta(obj, r->data, &len);

	if (!ret)
		r->meta_len = (uint32_t)len;
	return ret;
}

static uint32_t ta_storage_open(struct ta_storage *t, const struct ta_uuid *ns,
				const struct teeq_ta_proc_storage *q,
				struct teeq_ta_proc_storage_reply *r)
{
	uint32_t h = ta_storage_free_slot(t), ret;
	struct storage_obj *obj = NULL;

	if (!h)
		return TEEQ_ERROR_OUT_OF_MEMORY;
	if (q->op == TEEQ_TA_STORAGE_CREATE)
		ret = storage_create(
			ns, q->data, q->id_len, q->flags, q->data + q->id_len,
			q->meta_len, q->data + q->id_len + q->meta_len,
			q->hdr.len - sizeof(*q) - q->id_len - q->meta_len,
			&obj);
	else
		ret = storage_open(ns, q->data, q->id_len, q->flags, &obj);
	if (ret)
		return ret;
	ret = ta_storage_info(obj, r);
	if (!ret && q->op == TEEQ_TA_STORAGE_OPEN)
		ret = ta_storage_meta(obj, r);
	if (ret) {
		storage_close(obj);
		return ret;
	}
	t->slots[h - 1].obj = obj;
	r->handle = h;
	return TEEQ_SUCCESS;
}

/* The next object: its id, sizes and (when it can be opened without
 * access, sharing everything, which conflicts with nothing but a
 * metadata writer) metadata. */
static uint32_t ta_storage_enum_next(const struct ta_uuid *ns,
				     struct ta_storage_slot *s,
				     struct teeq_ta_proc_storage_reply *r)
{
	uint8_t id[STORAGE_ID_MAX];
	struct storage_info info;
	struct storage_obj *obj;
	size_t id_len = 0;
	uint32_t ret;

	ret = storage_enum_next(s->en, id, &id_len, &info);
	if (ret)
		return ret;
	r->data_size = info.data_size;
	if (!storage_open(ns, id, id_len,
			  STORAGE_SHARE_READ | STORAGE_SHARE_WRITE, &obj)) {
		if (ta_storage_meta(obj, r))
			r->meta_len = 0;
		storage_close(obj);
	}
	memcpy(r->data + r->meta_len, id, id_len);
	r->id_len = (uint32_t)id_len;
	return TEEQ_SUCCESS;
}

/* The request's layout; 0 or TEEQ_ERROR_BAD_PARAMETERS. */
static uint32_t ta_storage_check(const struct teeq_ta_proc_storage *q)
{
	size_t data = q->hdr.len - sizeof(*q);
	int named = q->op == TEEQ_TA_STORAGE_CREATE ||
		    q->op == TEEQ_TA_STORAGE_OPEN ||
		    q->op == TEEQ_TA_STORAGE_RENAME;

	if (q->reserved || !q->op || q->op > TEEQ_TA_STORAGE_OP_MAX)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (named && (!q->id_len || q->id_len > TEEQ_TA_STORAGE_ID_MAX ||
		      q->id_len > data))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!named && q->id_len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (q->op != TEEQ_TA_STORAGE_CREATE && q->meta_len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (q->meta_len > TEEQ_TA_STORAGE_META_MAX ||
	    q->meta_len > data - q->id_len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if ((q->op == TEEQ_TA_STORAGE_CREATE ||
	     q->op == TEEQ_TA_STORAGE_OPEN) &&
	    (q->flags & ~TA_STORAGE_FLAGS))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (q->op == TEEQ_TA_STORAGE_OPEN && (q->flags & STORAGE_OVERWRITE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	return 0;
}

void ta_storage_serve(struct ta_storage *t, const struct ta_uuid *ns,
		      const struct teeq_ta_proc_storage *q,
		      struct teeq_ta_proc_storage_reply *r)
{
	struct ta_storage_slot *s = NULL;
	size_t count = 0;
	uint32_t ret;

	memset(r, 0, sizeof(*r));
	ret = ta_storage_check(q);
	if (ret)
		goto out;
	if (q->op != TEEQ_TA_STORAGE_CREATE && q->op != TEEQ_TA_STORAGE_OPEN &&
	    q->op != TEEQ_TA_STORAGE_ENUM_START) {
		int en = q->op >= TEEQ_TA_STORAGE_ENUM_NEXT;

		s = ta_storage_slot(t, q->handle, en);
		if (!s) {
			ret = TEEQ_ERROR_BAD_PARAMETERS;
			goto out;
		}
	}
	switch (q->op) {
	case TEEQ_TA_STORAGE_CREATE:
	case TEEQ_TA_STORAGE_OPEN:
		ret = ta_storage_open(t, ns, q, r);
		break;
	case TEEQ_TA_STORAGE_CLOSE:
		storage_close(s->obj);
		s->obj = NULL;
		break;
	case TEEQ_TA_STORAGE_READ:
		ret = storage_read(s->obj, r->data,
				   q->size < TEEQ_TA_STORAGE_DATA_MAX ?
					   (size_t)q->size :
					   TEEQ_TA_STORAGE_DATA_MAX,
				   &count);
		if (!ret)
			ret = ta_storage_info(s->obj, r);
		break;
	case TEEQ_TA_STORAGE_WRITE:
		if (q->hdr.len - sizeof(*q) > TEEQ_TA_STORAGE_DATA_MAX)
			ret = TEEQ_ERROR_BAD_PARAMETERS;
		else
			ret = storage_write(s->obj, q->data,
					    q->hdr.len - sizeof(*q));
		break;
	case TEEQ_TA_STORAGE_SEEK:
		ret = storage_seek(s->obj, q->offset, q->flags, NULL);
		if (!ret)
			ret = ta_storage_info(s->obj, r);
		break;
	case TEEQ_TA_STORAGE_TRUNCATE:
		ret = storage_truncate(s->obj, q->size);
		break;
	case TEEQ_TA_STORAGE_RENAME:
		ret = storage_rename(s->obj, q->data, q->id_len);
		break;
	case TEEQ_TA_STORAGE_DELETE:
		ret = storage_delete(s->obj);
		if (!ret)
			s->obj = NULL;
		break;
	case TEEQ_TA_STORAGE_INFO:
		ret = ta_storage_info(s->obj, r);
		break;
	case TEEQ_TA_STORAGE_ENUM_START: {
		uint32_t h = ta_storage_free_slot(t);
		struct storage_enum *en = NULL;

		if (!h) {
			ret = TEEQ_ERROR_OUT_OF_MEMORY;
			break;
		}
		ret = storage_enum_start(ns, &en);
		if (!ret) {
			t->slots[h - 1].en = en;
			r->handle = h;
		}
		break;
	}
	case TEEQ_TA_STORAGE_ENUM_NEXT:
		ret = ta_storage_enum_next(ns, s, r);
		break;
	case TEEQ_TA_STORAGE_ENUM_FREE:
		storage_enum_free(s->en);
		s->en = NULL;
		break;
	}
out:
	r->hdr.magic = TEEQ_TA_PROC_MAGIC;
	r->hdr.type = TEEQ_TA_PROC_STORAGE_REPLY;
	r->hdr.len = (uint32_t)(sizeof(*r) + count + r->meta_len + r->id_len);
	r->result = ret;
}

void ta_storage_release(struct ta_storage *t)
{
	uint32_t i;

	for (i = 0; i < TA_STORAGE_HANDLES; i++) {
		if (t->slots[i].obj)
			storage_close(t->slots[i].obj);
		if (t->slots[i].en)
			storage_enum_free(t->slots[i].en);
	}
	memset(t, 0, sizeof(*t));
}
