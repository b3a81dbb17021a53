// SPDX-License-Identifier: MIT
/*
 * Logins: the identity a trusted app sees is the opener's, set by the
 * kernel (echo IDENTITY reports login, uid, gid, pid); a group login must
 * name a group the caller is in; the kernel's own logins are refused.
 */
#include "tests/kernel/kfixture.h"

static void kt_identity(int fd, uint32_t login, uint32_t group, uint32_t uid,
			uint32_t gid)
{
	struct teeq_ioctl_param p[2] = { kt_value(KT_VOUT, 0, 0),
					 kt_value(KT_VOUT, 0, 0) };
	struct kt_result res;
	uint32_t s;
	int rc;

	s = kt_open_session_login(fd, &kt_echo, login, group, NULL, 0, &res,
				  &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_IDENTITY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[0].a, login);
	CHECK_EQ(p[0].b, uid);
	CHECK_EQ(p[1].a, gid);
	CHECK_EQ(p[1].b, (uint32_t)getpid());
	CHECK_EQ(kt_close_session(fd, s), 0);
}

int main(void)
{
	struct kt_result res;
	int fd, rc, status;
	pid_t child;

	kt_sw_start();
	fd = kt_open();
	kt_identity(fd, TEEQ_IOCTL_LOGIN_PUBLIC, 0, 0, 0);
	kt_identity(fd, TEEQ_IOCTL_LOGIN_USER, 0, 0, 0);
	kt_identity(fd, TEEQ_IOCTL_LOGIN_GROUP, 0, 0, 0);
	kt_identity(fd, TEEQ_IOCTL_LOGIN_APPLICATION, 0, 0, 0);
	/* a group we are not in */
	CHECK_EQ(kt_open_session_login(fd, &kt_echo, TEEQ_IOCTL_LOGIN_GROUP,
				       4242, NULL, 0, &res, &rc),
		 0);
	CHECK_EQ(rc, -EPERM);
	CHECK_EQ(kt_open_session_login(fd, &kt_echo,
				       TEEQ_IOCTL_LOGIN_REE_KERNEL, 0, NULL, 0,
				       &res, &rc),
		 0);
	CHECK_EQ(rc, -EPERM);
	CHECK_EQ(kt_open_session_login(fd, &kt_echo, 3, 0, NULL, 0, &res, &rc),
		 0);
	CHECK_EQ(rc, -EINVAL);
	close(fd);

	/* another user's context carries that user's identity */
	child = fork();
	CHECK(child >= 0);
	if (!child) {
		if (setgid(1234) || setuid(4321))
			_exit(2);
		fd = kt_open();
		kt_identity(fd, TEEQ_IOCTL_LOGIN_USER, 0, 4321, 1234);
		kt_identity(fd, TEEQ_IOCTL_LOGIN_GROUP, 1234, 4321, 1234);
		_exit(0);
	}
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	return T_PASS;
}
