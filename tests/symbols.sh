#!/bin/bash
# What libteeq shows a program that links it: the static archive defines
# no global name but TEEC_* and teeq_*, the shared library exports only
# the API (and its version node), and both do define the whole API.
#   tests/symbols.sh BUILD_DIR RESULTS_DIR
set -u
build=$1 results=$2
log="$results/symbols.log"
api="TEEC_InitializeContext TEEC_FinalizeContext TEEC_RegisterSharedMemory
TEEC_RegisterSharedMemoryFileDescriptor TEEC_AllocateSharedMemory
TEEC_ReleaseSharedMemory TEEC_OpenSession TEEC_CloseSession
TEEC_InvokeCommand TEEC_RequestCancellation teeq_queue_open teeq_queue_close
teeq_queue_space teeq_prep_invoke teeq_submit teeq_reap teeq_context_stats
teeq_secure_stats"
mkdir -p "$results"
echo "== suite symbols ($build)"
ok=1
{
	a=$(nm -g --defined-only "$build/lib/libteeq.a" | awk 'NF == 3 { print $3 }')
	so=$(nm -D --defined-only "$build/lib/libteeq.so" |
		awk 'NF == 3 { sub(/@.*/, "", $3); print $3 }')
	echo "libteeq.a defines $(echo "$a" | wc -l) global names," \
		"libteeq.so exports $(echo "$so" | wc -l)"
	bad=$(echo "$a" | grep -v -E '^(TEEC_|teeq_)')
	[ -z "$bad" ] || { echo "libteeq.a: unprefixed: $bad"; ok=0; }
	bad=$(echo "$so" | grep -v -E '^(TEEC_|teeq_|TEEQ_1\.0$)')
	[ -z "$bad" ] || { echo "libteeq.so: not the API: $bad"; ok=0; }
	for f in $api; do
		echo "$a" | grep -qx "$f" || { echo "libteeq.a lacks $f"; ok=0; }
		echo "$so" | grep -qx "$f" || { echo "libteeq.so lacks $f"; ok=0; }
	done
} >"$log" 2>&1 || ok=0
if [ $ok = 1 ]; then
	echo "  PASS  symbols (libteeq.a and .so define only TEEC_*/teeq_* names)"
	echo "1 0 0" >"$results/symbols.counts"
else
	echo "  FAIL  symbols"
	tail -n 20 "$log" | sed 's/^/        | /'
	echo "0 1 0" >"$results/symbols.counts"
fi
