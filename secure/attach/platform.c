// SPDX-License-Identifier: MIT
/*
 * The core's platform (secure/core/platform.h) in teeq-sw, the same for
 * both attachments: a registered buffer is a mapping of this process
 * (a sealed memfd in host mode, a dma-buf or pinned pages the driver hands
 * over in kernel mode), time is the monotonic clock.
 */
#include "secure/attach/attach.h"

#include "ring/wait.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

void sw_platform_unmap(struct sw_ext_buf *buf)
{
	munmap(buf->base, buf->size);
	free(buf);
}

static void sw_platform_release_ext(struct sw_client *c, struct sw_ext_buf *buf)
{
	(void)c;
	sw_platform_unmap(buf);
}

static void sw_platform_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000),
			       (long)(ns % 1000000000) };

	nanosleep(&ts, NULL);
}

const struct sw_platform sw_platform_linux = {
	.release_ext = sw_platform_release_ext,
	.now_ns = ring_now_ns,
	.sleep_ns = sw_platform_sleep_ns,
};
