// SPDX-License-Identifier: MIT
/*
 * The ring protocol's sizes and offsets are pinned by static assertions in
 * uapi/teeq_ring.h; this test checks what those cannot: the header compiles
 * freestanding and as C++ would see it (no pointers, no padding holes),
 * and the GP values match the published numbers.
 */
#include "tests/check.h"
#include "uapi/teeq_gp.h"
#include "uapi/teeq_ring.h"

int main(void)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	/* entries are whole cache lines */
	CHECK_EQ(sizeof(sqe) % 64, 0);
	CHECK_EQ(sizeof(cqe) % 64, 0);
	/* no implicit padding: the members add up to the size */
	CHECK_EQ(sizeof(sqe.stamp) + sizeof(sqe.opcode) + sizeof(sqe.flags) +
			 sizeof(sqe.param_types) + sizeof(sqe.session) +
			 sizeof(sqe.func) + sizeof(sqe.cancel_id) +
			 sizeof(sqe.login_data) + sizeof(sqe.user_data) +
			 sizeof(sqe.uuid) + sizeof(sqe.params) +
			 sizeof(sqe.reserved),
		 sizeof(sqe));
	CHECK_EQ(sizeof(cqe.user_data) + sizeof(cqe.result) +
			 sizeof(cqe.origin) + sizeof(cqe.session) +
			 sizeof(cqe.flags) + sizeof(cqe.params) +
			 sizeof(cqe.reserved) + sizeof(cqe.stamp),
		 sizeof(cqe));
	/* parameter packing */
	CHECK_EQ(TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT,
				  TEEQ_PARAM_MEMREF_OUTPUT, TEEQ_PARAM_NONE,
				  TEEQ_PARAM_MEMREF_INOUT),
		 0x7061);
	CHECK_EQ(TEEQ_PARAM_TYPE_GET(0x7061, 3), TEEQ_PARAM_MEMREF_INOUT);
	CHECK(!teeq_param_type_valid(4));
	CHECK(!teeq_param_type_valid(8));
	CHECK(teeq_param_type_valid(TEEQ_PARAM_MEMREF_INOUT));
	/* GlobalPlatform numbers */
	CHECK_EQ(TEEQ_ERROR_BAD_PARAMETERS, 0xFFFF0006u);
	CHECK_EQ(TEEQ_ERROR_ITEM_NOT_FOUND, 0xFFFF0008u);
	CHECK_EQ(TEEQ_ERROR_TARGET_DEAD, 0xFFFF3024u);
	CHECK_EQ(TEEQ_ERROR_SHORT_BUFFER, 0xFFFF0010u);
	CHECK_EQ(TEEQ_ORIGIN_COMMS, 2);
	CHECK_EQ(TEEQ_ORIGIN_TRUSTED_APP, 4);
	CHECK_EQ(TEEQ_REGION_MAGIC, 0x51454554u);
	CHECK_MEM(&(__u32){ TEEQ_REGION_MAGIC }, "TEEQ", 4);
	return T_PASS;
}
