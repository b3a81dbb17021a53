// SPDX-License-Identifier: MIT
/*
 * Persistent objects: the TA's own objects in the secure world's storage,
 * reached through the host's storage hook (ta_abi.h) with the requests of
 * uapi/teeq_ta_proc.h; teeq-sw keeps them in the TA's namespace, encrypted
 * and authenticated, and the normal world's supplicant keeps the files.
 *
 * An object's type, size, usage and attributes (a key, say) travel as its
 * metadata, in the layout below; its data stream is read and written in
 * pieces of one message each. A persistent handle is a struct ta_obj
 * like a transient one (so a stored key goes straight into
 * TEE_SetOperationKey), with the storage's handle in pobj.
 *
 * As the spec says: a bad handle, a handle opened without the access a
 * function needs, an object id longer than TEE_OBJECT_ID_MAX_LEN panic;
 * a storage that is not there answers TEE_ERROR_ITEM_NOT_FOUND (for an
 * unknown storageID) or TEE_ERROR_STORAGE_NOT_AVAILABLE (no storage in
 * this host, or the secure world's storage down).
 */
#include "crypto.h"

#include "uapi/teeq_ta_proc.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define TA_META_MAGIC 0x4f505154u /* "TQPO" */
#define TA_META_VERSION 1u

/* The metadata: this header, then n_attrs of (struct ta_meta_attr, the
 * attribute's bytes). Anything else an object's metadata holds (one made
 * by the storage TA, say) makes it a plain data object. */
struct ta_meta_hdr {
	uint32_t magic, version;
	uint32_t type, size, max_size, usage;
	uint32_t n_attrs;
};

struct ta_meta_attr {
	uint32_t id, a, b, len;
};

struct ta_penum {
	uint32_t handle; /* teeq-sw's, 0 until started */
};

#define TA_DATA_FLAGS_OPEN                                            \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |     \
	 TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_SHARE_READ | \
	 TEE_DATA_FLAG_SHARE_WRITE)

/* one request and its reply at a time: a TA runs one entry point at once */
static union {
	struct teeq_ta_proc_storage q;
	uint8_t bytes[TEEQ_TA_STORAGE_MSG_MAX];
} ta_st_req;
static union {
	struct teeq_ta_proc_storage_reply r;
	uint8_t bytes[TEEQ_TA_STORAGE_MSG_MAX];
} ta_st_rep;

/* ---- the requests ------------------------------------------------------------ */

/* A fresh request of @op on @handle. */
static struct teeq_ta_proc_storage *ta_st_new(uint32_t op, uint32_t handle)
{
	struct teeq_ta_proc_storage *q = &ta_st_req.q;

	memset(q, 0, sizeof(*q));
	q->op = op;
	q->handle = handle;
	return q;
}

/* Sends the request with @data_len bytes of data; the reply's result, and
 * the reply in *@rp. */
static TEE_Result ta_st_call(size_t data_len,
			     const struct teeq_ta_proc_storage_reply **rp)
{
	struct teeq_ta_proc_storage *q = &ta_st_req.q;
	struct teeq_ta_proc_storage_reply *r = &ta_st_rep.r;

	if (!ta_rt.ops || !ta_rt.ops->storage)
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	q->hdr.magic = TEEQ_TA_PROC_MAGIC;
	q->hdr.type = TEEQ_TA_PROC_STORAGE;
	q->hdr.len = (uint32_t)(sizeof(*q) + data_len);
	if (ta_rt.ops->storage(ta_rt.host, q, q->hdr.len, r, sizeof(ta_st_rep)))
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	/* the secure world's reply, still checked before it is used */
	if (r->hdr.magic != TEEQ_TA_PROC_MAGIC ||
	    r->hdr.type != TEEQ_TA_PROC_STORAGE_REPLY ||
	    r->hdr.len < sizeof(*r) || r->hdr.len > sizeof(ta_st_rep) ||
	    r->meta_len > TEEQ_TA_STORAGE_META_MAX ||
	    r->id_len > TEEQ_TA_STORAGE_ID_MAX ||
	    (size_t)r->meta_len + r->id_len > r->hdr.len - sizeof(*r))
		return TEE_ERROR_GENERIC;
	if (rp)
		*rp = r;
	return r->result;
}

/* Requests on a storage handle, with nothing but the reply's result. */
static TEE_Result ta_st_simple(uint32_t op, uint32_t handle)
{
	ta_st_new(op, handle);
	return ta_st_call(0, NULL);
}

static bool ta_st_storage_id(uint32_t storage_id)
{
	/* one private storage, whatever the TA names it */
	return storage_id == TEE_STORAGE_PRIVATE ||
	       storage_id == TEE_STORAGE_PRIVATE_REE ||
	       storage_id == TEE_STORAGE_PRIVATE_RPMB;
}

/* ---- metadata: the object's type and attributes ----------------------------------- */

/* @o's metadata into @out (@cap bytes): its length, or 0 if it does not
 * fit. @o NULL: a data object. */
static size_t ta_meta_write(const struct ta_obj *o, uint8_t *out, size_t cap)
{
	struct ta_meta_hdr h = { TA_META_MAGIC,
				 TA_META_VERSION,
				 TEE_TYPE_DATA,
				 0,
				 0,
				 TEE_USAGE_DEFAULT,
				 0 };
	size_t len = sizeof(h);
	unsigned int i;

	if (o) {
		h.type = o->type;
		h.size = o->size;
		h.max_size = o->max_size;
		h.usage = o->usage;
		h.n_attrs = o->n_attrs;
	}
	if (len > cap)
		return 0;
	memcpy(out, &h, sizeof(h));
	for (i = 0; o && i < o->n_attrs; i++) {
		struct ta_meta_attr a = { o->attrs[i].id, o->attrs[i].a,
					  o->attrs[i].b,
					  (uint32_t)o->attrs[i].len };

		if (cap - len < sizeof(a) || cap - len - sizeof(a) < a.len)
			return 0;
		memcpy(out + len, &a, sizeof(a));
		len += sizeof(a);
		if (a.len)
			memcpy(out + len, o->attrs[i].buf, a.len);
		len += a.len;
	}
	return len;
}

/* @o from metadata @m (@len bytes); false for metadata not ours (then @o
 * is a data object) or out of memory. */
static bool ta_meta_read(struct ta_obj *o, const uint8_t *m, size_t len)
{
	struct ta_meta_hdr h;
	size_t off = sizeof(h);
	unsigned int i;

	o->type = TEE_TYPE_DATA;
	o->usage = TEE_USAGE_DEFAULT;
	if (len < sizeof(h))
		return false;
	memcpy(&h, m, sizeof(h));
	if (h.magic != TA_META_MAGIC || h.version != TA_META_VERSION ||
	    h.n_attrs > TA_OBJ_MAX_ATTRS)
		return false;
	for (i = 0; i < h.n_attrs; i++) {
		struct ta_attr *at = &o->attrs[i];
		struct ta_meta_attr a;

		if (len - off < sizeof(a))
			goto bad;
		memcpy(&a, m + off, sizeof(a));
		off += sizeof(a);
		if (len - off < a.len)
			goto bad;
		at->id = a.id;
		at->a = a.a;
		at->b = a.b;
		at->len = a.len;
		if (a.len) {
			at->buf = malloc(a.len);
			if (!at->buf)
				goto bad;
			memcpy(at->buf, m + off, a.len);
		}
		off += a.len;
		o->n_attrs = i + 1;
	}
	o->type = h.type;
	o->size = h.size;
	o->max_size = h.max_size;
	o->usage = h.usage;
	/* an RSA or ECC key is usable as soon as it is opened */
	if (h.n_attrs && !ta_obj_attr(o, TEE_ATTR_SECRET_VALUE) &&
	    ta_pkey_build(o) != TEE_SUCCESS)
		goto bad;
	return true;
bad:
	ta_obj_clear(o);
	o->type = TEE_TYPE_DATA;
	o->usage = TEE_USAGE_DEFAULT;
	return false;
}

/* ---- handles --------------------------------------------------------------------- */

/* A persistent handle, not yet registered, for teeq-sw's @handle. */
static TEE_Result ta_pobj_new(uint32_t handle, uint32_t data_flags,
			      const uint8_t *meta, size_t meta_len,
			      TEE_ObjectHandle *object)
{
	struct ta_obj *o = calloc(1, sizeof(*o));

	if (!o || ta_handle_add(o, TA_HANDLE_OBJECT)) {
		free(o);
		ta_st_simple(TEEQ_TA_STORAGE_CLOSE, handle);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	ta_meta_read(o, meta, meta_len);
	o->pobj = handle;
	o->flags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED |
		   (data_flags & TA_DATA_FLAGS_OPEN);
	*object = (TEE_ObjectHandle)o;
	return TEE_SUCCESS;
}

/* The persistent object behind @h, opened with @need; panics in @func
 * otherwise. */
static struct ta_obj *ta_pobj_of(TEE_ObjectHandle h, uint32_t need,
				 const char *func)
{
	struct ta_obj *o = ta_obj_of(h, func);

	if (!o->pobj)
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "not a persistent object");
	if ((o->flags & need) != need)
		ta_rt_panic(TEE_ERROR_ACCESS_DENIED, func,
			    "the object was not opened with the access this "
			    "needs");
	return o;
}

void ta_pobj_close(struct ta_obj *o)
{
	ta_st_simple(TEEQ_TA_STORAGE_CLOSE, o->pobj);
	o->pobj = 0;
}

TEE_Result ta_pobj_info(struct ta_obj *o, TEE_ObjectInfo *info)
{
	const struct teeq_ta_proc_storage_reply *r;
	TEE_Result res;

	ta_st_new(TEEQ_TA_STORAGE_INFO, o->pobj);
	res = ta_st_call(0, &r);
	if (res)
		return res;
	info->dataSize = (size_t)r->data_size;
	info->dataPosition = (size_t)r->position;
	return TEE_SUCCESS;
}

static void ta_st_check_id(const void *id, size_t len, const char *func)
{
	if (len > TEE_OBJECT_ID_MAX_LEN)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "the object id is longer than "
			    "TEE_OBJECT_ID_MAX_LEN");
	if (!id && len)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "objectID is NULL");
}

/* ---- the API ------------------------------------------------------------------------ */

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
				    size_t objectIDLen, uint32_t flags,
				    TEE_ObjectHandle *object)
{
	struct teeq_ta_proc_storage *q;
	const struct teeq_ta_proc_storage_reply *r;
	TEE_Result res;

	TA_PANIC_IF(!object, "object is NULL");
	ta_st_check_id(objectID, objectIDLen, __func__);
	*object = TEE_HANDLE_NULL;
	if (!ta_st_storage_id(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (flags & ~TA_DATA_FLAGS_OPEN)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!objectIDLen)
		return TEE_ERROR_ITEM_NOT_FOUND;
	q = ta_st_new(TEEQ_TA_STORAGE_OPEN, 0);
	q->flags = flags;
	q->id_len = (uint32_t)objectIDLen;
	memcpy(q->data, objectID, objectIDLen);
	res = ta_st_call(objectIDLen, &r);
	if (res)
		return res;
	return ta_pobj_new(r->handle, flags, r->data, r->meta_len, object);
}

/* Writes @len bytes of @data at the position, a message's worth at a time. */
static TEE_Result ta_st_write(uint32_t handle, const uint8_t *data, size_t len)
{
	TEE_Result res;

	while (len) {
		size_t n = len < TEEQ_TA_STORAGE_DATA_MAX ?
				   len :
				   TEEQ_TA_STORAGE_DATA_MAX;
		struct teeq_ta_proc_storage *q =
			ta_st_new(TEEQ_TA_STORAGE_WRITE, handle);

		memcpy(q->data, data, n);
		res = ta_st_call(n, NULL);
		if (res)
			return res;
		data += n;
		len -= n;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void *objectID,
				      size_t objectIDLen, uint32_t flags,
				      TEE_ObjectHandle attributes,
				      const void *initialData,
				      size_t initialDataLen,
				      TEE_ObjectHandle *object)
{
	const struct ta_obj *from = NULL;
	struct teeq_ta_proc_storage *q;
	const struct teeq_ta_proc_storage_reply *r;
	size_t meta_len, first;
	uint32_t handle;
	TEE_Result res;

	ta_st_check_id(objectID, objectIDLen, __func__);
	TA_CHECK_BUF(initialData, initialDataLen);
	if (object)
		*object = TEE_HANDLE_NULL;
	if (attributes != TEE_HANDLE_NULL) {
		from = ta_obj_of(attributes, __func__);
		TA_PANIC_IF(!(from->flags & TEE_HANDLE_FLAG_INITIALIZED),
			    "attributes is not initialized");
	}
	if (!ta_st_storage_id(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	if ((flags & ~(TA_DATA_FLAGS_OPEN | TEE_DATA_FLAG_OVERWRITE)) ||
	    !objectIDLen)
		return TEE_ERROR_BAD_PARAMETERS;
	if (initialDataLen > TEE_DATA_MAX_POSITION)
		return TEE_ERROR_OVERFLOW;
	q = ta_st_new(TEEQ_TA_STORAGE_CREATE, 0);
	meta_len = ta_meta_write(from, q->data + objectIDLen,
				 TEEQ_TA_STORAGE_META_MAX);
	if (!meta_len)
		return TEE_ERROR_STORAGE_NO_SPACE;
	q->flags = flags;
	q->id_len = (uint32_t)objectIDLen;
	q->meta_len = (uint32_t)meta_len;
	memcpy(q->data, objectID, objectIDLen);
	/* what one message carries is written with the creation, atomically;
	 * the rest follows it */
	first = initialDataLen < TEEQ_TA_STORAGE_DATA_MAX ?
			initialDataLen :
			TEEQ_TA_STORAGE_DATA_MAX;
	if (first)
		memcpy(q->data + objectIDLen + meta_len, initialData, first);
	res = ta_st_call(objectIDLen + meta_len + first, &r);
	if (res)
		return res;
	handle = r->handle;
	if (initialDataLen > first) {
		/* the new handle is at 0: the rest goes after the first part */
		q = ta_st_new(TEEQ_TA_STORAGE_SEEK, handle);
		q->offset = (int64_t)first;
		q->flags = TEE_DATA_SEEK_SET;
		res = ta_st_call(0, NULL);
		if (!res)
			res = ta_st_write(handle,
					  (const uint8_t *)initialData + first,
					  initialDataLen - first);
		if (!res) {
			q = ta_st_new(TEEQ_TA_STORAGE_SEEK, handle);
			q->flags = TEE_DATA_SEEK_SET;
			res = ta_st_call(0, NULL);
		}
		if (res) {
			/* no half-made object stays behind, if it can go */
			if (ta_st_simple(TEEQ_TA_STORAGE_DELETE, handle))
				ta_st_simple(TEEQ_TA_STORAGE_CLOSE, handle);
			return res;
		}
	}
	if (!object)
		return ta_st_simple(TEEQ_TA_STORAGE_CLOSE, handle);
	/* the metadata once more, from the request, for the handle */
	{
		uint8_t meta[TEEQ_TA_STORAGE_META_MAX];

		meta_len = ta_meta_write(from, meta, sizeof(meta));
		return ta_pobj_new(handle, flags & TA_DATA_FLAGS_OPEN, meta,
				   meta_len, object);
	}
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	struct ta_obj *o;
	TEE_Result res;

	if (object == TEE_HANDLE_NULL)
		return TEE_SUCCESS;
	o = ta_pobj_of(object, TEE_DATA_FLAG_ACCESS_WRITE_META, __func__);
	res = ta_st_simple(TEEQ_TA_STORAGE_DELETE, o->pobj);
	if (res)
		return res;
	o->pobj = 0;
	ta_obj_clear(o);
	ta_handle_del(o);
	free(o);
	return TEE_SUCCESS;
}

void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object)
{
	TEE_Result res = TEE_CloseAndDeletePersistentObject1(object);

	if (res)
		ta_rt_panic(res, __func__, "the object could not be deleted");
}

TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object,
				      const void *newObjectID,
				      size_t newObjectIDLen)
{
	struct ta_obj *o =
		ta_pobj_of(object, TEE_DATA_FLAG_ACCESS_WRITE_META, __func__);
	struct teeq_ta_proc_storage *q;

	ta_st_check_id(newObjectID, newObjectIDLen, __func__);
	if (!newObjectIDLen)
		return TEE_ERROR_BAD_PARAMETERS;
	q = ta_st_new(TEEQ_TA_STORAGE_RENAME, o->pobj);
	q->id_len = (uint32_t)newObjectIDLen;
	memcpy(q->data, newObjectID, newObjectIDLen);
	return ta_st_call(newObjectIDLen, NULL);
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer,
			      size_t size, size_t *count)
{
	struct ta_obj *o =
		ta_pobj_of(object, TEE_DATA_FLAG_ACCESS_READ, __func__);
	const struct teeq_ta_proc_storage_reply *r;
	uint8_t *out = buffer;
	TEE_Result res;

	TA_CHECK_BUF(buffer, size);
	TA_PANIC_IF(!count, "count is NULL");
	*count = 0;
	while (size) {
		struct teeq_ta_proc_storage *q =
			ta_st_new(TEEQ_TA_STORAGE_READ, o->pobj);
		size_t n;

		q->size = size < TEEQ_TA_STORAGE_DATA_MAX ?
				  size :
				  TEEQ_TA_STORAGE_DATA_MAX;
		res = ta_st_call(0, &r);
		if (res)
			return res;
		n = r->hdr.len - sizeof(*r);
		if (n > q->size)
			return TEE_ERROR_GENERIC;
		memcpy(out, r->data, n);
		out += n;
		*count += n;
		size -= n;
		if (n < q->size)
			break; /* the end of the data */
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer,
			       size_t size)
{
	struct ta_obj *o =
		ta_pobj_of(object, TEE_DATA_FLAG_ACCESS_WRITE, __func__);

	TA_CHECK_BUF(buffer, size);
	return ta_st_write(o->pobj, buffer, size);
}

TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size)
{
	struct ta_obj *o =
		ta_pobj_of(object, TEE_DATA_FLAG_ACCESS_WRITE, __func__);
	struct teeq_ta_proc_storage *q =
		ta_st_new(TEEQ_TA_STORAGE_TRUNCATE, o->pobj);

	q->size = size;
	return ta_st_call(0, NULL);
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset,
			      TEE_Whence whence)
{
	struct ta_obj *o = ta_pobj_of(object, 0, __func__);
	struct teeq_ta_proc_storage *q;

	if (whence != TEE_DATA_SEEK_SET && whence != TEE_DATA_SEEK_CUR &&
	    whence != TEE_DATA_SEEK_END)
		return TEE_ERROR_BAD_PARAMETERS;
	q = ta_st_new(TEEQ_TA_STORAGE_SEEK, o->pobj);
	q->offset = (int64_t)offset;
	q->flags = whence;
	return ta_st_call(0, NULL);
}

/* ---- enumerators --------------------------------------------------------------------- */

static struct ta_penum *ta_penum_of(TEE_ObjectEnumHandle h, const char *func)
{
	if (!ta_handle_valid(h, TA_HANDLE_PENUM))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "not a persistent object enumerator");
	return (struct ta_penum *)h;
}

TEE_Result
TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator)
{
	struct ta_penum *e;

	TA_PANIC_IF(!objectEnumerator, "objectEnumerator is NULL");
	*objectEnumerator = TEE_HANDLE_NULL;
	e = calloc(1, sizeof(*e));
	if (!e || ta_handle_add(e, TA_HANDLE_PENUM)) {
		free(e);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*objectEnumerator = (TEE_ObjectEnumHandle)e;
	return TEE_SUCCESS;
}

void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	struct ta_penum *e;

	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	e = ta_penum_of(objectEnumerator, __func__);
	if (e->handle)
		ta_st_simple(TEEQ_TA_STORAGE_ENUM_FREE, e->handle);
	e->handle = 0;
}

void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	TEE_ResetPersistentObjectEnumerator(objectEnumerator);
	ta_handle_del(objectEnumerator);
	free(objectEnumerator);
}

TEE_Result
TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator,
				    uint32_t storageID)
{
	struct ta_penum *e = ta_penum_of(objectEnumerator, __func__);
	const struct teeq_ta_proc_storage_reply *r;
	TEE_Result res;

	TEE_ResetPersistentObjectEnumerator(objectEnumerator);
	if (!ta_st_storage_id(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	ta_st_new(TEEQ_TA_STORAGE_ENUM_START, 0);
	res = ta_st_call(0, &r);
	if (!res)
		e->handle = r->handle;
	return res;
}

TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
				       TEE_ObjectInfo *objectInfo,
				       void *objectID, size_t *objectIDLen)
{
	struct ta_penum *e = ta_penum_of(objectEnumerator, __func__);
	const struct teeq_ta_proc_storage_reply *r;
	struct ta_obj o;
	TEE_Result res;

	TA_PANIC_IF(!objectID || !objectIDLen,
		    "objectID or objectIDLen is NULL");
	if (!e->handle)
		return TEE_ERROR_ITEM_NOT_FOUND;
	ta_st_new(TEEQ_TA_STORAGE_ENUM_NEXT, e->handle);
	res = ta_st_call(0, &r);
	if (res)
		return res;
	memcpy(objectID, r->data + r->meta_len, r->id_len);
	*objectIDLen = r->id_len;
	if (objectInfo) {
		memset(&o, 0, sizeof(o));
		ta_meta_read(&o, r->data, r->meta_len);
		memset(objectInfo, 0, sizeof(*objectInfo));
		objectInfo->objectType = o.type;
		objectInfo->objectSize = o.size;
		objectInfo->maxObjectSize = o.max_size;
		objectInfo->objectUsage = o.usage;
		objectInfo->dataSize = (size_t)r->data_size;
		objectInfo->handleFlags = TEE_HANDLE_FLAG_PERSISTENT |
					  TEE_HANDLE_FLAG_INITIALIZED;
		ta_obj_clear(&o);
	}
	return TEE_SUCCESS;
}
