/* SPDX-License-Identifier: MIT */
/*
 * Just enough JSON to read Google Benchmark's results.json back: a
 * recursive-descent parser into a tree. Numbers are doubles; "nan" and
 * "inf", which Google Benchmark may print, are accepted.
 */
#ifndef TEEQ_BENCH_JSON_H
#define TEEQ_BENCH_JSON_H

#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUM,
	JSON_STR,
	JSON_ARR,
	JSON_OBJ,
};

struct json {
	enum json_type type;
	double num; /* NUM; BOOL: 0 or 1 */
	char *str; /* STR */
	size_t count; /* ARR, OBJ: children */
	struct json *kids;
	char **keys; /* OBJ: the children's keys */
};

/* Parses @text; NULL on error, with a message in @err. */
struct json *json_parse(const char *text, char *err, size_t err_len);
void json_free(struct json *j);
/* Member @key of object @j, or NULL. */
const struct json *json_get(const struct json *j, const char *key);
double json_num(const struct json *j, double dflt);
const char *json_str(const struct json *j, const char *dflt);

#endif /* TEEQ_BENCH_JSON_H */
