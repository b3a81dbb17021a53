/* SPDX-License-Identifier: MIT */
/* hello_counter: the TA's UUID and commands, shared with the host. */
#ifndef HELLO_COUNTER_TA_H
#define HELLO_COUNTER_TA_H

#define HELLO_COUNTER_TA_UUID                                          \
	{                                                              \
		0x3c1d7a5e, 0x9b2f, 0x4e61,                            \
		{                                                      \
			0x8d, 0x0a, 0x6f, 0x5b, 0x4c, 0x3e, 0x2d, 0x11 \
		}                                                      \
	}

/* p0 VALUE_INOUT: a := a + 1; p1 VALUE_OUTPUT: a = the session's count
 * of calls, b = the instance's (every session's) */
#define HELLO_COUNTER_CMD_INC 0
/* the same, a := a - 1 */
#define HELLO_COUNTER_CMD_DEC 1

#endif /* HELLO_COUNTER_TA_H */
