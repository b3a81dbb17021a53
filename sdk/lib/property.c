// SPDX-License-Identifier: MIT
/*
 * Property sets: the current TA (gpd.ta.appID and the head's properties),
 * the current client (gpd.client.*) and the implementation (gpd.tee.*),
 * read by name or walked with an enumerator. A property has one stored
 * type; each getter converts where GP says it may (every type reads as a
 * string; a string reads as what it spells) and answers
 * TEE_ERROR_BAD_FORMAT where it may not.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <user_ta_header.h>

struct ta_prop_enum {
	TEE_PropSetHandle set; /* NULL until started */
	size_t index;
};

static const bool ta_prop_true = true;
static const uint32_t ta_prop_endian; /* 0: little-endian */
static const uint32_t ta_prop_core_version = TEE_CORE_API_VERSION;
static const uint32_t ta_prop_time_level = 100; /* REE-controlled */
static const uint32_t ta_prop_rollback_level; /* none */
static const uint32_t ta_prop_bigint_bits; /* arithmetic not provided */
static const TEE_UUID ta_prop_device_id = { 0x74656571,
					    0x686f,
					    0x7374,
					    { 0x6d, 0x6f, 0x64, 0x65, 0, 0, 0,
					      1 } };

static const struct user_ta_property ta_prop_tee[] = {
	{ "gpd.tee.apiversion", USER_TA_PROP_TYPE_STRING, "1.3.1" },
	{ "gpd.tee.internalCore.version", USER_TA_PROP_TYPE_U32,
	  &ta_prop_core_version },
	{ "gpd.tee.description", USER_TA_PROP_TYPE_STRING,
	  "teeq host-mode secure world" },
	{ "gpd.tee.deviceID", USER_TA_PROP_TYPE_UUID, &ta_prop_device_id },
	{ "gpd.tee.systemTime.protectionLevel", USER_TA_PROP_TYPE_U32,
	  &ta_prop_time_level },
	{ "gpd.tee.TAPersistentTime.protectionLevel", USER_TA_PROP_TYPE_U32,
	  &ta_prop_time_level },
	{ "gpd.tee.arith.maxBigIntSize", USER_TA_PROP_TYPE_U32,
	  &ta_prop_bigint_bits },
	{ "gpd.tee.cryptography.ecc", USER_TA_PROP_TYPE_BOOL, &ta_prop_true },
	{ "gpd.tee.cryptography.nist", USER_TA_PROP_TYPE_BOOL, &ta_prop_true },
	{ "gpd.tee.trustedStorage.antiRollback.protectionLevel",
	  USER_TA_PROP_TYPE_U32, &ta_prop_rollback_level },
	{ "gpd.tee.trustedos.manufacturer", USER_TA_PROP_TYPE_STRING, "teeq" },
	{ "gpd.tee.trustedos.implementation.version", USER_TA_PROP_TYPE_STRING,
	  "0.1.0" },
};

/* The @index-th property of @set, or false past the end. */
static bool ta_prop_at(TEE_PropSetHandle set, size_t index,
		       struct user_ta_property *prop)
{
	const struct teeq_ta_head *head = &teeq_ta_head;

	if (set == TEE_PROPSET_CURRENT_TA) {
		if (index == 0) {
			*prop = (struct user_ta_property){
				"gpd.ta.appID", USER_TA_PROP_TYPE_UUID,
				&head->uuid
			};
			return true;
		}
		if (index - 1 >= head->num_props)
			return false;
		*prop = head->props[index - 1];
		return true;
	}
	if (set == TEE_PROPSET_CURRENT_CLIENT) {
		/* there is a client only within a session */
		if (!ta_rt.call.session || index > 1)
			return false;
		*prop = index == 0 ?
				(struct user_ta_property){
					"gpd.client.identity",
					USER_TA_PROP_TYPE_IDENTITY,
					&ta_rt.call.session->client
				} :
				(struct user_ta_property){
					"gpd.client.endian",
					USER_TA_PROP_TYPE_U32, &ta_prop_endian
				};
		return true;
	}
	if (index >= sizeof(ta_prop_tee) / sizeof(ta_prop_tee[0]))
		return false;
	*prop = ta_prop_tee[index];
	return true;
}

static bool ta_prop_is_pseudo(TEE_PropSetHandle h)
{
	return h == TEE_PROPSET_CURRENT_TA || h == TEE_PROPSET_CURRENT_CLIENT ||
	       h == TEE_PROPSET_TEE_IMPLEMENTATION;
}

static struct ta_prop_enum *ta_prop_enum_of(TEE_PropSetHandle h,
					    const char *func)
{
	if (!ta_handle_valid(h, TA_HANDLE_PROPENUM))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "not a property enumerator");
	return (struct ta_prop_enum *)h;
}

/* Finds the property a getter names: by @name in a set, or the one an
 * enumerator is on. */
static TEE_Result ta_prop_find(TEE_PropSetHandle h, const char *name,
			       struct user_ta_property *prop, const char *func)
{
	size_t i;

	if (!ta_prop_is_pseudo(h)) {
		struct ta_prop_enum *e = ta_prop_enum_of(h, func);

		if (!e->set || !ta_prop_at(e->set, e->index, prop))
			return TEE_ERROR_ITEM_NOT_FOUND;
		return TEE_SUCCESS;
	}
	if (!name)
		return TEE_ERROR_ITEM_NOT_FOUND;
	for (i = 0; ta_prop_at(h, i, prop); i++)
		if (!strcmp(prop->name, name))
			return TEE_SUCCESS;
	return TEE_ERROR_ITEM_NOT_FOUND;
}

static void ta_prop_uuid_str(const TEE_UUID *u, char out[37])
{
	snprintf(out, 37,
		 "%08" PRIx32 "-%04" PRIx16 "-%04" PRIx16
		 "-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u->timeLow, u->timeMid, u->timeHiAndVersion,
		 u->clockSeqAndNode[0], u->clockSeqAndNode[1],
		 u->clockSeqAndNode[2], u->clockSeqAndNode[3],
		 u->clockSeqAndNode[4], u->clockSeqAndNode[5],
		 u->clockSeqAndNode[6], u->clockSeqAndNode[7]);
}

static bool ta_prop_parse_uuid(const char *s, TEE_UUID *u)
{
	unsigned int b[8], tl, tm, th;
	int n = 0, i;

	if (strlen(s) != 36 ||
	    sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x%n", &tl, &tm, &th,
		   &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7],
		   &n) != 11 ||
	    n != 36)
		return false;
	u->timeLow = tl;
	u->timeMid = (uint16_t)tm;
	u->timeHiAndVersion = (uint16_t)th;
	for (i = 0; i < 8; i++)
		u->clockSeqAndNode[i] = (uint8_t)b[i];
	return true;
}

/* Unsigned decimal or 0x-hex, the whole string, within @max. */
static bool ta_prop_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static int ta_prop_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 @s into @out (NULL: count only); -1 when malformed. */
static long ta_prop_b64_decode(const char *s, uint8_t *out)
{
	size_t len = strlen(s), i, n = 0;
	uint32_t acc = 0;
	int bits = 0, pad = 0;

	for (i = 0; i < len; i++) {
		int v;

		if (s[i] == '=') {
			pad++;
			continue;
		}
		v = ta_prop_b64_value(s[i]);
		if (v < 0 || pad)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out)
				out[n] = (uint8_t)(acc >> bits);
			n++;
		}
	}
	if (pad > 2 || (len % 4 && pad))
		return -1;
	return (long)n;
}

/* The property as a string into @buf (at least 80 bytes) or @str. */
static const char *ta_prop_to_string(const struct user_ta_property *p,
				     char *buf, size_t buf_len)
{
	const TEE_Identity *id;
	char uuid[37];

	switch (p->type) {
	case USER_TA_PROP_TYPE_BOOL:
		return *(const bool *)p->value ? "true" : "false";
	case USER_TA_PROP_TYPE_U32:
		snprintf(buf, buf_len, "%" PRIu32, *(const uint32_t *)p->value);
		return buf;
	case USER_TA_PROP_TYPE_U64:
		snprintf(buf, buf_len, "%" PRIu64, *(const uint64_t *)p->value);
		return buf;
	case USER_TA_PROP_TYPE_UUID:
		ta_prop_uuid_str(p->value, buf);
		return buf;
	case USER_TA_PROP_TYPE_IDENTITY:
		id = p->value;
		ta_prop_uuid_str(&id->uuid, uuid);
		snprintf(buf, buf_len, "%" PRIx32 ":%s", id->login, uuid);
		return buf;
	case USER_TA_PROP_TYPE_STRING:
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
		return p->value;
	}
	return NULL;
}

TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator,
				   const char *name, char *valueBuffer,
				   size_t *valueBufferLen)
{
	struct user_ta_property p;
	const char *s;
	char buf[96];
	TEE_Result res;
	size_t need;

	TA_PANIC_IF(!valueBufferLen, "valueBufferLen is NULL");
	res = ta_prop_find(propsetOrEnumerator, name, &p, __func__);
	if (res)
		return res;
	s = ta_prop_to_string(&p, buf, sizeof(buf));
	if (!s)
		return TEE_ERROR_BAD_FORMAT;
	need = strlen(s) + 1;
	if (!valueBuffer || *valueBufferLen < need) {
		*valueBufferLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(valueBuffer, s, need);
	*valueBufferLen = need;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle propsetOrEnumerator,
				 const char *name, bool *value)
{
	struct user_ta_property p;
	TEE_Result res;

	TA_PANIC_IF(!value, "value is NULL");
	res = ta_prop_find(propsetOrEnumerator, name, &p, __func__);
	if (res)
		return res;
	if (p.type == USER_TA_PROP_TYPE_BOOL) {
		*value = *(const bool *)p.value;
		return TEE_SUCCESS;
	}
	if (p.type == USER_TA_PROP_TYPE_STRING) {
		if (!strcasecmp(p.value, "true")) {
			*value = true;
			return TEE_SUCCESS;
		}
		if (!strcasecmp(p.value, "false")) {
			*value = false;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_BAD_FORMAT;
}

static TEE_Result ta_prop_get_uint(TEE_PropSetHandle h, const char *name,
				   uint64_t max, uint64_t *value,
				   const char *func)
{
	struct user_ta_property p;
	TEE_Result res;

	res = ta_prop_find(h, name, &p, func);
	if (res)
		return res;
	switch (p.type) {
	case USER_TA_PROP_TYPE_U32:
		*value = *(const uint32_t *)p.value;
		return TEE_SUCCESS;
	case USER_TA_PROP_TYPE_U64:
		if (*(const uint64_t *)p.value > max)
			return TEE_ERROR_BAD_FORMAT;
		*value = *(const uint64_t *)p.value;
		return TEE_SUCCESS;
	case USER_TA_PROP_TYPE_STRING:
		return ta_prop_parse_uint(p.value, max, value) ?
			       TEE_SUCCESS :
			       TEE_ERROR_BAD_FORMAT;
	default:
		return TEE_ERROR_BAD_FORMAT;
	}
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator,
				const char *name, uint32_t *value)
{
	uint64_t v;
	TEE_Result res;

	TA_PANIC_IF(!value, "value is NULL");
	res = ta_prop_get_uint(propsetOrEnumerator, name, UINT32_MAX, &v,
			       __func__);
	if (!res)
		*value = (uint32_t)v;
	return res;
}

TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle propsetOrEnumerator,
				const char *name, uint64_t *value)
{
	TA_PANIC_IF(!value, "value is NULL");
	return ta_prop_get_uint(propsetOrEnumerator, name, UINT64_MAX, value,
				__func__);
}

TEE_Result TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator,
					const char *name, void *valueBuffer,
					size_t *valueBufferLen)
{
	struct user_ta_property p;
	TEE_Result res;
	long need;

	TA_PANIC_IF(!valueBufferLen, "valueBufferLen is NULL");
	res = ta_prop_find(propsetOrEnumerator, name, &p, __func__);
	if (res)
		return res;
	if (p.type != USER_TA_PROP_TYPE_BINARY_BLOCK &&
	    p.type != USER_TA_PROP_TYPE_STRING)
		return TEE_ERROR_BAD_FORMAT;
	need = ta_prop_b64_decode(p.value, NULL);
	if (need < 0)
		return TEE_ERROR_BAD_FORMAT;
	if ((!valueBuffer && need) || *valueBufferLen < (size_t)need) {
		*valueBufferLen = (size_t)need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	ta_prop_b64_decode(p.value, valueBuffer);
	*valueBufferLen = (size_t)need;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle propsetOrEnumerator,
				 const char *name, TEE_UUID *value)
{
	struct user_ta_property p;
	TEE_Result res;

	TA_PANIC_IF(!value, "value is NULL");
	res = ta_prop_find(propsetOrEnumerator, name, &p, __func__);
	if (res)
		return res;
	if (p.type == USER_TA_PROP_TYPE_UUID) {
		*value = *(const TEE_UUID *)p.value;
		return TEE_SUCCESS;
	}
	if (p.type == USER_TA_PROP_TYPE_STRING &&
	    ta_prop_parse_uuid(p.value, value))
		return TEE_SUCCESS;
	return TEE_ERROR_BAD_FORMAT;
}

TEE_Result TEE_GetPropertyAsIdentity(TEE_PropSetHandle propsetOrEnumerator,
				     const char *name, TEE_Identity *value)
{
	struct user_ta_property p;
	const char *colon;
	uint64_t login;
	TEE_Result res;
	char num[16];

	TA_PANIC_IF(!value, "value is NULL");
	res = ta_prop_find(propsetOrEnumerator, name, &p, __func__);
	if (res)
		return res;
	if (p.type == USER_TA_PROP_TYPE_IDENTITY) {
		*value = *(const TEE_Identity *)p.value;
		return TEE_SUCCESS;
	}
	if (p.type != USER_TA_PROP_TYPE_STRING)
		return TEE_ERROR_BAD_FORMAT;
	/* "login:uuid", login in hex, as the string form writes it */
	colon = strchr(p.value, ':');
	if (!colon || colon == (const char *)p.value ||
	    (size_t)(colon - (const char *)p.value) >= sizeof(num) - 2)
		return TEE_ERROR_BAD_FORMAT;
	snprintf(num, sizeof(num), "0x%.*s",
		 (int)(colon - (const char *)p.value), (const char *)p.value);
	if (!ta_prop_parse_uint(num, UINT32_MAX, &login) ||
	    !ta_prop_parse_uuid(colon + 1, &value->uuid))
		return TEE_ERROR_BAD_FORMAT;
	value->login = (uint32_t)login;
	return TEE_SUCCESS;
}

TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle *enumerator)
{
	struct ta_prop_enum *e;

	TA_PANIC_IF(!enumerator, "enumerator is NULL");
	e = calloc(1, sizeof(*e));
	if (!e || ta_handle_add(e, TA_HANDLE_PROPENUM)) {
		free(e);
		*enumerator = TEE_HANDLE_NULL;
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*enumerator = (TEE_PropSetHandle)e;
	return TEE_SUCCESS;
}

void TEE_FreePropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct ta_prop_enum *e = ta_prop_enum_of(enumerator, __func__);

	ta_handle_del(e);
	free(e);
}

void TEE_StartPropertyEnumerator(TEE_PropSetHandle enumerator,
				 TEE_PropSetHandle propSet)
{
	struct ta_prop_enum *e = ta_prop_enum_of(enumerator, __func__);

	TA_PANIC_IF(!ta_prop_is_pseudo(propSet), "not a property set");
	e->set = propSet;
	e->index = 0;
}

void TEE_ResetPropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct ta_prop_enum *e = ta_prop_enum_of(enumerator, __func__);

	e->set = NULL;
	e->index = 0;
}

TEE_Result TEE_GetPropertyName(TEE_PropSetHandle enumerator, void *nameBuffer,
			       size_t *nameBufferLen)
{
	struct ta_prop_enum *e = ta_prop_enum_of(enumerator, __func__);
	struct user_ta_property p;
	size_t need;

	TA_PANIC_IF(!nameBufferLen, "nameBufferLen is NULL");
	if (!e->set || !ta_prop_at(e->set, e->index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	need = strlen(p.name) + 1;
	if (!nameBuffer || *nameBufferLen < need) {
		*nameBufferLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(nameBuffer, p.name, need);
	*nameBufferLen = need;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetNextProperty(TEE_PropSetHandle enumerator)
{
	struct ta_prop_enum *e = ta_prop_enum_of(enumerator, __func__);
	struct user_ta_property p;

	if (!e->set || !ta_prop_at(e->set, e->index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	e->index++;
	if (!ta_prop_at(e->set, e->index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	return TEE_SUCCESS;
}
