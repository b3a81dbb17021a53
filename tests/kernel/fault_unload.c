// SPDX-License-Identifier: MIT
/*
 * Unloading the module is refused while anything of it is in use, and
 * safe once nothing is: an open client node, an attached teeq-sw, a
 * dma-buf a client still holds after closing the node each keep it (EBUSY
 * from delete_module); with all gone it unloads, the nodes disappear, and
 * it loads again.
 */
#include "tests/kernel/kfixture.h"

static void kt_refused(void)
{
	CHECK_EQ(kt_module_unload(), -EWOULDBLOCK);
	CHECK_EQ(access(KT_CLIENT, F_OK), 0);
}

int main(void)
{
	struct kt_result res;
	int fd, shm_fd, id;
	uint32_t s;
	void *map;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_echo);
	kt_refused();
	shm_fd = kt_shm_alloc(fd, 4096, &id, &map);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_VALUES, NULL, 0, &res), 0);
	close(fd);
	kt_refused(); /* teeq-sw, the dma-buf */
	kt_sw_stop();
	kt_refused(); /* the dma-buf and its mapping */
	close(shm_fd);
	kt_refused(); /* the mapping */
	memset(map, 1, 4096);
	munmap(map, 4096);
	CHECK_EQ(kt_module_unload(), 0);
	CHECK(access(KT_CLIENT, F_OK) < 0);
	CHECK(access(KT_SW, F_OK) < 0);
	CHECK_EQ(kt_module_load("compat_nodes=1"), 0);
	CHECK_EQ(access(KT_CLIENT, F_OK), 0);
	/* and it serves again */
	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	close(fd);
	return T_PASS;
}
