// SPDX-License-Identifier: MIT
/* OpenSSL keys from the attributes of RSA and ECC objects, and the hash
 * names the crypto files share. */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <string.h>

const char *ta_hash_name(uint32_t hash_alg)
{
	switch (hash_alg) {
	case TEE_ALG_SHA1:
		return "SHA1";
	case TEE_ALG_SHA224:
		return "SHA224";
	case TEE_ALG_SHA256:
		return "SHA256";
	case TEE_ALG_SHA384:
		return "SHA384";
	case TEE_ALG_SHA512:
		return "SHA512";
	default:
		return NULL;
	}
}

size_t ta_hash_len(uint32_t hash_alg)
{
	static const size_t lens[] = { 0, 0, 20, 28, 32, 48, 64 };

	return hash_alg >= TEE_ALG_SHA1 && hash_alg <= TEE_ALG_SHA512 ?
		       lens[hash_alg - TEE_ALG_MD5 + 1] :
		       0;
}

static int ta_pkey_push_bn(OSSL_PARAM_BLD *bld, const char *key,
			   const struct ta_attr *a, BIGNUM **keep)
{
	BIGNUM *bn = BN_bin2bn(a->buf, (int)a->len, NULL);

	if (!bn || !OSSL_PARAM_BLD_push_BN(bld, key, bn)) {
		BN_clear_free(bn);
		return 0;
	}
	*keep = bn;
	return 1;
}

static EVP_PKEY *ta_pkey_fromdata(const char *type, int selection,
				  OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY *pkey = NULL;

	if (!ctx || !params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		pkey = NULL;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

static TEE_Result ta_pkey_rsa(struct ta_obj *o)
{
	static const struct {
		uint32_t id;
		const char *name;
	} map[] = {
		{ TEE_ATTR_RSA_MODULUS, OSSL_PKEY_PARAM_RSA_N },
		{ TEE_ATTR_RSA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E },
		{ TEE_ATTR_RSA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D },
		{ TEE_ATTR_RSA_PRIME1, OSSL_PKEY_PARAM_RSA_FACTOR1 },
		{ TEE_ATTR_RSA_PRIME2, OSSL_PKEY_PARAM_RSA_FACTOR2 },
		{ TEE_ATTR_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT1 },
		{ TEE_ATTR_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_EXPONENT2 },
		{ TEE_ATTR_RSA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
	};
	BIGNUM *bns[sizeof(map) / sizeof(map[0])] = { 0 };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	bool pair = o->type == TEE_TYPE_RSA_KEYPAIR;
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;
	const struct ta_attr *a;
	unsigned int i;

	if (!bld)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		a = ta_obj_attr(o, map[i].id);
		if (a && !ta_pkey_push_bn(bld, map[i].name, a, &bns[i]))
			goto out;
	}
	o->pkey = ta_pkey_fromdata(
		"RSA", pair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld);
	if (o->pkey)
		res = TEE_SUCCESS;
out:
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		BN_clear_free(bns[i]);
	OSSL_PARAM_BLD_free(bld);
	return res;
}

/* 0x04 || X || Y, each left-padded to the field size; 0 if too long. */
static size_t ta_pkey_point(const char *group, const uint8_t *x, size_t x_len,
			    const uint8_t *y, size_t y_len, uint8_t *out)
{
	size_t field = !strcmp(group, "P-521") ? 66 :
		       !strcmp(group, "P-384") ? 48 :
						 32;

	if (x_len > field || y_len > field)
		return 0;
	memset(out, 0, 1 + 2 * field);
	out[0] = 0x04;
	memcpy(out + 1 + field - x_len, x, x_len);
	memcpy(out + 1 + 2 * field - y_len, y, y_len);
	return 1 + 2 * field;
}

static EVP_PKEY *ta_pkey_ec(const char *group, const uint8_t *x, size_t x_len,
			    const uint8_t *y, size_t y_len,
			    const struct ta_attr *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	uint8_t point[1 + 2 * 66];
	size_t point_len = ta_pkey_point(group, x, x_len, y, y_len, point);
	BIGNUM *d = NULL;
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *check = NULL;

	if (!bld || !point_len ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      point, point_len) ||
	    (priv && !ta_pkey_push_bn(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv, &d)))
		goto out;
	pkey = ta_pkey_fromdata(
		"EC", priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld);
	if (!pkey)
		goto out;
	/* the point must lie on the curve, and match the private value */
	check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!check || EVP_PKEY_public_check(check) != 1 ||
	    (priv && EVP_PKEY_pairwise_check(check) != 1)) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	EVP_PKEY_CTX_free(check);
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

EVP_PKEY *ta_pkey_ec_public(const char *group, const uint8_t *x, size_t x_len,
			    const uint8_t *y, size_t y_len)
{
	return ta_pkey_ec(group, x, x_len, y, y_len, NULL);
}

TEE_Result ta_pkey_build(struct ta_obj *o)
{
	const struct ta_attr *x, *y, *curve;
	const char *group;

	if (o->type == TEE_TYPE_RSA_KEYPAIR ||
	    o->type == TEE_TYPE_RSA_PUBLIC_KEY)
		return ta_pkey_rsa(o);
	x = ta_obj_attr(o, TEE_ATTR_ECC_PUBLIC_VALUE_X);
	y = ta_obj_attr(o, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
	curve = ta_obj_attr(o, TEE_ATTR_ECC_CURVE);
	group = ta_curve_name(curve->a);
	if (!group)
		return TEE_ERROR_NOT_SUPPORTED;
	o->pkey =
		ta_pkey_ec(group, x->buf, x->len, y->buf, y->len,
			   ta_obj_is_public_type(o->type) ?
				   NULL :
				   ta_obj_attr(o, TEE_ATTR_ECC_PRIVATE_VALUE));
	return o->pkey ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}
