// SPDX-License-Identifier: MIT
/*
 * teeq-bench-report RESULTS_JSON OUT_DIR
 *
 * Reads Google Benchmark's JSON of a teeq-bench run and writes, in OUT_DIR:
 * report.md (tables, every figure beside its baseline and ratio, and the
 * machine), summary.json (the headline figures under stable names), and
 * chart data (data/, for bench/charts.gp); prints the headline table. Every number
 * comes from the JSON (and the latency distributions teeq-bench wrote
 * next to it); a figure that is missing is "not measured", never filled in.
 *
 * Values are Google Benchmark's medians over repetitions. A round trip
 * is Google Benchmark's time: the mean over a run of calls made back to
 * back with no clock between them. The percentiles come from a second
 * pass of as many calls, each timed, so each holds one reading of the
 * clock (baseline/timer says what that costs).
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_RESULTS 512
#define MAX_REPS 128

struct result {
	char key[256]; /* run name without /real_time, /iterations:N */
	struct json_object *median; /* or the only repetition */
	struct json_object *stddev;
	struct json_object *reps[MAX_REPS];
	int nreps;
	const char *error; /* why not measured, or how it failed */
	const char *label;
};

static struct result results[MAX_RESULTS];
static int nresults;
static struct json_object *context;

/* ---- Google Benchmark's JSON, through json-c ------------------------------- */

/* Member @key of object @o, or NULL. */
static struct json_object *report_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* A number (or a boolean, 0 or 1); @dflt for anything else. Google
 * Benchmark writes NaN and Infinity, which json-c reads. */
static double report_num(struct json_object *o, double dflt)
{
	switch (json_object_get_type(o)) {
	case json_type_double:
	case json_type_int:
	case json_type_boolean:
		return json_object_get_double(o);
	default:
		return dflt;
	}
}

static const char *report_str(struct json_object *o, const char *dflt)
{
	return json_object_is_type(o, json_type_string) ?
		       json_object_get_string(o) :
		       dflt;
}
static const char *out_dir;

/* ---- reading ------------------------------------------------------------------ */

static void key_of(const char *run_name, char *key, size_t len)
{
	char copy[256], *tok, *save = NULL;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", run_name);
	key[0] = 0;
	for (tok = strtok_r(copy, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "real_time") ||
		    !strncmp(tok, "iterations:", 11) ||
		    !strncmp(tok, "repeats:", 8) ||
		    !strncmp(tok, "min_time:", 9) ||
		    !strncmp(tok, "min_warmup_time:", 16))
			continue;
		n += (size_t)snprintf(key + n, len > n ? len - n : 0, "%s%s",
				      n ? "/" : "", tok);
	}
}

static struct result *result_for(const char *key, int create)
{
	int i;

	for (i = 0; i < nresults; i++)
		if (!strcmp(results[i].key, key))
			return &results[i];
	if (!create || nresults == MAX_RESULTS)
		return NULL;
	snprintf(results[nresults].key, sizeof(results[nresults].key), "%s",
		 key);
	return &results[nresults++];
}

static int load(struct json_object *root)
{
	struct json_object *list = report_get(root, "benchmarks");
	size_t i;

	context = report_get(root, "context");
	if (!json_object_is_type(list, json_type_array))
		return -1;
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *b = json_object_array_get_idx(list, i);
		const char *run =
			report_str(report_get(b, "run_name"),
				   report_str(report_get(b, "name"), ""));
		const char *type = report_str(report_get(b, "run_type"), "");
		const char *agg =
			report_str(report_get(b, "aggregate_name"), "");
		struct result *r;
		char key[256];

		key_of(run, key, sizeof(key));
		r = result_for(key, 1);
		if (!r)
			return -1;
		if (!r->label)
			r->label = report_str(report_get(b, "label"), NULL);
		if (report_num(report_get(b, "error_occurred"), 0)) {
			if (!r->error)
				r->error = report_str(
					report_get(b, "error_message"),
					"failed");
			continue;
		}
		if (!strcmp(type, "aggregate")) {
			if (!strcmp(agg, "median"))
				r->median = b;
			else if (!strcmp(agg, "stddev"))
				r->stddev = b;
		} else if (r->nreps < MAX_REPS) {
			r->reps[r->nreps++] = b;
		}
	}
	/* a single repetition has no aggregates: it is its own median */
	for (i = 0; i < (size_t)nresults; i++)
		if (!results[i].median && results[i].nreps == 1)
			results[i].median = results[i].reps[0];
	return 0;
}

static struct result *find(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static struct result *find(const char *fmt, ...)
{
	char key[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	return result_for(key, 0);
}

static double field_of(struct json_object *b, const char *field)
{
	double v = report_num(report_get(b, field), NAN);
	const char *unit;

	if (strcmp(field, "real_time") && strcmp(field, "cpu_time"))
		return v;
	unit = report_str(report_get(b, "time_unit"), "ns");
	if (!strcmp(unit, "us"))
		v *= 1e3;
	else if (!strcmp(unit, "ms"))
		v *= 1e6;
	else if (!strcmp(unit, "s"))
		v *= 1e9;
	return v;
}

/* The median over repetitions of @field, or NAN. */
static double val(const struct result *r, const char *field)
{
	if (!r || r->error || !r->median)
		return NAN;
	return field_of(r->median, field);
}

static double sdev(const struct result *r, const char *field)
{
	if (!r || r->error || !r->stddev)
		return NAN;
	return field_of(r->stddev, field);
}

static const char *ctx(const char *key)
{
	return report_str(report_get(context, key), "unknown");
}

static int repetitions(void)
{
	int i, most = 0;

	for (i = 0; i < nresults; i++)
		if (results[i].nreps > most)
			most = results[i].nreps;
	return most;
}

/* ---- formatting ------------------------------------------------------------------ */

#define NBUF 4096 /* formatted strings live until 4096 more are made */
static char fmt_bufs[NBUF][64];
static int fmt_next;

static char *fmt_buf(void)
{
	return fmt_bufs[fmt_next++ % NBUF];
}

static const char *fmt_ns(double ns)
{
	char *b = fmt_buf();

	if (isnan(ns))
		return "n/a";
	if (ns < 1e3)
		snprintf(b, 64, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(b, 64, "%.2f us", ns / 1e3);
	else
		snprintf(b, 64, "%.2f ms", ns / 1e6);
	return b;
}

static const char *fmt_rate(double per_s, const char *unit)
{
	char *b = fmt_buf();

	if (isnan(per_s))
		return "n/a";
	snprintf(b, 64, "%.1f M %s/s", per_s / 1e6, unit);
	return b;
}

static const char *fmt_gbps(double bytes_per_s)
{
	char *b = fmt_buf();

	if (isnan(bytes_per_s))
		return "n/a";
	snprintf(b, 64, "%.2f GB/s", bytes_per_s / 1e9);
	return b;
}

static const char *fmt_x(double ratio)
{
	char *b = fmt_buf();

	if (isnan(ratio) || isinf(ratio))
		return "n/a";
	snprintf(b, 64,
		 ratio >= 100 ? "%.0fx" :
		 ratio >= 10  ? "%.1fx" :
				"%.2fx",
		 ratio);
	return b;
}

static const char *fmt_num(double v, int decimals)
{
	char *b = fmt_buf();

	if (isnan(v))
		return "n/a";
	snprintf(b, 64, "%.*f", decimals, v);
	return b;
}

static const char *fmt_g(double v)
{
	char *b = fmt_buf();

	if (isnan(v))
		return "n/a";
	snprintf(b, 64, "%.2g", v);
	return b;
}

static const char *fmt_size(long long bytes)
{
	char *b = fmt_buf();

	if (bytes >= 1 << 20)
		snprintf(b, 64, "%lld MiB", bytes >> 20);
	else
		snprintf(b, 64, "%lld KiB", bytes >> 10);
	return b;
}

/* "met", "MISSED", or why there is no verdict. */
static const char *verdict(double v, double limit, int at_most)
{
	if (isnan(v))
		return "not measured";
	return (at_most ? v <= limit : v >= limit) ? "met" : "MISSED";
}

static const char *why_missing(const struct result *r)
{
	if (!r)
		return "not run (filtered out)";
	if (r->error)
		return r->error;
	return "no result";
}

/* ---- the figures ------------------------------------------------------------------ */

/* The paired rounds (teeq/paired), per placement: medians over the
 * rounds kept (a ratio is the median of the rounds' ratios), and over all
 * rounds (_all); NAN where a placement was not seen. */
enum { NEAR, FAR, NR_PLACES };

static const char *const place_names[NR_PLACES] = { "near", "far" };

struct paired {
	const struct result *r;
	double rounds[NR_PLACES], rounds_all[NR_PLACES], floor[NR_PLACES];
	double ring[NR_PLACES], sync[NR_PLACES], ring_ratio[NR_PLACES];
	double sync_ratio[NR_PLACES], async32[NR_PLACES];
	double uring32[NR_PLACES], sqpoll32[NR_PLACES];
	double sync_to_ring[NR_PLACES], sync_to_ring_all[NR_PLACES];
	double async_to_uring[NR_PLACES], async_to_uring_all[NR_PLACES];
	double async_to_sqpoll[NR_PLACES], async_to_sqpoll_all[NR_PLACES];
	/* AES-CTR of 1 MiB: ns per call each way, speed ratios */
	double aes_zc[NR_PLACES], aes_copied[NR_PLACES], aes_inproc[NR_PLACES];
	double aes_floor[NR_PLACES];
	double zc_ratio[NR_PLACES], zc_ratio_all[NR_PLACES];
	double copy_ratio[NR_PLACES], copy_ratio_all[NR_PLACES];
	double copy_floor_ratio[NR_PLACES], copy_to_floor[NR_PLACES];
	/* every placement */
	double all_rounds, kept, left_out, left_out_floor, left_out_lost_cpu;
	double left_out_moved;
	double zc_ratio_kept, zc_ratio_every, copy_ratio_kept, copy_ratio_every;
	double sync_to_ring_kept, sync_to_ring_every;
	double async_to_uring_kept, async_to_uring_every;
	double async_to_sqpoll_kept, async_to_sqpoll_every;
	double all_ring_ratio, all_sync_ratio, all_async32;
	double split; /* the floor the rounds split at, or NAN */
};

struct figures {
	double timer; /* p50 of two back-to-back clock readings */
	double floor; /* ping-pong round trip */
	double sync, sync_ratio;
	double ring, ring_ratio, ring_tput;
	double uring_b1, uring_b32, batch32, batch32_ratio, batch32_sw;
	double sqpoll_b32, batch32_sqpoll_ratio;
	/* CPU time per operation, each side */
	double batch32_client_cpu, batch32_secure_cpu;
	double sqpoll_client_cpu, sqpoll_kernel_cpu;
	double socket;
	double zc_cipher, copy_cipher, inproc_cipher, zc_ratio, copy_ratio;
	double copy_floor; /* copied to a peer and back, no TEE: the floor */
	double idle_first, idle_hot;
	/* loaded TAs (bench/ta.c), each next to its built-in counterpart */
	double ta_noop, ta_noop_builtin, ta_noop_hop, ta_open_kept,
		ta_open_process;
	double ta_open_builtin, ta_aes, ta_aes_builtin;
	struct paired paired;
};

/* The targets of the headline figures. */
#define TARGET_SYNC_TO_RING 1.3 /* at most, every placement */
#define TARGET_SYNC_TO_FLOOR 2.0 /* at most */
#define TARGET_RING_TO_FLOOR 1.5 /* at most */
#define TARGET_RING_TPUT 30e6 /* at least, messages per second */
#define TARGET_ASYNC32 10e6 /* at least, operations per second */
#define TARGET_ASYNC_TO_URING 2.0 /* at least */
#define TARGET_ASYNC_TO_SQPOLL 1.0 /* at least */
#define TARGET_ZEROCOPY 0.97 /* at least, of in-process */
#define TARGET_COPY 0.5 /* at least, of in-process */
#define TARGET_LOADED_TO_BUILTIN 2.0 /* at most, a loaded TA's noop */

/* The mean round trip of a run of calls made back to back. */
static double round_trip(const struct result *r)
{
	return val(r, "real_time");
}

static double paired_val(const struct paired *p, const char *fmt, int place)
{
	char name[64];

	snprintf(name, sizeof(name), fmt, place_names[place]);
	return val(p->r, name);
}

static void paired_figures(struct paired *p)
{
	int i;

	p->r = find("teeq/paired");
	for (i = 0; i < NR_PLACES; i++) {
		p->rounds[i] = paired_val(p, "rounds_%s", i);
		p->rounds_all[i] = paired_val(p, "rounds_%s_all", i);
		p->floor[i] = paired_val(p, "floor_%s_ns", i);
		p->ring[i] = paired_val(p, "ring_%s_ns", i);
		p->sync[i] = paired_val(p, "sync_%s_ns", i);
		p->ring_ratio[i] = paired_val(p, "ring_ratio_%s", i);
		p->sync_ratio[i] = paired_val(p, "sync_ratio_%s", i);
		p->async32[i] = paired_val(p, "async32_%s_ops", i);
		p->uring32[i] = paired_val(p, "uring32_%s_ops", i);
		p->sqpoll32[i] = paired_val(p, "sqpoll32_%s_ops", i);
		p->sync_to_ring[i] = paired_val(p, "sync_to_ring_%s", i);
		p->sync_to_ring_all[i] =
			paired_val(p, "sync_to_ring_%s_all", i);
		p->async_to_uring[i] = paired_val(p, "async_to_uring_%s", i);
		p->async_to_uring_all[i] =
			paired_val(p, "async_to_uring_%s_all", i);
		p->async_to_sqpoll[i] = paired_val(p, "async_to_sqpoll_%s", i);
		p->async_to_sqpoll_all[i] =
			paired_val(p, "async_to_sqpoll_%s_all", i);
		p->aes_zc[i] = paired_val(p, "zerocopy_%s_ns", i);
		p->aes_copied[i] = paired_val(p, "copied_%s_ns", i);
		p->aes_inproc[i] = paired_val(p, "inproc_%s_ns", i);
		p->aes_floor[i] = paired_val(p, "copy_floor_%s_ns", i);
		p->zc_ratio[i] = paired_val(p, "zerocopy_ratio_%s", i);
		p->zc_ratio_all[i] = paired_val(p, "zerocopy_ratio_%s_all", i);
		p->copy_ratio[i] = paired_val(p, "copied_ratio_%s", i);
		p->copy_ratio_all[i] = paired_val(p, "copied_ratio_%s_all", i);
		p->copy_floor_ratio[i] =
			paired_val(p, "copy_floor_ratio_%s", i);
		p->copy_to_floor[i] = paired_val(p, "copied_to_floor_%s", i);
	}
	p->all_rounds = val(p->r, "rounds");
	p->kept = val(p->r, "rounds_kept");
	p->left_out = val(p->r, "rounds_left_out");
	p->left_out_floor = val(p->r, "left_out_floor");
	p->left_out_lost_cpu = val(p->r, "left_out_lost_cpu");
	p->left_out_moved = val(p->r, "left_out_moved");
	p->zc_ratio_kept = val(p->r, "zerocopy_ratio");
	p->zc_ratio_every = val(p->r, "zerocopy_ratio_all");
	p->copy_ratio_kept = val(p->r, "copied_ratio");
	p->copy_ratio_every = val(p->r, "copied_ratio_all");
	p->sync_to_ring_kept = val(p->r, "sync_to_ring");
	p->sync_to_ring_every = val(p->r, "sync_to_ring_all");
	p->async_to_uring_kept = val(p->r, "async_to_uring");
	p->async_to_uring_every = val(p->r, "async_to_uring_all");
	p->async_to_sqpoll_kept = val(p->r, "async_to_sqpoll");
	p->async_to_sqpoll_every = val(p->r, "async_to_sqpoll_all");
	p->all_ring_ratio = val(p->r, "ring_ratio");
	p->all_sync_ratio = val(p->r, "sync_ratio");
	p->all_async32 = val(p->r, "async32_ops");
	p->split = val(p->r, "floor_split_ns");
}

/* Was placement @i seen in the paired rounds (kept or not)? */
static int paired_seen(const struct paired *p, int i)
{
	return !isnan(p->rounds_all[i]) && p->rounds_all[i] > 0;
}

static void figures(struct figures *f)
{
	f->timer = val(find("baseline/timer"), "p50_ns");
	f->floor = round_trip(find("baseline/pingpong"));
	f->sync = round_trip(find("teeq/sync/noop"));
	f->sync_ratio = f->sync / f->floor;
	f->ring = round_trip(find("baseline/ring_rtt"));
	f->ring_ratio = f->ring / f->floor;
	f->ring_tput = val(find("baseline/ring_pipelined/batch:32"),
			   "items_per_second");
	f->uring_b1 =
		val(find("baseline/uring_nop/batch:1"), "items_per_second");
	f->uring_b32 =
		val(find("baseline/uring_nop/batch:32"), "items_per_second");
	f->batch32 = val(find("teeq/async/noop_pipelined/batch:32"),
			 "items_per_second");
	f->batch32_ratio = f->batch32 / f->uring_b32;
	f->batch32_sw = val(find("teeq/async/noop_submit_wait/batch:32"),
			    "items_per_second");
	f->sqpoll_b32 = val(find("baseline/uring_sqpoll_nop/batch:32"),
			    "items_per_second");
	f->batch32_sqpoll_ratio = f->batch32 / f->sqpoll_b32;
	/* per iteration, and an iteration is an operation */
	f->batch32_client_cpu =
		val(find("teeq/async/noop_pipelined/batch:32"), "cpu_ns");
	f->batch32_secure_cpu =
		val(find("teeq/async/noop_pipelined/batch:32"), "peer_cpu_ns");
	f->sqpoll_client_cpu =
		val(find("baseline/uring_sqpoll_nop/batch:32"), "cpu_ns");
	f->sqpoll_kernel_cpu =
		val(find("baseline/uring_sqpoll_nop/batch:32"), "peer_cpu_ns");
	f->socket = round_trip(find("baseline/socket_rpc"));
	f->zc_cipher = val(find("teeq/payload/cipher_pool/bytes:%d", 1 << 20),
			   "bytes_per_second");
	f->copy_cipher =
		val(find("teeq/payload/cipher_tmpref/bytes:%d", 1 << 20),
		    "bytes_per_second");
	f->inproc_cipher = val(find("baseline/inproc_cipher/bytes:%d", 1 << 20),
			       "bytes_per_second");
	f->zc_ratio = f->zc_cipher / f->inproc_cipher;
	f->copy_ratio = f->copy_cipher / f->inproc_cipher;
	f->copy_floor =
		val(find("baseline/copy_floor_cipher/bytes:%d", 1 << 20),
		    "bytes_per_second");
	/* first calls: medians as timed (microseconds, where one reading of
	 * the clock does not matter) */
	f->idle_first = val(find("teeq/idle/spin50us/gap_us:1000"), "p50_ns");
	f->idle_hot = val(find("teeq/idle/spin1s/gap_us:1000"), "p50_ns");
	f->ta_noop = round_trip(find("teeq/ta/noop_loaded"));
	f->ta_noop_builtin = round_trip(find("teeq/ta/noop_builtin"));
	f->ta_noop_hop = round_trip(find("teeq/ta/noop_loaded_hop"));
	f->ta_open_kept = round_trip(find("teeq/ta/open_close_loaded_kept"));
	f->ta_open_process =
		round_trip(find("teeq/ta/open_close_loaded_process"));
	f->ta_open_builtin = round_trip(find("teeq/ta/open_close_builtin"));
	f->ta_aes = val(find("teeq/ta/aes_ctr_1m_loaded"), "bytes_per_second");
	f->ta_aes_builtin =
		val(find("teeq/ta/aes_ctr_1m_builtin"), "bytes_per_second");
	paired_figures(&f->paired);
}

/* ---- disturbance --------------------------------------------------------------- */

/*
 * Benchmarks whose sides poll: on a quiet machine a polling side has its
 * CPU for the whole run. Less means other processes took it, and the
 * figure measures them too. In the payload runs only the secure world
 * does (the client sleeps through long calls).
 */
static const struct {
	const char *prefix;
	int peer_only;
} polling[] = {
	{ "baseline/pingpong", 0 }, { "baseline/ring_", 0 },
	{ "teeq/sync/", 0 },	    { "teeq/async/", 0 },
	{ "baseline/inproc_", 0 },  { "baseline/memcpy", 0 },
	{ "baseline/uring_", 0 },   { "teeq/payload/", 1 },
};

#define DISTURBED_SHARE 0.9

/* The smaller of the two sides' CPU shares of the run, or NAN. */
static double cpu_share(const struct result *r)
{
	double real = val(r, "real_time"), mine = val(r, "cpu_ns");
	double peer = val(r, "peer_cpu_ns"), share = NAN;
	size_t i;

	for (i = 0; i < sizeof(polling) / sizeof(polling[0]); i++) {
		if (strncmp(r->key, polling[i].prefix,
			    strlen(polling[i].prefix)))
			continue;
		share = polling[i].peer_only ? peer / real : mine / real;
		if (!polling[i].peer_only && !isnan(peer) &&
		    peer / real < share)
			share = peer / real;
	}
	return share;
}

static int disturbed(const struct result *r)
{
	double share = cpu_share(r);

	return !isnan(share) && share < DISTURBED_SHARE;
}

static int count_disturbed(void)
{
	int i, n = 0;

	for (i = 0; i < nresults; i++)
		n += disturbed(&results[i]);
	return n;
}

/* The floor measured again after the latency figures: did it move? */
static double floor_drift(const struct figures *f)
{
	double again = round_trip(find("baseline/pingpong_recheck"));

	return fabs(again - f->floor) / f->floor;
}

#define FLOOR_DRIFT_MAX 0.2

/* ---- summary.json --------------------------------------------------------------- */

static void json_val(FILE *o, const char *name, double v, int last)
{
	if (isnan(v) || isinf(v))
		fprintf(o, "  \"%s\": null%s\n", name, last ? "" : ",");
	else
		fprintf(o, "  \"%s\": %.6g%s\n", name, v, last ? "" : ",");
}

static void json_text(FILE *o, const char *name, const char *s)
{
	const char *p;

	fprintf(o, "  \"%s\": \"", name);
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', o);
		if ((unsigned char)*p >= 0x20)
			fputc(*p, o);
	}
	fprintf(o, "\",\n");
}

/* @name in the output directory, opened for writing, or NULL. */
static FILE *out_file(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	return fopen(path, "w");
}

static int write_summary(const struct figures *f)
{
	const struct paired *p = &f->paired;
	char name[64];
	FILE *o;
	int i;

	o = out_file("summary.json");
	if (!o)
		return -1;
	fprintf(o, "{\n");
	json_text(o, "commit", ctx("teeq_commit"));
	json_text(o, "date", ctx("date"));
	fprintf(o, "  \"quick\": %s,\n",
		strcmp(ctx("teeq_quick"), "1") ? "false" : "true");
	fprintf(o, "  \"repetitions\": %d,\n", repetitions());
	/* figures taken while other processes had the CPUs */
	fprintf(o, "  \"disturbed_benchmarks\": %d,\n", count_disturbed());
	fprintf(o, "  \"floor_moved\": %s,\n",
		floor_drift(f) > FLOOR_DRIFT_MAX ? "true" : "false");
	json_val(o, "floor_rtt_ns", f->floor, 0);
	json_val(o, "sync_noop_rtt_ns", f->sync, 0);
	json_val(o, "sync_noop_rtt_ratio", f->sync_ratio, 0);
	json_val(o, "uring_nop_b32_ops_per_s", f->uring_b32, 0);
	json_val(o, "batch32_noop_ops_per_s", f->batch32, 0);
	json_val(o, "batch32_ratio_to_uring_nop", f->batch32_ratio, 0);
	json_val(o, "uring_sqpoll_nop_b32_ops_per_s", f->sqpoll_b32, 0);
	json_val(o, "batch32_ratio_to_uring_sqpoll", f->batch32_sqpoll_ratio,
		 0);
	json_val(o, "batch32_client_cpu_ns_per_op", f->batch32_client_cpu, 0);
	json_val(o, "batch32_secure_cpu_ns_per_op", f->batch32_secure_cpu, 0);
	json_val(o, "uring_sqpoll_b32_client_cpu_ns_per_op",
		 f->sqpoll_client_cpu, 0);
	json_val(o, "uring_sqpoll_b32_kernel_cpu_ns_per_op",
		 f->sqpoll_kernel_cpu, 0);
	json_val(o, "socket_rpc_rtt_ns", f->socket, 0);
	json_val(o, "zerocopy_1mib_cipher_gbps", f->zc_cipher / 1e9, 0);
	json_val(o, "copy_1mib_cipher_gbps", f->copy_cipher / 1e9, 0);
	json_val(o, "inprocess_1mib_cipher_gbps", f->inproc_cipher / 1e9, 0);
	json_val(o, "zerocopy_to_inprocess_ratio", f->zc_ratio, 0);
	json_val(o, "copy_to_inprocess_ratio", f->copy_ratio, 0);
	json_val(o, "copy_floor_1mib_cipher_gbps", f->copy_floor / 1e9, 0);
	json_val(o, "copy_floor_to_inprocess_ratio",
		 f->copy_floor / f->inproc_cipher, 0);
	json_val(o, "copy_to_floor_ratio", f->copy_cipher / f->copy_floor, 0);
	json_val(o, "idle_first_call_us", f->idle_first / 1e3, 0);
	json_val(o, "loaded_noop_rtt_ns", f->ta_noop, 0);
	json_val(o, "loaded_noop_rtt_ratio", f->ta_noop / f->ta_noop_builtin,
		 0);
	json_val(o, "loaded_noop_hop_ns", f->ta_noop_hop, 0);
	json_val(o, "loaded_open_close_kept_ns", f->ta_open_kept, 0);
	json_val(o, "loaded_open_close_process_ns", f->ta_open_process, 0);
	json_val(o, "loaded_aes_ctr_1mib_gbps", f->ta_aes / 1e9, 0);
	json_val(o, "loaded_aes_ctr_1mib_ratio", f->ta_aes / f->ta_aes_builtin,
		 0);
	json_val(o, "timer_overhead_ns", f->timer, 0);
	json_val(o, "ring_rtt_ns", f->ring, 0);
	json_val(o, "ring_rtt_ratio", f->ring_ratio, 0);
	json_val(o, "ring_pipelined_b32_msgs_per_s", f->ring_tput, 0);
	json_val(o, "batch32_submit_wait_ops_per_s", f->batch32_sw, 0);
	json_val(o, "uring_nop_b1_ops_per_s", f->uring_b1, 0);
	json_val(o, "floor_recheck_rtt_ns",
		 round_trip(find("baseline/pingpong_recheck")), 0);
	json_val(o, "floor_at_throughput_rtt_ns",
		 round_trip(find("baseline/pingpong_throughput")), 0);
	json_val(o, "paired_sync_to_ring_ratio", p->sync_to_ring_kept, 0);
	json_val(o, "paired_sync_to_ring_ratio_all", p->sync_to_ring_every, 0);
	json_val(o, "paired_async32_to_uring_ratio", p->async_to_uring_kept, 0);
	json_val(o, "paired_async32_to_uring_ratio_all",
		 p->async_to_uring_every, 0);
	json_val(o, "paired_async32_to_uring_sqpoll_ratio",
		 p->async_to_sqpoll_kept, 0);
	json_val(o, "paired_async32_to_uring_sqpoll_ratio_all",
		 p->async_to_sqpoll_every, 0);
	json_val(o, "paired_zerocopy_to_inprocess_ratio", p->zc_ratio_kept, 0);
	json_val(o, "paired_zerocopy_to_inprocess_ratio_all", p->zc_ratio_every,
		 0);
	json_val(o, "paired_copy_to_inprocess_ratio", p->copy_ratio_kept, 0);
	json_val(o, "paired_copy_to_inprocess_ratio_all", p->copy_ratio_every,
		 0);
	for (i = 0; i < NR_PLACES; i++) {
		static const struct {
			const char *name; /* %s: the placement */
			size_t off; /* of a double[NR_PLACES] in struct paired */
		} per_place[] = {
#define PLACE_FIG(n, m) { n, offsetof(struct paired, m) }
			PLACE_FIG("paired_rounds_%s", rounds),
			PLACE_FIG("paired_rounds_%s_all", rounds_all),
			PLACE_FIG("paired_floor_%s_ns", floor),
			PLACE_FIG("paired_sync_ratio_%s", sync_ratio),
			PLACE_FIG("paired_ring_ratio_%s", ring_ratio),
			PLACE_FIG("paired_sync_to_ring_ratio_%s", sync_to_ring),
			PLACE_FIG("paired_sync_to_ring_ratio_%s_all",
				  sync_to_ring_all),
			PLACE_FIG("paired_async32_%s_ops_per_s", async32),
			PLACE_FIG("paired_uring32_%s_ops_per_s", uring32),
			PLACE_FIG("paired_uring_sqpoll32_%s_ops_per_s",
				  sqpoll32),
			PLACE_FIG("paired_async32_to_uring_ratio_%s",
				  async_to_uring),
			PLACE_FIG("paired_async32_to_uring_ratio_%s_all",
				  async_to_uring_all),
			PLACE_FIG("paired_async32_to_uring_sqpoll_ratio_%s",
				  async_to_sqpoll),
			PLACE_FIG("paired_async32_to_uring_sqpoll_ratio_%s_all",
				  async_to_sqpoll_all),
			PLACE_FIG("paired_zerocopy_to_inprocess_ratio_%s",
				  zc_ratio),
			PLACE_FIG("paired_zerocopy_to_inprocess_ratio_%s_all",
				  zc_ratio_all),
			PLACE_FIG("paired_copy_to_inprocess_ratio_%s",
				  copy_ratio),
			PLACE_FIG("paired_copy_to_inprocess_ratio_%s_all",
				  copy_ratio_all),
			PLACE_FIG("paired_copy_floor_to_inprocess_ratio_%s",
				  copy_floor_ratio),
			PLACE_FIG("paired_copy_to_floor_ratio_%s",
				  copy_to_floor),
#undef PLACE_FIG
		};
		size_t j;

		for (j = 0; j < sizeof(per_place) / sizeof(per_place[0]); j++) {
			const double *v = (const double *)((const char *)p +
							   per_place[j].off);

			snprintf(name, sizeof(name), per_place[j].name,
				 place_names[i]);
			json_val(o, name, v[i], 0);
		}
	}
	json_val(o, "paired_rounds", p->all_rounds, 0);
	json_val(o, "paired_rounds_kept", p->kept, 0);
	json_val(o, "paired_rounds_left_out_floor", p->left_out_floor, 0);
	json_val(o, "paired_rounds_left_out_lost_cpu", p->left_out_lost_cpu, 0);
	json_val(o, "paired_rounds_left_out_moved", p->left_out_moved, 0);
	json_val(o, "paired_rounds_left_out", p->left_out, 1);
	fprintf(o, "}\n");
	return fclose(o);
}

/* ---- chart data ----------------------------------------------------------------- */

static FILE *data_file(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/data", out_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/data/%s", out_dir, name);
	return fopen(path, "w");
}

/* gnuplot reads "?" as a missing point; returns 1 for a real one */
static int dat(FILE *o, double v, double scale)
{
	if (isnan(v) || isinf(v)) {
		fprintf(o, " ?");
		return 0;
	}
	fprintf(o, " %.6g", v * scale);
	return 1;
}

/* What there is to draw: bench/charts.gp draws only that. */
static struct {
	int latency_blocks, throughput, payload[2], idle;
} have;

static const struct {
	const char *key, *title;
} latency_series[] = {
	{ "baseline/pingpong", "cache-line ping-pong (floor)" },
	{ "baseline/ring_rtt", "bare teeq ring" },
	{ "teeq/sync/noop", "teeq TEEC\\\\_InvokeCommand, no params" },
	{ "teeq/sync/memref4k_pool", "teeq, 4 KiB zero-copy memref" },
	{ "teeq/sync/tmpref4k", "teeq, 4 KiB copied memref" },
	{ "baseline/uring_nop/batch:1", "io\\\\_uring NOP (a system call)" },
	{ "teeq/idle/spin50us/gap_us:1000",
	  "teeq, first call after 1 ms idle" },
	{ "baseline/socket_rpc", "Unix-socket RPC" },
};

/* Latency distributions, one gnuplot index block each, titled. */
static void write_latency_data(void)
{
	FILE *o = data_file("latency.dat"), *in;
	char path[4096], name[256], line[256];
	size_t i, j;
	int blocks = 0;

	if (!o)
		return;
	for (i = 0; i < sizeof(latency_series) / sizeof(latency_series[0]);
	     i++) {
		const struct result *r = find("%s", latency_series[i].key);

		if (!r || r->error)
			continue;
		snprintf(name, sizeof(name), "%s", latency_series[i].key);
		for (j = 0; name[j]; j++)
			if (name[j] == '/' || name[j] == ':')
				name[j] = '_';
		snprintf(path, sizeof(path), "%s/lat/%s.dat", out_dir, name);
		in = fopen(path, "r");
		if (!in)
			continue;
		fprintf(o, "%s\"%s\"\n", blocks ? "\n\n" : "",
			latency_series[i].title);
		while (fgets(line, sizeof(line), in))
			if (line[0] != '#')
				fputs(line, o);
		fclose(in);
		blocks++;
	}
	fclose(o);
	have.latency_blocks = blocks;
}

static void write_chart_data(void)
{
	static const int batches[] = { 1, 8, 32, 128, 256 };
	static const long long sizes[] = { 4096, 65536, 1 << 20, 16 << 20 };
	static const char *const algs[] = { "cipher", "digest" };
	static const int gaps[] = { 10, 100, 1000, 10000 };
	FILE *o;
	size_t i, a;

	o = data_file("throughput.dat");
	if (o) {
		fprintf(o, "# batch  Mops/s(1 thread) sd  Mops/s(2 threads) sd"
			   "  io_uring sd  submit-wait sd\n");
		for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
			const struct result *r1 =
				find("teeq/async/noop_pipelined/batch:%d",
				     batches[i]);
			const struct result *r2 = find(
				"teeq/async/noop_pipelined/batch:%d/threads:2",
				batches[i]);
			const struct result *u =
				find("baseline/uring_nop/batch:%d", batches[i]);
			const struct result *w =
				find("teeq/async/noop_submit_wait/batch:%d",
				     batches[i]);

			fprintf(o, "%d", batches[i]);
			have.throughput |=
				dat(o, val(r1, "items_per_second"), 1e-6);
			dat(o, sdev(r1, "items_per_second"), 1e-6);
			have.throughput |=
				dat(o, val(r2, "items_per_second"), 1e-6);
			dat(o, sdev(r2, "items_per_second"), 1e-6);
			dat(o, val(u, "items_per_second"), 1e-6);
			dat(o, sdev(u, "items_per_second"), 1e-6);
			dat(o, val(w, "items_per_second"), 1e-6);
			dat(o, sdev(w, "items_per_second"), 1e-6);
			fprintf(o, "\n");
		}
		fclose(o);
	}
	for (a = 0; a < 2; a++) {
		char name[64];

		snprintf(name, sizeof(name), "payload_%s.dat", algs[a]);
		o = data_file(name);
		if (!o)
			continue;
		fprintf(o, "# bytes  GB/s: in-process  zero-copy pool  "
			   "zero-copy fd  copied (tmpref)  memcpy\n");
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			fprintf(o, "%lld", sizes[i]);
			dat(o,
			    val(find("baseline/inproc_%s/bytes:%lld", algs[a],
				     sizes[i]),
				"bytes_per_second"),
			    1e-9);
			have.payload[a] |=
				dat(o,
				    val(find("teeq/payload/%s_pool/bytes:%lld",
					     algs[a], sizes[i]),
					"bytes_per_second"),
				    1e-9);
			dat(o,
			    val(find("teeq/payload/%s_fd/bytes:%lld", algs[a],
				     sizes[i]),
				"bytes_per_second"),
			    1e-9);
			dat(o,
			    val(find("teeq/payload/%s_tmpref/bytes:%lld",
				     algs[a], sizes[i]),
				"bytes_per_second"),
			    1e-9);
			dat(o,
			    val(find("baseline/memcpy/bytes:%lld", sizes[i]),
				"bytes_per_second"),
			    1e-9);
			fprintf(o, "\n");
		}
		fclose(o);
	}
	o = data_file("idle.dat");
	if (o) {
		fprintf(o,
			"# sleep_us  p50_us p99_us (--spin-us 50)  "
			"p50_us p99_us (--spin-us 1000000)  measured idle_us "
			"(--spin-us 50, 1000000)\n");
		for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
			const struct result *r =
				find("teeq/idle/spin50us/gap_us:%d", gaps[i]);
			const struct result *s =
				find("teeq/idle/spin1s/gap_us:%d", gaps[i]);

			fprintf(o, "%d", gaps[i]);
			have.idle |= dat(o, val(r, "p50_ns"), 1e-3);
			dat(o, val(r, "p99_ns"), 1e-3);
			dat(o, val(s, "p50_ns"), 1e-3);
			dat(o, val(s, "p99_ns"), 1e-3);
			dat(o, val(r, "idle_ns"), 1e-3);
			dat(o, val(s, "idle_ns"), 1e-3);
			fprintf(o, "\n");
		}
		fclose(o);
	}
	write_latency_data();
	o = data_file("charts.cfg");
	if (o) {
		fprintf(o,
			"latency_blocks = %d\nhave_throughput = %d\n"
			"have_cipher = %d\nhave_digest = %d\n"
			"have_idle = %d\n",
			have.latency_blocks, have.throughput, have.payload[0],
			have.payload[1], have.idle);
		fclose(o);
	}
}

/* ---- the headline table -------------------------------------------------------- */

struct row {
	const char *figure, *teeq;
	const char *base_name, *baseline; /* what the baseline is, its value */
	const char *ratio, *target;
};

#define MAX_ROWS 40

static void add_row(struct row *rows, int *n, const char *figure,
		    const char *teeq, const char *base_name,
		    const char *baseline, const char *ratio, const char *target)
{
	rows[(*n)++] = (struct row){ figure,   teeq,  base_name,
				     baseline, ratio, target };
}

/* "T: met" or "T: MISSED": the target, and the verdict on @v. */
static const char *target_of(const char *what, double v, double limit,
			     int at_most)
{
	char *b = fmt_buf();

	snprintf(b, 64, "%s: %s", what, verdict(v, limit, at_most));
	return b;
}

/* A ratio over the kept rounds, with the all-rounds one beside it. */
static const char *fmt_x_all(double kept, double all)
{
	char *b = fmt_buf();

	snprintf(b, 64, "%s (all: %s)", fmt_x(kept), fmt_x(all));
	return b;
}

/* Bytes a second of AES-CTR calls of 1 MiB taking @ns each. */
static double aes_gbps(double ns)
{
	return (double)(1 << 20) * 1e9 / ns;
}

/* The paired rounds' rows: each placement seen, each ratio from one
 * round's windows, over the kept rounds (all rounds beside it). */
static int paired_rows(const struct paired *p, struct row *rows)
{
	static char fig[NR_PLACES][10][64];
	int i, n = 0;

	for (i = 0; i < NR_PLACES; i++) {
		const char *w = place_names[i];

		if (!paired_seen(p, i))
			continue;
		snprintf(fig[i][0], 64, "sync noop round trip, paired %s", w);
		snprintf(fig[i][1], 64, "sync noop vs floor, paired %s", w);
		snprintf(fig[i][2], 64, "bare ring round trip, paired %s", w);
		snprintf(fig[i][3], 64, "async noop b32, paired %s", w);
		snprintf(fig[i][4], 64, "async b32 vs io_uring, paired %s", w);
		snprintf(fig[i][5], 64, "async b32 vs SQPOLL, paired %s", w);
		add_row(rows, &n, fig[i][0], fmt_ns(p->sync[i]),
			"paired bare ring", fmt_ns(p->ring[i]),
			fmt_x_all(p->sync_to_ring[i], p->sync_to_ring_all[i]),
			target_of("<= 1.3x", p->sync_to_ring[i],
				  TARGET_SYNC_TO_RING, 1));
		add_row(rows, &n, fig[i][1], fmt_ns(p->sync[i]),
			"paired ping-pong", fmt_ns(p->floor[i]),
			fmt_x(p->sync_ratio[i]),
			target_of("<= 2x", p->sync_ratio[i],
				  TARGET_SYNC_TO_FLOOR, 1));
		add_row(rows, &n, fig[i][2], fmt_ns(p->ring[i]),
			"paired ping-pong", fmt_ns(p->floor[i]),
			fmt_x(p->ring_ratio[i]),
			target_of("<= 1.5x", p->ring_ratio[i],
				  TARGET_RING_TO_FLOOR, 1));
		add_row(rows, &n, fig[i][3], fmt_rate(p->async32[i], "ops"), "",
			"-", "-",
			target_of(">= 10 M/s", p->async32[i], TARGET_ASYNC32,
				  0));
		add_row(rows, &n, fig[i][4], fmt_rate(p->async32[i], "ops"),
			"paired io_uring NOP b32",
			fmt_rate(p->uring32[i], "ops"),
			fmt_x_all(p->async_to_uring[i],
				  p->async_to_uring_all[i]),
			target_of(">= 2x", p->async_to_uring[i],
				  TARGET_ASYNC_TO_URING, 0));
		add_row(rows, &n, fig[i][5], fmt_rate(p->async32[i], "ops"),
			"paired SQPOLL NOP b32",
			fmt_rate(p->sqpoll32[i], "ops"),
			fmt_x_all(p->async_to_sqpoll[i],
				  p->async_to_sqpoll_all[i]),
			target_of(">= 1x", p->async_to_sqpoll[i],
				  TARGET_ASYNC_TO_SQPOLL, 0));
		snprintf(fig[i][6], 64, "AES-CTR 1 MiB zero-copy, paired %s",
			 w);
		snprintf(fig[i][7], 64, "AES-CTR 1 MiB copied, paired %s", w);
		snprintf(fig[i][8], 64, "  its floor, paired %s", w);
		snprintf(fig[i][9], 64, "  copied vs its floor, paired %s", w);
		add_row(rows, &n, fig[i][6], fmt_gbps(aes_gbps(p->aes_zc[i])),
			"paired in process",
			fmt_gbps(aes_gbps(p->aes_inproc[i])),
			fmt_x_all(p->zc_ratio[i], p->zc_ratio_all[i]),
			target_of(">= 0.97x", p->zc_ratio[i], TARGET_ZEROCOPY,
				  0));
		add_row(rows, &n, fig[i][7],
			fmt_gbps(aes_gbps(p->aes_copied[i])),
			"paired in process",
			fmt_gbps(aes_gbps(p->aes_inproc[i])),
			fmt_x_all(p->copy_ratio[i], p->copy_ratio_all[i]),
			target_of(">= 0.5x", p->copy_ratio[i], TARGET_COPY, 0));
		add_row(rows, &n, fig[i][8],
			fmt_gbps(aes_gbps(p->aes_floor[i])),
			"paired in process",
			fmt_gbps(aes_gbps(p->aes_inproc[i])),
			fmt_x(p->copy_floor_ratio[i]), "-");
		add_row(rows, &n, fig[i][9],
			fmt_gbps(aes_gbps(p->aes_copied[i])), "paired floor",
			fmt_gbps(aes_gbps(p->aes_floor[i])),
			fmt_x(p->copy_to_floor[i]), "-");
	}
	return n;
}

static int headline_rows(const struct figures *f, struct row *rows)
{
	int n = 0;

	add_row(rows, &n, "sync noop call round trip", fmt_ns(f->sync),
		"ping-pong", fmt_ns(f->floor), fmt_x(f->sync_ratio),
		target_of("<= 2x", f->sync_ratio, TARGET_SYNC_TO_FLOOR, 1));
	add_row(rows, &n, "sync noop vs bare ring", fmt_ns(f->sync),
		"bare ring", fmt_ns(f->ring), fmt_x(f->sync / f->ring),
		target_of("<= 1.3x", f->sync / f->ring, TARGET_SYNC_TO_RING,
			  1));
	add_row(rows, &n, "bare ring round trip", fmt_ns(f->ring), "ping-pong",
		fmt_ns(f->floor), fmt_x(f->ring_ratio),
		target_of("<= 1.5x", f->ring_ratio, TARGET_RING_TO_FLOOR, 1));
	add_row(rows, &n, "bare ring 64 B pipelined, batch 32",
		fmt_rate(f->ring_tput, "msgs"), "", "-", "-",
		target_of(">= 30 M/s", f->ring_tput, TARGET_RING_TPUT, 0));
	add_row(rows, &n, "async noop, batch 32, pipelined",
		fmt_rate(f->batch32, "ops"), "io_uring NOP b32",
		fmt_rate(f->uring_b32, "ops"), fmt_x(f->batch32_ratio),
		target_of(">= 2x", f->batch32_ratio, TARGET_ASYNC_TO_URING, 0));
	add_row(rows, &n, "async noop, batch 32, pipelined, vs SQPOLL",
		fmt_rate(f->batch32, "ops"), "SQPOLL NOP b32 pipelined",
		fmt_rate(f->sqpoll_b32, "ops"), fmt_x(f->batch32_sqpoll_ratio),
		target_of(">= 1x", f->batch32_sqpoll_ratio,
			  TARGET_ASYNC_TO_SQPOLL, 0));
	add_row(rows, &n, "async noop, batch 32, submit-wait",
		fmt_rate(f->batch32_sw, "ops"), "io_uring NOP b32",
		fmt_rate(f->uring_b32, "ops"),
		fmt_x(f->batch32_sw / f->uring_b32), "-");
	add_row(rows, &n, "Unix-socket RPC round trip", fmt_ns(f->socket),
		"ping-pong", fmt_ns(f->floor), fmt_x(f->socket / f->floor),
		"-");
	add_row(rows, &n, "AES-128-CTR 1 MiB, zero-copy",
		fmt_gbps(f->zc_cipher), "in process, no TEE",
		fmt_gbps(f->inproc_cipher), fmt_x(f->zc_ratio),
		target_of(">= 0.97x", f->zc_ratio, TARGET_ZEROCOPY, 0));
	add_row(rows, &n, "AES-128-CTR 1 MiB, copied", fmt_gbps(f->copy_cipher),
		"in process, no TEE", fmt_gbps(f->inproc_cipher),
		fmt_x(f->copy_ratio),
		target_of(">= 0.5x", f->copy_ratio, TARGET_COPY, 0));
	add_row(rows, &n, "  its floor: copied to a peer, no TEE",
		fmt_gbps(f->copy_floor), "in process, no TEE",
		fmt_gbps(f->inproc_cipher),
		fmt_x(f->copy_floor / f->inproc_cipher), "-");
	add_row(rows, &n, "AES-128-CTR 1 MiB, copied, vs its floor",
		fmt_gbps(f->copy_cipher), "copied to a peer, no TEE",
		fmt_gbps(f->copy_floor), fmt_x(f->copy_cipher / f->copy_floor),
		"-");
	add_row(rows, &n, "first call after 1 ms idle, median",
		fmt_ns(f->idle_first), "secure world polling",
		fmt_ns(f->idle_hot), fmt_x(f->idle_first / f->idle_hot), "-");
	add_row(rows, &n, "loaded TA noop round trip", fmt_ns(f->ta_noop),
		"built-in noop", fmt_ns(f->ta_noop_builtin),
		fmt_x(f->ta_noop / f->ta_noop_builtin),
		target_of("<= 2x", f->ta_noop / f->ta_noop_builtin,
			  TARGET_LOADED_TO_BUILTIN, 1));
	add_row(rows, &n, "  of which teeq-sw to TA and back",
		fmt_ns(f->ta_noop_hop), "built-in noop",
		fmt_ns(f->ta_noop_builtin),
		fmt_x(f->ta_noop_hop / f->ta_noop_builtin), "-");
	add_row(rows, &n, "loaded TA open+close, kept", fmt_ns(f->ta_open_kept),
		"built-in", fmt_ns(f->ta_open_builtin),
		fmt_x(f->ta_open_kept / f->ta_open_builtin), "-");
	add_row(rows, &n, "loaded TA open+close, new process",
		fmt_ns(f->ta_open_process), "built-in",
		fmt_ns(f->ta_open_builtin),
		fmt_x(f->ta_open_process / f->ta_open_builtin), "-");
	add_row(rows, &n, "AES-128-CTR 1 MiB, loaded TA", fmt_gbps(f->ta_aes),
		"built-in cipher TA", fmt_gbps(f->ta_aes_builtin),
		fmt_x(f->ta_aes / f->ta_aes_builtin), "-");
	n += paired_rows(&f->paired, rows + n);
	return n;
}

/* A row's baseline column: what it is and its value, or "-". */
static const char *row_base(const struct row *r)
{
	char *b = fmt_buf();

	snprintf(b, 64, "%s%s%s", r->base_name, r->base_name[0] ? " " : "",
		 strcmp(r->baseline, "-") ? r->baseline : "");
	return b[0] ? b : "-";
}

/* Which placements the paired rounds saw, on one line; nothing if they
 * did not run. */
static void paired_note(FILE *o, const struct paired *p, const char *prefix)
{
	int i, any = 0;

	if (!p->r)
		return;
	if (p->r->error) {
		fprintf(o, "%spaired rounds: %s\n", prefix, p->r->error);
		return;
	}
	fprintf(o, "%spaired rounds (each ratio from one round's windows):",
		prefix);
	for (i = 0; i < NR_PLACES; i++) {
		if (!paired_seen(p, i))
			continue;
		fprintf(o, "%s %s %s of %s kept (floor %s)", any ? "," : "",
			fmt_num(p->rounds[i], 0), place_names[i],
			fmt_num(p->rounds_all[i], 0), fmt_ns(p->floor[i]));
		any = 1;
	}
	if (p->left_out > 0)
		fprintf(o,
			"%s %s left out (%s: a floor's window unsteady, %s: "
			"CPU time lost, %s: the placement changed)",
			any ? ";" : "", fmt_num(p->left_out, 0),
			fmt_num(p->left_out_floor, 0),
			fmt_num(p->left_out_lost_cpu, 0),
			fmt_num(p->left_out_moved, 0));
	fprintf(o, "%s\n", any || p->left_out > 0 ? "" : " no result");
}

/* What makes this run's figures doubtful, said plainly. */
static void warnings(FILE *o, const struct figures *f, const char *bullet,
		     int max_names)
{
	double drift = floor_drift(f);
	double tput_floor = round_trip(find("baseline/pingpong_throughput"));
	int i, n = count_disturbed(), named = 0;

	/* always said: the vCPUs' placement, as the floor shows it, differs
	 * between parts of a run on this kind of VM */
	if (!isnan(tput_floor))
		fprintf(o,
			"%scross-core floor when the throughput figures ran: "
			"%s (when the latency figures ran: %s)\n",
			strncmp(bullet, "WARNING", 7) ? bullet : "note: ",
			fmt_ns(tput_floor), fmt_ns(f->floor));

	if (n) {
		fprintf(o,
			"%sdisturbed: in %d benchmark%s a polling side had "
			"its CPU for less than %.0f%% of the run (other "
			"processes were running):",
			bullet, n, n == 1 ? "" : "s", DISTURBED_SHARE * 100);
		for (i = 0; i < nresults; i++) {
			if (!disturbed(&results[i]) || named++ >= max_names)
				continue;
			fprintf(o, "%s %s (%.0f%%)", named > 1 ? "," : "",
				results[i].key, cpu_share(&results[i]) * 100);
		}
		if (named > max_names)
			fprintf(o, ", and %d more", named - max_names);
		fprintf(o, "\n");
	}
	if (!isnan(drift) && drift > FLOOR_DRIFT_MAX)
		fprintf(o,
			"%sthe floor moved during the run: %s before the "
			"headline round trips, %s after (the VM's vCPUs "
			"were placed differently); ratios to it are "
			"doubtful%s\n",
			bullet, fmt_ns(f->floor),
			fmt_ns(round_trip(find("baseline/pingpong_recheck"))),
			paired_seen(&f->paired, NEAR) ||
					paired_seen(&f->paired, FAR) ?
				" (the paired rounds' are not)" :
				"");
}

/* The headline table as plain text, and what to read it with. */
static void print_table(FILE *o, const struct figures *f,
			const struct row *rows, int n)
{
	int i;

	fprintf(o, "%-44s %-15s %-36s %-18s %s\n", "figure", "teeq",
		"baseline (same run)", "ratio", "target");
	for (i = 0; i < n; i++)
		fprintf(o, "%-44s %-15s %-36s %-18s %s\n", rows[i].figure,
			rows[i].teeq, row_base(&rows[i]), rows[i].ratio,
			rows[i].target);
	fprintf(o, "\n");
	paired_note(o, &f->paired, "note: ");
	warnings(o, f, "WARNING: ", 4);
}

static void print_console(const struct figures *f, const struct row *rows,
			  int n)
{
	printf("\nteeq benchmark: %s, %s CPUs, %s; %s\n", ctx("teeq_cpu_model"),
	       ctx("teeq_cpus"), ctx("teeq_kernel"), ctx("teeq_commit"));
	printf("medians of %d repetitions; a round trip is the mean of calls "
	       "made back to back\n\n",
	       repetitions());
	print_table(stdout, f, rows, n);
}

/* ---- the paired rounds ------------------------------------------------------------ */

static void md_paired_place(FILE *o, const struct paired *p, int i)
{
	fprintf(o,
		"**%s placement**: %s rounds kept of its %s (of %s in "
		"all)\n\n",
		place_names[i], fmt_num(p->rounds[i], 0),
		fmt_num(p->rounds_all[i], 0), fmt_num(p->all_rounds, 0));
	fprintf(o, "| figure | value | ratio, kept rounds | ratio, all rounds "
		   "| target |\n|---|---|---|---|---|\n");
	fprintf(o, "| floor (ping-pong round trip) | %s | | | |\n",
		fmt_ns(p->floor[i]));
	fprintf(o, "| bare ring round trip | %s | %s of the floor | | %s |\n",
		fmt_ns(p->ring[i]), fmt_x(p->ring_ratio[i]),
		target_of("<= 1.5x", p->ring_ratio[i], TARGET_RING_TO_FLOOR,
			  1));
	fprintf(o, "| sync noop round trip | %s | %s of the floor | | %s |\n",
		fmt_ns(p->sync[i]), fmt_x(p->sync_ratio[i]),
		target_of("<= 2x", p->sync_ratio[i], TARGET_SYNC_TO_FLOOR, 1));
	fprintf(o,
		"| sync noop round trip | %s | %s of the bare ring | %s | "
		"%s |\n",
		fmt_ns(p->sync[i]), fmt_x(p->sync_to_ring[i]),
		fmt_x(p->sync_to_ring_all[i]),
		target_of("<= 1.3x", p->sync_to_ring[i], TARGET_SYNC_TO_RING,
			  1));
	fprintf(o, "| async noop, batch 32, pipelined | %s | | | %s |\n",
		fmt_rate(p->async32[i], "ops"),
		target_of(">= 10 M/s", p->async32[i], TARGET_ASYNC32, 0));
	fprintf(o,
		"| io_uring NOP, batch 32, submit-wait | %s | async: %s | %s "
		"| async >= 2x: %s |\n",
		fmt_rate(p->uring32[i], "ops"), fmt_x(p->async_to_uring[i]),
		fmt_x(p->async_to_uring_all[i]),
		verdict(p->async_to_uring[i], TARGET_ASYNC_TO_URING, 0));
	fprintf(o,
		"| io_uring NOP, batch 32, SQPOLL, pipelined | %s | async: %s "
		"| %s | async >= 1x: %s |\n",
		fmt_rate(p->sqpoll32[i], "ops"), fmt_x(p->async_to_sqpoll[i]),
		fmt_x(p->async_to_sqpoll_all[i]),
		verdict(p->async_to_sqpoll[i], TARGET_ASYNC_TO_SQPOLL, 0));
	fprintf(o, "| AES-128-CTR 1 MiB in process | %s | | | |\n",
		fmt_gbps(aes_gbps(p->aes_inproc[i])));
	fprintf(o,
		"| AES-128-CTR 1 MiB zero-copy | %s | %s of in process | %s "
		"| %s |\n",
		fmt_gbps(aes_gbps(p->aes_zc[i])), fmt_x(p->zc_ratio[i]),
		fmt_x(p->zc_ratio_all[i]),
		target_of(">= 0.97x", p->zc_ratio[i], TARGET_ZEROCOPY, 0));
	fprintf(o,
		"| AES-128-CTR 1 MiB copied | %s | %s of in process | %s | "
		"%s |\n",
		fmt_gbps(aes_gbps(p->aes_copied[i])), fmt_x(p->copy_ratio[i]),
		fmt_x(p->copy_ratio_all[i]),
		target_of(">= 0.5x", p->copy_ratio[i], TARGET_COPY, 0));
	fprintf(o,
		"| its floor: copied to a peer, no TEE | %s | %s of in "
		"process; copied: %s of it | | |\n\n",
		fmt_gbps(aes_gbps(p->aes_floor[i])),
		fmt_x(p->copy_floor_ratio[i]), fmt_x(p->copy_to_floor[i]));
}

static void md_paired(FILE *o, const struct paired *p)
{
	int i;

	fprintf(o, "## Paired rounds: each ratio from one placement\n\n");
	fprintf(o, "This VM moves its vCPUs between a near placement and a "
		   "far one, sometimes within seconds, so the ratios above "
		   "may divide a round trip from one placement by a floor "
		   "from the other. `teeq/paired` makes rounds instead: each "
		   "measures, back to back, a few milliseconds of the "
		   "ping-pong floor, the bare ring round trip, the sync noop "
		   "round trip, async noop invocations at batch 32, and "
		   "io_uring NOPs at batch 32, submit-wait and with SQPOLL "
		   "(the code of `baseline/pingpong`, `baseline/ring_rtt`, "
		   "`teeq/sync/noop`, `teeq/async/noop_pipelined/batch:32`, "
		   "`baseline/uring_nop/batch:32`, "
		   "`baseline/uring_sqpoll_nop/batch:32`; teeq-sw "
		   "`--spin-us 50`, asleep while a peer process has CPU 1), "
		   "then AES-128-CTR calls of 1 MiB zero-copy and copied "
		   "(`teeq/payload/cipher_pool` and `cipher_tmpref`, on the "
		   "polling teeq-sw of the payload figures), in process "
		   "(`baseline/inproc_cipher`) and copied to a peer process "
		   "(`baseline/copy_floor_cipher`), and the floor again. "
		   "Each ratio is taken within a round.\n\n"
		   "A round is left out only for a cause that does not "
		   "depend on how fast teeq's own windows ran: the floor's "
		   "window was unsteady (its mean over 1.5x the pace of its "
		   "fastest 64 calls: the placement changed, or a side lost "
		   "its CPU, while the floor was measured), or CPU time was "
		   "lost in any window (this thread or the window's peer "
		   "waited on a run queue for over 5%% of the window, or the "
		   "hypervisor reported stolen time), or the placement "
		   "changed within the round (its last floor falls on the "
		   "other side of the split below from its first). Every "
		   "ratio is given "
		   "over the "
		   "rounds kept and over all rounds.\n\n"
		   "Rounds are grouped by their floor: in two when the "
		   "largest floor of the kept rounds is more than twice the "
		   "smallest, split at the geometric mean of the two; a "
		   "group is *near* if its median floor is under 200 ns, "
		   "else *far* (two groups of the same name are one). "
		   "Values are medians over a placement's rounds, a ratio "
		   "the median of the rounds' ratios. Every round: "
		   "`paired_rounds.csv`.\n\n");
	if (!p->r || p->r->error || !(p->all_rounds > 0)) {
		fprintf(o, "Not measured: %s.\n\n", why_missing(p->r));
		return;
	}
	fprintf(o,
		"Rounds left out: %s of %s (%s: a floor's window unsteady; "
		"%s: CPU time lost; %s: the placement changed; a round may "
		"have more than one).\n\n",
		fmt_num(p->left_out, 0), fmt_num(p->all_rounds, 0),
		fmt_num(p->left_out_floor, 0), fmt_num(p->left_out_lost_cpu, 0),
		fmt_num(p->left_out_moved, 0));
	if (!paired_seen(p, NEAR) && !paired_seen(p, FAR))
		fprintf(o, "No round: no figure per placement.\n\n");
	else if (!isnan(p->split))
		fprintf(o,
			"Both placements were seen; the rounds split at a "
			"floor of %s.\n\n",
			fmt_ns(p->split));
	else
		fprintf(o, "One placement was seen.\n\n");
	for (i = 0; i < NR_PLACES; i++)
		if (paired_seen(p, i))
			md_paired_place(o, p, i);
	fprintf(o,
		"Every placement: sync over bare ring %s (kept rounds), %s "
		"(all); async b32 over io_uring NOP b32 %s, %s; over SQPOLL "
		"%s, %s; AES-CTR 1 MiB over in process, zero-copy %s, %s, "
		"copied %s, %s. All %s rounds: ring over floor %s, sync over "
		"floor "
		"%s, async batch 32 %s (mixed placements when more than one "
		"was seen).\n\n",
		fmt_x(p->sync_to_ring_kept), fmt_x(p->sync_to_ring_every),
		fmt_x(p->async_to_uring_kept), fmt_x(p->async_to_uring_every),
		fmt_x(p->async_to_sqpoll_kept), fmt_x(p->async_to_sqpoll_every),
		fmt_x(p->zc_ratio_kept), fmt_x(p->zc_ratio_every),
		fmt_x(p->copy_ratio_kept), fmt_x(p->copy_ratio_every),
		fmt_num(p->all_rounds, 0), fmt_x(p->all_ring_ratio),
		fmt_x(p->all_sync_ratio), fmt_rate(p->all_async32, "ops"));
}

/* ---- report.md ---------------------------------------------------------------------- */

static void md_context_row(FILE *o, const char *what, const char *key)
{
	fprintf(o, "| %s | %s |\n", what, ctx(key));
}

/* The load average over @minutes (1, 5, 15) when the run started, as
 * Google Benchmark's context says, or -1. */
static double load_avg(int minutes)
{
	struct json_object *load = report_get(context, "load_avg");
	int i = minutes == 1 ? 0 : minutes == 5 ? 1 : 2;

	if (!json_object_is_type(load, json_type_array) ||
	    json_object_array_length(load) != 3)
		return -1;
	return report_num(json_object_array_get_idx(load, (size_t)i), -1);
}

static void md_machine(FILE *o, const struct figures *f)
{
	fprintf(o, "## Machine and method\n\n| | |\n|---|---|\n");
	fprintf(o, "| CPU | %s, %s |\n", ctx("teeq_cpu_model"),
		ctx("teeq_cpus"));
	md_context_row(o, "kernel", "teeq_kernel");
	md_context_row(o, "compiler", "teeq_compiler");
	md_context_row(o, "flags (libteeq, teeq-sw, benchmarks)",
		       "teeq_cflags");
	md_context_row(o, "C++ (the Google Benchmark shim only)", "teeq_cxx");
	md_context_row(o, "commit", "teeq_commit");
	md_context_row(o, "OpenSSL", "teeq_openssl");
	fprintf(o,
		"| Google Benchmark | library build type: %s (the "
		"distribution's; timed loops run the header's inline "
		"KeepRunning, compiled with the flags above) |\n",
		ctx("library_build_type"));
	md_context_row(o, "date", "date");
	md_context_row(o, "placement", "teeq_placement");
	md_context_row(o, "secure world for latency, throughput, payload",
		       "teeq_env_spin");
	md_context_row(o, "secure world for idle-to-active and paired rounds",
		       "teeq_env_idle");
	fprintf(o,
		"| timer (per-call percentiles) | %s; two back-to-back "
		"readings: %s (p50) |\n",
		ctx("teeq_timer"), fmt_ns(f->timer));
	md_context_row(o, "hardware counters (cycles, instructions)",
		       "teeq_hw_counters");
	md_context_row(o, "kernel mode (/dev/teeq0)", "teeq_kernel_mode");
	md_context_row(o, "arguments", "teeq_args");
	if (load_avg(1) >= 0)
		fprintf(o, "| load average at start | %.2f %.2f %.2f |\n",
			load_avg(1), load_avg(5), load_avg(15));
	fprintf(o,
		"\nEvery figure is the median over %d repetitions "
		"(Google Benchmark aggregates); baselines ran in the same "
		"process, next to what they are baselines of. "
		"Percentiles come from a second pass that times every "
		"call; each sample includes one reading of the clock.\n\n",
		repetitions());
	if (load_avg(1) > 0.7)
		fprintf(o,
			"**Warning:** the load average was %.2f when the "
			"run started: other processes were using this "
			"machine's CPUs, and may have disturbed the "
			"figures.\n\n",
			load_avg(1));
}

/* A latency row; the ratio is the round trip over the floor's. */
static void md_latency_row(FILE *o, const struct figures *f, const char *key)
{
	const struct result *r = find("%s", key);
	int timer = !strcmp(key, "baseline/timer");

	if (!r || r->error) {
		fprintf(o, "| `%s` | %s | | | | | | | | | |\n", key,
			why_missing(r));
		return;
	}
	fprintf(o,
		"| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		key, r->label ? r->label : "", fmt_ns(val(r, "p50_ns")),
		fmt_ns(val(r, "p99_ns")), fmt_ns(val(r, "p999_ns")),
		timer ? fmt_ns(val(r, "real_time")) : fmt_ns(round_trip(r)),
		timer ? "-" : fmt_x(round_trip(r) / f->floor),
		fmt_ns(val(r, "cpu_ns")), fmt_ns(val(r, "peer_cpu_ns")),
		fmt_g(val(r, "ctx_switches")), fmt_g(val(r, "page_faults")));
}

static void md_latency(FILE *o, const struct figures *f)
{
	static const char *const keys[] = {
		"baseline/timer",
		"baseline/pingpong",
		"baseline/ring_rtt",
		"teeq/sync/noop",
		"baseline/pingpong_recheck",
		"baseline/pingpong_throughput",
		"teeq/sync/noop_op_none",
		"teeq/sync/values",
		"teeq/sync/memref4k_pool",
		"teeq/sync/memref4k_fd",
		"teeq/sync/tmpref4k",
		"teeq/sync/open_close",
		"baseline/uring_nop/batch:1",
		"baseline/socket_rpc",
	};
	size_t i;

	fprintf(o, "## Call latency\n\nOne call at a time. *mean*: Google "
		   "Benchmark's time, calls made back to back with no clock "
		   "between them. The percentiles come from a second pass of "
		   "as many calls, each timed (so each holds one reading of "
		   "the clock, `baseline/timer`; resolution above). *vs "
		   "floor*: mean over `baseline/pingpong`'s (measured just "
		   "before the bare ring and `teeq/sync/noop`, and again "
		   "right after them: `pingpong_recheck`). The CPU and "
		   "context "
		   "switch columns are per call of the first pass: *client*, "
		   "this thread; *peer*, the other side (teeq-sw, or the "
		   "baseline's peer process).\n\n");
	fprintf(o, "| benchmark | what | p50 | p99 | p99.9 | mean | "
		   "vs floor | client CPU / call | peer CPU / call | "
		   "context switches / call | page faults / call |\n"
		   "|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		md_latency_row(o, f, keys[i]);
	fprintf(o, "\n![Latency distribution](latency.svg)\n\n");
}

static void md_tput_row(FILE *o, const struct figures *f, const char *key)
{
	const struct result *r = find("%s", key);
	double ops = val(r, "items_per_second");

	if (!r || r->error) {
		fprintf(o, "| `%s` | %s | | | | | | | | |\n", key,
			why_missing(r));
		return;
	}
	fprintf(o, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		key, r->label ? r->label : "", fmt_rate(ops, "ops"),
		fmt_ns(1e9 / ops), fmt_x(ops / f->uring_b32),
		fmt_x(ops / f->sqpoll_b32), fmt_g(val(r, "doorbells")),
		fmt_g(val(r, "client_sleeps")), fmt_ns(val(r, "cpu_ns")),
		fmt_ns(val(r, "peer_cpu_ns")));
}

static void md_throughput(FILE *o, const struct figures *f)
{
	static const int batches[] = { 1, 8, 32, 128, 256 };
	char key[128];
	size_t i;
	int t;

	fprintf(o, "## Throughput\n\nPipelined: the queue is kept full "
		   "(submit a batch whenever there is room, reap what is "
		   "done, block only when full). Submit-wait: submit a "
		   "batch, wait for all of it. io_uring NOPs submit-wait "
		   "complete inside the one system call that submits them, "
		   "on this CPU; with SQPOLL, the kernel's poller thread on "
		   "the other CPU takes them from the ring, the same shape "
		   "as teeq's worker. *client CPU / op*: this thread's CPU "
		   "time; *peer CPU / op*: teeq-sw's, or the SQPOLL "
		   "thread's; both spin when they wait, so on a quiet "
		   "machine each is about the time per op.\n\n");
	fprintf(o, "| benchmark | what | ops/s | time / op | vs io_uring NOP "
		   "b32 | vs SQPOLL NOP b32 | doorbells / op | client sleeps "
		   "/ op | client CPU / op | peer CPU / op |\n"
		   "|---|---|---|---|---|---|---|---|---|---|\n");
	md_tput_row(o, f, "baseline/uring_nop/batch:1");
	md_tput_row(o, f, "baseline/uring_nop/batch:32");
	md_tput_row(o, f, "baseline/uring_sqpoll_nop/batch:32");
	md_tput_row(o, f, "baseline/ring_pipelined/batch:32");
	for (t = 1; t <= 2; t++) {
		for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
			snprintf(key, sizeof(key),
				 "teeq/async/noop_pipelined/batch:%d%s",
				 batches[i], t > 1 ? "/threads:2" : "");
			md_tput_row(o, f, key);
		}
	}
	md_tput_row(o, f, "teeq/async/noop_submit_wait/batch:32");
	fprintf(o, "\n![Throughput by batch size](throughput.svg)\n\n");
}

static void md_payload_table(FILE *o, const char *alg, const char *title)
{
	static const long long sizes[] = { 4096, 65536, 1 << 20, 16 << 20 };
	size_t i;

	fprintf(o, "**%s** (GB/s of input; bounce: bytes copied per call)\n\n",
		title);
	fprintf(o, "| size | memcpy | in process (ceiling) | zero-copy, pool "
		   "| zero-copy, fd | copied (tmpref) | pool / ceiling | "
		   "copied / ceiling | bounce, copied | client sleeps / call "
		   "(pool) |\n|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const struct result *in =
			find("baseline/inproc_%s/bytes:%lld", alg, sizes[i]);
		const struct result *pool =
			find("teeq/payload/%s_pool/bytes:%lld", alg, sizes[i]);
		const struct result *fd =
			find("teeq/payload/%s_fd/bytes:%lld", alg, sizes[i]);
		const struct result *tmp = find(
			"teeq/payload/%s_tmpref/bytes:%lld", alg, sizes[i]);
		const struct result *mc =
			find("baseline/memcpy/bytes:%lld", sizes[i]);
		double ceiling = val(in, "bytes_per_second");

		fprintf(o,
			"| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
			"|\n",
			fmt_size(sizes[i]),
			fmt_gbps(val(mc, "bytes_per_second")),
			fmt_gbps(ceiling),
			fmt_gbps(val(pool, "bytes_per_second")),
			fmt_gbps(val(fd, "bytes_per_second")),
			fmt_gbps(val(tmp, "bytes_per_second")),
			fmt_x(val(pool, "bytes_per_second") / ceiling),
			fmt_x(val(tmp, "bytes_per_second") / ceiling),
			fmt_num(val(tmp, "bounce_bytes"), 0),
			fmt_num(val(pool, "client_sleeps"), 3));
	}
	fprintf(o, "\n");
}

static void md_payload(FILE *o)
{
	fprintf(o, "## Payload\n\nThe digest and cipher trusted apps over "
		   "4 KiB to 16 MiB: zero-copy (allocated shared memory, or "
		   "a registered memfd) beside copied (temporary memrefs), "
		   "and the same OpenSSL calls in this process with no TEE "
		   "(the ceiling). GB/s = 10^9 bytes a second. Each run "
		   "first checks one result against OpenSSL's.\n\n");
	md_payload_table(o, "cipher", "AES-128-CTR (cipher TA, out of place)");
	md_payload_table(o, "digest", "SHA-256 (digest TA)");
	fprintf(o, "![Payload throughput](payload.svg)\n\n");
}

/* One storage figure next to its plain file-system baseline. */
static void md_storage_row(FILE *o, const char *what, const char *teeq_key,
			   const char *base_key, int throughput)
{
	const struct result *t = find("%s", teeq_key),
			    *b = find("%s", base_key);
	double tv, bv;

	if (!t || t->error || !b || b->error) {
		fprintf(o, "| %s | %s | | | | |\n", what,
			why_missing(!t || t->error ? t : b));
		return;
	}
	if (throughput) {
		tv = val(t, "bytes_per_second");
		bv = val(b, "bytes_per_second");
		fprintf(o, "| %s | %s | | %s | | %s |\n", what, fmt_gbps(tv),
			fmt_gbps(bv), fmt_x(tv / bv));
		return;
	}
	tv = val(t, "real_time");
	bv = val(b, "real_time");
	fprintf(o, "| %s | %s | %s | %s | %s | %s |\n", what, fmt_ns(tv),
		fmt_ns(val(t, "p99_ns")), fmt_ns(bv), fmt_ns(val(b, "p99_ns")),
		fmt_x(tv / bv));
}

static void md_storage(FILE *o)
{
	fprintf(o, "## Secure storage\n\nThrough the storage TA: a durable "
		   "write is one commit (the object's file and the directory, "
		   "each written whole through teeq-supplicant: write, fsync, "
		   "rename, fsync the directory; and two fdatasync()ed anchor "
		   "updates in the secure state), a read is open, read, close "
		   "(the file fetched through the supplicant's ring, "
		   "authenticated and decrypted). Baselines: the same done "
		   "plainly on the same file system (a durable replacement: "
		   "write, fsync, rename, fsync the directory; a read: open, "
		   "read, close). Latency: mean and p99; throughput: GB/s = "
		   "10^9 bytes a second.\n\n");
	fprintf(o, "| figure | teeq | teeq p99 | baseline (same run) | "
		   "baseline p99 | ratio |\n|---|---|---|---|---|---|\n");
	md_storage_row(o, "256 B object, durable write",
		       "teeq/storage/write/bytes:256",
		       "baseline/fs_write/bytes:256", 0);
	md_storage_row(o, "256 B object, read", "teeq/storage/read/bytes:256",
		       "baseline/fs_read/bytes:256", 0);
	md_storage_row(o, "1 MiB object, durable write",
		       "teeq/storage/write/bytes:1048576",
		       "baseline/fs_write/bytes:1048576", 1);
	md_storage_row(o, "1 MiB object, read",
		       "teeq/storage/read/bytes:1048576",
		       "baseline/fs_read/bytes:1048576", 1);
	fprintf(o, "\n");
}

static void md_idle_row(FILE *o, const char *key, const char *who, int gap_us)
{
	const struct result *r = find("%s", key);

	if (!r || r->error) {
		fprintf(o, "| %s | %s | %s | | | | | | | |\n", who,
			fmt_ns(gap_us * 1e3), why_missing(r));
		return;
	}
	fprintf(o, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", who,
		fmt_ns(gap_us * 1e3), fmt_ns(val(r, "idle_ns")),
		fmt_ns(val(r, "p50_ns")), fmt_ns(val(r, "p99_ns")),
		fmt_ns(val(r, "p999_ns")), fmt_num(val(r, "samples"), 0),
		fmt_num(val(r, "sw_sleeps"), 3),
		fmt_num(val(r, "client_sleeps"), 3),
		fmt_ns(val(r, "peer_cpu_ns")));
}

static void md_idle(FILE *o, const struct figures *f)
{
	static const int gaps[] = { 10, 100, 1000, 10000 };
	char key[128];
	size_t i;

	fprintf(o, "## Idle to active\n\nA worker polls its rings for "
		   "`--spin-us` after its last call, then sleeps on the "
		   "doorbells; a call that finds it asleep pays for the "
		   "doorbell and for waking a halted vCPU. Each call below "
		   "follows an idle period of the time asked (the client "
		   "polls the clock through gaps under 200 us and sleeps "
		   "through longer ones; the idle time measured runs from "
		   "the end of one call to the start of the next). *peer "
		   "CPU / call* is what the polling costs "
		   "the secure world per call; *client sleeps*: calls whose "
		   "caller stopped spinning (after TEEQ_SPIN_US, 100 us by "
		   "default) and slept too.\n\n");
	fprintf(o, "| teeq-sw | idle asked | idle measured | p50 | p99 | "
		   "p99.9 | calls | worker sleeps / call | client sleeps / "
		   "call | peer CPU / call |\n"
		   "|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		snprintf(key, sizeof(key), "teeq/idle/spin50us/gap_us:%d",
			 gaps[i]);
		md_idle_row(o, key, "`--spin-us 50`", gaps[i]);
	}
	md_idle_row(o, "teeq/idle/spin1s/gap_us:1000", "`--spin-us 1000000`",
		    1000);
	fprintf(o,
		"\nAfter 1 ms idle the first call takes %s with a worker "
		"that slept, %s with one still polling (%s); the polling "
		"costs the secure world's CPU for as long as it polls.\n\n",
		fmt_ns(f->idle_first), fmt_ns(f->idle_hot),
		fmt_x(f->idle_first / f->idle_hot));
	fprintf(o, "![First call after idling](idle.svg)\n\n");
}

static void md_not_measured(FILE *o)
{
	int i, any = 0;

	fprintf(o, "## Not measured here\n\n");
	for (i = 0; i < nresults; i++) {
		if (!results[i].error)
			continue;
		fprintf(o, "- `%s`: %s\n", results[i].key, results[i].error);
		any = 1;
	}
	if (strcmp(ctx("teeq_hw_counters"), "available")) {
		fprintf(o,
			"- cycles and instructions per call: %s "
			"(`make bench-instr` counts instructions under "
			"callgrind instead)\n",
			ctx("teeq_hw_counters"));
		any = 1;
	}
	if (!any)
		fprintf(o, "Everything was measured.\n");
	fprintf(o, "\n");
}

/* ---- instructions per call (make bench-instr's instr.json) ------------------ */

#define TARGET_CLIENT_NOOP_INSTR 200.0 /* at most, libteeq, sync noop */
#define TARGET_SECURE_NOOP_INSTR 120.0 /* at most, sw_dispatch + TA */
#define TARGET_ASYNC32_CLIENT_INSTR 120.0 /* at most, per call */
#define TARGET_VALUES3_OVER_NOOP 1.5 /* at most */

static struct {
	struct json_object *root;
	const char *commit; /* NULL: no instr.json */
	int same; /* its commit is this run's */
} instr;

static void instr_load(void)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/instr.json", out_dir);
	instr.root = json_object_from_file(path);
	instr.commit = report_str(report_get(instr.root, "commit"), NULL);
	/* uncommitted changes may differ between the two */
	instr.same = instr.commit &&
		     !strcmp(instr.commit, ctx("teeq_commit")) &&
		     !strstr(instr.commit, "uncommitted");
}

static double instr_val(const char *name)
{
	return report_num(report_get(instr.root, name), NAN);
}

static void md_instr_row(FILE *o, const char *what, const char *name,
			 const char *client_target, const char *secure_target)
{
	char key[96];
	double c, a, s, d;

	snprintf(key, sizeof(key), "%s_client_instr", name);
	c = instr_val(key);
	snprintf(key, sizeof(key), "%s_client_api_instr", name);
	a = instr_val(key);
	snprintf(key, sizeof(key), "%s_secure_dispatch_instr", name);
	d = instr_val(key);
	snprintf(key, sizeof(key), "%s_secure_instr", name);
	s = instr_val(key);
	fprintf(o, "| %s | %s | %s | %s | %s | %s | %s |\n", what,
		fmt_num(c, 1), fmt_num(a, 1), client_target, fmt_num(d, 1),
		secure_target, fmt_num(s, 1));
}

/* Instructions per call, with the targets, when instr.json is this
 * run's; otherwise why not. */
static void md_instr(FILE *o, const char *heading)
{
	/* the targets are set "in libteeq": on its API functions' count */
	double nc = instr_val("sync_noop_client_api_instr");
	double nd = instr_val("sync_noop_secure_dispatch_instr");
	double vc = instr_val("sync_values3_client_api_instr");
	double vd = instr_val("sync_values3_secure_dispatch_instr");
	double ac = instr_val("async32_client_api_instr");

	fprintf(o, "%s", heading);
	if (!instr.commit) {
		fprintf(o, "Not measured in this run: `make bench-instr` "
			   "writes instr.json.\n\n");
		return;
	}
	if (!instr.same) {
		fprintf(o,
			"instr.json is of commit %s, not of this run's (%s): "
			"not shown.\n\n",
			instr.commit, ctx("teeq_commit"));
		return;
	}
	fprintf(o,
		"callgrind (`make bench-instr`, %s, commit %s), instructions "
		"per call. *client*: libteeq, the wait for the secure world "
		"left out, with the benchmark's loop around the calls (its "
		"calls into libteeq and their arguments); *libteeq API*: of "
		"that, libteeq's API functions alone, what the client-side "
		"targets (\"in libteeq\") are judged on. *secure, "
		"dispatch*: `sw_dispatch()` and the "
		"trusted app, what the secure-side target is set on. "
		"*secure, whole*: everything the teeq-sw worker does for the "
		"call once it has seen the entry (its copy out of the ring, "
		"the dispatch, the completion and its publication; a sync "
		"call is a batch of one). Details: `instr.md`.\n\n",
		report_str(report_get(instr.root, "valgrind"), "valgrind"),
		instr.commit);
	fprintf(o, "| call | client | libteeq API | target | secure, dispatch "
		   "| target | secure, whole |\n"
		   "|---|---|---|---|---|---|---|\n");
	md_instr_row(o, "sync noop", "sync_noop",
		     target_of("<= 200", nc, TARGET_CLIENT_NOOP_INSTR, 1),
		     target_of("<= 120", nd, TARGET_SECURE_NOOP_INSTR, 1));
	md_instr_row(o, "sync, 3 values", "sync_values3",
		     target_of("<= 1.5x noop", vc / nc,
			       TARGET_VALUES3_OVER_NOOP, 1),
		     target_of("<= 1.5x noop", vd / nd,
			       TARGET_VALUES3_OVER_NOOP, 1));
	md_instr_row(o, "async, batch 32, per call", "async32",
		     target_of("<= 120", ac, TARGET_ASYNC32_CLIENT_INSTR, 1),
		     "-");
	md_instr_row(o, "sync, 4 KiB zero-copy memref", "sync_memref4k", "-",
		     "-");
	md_instr_row(o, "sync, 4 KiB temporary memref", "sync_tmpref4k", "-",
		     "-");
	fprintf(o,
		"\n3 values over noop: libteeq API %s, client %s, secure "
		"(dispatch) %s, secure (whole) %s.\n\n",
		fmt_x(vc / nc),
		fmt_x(instr_val("sync_values3_client_instr") /
		      instr_val("sync_noop_client_instr")),
		fmt_x(vd / nd),
		fmt_x(instr_val("sync_values3_secure_instr") /
		      instr_val("sync_noop_secure_instr")));
}

/* ---- readme.md: the README's benchmark block ---------------------------- */

/* What the README shows of this run, for scripts/bench-report.sh readme
 * to put between its markers: every figure from this one run (and its
 * commit's instr.json), none written by hand. */
static int write_readme(const struct figures *f, const struct row *rows, int n)
{
	FILE *o;

	o = out_file("readme.md");
	if (!o)
		return -1;
	fprintf(o,
		"Printed by `make bench` of commit %s on %s (%s, %s CPUs, %s; "
		"load average %.2f when it started; %s run, medians of %d "
		"repetitions):\n\n```\n",
		ctx("teeq_commit"), ctx("date"), ctx("teeq_cpu_model"),
		ctx("teeq_cpus"), ctx("teeq_kernel"), load_avg(1),
		strcmp(ctx("teeq_quick"), "1") ? "full" : "quick",
		repetitions());
	print_table(o, f, rows, n);
	fprintf(o, "```\n\n");
	md_instr(o, "Instructions per call of the same commit:\n\n");
	return fclose(o);
}

static int write_report(const struct figures *f, const struct row *rows, int n)
{
	FILE *o;
	int i;

	o = out_file("report.md");
	if (!o)
		return -1;
	fprintf(o,
		"# teeq benchmark report\n\n%s, commit %s, %s CPU%s. "
		"Medians of %d repetitions; every baseline ran in the "
		"same run.\n\n",
		ctx("date"), ctx("teeq_commit"), ctx("teeq_cpus"),
		strcmp(ctx("teeq_cpus"), "1 online") ? "s" : "", repetitions());
	fprintf(o, "## Headline\n\n| figure | teeq | baseline (same run) | "
		   "ratio | target |\n|---|---|---|---|---|\n");
	for (i = 0; i < n; i++)
		fprintf(o, "| %s | %s | %s | %s | %s |\n", rows[i].figure,
			rows[i].teeq, row_base(&rows[i]), rows[i].ratio,
			rows[i].target);
	fprintf(o, "\n");
	if (f->paired.r) {
		paired_note(o, &f->paired, "");
		fprintf(o, "\n");
	}
	warnings(o, f, "**Warning:** ", MAX_RESULTS);
	fprintf(o,
		"\nA round trip is the mean over a run of calls made back to "
		"back (Google Benchmark's time); percentiles are in the "
		"tables below; ratios are of these means. The first call after "
		"idling is a median.\n\n");
	md_machine(o, f);
	md_paired(o, &f->paired);
	md_instr(o, "## Instructions per call\n\n");
	md_latency(o, f);
	md_throughput(o, f);
	md_payload(o);
	md_storage(o);
	md_idle(o, f);
	md_not_measured(o);
	fprintf(o, "## Files\n\n`results.json` (Google Benchmark's JSON, "
		   "every repetition), `summary.json` (headline figures), "
		   "`paired_rounds.csv` (every paired round), "
		   "`lat/*.dat` (latency distributions of each benchmark's "
		   "last repetition), `data/*.dat` (chart data), "
		   "`*.svg` (gnuplot), `teeq-sw-*.log`; `instr.md` once "
		   "`make bench-instr` has run.\n");
	return fclose(o);
}

/* ---- main ------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	struct row rows[MAX_ROWS];
	struct figures f;
	struct json_object *root;
	int n;

	if (argc != 3) {
		fprintf(stderr,
			"usage: teeq-bench-report RESULTS_JSON OUT_DIR\n");
		return 2;
	}
	out_dir = argv[2];
	root = json_object_from_file(argv[1]);
	if (!root || load(root)) {
		fprintf(stderr, "teeq-bench-report: %s: %s\n", argv[1],
			root ? "not Google Benchmark's JSON" :
			       json_util_get_last_err());
		json_object_put(root);
		return 1;
	}
	figures(&f);
	instr_load();
	n = headline_rows(&f, rows);
	write_chart_data();
	if (write_summary(&f) || write_report(&f, rows, n) ||
	    write_readme(&f, rows, n)) {
		fprintf(stderr, "teeq-bench-report: cannot write to %s\n",
			out_dir);
		json_object_put(root);
		return 1;
	}
	print_console(&f, rows, n);
	json_object_put(instr.root);
	json_object_put(root);
	return 0;
}
