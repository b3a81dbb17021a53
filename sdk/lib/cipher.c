// SPDX-License-Identifier: MIT
/*
 * Symmetric ciphers: AES in ECB and CBC (no padding) and CTR through
 * OpenSSL's streaming EVP calls; CTS (CBC-CS3, as in RFC 3962) and XTS
 * (IEEE 1619) here, on AES-ECB blocks, because OpenSSL does those only in
 * one call while GP lets a TA feed them in pieces. Both hold back the last
 * one or two blocks until the final call, where ciphertext stealing
 * happens.
 *
 * Every output size is computed before anything is processed, so a
 * TEE_ERROR_SHORT_BUFFER (with the size needed written back) leaves the
 * operation exactly as it was.
 */
#include "crypto.h"

#include <openssl/crypto.h>

#include <stdlib.h>
#include <string.h>

#define TA_BLOCK 16

static bool ta_cipher_manual(const struct ta_op *op)
{
	return op->info.algorithm == TEE_ALG_AES_CTS ||
	       op->info.algorithm == TEE_ALG_AES_XTS;
}

static bool ta_cipher_encrypting(const struct ta_op *op)
{
	return op->info.mode == TEE_MODE_ENCRYPT;
}

static void ta_cipher_ecb(EVP_CIPHER_CTX *ctx, const uint8_t *in, uint8_t *out)
{
	int len;

	if (!EVP_CipherUpdate(ctx, out, &len, in, TA_BLOCK) || len != TA_BLOCK)
		TA_PANIC("OpenSSL AES block failed");
}

static void ta_cipher_xor(uint8_t *dst, const uint8_t *a, const uint8_t *b,
			  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = a[i] ^ b[i];
}

/* XTS: the tweak times alpha in GF(2^128), little-endian. */
static void ta_cipher_xts_next(uint8_t *t)
{
	unsigned int i, carry = 0;

	for (i = 0; i < TA_BLOCK; i++) {
		unsigned int next = t[i] >> 7;

		t[i] = (uint8_t)((t[i] << 1) | carry);
		carry = next;
	}
	if (carry)
		t[0] ^= 0x87;
}

static void ta_cipher_xts_block(struct ta_op *op, const uint8_t *t,
				const uint8_t *in, uint8_t *out)
{
	uint8_t x[TA_BLOCK];

	ta_cipher_xor(x, in, t, TA_BLOCK);
	ta_cipher_ecb(op->cipher, x, x);
	ta_cipher_xor(out, x, t, TA_BLOCK);
}

/* One whole block through CTS's CBC chain or XTS's tweak. */
static void ta_cipher_block(struct ta_op *op, const uint8_t *in, uint8_t *out)
{
	uint8_t x[TA_BLOCK];

	if (op->info.algorithm == TEE_ALG_AES_XTS) {
		ta_cipher_xts_block(op, op->chain, in, out);
		ta_cipher_xts_next(op->chain);
	} else if (ta_cipher_encrypting(op)) {
		ta_cipher_xor(x, in, op->chain, TA_BLOCK);
		ta_cipher_ecb(op->cipher, x, out);
		memcpy(op->chain, out, TA_BLOCK);
	} else {
		memcpy(x, in, TA_BLOCK);
		ta_cipher_ecb(op->cipher, x, out);
		ta_cipher_xor(out, out, op->chain, TA_BLOCK);
		memcpy(op->chain, x, TA_BLOCK);
	}
}

/* How many bytes CTS or XTS may process now, out of @total buffered:
 * CTS keeps 17..32 back, XTS 16..31, for the final stealing. */
static size_t ta_cipher_manual_ready(const struct ta_op *op, size_t total)
{
	size_t keep = op->info.algorithm == TEE_ALG_AES_CTS ? 17 : 16;

	return total >= keep ? (total - keep) / TA_BLOCK * TA_BLOCK : 0;
}

/* Runs @n bytes (whole blocks) of held bytes then @src, keeping the rest
 * of @src in op->held. @src and @dst do not overlap. */
static void ta_cipher_manual_run(struct ta_op *op, const uint8_t *src,
				 size_t src_len, size_t n, uint8_t *dst)
{
	uint8_t in[TA_BLOCK];
	size_t used = 0, done;

	for (done = 0; done < n; done += TA_BLOCK) {
		size_t from_held = op->held_len < TA_BLOCK ? op->held_len :
							     TA_BLOCK;

		memcpy(in, op->held, from_held);
		memmove(op->held, op->held + from_held,
			op->held_len - from_held);
		op->held_len -= from_held;
		memcpy(in + from_held, src + used, TA_BLOCK - from_held);
		used += TA_BLOCK - from_held;
		ta_cipher_block(op, in, dst + done);
	}
	memcpy(op->held + op->held_len, src + used, src_len - used);
	op->held_len += src_len - used;
}

/* CTS final: 16 bytes are one CBC block; 17..32 are stolen (CS3). */
static void ta_cipher_cts_final(struct ta_op *op, uint8_t *out)
{
	size_t d = op->held_len - TA_BLOCK;
	uint8_t x[TA_BLOCK], y[TA_BLOCK], pad[TA_BLOCK] = { 0 };

	if (!d) {
		ta_cipher_block(op, op->held, out);
		return;
	}
	if (ta_cipher_encrypting(op)) {
		ta_cipher_block(op, op->held, x); /* X, the last full block */
		memcpy(pad, op->held + TA_BLOCK, d);
		ta_cipher_xor(pad, pad, x, TA_BLOCK);
		ta_cipher_ecb(op->cipher, pad, out);
		memcpy(out + TA_BLOCK, x, d);
		return;
	}
	/* Y = D(C_a) = P_n||0 ^ X; X = C_b || Y[d..] */
	ta_cipher_ecb(op->cipher, op->held, y);
	memcpy(x, op->held + TA_BLOCK, d);
	memcpy(x + d, y + d, TA_BLOCK - d);
	ta_cipher_xor(out + TA_BLOCK, y, x, d);
	ta_cipher_block(op, x, out);
}

/* XTS final: 16 bytes are one block; 17..31 steal from the last full one,
 * the two tweaks in swapped order when decrypting. */
static void ta_cipher_xts_final(struct ta_op *op, uint8_t *out)
{
	size_t m = op->held_len - TA_BLOCK;
	uint8_t t1[TA_BLOCK], t2[TA_BLOCK], cc[TA_BLOCK], pp[TA_BLOCK];

	if (!m) {
		ta_cipher_block(op, op->held, out);
		return;
	}
	memcpy(t1, op->chain, TA_BLOCK);
	memcpy(t2, t1, TA_BLOCK);
	ta_cipher_xts_next(t2);
	if (!ta_cipher_encrypting(op)) {
		memcpy(cc, t1, TA_BLOCK);
		memcpy(t1, t2, TA_BLOCK);
		memcpy(t2, cc, TA_BLOCK);
	}
	ta_cipher_xts_block(op, t1, op->held, cc);
	memcpy(pp, op->held + TA_BLOCK, m);
	memcpy(pp + m, cc + m, TA_BLOCK - m);
	ta_cipher_xts_block(op, t2, pp, out);
	memcpy(out + TA_BLOCK, cc, m);
}

static struct ta_op *ta_cipher_ready(TEE_OperationHandle operation,
				     const char *func)
{
	struct ta_op *op = ta_op_check(operation, TEE_OPERATION_CIPHER, func);

	if (!(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "TEE_CipherInit has not been called");
	return op;
}

void TEE_CipherInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	struct ta_op *op =
		ta_op_check(operation, TEE_OPERATION_CIPHER, __func__);
	bool ecb = op->info.algorithm == TEE_ALG_AES_ECB_NOPAD;
	EVP_CIPHER *cipher, *ecb_cipher = NULL;
	int enc = ta_cipher_encrypting(op);
	bool ok;

	TA_PANIC_IF(!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET),
		    "the key is not set");
	TA_PANIC_IF(!ecb && (!IV || IVLen != TA_BLOCK),
		    "the algorithm needs a 16-byte IV");
	cipher = ta_op_fetch_cipher(op->alg->name, op->key_len);
	if (!cipher)
		TA_PANIC("OpenSSL has no such cipher");
	if (op->info.algorithm == TEE_ALG_AES_XTS) {
		ecb_cipher = cipher;
		/* the tweak is E_K2(IV), whichever way the data goes */
		ok = EVP_CipherInit_ex2(op->tweak, ecb_cipher, op->key2, NULL,
					1, NULL) &&
		     EVP_CIPHER_CTX_set_padding(op->tweak, 0) &&
		     EVP_CipherInit_ex2(op->cipher, cipher, op->key, NULL, enc,
					NULL);
		if (ok)
			ta_cipher_ecb(op->tweak, IV, op->chain);
	} else {
		ok = EVP_CipherInit_ex2(op->cipher, cipher, op->key,
					ta_cipher_manual(op) ? NULL : IV, enc,
					NULL);
		if (op->info.algorithm == TEE_ALG_AES_CTS)
			memcpy(op->chain, IV, TA_BLOCK);
	}
	EVP_CIPHER_free(cipher);
	if (!ok || !EVP_CIPHER_CTX_set_padding(op->cipher, 0))
		TA_PANIC("OpenSSL cipher set-up failed");
	op->held_len = 0;
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	op->state = TEE_OPERATION_STATE_ACTIVE;
}

/* Bytes an update of @len produces now. */
static size_t ta_cipher_update_size(const struct ta_op *op, size_t len)
{
	switch (op->info.algorithm) {
	case TEE_ALG_AES_CTR:
		return len;
	case TEE_ALG_AES_CTS:
	case TEE_ALG_AES_XTS:
		return ta_cipher_manual_ready(op, op->held_len + len);
	default: /* ECB, CBC: OpenSSL buffers the partial block */
		return (op->held_len + len) / TA_BLOCK * TA_BLOCK;
	}
}

static void ta_cipher_evp(struct ta_op *op, const uint8_t *src, size_t len,
			  uint8_t *dst, size_t expect)
{
	size_t done = 0;

	while (len) {
		int chunk = len > (1u << 30) ? 1 << 30 : (int)len, out;

		if (!EVP_CipherUpdate(op->cipher, dst + done, &out, src, chunk))
			TA_PANIC("OpenSSL cipher failed");
		done += (size_t)out;
		src += chunk;
		len -= (size_t)chunk;
	}
	if (done != expect)
		TA_PANIC("OpenSSL cipher output size mismatch");
}

/* The update step shared with the final call. */
static void ta_cipher_process(struct ta_op *op, const uint8_t *src, size_t len,
			      uint8_t *dst, size_t out)
{
	uint8_t *copy = NULL;

	if (!ta_cipher_manual(op)) {
		ta_cipher_evp(op, src, len, dst, out);
		if (op->info.algorithm != TEE_ALG_AES_CTR)
			op->held_len = (op->held_len + len) % TA_BLOCK;
		return;
	}
	/* blocks mix held bytes and source: work on a copy if they meet */
	if (len && dst < src + len && src < dst + out) {
		copy = malloc(len);
		if (!copy)
			TA_PANIC("out of memory");
		memcpy(copy, src, len);
		src = copy;
	}
	ta_cipher_manual_run(op, src, len, out, dst);
	free(copy);
}

TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData,
			    size_t srcLen, void *destData, size_t *destLen)
{
	struct ta_op *op = ta_cipher_ready(operation, __func__);
	size_t out = ta_cipher_update_size(op, srcLen);
	TEE_Result res;

	TA_CHECK_BUF(srcData, srcLen);
	res = ta_op_room(out, destData, destLen, __func__);
	if (res)
		return res;
	ta_cipher_process(op, srcData, srcLen, destData, out);
	*destLen = out;
	return TEE_SUCCESS;
}

TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData,
			     size_t srcLen, void *destData, size_t *destLen)
{
	struct ta_op *op = ta_cipher_ready(operation, __func__);
	size_t total = op->held_len + srcLen, out, ready;
	TEE_Result res;

	TA_CHECK_BUF(srcData, srcLen);
	if (op->info.algorithm == TEE_ALG_AES_CTR)
		total = srcLen;
	if ((op->info.algorithm == TEE_ALG_AES_ECB_NOPAD ||
	     op->info.algorithm == TEE_ALG_AES_CBC_NOPAD) &&
	    total % TA_BLOCK)
		return TEE_ERROR_BAD_PARAMETERS;
	if (ta_cipher_manual(op) && total && total < TA_BLOCK)
		return TEE_ERROR_BAD_PARAMETERS;
	out = total;
	res = ta_op_room(out, destData, destLen, __func__);
	if (res)
		return res;
	if (ta_cipher_manual(op)) {
		ready = ta_cipher_manual_ready(op, total);
		ta_cipher_process(op, srcData, srcLen, destData, ready);
		if (op->held_len && op->info.algorithm == TEE_ALG_AES_CTS)
			ta_cipher_cts_final(op, (uint8_t *)destData + ready);
		else if (op->held_len)
			ta_cipher_xts_final(op, (uint8_t *)destData + ready);
	} else {
		ta_cipher_process(op, srcData, srcLen, destData, out);
	}
	*destLen = out;
	OPENSSL_cleanse(op->held, sizeof(op->held));
	ta_op_restart(op);
	return TEE_SUCCESS;
}
