// SPDX-License-Identifier: MIT
/*
 * Idle to active: the first call after the client has been quiet for a
 * while, which is what the secure world's spin-then-sleep policy decides.
 * teeq-sw polls its rings for --spin-us after its last call, then sleeps
 * on the doorbells; a call that finds it asleep pays for the doorbell and
 * the wake-up of a halted vCPU. Each iteration waits @gap_us (untimed;
 * short gaps polling the clock, longer ones asleep), then times one noop
 * call. The secure world's CPU time per call (peer_cpu_ns) is what the
 * polling costs.
 */
#include "bench/bench.h"
#include "bench/env.h"

#include "uapi/teeq_host.h"
#include "uapi/teeq_tas.h"
#include "ring/atomics.h"

#include <errno.h>
#include <time.h>

/* Gaps shorter than this are waited out polling the clock: a sleep
 * would overshoot them by its own wake-up latency. */
#define IDLE_POLL_BELOW_NS 200000ull

static void idle_until(uint64_t deadline_ns, uint64_t gap_ns)
{
	struct timespec ts = { (time_t)(deadline_ns / 1000000000ull),
			       (long)(deadline_ns % 1000000000ull) };

	if (gap_ns < IDLE_POLL_BELOW_NS) {
		while (bench_clock_ns() < deadline_ns)
			teeq_cpu_relax();
		return;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void idle_run(struct bench *b, enum bench_env_id id)
{
	uint64_t gap_ns = (uint64_t)bench_arg(b) * 1000, idle_sum = 0;
	uint64_t last_end, t0, t1;
	struct teeq_sw_stats sw0, sw1;
	struct teeq_stats st0, st1;
	struct bench_env *env;
	struct bench_lat lat;
	TEEC_Session *sess;
	uint32_t origin;
	TEEC_Result res;

	env = bench_env_use(b, id);
	sess = env ? bench_env_session(b, env, BENCH_TA_NOOP) : NULL;
	if (!sess)
		return;
	if (bench_env_sw_stats(env, &sw0)) {
		bench_fail(b, "teeq-sw statistics");
		return;
	}
	teeq_context_stats(&env->ctx, &st0);
	bench_set_peer(b, env->pid);
	bench_lat_begin(b, &lat);
	last_end = bench_clock_ns();
	while (bench_run(b)) {
		bench_pause(b);
		idle_until(last_end + gap_ns, gap_ns);
		bench_resume(b);
		t0 = bench_tsc();
		idle_sum += bench_clock_ns() - last_end;
		res = TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL,
					 &origin);
		t1 = bench_tsc();
		last_end = bench_clock_ns();
		bench_lat_add(&lat, t1 - t0);
		if (res != TEEC_SUCCESS) {
			bench_fail(b, "TEEC_InvokeCommand: 0x%08x", res);
			break;
		}
	}
	teeq_context_stats(&env->ctx, &st1);
	if (bench_env_sw_stats(env, &sw1)) {
		bench_fail(b, "teeq-sw statistics");
		return;
	}
	bench_lat_end(b, &lat);
	bench_counter(b, "idle_ns", (double)idle_sum, BENCH_COUNTER_PER_ITER);
	bench_counter(b, "sw_sleeps",
		      (double)(sw1.worker_sleeps - sw0.worker_sleeps),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "client_sleeps",
		      (double)(st1.waits_slept - st0.waits_slept),
		      BENCH_COUNTER_PER_ITER);
	bench_label(b, "first noop call after %llu us idle, teeq-sw %s",
		    (unsigned long long)(gap_ns / 1000),
		    id == BENCH_ENV_IDLE ? "--spin-us 50" :
					   "--spin-us 1000000");
}

static void bm_idle_short_spin(struct bench *b)
{
	idle_run(b, BENCH_ENV_IDLE);
}

static void bm_idle_long_spin(struct bench *b)
{
	idle_run(b, BENCH_ENV_SPIN);
}

size_t bench_idle_defs(struct bench_def *d, size_t n)
{
	static const struct {
		int64_t gap_us, iterations;
	} gaps[] = {
		{ 10, 4000 }, { 100, 4000 }, { 1000, 1000 }, { 10000, 200 }
	};
	int64_t div = bench_quick() ? 4 : 1;
	size_t i;

	for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++)
		d[n++] = (struct bench_def){
			.name = "teeq/idle/spin50us",
			.fn = bm_idle_short_spin,
			.arg_name = "gap_us",
			.arg = gaps[i].gap_us,
			.iterations = gaps[i].iterations / div,
		};
	d[n++] = (struct bench_def){
		.name = "teeq/idle/spin1s",
		.fn = bm_idle_long_spin,
		.arg_name = "gap_us",
		.arg = 1000,
		.iterations = 1000 / div,
	};
	return n;
}
