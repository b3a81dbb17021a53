// SPDX-License-Identifier: MIT
/*
 * The TA's view of its host: panics, cancellation, waiting, time, random
 * numbers and instance data. Everything that depends on the host goes
 * through the hooks it bound (ta_abi.h); before that, or in a program
 * that never binds, the defaults below log to stderr, never report a
 * cancellation, sleep with nanosleep() and abort() on a panic.
 */
#include "internal.h"

#include <openssl/rand.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct ta_rt ta_rt;

static void ta_rt_default_log(int level, const char *line)
{
	(void)level;
	fprintf(stderr, "%s\n", line);
}

void ta_rt_log(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ta_rt.ops && ta_rt.ops->log)
		ta_rt.ops->log(ta_rt.host, level, line);
	else
		ta_rt_default_log(level, line);
}

void ta_rt_panic(uint32_t code, const char *func, const char *why)
{
	ta_rt_log(TRACE_ERROR, "E/TA: %s: panic: %s (code 0x%08" PRIx32 ")",
		  func, why, code);
	if (ta_rt.ops && ta_rt.ops->panic)
		ta_rt.ops->panic(ta_rt.host, code, func);
	abort();
}

void TEE_Panic(TEE_Result panicCode)
{
	ta_rt_panic(panicCode, __func__, "called by the TA");
}

/* Cancellation: one mask per session, masked when the session opens. */

static bool ta_rt_masked(void)
{
	return !ta_rt.call.session || ta_rt.call.session->cancel_masked;
}

static bool ta_rt_cancelled(void)
{
	return ta_rt.ops && ta_rt.ops->cancelled &&
	       ta_rt.ops->cancelled(ta_rt.host);
}

bool TEE_GetCancellationFlag(void)
{
	return !ta_rt_masked() && ta_rt_cancelled();
}

static bool ta_rt_set_mask(bool masked)
{
	bool was = ta_rt_masked();

	if (ta_rt.call.session)
		ta_rt.call.session->cancel_masked = masked;
	return was;
}

bool TEE_UnmaskCancellation(void)
{
	return ta_rt_set_mask(false);
}

bool TEE_MaskCancellation(void)
{
	return ta_rt_set_mask(true);
}

TEE_Result TEE_Wait(uint32_t timeout)
{
	struct timespec ts;
	bool cancellable = !ta_rt_masked();

	if (ta_rt.ops && ta_rt.ops->wait)
		return ta_rt.ops->wait(ta_rt.host, timeout, cancellable);
	/* no host: nothing can cancel, an infinite wait never ends */
	if (timeout == TEE_TIMEOUT_INFINITE)
		for (;;)
			pause();
	ts.tv_sec = timeout / 1000;
	ts.tv_nsec = (long)(timeout % 1000) * 1000000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return TEE_SUCCESS;
}

static void ta_rt_time(clockid_t clock, TEE_Time *time, const char *func)
{
	struct timespec ts;

	if (!time)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "time is NULL");
	clock_gettime(clock, &ts);
	time->seconds = (uint32_t)ts.tv_sec;
	time->millis = (uint32_t)(ts.tv_nsec / 1000000);
}

/* GP system time: monotonic, from an arbitrary origin. */
void TEE_GetSystemTime(TEE_Time *time)
{
	ta_rt_time(CLOCK_MONOTONIC, time, __func__);
}

void TEE_GetREETime(TEE_Time *time)
{
	ta_rt_time(CLOCK_REALTIME, time, __func__);
}

void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen)
{
	unsigned char *out = randomBuffer;

	TA_CHECK_BUF(randomBuffer, randomBufferLen);
	while (randomBufferLen) {
		int chunk = randomBufferLen > (1u << 30) ? 1 << 30 :
							   (int)randomBufferLen;

		if (RAND_bytes(out, chunk) != 1)
			TA_PANIC("the random generator failed");
		out += chunk;
		randomBufferLen -= (size_t)chunk;
	}
}

void TEE_SetInstanceData(const void *instanceData)
{
	ta_rt.instance_data = instanceData;
}

const void *TEE_GetInstanceData(void)
{
	return ta_rt.instance_data;
}
