// SPDX-License-Identifier: MIT
/*
 * Zero copy with another driver's memory, both ways.
 *
 * A vgem buffer, exported with PRIME and registered with SHM_REGISTER_FD,
 * is where the cipher TA decrypts 1 MiB: the plaintext is checked through
 * vgem's own mapping. And a teeq allocation (SHM_ALLOC's dma-buf) is
 * imported by vgem: what the TA wrote into it reads back through vgem.
 */
#include "tests/kernel/kfixture.h"

#include <dirent.h>
#include <linux/dma-buf.h>
#include <sys/stat.h>

#define KT_SIZE KT_VGEM_SIZE

/* The kernel's list of dma-bufs shows ours (exporter "teeq") with vgem
 * attached: vgem imported it through our attach and map_dma_buf. */
static void kt_check_attached(int dmabuf_fd)
{
	static char info[1 << 16];
	char key[64];
	struct stat sb;
	ssize_t n;
	char *at;
	int fd;

	CHECK_EQ(fstat(dmabuf_fd, &sb), 0);
	fd = open("/sys/kernel/debug/dma_buf/bufinfo", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	n = read(fd, info, sizeof(info) - 1);
	close(fd);
	CHECK(n > 0);
	info[n] = 0;
	snprintf(key, sizeof(key), "\tteeq\t%08lu", (unsigned long)sb.st_ino);
	at = strstr(info, key);
	CHECK(at);
	at = strstr(at, "Attached Devices:\n");
	CHECK(at);
	CHECK(!strncmp(at + strlen("Attached Devices:\n"), "\tvgem", 5));
}

static void kt_ctr(int fd, uint32_t s, struct teeq_ioctl_param *src,
		   struct teeq_ioctl_param *dst)
{
	static uint8_t iv[16] = { 0xf0, 1, 2, 3 };
	struct teeq_ioctl_param p[3] = { kt_temp(KT_MIN, iv, 16), *src, *dst };
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, s, TEEQ_CIPHER_CMD_CTR, p, 3, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[2].b, KT_SIZE);
}

int main(void)
{
	static uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct teeq_ioctl_shm_register_fd_data reg = { 0 };
	struct teeq_ioctl_param p[2], src, dst;
	uint8_t *plain, *cipher, *vmap, *ours, *via_vgem;
	struct teeq_swdev_stats st;
	struct dma_buf_sync sync;
	struct kt_result res;
	int fd, vgem, shm_fd, ours_fd, ours_id;
	uint32_t s, i;

	vgem = kt_vgem();
	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_cipher);
	p[0] = kt_value(KT_VIN, TEEQ_CIPHER_MODE_CTR, 0);
	p[1] = kt_temp(KT_MIN, key, sizeof(key));
	CHECK_EQ(kt_invoke(fd, s, TEEQ_CIPHER_CMD_SET_KEY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);

	plain = malloc(KT_SIZE);
	cipher = malloc(KT_SIZE);
	CHECK(plain && cipher);
	for (i = 0; i < KT_SIZE; i++)
		plain[i] = (uint8_t)(i * 31 + (i >> 12));
	/* the ciphertext, through temporary memrefs (copied) */
	src = kt_temp(KT_MIN, plain, KT_SIZE);
	dst = kt_temp(KT_MOUT, cipher, KT_SIZE);
	kt_ctr(fd, s, &src, &dst);
	CHECK(memcmp(plain, cipher, 4096));

	/* decrypted straight into vgem's pages */
	prime.handle = kt_vgem_buffer(vgem, &vmap);
	memset(vmap, 0xaa, KT_SIZE);
	CHECK_EQ(ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime), 0);
	reg.fd = prime.fd;
	shm_fd = ioctl(fd, TEEQ_IOC_SHM_REGISTER_FD, &reg);
	CHECK(shm_fd >= 0);
	CHECK(reg.size >= KT_SIZE);
	src = kt_temp(KT_MIN, cipher, KT_SIZE);
	dst = kt_memref(KT_MOUT, reg.id, 0, KT_SIZE);
	kt_ctr(fd, s, &src, &dst);
	CHECK_MEM(vmap, plain, KT_SIZE);
	/* a window past the dma-buf, and flags that do not exist */
	dst = kt_memref(KT_MOUT, reg.id, 1, reg.size);
	p[0] = kt_temp(KT_MIN, key, 16);
	p[1] = dst;
	CHECK_EQ(kt_invoke(fd, s, TEEQ_CIPHER_CMD_CTR, p, 2, &res), -EINVAL);
	reg.flags = 1;
	CHECK_EQ(ioctl(fd, TEEQ_IOC_SHM_REGISTER_FD, &reg), -1);
	CHECK_EQ(errno, EINVAL);
	reg.flags = 0;
	reg.fd = fd; /* not a dma-buf */
	CHECK_EQ(ioctl(fd, TEEQ_IOC_SHM_REGISTER_FD, &reg), -1);

	/* the other way: vgem imports a teeq allocation */
	ours_fd = kt_shm_alloc(fd, KT_SIZE, &ours_id, (void **)&ours);
	src = kt_temp(KT_MIN, cipher, KT_SIZE);
	dst = kt_memref(KT_MOUT, ours_id, 0, KT_SIZE);
	kt_ctr(fd, s, &src, &dst);
	sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ;
	CHECK_EQ(ioctl(ours_fd, DMA_BUF_IOCTL_SYNC, &sync), 0);
	CHECK_MEM(ours, plain, KT_SIZE);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	CHECK_EQ(ioctl(ours_fd, DMA_BUF_IOCTL_SYNC, &sync), 0);
	prime = (struct drm_prime_handle){ .fd = ours_fd };
	CHECK_EQ(ioctl(vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime), 0);
	kt_check_attached(ours_fd);
	/* vgem maps no imported object itself; its export of the import is
	 * our dma-buf again, and that one maps */
	prime.fd = -1;
	prime.flags = DRM_CLOEXEC;
	CHECK_EQ(ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime), 0);
	via_vgem = mmap(NULL, KT_SIZE, PROT_READ, MAP_SHARED, prime.fd, 0);
	CHECK(via_vgem != MAP_FAILED);
	CHECK_MEM(via_vgem, plain, KT_SIZE);

	munmap(via_vgem, KT_SIZE);
	close(prime.fd);
	munmap(ours, KT_SIZE);
	munmap(vmap, KT_SIZE);
	close(ours_fd);
	close(shm_fd);
	close(fd);
	close(vgem);
	/* every buffer is gone once nobody holds it, the secure side
	 * included */
	KT_WAIT_STATS(st, !st.shms, 5000);
	CHECK_EQ(st.shms, 0);
	free(plain);
	free(cipher);
	return T_PASS;
}
