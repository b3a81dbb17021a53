/* SPDX-License-Identifier: MIT */
/*
 * What the crypto files share: transient objects (object.c), OpenSSL keys
 * built from them (pkey.c), operations and the algorithm table
 * (operation.c) that digest.c, mac.c, cipher.c, ae.c, asym.c and derive.c
 * drive.
 */
#ifndef TEEQ_SDK_LIB_CRYPTO_H
#define TEEQ_SDK_LIB_CRYPTO_H

#include "internal.h"

#include <openssl/evp.h>

#define TA_OBJ_MAX_ATTRS 10
#define TA_KEY_MAX 128 /* bytes of a symmetric key: HMAC up to 1024 bits */

struct ta_attr {
	uint32_t id;
	uint32_t a, b; /* value attributes */
	uint8_t *buf; /* buffer attributes: a private copy */
	size_t len;
};

struct ta_obj {
	uint32_t type; /* TEE_TYPE_* */
	uint32_t max_size; /* bits */
	uint32_t size; /* bits; 0 until initialized */
	uint32_t usage;
	uint32_t flags; /* TEE_HANDLE_FLAG_INITIALIZED */
	unsigned int n_attrs;
	struct ta_attr attrs[TA_OBJ_MAX_ATTRS];
	EVP_PKEY *pkey; /* RSA and EC types, once initialized */
	/* a persistent object: the storage's handle (storage.c); 0 for a
	 * transient one */
	uint32_t pobj;
};

/* The object behind @h; panics in @func when @h is not one. */
struct ta_obj *ta_obj_of(TEE_ObjectHandle h, const char *func);
const struct ta_attr *ta_obj_attr(const struct ta_obj *o, uint32_t id);
/* Drops the attributes and the key (the object is no longer initialized). */
void ta_obj_clear(struct ta_obj *o);
/* Persistent objects (storage.c): closes the storage's handle; the data
 * size and position into @info. */
void ta_pobj_close(struct ta_obj *o);
TEE_Result ta_pobj_info(struct ta_obj *o, TEE_ObjectInfo *info);
bool ta_obj_is_public_type(uint32_t type);

/* ECC curves teeq supports: bits and OpenSSL group name, or 0/NULL. */
uint32_t ta_curve_bits(uint32_t curve);
const char *ta_curve_name(uint32_t curve);

/* Builds o->pkey from o's attributes; TEE_ERROR_BAD_PARAMETERS when they
 * do not make a valid key. */
TEE_Result ta_pkey_build(struct ta_obj *o);
/* A peer's EC public key from raw X and Y on the curve of @like. */
EVP_PKEY *ta_pkey_ec_public(const char *group, const uint8_t *x, size_t x_len,
			    const uint8_t *y, size_t y_len);

/* Hash helpers: OpenSSL name and length of a TEE_ALG_SHA* value. */
const char *ta_hash_name(uint32_t hash_alg);
size_t ta_hash_len(uint32_t hash_alg);

struct ta_alg {
	uint32_t alg;
	uint32_t op_class; /* TEE_OPERATION_* */
	uint32_t hash; /* TEE_ALG_SHA* used inside, or 0 */
	const char *name; /* OpenSSL cipher or MAC name */
};

struct ta_op {
	TEE_OperationInfo info;
	uint32_t state; /* TEE_OPERATION_STATE_* */
	const struct ta_alg *alg;
	uint8_t key[TA_KEY_MAX], key2[TA_KEY_MAX];
	size_t key_len, key2_len;
	EVP_PKEY *pkey;
	EVP_MD_CTX *md; /* digests */
	EVP_MAC_CTX *mac; /* HMAC, CMAC */
	EVP_CIPHER_CTX *cipher; /* ciphers, AE; AES-ECB under CTS/XTS */
	EVP_CIPHER_CTX *tweak; /* XTS: AES-ECB encryptor of the tweak */
	/* CTS and XTS hold back the last blocks until the final call */
	uint8_t held[32];
	size_t held_len;
	uint8_t chain[16]; /* CTS: CBC chaining value; XTS: the tweak */
	/* AE */
	size_t tag_len; /* bytes */
	size_t aad_len, payload_len; /* CCM: as declared at init */
	size_t aad_done, payload_done;
	bool payload_started;
	uint8_t nonce[16];
	size_t nonce_len;
	uint8_t *ccm_aad, *ccm_data; /* CCM: OpenSSL wants it all at once */
};

struct ta_op *ta_op_of(TEE_OperationHandle h, const char *func);
/* The checks every class-specific function starts with. */
struct ta_op *ta_op_check(TEE_OperationHandle h, uint32_t op_class,
			  const char *func);
/* Output-size check: SHORT_BUFFER with the size written back. */
TEE_Result ta_op_room(size_t need, void *dest, size_t *dest_len,
		      const char *func);
/* Back to the initial state, key kept: for reset and after finals. */
void ta_op_restart(struct ta_op *op);
EVP_CIPHER *ta_op_fetch_cipher(const char *mode, size_t key_len);

#endif /* TEEQ_SDK_LIB_CRYPTO_H */
