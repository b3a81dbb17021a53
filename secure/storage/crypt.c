// SPDX-License-Identifier: MIT
/*
 * Keys and sealing for the storage core (OpenSSL libcrypto).
 *
 * Every key derives from the one storage key with HKDF-SHA256, a label
 * and a context (the trusted app's UUID; for an object, also its id), so
 * no two namespaces, and no two objects, share a key. A sealed file is
 *
 *   struct storage_blob_hdr   32 bytes: magic, format, kind, nonce, length
 *   ciphertext                AES-256-GCM of the body
 *   tag                       16 bytes
 *
 * with the header and a caller's context (what the file must be: the
 * namespace and version of a directory; the namespace, id, file id and
 * generation of an object) as additional authenticated data. A file put
 * in another's place, cut short, or from another time fails to open.
 * Nonces are random (96 bits): an object's key stays the same across its
 * versions.
 */
#include "secure/storage/internal.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STORAGE_BLOB_MAGIC 0x42535154u /* "TQSB" */
#define STORAGE_BLOB_FORMAT 1u

struct storage_blob_hdr {
	uint32_t magic;
	uint16_t format;
	uint16_t kind; /* enum storage_blob_kind */
	uint8_t nonce[STORAGE_NONCE_LEN];
	uint32_t reserved; /* zero */
	uint64_t body_len; /* ciphertext bytes that follow */
};

_Static_assert(sizeof(struct storage_blob_hdr) == 32, "blob header moved");

static struct {
	EVP_KDF *hkdf;
	uint8_t key[STORAGE_KEY_LEN];
	uint8_t name_key[STORAGE_KEY_LEN];
	uint8_t anchor_key[STORAGE_KEY_LEN];
} storage_crypt;

void storage_crypt_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

int storage_crypt_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

static int storage_crypt_hkdf(const uint8_t key[STORAGE_KEY_LEN],
			      const char *label, const void *ctx,
			      size_t ctx_len, uint8_t out[STORAGE_KEY_LEN])
{
	unsigned char info[64 + 1 + 16 + 1 + STORAGE_ID_MAX];
	size_t label_len = strlen(label);
	char digest[] = "SHA256";
	char salt[] = "teeq-storage";
	EVP_KDF_CTX *kctx;
	OSSL_PARAM params[5];
	int ok;

	if (label_len > 64 || ctx_len > sizeof(info) - label_len - 1)
		return -EINVAL;
	/* label, a zero, the context: no two (label, context) alike */
	memcpy(info, label, label_len);
	info[label_len] = 0;
	if (ctx_len)
		memcpy(info + label_len + 1, ctx, ctx_len);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
		OSSL_KDF_PARAM_KEY, (void *)key, STORAGE_KEY_LEN);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt,
						      sizeof(salt) - 1);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info,
						      label_len + 1 + ctx_len);
	params[4] = OSSL_PARAM_construct_end();
	kctx = EVP_KDF_CTX_new(storage_crypt.hkdf);
	if (!kctx)
		return -ENOMEM;
	ok = EVP_KDF_derive(kctx, out, STORAGE_KEY_LEN, params) == 1;
	EVP_KDF_CTX_free(kctx);
	return ok ? 0 : -EIO;
}

int storage_crypt_init(const uint8_t key[STORAGE_KEY_LEN])
{
	int ret;

	storage_crypt.hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!storage_crypt.hkdf)
		return -ENOSYS;
	memcpy(storage_crypt.key, key, STORAGE_KEY_LEN);
	ret = storage_crypt_hkdf(key, "names", NULL, 0, storage_crypt.name_key);
	if (!ret)
		ret = storage_crypt_hkdf(key, "anchors", NULL, 0,
					 storage_crypt.anchor_key);
	if (ret)
		storage_crypt_fini();
	return ret;
}

void storage_crypt_fini(void)
{
	EVP_KDF_free(storage_crypt.hkdf);
	storage_crypt_wipe(&storage_crypt, sizeof(storage_crypt));
}

int storage_crypt_derive(const char *label, const void *ctx, size_t ctx_len,
			 uint8_t out[STORAGE_KEY_LEN])
{
	return storage_crypt_hkdf(storage_crypt.key, label, ctx, ctx_len, out);
}

static int storage_crypt_hmac(const uint8_t key[STORAGE_KEY_LEN],
			      const void *data, size_t len, uint8_t out[32])
{
	size_t out_len = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, STORAGE_KEY_LEN,
		       data, len, out, 32, &out_len) ||
	    out_len != 32)
		return -EIO;
	return 0;
}

int storage_crypt_anchor_mac(const void *data, size_t len, uint8_t out[32])
{
	return storage_crypt_hmac(storage_crypt.anchor_key, data, len, out);
}

int storage_crypt_ns_name(const struct ta_uuid *uuid,
			  char out[STORAGE_NS_NAME_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct teeq_uuid wire;
	uint8_t mac[32];
	int i, ret;

	ta_uuid_to_wire(uuid, &wire);
	ret = storage_crypt_hmac(storage_crypt.name_key, wire.b, sizeof(wire.b),
				 mac);
	if (ret)
		return ret;
	for (i = 0; i < STORAGE_NS_NAME_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[STORAGE_NS_NAME_LEN] = 0;
	return 0;
}

size_t storage_crypt_blob_len(size_t body_len)
{
	return sizeof(struct storage_blob_hdr) + body_len + STORAGE_TAG_LEN;
}

int storage_crypt_blob_tag(const unsigned char *blob, size_t len,
			   uint8_t tag[STORAGE_TAG_LEN])
{
	if (len < storage_crypt_blob_len(0))
		return -EBADMSG;
	memcpy(tag, blob + len - STORAGE_TAG_LEN, STORAGE_TAG_LEN);
	return 0;
}

int storage_crypt_seal(const uint8_t key[STORAGE_KEY_LEN],
		       enum storage_blob_kind kind, const void *ctx,
		       size_t ctx_len, const struct storage_part *parts,
		       int nr_parts, unsigned char **blob, size_t *blob_len,
		       uint8_t tag[STORAGE_TAG_LEN])
{
	struct storage_blob_hdr hdr = { .magic = STORAGE_BLOB_MAGIC,
					.format = STORAGE_BLOB_FORMAT,
					.kind = (uint16_t)kind };
	size_t body_len = 0, off;
	EVP_CIPHER_CTX *cctx = NULL;
	unsigned char *out;
	int i, n, ok = 0;

	for (i = 0; i < nr_parts; i++)
		body_len += parts[i].len;
	if (body_len > INT32_MAX)
		return -EFBIG;
	hdr.body_len = body_len;
	if (storage_crypt_random(hdr.nonce, sizeof(hdr.nonce)))
		return -EIO;
	out = malloc(storage_crypt_blob_len(body_len));
	if (!out)
		return -ENOMEM;
	memcpy(out, &hdr, sizeof(hdr));
	off = sizeof(hdr);
	cctx = EVP_CIPHER_CTX_new();
	if (!cctx ||
	    !EVP_EncryptInit_ex2(cctx, EVP_aes_256_gcm(), key, hdr.nonce,
				 NULL) ||
	    !EVP_EncryptUpdate(cctx, NULL, &n, (const unsigned char *)&hdr,
			       sizeof(hdr)) ||
	    (ctx_len && !EVP_EncryptUpdate(cctx, NULL, &n, ctx, (int)ctx_len)))
		goto out;
	for (i = 0; i < nr_parts; i++) {
		if (!parts[i].len)
			continue;
		if (!EVP_EncryptUpdate(cctx, out + off, &n, parts[i].p,
				       (int)parts[i].len))
			goto out;
		off += (size_t)n;
	}
	if (!EVP_EncryptFinal_ex(cctx, out + off, &n))
		goto out;
	off += (size_t)n;
	if (off != sizeof(hdr) + body_len ||
	    !EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_GCM_GET_TAG, STORAGE_TAG_LEN,
				 out + off))
		goto out;
	memcpy(tag, out + off, STORAGE_TAG_LEN);
	*blob = out;
	*blob_len = off + STORAGE_TAG_LEN;
	ok = 1;
out:
	EVP_CIPHER_CTX_free(cctx);
	if (!ok) {
		free(out);
		return -EIO;
	}
	return 0;
}

int storage_crypt_open(const uint8_t key[STORAGE_KEY_LEN],
		       enum storage_blob_kind kind, const void *ctx,
		       size_t ctx_len, const unsigned char *blob,
		       size_t blob_len, unsigned char **body, size_t *body_len)
{
	struct storage_blob_hdr hdr;
	EVP_CIPHER_CTX *cctx;
	unsigned char tag[STORAGE_TAG_LEN];
	unsigned char *out;
	size_t len;
	int n, ok, no_ctx;

	if (blob_len < storage_crypt_blob_len(0))
		return -EBADMSG;
	memcpy(&hdr, blob, sizeof(hdr));
	len = blob_len - storage_crypt_blob_len(0);
	if (hdr.magic != STORAGE_BLOB_MAGIC ||
	    hdr.format != STORAGE_BLOB_FORMAT || hdr.kind != kind ||
	    hdr.reserved || hdr.body_len != len || len > INT32_MAX)
		return -EBADMSG;
	memcpy(tag, blob + blob_len - STORAGE_TAG_LEN, STORAGE_TAG_LEN);
	/* one spare byte: a zero-length body still gets a buffer */
	out = malloc(len + 1);
	if (!out)
		return -ENOMEM;
	cctx = EVP_CIPHER_CTX_new();
	no_ctx = !cctx;
	ok = cctx &&
	     EVP_DecryptInit_ex2(cctx, EVP_aes_256_gcm(), key, hdr.nonce,
				 NULL) &&
	     EVP_DecryptUpdate(cctx, NULL, &n, (const unsigned char *)&hdr,
			       sizeof(hdr)) &&
	     (!ctx_len ||
	      EVP_DecryptUpdate(cctx, NULL, &n, ctx, (int)ctx_len)) &&
	     (!len ||
	      (EVP_DecryptUpdate(cctx, out, &n, blob + sizeof(hdr), (int)len) &&
	       (size_t)n == len)) &&
	     EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_GCM_SET_TAG, STORAGE_TAG_LEN,
				 tag) &&
	     EVP_DecryptFinal_ex(cctx, out + len, &n) == 1;
	EVP_CIPHER_CTX_free(cctx);
	if (!ok) {
		/* nothing of a forgery leaves here */
		storage_crypt_wipe(out, len);
		free(out);
		return no_ctx ? -ENOMEM : -EBADMSG;
	}
	*body = out;
	*body_len = len;
	return 0;
}
