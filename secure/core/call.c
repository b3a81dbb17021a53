// SPDX-License-Identifier: MIT
/* What a trusted app may ask of the core during a call. */
#include "secure/core/call.h"
#include "secure/core/platform.h"

int ta_cancelled(struct ta_call *call)
{
	return call && call->is_cancelled && call->is_cancelled(call);
}

void ta_call_origin(struct ta_call *call, uint32_t origin)
{
	call->origin = origin;
}

static uint64_t call_now_ms(void)
{
	return sw_plat->now_ns() / 1000000;
}

uint32_t ta_wait(struct ta_call *call, uint32_t ms)
{
	uint64_t deadline;

	if (!sw_plat) /* no clock to wait by */
		return TEEQ_ERROR_BAD_STATE;
	deadline = call_now_ms() + ms;
	while (call_now_ms() < deadline) {
		if (ta_cancelled(call))
			return TEEQ_ERROR_CANCEL;
		/* cancellation is noticed within a slice */
		sw_plat->sleep_ns(1000000);
	}
	return ta_cancelled(call) ? TEEQ_ERROR_CANCEL : TEEQ_SUCCESS;
}
