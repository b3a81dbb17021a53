// SPDX-License-Identifier: MIT
/*
 * teeq-bench: the benchmark suite. Google Benchmark's command line, plus:
 *
 *   --teeq-sw=PATH      the teeq-sw to start (default: $TEEQ_SW, else
 *                       ../secure/teeq-sw next to this program's dir)
 *   --report-dir=DIR    where per-run data (latency distributions) and
 *                       teeq-sw logs go (default: none written)
 *
 * Defaults: 5 repetitions of at least 0.25 s each, aggregates on the
 * console; BENCH_QUICK=1: 3 repetitions of 0.05 s. Any --benchmark_* flag
 * given overrides them. Exits non-zero if a benchmark failed (one that
 * cannot be measured on this machine says so and is not a failure).
 */
#include "bench/bench.h"
#include "bench/env.h"

#include "buildinfo.h"

#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define BENCH_MAX_DEFS 128

static char bench_report_dir[PATH_MAX];

const char *bench_data_dir(void)
{
	return bench_report_dir[0] ? bench_report_dir : NULL;
}

int bench_quick(void)
{
	const char *q = getenv("BENCH_QUICK");

	return q && *q && strcmp(q, "0") != 0;
}

static void bench_signal(int sig)
{
	bench_env_kill_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void bench_default_sw(char *out, size_t len)
{
	const char *env = getenv("TEEQ_SW");
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	/* <build>/bench/teeq-bench -> <build>/secure/teeq-sw */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	if (strlen(self) + sizeof("/secure/teeq-sw") <= len) {
		strcpy(out, self);
		strcat(out, "/secure/teeq-sw");
	} else {
		snprintf(out, len, "teeq-sw");
	}
}

/* The first line of @cmd's output, or "unknown". */
static void bench_command(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");

	snprintf(out, len, "unknown");
	if (!p)
		return;
	if (fgets(out, (int)len, p))
		out[strcspn(out, "\n")] = 0;
	else
		snprintf(out, len, "unknown");
	pclose(p);
}

static void bench_cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(out, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(out, len, "%s", colon + 2);
			out[strcspn(out, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

static void bench_machine_context(const char *sw_path)
{
	char buf[512], commit[64], dirty[64];
	const char *hw = bench_perf_hw_status();
	struct utsname u;

	bench_cpu_model(buf, sizeof(buf));
	bench_gb_context("teeq_cpu_model", buf);
	snprintf(buf, sizeof(buf), "%ld online", sysconf(_SC_NPROCESSORS_ONLN));
	bench_gb_context("teeq_cpus", buf);
	if (!uname(&u)) {
		snprintf(buf, sizeof(buf), "%s %s %s", u.sysname, u.release,
			 u.machine);
		bench_gb_context("teeq_kernel", buf);
	}
	bench_gb_context("teeq_compiler", BENCH_BUILD_CC);
	bench_gb_context("teeq_cflags", BENCH_BUILD_CFLAGS);
	bench_gb_context("teeq_cxx", BENCH_BUILD_CXX);
	bench_command("git rev-parse --short=12 HEAD 2>/dev/null", commit,
		      sizeof(commit));
	bench_command("git status --porcelain --untracked-files=no 2>/dev/null"
		      " | head -n 1",
		      dirty, sizeof(dirty));
	snprintf(buf, sizeof(buf), "%s%s", commit,
		 strcmp(dirty, "unknown") && strcmp(commit, "unknown") ?
			 " (with uncommitted changes)" :
			 "");
	bench_gb_context("teeq_commit", buf);
	bench_gb_context("teeq_openssl", OpenSSL_version(OPENSSL_VERSION));
	bench_gb_context("teeq_placement",
			 "benchmark thread pinned to CPU 0; the teeq-sw worker "
			 "(--cpus 1) and every baseline's peer process on "
			 "CPU 1; teeq-sw instances not in use are stopped "
			 "(SIGSTOP); the two-thread runs put both client "
			 "threads on CPU 0");
	snprintf(buf, sizeof(buf),
		 "lfence; rdtsc, %.4f GHz calibrated against "
		 "CLOCK_MONOTONIC, resolution %.1f ns",
		 bench_tsc_ghz(), bench_clock_resolution_ns());
	bench_gb_context("teeq_timer", buf);
	bench_gb_context("teeq_hw_counters", hw ? hw : "available");
	bench_gb_context("teeq_kernel_mode",
			 access("/dev/teeq0", F_OK) ?
				 "not measured here: see make bench-kernel" :
				 "the teeq/kernel rows, through /dev/teeq0");
	bench_gb_context("teeq_sw", sw_path);
	bench_gb_context("teeq_quick", bench_quick() ? "1" : "0");
	bench_env_describe();
}

/* The command line Google Benchmark gets, defaults included. */
static void bench_args_context(int nargs, char **args)
{
	char buf[2048];
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 1; i < nargs && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      i > 1 ? " " : "", args[i]);
	bench_gb_context("teeq_args", buf);
}

static size_t bench_table(struct bench_def *d)
{
	size_t n = 0;

	/* baselines sit next to what they are the baseline of */
	n = bench_timer_defs(d, n);
	/* the floor right before and right after the headline round trips */
	n = bench_floor_defs(d, n);
	n = bench_sync_noop_defs(d, n);
	n = bench_floor_recheck_defs(d, n);
	/* the floor and the headline round trips again, each ratio from one
	 * placement of the vCPUs */
	n = bench_paired_defs(d, n);
	n = bench_sync_defs(d, n);
	n = bench_batch_baseline_defs(d, n);
	n = bench_async_defs(d, n);
	n = bench_rpc_defs(d, n);
	n = bench_payload_defs(d, n);
	n = bench_idle_defs(d, n);
	n = bench_kernel_defs(d, n);
	n = bench_storage_defs(d, n);
	n = bench_ta_defs(d, n);
	return n;
}

int main(int argc, char **argv)
{
	static struct bench_def defs[BENCH_MAX_DEFS];
	char sw_path[PATH_MAX] = "", lat_dir[PATH_MAX + 8];
	char *args[256];
	int nargs = 0, i, ran, bad;
	size_t n;

	/* our options out, Google Benchmark's defaults in front of the
	 * caller's flags (a later flag wins) */
	args[nargs++] = argv[0];
	args[nargs++] = bench_quick() ? "--benchmark_repetitions=3" :
					"--benchmark_repetitions=5";
	args[nargs++] = bench_quick() ? "--benchmark_min_time=0.05" :
					"--benchmark_min_time=0.25";
	args[nargs++] = "--benchmark_display_aggregates_only=true";
	for (i = 1; i < argc && nargs < 255; i++) {
		if (!strncmp(argv[i], "--teeq-sw=", 10))
			snprintf(sw_path, sizeof(sw_path), "%s", argv[i] + 10);
		else if (!strncmp(argv[i], "--report-dir=", 13))
			snprintf(bench_report_dir, sizeof(bench_report_dir),
				 "%s", argv[i] + 13);
		else
			args[nargs++] = argv[i];
	}
	args[nargs] = NULL;
	if (!sw_path[0])
		bench_default_sw(sw_path, sizeof(sw_path));
	if (bench_report_dir[0]) {
		snprintf(lat_dir, sizeof(lat_dir), "%s/lat", bench_report_dir);
		mkdir(bench_report_dir, 0755);
		if (mkdir(lat_dir, 0755) && errno != EEXIST) {
			fprintf(stderr, "teeq-bench: %s: %s\n", lat_dir,
				strerror(errno));
			return 2;
		}
	}

	signal(SIGINT, bench_signal);
	signal(SIGTERM, bench_signal);
	signal(SIGHUP, bench_signal);
	/* nanosleep()s of the idle benchmarks mean what they say */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (bench_pin(BENCH_CLIENT_CPU))
		fprintf(stderr, "teeq-bench: cannot pin to CPU %d\n",
			BENCH_CLIENT_CPU);
	bench_clock_calibrate();
	bench_ta_env();
	if (bench_env_init(sw_path, bench_data_dir()))
		return 2;
	bench_storage_init(sw_path);
	bench_machine_context(sw_path);
	bench_args_context(nargs, args);

	n = bench_table(defs);
	ran = bench_gb_main(nargs, args, defs, n);
	bad = bench_env_fini();
	bench_storage_fini();
	if (ran < 0)
		return 2;
	if (bad || bench_failures()) {
		fprintf(stderr, "teeq-bench: %d benchmark%s failed%s\n",
			bench_failures(), bench_failures() == 1 ? "" : "s",
			bad ? "; teeq-sw did not exit cleanly" : "");
		return 1;
	}
	return 0;
}
