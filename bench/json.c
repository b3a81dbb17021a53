// SPDX-License-Identifier: MIT
#include "bench/json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

struct json_parser {
	const char *p;
	const char *start;
	char *err;
	size_t err_len;
	int failed;
};

static void json_fail(struct json_parser *jp, const char *what)
{
	if (!jp->failed)
		snprintf(jp->err, jp->err_len, "%s at offset %ld", what,
			 (long)(jp->p - jp->start));
	jp->failed = 1;
}

static void json_skip_ws(struct json_parser *jp)
{
	while (*jp->p && isspace((unsigned char)*jp->p))
		jp->p++;
}

static int json_value(struct json_parser *jp, struct json *out, int depth);
static void json_free_kids(struct json *j);

static void json_put_utf8(char **o, unsigned int cp)
{
	char *d = *o;

	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xc0 | cp >> 6);
		*d++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*d++ = (char)(0xe0 | cp >> 12);
		*d++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*d++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = d;
}

/* A string at jp->p (on its opening quote); the result is malloc'ed. */
static char *json_string(struct json_parser *jp)
{
	const char *s = jp->p + 1;
	size_t len = 0;
	char *out, *o;

	while (s[len] && s[len] != '"')
		len += s[len] == '\\' && s[len + 1] ? 2 : 1;
	if (s[len] != '"') {
		json_fail(jp, "unterminated string");
		return NULL;
	}
	out = malloc(len + 1);
	if (!out) {
		json_fail(jp, "out of memory");
		return NULL;
	}
	for (o = out; s < jp->p + 1 + len; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'u': {
			unsigned int cp = 0;
			int i;

			for (i = 1; i <= 4 && isxdigit((unsigned char)s[i]);
			     i++)
				cp = cp * 16 +
				     (unsigned int)(isdigit((unsigned char)
								    s[i]) ?
							    s[i] - '0' :
							    (tolower(s[i]) -
							     'a' + 10));
			s += i - 1;
			/* \uXXXX takes 6 bytes, its UTF-8 at most 3 */
			json_put_utf8(&o, cp);
			break;
		}
		default:
			*o++ = *s;
		}
	}
	*o = 0;
	jp->p += len + 2;
	return out;
}

static int json_push(struct json_parser *jp, struct json *arr, size_t *cap,
		     const struct json *kid, char *key)
{
	if (arr->count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct json *k = realloc(arr->kids, ncap * sizeof(*k));
		char **keys = arr->type == JSON_OBJ ?
				      realloc(arr->keys, ncap * sizeof(*keys)) :
				      NULL;

		if (k)
			arr->kids = k;
		if (keys)
			arr->keys = keys;
		if (!k || (arr->type == JSON_OBJ && !keys)) {
			json_fail(jp, "out of memory");
			return -1;
		}
		*cap = ncap;
	}
	arr->kids[arr->count] = *kid;
	if (arr->type == JSON_OBJ)
		arr->keys[arr->count] = key;
	arr->count++;
	return 0;
}

static int json_container(struct json_parser *jp, struct json *out, int depth)
{
	char close = *jp->p == '{' ? '}' : ']';
	size_t cap = 0;

	out->type = close == '}' ? JSON_OBJ : JSON_ARR;
	jp->p++;
	json_skip_ws(jp);
	if (*jp->p == close) {
		jp->p++;
		return 0;
	}
	for (;;) {
		struct json kid;
		char *key = NULL;

		memset(&kid, 0, sizeof(kid));
		json_skip_ws(jp);
		if (out->type == JSON_OBJ) {
			if (*jp->p != '"') {
				json_fail(jp, "expected a key");
				return -1;
			}
			key = json_string(jp);
			if (!key)
				return -1;
			json_skip_ws(jp);
			if (*jp->p != ':') {
				free(key);
				json_fail(jp, "expected ':'");
				return -1;
			}
			jp->p++;
		}
		if (json_value(jp, &kid, depth + 1) ||
		    json_push(jp, out, &cap, &kid, key)) {
			free(key);
			json_free_kids(&kid);
			return -1;
		}
		json_skip_ws(jp);
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == close) {
			jp->p++;
			return 0;
		}
		json_fail(jp, "expected ',' or a closing bracket");
		return -1;
	}
}

static int json_word(struct json_parser *jp, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(jp->p, word, n))
		return 0;
	jp->p += n;
	return 1;
}

static int json_value(struct json_parser *jp, struct json *out, int depth)
{
	char *end;

	if (depth > JSON_MAX_DEPTH) {
		json_fail(jp, "nested too deeply");
		return -1;
	}
	json_skip_ws(jp);
	switch (*jp->p) {
	case '{':
	case '[':
		return json_container(jp, out, depth);
	case '"':
		out->type = JSON_STR;
		out->str = json_string(jp);
		return out->str ? 0 : -1;
	}
	if (json_word(jp, "true") || json_word(jp, "false")) {
		out->type = JSON_BOOL;
		out->num = jp->p[-4] == 't'; /* "true" is four letters */
		return 0;
	}
	if (json_word(jp, "null")) {
		out->type = JSON_NULL;
		return 0;
	}
	if (json_word(jp, "-nan") || json_word(jp, "nan") ||
	    json_word(jp, "NaN")) {
		out->type = JSON_NUM;
		out->num = NAN;
		return 0;
	}
	if (json_word(jp, "inf") || json_word(jp, "Infinity")) {
		out->type = JSON_NUM;
		out->num = INFINITY;
		return 0;
	}
	if (json_word(jp, "-inf") || json_word(jp, "-Infinity")) {
		out->type = JSON_NUM;
		out->num = -INFINITY;
		return 0;
	}
	out->num = strtod(jp->p, &end);
	if (end == jp->p) {
		json_fail(jp, "unexpected character");
		return -1;
	}
	out->type = JSON_NUM;
	jp->p = end;
	return 0;
}

struct json *json_parse(const char *text, char *err, size_t err_len)
{
	struct json_parser jp = { text, text, err, err_len, 0 };
	struct json *root = calloc(1, sizeof(*root));

	if (!root) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	if (json_value(&jp, root, 0)) {
		json_free(root);
		return NULL;
	}
	json_skip_ws(&jp);
	if (*jp.p) {
		json_fail(&jp, "trailing characters");
		json_free(root);
		return NULL;
	}
	return root;
}

static void json_free_kids(struct json *j)
{
	size_t i;

	for (i = 0; i < j->count; i++) {
		json_free_kids(&j->kids[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->kids);
	free(j->keys);
	free(j->str);
	memset(j, 0, sizeof(*j));
}

void json_free(struct json *j)
{
	if (!j)
		return;
	json_free_kids(j);
	free(j);
}

const struct json *json_get(const struct json *j, const char *key)
{
	size_t i;

	if (!j || j->type != JSON_OBJ)
		return NULL;
	for (i = 0; i < j->count; i++)
		if (!strcmp(j->keys[i], key))
			return &j->kids[i];
	return NULL;
}

double json_num(const struct json *j, double dflt)
{
	return j && (j->type == JSON_NUM || j->type == JSON_BOOL) ? j->num :
								    dflt;
}

const char *json_str(const struct json *j, const char *dflt)
{
	return j && j->type == JSON_STR ? j->str : dflt;
}
