// SPDX-License-Identifier: MIT
/*
 * Key derivation: ECDH on P-256/384/521. The peer's public point comes as
 * TEE_ATTR_ECC_PUBLIC_VALUE_X/Y; the shared secret (the x coordinate)
 * becomes the TEE_ATTR_SECRET_VALUE of a generic-secret object. The
 * function returns nothing, so every error is a panic, as GP has it.
 */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute *params,
		   uint32_t paramCount, TEE_ObjectHandle derivedKey)
{
	struct ta_op *op =
		ta_op_check(operation, TEE_OPERATION_KEY_DERIVATION, __func__);
	const TEE_Attribute *x = NULL, *y = NULL;
	struct ta_obj *out = ta_obj_of(derivedKey, __func__);
	uint8_t secret[66];
	size_t secret_len = sizeof(secret);
	TEE_Attribute attr;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *peer;
	const char *group;
	int bits;
	uint32_t i;

	TA_PANIC_IF(!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET),
		    "the key is not set");
	TA_PANIC_IF(!params && paramCount, "params is NULL");
	TA_PANIC_IF(out->type != TEE_TYPE_GENERIC_SECRET,
		    "derivedKey is not a generic secret");
	TA_PANIC_IF(out->flags & TEE_HANDLE_FLAG_INITIALIZED,
		    "derivedKey is already initialized");
	for (i = 0; i < paramCount; i++) {
		if (params[i].attributeID == TEE_ATTR_ECC_PUBLIC_VALUE_X)
			x = &params[i];
		else if (params[i].attributeID == TEE_ATTR_ECC_PUBLIC_VALUE_Y)
			y = &params[i];
	}
	TA_PANIC_IF(!x || !y, "the peer's public value is missing");
	bits = EVP_PKEY_get_bits(op->pkey);
	group = bits == 521 ? "P-521" : bits == 384 ? "P-384" : "P-256";
	peer = ta_pkey_ec_public(group, x->content.ref.buffer,
				 x->content.ref.length, y->content.ref.buffer,
				 y->content.ref.length);
	TA_PANIC_IF(!peer, "the peer's public value is not on the curve");
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->pkey, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, secret, &secret_len) <= 0)
		TA_PANIC("OpenSSL ECDH failed");
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, secret, secret_len);
	if (TEE_PopulateTransientObject(derivedKey, &attr, 1))
		TA_PANIC("derivedKey cannot hold the shared secret");
	OPENSSL_cleanse(secret, sizeof(secret));
}
