/* SPDX-License-Identifier: MIT */
/*
 * The secure world's storage core: GlobalPlatform persistent objects,
 * kept by the normal world (teeq-supplicant) as files it cannot read,
 * forge, swap or roll back. The GP Internal Core API's persistent-object
 * functions (TEE_CreatePersistentObject and the rest) and the built-in
 * storage TA call it; docs/storage.md has the formats and the threat
 * model.
 *
 * Everything returns a GP result code (TEEQ_SUCCESS or TEEQ_ERROR_*). The
 * ones every call may return:
 *   TEEQ_ERROR_STORAGE_NOT_AVAILABLE  no supplicant is attached (at once,
 *                                     for every call but those that only
 *                                     use an open handle's contents), or
 *                                     it went away or stopped answering
 *                                     meanwhile (the call is bounded in
 *                                     time; a change it made is then
 *                                     either wholly done or not at all)
 *   TEEQ_ERROR_CORRUPT_OBJECT         what the normal world holds was
 *                                     tampered with, truncated, swapped,
 *                                     deleted or rolled back; no data is
 *                                     ever returned from it
 *   TEEQ_ERROR_OUT_OF_MEMORY          a bound on what the core holds
 *   TEEQ_ERROR_BAD_PARAMETERS         bad flags, ids or sizes
 *
 * Semantics are GP's: each trusted app (identified by its UUID) has its
 * own namespace; a handle has its own access flags and data position;
 * several handles may open one object as far as their share flags allow
 * (TEE_DATA_FLAG_ACCESS_WRITE_META is exclusive); every change (create,
 * write, truncate, rename, delete) is atomic and durable when it
 * returns TEEQ_SUCCESS, and all handles of an object see it at once.
 *
 * Calls that may go to the supplicant wait for it (up to the platform's
 * timeout): a host runs them where waiting is fine (teeq-sw: call threads,
 * see ta_cmd_blocks()). storage_read(), storage_seek(), storage_info(),
 * storage_meta(), storage_close(), storage_enum_next() and
 * storage_enum_free() never wait for the supplicant, nor for a lock held
 * while somebody else does.
 *
 * Thread safety: any call from any thread, except that one handle (or one
 * enumerator) must not be used by two threads at once.
 */
#ifndef TEEQ_SECURE_STORAGE_H
#define TEEQ_SECURE_STORAGE_H

#include "secure/core/ta.h"
#include "uapi/teeq_rpc.h"

#include <stddef.h>
#include <stdint.h>

/* Object id: 1..64 bytes, any values (TEE_OBJECT_ID_MAX_LEN). */
#define STORAGE_ID_MAX 64u
/* Handle flags, the values of GP's TEE_DATA_FLAG_*. */
#define STORAGE_ACCESS_READ 0x00000001u
#define STORAGE_ACCESS_WRITE 0x00000002u
#define STORAGE_ACCESS_WRITE_META 0x00000004u
#define STORAGE_SHARE_READ 0x00000010u
#define STORAGE_SHARE_WRITE 0x00000020u
#define STORAGE_OVERWRITE 0x00000400u /* storage_create() only */
/* storage_seek() whence, GP's TEE_DATA_SEEK_*. */
#define STORAGE_SEEK_SET 0u
#define STORAGE_SEEK_CUR 1u
#define STORAGE_SEEK_END 2u
/* Largest data position (TEE_DATA_MAX_POSITION): past it, OVERFLOW. */
#define STORAGE_MAX_POSITION 0xffffffffull
/* Largest data stream of one object: past it, STORAGE_NO_SPACE. */
#define STORAGE_DATA_MAX (16u << 20)
/* Largest metadata blob (the GP layer's object type and attributes). */
#define STORAGE_META_MAX 4096u
/* Objects per trusted app: past it, STORAGE_NO_SPACE. */
#define STORAGE_NS_OBJECTS_MAX 4096u
/* Bytes of object contents held in secure memory at once, all objects:
 * past it, opening or growing an object is OUT_OF_MEMORY. */
#define STORAGE_HELD_MAX (256ull << 20)

/*
 * What the host provides (as drivers/tee's core sees a backend through an
 * ops table). Calls may come from several threads at once.
 */
struct storage_platform {
	void *arg;
	/*
	 * Sends one file-service request (uapi/teeq_rpc.h) to the
	 * supplicant: @req without stamp or tag (the platform's), @in_len
	 * bytes of @in put at the start of its window; waits for the reply
	 * and copies up to @out_cap bytes of what it put in the window to
	 * @out (rsp->len says how many; the platform has checked that it
	 * fits the window). Returns 0 with *@rsp filled (its status may be
	 * an error); -ENODEV if no supplicant with the file service is
	 * attached, or @in_len / @out_cap exceed its window (nothing was
	 * sent); -ETIMEDOUT or -EPIPE if it did not answer in time or went
	 * away (the request may or may not have been carried out).
	 */
	int (*rpc)(void *arg, const struct teeq_rpc_req *req, const void *in,
		   uint32_t in_len, void *out, uint32_t out_cap,
		   struct teeq_rpc_rsp *rsp);
	/* Bytes a request's window holds now; 0 when none is attached. */
	uint32_t (*window)(void *arg);
	/*
	 * Rollback anchors: small records that must survive restarts where
	 * the normal world cannot reach (host mode: the secure state
	 * directory; a real TEE: RPMB or a monotonic counter). read returns
	 * 0, -ENOENT if @name was never written, or -errno; write must be
	 * atomic (the old record or the new one, whatever happens) and
	 * durable when it returns 0.
	 */
	int (*anchor_read)(void *arg, const char *name, void *buf, size_t len);
	int (*anchor_write)(void *arg, const char *name, const void *buf,
			    size_t len);
	/* The secure world's storage key; every other key derives from it. */
	uint8_t key[32];
};

/* Starts the core with @p (copied). TEEQ_SUCCESS, or an error. Before it
 * (or after storage_fini()) every call is STORAGE_NOT_AVAILABLE. */
uint32_t storage_init(const struct storage_platform *p);
/* Stops the core; nothing may be open any more (handles, enumerators). */
void storage_fini(void);

struct storage_obj; /* an open handle */
struct storage_enum; /* an enumerator */

struct storage_info {
	uint64_t data_size;
	uint64_t position; /* this handle's data position */
	uint32_t flags; /* this handle's STORAGE_ACCESS_* | STORAGE_SHARE_* */
	uint32_t meta_size;
};

/*
 * Creates object @id (@id_len bytes) in the namespace of @ns with
 * metadata @meta and initial data @data, and opens it with @flags
 * (STORAGE_ACCESS_*, STORAGE_SHARE_*, STORAGE_OVERWRITE). An existing
 * object is replaced only with STORAGE_OVERWRITE, and never while a
 * handle is open on it: else ACCESS_CONFLICT. @obj NULL: closed at once.
 * Also STORAGE_NO_SPACE (too large, too many objects, the supplicant's
 * disk is full).
 */
uint32_t storage_create(const struct ta_uuid *ns, const void *id, size_t id_len,
			uint32_t flags, const void *meta, size_t meta_len,
			const void *data, size_t data_len,
			struct storage_obj **obj);
/* Opens object @id with @flags (STORAGE_ACCESS_*, STORAGE_SHARE_*):
 * ITEM_NOT_FOUND, ACCESS_CONFLICT when the share flags forbid it. */
uint32_t storage_open(const struct ta_uuid *ns, const void *id, size_t id_len,
		      uint32_t flags, struct storage_obj **obj);
/* Closes a handle (NULL: nothing). */
void storage_close(struct storage_obj *obj);

/* Reads up to @size bytes at the position, which advances; *@count gets
 * how many (0 at or past the end). Needs STORAGE_ACCESS_READ. */
uint32_t storage_read(struct storage_obj *obj, void *buf, size_t size,
		      size_t *count);
/* Writes @size bytes at the position, which advances; a position past the
 * end first fills the gap with zeros. Needs STORAGE_ACCESS_WRITE.
 * OVERFLOW past STORAGE_MAX_POSITION, STORAGE_NO_SPACE past
 * STORAGE_DATA_MAX. */
uint32_t storage_write(struct storage_obj *obj, const void *buf, size_t size);
/* Moves the position; OVERFLOW if it would pass STORAGE_MAX_POSITION, a
 * negative result is 0. *@position (may be NULL) gets the new one. */
uint32_t storage_seek(struct storage_obj *obj, int64_t offset, uint32_t whence,
		      uint64_t *position);
/* Shrinks or extends (with zeros) the data; the position stays. Needs
 * STORAGE_ACCESS_WRITE. */
uint32_t storage_truncate(struct storage_obj *obj, uint64_t size);
/* Renames the object: ACCESS_CONFLICT if @new_id exists. Needs
 * STORAGE_ACCESS_WRITE_META. */
uint32_t storage_rename(struct storage_obj *obj, const void *new_id,
			size_t new_id_len);
/* Deletes the object and closes the handle (on success only). Needs
 * STORAGE_ACCESS_WRITE_META. */
uint32_t storage_delete(struct storage_obj *obj);
uint32_t storage_info(struct storage_obj *obj, struct storage_info *info);
/* Copies the metadata; SHORT_BUFFER with *@len set to what is needed. */
uint32_t storage_meta(struct storage_obj *obj, void *buf, size_t *len);

/* A snapshot of the namespace's objects: ITEM_NOT_FOUND if it has none. */
uint32_t storage_enum_start(const struct ta_uuid *ns, struct storage_enum **e);
/* The next object's id (@id holds STORAGE_ID_MAX bytes) and, if @info is
 * not NULL, its data and metadata sizes; ITEM_NOT_FOUND at the end. */
uint32_t storage_enum_next(struct storage_enum *e, void *id, size_t *id_len,
			   struct storage_info *info);
void storage_enum_free(struct storage_enum *e);

#endif /* TEEQ_SECURE_STORAGE_H */
