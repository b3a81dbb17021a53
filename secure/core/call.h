/* SPDX-License-Identifier: MIT */
/* The core's side of struct ta_call (secure/core/ta.h). */
#ifndef TEEQ_SECURE_CALL_H
#define TEEQ_SECURE_CALL_H

#include "secure/core/ta.h"

struct ta_call {
	/* NULL: the call cannot be cancelled */
	int (*is_cancelled)(struct ta_call *call);
	void *core; /* the core's per-call state */
	/* of the result: TEEQ_ORIGIN_TRUSTED_APP unless ta_call_origin()
	 * said otherwise */
	uint32_t origin;
};

#endif /* TEEQ_SECURE_CALL_H */
