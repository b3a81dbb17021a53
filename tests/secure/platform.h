/* SPDX-License-Identifier: MIT */
/*
 * The core's platform (secure/core/platform.h) for tests that drive the
 * core directly, without teeq-sw's attachments: a registered buffer is
 * memory of the test's own (t_plat_ext_new()), released buffers are
 * counted, and time is either the monotonic clock (t_platform_real) or
 * virtual (t_platform_virtual: it moves only when the core sleeps, so a
 * trusted app's wait costs no real time).
 */
#ifndef TEEQ_TESTS_SECURE_PLATFORM_H
#define TEEQ_TESTS_SECURE_PLATFORM_H

#include "secure/core/core.h"
#include "tests/check.h"

static uint32_t t_plat_released; /* atomic */
static struct sw_client *t_plat_released_by;
static uint64_t t_plat_virtual_ns, t_plat_sleeps; /* atomic */
/* called at every sleep, if set (from inside the trusted app's wait) */
static void (*t_plat_on_sleep)(void);

static inline struct sw_ext_buf *t_plat_ext_new(uint64_t size, uint32_t flags)
{
	struct sw_ext_buf *buf = malloc(sizeof(*buf));

	CHECK(buf);
	buf->base = calloc(1, size);
	CHECK(buf->base);
	buf->size = size;
	buf->flags = flags;
	return buf;
}

static inline void t_plat_release_ext(struct sw_client *c,
				      struct sw_ext_buf *buf)
{
	t_plat_released_by = c;
	__atomic_add_fetch(&t_plat_released, 1, __ATOMIC_RELAXED);
	free(buf->base);
	free(buf);
}

static inline void t_plat_sleep_real(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000),
			       (long)(ns % 1000000000) };

	nanosleep(&ts, NULL);
}

static inline uint64_t t_plat_virtual_now(void)
{
	return __atomic_load_n(&t_plat_virtual_ns, __ATOMIC_RELAXED);
}

static inline void t_plat_virtual_sleep(uint64_t ns)
{
	__atomic_add_fetch(&t_plat_sleeps, 1, __ATOMIC_RELAXED);
	if (t_plat_on_sleep)
		t_plat_on_sleep();
	__atomic_add_fetch(&t_plat_virtual_ns, ns, __ATOMIC_RELAXED);
}

static const struct sw_platform t_platform_real __attribute__((unused)) = {
	.release_ext = t_plat_release_ext,
	.now_ns = t_now_ns,
	.sleep_ns = t_plat_sleep_real,
};

static const struct sw_platform t_platform_virtual __attribute__((unused)) = {
	.release_ext = t_plat_release_ext,
	.now_ns = t_plat_virtual_now,
	.sleep_ns = t_plat_virtual_sleep,
};

/* A channel's region laid out by @p and formatted, as a client makes
 * one, for sw_client_init(): free() it. */
static inline void *t_plat_region(const struct channel_params *p,
				  struct channel_layout *layout)
{
	void *region;

	CHECK_EQ(channel_plan(p, layout), 0);
	CHECK_EQ(posix_memalign(&region, TEEQ_PAGE_SIZE, layout->region_size),
		 0);
	memset(region, 0, layout->region_size);
	CHECK_EQ(channel_format(region, layout), 0);
	return region;
}

#endif /* TEEQ_TESTS_SECURE_PLATFORM_H */
