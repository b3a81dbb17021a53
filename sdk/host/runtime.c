// SPDX-License-Identifier: MIT
/*
 * A runtime for libteeq_ta's hooks: the call's cancellation flag under a
 * mutex, set from any thread; waits on a condition variable that a
 * cancellation wakes; logs to stderr; a panic ends the process unless the
 * host set on_panic.
 */
#include "host.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void ta_host_rt_panic(void *host, uint32_t code, const char *func)
{
	struct ta_host_rt *rt = host;

	if (rt->on_panic)
		rt->on_panic(rt, code, func);
	fprintf(stderr, "teeq-ta: the TA panicked in %s (0x%08x)\n", func,
		code);
	_exit(TA_HOST_PANIC_EXIT);
}

static bool ta_host_rt_cancelled(void *host)
{
	struct ta_host_rt *rt = host;
	bool cancelled;

	pthread_mutex_lock(&rt->lock);
	cancelled = rt->cancelled;
	pthread_mutex_unlock(&rt->lock);
	return cancelled;
}

static TEE_Result ta_host_rt_wait(void *host, uint32_t ms, bool cancellable)
{
	struct ta_host_rt *rt = host;
	TEE_Result res = TEE_SUCCESS;
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&rt->lock);
	for (;;) {
		int err;

		if (cancellable && rt->cancelled) {
			res = TEE_ERROR_CANCEL;
			break;
		}
		err = ms == TEE_TIMEOUT_INFINITE ?
			      pthread_cond_wait(&rt->cond, &rt->lock) :
			      pthread_cond_timedwait(&rt->cond, &rt->lock,
						     &until);
		if (err == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&rt->lock);
	return res;
}

static void ta_host_rt_log(void *host, int level, const char *line)
{
	(void)host;
	(void)level;
	fprintf(stderr, "%s\n", line);
}

const struct teeq_ta_runtime ta_host_rt_ops = {
	.panic = ta_host_rt_panic,
	.cancelled = ta_host_rt_cancelled,
	.wait = ta_host_rt_wait,
	.log = ta_host_rt_log,
};

int ta_host_rt_init(struct ta_host_rt *rt)
{
	pthread_condattr_t attr;
	int err;

	rt->cancelled = false;
	rt->on_panic = NULL;
	rt->ctx = NULL;
	if (pthread_condattr_init(&attr))
		return -ENOMEM;
	err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
	      pthread_cond_init(&rt->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (err)
		return -ENOMEM;
	if (pthread_mutex_init(&rt->lock, NULL)) {
		pthread_cond_destroy(&rt->cond);
		return -ENOMEM;
	}
	return 0;
}

void ta_host_rt_destroy(struct ta_host_rt *rt)
{
	pthread_mutex_destroy(&rt->lock);
	pthread_cond_destroy(&rt->cond);
}

void ta_host_rt_new_call(struct ta_host_rt *rt)
{
	pthread_mutex_lock(&rt->lock);
	rt->cancelled = false;
	pthread_mutex_unlock(&rt->lock);
}

void ta_host_rt_cancel(struct ta_host_rt *rt)
{
	pthread_mutex_lock(&rt->lock);
	rt->cancelled = true;
	pthread_cond_broadcast(&rt->cond);
	pthread_mutex_unlock(&rt->lock);
}
