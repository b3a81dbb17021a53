// SPDX-License-Identifier: MIT
/*
 * A GROUP (or GROUP_APPLICATION) login is accepted for any group the
 * caller is in, supplementary groups included, as the upstream TEE
 * subsystem does; one the caller is not in is ACCESS_DENIED from the TEE
 * and opens nothing. The caller here gets a supplementary group of its
 * own: as root it sets one (setgroups), else it uses one it has.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <grp.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;

static int member(const gid_t *groups, int n, gid_t gid)
{
	int i;

	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return gid == getegid();
}

static TEEC_Result open_as(TEEC_Context *ctx, uint32_t method, uint32_t gid)
{
	TEEC_Session sess;
	uint32_t origin = 0;
	TEEC_Result res;

	res = TEEC_OpenSession(ctx, &sess, &echo, method, &gid, NULL, &origin);
	if (res == TEEC_SUCCESS) {
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		TEEC_CloseSession(&sess);
	} else {
		CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	}
	return res;
}

int main(void)
{
	gid_t groups[256], extra = (gid_t)-1, stranger;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	int n, i;

	n = getgroups(256, groups);
	CHECK(n >= 0);
	for (i = 0; i < n && extra == (gid_t)-1; i++)
		if (groups[i] != getegid())
			extra = groups[i];
	if (extra == (gid_t)-1) {
		if (geteuid() != 0)
			SKIP("not root, and no supplementary group to log in "
			     "with");
		extra = 4242 == getegid() ? 4243 : 4242;
		groups[0] = extra;
		n = 1;
		CHECK(!setgroups(1, groups));
	}
	for (stranger = 7000; member(groups, n, stranger); stranger++)
		;
	sw_fixture_start(&fx);
	/* the secure world learns the groups when the context connects */
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);

	CHECK_EQ(open_as(&ctx, TEEC_LOGIN_GROUP, extra), TEEC_SUCCESS);
	CHECK_EQ(open_as(&ctx, TEEC_LOGIN_GROUP_APPLICATION, extra),
		 TEEC_SUCCESS);
	CHECK_EQ(open_as(&ctx, TEEC_LOGIN_GROUP, getegid()), TEEC_SUCCESS);
	CHECK_EQ(open_as(&ctx, TEEC_LOGIN_GROUP, stranger),
		 TEEC_ERROR_ACCESS_DENIED);
	CHECK_EQ(open_as(&ctx, TEEC_LOGIN_GROUP_APPLICATION, stranger),
		 TEEC_ERROR_ACCESS_DENIED);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions_total, 3);
	CHECK_EQ(st.sessions, 0);

	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
