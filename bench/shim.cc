// SPDX-License-Identifier: MIT
/*
 * The only C++ in teeq: Google Benchmark for C. Registers the C table of
 * benchmarks and forwards benchmark::State operations to C, nothing more.
 * The command line is Google Benchmark's own (filters, repetitions, min
 * time, JSON output...).
 */
#include "bench/bench.h"

#include <benchmark/benchmark.h>

namespace {

benchmark::State *gb(bench_state *st)
{
	return reinterpret_cast<benchmark::State *>(st);
}

} // namespace

extern "C" {

int bench_gb_keep_running(bench_state *st)
{
	return gb(st)->KeepRunning();
}

int bench_gb_keep_running_batch(bench_state *st, int64_t n)
{
	return gb(st)->KeepRunningBatch(n);
}

int64_t bench_gb_range(bench_state *st, int index)
{
	return gb(st)->range(static_cast<std::size_t>(index));
}

int64_t bench_gb_iterations(bench_state *st)
{
	return gb(st)->iterations();
}

int64_t bench_gb_max_iterations(bench_state *st)
{
	return gb(st)->max_iterations;
}

int bench_gb_thread_index(bench_state *st)
{
	return gb(st)->thread_index();
}

int bench_gb_threads(bench_state *st)
{
	return gb(st)->threads();
}

void bench_gb_pause(bench_state *st)
{
	gb(st)->PauseTiming();
}

void bench_gb_resume(bench_state *st)
{
	gb(st)->ResumeTiming();
}

void bench_gb_counter(bench_state *st, const char *name, double value,
		      int flags)
{
	int f = benchmark::Counter::kDefaults;

	if (flags & BENCH_COUNTER_PER_ITER)
		f |= benchmark::Counter::kAvgIterations;
	if (flags & BENCH_COUNTER_RATE)
		f |= benchmark::Counter::kIsRate;
	gb(st)->counters[name] = benchmark::Counter(
		value, static_cast<benchmark::Counter::Flags>(f));
}

void bench_gb_bytes(bench_state *st, int64_t bytes)
{
	gb(st)->SetBytesProcessed(bytes);
}

void bench_gb_items(bench_state *st, int64_t items)
{
	gb(st)->SetItemsProcessed(items);
}

void bench_gb_skip(bench_state *st, const char *message)
{
	gb(st)->SkipWithError(message);
}

void bench_gb_label(bench_state *st, const char *label)
{
	gb(st)->SetLabel(label);
}

void bench_gb_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

int bench_gb_main(int argc, char **argv, const bench_def *defs,
		  std::size_t count)
{
	for (std::size_t i = 0; i < count; i++) {
		const bench_def *def = &defs[i];
		auto *b = benchmark::RegisterBenchmark(
			def->name, [def](benchmark::State &state) {
				bench_dispatch(
					def,
					reinterpret_cast<bench_state *>(&state));
			});

		b->UseRealTime();
		if (def->arg_name) {
			b->Arg(def->arg);
			b->ArgName(def->arg_name);
		}
		if (def->threads > 1)
			b->Threads(def->threads);
		if (def->iterations > 0)
			b->Iterations(def->iterations);
		if (def->repetitions > 0)
			b->Repetitions(def->repetitions);
	}
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return -1;
	int ran = static_cast<int>(benchmark::RunSpecifiedBenchmarks());
	benchmark::Shutdown();
	return ran;
}

} // extern "C"
