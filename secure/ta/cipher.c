// SPDX-License-Identifier: MIT
/*
 * cipher: AES-128/256 in CTR and GCM mode with OpenSSL libcrypto. This TA
 * is benchmarked in GB/s, so a session owns one EVP_CIPHER_CTX: SET_KEY
 * fetches the cipher and expands the key into it once, and each call only
 * sets a new IV, leaving the key schedule in place.
 *
 * Key, IV, nonce and tag are copied out of shared memory before use. The
 * data is read once, straight from shared memory; out-of-place windows
 * that overlap give the client garbage, never a read outside the windows.
 */
#include "secure/core/ta.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <string.h>

#define TA_CIPHER_CTR_IV_LEN 16
#define TA_CIPHER_KEY_MAX 32
/* EVP update lengths are int: feed larger buffers in slices of this. */
#define TA_CIPHER_CHUNK ((size_t)1 << 30)

struct ta_cipher_session {
	EVP_CIPHER_CTX *ctx;
	uint32_t mode; /* TEEQ_CIPHER_MODE_* of the key in ctx; 0: none */
};

/* Where the data comes from and goes to, in place or out of place. */
struct ta_cipher_io {
	const unsigned char *src;
	unsigned char *dst;
	size_t len;
	struct ta_param *out; /* gets the output size */
};

enum ta_cipher_layout {
	TA_CIPHER_BAD_LAYOUT,
	TA_CIPHER_OUT_OF_PLACE, /* p1 MEMREF_INPUT, p2 MEMREF_OUTPUT */
	TA_CIPHER_IN_PLACE, /* p1 MEMREF_INOUT, p2 NONE */
};

static enum ta_cipher_layout ta_cipher_layout(uint32_t param_types,
					      unsigned int t3)
{
	if (ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			  TEEQ_PARAM_MEMREF_INPUT, TEEQ_PARAM_MEMREF_OUTPUT,
			  t3))
		return TA_CIPHER_OUT_OF_PLACE;
	if (ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			  TEEQ_PARAM_MEMREF_INOUT, TEEQ_PARAM_NONE, t3))
		return TA_CIPHER_IN_PLACE;
	return TA_CIPHER_BAD_LAYOUT;
}

/* Sets up @io from p1/p2; on TEEQ_ERROR_SHORT_BUFFER, p2 says how much
 * room the output needs. */
static uint32_t ta_cipher_io_init(struct ta_cipher_io *io,
				  enum ta_cipher_layout layout,
				  struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_param *src = &params[1];
	size_t room;

	io->len = src->memref.size;
	io->src = src->memref.buffer;
	io->out = layout == TA_CIPHER_IN_PLACE ? src : &params[2];
	io->dst = io->out->memref.buffer;
	if (!io->src && io->len)
		return TEEQ_ERROR_BAD_PARAMETERS;
	room = io->dst ? io->out->memref.size : 0;
	if (room < io->len) {
		io->out->memref.size = io->len;
		return TEEQ_ERROR_SHORT_BUFFER;
	}
	return TEEQ_SUCCESS;
}

/* Runs @len bytes through the cipher; @dst NULL feeds GCM's AAD. */
static int ta_cipher_update(EVP_CIPHER_CTX *ctx, unsigned char *dst,
			    const unsigned char *src, size_t len)
{
	while (len) {
		size_t chunk = len < TA_CIPHER_CHUNK ? len : TA_CIPHER_CHUNK;
		int out_len;

		if (!EVP_CipherUpdate(ctx, dst, &out_len, src, (int)chunk) ||
		    (size_t)out_len != chunk)
			return 0;
		if (dst)
			dst += chunk;
		src += chunk;
		len -= chunk;
	}
	return 1;
}

static const char *ta_cipher_name(uint32_t mode, size_t key_len)
{
	if (mode == TEEQ_CIPHER_MODE_CTR)
		return key_len == 16 ? "AES-128-CTR" : "AES-256-CTR";
	return key_len == 16 ? "AES-128-GCM" : "AES-256-GCM";
}

static uint32_t ta_cipher_load_key(struct ta_cipher_session *s, uint32_t mode,
				   const struct ta_param *key)
{
	unsigned char key_copy[TA_CIPHER_KEY_MAX];
	size_t key_len = key->memref.size;
	EVP_CIPHER *cipher;
	int ok;

	cipher = EVP_CIPHER_fetch(NULL, ta_cipher_name(mode, key_len), NULL);
	if (!cipher)
		return TEEQ_ERROR_NOT_SUPPORTED;
	memcpy(key_copy, key->memref.buffer, key_len);
	/* the context keeps its own reference to the cipher */
	ok = EVP_CipherInit_ex2(s->ctx, cipher, key_copy, NULL, 1, NULL);
	OPENSSL_cleanse(key_copy, sizeof(key_copy));
	EVP_CIPHER_free(cipher);
	if (!ok)
		return TEEQ_ERROR_GENERIC;
	s->mode = mode;
	return TEEQ_SUCCESS;
}

/* Any SET_KEY drops the current key, so a failed one leaves none. */
static uint32_t ta_cipher_set_key(struct ta_cipher_session *s,
				  uint32_t param_types,
				  struct ta_param params[TEEQ_NUM_PARAMS])
{
	uint32_t mode;
	size_t key_len;

	s->mode = 0;
	if (!ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT,
			   TEEQ_PARAM_MEMREF_INPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	mode = params[0].value.a;
	key_len = params[1].memref.size;
	if (mode != TEEQ_CIPHER_MODE_CTR && mode != TEEQ_CIPHER_MODE_GCM)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!params[1].memref.buffer || (key_len != 16 && key_len != 32))
		return TEEQ_ERROR_BAD_PARAMETERS;
	return ta_cipher_load_key(s, mode, &params[1]);
}

static uint32_t ta_cipher_ctr(struct ta_cipher_session *s, uint32_t param_types,
			      struct ta_param params[TEEQ_NUM_PARAMS])
{
	enum ta_cipher_layout layout;
	unsigned char iv[TA_CIPHER_CTR_IV_LEN];
	struct ta_cipher_io io;
	uint32_t res;

	layout = ta_cipher_layout(param_types, TEEQ_PARAM_NONE);
	if (layout == TA_CIPHER_BAD_LAYOUT)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (s->mode != TEEQ_CIPHER_MODE_CTR)
		return TEEQ_ERROR_BAD_STATE;
	if (!params[0].memref.buffer ||
	    params[0].memref.size != TA_CIPHER_CTR_IV_LEN)
		return TEEQ_ERROR_BAD_PARAMETERS;
	res = ta_cipher_io_init(&io, layout, params);
	if (res != TEEQ_SUCCESS)
		return res;
	memcpy(iv, params[0].memref.buffer, sizeof(iv));
	/* a new IV only: the key schedule stays */
	if (!EVP_CipherInit_ex2(s->ctx, NULL, NULL, iv, 1, NULL) ||
	    !ta_cipher_update(s->ctx, io.dst, io.src, io.len))
		return TEEQ_ERROR_GENERIC;
	io.out->memref.size = io.len;
	return TEEQ_SUCCESS;
}

static int ta_cipher_gcm_nonce_ok(const struct ta_param *nonce_aad)
{
	return nonce_aad->memref.buffer &&
	       nonce_aad->memref.size >= TEEQ_CIPHER_GCM_IV_LEN;
}

/* Sets the nonce and feeds the AAD that follows it in p0. */
static int ta_cipher_gcm_start(EVP_CIPHER_CTX *ctx,
			       const struct ta_param *nonce_aad, int enc)
{
	const unsigned char *aad = nonce_aad->memref.buffer;
	size_t aad_len = nonce_aad->memref.size - TEEQ_CIPHER_GCM_IV_LEN;
	unsigned char nonce[TEEQ_CIPHER_GCM_IV_LEN];

	memcpy(nonce, aad, sizeof(nonce));
	aad += sizeof(nonce);
	return EVP_CipherInit_ex2(ctx, NULL, NULL, nonce, enc, NULL) &&
	       ta_cipher_update(ctx, NULL, aad, aad_len);
}

static uint32_t ta_cipher_gcm_encrypt(struct ta_cipher_session *s,
				      uint32_t param_types,
				      struct ta_param params[TEEQ_NUM_PARAMS])
{
	unsigned char tag[TEEQ_CIPHER_GCM_TAG_LEN], unused[16];
	struct ta_param *tag_out = &params[3];
	enum ta_cipher_layout layout;
	struct ta_cipher_io io;
	uint32_t res;
	int out_len;

	layout = ta_cipher_layout(param_types, TEEQ_PARAM_MEMREF_OUTPUT);
	if (layout == TA_CIPHER_BAD_LAYOUT)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (s->mode != TEEQ_CIPHER_MODE_GCM)
		return TEEQ_ERROR_BAD_STATE;
	if (!ta_cipher_gcm_nonce_ok(&params[0]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	res = ta_cipher_io_init(&io, layout, params);
	if (res == TEEQ_ERROR_BAD_PARAMETERS)
		return res;
	if (!tag_out->memref.buffer ||
	    tag_out->memref.size < TEEQ_CIPHER_GCM_TAG_LEN) {
		tag_out->memref.size = TEEQ_CIPHER_GCM_TAG_LEN;
		res = TEEQ_ERROR_SHORT_BUFFER;
	}
	if (res != TEEQ_SUCCESS)
		return res;

	/* GCM is a stream mode: the final call produces no bytes */
	if (!ta_cipher_gcm_start(s->ctx, &params[0], 1) ||
	    !ta_cipher_update(s->ctx, io.dst, io.src, io.len) ||
	    !EVP_CipherFinal_ex(s->ctx, unused, &out_len) ||
	    !EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_GET_TAG, sizeof(tag),
				 tag))
		return TEEQ_ERROR_GENERIC;
	memcpy(tag_out->memref.buffer, tag, sizeof(tag));
	tag_out->memref.size = sizeof(tag);
	io.out->memref.size = io.len;
	return TEEQ_SUCCESS;
}

/* Decrypts into the output, then checks the tag: on any failure the output
 * is zeroed, so no unauthenticated plaintext is left behind. */
static uint32_t ta_cipher_gcm_decrypt(struct ta_cipher_session *s,
				      uint32_t param_types,
				      struct ta_param params[TEEQ_NUM_PARAMS])
{
	unsigned char tag[TEEQ_CIPHER_GCM_TAG_LEN], unused[16];
	enum ta_cipher_layout layout;
	struct ta_cipher_io io;
	uint32_t res;
	int out_len;

	layout = ta_cipher_layout(param_types, TEEQ_PARAM_MEMREF_INPUT);
	if (layout == TA_CIPHER_BAD_LAYOUT)
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (s->mode != TEEQ_CIPHER_MODE_GCM)
		return TEEQ_ERROR_BAD_STATE;
	if (!ta_cipher_gcm_nonce_ok(&params[0]) || !params[3].memref.buffer ||
	    params[3].memref.size != TEEQ_CIPHER_GCM_TAG_LEN)
		return TEEQ_ERROR_BAD_PARAMETERS;
	res = ta_cipher_io_init(&io, layout, params);
	if (res != TEEQ_SUCCESS)
		return res;
	memcpy(tag, params[3].memref.buffer, sizeof(tag));

	if (!ta_cipher_gcm_start(s->ctx, &params[0], 0) ||
	    !ta_cipher_update(s->ctx, io.dst, io.src, io.len) ||
	    !EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_SET_TAG, sizeof(tag),
				 tag)) {
		res = TEEQ_ERROR_GENERIC;
		goto err_zero;
	}
	if (EVP_CipherFinal_ex(s->ctx, unused, &out_len) <= 0) {
		res = TEEQ_ERROR_MAC_INVALID;
		goto err_zero;
	}
	io.out->memref.size = io.len;
	return TEEQ_SUCCESS;

err_zero:
	if (io.len)
		memset(io.dst, 0, io.len);
	return res;
}

static uint32_t ta_cipher_open_session(void *session,
				       const struct ta_identity *who,
				       uint32_t param_types,
				       struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_cipher_session *s = session;

	(void)who;
	(void)param_types;
	(void)params;
	s->ctx = EVP_CIPHER_CTX_new();
	if (!s->ctx)
		return TEEQ_ERROR_OUT_OF_MEMORY;
	return TEEQ_SUCCESS;
}

static void ta_cipher_close_session(void *session)
{
	struct ta_cipher_session *s = session;

	/* frees the key schedule, cleansed */
	EVP_CIPHER_CTX_free(s->ctx);
	s->ctx = NULL;
	s->mode = 0;
}

static uint32_t ta_cipher_invoke(void *session, struct ta_call *call,
				 uint32_t cmd, uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS])
{
	(void)call;

	switch (cmd) {
	case TEEQ_CIPHER_CMD_SET_KEY:
		return ta_cipher_set_key(session, param_types, params);
	case TEEQ_CIPHER_CMD_CTR:
		return ta_cipher_ctr(session, param_types, params);
	case TEEQ_CIPHER_CMD_GCM_ENCRYPT:
		return ta_cipher_gcm_encrypt(session, param_types, params);
	case TEEQ_CIPHER_CMD_GCM_DECRYPT:
		return ta_cipher_gcm_decrypt(session, param_types, params);
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static const struct teeq_ta ta_cipher = {
	.name = "cipher",
	.uuid = TEEQ_TA_CIPHER_UUID,
	.session_size = sizeof(struct ta_cipher_session),
	.open_session = ta_cipher_open_session,
	.close_session = ta_cipher_close_session,
	.invoke = ta_cipher_invoke,
};
TEEQ_TA_REGISTER(ta_cipher);
