// SPDX-License-Identifier: MIT
/*
 * Namespaces: one per trusted app, each a directory object that lists the
 * app's objects, kept by the supplicant, and a rollback anchor that the
 * secure world keeps out of the normal world's reach.
 *
 * Files (the supplicant sees only these names and ciphertext):
 *   <ns>.dir         the directory: version V, and for each object its id,
 *                    sizes, generation, file id and the tag of its file
 *   <ns>-<file id>   one object's contents, one file per generation
 * where <ns> is a MAC of the app's UUID and <file id> is random.
 *
 * The anchor says which directory is the current one: its version and
 * tag, and while a commit is under way also the version and tag of the
 * one being committed (the pending one). A directory is accepted only if
 * its tag is one of these two, so an old directory (rolled back), another
 * namespace's, or a forged one is refused, and with it every object it
 * would vouch for; an object file is accepted only if its tag is the one
 * its directory entry names, so an old (replayed), swapped, truncated or
 * flipped file is refused too.
 *
 * A commit, in order (any step may be the last one, if a process dies):
 *   1. write the object's new file (a new name; the old file stays);
 *   2. anchor := (V, tag_V, pending V+1, tag_V+1);
 *   3. write the directory V+1: the supplicant's rename is the commit
 *      point, so the directory on its disk is V or V+1, whole;
 *   4. anchor := (V+1, tag_V+1);
 *   5. remove the old object file.
 * Loading accepts what the anchor allows (V, or the pending V+1) and then
 * settles the anchor on it; files no accepted directory names are garbage
 * and are removed. So after any crash every object is as it was before
 * the interrupted change or as it is after it, never corrupt, never lost;
 * and a change is reported done only after step 4, so a done change can
 * no longer be rolled back.
 */
#include "secure/storage/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORAGE_ANCHOR_MAGIC 0x41535154u /* "TQSA" */
#define STORAGE_ANCHOR_FORMAT 1u

/* The anchor record, as the platform keeps it (MAC'd with a key derived
 * from the storage key). */
struct storage_anchor {
	uint32_t magic;
	uint16_t format;
	uint16_t pending; /* 1: pending_version and pending_tag are set */
	struct teeq_uuid uuid;
	uint64_t version;
	uint8_t tag[STORAGE_TAG_LEN];
	uint64_t pending_version;
	uint8_t pending_tag[STORAGE_TAG_LEN];
	uint8_t reserved[24];
	uint8_t mac[32];
};

_Static_assert(sizeof(struct storage_anchor) == 128, "anchor moved");

/* The directory's plaintext: this header, then nr entries as stored. */
struct storage_dir_hdr {
	uint64_t version;
	uint32_t nr;
	uint32_t reserved;
};

_Static_assert(sizeof(struct storage_dirent) == 120, "directory entry moved");

/* What a directory file must be: authenticated with it. */
struct storage_dir_ctx {
	struct teeq_uuid uuid;
	uint64_t version;
};

/* What an object file must be: authenticated with it. */
struct storage_obj_ctx {
	struct teeq_uuid uuid;
	uint8_t id[STORAGE_ID_MAX];
	uint8_t file[STORAGE_FILE_ID_LEN];
	uint64_t gen;
	uint32_t id_len;
	uint32_t reserved;
};

_Static_assert(sizeof(struct storage_obj_ctx) == 112, "object context moved");

#define STORAGE_DIR_BLOB_MAX                                    \
	storage_crypt_blob_len(sizeof(struct storage_dir_hdr) + \
			       (size_t)STORAGE_NS_OBJECTS_MAX * \
				       sizeof(struct storage_dirent))
#define STORAGE_OBJ_BLOB_MAX                                 \
	storage_crypt_blob_len(sizeof(struct storage_body) + \
			       STORAGE_META_MAX + STORAGE_DATA_MAX)

/* ---- names ----------------------------------------------------------------- */

static void storage_ns_dir_name(const struct storage_ns *ns, char *out,
				size_t len)
{
	snprintf(out, len, "%s.dir", ns->name);
}

static void storage_ns_file_name(const struct storage_ns *ns,
				 const uint8_t file[STORAGE_FILE_ID_LEN],
				 char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char id[2 * STORAGE_FILE_ID_LEN + 1];
	int i;

	for (i = 0; i < STORAGE_FILE_ID_LEN; i++) {
		id[2 * i] = hex[file[i] >> 4];
		id[2 * i + 1] = hex[file[i] & 15];
	}
	id[2 * STORAGE_FILE_ID_LEN] = 0;
	snprintf(out, len, "%s-%s", ns->name, id);
}

/* ---- namespaces ------------------------------------------------------------ */

struct storage_ns *storage_ns_get(const struct ta_uuid *uuid)
{
	struct storage_ns *ns;
	struct teeq_uuid wire;

	pthread_mutex_lock(&storage_st.lock);
	for (ns = storage_st.nss; ns; ns = ns->next)
		if (!memcmp(&ns->uuid, uuid, sizeof(*uuid)))
			break;
	pthread_mutex_unlock(&storage_st.lock);
	if (ns)
		return ns;

	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return NULL;
	ns->uuid = *uuid;
	ta_uuid_to_wire(uuid, &wire);
	if (storage_crypt_ns_name(uuid, ns->name) ||
	    storage_crypt_derive("directory", wire.b, sizeof(wire.b),
				 ns->dir_key) ||
	    pthread_mutex_init(&ns->lock, NULL)) {
		storage_crypt_wipe(ns, sizeof(*ns));
		free(ns);
		return NULL;
	}
	/* another thread may have added it meanwhile: theirs wins */
	pthread_mutex_lock(&storage_st.lock);
	{
		struct storage_ns *other;

		for (other = storage_st.nss; other; other = other->next)
			if (!memcmp(&other->uuid, uuid, sizeof(*uuid)))
				break;
		if (!other) {
			ns->next = storage_st.nss;
			storage_st.nss = ns;
		}
		pthread_mutex_unlock(&storage_st.lock);
		if (other) {
			pthread_mutex_destroy(&ns->lock);
			storage_crypt_wipe(ns, sizeof(*ns));
			free(ns);
			ns = other;
		}
	}
	return ns;
}

struct storage_dirent *storage_ns_find(struct storage_ns *ns, const void *id,
				       size_t id_len)
{
	uint32_t i;

	for (i = 0; i < ns->nr_ents; i++)
		if (ns->ents[i].id_len == id_len &&
		    !memcmp(ns->ents[i].id, id, id_len))
			return &ns->ents[i];
	return NULL;
}

/* ---- the anchor -------------------------------------------------------------- */

static int storage_ns_anchor_read(struct storage_ns *ns,
				  struct storage_anchor *a)
{
	const struct storage_platform *p = &storage_st.plat;
	struct teeq_uuid wire;
	uint8_t mac[32];
	int ret;

	ret = p->anchor_read(p->arg, ns->name, a, sizeof(*a));
	if (ret)
		return ret;
	ta_uuid_to_wire(&ns->uuid, &wire);
	if (storage_crypt_anchor_mac(a, offsetof(struct storage_anchor, mac),
				     mac) ||
	    memcmp(mac, a->mac, sizeof(mac)) ||
	    a->magic != STORAGE_ANCHOR_MAGIC ||
	    a->format != STORAGE_ANCHOR_FORMAT || a->pending > 1 ||
	    memcmp(&a->uuid, &wire, sizeof(wire)))
		return -EBADMSG;
	return 0;
}

static int storage_ns_anchor_write(struct storage_ns *ns, uint64_t version,
				   const uint8_t tag[STORAGE_TAG_LEN],
				   const uint8_t *pending_tag)
{
	const struct storage_platform *p = &storage_st.plat;
	struct storage_anchor a = { .magic = STORAGE_ANCHOR_MAGIC,
				    .format = STORAGE_ANCHOR_FORMAT,
				    .version = version };

	ta_uuid_to_wire(&ns->uuid, &a.uuid);
	memcpy(a.tag, tag, STORAGE_TAG_LEN);
	if (pending_tag) {
		a.pending = 1;
		a.pending_version = version + 1;
		memcpy(a.pending_tag, pending_tag, STORAGE_TAG_LEN);
	}
	if (storage_crypt_anchor_mac(&a, offsetof(struct storage_anchor, mac),
				     a.mac))
		return -EIO;
	return p->anchor_write(p->arg, ns->name, &a, sizeof(a));
}

/* ---- directories ------------------------------------------------------------- */

static int storage_ns_seal_dir(struct storage_ns *ns, uint64_t version,
			       const struct storage_dirent *ents, uint32_t nr,
			       unsigned char **blob, size_t *len,
			       uint8_t tag[STORAGE_TAG_LEN])
{
	struct storage_dir_hdr hdr = { .version = version, .nr = nr };
	struct storage_dir_ctx ctx = { .version = version };
	struct storage_part parts[2] = {
		{ &hdr, sizeof(hdr) },
		{ ents, (size_t)nr * sizeof(*ents) },
	};

	ta_uuid_to_wire(&ns->uuid, &ctx.uuid);
	return storage_crypt_seal(ns->dir_key, STORAGE_BLOB_DIR, &ctx,
				  sizeof(ctx), parts, 2, blob, len, tag);
}

/* Opens a directory blob that must be version @version; installs it. */
static uint32_t storage_ns_install_dir(struct storage_ns *ns, uint64_t version,
				       const unsigned char *blob, size_t len)
{
	struct storage_dir_ctx ctx = { .version = version };
	struct storage_dir_hdr hdr;
	struct storage_dirent *ents;
	unsigned char *body;
	size_t body_len;
	uint32_t i;

	ta_uuid_to_wire(&ns->uuid, &ctx.uuid);
	if (storage_crypt_open(ns->dir_key, STORAGE_BLOB_DIR, &ctx, sizeof(ctx),
			       blob, len, &body, &body_len))
		return TEEQ_ERROR_CORRUPT_OBJECT;
	if (body_len < sizeof(hdr))
		goto corrupt;
	memcpy(&hdr, body, sizeof(hdr));
	if (hdr.version != version || hdr.reserved ||
	    hdr.nr > STORAGE_NS_OBJECTS_MAX ||
	    body_len != sizeof(hdr) + (size_t)hdr.nr * sizeof(*ents))
		goto corrupt;
	ents = calloc(hdr.nr ? hdr.nr : 1, sizeof(*ents));
	if (!ents) {
		free(body);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	memcpy(ents, body + sizeof(hdr), (size_t)hdr.nr * sizeof(*ents));
	free(body);
	/* authentic, so ours; still, nothing out of bounds is believed */
	for (i = 0; i < hdr.nr; i++) {
		if (!ents[i].id_len || ents[i].id_len > STORAGE_ID_MAX ||
		    ents[i].meta_size > STORAGE_META_MAX ||
		    ents[i].data_size > STORAGE_DATA_MAX) {
			free(ents);
			return TEEQ_ERROR_CORRUPT_OBJECT;
		}
	}
	free(ns->ents);
	ns->ents = ents;
	ns->nr_ents = hdr.nr;
	ns->version = version;
	return TEEQ_SUCCESS;

corrupt:
	free(body);
	return TEEQ_ERROR_CORRUPT_OBJECT;
}

static void storage_ns_install_empty(struct storage_ns *ns)
{
	free(ns->ents);
	ns->ents = NULL;
	ns->nr_ents = 0;
	ns->version = 0;
	memset(ns->dir_tag, 0, sizeof(ns->dir_tag));
}

/* ---- garbage ------------------------------------------------------------------- */

static int storage_ns_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A file of ours that the directory does not name: left by a change that
 * was interrupted, or replaced by one that finished. */
static int storage_ns_gc_one(void *arg, const char *name)
{
	struct storage_ns *ns = arg;
	uint8_t file[STORAGE_FILE_ID_LEN];
	const char *hex = name + STORAGE_NS_NAME_LEN + 1;
	uint32_t i;
	int hi, lo;

	if (strlen(hex) != 2 * STORAGE_FILE_ID_LEN)
		return 0;
	for (i = 0; i < STORAGE_FILE_ID_LEN; i++) {
		hi = storage_ns_hexval(hex[2 * i]);
		lo = storage_ns_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		file[i] = (uint8_t)(hi << 4 | lo);
	}
	for (i = 0; i < ns->nr_ents; i++)
		if (!memcmp(ns->ents[i].file, file, sizeof(file)))
			return 0;
	storage_fs_remove(name);
	return 0;
}

static void storage_ns_gc(struct storage_ns *ns)
{
	char prefix[STORAGE_NS_NAME_LEN + 2];

	snprintf(prefix, sizeof(prefix), "%s-", ns->name);
	storage_fs_list(prefix, storage_ns_gc_one, ns);
}

/* ---- loading --------------------------------------------------------------- */

/* Picks the directory the anchor allows, or refuses; then settles. */
static uint32_t storage_ns_recover(struct storage_ns *ns)
{
	struct storage_anchor a;
	unsigned char *blob = NULL;
	uint8_t tag[STORAGE_TAG_LEN];
	char name[STORAGE_NS_NAME_LEN + 8];
	uint64_t version;
	size_t len;
	uint32_t res;
	int have_anchor, ret;

	ret = storage_ns_anchor_read(ns, &a);
	if (ret == -EBADMSG)
		return TEEQ_ERROR_CORRUPT_OBJECT; /* our own state, damaged */
	if (ret && ret != -ENOENT)
		return TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
	have_anchor = !ret;

	storage_ns_dir_name(ns, name, sizeof(name));
	ret = storage_fs_read_file(name, &blob, &len, STORAGE_DIR_BLOB_MAX);
	if (ret == -TEEQ_RPC_ENOENT) {
		/* nothing was ever committed, or only a first commit was
		 * begun; a directory that vanished is an attack */
		if (have_anchor && a.version)
			return TEEQ_ERROR_CORRUPT_OBJECT;
		if (have_anchor && a.pending &&
		    storage_ns_anchor_write(ns, 0, a.tag, NULL))
			return TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
		storage_ns_install_empty(ns);
		return TEEQ_SUCCESS;
	}
	if (ret == -TEEQ_RPC_EFBIG)
		return TEEQ_ERROR_CORRUPT_OBJECT; /* none of ours is so big */
	if (ret)
		return storage_fs_result(ret);

	/* which directory the anchor allows: the current one or the one a
	 * commit left pending; anything else is refused */
	res = TEEQ_ERROR_CORRUPT_OBJECT;
	if (!have_anchor || storage_crypt_blob_tag(blob, len, tag))
		goto out;
	if (a.version && !memcmp(tag, a.tag, sizeof(tag)))
		version = a.version;
	else if (a.pending && !memcmp(tag, a.pending_tag, sizeof(tag)))
		version = a.pending_version;
	else
		goto out;
	res = storage_ns_install_dir(ns, version, blob, len);
	if (res)
		goto out;
	memcpy(ns->dir_tag, tag, sizeof(tag));
	/* settle: the pending commit either landed or never will */
	if (a.pending && storage_ns_anchor_write(ns, version, tag, NULL)) {
		storage_ns_install_empty(ns);
		res = TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
	}
out:
	free(blob);
	return res;
}

uint32_t storage_ns_load(struct storage_ns *ns)
{
	uint32_t res;

	if (ns->loaded)
		return TEEQ_SUCCESS;
	res = storage_ns_recover(ns);
	if (res)
		return res;
	ns->loaded = 1;
	storage_ns_gc(ns);
	storage_refresh_pobjs(ns);
	return TEEQ_SUCCESS;
}

/* ---- objects ------------------------------------------------------------------ */

static void storage_ns_obj_ctx(const struct storage_ns *ns,
			       const struct storage_dirent *de,
			       struct storage_obj_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ta_uuid_to_wire(&ns->uuid, &ctx->uuid);
	memcpy(ctx->id, de->id, de->id_len);
	ctx->id_len = de->id_len;
	memcpy(ctx->file, de->file, sizeof(ctx->file));
	ctx->gen = de->gen;
}

/* An object's key: the storage key, the app, the object's id. */
static int storage_ns_obj_key(const struct storage_ns *ns, const void *id,
			      uint32_t id_len, uint8_t key[STORAGE_KEY_LEN])
{
	uint8_t ctx[sizeof(struct teeq_uuid) + 1 + STORAGE_ID_MAX];
	struct teeq_uuid wire;

	ta_uuid_to_wire(&ns->uuid, &wire);
	memcpy(ctx, wire.b, sizeof(wire.b));
	ctx[sizeof(wire.b)] = (uint8_t)id_len;
	memcpy(ctx + sizeof(wire.b) + 1, id, id_len);
	return storage_crypt_derive("object", ctx, sizeof(wire.b) + 1 + id_len,
				    key);
}

uint32_t storage_ns_read_object(struct storage_ns *ns,
				const struct storage_dirent *de,
				unsigned char **body, size_t *body_len)
{
	char name[STORAGE_NS_NAME_LEN + 2 * STORAGE_FILE_ID_LEN + 2];
	struct storage_obj_ctx ctx;
	struct storage_body hdr = { 0 };
	uint8_t key[STORAGE_KEY_LEN], tag[STORAGE_TAG_LEN];
	unsigned char *blob, *plain;
	size_t len, plain_len;
	int ret;

	storage_ns_file_name(ns, de->file, name, sizeof(name));
	ret = storage_fs_read_file(name, &blob, &len, STORAGE_OBJ_BLOB_MAX);
	/* the directory says it is there, and how big it can be */
	if (ret == -TEEQ_RPC_ENOENT || ret == -TEEQ_RPC_EFBIG)
		return TEEQ_ERROR_CORRUPT_OBJECT;
	if (ret)
		return storage_fs_result(ret);
	/* the file the directory names, and no other */
	if (storage_crypt_blob_tag(blob, len, tag) ||
	    memcmp(tag, de->tag, sizeof(tag))) {
		free(blob);
		return TEEQ_ERROR_CORRUPT_OBJECT;
	}
	storage_ns_obj_ctx(ns, de, &ctx);
	if (storage_ns_obj_key(ns, de->id, de->id_len, key)) {
		free(blob);
		return TEEQ_ERROR_GENERIC;
	}
	ret = storage_crypt_open(key, STORAGE_BLOB_OBJECT, &ctx, sizeof(ctx),
				 blob, len, &plain, &plain_len);
	storage_crypt_wipe(key, sizeof(key));
	free(blob);
	if (ret)
		return ret == -ENOMEM ? TEEQ_ERROR_OUT_OF_MEMORY :
					TEEQ_ERROR_CORRUPT_OBJECT;
	if (plain_len >= sizeof(hdr))
		memcpy(&hdr, plain, sizeof(hdr));
	if (plain_len < sizeof(hdr) || hdr.reserved ||
	    hdr.meta_size != de->meta_size || hdr.data_size != de->data_size ||
	    plain_len != sizeof(hdr) + hdr.meta_size + hdr.data_size) {
		storage_crypt_wipe(plain, plain_len);
		free(plain);
		return TEEQ_ERROR_CORRUPT_OBJECT;
	}
	*body = plain;
	*body_len = plain_len;
	return TEEQ_SUCCESS;
}

/* Step 1: a new file for @de (given its id and sizes; gets its file id,
 * generation and tag). */
static uint32_t storage_ns_write_object(struct storage_ns *ns,
					struct storage_dirent *de, uint64_t gen,
					const unsigned char *body,
					size_t body_len)
{
	char name[STORAGE_NS_NAME_LEN + 2 * STORAGE_FILE_ID_LEN + 2];
	struct storage_part part = { body, body_len };
	struct storage_obj_ctx ctx;
	uint8_t key[STORAGE_KEY_LEN];
	unsigned char *blob;
	size_t len;
	int ret;

	de->gen = gen;
	if (storage_crypt_random(de->file, sizeof(de->file)))
		return TEEQ_ERROR_GENERIC;
	storage_ns_obj_ctx(ns, de, &ctx);
	if (storage_ns_obj_key(ns, de->id, de->id_len, key))
		return TEEQ_ERROR_GENERIC;
	ret = storage_crypt_seal(key, STORAGE_BLOB_OBJECT, &ctx, sizeof(ctx),
				 &part, 1, &blob, &len, de->tag);
	storage_crypt_wipe(key, sizeof(key));
	if (ret)
		return ret == -ENOMEM ? TEEQ_ERROR_OUT_OF_MEMORY :
					TEEQ_ERROR_GENERIC;
	storage_ns_file_name(ns, de->file, name, sizeof(name));
	ret = storage_fs_write_file(name, blob, len);
	free(blob);
	/* an interrupted write leaves at most a file nobody names */
	return storage_fs_result(ret);
}

/* The directory after @c: @c->old's entry replaced by (or, without a new
 * one, removed for) @new. */
static struct storage_dirent *storage_ns_apply(const struct storage_ns *ns,
					       const struct storage_change *c,
					       const struct storage_dirent *new,
					       uint32_t *nr)
{
	struct storage_dirent *ents;
	uint32_t i, n = 0;

	ents = calloc(ns->nr_ents + 1, sizeof(*ents));
	if (!ents)
		return NULL;
	for (i = 0; i < ns->nr_ents; i++)
		if (&ns->ents[i] != c->old)
			ents[n++] = ns->ents[i];
	if (new)
		ents[n++] = *new;
	*nr = n;
	return ents;
}

uint32_t storage_ns_commit(struct storage_ns *ns, struct storage_change *c)
{
	char name[STORAGE_NS_NAME_LEN + 2 * STORAGE_FILE_ID_LEN + 2];
	struct storage_dirent new, *ents = NULL;
	uint8_t old_file[STORAGE_FILE_ID_LEN], tag[STORAGE_TAG_LEN];
	int had_old = c->old != NULL;
	unsigned char *blob = NULL;
	uint32_t nr, res;
	size_t len;
	int ret;

	if (had_old)
		memcpy(old_file, c->old->file, sizeof(old_file));
	if (c->new) {
		if (!c->old && ns->nr_ents >= STORAGE_NS_OBJECTS_MAX)
			return TEEQ_ERROR_STORAGE_NO_SPACE;
		new = *c->new;
		/* 1. the new contents, in a file of their own */
		res = storage_ns_write_object(ns, &new,
					      had_old ? c->old->gen + 1 : 1,
					      c->body, c->body_len);
		if (res)
			return res;
	}
	ents = storage_ns_apply(ns, c, c->new ? &new : NULL, &nr);
	if (!ents) {
		res = TEEQ_ERROR_OUT_OF_MEMORY;
		goto err_file;
	}
	ret = storage_ns_seal_dir(ns, ns->version + 1, ents, nr, &blob, &len,
				  tag);
	if (ret) {
		res = ret == -ENOMEM ? TEEQ_ERROR_OUT_OF_MEMORY :
				       TEEQ_ERROR_GENERIC;
		goto err_file;
	}
	/* 2. the anchor will accept the new directory, or the old one */
	if (storage_ns_anchor_write(ns, ns->version, ns->dir_tag, tag)) {
		res = TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
		goto err_file;
	}
	/* 3. the commit point: the directory replaced, whole */
	storage_ns_dir_name(ns, name, sizeof(name));
	ret = storage_fs_write_file(name, blob, len);
	if (ret) {
		/* V or V+1 is on its disk now: the next load settles it */
		res = storage_fs_result(ret);
		goto err_unknown;
	}
	/* 4. V+1 only: the change can no longer be rolled back */
	if (storage_ns_anchor_write(ns, ns->version + 1, tag, NULL)) {
		res = TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
		goto err_unknown;
	}
	free(blob);
	free(ns->ents);
	ns->ents = ents;
	ns->nr_ents = nr;
	ns->version++;
	memcpy(ns->dir_tag, tag, sizeof(tag));
	if (c->new)
		memcpy(c->tag, new.tag, sizeof(c->tag));
	/* 5. the replaced contents are garbage now */
	if (had_old) {
		storage_ns_file_name(ns, old_file, name, sizeof(name));
		storage_fs_remove(name);
	}
	return TEEQ_SUCCESS;

err_unknown:
	ns->loaded = 0;
	free(blob);
	free(ents);
	return res;
err_file:
	free(blob);
	free(ents);
	if (c->new) {
		storage_ns_file_name(ns, new.file, name, sizeof(name));
		storage_fs_remove(name);
	}
	return res;
}
