/* SPDX-License-Identifier: MIT */
/*
 * Inside the storage core: the state of namespaces and open objects, and
 * the verbs the files of secure/storage/ give each other.
 *
 *   object.c  the API of storage.h: handles, share modes, data streams,
 *             enumeration
 *   ns.c      namespaces: the directory object, the rollback anchor,
 *             loading and recovery, commits, object files
 *   crypt.c   keys, sealing and opening files (AES-256-GCM), MACs
 *   fs.c      the supplicant's file service, in whole files
 *
 * Locks, outermost first:
 *   ns->lock   held across requests to the supplicant (load, commit), so
 *              only by calls that may wait;
 *   st.lock    the namespace list, the open objects and their handle
 *              counts: short, never held across a request;
 *   pobj->lock an open object's contents: short, never held across a
 *              request. Readers take only this one.
 */
#ifndef TEEQ_SECURE_STORAGE_INTERNAL_H
#define TEEQ_SECURE_STORAGE_INTERNAL_H

#include "secure/storage/storage.h"

#include <pthread.h>
#include <stdint.h>

#define STORAGE_KEY_LEN 32
#define STORAGE_TAG_LEN 16
#define STORAGE_NONCE_LEN 12
#define STORAGE_FILE_ID_LEN 16
/* the namespace's opaque name: 16 bytes of a MAC, in hex */
#define STORAGE_NS_NAME_LEN 32

/* ---- fs.c: results besides the supplicant's -TEEQ_RPC_E* statuses ---- */

/* No supplicant: nothing was sent. */
#define STORAGE_FS_UNAVAILABLE (-10000)
/* It went away or did not answer: a request may have been carried out. */
#define STORAGE_FS_UNKNOWN (-10001)

int storage_fs_read_file(const char *name, unsigned char **buf, size_t *len,
			 size_t max);
int storage_fs_write_file(const char *name, const unsigned char *buf,
			  size_t len);
int storage_fs_remove(const char *name);
/* Calls @fn for every file whose name starts with @prefix; stops at the
 * first nonzero return of @fn, which it returns. */
int storage_fs_list(const char *prefix, int (*fn)(void *arg, const char *name),
		    void *arg);
/* A file-service result as a GP result code. */
uint32_t storage_fs_result(int err);

/* ---- crypt.c --------------------------------------------------------- */

enum storage_blob_kind {
	STORAGE_BLOB_DIR = 1,
	STORAGE_BLOB_OBJECT = 2,
};

struct storage_part {
	const void *p;
	size_t len;
};

int storage_crypt_init(const uint8_t key[STORAGE_KEY_LEN]);
void storage_crypt_fini(void);
/* A key for @label and its context, derived from the storage key. */
int storage_crypt_derive(const char *label, const void *ctx, size_t ctx_len,
			 uint8_t out[STORAGE_KEY_LEN]);
/* The namespace's opaque name, NUL-terminated hex. */
int storage_crypt_ns_name(const struct ta_uuid *uuid,
			  char out[STORAGE_NS_NAME_LEN + 1]);
/* HMAC-SHA256 with the anchor key. */
int storage_crypt_anchor_mac(const void *data, size_t len, uint8_t out[32]);
int storage_crypt_random(void *buf, size_t len);
/* Seals @parts as one body: *@blob (malloc'd) = header, ciphertext, tag,
 * authenticated with @ctx; *@tag gets the tag. 0 or -errno. */
int storage_crypt_seal(const uint8_t key[STORAGE_KEY_LEN],
		       enum storage_blob_kind kind, const void *ctx,
		       size_t ctx_len, const struct storage_part *parts,
		       int nr_parts, unsigned char **blob, size_t *blob_len,
		       uint8_t tag[STORAGE_TAG_LEN]);
/* Opens a sealed blob: *@body (malloc'd) the plaintext. -EBADMSG for
 * anything but a genuine blob of this kind, key and context; -ENOMEM. */
int storage_crypt_open(const uint8_t key[STORAGE_KEY_LEN],
		       enum storage_blob_kind kind, const void *ctx,
		       size_t ctx_len, const unsigned char *blob,
		       size_t blob_len, unsigned char **body, size_t *body_len);
/* The tag a blob carries (its last bytes); -EBADMSG if it is too short. */
int storage_crypt_blob_tag(const unsigned char *blob, size_t len,
			   uint8_t tag[STORAGE_TAG_LEN]);
/* Bytes a sealed blob of a @body_len-byte body takes. */
size_t storage_crypt_blob_len(size_t body_len);
void storage_crypt_wipe(void *p, size_t len);

/* ---- ns.c -------------------------------------------------------------- */

/* One object as the directory lists it. */
struct storage_dirent {
	uint8_t id[STORAGE_ID_MAX];
	uint32_t id_len;
	uint32_t meta_size;
	uint64_t data_size;
	uint64_t gen; /* generation of its contents: 1, 2, ... */
	uint8_t file[STORAGE_FILE_ID_LEN]; /* random, names its file */
	uint8_t tag[STORAGE_TAG_LEN]; /* the tag of that file */
};

struct storage_ns {
	struct storage_ns *next; /* under st.lock */
	struct ta_uuid uuid;
	char name[STORAGE_NS_NAME_LEN + 1];
	uint8_t dir_key[STORAGE_KEY_LEN];
	pthread_mutex_t lock; /* load, commit: held across requests */
	/* under lock: */
	int loaded;
	uint64_t version; /* of the committed directory */
	uint8_t dir_tag[STORAGE_TAG_LEN];
	struct storage_dirent *ents;
	uint32_t nr_ents;
};

/*
 * The contents of an open object, shared by its handles. body is the
 * plaintext of its file: a struct storage_body, the metadata, the data.
 */
struct storage_body {
	uint32_t meta_size;
	uint32_t reserved;
	uint64_t data_size;
};

struct storage_pobj {
	struct storage_pobj *next; /* under st.lock */
	struct storage_ns *ns;
	uint8_t id[STORAGE_ID_MAX]; /* under ns->lock (rename) */
	uint32_t id_len;
	/* handle counts, under st.lock: for the share rules */
	uint32_t handles, reading, writing, meta, no_share_read, no_share_write;
	/* under st.lock: users besides the handles (a refresh) */
	uint32_t pins;
	pthread_mutex_t lock; /* body, held: short */
	unsigned char *body;
	size_t held; /* bytes of body counted against STORAGE_HELD_MAX */
	/* under ns->lock: the file the body is committed in */
	uint8_t tag[STORAGE_TAG_LEN];
	/* 0, or what every use of its handles returns now: the object is
	 * no longer there (ITEM_NOT_FOUND: an interrupted delete turned out
	 * to have happened) or its file is damaged (CORRUPT_OBJECT) */
	uint32_t dead; /* atomic */
};

/* The namespace of @uuid, created (unloaded) if new; never freed before
 * storage_fini(). NULL: no memory. */
struct storage_ns *storage_ns_get(const struct ta_uuid *uuid);
/* Under ns->lock: loads (and recovers) the namespace if it is not. */
uint32_t storage_ns_load(struct storage_ns *ns);
/* Under ns->lock: the entry of @id, or NULL. */
struct storage_dirent *storage_ns_find(struct storage_ns *ns, const void *id,
				       size_t id_len);
/* Under ns->lock: reads and opens the object file of @de; *@body the
 * plaintext (malloc'd). CORRUPT_OBJECT for anything but @de's file. */
uint32_t storage_ns_read_object(struct storage_ns *ns,
				const struct storage_dirent *de,
				unsigned char **body, size_t *body_len);

/* One change to a namespace, committed by storage_ns_commit(). */
struct storage_change {
	/* the entry to replace (NULL: none) and the new one (NULL: none) */
	const struct storage_dirent *old;
	const struct storage_dirent *new;
	/* new->id's object body to seal into a new file (NULL: the entry
	 * keeps old's file, as for a rename) */
	const unsigned char *body;
	size_t body_len;
	/* out: the tag of the file the entry now names */
	uint8_t tag[STORAGE_TAG_LEN];
};

/*
 * Under ns->lock, loaded: commits @c. The new object file (if any) is
 * written first; the directory listing it is committed next (the
 * supplicant's rename is the commit point, bracketed by two anchor
 * updates); the replaced file is removed last. TEEQ_SUCCESS when the
 * change is durable; on an error the namespace either is unchanged or, if
 * the outcome is unknown, is unloaded, and the next load settles which.
 */
uint32_t storage_ns_commit(struct storage_ns *ns, struct storage_change *c);

/* ---- object.c ------------------------------------------------------------ */

struct storage_state {
	struct storage_platform plat;
	int ready;
	pthread_mutex_t lock;
	struct storage_ns *nss;
	struct storage_pobj *pobjs;
	uint64_t held; /* bytes of open objects' bodies */
};

extern struct storage_state storage_st;

/* Under ns->lock after a reload: brings open objects of @ns up to what
 * the directory now says. */
void storage_refresh_pobjs(struct storage_ns *ns);

#endif /* TEEQ_SECURE_STORAGE_INTERNAL_H */
