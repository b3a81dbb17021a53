/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * A channel is one shared region: region header, queue pairs and payload
 * heap (see uapi/teeq_ring.h). The creator plans and formats it; the peer
 * validates a private copy of its header and attaches rings from that copy.
 */
#ifndef TEEQ_RING_CHANNEL_H
#define TEEQ_RING_CHANNEL_H

#include "ring.h"

struct channel_params {
	__u32 nr_qpairs;
	__u32 sq_entries;
	__u32 cq_entries; /* 0: same as sq_entries */
	__u64 heap_size;
	__u64 features;
};

/* A validated, private copy of what the region header says. */
struct channel_layout {
	__u64 region_size;
	__u64 features;
	__u32 nr_qpairs;
	__u64 heap_off;
	__u64 heap_size;
	struct teeq_qpair_desc qp[TEEQ_MAX_QPAIRS];
};

int channel_plan(const struct channel_params *p, struct channel_layout *l);
int channel_format(void *region, const struct channel_layout *l);
int channel_validate(const void *region, __u64 mapped_size,
		     __u64 known_features, struct channel_layout *l,
		     const char **why);
int channel_attach_qpair(void *region, const struct channel_layout *l,
			 __u32 index, struct ring *sq, enum ring_role sq_role,
			 struct ring *cq, enum ring_role cq_role);

#endif /* TEEQ_RING_CHANNEL_H */
