// SPDX-License-Identifier: MIT
/*
 * teeq-bench-kreport RESULTS_JSON OUT_DIR COMMIT GUEST
 *
 * The kernel-mode report (make bench-kernel): reads Google Benchmark's JSON
 * of a teeq-bench run made inside the QEMU guest (bench/kernel.c's rows,
 * with the io_uring NOP and host mode's async batch of the same run as
 * baselines) and writes, in OUT_DIR, report.md (every figure beside its
 * baseline and ratio, and whether it meets its target), summary.json (the
 * kernel_* names the README lists) and chart data (data/, drawn by
 * bench/kcharts.gp); it prints the headline table. Figures are Google
 * Benchmark's medians over repetitions; one that is missing is "not
 * measured", never filled in, and its name is null in summary.json.
 * COMMIT is the host's (the guest has no git), GUEST says what the guest
 * was (QEMU, its accelerator, its CPUs).
 */
#include <json.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct json_object *kr_root;
static const char *kr_out, *kr_commit, *kr_guest;

/* ---- reading ------------------------------------------------------------------ */

static const char *kr_context(const char *key)
{
	struct json_object *ctx, *v;

	if (json_object_object_get_ex(kr_root, "context", &ctx) &&
	    json_object_object_get_ex(ctx, key, &v))
		return json_object_get_string(v);
	return "unknown";
}

static const char *kr_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_string(v) :
		       "";
}

static double kr_number(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_double(v) :
		       NAN;
}

/* The entry of @name (run_name, e.g. "teeq/kernel/null_ioctl/real_time")
 * holding its median, or its only repetition; or the one that says why it
 * was not measured. NULL if it did not run. */
static struct json_object *kr_find(const char *name)
{
	struct json_object *list, *found = NULL;
	size_t i, n;

	if (!json_object_object_get_ex(kr_root, "benchmarks", &list))
		return NULL;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		const char *type = kr_string(o, "run_type");

		if (strcmp(kr_string(o, "run_name"), name))
			continue;
		if (!strcmp(type, "aggregate") &&
		    !strcmp(kr_string(o, "aggregate_name"), "median"))
			return o;
		if (!strcmp(type, "iteration") && !found)
			found = o;
	}
	return found;
}

static int kr_failed(struct json_object *o)
{
	struct json_object *v;

	return !o || (json_object_object_get_ex(o, "error_occurred", &v) &&
		      json_object_get_boolean(v));
}

/* Round trip in ns (real_time), or NAN. */
static double kr_ns(const char *name)
{
	struct json_object *o = kr_find(name);
	const char *unit;
	double t;

	if (kr_failed(o))
		return NAN;
	t = kr_number(o, "real_time");
	unit = kr_string(o, "time_unit");
	if (!strcmp(unit, "us"))
		t *= 1e3;
	else if (!strcmp(unit, "ms"))
		t *= 1e6;
	else if (!strcmp(unit, "s"))
		t *= 1e9;
	return t;
}

static double kr_field(const char *name, const char *field)
{
	struct json_object *o = kr_find(name);

	return kr_failed(o) ? NAN : kr_number(o, field);
}

/* ---- the figures -------------------------------------------------------------- */

#define KR_NULL "teeq/kernel/null_ioctl/real_time"
#define KR_IOCTL "teeq/kernel/ioctl_sync_noop/real_time"
#define KR_URING "teeq/kernel/uring_cmd_noop_pipelined/batch:%d/real_time"
#define KR_NOP "baseline/uring_nop/batch:32/real_time"
#define KR_HOST "teeq/async/noop_pipelined/batch:32/real_time"
#define KR_TEEC "teeq/kernel/teec_sync_noop/real_time"
#define KR_HOST_SYNC "teeq/sync/noop/real_time"
#define KR_TEEQ_ASYNC "teeq/kernel/teeq_async_noop_pipelined/batch:32/real_time"
#define KR_VGEM "teeq/kernel/cipher_vgem/bytes:1048576/real_time"
#define KR_TMPREF "teeq/kernel/cipher_tmpref/bytes:1048576/real_time"
#define KR_INPROC "baseline/inproc_cipher/bytes:1048576/real_time"
#define KR_MEMCPY "baseline/memcpy/bytes:1048576/real_time"

static const int kr_batches[] = { 1, 8, 32, 128 };
#define KR_NR_BATCHES (int)(sizeof(kr_batches) / sizeof(kr_batches[0]))

struct kr_figures {
	double null_ns, ioctl_ns, ioctl_ops;
	double uring[KR_NR_BATCHES]; /* ops/s */
	double uring_b32, nop_b32, host_b32;
	/* libteeq in kernel mode, and host mode's sync call */
	double teec_ns, host_sync_ns, teeq_async_b32;
	double vgem_gbps, copy_gbps;
	double inproc_gbps, memcpy_gbps;
	double to_ioctl, to_nop, vgem_to_copy;
	/* what zero-copy can gain at most here: the time of the AES plus
	 * the two copies of the copied path, over the AES alone */
	double zc_ceiling;
};

static void kr_figures(struct kr_figures *f)
{
	char name[128];
	int i;

	f->null_ns = kr_ns(KR_NULL);
	f->ioctl_ns = kr_ns(KR_IOCTL);
	f->ioctl_ops = 1e9 / f->ioctl_ns;
	for (i = 0; i < KR_NR_BATCHES; i++) {
		snprintf(name, sizeof(name), KR_URING, kr_batches[i]);
		f->uring[i] = kr_field(name, "items_per_second");
	}
	f->uring_b32 = f->uring[2];
	f->nop_b32 = kr_field(KR_NOP, "items_per_second");
	f->host_b32 = kr_field(KR_HOST, "items_per_second");
	f->teec_ns = kr_ns(KR_TEEC);
	f->host_sync_ns = kr_ns(KR_HOST_SYNC);
	f->teeq_async_b32 = kr_field(KR_TEEQ_ASYNC, "items_per_second");
	f->vgem_gbps = kr_field(KR_VGEM, "bytes_per_second") / 1e9;
	f->copy_gbps = kr_field(KR_TMPREF, "bytes_per_second") / 1e9;
	f->inproc_gbps = kr_field(KR_INPROC, "bytes_per_second") / 1e9;
	f->memcpy_gbps = kr_field(KR_MEMCPY, "bytes_per_second") / 1e9;
	f->zc_ceiling = (1 / f->inproc_gbps + 2 / f->memcpy_gbps) /
			(1 / f->inproc_gbps);
	f->to_ioctl = f->uring_b32 / f->ioctl_ops;
	f->to_nop = f->uring_b32 / f->nop_b32;
	f->vgem_to_copy = f->vgem_gbps / f->copy_gbps;
}

/* ---- formatting --------------------------------------------------------------- */

static const char *kr_fmt(char *buf, size_t len, double v, const char *unit)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, len, "not measured");
	else if (!strcmp(unit, "ns") && v >= 1e6)
		snprintf(buf, len, "%.2f ms", v / 1e6);
	else if (!strcmp(unit, "ns") && v >= 1e3)
		snprintf(buf, len, "%.1f us", v / 1e3);
	else if (!strcmp(unit, "ops/s") && v >= 1e6)
		snprintf(buf, len, "%.2f M/s", v / 1e6);
	else if (!strcmp(unit, "ops/s") && v >= 1e3)
		snprintf(buf, len, "%.1f k/s", v / 1e3);
	else if (!strcmp(unit, "x"))
		snprintf(buf, len, "%.2fx", v);
	else
		snprintf(buf, len, "%.3g %s", v, unit);
	return buf;
}

/* "yes", "NO", or "not measured" for a ratio against its target. */
static const char *kr_met(double ratio, double target)
{
	if (isnan(ratio) || isinf(ratio))
		return "not measured";
	return ratio >= target ? "yes" : "NO";
}

struct kr_row {
	const char *figure;
	double teeq;
	const char *teeq_unit;
	const char *baseline;
	double base;
	const char *base_unit;
	double ratio;
	double target; /* NAN: none */
};

static int kr_rows(const struct kr_figures *f, struct kr_row *r)
{
	int n = 0;

	r[n++] = (struct kr_row){
		"sync ioctl INVOKE, round trip",  f->ioctl_ns, "ns",
		"a failing ioctl (null syscall)", f->null_ns,  "ns",
		f->ioctl_ns / f->null_ns,	  NAN
	};
	r[n++] = (struct kr_row){ "libteeq TEEC_InvokeCommand, kernel mode",
				  f->teec_ns,
				  "ns",
				  "sync ioctl INVOKE (raw)",
				  f->ioctl_ns,
				  "ns",
				  f->teec_ns / f->ioctl_ns,
				  NAN };
	r[n++] = (struct kr_row){ "libteeq TEEC_InvokeCommand, kernel mode",
				  f->teec_ns,
				  "ns",
				  "the same in host mode (same guest)",
				  f->host_sync_ns,
				  "ns",
				  f->teec_ns / f->host_sync_ns,
				  NAN };
	r[n++] = (struct kr_row){ "libteeq async, kernel mode, batch 32",
				  f->teeq_async_b32,
				  "ops/s",
				  "uring_cmd INVOKE, batch 32 (raw)",
				  f->uring_b32,
				  "ops/s",
				  f->teeq_async_b32 / f->uring_b32,
				  NAN };
	r[n++] = (struct kr_row){ "uring_cmd INVOKE, batch 32, pipelined",
				  f->uring_b32,
				  "ops/s",
				  "sync ioctl INVOKE",
				  f->ioctl_ops,
				  "ops/s",
				  f->to_ioctl,
				  10 };
	r[n++] = (struct kr_row){ "uring_cmd INVOKE, batch 32, pipelined",
				  f->uring_b32,
				  "ops/s",
				  "io_uring NOP, batch 32",
				  f->nop_b32,
				  "ops/s",
				  f->to_nop,
				  0.5 };
	r[n++] = (struct kr_row){ "1 MiB AES-CTR, vgem dma-buf in place",
				  f->vgem_gbps,
				  "GB/s",
				  "through a temporary memref (copied)",
				  f->copy_gbps,
				  "GB/s",
				  f->vgem_to_copy,
				  1.5 };
	r[n++] = (struct kr_row){ "uring_cmd INVOKE, batch 32, pipelined",
				  f->uring_b32,
				  "ops/s",
				  "host mode async, batch 32 (same guest)",
				  f->host_b32,
				  "ops/s",
				  f->uring_b32 / f->host_b32,
				  NAN };
	return n;
}

/* ---- writing ------------------------------------------------------------------ */

static FILE *kr_open(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", kr_out, name);
	return fopen(path, "w");
}

/* A figure, or null when it was not measured. */
static void kr_json_val(struct json_object *s, const char *name, double v)
{
	json_object_object_add(
		s, name,
		isnan(v) || isinf(v) ? NULL : json_object_new_double(v));
}

static int kr_summary(const struct kr_figures *f)
{
	struct json_object *s = json_object_new_object();
	char path[4096];
	int ret;

	if (!s)
		return -1;
	json_object_object_add(s, "commit", json_object_new_string(kr_commit));
	json_object_object_add(s, "date",
			       json_object_new_string(kr_context("date")));
	json_object_object_add(s, "where", json_object_new_string(kr_guest));
	json_object_object_add(s, "quick",
			       json_object_new_boolean(
				       !strcmp(kr_context("teeq_quick"), "1")));
	kr_json_val(s, "kernel_null_ioctl_ns", f->null_ns);
	kr_json_val(s, "kernel_ioctl_noop_rtt_ns", f->ioctl_ns);
	kr_json_val(s, "kernel_uring_b1_ops_per_s", f->uring[0]);
	kr_json_val(s, "kernel_uring_b8_ops_per_s", f->uring[1]);
	kr_json_val(s, "kernel_uring_b32_ops_per_s", f->uring_b32);
	kr_json_val(s, "kernel_uring_b128_ops_per_s", f->uring[3]);
	kr_json_val(s, "kernel_uring_b32_ratio_to_ioctl", f->to_ioctl);
	kr_json_val(s, "kernel_uring_nop_b32_ops_per_s", f->nop_b32);
	kr_json_val(s, "kernel_uring_b32_ratio_to_uring_nop", f->to_nop);
	kr_json_val(s, "kernel_host_async_b32_ops_per_s", f->host_b32);
	kr_json_val(s, "kernel_teec_noop_rtt_ns", f->teec_ns);
	kr_json_val(s, "kernel_host_sync_noop_rtt_ns", f->host_sync_ns);
	kr_json_val(s, "kernel_teec_to_ioctl_ratio", f->teec_ns / f->ioctl_ns);
	kr_json_val(s, "kernel_teec_to_host_ratio",
		    f->teec_ns / f->host_sync_ns);
	kr_json_val(s, "kernel_teeq_async_b32_ops_per_s", f->teeq_async_b32);
	kr_json_val(s, "kernel_teeq_async_b32_ratio_to_uring",
		    f->teeq_async_b32 / f->uring_b32);
	kr_json_val(s, "kernel_vgem_zerocopy_1mib_gbps", f->vgem_gbps);
	kr_json_val(s, "kernel_copy_1mib_gbps", f->copy_gbps);
	kr_json_val(s, "kernel_vgem_to_copy_ratio", f->vgem_to_copy);
	kr_json_val(s, "kernel_inprocess_1mib_cipher_gbps", f->inproc_gbps);
	kr_json_val(s, "kernel_memcpy_1mib_gbps", f->memcpy_gbps);
	kr_json_val(s, "kernel_zerocopy_ceiling_ratio", f->zc_ceiling);
	snprintf(path, sizeof(path), "%s/summary.json", kr_out);
	ret = json_object_to_file_ext(
		path, s, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	json_object_put(s);
	return ret;
}

static int kr_chart_data(const struct kr_figures *f)
{
	char path[4096];
	FILE *o;
	int i;

	snprintf(path, sizeof(path), "%s/data", kr_out);
	mkdir(path, 0755);
	o = kr_open("data/kernel_uring.dat");
	if (!o)
		return -1;
	fprintf(o, "# batch uring_cmd_ops_per_s sync_ioctl_ops_per_s "
		   "uring_nop_b32_ops_per_s host_async_b32_ops_per_s\n");
	for (i = 0; i < KR_NR_BATCHES; i++)
		fprintf(o, "%d %.6g %.6g %.6g %.6g\n", kr_batches[i],
			isnan(f->uring[i]) ? 0 : f->uring[i],
			isnan(f->ioctl_ops) ? 0 : f->ioctl_ops,
			isnan(f->nop_b32) ? 0 : f->nop_b32,
			isnan(f->host_b32) ? 0 : f->host_b32);
	if (fclose(o))
		return -1;
	o = kr_open("data/kernel_cipher.dat");
	if (!o)
		return -1;
	fprintf(o,
		"# path GB/s\n\"vgem dma-buf, in place\" %.6g\n"
		"\"temporary memref, copied\" %.6g\n",
		isnan(f->vgem_gbps) ? 0 : f->vgem_gbps,
		isnan(f->copy_gbps) ? 0 : f->copy_gbps);
	return fclose(o);
}

static void kr_md_batches(FILE *o)
{
	char name[128], b0[32];
	int i;

	fprintf(o, "## uring_cmd by batch\n\nINVOKE of the noop TA as io_uring "
		   "commands, a batch per io_uring_enter, two batches in "
		   "flight. Per call: the system calls of the client, the "
		   "times the driver published entries to teeq-sw, and the "
		   "doorbells each way (from the driver's counters).\n\n"
		   "| batch | calls/s | io_uring_enter | publishes | "
		   "doorbells to teeq-sw | doorbells from teeq-sw |\n"
		   "|---|---|---|---|---|---|\n");
	for (i = 0; i < KR_NR_BATCHES; i++) {
		snprintf(name, sizeof(name), KR_URING, kr_batches[i]);
		fprintf(o, "| %d | %s | %.4f | %.4f | %.4f | %.4f |\n",
			kr_batches[i],
			kr_fmt(b0, sizeof(b0),
			       kr_field(name, "items_per_second"), "ops/s"),
			kr_field(name, "io_uring_enters"),
			kr_field(name, "publishes"),
			kr_field(name, "doorbells_to_sw"),
			kr_field(name, "doorbells_from_sw"));
	}
	fprintf(o, "\n![uring_cmd by batch](kernel_uring.svg)\n\n");
}

static void kr_md_all(FILE *o)
{
	struct json_object *list;
	size_t i, n;
	int any = 0;

	fprintf(o, "## Every row (medians)\n\n| benchmark | time | rate | "
		   "label |\n|---|---|---|---|\n");
	if (!json_object_object_get_ex(kr_root, "benchmarks", &list))
		return;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(list, i);
		double ips = kr_number(r, "items_per_second");
		double bps = kr_number(r, "bytes_per_second");
		char rate[64] = "";

		if (kr_failed(r) ||
		    strcmp(kr_string(r, "aggregate_name"), "median"))
			continue;
		if (!isnan(bps))
			snprintf(rate, sizeof(rate), "%.3g GB/s", bps / 1e9);
		else if (!isnan(ips))
			snprintf(rate, sizeof(rate), "%.4g calls/s", ips);
		fprintf(o, "| `%s` | %.4g %s | %s | %s |\n",
			kr_string(r, "run_name"), kr_number(r, "real_time"),
			kr_string(r, "time_unit"), rate, kr_string(r, "label"));
	}
	fprintf(o, "\n## Not measured\n\n");
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(list, i);

		if (!kr_failed(r) ||
		    strcmp(kr_string(r, "run_type"), "iteration"))
			continue;
		fprintf(o, "- `%s`: %s\n", kr_string(r, "run_name"),
			kr_string(r, "error_message"));
		any = 1;
	}
	if (!any)
		fprintf(o, "Everything was measured.\n");
	fprintf(o, "\n");
}

static int kr_report(const struct kr_figures *f, const struct kr_row *rows,
		     int n)
{
	FILE *o = kr_open("report.md");
	char t[32], b[32], r[32], tg[32];
	int i;

	if (!o)
		return -1;
	fprintf(o,
		"# teeq kernel-mode benchmark report\n\n%s, commit %s. "
		"Measured inside %s (`make bench-kernel`): teeq.ko, "
		"teeq-sw --kernel and every baseline in one guest and one run. "
		"Medians of %s repetitions. Timings inside an emulated guest "
		"on a shared host are noisy: compare the ratios, which are "
		"taken within the run.\n\n",
		kr_context("date"), kr_commit, kr_guest,
		strcmp(kr_context("teeq_quick"), "1") ? "5" : "3");
	fprintf(o, "## Headline\n\n| figure | teeq | baseline (same run) | "
		   "ratio | target | met |\n|---|---|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		if (isnan(rows[i].target))
			snprintf(tg, sizeof(tg), "-");
		else
			snprintf(tg, sizeof(tg), ">= %.3gx", rows[i].target);
		fprintf(o, "| %s | %s | %s: %s | %s | %s | %s |\n",
			rows[i].figure,
			kr_fmt(t, sizeof(t), rows[i].teeq, rows[i].teeq_unit),
			rows[i].baseline,
			kr_fmt(b, sizeof(b), rows[i].base, rows[i].base_unit),
			kr_fmt(r, sizeof(r), rows[i].ratio, "x"), tg,
			isnan(rows[i].target) ?
				"-" :
				kr_met(rows[i].ratio, rows[i].target));
	}
	fprintf(o, "\n");
	kr_md_batches(o);
	fprintf(o,
		"## Zero-copy\n\n1 MiB of AES-128-CTR per call by the "
		"cipher TA: in place in a vgem buffer registered with "
		"SHM_REGISTER_FD, against temporary memrefs the driver "
		"copies into its heap and back: %s against %s (%s).\n\n"
		"![1 MiB AES-CTR](kernel_cipher.svg)\n\n",
		kr_fmt(t, sizeof(t), f->vgem_gbps, "GB/s"),
		kr_fmt(b, sizeof(b), f->copy_gbps, "GB/s"),
		kr_fmt(r, sizeof(r), f->vgem_to_copy, "x"));
	fprintf(o, "## The guest\n\n%s: kernel %s, %s CPUs (%s); %s.\n\n",
		kr_guest, kr_context("teeq_kernel"), kr_context("teeq_cpus"),
		kr_context("teeq_cpu_model"), kr_context("teeq_placement"));
	kr_md_all(o);
	fprintf(o, "## Files\n\n`results.json` (Google Benchmark's JSON of "
		   "the guest's run), `console.txt`, `summary.json`, "
		   "`data/*.dat`, `*.svg` (bench/kcharts.gp), "
		   "`dmesg.txt` (the guest's kernel log).\n");
	return fclose(o);
}

static void kr_print(const struct kr_row *rows, int n)
{
	char t[32], b[32], r[32];
	int i;

	printf("%-42s %14s %14s %9s  %s\n", "figure", "teeq", "baseline",
	       "ratio", "target");
	for (i = 0; i < n; i++)
		printf("%-42s %14s %14s %9s  %s\n", rows[i].figure,
		       kr_fmt(t, sizeof(t), rows[i].teeq, rows[i].teeq_unit),
		       kr_fmt(b, sizeof(b), rows[i].base, rows[i].base_unit),
		       kr_fmt(r, sizeof(r), rows[i].ratio, "x"),
		       isnan(rows[i].target) ?
			       "" :
			       kr_met(rows[i].ratio, rows[i].target));
}

int main(int argc, char **argv)
{
	struct kr_figures f;
	struct kr_row rows[12];
	int n;

	if (argc != 5) {
		fprintf(stderr, "usage: teeq-bench-kreport RESULTS_JSON "
				"OUT_DIR COMMIT GUEST\n");
		return 2;
	}
	kr_out = argv[2];
	kr_commit = argv[3];
	kr_guest = argv[4];
	kr_root = json_object_from_file(argv[1]);
	if (!kr_root) {
		fprintf(stderr, "teeq-bench-kreport: %s: %s\n", argv[1],
			json_util_get_last_err());
		return 1;
	}
	kr_figures(&f);
	n = kr_rows(&f, rows);
	if (kr_summary(&f) || kr_chart_data(&f) || kr_report(&f, rows, n)) {
		fprintf(stderr, "teeq-bench-kreport: cannot write to %s: %s\n",
			kr_out, strerror(errno));
		json_object_put(kr_root);
		return 1;
	}
	kr_print(rows, n);
	json_object_put(kr_root);
	return 0;
}
