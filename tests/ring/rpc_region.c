// SPDX-License-Identifier: MIT
/*
 * The supplicant's region: planned and formatted, it validates to the same
 * layout, its rings attach on both sides and carry a request and its reply
 * through the windows the tags name; plans outside the geometry limits are
 * refused; every kind of bad header is refused with a reason; and random
 * corruption of the header is either refused or yields a layout whose
 * rings and windows lie inside the region without overlapping.
 */
#include "ring/rpc_region.h"
#include "tests/check.h"

static void *region;
static struct rpc_layout good;

struct bad {
	const char *what;
	size_t off; /* a __u32 or __u64 of the header */
	int wide;
	uint64_t value;
	const char *expect;
};

#define HDR(f) offsetof(struct teeq_rpc_region_hdr, f)

static const struct bad bads[] = {
	{ "magic", HDR(magic), 0, 0x12345678, "magic" },
	{ "major", HDR(abi_version), 0, 2u << 16, "major" },
	{ "features", HDR(features), 1, 1ull << 40, "feature" },
	{ "hdr size", HDR(hdr_size), 0, 64, "size mismatch" },
	{ "req size", HDR(req_size), 0, 128, "size mismatch" },
	{ "rsp size", HDR(rsp_size), 0, 32, "size mismatch" },
	{ "region size", HDR(region_size), 1, 4096, "differs" },
	{ "reserved0", HDR(reserved0), 0, 1, "reserved" },
	{ "reserved", HDR(reserved[6]), 1, 1, "reserved" },
	{ "entries 0", HDR(entries), 0, 0, "geometry" },
	{ "entries 3", HDR(entries), 0, 3, "geometry" },
	{ "entries big", HDR(entries), 0, 128, "geometry" },
	{ "window small", HDR(window_size), 0, 2048, "geometry" },
	{ "window odd", HDR(window_size), 0, 4096 * 3, "geometry" },
	{ "window big", HDR(window_size), 0, 1u << 21, "geometry" },
	{ "req misaligned", HDR(req_off), 1, 130, "misaligned" },
	{ "data misaligned", HDR(data_off), 1, 4096 + 64, "misaligned" },
	{ "req outside", HDR(req_off), 1, 1ull << 40, "outside" },
	{ "req wraps", HDR(req_off), 1, UINT64_MAX & ~63ull, "outside" },
	{ "data outside", HDR(data_off), 1, 1ull << 30, "outside" },
	{ "req on hdr", HDR(req_off), 1, 64, "overlap" },
	{ "rsp on req", HDR(rsp_off), 1, 128, "overlap" },
	{ "data on hdr", HDR(data_off), 1, 0, "overlap" },
};

static void put(size_t off, int wide, uint64_t v)
{
	if (wide)
		memcpy((char *)region + off, &v, 8);
	else {
		uint32_t v32 = (uint32_t)v;

		memcpy((char *)region + off, &v32, 4);
	}
}

static int inside(const struct rpc_layout *l)
{
	uint64_t req = ring_bytes(l->entries, sizeof(struct teeq_rpc_req));
	uint64_t rsp = ring_bytes(l->entries, sizeof(struct teeq_rpc_rsp));
	uint64_t data = (uint64_t)l->entries * l->window_size;

	return l->req_off + req <= l->region_size &&
	       l->rsp_off + rsp <= l->region_size &&
	       l->data_off + data <= l->region_size &&
	       (l->req_off + req <= l->rsp_off ||
		l->rsp_off + rsp <= l->req_off) &&
	       (l->rsp_off + rsp <= l->data_off ||
		l->data_off + data <= l->rsp_off) &&
	       (l->req_off + req <= l->data_off ||
		l->data_off + data <= l->req_off) &&
	       l->req_off >= sizeof(struct teeq_rpc_region_hdr) &&
	       l->rsp_off >= sizeof(struct teeq_rpc_region_hdr) &&
	       l->data_off >= sizeof(struct teeq_rpc_region_hdr);
}

int main(void)
{
	struct teeq_rpc_region_hdr saved;
	struct ring sreq, srsp, nreq, nrsp;
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_READ,
				    .tag = 7 << 6 | 5,
				    .len = 3 };
	struct teeq_rpc_rsp rsp = { .tag = 7 << 6 | 5, .len = 3 };
	struct rpc_layout l;
	const char *why;
	uint64_t seed = 1;
	size_t i;
	int refused = 0, accepted = 0;

	CHECK_EQ(rpc_region_plan(1, 4096, TEEQ_RPC_FEAT_FS, &l), -EINVAL);
	CHECK_EQ(rpc_region_plan(128, 4096, TEEQ_RPC_FEAT_FS, &l), -EINVAL);
	CHECK_EQ(rpc_region_plan(16, 1000, TEEQ_RPC_FEAT_FS, &l), -EINVAL);
	CHECK_EQ(rpc_region_plan(16, 4096, 1ull << 9, &l), -EINVAL);
	CHECK_EQ(rpc_region_plan(16, 8192, TEEQ_RPC_FEAT_FS, &good), 0);
	CHECK(inside(&good));
	region = aligned_alloc(4096, good.region_size);
	CHECK(region);
	memset(region, 0xee, good.region_size);
	CHECK_EQ(rpc_region_format(region, &good), 0);
	CHECK_EQ(rpc_region_validate(region, good.region_size,
				     TEEQ_RPC_FEAT_ALL, &l, &why),
		 0);
	CHECK_MEM(&l, &good, sizeof(l));
	/* a feature this side does not know */
	CHECK_EQ(rpc_region_validate(region, good.region_size, 0, &l, &why),
		 -EPROTO);
	CHECK(strstr(why, "feature"));

	/* a request one way, its reply the other, data in its window */
	CHECK_EQ(rpc_region_attach(region, &good, &sreq, RING_PRODUCER, &srsp,
				   RING_CONSUMER),
		 0);
	CHECK_EQ(rpc_region_attach(region, &good, &nreq, RING_CONSUMER, &nrsp,
				   RING_PRODUCER),
		 0);
	CHECK_EQ(ring_cons_avail(&nreq, 1), 0);
	memcpy(rpc_region_window(region, &good, req.tag), "abc", 3);
	CHECK_EQ(ring_prod_space(&sreq, 1), 16);
	rpc_region_put(&sreq, 0, &req, sizeof(req));
	ring_prod_commit(&sreq, 1);
	CHECK_EQ(ring_cons_avail(&nreq, 16), 1);
	CHECK_EQ(((const struct teeq_rpc_req *)ring_cons_slot(&nreq, 0))->tag,
		 req.tag);
	ring_cons_release(&nreq, 1);
	CHECK_MEM(rpc_region_window(region, &good, req.tag), "abc", 3);
	CHECK((unsigned char *)rpc_region_window(region, &good, req.tag) ==
	      (unsigned char *)region + good.data_off + 5 * 8192);
	rpc_region_put(&nrsp, 0, &rsp, sizeof(rsp));
	ring_prod_commit(&nrsp, 1);
	CHECK_EQ(ring_cons_avail(&srsp, 16), 1);
	CHECK_EQ(((const struct teeq_rpc_rsp *)ring_cons_slot(&srsp, 0))->len,
		 3);

	memcpy(&saved, region, sizeof(saved));
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		put(bads[i].off, bads[i].wide, bads[i].value);
		why = NULL;
		if (rpc_region_validate(region, good.region_size,
					TEEQ_RPC_FEAT_ALL, &l,
					&why) != -EPROTO ||
		    !why || !strstr(why, bads[i].expect)) {
			fprintf(stderr, "%s: why '%s', expected '%s'\n",
				bads[i].what, why ? why : "(accepted)",
				bads[i].expect);
			return T_FAIL;
		}
		memcpy(region, &saved, sizeof(saved));
	}
	CHECK_EQ(rpc_region_validate(region, 64, TEEQ_RPC_FEAT_ALL, &l, &why),
		 -EPROTO);

	/* random header damage: refused, or a sound layout */
	for (i = 0; i < 200000; i++) {
		unsigned char *b = region;
		int k, n = 1 + (int)(test_rand(&seed) % 4);

		for (k = 0; k < n; k++)
			b[test_rand(&seed) % sizeof(saved)] ^=
				(unsigned char)(1u << (test_rand(&seed) % 8));
		if (rpc_region_validate(region, good.region_size,
					TEEQ_RPC_FEAT_ALL, &l, &why)) {
			refused++;
		} else {
			accepted++;
			CHECK(inside(&l));
		}
		memcpy(region, &saved, sizeof(saved));
	}
	CHECK(refused > 0);
	printf("random damage: %d refused, %d accepted sound\n", refused,
	       accepted);
	free(region);
	return T_PASS;
}
