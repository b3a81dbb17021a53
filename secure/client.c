// SPDX-License-Identifier: MIT
/* A client of the secure world: its channel, sessions and buffers. */
#include "secure/core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sw_client_init(struct sw_client *c, uint32_t id, void *region,
		   const struct channel_layout *layout,
		   const struct ta_identity *who)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->who = *who;
	c->region = region;
	c->layout = *layout;
	c->heap = (unsigned char *)region + layout->heap_off;
	ret = shm_ids_init(&c->sessions, SW_MAX_SESSIONS);
	if (ret)
		return ret;
	ret = shm_ids_init(&c->ext_bufs, SW_MAX_EXT_BUFS);
	if (ret)
		goto err_sessions;
	if (pthread_mutex_init(&c->cancel_lock, NULL)) {
		ret = -ENOMEM;
		goto err_bufs;
	}
	return 0;

err_bufs:
	shm_ids_destroy(&c->ext_bufs);
err_sessions:
	shm_ids_destroy(&c->sessions);
	return ret;
}

/*
 * Nobody dispatches for @c any more (the host made sure), so every id is
 * unreferenced: closing is removing and releasing each.
 */
void sw_client_fini(struct sw_client *c)
{
	uint32_t cursor = 0, id;
	struct shm_buf buf;

	while ((id = shm_ids_next(&c->sessions, &cursor)))
		if (shm_ids_remove(&c->sessions, id, &buf) == 0)
			sw_session_destroy(
				(struct sw_session *)(uintptr_t)buf.cookie);
	cursor = 0;
	while ((id = shm_ids_next(&c->ext_bufs, &cursor)))
		sw_client_remove_ext(c, id);
	pthread_mutex_destroy(&c->cancel_lock);
	shm_ids_destroy(&c->ext_bufs);
	shm_ids_destroy(&c->sessions);
	free(c->groups);
	c->groups = NULL;
}

int sw_client_set_groups(struct sw_client *c, const uint32_t *groups,
			 uint32_t n)
{
	uint32_t *copy = n ? malloc(n * sizeof(*copy)) : NULL;

	if (n && !copy)
		return -ENOMEM;
	if (n)
		memcpy(copy, groups, n * sizeof(*copy));
	free(c->groups);
	c->groups = copy;
	c->nr_groups = n;
	return 0;
}

int sw_client_in_group(const struct sw_client *c, uint32_t gid)
{
	uint32_t i;

	if (gid == c->who.gid)
		return 1;
	for (i = 0; i < c->nr_groups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

int64_t sw_client_add_ext(struct sw_client *c, struct sw_ext_buf *buf)
{
	return shm_ids_add(&c->ext_bufs,
			   &(struct shm_buf){ .size = buf->size,
					      .flags = buf->flags,
					      .cookie = (uintptr_t)buf });
}

int sw_client_remove_ext(struct sw_client *c, uint32_t buf_id)
{
	struct shm_buf buf;
	int ret = shm_ids_remove(&c->ext_bufs, buf_id, &buf);

	if (ret == 0)
		sw_host_release_ext((struct sw_ext_buf *)(uintptr_t)buf.cookie);
	return ret;
}

uint32_t sw_client_sessions(struct sw_client *c)
{
	return shm_ids_live(&c->sessions);
}
