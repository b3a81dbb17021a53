// SPDX-License-Identifier: MIT
/*
 * Persistent objects with GlobalPlatform semantics (storage.h): handles,
 * their share rules, data streams and enumeration, over the namespaces of
 * ns.c.
 *
 * An open object's plaintext lives in secure memory (struct storage_pobj)
 * shared by all its handles, so a write through one is seen through all.
 * A change builds the new contents privately, commits them (ns.c), and
 * only then swaps them in: a change that fails leaves the object as it
 * was, for its handles and on disk. Reading takes only the object's short
 * lock, never one held while the supplicant is asked something.
 */
#include "secure/storage/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct storage_state storage_st = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct storage_obj {
	struct storage_pobj *pobj;
	uint32_t flags;
	uint64_t pos;
};

struct storage_enum_item {
	uint8_t id[STORAGE_ID_MAX];
	uint32_t id_len;
	uint32_t meta_size;
	uint64_t data_size;
};

struct storage_enum {
	struct storage_enum_item *items;
	uint32_t nr, next;
};

#define STORAGE_ACCESS_ALL \
	(STORAGE_ACCESS_READ | STORAGE_ACCESS_WRITE | STORAGE_ACCESS_WRITE_META)
#define STORAGE_SHARE_ALL (STORAGE_SHARE_READ | STORAGE_SHARE_WRITE)

static int storage_ready(void)
{
	return __atomic_load_n(&storage_st.ready, __ATOMIC_ACQUIRE);
}

uint32_t storage_init(const struct storage_platform *p)
{
	if (storage_ready())
		return TEEQ_ERROR_BAD_STATE;
	if (!p->rpc || !p->window || !p->anchor_read || !p->anchor_write)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (storage_crypt_init(p->key))
		return TEEQ_ERROR_GENERIC;
	storage_st.plat = *p;
	storage_st.held = 0;
	/* release: the platform and keys are set before anyone sees ready */
	__atomic_store_n(&storage_st.ready, 1, __ATOMIC_RELEASE);
	return TEEQ_SUCCESS;
}

void storage_fini(void)
{
	struct storage_ns *ns;

	if (!storage_ready())
		return;
	__atomic_store_n(&storage_st.ready, 0, __ATOMIC_RELEASE);
	while ((ns = storage_st.nss)) {
		storage_st.nss = ns->next;
		free(ns->ents);
		pthread_mutex_destroy(&ns->lock);
		storage_crypt_wipe(ns, sizeof(*ns));
		free(ns);
	}
	storage_crypt_wipe(storage_st.plat.key, sizeof(storage_st.plat.key));
	storage_crypt_fini();
}

/* ---- memory held ------------------------------------------------------------ */

static int storage_hold(size_t bytes)
{
	uint64_t now =
		__atomic_add_fetch(&storage_st.held, bytes, __ATOMIC_RELAXED);

	if (now <= STORAGE_HELD_MAX)
		return 0;
	__atomic_sub_fetch(&storage_st.held, bytes, __ATOMIC_RELAXED);
	return -ENOMEM;
}

static void storage_unhold(size_t bytes)
{
	__atomic_sub_fetch(&storage_st.held, bytes, __ATOMIC_RELAXED);
}

static void storage_body_free(unsigned char *body, size_t len)
{
	if (!body)
		return;
	storage_crypt_wipe(body, len);
	free(body);
}

static uint64_t storage_body_data_size(const unsigned char *body)
{
	struct storage_body hdr;

	memcpy(&hdr, body, sizeof(hdr));
	return hdr.data_size;
}

static uint32_t storage_body_meta_size(const unsigned char *body)
{
	struct storage_body hdr;

	memcpy(&hdr, body, sizeof(hdr));
	return hdr.meta_size;
}

static size_t storage_body_len(uint32_t meta_size, uint64_t data_size)
{
	return sizeof(struct storage_body) + meta_size + (size_t)data_size;
}

/* A body of @data_size bytes of data: @meta, then @data_len bytes of
 * @data at @data_off, zeros elsewhere (@data NULL: all zeros). Held. */
static uint32_t storage_body_new(const void *meta, uint32_t meta_size,
				 uint64_t data_size, const void *data,
				 uint64_t data_off, size_t data_len,
				 unsigned char **out, size_t *out_len)
{
	struct storage_body hdr = { .meta_size = meta_size,
				    .data_size = data_size };
	size_t len = storage_body_len(meta_size, data_size);
	unsigned char *body;

	if (storage_hold(len))
		return TEEQ_ERROR_OUT_OF_MEMORY;
	body = calloc(1, len);
	if (!body) {
		storage_unhold(len);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	memcpy(body, &hdr, sizeof(hdr));
	if (meta_size)
		memcpy(body + sizeof(hdr), meta, meta_size);
	if (data_len)
		memcpy(body + sizeof(hdr) + meta_size + data_off, data,
		       data_len);
	*out = body;
	*out_len = len;
	return TEEQ_SUCCESS;
}

/* ---- open objects ------------------------------------------------------------- */

static int storage_id_ok(const void *id, size_t id_len)
{
	return id && id_len >= 1 && id_len <= STORAGE_ID_MAX;
}

/* Under st.lock. */
static struct storage_pobj *storage_pobj_find(const struct storage_ns *ns,
					      const void *id, size_t id_len)
{
	struct storage_pobj *o;

	for (o = storage_st.pobjs; o; o = o->next)
		if (o->ns == ns && o->id_len == id_len &&
		    !memcmp(o->id, id, id_len))
			return o;
	return NULL;
}

/*
 * The share rules, under st.lock: with handles open, a new one's access
 * must be allowed by every open handle's share flags and its share flags
 * must allow every open handle's access; a handle that may delete or
 * rename (WRITE_META) is the only one.
 */
static int storage_share_ok(const struct storage_pobj *o, uint32_t flags)
{
	if (!o->handles)
		return 1;
	if ((flags & STORAGE_ACCESS_WRITE_META) || o->meta)
		return 0;
	if ((flags & STORAGE_ACCESS_READ) && o->no_share_read)
		return 0;
	if ((flags & STORAGE_ACCESS_WRITE) && o->no_share_write)
		return 0;
	if (o->reading && !(flags & STORAGE_SHARE_READ))
		return 0;
	if (o->writing && !(flags & STORAGE_SHARE_WRITE))
		return 0;
	return 1;
}

/* Under st.lock: counts a handle with @flags in (@dir 1) or out (-1). */
static void storage_pobj_count(struct storage_pobj *o, uint32_t flags, int dir)
{
	o->handles += (uint32_t)dir;
	o->reading += (flags & STORAGE_ACCESS_READ) ? (uint32_t)dir : 0;
	o->writing += (flags & STORAGE_ACCESS_WRITE) ? (uint32_t)dir : 0;
	o->meta += (flags & STORAGE_ACCESS_WRITE_META) ? (uint32_t)dir : 0;
	o->no_share_read += !(flags & STORAGE_SHARE_READ) ? (uint32_t)dir : 0;
	o->no_share_write += !(flags & STORAGE_SHARE_WRITE) ? (uint32_t)dir : 0;
}

static void storage_pobj_free(struct storage_pobj *o)
{
	storage_body_free(o->body, o->held);
	storage_unhold(o->held);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

/* Under st.lock: unlinks @o if nothing uses it any more; then the caller
 * frees it outside the lock. */
static int storage_pobj_unused(struct storage_pobj *o)
{
	struct storage_pobj **pp;

	if (o->handles || o->pins)
		return 0;
	for (pp = &storage_st.pobjs; *pp; pp = &(*pp)->next) {
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	}
	return 1;
}

/* A new open object of @ns for @de with @body (held), and a handle. */
static uint32_t storage_pobj_add(struct storage_ns *ns,
				 const struct storage_dirent *de,
				 const uint8_t tag[STORAGE_TAG_LEN],
				 unsigned char *body, size_t len,
				 uint32_t flags, struct storage_obj **out)
{
	struct storage_obj *h = calloc(1, sizeof(*h));
	struct storage_pobj *o = calloc(1, sizeof(*o));

	if (!h || !o || pthread_mutex_init(&o->lock, NULL)) {
		free(h);
		free(o);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	o->ns = ns;
	memcpy(o->id, de->id, de->id_len);
	o->id_len = de->id_len;
	memcpy(o->tag, tag, STORAGE_TAG_LEN);
	o->body = body;
	o->held = len;
	h->pobj = o;
	h->flags = flags;
	pthread_mutex_lock(&storage_st.lock);
	storage_pobj_count(o, flags, 1);
	o->next = storage_st.pobjs;
	storage_st.pobjs = o;
	pthread_mutex_unlock(&storage_st.lock);
	*out = h;
	return TEEQ_SUCCESS;
}

/* Replaces @o's body by @body (held), committed in the file of @tag. */
static void storage_pobj_swap(struct storage_pobj *o, unsigned char *body,
			      size_t len, const uint8_t tag[STORAGE_TAG_LEN])
{
	unsigned char *old;
	size_t old_len;

	pthread_mutex_lock(&o->lock);
	old = o->body;
	old_len = o->held;
	o->body = body;
	o->held = len;
	pthread_mutex_unlock(&o->lock);
	memcpy(o->tag, tag, STORAGE_TAG_LEN);
	storage_body_free(old, old_len);
	storage_unhold(old_len);
}

void storage_refresh_pobjs(struct storage_ns *ns)
{
	struct storage_pobj **pinned, *o;
	unsigned char *body;
	uint32_t n = 0, i, res;
	size_t len;

	/* the open objects of @ns, pinned so a close cannot free them */
	pthread_mutex_lock(&storage_st.lock);
	for (o = storage_st.pobjs; o; o = o->next)
		n += o->ns == ns;
	pinned = calloc(n ? n : 1, sizeof(*pinned));
	n = 0;
	for (o = storage_st.pobjs; o && pinned; o = o->next) {
		if (o->ns != ns)
			continue;
		o->pins++;
		pinned[n++] = o;
	}
	pthread_mutex_unlock(&storage_st.lock);
	if (!pinned) {
		ns->loaded = 0; /* no memory to look: next time */
		return;
	}

	for (i = 0; i < n; i++) {
		const struct storage_dirent *de;

		o = pinned[i];
		de = storage_ns_find(ns, o->id, o->id_len);
		if (!de) {
			__atomic_store_n(&o->dead, TEEQ_ERROR_ITEM_NOT_FOUND,
					 __ATOMIC_RELEASE);
		} else if (memcmp(de->tag, o->tag, STORAGE_TAG_LEN)) {
			/* a change reported failed turned out to have landed,
			 * or the other way round: take what is committed */
			res = storage_ns_read_object(ns, de, &body, &len);
			if (!res && storage_hold(len)) {
				storage_body_free(body, len);
				res = TEEQ_ERROR_OUT_OF_MEMORY;
			}
			if (!res)
				storage_pobj_swap(o, body, len, de->tag);
			else if (res == TEEQ_ERROR_CORRUPT_OBJECT)
				__atomic_store_n(&o->dead, res,
						 __ATOMIC_RELEASE);
			else
				ns->loaded = 0; /* try again next time */
		}
		pthread_mutex_lock(&storage_st.lock);
		o->pins--;
		if (!storage_pobj_unused(o))
			o = NULL;
		pthread_mutex_unlock(&storage_st.lock);
		if (o)
			storage_pobj_free(o);
	}
	free(pinned);
}

/* ---- opening ----------------------------------------------------------------- */

/* The namespace of @uuid, locked and loaded; NULL with *@res set. */
static struct storage_ns *storage_ns_enter(const struct ta_uuid *uuid,
					   uint32_t *res)
{
	const struct storage_platform *p = &storage_st.plat;
	struct storage_ns *ns;

	/* what the secure world remembers is not the storage: with nobody
	 * to keep it, every call that would touch it fails alike, at once */
	if (!storage_ready() || !p->window(p->arg)) {
		*res = TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
		return NULL;
	}
	ns = storage_ns_get(uuid);
	if (!ns) {
		*res = TEEQ_ERROR_OUT_OF_MEMORY;
		return NULL;
	}
	pthread_mutex_lock(&ns->lock);
	*res = storage_ns_load(ns);
	if (*res) {
		pthread_mutex_unlock(&ns->lock);
		return NULL;
	}
	return ns;
}

uint32_t storage_open(const struct ta_uuid *uuid, const void *id, size_t id_len,
		      uint32_t flags, struct storage_obj **obj)
{
	const struct storage_dirent *de;
	struct storage_pobj *o;
	struct storage_obj *h;
	unsigned char *body;
	size_t len;
	uint32_t res;
	struct storage_ns *ns;

	if (!uuid || !obj || !storage_id_ok(id, id_len) ||
	    (flags & ~(STORAGE_ACCESS_ALL | STORAGE_SHARE_ALL)))
		return TEEQ_ERROR_BAD_PARAMETERS;
	ns = storage_ns_enter(uuid, &res);
	if (!ns)
		return res;
	de = storage_ns_find(ns, id, id_len);
	if (!de) {
		res = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	/* open already: one more handle, if the share rules allow */
	pthread_mutex_lock(&storage_st.lock);
	o = storage_pobj_find(ns, id, id_len);
	if (o) {
		res = TEEQ_ERROR_ACCESS_CONFLICT;
		h = storage_share_ok(o, flags) ? calloc(1, sizeof(*h)) : NULL;
		if (h) {
			h->pobj = o;
			h->flags = flags;
			storage_pobj_count(o, flags, 1);
			*obj = h;
			res = TEEQ_SUCCESS;
		} else if (storage_share_ok(o, flags)) {
			res = TEEQ_ERROR_OUT_OF_MEMORY;
		}
	}
	pthread_mutex_unlock(&storage_st.lock);
	if (o)
		goto out;

	res = storage_ns_read_object(ns, de, &body, &len);
	if (res)
		goto out;
	if (storage_hold(len)) {
		storage_body_free(body, len);
		res = TEEQ_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	res = storage_pobj_add(ns, de, de->tag, body, len, flags, obj);
	if (res) {
		storage_body_free(body, len);
		storage_unhold(len);
	}
out:
	pthread_mutex_unlock(&ns->lock);
	return res;
}

uint32_t storage_create(const struct ta_uuid *uuid, const void *id,
			size_t id_len, uint32_t flags, const void *meta,
			size_t meta_len, const void *data, size_t data_len,
			struct storage_obj **obj)
{
	struct storage_change c = { 0 };
	struct storage_dirent de = { 0 };
	struct storage_ns *ns;
	unsigned char *body;
	size_t len;
	uint32_t res;
	int busy;

	if (!uuid || !storage_id_ok(id, id_len) ||
	    (flags &
	     ~(STORAGE_ACCESS_ALL | STORAGE_SHARE_ALL | STORAGE_OVERWRITE)) ||
	    meta_len > STORAGE_META_MAX || (meta_len && !meta) ||
	    (data_len && !data))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (data_len > STORAGE_DATA_MAX)
		return TEEQ_ERROR_STORAGE_NO_SPACE;
	ns = storage_ns_enter(uuid, &res);
	if (!ns)
		return res;
	c.old = storage_ns_find(ns, id, id_len);
	pthread_mutex_lock(&storage_st.lock);
	busy = storage_pobj_find(ns, id, id_len) != NULL;
	pthread_mutex_unlock(&storage_st.lock);
	/* an object is replaced only when asked to, and never under the
	 * feet of its open handles */
	if ((c.old && !(flags & STORAGE_OVERWRITE)) || busy) {
		res = TEEQ_ERROR_ACCESS_CONFLICT;
		goto out;
	}
	res = storage_body_new(meta, (uint32_t)meta_len, data_len, data, 0,
			       data_len, &body, &len);
	if (res)
		goto out;
	memcpy(de.id, id, id_len);
	de.id_len = (uint32_t)id_len;
	de.meta_size = (uint32_t)meta_len;
	de.data_size = data_len;
	c.new = &de;
	c.body = body;
	c.body_len = len;
	res = storage_ns_commit(ns, &c);
	if (!res && obj)
		res = storage_pobj_add(ns, &de, c.tag, body, len,
				       flags & ~STORAGE_OVERWRITE, obj);
	else if (!res)
		res = TEEQ_SUCCESS; /* created and closed */
	if (res || !obj) {
		storage_body_free(body, len);
		storage_unhold(len);
	}
out:
	pthread_mutex_unlock(&ns->lock);
	return res;
}

void storage_close(struct storage_obj *h)
{
	struct storage_pobj *o;
	int unused;

	if (!h)
		return;
	o = h->pobj;
	pthread_mutex_lock(&storage_st.lock);
	storage_pobj_count(o, h->flags, -1);
	unused = storage_pobj_unused(o);
	pthread_mutex_unlock(&storage_st.lock);
	if (unused)
		storage_pobj_free(o);
	free(h);
}

/* ---- data streams ---------------------------------------------------------------- */

static uint32_t storage_handle_check(struct storage_obj *h, uint32_t need)
{
	uint32_t dead;

	if (!h)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if ((h->flags & need) != need)
		return TEEQ_ERROR_ACCESS_DENIED;
	dead = __atomic_load_n(&h->pobj->dead, __ATOMIC_ACQUIRE);
	return dead ? dead : TEEQ_SUCCESS;
}

uint32_t storage_read(struct storage_obj *h, void *buf, size_t size,
		      size_t *count)
{
	struct storage_pobj *o;
	uint64_t data_size;
	uint32_t res = storage_handle_check(h, STORAGE_ACCESS_READ);
	size_t n = 0;

	if (res)
		return res;
	if (!count || (size && !buf))
		return TEEQ_ERROR_BAD_PARAMETERS;
	o = h->pobj;
	pthread_mutex_lock(&o->lock);
	data_size = storage_body_data_size(o->body);
	if (h->pos < data_size) {
		n = data_size - h->pos < size ? (size_t)(data_size - h->pos) :
						size;
		memcpy(buf,
		       o->body + sizeof(struct storage_body) +
			       storage_body_meta_size(o->body) + h->pos,
		       n);
	}
	pthread_mutex_unlock(&o->lock);
	h->pos += n;
	*count = n;
	return TEEQ_SUCCESS;
}

/* A change of @h's object's data: @len bytes of @buf written at @off
 * (the data grows if it must), or with @truncate the data made @off bytes
 * long. Commits, then swaps in. */
static uint32_t storage_change_data(struct storage_obj *h, int truncate,
				    uint64_t off, const void *buf, size_t len)
{
	struct storage_pobj *o = h->pobj;
	struct storage_change c = { 0 };
	struct storage_dirent de;
	const struct storage_dirent *old;
	unsigned char *body;
	size_t body_len;
	uint64_t old_size, data_size, keep;
	uint32_t res, meta_size;
	struct storage_ns *ns;

	ns = storage_ns_enter(&o->ns->uuid, &res);
	if (!ns)
		return res;
	res = __atomic_load_n(&o->dead, __ATOMIC_ACQUIRE);
	if (res)
		goto out;
	old = storage_ns_find(ns, o->id, o->id_len);
	if (!old) {
		res = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	/* only changes (all under ns->lock) touch the body: it is stable */
	meta_size = storage_body_meta_size(o->body);
	old_size = storage_body_data_size(o->body);
	if (truncate)
		data_size = off;
	else
		data_size = off + len > old_size ? off + len : old_size;
	res = storage_body_new(o->body + sizeof(struct storage_body), meta_size,
			       data_size, NULL, 0, 0, &body, &body_len);
	if (res)
		goto out;
	keep = old_size < data_size ? old_size : data_size;
	memcpy(body + sizeof(struct storage_body) + meta_size,
	       o->body + sizeof(struct storage_body) + meta_size, (size_t)keep);
	if (len)
		/* @buf may be shared memory: copied once, here */
		memcpy(body + sizeof(struct storage_body) + meta_size + off,
		       buf, len);
	de = *old;
	de.data_size = data_size;
	c.old = old;
	c.new = &de;
	c.body = body;
	c.body_len = body_len;
	res = storage_ns_commit(ns, &c);
	if (res) {
		storage_body_free(body, body_len);
		storage_unhold(body_len);
	} else {
		storage_pobj_swap(o, body, body_len, c.tag);
	}
out:
	pthread_mutex_unlock(&ns->lock);
	return res;
}

uint32_t storage_write(struct storage_obj *h, const void *buf, size_t size)
{
	uint64_t end;
	uint32_t res = storage_handle_check(h, STORAGE_ACCESS_WRITE);

	if (res)
		return res;
	if (size && !buf)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!size)
		return TEEQ_SUCCESS;
	if (size > STORAGE_MAX_POSITION || h->pos > STORAGE_MAX_POSITION - size)
		return TEEQ_ERROR_OVERFLOW;
	end = h->pos + size;
	if (end > STORAGE_DATA_MAX)
		return TEEQ_ERROR_STORAGE_NO_SPACE;
	res = storage_change_data(h, 0, h->pos, buf, size);
	if (!res)
		h->pos = end;
	return res;
}

uint32_t storage_truncate(struct storage_obj *h, uint64_t size)
{
	uint32_t res = storage_handle_check(h, STORAGE_ACCESS_WRITE);

	if (res)
		return res;
	if (size > STORAGE_DATA_MAX)
		return TEEQ_ERROR_STORAGE_NO_SPACE;
	return storage_change_data(h, 1, size, NULL, 0);
}

uint32_t storage_seek(struct storage_obj *h, int64_t offset, uint32_t whence,
		      uint64_t *position)
{
	uint64_t base;
	uint32_t res = storage_handle_check(h, 0);

	if (res)
		return res;
	switch (whence) {
	case STORAGE_SEEK_SET:
		base = 0;
		break;
	case STORAGE_SEEK_CUR:
		base = h->pos;
		break;
	case STORAGE_SEEK_END:
		pthread_mutex_lock(&h->pobj->lock);
		base = storage_body_data_size(h->pobj->body);
		pthread_mutex_unlock(&h->pobj->lock);
		break;
	default:
		return TEEQ_ERROR_BAD_PARAMETERS;
	}
	if (offset < 0) {
		/* before the start is the start */
		uint64_t back = offset == INT64_MIN ? (uint64_t)INT64_MAX + 1 :
						      (uint64_t)-offset;

		base = back > base ? 0 : base - back;
	} else {
		if ((uint64_t)offset > STORAGE_MAX_POSITION ||
		    base > STORAGE_MAX_POSITION - (uint64_t)offset)
			return TEEQ_ERROR_OVERFLOW;
		base += (uint64_t)offset;
	}
	h->pos = base;
	if (position)
		*position = base;
	return TEEQ_SUCCESS;
}

uint32_t storage_info(struct storage_obj *h, struct storage_info *info)
{
	uint32_t res = storage_handle_check(h, 0);

	if (res)
		return res;
	if (!info)
		return TEEQ_ERROR_BAD_PARAMETERS;
	pthread_mutex_lock(&h->pobj->lock);
	info->data_size = storage_body_data_size(h->pobj->body);
	info->meta_size = storage_body_meta_size(h->pobj->body);
	pthread_mutex_unlock(&h->pobj->lock);
	info->position = h->pos;
	info->flags = h->flags;
	return TEEQ_SUCCESS;
}

uint32_t storage_meta(struct storage_obj *h, void *buf, size_t *len)
{
	uint32_t res = storage_handle_check(h, 0), meta_size;

	if (res)
		return res;
	if (!len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	pthread_mutex_lock(&h->pobj->lock);
	meta_size = storage_body_meta_size(h->pobj->body);
	if (meta_size > *len || (meta_size && !buf)) {
		res = TEEQ_ERROR_SHORT_BUFFER;
	} else if (meta_size) {
		memcpy(buf, h->pobj->body + sizeof(struct storage_body),
		       meta_size);
	}
	pthread_mutex_unlock(&h->pobj->lock);
	*len = meta_size;
	return res;
}

/* ---- rename, delete ---------------------------------------------------------- */

uint32_t storage_rename(struct storage_obj *h, const void *new_id,
			size_t new_id_len)
{
	struct storage_change c = { 0 };
	struct storage_dirent de;
	struct storage_pobj *o;
	struct storage_ns *ns;
	uint32_t res = storage_handle_check(h, STORAGE_ACCESS_WRITE_META);

	if (res)
		return res;
	if (!storage_id_ok(new_id, new_id_len))
		return TEEQ_ERROR_BAD_PARAMETERS;
	o = h->pobj;
	ns = storage_ns_enter(&o->ns->uuid, &res);
	if (!ns)
		return res;
	res = __atomic_load_n(&o->dead, __ATOMIC_ACQUIRE);
	if (res)
		goto out;
	c.old = storage_ns_find(ns, o->id, o->id_len);
	if (!c.old) {
		res = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	if (storage_ns_find(ns, new_id, new_id_len)) {
		res = TEEQ_ERROR_ACCESS_CONFLICT;
		goto out;
	}
	/* its key and its file's context follow its id: sealed anew. The
	 * handle is the only one (WRITE_META), so the body is stable. */
	de = *c.old;
	memset(de.id, 0, sizeof(de.id));
	memcpy(de.id, new_id, new_id_len);
	de.id_len = (uint32_t)new_id_len;
	c.new = &de;
	c.body = o->body;
	c.body_len = o->held;
	res = storage_ns_commit(ns, &c);
	if (!res) {
		memset(o->id, 0, sizeof(o->id));
		memcpy(o->id, new_id, new_id_len);
		o->id_len = (uint32_t)new_id_len;
		memcpy(o->tag, c.tag, STORAGE_TAG_LEN);
	}
out:
	pthread_mutex_unlock(&ns->lock);
	return res;
}

uint32_t storage_delete(struct storage_obj *h)
{
	struct storage_change c = { 0 };
	struct storage_pobj *o;
	struct storage_ns *ns;
	uint32_t res = storage_handle_check(h, STORAGE_ACCESS_WRITE_META);

	if (res)
		return res;
	o = h->pobj;
	ns = storage_ns_enter(&o->ns->uuid, &res);
	if (!ns)
		return res;
	c.old = storage_ns_find(ns, o->id, o->id_len);
	if (!c.old)
		res = TEEQ_ERROR_ITEM_NOT_FOUND;
	else
		res = storage_ns_commit(ns, &c);
	/* gone before anyone may create it anew */
	if (!res)
		storage_close(h);
	pthread_mutex_unlock(&ns->lock);
	return res;
}

/* ---- enumeration ------------------------------------------------------------ */

uint32_t storage_enum_start(const struct ta_uuid *uuid, struct storage_enum **e)
{
	struct storage_enum *en;
	struct storage_ns *ns;
	uint32_t res, i;

	if (!uuid || !e)
		return TEEQ_ERROR_BAD_PARAMETERS;
	ns = storage_ns_enter(uuid, &res);
	if (!ns)
		return res;
	if (!ns->nr_ents) {
		res = TEEQ_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	en = calloc(1, sizeof(*en));
	if (en)
		en->items = calloc(ns->nr_ents, sizeof(*en->items));
	if (!en || !en->items) {
		free(en);
		res = TEEQ_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	for (i = 0; i < ns->nr_ents; i++) {
		memcpy(en->items[i].id, ns->ents[i].id, ns->ents[i].id_len);
		en->items[i].id_len = ns->ents[i].id_len;
		en->items[i].meta_size = ns->ents[i].meta_size;
		en->items[i].data_size = ns->ents[i].data_size;
	}
	en->nr = ns->nr_ents;
	*e = en;
out:
	pthread_mutex_unlock(&ns->lock);
	return res;
}

uint32_t storage_enum_next(struct storage_enum *e, void *id, size_t *id_len,
			   struct storage_info *info)
{
	const struct storage_enum_item *it;

	if (!e || !id || !id_len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (e->next >= e->nr)
		return TEEQ_ERROR_ITEM_NOT_FOUND;
	it = &e->items[e->next++];
	memcpy(id, it->id, it->id_len);
	*id_len = it->id_len;
	if (info) {
		memset(info, 0, sizeof(*info));
		info->data_size = it->data_size;
		info->meta_size = it->meta_size;
	}
	return TEEQ_SUCCESS;
}

void storage_enum_free(struct storage_enum *e)
{
	if (!e)
		return;
	free(e->items);
	free(e);
}
