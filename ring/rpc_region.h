/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The supplicant's region (uapi/teeq_rpc.h): planning and formatting it
 * (the supplicant, its creator), validating a private copy of its header
 * (the secure world), attaching the two rings, and finding a request's data
 * window. Slow path, once per attachment, except the inlines.
 */
#ifndef TEEQ_RING_RPC_REGION_H
#define TEEQ_RING_RPC_REGION_H

#include "../uapi/teeq_rpc.h"
#include "ring.h"

/* A validated, private copy of what the region header says. */
struct rpc_layout {
	__u64 region_size;
	__u64 features;
	__u32 entries;
	__u32 window_size;
	__u64 req_off;
	__u64 rsp_off;
	__u64 data_off;
};

int rpc_region_plan(__u32 entries, __u32 window_size, __u64 features,
		    struct rpc_layout *l);
int rpc_region_format(void *region, const struct rpc_layout *l);
int rpc_region_validate(const void *region, __u64 mapped_size,
			__u64 known_features, struct rpc_layout *l,
			const char **why);
/* Attaches the request and the reply ring with the roles of one side. */
int rpc_region_attach(void *region, const struct rpc_layout *l,
		      struct ring *req, enum ring_role req_role,
		      struct ring *rsp, enum ring_role rsp_role);

/* The data window a request with @tag owns. */
static inline unsigned char *
rpc_region_window(void *region, const struct rpc_layout *l, __u64 tag)
{
	return (unsigned char *)region + l->data_off +
	       (size_t)(tag & (l->entries - 1)) * l->window_size;
}

/* Fills producer slot @i with @entry (@size bytes), all but the stamp,
 * which ring_prod_commit() writes after the contents. */
static inline void rpc_region_put(struct ring *r, __u32 i, const void *entry,
				  size_t size)
{
	__builtin_memcpy((unsigned char *)ring_prod_slot(r, i) +
				 RING_STAMP_SIZE,
			 (const unsigned char *)entry + RING_STAMP_SIZE,
			 size - RING_STAMP_SIZE);
}

#endif /* TEEQ_RING_RPC_REGION_H */
