// SPDX-License-Identifier: MIT
/*
 * Every memref form through the ioctls, with the bytes checked: temporary
 * (copied by the driver, both ways), allocated (SHM_ALLOC's dma-buf,
 * mmapped, used in place), registered (SHM_REGISTER of the caller's
 * pages, used in place), NULL (a needed size comes back), partial windows;
 * and what is refused: windows past the buffer, stale and foreign ids.
 */
#include "tests/kernel/kfixture.h"

#define KT_LEN 10000

static void kt_fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void kt_check_inverted(const uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		CHECK_EQ(p[i], (uint8_t) ~(uint8_t)(seed + i * 7));
}

int main(void)
{
	static uint8_t src[KT_LEN], dst[KT_LEN];
	struct teeq_ioctl_param p[2];
	struct kt_result res;
	int fd, other, id, other_id, shm_fd, reg_fd, reg_id;
	uint8_t *map, *user;
	uint32_t s;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_echo);

	/* temporary in, temporary out */
	kt_fill(src, KT_LEN, 3);
	p[0] = kt_temp(KT_MIN, src, KT_LEN);
	p[1] = kt_temp(KT_MOUT, dst, KT_LEN);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[1].b, KT_LEN);
	CHECK_MEM(dst, src, KT_LEN);
	/* an output too small: nothing copied back, the needed size */
	memset(dst, 0, KT_LEN);
	p[0] = kt_temp(KT_MIN, src, KT_LEN);
	p[1] = kt_temp(KT_MOUT, dst, 100);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].b, KT_LEN);
	CHECK_EQ(dst[0], 0);
	/* a NULL memref asks for the size */
	p[0] = kt_temp(KT_MIN, src, KT_LEN);
	p[1] = kt_memref(KT_MOUT, 0, 0, 0);
	p[1].c = TEEQ_MEMREF_NULL;
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].b, KT_LEN);

	/* allocated: the dma-buf's mapping is what the TA works on */
	shm_fd = kt_shm_alloc(fd, KT_LEN, &id, (void **)&map);
	kt_fill(map, KT_LEN, 9);
	p[0] = kt_memref(KT_MINOUT, id, 0, KT_LEN);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	kt_check_inverted(map, KT_LEN, 9);
	/* a partial window, at an offset */
	kt_fill(map, KT_LEN, 1);
	p[0] = kt_memref(KT_MINOUT, id, 4096 + 5, 100);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), 0);
	kt_check_inverted(map + 4096 + 5, 100, (uint8_t)(1 + (4096 + 5) * 7));
	CHECK_EQ(map[4096 + 4], (uint8_t)(1 + (4096 + 4) * 7));
	CHECK_EQ(map[4096 + 105], (uint8_t)(1 + (4096 + 105) * 7));

	/* registered: the caller's own pages, unaligned */
	user = aligned_alloc(4096, 3 * 4096);
	CHECK(user);
	kt_fill(user + 17, KT_LEN - 17 < 8000 ? KT_LEN - 17 : 8000, 5);
	reg_fd = kt_shm_register(fd, user + 17, 8000, &reg_id);
	p[0] = kt_memref(KT_MINOUT, reg_id, 0, 8000);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	kt_check_inverted(user + 17, 8000, 5);
	/* registered in, allocated out */
	memset(map, 0, KT_LEN);
	p[0] = kt_memref(KT_MIN, reg_id, 0, 8000);
	p[1] = kt_memref(KT_MOUT, id, 0, KT_LEN);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[1].b, 8000);
	CHECK_MEM(map, user + 17, 8000);

	/* windows past the buffer, overflowing ones, ids not ours */
	p[0] = kt_memref(KT_MINOUT, id, 1, KT_LEN);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), -EINVAL);
	p[0] = kt_memref(KT_MINOUT, id, UINT64_MAX, 2);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), -EINVAL);
	other = kt_open();
	close(kt_shm_alloc(other, 4096, &other_id, NULL));
	CHECK_EQ(ioctl(other, TEEQ_IOC_SHM_ALLOC,
		       &(struct teeq_ioctl_shm_alloc_data){ .size = 1,
							    .flags = 1 }),
		 -1);
	other_id = 0;
	{
		int ofd = kt_shm_alloc(other, 4096, &other_id, NULL);

		p[0] = kt_memref(KT_MINOUT, other_id, 0, 16);
		CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res),
			 -EINVAL);
		close(ofd);
	}
	/* closing the fd ends the registration: its id is stale */
	close(reg_fd);
	p[0] = kt_memref(KT_MINOUT, reg_id, 0, 16);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), -EINVAL);
	/* an allocation stays while mapped, even with its fd closed */
	close(shm_fd);
	p[0] = kt_memref(KT_MINOUT, id, 0, 16);
	kt_fill(map, 16, 2);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), 0);
	kt_check_inverted(map, 16, 2);
	munmap(map, KT_LEN);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), -EINVAL);

	/* a temporary memref the caller cannot read */
	p[0] = kt_temp(KT_MINOUT, (void *)16, 64);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_INVERT, p, 1, &res), -EFAULT);
	CHECK_EQ(kt_close_session(fd, s), 0);
	close(other);
	close(fd);
	free(user);
	return T_PASS;
}
