/* SPDX-License-Identifier: MIT */
/* The API-level test TA: commands and their parameters. */
#ifndef PARAMS_TA_H
#define PARAMS_TA_H

#define PARAMS_TA_UUID                                                 \
	{                                                              \
		0x5d2b6d8e, 0x1c3a, 0x4f6e,                            \
		{                                                      \
			0x9b, 0x8a, 0x7e, 0x1f, 0x0c, 0x2d, 0x3a, 0x4b \
		}                                                      \
	}

/* p0 VALUE_INOUT: a+1, b+2; p1 VALUE_OUTPUT: a = magic, b = paramTypes */
#define PARAMS_CMD_VALUES 0
/* p0 MEMREF_INPUT, p1 MEMREF_OUTPUT: p0 reversed; p2 VALUE_OUTPUT:
 * a = bytes of a memref size (4: v1.1, 8: v1.3) */
#define PARAMS_CMD_REVERSE 1
/* p0 MEMREF_INPUT, p1 MEMREF_OUTPUT: SHA-256 of p0 */
#define PARAMS_CMD_SHA256 2
/* TEE_Panic(0xbad) */
#define PARAMS_CMD_PANIC 3
/* p0 MEMREF_OUTPUT: gpd.ta.description; p1 VALUE_OUTPUT: a = client login,
 * b = the TA's own u32 property */
#define PARAMS_CMD_PROPS 4

#endif /* PARAMS_TA_H */
