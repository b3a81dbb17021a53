/* SPDX-License-Identifier: MIT */
/*
 * The whole test framework: each test is one program about one behaviour.
 * It exits 0 (pass), 1 (fail) or 77 (skip, with the reason printed);
 * tests/run.sh runs them and counts. CHECK* stop the test at the first
 * failure and say where and what.
 */
#ifndef TEEQ_TESTS_CHECK_H
#define TEEQ_TESTS_CHECK_H

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#define T_PASS 0
#define T_FAIL 1
#define T_SKIP 77

/* CLOCK_MONOTONIC in milliseconds, for the timeout guards of tests (the
 * framework stands alone: programs that link nothing of teeq use it). */
static inline uint64_t t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* CLOCK_MONOTONIC in nanoseconds, for timeouts asserted from below. */
static inline uint64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Is thread @tid (of any process) blocked, state S in /proc? With the
 * NEED_WAKEUP flag it announced set, that is its sleep: tests wait for
 * this state instead of sleeping and hoping the peer got there. */
static inline int t_thread_blocked(pid_t tid)
{
	char path[64], buf[256], *state;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* "pid (comm) S ...": comm may hold anything but ends at the last ')' */
	state = strrchr(buf, ')');
	return state && state[1] == ' ' && state[2] == 'S';
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                              \
			exit(T_FAIL);                                          \
		}                                                              \
	} while (0)

/* Integers, printed on failure. */
#define CHECK_EQ(a, b)                                                           \
	do {                                                                     \
		long long check_a_ = (long long)(a);                             \
		long long check_b_ = (long long)(b);                             \
		if (check_a_ != check_b_) {                                      \
			fprintf(stderr,                                          \
				"%s:%d: %s == %s failed: %lld (0x%llx) vs %lld " \
				"(0x%llx)\n",                                    \
				__FILE__, __LINE__, #a, #b, check_a_,            \
				(unsigned long long)check_a_, check_b_,          \
				(unsigned long long)check_b_);                   \
			exit(T_FAIL);                                            \
		}                                                                \
	} while (0)

#define CHECK_MEM(a, b, n)                                                \
	do {                                                              \
		if (memcmp((a), (b), (n))) {                              \
			fprintf(stderr,                                   \
				"%s:%d: memory %s != %s (%zu bytes)\n",   \
				__FILE__, __LINE__, #a, #b, (size_t)(n)); \
			exit(T_FAIL);                                     \
		}                                                         \
	} while (0)

#define SKIP(...)                                      \
	do {                                           \
		fprintf(stderr, "skip: " __VA_ARGS__); \
		fputc('\n', stderr);                   \
		exit(T_SKIP);                          \
	} while (0)

/* Long-running tests scale down under sanitizers (TEEQ_TEST_SCALE=n divides
 * the iteration count by n) and say so. */
static inline uint64_t test_scaled(uint64_t n)
{
	const char *s = getenv("TEEQ_TEST_SCALE");
	uint64_t div = s ? strtoull(s, NULL, 10) : 1;

	if (div > 1) {
		fprintf(stderr,
			"note: TEEQ_TEST_SCALE=%" PRIu64 ": %" PRIu64
			" iterations instead of %" PRIu64 "\n",
			div, n / div, n);
		return n / div ? n / div : 1;
	}
	return n;
}

/* xorshift64*: reproducible pseudo-random numbers for tests. */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

#endif /* TEEQ_TESTS_CHECK_H */
